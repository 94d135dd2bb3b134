/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow control and monitoring: watermarks on an undrained ring (the test
 * is the consumer), early backpressure, hooks, inter-burst gap jitter. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "test_controls.h"

static struct emit_sender_stats
fstats(void)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(cfx.s, &st), 0);
	return st;
}

static uint64_t
xstat(const char *name)
{
	uint64_t v = UINT64_MAX;

	assert_int_equal(emit_sender_xstats_get_by_name(cfx.s, name, NULL,
		&v), 0);
	return v;
}

static void
send_n(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(emit_send(cfx.s, 1, "w", 1), 0);
}

/* Congestion enters when an enqueue leaves wm_high entries and clears
 * when the occupancy seen (by an enqueue or by emit_poll) is at most
 * wm_low; the time in between is counted, open spells included. */
void
test_wm_hysteresis(void **state)
{
	struct emit_sender_stats st;

	(void)state;
	ctl_conf(16); /* holds 15 */
	cfx.conf.burst = 1;
	cfx.conf.wm_high = 8;
	cfx.conf.wm_low = 3;
	ctl_up();
	send_n(7);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	assert_int_equal(fstats().ring_max_used, 7);
	assert_int_equal(fstats().congestion_entries, 0);

	cfx.clock.now = 2000;
	send_n(1); /* occupancy 8 */
	assert_int_equal(emit_sender_congested(cfx.s), 1);
	assert_int_equal(fstats().congestion_entries, 1);
	cfx.clock.now = 2500;
	assert_int_equal(fstats().congested_ns, 500);
	cfx.clock.now = 3000;
	assert_int_equal(fstats().congested_ns, 1000);
	/* The xstat agrees, and a reset in the middle of the spell counts
	 * from the reset. */
	assert_int_equal(xstat("congested_ns"), 1000);
	assert_int_equal(emit_sender_xstats_reset(cfx.s, NULL, 0), 0);
	assert_int_equal(xstat("congested_ns"), 0);
	cfx.clock.now = 3200;
	assert_int_equal(xstat("congested_ns"), 200);
	cfx.clock.now = 3000;

	/* Down to 4, up to 5: still congested (above wm_low). */
	assert_int_equal(ctl_take(4), 4);
	cfx.clock.now = 3500;
	send_n(1);
	assert_int_equal(emit_sender_congested(cfx.s), 1);
	assert_int_equal(ctl_take(1), 1);
	assert_int_equal(emit_poll(cfx.s), 0); /* sees 4 */
	assert_int_equal(emit_sender_congested(cfx.s), 1);
	/* At 3, emit_poll clears it without any enqueue. */
	assert_int_equal(ctl_take(1), 1);
	cfx.clock.now = 4000;
	assert_int_equal(emit_poll(cfx.s), 0);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	assert_int_equal(fstats().congested_ns, 2000);
	cfx.clock.now = 5000;
	assert_int_equal(fstats().congested_ns, 2000); /* no open spell */

	/* 3 -> 7 -> 8: the second entry. */
	send_n(4);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	cfx.clock.now = 6000;
	send_n(1);
	assert_int_equal(fstats().congestion_entries, 2);
	cfx.clock.now = 6500;
	assert_int_equal(fstats().congested_ns, 2500);
	/* Cleared by an enqueue that leaves 3. */
	assert_int_equal(ctl_take(6), 6);
	cfx.clock.now = 7000;
	send_n(1);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	assert_int_equal(fstats().congested_ns, 3000);

	/* Fill up: 3 + 12 = 15 = capacity; one more is dropped. */
	send_n(12);
	assert_int_equal(fstats().congestion_entries, 3);
	assert_int_equal(fstats().ring_max_used, 15);
	send_n(1);
	cfx.clock.now = 8000;
	st = fstats();
	assert_int_equal(st.dropped_ring_full, 1);
	assert_int_equal(st.ring_max_used, 15);
	assert_int_equal(st.congested_ns, 4000);
	/* Closing ends the spell. */
	cfx.clock.now = 9000;
	assert_int_equal(emit_sender_close(cfx.s), 0);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	cfx.clock.now = 10000;
	assert_int_equal(fstats().congested_ns, 5000);
	assert_int_equal(fstats().congestion_entries, 3);
	ctl_conservation(0);
}

void
test_wm_early_backpressure_exact(void **state)
{
	struct emit_sender_stats st;
	void *d;

	(void)state;
	ctl_conf(16);
	cfx.conf.burst = 1;
	cfx.conf.wm_high = 8;
	cfx.conf.wm_low = 3;
	cfx.conf.early_backpressure = 1;
	ctl_up();
	send_n(8);
	assert_int_equal(emit_sender_congested(cfx.s), 1);
	assert_int_equal(emit_send(cfx.s, 1, "w", 1), -ENOBUFS);
	assert_int_equal(emit_claim(cfx.s, 1, 1, &d), -ENOBUFS);
	assert_int_equal(ctl_take(4), 4);
	/* The refused claim re-reads the ring: 4 is above wm_low. */
	assert_int_equal(emit_send(cfx.s, 1, "w", 1), -ENOBUFS);
	assert_int_equal(ctl_take(1), 1);
	/* At 3 it clears and the claim goes through. */
	cfx.clock.now = 3000;
	send_n(1);
	assert_int_equal(emit_sender_congested(cfx.s), 0);
	send_n(4); /* 4 -> 8 */
	assert_int_equal(emit_sender_congested(cfx.s), 1);
	assert_int_equal(emit_send(cfx.s, 1, "w", 1), -ENOBUFS);
	st = fstats();
	assert_int_equal(st.err_nobufs_congested, 4);
	assert_int_equal(st.congestion_entries, 2);
	assert_int_equal(st.dropped_ring_full, 0);
	assert_int_equal(st.congested_ns, 2000); /* 1000 -> 3000 */
	assert_int_equal(st.events_committed, 13);
	ctl_conservation(0);
}

/* A slow consumer (the test) behind a fast producer: with early
 * backpressure and the documented margin, nothing is ever dropped and
 * every event arrives in order; without it, the DROP policy drops. */
static uint64_t take_next;

static unsigned int
take_checked(unsigned int n)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (rte_ring_dequeue(cfx.ring, (void **)&m) != 0)
			break;
		assert_int_equal(ctl_seq(m), take_next);
		take_next++;
		rte_pktmbuf_free(m);
	}
	return i;
}

static struct emit_sender_stats
slow_consumer_run(int early)
{
	struct emit_sender_stats st;
	/* Drops leave gaps in seq: check the order only without them. */
	unsigned int (*take)(unsigned int) = early ? take_checked : ctl_take;
	uint64_t ok = 0, nobufs = 0;
	unsigned int i;
	int rc;

	ctl_conf(16); /* 12 + 4 + 1 - 2 = 15 <= 15 */
	cfx.conf.wm_high = 12;
	cfx.conf.wm_low = 4;
	cfx.conf.early_backpressure = early;
	ctl_up();
	take_next = 0;
	for (i = 0; i < 3000; i++) {
		cfx.clock.now += 100;
		rc = emit_send(cfx.s, 1, "w", 1);
		if (rc == 0) {
			ok++;
		} else {
			assert_int_equal(rc, -ENOBUFS);
			nobufs++;
			take(3);
		}
		if (i % 7 == 0)
			take(1);
	}
	st = fstats();
	assert_int_equal(st.events_committed, ok);
	assert_int_equal(st.err_nobufs_congested, nobufs);
	ctl_conservation(st.events_committed - st.events_enqueued -
		st.dropped_ring_full);
	return st;
}

void
test_wm_early_backpressure(void **state)
{
	struct emit_sender_stats st;
	uint64_t pending;

	(void)state;
	st = slow_consumer_run(0);
	assert_true(st.dropped_ring_full > 0); /* the scenario does overflow */
	ctl_teardown(NULL);

	st = slow_consumer_run(1);
	assert_int_equal(st.dropped_ring_full, 0);
	assert_int_equal(st.backpressure_episodes, 0);
	assert_true(st.err_nobufs_congested > 0);
	assert_true(st.congestion_entries > 10);
	/* Every event arrives, in order. */
	pending = emit_sender_pending(cfx.s);
	while (take_checked(64) != 0)
		;
	assert_int_equal(take_next, st.events_enqueued);
	assert_int_equal(emit_flush(cfx.s), (int)pending);
	while (take_checked(64) != 0)
		;
	assert_int_equal(take_next, st.events_committed);
	ctl_conservation(0);
}

/* Burst claims of up to 8 with burst 4 on a ring of 15: the margin asks
 * wm_high <= 15 - 4 - 8 + 2 = 5. */
void
test_wm_burst_claims(void **state)
{
	struct emit_sender_stats st;
	void *data[8];
	unsigned int i;
	int n;

	(void)state;
	ctl_conf(16);
	cfx.conf.wm_high = 5;
	cfx.conf.wm_low = 2;
	cfx.conf.early_backpressure = 1;
	ctl_up();
	take_next = 0;
	for (i = 0; i < 2000; i++) {
		n = emit_claim_burst(cfx.s, 1, 1, data, 8);
		if (n > 0) {
			assert_int_equal(n, 8);
			assert_int_equal(emit_commit_burst(cfx.s, 8), 8);
		} else {
			assert_int_equal(n, -ENOBUFS);
			take_checked(5);
		}
		if (i % 3 == 0)
			take_checked(2);
	}
	st = fstats();
	assert_int_equal(st.dropped_ring_full, 0);
	assert_int_equal(st.backpressure_episodes, 0);
	assert_true(st.err_nobufs_congested > 0);
	while (take_checked(64) != 0)
		;
	assert_int_equal(take_next, st.events_enqueued);
	ctl_conservation(st.events_committed - st.events_enqueued);
}

/* ---- hooks ---- */

struct hook_rec {
	struct emit_sender *s;
	unsigned int bad;      /* calls with the wrong sender */
	unsigned int n_bp;
	unsigned int bp_refused[8];
	unsigned int n_drop;
	enum emit_drop_reason drop_reason[8];
	unsigned int drop_n[8];
	uint64_t drop_seq[64];
	unsigned int n_drop_seq;
	unsigned int n_cong;
	int cong_state[8];
	unsigned int cong_used[8];
	unsigned int n_flush;
	enum emit_flush_cause flush_cause[16];
	unsigned int flush_n[16];
};

static void
h_bp(struct emit_sender *s, unsigned int refused, void *arg)
{
	struct hook_rec *r = arg;

	r->bad += s != r->s;
	if (r->n_bp < RTE_DIM(r->bp_refused))
		r->bp_refused[r->n_bp] = refused;
	r->n_bp++;
}

static void
h_drop(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct hook_rec *r = arg;
	unsigned int i;

	r->bad += s != r->s;
	if (r->n_drop < RTE_DIM(r->drop_reason)) {
		r->drop_reason[r->n_drop] = reason;
		r->drop_n[r->n_drop] = n;
	}
	r->n_drop++;
	/* The mbufs are still the sender's: read them. */
	for (i = 0; i < n && r->n_drop_seq < RTE_DIM(r->drop_seq); i++)
		r->drop_seq[r->n_drop_seq++] = ctl_seq(pkts[i]);
}

static void
h_cong(struct emit_sender *s, int congested, unsigned int used, void *arg)
{
	struct hook_rec *r = arg;

	r->bad += s != r->s;
	if (r->n_cong < RTE_DIM(r->cong_state)) {
		r->cong_state[r->n_cong] = congested;
		r->cong_used[r->n_cong] = used;
	}
	r->n_cong++;
}

static void
h_flush(struct emit_sender *s, enum emit_flush_cause cause, unsigned int n,
		void *arg)
{
	struct hook_rec *r = arg;

	r->bad += s != r->s;
	if (r->n_flush < RTE_DIM(r->flush_cause)) {
		r->flush_cause[r->n_flush] = cause;
		r->flush_n[r->n_flush] = n;
	}
	r->n_flush++;
}

static struct hook_rec rec;

static void
hooks_all(void)
{
	memset(&rec, 0, sizeof(rec));
	cfx.conf.hooks.backpressure = h_bp;
	cfx.conf.hooks.drop = h_drop;
	cfx.conf.hooks.congestion = h_cong;
	cfx.conf.hooks.flush = h_flush;
	cfx.conf.hooks.arg = &rec;
}

static void
hooks_up(void)
{
	ctl_up();
	rec.s = cfx.s;
}

/* Every kind of event once: full, linger and explicit flushes, a ring
 * that refuses a whole batch, congestion in and out, a close. */
static struct emit_sender_stats
fire_scenario(int with_hooks)
{
	struct emit_sender_stats st;

	ctl_conf(8); /* holds 7 */
	cfx.conf.burst = 4;
	cfx.conf.linger_us = 10;
	cfx.conf.wm_high = 4;
	cfx.conf.wm_low = 1;
	if (with_hooks)
		hooks_all();
	hooks_up();
	send_n(4);                       /* FULL 4, ring 4: congested */
	send_n(1);
	cfx.clock.now += 10000;
	assert_int_equal(emit_poll(cfx.s), 1); /* LINGER 1, ring 5 */
	send_n(2);
	assert_int_equal(emit_flush(cfx.s), 2); /* EXPLICIT 2, ring 7 */
	send_n(4);                       /* FULL 4, all refused, dropped */
	assert_int_equal(ctl_take(7), 7);
	cfx.clock.now += 5000;
	assert_int_equal(emit_poll(cfx.s), 0); /* sees 0: clears */
	send_n(2);
	assert_int_equal(emit_sender_close(cfx.s), 2); /* CLOSE 2 */
	st = fstats();
	assert_int_equal(st.flush_full, 2);
	assert_int_equal(st.flush_linger, 1);
	assert_int_equal(st.flush_explicit, 1);
	assert_int_equal(st.flush_close, 1);
	assert_int_equal(st.dropped_ring_full, 4);
	assert_int_equal(st.backpressure_episodes, 1);
	assert_int_equal(st.congestion_entries, 1);
	assert_int_equal(st.congested_ns, 15000);
	ctl_conservation(0);
	return st;
}

void
test_hooks_fire(void **state)
{
	static const enum emit_flush_cause causes[] = {
		EMIT_FLUSH_FULL, EMIT_FLUSH_LINGER, EMIT_FLUSH_EXPLICIT,
		EMIT_FLUSH_FULL, EMIT_FLUSH_CLOSE,
	};
	static const unsigned int sizes[] = { 4, 1, 2, 4, 2 };
	struct emit_sender_stats with, without;
	unsigned int i;

	(void)state;
	with = fire_scenario(1);
	assert_int_equal(rec.bad, 0);
	assert_int_equal(rec.n_flush, RTE_DIM(causes));
	for (i = 0; i < RTE_DIM(causes); i++) {
		assert_int_equal(rec.flush_cause[i], causes[i]);
		assert_int_equal(rec.flush_n[i], sizes[i]);
	}
	assert_int_equal(rec.n_bp, 1);
	assert_int_equal(rec.bp_refused[0], 4);
	assert_int_equal(rec.n_drop, 1);
	assert_int_equal(rec.drop_reason[0], EMIT_DROP_RING_FULL);
	assert_int_equal(rec.drop_n[0], 4);
	assert_int_equal(rec.n_drop_seq, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(rec.drop_seq[i], 7 + i);
	assert_int_equal(rec.n_cong, 2);
	assert_int_equal(rec.cong_state[0], 1);
	assert_int_equal(rec.cong_used[0], 4);
	assert_int_equal(rec.cong_state[1], 0);
	assert_int_equal(rec.cong_used[1], 0);
	ctl_teardown(NULL);

	/* Unset hooks: nothing is called (they are NULL) and the sender
	 * behaves exactly the same. */
	memset(&rec, 0, sizeof(rec));
	without = fire_scenario(0);
	assert_int_equal(rec.n_flush + rec.n_bp + rec.n_drop + rec.n_cong, 0);
	assert_memory_equal(&with, &without, sizeof(with));
}

/* HOLD: a partial refusal is backpressure, not a drop; close drops the
 * held event (reason CLOSED). SPIN: the drop comes at the bound. */
void
test_hooks_hold_spin(void **state)
{
	(void)state;
	ctl_conf(8);
	cfx.conf.burst = 4;
	cfx.conf.policy = EMIT_POLICY_HOLD;
	hooks_all();
	hooks_up();
	send_n(8); /* 4 go, 3 go, 1 held */
	assert_int_equal(rec.n_bp, 1);
	assert_int_equal(rec.bp_refused[0], 1);
	assert_int_equal(rec.n_drop, 0);
	assert_int_equal(emit_sender_close(cfx.s), 0);
	assert_int_equal(rec.n_flush, 3);
	assert_int_equal(rec.flush_cause[2], EMIT_FLUSH_CLOSE);
	assert_int_equal(rec.flush_n[2], 1);
	assert_int_equal(rec.n_drop, 1);
	assert_int_equal(rec.drop_reason[0], EMIT_DROP_CLOSED);
	assert_int_equal(rec.drop_n[0], 1);
	assert_int_equal(rec.drop_seq[0], 7);
	assert_int_equal(rec.bad, 0);
	ctl_conservation(0);
	ctl_teardown(NULL);

	ctl_conf(8);
	cfx.conf.burst = 4;
	cfx.conf.policy = EMIT_POLICY_SPIN;
	cfx.conf.spin_us = 5;
	cfx.clock.step = 1000;
	hooks_all();
	hooks_up();
	send_n(8);
	assert_int_equal(rec.n_bp, 1);
	assert_int_equal(rec.bp_refused[0], 1);
	assert_int_equal(rec.n_drop, 1);
	assert_int_equal(rec.drop_reason[0], EMIT_DROP_SPIN_TIMEOUT);
	assert_int_equal(rec.drop_n[0], 1);
	assert_int_equal(rec.drop_seq[0], 7);
	assert_int_equal(rec.bad, 0);
	assert_int_equal(fstats().dropped_spin_timeout, 1);
	ctl_conservation(0);
}

/* Hooks set, nothing to report: only the flush hook fires. */
void
test_hooks_quiet(void **state)
{
	(void)state;
	ctl_conf(1024);
	cfx.conf.burst = 4;
	cfx.conf.wm_high = 1000;
	cfx.conf.wm_low = 10;
	hooks_all();
	hooks_up();
	send_n(100);
	assert_int_equal(emit_flush(cfx.s), 0);
	assert_int_equal(rec.n_flush, 25);
	assert_int_equal(rec.n_bp + rec.n_drop + rec.n_cong, 0);
	assert_int_equal(fstats().ring_max_used, 100);
}

/* ---- TX stage drop hook ---- */

struct tx_rec {
	unsigned int calls;
	enum emit_drop_reason reason[4];
	unsigned int n[4];
	uint64_t seq_sum;
};

static void
h_tx_drop(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct tx_rec *r = arg;
	unsigned int i;

	(void)tx;
	if (r->calls < RTE_DIM(r->reason)) {
		r->reason[r->calls] = reason;
		r->n[r->calls] = n;
	}
	r->calls++;
	for (i = 0; i < n; i++)
		r->seq_sum += ctl_seq(pkts[i]);
}

/* A ring port keeps what it is given until its RX side is read, so a TX
 * stage facing a full port drops after its retries, and the hook sees
 * the packets first; once the port has room, no hook call. */
void
test_hooks_tx_drop(void **state)
{
	struct emit_tx_conf tc;
	struct emit_tx_stats ts;
	struct rte_mbuf *m[15];
	struct rte_ring *pr = NULL;
	struct emit_tx *tx;
	struct tx_rec tr;
	int port;

	(void)state;
	port = emit_test_ring_port("ctlhook", 16, ctl_pool, &pr);
	assert_true(port >= 0);
	/* Fill the port: it holds 15. */
	assert_int_equal(rte_pktmbuf_alloc_bulk(ctl_pool, m, 15), 0);
	assert_int_equal(rte_eth_tx_burst((uint16_t)port, 0, m, 15), 15);

	ctl_conf(64);
	cfx.conf.burst = 8;
	ctl_up();
	memset(&tr, 0, sizeof(tr));
	emit_tx_conf_init(&tc);
	tc.port_id = (uint16_t)port;
	tc.queue_id = 0;
	tc.rings[0] = cfx.ring;
	tc.nb_rings = 1;
	tc.burst = 8;
	tc.retry_max = 3;
	tc.policy = EMIT_TX_POLICY_DROP;
	tc.drop_us = 0;
	tc.hooks.drop = h_tx_drop;
	tc.hooks.arg = &tr;
	tx = emit_tx_create(&tc);
	assert_non_null(tx);
	send_n(8); /* seq 0..7 */
	assert_int_equal(emit_tx_poll(tx), 0);
	assert_int_equal(tr.calls, 1);
	assert_int_equal(tr.reason[0], EMIT_DROP_TX_RETRY);
	assert_int_equal(tr.n[0], 8);
	assert_int_equal(tr.seq_sum, 28);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(ts.tx_retries, 3);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 8);

	/* Room again: sent, no hook. */
	assert_int_equal(rte_eth_rx_burst((uint16_t)port, 0, m, 15), 15);
	rte_pktmbuf_free_bulk(m, 15);
	send_n(8);
	assert_int_equal(emit_tx_poll(tx), 8);
	assert_int_equal(tr.calls, 1);
	emit_sender_close(cfx.s);
	emit_tx_free(tx);
	assert_int_equal(tr.calls, 1);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "ctlhook",
		pr), 8);
}

/* Gaps between enqueues of 100, 150, 120 ticks (ns): jitter 50 + 30. */
void
test_gap_jitter(void **state)
{
	struct emit_sender_stats st;

	(void)state;
	ctl_conf(64);
	cfx.conf.burst = 1;
	cfx.clock.now = UINT64_MAX - 199; /* wraps in between */
	ctl_up();
	send_n(1);
	cfx.clock.now += 100;
	send_n(1);
	assert_int_equal(fstats().gap_count, 0);
	cfx.clock.now += 150;
	send_n(1);
	cfx.clock.now += 120;
	send_n(1);
	st = fstats();
	assert_int_equal(st.gap_count, 2);
	assert_int_equal(st.gap_jitter_ns_sum, 80);
	/* Equal gaps add no jitter. */
	assert_int_equal(ctl_take(4), 4);
	cfx.clock.now += 120;
	send_n(1);
	st = fstats();
	assert_int_equal(st.gap_count, 3);
	assert_int_equal(st.gap_jitter_ns_sum, 80);
	assert_int_equal(st.bursts_enqueued, 5);
}

static void
h_bp_drain(struct emit_sender *s, unsigned int refused, void *arg)
{
	(void)s;
	(void)refused;
	(void)arg;
	ctl_take(UINT32_MAX);
}

/* A SPIN retry accounts its enqueue at its own time, after the time
 * emit_commit_burst read for the batches that follow in the same call:
 * the gap to the next enqueue must not run backwards (it would add about
 * 2^64 ns of jitter). Batches of 4 into a ring holding 7: the second is
 * taken 3 of 4, the backpressure hook empties the ring, the spin's first
 * retry takes the last one; the third batch comes after it, gap 0. */
void
test_gap_spin(void **state)
{
	struct emit_sender_stats st;
	void *data[12];
	uint64_t t0, spun;

	(void)state;
	ctl_conf(8);
	cfx.conf.burst = 4;
	cfx.conf.policy = EMIT_POLICY_SPIN;
	cfx.conf.spin_us = 1000;
	cfx.conf.hooks.backpressure = h_bp_drain;
	ctl_up();
	cfx.clock.step = 10;
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 12), 12);
	t0 = cfx.clock.now;
	assert_int_equal(emit_commit_burst(cfx.s, 12), 12);
	spun = cfx.clock.now - t0; /* the clock reads of the call */
	st = fstats();
	assert_int_equal(st.events_enqueued, 12);
	assert_int_equal(st.backpressure_episodes, 1);
	assert_int_equal(st.spin_retries, 1);
	/* Gaps 0 (the partial take), the spin's, 0: two jitters of the
	 * spin's gap at most. */
	assert_int_equal(st.gap_count, 2);
	assert_true(st.gap_jitter_ns_sum > 0);
	assert_true(st.gap_jitter_ns_sum <= 2 * spun);
	ctl_conservation(0);
}
