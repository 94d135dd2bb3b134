/* SPDX-License-Identifier: BSD-3-Clause */
/* The frame module: the layout of a sender's frames (header stack,
 * template, per-event fields and sizes), prepared on the control path
 * for the inline fast path (emit_frame_pvt.h). The decoder's view of the
 * same layers is lib/emit_decode.c. */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "emit_pvt.h"

#define ETH_LEN 14u
#define VLAN_LEN 4u
#define IP4_LEN 20u
#define IP6_LEN 40u
#define UDP_LEN 8u
#define VLAN_ID_MAX 4095u
#define SIZE_WEIGHT_SUM_MAX (1u << 24)

void
emit_frame_conf_init(struct emit_frame_conf *fc)
{
	static const struct rte_ether_addr src = {{ 2, 0, 0, 0, 0, 1 }};
	static const struct rte_ether_addr dst = {{ 2, 0, 0, 0, 0, 2 }};

	if (fc == NULL)
		return;
	memset(fc, 0, sizeof(*fc));
	fc->l3 = EMIT_L3_IPV4;
	fc->src_mac.lo = src;
	fc->src_mac.hi = src;
	fc->dst_mac.lo = dst;
	fc->dst_mac.hi = dst;
	emit_ip_range_set4(&fc->src_ip, RTE_IPV4(10, 0, 0, 1),
		RTE_IPV4(10, 0, 0, 1));
	emit_ip_range_set4(&fc->dst_ip, RTE_IPV4(10, 0, 0, 2),
		RTE_IPV4(10, 0, 0, 2));
	fc->src_port.lo = 9000;
	fc->src_port.hi = 9000;
	fc->dst_port.lo = 9001;
	fc->dst_port.hi = 9001;
	fc->vary = EMIT_VARY_INC;
	fc->seed = 1;
	fc->ttl = 64;
	fc->size.mode = EMIT_SIZE_CLAIM;
}

void
emit_ip_range_set4(struct emit_ip_range *r, uint32_t lo, uint32_t hi)
{
	rte_be32_t v;

	if (r == NULL)
		return;
	memset(r, 0, sizeof(*r));
	v = rte_cpu_to_be_32(lo);
	memcpy(r->lo, &v, sizeof(v));
	v = rte_cpu_to_be_32(hi);
	memcpy(r->hi, &v, sizeof(v));
}

void
emit_size_mix_imix(struct emit_size_mix *mix)
{
	if (mix == NULL)
		return;
	memset(mix, 0, sizeof(*mix));
	mix->mode = EMIT_SIZE_LIST;
	mix->nb = 3;
	mix->len[0] = 60;
	mix->len[1] = 590;
	mix->len[2] = 1514;
	mix->weight[0] = 7;
	mix->weight[1] = 4;
	mix->weight[2] = 1;
}

static emit__u128
be_to_u128(const uint8_t *b, unsigned int width)
{
	emit__u128 v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v = v << 8 | b[i];
	return v;
}

static int
frame_invalid(const char *field, const char *why)
{
	EMIT_LOG(ERR, "frame config: %s %s\n", field, why);
	return -EINVAL;
}

static unsigned int
l2l4_len(const struct emit_frame_conf *fc)
{
	return ETH_LEN + VLAN_LEN * fc->nb_vlan +
		(fc->l3 == EMIT_L3_IPV6 ? IP6_LEN : IP4_LEN) + UDP_LEN;
}

static unsigned int
len_min(const struct emit_frame_conf *fc)
{
	return RTE_MAX(l2l4_len(fc) + EMIT_HDR_COMPACT_LEN,
		EMIT_FRAME_LEN_MIN);
}

/* Nonzero if the 16 bytes past an IPv4 address's 4 are not all 0. */
static int
ip4_tail_set(const uint8_t *b)
{
	unsigned int i;

	for (i = 4; i < 16; i++)
		if (b[i] != 0)
			return 1;
	return 0;
}

static int
ip_range_check(const struct emit_ip_range *r, enum emit_l3 l3,
		const char *name)
{
	unsigned int w = l3 == EMIT_L3_IPV6 ? 16 : 4;
	emit__u128 lo = be_to_u128(r->lo, w), hi = be_to_u128(r->hi, w);

	if (l3 == EMIT_L3_IPV4 && (ip4_tail_set(r->lo) || ip4_tail_set(r->hi)))
		return frame_invalid(name, "is not an IPv4 address range "
			"(bytes past the first 4 are set)");
	if (lo > hi)
		return frame_invalid(name, "has lo above hi");
	if (hi - lo > (emit__u128)UINT64_MAX - 1)
		return frame_invalid(name, "spans 2^64 addresses or more");
	return 0;
}

static int
size_check(const struct emit_size_mix *m, unsigned int min)
{
	uint32_t sum = 0;
	unsigned int i;

	switch (m->mode) {
	case EMIT_SIZE_CLAIM:
		return 0;
	case EMIT_SIZE_FIXED:
		if (m->lo < min || m->lo > EMIT_FRAME_LEN_MAX)
			return frame_invalid("size.lo", "is outside the "
				"smallest frame of the stack..9600");
		return 0;
	case EMIT_SIZE_RANGE:
		if (m->lo < min || m->hi > EMIT_FRAME_LEN_MAX || m->lo > m->hi)
			return frame_invalid("size", "range must be within "
				"the smallest frame of the stack..9600, lo <= hi");
		return 0;
	case EMIT_SIZE_LIST:
		if (m->nb == 0 || m->nb > EMIT_SIZE_LIST_MAX)
			return frame_invalid("size.nb", "must be 1..16");
		for (i = 0; i < m->nb; i++) {
			if (m->len[i] < min || m->len[i] > EMIT_FRAME_LEN_MAX)
				return frame_invalid("size.len", "is outside "
					"the smallest frame of the stack..9600");
			if (m->weight[i] == 0 ||
			    m->weight[i] > SIZE_WEIGHT_SUM_MAX - sum)
				return frame_invalid("size.weight", "must be "
					">= 1 each, summing to at most 2^24");
			sum += m->weight[i];
		}
		return 0;
	}
	return frame_invalid("size.mode", "is not an emit_size_mode");
}

int
emit_frame_conf_check(const struct emit_frame_conf *fc)
{
	unsigned int i;
	int rc;

	if (fc == NULL)
		return frame_invalid("conf", "is NULL");
	if (fc->l3 != EMIT_L3_IPV4 && fc->l3 != EMIT_L3_IPV6)
		return frame_invalid("l3", "must be EMIT_L3_IPV4 or _IPV6");
	if (fc->nb_vlan > EMIT_VLAN_MAX)
		return frame_invalid("nb_vlan", "must be 0..2");
	if (fc->vlan_prio > 7)
		return frame_invalid("vlan_prio", "must be 0..7");
	for (i = 0; i < fc->nb_vlan; i++)
		if (fc->vlan[i].lo > fc->vlan[i].hi ||
		    fc->vlan[i].hi > VLAN_ID_MAX)
			return frame_invalid("vlan", "ids must be 0..4095, "
				"lo <= hi");
	if (be_to_u128(fc->src_mac.lo.addr_bytes, 6) >
	    be_to_u128(fc->src_mac.hi.addr_bytes, 6))
		return frame_invalid("src_mac", "has lo above hi");
	if (be_to_u128(fc->dst_mac.lo.addr_bytes, 6) >
	    be_to_u128(fc->dst_mac.hi.addr_bytes, 6))
		return frame_invalid("dst_mac", "has lo above hi");
	rc = ip_range_check(&fc->src_ip, fc->l3, "src_ip");
	if (rc != 0)
		return rc;
	rc = ip_range_check(&fc->dst_ip, fc->l3, "dst_ip");
	if (rc != 0)
		return rc;
	if (fc->src_port.lo > fc->src_port.hi)
		return frame_invalid("src_port", "has lo above hi");
	if (fc->dst_port.lo > fc->dst_port.hi)
		return frame_invalid("dst_port", "has lo above hi");
	if (fc->vary != EMIT_VARY_INC && fc->vary != EMIT_VARY_RANDOM)
		return frame_invalid("vary", "must be EMIT_VARY_INC or _RANDOM");
	if (fc->ttl == 0)
		return frame_invalid("ttl", "must be at least 1");
	if (fc->dscp > 63)
		return frame_invalid("dscp", "must be 0..63");
	if (fc->udp_csum > 1)
		return frame_invalid("udp_csum", "must be 0 or 1");
	return size_check(&fc->size, len_min(fc));
}

int
emit_frame_l2l4_len(const struct emit_frame_conf *fc)
{
	if (emit_frame_conf_check(fc) != 0)
		return -EINVAL;
	return (int)l2l4_len(fc);
}

int
emit_frame_len_min(const struct emit_frame_conf *fc)
{
	if (emit_frame_conf_check(fc) != 0)
		return -EINVAL;
	return (int)len_min(fc);
}

int
emit_frame_len_max(const struct emit_frame_conf *fc, uint16_t len)
{
	unsigned int full, mx = 0, i;

	if (emit_frame_conf_check(fc) != 0)
		return -EINVAL;
	full = l2l4_len(fc) + EMIT_HDR_LEN + len;
	switch (fc->size.mode) {
	case EMIT_SIZE_FIXED:
		mx = fc->size.lo;
		break;
	case EMIT_SIZE_RANGE:
		mx = fc->size.hi;
		break;
	case EMIT_SIZE_LIST:
		for (i = 0; i < fc->size.nb; i++)
			mx = RTE_MAX(mx, (unsigned int)fc->size.len[i]);
		break;
	default:
		break;
	}
	return (int)RTE_MAX(mx, full);
}

/* The length of a frame drawn as @p want for a claim of @p len bytes, as
 * emit__len_prep in emit_sender_pvt.h makes it. */
static unsigned int
frame_len(unsigned int l2l4, unsigned int want, unsigned int len)
{
	unsigned int full = l2l4 + EMIT_HDR_LEN + len;

	if (want >= full || (len == 0 && want != 0))
		return want;
	return full;
}

int
emit_frame_len_mean(const struct emit_frame_conf *fc, uint16_t len)
{
	unsigned int l2l4, i;
	uint64_t sum = 0, w = 0;

	if (emit_frame_conf_check(fc) != 0)
		return -EINVAL;
	l2l4 = l2l4_len(fc);
	switch (fc->size.mode) {
	case EMIT_SIZE_FIXED:
		return (int)frame_len(l2l4, fc->size.lo, len);
	case EMIT_SIZE_RANGE:
		for (i = fc->size.lo; i <= fc->size.hi; i++)
			sum += frame_len(l2l4, i, len);
		w = fc->size.hi - fc->size.lo + 1u;
		break;
	case EMIT_SIZE_LIST:
		for (i = 0; i < fc->size.nb; i++) {
			sum += (uint64_t)fc->size.weight[i] *
				frame_len(l2l4, fc->size.len[i], len);
			w += fc->size.weight[i];
		}
		break;
	default:
		return (int)frame_len(l2l4, 0, len);
	}
	/* A checked mix has a weight: an empty one is the claim's frame. */
	if (w == 0)
		return (int)frame_len(l2l4, 0, len);
	return (int)((sum + w / 2) / w);
}

static void
field_add(struct emit__frame *f, unsigned int off, unsigned int width,
		emit__u128 lo, emit__u128 hi, int csum)
{
	struct emit__field *fl;

	if (lo == hi)
		return;
	fl = &f->field[f->nb_field++];
	fl->lo = lo;
	fl->span_m1 = (uint64_t)(hi - lo);
	fl->cur = 0;
	fl->off = (uint16_t)off;
	fl->width = (uint8_t)width;
	fl->csum = (uint8_t)csum;
	if (csum && width == 4)
		fl->neg_lo = (uint32_t)(~(uint32_t)lo >> 16) +
			(uint32_t)(~(uint32_t)lo & 0xffff);
	else if (csum)
		fl->neg_lo = (uint16_t)~emit__sum128(lo);
	else
		fl->neg_lo = 0;
}

int
emit__frame_offload_check(enum emit_l3 l3, int udp_csum, uint64_t offloads)
{
	if ((offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) && l3 != EMIT_L3_IPV4)
		return frame_invalid("offload", "IPV4_CKSUM is for IPv4 "
			"frames (these are IPv6)");
	if ((offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) && l3 == EMIT_L3_IPV4 &&
	    !udp_csum)
		return frame_invalid("offload", "UDP_CKSUM needs IPv4 frames "
			"with a UDP checksum (udp_csum 1)");
	return 0;
}

/* Offload state of @p f, whose layout is set (ip_off, udp_off, ipv4),
 * for the offloads @p ol; @p ip is the IP header in the template, whose
 * length field is 0. */
static void
frame_offload(struct emit__frame *f, uint8_t *ip, uint64_t ol)
{
	uint64_t fl = 0;

	f->ip_csum = f->ipv4 && !(ol & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
	if (ol & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		f->udp_ol = 1;
		f->udp_csum = 0;
		fl |= RTE_MBUF_F_TX_UDP_CKSUM;
		if (f->ipv4) {
			struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

			/* the pseudo-header's length, total - 20, is 0 */
			h->total_length = rte_cpu_to_be_16(IP4_LEN);
			f->phdr0 = rte_ipv4_phdr_cksum(h, 0);
			h->total_length = 0;
		} else {
			f->phdr0 = rte_ipv6_phdr_cksum(
				(const struct rte_ipv6_hdr *)ip, 0);
		}
	}
	if (f->ipv4 && (ol & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM))
		fl |= RTE_MBUF_F_TX_IP_CKSUM;
	if (fl == 0)
		return;
	fl |= f->ipv4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
	f->offload = 1;
	f->ol_flags = fl;
	f->tx_offload = rte_mbuf_tx_offload(f->ip_off,
		f->udp_off - f->ip_off, 0, 0, 0, 0, 0);
	f->desc_ol = EMIT_DESC_OFFLOAD(f->ol_flags, f->tx_offload);
}

/* Vose's alias table of the weighted list: exact integer arithmetic on
 * weight * nb against the sum of the weights. */
static void
size_alias(struct emit__frame *f, const struct emit_size_mix *m)
{
	uint64_t q[EMIT_SIZE_LIST_MAX], sum = 0;
	unsigned int small[EMIT_SIZE_LIST_MAX] = {0};
	unsigned int large[EMIT_SIZE_LIST_MAX] = {0};
	unsigned int ns = 0, nl = 0, i;

	for (i = 0; i < m->nb; i++)
		sum += m->weight[i];
	for (i = 0; i < m->nb; i++) {
		f->size_len[i] = m->len[i];
		q[i] = (uint64_t)m->weight[i] * m->nb;
		if (q[i] < sum)
			small[ns++] = i;
		else
			large[nl++] = i;
	}
	while (ns != 0 && nl != 0) {
		unsigned int s = small[--ns], l = large[nl - 1];

		f->size_prob[s] = (q[s] << 32) / sum;
		f->size_alias[s] = (uint16_t)l;
		q[l] -= sum - q[s];
		if (q[l] < sum) {
			nl--;
			small[ns++] = l;
		}
	}
	while (nl != 0) {
		i = large[--nl];
		f->size_prob[i] = 1ull << 32;
		f->size_alias[i] = (uint16_t)i;
	}
	while (ns != 0) { /* only by rounding; never reached exactly */
		i = small[--ns];
		f->size_prob[i] = 1ull << 32;
		f->size_alias[i] = (uint16_t)i;
	}
	f->size_nb = m->nb;
}

void
emit__frame_setup(struct emit__frame *f, uint8_t *tmpl,
		uint8_t *tmpl_c, const struct emit_frame_conf *fc, uint16_t id,
		uint64_t offloads)
{
	unsigned int l2 = ETH_LEN + VLAN_LEN * fc->nb_vlan, i, ipw;
	struct emit_hdr *h;
	uint16_t tci, et;

	memset(f, 0, sizeof(*f));
	memset(tmpl, 0, EMIT__TMPL_LEN);
	memcpy(tmpl, &fc->dst_mac.lo, RTE_ETHER_ADDR_LEN);
	memcpy(tmpl + 6, &fc->src_mac.lo, RTE_ETHER_ADDR_LEN);
	for (i = 0; i < fc->nb_vlan; i++) {
		et = rte_cpu_to_be_16(i == 0 && fc->nb_vlan == 2 ?
			RTE_ETHER_TYPE_QINQ : RTE_ETHER_TYPE_VLAN);
		tci = rte_cpu_to_be_16((uint16_t)(fc->vlan_prio << 13 |
			fc->vlan[i].lo));
		memcpy(tmpl + 12 + (size_t)VLAN_LEN * i, &et, 2);
		memcpy(tmpl + 14 + (size_t)VLAN_LEN * i, &tci, 2);
	}
	f->ip_off = (uint16_t)l2;
	if (fc->l3 == EMIT_L3_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(tmpl + l2);

		et = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = (uint8_t)(fc->dscp << 2);
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = fc->ttl;
		ip->next_proto_id = IPPROTO_UDP;
		memcpy(&ip->src_addr, fc->src_ip.lo, 4);
		memcpy(&ip->dst_addr, fc->dst_ip.lo, 4);
		f->ip_sum0 = rte_raw_cksum(ip, sizeof(*ip));
		f->ipv4 = 1;
		f->len_off = (uint16_t)(l2 + 2);
		f->len_sub = (uint16_t)l2;
		f->udp_off = (uint16_t)(l2 + IP4_LEN);
		f->udp_csum = fc->udp_csum;
		ipw = 4;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(tmpl + l2);

		et = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28 |
			(uint32_t)fc->dscp << 22);
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = fc->ttl;
		memcpy(ip->src_addr, fc->src_ip.lo, 16);
		memcpy(ip->dst_addr, fc->dst_ip.lo, 16);
		f->len_off = (uint16_t)(l2 + 4);
		f->len_sub = (uint16_t)(l2 + IP6_LEN);
		f->udp_off = (uint16_t)(l2 + IP6_LEN);
		f->udp_csum = 1;
		ipw = 16;
	}
	memcpy(tmpl + l2 - 2, &et, 2);
	et = rte_cpu_to_be_16(fc->src_port.lo);
	memcpy(tmpl + f->udp_off, &et, 2);
	et = rte_cpu_to_be_16(fc->dst_port.lo);
	memcpy(tmpl + f->udp_off + 2, &et, 2);
	f->l2l4 = (uint16_t)(f->udp_off + UDP_LEN);
	h = (struct emit_hdr *)(tmpl + f->l2l4);
	h->magic = rte_cpu_to_be_16(EMIT_MAGIC);
	h->version = EMIT_VERSION;
	h->sender = rte_cpu_to_be_16(id);
	f->sender_be = rte_cpu_to_be_16(id);
	f->tmpl_copy = f->l2l4 + 8u <= 64u ? 64 : EMIT__TMPL_LEN;
	frame_offload(f, tmpl + l2, offloads);

	field_add(f, 0, 6, be_to_u128(fc->dst_mac.lo.addr_bytes, 6),
		be_to_u128(fc->dst_mac.hi.addr_bytes, 6), 0);
	field_add(f, 6, 6, be_to_u128(fc->src_mac.lo.addr_bytes, 6),
		be_to_u128(fc->src_mac.hi.addr_bytes, 6), 0);
	for (i = 0; i < fc->nb_vlan; i++) {
		unsigned int p = (unsigned int)fc->vlan_prio << 13;

		field_add(f, 14 + VLAN_LEN * i, 2, p | fc->vlan[i].lo,
			p | fc->vlan[i].hi, 0);
	}
	/* Addresses are in the IPv4 header sum, and in the pseudo-header's
	 * when the build writes it. */
	field_add(f, l2 + (ipw == 4 ? 12 : 8), ipw,
		be_to_u128(fc->src_ip.lo, ipw), be_to_u128(fc->src_ip.hi, ipw),
		ipw == 4 || f->udp_ol);
	field_add(f, l2 + (ipw == 4 ? 16 : 24), ipw,
		be_to_u128(fc->dst_ip.lo, ipw), be_to_u128(fc->dst_ip.hi, ipw),
		ipw == 4 || f->udp_ol);
	field_add(f, f->udp_off, 2, fc->src_port.lo, fc->src_port.hi, 0);
	field_add(f, f->udp_off + 2u, 2, fc->dst_port.lo, fc->dst_port.hi, 0);
	f->vary = (uint8_t)fc->vary;
	/* splitmix of the seed, so that nearby seeds give unrelated runs */
	f->rng = fc->seed * 0x9e3779b97f4a7c15ull;

	f->size_mode = (uint8_t)fc->size.mode;
	switch (fc->size.mode) {
	case EMIT_SIZE_FIXED:
		f->size_lo = fc->size.lo;
		break;
	case EMIT_SIZE_RANGE:
		f->size_lo = fc->size.lo;
		f->size_span = (uint32_t)fc->size.hi - fc->size.lo + 1;
		break;
	case EMIT_SIZE_LIST:
		size_alias(f, &fc->size);
		break;
	default:
		break;
	}
	f->may_compact = fc->size.mode != EMIT_SIZE_CLAIM &&
		len_min(fc) < f->l2l4 + EMIT_HDR_LEN;
	f->plain = f->ipv4 && fc->nb_vlan == 0 && f->nb_field == 0 &&
		!f->offload;
	f->plain_burst = f->plain && !f->udp_csum;
	f->plain_stamp = f->plain_burst && !f->may_compact;
	/* The compact header's frame: the same headers, then magic, version
	 * and sender; seq and time are stamped at commit. */
	memset(tmpl_c, 0, EMIT__TMPL_C_LEN);
	if (f->plain) {
		memcpy(tmpl_c, tmpl, f->l2l4 + 2u);
		tmpl_c[f->l2l4 + 2u] = EMIT_VERSION_COMPACT;
		memcpy(tmpl_c + f->l2l4 + 3u, &f->sender_be, 2);
	}
}
