/* SPDX-License-Identifier: BSD-3-Clause */
/* Descriptor rings (emit_sender_conf.desc_ring, emit_tx_conf.desc_rings):
 * the frames and mbuf headers that reach the port are those of a ring of
 * complete mbufs, event for event, lengths varying; a partial enqueue
 * keeps each held event's length; a drop hook sees complete mbufs; bad
 * configurations are refused. Every run ends conserved, pool full. */
/* rte_pktmbuf_pool_create_extbuf, for the refused pool kind. */
#define ALLOW_EXPERIMENTAL_API

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define EVENTS 300u
#define PORT_SLOTS 1024u
#define TIME_OFF (EMIT_L2L4_LEN + offsetof(struct emit_hdr, time_ns))

static struct rte_mempool *pool;
static unsigned int pool_full;

static struct emit_test_clock clk = { .now = 1000000, .step = 7 };

/* Payload length of event @p i: every length from 0 to 70, in turn. */
static uint16_t
len_of(unsigned int i)
{
	return (uint16_t)(i % 71u);
}

/* Payload length of each event produce() made. */
static uint16_t exp_len[EVENTS];

/* Frame bytes of the EVENTS events produce() made. */
static uint64_t
frame_bytes(void)
{
	uint64_t b = 0;
	unsigned int i;

	for (i = 0; i < EVENTS; i++)
		b += EMIT_FRAME_OVERHEAD + exp_len[i];
	return b;
}

static struct rte_ring *
desc_ring(const char *name, unsigned int count)
{
	struct rte_ring *r = rte_ring_create_elem(name,
		sizeof(struct emit_desc), count, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);

	assert_non_null(r);
	return r;
}

static struct emit_sender *
mk_sender(struct rte_ring *r, int desc, uint16_t burst,
		enum emit_policy policy, struct emit_sender_hooks *hooks)
{
	struct emit_sender_conf c;
	struct emit_sender *s;

	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = r;
	c.id = 5;
	c.burst = burst;
	c.policy = policy;
	c.desc_ring = desc;
	c.clock = emit_test_clock_read;
	c.clock_arg = &clk;
	c.clock_hz = 1000000000;
	if (hooks != NULL)
		c.hooks = *hooks;
	s = emit_sender_create(&c);
	assert_non_null(s);
	return s;
}

static struct emit_tx *
mk_tx(uint16_t port, struct rte_ring *r, int desc)
{
	struct emit_tx_conf c;
	struct emit_tx *tx;

	emit_tx_conf_init(&c);
	c.port_id = port;
	c.queue_id = 0;
	c.rings[0] = r;
	c.nb_rings = 1;
	c.desc_rings = desc;
	c.latency = EMIT_TX_LATENCY_PACKET;
	c.clock = emit_test_clock_read;
	c.clock_arg = &clk;
	c.clock_hz = 1000000000;
	tx = emit_tx_create(&c);
	assert_non_null(tx);
	return tx;
}

/* Event i: single claims for even tens, a burst claim of the rest. */
static void
produce(struct emit_sender *s)
{
	unsigned int i = 0;

	while (i < EVENTS) {
		uint16_t len = len_of(i);

		if ((i / 10) % 2 == 0) {
			void *p = NULL;

			assert_int_equal(emit_claim(s, 3, len, &p), 0);
			memset(p, (int)(i & 0xff), len);
			assert_int_equal(emit_commit(s), 0);
			exp_len[i++] = len;
		} else {
			unsigned int want = RTE_MIN(4u, EVENTS - i);
			void *d[4];
			int k = emit_claim_burst(s, 4, len, d, want), j;

			assert_int_equal(k, want);
			for (j = 0; j < k; j++) {
				memset(d[j], (int)((i + j) & 0xff), len);
				exp_len[i + (unsigned int)j] = len;
			}
			assert_int_equal(emit_commit_burst(s, want), want);
			i += want;
		}
	}
	assert_true(emit_flush(s) >= 0);
}

/* Run one sender/TX pair over a ring port; return what reached the port,
 * in order, in @p out (EVENTS + 3 slots). */
static unsigned int
run_kind(int desc, struct rte_mbuf **out)
{
	char rname[32], pname[32];
	struct emit_tx_stats ts;
	struct emit_sender_stats ss;
	struct rte_ring *r, *pring;
	struct emit_sender *s;
	struct emit_tx *tx;
	unsigned int n;
	int port;

	clk.now = 1000000;
	snprintf(rname, sizeof(rname), "dr%d", desc);
	snprintf(pname, sizeof(pname), "desc%d", desc);
	r = desc ? desc_ring(rname, 1024) : emit_test_ring(rname, 1024);
	assert_non_null(r);
	port = emit_test_ring_port(pname, PORT_SLOTS, pool, &pring);
	assert_true(port >= 0);
	s = mk_sender(r, desc, 8, EMIT_POLICY_HOLD, NULL);
	tx = mk_tx((uint16_t)port, r, desc);
	produce(s);
	while (emit_tx_poll(tx) > 0)
		;
	assert_int_equal(emit_sender_stats_get(s, &ss), 0);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(ss.events_committed, ss.events_enqueued);
	assert_int_equal(ts.tx_sent, ss.events_enqueued);
	assert_int_equal(ss.bytes_enqueued, frame_bytes());
	assert_int_equal(ts.tx_bytes, frame_bytes());
	emit_tx_free(tx);
	emit_sender_free(s);
	rte_ring_free(r);
	n = rte_ring_dequeue_burst(pring, (void **)out, EVENTS + 3, NULL);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, pname,
		pring), 0);
	return n;
}

static void
test_same_frames(void **state)
{
	static struct rte_mbuf *a[EVENTS + 3], *b[EVENTS + 3];
	unsigned int na, nb, i;

	(void)state;
	na = run_kind(0, a);
	nb = run_kind(1, b);
	assert_int_equal(na, EVENTS);
	assert_int_equal(nb, EVENTS);
	for (i = 0; i < EVENTS; i++) {
		assert_int_equal(b[i]->pkt_len,
			EMIT_FRAME_OVERHEAD + exp_len[i]);
		assert_int_equal(b[i]->data_len, b[i]->pkt_len);
		assert_int_equal(b[i]->nb_segs, 1);
		assert_int_equal(b[i]->data_off, a[i]->data_off);
		assert_int_equal(b[i]->ol_flags, a[i]->ol_flags);
		assert_int_equal(b[i]->pkt_len, a[i]->pkt_len);
		/* time_ns is anchored on the wall clock at each sender's
		 * create: the rest of the frame is equal byte for byte. */
		assert_memory_equal(rte_pktmbuf_mtod(b[i], void *),
			rte_pktmbuf_mtod(a[i], void *), TIME_OFF);
		assert_memory_equal(rte_pktmbuf_mtod_offset(b[i], void *,
				TIME_OFF + 8),
			rte_pktmbuf_mtod_offset(a[i], void *, TIME_OFF + 8),
			a[i]->pkt_len - TIME_OFF - 8);
		assert_int_equal(emit_commit_tick(b[i]),
			emit_commit_tick(a[i]));
	}
	rte_pktmbuf_free_bulk(a, na);
	rte_pktmbuf_free_bulk(b, nb);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

/* A 16-slot ring refuses part of each batch; HOLD keeps the rest and
 * their lengths, which the TX stage then writes into the headers. */
static void
test_partial_hold(void **state)
{
	static struct rte_mbuf *out[EVENTS + 3];
	struct emit_sender_stats ss;
	struct rte_ring *r, *pring;
	struct emit_sender *s;
	struct emit_tx *tx;
	unsigned int i = 0, n;
	int port;

	(void)state;
	r = desc_ring("dhold", 16);
	port = emit_test_ring_port("dhold", PORT_SLOTS, pool, &pring);
	assert_true(port >= 0);
	s = mk_sender(r, 1, 12, EMIT_POLICY_HOLD, NULL);
	tx = mk_tx((uint16_t)port, r, 1);
	while (i < EVENTS) {
		void *p = NULL;
		int rc = emit_claim(s, 3, len_of(i), &p);

		if (rc == -ENOBUFS) {
			/* Held: drain part of the ring, the sender retries. */
			assert_true(emit_tx_poll(tx) > 0);
			continue;
		}
		assert_int_equal(rc, 0);
		memset(p, 0x5a, len_of(i));
		rc = emit_commit(s);
		if (rc == -ENOBUFS) {
			assert_true(emit_tx_poll(tx) > 0);
			assert_int_equal(emit_abort(s), 0);
			continue;
		}
		assert_int_equal(rc, 0);
		i++;
	}
	while (emit_flush(s) == -ENOBUFS)
		emit_tx_poll(tx);
	while (emit_tx_poll(tx) > 0)
		;
	assert_int_equal(emit_sender_stats_get(s, &ss), 0);
	assert_true(ss.backpressure_episodes > 0);
	assert_int_equal(ss.events_committed, EVENTS);
	assert_int_equal(ss.events_enqueued, EVENTS);
	n = rte_ring_dequeue_burst(pring, (void **)out, EVENTS + 3, NULL);
	assert_int_equal(n, EVENTS);
	for (i = 0; i < n; i++) {
		const struct emit_hdr *h = rte_pktmbuf_mtod_offset(out[i],
			const struct emit_hdr *, EMIT_L2L4_LEN);
		uint64_t seq = rte_be_to_cpu_64(h->seq);

		assert_int_equal(seq, i);
		assert_int_equal(out[i]->pkt_len,
			EMIT_FRAME_OVERHEAD + len_of((unsigned int)seq));
	}
	rte_pktmbuf_free_bulk(out, n);
	emit_tx_free(tx);
	emit_sender_free(s);
	rte_ring_free(r);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "dhold",
		pring), 0);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

struct drops {
	unsigned int calls;
	uint64_t n;
	uint64_t bad;
	uint16_t data_off;
};

static void
drop_hook(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct drops *d = arg;
	unsigned int i;

	(void)s;
	if (reason != EMIT_DROP_RING_FULL)
		d->bad++;
	d->calls++;
	for (i = 0; i < n; i++) {
		const uint8_t *f = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		uint16_t ip_len = (uint16_t)((f[16] << 8) | f[17]);

		d->n++;
		/* A complete mbuf: its length agrees with the frame's. */
		if (pkts[i]->pkt_len != (uint32_t)ip_len + 14 ||
		    pkts[i]->data_len != pkts[i]->pkt_len ||
		    pkts[i]->nb_segs != 1 || pkts[i]->data_off != d->data_off)
			d->bad++;
	}
}

static void
test_drop_hook_complete(void **state)
{
	struct emit_sender_hooks hooks = { .drop = drop_hook };
	struct drops d = { 0 };
	struct emit_sender_stats ss;
	struct emit_sender *s, *ref;
	struct rte_ring *r;
	unsigned int i;

	(void)state;
	r = desc_ring("ddrop", 16);
	/* The frame offset a complete mbuf carries: a pointer-ring sender's
	 * data_off, read back from one of its events. */
	{
		struct rte_ring *pr = emit_test_ring("ddrop_ref", 16);
		struct rte_mbuf *m = NULL;

		assert_non_null(pr);
		ref = mk_sender(pr, 0, 1, EMIT_POLICY_DROP, NULL);
		assert_int_equal(emit_send(ref, 1, NULL, 0), 0);
		assert_int_equal(rte_ring_dequeue(pr, (void **)&m), 0);
		d.data_off = m->data_off;
		rte_pktmbuf_free(m);
		emit_sender_free(ref);
		rte_ring_free(pr);
	}
	hooks.arg = &d;
	s = mk_sender(r, 1, 4, EMIT_POLICY_DROP, &hooks);
	for (i = 0; i < 100; i++) {
		void *p = NULL;

		assert_int_equal(emit_claim(s, 2, len_of(i), &p), 0);
		assert_int_equal(emit_commit(s), 0);
	}
	assert_true(emit_flush(s) >= 0);
	assert_int_equal(emit_sender_stats_get(s, &ss), 0);
	assert_int_equal(ss.events_enqueued, rte_ring_get_capacity(r));
	assert_int_equal(ss.dropped_ring_full, 100 - ss.events_enqueued);
	assert_int_equal(d.n, ss.dropped_ring_full);
	assert_true(d.calls > 0);
	assert_int_equal(d.bad, 0);
	emit_sender_free(s);
	assert_int_equal(emit_test_ring_drain_elem(r), ss.events_enqueued);
	rte_ring_free(r);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

static void
test_bad_conf(void **state)
{
	struct emit_sender_conf c;
	struct emit_tx_conf tc;
	struct rte_pktmbuf_extmem ext;
	struct rte_mempool *xp;
	struct rte_ring *r;

	(void)state;
	r = desc_ring("dbad", 16);
	emit_sender_conf_init(&c);
	assert_int_equal(c.desc_ring, 0);
	c.mp = pool;
	c.ring = r;
	c.desc_ring = 2;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);

	/* A pool of pinned external buffers: the buffer does not follow the
	 * mbuf, which a descriptor ring needs. */
	memset(&ext, 0, sizeof(ext));
	ext.elt_size = 2048;
	ext.buf_len = 64 * ext.elt_size;
	ext.buf_ptr = rte_malloc("dbad_ext", ext.buf_len, 4096);
	assert_non_null(ext.buf_ptr);
	ext.buf_iova = rte_malloc_virt2iova(ext.buf_ptr);
	xp = rte_pktmbuf_pool_create_extbuf("dbad_xp", 63, 0, 0,
		(uint16_t)ext.elt_size, SOCKET_ID_ANY, &ext, 1);
	assert_non_null(xp);
	c.mp = xp;
	c.desc_ring = 1;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	rte_mempool_free(xp);
	rte_free(ext.buf_ptr);

	emit_tx_conf_init(&tc);
	assert_int_equal(tc.desc_rings, 0);
	tc.port_id = 0;
	tc.rings[0] = r;
	tc.nb_rings = 1;
	tc.desc_rings = 2;
	assert_null(emit_tx_create(&tc));
	assert_int_equal(rte_errno, EINVAL);
	rte_ring_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_frames),
		cmocka_unit_test(test_partial_hold),
		cmocka_unit_test(test_drop_hook_complete),
		cmocka_unit_test(test_bad_conf),
	};
	static const char *const vdevs[] = { "net_null0", NULL };
	int rc;

	if (emit_test_eal_init("desc", "0", vdevs) != 0)
		return 1;
	pool = emit_test_pool("desc_pool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("desc", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
