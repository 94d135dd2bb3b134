/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink options: the table (help text and getopt_long array), and
 * every bad value refused with one line naming the option and what it
 * accepts. Numbers and seconds are read as emit-gen reads them. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include <rte_common.h>

#include "common/opts.h"
#include "sink.h"

/* Longest --duration and --stats-interval, in seconds. */
#define SINK_SECONDS_MAX 1000000000u

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
	OPT_RX_QUEUES,
	OPT_STATS_INTERVAL,
	OPT_JSON,
	OPT_HELP,
	OPT_VERSION,
};

static const struct cli_opt opts[] = {
	{ NULL, "duration", 0, "S", "stop after S seconds (default: no "
		"limit)", "seconds, more than 0, at most 1000000000, e.g. "
		"2.5", OPT_DURATION },
	{ NULL, "count", 0, "N", "stop once N events arrived",
		"events, 1..18446744073709551615, with K/M/G suffixes",
		OPT_COUNT },
	{ NULL, "expect-count", 0, "N", "each sender sends seq 0..N-1: a "
		"missing tail counts as lost", "events per sender, "
		"1..18446744073709551615, with K/M/G suffixes",
		OPT_EXPECT_COUNT },
	{ NULL, "expect-lossless", 0, NULL, "exit 1 if an event was lost or "
		"a frame malformed", NULL, OPT_EXPECT_LOSSLESS },
	{ NULL, "dport", 0, "P", "only UDP port P is emit traffic (default: "
		"any)", "a UDP port, 1..65535", OPT_DPORT },
	{ NULL, "join", 0, NULL, "count each sender from its first seq, not "
		"from 0", NULL, OPT_JOIN },
	{ NULL, "window", 0, "N", "reorder window in seq numbers, a power of "
		"two, 64..16777216 (default 65536)", "a power of two, "
		"64..16777216 (Ki/Mi suffixes, e.g. 64Ki)", OPT_WINDOW },
	{ NULL, "max-senders", 0, "N", "senders followed, 1..65536 (default "
		"256)", "senders, 1..65536", OPT_MAX_SENDERS },
	{ NULL, "burst", 0, "N", "RX burst, 1.." RTE_STR(SINK_BURST_MAX)
		" (default 32)", "frames per RX burst, 1.."
		RTE_STR(SINK_BURST_MAX), OPT_BURST },
	{ NULL, "rx-desc", 0, "N", "RX descriptors per port, 64..32768 "
		"(default 4096)", "descriptors, 64..32768", OPT_RX_DESC },
	{ NULL, "rx-queues", 0, "N", "RX queues per port, 1.."
		RTE_STR(SINK_QUEUES_MAX) ", each with its own tracker, "
		"shared among the EAL lcores in turn (default 1)",
		"queues, 1.." RTE_STR(SINK_QUEUES_MAX), OPT_RX_QUEUES },
	{ NULL, "stats-interval", 0, "S", "progress line on stderr every S "
		"seconds, 0 = off (default 1 on a terminal, else 0)",
		"seconds, 0 (quiet)..1000000000, e.g. 0.5",
		OPT_STATS_INTERVAL },
	{ NULL, "json", 0, "FILE|-", "write the JSON report to FILE, or "
		"stdout with -", "a file name, or - for stdout", OPT_JSON },
	{ NULL, "help", 0, NULL, "this text", NULL, OPT_HELP },
	{ NULL, "version", 0, NULL, "the emit version", NULL, OPT_VERSION },
};

static const struct cli_opts table = {
	.usage = "usage: " SINK_NAME " [EAL options] -- [options]",
	.intro =
"Receive emit events on every port EAL brings (NIC, net_af_packet,\n"
"net_pcap rx_pcap=FILE, net_ring, ...), verify each sender's sequence\n"
"and report what arrived.\n"
"\n"
"Numbers take K/M/G (x1000) and Ki/Mi/Gi (x1024) suffixes; '2.5M' is\n"
"2500000. Seconds may have decimals: 0.5, 2.5.\n",
	.opt = opts,
	.nb_opt = RTE_DIM(opts),
	.outro =
"Stops at --duration, at --count, on SIGINT/SIGTERM (after taking what\n"
"the ports already hold), or when every port replays a capture file and\n"
"all have reached its end. Exit status: 0 done, 1 runtime failure or\n"
"--expect-lossless not met, 2 bad usage.\n",
};

const struct cli_opts *
sink_opts_table(void)
{
	return &table;
}

void
sink_usage(FILE *f)
{
	cli_opts_usage(&table, f);
}

static const struct cli_opt *
by_id(int id)
{
	size_t i;

	for (i = 0; i < RTE_DIM(opts); i++)
		if (opts[i].id == id)
			return &opts[i];
	return NULL;
}

static int
set_value(struct sink_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	uint64_t v;

	switch (op->id) {
	case OPT_DURATION:
		if (cli_seconds_in(op, val, SINK_SECONDS_MAX, &o->duration_ns,
				err, errlen) != 0)
			return -1;
		if (o->duration_ns == 0)
			return cli_bad_value(op, val, "is out of range", err,
				errlen);
		return 0;
	case OPT_COUNT:
		return cli_count_in(op, val, 1, UINT64_MAX, &o->count, err,
			errlen);
	case OPT_EXPECT_COUNT:
		return cli_count_in(op, val, 1, UINT64_MAX, &o->expect_count,
			err, errlen);
	case OPT_EXPECT_LOSSLESS:
		o->expect_lossless = true;
		return 0;
	case OPT_JOIN:
		o->join = true;
		return 0;
	case OPT_DPORT:
		if (cli_count_in(op, val, 1, UINT16_MAX, &v, err, errlen) != 0)
			return -1;
		o->dport = (int)v;
		return 0;
	case OPT_WINDOW:
		if (cli_count_in(op, val, 64, EMIT_TRACK_WINDOW_MAX, &v, err,
				errlen) != 0)
			return -1;
		if (!rte_is_power_of_2((uint32_t)v))
			return cli_bad_value(op, val, "is not a power of two",
				err, errlen);
		o->window = (uint32_t)v;
		return 0;
	case OPT_MAX_SENDERS:
		if (cli_count_in(op, val, 1, EMIT_TRACK_SENDERS_MAX, &v, err,
				errlen) != 0)
			return -1;
		o->max_senders = (uint32_t)v;
		return 0;
	case OPT_BURST:
		if (cli_count_in(op, val, 1, SINK_BURST_MAX, &v, err,
				errlen) != 0)
			return -1;
		o->burst = (uint16_t)v;
		return 0;
	case OPT_RX_DESC:
		if (cli_count_in(op, val, 64, 32768, &v, err, errlen) != 0)
			return -1;
		o->rx_desc = (uint32_t)v;
		return 0;
	case OPT_RX_QUEUES:
		if (cli_count_in(op, val, 1, SINK_QUEUES_MAX, &v, err,
				errlen) != 0)
			return -1;
		o->rx_queues = (uint16_t)v;
		return 0;
	case OPT_STATS_INTERVAL:
		if (cli_seconds_in(op, val, SINK_SECONDS_MAX,
				&o->stats_interval_ns, err, errlen) != 0)
			return -1;
		o->stats_interval_set = true;
		return 0;
	case OPT_JSON:
		if (val[0] == '\0')
			return cli_bad_value(op, val, "is empty", err, errlen);
		o->json = val;
		return 0;
	}
	return cli_errf(err, errlen, "--%s: not handled", op->name);
}

int
sink_opts_parse(int argc, char **argv, struct sink_opts *o, char *err,
		size_t errlen)
{
	struct option longopts[CLI_OPTS_MAX + 1];
	const struct cli_opt *op;
	char shorts[2 * CLI_OPTS_MAX + 2];
	int c;

	memset(o, 0, sizeof(*o));
	o->dport = -1;
	o->window = 65536;
	o->max_senders = 256;
	o->burst = 32;
	o->rx_desc = 4096;
	o->rx_queues = 1;
	if (cli_opts_getopt(&table, longopts, RTE_DIM(longopts), shorts,
			sizeof(shorts)) != 0)
		return cli_errf(err, errlen, "too many options in the table");
	opterr = 0;
	/* 0, not 1: getopt starts over, whatever an earlier parse left. */
	optind = 0;
	/* shorts starts with ':': a missing value is ':' rather than '?'. */
	while ((c = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		if (c == ':') {
			op = by_id(optopt);
			if (op != NULL)
				return cli_errf(err, errlen, "--%s: missing "
					"value; expected %s", op->name,
					op->accepts);
			return cli_errf(err, errlen, "%s: missing value",
				argv[optind - 1]);
		}
		op = by_id(c);
		if (op == NULL)
			return cli_errf(err, errlen, "unknown option '%s' "
				"(see --help)", argv[optind - 1]);
		if (op->id == OPT_HELP)
			return CLI_OPTS_HELP;
		if (op->id == OPT_VERSION)
			return CLI_OPTS_VERSION;
		if (set_value(o, op, op->arg != NULL ? optarg : "", err,
				errlen) != 0)
			return -1;
	}
	if (optind != argc)
		return cli_errf(err, errlen, "unexpected argument '%s'",
			argv[optind]);
	return 0;
}
