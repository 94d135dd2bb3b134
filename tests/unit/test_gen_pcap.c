/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen's pcap reader (--replay): both byte orders, both timestamp
 * units, and every refusal. No EAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gen_pcap.h"

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du

static char err[512];

/* A capture being written: byte order, bytes so far. */
struct cap {
	int be;
	size_t n;
	uint8_t b[1 << 16];
};

static void
put32(struct cap *c, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		c->b[c->n + (size_t)i] = (uint8_t)(c->be ?
			v >> (24 - 8 * i) : v >> (8 * i));
	c->n += 4;
}

static void
put16(struct cap *c, uint16_t v)
{
	c->b[c->n++] = (uint8_t)(c->be ? v >> 8 : v);
	c->b[c->n++] = (uint8_t)(c->be ? v : v >> 8);
}

static void
header(struct cap *c, int be, uint32_t magic, uint16_t major,
		uint32_t link)
{
	memset(c, 0, sizeof(*c));
	c->be = be;
	put32(c, magic);
	put16(c, major);
	put16(c, 4);
	put32(c, 0);          /* thiszone */
	put32(c, 0);          /* sigfigs */
	put32(c, 65535);      /* snaplen */
	put32(c, link);
}

/* A record of @p incl bytes (of @p orig), byte k of frame @p id being
 * id + k. */
static void
record(struct cap *c, uint32_t sec, uint32_t frac, uint32_t incl,
		uint32_t orig, uint8_t id)
{
	uint32_t k;

	put32(c, sec);
	put32(c, frac);
	put32(c, incl);
	put32(c, orig);
	for (k = 0; k < incl; k++)
		c->b[c->n++] = (uint8_t)(id + k);
}

static int
parse(const struct cap *c, uint32_t max, struct gen_pcap *p)
{
	err[0] = '\0';
	return gen_pcap_parse(c->b, c->n, max, p, err, sizeof(err));
}

static void
check_frame(const struct gen_pcap *p, uint32_t i, uint16_t len, uint8_t id)
{
	uint32_t k;

	assert_int_equal(p->len[i], len);
	for (k = 0; k < len; k++)
		assert_int_equal(p->data[p->off[i] + k], (uint8_t)(id + k));
}

/* Three frames in each byte order and unit: lengths, bytes, times. */
static void
test_good(void **state)
{
	static const uint32_t magic[2] = { MAGIC_US, MAGIC_NS };
	struct cap *c = malloc(sizeof(*c));
	struct gen_pcap p;
	int be, ns;

	(void)state;
	assert_non_null(c);
	for (be = 0; be < 2; be++)
		for (ns = 0; ns < 2; ns++) {
			header(c, be, magic[ns], 2, 1);
			record(c, 100, 5 * (ns ? 1000 : 1), 60, 60, 1);
			record(c, 100, 7 * (ns ? 1000 : 1), 1514, 1514, 2);
			record(c, 101, 5 * (ns ? 1000 : 1), 14, 14, 3);
			assert_int_equal(parse(c, 1514, &p), 0);
			assert_int_equal(p.big_endian, be);
			assert_int_equal(p.nsec, ns);
			assert_int_equal(p.nb, 3);
			assert_int_equal(p.bytes, 60 + 1514 + 14);
			assert_int_equal(p.min_len, 14);
			assert_int_equal(p.max_len, 1514);
			check_frame(&p, 0, 60, 1);
			check_frame(&p, 1, 1514, 2);
			check_frame(&p, 2, 14, 3);
			assert_int_equal(p.rel_ns[0], 0);
			assert_int_equal(p.rel_ns[1], 2 * 1000u);
			assert_int_equal(p.rel_ns[2], 1000000000u);
			assert_int_equal(p.loop_gap_ns, 500000000u);
			gen_pcap_free(&p);
			assert_null(p.data);
		}
	free(c);
}

/* A frame stamped before its predecessor goes at the predecessor's time;
 * one frame has no loop gap. */
static void
test_times(void **state)
{
	struct cap *c = malloc(sizeof(*c));
	struct gen_pcap p;

	(void)state;
	assert_non_null(c);
	header(c, 0, MAGIC_NS, 2, 1);
	record(c, 10, 500, 20, 20, 0);
	record(c, 10, 900, 20, 20, 0);
	record(c, 10, 100, 20, 20, 0);   /* before the first */
	record(c, 10, 700, 20, 20, 0);   /* before the second */
	record(c, 11, 0, 20, 20, 0);
	assert_int_equal(parse(c, 100, &p), 0);
	assert_int_equal(p.rel_ns[0], 0);
	assert_int_equal(p.rel_ns[1], 400);
	assert_int_equal(p.rel_ns[2], 400);
	assert_int_equal(p.rel_ns[3], 400);
	assert_int_equal(p.rel_ns[4], 1000000000u - 500);
	gen_pcap_free(&p);

	header(c, 1, MAGIC_US, 2, 1);
	record(c, 10, 999999, 20, 20, 0);
	assert_int_equal(parse(c, 100, &p), 0);
	assert_int_equal(p.nb, 1);
	assert_int_equal(p.rel_ns[0], 0);
	assert_int_equal(p.loop_gap_ns, 0);
	gen_pcap_free(&p);
	free(c);
}

/* A refusal: -1, one line containing @p what, nothing kept. */
static void
refused(const struct cap *c, uint32_t max, const char *what)
{
	struct gen_pcap p;

	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(parse(c, max, &p), -1);
	if (strstr(err, what) == NULL)
		fail_msg("'%s' does not say '%s'", err, what);
	assert_null(strchr(err, '\n'));
	assert_null(p.data);
	assert_null(p.off);
	assert_int_equal(p.nb, 0);
}

static void
test_bad(void **state)
{
	struct cap *c = malloc(sizeof(*c));
	size_t full;

	(void)state;
	assert_non_null(c);
	/* Not a pcap. */
	memset(c, 0, sizeof(*c));
	refused(c, 100, "not a pcap file: 0 bytes");
	c->n = 3;
	refused(c, 100, "not a pcap file: 3 bytes");
	memcpy(c->b, "GIF89a, not a capture at all....", 32);
	c->n = 32;
	refused(c, 100, "not a pcap file (magic 0x47494638)");
	header(c, 0, 0x0a0d0d0a, 2, 1);
	refused(c, 100, "pcapng");
	/* Cut inside the file header. */
	header(c, 0, MAGIC_US, 2, 1);
	c->n = 20;
	refused(c, 100, "truncated: 20 bytes, shorter than the 24-byte");
	/* Version, link type. */
	header(c, 0, MAGIC_US, 1, 1);
	refused(c, 100, "pcap version 1.4 is not supported");
	header(c, 1, MAGIC_NS, 2, 105);
	refused(c, 100, "link type 105, not Ethernet");
	/* Empty. */
	header(c, 0, MAGIC_US, 2, 1);
	refused(c, 100, "no frames");
	/* A record header cut short. */
	header(c, 0, MAGIC_US, 2, 1);
	record(c, 1, 0, 60, 60, 0);
	full = c->n;
	put32(c, 1);
	put32(c, 2);
	refused(c, 100, "truncated: frame 2's record header is cut");
	/* A frame cut short. */
	c->n = full;
	record(c, 1, 0, 60, 60, 0);
	c->n -= 1;
	refused(c, 100, "truncated: frame 2 has 60 bytes, the file only 59");
	/* A frame the capture cut (snap length). */
	header(c, 0, MAGIC_US, 2, 1);
	record(c, 1, 0, 60, 60, 0);
	record(c, 1, 0, 60, 1514, 0);
	refused(c, 2000, "frame 2: 60 of its 1514 bytes captured");
	/* Shorter than an Ethernet header. */
	header(c, 1, MAGIC_US, 2, 1);
	record(c, 1, 0, 13, 13, 0);
	refused(c, 100, "frame 1: 13 bytes, shorter than an Ethernet");
	/* Larger than allowed: oversize, and the 16-bit bound. */
	header(c, 0, MAGIC_NS, 2, 1);
	record(c, 1, 0, 60, 60, 0);
	record(c, 1, 0, 101, 101, 0);
	refused(c, 100, "frame 2: 101 bytes, larger than the largest frame "
		"(100)");
	header(c, 0, MAGIC_NS, 2, 1);
	put32(c, 1);
	put32(c, 0);
	put32(c, 65536);
	put32(c, 65536);
	memset(c->b + c->n, 0, 65536 - 64);
	c->n = sizeof(c->b);
	refused(c, UINT32_MAX, "truncated: frame 1 has 65536 bytes");
	/* Timestamp fractions out of range. */
	header(c, 0, MAGIC_US, 2, 1);
	record(c, 1, 1000000, 60, 60, 0);
	refused(c, 100, "frame 1: bad timestamp fraction 1000000");
	header(c, 1, MAGIC_NS, 2, 1);
	record(c, 1, 999999999, 60, 60, 0);
	record(c, 1, 1000000000, 60, 60, 0);
	refused(c, 100, "frame 2: bad timestamp fraction 1000000000");
	free(c);
}

/* From a file, and the file errors. */
static void
test_load(void **state)
{
	char path[] = "/tmp/test_gen_pcap.XXXXXX";
	struct cap *c = malloc(sizeof(*c));
	struct gen_pcap p;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(c);
	header(c, 0, MAGIC_US, 2, 1);
	record(c, 1, 0, 64, 64, 9);
	record(c, 1, 1, 128, 128, 7);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(c->b, 1, c->n, f), c->n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(gen_pcap_load(path, 2048, &p, err, sizeof(err)), 0);
	assert_int_equal(p.nb, 2);
	check_frame(&p, 0, 64, 9);
	check_frame(&p, 1, 128, 7);
	gen_pcap_free(&p);
	assert_int_equal(gen_pcap_load(path, 100, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "frame 2: 128 bytes, larger"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(gen_pcap_load(path, 2048, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));
	assert_non_null(strstr(err, path));
	assert_int_equal(gen_pcap_load("/", 2048, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	/* A zeroed capture frees nothing. */
	memset(&p, 0, sizeof(p));
	gen_pcap_free(&p);
	free(c);
}

/* The bytes before the network layer: tags counted. */
static void
test_l2_len(void **state)
{
	uint8_t f[64];

	(void)state;
	memset(f, 0, sizeof(f));
	f[12] = 0x08;
	assert_int_equal(gen_pcap_l2_len(f, sizeof(f)), 14);
	f[12] = 0x81;
	f[13] = 0x00;
	f[16] = 0x86;
	f[17] = 0xdd;
	assert_int_equal(gen_pcap_l2_len(f, sizeof(f)), 18);
	f[12] = 0x88;
	f[13] = 0xa8;
	f[16] = 0x81;
	f[17] = 0x00;
	f[20] = 0x08;
	assert_int_equal(gen_pcap_l2_len(f, sizeof(f)), 22);
	/* A tag cut by the end of the frame stops the walk. */
	assert_int_equal(gen_pcap_l2_len(f, 14), 18);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_l2_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
