/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen report: derived values, JSON and human forms. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <arpa/inet.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "common/json.h"
#include "gen_lat.h"
#include "gen_pcap.h"
#include "gen_report.h"

static double
per_s(double v, double s)
{
	return s > 0 ? v / s : 0;
}

void
gen_report_sums(const struct gen_report *r, struct gen_report_sums *s)
{
	const struct emit_pipeline_totals *t = &r->totals;
	double d = r->duration_s;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < r->nb_senders; i++) {
		const struct emit_sender_stats *st = &r->senders[i].st;

		s->rate_target += r->senders[i].rate_target;
		s->dropped_ring_full += st->dropped_ring_full;
		s->dropped_spin_timeout += st->dropped_spin_timeout;
		s->dropped_closed += st->dropped_closed;
		s->events_dropped += emit_sender_stats_dropped(st);
	}
	for (i = 0; i < r->nb_tx; i++) {
		s->tx_dropped_retry_exhausted +=
			r->tx[i].st.tx_dropped_retry_exhausted;
		s->tx_dropped_closed += r->tx[i].st.tx_dropped_closed;
		s->port_blocked_ns += r->tx[i].st.port_blocked_ns;
		s->port_blocked_episodes +=
			r->tx[i].st.port_blocked_episodes;
		s->events_dropped += emit_tx_stats_dropped(&r->tx[i].st);
	}
	if (r->metrics_off) {
		s->committed = r->generated;
		s->sent = r->port_opackets;
		/* Replayed frames differ in size: the port's count. */
		s->bytes = r->replay != NULL ? r->port_obytes :
			r->port_opackets * r->opts->size;
	} else {
		s->committed = t->committed;
		s->sent = t->tx_sent;
		s->bytes = t->tx_bytes;
	}
	s->mpps = per_s((double)s->sent, d) / 1e6;
	s->gbps = per_s(((double)s->bytes +
		(double)GEN_WIRE_OVERHEAD * (double)s->sent) * 8, d) / 1e9;
	s->gbps_l2 = per_s((double)s->bytes * 8, d) / 1e9;
	s->port_mpps = per_s((double)r->port_opackets, d) / 1e6;
	s->rate_achieved = per_s((double)s->committed, d);
	s->rate_error_ppm = s->rate_target == 0 ? NAN :
		(s->rate_achieved - (double)s->rate_target) /
		(double)s->rate_target * 1e6;
}

/* An address of the options: source or destination, first or last. */
static void
format_ip(const struct gen_opts *o, int src, int hi, char *buf)
{
	if (o->ip6) {
		if (inet_ntop(AF_INET6, src ? o->src_ip6[hi] : o->dst_ip6[hi],
				buf, INET6_ADDRSTRLEN) == NULL)
			(void)snprintf(buf, INET6_ADDRSTRLEN, "?");
		return;
	}
	gen_format_ipv4(src ? (hi ? o->src_ip_hi : o->src_ip) :
		(hi ? o->dst_ip_hi : o->dst_ip), buf);
}

static const char *
size_mode_name(const struct gen_opts *o)
{
	switch (o->size_mix.mode) {
	case EMIT_SIZE_RANGE:
		return "range";
	case EMIT_SIZE_LIST:
		return strcmp(o->size_arg, "imix") == 0 ? "imix" : "list";
	default:
		return "fixed";
	}
}

/* --replay in the config: the options and what the capture held. */
static void
json_replay(struct cli_json *j, const struct gen_report *r)
{
	const struct gen_pcap *p = r->replay;

	if (p == NULL) {
		cli_json_null(j, "replay");
		return;
	}
	cli_json_obj_begin(j, "replay");
	cli_json_str(j, "file", r->opts->replay);
	cli_json_bool(j, "timing", r->opts->replay_timing);
	cli_json_u64(j, "loop", r->opts->loops);
	cli_json_u64(j, "frames", p->nb);
	cli_json_u64(j, "bytes", p->bytes);
	cli_json_u64(j, "frame_min", p->min_len);
	cli_json_u64(j, "frame_max", p->max_len);
	cli_json_str(j, "timestamps", p->nsec ? "ns" : "us");
	cli_json_obj_end(j);
}

static void
json_config(struct cli_json *j, const struct gen_report *r)
{
	const struct gen_opts *o = r->opts;
	char buf[32], ipbuf[INET6_ADDRSTRLEN];
	unsigned int i;
	int k;

	cli_json_obj_begin(j, "config");
	cli_json_u64(j, "rate", o->rate);
	cli_json_str(j, "rate_arg", o->rate_arg);
	if (o->rate_bps != 0)
		cli_json_u64(j, "rate_bps", o->rate_bps);
	else
		cli_json_null(j, "rate_bps");
	cli_json_u64(j, "rate_bucket", r->rate_depth);
	if (r->replay == NULL)
		cli_json_u64(j, "size", o->size);
	else
		cli_json_null(j, "size"); /* the capture's: see "replay" */
	cli_json_u64(j, "wire_overhead", GEN_WIRE_OVERHEAD);
	cli_json_u64(j, "burst", o->burst);
	cli_json_u64(j, "linger_us", o->linger_us);
	if (o->duration_ns != 0)
		cli_json_double(j, "duration_s", (double)o->duration_ns / 1e9,
			3);
	else
		cli_json_null(j, "duration_s");
	if (o->count != 0)
		cli_json_u64(j, "count", o->count);
	else
		cli_json_null(j, "count");
	cli_json_u64(j, "senders", r->nb_senders);
	cli_json_u64(j, "tx_cores", r->nb_tx);
	cli_json_u64(j, "ring_size", o->ring_size);
	cli_json_str(j, "policy", gen_policy_name(o->policy));
	cli_json_u64(j, "flows", o->flows);
	gen_format_mac(o->src_mac, buf);
	cli_json_str(j, "src_mac", buf);
	gen_format_mac(o->dst_mac, buf);
	cli_json_str(j, "dst_mac", buf);
	gen_format_mac(o->src_mac_hi, buf);
	cli_json_str(j, "src_mac_hi", buf);
	gen_format_mac(o->dst_mac_hi, buf);
	cli_json_str(j, "dst_mac_hi", buf);
	cli_json_u64(j, "ip_version", o->ip6 ? 6 : 4);
	format_ip(o, 1, 0, ipbuf);
	cli_json_str(j, "src_ip", ipbuf);
	format_ip(o, 0, 0, ipbuf);
	cli_json_str(j, "dst_ip", ipbuf);
	format_ip(o, 1, 1, ipbuf);
	cli_json_str(j, "src_ip_hi", ipbuf);
	format_ip(o, 0, 1, ipbuf);
	cli_json_str(j, "dst_ip_hi", ipbuf);
	cli_json_u64(j, "sport", o->sport);
	cli_json_u64(j, "dport", o->dport);
	cli_json_u64(j, "sport_hi", o->sport_hi);
	cli_json_u64(j, "dport_hi", o->dport_hi);
	cli_json_str(j, "vary", o->vary == EMIT_VARY_RANDOM ? "random" :
		"inc");
	cli_json_u64(j, "seed", o->seed);
	cli_json_arr_begin(j, "vlan");
	for (i = 0; i < o->nb_vlan && i < 2; i++) {
		cli_json_obj_begin(j, NULL);
		cli_json_u64(j, "id", o->vlan[i][0]);
		cli_json_u64(j, "id_hi", o->vlan[i][1]);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
	cli_json_u64(j, "vlan_prio", o->vlan_prio);
	cli_json_bool(j, "udp_csum", o->udp_csum || o->ip6);
	cli_json_str(j, "csum_offload", o->csum_offload ? "auto" : "off");
	cli_json_str(j, "checksums", gen_report_checksums(r));
	cli_json_str(j, "size_arg", o->size_arg);
	cli_json_str(j, "size_mode", size_mode_name(o));
	if (o->rate_pct != 0)
		cli_json_double(j, "rate_link_pct", (double)o->rate_pct / 1e9,
			9);
	else
		cli_json_null(j, "rate_link_pct");
	cli_json_u64(j, "type", o->type);
	cli_json_str(j, "pattern", gen_pattern_name(o->pattern));
	cli_json_str(j, "layout", gen_layout_name(o->layout));
	cli_json_str(j, "rings", gen_rings_name(o->rings));
	cli_json_str(j, "tx_latency", gen_tx_latency_name(o->tx_latency));
	cli_json_str(j, "tx_policy", emit_tx_policy_name(o->tx_policy));
	if (o->tx_policy == EMIT_TX_POLICY_DROP)
		cli_json_u64(j, "tx_drop_us", o->tx_drop_us);
	else
		cli_json_null(j, "tx_drop_us");
	cli_json_double(j, "stats_interval_s", (double)o->interval_ns / 1e9,
		3);
	cli_json_str(j, "json", o->json);
	json_replay(j, r);
	cli_json_arr_begin(j, "eal_args");
	for (k = 0; k < r->eal_argc; k++)
		cli_json_str(j, NULL, r->eal_argv[k]);
	cli_json_arr_end(j);
	cli_json_bool(j, "eal_default", r->eal_default);
	cli_json_u64(j, "main_lcore", r->main_lcore);
	cli_json_str(j, "main_role", r->main_role);
	cli_json_arr_begin(j, "ports");
	for (i = 0; i < r->nb_ports; i++) {
		cli_json_obj_begin(j, NULL);
		cli_json_u64(j, "port_id", r->ports[i].port_id);
		cli_json_str(j, "name", r->ports[i].name);
		cli_json_u64(j, "tx_queues", r->ports[i].tx_queues);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
	cli_json_u64(j, "pool_size", r->pool_size);
	cli_json_obj_end(j);
}

static void
json_totals(struct cli_json *j, const struct gen_report *r,
		const struct gen_report_sums *s)
{
	const struct emit_pipeline_totals *t = &r->totals;

	cli_json_obj_begin(j, "totals");
	cli_json_u64(j, "events_committed", s->committed);
	if (r->metrics_off) {
		/* Not counted: nulls rather than zeros. */
		cli_json_null(j, "events_enqueued");
		cli_json_u64(j, "events_sent", s->sent);
		cli_json_null(j, "events_dropped");
		cli_json_null(j, "dropped");
	} else {
		cli_json_u64(j, "events_enqueued", t->enqueued);
		cli_json_u64(j, "events_sent", s->sent);
		cli_json_u64(j, "events_dropped", s->events_dropped);
		cli_json_obj_begin(j, "dropped");
		cli_json_u64(j, "ring_full", s->dropped_ring_full);
		cli_json_u64(j, "spin_timeout", s->dropped_spin_timeout);
		cli_json_u64(j, "closed", s->dropped_closed);
		cli_json_u64(j, "tx_retry_exhausted",
			s->tx_dropped_retry_exhausted);
		cli_json_u64(j, "tx_closed", s->tx_dropped_closed);
		cli_json_obj_end(j);
		cli_json_u64(j, "port_blocked_ns", s->port_blocked_ns);
		cli_json_u64(j, "port_blocked_episodes",
			s->port_blocked_episodes);
	}
	cli_json_u64(j, "bytes_sent", s->bytes);
	cli_json_double(j, "mpps", s->mpps, 6);
	cli_json_double(j, "gbps", s->gbps, 6);
	cli_json_double(j, "gbps_l2", s->gbps_l2, 6);
	cli_json_u64(j, "rate_target", s->rate_target);
	cli_json_double(j, "rate_achieved", s->rate_achieved, 3);
	cli_json_double(j, "rate_error_ppm", s->rate_error_ppm, 1);
	if (r->port_stats) {
		cli_json_u64(j, "port_opackets", r->port_opackets);
		cli_json_u64(j, "port_obytes", r->port_obytes);
		cli_json_double(j, "port_mpps", s->port_mpps, 6);
	} else {
		cli_json_null(j, "port_opackets");
		cli_json_null(j, "port_obytes");
		cli_json_null(j, "port_mpps");
	}
	cli_json_obj_end(j);
}

/* A latency summary in ns; without samples, only the count (0). */
static void
json_lat(struct cli_json *j, const char *key,
		const struct emit_hist_summary *l, const struct gen_lat *hist)
{
	static const char *const names[] = {
		"min", "p50", "p90", "p99", "p99.9", "max", "mean",
	};
	const uint64_t v[] = {
		l->min, l->p50, l->p90, l->p99, l->p999, l->max, l->mean,
	};

	cli_json_obj_begin(j, key);
	cli_json_summary(j, l->samples, names, v, RTE_DIM(names));
	if (hist != NULL)
		gen_iv_json_buckets(hist, j);
	cli_json_obj_end(j);
}

static void
json_senders(struct cli_json *j, const struct gen_report *r)
{
	unsigned int i, k;

	cli_json_arr_begin(j, "senders");
	for (i = 0; i < r->nb_senders; i++) {
		const struct gen_report_sender *sd = &r->senders[i];

		cli_json_obj_begin(j, NULL);
		cli_json_u64(j, "index", i);
		cli_json_u64(j, "id", sd->id);
		cli_json_u64(j, "lcore", sd->lcore);
		cli_json_u64(j, "tx", sd->tx);
		cli_json_u64(j, "rate_target", sd->rate_target);
		cli_json_double(j, "start_delay_s", sd->start_delay_s, 6);
		cli_json_double(j, "rate_achieved",
			per_s((double)sd->st.events_committed,
				sd->generation_s), 3);
		cli_json_double(j, "generation_s", sd->generation_s, 6);
		cli_json_obj_begin(j, "xstats");
		for (k = 0; k < r->nb_sender_xstats; k++)
			cli_json_u64(j, r->sender_xstats[k].name,
				sd->xstats[k]);
		cli_json_obj_end(j);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
}

static void
json_tx(struct cli_json *j, const struct gen_report *r)
{
	unsigned int i, k;

	cli_json_arr_begin(j, "tx");
	for (i = 0; i < r->nb_tx; i++) {
		const struct gen_report_tx *tx = &r->tx[i];

		cli_json_obj_begin(j, NULL);
		cli_json_u64(j, "index", i);
		cli_json_u64(j, "lcore", tx->lcore);
		cli_json_u64(j, "port_id", tx->port_id);
		cli_json_u64(j, "queue_id", tx->queue_id);
		cli_json_obj_begin(j, "xstats");
		for (k = 0; k < r->nb_tx_xstats; k++)
			cli_json_u64(j, r->tx_xstats[k].name, tx->xstats[k]);
		cli_json_obj_end(j);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
}

static void
json_conservation(struct cli_json *j, const struct gen_report *r)
{
	const struct emit_pipeline_totals *t = &r->totals;

	cli_json_obj_begin(j, "conservation");
	if (r->metrics_off) {
		cli_json_bool(j, "checked", 0);
		cli_json_str(j, "reason", "metrics compiled out");
		cli_json_u64(j, "port_backlog", r->port_backlog);
		cli_json_bool(j, "pools_full", r->pools_full);
		cli_json_obj_end(j);
		return;
	}
	cli_json_bool(j, "checked", 1);
	cli_json_bool(j, "ok", t->ok);
	cli_json_u64(j, "committed", t->committed);
	cli_json_u64(j, "enqueued", t->enqueued);
	cli_json_u64(j, "sender_dropped", t->dropped);
	cli_json_u64(j, "pending", t->pending);
	cli_json_u64(j, "tx_sent", t->tx_sent);
	cli_json_u64(j, "tx_dropped", t->tx_dropped);
	cli_json_u64(j, "in_rings", t->in_rings);
	cli_json_u64(j, "tx_held", t->tx_held);
	cli_json_u64(j, "port_backlog", r->port_backlog);
	cli_json_bool(j, "pools_full", r->pools_full);
	cli_json_obj_end(j);
}

/* One entry per stats period; empty without one. */
static void
json_intervals(struct cli_json *j, const struct gen_report *r)
{
	if (r->iv != NULL) {
		gen_iv_json(r->iv, j);
		return;
	}
	cli_json_arr_begin(j, "intervals");
	cli_json_arr_end(j);
	cli_json_u64(j, "intervals_omitted", 0);
}

int
gen_report_json(const struct gen_report *r, FILE *f)
{
	struct gen_report_sums s;
	struct cli_json j;

	gen_report_sums(r, &s);
	cli_json_init(&j, f);
	cli_json_obj_begin(&j, NULL);
	cli_json_u64(&j, "schema", GEN_REPORT_SCHEMA);
	cli_json_str(&j, "version", r->version);
	cli_json_str(&j, "dpdk_version", r->dpdk_version);
	json_config(&j, r);
	cli_json_double(&j, "duration_s", r->duration_s, 6);
	cli_json_double(&j, "elapsed_s", r->elapsed_s, 6);
	cli_json_str(&j, "stop_reason", r->stop_reason);
	cli_json_u64(&j, "exit_status", (uint64_t)r->exit_status);
	cli_json_bool(&j, "metrics", !r->metrics_off);
	json_totals(&j, r, &s);
	json_lat(&j, "latency_ns", &r->latency_ns, &r->latency_hist);
	json_lat(&j, "batch_wait_ns", &r->batch_wait_ns, NULL);
	json_senders(&j, r);
	json_tx(&j, r);
	json_conservation(&j, r);
	json_intervals(&j, r);
	cli_json_obj_end(&j);
	return cli_json_end(&j);
}

static void
text_lat(FILE *f, const char *label, const char *what,
		const struct emit_hist_summary *l)
{
	char p50[32], p99[32], p999[32], max[32];

	if (l->samples == 0) {
		fprintf(f, "  %s no sample (%s)\n", label, what);
		return;
	}
	fprintf(f, "  %s p50 %s, p99 %s, p99.9 %s, max %s (%s; %" PRIu64
		" samples)\n", label,
		gen_lat_format(l->p50, p50, sizeof(p50)),
		gen_lat_format(l->p99, p99, sizeof(p99)),
		gen_lat_format(l->p999, p999, sizeof(p999)),
		gen_lat_format(l->max, max, sizeof(max)), what, l->samples);
}

const char *
gen_report_checksums(const struct gen_report *r)
{
	const struct gen_opts *o = r->opts;
	const int ip = (r->csum_offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
	const int udp = (r->csum_offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) != 0;
	/* The frames' UDP checksum: IPv6 always, IPv4 with --udp-csum. */
	const int has_udp = o->ip6 || o->udp_csum;

	if (r->replay != NULL)
		return "as captured (replay: no offload)";
	if (ip && udp)
		return "offload (ipv4, udp)";
	if (ip && has_udp)
		return "offload (ipv4); udp in software";
	if (ip)
		return "offload (ipv4)";
	if (udp && !o->ip6)
		return "offload (udp); ipv4 in software";
	if (udp)
		return "offload (udp)";
	return "software";
}

void
gen_report_text(const struct gen_report *r, FILE *f)
{
	const struct emit_pipeline_totals *t = &r->totals;
	const struct gen_opts *o = r->opts;
	struct gen_report_sums s;

	gen_report_sums(r, &s);
	fprintf(f, "emit-gen %s: %u sender%s, %u TX stage%s, %u port%s, ",
		r->version, r->nb_senders, r->nb_senders == 1 ? "" : "s",
		r->nb_tx, r->nb_tx == 1 ? "" : "s", r->nb_ports,
		r->nb_ports == 1 ? "" : "s");
	if (r->replay != NULL)
		fprintf(f, "replay of %" PRIu32 " frames (%" PRIu32 "..%"
			PRIu32 " bytes)", r->replay->nb, r->replay->min_len,
			r->replay->max_len);
	else
		fprintf(f, "%" PRIu32 "-byte frames", o->size);
	fprintf(f, ", burst %" PRIu32 ", policy %s, TX policy %s\n",
		o->burst, gen_policy_name(o->policy),
		emit_tx_policy_name(o->tx_policy));
	fprintf(f, "  duration   %.3f s (stopped by %s; %.3f s with drain "
		"and stop)\n", r->duration_s, r->stop_reason, r->elapsed_s);
	fprintf(f, "  committed  %" PRIu64 " events (%.0f events/s)%s\n",
		s.committed, s.rate_achieved,
		r->metrics_off ? " by emit-gen's count" : "");
	if (r->metrics_off && !r->port_stats)
		fprintf(f, "  sent       not counted (metrics compiled out, "
			"no port statistics)\n");
	else
		fprintf(f, "  sent       %" PRIu64 " events, %" PRIu64
			" bytes: %.3f Mpps, %.3f Gbit/s on the wire (%.3f of "
			"frames)%s\n", s.sent, s.bytes, s.mpps, s.gbps,
			s.gbps_l2, r->metrics_off ?
			" by the ports' statistics" : "");
	if (!r->metrics_off && r->port_stats)
		fprintf(f, "  ports      %" PRIu64 " packets out: %.3f Mpps\n",
			r->port_opackets, s.port_mpps);
	if (r->metrics_off)
		fprintf(f, "  dropped    not counted (metrics compiled out)\n");
	else
		fprintf(f, "  dropped    %" PRIu64 " (ring_full %" PRIu64
			", spin_timeout %" PRIu64 ", closed %" PRIu64
			", tx_retry_exhausted %" PRIu64 ", tx_closed %" PRIu64
			")\n", s.events_dropped, s.dropped_ring_full,
			s.dropped_spin_timeout, s.dropped_closed,
			s.tx_dropped_retry_exhausted, s.tx_dropped_closed);
	if (!r->metrics_off && s.port_blocked_episodes != 0)
		fprintf(f, "  port       blocked %.3f s in %" PRIu64 " spell%s "
			"(refused packets held at TX, rings filled, --policy "
			"applied)\n", (double)s.port_blocked_ns / 1e9,
			s.port_blocked_episodes,
			s.port_blocked_episodes == 1 ? "" : "s");
	if (s.rate_target != 0)
		fprintf(f, "  rate       target %" PRIu64 " events/s, "
			"achieved %.0f (%+.0f ppm)\n", s.rate_target,
			s.rate_achieved, s.rate_error_ppm);
	else
		fprintf(f, "  rate       unlimited\n");
	fprintf(f, "  checksums  %s\n", gen_report_checksums(r));
	text_lat(f, "latency   ", r->metrics_off ? "metrics compiled out" :
		o->tx_latency == EMIT_TX_LATENCY_PACKET ?
		"commit to TX, one sample per packet" :
		o->tx_latency == EMIT_TX_LATENCY_OFF ?
		"commit to TX, sampling off" :
		"commit to TX, one sample per TX burst", &r->latency_ns);
	text_lat(f, "batch wait", r->metrics_off ? "metrics compiled out" :
		"commit to enqueue, one sample per burst", &r->batch_wait_ns);
	fprintf(f, "  conservation %s; mempools %s (%u mbufs)",
		r->metrics_off ? "not checked (metrics compiled out)" :
		t->ok ? "ok" : "FAILED", r->pools_full ? "full" :
		"NOT FULL", r->pool_size);
	if (r->port_backlog != 0)
		fprintf(f, "; %" PRIu64 " frames the port accepted were "
			"still in its ring (net_ring, nothing reads it), freed "
			"before the check", r->port_backlog);
	fprintf(f, "\n");
}
