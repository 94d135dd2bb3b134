/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_IV_H
#define GEN_IV_H

/*
 * emit-gen's intervals: one entry per stats period (--stats-interval) of
 * the run, for the JSON report's "intervals" array: events committed and
 * sent, events/s and Gbit/s on the wire, drops by reason, backpressure,
 * and the commit-to-TX latency of the period. The entries are allocated
 * before the run for its whole length (duration / period, plus the last
 * partial period), at most GEN_IV_MAX; a run without a duration gets
 * GEN_IV_MAX. Periods past the last entry are not recorded, only counted
 * ("intervals_omitted"). Taking an entry reads the counters on the
 * control path and allocates nothing.
 */

#include <stdint.h>

#include <emit_hist.h>
#include <emit_pipeline.h>
#include <emit_stats.h>

#include "common/json.h"
#include "gen_lat.h"

/* Most entries: a day of one-second periods. */
#define GEN_IV_MAX 86400u

struct gen_iv_count {
	uint64_t committed;
	uint64_t sent;
	uint64_t bytes;
	uint64_t bp_episodes;
	uint64_t held;         /* commits refused by held events */
	uint64_t drop[EMIT_DROP_NB_REASONS];
};

struct gen_iv_entry {
	double t_s;            /* end of the period, since the start */
	double duration_s;
	struct gen_iv_count d; /* counts of the period */
	struct emit_hist_summary lat; /* commit to TX, ns */
};

struct gen_iv {
	struct gen_iv_entry *e;
	unsigned int cap;
	unsigned int n;
	uint64_t omitted;
	uint64_t hz;
	uint64_t start_tsc;
	uint64_t last_tsc;
	struct gen_iv_count last;
	struct gen_lat lat;    /* merge of the TX stages at the last entry */
	struct emit_hist_base lat_base;
};

/* Allocate the entries of a run of @p duration_ns (0: unknown) in
 * periods of @p interval_ns (> 0). Returns 0 or -ENOMEM. */
int gen_iv_init(struct gen_iv *iv, uint64_t duration_ns,
		uint64_t interval_ns);

/* The run starts at @p start_tsc, a clock of @p hz ticks per second. */
void gen_iv_start(struct gen_iv *iv, uint64_t start_tsc, uint64_t hz);

/* End the current period at @p now_tsc: record its entry from the
 * counters of @p p. A period of no length is not recorded, nor the
 * @p last one (the drain after the last full period) when nothing
 * happened in it. */
void gen_iv_take(struct gen_iv *iv, const struct emit_pipeline *p,
		uint64_t now_tsc, int last);

/* The "intervals" array and "intervals_omitted". */
void gen_iv_json(const struct gen_iv *iv, struct cli_json *j);

/* A "buckets" array of @p l's non-empty buckets in ns:
 * {"lo_ns", "hi_ns", "count"}, hi_ns exclusive. */
void gen_iv_json_buckets(const struct gen_lat *l, struct cli_json *j);

void gen_iv_free(struct gen_iv *iv);

#endif /* GEN_IV_H */
