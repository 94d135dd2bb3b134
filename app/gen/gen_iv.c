/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen's intervals: the counters at the end of each stats period. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include <emit_sender.h>
#include <emit_tx.h>
#include <emit_xstats.h>

#include "gen_iv.h"
#include "gen_opts.h"

int
gen_iv_init(struct gen_iv *iv, uint64_t duration_ns, uint64_t interval_ns)
{
	uint64_t cap = GEN_IV_MAX;

	memset(iv, 0, sizeof(*iv));
	/* Every full period, the last partial one, one for rounding. */
	if (duration_ns != 0 && interval_ns != 0 &&
	    duration_ns / interval_ns + 2 < cap)
		cap = duration_ns / interval_ns + 2;
	iv->e = calloc((size_t)cap, sizeof(*iv->e));
	if (iv->e == NULL)
		return -ENOMEM;
	iv->cap = (unsigned int)cap;
	gen_lat_init(&iv->lat);
	return 0;
}

void
gen_iv_start(struct gen_iv *iv, uint64_t start_tsc, uint64_t hz)
{
	iv->start_tsc = start_tsc;
	iv->last_tsc = start_tsc;
	iv->hz = hz;
}

static void
read_counts(const struct emit_pipeline *p, struct gen_iv_count *c)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < emit_pipeline_nb_senders(p); i++) {
		if (emit_sender_stats_get(emit_pipeline_sender(p, i), &ss) != 0)
			continue;
		c->committed += ss.events_committed;
		c->bp_episodes += ss.backpressure_episodes;
		c->held += ss.err_nobufs_held;
		c->drop[EMIT_DROP_RING_FULL] += ss.dropped_ring_full;
		c->drop[EMIT_DROP_SPIN_TIMEOUT] += ss.dropped_spin_timeout;
		c->drop[EMIT_DROP_CLOSED] += ss.dropped_closed;
	}
	for (i = 0; i < emit_pipeline_nb_tx(p); i++) {
		if (emit_tx_stats_get(emit_pipeline_tx(p, i), &ts) != 0)
			continue;
		c->sent += ts.tx_sent;
		c->bytes += ts.tx_bytes;
		c->drop[EMIT_DROP_TX_RETRY] += ts.tx_dropped_retry_exhausted;
		c->drop[EMIT_DROP_TX_CLOSED] += ts.tx_dropped_closed;
	}
}

void
gen_iv_take(struct gen_iv *iv, const struct emit_pipeline *p,
		uint64_t now_tsc, int last)
{
	struct gen_iv_entry *e;
	struct gen_iv_count c;
	unsigned int i;

	if (iv->e == NULL || now_tsc <= iv->last_tsc || iv->hz == 0)
		return;
	if (iv->n == iv->cap) {
		iv->omitted++;
		return;
	}
	e = &iv->e[iv->n];
	read_counts(p, &c);
	e->t_s = (double)(now_tsc - iv->start_tsc) / (double)iv->hz;
	e->duration_s = (double)(now_tsc - iv->last_tsc) / (double)iv->hz;
	/* Counters only grow: the difference is the period's count. */
	e->d.committed = c.committed - iv->last.committed;
	e->d.sent = c.sent - iv->last.sent;
	e->d.bytes = c.bytes - iv->last.bytes;
	e->d.bp_episodes = c.bp_episodes - iv->last.bp_episodes;
	e->d.held = c.held - iv->last.held;
	for (i = 0; i < EMIT_DROP_NB_REASONS; i++)
		e->d.drop[i] = c.drop[i] - iv->last.drop[i];
	/* So do the buckets: the merge less the previous one is the
	 * period's histogram. */
	gen_lat_init(&iv->lat);
	if (gen_lat_tx(&iv->lat, p) == 0) {
		gen_lat_summary(&iv->lat, &iv->lat_base, &e->lat);
		(void)emit_hist_base_take(&iv->lat.h, &iv->lat_base);
	}
	if (last && memcmp(&c, &iv->last, sizeof(c)) == 0)
		return;
	iv->last = c;
	iv->last_tsc = now_tsc;
	iv->n++;
}

static void
json_entry(struct cli_json *j, const struct gen_iv_entry *e)
{
	static const char *const names[] = { "p50", "p90", "p99", "p99.9" };
	const uint64_t v[] = { e->lat.p50, e->lat.p90, e->lat.p99,
		e->lat.p999 };
	double dt = e->duration_s;
	uint64_t dropped = 0;
	unsigned int i;

	cli_json_obj_begin(j, NULL);
	cli_json_double(j, "t_s", e->t_s, 6);
	cli_json_double(j, "duration_s", dt, 6);
	cli_json_u64(j, "events_committed", e->d.committed);
	cli_json_u64(j, "events_sent", e->d.sent);
	cli_json_double(j, "events_per_s", (double)e->d.sent / dt, 3);
	cli_json_double(j, "gbps", ((double)e->d.bytes +
		(double)GEN_WIRE_OVERHEAD * (double)e->d.sent) * 8 / dt / 1e9,
		6);
	cli_json_obj_begin(j, "dropped");
	for (i = 0; i < EMIT_DROP_NB_REASONS; i++) {
		cli_json_u64(j, emit_drop_reason_name(
			(enum emit_drop_reason)i), e->d.drop[i]);
		dropped += e->d.drop[i];
	}
	cli_json_obj_end(j);
	cli_json_u64(j, "events_dropped", dropped);
	cli_json_bool(j, "backpressure", e->d.bp_episodes != 0 ||
		e->d.held != 0);
	cli_json_u64(j, "backpressure_episodes", e->d.bp_episodes);
	cli_json_obj_begin(j, "latency_ns");
	cli_json_summary(j, e->lat.samples, names, v, RTE_DIM(names));
	cli_json_obj_end(j);
	cli_json_obj_end(j);
}

void
gen_iv_json(const struct gen_iv *iv, struct cli_json *j)
{
	unsigned int i;

	cli_json_arr_begin(j, "intervals");
	for (i = 0; i < iv->n; i++)
		json_entry(j, &iv->e[i]);
	cli_json_arr_end(j);
	cli_json_u64(j, "intervals_omitted", iv->omitted);
}

void
gen_iv_json_buckets(const struct gen_lat *l, struct cli_json *j)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t mult, hi;
	unsigned int i;

	cli_json_arr_begin(j, "buckets");
	if (l->hz != 0) {
		/* The conversion of gen_lat_summary(). */
		mult = (1000000000ull << 32) / l->hz;
		for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++) {
			if (l->h.buckets[i] == 0)
				continue;
			hi = emit_hist_bucket_high(i);
			hi = hi == UINT64_MAX ? hi : hi + 1;
			cli_json_obj_begin(j, NULL);
			cli_json_u64(j, "lo_ns", (uint64_t)(((u128)
				emit_hist_bucket_low(i) * mult) >> 32));
			cli_json_u64(j, "hi_ns",
				(uint64_t)(((u128)hi * mult) >> 32));
			cli_json_u64(j, "count", l->h.buckets[i]);
			cli_json_obj_end(j);
		}
	}
	cli_json_arr_end(j);
}

void
gen_iv_free(struct gen_iv *iv)
{
	free(iv->e);
	iv->e = NULL;
}
