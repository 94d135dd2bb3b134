/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink options: every bad value is refused with one line naming the
 * option and what it accepts. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "sink.h"

enum {
	OPT_DURATION = 256,
	OPT_COUNT,
	OPT_EXPECT_COUNT,
	OPT_EXPECT_LOSSLESS,
	OPT_JOIN,
	OPT_DPORT,
	OPT_WINDOW,
	OPT_MAX_SENDERS,
	OPT_BURST,
	OPT_RX_DESC,
	OPT_STATS_INTERVAL,
	OPT_JSON,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option longopts[] = {
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "expect-count", required_argument, NULL, OPT_EXPECT_COUNT },
	{ "expect-lossless", no_argument, NULL, OPT_EXPECT_LOSSLESS },
	{ "join", no_argument, NULL, OPT_JOIN },
	{ "dport", required_argument, NULL, OPT_DPORT },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "max-senders", required_argument, NULL, OPT_MAX_SENDERS },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "rx-desc", required_argument, NULL, OPT_RX_DESC },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void
sink_usage(FILE *f)
{
	fprintf(f,
"usage: " SINK_NAME " [EAL options] -- [options]\n"
"Receive emit events on every port EAL brings (NIC, net_af_packet,\n"
"net_pcap rx_pcap=FILE, net_ring, ...), verify each sender's sequence\n"
"and report what arrived.\n"
"\n"
"  --duration S        stop after S seconds (default: no limit)\n"
"  --count N           stop once N events arrived (K/M/G suffixes)\n"
"  --expect-count N    each sender sends seq 0..N-1: a missing tail\n"
"                      counts as lost\n"
"  --expect-lossless   exit 1 if an event was lost or a frame malformed\n"
"  --dport P           only UDP port P is emit traffic (default: any)\n"
"  --join              count each sender from its first seq, not from 0\n"
"  --window N          reorder window in seq numbers, a power of two,\n"
"                      64..16777216 (default 65536)\n"
"  --max-senders N     senders followed, 1..65536 (default 256)\n"
"  --burst N           RX burst, 1..%d (default 32)\n"
"  --rx-desc N         RX descriptors per port, 64..32768 (default 4096)\n"
"  --stats-interval S  progress line on stderr every S seconds, 0 = off\n"
"                      (default 1 on a terminal, else 0)\n"
"  --json FILE|-       write the JSON report to FILE, or stdout with -\n"
"  --help, --version\n"
"\n"
"Stops at --duration, at --count, on SIGINT/SIGTERM (after taking what\n"
"the ports already hold), or when every port replays a capture file and\n"
"all have reached its end. Exit status: 0 done, 1 runtime failure or\n"
"--expect-lossless not met, 2 bad usage.\n", SINK_BURST_MAX);
}

static int
bad(const char *opt, const char *val, const char *what)
{
	fprintf(stderr, SINK_NAME ": --%s: expected %s, got '%s'\n", opt,
		what, val);
	return -1;
}

/* Unsigned count with an optional K, M or G suffix (x1000). */
static int
parse_count(const char *opt, const char *s, uint64_t min, uint64_t max,
		uint64_t *out)
{
	static const char what[] = "an integer with optional K/M/G suffix";
	uint64_t mult = 1, v;
	char *end;

	if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return bad(opt, s, what);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return bad(opt, s, "a value that fits in 64 bits");
	if (end == s || errno != 0)
		return bad(opt, s, what);
	if (*end != '\0') {
		switch (*end) {
		case 'k': case 'K':
			mult = 1000;
			break;
		case 'm': case 'M':
			mult = 1000000;
			break;
		case 'g': case 'G':
			mult = 1000000000;
			break;
		default:
			return bad(opt, s, what);
		}
		if (end[1] != '\0')
			return bad(opt, s, what);
	}
	if (v > UINT64_MAX / mult)
		return bad(opt, s, "a value that fits in 64 bits");
	v *= mult;
	if (v < min || v > max) {
		fprintf(stderr, SINK_NAME ": --%s: expected %" PRIu64 "..%"
			PRIu64 ", got '%s'\n", opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_seconds(const char *opt, const char *s, bool zero_ok, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < 0 || (v == 0 && !zero_ok) || v > 1e9)
		return bad(opt, s, zero_ok ? "seconds >= 0" : "seconds > 0");
	*out = v;
	return 0;
}

int
sink_opts_parse(int argc, char **argv, struct sink_opts *o)
{
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->dport = -1;
	o->window = 65536;
	o->max_senders = 256;
	o->burst = 32;
	o->rx_desc = 4096;
	opterr = 0;
	optind = 1;
	/* A leading ':' makes a missing value ':' rather than '?'. */
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DURATION:
			if (parse_seconds("duration", optarg, false,
					&o->duration_s) != 0)
				return -1;
			break;
		case OPT_COUNT:
			if (parse_count("count", optarg, 1, UINT64_MAX,
					&o->count) != 0)
				return -1;
			break;
		case OPT_EXPECT_COUNT:
			if (parse_count("expect-count", optarg, 1, UINT64_MAX,
					&o->expect_count) != 0)
				return -1;
			break;
		case OPT_EXPECT_LOSSLESS:
			o->expect_lossless = true;
			break;
		case OPT_JOIN:
			o->join = true;
			break;
		case OPT_DPORT:
			if (parse_count("dport", optarg, 1, UINT16_MAX, &v))
				return -1;
			o->dport = (int)v;
			break;
		case OPT_WINDOW:
			if (parse_count("window", optarg, 64,
					EMIT_TRACK_WINDOW_MAX, &v) != 0)
				return -1;
			if (!rte_is_power_of_2((uint32_t)v))
				return bad("window", optarg,
					"a power of two");
			o->window = (uint32_t)v;
			break;
		case OPT_MAX_SENDERS:
			if (parse_count("max-senders", optarg, 1,
					EMIT_TRACK_SENDERS_MAX, &v) != 0)
				return -1;
			o->max_senders = (uint32_t)v;
			break;
		case OPT_BURST:
			if (parse_count("burst", optarg, 1, SINK_BURST_MAX,
					&v) != 0)
				return -1;
			o->burst = (uint16_t)v;
			break;
		case OPT_RX_DESC:
			if (parse_count("rx-desc", optarg, 64, 32768, &v) != 0)
				return -1;
			o->rx_desc = (uint32_t)v;
			break;
		case OPT_STATS_INTERVAL:
			if (parse_seconds("stats-interval", optarg, true,
					&o->stats_interval_s) != 0)
				return -1;
			o->stats_interval_set = true;
			break;
		case OPT_JSON:
			if (optarg[0] == '\0')
				return bad("json", optarg, "a file name or -");
			o->json = optarg;
			break;
		case OPT_HELP:
			sink_usage(stdout);
			return 1;
		case OPT_VERSION:
			printf(SINK_NAME " %s\n", emit_version());
			return 1;
		case ':':
			fprintf(stderr, SINK_NAME ": %s: missing value\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, SINK_NAME ": unknown option '%s' "
				"(see --help)\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, SINK_NAME ": unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}
