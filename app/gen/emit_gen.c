/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen: the packet generator. Options, EAL, layout, run, report. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_version.h>

#include <emit.h>

#include "common/eal.h"
#include "common/opts.h"
#include "common/term.h"
#include "gen_lat.h"
#include "gen_layout.h"
#include "gen_opts.h"
#include "gen_pcap.h"
#include "gen_report.h"
#include "gen_run.h"
#include "gen_step.h"

#define EXIT_USAGE 2

/* Where the outputs go. */
struct gen_out {
	FILE *json;   /* NULL, stdout or the --json file */
	FILE *human;  /* stdout, or stderr with --json - */
	int tty;      /* stderr is a terminal */
	int created;  /* the --json file did not exist before */
	int written;  /* the report is in it */
};

/* --replay: the frame whose bytes after the Ethernet header and tags
 * (what an MTU counts) are the most; their number in *l3. */
static uint32_t
replay_worst(const struct gen_pcap *cap, uint32_t *l3)
{
	uint32_t i, n, l2, worst = 0;

	*l3 = 0;
	for (i = 0; i < cap->nb; i++) {
		l2 = gen_pcap_l2_len(cap->data + cap->off[i], cap->len[i]);
		n = cap->len[i] > l2 ? cap->len[i] - l2 : 0;
		if (n > *l3) {
			*l3 = n;
			worst = i;
		}
	}
	return worst;
}

static void
pipeline_conf(const struct gen_opts *o, const struct gen_layout *l,
		struct gen_ctx *ctx, struct emit_pipeline_conf *pc)
{
	unsigned int i;
	uint32_t mtu;
	int fmax;

	emit_pipeline_conf_init(pc);
	pc->nb_ports = l->nb_ports;
	memcpy(pc->ports, l->ports, l->nb_ports * sizeof(l->ports[0]));
	pc->nb_senders = l->nb_senders;
	for (i = 0; i < l->nb_senders; i++)
		pc->sender_lcores[i] = l->sender_lcores[i];
	pc->nb_tx = l->nb_tx;
	for (i = 0; i < l->nb_tx; i++)
		pc->tx_lcores[i] = l->tx_lcores[i];
	pc->sender.id = 0;
	pc->sender.desc_ring = o->rings == GEN_RINGS_DESC;
	pc->sender.burst = (uint16_t)o->burst;
	pc->sender.linger_us = o->linger_us;
	pc->sender.policy = o->policy;
	pc->sender.rate = l->sender_rate[0];
	/* A bit rate is paced in bits, each frame its own size. */
	if (l->sender_bps[0] != 0) {
		pc->sender.rate_unit = EMIT_RATE_BITS;
		pc->sender.rate = l->sender_bps[0];
	}
	pc->sender.rate_burst = l->rate_depth;
	pc->sender.frame = &ctx->frame;
	/* Pools for the largest frame of the run (jumbo frames included);
	 * a replay's frames are raw: the pipeline is told their MTU. */
	fmax = emit_frame_len_max(&ctx->frame, ctx->len);
	if (ctx->replay != NULL) {
		fmax = (int)ctx->replay->max_len;
		(void)replay_worst(ctx->replay, &mtu);
		pc->mtu = (uint16_t)mtu;
	}
	if (fmax > 0 && (uint32_t)fmax + RTE_PKTMBUF_HEADROOM + 64u >
			pc->mbuf_data_room)
		pc->mbuf_data_room = (uint16_t)(fmax + RTE_PKTMBUF_HEADROOM +
			64);
	pc->tx_burst = (uint16_t)o->burst;
	pc->ring_size = o->ring_size;
	pc->tx_latency = o->tx_latency;
	pc->tx_policy = o->tx_policy;
	pc->tx_drop_us = o->tx_drop_us;
	pc->close_ports = 1;
	/* A replay's frames go as captured: no offload flags on them. */
	pc->csum_offload = o->csum_offload && ctx->replay == NULL;
	pc->step = ctx->replay != NULL ? gen_replay_step : gen_step;
	pc->step_arg = ctx;
}

/* The largest frame of the run fits an mbuf and every port's MTU (the
 * pipeline raises the MTU for jumbo frames, up to what a port takes):
 * checked before the pipeline is made, so that nothing is sent. 0, or
 * -1 with a one-line reason naming the option (--size or --replay). */
static int
frames_fit(const struct gen_opts *o, const struct gen_ctx *ctx,
		const struct gen_layout *l, char *err, size_t errlen)
{
	const struct gen_pcap *cap = ctx->replay;
	uint32_t need, worst = 0;
	unsigned int k;
	int fmax = 0, max;

	if (cap != NULL) {
		if (cap->max_len > GEN_SIZE_MAX)
			return cli_errf(err, errlen, "--replay: a frame of %"
				PRIu32 " bytes is larger than the mbuf room "
				"(%u bytes)", cap->max_len, GEN_SIZE_MAX);
		worst = replay_worst(cap, &need);
	} else {
		fmax = emit_frame_len_max(&ctx->frame, ctx->len);
		if (fmax < 0)
			return cli_errf(err, errlen, "--size: '%s' makes no "
				"valid frame", o->size_arg);
		need = (uint32_t)fmax - RTE_ETHER_HDR_LEN -
			4u * ctx->frame.nb_vlan;
	}
	for (k = 0; k < l->nb_ports; k++) {
		max = emit_port_mtu_max(l->ports[k]);
		if (max < 0)
			return cli_errf(err, errlen, "cannot read the MTU of "
				"port %u: %s", l->ports[k], strerror(-max));
		if (need <= (uint32_t)max)
			continue;
		if (cap != NULL)
			return cli_errf(err, errlen, "--replay: frame %" PRIu32
				" (%u bytes) carries %" PRIu32 " bytes after "
				"its Ethernet header, more than the MTU port "
				"%u takes (at most %d)", worst + 1,
				cap->len[worst], need, l->ports[k], max);
		return cli_errf(err, errlen, "--size: '%s' has frames of %d "
			"bytes, which need an MTU of %" PRIu32 "; port %u "
			"takes at most %d", o->size_arg, fmax, need,
			l->ports[k], max);
	}
	return 0;
}

/* Mbufs a NIC still holds after its last transmit go back to the pool
 * (drivers without the call free them at stop, which is fine too). */
static void
tx_cleanup(const struct gen_layout *l)
{
	unsigned int i, q;

	for (i = 0; i < l->nb_ports; i++)
		for (q = 0; q < l->port_txq[i]; q++)
			(void)rte_eth_tx_done_cleanup(l->ports[i],
				(uint16_t)q, 0);
}

/* Frames a port accepted and still keeps: a net_ring port (--vdev
 * net_ring0) transmits into its own rte_ring, ETH_RXTX<queue>_<name>, and
 * nothing reads it in this process. They left emit (counted as sent) but
 * not the pool: free them, so that the pool check that follows tells a
 * leak from a port's backlog; returns how many. */
static uint64_t
port_backlog_free(const struct gen_layout *l)
{
	struct rte_eth_dev_info info;
	char dev[RTE_ETH_NAME_MAX_LEN], name[RTE_RING_NAMESIZE];
	struct rte_mbuf *m[64];
	struct rte_ring *r;
	uint64_t freed = 0;
	unsigned int i, q, n;

	for (i = 0; i < l->nb_ports; i++) {
		if (rte_eth_dev_info_get(l->ports[i], &info) != 0 ||
		    info.driver_name == NULL ||
		    strcmp(info.driver_name, "net_ring") != 0 ||
		    rte_eth_dev_get_name_by_port(l->ports[i], dev) != 0)
			continue;
		for (q = 0; q < l->port_txq[i]; q++) {
			if (snprintf(name, sizeof(name), "ETH_RXTX%u_%s", q,
					dev) >= (int)sizeof(name))
				continue;
			r = rte_ring_lookup(name);
			if (r == NULL)
				continue;
			while ((n = rte_ring_dequeue_burst(r, (void **)m,
					RTE_DIM(m), NULL)) != 0) {
				rte_pktmbuf_free_bulk(m, n);
				freed += n;
			}
		}
	}
	return freed;
}

/* Packets and bytes out of the ports used, summed; -1 if a port gives no
 * statistics. */
static int
port_out(const struct gen_layout *l, uint64_t *packets, uint64_t *bytes)
{
	struct rte_eth_stats st;
	unsigned int i;

	*packets = 0;
	*bytes = 0;
	for (i = 0; i < l->nb_ports; i++) {
		if (rte_eth_stats_get(l->ports[i], &st) != 0)
			return -1;
		*packets += st.opackets;
		*bytes += st.obytes;
	}
	return 0;
}

/* Every xstat of each sender and TX stage, by name; -1 with a message if
 * they cannot be read or the library has more than the report holds. */
static int
fill_xstats(struct gen_report *rep, const struct emit_pipeline *p)
{
	unsigned int i;
	int ns, nt, rc = 0;

	ns = emit_sender_xstats_names_get(emit_pipeline_sender(p, 0),
		rep->sender_xstats, GEN_XSTATS_MAX);
	nt = emit_tx_xstats_names_get(emit_pipeline_tx(p, 0), rep->tx_xstats,
		GEN_XSTATS_MAX);
	if (ns > GEN_XSTATS_MAX || nt > GEN_XSTATS_MAX) {
		fprintf(stderr, "emit-gen: %d sender and %d TX xstats, the "
			"report holds %d\n", ns, nt, GEN_XSTATS_MAX);
		return -1;
	}
	rc = ns < 0 ? ns : nt < 0 ? nt : 0;
	for (i = 0; i < rep->nb_senders && rc >= 0; i++)
		rc = emit_sender_xstats_get(emit_pipeline_sender(p, i), NULL,
			rep->senders[i].xstats, GEN_XSTATS_MAX);
	for (i = 0; i < rep->nb_tx && rc >= 0; i++)
		rc = emit_tx_xstats_get(emit_pipeline_tx(p, i), NULL,
			rep->tx[i].xstats, GEN_XSTATS_MAX);
	if (rc < 0) {
		fprintf(stderr, "emit-gen: cannot read the xstats: %s\n",
			strerror(-rc));
		return -1;
	}
	rep->nb_sender_xstats = (unsigned int)ns;
	rep->nb_tx_xstats = (unsigned int)nt;
	return 0;
}

/* Latency over the whole run: the commit-to-TX histograms of every TX
 * stage merged, and the batch-wait ones of every sender; -1 with a
 * message if they cannot be merged (clocks of different rates). */
static int
fill_latency(struct gen_report *rep, const struct emit_pipeline *p)
{
	struct gen_lat lat;
	int rc;

	gen_lat_init(&lat);
	rc = gen_lat_tx(&lat, p);
	gen_lat_summary(&lat, NULL, &rep->latency_ns);
	rep->latency_hist = lat;
	if (rc == 0) {
		gen_lat_init(&lat);
		rc = gen_lat_batch_wait(&lat, p);
		gen_lat_summary(&lat, NULL, &rep->batch_wait_ns);
	}
	if (rc != 0)
		fprintf(stderr, "emit-gen: cannot merge the latency "
			"histograms: %s\n", strerror(-rc));
	return rc != 0 ? -1 : 0;
}

static int
fill_report(struct gen_report *rep, const struct gen_opts *o,
		const struct cli_eal *eal, const struct gen_env *env,
		const struct gen_layout *l, const struct gen_run *run)
{
	struct emit_pipeline *p = run->p;
	unsigned int i, k;
	uint64_t pk, by;

	rep->opts = o;
	rep->version = emit_version();
	rep->dpdk_version = rte_version();
	rep->eal_argc = eal->argc;
	rep->eal_argv = eal->shown;
	rep->eal_default = eal->is_default;
	rep->main_lcore = env->lcores[0];
	rep->main_role = l->main_role;
	rep->rate_depth = l->rate_depth;
	rep->nb_ports = l->nb_ports;
	for (i = 0; i < l->nb_ports; i++) {
		rep->ports[i].port_id = l->ports[i];
		for (k = 0; k < env->nb_ports; k++)
			if (env->port_ids[k] == l->ports[i])
				/* A display name: cut to fit. */
				(void)snprintf(rep->ports[i].name,
					sizeof(rep->ports[i].name), "%s",
					env->port_names[k]);
		rep->ports[i].tx_queues = l->port_txq[i];
	}
	rep->nb_senders = l->nb_senders;
	for (i = 0; i < l->nb_senders; i++) {
		struct gen_report_sender *sd = &rep->senders[i];
		const struct gen_worker *w = &run->ctx->w[i];
		uint64_t end = w->stop != GEN_STOP_NONE ? w->end_tsc :
			run->end_tsc;

		sd->id = emit_sender_id(emit_pipeline_sender(p, i));
		sd->lcore = l->sender_lcores[i];
		sd->tx = i % l->nb_tx;
		sd->rate_target = l->sender_rate[i];
		sd->start_delay_s = (double)l->start_delay_ns[i] / 1e9;
		sd->generation_s = (double)(end - run->start_tsc) /
			(double)run->hz;
		emit_sender_stats_get(emit_pipeline_sender(p, i), &sd->st);
		rep->generated += w->counter - w->open;
	}
	rep->nb_tx = l->nb_tx;
	/* l->nb_ports >= 1 (gen_layout_plan); the analyzer forgets it
	 * because gen_run() was given a pointer to the layout. */
	for (i = 0; i < l->nb_tx; i++) {
		rep->tx[i].lcore = l->tx_lcores[i];
		/* NOLINTNEXTLINE(clang-analyzer-core.DivideZero) */
		rep->tx[i].port_id = l->ports[i % l->nb_ports];
		/* NOLINTNEXTLINE(clang-analyzer-core.DivideZero) */
		rep->tx[i].queue_id = (uint16_t)(i / l->nb_ports);
		emit_tx_stats_get(emit_pipeline_tx(p, i), &rep->tx[i].st);
	}
	rep->pool_size = emit_pipeline_pool_size(p);
	rep->csum_offloads = emit_pipeline_csum_offloads(p);
	rep->pools_full = emit_pipeline_pools_full(p) == 1;
	rep->duration_s = (double)(run->gen_end_tsc - run->start_tsc) /
		(double)run->hz;
	rep->elapsed_s = (double)(run->end_tsc - run->start_tsc) /
		(double)run->hz;
	rep->stop_reason = run->stop_reason;
	emit_pipeline_totals(p, &rep->totals);
	rep->metrics_off = !EMIT_METRICS;
	/* Against the statistics at start (run->port_*0). */
	if (run->port_stats && port_out(l, &pk, &by) == 0) {
		rep->port_stats = 1;
		rep->port_opackets = pk - run->port_packets0;
		rep->port_obytes = by - run->port_bytes0;
	}
	if (fill_xstats(rep, p) != 0 || fill_latency(rep, p) != 0)
		return -1;
	return 0;
}

/* Checks after the run; returns the exit status. */
static int
verdict(const struct gen_report *rep, const struct gen_run *run)
{
	const struct emit_pipeline_totals *t = &rep->totals;
	int status = 0;

	if (run->stop_rc < 0) {
		fprintf(stderr, "emit-gen: a sender stopped on an error: %s\n",
			strerror(-run->stop_rc));
		status = 1;
	}
	/* Without counters there is nothing to check the sums with. */
	if (!rep->metrics_off && !t->ok) {
		fprintf(stderr, "emit-gen: conservation check failed: "
			"committed %" PRIu64 " vs enqueued %" PRIu64
			" + dropped %" PRIu64 " + pending %" PRIu64
			"; enqueued vs sent %" PRIu64 " + TX dropped %" PRIu64
			" + in rings %" PRIu64 "\n", t->committed, t->enqueued,
			t->dropped, t->pending, t->tx_sent, t->tx_dropped,
			t->in_rings);
		status = 1;
	}
	if (!rep->pools_full) {
		fprintf(stderr, "emit-gen: mempools are not back to full after "
			"teardown (%u mbufs): an mbuf leaked\n",
			rep->pool_size);
		status = 1;
	}
	return status;
}

static int
write_outputs(const struct gen_report *rep, struct gen_out *out,
		const char *json_name)
{
	int status = 0;

	gen_report_text(rep, out->human);
	/* Human output, best effort; the JSON report's writes are checked. */
	(void)fflush(out->human);
	if (out->json == NULL)
		return 0;
	/* Opened for appending at start-up so as not to clobber a file
	 * before a report exists; the report replaces its content. */
	if (out->json != stdout && ftruncate(fileno(out->json), 0) != 0)
		status = 1;
	if (status == 0 && gen_report_json(rep, out->json) != 0)
		status = 1;
	out->written = status == 0;
	if (out->json != stdout && fclose(out->json) != 0)
		status = 1;
	out->json = NULL;
	if (status != 0)
		fprintf(stderr, "emit-gen: --json: cannot write '%s'\n",
			json_name);
	return status;
}

/* Summed link speed of the ports in Mbit/s: the link's, or before the
 * port reports one, the fastest speed it is capable of. */
static uint64_t
link_mbps(const struct gen_env *env)
{
	static const struct { uint32_t capa, mbps; } capa[] = {
		{ RTE_ETH_LINK_SPEED_200G, RTE_ETH_SPEED_NUM_200G },
		{ RTE_ETH_LINK_SPEED_100G, RTE_ETH_SPEED_NUM_100G },
		{ RTE_ETH_LINK_SPEED_56G, RTE_ETH_SPEED_NUM_56G },
		{ RTE_ETH_LINK_SPEED_50G, RTE_ETH_SPEED_NUM_50G },
		{ RTE_ETH_LINK_SPEED_40G, RTE_ETH_SPEED_NUM_40G },
		{ RTE_ETH_LINK_SPEED_25G, RTE_ETH_SPEED_NUM_25G },
		{ RTE_ETH_LINK_SPEED_20G, RTE_ETH_SPEED_NUM_20G },
		{ RTE_ETH_LINK_SPEED_10G, RTE_ETH_SPEED_NUM_10G },
		{ RTE_ETH_LINK_SPEED_5G, RTE_ETH_SPEED_NUM_5G },
		{ RTE_ETH_LINK_SPEED_2_5G, RTE_ETH_SPEED_NUM_2_5G },
		{ RTE_ETH_LINK_SPEED_1G, RTE_ETH_SPEED_NUM_1G },
	};
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	uint64_t sum = 0;
	unsigned int i, k;

	for (i = 0; i < env->nb_ports; i++) {
		uint16_t p = env->port_ids[i];

		if (rte_eth_link_get_nowait(p, &link) == 0 &&
		    link.link_speed != RTE_ETH_SPEED_NUM_NONE &&
		    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN) {
			sum += link.link_speed;
			continue;
		}
		if (rte_eth_dev_info_get(p, &info) != 0)
			continue;
		for (k = 0; k < RTE_DIM(capa); k++)
			if (info.speed_capa & capa[k].capa) {
				sum += capa[k].mbps;
				break;
			}
	}
	return sum;
}

static int
generate(struct gen_opts *o, const struct cli_eal *eal, struct gen_out *out,
		const struct gen_pcap *cap)
{
	struct emit_pipeline_conf pc;
	struct gen_report *rep = NULL;
	struct gen_ctx *ctx = NULL;
	struct gen_layout l;
	struct gen_env env;
	struct gen_run run;
	struct gen_iv iv;
	char err[512];
	unsigned int i;
	int rc, status;

	gen_layout_env(&env);
	if (gen_opts_rate_link(o, link_mbps(&env), err, sizeof(err)) != 0 ||
	    gen_layout_plan(o, &env, &l, err, sizeof(err)) != 0) {
		fprintf(stderr, "emit-gen: %s\n", err);
		return EXIT_USAGE;
	}
	if (l.unused_ports != 0)
		fprintf(stderr, "emit-gen: %u TX stage%s: %u of the %u ports "
			"unused (give more lcores or --tx-cores)\n", l.nb_tx,
			l.nb_tx == 1 ? "" : "s", l.unused_ports, env.nb_ports);
	ctx = rte_zmalloc("emit_gen_ctx", sizeof(*ctx), RTE_CACHE_LINE_SIZE);
	rep = calloc(1, sizeof(*rep));
	if (ctx == NULL || rep == NULL) {
		fprintf(stderr, "emit-gen: out of memory\n");
		rte_free(ctx);
		free(rep);
		return 1;
	}
	gen_ctx_init(ctx, o, cap);
	memset(&run, 0, sizeof(run));
	if (frames_fit(o, ctx, &l, err, sizeof(err)) != 0) {
		fprintf(stderr, "emit-gen: %s\n", err);
		status = EXIT_USAGE;
		goto out;
	}
	pipeline_conf(o, &l, ctx, &pc);
	run.p = emit_pipeline_create(&pc);
	if (run.p == NULL) {
		fprintf(stderr, "emit-gen: cannot set up the pipeline: %s%s\n",
			rte_strerror(rte_errno), rte_errno == ENOMEM ?
			" (give EAL more memory with -m, or use a smaller "
			"--ring-size)" : "");
		status = 1;
		goto out;
	}
	for (i = 1; i < l.nb_senders; i++)
		if ((l.sender_rate[i] != l.sender_rate[0] ||
		     l.sender_bps[i] != l.sender_bps[0]) &&
		    emit_sender_rate_set(emit_pipeline_sender(run.p, i),
			    l.sender_bps[0] != 0 ? l.sender_bps[i] :
			    l.sender_rate[i]) != 0) {
			fprintf(stderr, "emit-gen: cannot set the rate of "
				"sender %u\n", i);
			status = 1;
			goto out;
		}
	run.port_stats = port_out(&l, &run.port_packets0,
		&run.port_bytes0) == 0;
	run.ctx = ctx;
	run.o = o;
	run.l = &l;
	run.progress = stderr;
	run.progress_tty = out->tty;
	run.interval_ns = o->interval_ns;
	if (run.interval_ns != 0) {
		if (gen_iv_init(&iv, o->duration_ns, run.interval_ns) != 0) {
			fprintf(stderr, "emit-gen: out of memory\n");
			status = 1;
			goto out;
		}
		run.iv = &iv;
		rep->iv = &iv;
	}
	rc = gen_run(&run);
	if (rc != 0) {
		fprintf(stderr, "emit-gen: cannot start the lcores: %s\n",
			strerror(-rc));
		status = 1;
		goto out;
	}
	tx_cleanup(&l);
	rep->port_backlog = port_backlog_free(&l);
	rep->replay = cap;
	status = fill_report(rep, o, eal, &env, &l, &run) != 0;
	if (verdict(rep, &run) != 0)
		status = 1;
	rep->exit_status = status;
	if (write_outputs(rep, out, o->json) != 0)
		status = 1;
out:
	if (run.iv != NULL)
		gen_iv_free(&iv);
	emit_pipeline_free(run.p);
	rte_free(ctx);
	free(rep);
	return status;
}

static int
open_outputs(struct gen_opts *o, struct gen_out *out)
{
	memset(out, 0, sizeof(*out));
	out->human = stdout;
	out->tty = cli_term_stderr_tty();
	if (o->json != NULL && strcmp(o->json, "-") == 0) {
		out->json = stdout;
		out->human = stderr;
	} else if (o->json != NULL) {
		out->created = access(o->json, F_OK) != 0;
		out->json = fopen(o->json, "a");
		if (out->json == NULL) {
			fprintf(stderr, "emit-gen: --json: cannot open '%s': "
				"%s\n", o->json, strerror(errno));
			return -1;
		}
	}
	/* The progress line: as asked, or every second on a terminal. */
	o->interval_ns = cli_term_interval_ns(o->interval_set,
		o->interval_ns, out->tty);
	return 0;
}

static void
close_outputs(const struct gen_opts *o, struct gen_out *out)
{
	/* No report was written to it: nothing to lose on a failed close. */
	if (out->json != NULL && out->json != stdout)
		(void)fclose(out->json);
	out->json = NULL;
	/* No report: do not leave an empty file of ours behind. */
	if (o->json != NULL && strcmp(o->json, "-") != 0 && out->created &&
	    !out->written)
		unlink(o->json);
}

int
main(int argc, char **argv)
{
	struct gen_pcap cap;
	struct gen_opts o;
	struct cli_eal eal;
	struct gen_out out;
	char err[512], **opt_argv;
	int opt_argc, sep, rc, status;

	/* EAL options before the first "--"; without one, all are ours. */
	sep = cli_eal_sep(argc, argv);
	opt_argc = sep < argc ? argc - sep - 1 : argc - 1;
	opt_argv = sep < argc ? argv + sep + 1 : argv + 1;
	if (cli_eal_args(&eal, sep < argc ? sep : 1, argv, "emit-gen") != 0) {
		fprintf(stderr, "emit-gen: out of memory\n");
		return 1;
	}
	/* A reader of the report that goes away is a write error, reported
	 * as such, not a reason to die before tearing down. */
	(void)signal(SIGPIPE, SIG_IGN);
	rc = gen_opts_parse(opt_argc, opt_argv, &o, err, sizeof(err));
	if (rc == GEN_OPTS_HELP || rc == GEN_OPTS_VERSION) {
		if (rc == GEN_OPTS_HELP)
			gen_opts_usage(stdout);
		else
			printf("emit-gen %s (%s)\n", emit_version(),
				rte_version());
		cli_eal_free(&eal);
		return 0;
	}
	memset(&cap, 0, sizeof(cap));
	/* The capture is read and checked before EAL starts: a bad one
	 * costs nothing and sends nothing. */
	if (rc == 0 && o.replay != NULL) {
		if (gen_pcap_load(o.replay, UINT16_MAX, &cap, err,
				sizeof(err)) != 0) {
			fprintf(stderr, "emit-gen: --replay: %s\n", err);
			cli_eal_free(&eal);
			return EXIT_USAGE;
		}
		/* The capture's mean frame: what a bit rate (--rate 10Gbps
		 * now, --rate N% once the link speed is known) counts. */
		o.size = (uint32_t)(cap.bytes / cap.nb);
		if (o.rate_bps != 0)
			rc = gen_opts_rate_from_bps(&o, o.size, err,
				sizeof(err));
	}
	if (rc != 0 || open_outputs(&o, &out) != 0) {
		if (rc != 0)
			fprintf(stderr, "emit-gen: %s\n", err);
		gen_pcap_free(&cap);
		cli_eal_free(&eal);
		return EXIT_USAGE;
	}
	rc = cli_eal_init(&eal);
	if (rc < 0) {
		int e = rte_errno;

		fprintf(stderr, "emit-gen: EAL did not start: %s\n",
			rte_strerror(e));
		close_outputs(&o, &out);
		gen_pcap_free(&cap);
		cli_eal_free(&eal);
		return e == EINVAL ? EXIT_USAGE : 1;
	}
	if (rc + 1 < eal.argc) {
		fprintf(stderr, "emit-gen: unexpected argument '%s' among the "
			"EAL options (emit-gen options go after --)\n",
			eal.argv[rc + 1]);
		status = EXIT_USAGE;
	} else if (gen_run_signals_install() != 0) {
		fprintf(stderr, "emit-gen: cannot catch SIGINT/SIGTERM\n");
		status = 1;
	} else {
		status = generate(&o, &eal, &out, o.replay != NULL ? &cap :
			NULL);
	}
	close_outputs(&o, &out);
	gen_pcap_free(&cap);
	cli_eal_cleanup(&eal);
	cli_eal_free(&eal);
	return status;
}
