/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen: drive one sender and one TX stage through the library. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <emit.h>

struct gen_opts {
	double duration_s;
	uint16_t size;
	uint16_t burst;
};

struct gen_worker {
	struct emit_sender *s;
	uint16_t len;
	uint16_t burst;
	const bool *quit;
	int rc;
};

static bool quit_flag;
static bool stop_signal;

static void
on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop_signal, true, __ATOMIC_RELAXED);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: emit-gen [EAL options] -- [--duration S] "
		"[--size BYTES] [--burst N]\n");
}

static int
parse_opts(int argc, char **argv, struct gen_opts *o)
{
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	o->duration_s = 3;
	o->size = 128;
	o->burst = 32;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			errno = 0;
			o->duration_s = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(o->duration_s > 0)) {
				fprintf(stderr, "emit-gen: --duration: expected "
					"seconds > 0, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 's':
		case 'b':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v <= 0 ||
			    (c == 's' && (v < (long)EMIT_FRAME_OVERHEAD ||
					  v > 9000)) ||
			    (c == 'b' && v > EMIT_BURST_MAX)) {
				fprintf(stderr, "emit-gen: --%s: out of range "
					"'%s'\n", c == 's' ? "size" : "burst",
					optarg);
				return -1;
			}
			if (c == 's')
				o->size = (uint16_t)v;
			else
				o->burst = (uint16_t)v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "emit-gen: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static int
sender_loop(void *arg)
{
	struct gen_worker *w = arg;
	void *data[EMIT_BURST_MAX];
	uint64_t counter = 0;
	int n, i;

	while (!__atomic_load_n(w->quit, __ATOMIC_RELAXED)) {
		n = emit_claim_burst(w->s, 1, w->len, data, w->burst);
		if (n < 0) {
			emit_poll(w->s);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (w->len >= sizeof(counter))
				memcpy(data[i], &counter, sizeof(counter));
			counter++;
		}
		if (emit_commit_burst(w->s, (unsigned int)n) != n)
			emit_abort_burst(w->s);
	}
	w->rc = emit_sender_close(w->s) < 0 ? -1 : 0;
	return 0;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *def_argv[] = { argv[0], "-l", "0-1", "--no-huge", "--no-pci",
		"-m", "256", "--vdev", "net_null0", "--file-prefix", prefix,
		"--log-level", "lib.eal:warning", NULL };
	int def_argc = (int)RTE_DIM(def_argv) - 1;
	struct rte_eth_conf port_conf;
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct gen_worker w;
	struct gen_opts o;
	struct rte_mempool *mp;
	struct rte_ring *ring;
	struct emit_tx *tx;
	unsigned int worker;
	uint64_t start, stop_at, end;
	double secs;
	int ret, sep = -1, i, status = 0;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	snprintf(prefix, sizeof(prefix), "emit-gen-%d", (int)getpid());
	if (sep == 1 || (sep < 0)) {
		/* No EAL options: a null port without hugepages. */
		int opt_argc = sep < 0 ? argc - 1 : argc - 2;
		char **opt_argv = sep < 0 ? argv + 1 : argv + 2;

		if (sep < 0 && argc > 1 && argv[1][0] == '-' &&
		    argv[1][1] != '-') {
			fprintf(stderr, "emit-gen: EAL options must be "
				"followed by --\n");
			return 2;
		}
		opt_argv--;
		opt_argc++;
		opt_argv[0] = argv[0];
		if (parse_opts(opt_argc, opt_argv, &o) != 0)
			return 2;
		ret = rte_eal_init(def_argc, def_argv);
	} else {
		ret = rte_eal_init(argc, argv);
		if (ret >= 0) {
			argv[ret] = argv[0];
			if (parse_opts(argc - ret, argv + ret, &o) != 0) {
				rte_eal_cleanup();
				return 2;
			}
		}
	}
	if (ret < 0) {
		fprintf(stderr, "emit-gen: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "emit-gen: no ethdev port\n");
		rte_eal_cleanup();
		return 1;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "emit-gen: needs two lcores (-l 0-1)\n");
		rte_eal_cleanup();
		return 2;
	}
	mp = rte_pktmbuf_pool_create("gen_pool", 8191, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	ring = rte_ring_create("gen_ring", 1024, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (mp == NULL || ring == NULL) {
		fprintf(stderr, "emit-gen: pool or ring: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	memset(&port_conf, 0, sizeof(port_conf));
	if (rte_eth_dev_configure(0, 0, 1, &port_conf) != 0 ||
	    rte_eth_tx_queue_setup(0, 0, 1024, rte_eth_dev_socket_id(0),
		    NULL) != 0 ||
	    rte_eth_dev_start(0) != 0) {
		fprintf(stderr, "emit-gen: port 0 setup failed\n");
		rte_eal_cleanup();
		return 1;
	}

	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = ring;
	sc.burst = o.burst;
	sc.id = 0;
	emit_tx_conf_init(&tc);
	tc.port_id = 0;
	tc.rings[0] = ring;
	tc.nb_rings = 1;
	tc.burst = o.burst;
	w.s = emit_sender_create(&sc);
	tx = emit_tx_create(&tc);
	if (w.s == NULL || tx == NULL) {
		fprintf(stderr, "emit-gen: create: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	w.len = (uint16_t)(o.size - EMIT_FRAME_OVERHEAD);
	w.burst = o.burst;
	w.quit = &quit_flag;
	w.rc = 0;

	start = rte_get_tsc_cycles();
	stop_at = start + (uint64_t)(o.duration_s * rte_get_tsc_hz());
	rte_eal_remote_launch(sender_loop, &w, worker);
	while (rte_get_tsc_cycles() < stop_at &&
	       !__atomic_load_n(&stop_signal, __ATOMIC_RELAXED))
		for (i = 0; i < 1024; i++)
			emit_tx_poll(tx);
	__atomic_store_n(&quit_flag, true, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(worker);
	emit_tx_close(tx);
	end = rte_get_tsc_cycles();
	secs = (double)(end - start) / (double)rte_get_tsc_hz();

	emit_sender_stats_get(w.s, &ss);
	emit_tx_stats_get(tx, &ts);
	printf("emit-gen: %.2f s, frame %u bytes, burst %u\n", secs, o.size,
		o.burst);
	printf("  committed %" PRIu64 ", enqueued %" PRIu64 ", dropped %"
		PRIu64 "\n", ss.events_committed, ss.events_enqueued,
		ss.dropped_ring_full + ss.dropped_spin_timeout +
		ss.dropped_closed);
	printf("  sent %" PRIu64 " (%.2f Mpps, %.2f Gbit/s), tx dropped %"
		PRIu64 "\n", ts.tx_sent, (double)ts.tx_sent / secs / 1e6,
		(double)ts.tx_bytes * 8 / secs / 1e9,
		ts.tx_dropped_retry_exhausted + ts.tx_dropped_closed);
	if (ss.events_committed != ss.events_enqueued + ss.dropped_ring_full +
	    ss.dropped_spin_timeout + ss.dropped_closed ||
	    ss.events_enqueued != ts.tx_sent +
	    ts.tx_dropped_retry_exhausted + ts.tx_dropped_closed) {
		fprintf(stderr, "emit-gen: conservation check failed\n");
		status = 1;
	}
	emit_sender_free(w.s);
	emit_tx_free(tx);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	if (rte_mempool_full(mp) == 0) {
		fprintf(stderr, "emit-gen: mempool not back to full\n");
		status = 1;
	}
	rte_ring_free(ring);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return status != 0 ? status : w.rc != 0;
}
