/* SPDX-License-Identifier: BSD-3-Clause */
/* Checksum offload (emit_sender_conf.tx_offloads): for every header stack
 * (0, 1, 2 VLAN tags; IPv4 with a UDP checksum, IPv6) with addresses,
 * ports and sizes varying per event, on a ring of complete mbufs and on a
 * descriptor ring through a TX stage (emit_tx_conf.desc_offload), each
 * frame carries what a NIC expects: ol_flags, l2_len and l3_len; an IPv4
 * header checksum of 0; a UDP checksum field equal to
 * rte_ipv4_phdr_cksum()/rte_ipv6_phdr_cksum() of the frame. Completed as a
 * NIC would, every frame decodes with its checksums verified (and before,
 * the IPv4 ones do not). Requests a frame cannot use are refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define EVENTS 400u
#define PORT_SLOTS 1024u

static struct rte_mempool *pool;
static unsigned int pool_full;

static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t v6c[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0x12, 0x34 };
static const uint8_t v6d[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0x13, 0x00 };

static const uint64_t ol_bits = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 |
	RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK;

/* Frames of @p l3 with @p nb_vlan tags, addresses, ports and VLAN ids in
 * ranges walked by @p vary, sizes from the claims or a range. */
static void
frame_conf(struct emit_frame_conf *fc, enum emit_l3 l3, unsigned int nb_vlan,
		enum emit_vary vary, int sized)
{
	unsigned int i;

	emit_frame_conf_init(fc);
	fc->l3 = l3;
	fc->nb_vlan = (uint8_t)nb_vlan;
	for (i = 0; i < nb_vlan; i++) {
		fc->vlan[i].lo = (uint16_t)(100 + i);
		fc->vlan[i].hi = (uint16_t)(107 + i);
	}
	if (l3 == EMIT_L3_IPV4) {
		emit_ip_range_set4(&fc->src_ip, RTE_IPV4(10, 0, 255, 250),
			RTE_IPV4(10, 1, 0, 9));
		/* 192.168.1.1-3 as literals: RTE_IPV4(192, ...) shifts an
		 * int past its sign (undefined). */
		emit_ip_range_set4(&fc->dst_ip, 0xc0a80101u, 0xc0a80103u);
		fc->udp_csum = 1;
	} else {
		memcpy(fc->src_ip.lo, v6a, 16);
		memcpy(fc->src_ip.hi, v6b, 16);
		memcpy(fc->dst_ip.lo, v6c, 16);
		memcpy(fc->dst_ip.hi, v6d, 16);
	}
	fc->src_port.lo = 1000;
	fc->src_port.hi = 1013;
	fc->dst_port.hi = 9005;
	fc->vary = vary;
	fc->seed = 42;
	if (sized) {
		int min = emit_frame_len_min(fc);

		assert_true(min > 0);
		fc->size.lo = (uint16_t)min;
		fc->size.mode = EMIT_SIZE_RANGE;
		fc->size.hi = 1514;
	}
}

/* The offloads a frame of @p fc carries. */
static uint64_t
all_offloads(const struct emit_frame_conf *fc)
{
	return fc->l3 == EMIT_L3_IPV4 ? RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM : RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
}

static struct emit_sender *
mk_sender(const struct emit_frame_conf *fc, struct rte_ring *r, int desc,
		uint64_t offloads)
{
	struct emit_sender_conf sc;
	struct emit_sender *s;

	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = r;
	sc.id = 9;
	sc.burst = 8;
	sc.policy = EMIT_POLICY_HOLD;
	sc.desc_ring = desc;
	sc.frame = fc;
	sc.tx_offloads = offloads;
	s = emit_sender_create(&sc);
	assert_non_null(s);
	return s;
}

/* Single claims and burst claims in turn, payload lengths varying. */
static void
produce(struct emit_sender *s, unsigned int n)
{
	unsigned int i = 0;

	while (i < n) {
		uint16_t len = (uint16_t)(i * 7u % 200u);

		if ((i / 5) % 2 == 0) {
			void *p = NULL;

			assert_int_equal(emit_claim(s, 3, len, &p), 0);
			memset(p, (int)(i & 0xff), len);
			assert_int_equal(emit_commit(s), 0);
			i++;
		} else {
			unsigned int want = RTE_MIN(5u, n - i), j;
			void *d[5];

			assert_int_equal(emit_claim_burst(s, 4, len, d, want),
				(int)want);
			for (j = 0; j < want; j++)
				memset(d[j], (int)((i + j) & 0xff), len);
			assert_int_equal(emit_commit_burst(s, want),
				(int)want);
			i += want;
		}
	}
	assert_true(emit_flush(s) >= 0);
}

/* Complete the checksums of frame @p p as a NIC does for the flags of
 * @p m: the IPv4 header checksum over the header, the UDP checksum over
 * the datagram whose checksum field holds the pseudo-header sum (0
 * becomes 0xffff). */
static void
nic_complete(const struct rte_mbuf *m, uint8_t *p)
{
	uint8_t *l3 = p + m->l2_len, *l4 = l3 + m->l3_len;
	uint16_t ulen, c;

	if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if ((m->ol_flags & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM) {
		memcpy(&ulen, l4 + 4, 2);
		c = (uint16_t)~rte_raw_cksum(l4, rte_be_to_cpu_16(ulen));
		if (c == 0)
			c = 0xffff;
		memcpy(l4 + 6, &c, 2);
	}
}

/* Check one frame that left a sender of @p fc with @p offloads. */
static void
check_frame(struct rte_mbuf *m, const struct emit_frame_conf *fc,
		uint64_t offloads)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	unsigned int l2 = 14u + 4u * fc->nb_vlan;
	uint64_t want = 0;
	struct emit_decoded ev;
	uint16_t field, ph;

	if (offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		want |= RTE_MBUF_F_TX_IP_CKSUM;
	if (offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		want |= RTE_MBUF_F_TX_UDP_CKSUM;
	want |= fc->l3 == EMIT_L3_IPV4 ? RTE_MBUF_F_TX_IPV4 :
		RTE_MBUF_F_TX_IPV6;
	assert_int_equal(m->ol_flags & ol_bits, want);
	assert_int_equal(m->l2_len, l2);
	assert_int_equal(m->l3_len, fc->l3 == EMIT_L3_IPV4 ? 20 : 40);
	assert_int_equal(m->l4_len, 0);
	memcpy(&field, p + l2 + m->l3_len + 6, 2);
	if (fc->l3 == EMIT_L3_IPV4) {
		const struct rte_ipv4_hdr *ip =
			(const struct rte_ipv4_hdr *)(p + l2);

		/* In software, the decoder below verifies it. */
		if (offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
			assert_int_equal(ip->hdr_checksum, 0);
		ph = rte_ipv4_phdr_cksum(ip, m->ol_flags);
		/* Not yet complete: the decoder refuses it. */
		if (offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
			assert_int_not_equal(emit_decode(p, m->data_len, &ev),
				0);
	} else {
		ph = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)(p + l2),
			m->ol_flags);
	}
	if (offloads & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
		assert_int_equal(field, ph);
	nic_complete(m, p);
	assert_int_equal(emit_decode(p, m->data_len, &ev), 0);
	assert_int_equal(ev.sender, 9);
	assert_int_equal(ev.nb_vlan, fc->nb_vlan);
	assert_int_equal(ev.l3, fc->l3);
}

/* EVENTS events of @p fc through a pointer ring (desc 0) or a descriptor
 * ring and a TX stage on a ring port (desc 1); every frame checked, in
 * the order sent. */
static void
run(const struct emit_frame_conf *fc, uint64_t offloads, int desc)
{
	static struct rte_mbuf *out[EVENTS + 1];
	struct rte_ring *r, *pring = NULL;
	struct emit_sender *s;
	struct emit_tx *tx = NULL;
	struct emit_tx_conf tc;
	unsigned int n, i;
	int port = -1;

	r = desc ? rte_ring_create_elem("csum_r", sizeof(struct emit_desc),
			1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ) :
		emit_test_ring("csum_r", 1024);
	assert_non_null(r);
	s = mk_sender(fc, r, desc, offloads);
	if (desc) {
		port = emit_test_ring_port("csum", PORT_SLOTS, pool, &pring);
		assert_true(port >= 0);
		emit_tx_conf_init(&tc);
		tc.port_id = (uint16_t)port;
		tc.rings[0] = r;
		tc.nb_rings = 1;
		tc.desc_rings = 1;
		tc.desc_offload = 1;
		tx = emit_tx_create(&tc);
		assert_non_null(tx);
	}
	produce(s, EVENTS);
	if (desc) {
		while (emit_tx_poll(tx) > 0)
			;
		n = rte_ring_dequeue_burst(pring, (void **)out, EVENTS + 1,
			NULL);
	} else {
		n = rte_ring_dequeue_burst(r, (void **)out, EVENTS + 1, NULL);
	}
	assert_int_equal(n, EVENTS);
	for (i = 0; i < n; i++)
		check_frame(out[i], fc, offloads);
	rte_pktmbuf_free_bulk(out, n);
	if (tx != NULL)
		emit_tx_free(tx);
	emit_sender_free(s);
	if (desc)
		assert_int_equal(emit_test_ring_port_free((uint16_t)port,
			"csum", pring), 0);
	rte_ring_free(r);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

/* Every stack, both rings, fields stepped and drawn, sizes from claims
 * and from a range. */
static void
test_stacks(void **state)
{
	static const enum emit_l3 l3s[] = { EMIT_L3_IPV4, EMIT_L3_IPV6 };
	struct emit_frame_conf fc;
	unsigned int l, v, desc, vary, sized;

	(void)state;
	for (l = 0; l < 2; l++)
		for (v = 0; v <= EMIT_VLAN_MAX; v++)
			for (desc = 0; desc < 2; desc++)
				for (vary = 0; vary < 2; vary++)
					for (sized = 0; sized < 2; sized++) {
						frame_conf(&fc, l3s[l], v,
							(enum emit_vary)vary,
							(int)sized);
						run(&fc, all_offloads(&fc),
							(int)desc);
					}
}

/* One checksum offloaded, the other in software; fixed fields (the
 * pseudo-header from the template alone). */
static void
test_partial(void **state)
{
	struct emit_frame_conf fc;
	unsigned int desc;

	(void)state;
	for (desc = 0; desc < 2; desc++) {
		/* IPv4 without a UDP checksum: the header checksum only. */
		emit_frame_conf_init(&fc);
		run(&fc, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, (int)desc);
		/* UDP offloaded, the header checksum in software. */
		frame_conf(&fc, EMIT_L3_IPV4, 1, EMIT_VARY_RANDOM, 1);
		run(&fc, RTE_ETH_TX_OFFLOAD_UDP_CKSUM, (int)desc);
		/* Fixed fields, both offloaded; bits the frame does not use
		 * (the port's other offloads) are ignored. */
		emit_frame_conf_init(&fc);
		fc.udp_csum = 1;
		run(&fc, all_offloads(&fc) |
			RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, (int)desc);
	}
}

/* Without offload the mbufs carry no offload flag and no lengths. */
static void
test_none(void **state)
{
	struct emit_frame_conf fc;
	struct rte_ring *r;
	struct emit_sender *s;
	struct rte_mbuf *m = NULL;

	(void)state;
	frame_conf(&fc, EMIT_L3_IPV6, 2, EMIT_VARY_INC, 0);
	r = emit_test_ring("csum_none", 64);
	s = mk_sender(&fc, r, 0, 0);
	produce(s, 1);
	assert_int_equal(rte_ring_dequeue(r, (void **)&m), 0);
	assert_int_equal(m->ol_flags & ol_bits, 0);
	assert_int_equal(m->tx_offload, 0);
	rte_pktmbuf_free(m);
	emit_sender_free(s);
	rte_ring_free(r);
}

static void
expect_refused(const struct emit_frame_conf *fc, uint64_t offloads)
{
	struct emit_sender_conf sc;
	struct rte_ring *r = emit_test_ring("csum_bad", 64);

	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = r;
	sc.frame = fc;
	sc.tx_offloads = offloads;
	rte_errno = 0;
	assert_null(emit_sender_create(&sc));
	assert_int_equal(rte_errno, EINVAL);
	rte_ring_free(r);
}

/* Requests the frames cannot use; raw claims on an offloading sender; a
 * TX stage's desc_offload without descriptor rings. */
static void
test_refused(void **state)
{
	struct emit_frame_conf fc;
	struct emit_tx_conf tc;
	struct emit_sender *s;
	struct emit_tx *tx;
	struct rte_ring *r, *pring = NULL;
	void *f = NULL;
	int port;

	(void)state;
	frame_conf(&fc, EMIT_L3_IPV6, 0, EMIT_VARY_INC, 0);
	expect_refused(&fc, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
	expect_refused(&fc, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM);
	emit_frame_conf_init(&fc);
	expect_refused(&fc, RTE_ETH_TX_OFFLOAD_UDP_CKSUM);
	/* The legacy flow (no frame): IPv4 without a UDP checksum. */
	expect_refused(NULL, RTE_ETH_TX_OFFLOAD_UDP_CKSUM);

	r = emit_test_ring("csum_raw", 64);
	s = mk_sender(NULL, r, 0, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
	assert_int_equal(emit_claim_raw(s, 60, &f), -EINVAL);
	emit_sender_free(s);
	s = mk_sender(NULL, r, 0, 0);
	assert_int_equal(emit_claim_raw(s, 60, &f), 0);
	assert_int_equal(emit_abort(s), 0);
	emit_sender_free(s);

	port = emit_test_ring_port("csum_bad", PORT_SLOTS, pool, &pring);
	assert_true(port >= 0);
	emit_tx_conf_init(&tc);
	assert_int_equal(tc.desc_offload, 0);
	tc.port_id = (uint16_t)port;
	tc.rings[0] = r;
	tc.nb_rings = 1;
	tx = emit_tx_create(&tc);
	assert_non_null(tx);
	emit_tx_free(tx);
	tc.desc_offload = 1; /* without desc_rings */
	rte_errno = 0;
	assert_null(emit_tx_create(&tc));
	assert_int_equal(rte_errno, EINVAL);
	tc.desc_offload = 2;
	assert_null(emit_tx_create(&tc));
	assert_int_equal(emit_test_ring_port_free((uint16_t)port, "csum_bad",
		pring), 0);
	rte_ring_free(r);
	assert_int_equal(rte_mempool_avail_count(pool), pool_full);
}

/* The descriptor's offload word round-trips the mbuf fields. */
static void
test_desc_word(void **state)
{
	uint64_t fl = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
	uint64_t txo = rte_mbuf_tx_offload(22, 40, 0, 0, 0, 0, 0);
	uint32_t w = EMIT_DESC_OFFLOAD(fl, txo);

	(void)state;
	assert_int_equal((uint64_t)(w >> 16) << 52, fl);
	assert_int_equal(w & 0xffffu, txo);
	assert_int_equal(EMIT_DESC_OFFLOAD(0, 0), 0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desc_word),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_stacks),
	};
	static const char *const vdevs[] = { "net_null0", NULL };
	int rc;

	if (emit_test_eal_init("csum", "0", vdevs) != 0)
		return 1;
	pool = emit_test_pool("csum_pool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("csum", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
