/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen options: table, parsing, cross-checks, usage. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gen_opts.h"
#include "gen_parse.h"

enum opt_id {
	O_RATE, O_SIZE, O_BURST, O_LINGER, O_DURATION, O_COUNT, O_SENDERS,
	O_TX, O_RING, O_POLICY, O_FLOWS, O_SRC_MAC, O_DST_MAC, O_SRC_IP,
	O_DST_IP, O_SPORT, O_DPORT, O_TYPE, O_PATTERN, O_LAYOUT, O_RINGS,
	O_TX_LATENCY, O_INTERVAL, O_JSON,
	O_HELP, O_VERSION,
};

struct opt {
	const char *name;
	enum opt_id id;
	int has_arg;
	const char *accepts; /* what the value may be, for messages */
};

static const struct opt opts[] = {
	{ "rate", O_RATE, 1, "events/s with K/M/G suffixes (0 = as fast as "
		"possible), or bits/s on the wire with a bps, Kbps, Mbps or "
		"Gbps suffix" },
	{ "size", O_SIZE, 1, "frame bytes, 66..2048" },
	{ "burst", O_BURST, 1, "events per burst, 1..64" },
	{ "linger-us", O_LINGER, 1, "microseconds, 0..60000000" },
	{ "duration", O_DURATION, 1, "seconds, 0 (no limit)..31536000, "
		"e.g. 2.5" },
	{ "count", O_COUNT, 1, "events per sender, 1..18446744073709551615, "
		"with K/M/G suffixes" },
	{ "senders", O_SENDERS, 1, "sender lcores, 1..64" },
	{ "tx-cores", O_TX, 1, "TX lcores, 1..64" },
	{ "ring-size", O_RING, 1, "a power of two larger than --burst, at "
		"most 1048576 (Ki/Mi suffixes, e.g. 4Ki)" },
	{ "policy", O_POLICY, 1, "drop, hold or spin" },
	{ "flows", O_FLOWS, 1, "UDP source ports per sender, 1..65535" },
	{ "src-mac", O_SRC_MAC, 1, "a MAC address such as 02:00:00:00:00:01" },
	{ "dst-mac", O_DST_MAC, 1, "a MAC address such as 02:00:00:00:00:02" },
	{ "src-ip", O_SRC_IP, 1, "an IPv4 address such as 10.0.0.1" },
	{ "dst-ip", O_DST_IP, 1, "an IPv4 address such as 10.0.0.2" },
	{ "sport", O_SPORT, 1, "a UDP port, 1..65535" },
	{ "dport", O_DPORT, 1, "a UDP port, 1..65535" },
	{ "type", O_TYPE, 1, "an event type, 0..65535" },
	{ "pattern", O_PATTERN, 1, "counter, zero or none" },
	{ "layout", O_LAYOUT, 1, "split or rtc" },
	{ "rings", O_RINGS, 1, "desc or mbuf" },
	{ "tx-latency", O_TX_LATENCY, 1, "off, burst or packet" },
	{ "stats-interval", O_INTERVAL, 1, "seconds, 0 (quiet)..3600, "
		"e.g. 0.5" },
	{ "json", O_JSON, 1, "a file name, or - for stdout" },
	{ "help", O_HELP, 0, NULL },
	{ "version", O_VERSION, 0, NULL },
};

void
gen_opts_defaults(struct gen_opts *o)
{
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };

	memset(o, 0, sizeof(*o));
	(void)snprintf(o->rate_arg, sizeof(o->rate_arg), "0");
	o->size = 128;
	o->burst = 32;
	o->duration_ns = 5000000000ull;
	o->ring_size = 1024;
	o->policy = EMIT_POLICY_HOLD;
	o->flows = 1;
	memcpy(o->src_mac, src, 6);
	memcpy(o->dst_mac, dst, 6);
	o->src_ip = (10u << 24) | 1;
	o->dst_ip = (10u << 24) | 2;
	o->sport = 9000;
	o->dport = 9001;
	o->type = 1;
	o->pattern = GEN_PATTERN_COUNTER;
	o->tx_latency = EMIT_TX_LATENCY_BURST;
	o->interval_ns = 1000000000ull;
}

static void
errf_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	/* An error message may be cut to fit the caller's buffer. */
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line, whatever the quoted argument held. */
	for (c = err; errlen != 0 && *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/* Write the message and evaluate to -1. A macro, not a variadic function
 * returning -1: the static analyzer does not follow variadic calls and
 * would take any value for the result. */
#define errf(err, errlen, ...) (errf_set(err, errlen, __VA_ARGS__), -1)

static int
bad_value(const struct opt *op, const char *val, const char *why,
		char *err, size_t errlen)
{
	return errf(err, errlen, "--%s: '%s' %s; expected %s", op->name, val,
		why, op->accepts);
}

/* A count option within [min, max]. */
static int
count_in(const struct opt *op, const char *val, uint64_t min, uint64_t max,
		uint64_t *out, char *err, size_t errlen)
{
	const char *why;

	if (gen_parse_count(val, UINT64_MAX, out, &why) != 0)
		return bad_value(op, val, why, err, errlen);
	if (*out < min || *out > max)
		return bad_value(op, val, "is out of range", err, errlen);
	return 0;
}

static int
set_rate(struct gen_opts *o, const struct opt *op, const char *val,
		char *err, size_t errlen)
{
	const char *why;
	uint64_t v;
	int bps;

	if (gen_parse_rate(val, UINT64_MAX, &v, &bps, &why) != 0)
		return bad_value(op, val, why, err, errlen);
	if (!bps && v > EMIT_RATE_MAX)
		return bad_value(op, val, "is too large (at most 1000G "
			"events/s)", err, errlen);
	if (bps && v == 0)
		return bad_value(op, val, "is zero (write 0 for as fast as "
			"possible)", err, errlen);
	if (strlen(val) >= sizeof(o->rate_arg))
		return bad_value(op, val, "is too long", err, errlen);
	(void)snprintf(o->rate_arg, sizeof(o->rate_arg), "%s", val); /* fits */
	o->rate = bps ? 0 : v;
	o->rate_bps = bps ? v : 0;
	return 0;
}

static int
set_value(struct gen_opts *o, const struct opt *op, const char *val,
		int *duration_set, char *err, size_t errlen)
{
	enum emit_ring_kind kind;
	const char *why = NULL;
	uint64_t v = 0;
	int rc = 0;

	switch (op->id) {
	case O_RATE:
		return set_rate(o, op, val, err, errlen);
	case O_SIZE:
		rc = count_in(op, val, GEN_SIZE_MIN, GEN_SIZE_MAX, &v, err,
			errlen);
		o->size = (uint32_t)v;
		break;
	case O_BURST:
		rc = count_in(op, val, 1, EMIT_BURST_MAX, &v, err, errlen);
		o->burst = (uint32_t)v;
		break;
	case O_LINGER:
		rc = count_in(op, val, 0, 60000000, &v, err, errlen);
		o->linger_us = (uint32_t)v;
		break;
	case O_DURATION:
		if (gen_parse_seconds(val, GEN_DURATION_MAX_S, &v, &why) != 0)
			return bad_value(op, val, why, err, errlen);
		o->duration_ns = v;
		*duration_set = 1;
		break;
	case O_COUNT:
		rc = count_in(op, val, 1, UINT64_MAX, &v, err, errlen);
		o->count = v;
		break;
	case O_SENDERS:
		rc = count_in(op, val, 1, EMIT_PIPELINE_MAX, &v, err, errlen);
		o->senders = (unsigned int)v;
		break;
	case O_TX:
		rc = count_in(op, val, 1, EMIT_PIPELINE_MAX, &v, err, errlen);
		o->tx_cores = (unsigned int)v;
		break;
	case O_RING:
		rc = count_in(op, val, 2, GEN_RING_SIZE_MAX, &v, err, errlen);
		if (rc == 0 && (v & (v - 1)) != 0)
			return bad_value(op, val, "is not a power of two",
				err, errlen);
		o->ring_size = (uint32_t)v;
		break;
	case O_POLICY:
		if (emit_policy_parse(val, &o->policy) != 0)
			return bad_value(op, val, "is not a policy", err,
				errlen);
		break;
	case O_FLOWS:
		rc = count_in(op, val, 1, UINT16_MAX, &v, err, errlen);
		o->flows = (uint32_t)v;
		break;
	case O_SRC_MAC:
	case O_DST_MAC:
		if (gen_parse_mac(val, op->id == O_SRC_MAC ? o->src_mac :
				o->dst_mac, &why) != 0)
			return bad_value(op, val, why, err, errlen);
		break;
	case O_SRC_IP:
	case O_DST_IP:
		if (gen_parse_ipv4(val, op->id == O_SRC_IP ? &o->src_ip :
				&o->dst_ip, &why) != 0)
			return bad_value(op, val, why, err, errlen);
		break;
	case O_SPORT:
	case O_DPORT:
		rc = count_in(op, val, 1, UINT16_MAX, &v, err, errlen);
		if (op->id == O_SPORT)
			o->sport = (uint16_t)v;
		else
			o->dport = (uint16_t)v;
		break;
	case O_TYPE:
		rc = count_in(op, val, 0, UINT16_MAX, &v, err, errlen);
		o->type = (uint16_t)v;
		break;
	case O_PATTERN:
		if (strcmp(val, "counter") == 0)
			o->pattern = GEN_PATTERN_COUNTER;
		else if (strcmp(val, "zero") == 0)
			o->pattern = GEN_PATTERN_ZERO;
		else if (strcmp(val, "none") == 0)
			o->pattern = GEN_PATTERN_NONE;
		else
			return bad_value(op, val, "is not a pattern", err,
				errlen);
		break;
	case O_LAYOUT:
		if (strcmp(val, "split") == 0)
			o->layout = GEN_LAYOUT_SPLIT;
		else if (strcmp(val, "rtc") == 0)
			o->layout = GEN_LAYOUT_RTC;
		else
			return bad_value(op, val, "is not a layout", err,
				errlen);
		break;
	case O_RINGS:
		if (emit_ring_kind_parse(val, &kind) != 0)
			return bad_value(op, val, "is not a ring kind", err,
				errlen);
		o->rings = kind == EMIT_RING_MBUF ? GEN_RINGS_MBUF :
			GEN_RINGS_DESC;
		break;
	case O_TX_LATENCY:
		if (emit_tx_latency_parse(val, &o->tx_latency) != 0)
			return bad_value(op, val, "is not a latency sampling",
				err, errlen);
		break;
	case O_INTERVAL:
		if (gen_parse_seconds(val, GEN_INTERVAL_MAX_S, &v, &why) != 0)
			return bad_value(op, val, why, err, errlen);
		o->interval_ns = v;
		o->interval_set = 1;
		break;
	case O_JSON:
		o->json = val;
		break;
	case O_HELP:
	case O_VERSION:
		break;
	}
	return rc;
}

/* Checks between options, once all are known. */
static int
cross_check(struct gen_opts *o, char *err, size_t errlen)
{
	if (o->ring_size <= o->burst)
		return errf(err, errlen, "--ring-size: %" PRIu32 " must be "
			"larger than --burst (%" PRIu32 ")", o->ring_size,
			o->burst);
	if (o->sport + o->flows - 1 > UINT16_MAX)
		return errf(err, errlen, "--flows: %" PRIu32 " flows from "
			"--sport %u go past UDP port 65535", o->flows,
			o->sport);
	if (o->rate_bps != 0) {
		uint64_t bits = (uint64_t)(o->size + GEN_WIRE_OVERHEAD) * 8;

		o->rate = o->rate_bps / bits;
		if (o->rate == 0)
			return errf(err, errlen, "--rate: '%s' is less than "
				"one %" PRIu32 "-byte frame (%" PRIu64 " bits "
				"on the wire) per second", o->rate_arg,
				o->size, bits);
		if (o->rate > EMIT_RATE_MAX)
			return errf(err, errlen, "--rate: '%s' is too large "
				"(at most 1000G events/s)", o->rate_arg);
	}
	return 0;
}

static const struct opt *
find_opt(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

int
gen_opts_parse(int argc, char *const argv[], struct gen_opts *o, char *err,
		size_t errlen)
{
	int i, duration_set = 0;

	gen_opts_defaults(o);
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *val;
		const struct opt *op;
		size_t len;

		if (strcmp(arg, "-h") == 0)
			return GEN_OPTS_HELP;
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (arg[0] == '-')
				return errf(err, errlen, "unknown option '%s' "
					"(EAL options go before --; see "
					"--help)", arg);
			return errf(err, errlen, "unexpected argument '%s' "
				"(see --help)", arg);
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		op = find_opt(name, len);
		if (op == NULL)
			return errf(err, errlen, "unknown option '--%.*s' "
				"(EAL options go before --; see --help)",
				(int)len, name);
		if (!op->has_arg) {
			if (eq != NULL)
				return errf(err, errlen, "--%s takes no value",
					op->name);
			return op->id == O_HELP ? GEN_OPTS_HELP :
				GEN_OPTS_VERSION;
		}
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
			val = argv[++i];
		else
			val = "";
		if (val[0] == '\0')
			return errf(err, errlen, "--%s: missing value; "
				"expected %s", op->name, op->accepts);
		if (set_value(o, op, val, &duration_set, err, errlen) != 0)
			return -1;
	}
	/* --count alone runs until the count, not for the default time. */
	if (o->count != 0 && !duration_set)
		o->duration_ns = 0;
	return cross_check(o, err, errlen);
}

const char *
gen_policy_name(enum emit_policy p)
{
	const char *name = emit_policy_name(p);

	return name != NULL ? name : "?";
}

const char *
gen_layout_name(enum gen_layout_mode m)
{
	return m == GEN_LAYOUT_RTC ? "rtc" : "split";
}

const char *
gen_rings_name(enum gen_rings r)
{
	return emit_ring_kind_name(r == GEN_RINGS_MBUF ? EMIT_RING_MBUF :
		EMIT_RING_DESC);
}

const char *
gen_pattern_name(enum gen_pattern p)
{
	return p == GEN_PATTERN_ZERO ? "zero" :
		p == GEN_PATTERN_NONE ? "none" : "counter";
}

const char *
gen_tx_latency_name(enum emit_tx_latency l)
{
	const char *name = emit_tx_latency_name(l);

	return name != NULL ? name : "?";
}

void
gen_format_mac(const uint8_t mac[6], char *buf)
{
	/* 17 characters and the NUL: never cut. */
	(void)snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
gen_format_ipv4(uint32_t ip, char *buf)
{
	/* At most 15 characters and the NUL: never cut. */
	(void)snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
		(ip >> 8) & 0xff, ip & 0xff);
}

void
gen_opts_usage(FILE *f)
{
	fputs(
"usage: emit-gen [EAL options --] [options]\n"
"\n"
"Generate emit events (Ethernet/IPv4/UDP frames with a 24-byte event\n"
"header) on every port EAL brings. Without EAL options it starts EAL on two\n"
"lcores, --no-huge --no-pci, one net_null port and a private file prefix.\n"
"\n"
"Numbers take K/M/G (x1000) and Ki/Mi/Gi (x1024) suffixes; '2.5M' is\n"
"2500000. Bit rates count what a frame takes on the wire: its bytes plus\n"
"24 (preamble and delimiter 8, FCS 4, inter-frame gap 12).\n"
"\n"
"  --rate R            total events/s over all senders, split evenly\n"
"                      (0 = as fast as possible, default); or a bit rate\n"
"                      on the wire: 10Gbps, 100Mbps, 500Kbps, 9600bps.\n"
"                      Each sender's token bucket holds 20 ms of events, so\n"
"                      a sender that lost its CPU catches up; it starts\n"
"                      once that bucket would have filled from empty\n"
"  --size B            frame bytes without FCS, 66..2048 (default 128)\n"
"  --burst N           events per burst, sender and TX, 1..64 (default 32)\n"
"  --linger-us U       flush a partial burst older than U us (default 0:\n"
"                      bursts leave when full)\n"
"  --duration S        seconds to generate (default 5; 0 = until SIGINT)\n"
"  --count N           events per sender; alone, no time limit; with\n"
"                      --duration, whichever comes first\n"
"  --senders N         sender lcores (default: half the lcores, rounded up)\n"
"  --tx-cores N        TX lcores (default: the other lcores); TX stage j\n"
"                      uses port j % ports, one TX queue each\n"
"  --layout L          split (default: senders and TX stages on separate\n"
"                      lcores) or rtc (run to completion: every lcore runs a\n"
"                      sender and the TX stage draining its ring; --senders\n"
"                      sets how many lcores, --tx-cores is not used)\n"
"  --ring-size N       slots per sender ring, a power of two (default 1024)\n"
"  --rings K           desc (default: the rings carry descriptors and the TX\n"
"                      stage writes each mbuf's header, which then never\n"
"                      leaves the TX lcore) or mbuf (the rings carry\n"
"                      complete mbufs, written by the sender)\n"
"  --policy P          when a ring is full: hold (default: wait, nothing\n"
"                      lost), drop (free and count), spin (retry 100 us,\n"
"                      then drop)\n"
"  --flows N           UDP source ports sport..sport+N-1, in turn (default 1)\n"
"  --src-mac M, --dst-mac M   (default 02:00:00:00:00:01, :02)\n"
"  --src-ip A, --dst-ip A     (default 10.0.0.1, 10.0.0.2)\n"
"  --sport P, --dport P       UDP ports (default 9000, 9001)\n"
"  --type T            event type in the header (default 1)\n"
"  --pattern P         payload: counter (default; the sender's 64-bit event\n"
"                      counter, big-endian, repeated; equals the seq), zero,\n"
"                      or none (not written, as testpmd's txonly)\n"
"  --tx-latency L      commit-to-TX latency samples: burst (default: the\n"
"                      first packet of each TX burst), packet (every\n"
"                      packet; costs throughput) or off\n"
"  --stats-interval S  progress line on stderr every S seconds (default 1 on\n"
"                      a terminal, else off; 0 = off)\n"
"  --json FILE|-       write the JSON report to FILE; '-' writes only JSON\n"
"                      on stdout and the summary on stderr\n"
"  --help, --version\n"
"\n"
"The main lcore works when the lcores are all used: it runs TX stage 0.\n"
"SIGINT or SIGTERM stops generation and drains; a second one stops at once.\n"
"Exit status: 0 done, 1 runtime failure (conservation, mempools not full,\n"
"set-up), 2 bad usage.\n", f);
}
