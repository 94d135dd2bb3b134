/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TRACK_H
#define EMIT_TRACK_H

/**
 * @file
 * Receive-side tracking: per sender, what arrived, what is missing, what
 * came late or twice, and the one-way latency.
 *
 * A tracker is written by one thread (its owner: the receive loop) and may
 * be read by any thread at the same time. Every counter is written by the
 * owner only, with a relaxed atomic store, and read with relaxed atomic
 * loads: a reading is free of torn values but not an atomic cut across
 * counters. All memory is taken at create time; recording an event
 * allocates nothing and takes no lock.
 *
 * Sequence accounting, per sender. Sequence numbers start at 0 (or, with
 * conf.join, at the first one seen). An event whose seq is above the
 * highest seen so far counts the skipped numbers as lost; an event below
 * it is "reordered" if it fills such a gap (lost goes down by one),
 * "duplicated" if that seq was already received, and "stale" if it is
 * older than the reorder window or than the first tracked seq (neither
 * can be told apart then). With conf.expect_count = N, each sender is
 * expected to end at seq N - 1, and numbers above the highest seen count
 * as lost too ("tail"). So, for each sender:
 *
 *   received = (last_seq + 1 - first tracked seq) - lost_gaps
 *              + duplicated + stale
 *
 * Latency is the receive time given to emit_track_event() minus the
 * event's time_ns, kept in a log-linear histogram (32 sub-buckets per
 * power of two: percentiles within 1/32 of the true value, min and max
 * exact). Negative differences (clocks that disagree) are counted apart.
 */

#include <stdint.h>

#include "emit_decode.h"
#include "emit_hist.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most senders a tracker can follow (the wire id is 16 bits). */
#define EMIT_TRACK_SENDERS_MAX 65536u
/** Largest reorder window, in sequence numbers. */
#define EMIT_TRACK_WINDOW_MAX (1u << 24)
/** Sender argument of emit_track_latency_get() meaning every sender. */
#define EMIT_TRACK_ALL (-1)

struct emit_track;

/** Configuration of a tracker; start from emit_track_conf_init(). */
struct emit_track_conf {
	/** Senders followed, 1..EMIT_TRACK_SENDERS_MAX; events of more
	 * senders are counted in untracked only. */
	uint32_t max_senders;
	/** Reorder window in sequence numbers: a power of two,
	 * 64..EMIT_TRACK_WINDOW_MAX. Costs window / 8 bytes per sender. */
	uint32_t window;
	/** Count each sender from its first seq seen instead of from 0. */
	int join;
	/** Events each sender is expected to send (seq 0..N-1), 0: unknown.
	 * Lets the numbers after the last one received count as lost. */
	uint64_t expect_count;
	int socket_id; /**< NUMA socket of the memory, or SOCKET_ID_ANY */
};

/** How emit_track_event() classified an event. */
enum emit_track_verdict {
	EMIT_TRACK_IN_ORDER = 0, /**< the next seq, or the first one */
	EMIT_TRACK_GAP,          /**< above the next seq: the gap is lost */
	EMIT_TRACK_REORDERED,    /**< fills a gap */
	EMIT_TRACK_DUPLICATE,    /**< seq already received */
	EMIT_TRACK_STALE,        /**< older than the window or the start */
};

/** Counters of a tracker as a whole. */
struct emit_track_totals {
	uint64_t frames;      /**< frames recorded (events + malformed + other) */
	uint64_t events;      /**< well-formed events, tracked or not */
	uint64_t bytes;       /**< frame bytes of those events */
	uint64_t lost;        /**< sum over senders */
	uint64_t reordered;   /**< sum over senders */
	uint64_t duplicated;  /**< sum over senders */
	uint64_t stale;       /**< sum over senders */
	uint64_t malformed;   /**< sum of malformed_by[] */
	uint64_t malformed_by[EMIT_MALFORMED_MAX]; /**< by enum emit_malformed */
	uint64_t other;       /**< frames that are not emit traffic */
	uint64_t untracked;   /**< events of senders beyond max_senders */
	uint64_t senders;     /**< senders followed */
};

/** Counters of one sender. */
struct emit_track_sender_stats {
	uint16_t id;          /**< sender id */
	uint64_t received;    /**< events received, duplicates included */
	uint64_t bytes;       /**< their frame bytes */
	uint64_t first_seq;   /**< first seq received */
	uint64_t last_seq;    /**< highest seq received */
	uint64_t lost;        /**< lost_gaps + lost_tail */
	uint64_t lost_gaps;   /**< numbers skipped and not (yet) filled */
	uint64_t lost_tail;   /**< expect_count - 1 - last_seq, or 0 */
	uint64_t reordered;   /**< late events that filled a gap */
	uint64_t duplicated;  /**< events whose seq was already received */
	uint64_t stale;       /**< events too old to classify */
};

/** Latency summary in nanoseconds (all 0 when count is 0). */
struct emit_latency {
	uint64_t count;    /**< samples in the histogram */
	uint64_t negative; /**< samples below 0, not in the histogram */
	uint64_t min;
	uint64_t p50;
	uint64_t p90;
	uint64_t p99;
	uint64_t p999;     /**< 99.9th percentile */
	uint64_t max;
};

/**
 * Fill @p conf with defaults: 256 senders, window 65536, count from 0, no
 * expected count, any socket. Any thread; NULL is ignored.
 */
void emit_track_conf_init(struct emit_track_conf *conf);

/**
 * Create a tracker. Control path, any thread.
 *
 * @return the tracker, or NULL with rte_errno set to:
 *   - EINVAL: @p conf is NULL or a field is out of range;
 *   - ENOMEM: no memory.
 */
struct emit_track *emit_track_create(const struct emit_track_conf *conf);

/** Free a tracker. Control path, any thread, once no other thread uses it
 * any more. NULL is ignored. */
void emit_track_free(struct emit_track *t);

/**
 * Record a well-formed event received at UNIX time @p rx_ns (ns). Owner
 * only.
 *
 * @return an enum emit_track_verdict (>= 0), or
 *   - -EINVAL: @p t or @p ev is NULL (nothing recorded);
 *   - -ENOSPC: the event's sender would exceed max_senders; counted in
 *     events and untracked only.
 */
int emit_track_event(struct emit_track *t, const struct emit_decoded *ev,
		uint64_t rx_ns);

/**
 * Record a frame emit_decode() refused for @p reason. Owner only.
 *
 * @return 0, or -EINVAL if @p t is NULL or @p reason out of range.
 */
int emit_track_malformed(struct emit_track *t, enum emit_malformed reason);

/**
 * Record a frame that is not emit traffic (another protocol or port).
 * Owner only.
 *
 * @return 0, or -EINVAL if @p t is NULL.
 */
int emit_track_other(struct emit_track *t);

/**
 * Read the totals. Any thread.
 *
 * @return 0, or -EINVAL if an argument is NULL.
 */
int emit_track_totals_get(const struct emit_track *t,
		struct emit_track_totals *tot);

/**
 * List the senders followed, in order of first arrival. Any thread.
 *
 * @param[out] ids  filled with up to @p n sender ids; may be NULL if @p n
 *   is 0.
 * @return the number of senders followed (may exceed @p n), or -EINVAL if
 *   @p t is NULL, or @p ids is NULL with @p n > 0.
 */
int emit_track_senders(const struct emit_track *t, uint16_t *ids,
		unsigned int n);

/**
 * Read the counters of sender @p id. Any thread.
 *
 * @return 0, -ENOENT if no event of @p id was tracked, or -EINVAL if an
 *   argument is NULL.
 */
int emit_track_sender_get(const struct emit_track *t, uint16_t id,
		struct emit_track_sender_stats *st);

/**
 * Summarise the latency of sender @p id, or of all followed senders with
 * EMIT_TRACK_ALL. Any thread.
 *
 * @return 0, -ENOENT if @p id is not followed, or -EINVAL if an argument
 *   is NULL or @p id is neither a sender id nor EMIT_TRACK_ALL.
 */
int emit_track_latency_get(const struct emit_track *t, int id,
		struct emit_latency *lat);

/**
 * Copy the latency histogram of sender @p id, or of all followed senders
 * merged bucket by bucket with EMIT_TRACK_ALL, into @p h, in ns: the
 * buckets of emit_hist.h (emit_hist_bucket_low() and
 * emit_hist_bucket_high() give their bounds), their count, the sum, min
 * and max of the samples. Negative differences are not in it (see
 * emit_track_latency_get()). A copy taken earlier serves as the baseline
 * of a period: emit_hist_base_take() on it, then emit_hist_summarize()
 * of a later copy against that baseline. Any thread; read while the
 * owner records, the count is that of the buckets read and min, max and
 * sum may lag them by a sample.
 *
 * @param[out] h  the histogram; its previous content is overwritten.
 * @return 0, -ENOENT if @p id is not followed, or -EINVAL if an argument
 *   is NULL or @p id is neither a sender id nor EMIT_TRACK_ALL.
 */
int emit_track_latency_hist_get(const struct emit_track *t, int id,
		struct emit_hist *h);

/**
 * @name Merged reads
 *
 * A receiver that reads several queues on several lcores gives each its
 * own tracker (one writer each) and reads them merged with these
 * functions: the same figures as one tracker that had recorded every
 * event, sender by sender. Any thread; while the owners record, a
 * reading is not an atomic cut (as for one tracker), and exact once they
 * are quiescent. The trackers must count alike (the same join and
 * expect_count); each counts a sender from its own first seq with join.
 *
 * Per sender, received, bytes, duplicated, stale and reordered add up;
 * first_seq is the lowest, last_seq the highest; lost is what the merged
 * span misses: (last_seq + 1 - first tracked seq) less the distinct seqs
 * every tracker received (its received - duplicated - stale), plus the
 * tail with expect_count. This is exact when each event reaches one
 * tracker, as RSS and a kernel fanout by flow hash do (a copy of a frame
 * hashes as the frame); seqs beyond the span that the trackers received
 * (copies that reached two trackers) count as duplicated. "reordered"
 * counts the events that arrived after a higher seq of their sender on
 * the same tracker: the order between two queues is not observable.
 * With one tracker (n = 1) each function is its single-tracker form.
 * @{
 */

/**
 * Totals over @p n trackers (emit_track_totals_get() merged).
 *
 * @return 0, or -EINVAL if @p t or @p tot is NULL, @p n is 0, a tracker
 *   is NULL or they do not count alike.
 */
int emit_track_merge_totals_get(const struct emit_track *const *t,
		unsigned int n, struct emit_track_totals *tot);

/**
 * The senders of @p n trackers, each once: those of t[0] in order of
 * first arrival, then those of t[1] not listed yet, and so on.
 *
 * @param[out] ids  filled with up to @p cap ids; may be NULL if @p cap
 *   is 0.
 * @return the number of distinct senders (may exceed @p cap), or -EINVAL
 *   as emit_track_merge_totals_get(), or if @p ids is NULL with @p cap >
 *   0.
 */
int emit_track_merge_senders(const struct emit_track *const *t,
		unsigned int n, uint16_t *ids, unsigned int cap);

/**
 * Sender @p id over @p n trackers (emit_track_sender_get() merged).
 *
 * @return 0, -ENOENT if no tracker followed @p id, or -EINVAL as
 *   emit_track_merge_totals_get(), or if @p st is NULL.
 */
int emit_track_merge_sender_get(const struct emit_track *const *t,
		unsigned int n, uint16_t id, struct emit_track_sender_stats *st);

/**
 * Latency of sender @p id, or of all senders with EMIT_TRACK_ALL, over
 * @p n trackers, the histograms merged bucket by bucket
 * (emit_track_latency_get() merged).
 *
 * @return 0, -ENOENT if no tracker follows @p id, or -EINVAL as
 *   emit_track_merge_totals_get(), or if @p lat is NULL or @p id is
 *   neither a sender id nor EMIT_TRACK_ALL.
 */
int emit_track_merge_latency_get(const struct emit_track *const *t,
		unsigned int n, int id, struct emit_latency *lat);

/**
 * Latency histogram of sender @p id, or of all senders with
 * EMIT_TRACK_ALL, over @p n trackers (emit_track_latency_hist_get()
 * merged).
 *
 * @return 0, -ENOENT if no tracker follows @p id, or -EINVAL as
 *   emit_track_merge_latency_get(), or if @p h is NULL.
 */
int emit_track_merge_latency_hist_get(const struct emit_track *const *t,
		unsigned int n, int id, struct emit_hist *h);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* EMIT_TRACK_H */
