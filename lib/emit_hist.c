/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading side of the log-linear histogram (emit_hist.h). */
#include <string.h>

#include <rte_common.h>

#include "emit_hist.h"

void
emit__hist_accumulate(uint64_t *acc, const uint64_t *buckets)
{
	unsigned int i;

	for (i = 0; i < EMIT__HIST_BUCKETS; i++)
		acc[i] += __atomic_load_n(&buckets[i], __ATOMIC_RELAXED);
}

/* Value at rank ceil(count * q / 100000) (q in 1/1000 %), clipped to the
 * exact extremes. */
static uint64_t
quantile(const uint64_t *acc, uint64_t count, uint32_t q, uint64_t min,
		uint64_t max)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t rank, seen = 0, v;
	unsigned int i;

	rank = (uint64_t)(((u128)count * q + 99999) / 100000);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < EMIT__HIST_BUCKETS; i++) {
		seen += acc[i];
		if (seen >= rank)
			break;
	}
	v = i < EMIT__HIST_BUCKETS ? emit__hist_upper(i) : max;
	return RTE_MAX(RTE_MIN(v, max), min);
}

void
emit__hist_summary(const uint64_t *acc, uint64_t min, uint64_t max,
		struct emit_latency *lat)
{
	unsigned int i, first = EMIT__HIST_BUCKETS, last = 0;
	uint64_t count = 0;

	memset(lat, 0, sizeof(*lat));
	for (i = 0; i < EMIT__HIST_BUCKETS; i++) {
		if (acc[i] == 0)
			continue;
		count += acc[i];
		if (first == EMIT__HIST_BUCKETS)
			first = i;
		last = i;
	}
	if (count == 0)
		return;
	if (min > emit__hist_upper(first) || min < emit__hist_lower(first))
		min = emit__hist_lower(first);
	if (max > emit__hist_upper(last) || max < emit__hist_lower(last))
		max = emit__hist_upper(last);
	lat->count = count;
	lat->min = min;
	lat->max = max;
	lat->p50 = quantile(acc, count, 50000, min, max);
	lat->p90 = quantile(acc, count, 90000, min, max);
	lat->p99 = quantile(acc, count, 99000, min, max);
	lat->p999 = quantile(acc, count, 99900, min, max);
}
