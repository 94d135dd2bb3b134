/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TX_H
#define EMIT_TX_H

/**
 * @file
 * TX stages: drain sender rings onto one ethdev TX queue.
 *
 * A TX stage is used by one lcore at a time (its owner). What the port
 * refuses stays with the stage: each ring has its own TX buffer holding the
 * refused tail of its last burst, offered again on every round, and the
 * stage dequeues nothing more from that ring until the tail has left. So a
 * port slower than the senders fills their rings, and each sender's policy
 * (HOLD, DROP, SPIN, watermarks) applies. The TX policy decides how long a
 * tail may wait: EMIT_TX_POLICY_HOLD (the default) for as long as it takes,
 * EMIT_TX_POLICY_DROP until drop_us have passed since the port first
 * refused it, then it is freed and counted in tx_dropped_retry_exhausted.
 * Time with a tail held is counted in port_blocked_ns and
 * port_blocked_episodes.
 *
 * Stopping drains: emit_tx_run, once told to quit, closes the senders
 * feeding its rings (their claims and flushes then fail with -EPIPE, their
 * batches are dropped at the sender in dropped_closed) and transmits what
 * is in the rings and TX buffers; a port that accepts nothing for close_us
 * ends the drain, and what is left is freed and counted in
 * tx_dropped_closed. The close does not wait for the senders: an idle
 * sender, or one never closed, does not hold it up (see emit_tx_close).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "emit_types.h"
#include "emit_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most rings one TX stage drains. */
#define EMIT_TX_RINGS_MAX 64

struct emit_tx;

/** What a TX stage does with a tail the port refuses. */
enum emit_tx_policy {
	/** Keep it and offer it again every round, for as long as it takes:
	 * nothing is lost at the TX stage. */
	EMIT_TX_POLICY_HOLD = 0,
	/** Keep it and offer it again every round until drop_us have passed
	 * since the port first refused it, then free it, counted in
	 * tx_dropped_retry_exhausted. */
	EMIT_TX_POLICY_DROP = 1,
};

/** Number of enum emit_tx_policy values. */
#define EMIT_TX_NB_POLICIES 2

/**
 * Stable name of a TX policy ("hold", "drop"), as the CLIs and telemetry
 * spell it. Any thread.
 *
 * @return the name, or NULL if @p policy is out of range.
 */
const char *emit_tx_policy_name(enum emit_tx_policy policy);

/**
 * TX policy of name @p name (as emit_tx_policy_name spells it). Any
 * thread.
 *
 * @param[out] policy  receives the policy; untouched on error.
 * @return 0, or -EINVAL if an argument is NULL or @p name is no policy.
 */
int emit_tx_policy_parse(const char *name, enum emit_tx_policy *policy);

/** Largest emit_tx_conf.drop_us and emit_tx_conf.close_us. */
#define EMIT_TX_US_MAX 10000000u

/** Hooks of a TX stage; optional, called on its lcore, must not block. */
struct emit_tx_hooks {
	/** @p n packets are about to be freed for @p reason
	 * (EMIT_DROP_TX_RETRY or EMIT_DROP_TX_CLOSED); read-only. */
	void (*drop)(struct emit_tx *tx, enum emit_drop_reason reason,
			struct rte_mbuf *const *pkts, unsigned int n, void *arg);
	void *arg; /**< passed to every hook */
};

/**
 * Which packets a TX stage samples for its commit-to-TX latency histogram:
 * the time the port accepted a packet (read on the TX lcore right after
 * rte_eth_tx_burst) less its commit tick (stamped by the sender in the
 * frame's headroom, see emit_commit_tick(), with the same clock).
 */
enum emit_tx_latency {
	EMIT_TX_LATENCY_OFF = 0,    /**< no sampling */
	EMIT_TX_LATENCY_BURST = 1,  /**< the first packet of each burst */
	EMIT_TX_LATENCY_PACKET = 2, /**< every packet sent */
};

/**
 * Stable name of a latency sampling mode ("off", "burst", "packet"), as
 * the CLIs and telemetry spell it. Any thread.
 *
 * @return the name, or NULL if @p mode is out of range.
 */
const char *emit_tx_latency_name(enum emit_tx_latency mode);

/**
 * Latency sampling mode of name @p name (as emit_tx_latency_name spells
 * it). Any thread.
 *
 * @param[out] mode  receives the mode; untouched on error.
 * @return 0, or -EINVAL if an argument is NULL or @p name is no mode.
 */
int emit_tx_latency_parse(const char *name, enum emit_tx_latency *mode);

/** Configuration of a TX stage; start from emit_tx_conf_init(). */
struct emit_tx_conf {
	const char *name;                /**< optional */
	uint16_t port_id;                /**< a valid ethdev port */
	uint16_t queue_id;               /**< a set-up TX queue of that port */
	struct rte_ring *rings[EMIT_TX_RINGS_MAX]; /**< rings to drain */
	unsigned int nb_rings;           /**< 1..EMIT_TX_RINGS_MAX */
	uint16_t burst;                  /**< 1..EMIT_BURST_MAX */
	/** Back-to-back re-offers of a refused tail within one round, before
	 * the stage moves on to its next ring (the tail stays held). */
	uint32_t retry_max;
	/** What to do with a tail the port refuses; default HOLD. */
	enum emit_tx_policy policy;
	/** DROP: microseconds a refused tail may wait, from the port's first
	 * refusal, 0..EMIT_TX_US_MAX; 0 frees it at the end of the round
	 * that was refused (after retry_max re-offers). Unused with HOLD. */
	uint32_t drop_us;
	/** Closing (emit_tx_close): microseconds the drain may go on without
	 * the port accepting a packet, 1..EMIT_TX_US_MAX, in real time (the
	 * TSC, even with a clock below); then what is left is freed, counted
	 * in tx_dropped_closed. */
	uint32_t close_us;
	/** NUMA socket (0..RTE_MAX_NUMA_NODES - 1), or SOCKET_ID_ANY: the
	 * port's */
	int socket_id;
	struct emit_tx_hooks hooks;
	/** Commit-to-TX latency sampling. Default: per burst, since per
	 * packet costs measurable TX throughput (scripts/bench-latency.sh:
	 * about 15 % more cycles per packet on a null port, against 1-2 %
	 * per burst). */
	enum emit_tx_latency latency;
	/** Optional tick source instead of the TSC, for the latency: it must
	 * be the clock of the senders feeding the rings (tests drive both
	 * with one clock). With it, clock_hz gives its ticks per second. */
	emit_clock_fn clock;
	void *clock_arg;                 /**< passed to clock */
	uint64_t clock_hz;               /**< ticks per second of clock */
	/** 0: the rings carry mbuf pointers. 1: they are descriptor rings
	 * (struct emit_desc, 16-byte elements) filled by senders with
	 * emit_sender_conf.desc_ring; the stage writes each mbuf's header
	 * from its descriptor. Every ring of a stage is of the one kind. */
	int desc_rings;
	/** 1: the TX queue was set up with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE,
	 * which lets the driver return every mbuf of the queue to one pool
	 * without reading it: the stage then refuses (-EINVAL) rings fed by
	 * senders of different pools (emit_sender_conf.mp), now and for
	 * senders created later on its rings. Every emit sender's mbufs have
	 * refcnt 1. 0: no such check (the default). */
	int fast_free;
	/** With desc_rings: 1 applies each descriptor's offload word
	 * (emit_desc.offload: ol_flags and l2_len/l3_len for the checksum
	 * offloads of senders with emit_sender_conf.tx_offloads, which need
	 * it); 0 (the default) ignores the words, and each mbuf gets
	 * ol_flags 0 and tx_offload 0. A burst is written by one of two
	 * loops, so the stage without it reads no offload word. */
	int desc_offload;
};

/** Fill @p conf with defaults: burst 32, retry_max 64, policy HOLD,
 * drop_us 1000, close_us 100000, no rings, latency sampled per burst with
 * the TSC. Any thread; NULL is ignored. */
void emit_tx_conf_init(struct emit_tx_conf *conf);

/**
 * Create a TX stage. Control path, any thread.
 *
 * @return the stage, or NULL with rte_errno set to:
 *   - EINVAL: a field of @p conf is invalid (a log line names it),
 *     including a ring whose elements are not the kind desc_rings says
 *     (8-byte pointers or 16-byte struct emit_desc), or a single-consumer
 *     ring that a live TX stage drains already, or, with fast_free,
 *     rings fed by live senders of more than one pool;
 *   - ENODEV: conf->port_id is not a valid port;
 *   - ENOSPC: EMIT_TX_MAX stages exist;
 *   - ENOMEM: no memory.
 */
struct emit_tx *emit_tx_create(const struct emit_tx_conf *conf);

/**
 * Whether the stage was told that its queue frees mbufs fast
 * (emit_tx_conf.fast_free; emit_pipeline_create sets it for the queues it
 * configures so). Any thread.
 *
 * @return 1 or 0, or -EINVAL if @p tx is NULL.
 */
int emit_tx_fast_free(const struct emit_tx *tx);

/**
 * Let sender @p s hand its batches straight to TX stage @p tx, which
 * runs on the sender's lcore (run to completion): when the ring is empty,
 * a flush puts the batch on the wire at once, with no ring enqueue and
 * dequeue, and only what the port refuses goes to the ring, where the
 * stage's rounds retry it as usual; events already in the ring always
 * leave first. The sender counts these events as enqueued, the stage as
 * dequeued and sent. @p tx NULL goes back to the ring alone.
 *
 * Control path, on the lcore that owns both, or while neither is in use;
 * from then on @p s and @p tx must be used from one lcore only, and
 * @p tx must outlive @p s or be detached first.
 *
 * @return 0, or
 *   - -EINVAL: @p s is NULL, or @p tx does not drain the sender's ring;
 *   - -EPIPE: @p tx is closed.
 */
int emit_sender_tx_direct(struct emit_sender *s, struct emit_tx *tx);

/**
 * One round: for each ring, offer its held tail again if it has one (and
 * with DROP, free it once drop_us have passed), else dequeue a burst and
 * transmit it; a refused remainder is offered again up to retry_max times,
 * then held. Owner only.
 *
 * @return packets the port accepted in this round (>= 0), or -EINVAL if
 *   @p tx is NULL.
 */
int emit_tx_poll(struct emit_tx *tx);

/**
 * Poll until *@p quit becomes true (read with an acquire atomic load),
 * then close and drain (emit_tx_close). Owner only; made for
 * rte_eal_remote_launch through a small wrapper.
 *
 * @return 0, or -EINVAL if an argument is NULL.
 */
int emit_tx_run(struct emit_tx *tx, const bool *quit);

/**
 * Close the stage: mark the senders feeding its rings closed, then poll
 * until the rings and TX buffers are empty. Owner only, or any thread once
 * the owner has stopped. Calling it again drains again.
 *
 * The handshake: every flush of a sender (full batch, linger, emit_flush,
 * emit_poll, emit_sender_close) reads the closed mark before it enqueues;
 * once it is set, the batch is not enqueued but freed at the sender and
 * counted in dropped_closed, and claims fail with -EPIPE. The close does
 * not wait for the senders: a sender that is idle, or never closed, does
 * not hold it up and does not make it fail. A batch whose enqueue began
 * just before the mark (at most one per sender) may reach a ring after the
 * close returned; it stays there, counted in in_rings, and the next
 * emit_tx_close or emit_tx_free frees it, reported to the drop hook with
 * EMIT_DROP_TX_CLOSED and counted in tx_dropped_closed. The conservation
 * sums hold at every point.
 *
 * The bound: when the port accepts nothing for close_us (real time), the
 * drain ends; what is held in the TX buffers and in the rings is freed,
 * reported to the drop hook with EMIT_DROP_TX_CLOSED and counted in
 * tx_dropped_closed, with a log line. The close never spins longer.
 *
 * @return packets sent while draining (>= 0), or -EINVAL if @p tx is
 *   NULL.
 */
int emit_tx_close(struct emit_tx *tx);

/**
 * Free a stage. A stage not yet closed is closed first (emit_tx_close: its
 * rings are drained onto the port). A closed stage does not touch the port
 * again, which may be stopped by now: whatever is still in its rings
 * (events enqueued after the close) is freed, reported to the drop hook
 * with EMIT_DROP_TX_CLOSED and counted in tx_dropped_closed. Control path,
 * after the owner stopped. NULL is ignored.
 */
void emit_tx_free(struct emit_tx *tx);

/** Snapshot of the counters. Any thread.
 * @return 0, or -EINVAL if an argument is NULL. */
int emit_tx_stats_get(const struct emit_tx *tx, struct emit_tx_stats *stats);

/** Registry id of the stage (used by telemetry), or -EINVAL. Any thread. */
int emit_tx_id(const struct emit_tx *tx);

/** Events currently in the stage's rings, or 0 if @p tx is NULL. Any
 * thread. */
uint64_t emit_tx_in_rings(const struct emit_tx *tx);

/** Events the stage holds in its TX buffers (dequeued, refused by the
 * port, not yet sent or dropped), or 0 if @p tx is NULL. Any thread
 * (relaxed load). */
uint64_t emit_tx_held(const struct emit_tx *tx);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_TX_H */
