/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection, part 2: things stop while traffic runs.
 *
 * - The TX stage is told to stop while three senders (DROP, HOLD, SPIN,
 *   each on its own lcore, mixing single and burst claims) keep sending:
 *   each sender then sees -EPIPE, what it had pending is dropped with the
 *   reason "closed", what reaches a ring after the close is dropped by
 *   emit_tx_free; every committed event has exactly one fate.
 * - A pipeline stopped with events at every stage of a burst: claims open,
 *   a partial batch, held events, full rings, a TX stage retrying on a
 *   port that does not accept: stop and free account for each event and
 *   give every mbuf back.
 * - A pipeline stopped while its port accepts nothing and the TX stage
 *   holds what it refused (TX policy HOLD): the stop ends in bounded
 *   time, the held tail and the rings are freed and counted, the sums
 *   hold and every mbuf is back.
 *
 * Extends test_teardown.c (one sender thread, the stage on a worker) and
 * test_pipeline.c (stop with partial batches on ports that accept).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include <emit.h>

#include "test_common.h"
#include "test_ledger.h"

#define NB_SND 3
#define ID0 400
#define LEDGER_SIZE (1u << 24)
#define BEFORE_STOP 2000u /* events each sender commits before the stop */

static struct rte_mempool *pool;
static unsigned int pool_full;
static unsigned int lc_tx, lc_snd[NB_SND];
static struct emit_test_ledger led;

/* ---- the TX stage stops under running senders ---- */

struct snd_run {
	struct emit_sender *s;
	struct rte_ring *ring;
	uint64_t rng;
	uint64_t committed;   /* atomic for the main lcore */
	uint64_t epipe;       /* -EPIPE returns seen */
	unsigned int open;    /* open burst claims */
	int err;
	const char *where;
	int done;             /* release */
};

static struct snd_run snd[NB_SND];
static bool tx_quit;

static uint64_t
xrand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
snd_fail(struct snd_run *r, int rc, const char *where)
{
	if (r->err == 0) {
		r->err = rc;
		r->where = where;
	}
}

/* One step; -EPIPE ends the sender, refusals are polled away. */
static int
snd_step(struct snd_run *r)
{
	void *data[16];
	uint64_t v = r->committed;
	int n;

	if (r->open == 0 && xrand(&r->rng) % 2) {
		n = emit_send(r->s, 1, &v, sizeof(v));
		if (n == 0)
			n = 1;
	} else {
		if (r->open == 0) {
			n = emit_claim_burst(r->s, 2, 8, data, 16);
			if (n <= 0)
				goto refused;
			r->open = (unsigned int)n;
		}
		n = emit_commit_burst(r->s,
			1 + (unsigned int)(xrand(&r->rng) % r->open));
		if (n > 0)
			r->open -= (unsigned int)n;
	}
	if (n > 0) {
		__atomic_store_n(&r->committed, r->committed + (uint64_t)n,
			__ATOMIC_RELAXED);
		return 0;
	}
refused:
	if (n == -EPIPE) {
		r->epipe++;
		return -EPIPE;
	}
	if (n != -ENOBUFS && n != -EAGAIN) {
		snd_fail(r, n, "claim/commit");
		return n;
	}
	n = emit_poll(r->s);
	if (n == -EPIPE) {
		r->epipe++;
		return -EPIPE;
	}
	return 0;
}

static int
snd_lcore(void *arg)
{
	struct snd_run *r = arg;
	int rc;

	while (snd_step(r) == 0)
		;
	/* Closed: a flush drops what is pending, with its reason. */
	rc = emit_flush(r->s);
	if (rc == -EPIPE)
		r->epipe++;
	else
		snd_fail(r, rc, "emit_flush after the close");
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
tx_lcore(void *arg)
{
	return emit_tx_run(arg, &tx_quit);
}

static bool
snd_all(bool (*pred)(const struct snd_run *))
{
	unsigned int i;

	for (i = 0; i < NB_SND; i++)
		if (!pred(&snd[i]))
			return false;
	return true;
}

static bool
snd_started(const struct snd_run *r)
{
	return __atomic_load_n(&r->committed, __ATOMIC_RELAXED) >=
		BEFORE_STOP;
}

static bool
snd_done(const struct snd_run *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE) != 0;
}

static void
test_tx_stops_under_senders(void **state)
{
	static const enum emit_policy pol[NB_SND] = {
		EMIT_POLICY_DROP, EMIT_POLICY_HOLD, EMIT_POLICY_SPIN };
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_sender_stats ss;
	struct emit_tx *tx;
	struct rte_ring *pring;
	uint64_t closed = 0, tx_closed, rx;
	unsigned int i;
	void *d;
	int port;

	(void)state;
	memset(snd, 0, sizeof(snd));
	tx_quit = false;
	assert_int_equal(emit_test_ledger_init(&led, ID0, NB_SND,
		LEDGER_SIZE), 0);
	port = emit_test_ring_port("stop_tx", 512, pool, &pring);
	assert_true(port >= 0);
	emit_tx_conf_init(&tc);
	tc.port_id = (uint16_t)port;
	tc.hooks.drop = emit_test_ledger_tx_hook;
	tc.hooks.arg = &led;
	for (i = 0; i < NB_SND; i++) {
		char name[32];

		snprintf(name, sizeof(name), "stop_r%u", i);
		snd[i].ring = emit_test_ring(name, 128);
		assert_non_null(snd[i].ring);
		emit_sender_conf_init(&sc);
		sc.mp = pool;
		sc.ring = snd[i].ring;
		sc.id = (uint16_t)(ID0 + i);
		sc.burst = 24;
		sc.policy = pol[i];
		sc.spin_us = 10;
		sc.hooks.drop = emit_test_ledger_sender_hook;
		sc.hooks.arg = &led;
		snd[i].s = emit_sender_create(&sc);
		assert_non_null(snd[i].s);
		snd[i].rng = 0x9e3779b97f4a7c15ull * (i + 1);
		tc.rings[tc.nb_rings++] = snd[i].ring;
	}
	tx = emit_tx_create(&tc);
	assert_non_null(tx);

	assert_int_equal(rte_eal_remote_launch(tx_lcore, tx, lc_tx), 0);
	for (i = 0; i < NB_SND; i++)
		assert_int_equal(rte_eal_remote_launch(snd_lcore, &snd[i],
			lc_snd[i]), 0);
	while (!snd_all(snd_started))
		emit_test_ledger_receive(&led, (uint16_t)port);
	/* Stop the stage while every sender is busy. */
	__atomic_store_n(&tx_quit, true, __ATOMIC_RELAXED);
	while (!snd_all(snd_done) || rte_eal_get_lcore_state(lc_tx) != WAIT)
		emit_test_ledger_receive(&led, (uint16_t)port);
	for (i = 0; i < NB_SND; i++)
		assert_int_equal(rte_eal_wait_lcore(lc_snd[i]), 0);
	assert_int_equal(rte_eal_wait_lcore(lc_tx), 0);
	emit_test_ledger_receive(&led, (uint16_t)port);

	for (i = 0; i < NB_SND; i++) {
		if (snd[i].err != 0)
			fail_msg("sender %u: %s returned %d", i, snd[i].where,
				snd[i].err);
		assert_true(snd[i].epipe >= 2);
		/* -EPIPE may have come from a poll while a burst claim was
		 * open (its commit refused, HOLD): give the claims back. */
		if (snd[i].open != 0) {
			assert_int_equal(emit_abort_burst(snd[i].s),
				(int)snd[i].open);
			snd[i].open = 0;
		}
		assert_int_equal(emit_claim(snd[i].s, 1, 8, &d), -EPIPE);
		/* Free: open claims given back, nothing pending. */
		assert_int_equal(emit_sender_pending(snd[i].s), 0);
		assert_int_equal(emit_sender_stats_get(snd[i].s, &ss), 0);
		assert_int_equal(ss.events_claimed, ss.events_committed +
			ss.events_aborted + snd[i].open);
		assert_int_equal(ss.err_pipe, snd[i].epipe + 1);
		closed += ss.dropped_closed;
	}
	/* Frames that reached a ring after the close are freed here. */
	emit_tx_free(tx);
	tx_closed = 0;
	for (i = 0; i < NB_SND; i++)
		tx_closed += emit_test_ledger_count(&led, i,
			EMIT_LEDGER_DROP(EMIT_DROP_TX_CLOSED));
	assert_int_equal(led.twice, 0);
	assert_int_equal(led.bad, 0);
	rx = 0;
	for (i = 0; i < NB_SND; i++) {
		uint64_t enq_fates;

		assert_int_equal(emit_sender_stats_get(snd[i].s, &ss), 0);
		assert_int_equal(emit_test_ledger_missing(&led, i,
			ss.events_committed), 0);
		assert_int_equal(emit_test_ledger_count(&led, i,
			EMIT_LEDGER_DROP(EMIT_DROP_CLOSED)), ss.dropped_closed);
		assert_int_equal(emit_test_ledger_count(&led, i,
			EMIT_LEDGER_DROP(EMIT_DROP_RING_FULL)),
			ss.dropped_ring_full);
		assert_int_equal(emit_test_ledger_count(&led, i,
			EMIT_LEDGER_DROP(EMIT_DROP_SPIN_TIMEOUT)),
			ss.dropped_spin_timeout);
		enq_fates = emit_test_ledger_count(&led, i, EMIT_LEDGER_RX) +
			emit_test_ledger_count(&led, i,
				EMIT_LEDGER_DROP(EMIT_DROP_TX_RETRY)) +
			emit_test_ledger_count(&led, i,
				EMIT_LEDGER_DROP(EMIT_DROP_TX_CLOSED));
		assert_int_equal(enq_fates, ss.events_enqueued);
		rx += emit_test_ledger_count(&led, i, EMIT_LEDGER_RX);
		printf("  sender %u (%s): committed %" PRIu64 ", -EPIPE %"
			PRIu64 " times, dropped at close %" PRIu64 "\n", i,
			emit_policy_name(pol[i]),
			ss.events_committed, snd[i].epipe, ss.dropped_closed);
		emit_sender_free(snd[i].s);
		assert_int_equal(rte_ring_count(snd[i].ring), 0);
		rte_ring_free(snd[i].ring);
	}
	printf("  received %" PRIu64 ", dropped as closed: %" PRIu64
		" by senders, %" PRIu64 " left in rings after the close\n",
		rx, closed, tx_closed);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "stop_tx",
		pring), 0);
	emit_test_ledger_fini(&led);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

/* ---- a pipeline stopped with events at every stage ---- */

#define PL_OPEN 16 /* claims a step keeps open */

struct pl_gen {
	uint64_t committed[NB_SND]; /* atomics */
	unsigned int open[NB_SND];  /* atomics: open claims */
	bool freeze;                /* main: stop mid-burst */
};

/* Frozen: keep a burst claim open and an event in the batch, as an
 * application stopped in the middle of building a burst. */
static int
pl_frozen(struct emit_sender *s, unsigned int idx, struct pl_gen *g)
{
	unsigned int open = g->open[idx];
	void *data[PL_OPEN];
	int n;

	if (open == 0) {
		n = emit_claim_burst(s, 3, 16, data, PL_OPEN);
		if (n > 0)
			__atomic_store_n(&g->open[idx], (unsigned int)n,
				__ATOMIC_RELAXED);
	} else if (open >= 2 && emit_sender_pending(s) == 0) {
		n = emit_commit_burst(s, 1);
		if (n == 1) {
			__atomic_store_n(&g->committed[idx],
				g->committed[idx] + 1, __ATOMIC_RELAXED);
			__atomic_store_n(&g->open[idx], open - 1,
				__ATOMIC_RELAXED);
		}
	}
	/* A poll retries held events; with a long linger it sends no
	 * partial batch. */
	n = emit_poll(s);
	return n >= 0 || n == -ENOBUFS ? 0 : n;
}

/* Claim a burst, commit a few of it: claims stay open between steps. */
static int
pl_step(struct emit_sender *s, unsigned int idx, void *arg)
{
	struct pl_gen *g = arg;
	unsigned int open = g->open[idx];
	void *data[PL_OPEN];
	int n;

	if (__atomic_load_n(&g->freeze, __ATOMIC_RELAXED))
		return pl_frozen(s, idx, g);
	if (open == 0) {
		n = emit_claim_burst(s, 3, 16, data, PL_OPEN);
		if (n < 0) {
			emit_poll(s);
			return n == -ENOBUFS || n == -EAGAIN ? 0 : n;
		}
		open = (unsigned int)n;
	}
	n = emit_commit_burst(s, RTE_MIN(open, 5u));
	if (n > 0) {
		open -= (unsigned int)n;
		__atomic_store_n(&g->committed[idx], g->committed[idx] +
			(uint64_t)n, __ATOMIC_RELAXED);
	} else if (n != -ENOBUFS) {
		return n;
	} else {
		emit_poll(s);
	}
	__atomic_store_n(&g->open[idx], open, __ATOMIC_RELAXED);
	return 0;
}

static void
test_pipeline_stop_everywhere(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct emit_pipeline *p;
	struct rte_ring *pring;
	struct rte_mbuf *m;
	struct pl_gen g;
	uint64_t aborted = 0, closed = 0, missing = 0, open_at_stop = 0;
	uint64_t pending_at_stop = 0;
	unsigned int i, in_port = 0, in_rings = 0;
	int port;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(emit_test_ledger_init(&led, ID0, 2, LEDGER_SIZE),
		0);
	/* A loop-back port the pipeline configures itself, never read:
	 * it takes 255 frames, then refuses. */
	pring = emit_test_ring("stop_pl_port", 256);
	assert_non_null(pring);
	port = rte_eth_from_rings("stop_pl", &pring, 1, &pring, 1,
			(unsigned int)rte_socket_id());
	assert_true(port >= 0);

	emit_pipeline_conf_init(&c);
	c.ports[0] = (uint16_t)port;
	c.nb_ports = 1;
	c.nb_senders = 2;
	c.sender_lcores[0] = lc_snd[0];
	c.sender_lcores[1] = lc_snd[1];
	c.nb_tx = 1;
	c.tx_lcores[0] = lc_tx;
	c.sender.id = ID0;
	c.sender.burst = 32;
	c.sender.policy = EMIT_POLICY_HOLD;
	c.sender.linger_us = 60000000; /* partial batches stay */
	c.sender.hooks.drop = emit_test_ledger_sender_hook;
	c.sender.hooks.arg = &led;
	c.ring_size = 64;
	c.tx_retry_max = 1u << 20;
	/* The stage frees a refused tail 1 ms after the port first refused
	 * it, so the rings move and the frozen steps below can claim; with
	 * HOLD at the stage nothing would move (test_pipeline_stop_blocked).
	 */
	c.tx_policy = EMIT_TX_POLICY_DROP;
	c.tx_drop_us = 1000;
	c.close_ports = 0;
	c.step = pl_step;
	c.step_arg = &g;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);

	/* Until the port is full, the stage retries and both senders have
	 * been held back by full rings. */
	for (;;) {
		bool all = rte_ring_count(pring) == 255;

		assert_int_equal(emit_tx_stats_get(emit_pipeline_tx(p, 0), &ts),
			0);
		all = all && ts.tx_retries > 0;
		for (i = 0; i < 2; i++) {
			assert_int_equal(emit_sender_stats_get(
				emit_pipeline_sender(p, i), &ss), 0);
			all = all && ss.err_nobufs_held > 0;
		}
		if (all)
			break;
		rte_pause();
	}
	/* Then until both stop mid-burst: claims open, batch not empty. */
	__atomic_store_n(&g.freeze, true, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++)
		while (__atomic_load_n(&g.open[i], __ATOMIC_RELAXED) == 0 ||
		       emit_sender_pending(emit_pipeline_sender(p, i)) == 0)
			rte_pause();
	for (i = 0; i < 2; i++) {
		open_at_stop += __atomic_load_n(&g.open[i], __ATOMIC_RELAXED);
		pending_at_stop += emit_sender_pending(
			emit_pipeline_sender(p, i));
	}
	in_rings = (unsigned int)emit_tx_in_rings(emit_pipeline_tx(p, 0));
	assert_int_equal(rte_ring_count(pring), 255);
	assert_int_equal(emit_pipeline_stop(p), 0);

	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.in_rings, 0);
	assert_int_equal(t.committed, t.tx_sent + t.tx_dropped + t.dropped);
	/* What the port took is in its ring, in order per sender. */
	while (rte_ring_dequeue(pring, (void **)&m) == 0) {
		emit_test_ledger_mark(&led, &m, 1, EMIT_LEDGER_RX);
		rte_pktmbuf_free(m);
		in_port++;
	}
	assert_int_equal(in_port, t.tx_sent);
	assert_int_equal(led.twice, 0);
	assert_int_equal(led.bad, 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(emit_sender_stats_get(
			emit_pipeline_sender(p, i), &ss), 0);
		/* Open claims were given back at the stop. */
		assert_int_equal(ss.events_claimed, ss.events_committed +
			ss.events_aborted);
		assert_int_equal(emit_test_ledger_count(&led, i,
			EMIT_LEDGER_DROP(EMIT_DROP_CLOSED)), ss.dropped_closed);
		aborted += ss.events_aborted;
		closed += ss.dropped_closed;
		/* The stage has no drop hook in a pipeline: what the ledger
		 * misses is exactly what the stage dropped. */
		missing += emit_test_ledger_missing(&led, i,
			ss.events_committed);
	}
	assert_int_equal(missing, t.tx_dropped);
	/* A frozen step may still commit one of its claims after the
	 * snapshot above (when a poll lets its held batch go): compare
	 * with what the steps left open when they stopped. */
	assert_int_equal(aborted, (uint64_t)g.open[0] + g.open[1]);
	assert_true(aborted > 0);
	assert_true(t.tx_dropped > 0);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	printf("  at the stop: about %" PRIu64 " claims open, %" PRIu64
		" events in batches, %u in rings, 255 in the port\n",
		open_at_stop, pending_at_stop, in_rings);
	printf("  stopped: committed %" PRIu64 ", in the port %u, dropped at"
		" stop: %" PRIu64 " by senders, %" PRIu64 " by the stage; %"
		PRIu64 " open claims given back\n", t.committed, in_port,
		closed, t.tx_dropped, aborted);
	emit_pipeline_free(p);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "stop_pl",
		pring), 0);
	emit_test_ledger_fini(&led);
}

/* A step that sends as fast as the sender lets it. */
static int
blocked_step(struct emit_sender *s, unsigned int idx, void *arg)
{
	uint64_t v = idx;
	int n;

	(void)arg;
	n = emit_send(s, 5, &v, sizeof(v));
	if (n == -ENOBUFS || n == -EAGAIN)
		return emit_poll(s) == -EPIPE ? -EPIPE : 0;
	return n < 0 ? n : 0;
}

static void
test_pipeline_stop_blocked(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct emit_pipeline *p;
	struct rte_ring *pring;
	struct rte_mbuf *m;
	uint64_t t0, closed = 0;
	unsigned int i, in_port = 0;
	int port;

	(void)state;
	pring = emit_test_ring("stop_bl_port", 256);
	assert_non_null(pring);
	port = rte_eth_from_rings("stop_bl", &pring, 1, &pring, 1,
			(unsigned int)rte_socket_id());
	assert_true(port >= 0);
	emit_pipeline_conf_init(&c);
	c.ports[0] = (uint16_t)port;
	c.nb_ports = 1;
	c.nb_senders = 2;
	c.sender_lcores[0] = lc_snd[0];
	c.sender_lcores[1] = lc_snd[1];
	c.nb_tx = 1;
	c.tx_lcores[0] = lc_tx;
	c.sender.id = ID0;
	c.sender.burst = 32;
	c.sender.policy = EMIT_POLICY_HOLD;
	c.ring_size = 64;
	c.tx_retry_max = 4;
	c.tx_policy = EMIT_TX_POLICY_HOLD;
	c.close_ports = 0;
	c.step = blocked_step;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);
	/* The port is full, the stage holds a tail and has been blocked,
	 * both senders hold a batch the full rings refused. */
	for (;;) {
		bool all = rte_ring_count(pring) == 255 &&
			emit_tx_held(emit_pipeline_tx(p, 0)) > 0;

		for (i = 0; i < 2; i++) {
			assert_int_equal(emit_sender_stats_get(
				emit_pipeline_sender(p, i), &ss), 0);
			all = all && ss.err_nobufs_held > 0;
		}
		if (all)
			break;
		rte_pause();
	}
	t0 = rte_get_timer_cycles();
	assert_int_equal(emit_pipeline_stop(p), 0);
	/* Bounded: 100 ms for the held batches, 100 ms for the stage; a
	 * few seconds even on a loaded machine, where a hang is forever. */
	assert_true(rte_get_timer_cycles() - t0 < 10 * rte_get_timer_hz());

	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.in_rings, 0);
	assert_int_equal(t.tx_held, 0);
	assert_int_equal(t.tx_sent, 255);
	assert_int_equal(emit_tx_stats_get(emit_pipeline_tx(p, 0), &ts), 0);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	assert_true(ts.tx_dropped_closed > 0);
	assert_int_equal(ts.port_blocked_episodes, 1);
	assert_true(ts.port_blocked_ns > 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(emit_sender_stats_get(
			emit_pipeline_sender(p, i), &ss), 0);
		assert_int_equal(ss.dropped_ring_full +
			ss.dropped_spin_timeout, 0);
		closed += ss.dropped_closed;
	}
	assert_true(closed > 0);
	assert_int_equal(t.committed, t.tx_sent + ts.tx_dropped_closed +
		closed);
	while (rte_ring_dequeue(pring, (void **)&m) == 0) {
		rte_pktmbuf_free(m);
		in_port++;
	}
	assert_int_equal(in_port, 255);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	printf("  stopped while blocked in %.1f ms: committed %" PRIu64
		", sent %" PRIu64 ", dropped at stop: %" PRIu64 " by senders, %"
		PRIu64 " held or in rings by the stage\n",
		(double)(rte_get_timer_cycles() - t0) * 1e3 /
		(double)rte_get_timer_hz(), t.committed, t.tx_sent, closed,
		ts.tx_dropped_closed);
	emit_pipeline_free(p);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "stop_bl",
		pring), 0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_stops_under_senders),
		cmocka_unit_test(test_pipeline_stop_everywhere),
		cmocka_unit_test(test_pipeline_stop_blocked),
	};
	unsigned int workers[1 + NB_SND], n = 0, lc, i;
	int rc;

	if (emit_test_eal_init("stop", "0@0,1@1,2@0,3@1,4@0", NULL) != 0)
		return 1;
	RTE_LCORE_FOREACH_WORKER(lc)
		if (n < 1 + NB_SND)
			workers[n++] = lc;
	if (n < 1 + NB_SND) {
		printf("stop: skipped, needs %u worker lcores\n", 1 + NB_SND);
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	lc_tx = workers[0];
	for (i = 0; i < NB_SND; i++)
		lc_snd[i] = workers[1 + i];
	/* A per-lcore cache: five lcores share two CPUs, and without it
	 * every claim and free goes through the pool's multi-producer ring,
	 * where a thread descheduled mid-update stalls all the others. */
	pool = rte_pktmbuf_pool_create("stoppool", 8191, 128, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("stop", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
