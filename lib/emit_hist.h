/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_HIST_H
#define EMIT_HIST_H

/* Log-linear histogram of uint64_t values: values below 32 have a bucket
 * each; above, each power of two is split into 32 buckets, so a bucket's
 * width is at most 1/32 of its lower bound. 1920 buckets cover 0..2^64-1.
 * Buckets are single-writer counters (relaxed stores); readers use relaxed
 * loads. Internal to the library. */

#include <stdint.h>

#include "emit_track.h"

#define EMIT__HIST_SUB_BITS 5u
#define EMIT__HIST_SUB (1u << EMIT__HIST_SUB_BITS)
#define EMIT__HIST_BUCKETS ((64u - EMIT__HIST_SUB_BITS + 1u) * EMIT__HIST_SUB)

static inline unsigned int
emit__hist_index(uint64_t v)
{
	unsigned int e;

	if (v < EMIT__HIST_SUB)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v);
	return (e - EMIT__HIST_SUB_BITS + 1u) * EMIT__HIST_SUB +
		(unsigned int)((v >> (e - EMIT__HIST_SUB_BITS)) &
			(EMIT__HIST_SUB - 1u));
}

/* Smallest value that falls in bucket @p idx. */
static inline uint64_t
emit__hist_lower(unsigned int idx)
{
	unsigned int k = idx / EMIT__HIST_SUB, sub = idx % EMIT__HIST_SUB;

	if (k == 0)
		return idx;
	return (uint64_t)(EMIT__HIST_SUB + sub) << (k - 1u);
}

/* Largest value that falls in bucket @p idx. */
static inline uint64_t
emit__hist_upper(unsigned int idx)
{
	unsigned int k = idx / EMIT__HIST_SUB;

	if (k == 0)
		return idx;
	return emit__hist_lower(idx) + ((uint64_t)1 << (k - 1u)) - 1u;
}

/* Owner: count @p v in @p buckets. */
static inline void
emit__hist_add(uint64_t *buckets, uint64_t v)
{
	uint64_t *b = &buckets[emit__hist_index(v)];

	__atomic_store_n(b, *b + 1, __ATOMIC_RELAXED);
}

/* Any thread: add @p buckets into @p acc (a private array). */
void emit__hist_accumulate(uint64_t *acc, const uint64_t *buckets);

/* Summarise @p acc (a private array) into @p lat; min and max come from
 * the caller and bound the percentiles (read while the owner writes, they
 * may lag the buckets: then the buckets' bounds stand in). Sets every
 * field but negative. */
void emit__hist_summary(const uint64_t *acc, uint64_t min, uint64_t max,
		struct emit_latency *lat);

#endif /* EMIT_HIST_H */
