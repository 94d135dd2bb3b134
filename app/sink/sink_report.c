/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink reports: the human summary, the JSON report, progress lines. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "common/json.h"
#include "common/term.h"
#include "sink.h"
#include "sink_iv.h"

double
sink_elapsed_s(const struct sink *k)
{
	uint64_t end = __atomic_load_n(&k->end_tsc, __ATOMIC_RELAXED);

	if (end == 0)
		end = rte_get_tsc_cycles();
	if (k->start_tsc == 0)
		return 0;
	return (double)(end - k->start_tsc) / (double)rte_get_tsc_hz();
}

const char *
sink_stop_name(enum sink_stop s)
{
	switch (s) {
	case SINK_STOP_DURATION:
		return "duration";
	case SINK_STOP_COUNT:
		return "count";
	case SINK_STOP_SIGNAL:
		return "signal";
	case SINK_STOP_EOF:
		return "end_of_file";
	default:
		return "none";
	}
}

int
sink_saw_loss(const struct sink *k)
{
	struct emit_track_totals t;

	if (emit_track_merge_totals_get(SINK_TRACKS(k), &t) != 0)
		return 1;
	return t.lost != 0 || t.malformed != 0;
}

/* The frame mix of every queue, merged (the lcores have stopped). */
static void
sink_mix(const struct sink *k, struct sink_frames *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < k->nb_rxq; i++)
		sink_frames_add(m, &k->rxq[i].mix);
}

static void
sink_mix_text(const struct sink *k, FILE *f)
{
	struct sink_frames m;

	sink_mix(k, &m);
	sink_frames_text(&m, f);
}

static void
sink_mix_json(const struct sink *k, struct cli_json *w)
{
	struct sink_frames m;

	sink_mix(k, &m);
	sink_frames_json(&m, w);
}

static double
per_s(uint64_t v, double secs)
{
	return secs > 0 ? (double)v / secs : 0;
}

void
sink_summary(const struct sink *k, FILE *f)
{
	struct emit_track_sender_stats st;
	struct emit_track_totals t;
	struct emit_latency lat;
	double secs = sink_elapsed_s(k);
	uint16_t ids[64];
	int n, i, r;

	if (emit_track_merge_totals_get(SINK_TRACKS(k), &t) != 0 ||
	    emit_track_merge_latency_get(SINK_TRACKS(k), EMIT_TRACK_ALL, &lat) != 0)
		return;
	fprintf(f, SINK_NAME ": %.3f s, stopped by %s, %u port(s)\n", secs,
		sink_stop_name(k->stop), k->nb_ports);
	fprintf(f, "  events %" PRIu64 " (%.3f Mpps, %.3f Gbit/s) from %"
		PRIu64 " sender(s), frames %" PRIu64 ", other %" PRIu64 "\n",
		t.events, per_s(t.events, secs) / 1e6,
		per_s(t.bytes, secs) * 8 / 1e9, t.senders, t.frames, t.other);
	fprintf(f, "  lost %" PRIu64 ", reordered %" PRIu64 ", duplicated %"
		PRIu64 ", stale %" PRIu64 ", untracked %" PRIu64
		", malformed %" PRIu64, t.lost, t.reordered, t.duplicated,
		t.stale, t.untracked, t.malformed);
	for (r = 0; r < EMIT_MALFORMED_MAX; r++)
		if (t.malformed_by[r] != 0)
			fprintf(f, " %s=%" PRIu64,
				emit_malformed_name((enum emit_malformed)r),
				t.malformed_by[r]);
	fprintf(f, "\n");
	if (lat.count > 0)
		fprintf(f, "  latency ns: min %" PRIu64 " p50 %" PRIu64
			" p99 %" PRIu64 " p99.9 %" PRIu64 " max %" PRIu64
			" (negative %" PRIu64 ")\n", lat.min, lat.p50,
			lat.p99, lat.p999, lat.max, lat.negative);
	n = emit_track_merge_senders(SINK_TRACKS(k), ids, RTE_DIM(ids));
	for (i = 0; i < n && i < (int)RTE_DIM(ids); i++) {
		if (emit_track_merge_sender_get(SINK_TRACKS(k), ids[i], &st) != 0)
			continue;
		fprintf(f, "  sender %u: received %" PRIu64 ", seq %" PRIu64
			"..%" PRIu64 ", lost %" PRIu64 ", reordered %" PRIu64
			", duplicated %" PRIu64 "\n", st.id, st.received,
			st.first_seq, st.last_seq, st.lost, st.reordered,
			st.duplicated);
	}
	if (n > (int)RTE_DIM(ids))
		fprintf(f, "  (%d more senders in the JSON report)\n",
			n - (int)RTE_DIM(ids));
	for (i = 0; i < k->nb_ports; i++) {
		const struct sink_port *p = &k->ports[i];

		fprintf(f, "  port %u %s (%s): frames %" PRIu64 ", missed %"
			PRIu64 ", errors %" PRIu64 ", no mbuf %" PRIu64 "\n",
			p->port_id, p->name, p->driver, p->frames,
			p->stats.imissed, p->stats.ierrors,
			p->stats.rx_nombuf);
	}
	sink_mix_text(k, f);
	if (k->o.expect_lossless)
		fprintf(f, "  lossless: %s\n", sink_saw_loss(k) ? "NO" : "yes");
}

void
sink_progress(const struct sink *k, FILE *f, bool tty)
{
	struct emit_track_totals t;
	struct emit_latency lat;
	double secs = sink_elapsed_s(k);

	if (emit_track_merge_totals_get(SINK_TRACKS(k), &t) != 0 ||
	    emit_track_merge_latency_get(SINK_TRACKS(k), EMIT_TRACK_ALL, &lat) != 0)
		return;
	fprintf(f, "%s%.1f s: %" PRIu64 " events (%.0f/s), lost %" PRIu64
		", malformed %" PRIu64 ", p99 %" PRIu64 " ns%s",
		cli_term_line_start(tty),
		secs, t.events, per_s(t.events, secs), t.lost, t.malformed,
		lat.p99, cli_term_line_end(tty));
	(void)fflush(f); /* a progress line, best effort */
}

static void
json_latency(struct cli_json *w, const struct emit_latency *l,
		const struct emit_hist *h)
{
	cli_json_obj_begin(w, "latency_ns");
	cli_json_u64(w, "count", l->count);
	cli_json_u64(w, "negative", l->negative);
	cli_json_u64(w, "min", l->min);
	cli_json_u64(w, "p50", l->p50);
	cli_json_u64(w, "p90", l->p90);
	cli_json_u64(w, "p99", l->p99);
	cli_json_u64(w, "p99.9", l->p999);
	cli_json_u64(w, "max", l->max);
	if (h != NULL)
		sink_iv_json_buckets(h, w);
	cli_json_obj_end(w);
}

static void
json_config(struct cli_json *w, const struct sink *k)
{
	const struct sink_opts *o = &k->o;
	int i;

	cli_json_obj_begin(w, "config");
	cli_json_double(w, "duration_s",
		(double)o->duration_ns / 1e9, 6);
	cli_json_u64(w, "count", o->count);
	cli_json_u64(w, "expect_count", o->expect_count);
	cli_json_bool(w, "expect_lossless", o->expect_lossless);
	cli_json_bool(w, "join", o->join);
	if (o->dport >= 0)
		cli_json_u64(w, "dport", (uint64_t)o->dport);
	else
		cli_json_str(w, "dport", NULL);
	cli_json_u64(w, "window", o->window);
	cli_json_u64(w, "max_senders", o->max_senders);
	cli_json_u64(w, "burst", o->burst);
	cli_json_u64(w, "rx_desc", o->rx_desc);
	cli_json_u64(w, "rx_queues", o->rx_queues);
	cli_json_u64(w, "rx_lcores", k->nb_lcores);
	cli_json_double(w, "stats_interval_s",
		(double)o->stats_interval_ns / 1e9, 6);
	cli_json_arr_begin(w, "eal_args");
	for (i = 1; i < k->eal_argc; i++)
		cli_json_str(w, NULL, k->eal_argv[i]);
	cli_json_arr_end(w);
	cli_json_obj_end(w);
}

static int
id_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void
json_senders(struct cli_json *w, const struct sink *k)
{
	struct emit_track_sender_stats st;
	struct emit_latency lat;
	uint16_t *ids;
	int n, i;

	n = emit_track_merge_senders(SINK_TRACKS(k), NULL, 0);
	ids = n > 0 ? calloc((size_t)n, sizeof(*ids)) : NULL;
	cli_json_arr_begin(w, "senders");
	if (ids != NULL) {
		n = RTE_MIN(n, emit_track_merge_senders(SINK_TRACKS(k), ids,
			(unsigned int)n));
		qsort(ids, (size_t)n, sizeof(*ids), id_cmp);
		for (i = 0; i < n; i++) {
			if (emit_track_merge_sender_get(SINK_TRACKS(k), ids[i], &st) != 0 ||
			    emit_track_merge_latency_get(SINK_TRACKS(k), ids[i], &lat) != 0)
				continue;
			cli_json_obj_begin(w, NULL);
			cli_json_u64(w, "id", st.id);
			cli_json_u64(w, "received", st.received);
			cli_json_u64(w, "bytes", st.bytes);
			cli_json_u64(w, "first_seq", st.first_seq);
			cli_json_u64(w, "last_seq", st.last_seq);
			cli_json_u64(w, "lost", st.lost);
			cli_json_u64(w, "lost_gaps", st.lost_gaps);
			cli_json_u64(w, "lost_tail", st.lost_tail);
			cli_json_u64(w, "reordered", st.reordered);
			cli_json_u64(w, "duplicated", st.duplicated);
			cli_json_u64(w, "stale", st.stale);
			json_latency(w, &lat, NULL);
			cli_json_obj_end(w);
		}
	}
	cli_json_arr_end(w);
	free(ids);
}

int
sink_json(const struct sink *k, FILE *f)
{
	struct cli_json w;
	struct emit_track_totals t;
	struct emit_latency lat;
	struct emit_hist *hist;
	double secs = sink_elapsed_s(k);
	int i;

	if (emit_track_merge_totals_get(SINK_TRACKS(k), &t) != 0 ||
	    emit_track_merge_latency_get(SINK_TRACKS(k), EMIT_TRACK_ALL, &lat) != 0)
		return -1;
	/* The whole run's buckets; the report goes without them when there
	 * is no memory for the copy. */
	hist = malloc(sizeof(*hist));
	if (hist != NULL &&
	    emit_track_merge_latency_hist_get(SINK_TRACKS(k), EMIT_TRACK_ALL, hist) != 0) {
		free(hist);
		hist = NULL;
	}
	cli_json_init(&w, f);
	cli_json_obj_begin(&w, NULL);
	cli_json_str(&w, "version", emit_version());
	json_config(&w, k);
	cli_json_double(&w, "duration_s", secs, 6);
	cli_json_str(&w, "stop_reason", sink_stop_name(k->stop));
	cli_json_obj_begin(&w, "totals");
	cli_json_u64(&w, "frames", t.frames);
	cli_json_u64(&w, "events", t.events);
	cli_json_u64(&w, "bytes", t.bytes);
	cli_json_u64(&w, "senders", t.senders);
	cli_json_u64(&w, "lost", t.lost);
	cli_json_u64(&w, "reordered", t.reordered);
	cli_json_u64(&w, "duplicated", t.duplicated);
	cli_json_u64(&w, "stale", t.stale);
	cli_json_u64(&w, "malformed", t.malformed);
	cli_json_u64(&w, "other", t.other);
	cli_json_u64(&w, "untracked", t.untracked);
	cli_json_double(&w, "mpps", per_s(t.events, secs) / 1e6, 6);
	cli_json_double(&w, "gbps", per_s(t.bytes, secs) * 8 / 1e9, 6);
	cli_json_obj_end(&w);
	cli_json_obj_begin(&w, "malformed");
	for (i = 0; i < EMIT_MALFORMED_MAX; i++)
		cli_json_u64(&w, emit_malformed_name((enum emit_malformed)i),
			t.malformed_by[i]);
	cli_json_obj_end(&w);
	sink_mix_json(k, &w);
	json_latency(&w, &lat, hist);
	free(hist);
	json_senders(&w, k);
	cli_json_arr_begin(&w, "ports");
	for (i = 0; i < k->nb_ports; i++) {
		const struct sink_port *p = &k->ports[i];

		cli_json_obj_begin(&w, NULL);
		cli_json_u64(&w, "port_id", p->port_id);
		cli_json_str(&w, "name", p->name);
		cli_json_str(&w, "driver", p->driver);
		cli_json_bool(&w, "capture_file", p->finite);
		cli_json_u64(&w, "frames", p->frames);
		cli_json_u64(&w, "ipackets", p->stats.ipackets);
		cli_json_u64(&w, "ibytes", p->stats.ibytes);
		cli_json_u64(&w, "imissed", p->stats.imissed);
		cli_json_u64(&w, "ierrors", p->stats.ierrors);
		cli_json_u64(&w, "rx_nombuf", p->stats.rx_nombuf);
		cli_json_obj_end(&w);
	}
	cli_json_arr_end(&w);
	cli_json_bool(&w, "lossless", !sink_saw_loss(k));
	sink_iv_json(k->iv, &w);
	cli_json_obj_end(&w);
	return cli_json_end(&w);
}
