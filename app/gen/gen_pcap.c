/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen --replay: read and check a classic pcap capture. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen_pcap.h"

#define FILE_HDR_LEN 24u
#define REC_HDR_LEN 16u
#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du
#define MAGIC_PCAPNG 0x0a0d0d0au
#define LINKTYPE_ETHERNET 1u

static int
errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* A message: cut to fit on purpose. */
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t
rd32(const uint8_t *b, int big_endian)
{
	if (big_endian)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			(uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		(uint32_t)b[1] << 8 | b[0];
}

static uint16_t
rd16(const uint8_t *b, int big_endian)
{
	return big_endian ? (uint16_t)(b[0] << 8 | b[1]) :
		(uint16_t)(b[1] << 8 | b[0]);
}

/* The file header: byte order and timestamp unit from the magic. */
static int
file_header(const uint8_t *buf, size_t size, struct gen_pcap *p, char *err,
		size_t errlen)
{
	uint32_t le, major, minor, link;

	if (size < 4)
		return errf(err, errlen, "not a pcap file: %zu bytes", size);
	le = rd32(buf, 0);
	if (le == MAGIC_US || le == MAGIC_NS) {
		p->big_endian = 0;
	} else if (rd32(buf, 1) == MAGIC_US || rd32(buf, 1) == MAGIC_NS) {
		p->big_endian = 1;
	} else if (le == MAGIC_PCAPNG) {
		return errf(err, errlen, "a pcapng file, not a classic pcap "
			"(convert it with: editcap -F pcap IN OUT)");
	} else {
		return errf(err, errlen, "not a pcap file (magic 0x%08" PRIx32
			")", rd32(buf, 1));
	}
	p->nsec = rd32(buf, p->big_endian) == MAGIC_NS;
	if (size < FILE_HDR_LEN)
		return errf(err, errlen, "truncated: %zu bytes, shorter than "
			"the %u-byte pcap file header", size, FILE_HDR_LEN);
	major = rd16(buf + 4, p->big_endian);
	minor = rd16(buf + 6, p->big_endian);
	if (major != 2)
		return errf(err, errlen, "pcap version %" PRIu32 ".%" PRIu32
			" is not supported (2.x is)", major, minor);
	link = rd32(buf + 20, p->big_endian) & 0xffffu; /* FCS bits above */
	if (link != LINKTYPE_ETHERNET)
		return errf(err, errlen, "link type %" PRIu32 ", not Ethernet "
			"(1)", link);
	return 0;
}

/* One record at @p pos: its frame's length and time (ns), checked. */
static int
record(const uint8_t *buf, size_t size, size_t pos, uint32_t idx,
		uint32_t max_frame, const struct gen_pcap *p, uint32_t *len,
		uint64_t *ts, char *err, size_t errlen)
{
	const uint8_t *r = buf + pos;
	uint32_t sec, frac, incl, orig;

	if (size - pos < REC_HDR_LEN)
		return errf(err, errlen, "truncated: frame %" PRIu32 "'s "
			"record header is cut at byte %zu", idx, size);
	sec = rd32(r, p->big_endian);
	frac = rd32(r + 4, p->big_endian);
	incl = rd32(r + 8, p->big_endian);
	orig = rd32(r + 12, p->big_endian);
	if (incl > size - pos - REC_HDR_LEN)
		return errf(err, errlen, "truncated: frame %" PRIu32 " has %"
			PRIu32 " bytes, the file only %zu more", idx, incl,
			size - pos - REC_HDR_LEN);
	if (frac >= (p->nsec ? 1000000000u : 1000000u))
		return errf(err, errlen, "frame %" PRIu32 ": bad timestamp "
			"fraction %" PRIu32, idx, frac);
	if (incl < orig)
		return errf(err, errlen, "frame %" PRIu32 ": %" PRIu32 " of "
			"its %" PRIu32 " bytes captured (cut by the snap "
			"length)", idx, incl, orig);
	if (incl < GEN_PCAP_FRAME_MIN)
		return errf(err, errlen, "frame %" PRIu32 ": %" PRIu32 " bytes,"
			" shorter than an Ethernet header", idx, incl);
	if (incl > max_frame)
		return errf(err, errlen, "frame %" PRIu32 ": %" PRIu32 " bytes,"
			" larger than the largest frame (%" PRIu32 ")", idx,
			incl, max_frame);
	*len = incl;
	*ts = (uint64_t)sec * 1000000000u +
		(p->nsec ? frac : (uint64_t)frac * 1000u);
	return 0;
}

/* Walk the records: with @p fill, store them (arrays sized by a first
 * walk without). */
static int
walk(const uint8_t *buf, size_t size, uint32_t max_frame, struct gen_pcap *p,
		int fill, char *err, size_t errlen)
{
	uint64_t ts = 0, ts0 = 0, rel, out = 0;
	size_t pos = FILE_HDR_LEN;
	uint32_t n = 0, len = 0;

	while (pos < size) {
		if (n == UINT32_MAX)
			return errf(err, errlen, "more than %" PRIu32 " frames",
				UINT32_MAX - 1);
		if (record(buf, size, pos, n + 1, max_frame, p, &len, &ts,
				err, errlen) != 0)
			return -1;
		if (fill) {
			if (n == 0)
				ts0 = ts;
			rel = ts > ts0 ? ts - ts0 : 0;
			if (n != 0 && rel < p->rel_ns[n - 1])
				rel = p->rel_ns[n - 1];
			p->off[n] = out;
			p->len[n] = (uint16_t)len;
			p->rel_ns[n] = rel;
			memcpy(p->data + out, buf + pos + REC_HDR_LEN, len);
		}
		if (n == 0 || len > p->max_len)
			p->max_len = len;
		if (n == 0 || len < p->min_len)
			p->min_len = len;
		out += len;
		pos += REC_HDR_LEN + len;
		n++;
	}
	if (n == 0)
		return errf(err, errlen, "no frames in the capture");
	p->nb = n;
	p->bytes = out;
	return 0;
}

int
gen_pcap_parse(const uint8_t *buf, size_t size, uint32_t max_frame,
		struct gen_pcap *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if (max_frame > UINT16_MAX)
		max_frame = UINT16_MAX;
	if (file_header(buf, size, p, err, errlen) != 0 ||
	    walk(buf, size, max_frame, p, 0, err, errlen) != 0) {
		memset(p, 0, sizeof(*p));
		return -1;
	}
	/* walk() refuses a capture without frames, and a frame has at
	 * least GEN_PCAP_FRAME_MIN bytes. */
	if (p->nb == 0 || p->bytes == 0) {
		memset(p, 0, sizeof(*p));
		return errf(err, errlen, "no frames in the capture");
	}
	p->data = malloc(p->bytes);
	p->off = calloc(p->nb, sizeof(*p->off));
	p->len = calloc(p->nb, sizeof(*p->len));
	p->rel_ns = calloc(p->nb, sizeof(*p->rel_ns));
	if (p->data == NULL || p->off == NULL || p->len == NULL ||
	    p->rel_ns == NULL) {
		gen_pcap_free(p);
		return errf(err, errlen, "no memory for the capture's %"
			PRIu32 " frames", p->nb);
	}
	/* Same bytes, same checks: cannot fail now. */
	if (walk(buf, size, max_frame, p, 1, err, errlen) != 0) {
		gen_pcap_free(p);
		return -1;
	}
	p->loop_gap_ns = p->nb > 1 ? p->rel_ns[p->nb - 1] / (p->nb - 1) : 0;
	return 0;
}

int
gen_pcap_load(const char *path, uint32_t max_frame, struct gen_pcap *p,
		char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t got;
	FILE *f;
	int rc;

	memset(p, 0, sizeof(*p));
	f = fopen(path, "rb");
	if (f == NULL)
		return errf(err, errlen, "cannot open '%s': %s", path,
			strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)fclose(f); /* read only: nothing to lose */
		return errf(err, errlen, "'%s' is not a regular file", path);
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		(void)fclose(f);
		return errf(err, errlen, "no memory to read '%s' (%jd bytes)",
			path, (intmax_t)st.st_size);
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (got != (size_t)st.st_size || ferror(f)) {
		free(buf);
		(void)fclose(f);
		return errf(err, errlen, "cannot read '%s'", path);
	}
	(void)fclose(f);
	rc = gen_pcap_parse(buf, got, max_frame, p, err, errlen);
	free(buf);
	return rc;
}

void
gen_pcap_free(struct gen_pcap *p)
{
	free(p->data);
	free(p->off);
	free(p->len);
	free(p->rel_ns);
	memset(p, 0, sizeof(*p));
}

uint32_t
gen_pcap_l2_len(const uint8_t *frame, uint32_t len)
{
	uint32_t off = 12;

	/* The outer type (or TPID) at 12; each tag adds 4 bytes. */
	while (off + 2 <= len) {
		uint16_t type = (uint16_t)(frame[off] << 8 | frame[off + 1]);

		if (type != 0x8100 && type != 0x88a8 && type != 0x9100)
			break;
		off += 4;
	}
	return off + 2;
}
