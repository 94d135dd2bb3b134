/* SPDX-License-Identifier: BSD-3-Clause */
/* Pipeline tests: 2 senders and 2 TX stages on 4 lcores mapped onto two
 * cores, two net_null ports; invalid layouts refused with their errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <emit.h>

#include "test_common.h"

#define EVENTS_PER_SENDER 200000u

struct gen {
	uint64_t sent[EMIT_PIPELINE_MAX];
	uint64_t limit;
	int finish; /* set by the test: every step returns 1 */
};

static int
step_burst(struct emit_sender *s, unsigned int idx, void *arg)
{
	struct gen *g = arg;
	void *data[32];
	uint64_t want = g->limit - g->sent[idx];
	int n, i, c;

	if (want == 0 || __atomic_load_n(&g->finish, __ATOMIC_ACQUIRE))
		return 1;
	n = emit_claim_burst(s, 9, 16, data,
		(unsigned int)RTE_MIN(want, (uint64_t)32));
	if (n < 0) {
		emit_poll(s);
		return 0;
	}
	for (i = 0; i < n; i++)
		memcpy(data[i], &g->sent[idx], sizeof(uint64_t));
	c = emit_commit_burst(s, (unsigned int)n);
	if (c < n)
		emit_abort_burst(s);
	if (c > 0)
		g->sent[idx] += (uint64_t)c;
	return 0;
}

static int
step_fail(struct emit_sender *s, unsigned int idx, void *arg)
{
	(void)s;
	(void)idx;
	(void)arg;
	return -EIO;
}

static void
base_conf(struct emit_pipeline_conf *c, struct gen *g)
{
	unsigned int lc[4], n = 0, i;

	RTE_LCORE_FOREACH(i) {
		if (n < 4)
			lc[n++] = i;
	}
	emit_pipeline_conf_init(c);
	c->nb_ports = 2;
	c->ports[0] = 0;
	c->ports[1] = 1;
	c->nb_senders = 2;
	c->sender_lcores[0] = lc[1];
	c->sender_lcores[1] = lc[2];
	c->nb_tx = 2;
	c->tx_lcores[0] = lc[0]; /* the main lcore transmits */
	c->tx_lcores[1] = lc[3];
	c->sender.id = 100;
	c->sender.policy = EMIT_POLICY_HOLD;
	c->ring_size = 256;
	c->close_ports = 0; /* the next test uses them again */
	c->step = step_burst;
	c->step_arg = g;
}

/* Latency samples of the pipeline's TX stages, and their sent bursts. */
static void
lat_samples(const struct emit_pipeline *p, uint64_t *samples,
		uint64_t *bursts)
{
	uint64_t v;
	unsigned int i;

	*samples = 0;
	*bursts = 0;
	for (i = 0; i < emit_pipeline_nb_tx(p); i++) {
		struct emit_tx *tx = emit_pipeline_tx(p, i);

		assert_int_equal(emit_tx_xstats_get_by_name(tx,
			"latency_samples", NULL, &v), 0);
		*samples += v;
		assert_int_equal(emit_tx_xstats_get_by_name(tx, "tx_bursts",
			NULL, &v), 0);
		*bursts += v;
	}
}

static void
test_run(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_pipeline *p;
	struct emit_sender_stats ss;
	uint64_t samples, bursts;
	struct gen g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.limit = EVENTS_PER_SENDER;
	base_conf(&c, &g);
	assert_int_equal(c.tx_latency, EMIT_TX_LATENCY_BURST);
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_nb_senders(p), 2);
	assert_int_equal(emit_pipeline_nb_tx(p), 2);
	assert_int_equal(emit_sender_id(emit_pipeline_sender(p, 1)), 101);
	assert_null(emit_pipeline_sender(p, 2));
	assert_null(emit_pipeline_tx(p, 2));
	assert_int_equal(emit_pipeline_poll_main(p), -EINVAL); /* not started */
	assert_int_equal(emit_pipeline_start(p), 0);
	assert_int_equal(emit_pipeline_start(p), -EALREADY);
	while (emit_pipeline_done(p) == 0)
		assert_int_equal(emit_pipeline_poll_main(p), 0);
	assert_int_equal(emit_pipeline_stop(p), 0);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.committed, 2 * EVENTS_PER_SENDER);
	assert_int_equal(t.dropped, 0); /* HOLD */
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.in_rings, 0);
	assert_int_equal(t.tx_sent + t.tx_dropped, t.committed);
	assert_int_equal(t.tx_bytes, t.tx_sent * (EMIT_FRAME_OVERHEAD + 16));
	assert_int_equal(emit_sender_stats_get(emit_pipeline_sender(p, 0), &ss),
		0);
	assert_int_equal(ss.events_committed, EVENTS_PER_SENDER);
	assert_int_equal(ss.err_nomem, 0); /* pools sized by the rule */
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	/* The default: one latency sample per TX burst. */
	lat_samples(p, &samples, &bursts);
	assert_true(bursts > 0);
	assert_int_equal(samples, bursts);
	emit_pipeline_free(p);
}

/* Run to completion: each lcore runs a sender and a TX stage; TX stage j
 * still drains sender j's ring, and sender 1 runs on the main lcore. */
static void
test_colocated(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_pipeline *p;
	uint64_t samples, bursts;
	struct gen g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.limit = EVENTS_PER_SENDER;
	base_conf(&c, &g);
	c.sender_lcores[0] = c.tx_lcores[1];
	c.sender_lcores[1] = c.tx_lcores[0]; /* the main lcore */
	/* Sender i feeds TX stage i: sender 0 on lcore L, TX 0 on the main
	 * lcore, sender 1 on the main lcore, TX 1 on L: rings cross. */
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);
	while (emit_pipeline_done(p) == 0)
		assert_int_equal(emit_pipeline_poll_main(p), 0);
	assert_int_equal(emit_pipeline_stop(p), 0);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.committed, 2 * EVENTS_PER_SENDER);
	/* HOLD: nothing dropped, not even at the end. */
	assert_int_equal(t.dropped + t.tx_dropped, 0);
	assert_int_equal(t.tx_sent, t.committed);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	emit_pipeline_free(p);

	/* Same lcores, each sender beside the TX stage draining its ring;
	 * the TX stages sample every packet. */
	memset(&g, 0, sizeof(g));
	g.limit = EVENTS_PER_SENDER;
	base_conf(&c, &g);
	c.tx_latency = EMIT_TX_LATENCY_PACKET;
	c.nb_senders = 2;
	c.sender_lcores[0] = c.tx_lcores[0];
	c.sender_lcores[1] = c.tx_lcores[1];
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);
	while (emit_pipeline_done(p) == 0)
		assert_int_equal(emit_pipeline_poll_main(p), 0);
	assert_int_equal(emit_pipeline_stop(p), 0);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.committed, 2 * EVENTS_PER_SENDER);
	assert_int_equal(t.dropped + t.tx_dropped, 0);
	assert_int_equal(t.tx_sent, t.committed);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	lat_samples(p, &samples, &bursts);
	assert_int_equal(samples, t.tx_sent);
	emit_pipeline_free(p);
}

static void
test_step_error(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_pipeline *p;
	struct gen g;

	(void)state;
	memset(&g, 0, sizeof(g));
	base_conf(&c, &g);
	c.step = step_fail;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);
	while (emit_pipeline_done(p) == 0)
		emit_pipeline_poll_main(p);
	assert_int_equal(emit_pipeline_stop(p), -EIO);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.committed, 0);
	emit_pipeline_free(p);
}

static void
test_stop_midway(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_pipeline *p;
	uint64_t samples, bursts;
	struct gen g;
	int i;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.limit = UINT64_MAX;
	base_conf(&c, &g);
	c.sender.policy = EMIT_POLICY_DROP;
	c.sender.burst = 8;
	c.sender.linger_us = 100000; /* partial batches when stopped */
	c.tx_latency = EMIT_TX_LATENCY_OFF;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(emit_pipeline_start(p), 0);
	for (i = 0; i < 20000; i++)
		emit_pipeline_poll_main(p);
	assert_int_equal(emit_pipeline_done(p), 0);
	assert_int_equal(emit_pipeline_stop(p), 0);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_true(t.committed > 0);
	assert_int_equal(t.committed, t.tx_sent + t.tx_dropped + t.dropped);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	lat_samples(p, &samples, &bursts); /* sampling off */
	assert_true(bursts > 0);
	assert_int_equal(samples, 0);
	emit_pipeline_free(p);
}

static void
test_invalid_layouts(void **state)
{
	struct emit_pipeline_conf c;
	struct rte_malloc_socket_stats m0, m1;
	struct gen g;
	struct emit_sender_conf sc;
	struct emit_sender *clash;
	struct rte_ring *r;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* Warm up what is allocated once per process (mbuf dynfield, port
	 * queue arrays), then take the baseline. */
	base_conf(&c, &g);
	emit_pipeline_free(emit_pipeline_create(&c));
	rte_malloc_get_socket_stats(0, &m0);

#define REFUSED(stmt, err) do { \
		base_conf(&c, &g); \
		stmt; \
		assert_null(emit_pipeline_create(&c)); \
		assert_int_equal(rte_errno, err); \
	} while (0)
	assert_null(emit_pipeline_create(NULL));
	assert_int_equal(rte_errno, EINVAL);
	REFUSED(c.nb_senders = 0, EINVAL);
	REFUSED(c.nb_tx = 0, EINVAL);
	REFUSED(c.nb_ports = 0, EINVAL);
	REFUSED(c.nb_tx = 1; c.tx_lcores[0] = c.tx_lcores[1], EINVAL);
	REFUSED(c.sender_lcores[1] = c.sender_lcores[0], EINVAL);
	REFUSED(c.tx_lcores[1] = RTE_MAX_LCORE - 1, EINVAL);
	REFUSED(c.step = NULL, EINVAL);
	REFUSED(c.ring_size = 1000, EINVAL);
	REFUSED(c.ring_size = 32, EINVAL);
	REFUSED(c.ports[1] = 0, EINVAL);
	REFUSED(c.ports[1] = 7, ENODEV);
	REFUSED(c.nb_ports = 1; c.ports[0] = 2, EINVAL); /* 2 TX, 1 queue */
	REFUSED(c.nb_senders = 1, EINVAL); /* TX stage without a sender */
	REFUSED(c.sender.burst = 0, EINVAL);
	REFUSED(c.mbuf_data_room = 100, EINVAL);

	/* A sender id already in use. */
	r = emit_test_ring("clash", 64);
	assert_non_null(r);
	emit_sender_conf_init(&sc);
	sc.mp = emit_test_pool("clash_pool", 63);
	assert_non_null(sc.mp);
	sc.ring = r;
	sc.id = 101;
	clash = emit_sender_create(&sc);
	assert_non_null(clash);
	REFUSED((void)0, EEXIST);
	emit_sender_free(clash);
	rte_ring_free(r);
	rte_mempool_free(sc.mp);
#undef REFUSED

	/* Nothing leaked by the refusals. */
	rte_malloc_get_socket_stats(0, &m1);
	assert_int_equal(m1.heap_allocsz_bytes, m0.heap_allocsz_bytes);
}

/* The MTU a port takes, and the MTU the pipeline sets for raw frames
 * (emit_pipeline_conf.mtu) beside that of the senders' frames. */
static void
test_mtu(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline *p;
	struct gen g;
	uint16_t mtu = 0;

	(void)state;
	/* net_null: max_mtu 65535, no frame length limit. */
	assert_int_equal(emit_port_mtu_max(0), UINT16_MAX);
	assert_int_equal(emit_port_mtu_max(7), -ENODEV);
	assert_int_equal(emit_port_mtu_max(RTE_MAX_ETHPORTS), -ENODEV);
	memset(&g, 0, sizeof(g));
	g.limit = 1000;
	base_conf(&c, &g);
	c.mtu = 9000;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(rte_eth_dev_get_mtu(0, &mtu), 0);
	assert_int_equal(mtu, 9000);
	assert_int_equal(rte_eth_dev_get_mtu(1, &mtu), 0);
	assert_int_equal(mtu, 9000);
	emit_pipeline_free(p);
	/* At most 1500: the ports keep the default. */
	base_conf(&c, &g);
	c.mtu = 1400;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	assert_int_equal(rte_eth_dev_get_mtu(0, &mtu), 0);
	assert_int_equal(mtu, RTE_ETHER_MTU);
	emit_pipeline_free(p);
}
/* A TX lcore that loses the CPU for longer than the close's 100 ms is not
 * a port that refuses: a sender that finishes with a held batch waits
 * for it however long, and HOLD loses nothing. TX stage 0 runs on the
 * main lcore, which this test keeps from polling while sender 0 fills
 * its ring and finishes. */
static void
test_finish_starved_tx(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline_totals t;
	struct emit_pipeline *p;
	struct emit_sender *s0;
	struct emit_tx *tx0;
	struct gen g;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.limit = UINT64_MAX;
	base_conf(&c, &g);
	c.ring_size = 64;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	s0 = emit_pipeline_sender(p, 0);
	tx0 = emit_pipeline_tx(p, 0); /* drains sender 0's ring alone */
	assert_int_equal(emit_pipeline_start(p), 0);
	/* The ring full (63 slots) and a batch held: sender 0 waits for
	 * TX stage 0, which nothing polls. */
	while (emit_tx_in_rings(tx0) < 63 || emit_sender_pending(s0) == 0)
		rte_pause();
	__atomic_store_n(&g.finish, 1, __ATOMIC_RELEASE);
	usleep(300000); /* three times the close's bound, no TX poll */
	assert_int_equal(emit_pipeline_done(p), 0); /* still waiting */
	while (emit_pipeline_done(p) == 0)
		assert_int_equal(emit_pipeline_poll_main(p), 0);
	assert_int_equal(emit_pipeline_stop(p), 0);
	assert_int_equal(emit_pipeline_totals(p, &t), 0);
	assert_true(t.ok);
	assert_int_equal(t.dropped, 0);
	assert_int_equal(t.tx_dropped, 0);
	assert_int_equal(t.tx_sent, t.committed);
	assert_int_equal(t.committed, g.sent[0] + g.sent[1]);
	assert_int_equal(emit_pipeline_pools_full(p), 1);
	emit_pipeline_free(p);
}


int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_layouts),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_colocated),
		cmocka_unit_test(test_step_error),
		cmocka_unit_test(test_stop_midway),
		cmocka_unit_test(test_finish_starved_tx),
		cmocka_unit_test(test_mtu),
	};
	char pcap[128], path[96];
	const char *vdevs[] = { "net_null0", "net_null1", pcap, NULL };
	int rc;

	/* A one-queue port for the "more TX stages than queues" case. */
	snprintf(path, sizeof(path), "/tmp/emit-test-pipeline-%d.pcap",
		(int)getpid());
	snprintf(pcap, sizeof(pcap), "net_pcap0,tx_pcap=%s", path);
	if (emit_test_eal_init("pipeline", "0@0,1@1,2@0,3@1", vdevs) != 0)
		return 1;
	rc = cmocka_run_group_tests_name("pipeline", tests, NULL, NULL);
	rte_eal_cleanup();
	unlink(path);
	return rc;
}
