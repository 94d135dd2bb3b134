/* SPDX-License-Identifier: BSD-3-Clause */
/* Backpressure from the port to the senders: a net_ring port that accepts
 * until its ring is full and refuses after, drained on demand by the test
 * (or at a set rate by a worker lcore). The TX stage keeps what the port
 * refuses, so the senders' policies apply; the TX policy, the blocked
 * time, a close while blocked, the close handshake with a running sender,
 * and SPIN's budget per refused enqueue. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include <emit.h>

#include "test_common.h"

#define PORT_SLOTS 64u   /* the port accepts 63, then refuses */
#define RING_SLOTS 32u   /* the sender's ring: 31 events */
#define BURST 8u

static struct rte_mempool *pool;
static unsigned int pool_full;
static unsigned int worker;

struct fixture {
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_tx *tx;
	int port;
	struct rte_ring *port_ring;
	char port_name[32];
	struct emit_test_clock clock;
	uint64_t next_seq;     /* the seq the port's reader expects next */
	uint64_t received;     /* events read from the port */
	int out_of_order;
	bool launched;
};

static struct fixture fx;

static uint64_t
seq_of(const struct rte_mbuf *m)
{
	const struct emit_hdr *h = rte_pktmbuf_mtod_offset(m,
			const struct emit_hdr *, EMIT_L2L4_LEN);

	return rte_be_to_cpu_64(h->seq);
}

/* Read up to @p max events from the port (what it accepted), checking
 * that they come in order, each once; returns how many. */
static unsigned int
port_read(unsigned int max)
{
	struct rte_mbuf *m[32];
	unsigned int n, i, got = 0;

	while (got < max) {
		n = rte_ring_dequeue_burst(fx.port_ring, (void **)m,
			RTE_MIN(max - got, 32u), NULL);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (seq_of(m[i]) != fx.next_seq)
				fx.out_of_order = 1;
			fx.next_seq = seq_of(m[i]) + 1;
		}
		rte_pktmbuf_free_bulk(m, n);
		got += n;
	}
	fx.received += got;
	return got;
}

static int
setup(void **state)
{
	static unsigned int n;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.port_name, sizeof(fx.port_name), "bp%u", n++);
	fx.port = emit_test_ring_port(fx.port_name, PORT_SLOTS, pool,
			&fx.port_ring);
	assert_true(fx.port >= 0);
	fx.ring = emit_test_ring(fx.port_name, RING_SLOTS);
	assert_non_null(fx.ring);
	fx.clock.now = 1000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (fx.launched)
		rte_eal_wait_lcore(worker);
	emit_sender_free(fx.s);
	emit_tx_free(fx.tx);
	emit_test_ring_drain(fx.ring);
	rte_ring_free(fx.ring);
	emit_test_ring_port_free((uint16_t)fx.port, fx.port_name,
		fx.port_ring);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
	return 0;
}

static void
mk_sender(enum emit_policy policy, uint32_t wm_high, uint32_t wm_low)
{
	struct emit_sender_conf c;

	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = fx.ring;
	c.id = 1;
	c.burst = BURST;
	c.policy = policy;
	c.wm_high = wm_high;
	c.wm_low = wm_low;
	fx.s = emit_sender_create(&c);
	assert_non_null(fx.s);
}

/* A TX stage on the port with @p policy; a test clock with @p clocked. */
static void
mk_tx(enum emit_tx_policy policy, uint32_t drop_us, bool clocked)
{
	struct emit_tx_conf c;

	emit_tx_conf_init(&c);
	c.port_id = (uint16_t)fx.port;
	c.rings[0] = fx.ring;
	c.nb_rings = 1;
	c.burst = BURST;
	c.retry_max = 2;
	c.policy = policy;
	c.drop_us = drop_us;
	c.close_us = 5000;
	if (clocked) {
		c.clock = emit_test_clock_read;
		c.clock_arg = &fx.clock;
		c.clock_hz = 1000000; /* 1 tick = 1 us */
	}
	fx.tx = emit_tx_create(&c);
	assert_non_null(fx.tx);
}

/* Send until the sender refuses or @p max events are committed, polling
 * the TX stage after each; returns events committed. */
static unsigned int
send_until_refused(unsigned int max, int *last_rc)
{
	unsigned int i;
	uint64_t v;
	int rc = 0;

	for (i = 0; i < max; i++) {
		v = i;
		rc = emit_send(fx.s, 3, &v, sizeof(v));
		if (rc != 0)
			break;
		assert_true(emit_tx_poll(fx.tx) >= 0);
	}
	*last_rc = rc;
	return i;
}

static void
check_conservation(void)
{
	struct emit_totals t;

	assert_int_equal(emit_conservation_check(&t), 1);
	assert_int_equal(t.tx_held, emit_tx_held(fx.tx));
}

/* HOLD at the sender, HOLD at the TX stage: a port that stops taking
 * fills the TX buffer, the ring, then the sender's batch; the sender is
 * refused with -ENOBUFS, nothing is dropped anywhere; once the port
 * drains, every event goes out, in order. */
static void
test_hold_nothing_lost(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int committed, i;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	/* The port took 63, the TX stage holds the refused rest of a burst,
	 * the ring is full, the sender holds one batch. */
	assert_int_equal(fx.received + rte_ring_count(fx.port_ring), 63);
	assert_int_equal(emit_tx_in_rings(fx.tx), RING_SLOTS - 1);
	assert_true(emit_tx_held(fx.tx) > 0);
	assert_true(emit_sender_pending(fx.s) > 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	assert_int_equal(ts.port_blocked_episodes, 1);
	assert_int_equal(63 + emit_tx_held(fx.tx) + RING_SLOTS - 1 +
		emit_sender_pending(fx.s), committed);
	check_conservation();

	/* Many more rounds change nothing while the port refuses. */
	for (i = 0; i < 1000; i++)
		assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	check_conservation();

	/* The port drains: everything leaves, in order. */
	while (fx.received < committed) {
		port_read(PORT_SLOTS);
		assert_true(emit_tx_poll(fx.tx) >= 0);
		rc = emit_poll(fx.s);
		assert_true(rc >= 0 || rc == -ENOBUFS);
	}
	assert_int_equal(fx.received, committed);
	assert_int_equal(fx.out_of_order, 0);
	assert_int_equal(emit_tx_held(fx.tx), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(emit_sender_stats_dropped(&ss), 0);
	assert_true(ss.err_nobufs_held > 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_sent, committed);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	assert_int_equal(ts.port_blocked_episodes, 1);
	check_conservation();
}

/* DROP at the sender: the drops happen at the sender (ring full), none at
 * the TX stage. */
static void
test_drop_at_sender(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int committed;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_DROP, 0, 0);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	committed = send_until_refused(2000, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(committed, 2000);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_true(ss.dropped_ring_full > 0);
	assert_int_equal(ss.dropped_spin_timeout + ss.dropped_closed, 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	assert_int_equal(ts.tx_sent + emit_tx_held(fx.tx) +
		emit_tx_in_rings(fx.tx) + ss.dropped_ring_full +
		emit_sender_pending(fx.s), committed);
	check_conservation();
}

/* Watermarks engage when the port is the bottleneck, and clear once it
 * drains. */
static void
test_watermarks(void **state)
{
	struct emit_sender_stats ss;
	unsigned int committed;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 24, 8);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(emit_sender_congested(fx.s), 1);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(ss.congestion_entries, 1);
	while (fx.received < committed) {
		port_read(PORT_SLOTS);
		assert_true(emit_tx_poll(fx.tx) >= 0);
		rc = emit_poll(fx.s);
		assert_true(rc >= 0 || rc == -ENOBUFS);
	}
	assert_int_equal(emit_sender_congested(fx.s), 0);
	assert_int_equal(fx.out_of_order, 0);
	check_conservation();
}

/* The TX DROP policy frees a held tail once drop_us have passed since the
 * port first refused it, not before; the blocked time is counted. */
static void
test_tx_drop_after_bound(void **state)
{
	struct emit_tx_stats ts;
	uint64_t held;
	unsigned int committed;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	mk_tx(EMIT_TX_POLICY_DROP, 100, true);
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	held = emit_tx_held(fx.tx);
	assert_true(held > 0);
	fx.clock.now += 99;
	assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_held(fx.tx), held);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	assert_int_equal(ts.port_blocked_ns, 99000);
	fx.clock.now += 1;
	assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_held(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_dropped_retry_exhausted, held);
	assert_int_equal(ts.port_blocked_ns, 100000);
	assert_int_equal(ts.port_blocked_episodes, 1);
	check_conservation();
	/* The next burst is dequeued, refused, held: a second spell. */
	fx.clock.now += 50;
	assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_held(fx.tx), BURST);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.port_blocked_episodes, 2);
	(void)committed;
	check_conservation();
}

/* Stopping while the port never takes again: bounded, what is held and
 * in the rings is freed and counted in tx_dropped_closed, and the sums
 * hold. */
static void
test_close_blocked(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	uint64_t held, in_rings, t0;
	unsigned int committed;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(emit_sender_close(fx.s), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_true(ss.dropped_closed > 0);
	held = emit_tx_held(fx.tx);
	in_rings = emit_tx_in_rings(fx.tx);
	t0 = rte_get_timer_cycles();
	assert_int_equal(emit_tx_close(fx.tx), 0);
	/* close_us is 5 ms: well under a second even on a loaded machine. */
	assert_true(rte_get_timer_cycles() - t0 < rte_get_timer_hz());
	assert_int_equal(emit_tx_held(fx.tx), 0);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_dropped_closed, held + in_rings);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	assert_int_equal(ts.tx_sent, 63);
	assert_int_equal(ts.tx_sent + ts.tx_dropped_closed + ss.dropped_closed,
		committed);
	check_conservation();
}

/* A worker lcore drains the port at a set rate, far below what the
 * sender could do: with HOLD everywhere, every event arrives, in order. */
struct drain_arg {
	unsigned int total;
	unsigned int per_ms;
};

static int
drain_worker(void *arg)
{
	const struct drain_arg *a = arg;
	uint64_t hz = rte_get_timer_hz(), next = rte_get_timer_cycles();

	while (fx.received < a->total) {
		while (rte_get_timer_cycles() < next)
			rte_pause();
		next += hz / 1000;
		port_read(a->per_ms);
	}
	return 0;
}

static void
test_hold_slow_port_mt(void **state)
{
	struct drain_arg a = { .total = 4000, .per_ms = 200 };
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int sent = 0;
	uint64_t v;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	assert_int_equal(rte_eal_remote_launch(drain_worker, &a, worker), 0);
	fx.launched = true;
	while (sent < a.total) {
		v = sent;
		rc = emit_send(fx.s, 3, &v, sizeof(v));
		if (rc == 0)
			sent++;
		else
			assert_int_equal(rc, -ENOBUFS);
		assert_true(emit_tx_poll(fx.tx) >= 0);
	}
	while (emit_flush(fx.s) == -ENOBUFS)
		assert_true(emit_tx_poll(fx.tx) >= 0);
	while (__atomic_load_n(&fx.received, __ATOMIC_RELAXED) < a.total)
		assert_true(emit_tx_poll(fx.tx) >= 0);
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	fx.launched = false;
	assert_int_equal(fx.out_of_order, 0);
	assert_int_equal(fx.received, a.total);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(emit_sender_stats_dropped(&ss), 0);
	assert_true(ss.err_nobufs_held > 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	assert_true(ts.port_blocked_episodes > 0);
	assert_true(ts.port_blocked_ns > 0);
	check_conservation();
}

/* The close handshake: a sender on the worker lcore sends without pause;
 * its flush hook stalls between the closed check and the enqueue, so its
 * batch may reach the ring after the close has drained it. The close does
 * not wait for the sender; that late batch (one at most) stays in the
 * ring, counted, until emit_tx_free frees it as tx_dropped_closed, and
 * the sender's next flush is refused with -EPIPE, counted as closed. */
static volatile int stall_flush;

static void
stall_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n, void *arg)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 2000;

	(void)s;
	(void)cause;
	(void)n;
	(void)arg;
	if (stall_flush)
		while (rte_get_timer_cycles() < end)
			rte_pause();
}

static int
busy_sender(void *arg)
{
	volatile int *started = arg;
	uint64_t v = 0;
	int rc;

	for (;;) {
		rc = emit_send(fx.s, 3, &v, sizeof(v));
		if (rc == -EPIPE)
			return 0;
		v++;
		*started = 1;
	}
}

static void
test_close_handshake(void **state)
{
	struct emit_sender_conf c;
	volatile int started = 0;
	struct emit_sender_stats ss;
	struct emit_totals t0, t;
	uint64_t late;
	int rc;

	(void)state;
	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = fx.ring;
	c.id = 1;
	c.burst = BURST;
	c.policy = EMIT_POLICY_DROP;
	c.hooks.flush = stall_hook;
	fx.s = emit_sender_create(&c);
	assert_non_null(fx.s);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	stall_flush = 1;
	assert_int_equal(rte_eal_remote_launch(busy_sender, (void *)&started,
		worker), 0);
	fx.launched = true;
	while (!started)
		rte_pause();
	/* Let the port take everything from now on. */
	while (fx.received < 200) {
		port_read(PORT_SLOTS);
		assert_true(emit_tx_poll(fx.tx) >= 0);
	}
	rc = emit_tx_close(fx.tx);
	assert_true(rc >= 0);
	assert_int_equal(emit_tx_held(fx.tx), 0);
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	fx.launched = false;
	stall_flush = 0;
	/* The sender saw the close: -EPIPE, its last batch dropped at the
	 * sender. At most the batch it was enqueuing reached the ring. */
	late = rte_ring_count(fx.ring);
	assert_true(late <= BURST);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_true(ss.err_pipe > 0);
	assert_int_equal(emit_conservation_check(&t0), 1);
	assert_int_equal(t0.in_rings, late);
	/* Free counts the late batch as closed at the stage. */
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(rte_ring_count(fx.ring), 0);
	assert_int_equal(emit_conservation_check(&t), 1);
	assert_int_equal(t.tx_dropped, t0.tx_dropped + late);
	assert_int_equal(t.in_rings, 0);
	port_read(PORT_SLOTS);
}

/* An idle sender that is never closed, with events in its batch, does not
 * hold up or fail the close of a stage whose port refuses; its next flush
 * is refused with -EPIPE and its batch counted as closed. */
static void
test_close_idle_sender(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int committed;
	uint64_t t0;
	uint64_t v = 7;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	mk_tx(EMIT_TX_POLICY_HOLD, 0, false);
	/* The port refuses, the ring is full, the sender holds a batch. */
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	t0 = rte_get_timer_cycles();
	assert_int_equal(emit_tx_close(fx.tx), 0);
	assert_true(rte_get_timer_cycles() - t0 < rte_get_timer_hz());
	assert_int_equal(emit_tx_held(fx.tx), 0);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
	assert_true(emit_sender_pending(fx.s) > 0);
	check_conservation();
	/* The sender wakes up: refused, its batch dropped as closed. */
	assert_int_equal(emit_send(fx.s, 3, &v, sizeof(v)), -EPIPE);
	assert_int_equal(emit_flush(fx.s), -EPIPE);
	assert_int_equal(emit_sender_pending(fx.s), 0);
	assert_int_equal(rte_ring_count(fx.ring), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(ts.tx_sent + ts.tx_dropped_closed + ss.dropped_closed,
		committed);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	check_conservation();
}

/* With the TX stage's defaults (no TX policy set), a port that refuses
 * loses nothing at the stage: what it refuses stays, the ring fills and
 * the HOLD sender is refused with -ENOBUFS. */
static void
test_default_keeps_refused(void **state)
{
	struct emit_tx_conf c;
	struct emit_tx_stats ts;
	unsigned int committed;
	int rc;

	(void)state;
	mk_sender(EMIT_POLICY_HOLD, 0, 0);
	emit_tx_conf_init(&c);
	c.port_id = (uint16_t)fx.port;
	c.rings[0] = fx.ring;
	c.nb_rings = 1;
	c.burst = BURST;
	c.retry_max = 2;
	fx.tx = emit_tx_create(&c);
	assert_non_null(fx.tx);
	committed = send_until_refused(10000, &rc);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
	while (fx.received < committed) {
		port_read(PORT_SLOTS);
		assert_true(emit_tx_poll(fx.tx) >= 0);
		rc = emit_poll(fx.s);
		assert_true(rc >= 0 || rc == -ENOBUFS);
	}
	assert_int_equal(fx.received, committed);
	assert_int_equal(fx.out_of_order, 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(emit_tx_stats_dropped(&ts), 0);
}

/* SPIN: each refused enqueue gets the whole spin_us. In one
 * emit_commit_burst of two batches, the first refusal costs 90 us of the
 * 100 us budget; the second batch, refused too, must still spin its own
 * 100 us before it is dropped. */
static struct emit_test_clock spin_clock;
static uint64_t spin_refused_at[2];
static unsigned int spin_refusals;
static uint64_t spin_dropped_at;

/* Fill the sender's ring with @p n raw mbufs. */
static void
ring_fill(unsigned int n)
{
	struct rte_mbuf *m[RING_SLOTS];

	if (rte_pktmbuf_alloc_bulk(pool, m, n) != 0 ||
	    rte_ring_enqueue_burst(fx.ring, (void **)m, n, NULL) != n)
		spin_refusals = 100; /* fails the test below */
}

static void
spin_bp_hook(struct emit_sender *s, unsigned int refused, void *arg)
{
	(void)s;
	(void)refused;
	(void)arg;
	if (spin_refusals < 2)
		spin_refused_at[spin_refusals] = spin_clock.now;
	if (spin_refusals++ == 0) {
		/* 90 us later the ring has room for the first batch only. */
		spin_clock.now += 90;
		emit_test_ring_drain(fx.ring);
		ring_fill(RING_SLOTS - 1 - BURST);
	}
}

static void
spin_drop_hook(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	(void)s;
	(void)pkts;
	(void)n;
	(void)arg;
	if (reason == EMIT_DROP_SPIN_TIMEOUT)
		spin_dropped_at = spin_clock.now;
}

static void
test_spin_budget_per_refusal(void **state)
{
	struct emit_sender_conf c;
	struct emit_sender_stats ss;
	void *p[2 * BURST];

	(void)state;
	spin_clock.now = 1000;
	spin_clock.step = 1;
	spin_refusals = 0;
	spin_dropped_at = 0;
	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = fx.ring;
	c.id = 1;
	c.burst = BURST;
	c.policy = EMIT_POLICY_SPIN;
	c.spin_us = 100;
	c.clock = emit_test_clock_read;
	c.clock_arg = &spin_clock;
	c.clock_hz = 1000000;
	c.hooks.backpressure = spin_bp_hook;
	c.hooks.drop = spin_drop_hook;
	fx.s = emit_sender_create(&c);
	assert_non_null(fx.s);
	ring_fill(RING_SLOTS - 1); /* full */
	assert_int_equal(emit_claim_burst(fx.s, 3, 8, p, 2 * BURST),
		2 * BURST);
	assert_int_equal(emit_commit_burst(fx.s, 2 * BURST), 2 * BURST);
	assert_int_equal(spin_refusals, 2);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(ss.events_enqueued, BURST);
	assert_int_equal(ss.dropped_spin_timeout, BURST);
	/* The second batch spun its own 100 us, not the 10 left over. */
	assert_true(spin_dropped_at - spin_refused_at[1] >= 100);
	assert_true(spin_dropped_at - spin_refused_at[1] < 110);
}

/* Close with a batch the ring refuses: one offer, the refused events count
 * in dropped_closed under each policy, and close does not spin. */
static void
close_refused(enum emit_policy policy)
{
	struct emit_sender_conf c;
	struct emit_sender_stats ss;
	uint64_t v = 0;
	unsigned int i;

	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = fx.ring;
	c.id = 1;
	c.burst = BURST;
	c.policy = policy;
	c.spin_us = 1000000; /* a spinning close would take a second */
	fx.s = emit_sender_create(&c);
	assert_non_null(fx.s);
	ring_fill(RING_SLOTS - 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(emit_send(fx.s, 3, &v, sizeof(v)), 0);
	assert_int_equal(emit_sender_close(fx.s), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &ss), 0);
	assert_int_equal(ss.dropped_closed, 3);
	assert_int_equal(ss.dropped_ring_full, 0);
	assert_int_equal(ss.dropped_spin_timeout, 0);
	assert_int_equal(ss.spin_retries, 0);
	assert_int_equal(ss.flush_close, 1);
	assert_int_equal(ss.backpressure_episodes, 1);
	emit_sender_free(fx.s);
	fx.s = NULL;
	emit_test_ring_drain(fx.ring);
}

static void
test_close_counts_closed(void **state)
{
	(void)state;
	close_refused(EMIT_POLICY_DROP);
	close_refused(EMIT_POLICY_HOLD);
	close_refused(EMIT_POLICY_SPIN);
}

int
main(void)
{
	static const char *const vdevs[] = { NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hold_nothing_lost,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_at_sender,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_watermarks,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_drop_after_bound,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_blocked,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold_slow_port_mt,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_idle_sender,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_keeps_refused,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_handshake,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_spin_budget_per_refusal,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_counts_closed,
			setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("backpressure", NULL, vdevs) != 0)
		return 1;
	worker = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("skip: needs a worker lcore\n");
		return EMIT_TEST_SKIP;
	}
	pool = emit_test_pool("bp_pool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	return rc;
}
