/* SPDX-License-Identifier: BSD-3-Clause */
/* The direct path (emit_sender_tx_direct): a sender hands its batches to
 * the TX stage of its lcore without the ring. The port gets every event
 * in order with the header a TX round would write, from descriptor rings
 * and from rings of mbufs; what the port refuses goes through the ring
 * and still leaves in order, after what was there; the counters keep
 * both conservation sums; bad attachments are refused. Every run ends
 * conserved, pool full. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define EVENTS 300u

static struct rte_mempool *pool;
static unsigned int pool_full;

static struct emit_test_clock clk = { .now = 1000000, .step = 7 };

static uint16_t
len_of(unsigned int i)
{
	return (uint16_t)(i % 53u);
}

static struct rte_ring *
mk_ring(const char *name, int desc, unsigned int count)
{
	struct rte_ring *r = desc ? rte_ring_create_elem(name,
			sizeof(struct emit_desc), count, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ) :
		emit_test_ring(name, count);

	assert_non_null(r);
	return r;
}

static struct emit_sender *
mk_sender(struct rte_ring *r, int desc, uint16_t id)
{
	struct emit_sender_conf c;
	struct emit_sender *s;

	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = r;
	c.id = id;
	c.burst = 8;
	c.policy = EMIT_POLICY_HOLD;
	c.desc_ring = desc;
	c.clock = emit_test_clock_read;
	c.clock_arg = &clk;
	c.clock_hz = 1000000000;
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

/* Commit events [from, to) in bursts of up to 5, payload bytes = seq. */
static void
produce(struct emit_sender *s, unsigned int from, unsigned int to)
{
	unsigned int i = from;

	while (i < to) {
		unsigned int want = RTE_MIN(5u, to - i), j;
		void *d[5];
		int k = emit_claim_burst(s, 4, len_of(i), d, want);

		assert_int_equal(k, (int)want);
		for (j = 0; j < want; j++)
			memset(d[j], (int)((i + j) & 0xff), len_of(i));
		assert_int_equal(emit_commit_burst(s, want), (int)want);
		i += want;
	}
}

/* The frames the port got, in order: seq from 0, the header as a TX
 * round writes it, the payload as written (bursts of 5 from seq 0). */
static void
check_out(struct rte_mbuf **out, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct emit_hdr *h = rte_pktmbuf_mtod_offset(out[i],
			const struct emit_hdr *, EMIT_L2L4_LEN);
		unsigned int seq = (unsigned int)rte_be_to_cpu_64(h->seq);
		uint16_t len = len_of(seq - seq % 5u);
		const uint8_t *pl = rte_pktmbuf_mtod_offset(out[i],
			const uint8_t *, EMIT_FRAME_OVERHEAD);

		assert_int_equal(seq, i);
		assert_int_equal(out[i]->pkt_len, EMIT_FRAME_OVERHEAD + len);
		assert_int_equal(out[i]->data_len, out[i]->pkt_len);
		assert_int_equal(out[i]->nb_segs, 1);
		assert_null(out[i]->next);
		assert_int_equal(out[i]->ol_flags, 0);
		assert_int_equal(out[i]->packet_type, 0);
		assert_int_equal(out[i]->vlan_tci, 0);
		assert_int_equal(out[i]->vlan_tci_outer, 0);
		assert_int_equal(out[i]->tx_offload, 0);
		assert_int_equal(rte_mbuf_refcnt_read(out[i]), 1);
		if (len != 0)
			assert_int_equal(pl[len - 1], seq & 0xff);
	}
}

static void
check_conserved(struct emit_sender *s, struct emit_tx *tx, uint64_t sent,
		uint64_t committed)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;

	assert_int_equal(emit_sender_stats_get(s, &ss), 0);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(ss.events_committed, committed);
	assert_int_equal(ss.events_enqueued, committed);
	assert_int_equal(ts.tx_sent, sent);
	assert_int_equal(ts.dequeued, sent);
	assert_int_equal(ss.events_enqueued,
		ts.tx_sent + emit_tx_in_rings(tx));
	assert_true(ts.tx_bytes <= ss.bytes_enqueued);
	if (sent == committed)
		assert_int_equal(ts.tx_bytes, ss.bytes_enqueued);
	assert_int_equal(emit_conservation_check(NULL), 1);
}

/* A port with room for all: nothing ever enters the ring. */
static void
run_all_direct(int desc)
{
	static struct rte_mbuf *out[EVENTS + 1];
	struct rte_ring *r, *pring;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct emit_sender *s;
	struct emit_tx *tx;
	char name[32];
	uint64_t bytes = 0;
	unsigned int n, i;
	int port;

	snprintf(name, sizeof(name), "dall%d", desc);
	r = mk_ring(name, desc, 64);
	port = emit_test_ring_port(name, 1024, pool, &pring);
	assert_true(port >= 0);
	s = mk_sender(r, desc, 1);
	tx = mk_tx((uint16_t)port, r, desc);
	assert_int_equal(emit_sender_tx_direct(s, tx), 0);
	produce(s, 0, EVENTS);
	assert_true(emit_flush(s) >= 0);
	/* No TX round has run: the port has every event already. */
	assert_int_equal(rte_ring_count(r), 0);
	assert_int_equal(rte_ring_count(pring), EVENTS);
	assert_int_equal(emit_sender_stats_get(s, &ss), 0);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(ss.events_enqueued, EVENTS);
	assert_int_equal(ts.tx_sent, EVENTS);
	assert_int_equal(ts.dequeued, EVENTS);
	assert_int_equal(ts.tx_bytes, ss.bytes_enqueued);
	n = rte_ring_dequeue_burst(pring, (void **)out, EVENTS + 1, NULL);
	assert_int_equal(n, EVENTS);
	check_out(out, n);
	for (i = 0; i < n; i++)
		bytes += out[i]->pkt_len;
	assert_int_equal(bytes, ts.tx_bytes);
	rte_pktmbuf_free_bulk(out, n);
	emit_tx_free(tx);
	emit_sender_free(s);
	rte_ring_free(r);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, name,
		pring), 0);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

static void
test_all_direct(void **state)
{
	(void)state;
	run_all_direct(1);
	run_all_direct(0);
}

/* A 64-slot port takes 63 of 200 events: the rest of that batch goes to
 * the ring, and so does every later batch while the ring is not empty;
 * TX rounds then send them in order, and the direct path resumes once
 * the ring is empty. */
static void
run_refused(int desc)
{
	static struct rte_mbuf *out[EVENTS + 1];
	struct rte_ring *r, *pring;
	struct emit_sender *s;
	struct emit_tx *tx;
	struct emit_tx_stats ts;
	char name[32];
	unsigned int n = 0, k;
	int port;

	snprintf(name, sizeof(name), "dref%d", desc);
	r = mk_ring(name, desc, 512);
	port = emit_test_ring_port(name, 64, pool, &pring);
	assert_true(port >= 0);
	s = mk_sender(r, desc, 1);
	tx = mk_tx((uint16_t)port, r, desc);
	assert_int_equal(emit_sender_tx_direct(s, tx), 0);
	produce(s, 0, 200);
	assert_true(emit_flush(s) >= 0);
	assert_int_equal(rte_ring_count(pring), 63);
	assert_int_equal(rte_ring_count(r), 200 - 63);
	check_conserved(s, tx, 63, 200);
	/* The port drains; TX rounds empty the ring, in order. */
	while (rte_ring_count(r) != 0) {
		n += rte_ring_dequeue_burst(pring, (void **)out + n,
			EVENTS + 1 - n, NULL);
		(void)emit_tx_poll(tx);
	}
	n += rte_ring_dequeue_burst(pring, (void **)out + n, EVENTS + 1 - n,
		NULL);
	assert_int_equal(n, 200);
	/* Ring empty again: the next batches, which the port has room
	 * for, go direct. */
	produce(s, 200, 250);
	assert_true(emit_flush(s) >= 0);
	assert_int_equal(rte_ring_count(r), 0);
	k = rte_ring_dequeue_burst(pring, (void **)out + n, EVENTS + 1 - n,
		NULL);
	assert_int_equal(n + k, 250);
	check_out(out, 250);
	check_conserved(s, tx, 250, 250);
	assert_int_equal(emit_tx_stats_get(tx, &ts), 0);
	assert_int_equal(ts.tx_dropped_retry_exhausted, 0);
	rte_pktmbuf_free_bulk(out, 250);
	emit_tx_free(tx);
	emit_sender_free(s);
	rte_ring_free(r);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, name,
		pring), 0);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

static void
test_refused_via_ring(void **state)
{
	(void)state;
	run_refused(1);
	run_refused(0);
}

/* Attachments that cannot work are refused; NULL detaches. */
static void
test_bad_attach(void **state)
{
	struct rte_ring *r, *other, *pring;
	struct emit_sender *s;
	struct emit_tx *tx, *tx_other;
	int port;

	(void)state;
	r = mk_ring("dbad", 1, 64);
	other = mk_ring("dbad2", 1, 64);
	port = emit_test_ring_port("dbad", 64, pool, &pring);
	assert_true(port >= 0);
	s = mk_sender(r, 1, 1);
	tx = mk_tx((uint16_t)port, r, 1);
	tx_other = mk_tx((uint16_t)port, other, 1);
	assert_int_equal(emit_sender_tx_direct(NULL, tx), -EINVAL);
	/* A stage that does not drain the sender's ring. */
	assert_int_equal(emit_sender_tx_direct(s, tx_other), -EINVAL);
	emit_tx_free(tx_other);
	emit_tx_free(tx);
	/* A closed stage. */
	tx = mk_tx((uint16_t)port, r, 1);
	assert_true(emit_tx_close(tx) >= 0);
	assert_int_equal(emit_sender_tx_direct(s, tx), -EPIPE);
	/* Detaching always succeeds. */
	assert_int_equal(emit_sender_tx_direct(s, NULL), 0);
	emit_tx_free(tx);
	emit_sender_free(s);
	rte_ring_free(other);
	rte_ring_free(r);
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "dbad",
		pring), 0);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_direct),
		cmocka_unit_test(test_refused_via_ring),
		cmocka_unit_test(test_bad_attach),
	};
	int rc;

	if (emit_test_eal_init("direct", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("direct_pool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("direct", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
