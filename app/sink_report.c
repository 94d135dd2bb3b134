/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink reports: the human summary, the JSON report, progress lines. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "sink.h"

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

	if (emit_track_totals_get(k->track, &t) != 0)
		return 1;
	return t.lost != 0 || t.malformed != 0;
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

	if (emit_track_totals_get(k->track, &t) != 0 ||
	    emit_track_latency_get(k->track, EMIT_TRACK_ALL, &lat) != 0)
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
	n = emit_track_senders(k->track, ids, RTE_DIM(ids));
	for (i = 0; i < n && i < (int)RTE_DIM(ids); i++) {
		if (emit_track_sender_get(k->track, ids[i], &st) != 0)
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
	if (k->o.expect_lossless)
		fprintf(f, "  lossless: %s\n", sink_saw_loss(k) ? "NO" : "yes");
}

void
sink_progress(const struct sink *k, FILE *f, bool tty)
{
	struct emit_track_totals t;
	struct emit_latency lat;
	double secs = sink_elapsed_s(k);

	if (emit_track_totals_get(k->track, &t) != 0 ||
	    emit_track_latency_get(k->track, EMIT_TRACK_ALL, &lat) != 0)
		return;
	fprintf(f, "%s%.1f s: %" PRIu64 " events (%.0f/s), lost %" PRIu64
		", malformed %" PRIu64 ", p99 %" PRIu64 " ns%s", tty ? "\r" : "",
		secs, t.events, per_s(t.events, secs), t.lost, t.malformed,
		lat.p99, tty ? "\033[K" : "\n");
	(void)fflush(f); /* a progress line, best effort */
}

/* A small JSON writer: keys and commas in the right places. */
struct jw {
	FILE *f;
	int depth;
	bool first[16];
};

static void
jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	fprintf(w->f, "\n%*s", 2 * w->depth, "");
	if (key != NULL)
		fprintf(w->f, "\"%s\": ", key);
}

static void
jw_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
jw_open(struct jw *w, const char *key, char c)
{
	if (w->depth > 0)
		jw_key(w, key);
	fputc(c, w->f);
	w->depth++;
	w->first[w->depth] = true;
}

static void
jw_close(struct jw *w, char c)
{
	w->depth--;
	fprintf(w->f, "\n%*s%c", 2 * w->depth, "", c);
}

static void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

static void
jw_dbl(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	fprintf(w->f, "%.6f", v);
}

static void
jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL)
		fputs("null", w->f);
	else
		jw_string(w->f, s);
}

static void
jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->f);
}

static void
json_latency(struct jw *w, const struct emit_latency *l)
{
	jw_open(w, "latency_ns", '{');
	jw_u64(w, "count", l->count);
	jw_u64(w, "negative", l->negative);
	jw_u64(w, "min", l->min);
	jw_u64(w, "p50", l->p50);
	jw_u64(w, "p90", l->p90);
	jw_u64(w, "p99", l->p99);
	jw_u64(w, "p99.9", l->p999);
	jw_u64(w, "max", l->max);
	jw_close(w, '}');
}

static void
json_config(struct jw *w, const struct sink *k)
{
	const struct sink_opts *o = &k->o;
	int i;

	jw_open(w, "config", '{');
	jw_dbl(w, "duration_s", o->duration_s);
	jw_u64(w, "count", o->count);
	jw_u64(w, "expect_count", o->expect_count);
	jw_bool(w, "expect_lossless", o->expect_lossless);
	jw_bool(w, "join", o->join);
	if (o->dport >= 0)
		jw_u64(w, "dport", (uint64_t)o->dport);
	else
		jw_str(w, "dport", NULL);
	jw_u64(w, "window", o->window);
	jw_u64(w, "max_senders", o->max_senders);
	jw_u64(w, "burst", o->burst);
	jw_u64(w, "rx_desc", o->rx_desc);
	jw_dbl(w, "stats_interval_s", o->stats_interval_s);
	jw_open(w, "eal_args", '[');
	for (i = 1; i < k->eal_argc; i++)
		jw_str(w, NULL, k->eal_argv[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

static int
id_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void
json_senders(struct jw *w, const struct sink *k)
{
	struct emit_track_sender_stats st;
	struct emit_latency lat;
	uint16_t *ids;
	int n, i;

	n = emit_track_senders(k->track, NULL, 0);
	ids = n > 0 ? calloc((size_t)n, sizeof(*ids)) : NULL;
	jw_open(w, "senders", '[');
	if (ids != NULL) {
		n = RTE_MIN(n, emit_track_senders(k->track, ids,
			(unsigned int)n));
		qsort(ids, (size_t)n, sizeof(*ids), id_cmp);
		for (i = 0; i < n; i++) {
			if (emit_track_sender_get(k->track, ids[i], &st) != 0 ||
			    emit_track_latency_get(k->track, ids[i], &lat) != 0)
				continue;
			jw_open(w, NULL, '{');
			jw_u64(w, "id", st.id);
			jw_u64(w, "received", st.received);
			jw_u64(w, "bytes", st.bytes);
			jw_u64(w, "first_seq", st.first_seq);
			jw_u64(w, "last_seq", st.last_seq);
			jw_u64(w, "lost", st.lost);
			jw_u64(w, "lost_gaps", st.lost_gaps);
			jw_u64(w, "lost_tail", st.lost_tail);
			jw_u64(w, "reordered", st.reordered);
			jw_u64(w, "duplicated", st.duplicated);
			jw_u64(w, "stale", st.stale);
			json_latency(w, &lat);
			jw_close(w, '}');
		}
	}
	jw_close(w, ']');
	free(ids);
}

int
sink_json(const struct sink *k, FILE *f)
{
	struct jw w = { .f = f, .depth = 0 };
	struct emit_track_totals t;
	struct emit_latency lat;
	double secs = sink_elapsed_s(k);
	int i;

	if (emit_track_totals_get(k->track, &t) != 0 ||
	    emit_track_latency_get(k->track, EMIT_TRACK_ALL, &lat) != 0)
		return -1;
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", emit_version());
	json_config(&w, k);
	jw_dbl(&w, "duration_s", secs);
	jw_str(&w, "stop_reason", sink_stop_name(k->stop));
	jw_open(&w, "totals", '{');
	jw_u64(&w, "frames", t.frames);
	jw_u64(&w, "events", t.events);
	jw_u64(&w, "bytes", t.bytes);
	jw_u64(&w, "senders", t.senders);
	jw_u64(&w, "lost", t.lost);
	jw_u64(&w, "reordered", t.reordered);
	jw_u64(&w, "duplicated", t.duplicated);
	jw_u64(&w, "stale", t.stale);
	jw_u64(&w, "malformed", t.malformed);
	jw_u64(&w, "other", t.other);
	jw_u64(&w, "untracked", t.untracked);
	jw_dbl(&w, "mpps", per_s(t.events, secs) / 1e6);
	jw_dbl(&w, "gbps", per_s(t.bytes, secs) * 8 / 1e9);
	jw_close(&w, '}');
	jw_open(&w, "malformed", '{');
	for (i = 0; i < EMIT_MALFORMED_MAX; i++)
		jw_u64(&w, emit_malformed_name((enum emit_malformed)i),
			t.malformed_by[i]);
	jw_close(&w, '}');
	json_latency(&w, &lat);
	json_senders(&w, k);
	jw_open(&w, "ports", '[');
	for (i = 0; i < k->nb_ports; i++) {
		const struct sink_port *p = &k->ports[i];

		jw_open(&w, NULL, '{');
		jw_u64(&w, "port_id", p->port_id);
		jw_str(&w, "name", p->name);
		jw_str(&w, "driver", p->driver);
		jw_bool(&w, "capture_file", p->finite);
		jw_u64(&w, "frames", p->frames);
		jw_u64(&w, "ipackets", p->stats.ipackets);
		jw_u64(&w, "ibytes", p->stats.ibytes);
		jw_u64(&w, "imissed", p->stats.imissed);
		jw_u64(&w, "ierrors", p->stats.ierrors);
		jw_u64(&w, "rx_nombuf", p->stats.rx_nombuf);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_bool(&w, "lossless", !sink_saw_loss(k));
	jw_close(&w, '}');
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
