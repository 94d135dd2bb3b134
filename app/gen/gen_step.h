/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_STEP_H
#define GEN_STEP_H

/*
 * The generation loop of emit-gen's senders: the pipeline calls
 * gen_step() again and again on each sender's lcore. A step claims a
 * burst (the sender's token bucket paces it), fills the payloads with the
 * pattern, and commits; claims the HOLD policy could not commit stay open
 * and are committed first on the next step, so the counter in the payload
 * always equals the event's seq. A rate-limited sender that finds no
 * token sleeps until about a burst's worth is due (when that is 20 us or
 * more) instead of spinning, after pushing its partial batch. When the sender's limit is reached (time,
 * count, or the stop flag), it drains: commits what it claimed, pushes its
 * last batch and returns 1 once the ring has taken it, while the TX stages
 * still run — nothing is dropped at the end.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <emit.h>

#include "gen_opts.h"
#include "gen_pcap.h"

/* Why a sender stopped generating. */
enum gen_stop {
	GEN_STOP_NONE,
	GEN_STOP_DURATION,
	GEN_STOP_COUNT,
	GEN_STOP_SIGNAL,
	GEN_STOP_REPLAY,   /* --replay: every loop of the capture sent */
};

/* State of one sender; written by its lcore only, read by the main lcore
 * after the sender's lcore has been waited for. */
struct gen_worker {
	uint64_t counter;       /* events claimed and filled so far */
	/* Rate-limited: first claim at this TSC (see gen_layout.h); set
	 * before the lcore starts, 0 once passed or without a rate. */
	uint64_t not_before_tsc;
	uint64_t end_tsc;       /* when generation stopped */
	unsigned int open;      /* claimed, filled, not committed yet */
	enum gen_stop stop;     /* GEN_STOP_NONE while generating */
	/* --replay: the next frame of the capture, the loop it is in, and
	 * (--replay-timing) the TSC at which frame 0 of loop 0 went out,
	 * 0 before it. */
	uint32_t replay_idx;
	uint64_t replay_loop;
	uint64_t replay_base_tsc;
} __rte_cache_aligned;

struct gen_ctx {
	uint64_t count;         /* events per sender; UINT64_MAX: no limit */
	uint64_t deadline_tsc;  /* stop generating at this TSC; 0: never */
	uint16_t len;           /* payload bytes (0 with a size mix) */
	struct emit_frame_conf frame; /* the senders' frames */
	uint16_t type;
	uint16_t burst;
	/* Bits a mean frame takes on the wire: a bit rate's events/s. */
	uint64_t wire_bits;
	enum gen_pattern pattern;
	/* --replay: the capture (read-only while the senders run); frames
	 * per sender until done (nb * loops; UINT64_MAX: --loop 0); with
	 * --replay-timing, TSC ticks per ns of capture time (else 0). */
	const struct gen_pcap *replay;
	uint64_t replay_end;
	double replay_tsc_per_ns;
	/* Set by the main lcore (signal): stop generating and drain. Read
	 * with relaxed loads: it only has to be seen eventually. */
	bool stop;
	struct gen_worker w[EMIT_PIPELINE_MAX];
};

/* Fill @p c from the options; deadline_tsc is left 0 (set at start).
 * With --replay, @p replay is the capture (else NULL). */
void gen_ctx_init(struct gen_ctx *c, const struct gen_opts *o,
		const struct gen_pcap *replay);

/* emit_pipeline_step_fn: 0 to be called again, 1 when drained, or a
 * negative errno on an error the CLI does not expect (-EPIPE before the
 * stop, -EINVAL, -EMSGSIZE). */
int gen_step(struct emit_sender *s, unsigned int idx, void *arg);

/* The step of --replay: the capture's frames in order, a raw claim each
 * (emit_claim_raw), paced by the sender's rate or, with --replay-timing,
 * by the capture's timestamps; loop after loop until replay_end, the
 * count, the deadline or the stop flag; then drains as gen_step. Same
 * results as gen_step. */
int gen_replay_step(struct emit_sender *s, unsigned int idx, void *arg);

/* Write the pattern into @p n payloads of @p len bytes (8-byte aligned);
 * with GEN_PATTERN_COUNTER event i gets the value *counter + i. Adds
 * @p n to *counter. */
void gen_fill(void *const *data, unsigned int n, uint16_t len,
		enum gen_pattern pattern, uint64_t *counter);

#endif /* GEN_STEP_H */
