/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink: receive emit events on every port, verify each sender's
 * sequence, measure one-way latency, report. Every RX queue has its own
 * tracker, written only by the one lcore that polls the queue; the main
 * lcore polls its share of the queues, watches the clock, the counts and
 * the signals, and reads the trackers merged. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "common/eal.h"
#include "common/opts.h"
#include "common/term.h"
#include "sink.h"
#include "sink_iv.h"

/* A frame longer than any IPv4 packet plus Ethernet cannot be an event;
 * segmented frames up to this size are copied here to be decoded. */
#define SINK_FRAME_MAX (14u + 65535u)
/* Rounds of polling after a signal to take what the ports hold. */
#define SINK_DRAIN_ROUNDS 4096

static int signals;

static void
on_signal(int sig)
{
	(void)sig;
	__atomic_fetch_add(&signals, 1, __ATOMIC_RELAXED);
}

static uint64_t
realtime_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* With --dport, an IPv4/UDP frame to another port is not emit traffic,
 * even when it is not well formed either. */
static bool
other_port(const struct sink *k, const uint8_t *f, uint32_t len)
{
	return k->o.dport >= 0 && len >= 42 && be16_at(f + 12) == 0x0800 &&
		f[14] == 0x45 && f[23] == 17 && be16_at(f + 36) != k->o.dport;
}

/* What one lcore polls. */
struct sink_lcore {
	struct sink *k;
	unsigned int lcore_id;
	unsigned int nb_q;
	struct sink_rxq *q[SINK_PORTS_MAX * SINK_QUEUES_MAX];
	uint8_t *scratch;         /* SINK_FRAME_MAX bytes */
};

/* Decode and account one frame into @p q's tracker; returns 1 if it was
 * an event. */
static int
sink_frame(struct sink *k, struct sink_rxq *q, uint8_t *scratch,
		struct rte_mbuf *m, uint64_t rx_ns)
{
	const struct sink_port *p = q->port;
	struct emit_track *t = q->track;
	struct emit_decoded ev;
	const uint8_t *data;
	uint32_t len = rte_pktmbuf_pkt_len(m);
	int rc, r;

	sink_frames_size(&q->mix, len);
	if (m->nb_segs == 1) {
		data = rte_pktmbuf_mtod(m, const uint8_t *);
		len = m->data_len;
	} else if (len > SINK_FRAME_MAX) {
		emit_track_malformed(t, EMIT_MALFORMED_LENGTH);
		return 0;
	} else {
		data = rte_pktmbuf_read(m, 0, len, scratch);
		if (data == NULL) {
			emit_track_malformed(t, EMIT_MALFORMED_TRUNCATED);
			return 0;
		}
	}
	/* net_pcap stamps each frame with its capture time in us. */
	if (p->pcap_ts && (m->ol_flags & k->ts_flag) != 0)
		rx_ns = *(uint64_t *)(void *)((char *)m + k->ts_off) * 1000;
	rc = emit_decode(data, len, &ev);
	if (rc == 0) {
		if (k->o.dport >= 0 && ev.dst_port != k->o.dport) {
			emit_track_other(t);
			return 0;
		}
		sink_frames_vlan(&q->mix, &ev);
		/* -ENOSPC (too many senders) is counted as untracked. */
		(void)emit_track_event(t, &ev, rx_ns);
		return 1;
	}
	r = emit_decode_reason(rc);
	if (r == EMIT_MALFORMED_NOT_IPV4 || r == EMIT_MALFORMED_NOT_UDP ||
	    other_port(k, data, len))
		emit_track_other(t);
	else
		emit_track_malformed(t, (enum emit_malformed)r);
	return 0;
}

/* Poll each queue of @p lc once; returns frames taken. */
static unsigned int
sink_round(struct sink_lcore *lc)
{
	struct rte_mbuf *pkts[SINK_BURST_MAX];
	struct sink *k = lc->k;
	unsigned int total = 0, i;
	uint64_t rx_ns, events;
	uint16_t j, n;

	for (i = 0; i < lc->nb_q; i++) {
		struct sink_rxq *q = lc->q[i];

		if (q->ended)
			continue;
		n = rte_eth_rx_burst(q->port->port_id, q->queue_id, pkts,
			k->o.burst);
		if (n == 0) {
			if (sink_rxq_at_end(q))
				__atomic_store_n(&q->ended, true,
					__ATOMIC_RELAXED);
			continue;
		}
		/* One receive time per burst, read as it returns. */
		rx_ns = realtime_ns();
		events = 0;
		for (j = 0; j < n; j++)
			events += (uint64_t)sink_frame(k, q, lc->scratch,
				pkts[j], rx_ns);
		rte_pktmbuf_free_bulk(pkts, n);
		/* Single writer; the main lcore reads them relaxed. */
		__atomic_store_n(&q->frames, q->frames + n, __ATOMIC_RELAXED);
		__atomic_store_n(&q->events, q->events + events,
			__ATOMIC_RELAXED);
		total += n;
	}
	return total;
}

/* Frames that arrived before the signal are counted; a second signal
 * cuts this short. */
static void
sink_drain(struct sink_lcore *lc)
{
	unsigned int rounds;

	for (rounds = 0; rounds < SINK_DRAIN_ROUNDS &&
	     __atomic_load_n(&signals, __ATOMIC_RELAXED) < 2; rounds++)
		if (sink_round(lc) == 0)
			break;
}

/* A polling lcore other than the main one: poll until told to quit. */
static int
sink_worker(void *arg)
{
	struct sink_lcore *lc = arg;
	struct sink *k = lc->k;

	/* Pairs with the release store of quit in sink_loop: the stop
	 * reason written before it is seen here. */
	while (!__atomic_load_n(&k->quit, __ATOMIC_ACQUIRE))
		sink_round(lc);
	if (__atomic_load_n(&k->stop, __ATOMIC_RELAXED) == SINK_STOP_SIGNAL)
		sink_drain(lc);
	return 0;
}

/* Events taken and queues ended, over every queue. */
static void
sink_counts(const struct sink *k, uint64_t *events, unsigned int *ended)
{
	unsigned int i;

	*events = 0;
	*ended = 0;
	for (i = 0; i < k->nb_rxq; i++) {
		*events += __atomic_load_n(&k->rxq[i].events,
			__ATOMIC_RELAXED);
		*ended += __atomic_load_n(&k->rxq[i].ended,
			__ATOMIC_RELAXED) ? 1 : 0;
	}
}

/* Poll on the main lcore (lc[0]) and on the workers until a stop
 * condition; returns 0, or -1 if a worker could not be launched. */
static int
sink_loop(struct sink *k, struct sink_lcore *lc, uint64_t interval_ns,
		bool tty)
{
	uint64_t hz = rte_get_tsc_hz(), now, stop_at = UINT64_MAX;
	uint64_t next_progress = UINT64_MAX, progress_ticks = 0, events = 0;
	unsigned int ended = 0, i;
	enum sink_stop stop = SINK_STOP_NONE;
	int rc = 0;

	for (i = 1; i < k->nb_lcores; i++)
		if (rte_eal_remote_launch(sink_worker, &lc[i],
				lc[i].lcore_id) != 0) {
			fprintf(stderr, SINK_NAME ": cannot launch lcore "
				"%u\n", lc[i].lcore_id);
			stop = SINK_STOP_SIGNAL;
			rc = -1;
			break;
		}
	if (k->o.duration_ns > 0)
		stop_at = k->start_tsc + (uint64_t)((double)k->o.duration_ns /
			1e9 * (double)hz);
	if (interval_ns > 0) {
		progress_ticks = (uint64_t)((double)interval_ns / 1e9 *
			(double)hz);
		next_progress = k->start_tsc + progress_ticks;
	}
	while (stop == SINK_STOP_NONE) {
		sink_round(&lc[0]);
		now = rte_get_tsc_cycles();
		sink_counts(k, &events, &ended);
		if (k->o.count != 0 && events >= k->o.count)
			stop = SINK_STOP_COUNT;
		else if (ended == k->nb_rxq)
			stop = SINK_STOP_EOF;
		else if (__atomic_load_n(&signals, __ATOMIC_RELAXED) != 0)
			stop = SINK_STOP_SIGNAL;
		else if (now >= stop_at)
			stop = SINK_STOP_DURATION;
		if (now >= next_progress) {
			sink_progress(k, stderr, tty);
			if (k->iv != NULL)
				sink_iv_take(k->iv, k, now, 0);
			next_progress = now + progress_ticks;
		}
	}
	__atomic_store_n(&k->stop, stop, __ATOMIC_RELAXED);
	__atomic_store_n(&k->quit, true, __ATOMIC_RELEASE);
	if (stop == SINK_STOP_SIGNAL)
		sink_drain(&lc[0]);
	rte_eal_mp_wait_lcore();
	now = rte_get_tsc_cycles();
	/* The last period, up to the end of the drain. */
	if (k->iv != NULL)
		sink_iv_take(k->iv, k, now, 1);
	__atomic_store_n(&k->end_tsc, now, __ATOMIC_RELAXED);
	cli_term_done(stderr, tty, progress_ticks != 0);
	return rc;
}

/* One tracker per queue; the polling lcores, the main one first. */
static int
sink_setup(struct sink *k, struct sink_lcore **lcp)
{
	struct emit_track_conf tc;
	struct sink_lcore *lc;
	unsigned int i, j;

	emit_track_conf_init(&tc);
	tc.max_senders = k->o.max_senders;
	tc.window = k->o.window;
	tc.join = k->o.join;
	tc.expect_count = k->o.expect_count;
	for (i = 0; i < k->nb_rxq; i++) {
		tc.socket_id = (int)rte_lcore_to_socket_id(k->rxq[i].lcore_id);
		k->rxq[i].track = emit_track_create(&tc);
		if (k->rxq[i].track == NULL) {
			fprintf(stderr, SINK_NAME ": tracker: %s\n",
				rte_strerror(rte_errno));
			return -1;
		}
		k->tracks[i] = k->rxq[i].track;
	}
	lc = calloc(k->nb_lcores, sizeof(*lc));
	*lcp = lc;
	if (lc == NULL)
		return -1;
	for (j = 0; j < k->nb_lcores; j++) {
		lc[j].k = k;
		lc[j].lcore_id = k->rxq[j].lcore_id;
		lc[j].scratch = malloc(SINK_FRAME_MAX);
		if (lc[j].scratch == NULL)
			return -1;
		for (i = j; i < k->nb_rxq; i += k->nb_lcores)
			lc[j].q[lc[j].nb_q++] = &k->rxq[i];
	}
	return 0;
}

static void
sink_teardown(struct sink *k, struct sink_lcore *lc)
{
	unsigned int i;

	for (i = 0; lc != NULL && i < k->nb_lcores; i++)
		free(lc[i].scratch);
	free(lc);
	for (i = 0; i < k->nb_rxq; i++)
		emit_track_free(k->rxq[i].track);
	rte_free(k->rxq);
}

static int
write_json(const struct sink *k)
{
	FILE *f;
	int rc;

	if (strcmp(k->o.json, "-") == 0)
		return sink_json(k, stdout) == 0 && fflush(stdout) == 0 ? 0 : -1;
	f = fopen(k->o.json, "w");
	if (f == NULL) {
		fprintf(stderr, SINK_NAME ": --json %s: %s\n", k->o.json,
			strerror(errno));
		return -1;
	}
	rc = sink_json(k, f);
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, SINK_NAME ": --json %s: write failed\n",
			k->o.json);
	return rc;
}

/* Split argv at the first "--": EAL options before, sink options after
 * (as argv[0] first, for getopt). Without "--" everything goes to EAL,
 * except a lone --help or --version. */
static void
split_args(int argc, char **argv, int *eal_argc, int *opt_argc,
		char ***opt_argv)
{
	int i = cli_eal_sep(argc, argv);

	*eal_argc = i;
	if (i < argc) {
		/* getopt wants a program name first: reuse the "--" slot. */
		argv[i] = argv[0];
		*opt_argc = argc - i;
		*opt_argv = argv + i;
		return;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "--version") == 0)) {
		*eal_argc = 1;
		*opt_argc = 2;
		*opt_argv = argv;
		return;
	}
	*opt_argc = 1;
	*opt_argv = argv;
}

static struct sink sink;

int
main(int argc, char **argv)
{
	struct sink_lcore *lc = NULL;
	struct sink *k = &sink;
	struct sink_iv iv;
	uint64_t interval_ns;
	struct cli_eal eal;
	char **opt_argv, err[512];
	int eal_argc, opt_argc, rc, status = 0;
	bool tty = cli_term_stderr_tty() != 0;
	FILE *human;

	split_args(argc, argv, &eal_argc, &opt_argc, &opt_argv);
	rc = sink_opts_parse(opt_argc, opt_argv, &k->o, err, sizeof(err));
	if (rc == CLI_OPTS_HELP) {
		sink_usage(stdout);
		return 0;
	}
	if (rc == CLI_OPTS_VERSION) {
		printf(SINK_NAME " %s\n", emit_version());
		return 0;
	}
	if (rc != 0) {
		fprintf(stderr, SINK_NAME ": %s\n", err);
		return 2;
	}
	/* EAL rewrites argv; the report shows the arguments as given. No
	 * default set-up: without EAL options EAL gets none. */
	if (cli_eal_args(&eal, eal_argc, argv, NULL) != 0)
		return 1;
	k->eal_argc = eal.argc;
	k->eal_argv = eal.shown;
	rc = cli_eal_init(&eal);
	if (rc < 0) {
		int e = rte_errno;

		fprintf(stderr, SINK_NAME ": EAL init failed: %s\n",
			rte_strerror(e));
		cli_eal_free(&eal);
		return e == EINVAL ? 2 : 1;
	}
	if (signal(SIGINT, on_signal) == SIG_ERR ||
	    signal(SIGTERM, on_signal) == SIG_ERR) {
		fprintf(stderr, SINK_NAME ": cannot catch SIGINT/SIGTERM\n");
		cli_eal_cleanup(&eal);
		cli_eal_free(&eal);
		return 1;
	}
	rc = sink_ports_start(k);
	if (rc != 0) {
		status = rc == -ENODEV ? 2 : rc == -EINVAL ? 2 : 1;
		goto out_ports;
	}
	if (sink_setup(k, &lc) != 0) {
		fprintf(stderr, SINK_NAME ": set-up of %u RX queue(s) on %u "
			"lcore(s) failed (give EAL more memory with -m)\n",
			k->nb_rxq, k->nb_lcores);
		status = 1;
		goto out_ports;
	}
	k->start_tsc = rte_get_tsc_cycles();
	if (sink_telemetry_register(k) != 0)
		fprintf(stderr, SINK_NAME ": telemetry commands not "
			"registered\n");
	interval_ns = cli_term_interval_ns(k->o.stats_interval_set,
		k->o.stats_interval_ns, tty);
	if (interval_ns != 0) {
		if (sink_iv_init(&iv, k->o.duration_ns, interval_ns) != 0) {
			fprintf(stderr, SINK_NAME ": out of memory\n");
			status = 1;
			goto out_ports;
		}
		k->iv = &iv;
	}
	fprintf(stderr, SINK_NAME ": receiving on %u port(s), %u RX queue(s), "
		"%u lcore(s)\n", k->nb_ports, k->nb_rxq, k->nb_lcores);
	if (sink_loop(k, lc, interval_ns, tty) != 0)
		status = 1;
	sink_ports_stop(k);
	human = k->o.json != NULL && strcmp(k->o.json, "-") == 0 ?
		stderr : stdout;
	sink_summary(k, human);
	(void)fflush(human); /* the summary is best effort; the JSON is not */
	if (k->o.json != NULL && write_json(k) != 0)
		status = 1;
	if (k->o.expect_lossless && sink_saw_loss(k)) {
		fprintf(stderr, SINK_NAME ": --expect-lossless: events were "
			"lost or frames malformed\n");
		status = 1;
	}
	goto out;
out_ports:
	sink_ports_stop(k);
out:
	sink_telemetry_detach();
	if (k->iv != NULL)
		sink_iv_free(k->iv);
	sink_teardown(k, lc);
	rte_mempool_free(k->pool);
	cli_eal_cleanup(&eal);
	cli_eal_free(&eal);
	return status;
}
