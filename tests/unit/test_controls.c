/* SPDX-License-Identifier: BSD-3-Clause */
/* Emission controls: token-bucket arithmetic on a driven clock, rate
 * changes from this and another lcore, clock wrap-around, pause and
 * resume while the sender runs on a worker lcore. Watermarks and hooks
 * are in test_controls_flow.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include "test_controls.h"

struct ctl_fixture cfx;
struct rte_mempool *ctl_pool;
unsigned int ctl_pool_full;
unsigned int ctl_worker;

void
ctl_conf(unsigned int ring_size)
{
	static unsigned int n;
	char name[32];

	snprintf(name, sizeof(name), "cring%u", n++);
	cfx.ring = emit_test_ring(name, ring_size);
	assert_non_null(cfx.ring);
	emit_sender_conf_init(&cfx.conf);
	cfx.conf.mp = ctl_pool;
	cfx.conf.ring = cfx.ring;
	cfx.conf.id = 5;
	cfx.conf.burst = 4;
	cfx.clock.now = 1000;
	cfx.clock.step = 0;
	cfx.conf.clock = emit_test_clock_read;
	cfx.conf.clock_arg = &cfx.clock;
	cfx.conf.clock_hz = 1000000000;
}

void
ctl_up(void)
{
	cfx.s = emit_sender_create(&cfx.conf);
	assert_non_null(cfx.s);
}

int
ctl_setup(void **state)
{
	(void)state;
	memset(&cfx, 0, sizeof(cfx));
	return 0;
}

int
ctl_teardown(void **state)
{
	(void)state;
	emit_sender_free(cfx.s);
	cfx.s = NULL;
	if (cfx.ring != NULL) {
		emit_test_ring_drain(cfx.ring);
		rte_ring_free(cfx.ring);
		cfx.ring = NULL;
	}
	assert_int_equal(rte_mempool_avail_count(ctl_pool), ctl_pool_full);
	return 0;
}

uint64_t
ctl_seq(const struct rte_mbuf *m)
{
	const struct emit_hdr *h = rte_pktmbuf_mtod_offset(m,
			const struct emit_hdr *, EMIT_L2L4_LEN);

	return rte_be_to_cpu_64(h->seq);
}

unsigned int
ctl_take(unsigned int n)
{
	struct rte_mbuf *m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (rte_ring_dequeue(cfx.ring, (void **)&m) != 0)
			break;
		rte_pktmbuf_free(m);
	}
	return i;
}

void
ctl_conservation(uint64_t pending)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(cfx.s, &st), 0);
	assert_int_equal(st.events_committed, st.events_enqueued +
		emit_sender_stats_dropped(&st) + pending);
	assert_int_equal(emit_sender_pending(cfx.s), pending);
}

static struct emit_sender_stats
stats(void)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(cfx.s, &st), 0);
	return st;
}

/* Claim (and commit) as many events as the bucket allows right now; no
 * test bucket holds more than 1000 events at once. */
static uint64_t
claim_all(void)
{
	void *data[EMIT_BURST_MAX];
	uint64_t total = 0;
	int n;

	for (;;) {
		n = emit_claim_burst(cfx.s, 1, 8, data, EMIT_BURST_MAX);
		if (n == -EAGAIN)
			return total;
		assert_true(n > 0);
		assert_int_equal(emit_commit_burst(cfx.s, (unsigned int)n), n);
		total += (uint64_t)n;
		assert_true(total <= 1000);
		if (total % 512 == 0)
			emit_test_ring_drain(cfx.ring);
	}
}

/* Advance the clock by @p step, @p nsteps times, claiming greedily after
 * each step; the ring is emptied after each step. Returns events. */
static uint64_t
greedy(uint64_t step, unsigned int nsteps)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < nsteps; i++) {
		cfx.clock.now += step;
		total += claim_all();
		emit_test_ring_drain(cfx.ring);
	}
	return total;
}

struct tb_case {
	uint64_t hz;
	uint64_t rate;
	uint32_t rate_burst;
	uint64_t step;
	unsigned int nsteps;
	uint64_t expect; /* 1 + floor(step * nsteps * rate / hz) */
};

/* The bucket starts with one event and gains rate/hz events a tick:
 * greedy claiming gets exactly 1 + floor(T * rate / hz) events over T
 * ticks, one -EAGAIN per step, whatever the ratio of rate to hz. */
static void
test_tb_rates(void **state)
{
	static const struct tb_case cases[] = {
		{ 1000000000, 1, 4, 100000007, 100, 11 },
		{ 1000000000, 1000, 4, 333333, 3000, 1000 },
		{ 1000000000, 1000000, 32, 7919, 2000, 15839 },
		{ 1000000000, 10000000, 64, 997, 5000, 49851 },
		{ 2394567891, 1000000, 32, 10007, 3000, 12538 },
		{ 2400000000, 10000000, 32, 1201, 4000, 20017 },
		{ 1000000, 10000000, 64, 3, 10000, 300001 },
		{ 7, 3, 2, 1, 70, 31 },
	};
	__extension__ typedef unsigned __int128 u128;
	struct emit_sender_stats st;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct tb_case *c = &cases[i];
		uint64_t t = c->step * c->nsteps;

		/* The table is the formula. */
		assert_int_equal(c->expect,
			1 + (uint64_t)((u128)t * c->rate / c->hz));
		ctl_conf(1024);
		cfx.conf.clock_hz = c->hz;
		cfx.conf.rate = c->rate;
		cfx.conf.rate_burst = c->rate_burst;
		ctl_up();
		assert_int_equal(greedy(c->step, c->nsteps), c->expect);
		st = stats();
		assert_int_equal(st.events_committed, c->expect);
		assert_int_equal(st.err_again_rate, c->nsteps);
		assert_int_equal(emit_sender_rate_achieved(cfx.s),
			(uint64_t)((u128)c->expect * c->hz / t));
		assert_int_equal(emit_sender_rate_get(cfx.s), c->rate);
		ctl_teardown(NULL);
	}
}

static void
test_tb_burst_allowance(void **state)
{
	void *data[EMIT_BURST_MAX];
	void *d;

	(void)state;
	ctl_conf(1024);
	cfx.conf.rate = 1000;        /* 1 event per 1e6 ticks */
	cfx.conf.rate_burst = 16;
	ctl_up();

	/* One event at start, not the allowance. */
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 1);
	assert_int_equal(emit_commit_burst(cfx.s, 1), 1);
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -EAGAIN);
	cfx.clock.now += 999999;
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -EAGAIN);
	cfx.clock.now += 1;
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), 0);
	assert_int_equal(emit_commit(cfx.s), 0);

	/* After an idle spell the bucket is full: 16, a partial grant. */
	cfx.clock.now += 1000000000;
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 16);
	assert_int_equal(emit_commit_burst(cfx.s, 16), 16);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), -EAGAIN);
	/* It does not grow past its depth. */
	cfx.clock.now += 20000000000ull;
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 16);

	/* Abort refunds: the same 16 again, at the same instant. */
	assert_int_equal(emit_abort_burst(cfx.s), 16);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 10), 10);
	assert_int_equal(emit_commit_burst(cfx.s, 4), 4);
	assert_int_equal(emit_abort_burst(cfx.s), 6);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 12);
	assert_int_equal(emit_commit_burst(cfx.s, 12), 12);
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -EAGAIN);

	/* Fractions carry: 2.5 events, then 0.5 + 0.5. */
	cfx.clock.now += 2500000;
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 2);
	assert_int_equal(emit_commit_burst(cfx.s, 2), 2);
	cfx.clock.now += 499999;
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -EAGAIN);
	cfx.clock.now += 1;
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), 0);
	/* A single abort refunds one. */
	assert_int_equal(emit_abort(cfx.s), 0);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), -EAGAIN);

	{
		struct emit_sender_stats st = stats();

		assert_int_equal(st.events_committed,
			1 + 1 + 16 + 4 + 12 + 2 + 1);
		assert_int_equal(st.events_aborted, 16 + 6 + 1);
		assert_int_equal(st.err_again_rate, 6);
	}
	ctl_conservation(emit_sender_pending(cfx.s));
}

/* A claim that fails for want of mbufs gives its tokens back. */
static void
test_tb_refund_nomem(void **state)
{
	struct rte_mempool *small;
	void *data[EMIT_BURST_MAX];
	void *d;
	int i;

	(void)state;
	small = emit_test_pool("tbsmall", 3);
	assert_non_null(small);
	ctl_conf(1024);
	cfx.conf.mp = small;
	cfx.conf.rate = 1000;
	cfx.conf.rate_burst = 4;
	ctl_up();
	cfx.clock.now += 1000000000; /* bucket full: 4 */
	for (i = 0; i < 5; i++)
		assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 4),
			-ENOMEM);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 3), 3);
	assert_int_equal(emit_commit_burst(cfx.s, 3), 3);
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -ENOMEM);
	assert_int_equal(emit_flush(cfx.s), 3);
	assert_int_equal(emit_test_ring_drain(cfx.ring), 3);
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), 0);
	assert_int_equal(emit_commit(cfx.s), 0);
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), -EAGAIN);
	assert_int_equal(stats().err_nomem, 6);
	assert_int_equal(stats().err_again_rate, 1);
	emit_sender_free(cfx.s);
	cfx.s = NULL;
	emit_test_ring_drain(cfx.ring);
	assert_int_equal(rte_mempool_avail_count(small), 3);
	rte_mempool_free(small);
}

struct rate_arg {
	struct emit_sender *s;
	uint64_t rate;
	int rc;
};

static int
rate_set_remote(void *arg)
{
	struct rate_arg *a = arg;

	a->rc = emit_sender_rate_set(a->s, a->rate);
	return 0;
}

/* Set the rate from the worker lcore; its completion orders the store
 * before whatever this thread does next. */
static void
rate_set_on_worker(uint64_t rate)
{
	struct rate_arg a = { .s = cfx.s, .rate = rate, .rc = -1 };

	assert_int_equal(rte_eal_remote_launch(rate_set_remote, &a,
		ctl_worker), 0);
	assert_int_equal(rte_eal_wait_lcore(ctl_worker), 0);
	assert_int_equal(a.rc, 0);
}

static void
test_tb_rate_change(void **state)
{
	void *data[EMIT_BURST_MAX];

	(void)state;
	ctl_conf(1024);
	cfx.conf.rate = 1000;
	cfx.conf.rate_burst = 4;
	ctl_up();
	assert_int_equal(claim_all(), 1);

	/* 1.5 ms at 1000/s is 1.5 events, credited at the old rate even
	 * though the change is applied later, by the next claim. */
	cfx.clock.now += 1500000;
	assert_int_equal(emit_sender_rate_set(cfx.s, 1000000), 0);
	assert_int_equal(emit_sender_rate_get(cfx.s), 1000000);
	assert_int_equal(claim_all(), 1);
	/* 0.5 left + 1.5 at the new rate. */
	cfx.clock.now += 1500;
	assert_int_equal(claim_all(), 2);
	cfx.clock.now += 1000000; /* saturates at the depth, 4 */
	assert_int_equal(claim_all(), 4);
	emit_test_ring_drain(cfx.ring);

	/* From another lcore: 1e6/s -> 10/s, within one burst. */
	cfx.clock.now += 2000; /* 2 events saved at 1e6/s */
	rate_set_on_worker(10);
	assert_int_equal(emit_sender_rate_get(cfx.s), 10);
	assert_int_equal(claim_all(), 2);
	cfx.clock.now += 99999999;
	assert_int_equal(claim_all(), 0);
	cfx.clock.now += 1;
	assert_int_equal(claim_all(), 1);
	/* Same rate again: nothing changes (no clamp, no reset). */
	cfx.clock.now += 250000000;
	assert_int_equal(emit_sender_rate_set(cfx.s, 10), 0);
	assert_int_equal(claim_all(), 2);
	cfx.clock.now += 50000000;
	assert_int_equal(claim_all(), 1);
	assert_int_equal(stats().events_committed, 1 + 1 + 2 + 4 + 2 + 1 +
		2 + 1);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 1), -EAGAIN);
	ctl_conservation(emit_sender_pending(cfx.s));
}

/* A large allowance does not survive a rate cut: at most one batch of
 * saved tokens carries over. */
static void
test_tb_rate_cut_carry(void **state)
{
	(void)state;
	ctl_conf(1024);
	cfx.conf.rate = 1000000;
	cfx.conf.rate_burst = 64;
	ctl_up();
	cfx.clock.now += 1000000000;
	assert_int_equal(emit_sender_rate_set(cfx.s, 1000), 0);
	assert_int_equal(claim_all(), 4); /* conf.burst */
	cfx.clock.now += 1000000;
	assert_int_equal(claim_all(), 1);
	/* Raising the rate keeps the saved fraction; the owner applies the
	 * change at its next claim, crediting the old rate until then. */
	cfx.clock.now += 500000;
	rate_set_on_worker(2000);
	cfx.clock.now += 250000;
	assert_int_equal(claim_all(), 0); /* 0.75 at 1000/s */
	cfx.clock.now += 124999;
	assert_int_equal(claim_all(), 0);
	cfx.clock.now += 1;               /* + 0.25 at 2000/s */
	assert_int_equal(claim_all(), 1);
	emit_test_ring_drain(cfx.ring);
}

static void
test_tb_unlimited(void **state)
{
	void *data[EMIT_BURST_MAX];
	void *d;
	int i;

	(void)state;
	ctl_conf(1024);
	cfx.conf.burst = 32;
	ctl_up();
	/* Rate 0: no limit, the clock need not move. */
	for (i = 0; i < 8; i++) {
		assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 64);
		assert_int_equal(emit_commit_burst(cfx.s, 64), 64);
	}
	assert_int_equal(emit_test_ring_drain(cfx.ring), 512);

	/* Limited from unlimited: starts with one event, as at create,
	 * whatever the unlimited spell left in the bucket. */
	cfx.clock.now += 5000000000ull;
	rate_set_on_worker(1000);
	assert_int_equal(claim_all(), 1);
	cfx.clock.now += 1000000;
	assert_int_equal(claim_all(), 1);

	/* And back to unlimited from this thread. */
	assert_int_equal(emit_sender_rate_set(cfx.s, 0), 0);
	assert_int_equal(emit_sender_rate_get(cfx.s), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 64);
		assert_int_equal(emit_commit_burst(cfx.s, 64), 64);
	}
	assert_int_equal(emit_claim(cfx.s, 1, 8, &d), 0);
	assert_int_equal(emit_commit(cfx.s), 0);
	assert_int_equal(stats().err_again_rate, 2);
	assert_int_equal(stats().events_committed, 512 + 2 + 192 + 1);
	emit_test_ring_drain(cfx.ring);
}

/* The clock wraps around 2^64 in the middle of the run: the count is
 * still exact (a wrong modular difference would fill the bucket). */
static void
test_tb_wrap(void **state)
{
	struct emit_sender_stats st;

	(void)state;
	ctl_conf(1024);
	cfx.conf.rate = 1000;
	cfx.conf.rate_burst = 4;
	cfx.conf.linger_us = 100;
	cfx.clock.now = UINT64_MAX - 500000000ull + 1; /* 0.5 s to wrap */
	ctl_up();
	assert_int_equal(greedy(333333, 6000), 2000);
	assert_true(cfx.clock.now < 2000000000ull); /* it did wrap */
	st = stats();
	assert_int_equal(st.events_committed, 2000);
	assert_int_equal(st.err_again_rate, 6000);
	/* Linger works across the wrap too: one event every 333 us. */
	assert_int_equal(st.flush_linger, 2000);
	assert_int_equal(emit_sender_rate_achieved(cfx.s), 1000);
	ctl_conservation(0);
}

static void
test_conf_limits(void **state)
{
	struct emit_sender_conf c;
	void *data[EMIT_BURST_MAX];

	(void)state;
	ctl_conf(1024);
	c = cfx.conf;
	c.clock_hz = EMIT_CLOCK_HZ_MAX + 1;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	/* The largest rate, depth and clock: 10 events a tick, exact. */
	cfx.conf.clock_hz = EMIT_CLOCK_HZ_MAX;
	cfx.conf.rate = EMIT_RATE_MAX;
	cfx.conf.rate_burst = 1000000;
	ctl_up();
	assert_int_equal(claim_all(), 1);
	cfx.clock.now += 7;
	assert_int_equal(claim_all(), 70);
	/* A clock stepping back looks like 2^64 - 1 ticks: the bucket
	 * fills to its depth, without overflow. */
	cfx.clock.now -= 1;
	assert_int_equal(emit_claim_burst(cfx.s, 1, 8, data, 64), 64);
	assert_int_equal(emit_abort_burst(cfx.s), 64);
	assert_int_equal(stats().err_again_rate, 2);
}

static void
test_pause_local(void **state)
{
	struct emit_sender_stats st;
	void *data[EMIT_BURST_MAX];
	void *d;
	int i;

	(void)state;
	ctl_conf(64);
	ctl_up();
	for (i = 0; i < 3; i++)
		assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	assert_int_equal(emit_sender_pause(cfx.s), 0);
	assert_int_equal(emit_sender_paused(cfx.s), 1);
	/* The refused claim lets the pending batch go (linger 0). */
	assert_int_equal(rte_ring_count(cfx.ring), 0);
	assert_int_equal(emit_claim(cfx.s, 1, 1, &d), -EAGAIN);
	assert_int_equal(rte_ring_count(cfx.ring), 3);
	assert_int_equal(emit_claim_burst(cfx.s, 1, 1, data, 8), -EAGAIN);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), -EAGAIN);
	assert_int_equal(emit_flush(cfx.s), 0);
	assert_int_equal(emit_poll(cfx.s), 0);
	/* Pause is idempotent; so is resume. */
	assert_int_equal(emit_sender_pause(cfx.s), 0);
	assert_int_equal(emit_sender_resume(cfx.s), 0);
	assert_int_equal(emit_sender_resume(cfx.s), 0);
	assert_int_equal(emit_sender_paused(cfx.s), 0);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	st = stats();
	assert_int_equal(st.err_again_paused, 3);
	assert_int_equal(st.err_again_rate, 0);
	assert_int_equal(st.events_committed, 4);
	assert_int_equal(st.flush_explicit, 1);
	ctl_conservation(1);

	/* With linger, a paused claim flushes only an aged batch; emit_flush
	 * still pushes it at once. */
	emit_sender_free(cfx.s);
	cfx.s = NULL;
	emit_test_ring_drain(cfx.ring);
	cfx.conf.linger_us = 10;
	ctl_up();
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	assert_int_equal(emit_sender_pause(cfx.s), 0);
	cfx.clock.now += 9999;
	assert_int_equal(emit_claim(cfx.s, 1, 1, &d), -EAGAIN);
	assert_int_equal(rte_ring_count(cfx.ring), 0);
	cfx.clock.now += 1;
	assert_int_equal(emit_claim(cfx.s, 1, 1, &d), -EAGAIN);
	assert_int_equal(rte_ring_count(cfx.ring), 2);
	assert_int_equal(stats().flush_linger, 1);
	assert_int_equal(emit_sender_resume(cfx.s), 0);
	assert_int_equal(emit_send(cfx.s, 1, "x", 1), 0);
	assert_int_equal(emit_sender_pause(cfx.s), 0);
	assert_int_equal(emit_flush(cfx.s), 1);
	assert_int_equal(rte_ring_count(cfx.ring), 3);
	assert_int_equal(stats().err_again_paused, 2);
	ctl_conservation(0);
}

/* Pause and resume from the main lcore while the worker lcore sends. */
struct pr_ctx {
	struct emit_sender *s;
	uint64_t total;
	uint64_t sent;     /* published with release by the worker */
	uint64_t again;    /* -EAGAIN returns, published with release */
	uint64_t nobufs;   /* -ENOBUFS returns of any call */
	int done;
	int rc;            /* unexpected return, 0 if none */
};

static int
pr_worker(void *arg)
{
	struct pr_ctx *c = arg;
	uint64_t sent = 0, again = 0, nobufs = 0;
	int rc;

	while (sent < c->total) {
		rc = emit_send(c->s, 9, &sent, sizeof(sent));
		if (rc == 0) {
			sent++;
			__atomic_store_n(&c->sent, sent, __ATOMIC_RELEASE);
		} else if (rc == -EAGAIN) {
			again++;
			__atomic_store_n(&c->again, again, __ATOMIC_RELEASE);
		} else if (rc == -ENOBUFS) {
			nobufs++;
			if (emit_poll(c->s) == -ENOBUFS)
				nobufs++;
		} else {
			c->rc = rc;
			break;
		}
	}
	while (c->rc == 0 && emit_sender_pending(c->s) != 0) {
		rc = emit_flush(c->s);
		if (rc == -ENOBUFS)
			nobufs++;
		else if (rc < 0)
			c->rc = rc;
	}
	c->nobufs = nobufs;
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Take what the worker enqueued, checking order and payload. */
static void
pr_drain(uint64_t *next)
{
	struct rte_mbuf *m[32];
	unsigned int n, i;

	n = rte_ring_dequeue_burst(cfx.ring, (void **)m, 32, NULL);
	for (i = 0; i < n; i++) {
		uint64_t v;

		assert_int_equal(ctl_seq(m[i]), *next);
		memcpy(&v, rte_pktmbuf_mtod_offset(m[i], void *,
			EMIT_FRAME_OVERHEAD), sizeof(v));
		assert_int_equal(v, *next);
		(*next)++;
		rte_pktmbuf_free(m[i]);
	}
}

static uint64_t
pr_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void
test_pause_remote(void **state)
{
	static struct pr_ctx c;
	struct emit_sender_stats st;
	uint64_t next = 0, a0, c1, pauses = 0;
	unsigned int phase;

	(void)state;
	ctl_conf(256);
	cfx.conf.burst = 8;
	cfx.conf.policy = EMIT_POLICY_HOLD;
	cfx.clock.step = 1; /* only the worker reads the clock */
	ctl_up();
	memset(&c, 0, sizeof(c));
	c.s = cfx.s;
	c.total = 200000;
	assert_int_equal(rte_eal_remote_launch(pr_worker, &c, ctl_worker), 0);

	for (phase = 1; phase <= 10; phase++) {
		/* Let it run to the next tenth. */
		while (pr_load(&c.sent) < c.total * phase / 12 &&
		       !__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
			pr_drain(&next);
		assert_int_equal(c.rc, 0);
		assert_int_equal(emit_sender_pause(cfx.s), 0);
		pauses++;
		/* The worker has seen the pause once it counts 1000 refusals
		 * after this point (no rate limit: -EAGAIN means paused). */
		a0 = pr_load(&c.again);
		while (pr_load(&c.again) < a0 + 1000)
			pr_drain(&next);
		/* Its batch leaves while paused: every committed event
		 * arrives, as long as the worker keeps being refused (each
		 * refusal retries the batch). */
		c1 = pr_load(&c.sent);
		a0 = pr_load(&c.again);
		while (next < c1) {
			pr_drain(&next);
			assert_true(pr_load(&c.again) < a0 + 10000000);
		}
		a0 = pr_load(&c.again);
		while (pr_load(&c.again) < a0 + 1000)
			rte_pause();
		/* Nothing was committed while paused. */
		assert_int_equal(pr_load(&c.sent), c1);
		assert_int_equal(rte_ring_count(cfx.ring), 0);
		assert_int_equal(emit_sender_resume(cfx.s), 0);
	}
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		pr_drain(&next);
	assert_int_equal(rte_eal_wait_lcore(ctl_worker), 0);
	assert_int_equal(c.rc, 0);
	while (rte_ring_count(cfx.ring) != 0)
		pr_drain(&next);

	/* No event lost, counts exact. */
	assert_int_equal(next, c.total);
	st = stats();
	assert_int_equal(st.events_committed, c.total);
	assert_int_equal(st.events_enqueued, c.total);
	assert_int_equal(emit_sender_stats_dropped(&st), 0);
	assert_int_equal(st.err_again_paused, c.again);
	assert_true(c.again >= pauses * 2000);
	assert_int_equal(st.err_again_rate, 0);
	assert_int_equal(st.err_nobufs_held, c.nobufs);
	ctl_conservation(0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, ctl_setup, ctl_teardown)
		T(test_tb_rates),
		T(test_tb_burst_allowance),
		T(test_tb_refund_nomem),
		T(test_tb_rate_change),
		T(test_tb_rate_cut_carry),
		T(test_tb_unlimited),
		T(test_tb_wrap),
		T(test_conf_limits),
		T(test_pause_local),
		T(test_pause_remote),
		T(test_wm_hysteresis),
		T(test_wm_early_backpressure),
		T(test_wm_early_backpressure_exact),
		T(test_wm_burst_claims),
		T(test_hooks_fire),
		T(test_hooks_hold_spin),
		T(test_hooks_quiet),
		T(test_hooks_tx_drop),
		T(test_gap_jitter),
		T(test_gap_spin),
#undef T
	};
	int rc;

	if (emit_test_eal_init("controls", "0-1", NULL) != 0)
		return 1;
	ctl_worker = rte_get_next_lcore(-1, 1, 0);
	if (ctl_worker >= RTE_MAX_LCORE) {
		printf("controls: needs a worker lcore\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	ctl_pool = emit_test_pool("cpool", 4095);
	if (ctl_pool == NULL)
		return 1;
	ctl_pool_full = rte_mempool_avail_count(ctl_pool);
	rc = cmocka_run_group_tests_name("controls", tests, NULL, NULL);
	rte_mempool_free(ctl_pool);
	rte_eal_cleanup();
	return rc;
}
