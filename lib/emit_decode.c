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
#include "emit_wire.h"

#define ETH_LEN 14u
#define IP_LEN 20u
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

/* One's complement sum over the IPv4 pseudo-header and the UDP datagram,
 * checksum field included: 0xffff when the checksum verifies. */
static uint16_t
udp_sum(const uint8_t *ip, const uint8_t *udp, uint16_t udp_len)
{
	uint32_t sum;

	sum = __rte_raw_cksum(ip + 12, 8, 0); /* source, destination */
	sum += rte_cpu_to_be_16((uint16_t)IPPROTO_UDP);
	sum += rte_cpu_to_be_16(udp_len);
	sum = __rte_raw_cksum(udp, udp_len, sum);
	return __rte_raw_cksum_reduce(sum);
}

int
emit_decode(const void *frame, uint32_t len, struct emit_decoded *ev)
{
	const uint8_t *f = frame;
	const uint8_t *ip, *udp, *h;
	uint16_t tot, ulen, frag;

	if (ev == NULL || (f == NULL && len > 0))
		return -EINVAL;
	if (len < ETH_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	if (ld16(f + 12) != RTE_ETHER_TYPE_IPV4)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_NOT_IPV4);
	if (len < ETH_LEN + IP_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	ip = f + ETH_LEN;
	if (ip[0] != RTE_IPV4_VHL_DEF)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_HDR);
	if (rte_raw_cksum(ip, IP_LEN) != 0xffff)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_CKSUM);
	frag = ld16(ip + 6);
	if ((frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_IP_FRAGMENT);
	if (ip[9] != IPPROTO_UDP)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_NOT_UDP);
	tot = ld16(ip + 2);
	if (tot < IP_LEN + UDP_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (ETH_LEN + (uint32_t)tot > len)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	/* Only a minimum-size frame may carry bytes after the IPv4 packet. */
	if (ETH_LEN + (uint32_t)tot < len && len > ETH_MIN_FRAME)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	udp = ip + IP_LEN;
	ulen = ld16(udp + 4);
	if (ulen != tot - IP_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_LENGTH);
	if (ld16(udp + 6) != 0 && udp_sum(ip, udp, ulen) != 0xffff)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_UDP_CKSUM);
	if (ulen < UDP_LEN + EMIT_HDR_LEN)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_TRUNCATED);
	h = udp + UDP_LEN;
	if (ld16(h + offsetof(struct emit_hdr, magic)) != EMIT_MAGIC)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_MAGIC);
	if (h[offsetof(struct emit_hdr, version)] != EMIT_VERSION)
		return EMIT_DECODE_ERR(EMIT_MALFORMED_VERSION);

	memcpy(&ev->dst_mac, f, RTE_ETHER_ADDR_LEN);
	memcpy(&ev->src_mac, f + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	ev->src_ip = ld32(ip + 12);
	ev->dst_ip = ld32(ip + 16);
	ev->src_port = ld16(udp);
	ev->dst_port = ld16(udp + 2);
	ev->version = h[offsetof(struct emit_hdr, version)];
	ev->flags = h[offsetof(struct emit_hdr, flags)];
	ev->type = ld16(h + offsetof(struct emit_hdr, type));
	ev->sender = ld16(h + offsetof(struct emit_hdr, sender));
	ev->seq = ld64(h + offsetof(struct emit_hdr, seq));
	ev->time_ns = ld64(h + offsetof(struct emit_hdr, time_ns));
	ev->payload = h + EMIT_HDR_LEN;
	ev->payload_len = (uint32_t)ulen - UDP_LEN - EMIT_HDR_LEN;
	ev->frame_len = ETH_LEN + (uint32_t)tot;
	return 0;
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
