/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad configuration of every kind to every create function, each refused
 * with its documented error and nothing left behind: after every refusal
 * the rte_malloc statistics, the memzones (rings, pools), the mbufs of the
 * test pool and the ports are as before, and the registry still has every
 * slot (ENOSPC does not come early). Also the failures that happen half
 * way through emit_pipeline_create, after pools, ports, rings or senders
 * were made: no memory for a pool or a ring, a port someone else started,
 * a sender the template cannot make, a sender id or the last TX slot taken.
 * And rings that do not fit the senders or TX stages on them: the other
 * kind of element, a second producer or consumer on a single one.
 *
 * test_sender.c, test_tx.c and test_pipeline.c check the error of most
 * refusals; what is new here is the check that nothing leaks, the
 * allocation failures and the failures midway.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include <emit.h>

#include "test_common.h"

static struct rte_mempool *pool;
static struct rte_ring *ring;  /* 64 slots, MP/MC */
static struct rte_ring *ring2;
static uint16_t null_port;     /* started, 2 TX queues */
static uint16_t pl_ports[2];   /* for pipelines, not started */
static unsigned int lc[4];

/* What must not change across a refused create. */
struct snap {
	size_t alloc_bytes;
	unsigned int alloc_count;
	unsigned int memzones;
	unsigned int pool_avail;
	uint16_t ports;
};

static void
count_mz(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

static struct snap
snap_take(void)
{
	struct rte_malloc_socket_stats ms;
	struct snap s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(rte_malloc_get_socket_stats(0, &ms), 0);
	s.alloc_bytes = ms.heap_allocsz_bytes;
	s.alloc_count = ms.alloc_count;
	rte_memzone_walk(count_mz, &s.memzones);
	s.pool_avail = rte_mempool_avail_count(pool);
	s.ports = rte_eth_dev_count_total();
	return s;
}

static void
snap_same(const struct snap *a, const char *what)
{
	struct snap b = snap_take();

	if (memcmp(a, &b, sizeof(b)) != 0)
		fail_msg("%s leaked: %zu -> %zu bytes, %u -> %u allocations, "
			"%u -> %u memzones, %u -> %u mbufs free, %u -> %u ports",
			what, a->alloc_bytes, b.alloc_bytes, a->alloc_count,
			b.alloc_count, a->memzones, b.memzones, a->pool_avail,
			b.pool_avail, a->ports, b.ports);
}

/* Exhaust the rte_malloc heap, and give it back. */
static void *heap_hold[256];
static unsigned int heap_n;

static void
heap_fill(void)
{
	size_t sz = (size_t)64 << 20;

	heap_n = 0;
	while (sz >= 64 && heap_n < RTE_DIM(heap_hold)) {
		void *p = rte_malloc(NULL, sz, 0);

		if (p != NULL)
			heap_hold[heap_n++] = p;
		else
			sz /= 2;
	}
	assert_true(heap_n < RTE_DIM(heap_hold));
}

static void
heap_release(void)
{
	while (heap_n != 0)
		rte_free(heap_hold[--heap_n]);
}

/* ---- emit_sender_create ---- */

static void
sender_base(struct emit_sender_conf *c)
{
	emit_sender_conf_init(c);
	c->mp = pool;
	c->ring = ring;
	c->id = 500;
}

static uint64_t
clock0(void *arg)
{
	(void)arg;
	return 0;
}

static void
sender_refused(const struct emit_sender_conf *c, int err, const char *what)
{
	struct snap s = snap_take();

	rte_errno = 0;
	if (emit_sender_create(c) != NULL)
		fail_msg("sender config accepted: %s", what);
	if (rte_errno != err)
		fail_msg("sender config %s: rte_errno %d, not %d", what,
			rte_errno, err);
	snap_same(&s, what);
}

static void
test_sender_refusals(void **state)
{
	struct emit_sender *all[EMIT_SENDERS_MAX];
	struct rte_mempool *raw, *tiny;
	struct emit_sender_conf c;
	unsigned int i;

	(void)state;
	sender_refused(NULL, EINVAL, "NULL");
#define REFUSED(err, stmt) do { \
		sender_base(&c); \
		stmt; \
		sender_refused(&c, err, #stmt); \
	} while (0)
	REFUSED(EINVAL, c.mp = NULL);
	REFUSED(EINVAL, c.ring = NULL);
	REFUSED(EINVAL, c.burst = 0);
	REFUSED(EINVAL, c.burst = EMIT_BURST_MAX + 1);
	REFUSED(EINVAL, c.ring = ring2); /* 16 slots: 15 < burst 32 */
	REFUSED(EINVAL, c.linger_us = 60000001);
	REFUSED(EINVAL, c.policy = (enum emit_policy)3);
	REFUSED(EINVAL, c.policy = (enum emit_policy)-1);
	REFUSED(EINVAL, c.policy = EMIT_POLICY_SPIN; c.spin_us = 0);
	REFUSED(EINVAL, c.policy = EMIT_POLICY_SPIN; c.spin_us = 1000001);
	REFUSED(EINVAL, c.rate = EMIT_RATE_MAX + 1);
	REFUSED(EINVAL, c.rate = UINT64_MAX);
	REFUSED(EINVAL, c.rate_burst = 1000001);
	REFUSED(EINVAL, c.wm_high = 64);
	REFUSED(EINVAL, c.wm_high = 10; c.wm_low = 10);
	REFUSED(EINVAL, c.wm_high = 10; c.wm_low = 11);
	REFUSED(EINVAL, c.wm_low = 1);
	REFUSED(EINVAL, c.early_backpressure = 1);
	REFUSED(EINVAL, c.flow.nb_flows = 0);
	REFUSED(EINVAL, c.flow.src_port = 65000; c.flow.nb_flows = 600);
	REFUSED(EINVAL, c.flow.ttl = 0);
	REFUSED(EINVAL, c.flow.dscp = 64);
	REFUSED(EINVAL, c.flow.dscp = 255);
	REFUSED(EINVAL, c.clock = clock0; c.clock_hz = 0);
	REFUSED(EINVAL, c.clock_hz = 1000);
	REFUSED(EINVAL, c.socket_id = RTE_MAX_NUMA_NODES);
	REFUSED(EINVAL, c.socket_id = -2);
	/* No memory left in the heap. */
	heap_fill();
	REFUSED(ENOMEM, (void)0);
	heap_release();

	/* Pools that cannot hold frames. */
	raw = rte_mempool_create("bc_raw", 63, 256, 0, 0, NULL, NULL, NULL,
			NULL, SOCKET_ID_ANY, 0);
	assert_non_null(raw);
	REFUSED(EINVAL, c.mp = raw);
	rte_mempool_free(raw);
	tiny = rte_pktmbuf_pool_create("bc_tiny", 63, 0, 0,
			EMIT_FRAME_OVERHEAD, SOCKET_ID_ANY);
	assert_non_null(tiny);
	REFUSED(EINVAL, c.mp = tiny);
	rte_mempool_free(tiny);

	/* Every slot taken, then one more; a taken id. */
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		sender_base(&c);
		c.id = (uint16_t)(1000 + i);
		all[i] = emit_sender_create(&c);
		assert_non_null(all[i]);
	}
	REFUSED(ENOSPC, c.id = 999);
	REFUSED(EEXIST, c.id = 1000);
	for (i = 0; i < EMIT_SENDERS_MAX; i++)
		emit_sender_free(all[i]);
	REFUSED(EINVAL, c.burst = 0); /* and nothing is left of them */
#undef REFUSED
}

/* ---- emit_tx_create ---- */

static void
tx_base(struct emit_tx_conf *c)
{
	emit_tx_conf_init(c);
	c->port_id = null_port;
	c->rings[0] = ring;
	c->rings[1] = ring2;
	c->nb_rings = 2;
}

static void
tx_refused(const struct emit_tx_conf *c, int err, const char *what)
{
	struct snap s = snap_take();

	rte_errno = 0;
	if (emit_tx_create(c) != NULL)
		fail_msg("tx config accepted: %s", what);
	if (rte_errno != err)
		fail_msg("tx config %s: rte_errno %d, not %d", what, rte_errno,
			err);
	snap_same(&s, what);
}

static void
test_tx_refusals(void **state)
{
	struct emit_tx *all[EMIT_TX_MAX];
	struct emit_tx_conf c;
	unsigned int i;

	(void)state;
	tx_refused(NULL, EINVAL, "NULL");
#define REFUSED(err, stmt) do { \
		tx_base(&c); \
		stmt; \
		tx_refused(&c, err, #stmt); \
	} while (0)
	REFUSED(ENODEV, c.port_id = RTE_MAX_ETHPORTS);
	REFUSED(ENODEV, c.port_id = UINT16_MAX);
	REFUSED(ENODEV, c.port_id = (uint16_t)(rte_eth_dev_count_total() +
		1));
	REFUSED(EINVAL, c.queue_id = 2);
	REFUSED(EINVAL, c.queue_id = UINT16_MAX);
	REFUSED(EINVAL, c.port_id = pl_ports[0]); /* not configured */
	REFUSED(EINVAL, c.nb_rings = 0);
	REFUSED(EINVAL, c.nb_rings = EMIT_TX_RINGS_MAX + 1);
	REFUSED(EINVAL, c.nb_rings = 3);          /* rings[2] is NULL */
	REFUSED(EINVAL, c.rings[1] = ring);
	REFUSED(EINVAL, c.burst = 0);
	REFUSED(EINVAL, c.burst = EMIT_BURST_MAX + 1);
	REFUSED(EINVAL, c.socket_id = RTE_MAX_NUMA_NODES);
	REFUSED(EINVAL, c.socket_id = -2);
	heap_fill();
	REFUSED(ENOMEM, (void)0);
	heap_release();

	for (i = 0; i < EMIT_TX_MAX; i++) {
		tx_base(&c);
		c.nb_rings = 1; /* ring2 is single-consumer */
		all[i] = emit_tx_create(&c);
		assert_non_null(all[i]);
	}
	REFUSED(ENOSPC, (void)0);
	for (i = 0; i < EMIT_TX_MAX; i++)
		emit_tx_free(all[i]);
#undef REFUSED
}

/* ---- emit_pipeline_create ---- */

static int
step_idle(struct emit_sender *s, unsigned int idx, void *arg)
{
	(void)s;
	(void)idx;
	(void)arg;
	return 1;
}

static void
pl_base(struct emit_pipeline_conf *c)
{
	emit_pipeline_conf_init(c);
	c->nb_ports = 2;
	c->ports[0] = pl_ports[0];
	c->ports[1] = pl_ports[1];
	c->nb_senders = 2;
	c->sender_lcores[0] = lc[1];
	c->sender_lcores[1] = lc[2];
	c->nb_tx = 2;
	c->tx_lcores[0] = lc[0];
	c->tx_lcores[1] = lc[3];
	c->sender.id = 600;
	c->ring_size = 64;
	c->pool_size = 1023;
	c->pool_cache = 0;
	c->close_ports = 0; /* the ports are used again */
	c->step = step_idle;
}

/*
 * The snapshot is compared after a good pipeline has run again: a refusal
 * after the ports were configured leaves them stopped but configured as
 * asked (close_ports 0), and the number of TX queues of a port changes
 * what ethdev keeps allocated for it. The good pipeline also proves that
 * the ports were stopped and the sender ids and TX slots given back.
 */
static void
pl_refused(const struct emit_pipeline_conf *c, int err, const char *what)
{
	struct snap s = snap_take();
	struct emit_pipeline_conf ok;
	struct emit_pipeline *p;

	rte_errno = 0;
	if (emit_pipeline_create(c) != NULL)
		fail_msg("pipeline config accepted: %s", what);
	if (rte_errno != err)
		fail_msg("pipeline config %s: rte_errno %d, not %d", what,
			rte_errno, err);
	pl_base(&ok);
	p = emit_pipeline_create(&ok);
	if (p == NULL)
		fail_msg("after %s a good pipeline is refused: %s", what,
			rte_strerror(rte_errno));
	emit_pipeline_free(p);
	snap_same(&s, what);
}

static void
test_pipeline_refusals(void **state)
{
	struct emit_tx *all[EMIT_TX_MAX];
	struct emit_pipeline_conf c;
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_sender *clash;
	unsigned int i;

	(void)state;
	/* Made once per process on first use (port queue arrays, the mbuf
	 * dynfield): make them before the first snapshot. */
	pl_base(&c);
	emit_pipeline_free(emit_pipeline_create(&c));

	pl_refused(NULL, EINVAL, "NULL");
#define REFUSED(err, stmt) do { \
		pl_base(&c); \
		stmt; \
		pl_refused(&c, err, #stmt); \
	} while (0)
	/* Layouts, refused before anything is made. */
	REFUSED(EINVAL, c.nb_senders = 0);
	REFUSED(EINVAL, c.nb_senders = EMIT_PIPELINE_MAX + 1);
	REFUSED(EINVAL, c.nb_tx = 0);
	REFUSED(EINVAL, c.nb_tx = EMIT_PIPELINE_MAX + 1);
	REFUSED(EINVAL, c.nb_ports = 0);
	REFUSED(EINVAL, c.nb_ports = EMIT_PIPELINE_MAX + 1);
	REFUSED(EINVAL, c.nb_tx = 1);                 /* fewer than ports */
	REFUSED(EINVAL, c.step = NULL);
	REFUSED(EINVAL, c.ring_size = 100);
	REFUSED(EINVAL, c.ring_size = 32);            /* = burst */
	REFUSED(EINVAL, c.ring_size = 0);
	REFUSED(EINVAL, c.mbuf_data_room = 64);
	REFUSED(EINVAL, c.nb_txd = 0);
	REFUSED(EINVAL, c.tx_latency = (enum emit_tx_latency)3);
	REFUSED(EINVAL, c.sender_lcores[1] = lc[1]);
	REFUSED(EINVAL, c.tx_lcores[1] = lc[0]);
	REFUSED(EINVAL, c.tx_lcores[1] = RTE_MAX_LCORE);
	REFUSED(EINVAL, c.tx_lcores[1] = RTE_MAX_LCORE - 1);
	REFUSED(EINVAL, c.ports[1] = c.ports[0]);
	REFUSED(ENODEV, c.ports[1] = RTE_MAX_ETHPORTS - 1);

	/* No memory left for the pipeline itself. */
	pl_base(&c);
	heap_fill();
	{
		struct snap s = snap_take();

		rte_errno = 0;
		assert_null(emit_pipeline_create(&c));
		assert_int_equal(rte_errno, ENOMEM);
		snap_same(&s, "a full heap");
	}
	heap_release();
	/* Failures half way: after pools, ports, rings or senders. */
	REFUSED(ENOMEM, c.pool_size = 1u << 30);      /* no such pool */
	REFUSED(ENOMEM, c.ring_size = 1u << 27);      /* no such ring */
	REFUSED(EINVAL, c.sender.burst = 0);
	REFUSED(EINVAL, c.sender.wm_high = 64);       /* above capacity */
	REFUSED(EINVAL, c.sender.policy = (enum emit_policy)9);
	REFUSED(EINVAL, c.nb_senders = 1);            /* a TX stage idle */
	REFUSED(EINVAL, c.nb_tx = 3; c.tx_lcores[2] = lc[2];
		c.sender_lcores[1] = lc[3]; c.nb_senders = 1);
	/* A port someone else has started cannot be configured: refused
	 * after the pools and the first port were made. */
	assert_int_equal(emit_test_port_start(pl_ports[1], 1), 0);
	pl_base(&c);
	{
		struct snap s = snap_take();

		rte_errno = 0;
		assert_null(emit_pipeline_create(&c));
		assert_int_equal(rte_errno, EIO);
		snap_same(&s, "a started port");
	}
	assert_int_equal(rte_eth_dev_stop(pl_ports[1]), 0);
	REFUSED(EINVAL, c.nb_ports = 0);  /* and the ports work again */
	/* The second sender's id is taken. */
	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = ring;
	sc.id = 601;
	clash = emit_sender_create(&sc);
	assert_non_null(clash);
	pl_base(&c);
	{
		struct snap s = snap_take();

		rte_errno = 0;
		assert_null(emit_pipeline_create(&c));
		assert_int_equal(rte_errno, EEXIST);
		snap_same(&s, "a sender id taken");
	}
	emit_sender_free(clash);
	REFUSED(EINVAL, c.nb_ports = 0);  /* sender 600 was freed */
	/* Only one TX slot is left: the second stage cannot be made. */
	emit_tx_conf_init(&tc);
	tc.port_id = null_port;
	tc.rings[0] = ring;
	tc.nb_rings = 1;
	for (i = 0; i < EMIT_TX_MAX - 1; i++) {
		all[i] = emit_tx_create(&tc);
		assert_non_null(all[i]);
	}
	pl_base(&c);
	{
		struct snap s = snap_take();

		rte_errno = 0;
		assert_null(emit_pipeline_create(&c));
		assert_int_equal(rte_errno, ENOSPC);
		snap_same(&s, "the last TX slot taken");
	}
	for (i = 0; i < EMIT_TX_MAX - 1; i++)
		emit_tx_free(all[i]);
#undef REFUSED
}

/* ---- rings against the senders and TX stages on them ---- */

/* Element size and producer/consumer sync type, at create time: each
 * mismatch refused with -EINVAL and nothing left behind; the pairings
 * that are right still accepted. */
static void
test_ring_pairing(void **state)
{
	struct rte_ring *dring, *sp, *mp, *mc;
	struct emit_sender_conf c;
	struct emit_tx_conf t;
	struct emit_sender *a, *b;
	struct emit_tx *x, *y;

	(void)state;
	dring = rte_ring_create_elem("bc_dring", sizeof(struct emit_desc), 64,
		SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	sp = emit_test_ring("bc_sp", 64);
	mp = rte_ring_create("bc_mp", 64, SOCKET_ID_ANY, RING_F_SC_DEQ);
	mc = rte_ring_create("bc_mc", 64, SOCKET_ID_ANY, RING_F_SP_ENQ);
	assert_non_null(dring);
	assert_non_null(sp);
	assert_non_null(mp);
	assert_non_null(mc);

	/* A descriptor sender on a pointer ring, and the reverse. */
	sender_base(&c);
	c.ring = sp;
	c.desc_ring = 1;
	sender_refused(&c, EINVAL, "desc_ring 1 on a pointer ring");
	sender_base(&c);
	c.ring = dring;
	sender_refused(&c, EINVAL, "desc_ring 0 on a descriptor ring");
	sender_base(&c);
	c.ring = dring;
	c.desc_ring = 1;
	a = emit_sender_create(&c);
	assert_non_null(a);
	emit_sender_free(a);

	/* Two senders on a single-producer ring; on a multi-producer one
	 * they are fine. */
	sender_base(&c);
	c.ring = sp;
	a = emit_sender_create(&c);
	assert_non_null(a);
	c.id = 501;
	sender_refused(&c, EINVAL, "two senders on a single-producer ring");
	emit_sender_free(a);
	sender_base(&c);
	c.ring = mp;
	a = emit_sender_create(&c);
	c.id = 501;
	b = emit_sender_create(&c);
	assert_non_null(a);
	assert_non_null(b);
	emit_sender_free(a);
	emit_sender_free(b);

	/* A TX stage reading the other kind of element. */
	tx_base(&t);
	t.nb_rings = 1;
	t.rings[0] = sp;
	t.desc_rings = 1;
	tx_refused(&t, EINVAL, "desc_rings 1 on a pointer ring");
	tx_base(&t);
	t.nb_rings = 1;
	t.rings[0] = dring;
	tx_refused(&t, EINVAL, "desc_rings 0 on a descriptor ring");

	/* Two TX stages draining a single-consumer ring; a multi-consumer
	 * ring may have both. */
	tx_base(&t);
	t.nb_rings = 1;
	t.rings[0] = sp;
	x = emit_tx_create(&t);
	assert_non_null(x);
	tx_refused(&t, EINVAL, "two TX stages on a single-consumer ring");
	emit_tx_free(x);
	tx_base(&t);
	t.nb_rings = 1;
	t.rings[0] = mc;
	x = emit_tx_create(&t);
	y = emit_tx_create(&t);
	assert_non_null(x);
	assert_non_null(y);
	emit_tx_free(x);
	emit_tx_free(y);

	rte_ring_free(dring);
	rte_ring_free(sp);
	rte_ring_free(mp);
	rte_ring_free(mc);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sender_refusals),
		cmocka_unit_test(test_tx_refusals),
		cmocka_unit_test(test_pipeline_refusals),
		cmocka_unit_test(test_ring_pairing),
	};
	static const char *const vdevs[] = { "net_null0", "net_null1",
		"net_null2", NULL };
	unsigned int n = 0, l;
	int rc;

	if (emit_test_eal_init("badconf", "0@0,1@1,2@0,3@1", vdevs) != 0)
		return 1;
	RTE_LCORE_FOREACH(l)
		if (n < 4)
			lc[n++] = l;
	if (n < 4) {
		printf("badconf: skipped, needs 4 lcores\n");
		rte_eal_cleanup();
		return EMIT_TEST_SKIP;
	}
	if (rte_eth_dev_get_port_by_name("net_null0", &null_port) != 0 ||
	    rte_eth_dev_get_port_by_name("net_null1", &pl_ports[0]) != 0 ||
	    rte_eth_dev_get_port_by_name("net_null2", &pl_ports[1]) != 0 ||
	    emit_test_port_start(null_port, 2) != 0) {
		fprintf(stderr, "badconf: cannot set up the null ports\n");
		return 1;
	}
	pool = emit_test_pool("bc_pool", 1023);
	/* Multi-producer and multi-consumer: the tests fill every sender
	 * and TX slot with objects on this one ring. */
	ring = rte_ring_create("bc_ring", 64, SOCKET_ID_ANY, 0);
	ring2 = emit_test_ring("bc_ring2", 16);
	if (pool == NULL || ring == NULL || ring2 == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("badconf", tests, NULL, NULL);
	emit_test_port_stop(null_port);
	rte_ring_free(ring);
	rte_ring_free(ring2);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
