/* SPDX-License-Identifier: BSD-3-Clause */
/* Log-linear histograms: bounds, baselines, quantiles, summaries. */
#include <errno.h>
#include <string.h>

#include "emit_hist_pvt.h"

#define SUB (1u << EMIT_HIST_SUB_BITS)
#define PPM 1000000u

void
emit_hist_init(struct emit_hist *h)
{
	if (h == NULL)
		return;
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

uint64_t
emit_hist_bucket_low(unsigned int idx)
{
	unsigned int g;

	if (idx >= EMIT_HIST_NB_BUCKETS)
		return UINT64_MAX;
	if (idx < SUB)
		return idx;
	g = idx >> EMIT_HIST_SUB_BITS;
	return (uint64_t)(SUB + (idx & (SUB - 1))) << (g - 1);
}

uint64_t
emit_hist_bucket_high(unsigned int idx)
{
	if (idx >= EMIT_HIST_NB_BUCKETS)
		return UINT64_MAX;
	if (idx < SUB)
		return idx;
	/* width - 1 first: the top of the last bucket is UINT64_MAX. */
	return emit_hist_bucket_low(idx) +
		((1ull << ((idx >> EMIT_HIST_SUB_BITS) - 1)) - 1);
}

int
emit_hist_base_take(const struct emit_hist *h, struct emit_hist_base *base)
{
	unsigned int i;

	if (h == NULL || base == NULL)
		return -EINVAL;
	base->count = __atomic_load_n(&h->count, __ATOMIC_RELAXED);
	base->sum = __atomic_load_n(&h->sum, __ATOMIC_RELAXED);
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		base->buckets[i] = __atomic_load_n(&h->buckets[i],
				__ATOMIC_RELAXED);
	return 0;
}

/* Bucket counts since @p base, into @p d; returns their total. */
static uint64_t
hist_delta(const struct emit_hist *h, const struct emit_hist_base *base,
		uint64_t *d)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++) {
		d[i] = __atomic_load_n(&h->buckets[i], __ATOMIC_RELAXED);
		if (base != NULL)
			d[i] -= base->buckets[i];
		total += d[i];
	}
	return total;
}

/* Rank (1-based) of quantile @p q_ppm among @p total samples. */
static uint64_t
rank_of(uint64_t total, uint32_t q_ppm)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t r = (uint64_t)(((u128)total * q_ppm + PPM - 1) / PPM);

	return r == 0 ? 1 : r;
}

static uint64_t
clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Values at the quantiles @p q (ascending) of the counts @p d. */
static void
quantiles(const uint64_t *d, uint64_t total, const uint32_t *q,
		uint64_t *out, unsigned int nq, uint64_t lo, uint64_t hi)
{
	uint64_t cum = 0;
	unsigned int i, k = 0;

	for (i = 0; i < EMIT_HIST_NB_BUCKETS && k < nq; i++) {
		cum += d[i];
		while (k < nq && cum >= rank_of(total, q[k]))
			out[k++] = clamp(emit_hist_bucket_high(i), lo, hi);
	}
	while (k < nq)
		out[k++] = hi;
}

int
emit_hist_quantile(const struct emit_hist *h,
		const struct emit_hist_base *base, uint32_t q_ppm,
		uint64_t *value)
{
	uint64_t d[EMIT_HIST_NB_BUCKETS], total;

	if (h == NULL || value == NULL || q_ppm == 0 || q_ppm > PPM)
		return -EINVAL;
	total = hist_delta(h, base, d);
	*value = 0;
	if (total != 0) {
		uint64_t lo = __atomic_load_n(&h->min, __ATOMIC_RELAXED);
		uint64_t hi = __atomic_load_n(&h->max, __ATOMIC_RELAXED);

		if (lo > hi) {
			lo = 0;
			hi = UINT64_MAX;
		}
		quantiles(d, total, &q_ppm, value, 1, lo, hi);
	}
	return 0;
}

int
emit_hist_summarize(const struct emit_hist *h,
		const struct emit_hist_base *base, struct emit_hist_summary *out)
{
	static const uint32_t q[4] = { 500000, 900000, 990000, 999000 };
	uint64_t d[EMIT_HIST_NB_BUCKETS], p[4], total, count, sum, lo, hi;
	int raced;
	unsigned int i;

	if (h == NULL || out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	count = __atomic_load_n(&h->count, __ATOMIC_RELAXED);
	sum = __atomic_load_n(&h->sum, __ATOMIC_RELAXED);
	total = hist_delta(h, base, d);
	/* While the owner records, min and max may lag the buckets by a few
	 * samples; they only bound the reported values. */
	lo = __atomic_load_n(&h->min, __ATOMIC_RELAXED);
	hi = __atomic_load_n(&h->max, __ATOMIC_RELAXED);
	/* Read while the first samples land: min and max not both set yet.
	 * Bound by the buckets read instead (below). */
	raced = lo > hi;
	if (base != NULL) {
		count -= base->count;
		sum -= base->sum;
	}
	if (count == 0)
		return 0;
	/* The sample count comes from the count field alone, so that
	 * successive baselines partition it exactly. While the owner
	 * records, the buckets read may trail it by a sample or two. */
	out->samples = count;
	out->mean = sum / count;
	if (total == 0)
		return 0;
	if (base != NULL || raced) {
		uint64_t blo = 0, bhi = 0;

		for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
			if (d[i] != 0) {
				blo = emit_hist_bucket_low(i);
				break;
			}
		for (i = EMIT_HIST_NB_BUCKETS; i-- > 0;)
			if (d[i] != 0) {
				bhi = emit_hist_bucket_high(i);
				break;
			}
		if (raced) {
			lo = blo;
			hi = bhi;
		} else {
			lo = clamp(blo, lo, hi);
			hi = clamp(bhi, lo, hi);
		}
	}
	quantiles(d, total, q, p, 4, lo, hi);
	out->min = lo;
	out->max = hi;
	out->p50 = p[0];
	out->p90 = p[1];
	out->p99 = p[2];
	out->p999 = p[3];
	return 0;
}

void
emit__hist_accumulate(uint64_t *acc, const uint64_t *buckets)
{
	unsigned int i;

	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		acc[i] += __atomic_load_n(&buckets[i], __ATOMIC_RELAXED);
}

void
emit__hist_summary(const uint64_t *acc, uint64_t min, uint64_t max,
		struct emit_latency *lat)
{
	static const uint32_t q[4] = { 500000, 900000, 990000, 999000 };
	unsigned int i, first = EMIT_HIST_NB_BUCKETS, last = 0;
	uint64_t count = 0, p[4];

	memset(lat, 0, sizeof(*lat));
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++) {
		if (acc[i] == 0)
			continue;
		count += acc[i];
		if (first == EMIT_HIST_NB_BUCKETS)
			first = i;
		last = i;
	}
	if (count == 0)
		return;
	if (min > emit_hist_bucket_high(first) ||
	    min < emit_hist_bucket_low(first))
		min = emit_hist_bucket_low(first);
	if (max > emit_hist_bucket_high(last) ||
	    max < emit_hist_bucket_low(last))
		max = emit_hist_bucket_high(last);
	quantiles(acc, count, q, p, 4, min, max);
	lat->count = count;
	lat->min = min;
	lat->max = max;
	lat->p50 = p[0];
	lat->p90 = p[1];
	lat->p99 = p[2];
	lat->p999 = p[3];
}
