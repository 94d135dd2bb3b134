/* SPDX-License-Identifier: BSD-3-Clause */
/* TX stage unit tests: configuration, transmission over net_null with exact
 * counters, a port that refuses packets (bounded retry, then drop), close
 * and free. One lcore; senders feed the rings from the same thread. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define NB_SENDERS 3
#define PAYLOAD 8u
#define FRAME (EMIT_FRAME_OVERHEAD + PAYLOAD)

static struct rte_mempool *pool;
static unsigned int pool_full;
static uint16_t null_port; /* net_null0: 2 TX queues, started */
static uint16_t bare_port; /* net_null1: never configured */

/* What a drop hook saw, per reason. */
struct tally {
	unsigned int calls[EMIT_DROP_TX_CLOSED + 1];
	uint64_t n[EMIT_DROP_TX_CLOSED + 1];
	uint64_t first_seq; /* seq of the first packet of the last call */
	const struct emit_tx *tx;
};

struct fixture {
	struct rte_ring *rings[NB_SENDERS];
	struct emit_sender *s[NB_SENDERS];
	struct emit_tx *tx;
	struct emit_tx_conf conf;
	struct tally drops;
	/* A port that refuses packets once its ring is full. */
	int rport;
	struct rte_ring *rport_ring;
	char rport_name[32];
	/* Sender flush hook: close this stage on the first flush. */
	struct emit_tx *close_on_flush;
};

static struct fixture fx;

static uint64_t
seq_of(const struct rte_mbuf *m)
{
	const struct emit_hdr *h = rte_pktmbuf_mtod_offset(m,
			const struct emit_hdr *, EMIT_L2L4_LEN);

	return rte_be_to_cpu_64(h->seq);
}

static void
tx_drop_hook(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct tally *t = arg;

	if (reason > EMIT_DROP_TX_CLOSED || n == 0)
		return;
	t->calls[reason]++;
	t->n[reason] += n;
	t->first_seq = seq_of(pkts[0]);
	t->tx = tx;
}

static void
close_on_flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n, void *arg)
{
	struct fixture *f = arg;

	(void)s;
	(void)cause;
	(void)n;
	if (f->close_on_flush != NULL) {
		emit_tx_close(f->close_on_flush);
		f->close_on_flush = NULL;
	}
}

static struct rte_ring *
mk_ring(unsigned int size)
{
	static unsigned int n;
	char name[32];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "txr%u", n++);
	r = emit_test_ring(name, size);
	assert_non_null(r);
	return r;
}

/* Sender @p i: id 1 + i, feeding fx.rings[i]. */
static struct emit_sender *
mk_sender(unsigned int i, uint16_t burst, enum emit_policy policy)
{
	struct emit_sender_conf c;

	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = fx.rings[i];
	c.id = (uint16_t)(1 + i);
	c.burst = burst;
	c.policy = policy;
	c.hooks.flush = close_on_flush_hook;
	c.hooks.arg = &fx;
	fx.s[i] = emit_sender_create(&c);
	assert_non_null(fx.s[i]);
	return fx.s[i];
}

static void
send_n(struct emit_sender *s, unsigned int n)
{
	uint64_t v;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v = i;
		assert_int_equal(emit_send(s, 5, &v, sizeof(v)), 0);
	}
}

/* A TX stage conf on @p port draining the first @p nb rings. */
static void
mk_conf(uint16_t port, unsigned int nb)
{
	unsigned int i;

	emit_tx_conf_init(&fx.conf);
	fx.conf.port_id = port;
	fx.conf.queue_id = 0;
	for (i = 0; i < nb; i++)
		fx.conf.rings[i] = fx.rings[i];
	fx.conf.nb_rings = nb;
	fx.conf.hooks.drop = tx_drop_hook;
	fx.conf.hooks.arg = &fx.drops;
}

static void
mk_tx(void)
{
	fx.tx = emit_tx_create(&fx.conf);
	assert_non_null(fx.tx);
}

static void
mk_refusing_port(unsigned int count)
{
	static unsigned int n;

	snprintf(fx.rport_name, sizeof(fx.rport_name), "refuse%u", n++);
	fx.rport = emit_test_ring_port(fx.rport_name, count, pool,
			&fx.rport_ring);
	assert_true(fx.rport >= 0);
}

/* Read back what the refusing port accepted, checking seqs from @p seq0. */
static unsigned int
read_port(uint64_t seq0)
{
	struct rte_mbuf *pkts[64];
	unsigned int n, i, total = 0;

	while ((n = rte_eth_rx_burst((uint16_t)fx.rport, 0, pkts, 64)) != 0) {
		for (i = 0; i < n; i++) {
			assert_int_equal(seq_of(pkts[i]), seq0 + total + i);
			assert_int_equal(pkts[i]->pkt_len, FRAME);
		}
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	}
	return total;
}

static uint64_t
port_opackets(uint16_t port)
{
	struct rte_eth_stats st;

	assert_int_equal(rte_eth_stats_get(port, &st), 0);
	return st.opackets;
}

/*
 * The sums of DESIGN.md section 1 at a quiescent point: per sender
 * committed = enqueued + dropped + pending, and over the stage's senders
 * sum(enqueued) = tx_sent + tx_dropped + in rings.
 */
static void
check_conservation(unsigned int nb_senders)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	uint64_t enq = 0;
	unsigned int i;

	for (i = 0; i < nb_senders; i++) {
		assert_int_equal(emit_sender_stats_get(fx.s[i], &ss), 0);
		assert_int_equal(ss.events_committed, ss.events_enqueued +
			emit_sender_stats_dropped(&ss) +
			emit_sender_pending(fx.s[i]));
		enq += ss.events_enqueued;
	}
	assert_int_equal(emit_tx_stats_get(fx.tx, &ts), 0);
	assert_int_equal(enq, ts.tx_sent + emit_tx_stats_dropped(&ts) +
		emit_tx_in_rings(fx.tx));
	assert_int_equal(ts.dequeued, ts.tx_sent + emit_tx_stats_dropped(&ts));
}

static int
setup(void **state)
{
	unsigned int i;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.rport = -1;
	for (i = 0; i < NB_SENDERS; i++)
		fx.rings[i] = mk_ring(256);
	assert_int_equal(rte_eth_stats_reset(null_port), 0);
	return 0;
}

static int
teardown(void **state)
{
	unsigned int i;

	(void)state;
	emit_tx_free(fx.tx);
	for (i = 0; i < NB_SENDERS; i++) {
		emit_sender_free(fx.s[i]);
		emit_test_ring_drain(fx.rings[i]);
		rte_ring_free(fx.rings[i]);
	}
	if (fx.rport >= 0)
		emit_test_ring_port_free((uint16_t)fx.rport, fx.rport_name,
			fx.rport_ring);
	/* Every test must give back every mbuf. */
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
	return 0;
}

static void
test_conf_init(void **state)
{
	struct emit_tx_conf c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	emit_tx_conf_init(&c);
	assert_int_equal(c.burst, 32);
	assert_int_equal(c.retry_max, 64);
	assert_int_equal(c.socket_id, SOCKET_ID_ANY);
	assert_int_equal(c.nb_rings, 0);
	assert_null(c.rings[0]);
	assert_null(c.name);
	assert_null(c.hooks.drop);
	emit_tx_conf_init(NULL);
}

static void
test_create_invalid(void **state)
{
	struct rte_ring *many[EMIT_TX_RINGS_MAX], *mc, *r0;
	struct emit_tx *all[EMIT_TX_MAX];
	struct emit_tx_conf c;
	unsigned int i, nr0;

	(void)state;
	mk_conf(null_port, 2);
	assert_null(emit_tx_create(NULL));
	assert_int_equal(rte_errno, EINVAL);

#define REFUSED(err, stmt) do { \
		c = fx.conf; \
		stmt; \
		rte_errno = 0; \
		assert_null(emit_tx_create(&c)); \
		assert_int_equal(rte_errno, err); \
	} while (0)
	REFUSED(ENODEV, c.port_id = RTE_MAX_ETHPORTS);
	REFUSED(ENODEV, c.port_id = RTE_MAX_ETHPORTS - 1);
	REFUSED(EINVAL, c.queue_id = 2);          /* configured: 0 and 1 */
	REFUSED(EINVAL, c.port_id = bare_port);   /* no queue configured */
	REFUSED(EINVAL, c.nb_rings = 0);
	REFUSED(EINVAL, c.nb_rings = EMIT_TX_RINGS_MAX + 1);
	REFUSED(EINVAL, c.rings[1] = NULL);
	REFUSED(EINVAL, c.rings[0] = NULL; c.nb_rings = 1);
	REFUSED(EINVAL, c.rings[2] = c.rings[0]; c.nb_rings = 3);
	REFUSED(EINVAL, c.rings[1] = c.rings[0]);
	REFUSED(EINVAL, c.burst = 0);
	REFUSED(EINVAL, c.burst = EMIT_BURST_MAX + 1);
#undef REFUSED

	/* The bounds themselves are accepted. */
	for (i = 0; i < EMIT_TX_RINGS_MAX; i++)
		many[i] = NULL;
	c = fx.conf;
	c.queue_id = 1;
	c.burst = EMIT_BURST_MAX;
	c.nb_rings = EMIT_TX_RINGS_MAX;
	for (i = 0; i < EMIT_TX_RINGS_MAX; i++) {
		many[i] = mk_ring(4);
		c.rings[i] = many[i];
	}
	c.name = "bounds";
	fx.tx = emit_tx_create(&c);
	assert_non_null(fx.tx);
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	for (i = 0; i < EMIT_TX_RINGS_MAX; i++)
		rte_ring_free(many[i]);

	/* EMIT_TX_MAX stages at once, then ENOSPC; ids are distinct. They
	 * all drain one ring: a multi-consumer one. */
	mc = rte_ring_create("txr_mc", 64, SOCKET_ID_ANY, RING_F_SP_ENQ);
	assert_non_null(mc);
	r0 = fx.conf.rings[0];
	nr0 = fx.conf.nb_rings;
	fx.conf.rings[0] = mc;
	fx.conf.nb_rings = 1;
	for (i = 0; i < EMIT_TX_MAX; i++) {
		all[i] = emit_tx_create(&fx.conf);
		assert_non_null(all[i]);
		assert_true(emit_tx_id(all[i]) >= 0);
		assert_true(emit_tx_id(all[i]) < EMIT_TX_MAX);
		if (i > 0)
			assert_int_not_equal(emit_tx_id(all[i]),
				emit_tx_id(all[i - 1]));
	}
	rte_errno = 0;
	assert_null(emit_tx_create(&fx.conf));
	assert_int_equal(rte_errno, ENOSPC);
	for (i = 0; i < EMIT_TX_MAX; i++)
		emit_tx_free(all[i]);
	rte_ring_free(mc);
	fx.conf.rings[0] = r0;
	fx.conf.nb_rings = nr0;
	/* Slots are given back. */
	mk_tx();
}

static void
test_null_args(void **state)
{
	struct emit_tx_stats st;
	bool quit = true;

	(void)state;
	mk_conf(null_port, 1);
	mk_tx();
	assert_int_equal(emit_tx_poll(NULL), -EINVAL);
	assert_int_equal(emit_tx_close(NULL), -EINVAL);
	assert_int_equal(emit_tx_run(NULL, &quit), -EINVAL);
	assert_int_equal(emit_tx_run(fx.tx, NULL), -EINVAL);
	assert_int_equal(emit_tx_stats_get(NULL, &st), -EINVAL);
	assert_int_equal(emit_tx_stats_get(fx.tx, NULL), -EINVAL);
	assert_int_equal(emit_tx_id(NULL), -EINVAL);
	assert_int_equal(emit_tx_in_rings(NULL), 0);
	emit_tx_free(NULL);

	/* None of these touched the stage. */
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.polls, 0);
	assert_true(emit_tx_id(fx.tx) >= 0);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
}

static void
test_transmit_null(void **state)
{
	struct emit_tx_stats st;

	(void)state;
	/* 100 events in ring 0 (12 full batches and a flush), 37 in ring 1. */
	mk_sender(0, 8, EMIT_POLICY_DROP);
	mk_sender(1, 37, EMIT_POLICY_DROP);
	send_n(fx.s[0], 100);
	assert_int_equal(emit_flush(fx.s[0]), 4);
	send_n(fx.s[1], 37);
	mk_conf(null_port, 2);
	fx.conf.burst = 32;
	mk_tx();
	assert_int_equal(emit_tx_in_rings(fx.tx), 137);
	check_conservation(2);

	/* Each round takes up to 32 from each ring. */
	assert_int_equal(emit_tx_poll(fx.tx), 64);
	assert_int_equal(emit_tx_in_rings(fx.tx), 73);
	check_conservation(2);
	assert_int_equal(emit_tx_poll(fx.tx), 32 + 5);
	assert_int_equal(emit_tx_poll(fx.tx), 32);
	assert_int_equal(emit_tx_poll(fx.tx), 4);
	assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);

	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.polls, 5);
	assert_int_equal(st.idle_polls, 1);
	assert_int_equal(st.dequeued, 137);
	assert_int_equal(st.tx_sent, 137);
	assert_int_equal(st.tx_bytes, 137 * FRAME);
	assert_int_equal(st.tx_bursts, 6);
	assert_int_equal(st.tx_retries, 0);
	assert_int_equal(st.tx_dropped_retry_exhausted, 0);
	assert_int_equal(st.tx_dropped_closed, 0);
	assert_int_equal(port_opackets(null_port), 137);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_RETRY], 0);
	check_conservation(2);
}

static void
test_second_queue(void **state)
{
	struct rte_eth_stats es;

	(void)state;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	send_n(fx.s[0], 8);
	mk_conf(null_port, 1);
	fx.conf.queue_id = 1;
	mk_tx();
	assert_int_equal(emit_tx_poll(fx.tx), 8);
	assert_int_equal(rte_eth_stats_get(null_port, &es), 0);
	assert_int_equal(es.q_opackets[0], 0);
	assert_int_equal(es.q_opackets[1], 8);
	check_conservation(1);
}

static void
test_run_quit(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats st;
	bool quit = true;
	void *d;

	(void)state;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	mk_sender(1, 8, EMIT_POLICY_DROP);
	send_n(fx.s[0], 50); /* 48 in the ring, 2 pending */
	send_n(fx.s[1], 16);
	mk_conf(null_port, 2);
	mk_tx();
	/* Told to quit before it starts: it closes and drains. */
	assert_int_equal(emit_tx_run(fx.tx, &quit), 0);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.tx_sent, 64);
	assert_int_equal(port_opackets(null_port), 64);
	assert_int_equal(emit_claim(fx.s[0], 1, 1, &d), -EPIPE);
	assert_int_equal(emit_claim(fx.s[1], 1, 1, &d), -EPIPE);
	assert_int_equal(emit_sender_stats_get(fx.s[0], &ss), 0);
	assert_int_equal(ss.dropped_closed, 2);
	check_conservation(2);
}

static void
test_retry_exhausted(void **state)
{
	struct emit_tx_stats st;

	(void)state;
	mk_refusing_port(8); /* takes 7, then refuses */
	mk_sender(0, 8, EMIT_POLICY_DROP);
	send_n(fx.s[0], 40);
	mk_conf((uint16_t)fx.rport, 1);
	fx.conf.burst = 32;
	fx.conf.retry_max = 3;
	/* The TX DROP policy with no time bound: a refused tail is freed at
	 * the end of its round. */
	fx.conf.policy = EMIT_TX_POLICY_DROP;
	fx.conf.drop_us = 0;
	mk_tx();

	/* 32 out: the port takes 7, refuses 3 retries, 25 are dropped. */
	assert_int_equal(emit_tx_poll(fx.tx), 7);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.dequeued, 32);
	assert_int_equal(st.tx_sent, 7);
	assert_int_equal(st.tx_bytes, 7 * FRAME);
	assert_int_equal(st.tx_bursts, 1);
	assert_int_equal(st.tx_retries, 3);
	assert_int_equal(st.tx_dropped_retry_exhausted, 25);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_RETRY], 1);
	assert_int_equal(fx.drops.n[EMIT_DROP_TX_RETRY], 25);
	assert_int_equal(fx.drops.first_seq, 7);
	assert_ptr_equal(fx.drops.tx, fx.tx);
	check_conservation(1);

	/* The other 8: nothing taken, all dropped after 3 more retries. */
	assert_int_equal(emit_tx_poll(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.dequeued, 40);
	assert_int_equal(st.tx_sent, 7);
	assert_int_equal(st.tx_bursts, 1);
	assert_int_equal(st.tx_retries, 6);
	assert_int_equal(st.tx_dropped_retry_exhausted, 33);
	assert_int_equal(st.idle_polls, 0);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_RETRY], 2);
	assert_int_equal(fx.drops.n[EMIT_DROP_TX_RETRY], 33);
	assert_int_equal(fx.drops.first_seq, 32);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_CLOSED], 0);
	check_conservation(1);

	/* What the port took is in order; once read, the port takes more. */
	assert_int_equal(read_port(0), 7);
	send_n(fx.s[0], 8);
	assert_int_equal(emit_tx_poll(fx.tx), 7);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.tx_sent, 14);
	assert_int_equal(st.tx_retries, 9);
	assert_int_equal(st.tx_dropped_retry_exhausted, 34);
	assert_int_equal(fx.drops.first_seq, 47);
	assert_int_equal(read_port(40), 7);
	check_conservation(1);
}

static void
test_retry_zero(void **state)
{
	struct emit_tx_stats st;

	(void)state;
	mk_refusing_port(8);
	mk_sender(0, 10, EMIT_POLICY_DROP);
	send_n(fx.s[0], 10);
	mk_conf((uint16_t)fx.rport, 1);
	fx.conf.retry_max = 0;
	fx.conf.policy = EMIT_TX_POLICY_DROP;
	fx.conf.drop_us = 0;
	mk_tx();
	assert_int_equal(emit_tx_poll(fx.tx), 7);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.tx_retries, 0);
	assert_int_equal(st.tx_dropped_retry_exhausted, 3);
	assert_int_equal(fx.drops.n[EMIT_DROP_TX_RETRY], 3);
	assert_int_equal(read_port(0), 7);
	check_conservation(1);
}

static void
test_close(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats st;
	void *d;

	(void)state;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	mk_sender(1, 8, EMIT_POLICY_HOLD);
	mk_sender(2, 8, EMIT_POLICY_DROP); /* its ring is not the stage's */
	send_n(fx.s[0], 20);               /* 16 in the ring, 4 pending */
	send_n(fx.s[1], 11);               /* 8 in the ring, 3 pending */
	assert_int_equal(emit_claim(fx.s[1], 1, 8, &d), 0);
	send_n(fx.s[2], 8);
	mk_conf(null_port, 2);
	fx.conf.close_us = 2000;
	mk_tx();

	/* Senders 0 and 1 are open and idle: the close does not wait for
	 * them. */
	assert_int_equal(emit_tx_close(fx.tx), 24);
	assert_int_equal(emit_tx_in_rings(fx.tx), 0);
	assert_int_equal(port_opackets(null_port), 24);

	/* Sender 0: claims fail, its batch is dropped and counted. */
	assert_int_equal(emit_claim(fx.s[0], 1, 8, &d), -EPIPE);
	assert_int_equal(emit_sender_stats_get(fx.s[0], &ss), 0);
	assert_int_equal(ss.dropped_closed, 4);
	assert_int_equal(ss.err_pipe, 1);
	assert_int_equal(emit_sender_pending(fx.s[0]), 0);

	/* Sender 1: the claim open at close may still be committed, but
	 * nothing goes to the ring any more. */
	assert_int_equal(emit_commit(fx.s[1]), 0);
	assert_int_equal(emit_flush(fx.s[1]), -EPIPE);
	assert_int_equal(emit_send(fx.s[1], 1, "x", 1), -EPIPE);
	assert_int_equal(emit_sender_stats_get(fx.s[1], &ss), 0);
	assert_int_equal(ss.dropped_closed, 4);
	assert_int_equal(rte_ring_count(fx.rings[1]), 0);

	/* Sender 2 feeds another ring and goes on. */
	assert_int_equal(emit_send(fx.s[2], 1, "x", 1), 0);
	assert_int_equal(emit_flush(fx.s[2]), 1);
	assert_int_equal(rte_ring_count(fx.rings[2]), 9);

	/* Closing again is harmless. */
	assert_int_equal(emit_tx_close(fx.tx), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.tx_sent, 24);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_CLOSED], 0);
	check_conservation(2);
}

static void
test_free_after_close(void **state)
{
	struct emit_tx_stats st;
	void *d;

	(void)state;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	mk_conf(null_port, 1);
	mk_tx();
	/* The stage closes while the sender is inside its flush, past the
	 * closed check: the batch lands in the ring after the close, as
	 * when a sender on another lcore races with the close. */
	fx.close_on_flush = fx.tx;
	send_n(fx.s[0], 8);
	assert_null(fx.close_on_flush);
	assert_int_equal(emit_tx_in_rings(fx.tx), 8);
	assert_int_equal(emit_tx_stats_get(fx.tx, &st), 0);
	assert_int_equal(st.tx_sent, 0);
	check_conservation(1);
	assert_int_equal(emit_claim(fx.s[0], 1, 8, &d), -EPIPE);

	/* Free does not transmit after the close: the port may be stopped
	 * by then. The events are freed and reported. */
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_CLOSED], 1);
	assert_int_equal(fx.drops.n[EMIT_DROP_TX_CLOSED], 8);
	assert_int_equal(fx.drops.first_seq, 0);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_RETRY], 0);
	assert_int_equal(rte_ring_count(fx.rings[0]), 0);
	assert_int_equal(port_opackets(null_port), 0);
}

static void
test_free_without_close(void **state)
{
	struct emit_sender_stats ss;
	void *d;

	(void)state;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	send_n(fx.s[0], 20); /* 16 in the ring, 4 pending */
	mk_conf(null_port, 1);
	mk_tx();
	/* Free of a running stage closes it first: the ring is sent. */
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	assert_int_equal(port_opackets(null_port), 16);
	assert_int_equal(rte_ring_count(fx.rings[0]), 0);
	assert_int_equal(fx.drops.calls[EMIT_DROP_TX_CLOSED], 0);
	assert_int_equal(emit_claim(fx.s[0], 1, 8, &d), -EPIPE);
	assert_int_equal(emit_sender_stats_get(fx.s[0], &ss), 0);
	assert_int_equal(ss.events_enqueued, 16);
	assert_int_equal(ss.dropped_closed, 4);
}

/* Fast free lets the driver return every mbuf of the queue to one pool:
 * a stage told so refuses rings fed from two pools, and a sender of
 * another pool on its rings. */
static void
test_fast_free_one_pool(void **state)
{
	struct rte_mempool *other = emit_test_pool("pool_ff", 127);
	struct emit_sender_conf c;

	(void)state;
	assert_non_null(other);
	mk_sender(0, 8, EMIT_POLICY_DROP);
	emit_sender_conf_init(&c);
	c.mp = other;
	c.ring = fx.rings[1];
	c.id = 2;
	fx.s[1] = emit_sender_create(&c);
	assert_non_null(fx.s[1]);
	/* Two pools behind one queue: fast free refused. */
	mk_conf(null_port, 2);
	fx.conf.fast_free = 1;
	rte_errno = 0;
	assert_null(emit_tx_create(&fx.conf));
	assert_int_equal(rte_errno, EINVAL);
	fx.conf.fast_free = 2;
	assert_null(emit_tx_create(&fx.conf));
	assert_int_equal(rte_errno, EINVAL);
	/* Without fast free, two pools are fine. */
	fx.conf.fast_free = 0;
	mk_tx();
	assert_int_equal(emit_tx_fast_free(fx.tx), 0);
	/* Freeing the stage closed its senders: start again with sender 0
	 * alone. */
	emit_tx_free(fx.tx);
	fx.tx = NULL;
	emit_sender_free(fx.s[0]);
	emit_sender_free(fx.s[1]);
	fx.s[1] = NULL;
	mk_sender(0, 8, EMIT_POLICY_DROP);
	/* One pool: accepted, and a later sender of the other pool on the
	 * stage's rings is refused; one of the same pool is not. */
	fx.conf.fast_free = 1;
	mk_tx();
	assert_int_equal(emit_tx_fast_free(fx.tx), 1);
	rte_errno = 0;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	c.mp = pool;
	c.burst = 8;
	fx.s[1] = emit_sender_create(&c);
	assert_non_null(fx.s[1]);
	send_n(fx.s[0], 8);
	send_n(fx.s[1], 8);
	assert_int_equal(emit_tx_poll(fx.tx), 16);
	check_conservation(2);
	assert_int_equal(emit_tx_fast_free(NULL), -EINVAL);
	assert_int_equal(rte_mempool_avail_count(other), 127);
	rte_mempool_free(other);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", "net_null1", NULL };
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conf_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transmit_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_exhausted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_after_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_without_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_free_one_pool, setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("tx", "0", vdevs) != 0)
		return 1;
	if (rte_eth_dev_get_port_by_name("net_null0", &null_port) != 0 ||
	    rte_eth_dev_get_port_by_name("net_null1", &bare_port) != 0 ||
	    emit_test_port_start(null_port, 2) != 0) {
		fprintf(stderr, "tx: cannot set up the net_null ports\n");
		return 1;
	}
	pool = emit_test_pool("pool", 1023);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("tx", tests, NULL, NULL);
	emit_test_port_stop(null_port);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
