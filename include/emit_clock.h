/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_CLOCK_H
#define EMIT_CLOCK_H

/**
 * @file
 * Event time: keeping time_ns on the wall clock.
 *
 * A sender stamps each event with UNIX time in ns derived from its tick
 * source: anchored to CLOCK_REALTIME when the sender is created, then
 * advanced by ticks at the nominal rate (rte_get_tsc_hz(), known to about
 * 0.1 %). Left alone, time_ns drifts from the wall clock by up to a
 * millisecond per second, which a receiver measuring one-way latency
 * sees. emit_clock_resync() measures the tick rate against the wall clock
 * and re-anchors every sender that uses the TSC, by slewing: each sender
 * keeps its time continuous and monotonic and changes only its rate, so
 * that it meets the wall clock by the next re-anchoring.
 */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Re-anchor the event time of every live sender that uses the TSC (no
 * emit_sender_conf.clock) to CLOCK_REALTIME. Control path, any thread;
 * calls are serialised. Call it periodically, about once a second
 * (emit_pipeline_poll_main does, so emit-gen's senders stay on the wall
 * clock): each call reads the TSC and the wall clock once, takes the
 * tick rate from the span since the previous call, and posts both to the
 * senders, each of which applies them on its owner lcore at its next
 * claim. From there a sender's time_ns advances at the
 * measured rate plus a correction that closes its offset from the wall
 * clock over one more such span: its time never steps, forward or
 * backward, and the rate changes by at most 1/64 (a wall clock stepped
 * by hand is met gradually). The first call, and a call less than 1 ms
 * after the previous one, only take the reference.
 *
 * @return the number of senders told (0 on a first call), or -EIO if
 *   the wall clock cannot be read.
 */
int emit_clock_resync(void);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_CLOCK_H */
