/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection, part 1: the world runs out of something.
 *
 * - Mempool exhaustion: a pool too small for the pattern of claims. Every
 *   -ENOMEM the sender returns is counted once, the sender goes on when
 *   mbufs come back, including mbufs it keeps aside for single claims;
 *   with two lcores and a pool a fraction of the ring, every committed
 *   event still arrives, in order.
 * - A port that stops accepting (a net_ring port nobody reads): the TX
 *   stage retries, then drops with its reason; the ring behind it fills
 *   and the sender's policy acts as documented (DROP drops, HOLD refuses
 *   with -ENOBUFS and loses nothing, SPIN spins then drops, early
 *   backpressure refuses claims before anything is dropped); congestion is
 *   raised; when the port is read again, traffic flows and congestion
 *   clears. A ledger checks the fate of every event.
 *
 * Complements test_sender.c (a 7-mbuf pool, one thread) and test_tx.c
 * (retry and drop at one TX poll, one thread).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include <emit.h>

#include "test_common.h"
#include "test_ledger.h"

#define ID0 300
#define LEDGER_SIZE (1u << 20)

static struct rte_mempool *pool;      /* shared, roomy */
static unsigned int pool_full;
static uint16_t null_port;
static unsigned int worker;
static struct emit_test_ledger led;

struct fixture {
	struct rte_mempool *mp;           /* a small pool, or NULL */
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_tx *tx;
	int port;
	struct rte_ring *port_ring;
	char port_name[32];
	bool quit;
	bool launched;
	uint64_t congestion_calls[2];
};

static struct fixture fx;

static int
setup(void **state)
{
	static unsigned int n;
	char name[32];

	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.port = -1;
	snprintf(name, sizeof(name), "flt%u", n++);
	fx.ring = emit_test_ring(name, 64); /* holds 63 */
	assert_non_null(fx.ring);
	assert_int_equal(emit_test_ledger_init(&led, ID0, 1, LEDGER_SIZE), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (fx.launched) {
		__atomic_store_n(&fx.quit, true, __ATOMIC_RELAXED);
		rte_eal_wait_lcore(worker);
	}
	emit_tx_free(fx.tx);
	emit_sender_free(fx.s);
	emit_test_ring_drain(fx.ring);
	rte_ring_free(fx.ring);
	if (fx.port >= 0)
		emit_test_ring_port_free((uint16_t)fx.port, fx.port_name,
			fx.port_ring);
	emit_test_ledger_fini(&led);
	if (fx.mp != NULL) {
		assert_int_equal(rte_mempool_avail_count(fx.mp), fx.mp->size);
		rte_mempool_free(fx.mp);
	}
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
	return 0;
}

static void
congestion_hook(struct emit_sender *s, int congested, unsigned int used,
		void *arg)
{
	(void)s;
	(void)used;
	(void)arg;
	fx.congestion_calls[congested != 0]++;
}

static void
mk_sender(struct rte_mempool *mp, uint16_t burst, enum emit_policy policy)
{
	struct emit_sender_conf sc;

	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = fx.ring;
	sc.id = ID0;
	sc.burst = burst;
	sc.policy = policy;
	sc.hooks.drop = emit_test_ledger_sender_hook;
	sc.hooks.congestion = congestion_hook;
	sc.hooks.arg = &led;
	fx.s = emit_sender_create(&sc);
	assert_non_null(fx.s);
}

static void
mk_tx(uint16_t port, uint16_t burst, uint32_t retry_max)
{
	struct emit_tx_conf tc;

	emit_tx_conf_init(&tc);
	tc.port_id = port;
	tc.burst = burst;
	tc.retry_max = retry_max;
	/* A refused tail is freed at the end of its round, counted: what
	 * these faults check is the accounting of every drop. */
	tc.policy = EMIT_TX_POLICY_DROP;
	tc.drop_us = 0;
	tc.close_us = 2000;
	tc.rings[0] = fx.ring;
	tc.nb_rings = 1;
	tc.hooks.drop = emit_test_ledger_tx_hook;
	tc.hooks.arg = &led;
	fx.tx = emit_tx_create(&tc);
	assert_non_null(fx.tx);
}

static void
mk_port(unsigned int count, struct rte_mempool *mp)
{
	static unsigned int n;

	snprintf(fx.port_name, sizeof(fx.port_name), "fltp%u", n++);
	fx.port = emit_test_ring_port(fx.port_name, count, mp, &fx.port_ring);
	assert_true(fx.port >= 0);
}

static struct emit_sender_stats
sstats(void)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	return st;
}

static struct emit_tx_stats
tstats(void)
{
	struct emit_tx_stats st;

	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	return st;
}

/* Every committed event has exactly one fate, each hook count equals its
 * counter, and the sums of DESIGN.md section 1 hold. */
static void
check_books(void)
{
	struct emit_sender_stats ss = sstats();
	struct emit_tx_stats ts = tstats();

	assert_int_equal(led.twice, 0);
	assert_int_equal(led.bad, 0);
	assert_int_equal(emit_test_ledger_missing(&led, 0,
		ss.events_committed), 0);
	assert_int_equal(emit_sender_pending(fx.s), 0);
	assert_int_equal(ss.events_committed, ss.events_enqueued +
		emit_sender_stats_dropped(&ss));
	assert_int_equal(emit_test_ledger_count(&led, 0,
		EMIT_LEDGER_DROP(EMIT_DROP_RING_FULL)), ss.dropped_ring_full);
	assert_int_equal(emit_test_ledger_count(&led, 0,
		EMIT_LEDGER_DROP(EMIT_DROP_SPIN_TIMEOUT)),
		ss.dropped_spin_timeout);
	assert_int_equal(emit_test_ledger_count(&led, 0,
		EMIT_LEDGER_DROP(EMIT_DROP_CLOSED)), ss.dropped_closed);
	assert_int_equal(emit_test_ledger_count(&led, 0,
		EMIT_LEDGER_DROP(EMIT_DROP_TX_RETRY)),
		ts.tx_dropped_retry_exhausted);
	assert_int_equal(emit_test_ledger_count(&led, 0,
		EMIT_LEDGER_DROP(EMIT_DROP_TX_CLOSED)), ts.tx_dropped_closed);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
	assert_int_equal(ss.events_enqueued, ts.dequeued);
	assert_int_equal(ts.dequeued, ts.tx_sent + emit_tx_stats_dropped(&ts));
	if (fx.port >= 0)
		assert_int_equal(emit_test_ledger_count(&led, 0,
			EMIT_LEDGER_RX), ts.tx_sent);
}

/* ---- mempool exhaustion ---- */

/* Send until refused; returns the refusal, counts the events sent. */
static int
send_until_refused(uint64_t *seq)
{
	int rc;

	while ((rc = emit_send(fx.s, 1, seq, sizeof(*seq))) == 0)
		(*seq)++;
	return rc;
}

/*
 * One lcore, exact: a 24-mbuf pool (no cache) behind a 63-slot ring. The
 * 25th claim finds the pool empty, single and burst alike, each refusal
 * counted once; once the TX stage returns the mbufs, both work again.
 */
static void
test_pool_exhausted(void **state)
{
	uint64_t seq = 0, nomem = 0;
	void *data[8];
	void *d;
	int n;

	(void)state;
	fx.mp = rte_pktmbuf_pool_create("flt_small24", 24, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(fx.mp);
	mk_sender(fx.mp, 8, EMIT_POLICY_DROP);
	mk_tx(null_port, 32, 4);

	assert_int_equal(send_until_refused(&seq), -ENOMEM);
	nomem++;
	assert_int_equal(seq, 24); /* every mbuf became an event */
	assert_int_equal(emit_claim(fx.s, 1, 8, &d), -ENOMEM);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 1), -ENOMEM);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 8), -ENOMEM);
	nomem += 3;
	assert_int_equal(sstats().err_nomem, nomem);
	assert_int_equal(sstats().events_claimed, 24);

	/* The stage sends the 24: the pool is full again. */
	assert_int_equal(emit_tx_poll(fx.tx), 24);
	assert_int_equal(rte_mempool_avail_count(fx.mp), 24);
	n = emit_claim_burst(fx.s, 1, 8, data, 8);
	assert_int_equal(n, 8);
	memset(data[0], 0, 8);
	assert_int_equal(emit_commit_burst(fx.s, 8), 8);
	assert_int_equal(emit_send(fx.s, 1, &seq, sizeof(seq)), 0);
	assert_true(emit_flush(fx.s) >= 0);
	assert_int_equal(emit_tx_poll(fx.tx), 9);
	assert_int_equal(sstats().err_nomem, nomem);
	assert_int_equal(sstats().events_committed, 33);
	assert_int_equal(tstats().tx_sent, 33);
}

/*
 * A pool smaller than a burst plus what single claims keep aside: after
 * one single claim, burst claims must still be served once the rest of
 * the pool is back, not be refused for ever while the sender itself holds
 * free mbufs.
 */
static void
test_pool_single_then_burst(void **state)
{
	void *data[8];
	uint64_t v = 7;
	int n, k;

	(void)state;
	fx.mp = rte_pktmbuf_pool_create("flt_small10", 10, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(fx.mp);
	mk_sender(fx.mp, 8, EMIT_POLICY_DROP);
	mk_tx(null_port, 32, 4);

	assert_int_equal(emit_send(fx.s, 1, &v, sizeof(v)), 0);
	assert_int_equal(emit_flush(fx.s), 1);
	assert_int_equal(emit_tx_poll(fx.tx), 1);
	/* Nothing is in flight: the ten mbufs are the pool's or the
	 * sender's own; a burst of eight must be served. */
	for (k = 0; k < 2; k++) {
		n = emit_claim_burst(fx.s, 1, 8, data, 8);
		assert_int_equal(n, 8);
		assert_int_equal(emit_commit_burst(fx.s, 8), 8);
		assert_int_equal(emit_tx_poll(fx.tx), 8);
	}
	assert_int_equal(sstats().err_nomem, 0);
	/* Single claims still work after the bursts. */
	assert_int_equal(emit_send(fx.s, 1, &v, sizeof(v)), 0);
	assert_int_equal(emit_flush(fx.s), 1);
	assert_int_equal(emit_tx_poll(fx.tx), 1);
}

/* Two lcores: the sender (worker) with a pool a fraction of its ring. */
struct pool_run {
	uint64_t quota;
	uint64_t committed;
	uint64_t nomem;     /* -ENOMEM returns seen */
	int err;
	int done;
};

static int
pool_worker(void *arg)
{
	struct pool_run *r = arg;
	uint64_t payload[2];
	void *data[32];
	unsigned int k;
	int n, c;

	while (r->err == 0 && r->committed < r->quota) {
		if (r->committed % 3 == 0) {
			payload[0] = r->committed;
			n = emit_send(fx.s, 2, payload, sizeof(payload));
			if (n == 0) {
				r->committed++;
				continue;
			}
		} else {
			n = emit_claim_burst(fx.s, 3, 16, data,
				(unsigned int)RTE_MIN((uint64_t)32,
					r->quota - r->committed));
			if (n > 0) {
				for (k = 0; k < (unsigned int)n; k++)
					memcpy(data[k], &r->committed, 8);
				c = emit_commit_burst(fx.s, (unsigned int)n);
				while (c == -ENOBUFS) {
					emit_poll(fx.s);
					c = emit_commit_burst(fx.s,
						(unsigned int)n);
				}
				if (c != n) {
					r->err = c < 0 ? c : -EINVAL;
					break;
				}
				r->committed += (uint64_t)n;
				continue;
			}
		}
		if (n == -ENOMEM)
			r->nomem++;
		else if (n != -ENOBUFS)
			r->err = n;
		emit_poll(fx.s);
	}
	while (r->err == 0 && (n = emit_flush(fx.s)) == -ENOBUFS)
		rte_pause();
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
test_pool_exhaustion_mt(void **state)
{
	struct pool_run r;
	struct emit_sender_stats ss;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.quota = 200000;
	/* 40 mbufs for a 63-slot ring and bursts of 32: the pool, not the
	 * ring, runs out first, again and again. */
	fx.mp = rte_pktmbuf_pool_create("flt_small40", 40, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(fx.mp);
	mk_port(1024, pool);
	mk_sender(fx.mp, 32, EMIT_POLICY_HOLD);
	mk_tx((uint16_t)fx.port, 32, 64);

	assert_int_equal(rte_eal_remote_launch(pool_worker, &r, worker), 0);
	fx.launched = true;
	while (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE)) {
		emit_tx_poll(fx.tx);
		emit_test_ledger_receive(&led, (uint16_t)fx.port);
	}
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	fx.launched = false;
	assert_int_equal(r.err, 0);
	assert_true(emit_tx_close(fx.tx) >= 0);
	emit_test_ledger_receive(&led, (uint16_t)fx.port);

	ss = sstats();
	assert_int_equal(ss.events_committed, r.quota);
	assert_true(r.nomem > 0);
	assert_int_equal(ss.err_nomem, r.nomem);
	/* HOLD and a port read as fast as it fills: nothing lost. */
	assert_int_equal(emit_test_ledger_count(&led, 0, EMIT_LEDGER_RX),
		r.quota);
	check_books();
	printf("  %" PRIu64 " events through a 40-mbuf pool: %" PRIu64
		" -ENOMEM, all received in order\n", r.quota, r.nomem);
}

/* ---- a port that stops accepting ---- */

#define STUCK_RETRY (1u << 16)
#define STUCK_AFTER 2000u /* events sent once the port is read again */

static int
tx_lcore(void *arg)
{
	(void)arg;
	return emit_tx_run(fx.tx, &fx.quit);
}

/* Send one event; a refusal is followed by a poll. */
static int
send_one(uint64_t *seq, uint64_t *refused)
{
	int rc = emit_send(fx.s, 1, seq, sizeof(*seq));

	if (rc == 0) {
		(*seq)++;
	} else if (rc == -ENOBUFS) {
		(*refused)++;
		rc = emit_poll(fx.s);
		if (rc == -ENOBUFS)
			(*refused)++;
		if (rc == -ENOBUFS || rc >= 0)
			rc = 0;
	}
	return rc;
}

/* The sender has felt the stuck port the way its policy says. */
static bool
policy_felt(enum emit_policy policy, int early)
{
	struct emit_sender_stats ss = sstats();

	if (early)
		return ss.err_nobufs_congested > 0;
	switch (policy) {
	case EMIT_POLICY_HOLD:
		return ss.err_nobufs_held > 0;
	case EMIT_POLICY_SPIN:
		return ss.dropped_spin_timeout > 0;
	default:
		return ss.dropped_ring_full > 0;
	}
}

/*
 * The TX stage runs on the worker with a long retry bound over a port that
 * takes 63 frames and is not read. Phase 1: the main lcore sends until the
 * stage has dropped after retrying, congestion is raised and the policy
 * has acted. Phase 2: the port is read again, the sender goes on and
 * events arrive; congestion clears once the ring is empty.
 */
static void
stuck_port(enum emit_policy policy, int early)
{
	struct emit_sender_conf sc;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	uint64_t seq = 0, refused = 0, drain_from, after = 0, k;
	int rc;

	mk_port(64, pool);
	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = fx.ring;
	sc.id = ID0;
	sc.burst = 16;
	sc.policy = policy;
	sc.spin_us = 20;
	/* Early backpressure at capacity - burst: a batch always fits. */
	sc.wm_high = early ? 63 - 16 : 40;
	sc.wm_low = 8;
	sc.early_backpressure = early;
	sc.hooks.drop = emit_test_ledger_sender_hook;
	sc.hooks.congestion = congestion_hook;
	sc.hooks.arg = &led;
	fx.s = emit_sender_create(&sc);
	assert_non_null(fx.s);
	mk_tx((uint16_t)fx.port, 16, STUCK_RETRY);
	assert_int_equal(rte_eal_remote_launch(tx_lcore, NULL, worker), 0);
	fx.launched = true;

	do {
		assert_int_equal(send_one(&seq, &refused), 0);
		assert_true(seq < LEDGER_SIZE / 2);
		ts = tstats();
	} while (ts.tx_dropped_retry_exhausted == 0 ||
		 fx.congestion_calls[1] == 0 || !policy_felt(policy, early));

	drain_from = seq;
	while (seq < drain_from + STUCK_AFTER) {
		emit_test_ledger_receive(&led, (uint16_t)fx.port);
		assert_int_equal(send_one(&seq, &refused), 0);
	}
	while ((rc = emit_flush(fx.s)) == -ENOBUFS) {
		refused++;
		emit_test_ledger_receive(&led, (uint16_t)fx.port);
	}
	assert_true(rc >= 0);
	while (emit_tx_in_rings(fx.tx) != 0)
		emit_test_ledger_receive(&led, (uint16_t)fx.port);
	/* The ring is empty: the next poll clears congestion. */
	assert_int_equal(emit_poll(fx.s), 0);
	assert_int_equal(emit_sender_congested(fx.s), 0);
	assert_true(fx.congestion_calls[0] >= 1);

	__atomic_store_n(&fx.quit, true, __ATOMIC_RELAXED);
	while (rte_eal_get_lcore_state(worker) != WAIT)
		emit_test_ledger_receive(&led, (uint16_t)fx.port);
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	fx.launched = false;
	emit_test_ledger_receive(&led, (uint16_t)fx.port);

	for (k = drain_from; k < seq; k++)
		after += led.fate[0][k] == EMIT_LEDGER_RX;
	ss = sstats();
	ts = tstats();
	check_books();
	assert_true(after > 0); /* recovered */
	assert_true(ts.tx_retries >= STUCK_RETRY);
	assert_true(ts.tx_dropped_retry_exhausted > 0);
	assert_true(ss.congestion_entries >= 1);
	assert_int_equal(ss.dropped_closed, 0);
	/* Each -ENOBUFS returned was counted once, under its cause. */
	assert_int_equal(refused, ss.err_nobufs_held + ss.err_nobufs_congested);
	if (early) {
		/* Claims refused before the ring could overflow. */
		assert_int_equal(ss.dropped_ring_full, 0);
		assert_true(ss.err_nobufs_congested > 0);
	}
	switch (policy) {
	case EMIT_POLICY_DROP:
		assert_int_equal(ss.dropped_spin_timeout, 0);
		assert_int_equal(ss.err_nobufs_held, 0);
		if (!early)
			assert_true(ss.dropped_ring_full > 0);
		break;
	case EMIT_POLICY_HOLD:
		/* Nothing lost at the sender: only the stage dropped. */
		assert_int_equal(ss.dropped_ring_full + ss.dropped_spin_timeout,
			0);
		assert_true(ss.err_nobufs_held > 0);
		break;
	case EMIT_POLICY_SPIN:
		assert_int_equal(ss.dropped_ring_full, 0);
		assert_int_equal(ss.err_nobufs_held, 0);
		assert_true(ss.spin_retries > 0);
		assert_true(ss.dropped_spin_timeout > 0);
		break;
	}
	printf("  %s%s: %" PRIu64 " events, %" PRIu64 " received (%" PRIu64
		" after the port drained); sender dropped %" PRIu64 " ring full, %"
		PRIu64 " spin, refused %" PRIu64 "; stage dropped %" PRIu64
		" after %" PRIu64 " retries\n",
		emit_policy_name(policy),
		early ? " + early backpressure" : "", seq,
		emit_test_ledger_count(&led, 0, EMIT_LEDGER_RX), after,
		ss.dropped_ring_full, ss.dropped_spin_timeout, refused,
		ts.tx_dropped_retry_exhausted, ts.tx_retries);
}

static void
test_stuck_port_drop(void **state)
{
	(void)state;
	stuck_port(EMIT_POLICY_DROP, 0);
}

static void
test_stuck_port_hold(void **state)
{
	(void)state;
	stuck_port(EMIT_POLICY_HOLD, 0);
}

static void
test_stuck_port_spin(void **state)
{
	(void)state;
	stuck_port(EMIT_POLICY_SPIN, 0);
}

static void
test_stuck_port_early(void **state)
{
	(void)state;
	stuck_port(EMIT_POLICY_DROP, 1);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pool_exhausted,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_single_then_burst,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion_mt,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_port_drop,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_port_hold,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_port_spin,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_port_early,
			setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("faults", "0-1", vdevs) != 0)
		return 1;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("faults: skipped, needs a worker lcore\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	if (rte_eth_dev_get_port_by_name("net_null0", &null_port) != 0 ||
	    emit_test_port_start(null_port, 1) != 0) {
		fprintf(stderr, "faults: cannot set up net_null0\n");
		return 1;
	}
	pool = emit_test_pool("fltpool", 4095);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("faults", tests, NULL, NULL);
	emit_test_port_stop(null_port);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
