/* SPDX-License-Identifier: BSD-3-Clause */
/* Receive-side decoding of emit frames. Every field is read with memcpy
 * at an offset already checked against the frame length: the frame may
 * start at any address and end anywhere. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "emit_decode.h"
#include "emit_frame.h"
#include "emit_wire.h"

#define ETH_LEN 14u
#define VLAN_LEN 4u
#define IP4_LEN 20u
#define IP6_LEN 40u
#define UDP_LEN 8u
/* Shortest Ethernet frame without FCS; shorter packets are padded. */
#define ETH_MIN_FRAME 60u

static const char *const malformed_names[EMIT_MALFORMED_MAX] = {
	[EMIT_MALFORMED_TRUNCATED] = "truncated",
	[EMIT_MALFORMED_NOT_IPV4] = "not_ipv4",
	[EMIT_MALFORMED_IP_HDR] = "ip_hdr",
	[EMIT_MALFORMED_IP_CKSUM] = "ip_cksum",
	[EMIT_MALFORMED_IP_FRAGMENT] = "ip_fragment",
	[EMIT_MALFORMED_NOT_UDP] = "not_udp",
	[EMIT_MALFORMED_LENGTH] = "length",
	[EMIT_MALFORMED_UDP_CKSUM] = "udp_cksum",
	[EMIT_MALFORMED_MAGIC] = "magic",
	[EMIT_MALFORMED_VERSION] = "version",
};

static inline uint16_t
ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

static inline uint64_t
ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_64(v);
}

/* One's complement sum over the pseudo-header (the addresses of @p alen
 * bytes at @p addrs, the protocol, the UDP length) and the UDP datagram,
 * checksum field included: 0xffff when the checksum verifies. */
static uint16_t
udp_sum(const uint8_t *addrs, uint32_t alen, const uint8_t *udp,
		uint16_t udp_len)
{
	uint32_t sum;

	sum = __rte_raw_cksum(addrs, alen, 0);
	sum += rte_cpu_to_be_16((uint16_t)IPPROTO_UDP);
	sum += rte_cpu_to_be_16(udp_len);
	sum = __rte_raw_cksum(udp, udp_len, sum);
	return __rte_raw_cksum_reduce(sum);
}

/* The IPv4 layer at @p ip (frame offset @p l2): checks it and finds the
 * UDP datagram. */
static int
decode_ipv4(const uint8_t *ip, uint32_t l2, uint32_t len,
		const uint8_t **udp, uint16_t *ulen, struct emit_decoded *ev)
{
	uint16_t tot, frag;

	if (len < l2 + IP4_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	if (ip[0] != RTE_IPV4_VHL_DEF)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_HDR);
	if (rte_raw_cksum(ip, IP4_LEN) != 0xffff)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_CKSUM);
	frag = ld16(ip + 6);
	if ((frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_FRAGMENT);
	if (ip[9] != IPPROTO_UDP)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_NOT_UDP);
	tot = ld16(ip + 2);
	if (tot < IP4_LEN + UDP_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (l2 + (uint32_t)tot > len)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	/* Only a minimum-size frame may carry bytes after the IPv4 packet. */
	if (l2 + (uint32_t)tot < len && len > ETH_MIN_FRAME)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	*udp = ip + IP4_LEN;
	*ulen = ld16(*udp + 4);
	if (*ulen != tot - IP4_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (ld16(*udp + 6) != 0 && udp_sum(ip + 12, 8, *udp, *ulen) != 0xffff)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_UDP_CKSUM);
	ev->l3 = EMIT_L3_IPV4;
	ev->src_ip = ld32(ip + 12);
	ev->dst_ip = ld32(ip + 16);
	memset(ev->src_ip6, 0, sizeof(ev->src_ip6));
	memset(ev->dst_ip6, 0, sizeof(ev->dst_ip6));
	ev->frame_len = l2 + (uint32_t)tot;
	return 0;
}

/* The IPv6 layer: no extension headers, UDP with its mandatory checksum. */
static int
decode_ipv6(const uint8_t *ip, uint32_t l2, uint32_t len,
		const uint8_t **udp, uint16_t *ulen, struct emit_decoded *ev)
{
	uint16_t plen;

	if (len < l2 + IP6_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	if ((ip[0] >> 4) != 6)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_HDR);
	if (ip[6] != IPPROTO_UDP)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_NOT_UDP);
	plen = ld16(ip + 4);
	if (plen < UDP_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (l2 + IP6_LEN + (uint32_t)plen > len)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	if (l2 + IP6_LEN + (uint32_t)plen < len && len > ETH_MIN_FRAME)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	*udp = ip + IP6_LEN;
	*ulen = ld16(*udp + 4);
	if (*ulen != plen)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (ld16(*udp + 6) == 0 || udp_sum(ip + 8, 32, *udp, *ulen) != 0xffff)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_UDP_CKSUM);
	ev->l3 = EMIT_L3_IPV6;
	ev->src_ip = 0;
	ev->dst_ip = 0;
	memcpy(ev->src_ip6, ip + 8, 16);
	memcpy(ev->dst_ip6, ip + 24, 16);
	ev->frame_len = l2 + IP6_LEN + (uint32_t)plen;
	return 0;
}

int
emit_decode(const void *frame, uint32_t len, struct emit_decoded *ev)
{
	const uint8_t *f = frame;
	const uint8_t *udp = NULL, *h;
	uint32_t off = 12, hl;
	uint16_t et, ulen = 0;
	unsigned int nv = 0;
	int rc;

	if (ev == NULL || (f == NULL && len > 0))
		return -EINVAL;
	if (len < ETH_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	ev->vlan_tci[0] = 0;
	ev->vlan_tci[1] = 0;
	et = ld16(f + off);
	while ((et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ) &&
	       nv < EMIT_VLAN_MAX) {
		if (len < off + VLAN_LEN + 2)
			return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
		ev->vlan_tci[nv++] = ld16(f + off + 2);
		off += VLAN_LEN;
		et = ld16(f + off);
	}
	ev->nb_vlan = (uint8_t)nv;
	if (et == RTE_ETHER_TYPE_IPV4)
		rc = decode_ipv4(f + off + 2, off + 2, len, &udp, &ulen, ev);
	else if (et == RTE_ETHER_TYPE_IPV6)
		rc = decode_ipv6(f + off + 2, off + 2, len, &udp, &ulen, ev);
	else
		rc = EMIT_DECODE_ERR(EMIT_MALFORMED_NOT_IPV4);
	if (rc != 0)
		return rc;
	/* Shorter than the full header: truncated, unless it is a compact
	 * one. */
	if (ulen < UDP_LEN + EMIT_HDR_COMPACT_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	h = udp + UDP_LEN;
	if (ulen < UDP_LEN + EMIT_HDR_LEN &&
	    (ld16(h + offsetof(struct emit_hdr, magic)) != EMIT_MAGIC ||
	     h[offsetof(struct emit_hdr, version)] != EMIT_VERSION_COMPACT))
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	if (ld16(h + offsetof(struct emit_hdr, magic)) != EMIT_MAGIC)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_MAGIC);
	ev->version = h[offsetof(struct emit_hdr, version)];
	if (ev->version == EMIT_VERSION) {
		if (ulen < UDP_LEN + EMIT_HDR_LEN)
			return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
		ev->flags = h[offsetof(struct emit_hdr, flags)];
		ev->type = ld16(h + offsetof(struct emit_hdr, type));
		ev->sender = ld16(h + offsetof(struct emit_hdr, sender));
		ev->seq = ld64(h + offsetof(struct emit_hdr, seq));
		ev->time_ns = ld64(h + offsetof(struct emit_hdr, time_ns));
		ev->time_bits = 64;
		hl = EMIT_HDR_LEN;
	} else if (ev->version == EMIT_VERSION_COMPACT) {
		const uint8_t *t = h +
			offsetof(struct emit_hdr_compact, time_ns);

		ev->flags = 0;
		ev->type = 0;
		ev->sender = ld16(h + offsetof(struct emit_hdr_compact, sender));
		ev->seq = ld64(h + offsetof(struct emit_hdr_compact, seq));
		ev->time_ns = (uint64_t)t[0] << 32 | ld32(t + 1);
		ev->time_bits = EMIT_COMPACT_TIME_BITS;
		hl = EMIT_HDR_COMPACT_LEN;
	} else {
		return EMIT_DECODE_ERR(EMIT_MALFORMED_VERSION);
	}

	memcpy(&ev->dst_mac, f, RTE_ETHER_ADDR_LEN);
	memcpy(&ev->src_mac, f + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	ev->src_port = ld16(udp);
	ev->dst_port = ld16(udp + 2);
	ev->payload = h + hl;
	ev->payload_len = (uint32_t)ulen - UDP_LEN - hl;
	return 0;
}

uint64_t
emit_time_expand(uint64_t time_ns, unsigned int bits, uint64_t ref_ns)
{
	uint64_t mask, d;

	if (bits == 0 || bits >= 64)
		return time_ns;
	mask = (1ull << bits) - 1;
	/* forward distance from the reference, modulo 2^bits */
	d = (time_ns - ref_ns) & mask;
	if (d < (1ull << (bits - 1)))
		return ref_ns + d;
	return ref_ns - ((mask - d) + 1);
}

int
emit_decode_reason(int rc)
{
	if (rc > -EMIT_DECODE_BASE ||
	    rc <= -(EMIT_DECODE_BASE + EMIT_MALFORMED_MAX))
		return -EINVAL;
	return -rc - EMIT_DECODE_BASE;
}

const char *
emit_malformed_name(enum emit_malformed reason)
{
	if ((unsigned int)reason >= EMIT_MALFORMED_MAX)
		return NULL;
	return malformed_names[reason];
}
