/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two lcores: senders on the worker lcore, a TX stage on the main lcore.
 * Millions of events go through net_null with the single and the burst
 * API, under DROP and HOLD; afterwards the conservation sums hold exactly
 * and the mempool is full again. A second pair of runs goes through a
 * net_ring port whose RX side the main lcore reads back, checking every
 * event's sender, seq and payload: no gap under HOLD, gaps equal to the
 * drops under DROP.
 *
 * Backpressure is forced, not left to chance: at four points the worker
 * asks the main lcore to stop draining and goes on only once it has
 * stopped; the main lcore resumes when the policy's counter (drops under
 * DROP, -ENOBUFS under HOLD) has moved for every sender.
 */
#include <errno.h>
#include <inttypes.h>
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

/* The sanitizer build runs the same code on fewer events. */
#if defined(__SANITIZE_ADDRESS__)
#define MT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MT_SANITIZED 1
#endif
#endif
#ifdef MT_SANITIZED
#define MT_EVENTS 1000000ull
#else
#define MT_EVENTS 10000000ull
#endif

#define MT_SENDERS_MAX 2
#define MT_STALLS 4
#define MT_TYPE 0x77
#define MT_RING 1024
#define MT_BURST 32

/* Payload of every event: its own seq and sender, written before commit. */
struct mt_payload {
	uint64_t seq;
	uint64_t sender;
};

#define MT_FRAME (EMIT_FRAME_OVERHEAD + sizeof(struct mt_payload))

enum mt_mode { MT_SINGLE, MT_BURST_API };

struct mt_run {
	/* Set by the main lcore before the launch. */
	enum mt_mode mode;
	enum emit_policy policy;
	unsigned int nb_senders;
	uint64_t events;            /* per sender */
	struct emit_sender *s[MT_SENDERS_MAX];
	struct rte_ring *rings[MT_SENDERS_MAX];

	/* Worker -> main, atomics. */
	int done;
	unsigned int stall_req;     /* stall number asked for */
	unsigned int stall_ack;     /* main: stalled for that number */

	/* Worker results, read after rte_eal_wait_lcore. */
	uint64_t committed[MT_SENDERS_MAX];
	unsigned int open[MT_SENDERS_MAX]; /* claims open across steps */
	int err;                    /* first unexpected return, or 0 */
	const char *err_where;
};

static struct rte_mempool *pool;
static unsigned int pool_full;
static uint16_t null_port;
static unsigned int worker;

static void
mt_fail(struct mt_run *r, int rc, const char *where)
{
	if (r->err == 0) {
		r->err = rc;
		r->err_where = where;
	}
}

/*
 * One step of sender @p i: claim (unless claims are still open from the
 * previous step), fill, commit. Returns events committed (0 when HOLD
 * keeps events: the claims stay open for the next step, and the worker
 * goes on with the other sender) or a negative errno on a failure.
 */
static int
mt_step_single(struct mt_run *r, unsigned int i)
{
	struct emit_sender *s = r->s[i];
	struct mt_payload *p;
	void *d = NULL;
	int rc;

	if (r->open[i] == 0) {
		rc = emit_claim(s, MT_TYPE, sizeof(*p), &d);
		if (rc == -ENOBUFS)
			return 0;
		if (rc != 0) {
			mt_fail(r, rc, "emit_claim");
			return rc;
		}
		p = d;
		p->seq = r->committed[i];
		p->sender = emit_sender_id(s);
		r->open[i] = 1;
	}
	rc = emit_commit(s);
	if (rc == -ENOBUFS)
		return 0;
	if (rc != 0) {
		mt_fail(r, rc, "emit_commit");
		return rc;
	}
	r->open[i] = 0;
	return 1;
}

static int
mt_step_burst(struct mt_run *r, unsigned int i)
{
	struct emit_sender *s = r->s[i];
	void *data[MT_BURST];
	uint64_t left = r->events - r->committed[i];
	unsigned int want = left < MT_BURST ? (unsigned int)left : MT_BURST;
	unsigned int k;
	int n, rc;

	if (r->open[i] == 0) {
		n = emit_claim_burst(s, MT_TYPE, sizeof(struct mt_payload),
				data, want);
		if (n == -ENOBUFS)
			return 0;
		if (n <= 0) {
			mt_fail(r, n, "emit_claim_burst");
			return n < 0 ? n : -EINVAL;
		}
		/* Open claims commit in order: the k-th gets seq base + k. */
		for (k = 0; k < (unsigned int)n; k++) {
			struct mt_payload *p = data[k];

			p->seq = r->committed[i] + k;
			p->sender = emit_sender_id(s);
		}
		r->open[i] = (unsigned int)n;
	}
	rc = emit_commit_burst(s, r->open[i]);
	if (rc == -ENOBUFS)
		return 0;
	if (rc <= 0) {
		mt_fail(r, rc, "emit_commit_burst");
		return rc < 0 ? rc : -EINVAL;
	}
	r->open[i] -= (unsigned int)rc;
	return rc;
}

/* Ask the main lcore to stop draining, and wait until it has. */
static void
mt_stall(struct mt_run *r, unsigned int k)
{
	__atomic_store_n(&r->stall_req, k, __ATOMIC_RELEASE);
	while (__atomic_load_n(&r->stall_ack, __ATOMIC_ACQUIRE) != k)
		rte_pause();
}

static int
mt_worker(void *arg)
{
	struct mt_run *r = arg;
	uint64_t total = 0, all = r->events * r->nb_senders;
	unsigned int i, stalls = 0, busy;
	int rc;

	do {
		busy = 0;
		for (i = 0; i < r->nb_senders && r->err == 0; i++) {
			if (r->committed[i] == r->events)
				continue;
			busy = 1;
			rc = r->mode == MT_SINGLE ? mt_step_single(r, i) :
				mt_step_burst(r, i);
			if (rc > 0) {
				r->committed[i] += (uint64_t)rc;
				total += (uint64_t)rc;
			}
		}
		if (stalls < MT_STALLS &&
		    total >= all / (MT_STALLS + 1) * (stalls + 1))
			mt_stall(r, ++stalls);
	} while (busy && r->err == 0);

	/* Push the last partial batches; HOLD waits for the ring. */
	for (i = 0; i < r->nb_senders && r->err == 0; i++) {
		while ((rc = emit_flush(r->s[i])) == -ENOBUFS)
			rte_pause();
		if (rc < 0)
			mt_fail(r, rc, "emit_flush");
	}
	/* Release: the main lcore reads the results after seeing done. */
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
mt_done(struct mt_run *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

/* The counter the policy moves when the ring refuses. */
static uint64_t
mt_pressure(const struct mt_run *r, unsigned int i)
{
	struct emit_sender_stats st;

	if (emit_sender_stats_get(r->s[i], &st) != 0)
		return 0;
	return r->policy == EMIT_POLICY_DROP ? st.dropped_ring_full :
		st.err_nobufs_held;
}

/* Stop draining while the worker fills the rings, until every sender has
 * felt the backpressure (or the worker ended on an error). */
static void
mt_serve_stall(struct mt_run *r)
{
	uint64_t before[MT_SENDERS_MAX];
	unsigned int req, i, moved;

	req = __atomic_load_n(&r->stall_req, __ATOMIC_ACQUIRE);
	if (req == __atomic_load_n(&r->stall_ack, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < r->nb_senders; i++)
		before[i] = mt_pressure(r, i);
	__atomic_store_n(&r->stall_ack, req, __ATOMIC_RELEASE);
	do {
		rte_pause();
		moved = 0;
		for (i = 0; i < r->nb_senders; i++)
			moved += mt_pressure(r, i) != before[i];
	} while (moved < r->nb_senders && !mt_done(r));
}

/* Receiver side of the verifying runs. */
struct mt_check {
	uint64_t expect[MT_SENDERS_MAX]; /* next seq per sender */
	uint64_t gaps[MT_SENDERS_MAX];
	uint64_t received[MT_SENDERS_MAX];
	uint64_t bad;                    /* malformed or out of order */
};

static void
mt_verify(const struct mt_run *r, struct mt_check *c, struct rte_mbuf *m)
{
	const struct emit_hdr *h = rte_pktmbuf_mtod_offset(m,
			const struct emit_hdr *, EMIT_L2L4_LEN);
	const struct mt_payload *p = rte_pktmbuf_mtod_offset(m,
			const struct mt_payload *, EMIT_FRAME_OVERHEAD);
	uint16_t id = rte_be_to_cpu_16(h->sender);
	uint64_t seq = rte_be_to_cpu_64(h->seq);
	unsigned int i;

	for (i = 0; i < r->nb_senders; i++)
		if (emit_sender_id(r->s[i]) == id)
			break;
	if (i == r->nb_senders || m->pkt_len != MT_FRAME ||
	    rte_be_to_cpu_16(h->magic) != EMIT_MAGIC ||
	    rte_be_to_cpu_16(h->type) != MT_TYPE ||
	    p->seq != seq || p->sender != id || seq < c->expect[i]) {
		c->bad++;
		return;
	}
	c->gaps[i] += seq - c->expect[i];
	c->expect[i] = seq + 1;
	c->received[i]++;
}

/* Read back everything the loop-back port holds. */
static void
mt_receive(const struct mt_run *r, struct mt_check *c, uint16_t port)
{
	struct rte_mbuf *pkts[64];
	unsigned int n, k;

	while ((n = rte_eth_rx_burst(port, 0, pkts, 64)) != 0) {
		for (k = 0; k < n; k++)
			mt_verify(r, c, pkts[k]);
		rte_pktmbuf_free_bulk(pkts, n);
	}
}

static void
mt_setup_senders(struct mt_run *r)
{
	static unsigned int n;
	struct emit_sender_conf sc;
	char name[32];
	unsigned int i;

	for (i = 0; i < r->nb_senders; i++) {
		snprintf(name, sizeof(name), "mt%u", n++);
		r->rings[i] = emit_test_ring(name, MT_RING);
		assert_non_null(r->rings[i]);
		emit_sender_conf_init(&sc);
		sc.mp = pool;
		sc.ring = r->rings[i];
		sc.id = (uint16_t)(11 + i);
		sc.burst = MT_BURST;
		sc.policy = r->policy;
		r->s[i] = emit_sender_create(&sc);
		assert_non_null(r->s[i]);
	}
}

/*
 * Check the sums of DESIGN.md section 1 and every counter the run fixes;
 * free the senders and rings.
 */
static void
mt_check_and_free(struct mt_run *r, struct emit_tx *tx,
		const struct mt_check *c)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	uint64_t enq = 0, dropped = 0, committed = 0;
	unsigned int i;

	assert_int_equal(r->err, 0);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	for (i = 0; i < r->nb_senders; i++) {
		assert_int_equal(emit_sender_stats_get(r->s[i], &ss), 0);
		assert_int_equal(r->committed[i], r->events);
		assert_int_equal(ss.events_committed, r->events);
		assert_int_equal(ss.events_claimed, r->events);
		assert_int_equal(ss.events_aborted, 0);
		assert_int_equal(emit_sender_pending(r->s[i]), 0);
		assert_int_equal(ss.events_committed, ss.events_enqueued +
			emit_sender_stats_dropped(&ss));
		assert_int_equal(ss.bytes_enqueued,
			ss.events_enqueued * MT_FRAME);
		assert_int_equal(ss.dropped_spin_timeout, 0);
		assert_int_equal(ss.dropped_closed, 0);
		assert_int_equal(ss.err_nomem, 0);
		assert_true(ss.backpressure_episodes >= MT_STALLS);
		if (r->policy == EMIT_POLICY_DROP) {
			assert_true(ss.dropped_ring_full >= MT_STALLS);
			assert_int_equal(ss.err_nobufs_held, 0);
		} else {
			assert_int_equal(ss.dropped_ring_full, 0);
			assert_true(ss.err_nobufs_held >= MT_STALLS);
		}
		if (c != NULL) {
			/* Events after the last one received were lost too. */
			uint64_t gaps = c->gaps[i] + r->events - c->expect[i];

			assert_int_equal(c->received[i], ss.events_enqueued);
			assert_int_equal(gaps, ss.dropped_ring_full);
		}
		enq += ss.events_enqueued;
		dropped += ss.dropped_ring_full;
		committed += ss.events_committed;
		printf("  sender %u: committed %" PRIu64 " enqueued %" PRIu64
			" dropped %" PRIu64 " backpressure episodes %" PRIu64
			" held refusals %" PRIu64 "\n", emit_sender_id(r->s[i]),
			ss.events_committed, ss.events_enqueued,
			ss.dropped_ring_full, ss.backpressure_episodes,
			ss.err_nobufs_held);
	}
	if (c != NULL)
		assert_int_equal(c->bad, 0);
	assert_int_equal(emit_tx_in_rings(tx), 0);
	assert_int_equal(enq, ts.tx_sent + emit_tx_stats_dropped(&ts));
	assert_int_equal(ts.dequeued, enq);
	/* Neither port ever refuses: null drops nothing, the loop-back
	 * port is read empty after every round. */
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	assert_int_equal(ts.tx_dropped_closed, 0);
	assert_int_equal(ts.tx_bytes, ts.tx_sent * MT_FRAME);
	printf("  total: committed %" PRIu64 " = tx_sent %" PRIu64
		" + sender drops %" PRIu64 "; tx polls %" PRIu64
		" (idle %" PRIu64 ") bursts %" PRIu64 "\n", committed,
		ts.tx_sent, dropped, ts.polls, ts.idle_polls, ts.tx_bursts);

	for (i = 0; i < r->nb_senders; i++) {
		emit_sender_free(r->s[i]);
		assert_int_equal(rte_ring_count(r->rings[i]), 0);
		rte_ring_free(r->rings[i]);
	}
}

static struct emit_tx *
mt_tx(struct mt_run *r, uint16_t port)
{
	struct emit_tx_conf tc;
	struct emit_tx *tx;
	unsigned int i;

	emit_tx_conf_init(&tc);
	tc.port_id = port;
	for (i = 0; i < r->nb_senders; i++)
		tc.rings[i] = r->rings[i];
	tc.nb_rings = r->nb_senders;
	tx = emit_tx_create(&tc);
	assert_non_null(tx);
	return tx;
}

/* One sender, net_null: the TX stage polls until the worker is done,
 * then emit_tx_close drains what is left. */
static void
mt_null_run(enum mt_mode mode, enum emit_policy policy)
{
	struct mt_run r;
	struct emit_tx *tx;
	struct rte_eth_stats es;
	struct emit_tx_stats ts;
	uint64_t t0, t1;

	memset(&r, 0, sizeof(r));
	r.mode = mode;
	r.policy = policy;
	r.nb_senders = 1;
	r.events = MT_EVENTS;
	mt_setup_senders(&r);
	tx = mt_tx(&r, null_port);
	assert_int_equal(rte_eth_stats_reset(null_port), 0);

	t0 = rte_rdtsc();
	assert_int_equal(rte_eal_remote_launch(mt_worker, &r, worker), 0);
	while (!mt_done(&r)) {
		emit_tx_poll(tx);
		mt_serve_stall(&r);
	}
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	assert_true(emit_tx_close(tx) >= 0);
	t1 = rte_rdtsc();

	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(rte_eth_stats_get(null_port, &es), 0);
	assert_int_equal(es.opackets, ts.tx_sent);
	printf("  %s %s: %" PRIu64 " events in %.2f s (information only)\n",
		mode == MT_SINGLE ? "claim/commit" : "burst",
		policy == EMIT_POLICY_DROP ? "DROP" : "HOLD", r.events,
		(double)(t1 - t0) / (double)rte_get_tsc_hz());
	mt_check_and_free(&r, tx, NULL);
	emit_tx_free(tx);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

/* Two senders, a loop-back net_ring port: every event is read back. */
static void
mt_verify_run(enum mt_mode mode, enum emit_policy policy)
{
	static unsigned int n;
	struct mt_check c;
	struct mt_run r;
	struct emit_tx *tx;
	struct rte_ring *pring;
	char pname[32];
	int port;

	memset(&r, 0, sizeof(r));
	memset(&c, 0, sizeof(c));
	r.mode = mode;
	r.policy = policy;
	r.nb_senders = 2;
	r.events = MT_EVENTS / 2;
	snprintf(pname, sizeof(pname), "mtloop%u", n++);
	port = emit_test_ring_port(pname, MT_RING, pool, &pring);
	assert_true(port >= 0);
	mt_setup_senders(&r);
	tx = mt_tx(&r, (uint16_t)port);

	assert_int_equal(rte_eal_remote_launch(mt_worker, &r, worker), 0);
	while (!mt_done(&r)) {
		emit_tx_poll(tx);
		mt_receive(&r, &c, (uint16_t)port);
		mt_serve_stall(&r);
	}
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	/* Drain while reading, so that the port never refuses; the close
	 * then finds the rings empty. */
	while (emit_tx_in_rings(tx) != 0) {
		emit_tx_poll(tx);
		mt_receive(&r, &c, (uint16_t)port);
	}
	assert_int_equal(emit_tx_close(tx), 0);
	mt_receive(&r, &c, (uint16_t)port);
	printf("  verified %s %s: %" PRIu64 " + %" PRIu64
		" events received, gaps %" PRIu64 " + %" PRIu64 "\n",
		mode == MT_SINGLE ? "claim/commit" : "burst",
		policy == EMIT_POLICY_DROP ? "DROP" : "HOLD",
		c.received[0], c.received[1],
		c.gaps[0] + r.events - c.expect[0],
		c.gaps[1] + r.events - c.expect[1]);
	mt_check_and_free(&r, tx, &c);
	emit_tx_free(tx);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, pname,
		pring), 0);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

static void
test_null_single_drop(void **state)
{
	(void)state;
	mt_null_run(MT_SINGLE, EMIT_POLICY_DROP);
}

static void
test_null_single_hold(void **state)
{
	(void)state;
	mt_null_run(MT_SINGLE, EMIT_POLICY_HOLD);
}

static void
test_null_burst_drop(void **state)
{
	(void)state;
	mt_null_run(MT_BURST_API, EMIT_POLICY_DROP);
}

static void
test_null_burst_hold(void **state)
{
	(void)state;
	mt_null_run(MT_BURST_API, EMIT_POLICY_HOLD);
}

static void
test_verify_single_drop(void **state)
{
	(void)state;
	mt_verify_run(MT_SINGLE, EMIT_POLICY_DROP);
}

static void
test_verify_burst_hold(void **state)
{
	(void)state;
	mt_verify_run(MT_BURST_API, EMIT_POLICY_HOLD);
}

static void
test_verify_burst_drop(void **state)
{
	(void)state;
	mt_verify_run(MT_BURST_API, EMIT_POLICY_DROP);
}

static void
test_verify_single_hold(void **state)
{
	(void)state;
	mt_verify_run(MT_SINGLE, EMIT_POLICY_HOLD);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_single_drop),
		cmocka_unit_test(test_null_single_hold),
		cmocka_unit_test(test_null_burst_drop),
		cmocka_unit_test(test_null_burst_hold),
		cmocka_unit_test(test_verify_single_drop),
		cmocka_unit_test(test_verify_single_hold),
		cmocka_unit_test(test_verify_burst_drop),
		cmocka_unit_test(test_verify_burst_hold),
	};
	int rc;

	if (emit_test_eal_init("mt", "0-1", vdevs) != 0)
		return 1;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("mt: skipped, needs a worker lcore\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	if (rte_eth_dev_get_port_by_name("net_null0", &null_port) != 0 ||
	    emit_test_port_start(null_port, 1) != 0) {
		fprintf(stderr, "mt: cannot set up net_null0\n");
		return 1;
	}
	/* Rings, port ring, batches and both lcores' caches fit many times
	 * over: a -ENOMEM would be a leak. */
	pool = rte_pktmbuf_pool_create("mtpool", 16383, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	printf("mt: %llu events per run%s\n", MT_EVENTS,
#ifdef MT_SANITIZED
		" (sanitizer build)"
#else
		""
#endif
		);
	rc = cmocka_run_group_tests_name("mt", tests, NULL, NULL);
	emit_test_port_stop(null_port);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
