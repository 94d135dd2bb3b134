/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Teardown with events everywhere: pending in a sender's batch (held or
 * partial), in the rings, and in a TX stage retrying on a port that
 * refuses them. After emit_sender_free, emit_tx_close and emit_tx_free,
 * every committed event must be accounted for exactly once: read back from
 * the port, or reported to a drop hook with its reason; the counters agree
 * and the mempool is full again.
 *
 * A ledger keyed by (sender, seq) records each event's fate, so that an
 * event lost, or freed twice, is caught by identity and not only by sums.
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

#define TD_SENDERS 2
#define TD_ID0 21
#define TD_LEDGER (1u << 22) /* events per sender the ledger can track */

/* Fate of an event: 0 unknown, 1 + drop reason, or sent. */
#define FATE_SENT (EMIT_DROP_TX_CLOSED + 2)
#define FATES (FATE_SENT + 1)

struct ledger {
	uint8_t fate[TD_SENDERS][TD_LEDGER];
	uint64_t count[TD_SENDERS][FATES];
	uint64_t twice; /* atomic: an event reported twice */
	uint64_t bad;   /* atomic: unknown sender or seq out of range */
};

static struct ledger led;
static struct rte_mempool *pool;
static unsigned int pool_full;
static unsigned int worker;

struct fixture {
	struct rte_ring *rings[TD_SENDERS];
	struct emit_sender *s[TD_SENDERS];
	struct emit_tx *tx;
	int port;
	struct rte_ring *port_ring;
	char port_name[32];
	uint64_t committed[TD_SENDERS];
	bool quit;
	bool launched; /* the stage runs on the worker lcore */
};

static struct fixture fx;

/* Record the fate of @p n events. Hooks of the senders (main lcore) and
 * of the TX stage (maybe the worker) never report the same event unless
 * the library frees it twice, which is what twice counts. */
static void
ledger_mark(struct rte_mbuf *const *pkts, unsigned int n, unsigned int fate)
{
	unsigned int k, i;

	for (k = 0; k < n; k++) {
		const struct emit_hdr *h = rte_pktmbuf_mtod_offset(pkts[k],
				const struct emit_hdr *, EMIT_L2L4_LEN);
		uint64_t seq = rte_be_to_cpu_64(h->seq);

		i = (unsigned int)(rte_be_to_cpu_16(h->sender) - TD_ID0);
		if (i >= TD_SENDERS || seq >= TD_LEDGER) {
			__atomic_fetch_add(&led.bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (led.fate[i][seq] != 0)
			__atomic_fetch_add(&led.twice, 1, __ATOMIC_RELAXED);
		led.fate[i][seq] = (uint8_t)fate;
		led.count[i][fate]++;
	}
}

static void
sender_drop_hook(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	(void)s;
	(void)arg;
	ledger_mark(pkts, n, 1 + reason);
}

static void
tx_drop_hook(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	(void)tx;
	(void)arg;
	ledger_mark(pkts, n, 1 + reason);
}

static int
setup(void **state)
{
	static unsigned int n;
	struct emit_sender_conf sc;
	char name[32];
	unsigned int i;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	memset(&led, 0, sizeof(led));
	/* A port that takes 7 frames and then refuses: nobody reads it
	 * before the end of the test. */
	snprintf(fx.port_name, sizeof(fx.port_name), "td%u", n);
	fx.port = emit_test_ring_port(fx.port_name, 8, pool, &fx.port_ring);
	assert_true(fx.port >= 0);
	for (i = 0; i < TD_SENDERS; i++) {
		snprintf(name, sizeof(name), "td%u_%u", n, i);
		fx.rings[i] = emit_test_ring(name, 32); /* holds 31 */
		assert_non_null(fx.rings[i]);
		emit_sender_conf_init(&sc);
		sc.mp = pool;
		sc.ring = fx.rings[i];
		sc.id = (uint16_t)(TD_ID0 + i);
		sc.burst = 8;
		/* Sender 0 keeps what the ring refuses, sender 1 drops it. */
		sc.policy = i == 0 ? EMIT_POLICY_HOLD : EMIT_POLICY_DROP;
		sc.hooks.drop = sender_drop_hook;
		fx.s[i] = emit_sender_create(&sc);
		assert_non_null(fx.s[i]);
	}
	n++;
	return 0;
}

/* The TX stage draining both rings onto the refusing port. */
static void
mk_tx(uint16_t burst, uint32_t retry_max)
{
	struct emit_tx_conf tc;
	unsigned int i;

	emit_tx_conf_init(&tc);
	tc.port_id = (uint16_t)fx.port;
	tc.burst = burst;
	tc.retry_max = retry_max;
	/* A refused tail is freed at the end of its round, counted. */
	tc.policy = EMIT_TX_POLICY_DROP;
	tc.drop_us = 0;
	tc.close_us = 2000;
	tc.hooks.drop = tx_drop_hook;
	for (i = 0; i < TD_SENDERS; i++)
		tc.rings[i] = fx.rings[i];
	tc.nb_rings = TD_SENDERS;
	fx.tx = emit_tx_create(&tc);
	assert_non_null(fx.tx);
}

static int
teardown(void **state)
{
	unsigned int i;

	(void)state;
	/* A failed check may leave the stage running: stop it first. */
	if (fx.launched) {
		__atomic_store_n(&fx.quit, true, __ATOMIC_RELAXED);
		rte_eal_wait_lcore(worker);
	}
	emit_tx_free(fx.tx);
	for (i = 0; i < TD_SENDERS; i++) {
		emit_sender_free(fx.s[i]);
		rte_ring_free(fx.rings[i]);
	}
	if (fx.port >= 0)
		emit_test_ring_port_free((uint16_t)fx.port, fx.port_name,
			fx.port_ring);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
	return 0;
}

/* Send one event from sender @p i; returns emit_send's result. */
static int
send1(unsigned int i)
{
	uint64_t v = fx.committed[i];
	int rc = emit_send(fx.s[i], 9, &v, sizeof(v));

	if (rc == 0)
		fx.committed[i]++;
	return rc;
}

static void
send_ok(unsigned int i, unsigned int n)
{
	while (n-- != 0)
		assert_int_equal(send1(i), 0);
}

/* Read back what the port took: it counts as sent. */
static unsigned int
read_port(void)
{
	struct rte_mbuf *pkts[32];
	unsigned int n, total = 0;

	while ((n = rte_eth_rx_burst((uint16_t)fx.port, 0, pkts, 32)) != 0) {
		ledger_mark(pkts, n, FATE_SENT);
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	}
	return total;
}

/* Every committed event has exactly one fate, and no other seq has one. */
static void
ledger_check(void)
{
	uint64_t seq, sum;
	unsigned int i, f;

	assert_int_equal(led.bad, 0);
	assert_int_equal(led.twice, 0);
	for (i = 0; i < TD_SENDERS; i++) {
		assert_true(fx.committed[i] <= TD_LEDGER);
		for (seq = 0; seq < fx.committed[i]; seq++)
			if (led.fate[i][seq] == 0)
				fail_msg("sender %u seq %" PRIu64 ": no fate",
					i, seq);
		for (seq = fx.committed[i]; seq < TD_LEDGER; seq++)
			assert_int_equal(led.fate[i][seq], 0);
		for (sum = 0, f = 0; f < FATES; f++)
			sum += led.count[i][f];
		assert_int_equal(sum, fx.committed[i]);
	}
}

/* How many events of sender @p i met fate @p f. */
static uint64_t
fate(unsigned int i, unsigned int f)
{
	return led.count[i][f];
}

/* Fill: sender 0 (HOLD) has 31 in its ring and 1 held; sender 1 (DROP)
 * 16 in its ring, 4 in its batch and an open claim. */
static void
fill(void)
{
	void *d;

	send_ok(0, 32);
	assert_int_equal(send1(0), -ENOBUFS);
	assert_int_equal(emit_sender_pending(fx.s[0]), 1);
	send_ok(1, 20);
	assert_int_equal(emit_sender_pending(fx.s[1]), 4);
	assert_int_equal(emit_claim(fx.s[1], 9, 8, &d), 0);
	assert_int_equal(rte_ring_count(fx.rings[0]), 31);
	assert_int_equal(rte_ring_count(fx.rings[1]), 16);
}

static void
test_tx_first(void **state)
{
	struct emit_tx_stats ts;

	(void)state;
	mk_tx(8, 2);
	fill();
	/* One round: 7 of ring 0 taken by the port, 1 + 8 dropped. */
	assert_int_equal(emit_tx_poll(fx.tx), 7);

	/* The TX stage goes first: it closes the senders and drains both
	 * rings through the port, which takes nothing more. */
	assert_int_equal(emit_tx_close(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_sent, 7);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 31 + 16 - 7);
	emit_sender_free(fx.s[0]);
	emit_sender_free(fx.s[1]);
	fx.s[0] = fx.s[1] = NULL;
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(read_port(), 7);

	ledger_check();
	assert_int_equal(fate(0, FATE_SENT), 7);
	assert_int_equal(fate(0, 1 + EMIT_DROP_TX_RETRY), 24);
	assert_int_equal(fate(0, 1 + EMIT_DROP_CLOSED), 1);
	assert_int_equal(fate(1, 1 + EMIT_DROP_TX_RETRY), 16);
	assert_int_equal(fate(1, 1 + EMIT_DROP_CLOSED), 4);
}

static void
test_senders_first(void **state)
{
	struct emit_tx_stats ts;

	(void)state;
	mk_tx(8, 2);
	fill();
	/* The senders go first: sender 0's held event finds its ring full
	 * and is dropped; sender 1's batch goes to its ring. */
	emit_sender_free(fx.s[0]);
	emit_sender_free(fx.s[1]);
	fx.s[0] = fx.s[1] = NULL;
	assert_int_equal(rte_ring_count(fx.rings[1]), 20);
	/* Then the TX stage drains: the port takes 7, refuses the rest. */
	assert_int_equal(emit_tx_close(fx.tx), 7);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 31 + 20 - 7);
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(read_port(), 7);

	ledger_check();
	assert_int_equal(fate(0, FATE_SENT), 7);
	assert_int_equal(fate(0, 1 + EMIT_DROP_TX_RETRY), 24);
	assert_int_equal(fate(0, 1 + EMIT_DROP_CLOSED), 1);
	assert_int_equal(fate(1, 1 + EMIT_DROP_TX_RETRY), 20);
	assert_int_equal(fate(1, 1 + EMIT_DROP_CLOSED), 0);
}

static void
test_free_only(void **state)
{
	(void)state;
	mk_tx(8, 2);
	fill();
	/* No close at all: emit_tx_free closes and drains, then the
	 * senders' frees drop what they still hold. */
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	emit_sender_free(fx.s[0]);
	emit_sender_free(fx.s[1]);
	fx.s[0] = fx.s[1] = NULL;
	assert_int_equal(read_port(), 7);

	ledger_check();
	assert_int_equal(fate(0, FATE_SENT), 7);
	assert_int_equal(fate(0, 1 + EMIT_DROP_TX_RETRY), 24);
	assert_int_equal(fate(0, 1 + EMIT_DROP_CLOSED), 1);
	assert_int_equal(fate(1, 1 + EMIT_DROP_TX_RETRY), 16);
	assert_int_equal(fate(1, 1 + EMIT_DROP_CLOSED), 4);
}

static int
tx_lcore(void *arg)
{
	struct fixture *f = arg;

	return emit_tx_run(f->tx, &f->quit);
}

static uint64_t
sender_stat(unsigned int i, size_t off)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(fx.s[i], &st), 0);
	return *(const uint64_t *)((const char *)&st + off);
}

#define SSTAT(i, field) \
	sender_stat(i, offsetof(struct emit_sender_stats, field))

/*
 * The TX stage runs emit_tx_run on the worker lcore over the refusing
 * port with a long retry bound, so that it spends its time retrying. The
 * main lcore fills both rings and both batches, then tells it to quit.
 * With @p race, the main lcore keeps sending while the stage closes, until
 * both senders see -EPIPE: events may then land in a ring after the close
 * and are dropped by emit_tx_free.
 */
static void
teardown_mt(bool race)
{
	struct emit_tx_stats ts;
	uint64_t pending[TD_SENDERS], ring_full, epipe = 0;
	unsigned int i;
	void *d;
	int rc;

	/* A long retry bound: the stage spends its time retrying. */
	mk_tx(32, 1000);
	assert_int_equal(rte_eal_remote_launch(tx_lcore, &fx, worker), 0);
	fx.launched = true;

	/* Until sender 0 is held, sender 1 has dropped and the stage has
	 * dropped after retrying: every stage of the path is busy. */
	while ((rc = send1(0)) == 0)
		;
	assert_int_equal(rc, -ENOBUFS);
	while (SSTAT(1, dropped_ring_full) == 0)
		assert_int_equal(send1(1), 0);
	while (emit_tx_stats_get(fx.tx, &ts) == 0 &&
	       ts.tx_dropped_retry_exhausted == 0)
		rte_pause();
	/* A partial batch in sender 1, three events. */
	while (emit_sender_pending(fx.s[1]) != 3)
		assert_int_equal(send1(1), 0);
	assert_true(emit_sender_pending(fx.s[0]) > 0);

	__atomic_store_n(&fx.quit, true, __ATOMIC_RELAXED);
	while (race && epipe != 3 && fx.committed[1] < TD_LEDGER) {
		if (!(epipe & 1) && send1(0) == -EPIPE)
			epipe |= 1;
		if (!(epipe & 2)) {
			rc = send1(1);
			if (rc == -EPIPE)
				epipe |= 2;
			else
				assert_int_equal(rc, 0);
		}
	}
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	fx.launched = false;

	/* The stage has closed both senders. */
	for (i = 0; i < TD_SENDERS; i++) {
		assert_int_equal(emit_claim(fx.s[i], 9, 8, &d), -EPIPE);
		pending[i] = emit_sender_pending(fx.s[i]);
		assert_int_equal(pending[i], 0);
	}
	ring_full = SSTAT(1, dropped_ring_full);
	assert_int_equal(SSTAT(0, dropped_ring_full), 0);
	assert_true(SSTAT(0, dropped_closed) > 0 || race);
	assert_true(SSTAT(1, dropped_closed) > 0 || race);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_true(ts.tx_retries >= 1000);
	assert_int_equal(SSTAT(0, events_enqueued) + SSTAT(1, events_enqueued),
		ts.tx_sent + ts.tx_dropped_retry_exhausted +
		emit_tx_in_rings(fx.tx));
	for (i = 0; i < TD_SENDERS; i++) {
		uint64_t closed = SSTAT(i, dropped_closed);

		emit_sender_free(fx.s[i]);
		fx.s[i] = NULL;
		assert_int_equal(fate(i, 1 + EMIT_DROP_CLOSED), closed);
	}
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(read_port(), ts.tx_sent);

	ledger_check();
	assert_int_equal(fate(0, FATE_SENT) + fate(1, FATE_SENT), ts.tx_sent);
	assert_int_equal(fate(0, 1 + EMIT_DROP_TX_RETRY) +
		fate(1, 1 + EMIT_DROP_TX_RETRY), ts.tx_dropped_retry_exhausted);
	assert_int_equal(fate(1, 1 + EMIT_DROP_RING_FULL), ring_full);
	printf("  %s: committed %" PRIu64 " + %" PRIu64 "; sent %" PRIu64
		", dropped: ring full %" PRIu64 ", closed %" PRIu64 " + %" PRIu64
		", tx retry %" PRIu64 ", tx closed %" PRIu64 " + %" PRIu64 "\n",
		race ? "sending through the close" : "quiet at the close",
		fx.committed[0], fx.committed[1], ts.tx_sent, ring_full,
		fate(0, 1 + EMIT_DROP_CLOSED), fate(1, 1 + EMIT_DROP_CLOSED),
		ts.tx_dropped_retry_exhausted,
		fate(0, 1 + EMIT_DROP_TX_CLOSED),
		fate(1, 1 + EMIT_DROP_TX_CLOSED));
}

static void
test_mt_quiet(void **state)
{
	(void)state;
	teardown_mt(false);
}

static void
test_mt_race(void **state)
{
	(void)state;
	teardown_mt(true);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tx_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_senders_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mt_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mt_race, setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("teardown", "0-1", NULL) != 0)
		return 1;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("teardown: skipped, needs a worker lcore\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	pool = emit_test_pool("pool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("teardown", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
