/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Readers on another thread during traffic: a sender on the worker lcore
 * commits and drains its own ring (so that the ring also refuses, and the
 * DROP policy counts drops), while the main lcore, on the other CPU, reads
 * every figure derived from the difference events_committed -
 * events_enqueued - dropped: emit_sender_pending, the events_pending and
 * events_held xstats, and emit_totals_get. None may ever exceed the
 * sender's burst: a reader that loads events_committed before the
 * counters subtracted from it sees the difference wrap to about 2^64 when
 * an event is committed and enqueued between its loads.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#if defined(__SANITIZE_ADDRESS__)
#define PD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PD_SANITIZED 1
#endif
#endif
#ifdef PD_SANITIZED
#define PD_EVENTS 300000ull
#else
#define PD_EVENTS 3000000ull
#endif

#define PD_RING 64
#define PD_DRAIN_EVERY 96   /* more than the ring holds: DROP drops */
#define PD_TYPE 0x51
#define PD_READS_MIN 1000

struct pd_run {
	struct emit_sender *s;
	struct rte_ring *ring;
	uint64_t events;
	int stop;               /* main -> worker: stop early */
	int done;               /* release: the worker has finished */
	int err;
	const char *err_where;
};

static struct rte_mempool *pool;
static unsigned int pool_full;
static unsigned int worker;
static struct pd_run pd;

static void
pd_drain(struct rte_ring *r)
{
	struct rte_mbuf *m[32];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(r, (void **)m, RTE_DIM(m),
			NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
}

static int
pd_worker(void *arg)
{
	struct pd_run *r = arg;
	uint64_t seq = 0, since_drain = 0;
	int rc;

	while (seq < r->events &&
	       !__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		rc = emit_send(r->s, PD_TYPE, &seq, sizeof(seq));
		if (rc == 0) {
			seq++;
		} else if (rc != -ENOMEM) {
			r->err = rc;
			r->err_where = "emit_send";
			break;
		}
		if (++since_drain == PD_DRAIN_EVERY || rc == -ENOMEM) {
			since_drain = 0;
			pd_drain(r->ring);
		}
	}
	rc = emit_flush(r->s);
	if (rc < 0 && r->err == 0) {
		r->err = rc;
		r->err_where = "emit_flush";
	}
	pd_drain(r->ring);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Read every derived figure until the worker finishes; returns the number
 * of reads, and the largest value seen in *@p worst. */
static uint64_t
pd_read(struct pd_run *r, uint16_t burst, uint64_t *worst)
{
	uint64_t ids[2], v[2], reads = 0, p;
	struct emit_totals t;
	int rc;

	rc = emit_sender_xstats_get_by_name(r->s, "events_pending", &ids[0],
		NULL);
	assert_int_equal(rc, 0);
	rc = emit_sender_xstats_get_by_name(r->s, "events_held", &ids[1],
		NULL);
	assert_int_equal(rc, 0);
	*worst = 0;
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		p = emit_sender_pending(r->s);
		if (p > *worst)
			*worst = p;
		if (emit_sender_xstats_get(r->s, ids, v, 2) == 2) {
			*worst = RTE_MAX(*worst, RTE_MAX(v[0], v[1]));
		}
		if ((reads & 63) == 0) {
			assert_int_equal(emit_totals_get(&t), 0);
			*worst = RTE_MAX(*worst, t.events_pending);
		}
		if (*worst > burst)
			break;
		reads++;
	}
	return reads;
}

static void
pd_run(uint16_t burst)
{
	struct emit_sender_conf c;
	struct emit_sender_stats st;
	struct emit_totals t;
	uint64_t reads, worst;

	memset(&pd, 0, sizeof(pd));
	pd.events = PD_EVENTS;
	pd.ring = emit_test_ring("pd_ring", PD_RING);
	assert_non_null(pd.ring);
	emit_sender_conf_init(&c);
	c.id = 51;
	c.mp = pool;
	c.ring = pd.ring;
	c.burst = burst;
	c.policy = EMIT_POLICY_DROP;
	pd.s = emit_sender_create(&c);
	assert_non_null(pd.s);

	assert_int_equal(rte_eal_remote_launch(pd_worker, &pd, worker), 0);
	reads = pd_read(&pd, burst, &worst);
	/* Stop the worker early if a read failed: the result is known. */
	__atomic_store_n(&pd.stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	printf("pending: burst %u, %" PRIu64 " reads, largest %" PRIu64 "\n",
		burst, reads, worst);
	if (pd.err != 0)
		fail_msg("%s returned %d", pd.err_where, pd.err);
	if (worst > burst)
		fail_msg("a reader saw %" PRIu64 " events pending with burst %u",
			worst, burst);
	assert_true(reads >= PD_READS_MIN);

	/* Quiescent: the figures are exact. */
	assert_int_equal(emit_sender_pending(pd.s), 0);
	assert_int_equal(emit_sender_stats_get(pd.s, &st), 0);
	assert_true(st.dropped_ring_full > 0);
	assert_int_equal(st.events_committed, st.events_enqueued +
		emit_sender_stats_dropped(&st));
	/* The ring is drained here, not by a TX stage: only the sender's
	 * sum applies. */
	assert_int_equal(emit_totals_get(&t), 0);
	assert_int_equal(t.sender_ok, 1);
	assert_int_equal(t.events_pending, 0);
}

/* Also after a failed check: stop the worker, free what was made, and
 * find the pool full. */
static int
pd_teardown(void **state)
{
	(void)state;
	__atomic_store_n(&pd.stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(worker);
	emit_sender_free(pd.s);
	if (pd.ring != NULL) {
		pd_drain(pd.ring);
		rte_ring_free(pd.ring);
	}
	memset(&pd, 0, sizeof(pd));
	return rte_mempool_avail_count(pool) == pool_full ? 0 : -1;
}

static void test_pending_burst1(void **state) { (void)state; pd_run(1); }
static void test_pending_burst16(void **state) { (void)state; pd_run(16); }

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pending_burst1, pd_teardown),
		cmocka_unit_test_teardown(test_pending_burst16, pd_teardown),
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	/* Two lcores, on two CPUs when there are two: the reader must run
	 * while the sender runs. */
	if (emit_test_eal_init("pending", ncpu >= 2 ? "0@0,1@1" : "0@0,1@0",
			NULL) != 0)
		return 1;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("pending: skipped, needs a worker lcore\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	pool = emit_test_pool("pd_pool", 4096);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("pending", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
