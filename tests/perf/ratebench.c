/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * emit-ratebench: achieved rate against target for the sender's token
 * bucket, on a real run. A sender on the worker lcore sends at each target
 * rate for a few seconds into a ring that a TX stage on the main lcore
 * drains into a port (by default an in-process net_null). Prints target,
 * achieved and the error in ppm; achieved is the mean rate of the stream,
 * the events granted between the first and the last grants that were
 * timed within 10 us of the bucket crossing a whole event (claims just
 * before and at them found it empty, and were not preempted), over the
 * time between them; getter/s is what
 * emit_sender_rate_achieved reported at the end (since create, rounded
 * down). The worker's longest stall is shown too: a stall longer than the
 * bucket depth (--slack-us) loses rate, the machine's noise and not the
 * limiter's. Then the unlimited throughput with the limiter off (rate 0)
 * and on at a rate that never binds, interleaved, through the pipeline
 * and, best of several short runs, on the sender's lcore alone.
 * A benchmark, not a test: it asserts nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
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

#define RB_RING_SIZE 1024
#define RB_POOL_SIZE 8191
#define RB_TYPE 1

struct rb_opts {
	double duration_s;
	uint16_t len;
	uint16_t burst;
	uint32_t slack_us;
	int unlimited_rounds;
	enum emit_policy policy; /* of the rate runs */
	uint64_t only;           /* run this target only (0: all) */
};

/* One run: filled by the worker, read by main after the worker ends. */
struct rb_run {
	/* in */
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint64_t rate;
	uint16_t id;
	enum emit_policy policy;
	const struct rb_opts *o;
	/* out */
	struct emit_sender_stats st;
	uint64_t ticks;        /* from create to the end of the loop */
	uint64_t span;         /* from the first to the last timed grant */
	uint64_t granted;      /* events granted in between */
	uint64_t getter;       /* emit_sender_rate_achieved at the end */
	uint64_t max_stall;    /* longest gap between loop turns, ticks */
	uint64_t stalls;       /* gaps longer than the bucket depth */
	int rc;
	/* Polled by main on every TX round: alone on its line, and nothing
	 * else in this struct is written while the worker runs. */
	bool done __rte_cache_aligned;
};

static int
rb_worker(void *arg)
{
	struct rb_run *r = arg;
	struct emit_sender_conf c;
	struct emit_sender *s;
	void *data[EMIT_BURST_MAX];
	uint64_t hz = rte_get_tsc_hz(), t0, deadline, seq = 0, slack;
	uint64_t now, prev, depth_ticks, max_stall = 0, stalls = 0;
	uint64_t before, after, mid, granted = 0, tight;
	uint64_t g_first = 0, t_first = 0, g_last = 0, t_last = 0;
	uint64_t t_empty = 0;
	int n, k;

	emit_sender_conf_init(&c);
	c.id = r->id;
	c.mp = r->mp;
	c.ring = r->ring;
	c.burst = r->o->burst;
	c.linger_us = 100;
	c.policy = r->policy;
	c.rate = r->rate;
	/* The bucket depth is the slack that absorbs this lcore's own
	 * stalls (preemption on a shared machine) without losing rate. */
	slack = r->rate / 1000000 * r->o->slack_us +
		r->rate % 1000000 * r->o->slack_us / 1000000;
	c.rate_burst = (uint32_t)RTE_MIN(RTE_MAX(slack, (uint64_t)c.burst),
			(uint64_t)1000000);
	depth_ticks = r->rate != 0 ?
		(uint64_t)c.rate_burst * hz / r->rate : UINT64_MAX;
	/* The bucket starts at create, with one event's worth. */
	t0 = rte_rdtsc();
	s = emit_sender_create(&c);
	if (s == NULL) {
		r->rc = -rte_errno;
		__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
		return 0;
	}
	prev = t0;
	tight = hz / 100000; /* 10 us */
	deadline = t0 + (uint64_t)(r->o->duration_s * (double)hz);
	while ((now = rte_rdtsc()) < deadline) {
		if (unlikely(now - prev > max_stall))
			max_stall = now - prev;
		if (unlikely(now - prev > depth_ticks))
			stalls++;
		prev = now;
		before = rte_rdtsc();
		n = emit_claim_burst(s, RB_TYPE, r->o->len, data,
				r->o->burst);
		if (likely(n > 0)) {
			/* A partial grant empties the bucket: then granted
			 * = 1 + floor(rate * (t - create)), t being this
			 * claim's clock read, between before and after. If
			 * the claim before also found it empty less than
			 * 10 us earlier, the floor drops less than 10 us of
			 * rate. Such a sample, itself not preempted (after -
			 * before < 10 us), times the stream precisely. */
			after = rte_rdtsc();
			granted += (uint64_t)n;
			mid = before + (after - before) / 2;
			if (n < r->o->burst && after - before < tight &&
			    before - t_empty < tight) {
				if (t_first == 0) {
					t_first = mid;
					g_first = granted;
				}
				t_last = mid;
				g_last = granted;
			}
			if (n < r->o->burst)
				t_empty = before;
			for (k = 0; k < n; k++) {
				memcpy(data[k], &seq, sizeof(seq));
				seq++;
			}
			for (k = 0; k < n; ) {
				int rc = emit_commit_burst(s,
						(unsigned int)(n - k));

				if (rc > 0)
					k += rc;
				else
					emit_poll(s);
			}
		} else if (n == -EAGAIN || n == -ENOBUFS || n == -ENOMEM) {
			if (n == -EAGAIN)
				t_empty = before;
			emit_poll(s);
		} else {
			r->rc = n;
			break;
		}
	}
	r->ticks = rte_rdtsc() - t0;
	r->span = t_last - t_first;
	r->granted = g_last - g_first;
	r->max_stall = max_stall;
	r->stalls = stalls;
	r->getter = emit_sender_rate_achieved(s);
	while (emit_sender_pending(s) != 0 && emit_flush(s) != -EPIPE)
		;
	emit_sender_stats_get(s, &r->st);
	emit_sender_free(s);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return 0;
}

/* The sender alone on its lcore, draining its own ring: cycles per event
 * of claim_burst + commit_burst (+ the drain, the same for both). */
struct rb_solo {
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint64_t rate;
	uint16_t id;
	const struct rb_opts *o;
	uint64_t events;
	uint64_t ticks;
	int rc;
};

static int
rb_solo_worker(void *arg)
{
	struct rb_solo *r = arg;
	struct emit_sender_conf c;
	struct emit_sender *s;
	struct rte_mbuf *m[EMIT_BURST_MAX];
	void *data[EMIT_BURST_MAX];
	uint64_t done = 0, warm = 100000, seq = 0, t0 = 0;
	unsigned int k;
	int n;

	emit_sender_conf_init(&c);
	c.id = r->id;
	c.mp = r->mp;
	c.ring = r->ring;
	c.burst = r->o->burst;
	c.rate = r->rate;
	s = emit_sender_create(&c);
	if (s == NULL) {
		r->rc = -rte_errno;
		return 0;
	}
	while (done < warm + r->events) {
		if (done == warm)
			t0 = rte_rdtsc();
		n = emit_claim_burst(s, RB_TYPE, r->o->len, data,
				r->o->burst);
		if (unlikely(n <= 0)) {
			r->rc = n; /* a never-binding limit never refuses */
			break;
		}
		for (k = 0; k < (unsigned int)n; k++) {
			memcpy(data[k], &seq, sizeof(seq));
			seq++;
		}
		if (emit_commit_burst(s, (unsigned int)n) != n) {
			r->rc = -ENOBUFS;
			break;
		}
		done += (uint64_t)n;
		k = rte_ring_dequeue_burst(r->ring, (void **)m,
				EMIT_BURST_MAX, NULL);
		rte_pktmbuf_free_bulk(m, k);
	}
	r->ticks = rte_rdtsc() - t0;
	emit_sender_free(s);
	while ((k = rte_ring_dequeue_burst(r->ring, (void **)m,
			EMIT_BURST_MAX, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, k);
	return 0;
}

struct rb_env {
	uint16_t port;
	unsigned int worker;
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint16_t next_id;
};

/* Run one target; main lcore is the TX stage. Returns 0 or -errno. */
static int
rb_run_one(struct rb_env *e, const struct rb_opts *o, uint64_t rate,
		enum emit_policy policy, struct rb_run *r,
		struct emit_tx_stats *ts)
{
	struct emit_tx_conf tc;
	struct emit_tx *tx;
	int rc;

	memset(r, 0, sizeof(*r));
	r->mp = e->mp;
	r->ring = e->ring;
	r->rate = rate;
	r->id = e->next_id++;
	r->policy = policy;
	r->o = o;
	emit_tx_conf_init(&tc);
	tc.port_id = e->port;
	tc.queue_id = 0;
	tc.rings[0] = e->ring;
	tc.nb_rings = 1;
	tc.burst = 32;
	tx = emit_tx_create(&tc);
	if (tx == NULL)
		return -rte_errno;
	rc = rte_eal_remote_launch(rb_worker, r, e->worker);
	if (rc != 0) {
		emit_tx_free(tx);
		return rc;
	}
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		emit_tx_poll(tx);
	rc = rte_eal_wait_lcore(e->worker);
	emit_tx_close(tx);
	emit_tx_stats_get(tx, ts);
	emit_tx_free(tx);
	if (rc != 0)
		return rc;
	return r->rc;
}

/* Best (fewest ticks) of @p reps solo runs, limiter off and on in turn. */
static int
rb_solo_best(struct rb_env *e, const struct rb_opts *o, int reps,
		double cyc[2])
{
	static const uint64_t rates[2] = { 0, EMIT_RATE_MAX };
	struct rb_solo r;
	int i, v, rc;

	cyc[0] = cyc[1] = 0;
	for (i = 0; i < reps; i++) {
		/* Alternate which goes first, so order favours neither. */
		for (v = i & 1; v < 2 + (i & 1); v++) {
			memset(&r, 0, sizeof(r));
			r.mp = e->mp;
			r.ring = e->ring;
			r.rate = rates[v & 1];
			r.id = e->next_id++;
			r.o = o;
			r.events = 2000000;
			rc = rte_eal_remote_launch(rb_solo_worker, &r,
					e->worker);
			if (rc == 0)
				rc = rte_eal_wait_lcore(e->worker);
			if (rc == 0)
				rc = r.rc;
			if (rc != 0)
				return rc;
			if (cyc[v & 1] == 0 ||
			    (double)r.ticks / (double)r.events < cyc[v & 1])
				cyc[v & 1] = (double)r.ticks /
					(double)r.events;
		}
	}
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: emit-ratebench [EAL options --] [--duration S] "
		"[--len BYTES] [--burst N] [--slack-us US] [--rounds N]\n"
		"       [--policy drop|hold] [--only RATE]\n"
		"Without EAL options: 2 lcores, no hugepages, a net_null "
		"port.\n");
}

static int
parse_opts(int argc, char **argv, struct rb_opts *o)
{
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "len", required_argument, NULL, 'l' },
		{ "burst", required_argument, NULL, 'b' },
		{ "slack-us", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "only", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	o->duration_s = 3;
	o->len = 8;
	o->burst = 32;
	o->slack_us = 100000;
	o->unlimited_rounds = 3;
	o->policy = EMIT_POLICY_DROP;
	o->only = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == '?') {
			usage(stderr);
			return -1;
		}
		errno = 0;
		if (c == 'p') {
			if (strcmp(optarg, "drop") == 0)
				o->policy = EMIT_POLICY_DROP;
			else if (strcmp(optarg, "hold") == 0)
				o->policy = EMIT_POLICY_HOLD;
			else
				goto bad;
			continue;
		}
		if (c == 'd') {
			o->duration_s = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' ||
			    !(o->duration_s > 0 && o->duration_s <= 3600))
				goto bad;
			continue;
		}
		v = strtol(optarg, &end, 10);
		if (errno != 0 || *end != '\0')
			goto bad;
		switch (c) {
		case 'o':
			if (v < 1 || (uint64_t)v > EMIT_RATE_MAX)
				goto bad;
			o->only = (uint64_t)v;
			break;
		case 'l':
			if (v < 8 || v > 1400)
				goto bad;
			o->len = (uint16_t)v;
			break;
		case 'b':
			if (v < 1 || v > EMIT_BURST_MAX)
				goto bad;
			o->burst = (uint16_t)v;
			break;
		case 's':
			if (v < 0 || v > 1000000)
				goto bad;
			o->slack_us = (uint32_t)v;
			break;
		case 'r':
			if (v < 1 || v > 100)
				goto bad;
			o->unlimited_rounds = (int)v;
			break;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "emit-ratebench: unexpected '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "emit-ratebench: bad value '%s'\n", optarg);
	return -1;
}

static int
port_setup(uint16_t port)
{
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 0, 1, &conf);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, 1024,
				rte_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	return rc;
}

static int
eal_start(int argc, char **argv, int *consumed)
{
	static char prefix[64];
	char *def[16];
	int i, n = 0;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			break;
	if (i < argc) {
		*consumed = rte_eal_init(argc, argv);
		return *consumed < 0 ? -1 : 0;
	}
	snprintf(prefix, sizeof(prefix), "ratebench-%d", (int)getpid());
	def[n++] = argv[0];
	def[n++] = (char *)(uintptr_t)"-l";
	def[n++] = (char *)(uintptr_t)"0-1";
	def[n++] = (char *)(uintptr_t)"--no-huge";
	def[n++] = (char *)(uintptr_t)"--no-pci";
	def[n++] = (char *)(uintptr_t)"-m";
	def[n++] = (char *)(uintptr_t)"512";
	def[n++] = (char *)(uintptr_t)"--file-prefix";
	def[n++] = prefix;
	def[n++] = (char *)(uintptr_t)"--vdev";
	def[n++] = (char *)(uintptr_t)"net_null0";
	def[n++] = (char *)(uintptr_t)"--log-level";
	def[n++] = (char *)(uintptr_t)"lib.eal:error";
	def[n] = NULL;
	*consumed = 0;
	return rte_eal_init(n, def) < 0 ? -1 : 0;
}

static void
print_target(uint64_t rate, const struct rb_run *r,
		const struct emit_tx_stats *ts)
{
	/* The mean rate of the stream: events granted between the first
	 * and the last precisely timed grants that emptied the bucket. */
	double secs = (double)r->span / (double)rte_get_tsc_hz();
	double ach = secs > 0 ? (double)r->granted / secs : 0;
	double ppm = (ach - (double)rate) / (double)rate * 1e6;
	double jit = r->st.gap_count != 0 ?
		(double)r->st.gap_jitter_ns_sum / (double)r->st.gap_count : 0;

	printf("%10" PRIu64 " %14.3f %10.1f %12" PRIu64 " %10" PRIu64
		" %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %9.0f %9.2f %7"
		PRIu64 "\n", rate, ach, ppm, r->getter,
		r->st.events_committed, ts->tx_sent, r->st.err_again_rate,
		r->st.dropped_ring_full + r->st.err_nobufs_held, jit,
		(double)r->max_stall * 1e3 / (double)rte_get_tsc_hz(),
		r->stalls);
}

static void
print_unlimited(const char *label, const struct rb_run *r,
		const struct emit_tx_stats *ts, double *committed_mpps)
{
	double secs = (double)r->ticks / (double)rte_get_tsc_hz();

	*committed_mpps = (double)r->st.events_committed / secs / 1e6;
	printf("%-26s %10.2f %10.2f %14" PRIu64 " %12" PRIu64 "\n", label,
		*committed_mpps, (double)ts->tx_sent / secs / 1e6,
		r->st.dropped_ring_full, r->st.err_again_rate);
}

int
main(int argc, char **argv)
{
	static const uint64_t targets[] = {
		1000, 10000, 100000, 1000000, 10000000,
	};
	struct emit_tx_stats ts;
	struct rb_opts o;
	struct rb_env e;
	struct rb_run r;
	double best_off = 0, best_on = 0, mpps;
	unsigned int i;
	int consumed, rc, round;

	if (eal_start(argc, argv, &consumed) != 0) {
		fprintf(stderr, "emit-ratebench: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= consumed;
	argv += consumed;
	if (parse_opts(argc, argv, &o) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	memset(&e, 0, sizeof(e));
	e.worker = rte_get_next_lcore(-1, 1, 0);
	if (e.worker >= RTE_MAX_LCORE || rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "emit-ratebench: needs 2 lcores and a port\n");
		rte_eal_cleanup();
		return 2;
	}
	e.port = (uint16_t)rte_eth_find_next(0);
	e.mp = rte_pktmbuf_pool_create("rb_pool", RB_POOL_SIZE, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	e.ring = rte_ring_create("rb_ring", RB_RING_SIZE, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (e.mp == NULL || e.ring == NULL || port_setup(e.port) != 0) {
		fprintf(stderr, "emit-ratebench: setup failed\n");
		rte_eal_cleanup();
		return 1;
	}
	printf("# tsc %" PRIu64 " Hz, %.1f s per run, payload %u B (frame "
		"%u B), burst %u, bucket slack %u us, port %u, policy %s\n"
		"# achieved = committed by the sender (the limiter's output); "
		"tx_sent = what the TX stage put on the port\n",
		rte_get_tsc_hz(), o.duration_s, o.len,
		o.len + EMIT_FRAME_OVERHEAD, o.burst, o.slack_us, e.port,
		o.policy == EMIT_POLICY_DROP ? "drop" : "hold");
	printf("%10s %14s %10s %12s %10s %10s %10s %10s %9s %9s %7s\n",
		"target/s", "achieved/s", "error_ppm", "getter/s", "committed",
		"tx_sent", "eagain", "drop|nobuf", "jitter_ns", "stall_ms",
		"stalls");
	for (i = 0; i < RTE_DIM(targets); i++) {
		if (o.only != 0 && o.only != targets[i])
			continue;
		rc = rb_run_one(&e, &o, targets[i], o.policy, &r, &ts);
		if (rc != 0) {
			fprintf(stderr, "emit-ratebench: run failed: %s\n",
				strerror(-rc));
			rte_eal_cleanup();
			return 1;
		}
		print_target(targets[i], &r, &ts);
	}
	printf("\n# unlimited, DROP policy: committed = the sender's own "
		"speed, tx = what the TX stage put on the port\n");
	printf("%-26s %10s %10s %14s %12s\n", "limiter", "commit_Mpps",
		"tx_Mpps", "dropped_full", "eagain");
	for (round = 0; round < o.unlimited_rounds; round++) {
		rc = rb_run_one(&e, &o, 0, EMIT_POLICY_DROP, &r, &ts);
		if (rc != 0)
			break;
		print_unlimited("off (rate 0)", &r, &ts, &mpps);
		best_off = RTE_MAX(best_off, mpps);
		rc = rb_run_one(&e, &o, EMIT_RATE_MAX, EMIT_POLICY_DROP, &r,
				&ts);
		if (rc != 0)
			break;
		print_unlimited("on (rate 1e12, not binding)", &r, &ts, &mpps);
		best_on = RTE_MAX(best_on, mpps);
	}
	if (rc != 0) {
		fprintf(stderr, "emit-ratebench: run failed: %s\n",
			strerror(-rc));
		rte_eal_cleanup();
		return 1;
	}
	printf("# best committed Mpps of %d rounds: off %.2f, on %.2f, "
		"on/off %.3f\n", o.unlimited_rounds, best_off, best_on,
		best_on / best_off);
	{
		double cyc[2], hz = (double)rte_get_tsc_hz();

		rc = rb_solo_best(&e, &o, 10, cyc);
		if (rc != 0) {
			fprintf(stderr, "emit-ratebench: solo run failed: "
				"%s\n", strerror(-rc));
			rte_eal_cleanup();
			return 1;
		}
		printf("\n# sender alone on its lcore (claim_burst + "
			"commit_burst + own drain), best of 10 x 2M events\n");
		printf("%-26s %10s %10s\n", "limiter", "cyc/event", "Mpps");
		printf("%-26s %10.2f %10.2f\n", "off (rate 0)", cyc[0],
			hz / cyc[0] / 1e6);
		printf("%-26s %10.2f %10.2f\n", "on (rate 1e12, not binding)",
			cyc[1], hz / cyc[1] / 1e6);
		printf("# on/off throughput %.3f\n", cyc[0] / cyc[1]);
	}
	rte_eth_dev_stop(e.port);
	rte_eth_dev_close(e.port);
	rte_ring_free(e.ring);
	rte_mempool_free(e.mp);
	rte_eal_cleanup();
	return 0;
}
