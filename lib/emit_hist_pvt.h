/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_HIST_PVT_H
#define EMIT_HIST_PVT_H

/* The receive-side tracker's use of the histogram (emit_hist.h): bare
 * bucket arrays, one per followed sender, summed on read. Internal. */

#include <stdint.h>

#include "emit_hist.h"
#include "emit_track.h"

/* Owner: count @p v in @p buckets (EMIT_HIST_NB_BUCKETS of them). */
static inline void
emit__hist_add(uint64_t *buckets, uint64_t v)
{
	uint64_t *b = &buckets[emit_hist_index(v)];

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

#endif /* EMIT_HIST_PVT_H */
