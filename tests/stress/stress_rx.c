/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress test, receiver (main lcore): reads back what each TX stage's
 * loop-back net_ring port accepted and checks every event: headers (IPv4
 * checksum and lengths, UDP ports of the sender's flows, emit header),
 * payload (seq, sender, length, pattern), the port it came through, and
 * per sender a strictly increasing seq and a non-decreasing time. Then its
 * bit in the sender's ledger is set; a bit already set is an event
 * delivered twice (or delivered and reported dropped).
 */
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "stress.h"

/* 0 if @p m is a well-formed event of sender @p t, else -1. */
static int
st_check_frame(const struct st_sender *t, const struct rte_mbuf *m,
		const struct emit_hdr *h, uint64_t seq)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ipv4_hdr *ip =
		(const struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
	const struct rte_udp_hdr *udp =
		(const struct rte_udp_hdr *)(p + EMIT_UDP_OFF);
	const uint64_t *w = (const uint64_t *)(const void *)
		(p + EMIT_FRAME_OVERHEAD);
	uint16_t type = rte_be_to_cpu_16(h->type), len, sport;
	unsigned int k;

	if (m->nb_segs != 1 || m->pkt_len != m->data_len ||
	    m->pkt_len < EMIT_FRAME_OVERHEAD + ST_MIN_LEN ||
	    ((uintptr_t)w & 7) != 0)
		return -1;
	if (rte_be_to_cpu_16(h->magic) != EMIT_MAGIC ||
	    h->version != EMIT_VERSION || h->flags != 0 ||
	    type < ST_API_CLAIM || type >= ST_API_N)
		return -1;
	len = (uint16_t)(w[1] & 0xffff);
	if (w[0] != seq || (w[1] >> 16) != t->id ||
	    m->pkt_len != EMIT_FRAME_OVERHEAD + len || len % 8 != 0 ||
	    len > ST_MIN_LEN + 8 * (ST_LEN_STEPS - 1))
		return -1;
	/* A burst claim has one length for all its events: that of its
	 * first; the other APIs use the length of each seq. */
	if (type != ST_API_BURST && len != st_len(t->id, seq))
		return -1;
	for (k = 2; k < len / 8u; k++)
		if (w[k] != st_word(seq, k))
			return -1;
	if (rte_raw_cksum(ip, sizeof(*ip)) != 0xffff ||
	    rte_be_to_cpu_16(ip->total_length) !=
		m->pkt_len - RTE_ETHER_HDR_LEN ||
	    rte_be_to_cpu_16(udp->dgram_len) != m->pkt_len - EMIT_UDP_OFF ||
	    rte_be_to_cpu_16(udp->dst_port) != t->conf.flow.dst_port)
		return -1;
	sport = rte_be_to_cpu_16(udp->src_port);
	if (sport < t->conf.flow.src_port ||
	    sport >= t->conf.flow.src_port + t->conf.flow.nb_flows)
		return -1;
	return 0;
}

static void
st_check_event(struct st_round *r, unsigned int port_idx,
		const struct rte_mbuf *m)
{
	const struct emit_hdr *h = rte_pktmbuf_mtod_offset(m,
			const struct emit_hdr *, EMIT_L2L4_LEN);
	unsigned int i = (unsigned int)(rte_be_to_cpu_16(h->sender) - ST_ID0);
	uint64_t seq = rte_be_to_cpu_64(h->seq);
	uint64_t ns = rte_be_to_cpu_64(h->time_ns), bit, old;
	struct st_rx *rx;

	if (m->pkt_len < EMIT_FRAME_OVERHEAD || i >= ST_SENDERS ||
	    i % ST_TX != port_idx || seq >= r->snd[i].quota ||
	    st_check_frame(&r->snd[i], m, h, seq) != 0) {
		r->rx_bad++;
		return;
	}
	rx = &r->rx[i];
	if (rx->any && (seq <= rx->last_seq || ns < rx->last_ns)) {
		r->rx_bad++;
		return;
	}
	rx->any = true;
	rx->last_seq = seq;
	rx->last_ns = ns;
	rx->received++;
	rx->bytes += m->pkt_len;
	bit = 1ull << (seq & 63);
	old = __atomic_fetch_or(&r->snd[i].ledger[seq >> 6], bit,
			__ATOMIC_RELAXED);
	if (old & bit)
		__atomic_fetch_add(&r->twice, 1, __ATOMIC_RELAXED);
}

unsigned int
st_receive(struct st_round *r)
{
	struct rte_mbuf *pkts[ST_PORT_BURST];
	unsigned int j, k, n, total = 0;

	for (j = 0; j < ST_TX; j++) {
		n = rte_eth_rx_burst((uint16_t)r->tx[j].port, 0, pkts,
				ST_PORT_BURST);
		for (k = 0; k < n; k++)
			st_check_event(r, j, pkts[k]);
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	}
	return total;
}
