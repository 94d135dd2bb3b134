/* SPDX-License-Identifier: BSD-3-Clause */
/* Decoder unit tests: frames built by a real sender decode to what was
 * committed; every malformation is refused with its own reason; every
 * truncation of a good frame and random or mutated bytes are refused or
 * decoded without reading past the frame (each input sits in a heap block
 * of exactly its length, so AddressSanitizer sees any over-read). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define MAX_FRAME 2048

static struct rte_mempool *pool;

/* Fixed-seed generator: runs are reproducible. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t
get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
ip_fix_cksum(uint8_t *f)
{
	uint16_t c;

	f[24] = 0;
	f[25] = 0;
	c = (uint16_t)~rte_raw_cksum(f + 14, 20);
	memcpy(f + 24, &c, 2); /* already in wire order */
}

/* Write a valid UDP checksum over the datagram at f + 34, if its UDP
 * length fits in the MAX_FRAME bytes of @p f. */
static void
udp_fix_cksum(uint8_t *f)
{
	uint16_t ulen = (uint16_t)(f[38] << 8 | f[39]);
	uint32_t sum;
	uint16_t c;

	if (ulen > MAX_FRAME - 34)
		return;
	f[40] = 0;
	f[41] = 0;
	sum = __rte_raw_cksum(f + 26, 8, 0);
	sum += rte_cpu_to_be_16((uint16_t)IPPROTO_UDP);
	sum += rte_cpu_to_be_16(ulen);
	sum = __rte_raw_cksum(f + 34, ulen, sum);
	c = (uint16_t)~__rte_raw_cksum_reduce(sum);
	if (c == 0)
		c = 0xffff;
	memcpy(f + 40, &c, 2);
}

/* Build a well-formed frame with @p plen payload bytes; returns its
 * length. Written byte by byte, independently of the library. */
static uint32_t
build(uint8_t *f, uint32_t plen, uint16_t sender, uint64_t seq)
{
	uint32_t flen = EMIT_FRAME_OVERHEAD + plen, i;
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };

	memset(f, 0, flen);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, (uint16_t)(flen - 14));
	put16(f + 20, 0x4000); /* DF */
	f[22] = 64;
	f[23] = 17;
	f[26] = 10; f[29] = 1;   /* 10.0.0.1 */
	f[30] = 10; f[33] = 2;   /* 10.0.0.2 */
	ip_fix_cksum(f);
	put16(f + 34, 9000);
	put16(f + 36, 9001);
	put16(f + 38, (uint16_t)(flen - 34));
	put16(f + 42, EMIT_MAGIC);
	f[44] = EMIT_VERSION;
	put16(f + 46, 0x0102);
	put16(f + 48, sender);
	put64(f + 50, seq);
	put64(f + 58, 0x1122334455667788ull);
	for (i = 0; i < plen; i++)
		f[66 + i] = (uint8_t)(i * 7 + 1);
	return flen;
}

/* Decode @p len bytes of @p src from a heap block of exactly that size. */
static int
decode_exact(const uint8_t *src, uint32_t len, struct emit_decoded *ev)
{
	uint8_t *copy = NULL;
	int rc;

	if (len > 0) {
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, src, len);
	}
	rc = emit_decode(copy, len, ev);
	if (rc == 0) {
		/* What was decoded lies inside the frame. */
		assert_true(ev->payload >= copy + EMIT_L2L4_LEN +
			EMIT_HDR_COMPACT_LEN);
		assert_true(ev->payload + ev->payload_len <= copy + len);
		assert_true(ev->frame_len <= len);
	}
	/* A mutation may make another valid stack (tags, the compact
	 * header); the offsets below are those of the default frame. */
	if (rc == 0 && ev->nb_vlan == 0 && ev->l3 == EMIT_L3_IPV4 &&
	    ev->version == EMIT_VERSION) {
		assert_int_equal(ev->frame_len,
			EMIT_FRAME_OVERHEAD + ev->payload_len);
		/* Fields are the bytes at their wire offsets. */
		assert_int_equal(ev->sender, get_be(copy + 48, 2));
		assert_int_equal(ev->seq, get_be(copy + 50, 8));
		assert_int_equal(ev->time_ns, get_be(copy + 58, 8));
		assert_int_equal(ev->type, get_be(copy + 46, 2));
		assert_int_equal(ev->dst_port, get_be(copy + 36, 2));
		assert_int_equal(ev->src_ip, get_be(copy + 26, 4));
	}
	free(copy);
	return rc;
}

#define ERR(r) EMIT_DECODE_ERR(EMIT_MALFORMED_ ## r)

static void
test_good_frames(void **state)
{
	uint8_t buf[MAX_FRAME + 8];
	struct emit_decoded ev;
	uint32_t plen, flen, off;

	(void)state;
	for (plen = 0; plen <= 1400; plen += 1 + plen / 3) {
		for (off = 0; off < 4; off++) {
			flen = build(buf + off, plen, 7, 1000 + plen);
			memset(&ev, 0xee, sizeof(ev));
			/* Any alignment: the frame may start at an odd byte. */
			assert_int_equal(emit_decode(buf + off, flen, &ev), 0);
			assert_int_equal(ev.sender, 7);
			assert_int_equal(ev.seq, 1000 + plen);
			assert_int_equal(ev.type, 0x0102);
			assert_int_equal(ev.version, EMIT_VERSION);
			assert_int_equal(ev.flags, 0);
			assert_int_equal(ev.time_ns, 0x1122334455667788ull);
			assert_int_equal(ev.src_ip, RTE_IPV4(10, 0, 0, 1));
			assert_int_equal(ev.dst_ip, RTE_IPV4(10, 0, 0, 2));
			assert_int_equal(ev.src_port, 9000);
			assert_int_equal(ev.dst_port, 9001);
			assert_int_equal(ev.src_mac.addr_bytes[5], 1);
			assert_int_equal(ev.dst_mac.addr_bytes[5], 2);
			assert_int_equal(ev.payload_len, plen);
			assert_ptr_equal(ev.payload, buf + off + 66);
			assert_int_equal(ev.frame_len, flen);
		}
	}
	/* The exact-size copy path agrees. */
	flen = build(buf, 5, 1, 2);
	assert_int_equal(decode_exact(buf, flen, &ev), 0);
}

static void
test_sender_frames(void **state)
{
	struct emit_sender_conf sc;
	struct emit_decoded ev;
	struct emit_sender *s;
	struct rte_ring *ring;
	struct rte_mbuf *m = NULL;
	uint8_t *data = NULL;
	uint16_t len;
	uint64_t seq;

	(void)state;
	ring = emit_test_ring("dec_ring", 64);
	assert_non_null(ring);
	emit_sender_conf_init(&sc);
	sc.mp = pool;
	sc.ring = ring;
	sc.id = 513;
	sc.burst = 1;
	sc.flow.src_ip = RTE_IPV4(10, 168, 1, 10);
	sc.flow.dst_ip = RTE_IPV4(10, 168, 1, 20);
	sc.flow.src_port = 4000;
	sc.flow.dst_port = 4789;
	sc.flow.nb_flows = 2;
	s = emit_sender_create(&sc);
	assert_non_null(s);
	for (seq = 0; seq < 40; seq++) {
		len = (uint16_t)(seq * 13);
		assert_int_equal(emit_claim(s, (uint16_t)(100 + seq), len,
			(void **)&data), 0);
		memset(data, (int)seq, len);
		assert_int_equal(emit_commit(s), 0);
		assert_int_equal(rte_ring_dequeue(ring, (void **)&m), 0);
		assert_int_equal(emit_decode(rte_pktmbuf_mtod(m, void *),
			m->data_len, &ev), 0);
		assert_int_equal(ev.sender, 513);
		assert_int_equal(ev.seq, seq);
		assert_int_equal(ev.type, 100 + seq);
		assert_true(ev.time_ns > 1600000000ull * 1000000000ull);
		assert_int_equal(ev.src_ip, RTE_IPV4(10, 168, 1, 10));
		assert_int_equal(ev.dst_ip, RTE_IPV4(10, 168, 1, 20));
		assert_int_equal(ev.src_port, 4000 + seq % 2);
		assert_int_equal(ev.dst_port, 4789);
		assert_int_equal(ev.payload_len, len);
		assert_int_equal(ev.frame_len, m->pkt_len);
		if (len > 0) {
			assert_int_equal(ev.payload[0], (uint8_t)seq);
			assert_int_equal(ev.payload[len - 1], (uint8_t)seq);
		}
		rte_pktmbuf_free(m);
	}
	emit_sender_free(s);
	emit_test_ring_drain(ring);
	rte_ring_free(ring);
}

static void
test_bad_args(void **state)
{
	uint8_t buf[128];
	struct emit_decoded ev;

	(void)state;
	build(buf, 8, 1, 1);
	assert_int_equal(emit_decode(buf, 74, NULL), -EINVAL);
	assert_int_equal(emit_decode(NULL, 74, &ev), -EINVAL);
	assert_int_equal(emit_decode(NULL, 0, &ev), ERR(TRUNCATED));
	assert_int_equal(emit_decode_reason(0), -EINVAL);
	assert_int_equal(emit_decode_reason(-EINVAL), -EINVAL);
	assert_int_equal(emit_decode_reason(1), -EINVAL);
	assert_int_equal(emit_decode_reason(-EMIT_DECODE_BASE + 1), -EINVAL);
	assert_int_equal(emit_decode_reason(
		EMIT_DECODE_ERR(EMIT_MALFORMED_MAX)), -EINVAL);
	assert_null(emit_malformed_name(EMIT_MALFORMED_MAX));
	assert_null(emit_malformed_name((enum emit_malformed)-1));
}

static void
test_reason_names(void **state)
{
	const char *a, *b;
	int r, q;

	(void)state;
	for (r = 0; r < EMIT_MALFORMED_MAX; r++) {
		assert_int_equal(emit_decode_reason(EMIT_DECODE_ERR(r)), r);
		/* Outside the errno range. */
		assert_true(EMIT_DECODE_ERR(r) <= -4096);
		a = emit_malformed_name((enum emit_malformed)r);
		assert_non_null(a);
		assert_true(strlen(a) > 0);
		for (q = 0; q < r; q++) {
			b = emit_malformed_name((enum emit_malformed)q);
			assert_string_not_equal(a, b);
		}
	}
	assert_string_equal(emit_malformed_name(EMIT_MALFORMED_IP_CKSUM),
		"ip_cksum");
}

/* Each malformation, alone, on an otherwise good frame. */
static void
test_each_malformation(void **state)
{
	uint8_t f[MAX_FRAME];
	struct emit_decoded ev;
	uint32_t n;

	(void)state;
#define CASE(expect, len_expr, mutate) do { \
		n = build(f, 16, 3, 9); \
		mutate; \
		assert_int_equal(decode_exact(f, (len_expr), &ev), expect); \
	} while (0)
	CASE(0, n, (void)0);
	/* Too short for Ethernet, IPv4, UDP. */
	CASE(ERR(TRUNCATED), 13, (void)0);
	CASE(ERR(TRUNCATED), 33, (void)0);
	CASE(ERR(TRUNCATED), 41, (void)0);
	/* Not IPv4: an IPv4 header under the IPv6 ethertype, ARP, a VLAN
	 * tag before no IP, a tag cut short. */
	CASE(ERR(IP_HDR), n, put16(f + 12, 0x86dd));
	CASE(ERR(NOT_IPV4), n, put16(f + 12, 0x0806));
	CASE(ERR(NOT_IPV4), n, put16(f + 12, 0x8100));
	CASE(ERR(TRUNCATED), 14, put16(f + 12, 0x86dd));
	CASE(ERR(TRUNCATED), 17, put16(f + 12, 0x8100));
	/* IP version and IHL. */
	CASE(ERR(IP_HDR), n, f[14] = 0x65; ip_fix_cksum(f));
	CASE(ERR(IP_HDR), n, f[14] = 0x44);
	CASE(ERR(IP_HDR), n, f[14] = 0x46; ip_fix_cksum(f));
	CASE(ERR(IP_HDR), n, f[14] = 0x4f);
	/* IPv4 header checksum: a changed field, a changed checksum. */
	CASE(ERR(IP_CKSUM), n, f[22] = 63);
	CASE(ERR(IP_CKSUM), n, f[25] ^= 0x01);
	CASE(ERR(IP_CKSUM), n, f[29] = 9);
	/* Fragments: MF, an offset; DF alone is fine. */
	CASE(ERR(IP_FRAGMENT), n, put16(f + 20, 0x2000); ip_fix_cksum(f));
	CASE(ERR(IP_FRAGMENT), n, put16(f + 20, 0x0001); ip_fix_cksum(f));
	CASE(0, n, put16(f + 20, 0x0000); ip_fix_cksum(f));
	/* Not UDP. */
	CASE(ERR(NOT_UDP), n, f[23] = 6; ip_fix_cksum(f));
	CASE(ERR(NOT_UDP), n, f[23] = 1; ip_fix_cksum(f));
	/* IPv4 total length below IP + UDP headers. */
	CASE(ERR(LENGTH), n, put16(f + 16, 27); ip_fix_cksum(f));
	CASE(ERR(LENGTH), n, put16(f + 16, 0); ip_fix_cksum(f));
	/* IPv4 total length beyond the frame: the frame was cut. */
	CASE(ERR(TRUNCATED), n - 1, (void)0);
	CASE(ERR(TRUNCATED), n, put16(f + 16, (uint16_t)(n - 13));
		ip_fix_cksum(f));
	/* Frame longer than the IPv4 packet (not minimum-size padding). */
	CASE(ERR(LENGTH), n + 1, f[n] = 0);
	CASE(ERR(LENGTH), n, put16(f + 16, (uint16_t)(n - 15));
		ip_fix_cksum(f));
	/* UDP length disagrees with the IPv4 payload length. */
	CASE(ERR(LENGTH), n, put16(f + 38, (uint16_t)(n - 35)));
	CASE(ERR(LENGTH), n, put16(f + 38, (uint16_t)(n - 33)));
	CASE(ERR(LENGTH), n, put16(f + 38, 0));
	/* UDP checksum: 0 and valid are fine; invalid is refused. */
	CASE(0, n, udp_fix_cksum(f));
	CASE(ERR(UDP_CKSUM), n, udp_fix_cksum(f); f[70] ^= 0x40);
	CASE(ERR(UDP_CKSUM), n, f[41] = 1);
	/* UDP datagram too short for the event header, padded or not. */
	CASE(ERR(TRUNCATED), 60, put16(f + 16, 46); put16(f + 38, 26);
		ip_fix_cksum(f));
	CASE(ERR(TRUNCATED), 65, put16(f + 16, 51); put16(f + 38, 31);
		ip_fix_cksum(f));
	/* A minimum-size frame may carry padding after the IPv4 packet. */
	CASE(ERR(TRUNCATED), 60, put16(f + 16, 40); put16(f + 38, 20);
		ip_fix_cksum(f));
	/* Event header. */
	CASE(ERR(MAGIC), n, put16(f + 42, 0x4d45));
	CASE(ERR(MAGIC), n, f[43] = 0);
	CASE(ERR(VERSION), n, f[44] = 0);
	CASE(ERR(VERSION), n, f[44] = 3);
	CASE(ERR(VERSION), n, f[44] = 0xff);
	/* Version 2 is the compact header: the rest of the frame is then
	 * its payload. */
	CASE(0, n, f[44] = EMIT_VERSION_COMPACT);
	assert_int_equal(ev.version, EMIT_VERSION_COMPACT);
	assert_int_equal(ev.payload_len, n - EMIT_L2L4_LEN -
		EMIT_HDR_COMPACT_LEN);
	/* Reserved flags are reported, not refused. */
	CASE(0, n, f[45] = 0x80);
	assert_int_equal(ev.flags, 0x80);
	/* An event with no payload at all. */
	n = build(f, 0, 3, 9);
	assert_int_equal(decode_exact(f, n, &ev), 0);
	assert_int_equal(ev.payload_len, 0);
#undef CASE
}

/* A good frame cut at every length is truncated, never read past. */
static void
test_every_truncation(void **state)
{
	static const uint32_t plens[] = { 0, 1, 7, 64, 1434 };
	uint8_t f[MAX_FRAME];
	struct emit_decoded ev;
	uint32_t i, n, len;

	(void)state;
	for (i = 0; i < RTE_DIM(plens); i++) {
		n = build(f, plens[i], 1, 1);
		for (len = 0; len < n; len++)
			assert_int_equal(decode_exact(f, len, &ev),
				ERR(TRUNCATED));
		assert_int_equal(decode_exact(f, n, &ev), 0);
	}
}

/* The result is 0 with consistent fields or one of the documented codes. */
static void
check_result(int rc, uint64_t *hits)
{
	int r;

	if (rc == 0) {
		hits[EMIT_MALFORMED_MAX]++;
		return;
	}
	r = emit_decode_reason(rc);
	assert_true(r >= 0 && r < EMIT_MALFORMED_MAX);
	hits[r]++;
}

static void
test_random_bytes(void **state)
{
	uint64_t hits[EMIT_MALFORMED_MAX + 1];
	uint8_t f[MAX_FRAME];
	struct emit_decoded ev;
	uint32_t i, j, len;

	(void)state;
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < 20000; i++) {
		len = (uint32_t)(rng() % 300);
		if (i % 50 == 0)
			len = (uint32_t)(rng() % MAX_FRAME);
		for (j = 0; j < len; j++)
			f[j] = (uint8_t)rng();
		/* Half of them look like IPv4 to get past the first check. */
		if (len >= 15 && (i & 1)) {
			put16(f + 12, 0x0800);
			f[14] = 0x45;
		}
		check_result(decode_exact(f, len, &ev), hits);
	}
	assert_true(hits[EMIT_MALFORMED_TRUNCATED] > 0);
	assert_true(hits[EMIT_MALFORMED_NOT_IPV4] > 0);
	assert_true(hits[EMIT_MALFORMED_IP_CKSUM] > 0);
}

/* Good frames with random bytes changed, checksums sometimes repaired,
 * lengths sometimes changed: every check is reached, none reads past. */
static void
test_mutations(void **state)
{
	uint64_t hits[EMIT_MALFORMED_MAX + 1];
	uint8_t f[MAX_FRAME + 64];
	struct emit_decoded ev;
	uint32_t i, k, n, len, pos;
	int r;

	(void)state;
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < 200000; i++) {
		n = build(f, (uint32_t)(rng() % 200), (uint16_t)rng(), rng());
		k = 1 + (uint32_t)(rng() % 3);
		while (k-- > 0) {
			/* Mostly in the headers, where the checks are. */
			pos = (uint32_t)(rng() % (rng() & 1 ? 70 : n));
			f[pos] = (uint8_t)rng();
		}
		if (rng() % 4 != 0)
			ip_fix_cksum(f);
		if (rng() % 8 == 0)
			udp_fix_cksum(f);
		len = n;
		switch (rng() % 8) {
		case 0:
			len = (uint32_t)(rng() % (n + 1));
			break;
		case 1:
			len = n + 1 + (uint32_t)(rng() % 40);
			memset(f + n, 0, len - n);
			break;
		default:
			break;
		}
		check_result(decode_exact(f, len, &ev), hits);
	}
	for (r = 0; r <= EMIT_MALFORMED_MAX; r++) {
		if (r < EMIT_MALFORMED_MAX)
			printf("  %-12s %" PRIu64 "\n",
				emit_malformed_name((enum emit_malformed)r),
				hits[r]);
		assert_true(hits[r] > 0);
	}
	printf("  %-12s %" PRIu64 "\n", "ok", hits[EMIT_MALFORMED_MAX]);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_frames),
		cmocka_unit_test(test_sender_frames),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_each_malformation),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_mutations),
	};
	int rc;

	if (emit_test_eal_init("decode", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("dec_pool", 255);
	if (pool == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("decode", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
