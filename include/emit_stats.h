/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_STATS_H
#define EMIT_STATS_H

/**
 * @file
 * Counter snapshots of a sender and of a TX stage.
 *
 * Every field is a uint64_t written only by the owning lcore and read by
 * other threads with relaxed atomic loads, so a snapshot taken while
 * traffic runs is free of torn values but not an atomic cut across fields.
 * At a quiescent point (owner stopped) the conservation sums hold exactly:
 *
 *   events_committed = events_enqueued + events_dropped + events_pending
 *   events_dropped   = sum of dropped_* fields (emit_sender_stats_dropped)
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef EMIT_METRICS
/**
 * 1 (the default): senders and TX stages keep the counters below and
 * their latency histograms. A measurement-only switch: built with
 * -DEMIT_METRICS=0 (meson -Dmetrics=false; the library and every program
 * that includes these headers must agree), they are compiled out, to
 * measure what they cost. The counters then stay 0, except the TX
 * stage's dequeued, which emit-gen reads to tell an idle TX stage; the
 * histograms stay empty, and emit_tx_conf.latency samples nothing.
 * Whatever is derived from the counters says nothing in such a build:
 * xstats, telemetry, emit_sender_rate_achieved (0), the conservation
 * flags of emit_pipeline_totals, emit_totals_get and
 * emit_conservation_check. What the library does is the same in both
 * builds (emit_sender_pending counts the batch instead).
 */
#define EMIT_METRICS 1
#endif

/** Counters of one sender. */
struct emit_sender_stats {
	uint64_t events_claimed;      /**< events handed out by claim */
	uint64_t events_committed;    /**< events committed (stamped) */
	uint64_t events_aborted;      /**< claims given back by abort */
	uint64_t events_enqueued;     /**< events the ring took */
	uint64_t bytes_enqueued;      /**< frame bytes the ring took */
	uint64_t bursts_enqueued;     /**< enqueue calls that took >= 1 event */
	uint64_t flush_full;          /**< flushes because the batch was full */
	uint64_t flush_linger;        /**< flushes because linger expired */
	uint64_t flush_explicit;      /**< flushes by emit_flush / emit_poll */
	uint64_t flush_close;         /**< flushes by close / free */
	uint64_t dropped_ring_full;   /**< DROP policy: refused by the ring */
	uint64_t dropped_spin_timeout;/**< SPIN policy: still refused at the bound */
	uint64_t dropped_closed;      /**< TX side closed, or refused at close */
	uint64_t err_inval;           /**< -EINVAL returns (misuse, bad args) */
	uint64_t err_msgsize;         /**< -EMSGSIZE returns */
	uint64_t err_nomem;           /**< -ENOMEM returns (mempool empty) */
	uint64_t err_nobufs_held;     /**< -ENOBUFS: HOLD policy keeps events */
	uint64_t err_nobufs_congested;/**< -ENOBUFS: early backpressure */
	uint64_t err_again_rate;      /**< -EAGAIN: rate limit */
	uint64_t err_again_paused;    /**< -EAGAIN: paused */
	uint64_t err_pipe;            /**< -EPIPE: sender or TX side closed */
	uint64_t backpressure_episodes; /**< enqueues the ring refused in part */
	uint64_t backpressure_refused;  /**< events refused by those enqueues */
	uint64_t hold_retries;        /**< re-enqueue attempts of held events */
	uint64_t spin_retries;        /**< re-enqueue attempts while spinning */
	uint64_t congestion_entries;  /**< crossings of the high watermark */
	/** Time spent congested, including the current spell when read
	 * (emit_sender_stats_get reads the clock for it). */
	uint64_t congested_ns;
	uint64_t ring_max_used;       /**< highest ring occupancy seen */
	/** Sum of |gap(n) - gap(n-1)| in ns, gap(n) being the time between
	 * the n-th enqueue that took events and the one before; the mean
	 * jitter is gap_jitter_ns_sum / gap_count. */
	uint64_t gap_jitter_ns_sum;
	uint64_t gap_count;           /**< gaps compared in gap_jitter_ns_sum */
};

/** Number of uint64_t counters in struct emit_sender_stats. */
#define EMIT_SENDER_NB_STATS (sizeof(struct emit_sender_stats) / sizeof(uint64_t))

/** Counters of one TX stage. */
struct emit_tx_stats {
	uint64_t polls;               /**< emit_tx_poll rounds */
	uint64_t idle_polls;          /**< rounds that found no event */
	uint64_t dequeued;            /**< events taken from the rings */
	uint64_t tx_sent;             /**< events the port accepted */
	uint64_t tx_bytes;            /**< frame bytes the port accepted */
	uint64_t tx_bursts;           /**< ring bursts (with retries) that sent >= 1 */
	uint64_t tx_retries;          /**< tx_burst calls retrying a remainder */
	/** DROP TX policy: refused by the port for drop_us, freed */
	uint64_t tx_dropped_retry_exhausted;
	/** held or in rings when a close gave up or at free, freed */
	uint64_t tx_dropped_closed;
	/** Time with a refused tail held (the port blocked), including the
	 * current spell when read. */
	uint64_t port_blocked_ns;
	uint64_t port_blocked_episodes; /**< spells with a tail held */
};

/** Number of uint64_t counters in struct emit_tx_stats. */
#define EMIT_TX_NB_STATS (sizeof(struct emit_tx_stats) / sizeof(uint64_t))

/**
 * Events a sender dropped, all reasons together: dropped_ring_full +
 * dropped_spin_timeout + dropped_closed. The one definition of the sum
 * that the conservation checks, reports and telemetry use. Any thread.
 *
 * @return the sum, or 0 if @p st is NULL.
 */
uint64_t emit_sender_stats_dropped(const struct emit_sender_stats *st);

/**
 * Events a TX stage dropped, all reasons together:
 * tx_dropped_retry_exhausted + tx_dropped_closed. Any thread.
 *
 * @return the sum, or 0 if @p st is NULL.
 */
uint64_t emit_tx_stats_dropped(const struct emit_tx_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_STATS_H */
