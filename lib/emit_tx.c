/* SPDX-License-Identifier: BSD-3-Clause */
/* TX stages: drain rings onto an ethdev TX queue; a refused tail is kept
 * (lib/emit_tx_hold.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_mbuf_dyn.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

void
emit_tx_conf_init(struct emit_tx_conf *conf)
{
	if (conf == NULL)
		return;
	memset(conf, 0, sizeof(*conf));
	conf->burst = 32;
	conf->retry_max = 64;
	conf->policy = EMIT_TX_POLICY_HOLD;
	conf->drop_us = 1000;
	conf->close_us = 100000;
	conf->socket_id = SOCKET_ID_ANY;
	conf->latency = EMIT_TX_LATENCY_BURST;
}

static int
tx_conf_invalid(const char *field, const char *why)
{
	EMIT_LOG(ERR, "tx config: %s %s\n", field, why);
	return -EINVAL;
}

static int
tx_conf_check(const struct emit_tx_conf *c)
{
	struct rte_eth_txq_info qinfo;
	unsigned int i, j;
	int rc;

	if (!rte_eth_dev_is_valid_port(c->port_id)) {
		EMIT_LOG(ERR, "tx config: port_id %u is not a valid port\n",
			c->port_id);
		return -ENODEV;
	}
	/* The number of TX queues alone does not tell: some drivers (net_null,
	 * net_ring) report queues before the port is configured. The queue
	 * must be set up: -EINVAL means it is not (or is a hairpin queue);
	 * -ENOTSUP only means the driver cannot describe a set-up queue. */
	rc = rte_eth_tx_queue_info_get(c->port_id, c->queue_id, &qinfo);
	if (rc != 0 && rc != -ENOTSUP)
		return tx_conf_invalid("queue_id",
			"is not a set-up TX queue of the port");
	if (c->socket_id != SOCKET_ID_ANY &&
	    (c->socket_id < 0 || c->socket_id >= RTE_MAX_NUMA_NODES))
		return tx_conf_invalid("socket_id", "is not a NUMA socket");
	if (c->nb_rings == 0 || c->nb_rings > EMIT_TX_RINGS_MAX)
		return tx_conf_invalid("nb_rings", "must be 1..64");
	for (i = 0; i < c->nb_rings; i++) {
		if (c->rings[i] == NULL)
			return tx_conf_invalid("rings", "has a NULL ring");
		for (j = 0; j < i; j++)
			if (c->rings[j] == c->rings[i])
				return tx_conf_invalid("rings",
					"lists a ring twice");
	}
	if (c->burst == 0 || c->burst > EMIT_BURST_MAX)
		return tx_conf_invalid("burst", "must be 1..64");
	if (c->latency != EMIT_TX_LATENCY_OFF &&
	    c->latency != EMIT_TX_LATENCY_BURST &&
	    c->latency != EMIT_TX_LATENCY_PACKET)
		return tx_conf_invalid("latency", "must be OFF, BURST or PACKET");
	if (c->clock != NULL && c->clock_hz == 0)
		return tx_conf_invalid("clock_hz", "is 0 with a clock");
	if (c->clock == NULL && c->clock_hz != 0)
		return tx_conf_invalid("clock_hz", "is set without a clock");
	if (c->desc_rings != 0 && c->desc_rings != 1)
		return tx_conf_invalid("desc_rings", "must be 0 or 1");
	if (c->fast_free != 0 && c->fast_free != 1)
		return tx_conf_invalid("fast_free", "must be 0 or 1");
	if (c->desc_offload != 0 && c->desc_offload != 1)
		return tx_conf_invalid("desc_offload", "must be 0 or 1");
	if (c->desc_offload && !c->desc_rings)
		return tx_conf_invalid("desc_offload", "needs desc_rings");
	/* Dequeuing the other kind of element reads past each one or
	 * half of it: see the sender's check. */
	for (i = 0; i < c->nb_rings; i++) {
		unsigned int want = c->desc_rings ?
			sizeof(struct emit_desc) : sizeof(void *);

		if (!emit__ring_fits(c->rings[i], want)) {
			EMIT_LOG(ERR, "tx config: ring %s has %u-byte "
				"elements, desc_rings %u needs %u\n",
				c->rings[i]->name,
				emit__ring_esize(c->rings[i]), c->desc_rings,
				want);
			return -EINVAL;
		}
	}
	if (c->policy != EMIT_TX_POLICY_HOLD && c->policy != EMIT_TX_POLICY_DROP)
		return tx_conf_invalid("policy", "must be HOLD or DROP");
	if (c->drop_us > EMIT_TX_US_MAX)
		return tx_conf_invalid("drop_us", "must be 0..10000000");
	if (c->close_us == 0 || c->close_us > EMIT_TX_US_MAX)
		return tx_conf_invalid("close_us", "must be 1..10000000");
	return 0;
}

/* The id the registry chose and the name; called under the registry
 * lock, before the stage is published (emit__reg_tx_add). */
static void
tx_identify(struct emit_tx *tx, int id, const void *arg)
{
	const char *name = arg;

	tx->id = id;
	/* The name only labels logs and telemetry: a longer one is cut to
	 * fit, on purpose. */
	if (name != NULL)
		(void)snprintf(tx->name, sizeof(tx->name), "%s", name);
	else
		(void)snprintf(tx->name, sizeof(tx->name), "tx%d", id);
}

struct emit_tx *
emit_tx_create(const struct emit_tx_conf *conf)
{
	struct emit_tx *tx;
	int socket, rc;

	if (conf == NULL) {
		tx_conf_invalid("conf", "is NULL");
		rte_errno = EINVAL;
		return NULL;
	}
	rc = tx_conf_check(conf);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	socket = conf->socket_id;
	if (socket == SOCKET_ID_ANY)
		socket = rte_eth_dev_socket_id(conf->port_id);
	tx = rte_zmalloc_socket("emit_tx", sizeof(*tx), RTE_CACHE_LINE_SIZE,
			socket);
	if (tx == NULL) {
		EMIT_LOG(ERR, "tx: no memory\n");
		rte_errno = ENOMEM;
		return NULL;
	}
	tx->port_id = conf->port_id;
	tx->queue_id = conf->queue_id;
	tx->burst = conf->burst;
	tx->retry_max = conf->retry_max;
	tx->nb_rings = conf->nb_rings;
	memcpy(tx->rings, conf->rings, sizeof(tx->rings));
	tx->hooks = conf->hooks;
	tx->socket_id = socket;
	tx->latency = (uint8_t)conf->latency;
	tx->desc = (uint8_t)conf->desc_rings;
	tx->fast_free = (uint8_t)conf->fast_free;
	tx->desc_ol = (uint8_t)conf->desc_offload;
	/* As a sender writes it, data_off apart (from each descriptor). */
	tx->rearm = emit__rearm(0);
	tx->clock = conf->clock;
	tx->clock_arg = conf->clock_arg;
	tx->hz = conf->clock != NULL ? conf->clock_hz : rte_get_tsc_hz();
	tx->ns_mult = (1000000000ull << 32) / tx->hz;
	tx->policy = (uint8_t)conf->policy;
	tx->drop_tsc = (uint64_t)conf->drop_us * tx->hz / 1000000;
	tx->close_tsc = RTE_MAX((uint64_t)conf->close_us * rte_get_tsc_hz() /
		1000000, (uint64_t)1);
	emit_hist_init(&tx->lat_hist);
	rte_spinlock_init(&tx->xbase.lock);
	/* The id and the name (which may be made from the id) are written
	 * by tx_identify before the registry publishes the stage. */
	rc = emit__reg_tx_add(tx, tx_identify, conf->name);
	if (rc < 0) {
		/* -EINVAL was logged with the mismatch it found. */
		if (rc != -EINVAL)
			EMIT_LOG(ERR, "tx: too many TX stages\n");
		rte_free(tx);
		rte_errno = -rc;
		return NULL;
	}
	return tx;
}

void
emit__tx_drop(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf **pkts, unsigned int n)
{
	if (tx->hooks.drop != NULL)
		tx->hooks.drop(tx, reason, pkts, n, tx->hooks.arg);
	rte_pktmbuf_free_bulk(pkts, n);
	if (reason == EMIT_DROP_TX_RETRY)
		EMIT__TX_CTR_ADD(tx, tx_dropped_retry_exhausted, n);
	else
		EMIT__TX_CTR_ADD(tx, tx_dropped_closed, n);
}

/* Write the header of a raw mbuf (refcnt 1, nb_segs 1, next NULL from
 * the pool) for a frame of @p len bytes at @p data_off, as a sender
 * writes it, in two 16-byte stores as the vector PMDs rearm an mbuf:
 * rearm_data and ol_flags; packet_type, pkt_len, data_len, vlan_tci and
 * the first half of hash (unused on transmit). */
static __rte_always_inline void
tx_header(const struct emit_tx *tx, struct rte_mbuf *m, uint16_t data_off,
		uint16_t len, uint32_t ol)
{
	/* Built in registers: a 16-byte store read from two 8-byte stores on
	 * the stack would not be forwarded. */
	typedef uint64_t u64x2 __attribute__((vector_size(16)));
	u64x2 a, b;
	uint64_t w0, w2, w3;

	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, data_off) !=
		offsetof(struct rte_mbuf, rearm_data));
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, ol_flags) !=
		offsetof(struct rte_mbuf, rearm_data) + 8);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, packet_type) !=
		offsetof(struct rte_mbuf, rearm_data) + 16);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, pkt_len) !=
		offsetof(struct rte_mbuf, rearm_data) + 20);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, data_len) !=
		offsetof(struct rte_mbuf, rearm_data) + 24);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, vlan_tci) !=
		offsetof(struct rte_mbuf, rearm_data) + 26);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, hash) !=
		offsetof(struct rte_mbuf, rearm_data) + 28);
	/* Each word as the mbuf holds it in memory: the field at the lower
	 * address in the low bits on a little-endian CPU, the high bits on
	 * a big-endian one. packet_type, vlan_tci and hash 0. */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	w0 = tx->rearm | data_off;
	w2 = (uint64_t)len << 32;
	w3 = len;
#else
	w0 = tx->rearm | (uint64_t)data_off << 48;
	w2 = len;
	w3 = (uint64_t)len << 48;
#endif
	/* ol_flags: the offload word's bits 16..27 are its bits 52..63. */
	a = (u64x2){ w0, (uint64_t)(ol >> 16) << 52 };
	b = (u64x2){ w2, w3 };
	memcpy(&m->rearm_data, &a, sizeof(a));
	memcpy(&m->packet_type, &b, sizeof(b));
	m->vlan_tci_outer = 0;
	/* tx_offload sits in the mbuf's second cache line, which the TX
	 * lcore reads when it frees the mbuf: writing it only when needed
	 * keeps that line shared instead of moving it between lcores. */
	if (unlikely(m->tx_offload != (ol & 0xffffu)))
		m->tx_offload = ol & 0xffffu;
}

/* Write the headers of the @p n mbufs of tx->descs (with each
 * descriptor's offload word if @p use_ol, a constant at each call) and
 * put them in @p pkts; returns their frame bytes. */
static __rte_always_inline uint64_t
tx_descs(const struct emit_tx *tx, struct rte_mbuf **pkts, unsigned int n,
		const int use_ol)
{
	uint64_t b = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct emit_desc *d = &tx->descs[i];

		tx_header(tx, d->m, d->data_off, d->len,
			use_ol ? d->offload : 0);
		pkts[i] = d->m;
		b += d->len;
	}
	return b;
}

/* Take up to @p max events from @p r into @p pkts. From a descriptor
 * ring, write each mbuf's header as the sender would have, and add the
 * frame bytes to *@p bytes (from a pointer ring the caller reads them). */
static inline unsigned int
tx_take(struct emit_tx *tx, struct rte_ring *r, struct rte_mbuf **pkts,
		unsigned int max, uint64_t *bytes)
{
	unsigned int n;
	uint64_t b;

	if (!tx->desc)
		return rte_ring_dequeue_burst(r, (void **)pkts, max, NULL);
	n = rte_ring_dequeue_burst_elem(r, tx->descs,
		sizeof(struct emit_desc), max, NULL);
	/* The offload word is read only where senders write one: each
	 * call below compiles to a loop of its own. */
	if (unlikely(tx->desc_ol))
		b = tx_descs(tx, pkts, n, 1);
	else
		b = tx_descs(tx, pkts, n, 0);
	*bytes += b;
	return n;
}

/* tx_take of up to EMIT_BURST_MAX events for the slow paths (their bytes
 * are not counted: they are dropped). */
unsigned int
emit__tx_take_slow(struct emit_tx *tx, struct rte_ring *r,
		struct rte_mbuf **pkts)
{
	uint64_t bytes = 0;

	return tx_take(tx, r, pkts, EMIT_BURST_MAX, &bytes);
}

static inline uint64_t
tx_now(const struct emit_tx *tx)
{
	if (likely(tx->clock == NULL))
		return rte_rdtsc();
	return tx->clock(tx->clock_arg);
}

uint64_t
emit__tx_now(const struct emit_tx *tx)
{
	return tx_now(tx);
}

/* Record the latency of the packets the port accepted: the first @p first
 * at time @p t1, the rest up to @p sent at @p t2. */
static void
tx_latency(struct emit_tx *tx, unsigned int first, unsigned int sent,
		uint64_t t1, uint64_t t2)
{
	unsigned int i;

	if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_BURST) {
		emit_hist_record(&tx->lat_hist,
			(first != 0 ? t1 : t2) - tx->ticks[0]);
		return;
	}
	for (i = 0; i < first; i++)
		emit_hist_record(&tx->lat_hist, t1 - tx->ticks[i]);
	for (; i < sent; i++)
		emit_hist_record(&tx->lat_hist, t2 - tx->ticks[i]);
}

/* Offer @p n packets to the port, re-offering a refused remainder up to
 * retry_max times back to back; @p bytes are the frame bytes of the n and
 * @p retries the re-offers already made (1 when @p pkts is a held tail).
 * Counts what left; the caller owns the rest. Returns packets sent. */
unsigned int
emit__tx_offer(struct emit_tx *tx, struct rte_mbuf **pkts, unsigned int n,
		uint64_t bytes, uint32_t retries)
{
	unsigned int sent, first, i;
	uint32_t tries = 0;
	uint64_t t1 = 0, t2 = 0;

	/* Commit ticks are read before the port owns the mbufs. */
	if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_PACKET) {
		for (i = 0; i < n; i++)
			tx->ticks[i] = emit_commit_tick(pkts[i]);
	} else if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_BURST) {
		tx->ticks[0] = emit_commit_tick(pkts[0]);
	}
	sent = rte_eth_tx_burst(tx->port_id, tx->queue_id, pkts, (uint16_t)n);
	first = sent;
	if (EMIT__TX_LATENCY(tx) != EMIT_TX_LATENCY_OFF && first != 0)
		t1 = tx_now(tx);
	while (unlikely(sent < n) && tries < tx->retry_max) {
		tries++;
		sent += rte_eth_tx_burst(tx->port_id, tx->queue_id,
				pkts + sent, (uint16_t)(n - sent));
	}
	if (EMIT__TX_LATENCY(tx) != EMIT_TX_LATENCY_OFF && sent != 0) {
		if (sent != first)
			t2 = tx_now(tx);
		tx_latency(tx, first, sent, t1, t2);
	}
	/* The refused ones are still the stage's: their lengths may be read. */
	for (i = sent; i < n; i++)
		bytes -= pkts[i]->pkt_len;
	EMIT__TX_CTR_ADD(tx, tx_sent, sent);
	EMIT__TX_CTR_ADD(tx, tx_bytes, bytes);
	EMIT__TX_CTR_ADD(tx, tx_bursts, sent != 0);
	EMIT__TX_CTR_ADD(tx, tx_retries, retries + tries);
	return sent;
}

/* Ring @p idx: offer its held tail again, or dequeue one burst into its
 * TX buffer and put it on the wire; what the port refuses stays there. */
static inline unsigned int
tx_ring(struct emit_tx *tx, unsigned int idx)
{
	struct emit_tx_tail *t = &tx->tails[idx];
	struct rte_mbuf **pkts = t->pkts;
	unsigned int n, sent, i;
	uint64_t bytes = 0;

	/* A held tail blocks its ring: nothing more is dequeued from it
	 * until the tail has left, so the ring fills and its senders see
	 * the backpressure. */
	if (unlikely(t->n != 0))
		return emit__tx_tail_retry(tx, t);
	n = tx_take(tx, tx->rings[idx], pkts, tx->burst, &bytes);
	if (n == 0)
		return 0;
	EMIT__TX_DEQ_ADD(tx, n);
	/* Mbufs from a pointer ring were written on the sender's lcore:
	 * start fetching all of them before reading any. Lengths are read
	 * before the port owns the mbufs. */
	if (!tx->desc) {
		for (i = 0; i < n; i++)
			rte_prefetch0(pkts[i]);
		for (i = 0; i < n; i++)
			bytes += pkts[i]->pkt_len;
	}
	sent = emit__tx_offer(tx, pkts, n, bytes, 0);
	if (unlikely(sent < n))
		emit__tx_keep(tx, t, sent, n);
	return sent;
}

/* The direct path of a sender on this stage's lcore (emit__enqueue): put
 * its batch on the wire without the ring. @p bytes are the frame bytes of
 * the n events (the sender's running sum; read only with metrics). What
 * the port refuses the sender puts in the ring, where tx_ring retries it. */
unsigned int
emit__tx_direct(struct emit_tx *tx, struct rte_ring *r,
		struct rte_mbuf **pkts, const uint16_t *lens, uint16_t data_off,
		uint32_t ol, unsigned int n, uint64_t bytes)
{
	unsigned int i, sent;
	uint64_t tick0 = 0;

	/* Events in the ring, or a tail the port refused and the stage
	 * holds, are older: they leave first, from tx_ring; while a tail is
	 * held the port is blocked, and the batch goes to the ring, so that
	 * the sender's policy applies when it fills. Held is this lcore's. */
	if (rte_ring_count(r) != 0 || tx->held != 0)
		return 0;
	if (tx->desc && unlikely(ol != 0))
		for (i = 0; i < n; i++)
			tx_header(tx, pkts[i], data_off, lens[i], ol);
	else if (tx->desc)
		for (i = 0; i < n; i++)
			tx_header(tx, pkts[i], data_off, lens[i], 0);
	/* Commit ticks are read before the port owns the mbufs. */
	if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_PACKET) {
		for (i = 0; i < n; i++)
			tx->ticks[i] = emit_commit_tick(pkts[i]);
	} else if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_BURST) {
		tick0 = emit_commit_tick(pkts[0]);
	}
	sent = rte_eth_tx_burst(tx->port_id, tx->queue_id, pkts, (uint16_t)n);
	if (likely(sent != 0)) {
		/* The burst sample without a call: one per batch. */
		if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_BURST)
			emit_hist_record(&tx->lat_hist, tx_now(tx) - tick0);
		else if (EMIT__TX_LATENCY(tx) == EMIT_TX_LATENCY_PACKET)
			tx_latency(tx, sent, sent, tx_now(tx), 0);
	}
	/* The refused are still the sender's: their lengths may be read. */
	if (EMIT_METRICS && unlikely(sent < n))
		for (i = sent; i < n; i++)
			bytes -= lens[i];
	/* Counted as a round of tx_ring counts what it sends: dequeued, so
	 * that sum(enqueued) = tx_sent + tx_dropped + in rings holds. */
	EMIT__TX_DEQ_ADD(tx, sent);
	EMIT__TX_CTR_ADD(tx, tx_sent, sent);
	EMIT__TX_CTR_ADD(tx, tx_bytes, bytes);
	EMIT__TX_CTR_ADD(tx, tx_bursts, sent != 0);
	return sent;
}

int
emit_sender_tx_direct(struct emit_sender *s, struct emit_tx *tx)
{
	unsigned int i;

	if (s == NULL)
		return -EINVAL;
	if (tx != NULL) {
		for (i = 0; i < tx->nb_rings; i++)
			if (tx->rings[i] == s->ring)
				break;
		if (i == tx->nb_rings) {
			EMIT_LOG(ERR, "sender %s: TX stage %s does not drain "
				"its ring\n", s->name, tx->name);
			return -EINVAL;
		}
		/* Both checked the ring's element size at create: they
		 * agree on the kind of ring. */
		if (tx->closed)
			return -EPIPE;
	}
	s->direct = tx;
	return 0;
}

int
emit_tx_poll(struct emit_tx *tx)
{
	uint64_t deq0;
	unsigned int i, sent = 0;

	if (tx == NULL)
		return -EINVAL;
	deq0 = tx->ctr.dequeued;
	for (i = 0; i < tx->nb_rings; i++)
		sent += tx_ring(tx, i);
	EMIT__TX_CTR_ADD(tx, polls, 1);
	if (tx->ctr.dequeued == deq0)
		EMIT__TX_CTR_ADD(tx, idle_polls, 1);
	return (int)sent;
}

uint64_t
emit_tx_in_rings(const struct emit_tx *tx)
{
	uint64_t n = 0;
	unsigned int i;

	if (tx == NULL)
		return 0;
	for (i = 0; i < tx->nb_rings; i++)
		n += rte_ring_count(tx->rings[i]);
	return n;
}

int
emit_tx_run(struct emit_tx *tx, const bool *quit)
{
	if (tx == NULL || quit == NULL)
		return -EINVAL;
	while (!__atomic_load_n(quit, __ATOMIC_ACQUIRE))
		emit_tx_poll(tx);
	emit_tx_close(tx);
	return 0;
}

int
emit_tx_stats_get(const struct emit_tx *tx, struct emit_tx_stats *stats)
{
	const uint64_t *src;
	uint64_t *dst;
	size_t i;

	if (tx == NULL || stats == NULL)
		return -EINVAL;
	src = (const uint64_t *)&tx->ctr;
	dst = (uint64_t *)stats;
	for (i = 0; i < EMIT_TX_NB_STATS; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	stats->port_blocked_ns = emit__tx_blocked_ns_read(tx);
	return 0;
}

int
emit_tx_id(const struct emit_tx *tx)
{
	return tx != NULL ? tx->id : -EINVAL;
}

int
emit_tx_fast_free(const struct emit_tx *tx)
{
	return tx != NULL ? tx->fast_free : -EINVAL;
}
