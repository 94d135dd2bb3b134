/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_HIST_H
#define EMIT_HIST_H

/**
 * @file
 * Fixed-size log-linear histograms of tick counts (latencies).
 *
 * Values below 2^EMIT_HIST_SUB_BITS each have their own bucket; above, every
 * power of two [2^e, 2^(e+1)) is split into 2^EMIT_HIST_SUB_BITS buckets of
 * equal width, so a bucket is at most 1/32 of its values wide (3.2 %);
 * EMIT_HIST_NB_BUCKETS buckets cover every uint64_t value. Recording is a
 * few instructions, no
 * allocation, no lock: one thread (the owner) records; any thread reads
 * with relaxed loads. A reader that wants "since the last reset" keeps a
 * baseline (struct emit_hist_base) on its side; the owner never sees it.
 *
 * The histogram is not an atomic cut while the owner records: a summary
 * taken then mixes values a few samples apart. Percentiles are computed
 * from the bucket counts alone, so they are always self-consistent.
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "emit_ctr_pvt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** log2 of the buckets per power of two. */
#define EMIT_HIST_SUB_BITS 5
/** Number of buckets: 2^SUB below 2^SUB, then 2^SUB per power of two. */
#define EMIT_HIST_NB_BUCKETS \
	((64 - EMIT_HIST_SUB_BITS + 1) << EMIT_HIST_SUB_BITS)

/** A histogram. Written by one thread; initialise with emit_hist_init. */
struct emit_hist {
	uint64_t count;    /**< samples recorded */
	uint64_t sum;      /**< sum of the samples (wraps modulo 2^64) */
	uint64_t min;      /**< smallest sample; UINT64_MAX while empty */
	uint64_t max;      /**< largest sample; 0 while empty */
	uint64_t buckets[EMIT_HIST_NB_BUCKETS]; /**< samples per bucket */
};

/** Reader-side baseline: the histogram's state at the last reset. */
struct emit_hist_base {
	uint64_t count;
	uint64_t sum;
	uint64_t buckets[EMIT_HIST_NB_BUCKETS];
};

/** Summary of a histogram, in the unit of its samples. */
struct emit_hist_summary {
	uint64_t samples; /**< number of samples */
	uint64_t min;     /**< smallest sample (0 if none) */
	uint64_t max;     /**< largest sample (0 if none) */
	uint64_t mean;    /**< sum / samples, rounded down */
	uint64_t p50;     /**< median */
	uint64_t p90;     /**< 90th percentile */
	uint64_t p99;     /**< 99th percentile */
	uint64_t p999;    /**< 99.9th percentile */
};

/**
 * Bucket of value @p v. Any thread.
 *
 * @return the bucket index, 0..EMIT_HIST_NB_BUCKETS - 1.
 */
static __rte_always_inline unsigned int
emit_hist_index(uint64_t v)
{
	/* Without a branch: the bit or-ed in makes shift 0 below
	 * 2^(SUB+1), where v >> shift is v, its own bucket (the first
	 * power of two's group starts at 2^SUB, as the formula below would
	 * place it). Above, shift is the top bit's position minus SUB:
	 * v >> shift is in [2^SUB, 2^(SUB+1)), its high bit adds one group
	 * and its low bits are the sub-bucket. */
	unsigned int shift = 63u - EMIT_HIST_SUB_BITS -
		(unsigned int)__builtin_clzll(v | (1ull << EMIT_HIST_SUB_BITS));

	return (shift << EMIT_HIST_SUB_BITS) + (unsigned int)(v >> shift);
}

/**
 * Record one sample. Owner only (the single writer of @p h); other threads
 * may read concurrently.
 *
 * @param h  the histogram.
 * @param v  the sample, in ticks or any unit the reader knows.
 */
static __rte_always_inline void
emit_hist_record(struct emit_hist *h, uint64_t v)
{
	/* Single writer: adds that readers never see torn
	 * (emit_ctr_pvt.h). */
	emit__ctr_add(&h->buckets[emit_hist_index(v)], 1);
	emit__ctr_add(&h->count, 1);
	emit__ctr_add(&h->sum, v);
	if (unlikely(v < h->min))
		__atomic_store_n(&h->min, v, __ATOMIC_RELAXED);
	if (unlikely(v > h->max))
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
}

/**
 * Empty @p h (min UINT64_MAX, the rest 0). Call before the owner starts
 * recording, never concurrently with it. NULL is ignored.
 */
void emit_hist_init(struct emit_hist *h);

/**
 * Smallest value of bucket @p idx. Any thread.
 *
 * @return the bound, or UINT64_MAX if @p idx >= EMIT_HIST_NB_BUCKETS.
 */
uint64_t emit_hist_bucket_low(unsigned int idx);

/**
 * Largest value of bucket @p idx (UINT64_MAX for the last bucket). Any
 * thread.
 *
 * @return the bound, or UINT64_MAX if @p idx >= EMIT_HIST_NB_BUCKETS.
 */
uint64_t emit_hist_bucket_high(unsigned int idx);

/**
 * Take the current state of @p h as baseline: what emit_hist_summarize
 * reports against @p base then starts from zero. Any thread; @p base
 * belongs to the caller, who serialises its own access to it.
 *
 * @return 0, or -EINVAL if an argument is NULL.
 */
int emit_hist_base_take(const struct emit_hist *h, struct emit_hist_base *base);

/**
 * Value at quantile @p q_ppm (parts per million: 500000 = median, 999000 =
 * 99.9th percentile) of the samples recorded since @p base (NULL: since
 * init): the upper bound of the bucket holding the sample of rank
 * ceil(n * q_ppm / 10^6), clamped to the recorded minimum and maximum. The
 * true quantile q satisfies q <= result <= q + q/32 (exact below 64). Any
 * thread.
 *
 * @param[out] value  the quantile; 0 when there is no sample.
 * @return 0, or -EINVAL if @p h or @p value is NULL or @p q_ppm is 0 or
 *   above 1000000.
 */
int emit_hist_quantile(const struct emit_hist *h,
		const struct emit_hist_base *base, uint32_t q_ppm,
		uint64_t *value);

/**
 * Summary of the samples recorded since @p base (NULL: since init). With a
 * baseline, min and max are the bounds of the lowest and highest bucket
 * used since it (clamped to the whole run's exact min and max), as the
 * exact values since a reset are not kept. samples and mean come from the
 * count and sum fields, the rest from the buckets; while the owner
 * records, the two may be a sample apart (percentiles stay 0 until a
 * sample reaches the buckets read). Any thread.
 *
 * @param[out] out  the summary, all 0 when there is no sample.
 * @return 0, or -EINVAL if @p h or @p out is NULL.
 */
int emit_hist_summarize(const struct emit_hist *h,
		const struct emit_hist_base *base, struct emit_hist_summary *out);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_HIST_H */
