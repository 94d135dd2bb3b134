/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_XSTATS_H
#define EMIT_XSTATS_H

/**
 * @file
 * Extended statistics of senders and TX stages, shaped like
 * rte_eth_xstats_* and rte_event_dev_xstats_*, and a global view.
 *
 * Each object has a fixed list of xstats; an xstat's id is its index in
 * the list that *_xstats_names_get returns (ids are the same for every
 * object of a kind). Three kinds of entries:
 *
 *  - counters (every field of struct emit_sender_stats or struct
 *    emit_tx_stats, same name): the value since the last reset;
 *  - gauges (current state: events_pending, congested, paused, rate_target,
 *    in_rings, ...), and ring_max_used (highest occupancy since start):
 *    never reset;
 *  - latency summaries, in ns (samples, min, max, mean, p50, p90, p99,
 *    p99.9): "batch_wait_*" (sender: commit of the oldest event of a batch
 *    to its enqueue) and "latency_*" (TX stage: commit to acceptance by the
 *    port), once over the whole run and once as "*_since_reset_*".
 *
 * Reset never touches what the data path writes: the reader side keeps a
 * baseline per counter and per histogram bucket, and reports the value
 * less the baseline. The owner lcore runs on, unaware, without a lock;
 * readers of one object serialise on a reader-side lock that the owner
 * never takes. Nothing is lost or counted twice: emit_*_xstats_get_reset
 * returns exactly what it clears, so successive calls partition the counts.
 *
 * Values read while the owner runs are each exact, but not an atomic cut
 * across entries.
 */

#include <stdint.h>

#include "emit_hist.h"
#include "emit_sender.h"
#include "emit_tx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an xstat name, terminating NUL included. */
#define EMIT_XSTATS_NAME_SIZE 64

/** Name of one xstat. */
struct emit_xstats_name {
	char name[EMIT_XSTATS_NAME_SIZE]; /**< NUL-terminated */
};

/**
 * Names of the sender xstats; the id of names[i] is i. Any thread.
 *
 * @param s  a sender.
 * @param[out] names  receives the names; NULL to ask for the count.
 * @param size  entries in @p names.
 * @return the number of xstats; when @p names is NULL or @p size is less
 *   than that, nothing is written. -EINVAL if @p s is NULL.
 */
int emit_sender_xstats_names_get(const struct emit_sender *s,
		struct emit_xstats_name *names, unsigned int size);

/**
 * Values of sender xstats by id. Any thread; readers of one sender
 * serialise on its reader-side lock (never taken by the owner).
 *
 * @param s  a sender.
 * @param ids  the ids wanted; NULL for all, in id order.
 * @param[out] values  values[i] receives the value of ids[i].
 * @param n  entries in @p ids and @p values.
 * @return the number of values written (@p n; with @p ids NULL, the
 *   count of xstats, and nothing is written if @p n is less than that);
 *   -EINVAL if @p s or @p values is NULL or an id is unknown (then nothing
 *   is written).
 */
int emit_sender_xstats_get(struct emit_sender *s, const uint64_t *ids,
		uint64_t *values, unsigned int n);

/**
 * One sender xstat by name. Any thread.
 *
 * @param[out] id  receives its id; may be NULL.
 * @param[out] value  receives its value; may be NULL.
 * @return 0; -EINVAL if @p s or @p name is NULL; -ENOENT if no xstat has
 *   that name.
 */
int emit_sender_xstats_get_by_name(struct emit_sender *s, const char *name,
		uint64_t *id, uint64_t *value);

/**
 * Reset sender xstats: counters and the "*_since_reset_*" summaries start
 * from zero (any since-reset id resets that whole histogram); ids of gauges
 * and whole-run entries are accepted and left alone. Any thread, while the
 * owner runs.
 *
 * @param ids  ids to reset; NULL for all.
 * @param n  entries in @p ids (ignored when NULL).
 * @return 0; -EINVAL if @p s is NULL or an id is unknown (then nothing is
 *   reset).
 */
int emit_sender_xstats_reset(struct emit_sender *s, const uint64_t *ids,
		unsigned int n);

/**
 * Get and reset in one step: each counter's value is read once, returned,
 * and becomes the new baseline, so the values returned by successive calls
 * add up exactly to the counter's growth. Any thread.
 *
 * @return as emit_sender_xstats_get.
 */
int emit_sender_xstats_get_reset(struct emit_sender *s, const uint64_t *ids,
		uint64_t *values, unsigned int n);

/** Names of the TX stage xstats; as emit_sender_xstats_names_get. */
int emit_tx_xstats_names_get(const struct emit_tx *tx,
		struct emit_xstats_name *names, unsigned int size);

/** Values of TX stage xstats by id; as emit_sender_xstats_get. */
int emit_tx_xstats_get(struct emit_tx *tx, const uint64_t *ids,
		uint64_t *values, unsigned int n);

/** One TX stage xstat by name; as emit_sender_xstats_get_by_name. */
int emit_tx_xstats_get_by_name(struct emit_tx *tx, const char *name,
		uint64_t *id, uint64_t *value);

/** Reset TX stage xstats; as emit_sender_xstats_reset. */
int emit_tx_xstats_reset(struct emit_tx *tx, const uint64_t *ids,
		unsigned int n);

/** Get and reset TX stage xstats; as emit_sender_xstats_get_reset. */
int emit_tx_xstats_get_reset(struct emit_tx *tx, const uint64_t *ids,
		uint64_t *values, unsigned int n);

/**
 * Copy of a TX stage's commit-to-TX latency histogram over the whole run
 * (xstats resets do not touch it), in ticks of the stage's clock, so that
 * the histograms of several stages can be merged bucket by bucket (add
 * count, sum and buckets; take the least min and the largest max) and
 * summarised with emit_hist_summarize. Sampling follows
 * emit_tx_conf.latency (per burst by default). Each field is copied with
 * a relaxed load: while the owner records, the copy is not an atomic cut
 * (its fields may be a few samples apart); once the owner has stopped, it
 * is exact. Any thread.
 *
 * @param tx  a TX stage.
 * @param[out] h  receives the histogram (its previous content is lost).
 * @param[out] hz  receives the ticks per second of the stage's clock (the
 *   TSC's, or emit_tx_conf.clock_hz); may be NULL.
 * @return 0, or -EINVAL if @p tx or @p h is NULL (nothing is written).
 */
int emit_tx_latency_hist_get(const struct emit_tx *tx, struct emit_hist *h,
		uint64_t *hz);

/**
 * Copy of a sender's batch-wait histogram over the whole run (ticks from
 * the commit of the oldest event of a batch to its enqueue, one sample per
 * enqueue), in ticks of the sender's clock; as emit_tx_latency_hist_get.
 * Any thread.
 *
 * @param s  a sender.
 * @param[out] h  receives the histogram (its previous content is lost).
 * @param[out] hz  receives the ticks per second of the sender's clock (the
 *   TSC's, or emit_sender_conf.clock_hz); may be NULL.
 * @return 0, or -EINVAL if @p s or @p h is NULL (nothing is written).
 */
int emit_sender_batch_wait_hist_get(const struct emit_sender *s,
		struct emit_hist *h, uint64_t *hz);

/**
 * Totals across every sender and TX stage of the process (whole-run
 * counters, not affected by xstats resets). The counters of freed TX
 * stages, and of freed senders whose ring an emit TX stage drained, stay
 * in the sums (a sender freed while its TX stage lives keeps the
 * conservation sums true); a sender whose ring only the application
 * drained leaves them when freed. nb_senders, nb_tx and in_rings are of
 * the live objects.
 */
struct emit_totals {
	uint32_t nb_senders;       /**< live senders */
	uint32_t nb_tx;            /**< live TX stages */
	uint64_t events_committed; /**< sum of events_committed */
	uint64_t events_enqueued;  /**< sum of events_enqueued */
	uint64_t bytes_enqueued;   /**< sum of bytes_enqueued */
	/** sum of dropped_ring_full + dropped_spin_timeout + dropped_closed */
	uint64_t events_dropped;
	/** sum over senders of committed - enqueued - dropped */
	uint64_t events_pending;
	uint64_t tx_sent;          /**< sum of tx_sent */
	uint64_t tx_bytes;         /**< sum of tx_bytes */
	/** sum of tx_dropped_retry_exhausted + tx_dropped_closed */
	uint64_t tx_dropped;
	/** events in the rings of live senders and TX stages (each ring
	 * counted once) */
	uint64_t in_rings;
	/** events the live TX stages hold, refused by their ports
	 * (emit_tx_held) */
	uint64_t tx_held;
	/** 1 if events_committed = events_enqueued + events_dropped +
	 * events_pending with every sender's pending within 0..its burst
	 * (a sender holds at most one batch), else 0 */
	int sender_ok;
	/** 1 if events_enqueued = tx_sent + tx_dropped + in_rings + tx_held,
	 * else 0 */
	int tx_ok;
};

/**
 * Fill @p t from the live senders and TX stages and the counters of the
 * freed ones. Control path, any thread
 * (takes the registry lock, never taken by the data path).
 *
 * @return 0, or -EINVAL if @p t is NULL.
 */
int emit_totals_get(struct emit_totals *t);

/**
 * Check the conservation sums (see struct emit_totals) and return the
 * figures in @p t. The sums are exact when every owner is quiescent
 * (stopped, or between calls); while traffic runs, the figures are read one
 * after another and may differ by the events in flight. Control path, any
 * thread.
 *
 * @param[out] t  the figures; may be NULL.
 * @return 1 if both sums hold, 0 if one does not.
 */
int emit_conservation_check(struct emit_totals *t);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_XSTATS_H */
