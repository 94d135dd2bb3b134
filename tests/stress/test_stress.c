/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress: six senders, two TX stages, a control lcore and the receiver on
 * ten lcores mapped onto (at most) two CPUs. Each round draws a random mix
 * (seeded; the seed is printed and EMIT_STRESS_SEED repeats it): per sender
 * the policy, burst, ring size (small), linger, rate and its burst,
 * watermarks and early backpressure, flows, the clock (TSC, or a test
 * clock that advances per read) and how it ends (flush or close); per TX
 * stage its burst, retry bound and the size of its port's ring. Senders
 * commit exactly their quota through a mix of APIs while the control
 * lcore changes rates, pauses and resumes them and reads their counters.
 *
 * Every event is checked: received and verified at its port, or reported
 * by a drop hook with its reason; the per-sender ledger holds one bit per
 * seq and every bit must be set exactly once. The hooks' counts equal the
 * counters, the conservation sums hold, the pool is full again.
 *
 * Bounded by count, never by time: EMIT_STRESS_EVENTS sets the total
 * (default 104 million; 10 million under AddressSanitizer), which is how
 * scripts/soak.sh runs a longer soak.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "stress.h"

#if defined(__SANITIZE_ADDRESS__)
#define ST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ST_SANITIZED 1
#endif
#endif
#ifdef ST_SANITIZED
#define ST_EVENTS_DEFAULT 10000000ull
#else
#define ST_EVENTS_DEFAULT 104000000ull
#endif

#define ST_ROUNDS 4
#define ST_LCORES (2 + ST_TX + ST_SENDERS)
#define ST_POOL 16383

static struct rte_mempool *pool;
static unsigned int pool_full;
static uint64_t events_total;
static uint64_t base_seed;
static unsigned int lc_ctl, lc_tx[ST_TX], lc_snd[ST_SENDERS];
static struct st_round round_state;

/* Totals over the rounds, printed at the end. */
static struct {
	uint64_t committed, received, sender_drop[ST_REASONS];
	uint64_t tx_drop[ST_REASONS], aborted, refusals;
	struct st_ctl_counts ctl;
	double seconds;
} grand;


static void
st_mix_sender(struct st_round *r, unsigned int i, uint64_t quota,
		uint64_t *rng)
{
	struct st_sender *t = &r->snd[i];
	struct emit_sender_conf *c = &t->conf;
	unsigned int ring_size = 64u << (st_rand(rng) % 3), cap = ring_size - 1;
	char name[32];

	t->idx = i;
	t->id = (uint16_t)(ST_ID0 + i);
	t->quota = quota;
	t->rng = st_rand(rng);
	t->end_close = st_rand(rng) % 4 == 0;
	emit_sender_conf_init(c);
	c->id = t->id;
	c->mp = pool;
	c->burst = (uint16_t)(1 + st_rand(rng) % RTE_MIN(cap,
			(unsigned int)EMIT_BURST_MAX));
	c->policy = (enum emit_policy)(st_rand(rng) % 3);
	c->spin_us = (uint32_t)(1 + st_rand(rng) % 50);
	c->linger_us = st_rand(rng) % 2 ? 0 :
		(uint32_t)(1 + st_rand(rng) % 500);
	if (st_rand(rng) % 3 == 0) {
		/* 1 tick = 1 ns; each read moves time by 10 to 199 ns. */
		t->vclock.now = st_rand(rng) >> 8;
		t->vclock.step = 10 + st_rand(rng) % 190;
		c->clock = st_clock_read;
		c->clock_arg = &t->vclock;
		c->clock_hz = 1000000000ull;
	}
	c->rate = st_pick_rate(t, rng);
	c->rate_burst = st_rand(rng) % 2 ? 0 :
		(uint32_t)(1 + st_rand(rng) % 256);
	if (st_rand(rng) % 2) {
		c->wm_high = (uint32_t)(1 + st_rand(rng) % cap);
		c->wm_low = (uint32_t)(st_rand(rng) % c->wm_high);
		c->early_backpressure = (int)(st_rand(rng) % 2);
	}
	c->flow.src_port = (uint16_t)(10000 + 16 * i);
	c->flow.nb_flows = (uint16_t)(1 + st_rand(rng) % 8);
	c->hooks.drop = st_sender_drop_hook;
	c->hooks.flush = st_flush_hook;
	c->hooks.backpressure = st_backpressure_hook;
	c->hooks.congestion = st_congestion_hook;
	c->hooks.arg = t;
	snprintf(name, sizeof(name), "st%" PRIu64 "_%u", r->seed & 0xffff, i);
	t->ring = emit_test_ring(name, ring_size);
	assert_non_null(t->ring);
	c->ring = t->ring;
	t->ledger = calloc((quota + 63) / 64, sizeof(uint64_t));
	assert_non_null(t->ledger);
	t->s = emit_sender_create(c);
	assert_non_null(t->s);
	printf("  sender %u: %s burst %u ring %u linger %u us rate %" PRIu64
		"/s (depth %u) wm %u/%u%s flows %u clock %s, ends by %s\n",
		t->id, emit_policy_name(c->policy), c->burst, ring_size,
		c->linger_us, c->rate, c->rate_burst, c->wm_high, c->wm_low,
		c->early_backpressure ? " early" : "", c->flow.nb_flows,
		c->clock != NULL ? "test" : "tsc",
		t->end_close ? "close" : "flush");
}

static void
st_mix_tx(struct st_round *r, unsigned int j, uint64_t *rng)
{
	struct st_tx *x = &r->tx[j];
	struct emit_tx_conf *c = &x->conf;
	unsigned int port_ring = 256u << (st_rand(rng) % 4), i;

	snprintf(x->port_name, sizeof(x->port_name), "st%" PRIu64 "_p%u",
		r->seed & 0xffff, j);
	x->port = emit_test_ring_port(x->port_name, port_ring, pool,
			&x->port_ring);
	assert_true(x->port >= 0);
	emit_tx_conf_init(c);
	c->port_id = (uint16_t)x->port;
	c->burst = (uint16_t)(1 + st_rand(rng) % EMIT_BURST_MAX);
	c->retry_max = (uint32_t)(st_rand(rng) % 33);
	/* A refused tail is freed at the end of its round: drops at the TX
	 * stage are part of what this test accounts for. */
	c->policy = EMIT_TX_POLICY_DROP;
	c->drop_us = 0;
	c->hooks.drop = st_tx_drop_hook;
	c->hooks.arg = x;
	for (i = j; i < ST_SENDERS; i += ST_TX)
		c->rings[c->nb_rings++] = r->snd[i].ring;
	x->tx = emit_tx_create(c);
	assert_non_null(x->tx);
	printf("  tx %u: burst %u retry %u port ring %u, %u senders\n", j,
		c->burst, c->retry_max, port_ring, c->nb_rings);
}

static int
st_senders_done(const struct st_round *r)
{
	unsigned int i;

	for (i = 0; i < ST_SENDERS; i++)
		if (!__atomic_load_n(&r->snd[i].done, __ATOMIC_ACQUIRE))
			return 0;
	return 1;
}

static int
st_tx_done(const struct st_round *r)
{
	unsigned int j;

	for (j = 0; j < ST_TX; j++)
		if (!__atomic_load_n(&r->tx[j].done, __ATOMIC_ACQUIRE))
			return 0;
	return 1;
}

/* Launch everything, receive until the end, join. */
static void
st_run(struct st_round *r)
{
	unsigned int i, j;
	uint64_t t0;

	st_cur = r;
	t0 = rte_rdtsc();
	for (j = 0; j < ST_TX; j++)
		assert_int_equal(rte_eal_remote_launch(st_tx_main, &r->tx[j],
			lc_tx[j]), 0);
	for (i = 0; i < ST_SENDERS; i++)
		assert_int_equal(rte_eal_remote_launch(st_sender_main,
			&r->snd[i], lc_snd[i]), 0);
	assert_int_equal(rte_eal_remote_launch(st_control_main, r, lc_ctl), 0);

	while (!st_senders_done(r))
		if (st_receive(r) == 0)
			sched_yield();
	/* Every sender has pushed out all it had: the TX stages may close
	 * (their rings drain onto the ports while we read them). */
	__atomic_store_n(&r->tx_quit, true, __ATOMIC_RELAXED);
	while (!st_tx_done(r))
		if (st_receive(r) == 0)
			sched_yield();
	while (st_receive(r) != 0)
		;
	__atomic_store_n(&r->ctl_quit, true, __ATOMIC_RELAXED);
	for (i = 0; i < ST_SENDERS; i++)
		assert_int_equal(rte_eal_wait_lcore(lc_snd[i]), 0);
	for (j = 0; j < ST_TX; j++)
		assert_int_equal(rte_eal_wait_lcore(lc_tx[j]), 0);
	assert_int_equal(rte_eal_wait_lcore(lc_ctl), 0);
	grand.seconds += (double)(rte_rdtsc() - t0) /
		(double)rte_get_tsc_hz();
}

int
st_tx_main(void *arg)
{
	struct st_tx *x = arg;
	unsigned int idle = 0;
	int rc;

	while (!__atomic_load_n(&st_cur->tx_quit, __ATOMIC_RELAXED)) {
		rc = emit_tx_poll(x->tx);
		if (rc < 0) {
			st_fail(&x->fail, rc, "emit_tx_poll");
			break;
		}
		/* Nothing sent: give the shared CPU to the others. */
		if (rc > 0)
			idle = 0;
		else if (++idle >= 16) {
			idle = 0;
			sched_yield();
		}
	}
	rc = emit_tx_close(x->tx);
	if (rc < 0)
		st_fail(&x->fail, rc, "emit_tx_close");
	__atomic_store_n(&x->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Every bit of [0, quota) set exactly once. */
static uint64_t
st_ledger_count(const struct st_sender *t)
{
	uint64_t n = 0, k, words = (t->quota + 63) / 64;

	for (k = 0; k < words; k++)
		n += (uint64_t)__builtin_popcountll(t->ledger[k]);
	return n;
}

static void
st_no_failure(const struct st_fail *f, const char *who, unsigned int i)
{
	if (f->where != NULL)
		fail_msg("%s %u: %s returned %d%s%s", who, i, f->where, f->rc,
			f->detail[0] != '\0' ? ": " : "", f->detail);
}

/* The sender's books, its hooks and its ledger. */
static void
st_check_sender(struct st_round *r, unsigned int i)
{
	struct st_sender *t = &r->snd[i];
	const struct emit_sender_conf *c = &t->conf;
	struct emit_sender_stats st;
	uint64_t tx_dropped = 0, tx_bytes = 0;
	unsigned int j;

	st_no_failure(&t->fail, "sender", i);
	for (j = 0; j < ST_TX; j++) {
		tx_dropped += r->tx[j].hook_drop_snd[i];
		tx_bytes += r->tx[j].hook_bytes_snd[i];
	}
	assert_int_equal(emit_sender_stats_get(t->s, &st), 0);
	assert_int_equal(t->committed, t->quota);
	assert_int_equal(st.events_committed, t->quota);
	assert_int_equal(t->by_api[ST_API_CLAIM] + t->by_api[ST_API_SEND] +
		t->by_api[ST_API_BURST], t->quota);
	assert_int_equal(st.events_aborted, t->aborted);
	assert_int_equal(st.events_claimed, st.events_committed +
		st.events_aborted);
	assert_int_equal(emit_sender_pending(t->s), 0);
	assert_int_equal(st.events_committed, st.events_enqueued +
		emit_sender_stats_dropped(&st));
	/* Each drop reported once, under its reason. */
	assert_int_equal(t->hook_drop[EMIT_DROP_RING_FULL],
		st.dropped_ring_full);
	assert_int_equal(t->hook_drop[EMIT_DROP_SPIN_TIMEOUT],
		st.dropped_spin_timeout);
	assert_int_equal(t->hook_drop[EMIT_DROP_CLOSED], st.dropped_closed);
	assert_int_equal(t->hook_drop[EMIT_DROP_TX_RETRY] +
		t->hook_drop[EMIT_DROP_TX_CLOSED], 0);
	assert_int_equal(t->hook_flush[EMIT_FLUSH_FULL], st.flush_full);
	assert_int_equal(t->hook_flush[EMIT_FLUSH_LINGER], st.flush_linger);
	assert_int_equal(t->hook_flush[EMIT_FLUSH_EXPLICIT],
		st.flush_explicit);
	assert_int_equal(t->hook_flush[EMIT_FLUSH_CLOSE], st.flush_close);
	assert_int_equal(t->hook_refused, st.backpressure_refused);
	assert_int_equal(t->hook_congested, st.congestion_entries);
	/* Each policy drops only its own way. */
	if (c->policy != EMIT_POLICY_DROP)
		assert_int_equal(st.dropped_ring_full, 0);
	if (c->policy != EMIT_POLICY_SPIN)
		assert_int_equal(st.dropped_spin_timeout, 0);
	if (c->policy != EMIT_POLICY_HOLD)
		assert_int_equal(st.err_nobufs_held, 0);
	if (!t->end_close)
		assert_int_equal(st.dropped_closed, 0);
	if (c->wm_high == 0)
		assert_int_equal(st.congestion_entries, 0);
	if (!c->early_backpressure)
		assert_int_equal(st.err_nobufs_congested, 0);
	assert_int_equal(st.err_nomem + st.err_pipe + st.err_msgsize +
		st.err_inval, 0);
	/* What the ring took was received or dropped by a TX stage. */
	assert_int_equal(r->rx[i].received + tx_dropped, st.events_enqueued);
	assert_int_equal(r->rx[i].bytes + tx_bytes, st.bytes_enqueued);
	/* Every seq accounted for exactly once. */
	assert_int_equal(st_ledger_count(t), t->quota);

	grand.committed += st.events_committed;
	grand.received += r->rx[i].received;
	grand.sender_drop[EMIT_DROP_RING_FULL] += st.dropped_ring_full;
	grand.sender_drop[EMIT_DROP_SPIN_TIMEOUT] += st.dropped_spin_timeout;
	grand.sender_drop[EMIT_DROP_CLOSED] += st.dropped_closed;
	grand.aborted += st.events_aborted;
	grand.refusals += t->again + t->nobufs;
	printf("  sender %u: committed %" PRIu64 " received %" PRIu64
		" dropped: ring full %" PRIu64 " spin %" PRIu64 " closed %"
		PRIu64 " tx %" PRIu64 "; refusals %" PRIu64 " aborted %" PRIu64
		" paused %" PRIu64 " congestion %" PRIu64 "\n", t->id,
		st.events_committed, r->rx[i].received, st.dropped_ring_full,
		st.dropped_spin_timeout, st.dropped_closed, tx_dropped,
		t->again + t->nobufs, st.events_aborted, st.err_again_paused,
		st.congestion_entries);
}

/* The TX stage's books against its senders and the receiver. */
static void
st_check_tx(struct st_round *r, unsigned int j)
{
	struct st_tx *x = &r->tx[j];
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct rte_eth_stats es;
	uint64_t enq = 0, rx = 0, rx_bytes = 0;
	unsigned int i;

	st_no_failure(&x->fail, "tx", j);
	for (i = j; i < ST_SENDERS; i += ST_TX) {
		assert_int_equal(emit_sender_stats_get(r->snd[i].s, &ss), 0);
		enq += ss.events_enqueued;
		rx += r->rx[i].received;
		rx_bytes += r->rx[i].bytes;
	}
	assert_int_equal(emit_tx_stats_get(x->tx, &ts), 0);
	assert_int_equal(emit_tx_in_rings(x->tx), 0);
	assert_int_equal(ts.dequeued, enq);
	assert_int_equal(ts.dequeued, ts.tx_sent + emit_tx_stats_dropped(&ts));
	assert_int_equal(x->hook_drop[EMIT_DROP_TX_RETRY],
		ts.tx_dropped_retry_exhausted);
	assert_int_equal(x->hook_drop[EMIT_DROP_TX_CLOSED],
		ts.tx_dropped_closed);
	assert_int_equal(x->hook_drop[EMIT_DROP_RING_FULL] +
		x->hook_drop[EMIT_DROP_SPIN_TIMEOUT] +
		x->hook_drop[EMIT_DROP_CLOSED], 0);
	/* The stage closed after its senders finished: nothing came late. */
	assert_int_equal(ts.tx_dropped_closed, 0);
	assert_int_equal(ts.tx_sent, rx);
	assert_int_equal(ts.tx_bytes, rx_bytes);
	assert_int_equal(rte_eth_stats_get((uint16_t)x->port, &es), 0);
	assert_int_equal(es.opackets, ts.tx_sent);
	assert_int_equal(es.ipackets, ts.tx_sent);
	grand.tx_drop[EMIT_DROP_TX_RETRY] += ts.tx_dropped_retry_exhausted;
	printf("  tx %u: sent %" PRIu64 " dropped after retries %" PRIu64
		" (retries %" PRIu64 ", polls %" PRIu64 ")\n", j, ts.tx_sent,
		ts.tx_dropped_retry_exhausted, ts.tx_retries, ts.polls);
}

/* Free the round, also after a failed check (cmocka teardown): stop
 * what may still run, free what was made, and find the pool full. */
static int
st_teardown(void **state)
{
	struct st_round *r = &round_state;
	unsigned int i, j, left = 0, in_rings = 0;

	(void)state;
	__atomic_store_n(&r->tx_quit, true, __ATOMIC_RELAXED);
	__atomic_store_n(&r->ctl_quit, true, __ATOMIC_RELAXED);
	for (i = 0; i < ST_SENDERS; i++)
		rte_eal_wait_lcore(lc_snd[i]);
	for (j = 0; j < ST_TX; j++)
		rte_eal_wait_lcore(lc_tx[j]);
	rte_eal_wait_lcore(lc_ctl);
	for (i = 0; i < ST_SENDERS; i++) {
		emit_sender_free(r->snd[i].s);
		if (r->snd[i].ring != NULL) {
			in_rings += rte_ring_count(r->snd[i].ring);
			emit_test_ring_drain(r->snd[i].ring);
			rte_ring_free(r->snd[i].ring);
		}
		free(r->snd[i].ledger);
	}
	for (j = 0; j < ST_TX; j++) {
		emit_tx_free(r->tx[j].tx);
		if (r->tx[j].port_ring != NULL)
			left += emit_test_ring_port_free(
				(uint16_t)r->tx[j].port, r->tx[j].port_name,
				r->tx[j].port_ring);
	}
	memset(r, 0, sizeof(*r));
	if (in_rings != 0 || left != 0 ||
	    rte_mempool_avail_count(pool) != pool_full) {
		fprintf(stderr, "stress: %u events left in rings, %u in ports, "
			"pool %u of %u\n", in_rings, left,
			rte_mempool_avail_count(pool), pool_full);
		return -1;
	}
	return 0;
}

static void
st_round_run(unsigned int k)
{
	struct st_round *r = &round_state;
	uint64_t rng = base_seed + k, quota;
	unsigned int i, j;

	memset(r, 0, sizeof(*r));
	r->seed = st_rand(&rng);
	rng = r->seed;
	quota = RTE_MAX(events_total / ST_ROUNDS / ST_SENDERS, (uint64_t)1);
	printf(" round %u: seed 0x%016" PRIx64 ", %" PRIu64
		" events per sender\n", k, r->seed, quota);
	for (i = 0; i < ST_SENDERS; i++)
		st_mix_sender(r, i, quota, &rng);
	for (j = 0; j < ST_TX; j++)
		st_mix_tx(r, j, &rng);
	st_xs_setup(r);
	st_run(r);

	st_no_failure(&r->ctl_fail, "control", 0);
	{
		unsigned int which = 0;
		const char *why = st_xs_final(r, &which);

		if (why != NULL)
			fail_msg("xstats of object %u: %s", which, why);
	}
	assert_int_equal(r->rx_bad, 0);
	assert_int_equal(r->twice, 0);
	assert_int_equal(r->ledger_bad, 0);
	for (i = 0; i < ST_SENDERS; i++)
		st_check_sender(r, i);
	for (j = 0; j < ST_TX; j++)
		st_check_tx(r, j);
	printf("  control: %" PRIu64 " counter reads, %" PRIu64
		" rate changes, %" PRIu64 " pauses, %" PRIu64 " xstats reads, %"
		PRIu64 " xstats get-and-resets, %" PRIu64
		" telemetry queries\n", r->ctl.stats_reads,
		r->ctl.rate_changes, r->ctl.pauses, r->ctl.xstats_reads,
		r->ctl.xstats_resets, r->ctl.telemetry_queries);
	grand.ctl.stats_reads += r->ctl.stats_reads;
	grand.ctl.rate_changes += r->ctl.rate_changes;
	grand.ctl.pauses += r->ctl.pauses;
	grand.ctl.xstats_reads += r->ctl.xstats_reads;
	grand.ctl.xstats_resets += r->ctl.xstats_resets;
	grand.ctl.telemetry_queries += r->ctl.telemetry_queries;
}

static void test_round0(void **state) { (void)state; st_round_run(0); }
static void test_round1(void **state) { (void)state; st_round_run(1); }
static void test_round2(void **state) { (void)state; st_round_run(2); }
static void test_round3(void **state) { (void)state; st_round_run(3); }

/* lcore k on CPU k % ncpu: ten lcores on (at most) two CPUs. */
static void
st_lcore_map(char *buf, size_t size)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t off = 0;
	unsigned int k;

	if (ncpu < 1)
		ncpu = 1;
	if (ncpu > 2)
		ncpu = 2;
	for (k = 0; k < ST_LCORES && off < size; k++)
		off += (size_t)snprintf(buf + off, size - off, "%s%u@%ld",
			k == 0 ? "" : ",", k, (long)k % ncpu);
}

static uint64_t
st_env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? strtoull(v, NULL, 0) : dflt;
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_round0, st_teardown),
		cmocka_unit_test_teardown(test_round1, st_teardown),
		cmocka_unit_test_teardown(test_round2, st_teardown),
		cmocka_unit_test_teardown(test_round3, st_teardown),
	};
	unsigned int workers[ST_LCORES], n = 0, lc, i;
	char map[128];
	int rc;

	st_lcore_map(map, sizeof(map));
	if (emit_test_eal_init("stress", map, NULL) != 0)
		return 1;
	RTE_LCORE_FOREACH_WORKER(lc)
		if (n < ST_LCORES)
			workers[n++] = lc;
	if (n < ST_LCORES - 1) {
		printf("stress: skipped, needs %u worker lcores\n",
			ST_LCORES - 1);
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	lc_ctl = workers[0];
	for (i = 0; i < ST_TX; i++)
		lc_tx[i] = workers[1 + i];
	for (i = 0; i < ST_SENDERS; i++)
		lc_snd[i] = workers[1 + ST_TX + i];
	pool = rte_pktmbuf_pool_create("stpool", ST_POOL, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	events_total = st_env_u64("EMIT_STRESS_EVENTS", ST_EVENTS_DEFAULT);
	base_seed = st_env_u64("EMIT_STRESS_SEED",
		rte_rdtsc() ^ ((uint64_t)getpid() << 32));
	printf("stress: lcores %s, %" PRIu64 " events in %u rounds, seed 0x%"
		PRIx64 " (EMIT_STRESS_SEED=0x%" PRIx64 " repeats the mixes)\n",
		map, events_total, ST_ROUNDS, base_seed, base_seed);
	rc = cmocka_run_group_tests_name("stress", tests, NULL, NULL);
	printf("stress: %" PRIu64 " events committed, %" PRIu64
		" received and verified, dropped with reason: ring full %"
		PRIu64 ", spin timeout %" PRIu64 ", closed %" PRIu64
		", tx retry %" PRIu64 "; %" PRIu64 " aborted claims, %" PRIu64
		" refusals retried; control: %" PRIu64 " counter reads, %"
		PRIu64 " rate changes, %" PRIu64 " pauses, %" PRIu64
		" xstats reads, %" PRIu64 " get-and-resets, %" PRIu64
		" telemetry queries; %.1f s\n",
		grand.committed, grand.received,
		grand.sender_drop[EMIT_DROP_RING_FULL],
		grand.sender_drop[EMIT_DROP_SPIN_TIMEOUT],
		grand.sender_drop[EMIT_DROP_CLOSED],
		grand.tx_drop[EMIT_DROP_TX_RETRY], grand.aborted,
		grand.refusals, grand.ctl.stats_reads, grand.ctl.rate_changes,
		grand.ctl.pauses, grand.ctl.xstats_reads,
		grand.ctl.xstats_resets, grand.ctl.telemetry_queries,
		grand.seconds);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
