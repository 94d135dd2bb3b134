/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame module unit tests: every header stack (0, 1, 2 VLAN tags; IPv4,
 * IPv6; UDP checksum or not) built by a real sender decodes back to what
 * was configured; every variation mode walks or draws its range, across
 * its extremes (ranges of one value, the whole port range, IPv6 ranges
 * across a 64-bit boundary); the IPv4 header checksum kept incrementally
 * equals a full recompute at every step; per-event sizes (60 to 9600
 * bytes, ranges, weighted lists) and the compact header. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define NB_MBUF 511
#define RING 512

static struct rte_mempool *pool;   /* default buffers */
static struct rte_mempool *jumbo;  /* 9600-byte frames */
static struct rte_ring *ring;

static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 1 };

struct got {
	struct emit_decoded ev;
	uint32_t pkt_len;
	uint16_t ip_csum;      /* as received */
	uint16_t ip_csum_full; /* recomputed over the received header */
	uint16_t udp_csum;
};

static struct emit_sender *
make(const struct emit_frame_conf *fc, struct rte_mempool *mp,
		uint16_t burst)
{
	struct emit_sender_conf sc;
	struct emit_sender *s;

	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = ring;
	sc.id = 77;
	sc.burst = burst;
	sc.frame = fc;
	s = emit_sender_create(&sc);
	assert_non_null(s);
	return s;
}

/* Decode one mbuf from the ring; the IPv4 header checksum is recomputed
 * in full for comparison. */
static void
take(struct got *g)
{
	struct rte_mbuf *m = NULL;
	const uint8_t *p;
	struct rte_ipv4_hdr ip;
	uint32_t l2;

	assert_int_equal(rte_ring_dequeue(ring, (void **)&m), 0);
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	g->pkt_len = m->pkt_len;
	assert_int_equal(m->data_len, m->pkt_len);
	assert_int_equal(emit_decode(p, m->data_len, &g->ev), 0);
	l2 = 14u + 4u * g->ev.nb_vlan;
	if (g->ev.l3 == EMIT_L3_IPV4) {
		memcpy(&ip, p + l2, sizeof(ip));
		g->ip_csum = ip.hdr_checksum;
		ip.hdr_checksum = 0;
		g->ip_csum_full = rte_ipv4_cksum(&ip);
		memcpy(&g->udp_csum, p + l2 + 26, 2);
	} else {
		memcpy(&g->udp_csum, p + l2 + 46, 2);
	}
	rte_pktmbuf_free(m);
}

/* One event: a single claim of @p len bytes, filled, committed. */
static void
one(struct emit_sender *s, uint16_t len, struct got *g)
{
	uint8_t *d = NULL;

	assert_int_equal(emit_claim(s, 5, len, (void **)&d), 0);
	memset(d, 0xa5, len);
	assert_int_equal(emit_commit(s), 0);
	take(g);
}

static uint64_t
be_n(const uint8_t *b, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

static void
test_conf(void **state)
{
	struct emit_frame_conf fc, bad;

	(void)state;
	emit_frame_conf_init(&fc);
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(emit_frame_l2l4_len(&fc), EMIT_L2L4_LEN);
	assert_int_equal(emit_frame_len_min(&fc), 60);
	assert_int_equal(emit_frame_len_max(&fc, 10), EMIT_FRAME_OVERHEAD + 10);
	fc.l3 = EMIT_L3_IPV6;
	memcpy(fc.src_ip.lo, v6a, 16);
	memcpy(fc.src_ip.hi, v6a, 16);
	memcpy(fc.dst_ip.lo, v6b, 16);
	memcpy(fc.dst_ip.hi, v6b, 16);
	fc.nb_vlan = 2;
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(emit_frame_l2l4_len(&fc), 14 + 8 + 40 + 8);
	assert_int_equal(emit_frame_len_min(&fc), 70 + EMIT_HDR_COMPACT_LEN);
	emit_frame_conf_init(&fc);
	emit_size_mix_imix(&fc.size);
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	/* (7 * 60 + 4 * 590 + 1514) / 12, rounded */
	assert_int_equal(emit_frame_len_mean(&fc, 0), 358);
	assert_int_equal(emit_frame_len_max(&fc, 0), 1514);
	fc.size.mode = EMIT_SIZE_RANGE;
	fc.size.lo = 60;
	fc.size.hi = 9600;
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(emit_frame_len_mean(&fc, 0), 4830);

#define BAD(mutate) do { \
		emit_frame_conf_init(&bad); \
		mutate; \
		assert_int_equal(emit_frame_conf_check(&bad), -EINVAL); \
		assert_int_equal(emit_frame_l2l4_len(&bad), -EINVAL); \
	} while (0)
	BAD(bad.l3 = (enum emit_l3)5);
	BAD(bad.nb_vlan = 3);
	BAD(bad.vlan_prio = 8);
	BAD(bad.nb_vlan = 1; bad.vlan[0].lo = 4096; bad.vlan[0].hi = 4096);
	BAD(bad.nb_vlan = 2; bad.vlan[1].lo = 5; bad.vlan[1].hi = 4);
	BAD(bad.src_mac.lo.addr_bytes[5] = 9);
	BAD(bad.dst_mac.hi.addr_bytes[0] = 1);
	BAD(emit_ip_range_set4(&bad.src_ip, 10, 9));
	BAD(emit_ip_range_set4(&bad.dst_ip, 10, 9));
	BAD(bad.src_ip.lo[4] = 1);               /* IPv6 bytes in IPv4 */
	/* IPv6 addresses may have any bytes (::a00:1 here), but not a span
	 * of 2^64 */
	emit_frame_conf_init(&bad);
	bad.l3 = EMIT_L3_IPV6;
	assert_int_equal(emit_frame_conf_check(&bad), 0);
	memset(bad.src_ip.hi, 0xff, 16);
	memset(bad.src_ip.lo, 0, 16);
	memcpy(bad.dst_ip.lo, v6a, 16);
	memcpy(bad.dst_ip.hi, v6a, 16);
	assert_int_equal(emit_frame_conf_check(&bad), -EINVAL);
	BAD(bad.src_port.lo = 2; bad.src_port.hi = 1);
	BAD(bad.dst_port.lo = 2; bad.dst_port.hi = 1);
	BAD(bad.vary = (enum emit_vary)2);
	BAD(bad.ttl = 0);
	BAD(bad.dscp = 64);
	BAD(bad.udp_csum = 2);
	BAD(bad.size.mode = (enum emit_size_mode)9);
	BAD(bad.size.mode = EMIT_SIZE_FIXED; bad.size.lo = 59);
	BAD(bad.size.mode = EMIT_SIZE_FIXED; bad.size.lo = 9601);
	BAD(bad.size.mode = EMIT_SIZE_RANGE; bad.size.lo = 100;
		bad.size.hi = 99);
	BAD(bad.size.mode = EMIT_SIZE_RANGE; bad.size.lo = 60;
		bad.size.hi = 9601);
	BAD(bad.size.mode = EMIT_SIZE_LIST; bad.size.nb = 0);
	BAD(bad.size.mode = EMIT_SIZE_LIST; bad.size.nb = 17);
	BAD(emit_size_mix_imix(&bad.size); bad.size.weight[1] = 0);
	BAD(emit_size_mix_imix(&bad.size); bad.size.weight[0] = 1u << 24);
	/* A 60-byte frame does not fit a tagged stack. */
	BAD(bad.nb_vlan = 1; bad.size.mode = EMIT_SIZE_FIXED;
		bad.size.lo = 60);
	BAD(bad.l3 = EMIT_L3_IPV6; memcpy(bad.src_ip.lo, v6a, 16);
		memcpy(bad.src_ip.hi, v6a, 16); memcpy(bad.dst_ip.lo, v6a, 16);
		memcpy(bad.dst_ip.hi, v6a, 16); bad.size.mode = EMIT_SIZE_FIXED;
		bad.size.lo = 79);
#undef BAD
	assert_int_equal(emit_frame_conf_check(NULL), -EINVAL);
	assert_int_equal(emit_frame_len_min(NULL), -EINVAL);
	assert_int_equal(emit_frame_len_max(NULL, 0), -EINVAL);
	assert_int_equal(emit_frame_len_mean(NULL, 0), -EINVAL);
	emit_frame_conf_init(NULL);
	emit_size_mix_imix(NULL);
	emit_ip_range_set4(NULL, 0, 0);
}

/* The sender refuses a bad frame and a pool too small for the mix. */
static void
test_sender_refuses(void **state)
{
	struct emit_sender_conf sc;
	struct emit_frame_conf fc;

	(void)state;
	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = ring;
	sc.id = 78;
	sc.frame = &fc;
	emit_frame_conf_init(&fc);
	fc.ttl = 0;
	assert_null(emit_sender_create(&sc));
	assert_int_equal(rte_errno, EINVAL);
	emit_frame_conf_init(&fc);
	fc.size.mode = EMIT_SIZE_FIXED;
	fc.size.lo = 9600; /* the default pool holds 2048 */
	assert_null(emit_sender_create(&sc));
	assert_int_equal(rte_errno, EINVAL);
}

/* Every stack, fixed fields: decoded as configured, checksums valid. */
static void
test_stacks(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct got g;
	unsigned int nv, v6, cs, k;

	(void)state;
	for (nv = 0; nv <= 2; nv++)
	for (v6 = 0; v6 <= 1; v6++)
	for (cs = 0; cs <= 1; cs++) {
		emit_frame_conf_init(&fc);
		fc.nb_vlan = (uint8_t)nv;
		fc.vlan_prio = 5;
		fc.vlan[0].lo = fc.vlan[0].hi = 100;
		fc.vlan[1].lo = fc.vlan[1].hi = 4095;
		fc.udp_csum = (uint8_t)cs;
		fc.dscp = 46;
		if (v6) {
			fc.l3 = EMIT_L3_IPV6;
			memcpy(fc.src_ip.lo, v6a, 16);
			memcpy(fc.src_ip.hi, v6a, 16);
			memcpy(fc.dst_ip.lo, v6b, 16);
			memcpy(fc.dst_ip.hi, v6b, 16);
		}
		s = make(&fc, pool, 1);
		for (k = 0; k < 4; k++) {
			uint16_t len = (uint16_t)(k * 37);

			one(s, len, &g);
			assert_int_equal(g.ev.sender, 77);
			assert_int_equal(g.ev.seq, k);
			assert_int_equal(g.ev.type, 5);
			assert_int_equal(g.ev.version, EMIT_VERSION);
			assert_int_equal(g.ev.payload_len, len);
			assert_int_equal(g.ev.nb_vlan, nv);
			assert_int_equal(g.ev.l3, v6 ? 6 : 4);
			assert_int_equal(g.pkt_len, emit_frame_l2l4_len(&fc) +
				EMIT_HDR_LEN + len);
			assert_int_equal(g.ev.frame_len, g.pkt_len);
			assert_int_equal(g.ev.src_port, 9000);
			assert_int_equal(g.ev.dst_port, 9001);
			if (len != 0)
				assert_int_equal(g.ev.payload[len - 1], 0xa5);
			if (nv >= 1)
				assert_int_equal(g.ev.vlan_tci[0],
					5 << 13 | 100);
			if (nv == 2)
				assert_int_equal(g.ev.vlan_tci[1],
					5 << 13 | 4095);
			if (v6) {
				assert_memory_equal(g.ev.src_ip6, v6a, 16);
				assert_memory_equal(g.ev.dst_ip6, v6b, 16);
				assert_int_not_equal(g.udp_csum, 0);
			} else {
				assert_int_equal(g.ev.src_ip,
					RTE_IPV4(10, 0, 0, 1));
				assert_int_equal(g.ip_csum, g.ip_csum_full);
				if (cs)
					assert_int_not_equal(g.udp_csum, 0);
				else
					assert_int_equal(g.udp_csum, 0);
			}
		}
		emit_sender_free(s);
	}
}

/* The legacy flow gives the same frames as before: nb_flows ports. */
static void
test_flow_compat(void **state)
{
	struct emit_sender_conf sc;
	struct emit_sender *s;
	struct got g;
	unsigned int k;

	(void)state;
	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = ring;
	sc.id = 79;
	sc.burst = 1;
	sc.flow.src_port = 65533;
	sc.flow.nb_flows = 3;
	s = emit_sender_create(&sc);
	assert_non_null(s);
	for (k = 0; k < 7; k++) {
		one(s, 8, &g);
		assert_int_equal(g.ev.src_port, 65533 + k % 3);
		assert_int_equal(g.pkt_len, EMIT_FRAME_OVERHEAD + 8);
	}
	emit_sender_free(s);
}

/* IPv4 address ranges walked in steps: every value in turn, the header
 * checksum kept incrementally equal to a full recompute at every step. */
static void
test_inc_ipv4_csum(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct got g;
	unsigned int k, n = 800;

	(void)state;
	emit_frame_conf_init(&fc);
	/* 10.0.255.200 .. 10.1.1.44 (357 addresses): carries through the
	 * low 16 bits */
	emit_ip_range_set4(&fc.src_ip, RTE_IPV4(10, 0, 255, 200),
		RTE_IPV4(10, 1, 1, 44));
	emit_ip_range_set4(&fc.dst_ip, 0xc0a80000u /* 192.168.0.0 */,
		0xc0a80006u /* 192.168.0.6 */);
	fc.dscp = 10;
	s = make(&fc, pool, 1);
	for (k = 0; k < n; k++) {
		one(s, (uint16_t)(k % 50), &g);
		assert_int_equal(g.ev.src_ip, RTE_IPV4(10, 0, 255, 200) +
			k % 357);
		assert_int_equal(g.ev.dst_ip, 0xc0a80000u /* 192.168.0.0 */ +
			k % 7);
		assert_int_equal(g.ip_csum, g.ip_csum_full);
	}
	emit_sender_free(s);
	/* The extremes of the address space: 0.0.0.0 .. 0.0.0.3 and
	 * 255.255.255.252 .. 255.255.255.255, random. */
	emit_frame_conf_init(&fc);
	emit_ip_range_set4(&fc.src_ip, 0, 3);
	emit_ip_range_set4(&fc.dst_ip, 0xfffffffcu, 0xffffffffu);
	fc.vary = EMIT_VARY_RANDOM;
	fc.udp_csum = 1;
	s = make(&fc, pool, 1);
	for (k = 0; k < 200; k++) {
		one(s, 3, &g);
		assert_true(g.ev.src_ip <= 3);
		assert_true(g.ev.dst_ip >= 0xfffffffcu);
		assert_int_equal(g.ip_csum, g.ip_csum_full);
	}
	emit_sender_free(s);
}

/* The whole 16-bit port range, in steps, through burst claims; and a
 * range of one value is a fixed field. */
static void
test_port_ranges(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	void *d[32];
	struct got g;
	uint32_t k = 0, i;
	int n;

	(void)state;
	emit_frame_conf_init(&fc);
	fc.src_port.lo = 0;
	fc.src_port.hi = 65535;
	fc.dst_port.lo = fc.dst_port.hi = 7;
	s = make(&fc, pool, 32);
	while (k < 65536 + 64) {
		n = emit_claim_burst(s, 1, 0, d, 32);
		assert_int_equal(n, 32);
		assert_int_equal(emit_commit_burst(s, 32), 32);
		for (i = 0; i < 32; i++, k++) {
			take(&g);
			assert_int_equal(g.ev.src_port, k & 0xffff);
			assert_int_equal(g.ev.dst_port, 7);
		}
	}
	emit_sender_free(s);
}

/* IPv6 ranges across a 64-bit boundary, stepped and random; MACs and
 * VLAN ids of a QinQ stack vary with them. */
static void
test_ipv6_ranges(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct got g;
	unsigned int k, vary, seen = 0;

	(void)state;
	for (vary = 0; vary <= 1; vary++) {
		emit_frame_conf_init(&fc);
		fc.l3 = EMIT_L3_IPV6;
		fc.vary = (enum emit_vary)vary;
		fc.seed = 42;
		/* ...:ffff:ffff:ffff:fffe .. ...:1:0:0:0:1, 4 addresses */
		memcpy(fc.src_ip.lo, v6a, 16);
		memcpy(fc.src_ip.hi, v6b, 16);
		memcpy(fc.dst_ip.lo, v6b, 16);
		memcpy(fc.dst_ip.hi, v6b, 16);
		fc.nb_vlan = 2;
		fc.vlan[0].lo = 10;
		fc.vlan[0].hi = 12;
		fc.vlan[1].lo = 4094;
		fc.vlan[1].hi = 4095;
		fc.src_mac.hi.addr_bytes[4] = 1; /* 02:..:00:01 .. 02:..:01:01 */
		s = make(&fc, pool, 1);
		for (k = 0; k < 400; k++) {
			uint64_t hi, lo;
			unsigned int idx;

			one(s, 16, &g);
			hi = be_n(g.ev.src_ip6, 8);
			lo = be_n(g.ev.src_ip6 + 8, 8);
			/* index from lo: fffe, ffff, then 0, 1 above */
			if (hi == 0x20010db800000000ull) {
				assert_true(lo >= 0xfffffffffffffffeull);
				idx = (unsigned int)(lo - 0xfffffffffffffffeull);
			} else {
				assert_int_equal(hi, 0x20010db800000001ull);
				assert_true(lo <= 1);
				idx = 2 + (unsigned int)lo;
			}
			if (vary == EMIT_VARY_INC)
				assert_int_equal(idx, k % 4);
			seen |= 1u << idx;
			assert_memory_equal(g.ev.dst_ip6, v6b, 16);
			assert_true((g.ev.vlan_tci[0] & 0xfff) >= 10);
			assert_true((g.ev.vlan_tci[0] & 0xfff) <= 12);
			assert_true((g.ev.vlan_tci[1] & 0xfff) >= 4094);
			if (vary == EMIT_VARY_INC) {
				assert_int_equal(g.ev.vlan_tci[0], 10 + k % 3);
				assert_int_equal(g.ev.vlan_tci[1], 4094 + k % 2);
				assert_int_equal(be_n(g.ev.src_mac.addr_bytes,
					6), 0x020000000001ull +
					(uint64_t)(k % 257));
			}
			assert_true(be_n(g.ev.src_mac.addr_bytes, 6) <=
				0x020000000101ull);
		}
		assert_int_equal(seen, 0xf);
		emit_sender_free(s);
	}
}

/* The same seed gives the same frames; a random draw covers its range. */
static void
test_random_seed(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct got g;
	uint16_t a[300];
	unsigned int k, run, hits[16];

	(void)state;
	for (run = 0; run < 3; run++) {
		emit_frame_conf_init(&fc);
		fc.vary = EMIT_VARY_RANDOM;
		fc.seed = run == 2 ? 8 : 7;
		fc.src_port.lo = 1000;
		fc.src_port.hi = 1015;
		memset(hits, 0, sizeof(hits));
		s = make(&fc, pool, 1);
		for (k = 0; k < 300; k++) {
			one(s, 0, &g);
			assert_true(g.ev.src_port >= 1000 &&
				g.ev.src_port <= 1015);
			hits[g.ev.src_port - 1000]++;
			if (run == 0)
				a[k] = g.ev.src_port;
			else if (run == 1)
				assert_int_equal(a[k], g.ev.src_port);
		}
		for (k = 0; k < 16; k++)
			assert_true(hits[k] > 0);
		emit_sender_free(s);
	}
}

/* The smallest frames: 60 bytes with the compact header, its fields. */
static void
test_compact(void **state)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct got g;
	unsigned int k;
	uint64_t now;

	(void)state;
	emit_frame_conf_init(&fc);
	fc.size.mode = EMIT_SIZE_FIXED;
	fc.size.lo = 60;
	fc.udp_csum = 1;
	s = make(&fc, pool, 1);
	for (k = 0; k < 5; k++) {
		one(s, 0, &g);
		assert_int_equal(g.pkt_len, 60);
		assert_int_equal(g.ev.version, EMIT_VERSION_COMPACT);
		assert_int_equal(g.ev.time_bits, EMIT_COMPACT_TIME_BITS);
		assert_int_equal(g.ev.sender, 77);
		assert_int_equal(g.ev.seq, k);
		assert_int_equal(g.ev.payload_len, 0);
		assert_int_equal(g.ip_csum, g.ip_csum_full);
		assert_int_not_equal(g.udp_csum, 0);
		now = (uint64_t)time(NULL) * 1000000000ull;
		/* restored from a receive time within seconds */
		assert_true(emit_time_expand(g.ev.time_ns, g.ev.time_bits,
			now) + 5000000000ull > now);
		assert_true(emit_time_expand(g.ev.time_ns, g.ev.time_bits,
			now) < now + 5000000000ull);
	}
	/* A claim with payload that does not fit gets a full header. */
	one(s, 4, &g);
	assert_int_equal(g.ev.version, EMIT_VERSION);
	assert_int_equal(g.pkt_len, EMIT_FRAME_OVERHEAD + 4);
	assert_int_equal(g.ev.seq, 5);
	emit_sender_free(s);
	/* Tagged IPv6 at its own minimum: compact too. */
	emit_frame_conf_init(&fc);
	fc.l3 = EMIT_L3_IPV6;
	memcpy(fc.src_ip.lo, v6a, 16);
	memcpy(fc.src_ip.hi, v6a, 16);
	memcpy(fc.dst_ip.lo, v6b, 16);
	memcpy(fc.dst_ip.hi, v6b, 16);
	fc.nb_vlan = 1;
	fc.size.lo = (uint16_t)emit_frame_len_min(&fc);
	fc.size.mode = EMIT_SIZE_FIXED;
	s = make(&fc, pool, 1);
	one(s, 0, &g);
	assert_int_equal(g.pkt_len, 66 + EMIT_HDR_COMPACT_LEN);
	assert_int_equal(g.ev.version, EMIT_VERSION_COMPACT);
	emit_sender_free(s);
}

/* The default frame at 60 bytes through burst claims (constant offsets,
 * the compact header's template): every byte the full path writes, seq
 * running across bursts, single claims and a burst whose payload needs
 * the full header; the byte counter counts 60 a frame. */
static void
test_compact_burst(void **state)
{
	static const uint8_t magic[2] = { 0x45, 0x4d };
	struct emit_sender_stats st;
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct rte_mbuf *m = NULL;
	const uint8_t *p;
	uint64_t seq = 0, now, bytes = 0;
	void *d[8];
	unsigned int k, i;
	struct got g;

	(void)state;
	emit_frame_conf_init(&fc);
	fc.size.mode = EMIT_SIZE_FIXED;
	fc.size.lo = 60;
	s = make(&fc, pool, 8);
	for (k = 0; k < 4; k++) {
		assert_int_equal(emit_claim_burst(s, 9, 0, d, 8), 8);
		assert_int_equal(emit_commit_burst(s, 8), 8);
		for (i = 0; i < 8; i++) {
			assert_int_equal(rte_ring_dequeue(ring, (void **)&m),
				0);
			p = rte_pktmbuf_mtod(m, const uint8_t *);
			assert_int_equal(m->pkt_len, 60);
			assert_int_equal(m->data_len, 60);
			/* the payload (none) ends the frame */
			assert_ptr_equal(d[i], p + 60);
			/* IPv4 total length 46, UDP length 26 */
			assert_int_equal(be_n(p + 16, 2), 46);
			assert_int_equal(be_n(p + 38, 2), 26);
			assert_memory_equal(p + EMIT_L2L4_LEN, magic, 2);
			assert_int_equal(p[EMIT_L2L4_LEN + 2],
				EMIT_VERSION_COMPACT);
			assert_int_equal(be_n(p + EMIT_L2L4_LEN + 3, 2), 77);
			assert_int_equal(be_n(p + EMIT_L2L4_LEN + 5, 8), seq);
			rte_pktmbuf_free(m);
			m = NULL;
			seq++;
			bytes += 60;
		}
	}
	/* the same frame from a single claim, decoded */
	assert_int_equal(emit_claim(s, 9, 0, d), 0);
	assert_int_equal(emit_commit(s), 0);
	assert_int_equal(emit_flush(s), 1);
	take(&g);
	assert_int_equal(g.pkt_len, 60);
	assert_int_equal(g.ev.version, EMIT_VERSION_COMPACT);
	assert_int_equal(g.ev.sender, 77);
	assert_int_equal(g.ev.seq, seq++);
	assert_int_equal(g.ip_csum, g.ip_csum_full);
	assert_int_equal(g.udp_csum, 0);
	bytes += 60;
	/* a burst whose payload needs the full header, then compact again */
	assert_int_equal(emit_claim_burst(s, 9, 4, d, 2), 2);
	memset(d[0], 1, 4);
	memset(d[1], 2, 4);
	assert_int_equal(emit_commit_burst(s, 2), 2);
	assert_int_equal(emit_flush(s), 2);
	for (i = 0; i < 2; i++) {
		take(&g);
		assert_int_equal(g.pkt_len, EMIT_FRAME_OVERHEAD + 4);
		assert_int_equal(g.ev.version, EMIT_VERSION);
		assert_int_equal(g.ev.type, 9);
		assert_int_equal(g.ev.seq, seq++);
		assert_int_equal(g.ip_csum, g.ip_csum_full);
		assert_int_equal(g.ev.payload_len, 4);
		bytes += EMIT_FRAME_OVERHEAD + 4;
	}
	assert_int_equal(emit_claim_burst(s, 9, 0, d, 3), 3);
	assert_int_equal(emit_commit_burst(s, 3), 3);
	assert_int_equal(emit_flush(s), 3);
	now = (uint64_t)time(NULL) * 1000000000ull;
	for (i = 0; i < 3; i++) {
		take(&g);
		assert_int_equal(g.pkt_len, 60);
		assert_int_equal(g.ev.version, EMIT_VERSION_COMPACT);
		assert_int_equal(g.ev.time_bits, EMIT_COMPACT_TIME_BITS);
		assert_int_equal(g.ev.seq, seq++);
		assert_int_equal(g.ip_csum, g.ip_csum_full);
		assert_true(emit_time_expand(g.ev.time_ns, g.ev.time_bits,
			now) + 5000000000ull > now);
		assert_true(emit_time_expand(g.ev.time_ns, g.ev.time_bits,
			now) < now + 5000000000ull);
		bytes += 60;
	}
	assert_int_equal(emit_sender_stats_get(s, &st), 0);
	assert_int_equal(st.bytes_enqueued, bytes);
	assert_int_equal(st.events_enqueued, seq);
	emit_sender_free(s);
}

static void
test_time_expand(void **state)
{
	uint64_t m = (1ull << 40) - 1, t = 1700000000123456789ull;

	(void)state;
	assert_int_equal(emit_time_expand(t & m, 40, t + 1000), t);
	assert_int_equal(emit_time_expand(t & m, 40, t - 1000), t);
	assert_int_equal(emit_time_expand(t & m, 40, t), t);
	assert_int_equal(emit_time_expand(t, 64, 5), t);
	assert_int_equal(emit_time_expand(t, 0, 5), t);
	/* across a wrap of the low bits */
	t = (t | m) - 2;
	assert_int_equal(emit_time_expand((t + 10) & m, 40, t), t + 10);
	assert_int_equal(emit_time_expand(t & m, 40, t + 10), t);
}

/* Per-event sizes: 60 and 9600, a range, IMIX; the byte counters count
 * each frame's own length. */
static void
test_sizes(void **state)
{
	struct emit_sender_stats st;
	struct emit_frame_conf fc;
	struct emit_sender *s;
	uint32_t cnt[3] = { 0 }, k, i, n = 2400;
	uint64_t bytes = 0;
	void *d[32];
	struct got g;

	(void)state;
	/* jumbo, fixed */
	emit_frame_conf_init(&fc);
	fc.size.mode = EMIT_SIZE_FIXED;
	fc.size.lo = 9600;
	fc.udp_csum = 1;
	s = make(&fc, jumbo, 1);
	one(s, 100, &g);
	assert_int_equal(g.pkt_len, 9600);
	assert_int_equal(g.ev.payload_len, 9600 - EMIT_FRAME_OVERHEAD);
	assert_int_equal(g.ip_csum, g.ip_csum_full);
	emit_sender_free(s);
	/* a range over 60..9600: every length inside, both ends reached
	 * with a narrow range */
	emit_frame_conf_init(&fc);
	fc.size.mode = EMIT_SIZE_RANGE;
	fc.size.lo = 60;
	fc.size.hi = 63;
	s = make(&fc, pool, 1);
	for (k = 0; k < 200; k++) {
		one(s, 0, &g);
		assert_true(g.pkt_len >= 60 && g.pkt_len <= 63);
		cnt[0] |= 1u << (g.pkt_len - 60);
	}
	assert_int_equal(cnt[0], 0xf);
	emit_sender_free(s);
	fc.size.hi = 9600;
	s = make(&fc, jumbo, 1);
	for (k = 0; k < 100; k++) {
		one(s, 0, &g);
		assert_true(g.pkt_len >= 60 && g.pkt_len <= 9600);
		assert_int_equal(g.ev.version, g.pkt_len >=
			EMIT_FRAME_OVERHEAD ? EMIT_VERSION :
			EMIT_VERSION_COMPACT);
	}
	emit_sender_free(s);
	/* IMIX through burst claims: 7:4:1, and bytes counted per frame */
	emit_frame_conf_init(&fc);
	emit_size_mix_imix(&fc.size);
	fc.seed = 3;
	s = make(&fc, pool, 32);
	memset(cnt, 0, sizeof(cnt));
	for (k = 0; k < n; k += 32) {
		assert_int_equal(emit_claim_burst(s, 1, 0, d, 32), 32);
		assert_int_equal(emit_commit_burst(s, 32), 32);
		for (i = 0; i < 32; i++) {
			take(&g);
			bytes += g.pkt_len;
			if (g.pkt_len == 60)
				cnt[0]++;
			else if (g.pkt_len == 590)
				cnt[1]++;
			else if (g.pkt_len == 1514)
				cnt[2]++;
			else
				fail_msg("length %u", g.pkt_len);
			assert_int_equal(g.ev.seq, k + i);
		}
	}
	assert_int_equal(emit_sender_stats_get(s, &st), 0);
	assert_int_equal(st.bytes_enqueued, bytes);
	/* expected 1400, 800, 200: within 4 standard deviations */
	assert_true(cnt[0] > 1400 - 100 && cnt[0] < 1400 + 100);
	assert_true(cnt[1] > 800 - 90 && cnt[1] < 800 + 90);
	assert_true(cnt[2] > 200 - 56 && cnt[2] < 200 + 56);
	emit_sender_free(s);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_sender_refuses),
		cmocka_unit_test(test_stacks),
		cmocka_unit_test(test_flow_compat),
		cmocka_unit_test(test_inc_ipv4_csum),
		cmocka_unit_test(test_port_ranges),
		cmocka_unit_test(test_ipv6_ranges),
		cmocka_unit_test(test_random_seed),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_compact_burst),
		cmocka_unit_test(test_time_expand),
		cmocka_unit_test(test_sizes),
	};
	int rc;

	if (emit_test_eal_init("frame", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("frame_pool", NB_MBUF);
	jumbo = rte_pktmbuf_pool_create("frame_jumbo", 63, 0, 0,
		EMIT_FRAME_LEN_MAX + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	ring = emit_test_ring("frame_ring", RING);
	if (pool == NULL || jumbo == NULL || ring == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("frame", tests, NULL, NULL);
	rte_ring_free(ring);
	rte_mempool_free(jumbo);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
