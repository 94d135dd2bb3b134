/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen options: the table (help text and parser), checks. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gen_opts.h"
#include "common/opts.h"
#include "common/parse.h"

enum opt_id {
	O_RATE, O_SIZE, O_BURST, O_LINGER, O_DURATION, O_COUNT, O_SENDERS,
	O_TX, O_RING, O_POLICY, O_FLOWS, O_SRC_MAC, O_DST_MAC, O_SRC_IP,
	O_DST_IP, O_SPORT, O_DPORT, O_TYPE, O_PATTERN, O_LAYOUT, O_RINGS,
	O_TX_LATENCY, O_INTERVAL, O_JSON,
	O_HELP, O_VERSION,
};

static const struct cli_opt opts[] = {
	{ "Traffic:",
		"rate", 0, "R", "total events/s over all senders, split "
		"evenly (0 = as fast as possible, default); or a bit rate on "
		"the wire: 10Gbps, 100Mbps, 500Kbps, 9600bps. Each sender's "
		"token bucket holds 20 ms of events, so a sender that lost its "
		"CPU catches up; it starts once that bucket would have filled "
		"from empty",
		"events/s with K/M/G suffixes (0 = as fast as possible), or "
		"bits/s on the wire with a bps, Kbps, Mbps or Gbps suffix",
		O_RATE },
	{ NULL, "size", 0, "B", "frame bytes without FCS, 66..2048 "
		"(default 128)", "frame bytes, 66..2048", O_SIZE },
	{ NULL, "burst", 0, "N", "events per burst, sender and TX, 1..64 "
		"(default 32)", "events per burst, 1..64", O_BURST },
	{ NULL, "linger-us", 0, "U", "flush a partial burst older than U us "
		"(default 0: bursts leave when full)",
		"microseconds, 0..60000000", O_LINGER },
	{ NULL, "duration", 0, "S", "seconds to generate (default 5; 0 = "
		"until SIGINT)", "seconds, 0 (no limit)..31536000, e.g. 2.5",
		O_DURATION },
	{ NULL, "count", 0, "N", "events per sender; alone, no time limit; "
		"with --duration, whichever comes first",
		"events per sender, 1..18446744073709551615, with K/M/G "
		"suffixes", O_COUNT },
	{ "Lcores and rings:",
		"senders", 0, "N", "sender lcores (default: half the lcores, "
		"rounded up)", "sender lcores, 1..64", O_SENDERS },
	{ NULL, "tx-cores", 0, "N", "TX lcores (default: the other lcores); "
		"TX stage j uses port j % ports, one TX queue each",
		"TX lcores, 1..64", O_TX },
	{ NULL, "layout", 0, "L", "split (default: senders and TX stages on "
		"separate lcores) or rtc (run to completion: every lcore runs "
		"a sender and the TX stage draining its ring; --senders sets "
		"how many lcores, --tx-cores is not used)", "split or rtc",
		O_LAYOUT },
	{ NULL, "ring-size", 0, "N", "slots per sender ring, a power of two "
		"(default 1024)", "a power of two larger than --burst, at "
		"most 1048576 (Ki/Mi suffixes, e.g. 4Ki)", O_RING },
	{ NULL, "rings", 0, "K", "desc (default: the rings carry descriptors "
		"and the TX stage writes each mbuf's header, which then never "
		"leaves the TX lcore) or mbuf (the rings carry complete mbufs, "
		"written by the sender)", "desc or mbuf", O_RINGS },
	{ NULL, "policy", 0, "P", "when a ring is full: hold (default: wait, "
		"nothing lost), drop (free and count), spin (retry 100 us, "
		"then drop)", "drop, hold or spin", O_POLICY },
	{ "Frames:",
		"flows", 0, "N", "UDP source ports sport..sport+N-1, in turn "
		"(default 1)", "UDP source ports per sender, 1..65535",
		O_FLOWS },
	{ NULL, "src-mac", 0, "M", "source MAC address (default "
		"02:00:00:00:00:01)", "a MAC address such as "
		"02:00:00:00:00:01", O_SRC_MAC },
	{ NULL, "dst-mac", 0, "M", "destination MAC address (default "
		"02:00:00:00:00:02)", "a MAC address such as "
		"02:00:00:00:00:02", O_DST_MAC },
	{ NULL, "src-ip", 0, "A", "source IPv4 address (default 10.0.0.1)",
		"an IPv4 address such as 10.0.0.1", O_SRC_IP },
	{ NULL, "dst-ip", 0, "A", "destination IPv4 address (default "
		"10.0.0.2)", "an IPv4 address such as 10.0.0.2", O_DST_IP },
	{ NULL, "sport", 0, "P", "UDP source port (default 9000)",
		"a UDP port, 1..65535", O_SPORT },
	{ NULL, "dport", 0, "P", "UDP destination port (default 9001)",
		"a UDP port, 1..65535", O_DPORT },
	{ NULL, "type", 0, "T", "event type in the header (default 1)",
		"an event type, 0..65535", O_TYPE },
	{ NULL, "pattern", 0, "P", "payload: counter (default; the sender's "
		"64-bit event counter, big-endian, repeated; equals the seq), "
		"zero, or none (not written, as testpmd's txonly)",
		"counter, zero or none", O_PATTERN },
	{ NULL, "tx-latency", 0, "L", "commit-to-TX latency samples: burst "
		"(default: the first packet of each TX burst), packet (every "
		"packet; costs throughput) or off", "off, burst or packet",
		O_TX_LATENCY },
	{ "Output:",
		"stats-interval", 0, "S", "progress line on stderr every S "
		"seconds (default 1 on a terminal, else off; 0 = off)",
		"seconds, 0 (quiet)..3600, e.g. 0.5", O_INTERVAL },
	{ NULL, "json", 0, "FILE|-", "write the JSON report to FILE; '-' "
		"writes only JSON on stdout and the summary on stderr",
		"a file name, or - for stdout", O_JSON },
	{ NULL, "help", 'h', NULL, "this text", NULL, O_HELP },
	{ NULL, "version", 0, NULL, "the emit and DPDK versions", NULL,
		O_VERSION },
};

static const struct cli_opts table = {
	.usage = "usage: emit-gen [EAL options --] [options]",
	.intro =
"Generate emit events (Ethernet/IPv4/UDP frames with a 24-byte event\n"
"header) on every port EAL brings. Without EAL options it starts EAL on two\n"
"lcores, without hugepages or PCI devices, with one net_null port and a\n"
"private file prefix.\n"
"\n"
"Numbers take K/M/G (x1000) and Ki/Mi/Gi (x1024) suffixes; '2.5M' is\n"
"2500000. Bit rates count what a frame takes on the wire: its bytes plus\n"
"24 (preamble and delimiter 8, FCS 4, inter-frame gap 12).\n",
	.opt = opts,
	.nb_opt = sizeof(opts) / sizeof(opts[0]),
	.outro =
"The main lcore works when the lcores are all used: it runs TX stage 0.\n"
"SIGINT or SIGTERM stops generation and drains; a second one stops at once.\n"
"Exit status: 0 done, 1 runtime failure (conservation, mempools not full,\n"
"set-up), 2 bad usage.\n",
};

const struct cli_opts *
gen_opts_table(void)
{
	return &table;
}

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

static int
set_rate(struct gen_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	const char *why;
	uint64_t v;
	int bps;

	if (cli_parse_rate(val, UINT64_MAX, &v, &bps, &why) != 0)
		return cli_bad_value(op, val, why, err, errlen);
	if (!bps && v > EMIT_RATE_MAX)
		return cli_bad_value(op, val, "is too large (at most 1000G "
			"events/s)", err, errlen);
	if (bps && v == 0)
		return cli_bad_value(op, val, "is zero (write 0 for as fast as "
			"possible)", err, errlen);
	if (strlen(val) >= sizeof(o->rate_arg))
		return cli_bad_value(op, val, "is too long", err, errlen);
	(void)snprintf(o->rate_arg, sizeof(o->rate_arg), "%s", val); /* fits */
	o->rate = bps ? 0 : v;
	o->rate_bps = bps ? v : 0;
	return 0;
}

static int
set_value(struct gen_opts *o, const struct cli_opt *op, const char *val,
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
		rc = cli_count_in(op, val, GEN_SIZE_MIN, GEN_SIZE_MAX, &v, err,
			errlen);
		o->size = (uint32_t)v;
		break;
	case O_BURST:
		rc = cli_count_in(op, val, 1, EMIT_BURST_MAX, &v, err, errlen);
		o->burst = (uint32_t)v;
		break;
	case O_LINGER:
		rc = cli_count_in(op, val, 0, 60000000, &v, err, errlen);
		o->linger_us = (uint32_t)v;
		break;
	case O_DURATION:
		if (cli_parse_seconds(val, GEN_DURATION_MAX_S, &v, &why) != 0)
			return cli_bad_value(op, val, why, err, errlen);
		o->duration_ns = v;
		*duration_set = 1;
		break;
	case O_COUNT:
		rc = cli_count_in(op, val, 1, UINT64_MAX, &v, err, errlen);
		o->count = v;
		break;
	case O_SENDERS:
		rc = cli_count_in(op, val, 1, EMIT_PIPELINE_MAX, &v, err,
			errlen);
		o->senders = (unsigned int)v;
		break;
	case O_TX:
		rc = cli_count_in(op, val, 1, EMIT_PIPELINE_MAX, &v, err,
			errlen);
		o->tx_cores = (unsigned int)v;
		break;
	case O_RING:
		rc = cli_count_in(op, val, 2, GEN_RING_SIZE_MAX, &v, err,
			errlen);
		if (rc == 0 && (v & (v - 1)) != 0)
			return cli_bad_value(op, val, "is not a power of two",
				err, errlen);
		o->ring_size = (uint32_t)v;
		break;
	case O_POLICY:
		if (emit_policy_parse(val, &o->policy) != 0)
			return cli_bad_value(op, val, "is not a policy", err,
				errlen);
		break;
	case O_FLOWS:
		rc = cli_count_in(op, val, 1, UINT16_MAX, &v, err, errlen);
		o->flows = (uint32_t)v;
		break;
	case O_SRC_MAC:
	case O_DST_MAC:
		if (cli_parse_mac(val, op->id == O_SRC_MAC ? o->src_mac :
				o->dst_mac, &why) != 0)
			return cli_bad_value(op, val, why, err, errlen);
		break;
	case O_SRC_IP:
	case O_DST_IP:
		if (cli_parse_ipv4(val, op->id == O_SRC_IP ? &o->src_ip :
				&o->dst_ip, &why) != 0)
			return cli_bad_value(op, val, why, err, errlen);
		break;
	case O_SPORT:
	case O_DPORT:
		rc = cli_count_in(op, val, 1, UINT16_MAX, &v, err, errlen);
		if (op->id == O_SPORT)
			o->sport = (uint16_t)v;
		else
			o->dport = (uint16_t)v;
		break;
	case O_TYPE:
		rc = cli_count_in(op, val, 0, UINT16_MAX, &v, err, errlen);
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
			return cli_bad_value(op, val, "is not a pattern", err,
				errlen);
		break;
	case O_LAYOUT:
		if (strcmp(val, "split") == 0)
			o->layout = GEN_LAYOUT_SPLIT;
		else if (strcmp(val, "rtc") == 0)
			o->layout = GEN_LAYOUT_RTC;
		else
			return cli_bad_value(op, val, "is not a layout", err,
				errlen);
		break;
	case O_RINGS:
		if (emit_ring_kind_parse(val, &kind) != 0)
			return cli_bad_value(op, val, "is not a ring kind", err,
				errlen);
		o->rings = kind == EMIT_RING_MBUF ? GEN_RINGS_MBUF :
			GEN_RINGS_DESC;
		break;
	case O_TX_LATENCY:
		if (emit_tx_latency_parse(val, &o->tx_latency) != 0)
			return cli_bad_value(op, val,
				"is not a latency sampling",
				err, errlen);
		break;
	case O_INTERVAL:
		if (cli_parse_seconds(val, GEN_INTERVAL_MAX_S, &v, &why) != 0)
			return cli_bad_value(op, val, why, err, errlen);
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
		return cli_errf(err, errlen, "--ring-size: %" PRIu32 " must be "
			"larger than --burst (%" PRIu32 ")", o->ring_size,
			o->burst);
	if (o->sport + o->flows - 1 > UINT16_MAX)
		return cli_errf(err, errlen, "--flows: %" PRIu32 " flows from "
			"--sport %u go past UDP port 65535", o->flows,
			o->sport);
	if (o->rate_bps != 0) {
		uint64_t bits = (uint64_t)(o->size + GEN_WIRE_OVERHEAD) * 8;

		o->rate = o->rate_bps / bits;
		if (o->rate == 0)
			return cli_errf(err, errlen, "--rate: '%s' is less "
				"than one %" PRIu32 "-byte frame (%" PRIu64
				" bits on the wire) per second", o->rate_arg,
				o->size, bits);
		if (o->rate > EMIT_RATE_MAX)
			return cli_errf(err, errlen, "--rate: '%s' is too "
				"large (at most 1000G events/s)", o->rate_arg);
	}
	return 0;
}

int
gen_opts_parse(int argc, char *const argv[], struct gen_opts *o, char *err,
		size_t errlen)
{
	int i, duration_set = 0;

	gen_opts_defaults(o);
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *val;
		const struct cli_opt *op;
		size_t len;

		eq = NULL;
		if (arg[0] == '-' && arg[1] != '-' && arg[1] != '\0' &&
		    arg[2] == '\0' &&
		    (op = cli_opts_find_short(&table, arg[1])) != NULL)
			goto found; /* -h and the like */
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (arg[0] == '-')
				return cli_errf(err, errlen, "unknown option "
					"'%s' (EAL options go before --; see "
					"--help)", arg);
			return cli_errf(err, errlen, "unexpected argument "
				"'%s' (see --help)", arg);
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		op = cli_opts_find(&table, name, len);
		if (op == NULL)
			return cli_errf(err, errlen, "unknown option "
				"'--%.*s' (EAL options go before --; see "
				"--help)", (int)len, name);
found:
		if (op->arg == NULL) {
			if (eq != NULL)
				return cli_errf(err, errlen, "--%s takes no "
					"value", op->name);
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
			return cli_errf(err, errlen, "--%s: missing value; "
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
	cli_opts_usage(&table, f);
}
