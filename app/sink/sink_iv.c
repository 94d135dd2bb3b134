/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink's intervals: the counters at the end of each stats period. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "sink.h"
#include "sink_iv.h"

int
sink_iv_init(struct sink_iv *iv, uint64_t duration_ns, uint64_t interval_ns)
{
	uint64_t cap = SINK_IV_MAX;

	memset(iv, 0, sizeof(*iv));
	/* Every full period, the last partial one, one for rounding. */
	if (duration_ns != 0 && interval_ns != 0 &&
	    duration_ns / interval_ns + 2 < cap)
		cap = duration_ns / interval_ns + 2;
	iv->e = calloc((size_t)cap, sizeof(*iv->e));
	iv->hist = malloc(sizeof(*iv->hist));
	if (iv->e == NULL || iv->hist == NULL) {
		sink_iv_free(iv);
		return -ENOMEM;
	}
	iv->cap = (unsigned int)cap;
	emit_hist_init(iv->hist);
	return 0;
}

static void
read_counts(const struct sink *k, struct sink_iv_count *c)
{
	struct emit_track_totals t;
	struct rte_eth_stats st;
	uint16_t i;

	memset(c, 0, sizeof(*c));
	if (emit_track_merge_totals_get(SINK_TRACKS(k), &t) == 0) {
		c->events = t.events;
		c->bytes = t.bytes;
		c->lost = t.lost;
		c->reordered = t.reordered;
		c->duplicated = t.duplicated;
		c->stale = t.stale;
		c->malformed = t.malformed;
		c->other = t.other;
	}
	for (i = 0; i < k->nb_ports; i++) {
		if (rte_eth_stats_get(k->ports[i].port_id, &st) != 0)
			continue;
		c->imissed += st.imissed;
		c->ierrors += st.ierrors;
		c->rx_nombuf += st.rx_nombuf;
	}
}

void
sink_iv_take(struct sink_iv *iv, const struct sink *k, uint64_t now_tsc,
		int last)
{
	struct sink_iv_entry *e;
	uint64_t hz = rte_get_tsc_hz();

	if (iv->e == NULL)
		return;
	if (iv->last_tsc == 0)
		iv->last_tsc = k->start_tsc;
	if (now_tsc <= iv->last_tsc)
		return;
	if (iv->n == iv->cap) {
		iv->omitted++;
		return;
	}
	e = &iv->e[iv->n];
	read_counts(k, &e->at);
	e->t_s = (double)(now_tsc - k->start_tsc) / (double)hz;
	e->duration_s = (double)(now_tsc - iv->last_tsc) / (double)hz;
	e->lost = (int64_t)(e->at.lost - iv->last.lost);
	/* Bucket counts only grow: the histogram less the previous one is
	 * the period's. */
	if (emit_track_merge_latency_hist_get(SINK_TRACKS(k), EMIT_TRACK_ALL,
			iv->hist) == 0) {
		(void)emit_hist_summarize(iv->hist, &iv->base, &e->lat);
		(void)emit_hist_base_take(iv->hist, &iv->base);
	}
	if (last && memcmp(&e->at, &iv->last, sizeof(e->at)) == 0)
		return;
	iv->last = e->at;
	iv->last_tsc = now_tsc;
	iv->n++;
}

static void
json_entry(struct cli_json *j, const struct sink_iv_entry *e,
		const struct sink_iv_count *prev)
{
	static const char *const names[] = { "p50", "p90", "p99", "p99.9" };
	const uint64_t v[] = { e->lat.p50, e->lat.p90, e->lat.p99,
		e->lat.p999 };
	uint64_t events = e->at.events - prev->events;
	double dt = e->duration_s;

	cli_json_obj_begin(j, NULL);
	cli_json_double(j, "t_s", e->t_s, 6);
	cli_json_double(j, "duration_s", dt, 6);
	cli_json_u64(j, "events", events);
	cli_json_u64(j, "bytes", e->at.bytes - prev->bytes);
	cli_json_double(j, "events_per_s", (double)events / dt, 3);
	cli_json_double(j, "gbps", (double)(e->at.bytes - prev->bytes) * 8 /
		dt / 1e9, 6);
	cli_json_i64(j, "lost", e->lost);
	cli_json_u64(j, "reordered", e->at.reordered - prev->reordered);
	cli_json_u64(j, "duplicated", e->at.duplicated - prev->duplicated);
	cli_json_u64(j, "stale", e->at.stale - prev->stale);
	cli_json_u64(j, "malformed", e->at.malformed - prev->malformed);
	cli_json_u64(j, "other", e->at.other - prev->other);
	cli_json_obj_begin(j, "dropped");
	cli_json_u64(j, "imissed", e->at.imissed - prev->imissed);
	cli_json_u64(j, "ierrors", e->at.ierrors - prev->ierrors);
	cli_json_u64(j, "rx_nombuf", e->at.rx_nombuf - prev->rx_nombuf);
	cli_json_obj_end(j);
	cli_json_obj_begin(j, "latency_ns");
	cli_json_summary(j, e->lat.samples, names, v, RTE_DIM(names));
	cli_json_obj_end(j);
	cli_json_obj_end(j);
}

void
sink_iv_json(const struct sink_iv *iv, struct cli_json *j)
{
	struct sink_iv_count zero;
	unsigned int i;

	memset(&zero, 0, sizeof(zero));
	cli_json_arr_begin(j, "intervals");
	for (i = 0; iv != NULL && i < iv->n; i++)
		json_entry(j, &iv->e[i], i == 0 ? &zero : &iv->e[i - 1].at);
	cli_json_arr_end(j);
	cli_json_u64(j, "intervals_omitted", iv != NULL ? iv->omitted : 0);
}

void
sink_iv_json_buckets(const struct emit_hist *h, struct cli_json *j)
{
	uint64_t hi;
	unsigned int i;

	cli_json_arr_begin(j, "buckets");
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++) {
		if (h->buckets[i] == 0)
			continue;
		hi = emit_hist_bucket_high(i);
		cli_json_obj_begin(j, NULL);
		cli_json_u64(j, "lo_ns", emit_hist_bucket_low(i));
		cli_json_u64(j, "hi_ns", hi == UINT64_MAX ? hi : hi + 1);
		cli_json_u64(j, "count", h->buckets[i]);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
}

void
sink_iv_free(struct sink_iv *iv)
{
	free(iv->e);
	free(iv->hist);
	iv->e = NULL;
	iv->hist = NULL;
}
