/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SINK_IV_H
#define SINK_IV_H

/*
 * emit-sink's intervals: one entry per stats period (--stats-interval)
 * for the JSON report's "intervals" array: events and bytes received,
 * events/s, Gbit/s, what the tracker classified in the period (lost,
 * reordered, duplicated, stale, malformed, other), what the ports
 * dropped (missed, errors, no mbuf), and the latency of the period.
 * The entries are allocated before the run for its whole length
 * (duration / period, plus the last partial period), at most
 * SINK_IV_MAX; a run without a duration gets SINK_IV_MAX. Periods past
 * the last entry are counted ("intervals_omitted"), not recorded.
 * Taking an entry reads counters on the main lcore and allocates
 * nothing.
 */

#include <stdint.h>

#include <emit_hist.h>
#include <emit_track.h>

#include "common/json.h"

/* Most entries: a day of one-second periods. */
#define SINK_IV_MAX 86400u

struct sink;

struct sink_iv_count {
	uint64_t events;
	uint64_t bytes;
	uint64_t lost;         /* may go down: a late event fills a gap */
	uint64_t reordered;
	uint64_t duplicated;
	uint64_t stale;
	uint64_t malformed;
	uint64_t other;
	uint64_t imissed;      /* summed over the ports */
	uint64_t ierrors;
	uint64_t rx_nombuf;
};

struct sink_iv_entry {
	double t_s;            /* end of the period, since the start */
	double duration_s;
	struct sink_iv_count at; /* the counters at its end */
	int64_t lost;          /* change of lost in the period */
	struct emit_hist_summary lat; /* latency of the period, ns */
};

struct sink_iv {
	struct sink_iv_entry *e;
	unsigned int cap;
	unsigned int n;
	uint64_t omitted;
	uint64_t last_tsc;
	struct sink_iv_count last;
	struct emit_hist *hist;     /* whole run at the last entry */
	struct emit_hist_base base;
};

/* Allocate the entries of a run of @p duration_ns (0: unknown) in
 * periods of @p interval_ns (> 0). Returns 0 or -ENOMEM. */
int sink_iv_init(struct sink_iv *iv, uint64_t duration_ns,
		uint64_t interval_ns);

/* End the current period at @p now_tsc (the first starts at
 * k->start_tsc). A period of no length is not recorded, nor the @p last
 * one (the drain after the last full period) when nothing happened in
 * it. */
void sink_iv_take(struct sink_iv *iv, const struct sink *k,
		uint64_t now_tsc, int last);

/* The "intervals" array and "intervals_omitted"; @p iv may be NULL (no
 * stats period: an empty array). */
void sink_iv_json(const struct sink_iv *iv, struct cli_json *j);

/* The "buckets" array of @p h's non-empty buckets (ns):
 * {"lo_ns", "hi_ns", "count"}, hi_ns exclusive. */
void sink_iv_json_buckets(const struct emit_hist *h, struct cli_json *j);

void sink_iv_free(struct sink_iv *iv);

#endif /* SINK_IV_H */
