/* SPDX-License-Identifier: BSD-3-Clause */
/* Sender unit tests: configuration, claim/commit/abort, wire format,
 * batching, backpressure policies, teardown. Single lcore; rings are
 * drained by the test itself. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

struct trade {
	uint64_t id;
	uint32_t price;
	uint32_t qty;
};
EMIT_EVENT_DEFINE(trade, 7, struct trade)

static struct rte_mempool *pool;
static unsigned int pool_full;

struct fixture {
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_sender_conf conf;
	struct emit_test_clock clock;
};

static struct fixture fx;

static void
fixture_conf(struct fixture *f, unsigned int ring_size)
{
	static unsigned int n;
	char name[32];

	snprintf(name, sizeof(name), "ring%u", n++);
	f->ring = emit_test_ring(name, ring_size);
	assert_non_null(f->ring);
	emit_sender_conf_init(&f->conf);
	f->conf.mp = pool;
	f->conf.ring = f->ring;
	f->conf.id = 3;
	f->conf.burst = 4;
	f->clock.now = 1000;
	f->clock.step = 0;
	f->conf.clock = emit_test_clock_read;
	f->conf.clock_arg = &f->clock;
	f->conf.clock_hz = 1000000000; /* 1 tick = 1 ns */
}

static void
fixture_up(struct fixture *f)
{
	f->s = emit_sender_create(&f->conf);
	assert_non_null(f->s);
}

static void
fixture_down(struct fixture *f)
{
	emit_sender_free(f->s);
	f->s = NULL;
	emit_test_ring_drain(f->ring);
	rte_ring_free(f->ring);
	f->ring = NULL;
	/* Every test must give back every mbuf. */
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	fixture_conf(&fx, 16);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (fx.s != NULL || fx.ring != NULL)
		fixture_down(&fx);
	return 0;
}

static void
check_conservation(struct emit_sender *s, uint64_t pending)
{
	struct emit_sender_stats st;

	assert_int_equal(emit_sender_stats_get(s, &st), 0);
	assert_int_equal(st.events_committed, st.events_enqueued +
		emit_sender_stats_dropped(&st) + pending);
	assert_int_equal(emit_sender_pending(s), pending);
}

static void
test_conf_invalid(void **state)
{
	struct emit_sender_conf c;
	struct rte_mempool *raw;

	(void)state;
	assert_null(emit_sender_create(NULL));
	assert_int_equal(rte_errno, EINVAL);

#define REFUSED(field_stmt) do { \
		c = fx.conf; \
		field_stmt; \
		assert_null(emit_sender_create(&c)); \
		assert_int_equal(rte_errno, EINVAL); \
	} while (0)
	REFUSED(c.mp = NULL);
	REFUSED(c.ring = NULL);
	REFUSED(c.burst = 0);
	REFUSED(c.burst = EMIT_BURST_MAX + 1);
	REFUSED(c.burst = 32); /* ring of 16 holds 15 */
	REFUSED(c.linger_us = 60000001);
	REFUSED(c.policy = (enum emit_policy)7);
	REFUSED(c.policy = EMIT_POLICY_SPIN; c.spin_us = 0);
	REFUSED(c.rate = EMIT_RATE_MAX + 1);
	REFUSED(c.rate_burst = 1000001);
	REFUSED(c.wm_high = 16);
	REFUSED(c.wm_high = 8; c.wm_low = 8);
	REFUSED(c.wm_low = 2);
	REFUSED(c.early_backpressure = 1);
	REFUSED(c.flow.nb_flows = 0);
	REFUSED(c.flow.src_port = 65535; c.flow.nb_flows = 2);
	REFUSED(c.flow.ttl = 0);
	REFUSED(c.flow.dscp = 64);
	REFUSED(c.clock_hz = 0);
	REFUSED(c.clock = NULL);
#undef REFUSED

	/* A mempool that is not a pktmbuf pool. */
	raw = rte_mempool_create("raw", 63, 64, 0, 0, NULL, NULL, NULL, NULL,
			SOCKET_ID_ANY, 0);
	assert_non_null(raw);
	c = fx.conf;
	c.mp = raw;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	rte_mempool_free(raw);

	/* Duplicate id. */
	fixture_up(&fx);
	assert_null(emit_sender_create(&fx.conf));
	assert_int_equal(rte_errno, EEXIST);
}

static void
test_wire_format(void **state)
{
	struct rte_mbuf *m = NULL;
	uint8_t *p;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct emit_hdr *h;
	void *data;
	uint64_t t_prev = 0;
	uint16_t csum;
	int i;

	(void)state;
	fx.conf.burst = 1;
	fx.conf.flow.nb_flows = 3;
	fx.conf.flow.dscp = 46;
	fixture_up(&fx);
	for (i = 0; i < 4; i++) {
		fx.clock.now = 1000 + (uint64_t)i * 500;
		assert_int_equal(emit_claim(fx.s, 0x1234, (uint16_t)(10 + i),
			&data), 0);
		assert_int_equal((uintptr_t)data % 8, 0);
		memset(data, 0xa0 + i, (size_t)(10 + i));
		assert_int_equal(emit_commit(fx.s), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
		assert_int_equal(m->pkt_len, EMIT_FRAME_OVERHEAD + 10 + i);
		assert_int_equal(m->data_len, m->pkt_len);
		assert_int_equal(m->nb_segs, 1);
		p = rte_pktmbuf_mtod(m, uint8_t *);
		eth = (struct rte_ether_hdr *)p;
		ip = (struct rte_ipv4_hdr *)(p + 14);
		udp = (struct rte_udp_hdr *)(p + 34);
		h = (struct emit_hdr *)(p + 42);
		assert_int_equal(rte_be_to_cpu_16(eth->ether_type),
			RTE_ETHER_TYPE_IPV4);
		assert_int_equal(eth->src_addr.addr_bytes[5], 1);
		assert_int_equal(eth->dst_addr.addr_bytes[5], 2);
		assert_int_equal(ip->version_ihl, 0x45);
		assert_int_equal(ip->type_of_service, 46 << 2);
		assert_int_equal(rte_be_to_cpu_16(ip->total_length),
			m->pkt_len - 14);
		assert_int_equal(ip->next_proto_id, IPPROTO_UDP);
		assert_int_equal(ip->time_to_live, 64);
		assert_int_equal(rte_be_to_cpu_32(ip->src_addr),
			RTE_IPV4(10, 0, 0, 1));
		assert_int_equal(rte_be_to_cpu_32(ip->dst_addr),
			RTE_IPV4(10, 0, 0, 2));
		csum = ip->hdr_checksum;
		ip->hdr_checksum = 0;
		assert_int_equal(csum, rte_ipv4_cksum(ip));
		ip->hdr_checksum = csum;
		assert_int_equal(rte_be_to_cpu_16(udp->src_port), 9000 + i % 3);
		assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 9001);
		assert_int_equal(rte_be_to_cpu_16(udp->dgram_len),
			m->pkt_len - 34);
		assert_int_equal(udp->dgram_cksum, 0);
		assert_int_equal(rte_be_to_cpu_16(h->magic), EMIT_MAGIC);
		assert_int_equal(h->version, EMIT_VERSION);
		assert_int_equal(h->flags, 0);
		assert_int_equal(rte_be_to_cpu_16(h->type), 0x1234);
		assert_int_equal(rte_be_to_cpu_16(h->sender), 3);
		assert_int_equal(rte_be_to_cpu_64(h->seq), (uint64_t)i);
		/* time_ns advances exactly with the 1 GHz test clock. */
		if (i > 0)
			assert_int_equal(rte_be_to_cpu_64(h->time_ns) - t_prev,
				500);
		t_prev = rte_be_to_cpu_64(h->time_ns);
		assert_int_equal(p[EMIT_FRAME_OVERHEAD], 0xa0 + i);
		assert_int_equal(p[EMIT_FRAME_OVERHEAD + 9 + i], 0xa0 + i);
		rte_pktmbuf_free(m);
	}
	check_conservation(fx.s, 0);
}

static void
test_time_stamps(void **state)
{
	struct rte_mbuf *m[3] = { NULL, NULL, NULL };
	uint64_t t[3];
	int i;

	(void)state;
	fx.conf.burst = 1;
	fixture_up(&fx);
	for (i = 0; i < 3; i++) {
		fx.clock.now = 5000 + (uint64_t)i * 1234567;
		assert_int_equal(emit_send(fx.s, 1, "x", 1), 0);
	}
	for (i = 0; i < 3; i++) {
		struct emit_hdr *h;

		assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m[i]), 0);
		h = rte_pktmbuf_mtod_offset(m[i], struct emit_hdr *, 42);
		t[i] = rte_be_to_cpu_64(h->time_ns);
		assert_int_equal(emit_commit_tick(m[i]),
			5000 + (uint64_t)i * 1234567);
		rte_pktmbuf_free(m[i]);
	}
	assert_int_equal(t[1] - t[0], 1234567);
	assert_int_equal(t[2] - t[1], 1234567);
	/* Anchored at UNIX time: after 2020-01-01. */
	assert_true(t[0] > 1577836800ull * 1000000000ull);
}

static void
test_typed_event(void **state)
{
	struct trade *t = NULL;
	struct trade in = { .id = 42, .price = 100, .qty = 3 };
	struct rte_mbuf *m = NULL;
	const struct trade *out;
	struct emit_hdr *h;

	(void)state;
	fx.conf.burst = 1;
	fixture_up(&fx);
	assert_int_equal(emit_claim_trade(fx.s, &t), 0);
	t->id = 41;
	t->price = 99;
	t->qty = 2;
	assert_int_equal(emit_commit(fx.s), 0);
	assert_int_equal(emit_send_trade(fx.s, &in), 0);
	assert_int_equal(emit_claim_trade(fx.s, NULL), -EINVAL);

	assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
	h = rte_pktmbuf_mtod_offset(m, struct emit_hdr *, 42);
	assert_int_equal(rte_be_to_cpu_16(h->type), 7);
	out = rte_pktmbuf_mtod_offset(m, const struct trade *, 66);
	assert_int_equal(out->id, 41);
	assert_int_equal(m->pkt_len, 66 + sizeof(struct trade));
	rte_pktmbuf_free(m);
	assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
	out = rte_pktmbuf_mtod_offset(m, const struct trade *, 66);
	assert_int_equal(out->id, 42);
	assert_int_equal(out->qty, 3);
	rte_pktmbuf_free(m);
}

static void
test_misuse(void **state)
{
	struct emit_sender_stats st;
	void *data[4];
	void *d;

	(void)state;
	fixture_up(&fx);
	assert_int_equal(emit_commit(fx.s), -EINVAL);
	assert_int_equal(emit_abort(fx.s), -EINVAL);
	assert_int_equal(emit_commit_burst(fx.s, 1), -EINVAL);
	assert_int_equal(emit_claim(fx.s, 1, 8, NULL), -EINVAL);
	assert_int_equal(emit_claim(fx.s, 1, emit_sender_max_len(fx.s) + 1,
		&d), -EMSGSIZE);
	assert_int_equal(emit_claim(fx.s, 1, 8, &d), 0);
	assert_int_equal(emit_claim(fx.s, 1, 8, &d), -EINVAL);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 2), -EINVAL);
	assert_int_equal(emit_commit(fx.s), 0);
	assert_int_equal(emit_commit(fx.s), -EINVAL); /* double commit */
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 0), -EINVAL);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, NULL, 2), -EINVAL);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 3), 3);
	assert_int_equal(emit_claim(fx.s, 1, 8, &d), -EINVAL);
	assert_int_equal(emit_commit_burst(fx.s, 4), -EINVAL);
	assert_int_equal(emit_commit_burst(fx.s, 2), 2);
	assert_int_equal(emit_abort_burst(fx.s), 1);
	assert_int_equal(emit_abort_burst(fx.s), 0);
	assert_int_equal(emit_send(fx.s, 1, NULL, 4), -EINVAL);
	assert_int_equal(emit_flush(NULL), -EINVAL);
	assert_int_equal(emit_poll(NULL), -EINVAL);
	assert_int_equal(emit_sender_stats_get(fx.s, NULL), -EINVAL);
	assert_int_equal(emit_sender_stats_get(NULL, &st), -EINVAL);
	assert_int_equal(emit_sender_close(NULL), -EINVAL);
	emit_sender_free(NULL);

	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.err_inval, 12);
	assert_int_equal(st.err_msgsize, 1);
	assert_int_equal(st.events_claimed, 4);
	assert_int_equal(st.events_committed, 3);
	assert_int_equal(st.events_aborted, 1);
	check_conservation(fx.s, 3);
}

static void
test_batching(void **state)
{
	struct emit_sender_stats st;
	int i;

	(void)state;
	fx.conf.burst = 4;
	fx.conf.linger_us = 10; /* 10000 ticks of the test clock */
	fixture_up(&fx);

	/* Full batch. */
	for (i = 0; i < 4; i++)
		assert_int_equal(emit_send(fx.s, 1, "abcd", 4), 0);
	assert_int_equal(rte_ring_count(fx.ring), 4);

	/* Explicit flush. */
	assert_int_equal(emit_send(fx.s, 1, "abcd", 4), 0);
	assert_int_equal(rte_ring_count(fx.ring), 4);
	assert_int_equal(emit_flush(fx.s), 1);
	assert_int_equal(rte_ring_count(fx.ring), 5);
	assert_int_equal(emit_flush(fx.s), 0);

	/* Linger: not yet at 9999 ticks, flushed by poll at 10000. */
	assert_int_equal(emit_send(fx.s, 1, "abcd", 4), 0);
	fx.clock.now += 9999;
	assert_int_equal(emit_poll(fx.s), 0);
	assert_int_equal(rte_ring_count(fx.ring), 5);
	fx.clock.now += 1;
	assert_int_equal(emit_poll(fx.s), 1);
	assert_int_equal(rte_ring_count(fx.ring), 6);

	/* Linger flush driven by the next claim. */
	assert_int_equal(emit_send(fx.s, 1, "abcd", 4), 0);
	fx.clock.now += 20000;
	assert_int_equal(emit_send(fx.s, 1, "abcd", 4), 0);
	assert_int_equal(rte_ring_count(fx.ring), 7);

	/* And by a commit that finds the batch too old. */
	fx.clock.now += 20000;
	assert_int_equal(rte_ring_count(fx.ring), 7);
	{
		void *d;

		assert_int_equal(emit_claim(fx.s, 1, 4, &d), 0);
	}
	/* The claim itself flushed the old event. */
	assert_int_equal(rte_ring_count(fx.ring), 8);
	assert_int_equal(emit_commit(fx.s), 0);

	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.flush_full, 1);
	assert_int_equal(st.flush_explicit, 1);
	assert_int_equal(st.flush_linger, 3);
	assert_int_equal(st.events_enqueued, 8);
	assert_int_equal(st.bytes_enqueued, 8 * (EMIT_FRAME_OVERHEAD + 4));
	assert_int_equal(st.bursts_enqueued, 5);
	check_conservation(fx.s, 1);
}

static void
test_linger_zero_poll(void **state)
{
	(void)state;
	fx.conf.burst = 4;
	fixture_up(&fx);
	assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	fx.clock.now += 1000000000;
	assert_int_equal(rte_ring_count(fx.ring), 0);
	assert_int_equal(emit_poll(fx.s), 2);
	assert_int_equal(rte_ring_count(fx.ring), 2);
	check_conservation(fx.s, 0);
}

static void
test_policy_drop(void **state)
{
	struct emit_sender_stats st;
	int i;

	(void)state;
	fx.conf.burst = 4;
	fx.conf.policy = EMIT_POLICY_DROP;
	fixture_up(&fx); /* ring of 16 holds 15 */
	for (i = 0; i < 20; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(rte_ring_count(fx.ring), 15);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.events_committed, 20);
	assert_int_equal(st.events_enqueued, 15);
	assert_int_equal(st.dropped_ring_full, 5);
	assert_int_equal(st.backpressure_episodes, 2);
	assert_int_equal(st.backpressure_refused, 5);
	assert_int_equal(st.ring_max_used, 15);
	check_conservation(fx.s, 0);

	/* Drained, the sender goes on; seq keeps counting drops. */
	assert_int_equal(emit_test_ring_drain(fx.ring), 15);
	for (i = 0; i < 4; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(rte_ring_count(fx.ring), 4);
	check_conservation(fx.s, 0);
}

static void
test_policy_hold(void **state)
{
	struct emit_sender_stats st;
	void *d;
	int i;

	(void)state;
	fx.conf.burst = 4;
	fx.conf.policy = EMIT_POLICY_HOLD;
	fixture_up(&fx);
	for (i = 0; i < 16; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	/* 15 in the ring, 1 held. */
	assert_int_equal(rte_ring_count(fx.ring), 15);
	assert_int_equal(emit_claim(fx.s, 1, 1, &d), -ENOBUFS);
	assert_int_equal(emit_send(fx.s, 1, "a", 1), -ENOBUFS);
	assert_int_equal(emit_flush(fx.s), -ENOBUFS);
	assert_int_equal(emit_poll(fx.s), -ENOBUFS);
	check_conservation(fx.s, 1);

	/* Drain: the held event goes first, then new ones. */
	assert_int_equal(emit_test_ring_drain(fx.ring), 15);
	assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(rte_ring_count(fx.ring), 1);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(emit_sender_stats_dropped(&st), 0);
	assert_int_equal(st.err_nobufs_held, 4);
	assert_true(st.hold_retries >= 4);
	assert_int_equal(st.events_committed, 17);
	check_conservation(fx.s, 1);
}

static void
test_policy_hold_burst(void **state)
{
	struct rte_mbuf *fill[8];
	void *data[8];
	int n;

	(void)state;
	fx.conf.burst = 4;
	fx.conf.policy = EMIT_POLICY_HOLD;
	fixture_up(&fx); /* ring of 16 holds 15 */
	n = emit_claim_burst(fx.s, 1, 8, data, 8);
	assert_int_equal(n, 8);
	assert_int_equal(emit_commit_burst(fx.s, 8), 8);
	assert_int_equal(rte_ring_count(fx.ring), 8);
	/* The ring has room for 7: 4 go, 3 of the next 4 go, 1 is held. */
	n = emit_claim_burst(fx.s, 1, 8, data, 8);
	assert_int_equal(emit_commit_burst(fx.s, 8), 8);
	assert_int_equal(rte_ring_count(fx.ring), 15);
	check_conservation(fx.s, 1);
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 8), -ENOBUFS);
	assert_int_equal(emit_test_ring_drain(fx.ring), 15);

	/* Claims opened before the ring fills: commit stops at a full held
	 * batch and leaves the rest of the claims open. */
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 8), 8);
	assert_int_equal(rte_ring_count(fx.ring), 1); /* the held one */
	assert_int_equal(rte_pktmbuf_alloc_bulk(pool, fill, 8), 0);
	assert_int_equal(rte_ring_enqueue_bulk(fx.ring, (void **)fill, 8,
		NULL), 8);
	assert_int_equal(rte_ring_free_count(fx.ring), 6);
	/* 4 go, then 2 of the next 4; 2 are held in a batch with room. */
	n = emit_commit_burst(fx.s, 8);
	assert_int_equal(n, 8);
	assert_int_equal(rte_ring_count(fx.ring), 15);
	check_conservation(fx.s, 2);
	assert_int_equal(emit_test_ring_drain(fx.ring), 15);
	assert_int_equal(emit_flush(fx.s), 2);
	assert_int_equal(emit_test_ring_drain(fx.ring), 2);

	/* A full held batch: ring full, 8 claims open. */
	assert_int_equal(emit_claim_burst(fx.s, 1, 8, data, 8), 8);
	assert_int_equal(rte_pktmbuf_alloc_bulk(pool, fill, 8), 0);
	assert_int_equal(rte_ring_enqueue_bulk(fx.ring, (void **)fill, 8,
		NULL), 8);
	assert_int_equal(rte_pktmbuf_alloc_bulk(pool, fill, 7), 0);
	assert_int_equal(rte_ring_enqueue_bulk(fx.ring, (void **)fill, 7,
		NULL), 7);
	assert_int_equal(emit_commit_burst(fx.s, 8), 4);
	check_conservation(fx.s, 4);
	assert_int_equal(emit_commit_burst(fx.s, 4), -ENOBUFS);
	assert_int_equal(emit_test_ring_drain(fx.ring), 15);
	assert_int_equal(emit_commit_burst(fx.s, 4), 4);
	assert_int_equal(rte_ring_count(fx.ring), 8);
	check_conservation(fx.s, 0);
}

static void
test_policy_spin(void **state)
{
	struct emit_sender_stats st;
	int i;

	(void)state;
	fx.conf.burst = 4;
	fx.conf.policy = EMIT_POLICY_SPIN;
	fx.conf.spin_us = 5;  /* 5000 ticks */
	fx.clock.step = 1000; /* every clock read advances 1 us */
	fixture_up(&fx);
	for (i = 0; i < 20; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.events_enqueued, 15);
	assert_int_equal(st.dropped_spin_timeout, 5);
	assert_true(st.spin_retries >= 2);
	check_conservation(fx.s, 0);
}

static void
test_close_and_free(void **state)
{
	struct emit_sender_stats st;
	void *d;
	int i;

	(void)state;
	fx.conf.burst = 8;
	fixture_up(&fx);
	for (i = 0; i < 5; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(emit_claim(fx.s, 1, 1, &d), 0);
	/* Close aborts the open claim and pushes the batch. */
	assert_int_equal(emit_sender_close(fx.s), 5);
	assert_int_equal(emit_claim(fx.s, 1, 1, &d), -EPIPE);
	assert_int_equal(emit_flush(fx.s), -EPIPE);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.events_aborted, 1);
	assert_int_equal(st.flush_close, 1);
	assert_int_equal(st.err_pipe, 2);
	check_conservation(fx.s, 0);
	assert_int_equal(rte_ring_count(fx.ring), 5);
}

static void
test_close_refused(void **state)
{
	struct emit_sender_stats st;
	int i;

	(void)state;
	fx.conf.burst = 8;
	fx.conf.policy = EMIT_POLICY_HOLD;
	fixture_up(&fx);
	for (i = 0; i < 20; i++)
		emit_send(fx.s, 1, "a", 1);
	/* 15 in the ring; the rest held, then dropped at close. */
	assert_int_equal(emit_sender_close(fx.s), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.events_enqueued, 15);
	assert_int_equal(st.dropped_closed, st.events_committed - 15);
	check_conservation(fx.s, 0);
}

static void
test_mempool_empty(void **state)
{
	struct rte_mempool *small;
	struct emit_sender_stats st;
	void *data[8];
	void *d;
	int i;

	(void)state;
	small = emit_test_pool("small", 7);
	assert_non_null(small);
	fx.conf.mp = small;
	fx.conf.burst = 8;
	fixture_conf(&fx, 16);
	fx.conf.mp = small;
	fx.conf.burst = 8;
	fixture_up(&fx);
	for (i = 0; i < 7; i++)
		assert_int_equal(emit_send(fx.s, 1, "a", 1), 0);
	assert_int_equal(emit_claim(fx.s, 1, 1, &d), -ENOMEM);
	assert_int_equal(emit_claim_burst(fx.s, 1, 1, data, 2), -ENOMEM);
	assert_int_equal(emit_flush(fx.s), 7);
	assert_int_equal(emit_test_ring_drain(fx.ring), 7);
	/* Recovers when mbufs return. */
	assert_int_equal(emit_claim(fx.s, 1, 1, &d), 0);
	assert_int_equal(emit_abort(fx.s), 0);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.err_nomem, 2);
	emit_sender_free(fx.s);
	fx.s = NULL;
	rte_ring_free(fx.ring);
	fx.ring = NULL;
	assert_int_equal(rte_mempool_avail_count(small), 7);
	rte_mempool_free(small);
}

static void
test_small_mbufs(void **state)
{
	struct rte_mempool *tiny;
	struct rte_mbuf *m = NULL;
	void *d;

	(void)state;
	/* Too small for a frame and the commit tick: refused. */
	tiny = rte_pktmbuf_pool_create("tiny81", 63, 0, 0,
			EMIT_FRAME_OVERHEAD + 15, SOCKET_ID_ANY);
	assert_non_null(tiny);
	fx.conf.mp = tiny;
	assert_null(emit_sender_create(&fx.conf));
	assert_int_equal(rte_errno, EINVAL);
	rte_mempool_free(tiny);

	/* Just big enough: an aligned payload of 2 bytes, the tick inside
	 * the buffer, no payload byte past its end. */
	tiny = rte_pktmbuf_pool_create("tiny82", 63, 0, 0,
			EMIT_FRAME_OVERHEAD + 16, SOCKET_ID_ANY);
	assert_non_null(tiny);
	fx.conf.mp = tiny;
	fx.conf.burst = 1;
	fixture_up(&fx);
	assert_int_equal(emit_sender_max_len(fx.s), 2);
	assert_int_equal(emit_claim(fx.s, 1, 3, &d), -EMSGSIZE);
	assert_int_equal(emit_claim(fx.s, 1, 2, &d), 0);
	assert_int_equal((uintptr_t)d % 8, 0);
	assert_true((uint8_t *)d + 2 <= (uint8_t *)fx.s->claim->buf_addr +
		fx.s->claim->buf_len);
	assert_int_equal(emit_commit(fx.s), 0);
	assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
	assert_true(m->data_off >= 8);
	assert_int_equal(emit_commit_tick(m), fx.clock.now);
	rte_pktmbuf_free(m);
	emit_sender_free(fx.s);
	fx.s = NULL;
	assert_int_equal(rte_mempool_avail_count(tiny), 63);
	rte_mempool_free(tiny);
	rte_ring_free(fx.ring);
	fx.ring = NULL;
}

/* Raw frames: written by the caller, never stamped, counted as events;
 * the sender's seq does not move; abort clears the claim. */
static void
test_raw_frame(void **state)
{
	struct emit_sender_stats st;
	struct rte_mbuf *m = NULL;
	struct emit_hdr *h;
	void *f = NULL, *d = NULL;
	uint16_t lens[2] = { 60, 100 }, flen;
	uint8_t *p;
	unsigned int i, k;

	(void)state;
	fx.conf.burst = 2;
	fx.conf.flow.nb_flows = 3;
	fixture_up(&fx);
	flen = (uint16_t)emit_sender_max_frame(fx.s);
	assert_int_equal(flen, emit_sender_max_len(fx.s) + EMIT_FRAME_OVERHEAD);
	assert_int_equal(emit_sender_max_frame(NULL), 0);
	assert_int_equal(emit_claim_raw(fx.s, 13, &f), -EINVAL);
	assert_int_equal(emit_claim_raw(fx.s, 60, NULL), -EINVAL);
	assert_int_equal(emit_claim_raw(fx.s, (uint16_t)(flen + 1), &f),
		-EMSGSIZE);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.err_inval, 2);
	assert_int_equal(st.err_msgsize, 1);
	assert_int_equal(st.events_claimed, 0);
	for (i = 0; i < 2; i++) {
		fx.clock.now = 2000 + i;
		assert_int_equal(emit_claim_raw(fx.s, lens[i], &f), 0);
		/* One claim at a time, of any kind. */
		assert_int_equal(emit_claim(fx.s, 1, 8, &d), -EINVAL);
		assert_int_equal(emit_claim_raw(fx.s, 60, &d), -EINVAL);
		assert_int_equal(emit_claim_burst(fx.s, 1, 8, &d, 1), -EINVAL);
		for (k = 0; k < lens[i]; k++)
			((uint8_t *)f)[k] = (uint8_t)(0x40 * i + k);
		assert_int_equal(emit_commit(fx.s), 0);
	}
	/* An aborted raw claim, then a built event: stamped, seq 0. */
	assert_int_equal(emit_claim_raw(fx.s, 60, &f), 0);
	memset(f, 0xee, 60);
	assert_int_equal(emit_abort(fx.s), 0);
	assert_int_equal(emit_claim(fx.s, 9, 8, &d), 0);
	memset(d, 0x11, 8);
	assert_int_equal(emit_commit(fx.s), 0);
	assert_int_equal(emit_flush(fx.s), 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
		assert_int_equal(m->pkt_len, lens[i]);
		assert_int_equal(m->data_len, lens[i]);
		assert_int_equal(m->nb_segs, 1);
		p = rte_pktmbuf_mtod(m, uint8_t *);
		for (k = 0; k < lens[i]; k++)
			assert_int_equal(p[k], (uint8_t)(0x40 * i + k));
		assert_int_equal(emit_commit_tick(m), 2000 + i);
		rte_pktmbuf_free(m);
	}
	assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
	assert_int_equal(m->pkt_len, EMIT_FRAME_OVERHEAD + 8);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	h = (struct emit_hdr *)(p + EMIT_L2L4_LEN);
	assert_int_equal(rte_be_to_cpu_16(h->magic), EMIT_MAGIC);
	assert_int_equal(rte_be_to_cpu_16(h->type), 9);
	assert_int_equal(rte_be_to_cpu_64(h->seq), 0);
	/* The first flow: the raw frames took no flow either. */
	assert_int_equal(rte_be_to_cpu_16(((struct rte_udp_hdr *)(p +
		EMIT_UDP_OFF))->src_port), 9000);
	rte_pktmbuf_free(m);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(st.events_claimed, 4);
	assert_int_equal(st.events_committed, 3);
	assert_int_equal(st.events_aborted, 1);
	assert_int_equal(st.events_enqueued, 3);
	assert_int_equal(st.bytes_enqueued, 60 + 100 + EMIT_FRAME_OVERHEAD +
		8);
	check_conservation(fx.s, 0);
}

static void
test_getters(void **state)
{
	(void)state;
	fixture_up(&fx);
	assert_int_equal(emit_sender_id(fx.s), 3);
	assert_true(emit_sender_max_len(fx.s) >= 1900);
	assert_int_equal(emit_sender_paused(fx.s), 0);
	assert_int_equal(emit_sender_congested(fx.s), 0);
	assert_int_equal(emit_sender_paused(NULL), -EINVAL);
	assert_int_equal(emit_sender_pause(NULL), -EINVAL);
	assert_int_equal(emit_sender_resume(NULL), -EINVAL);
	assert_int_equal(emit_sender_rate_set(NULL, 5), -EINVAL);
	assert_int_equal(emit_sender_rate_set(fx.s, EMIT_RATE_MAX + 1),
		-EINVAL);
	assert_int_equal(emit_sender_congested(NULL), -EINVAL);
	assert_non_null(emit_version());
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conf_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wire_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_stamps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linger_zero_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_hold_burst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_spin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_and_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mempool_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_mbufs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getters, setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("sender", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("pool", 1023);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("sender", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
