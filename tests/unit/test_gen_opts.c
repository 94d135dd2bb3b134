/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen option parser and layout planner: every option, every
 * refusal, suffix arithmetic, overflow, lcore and port layouts. No EAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gen_layout.h"
#include "gen_opts.h"
#include "common/parse.h"

static char err[512];

/* Parse a NULL-terminated list of arguments. */
static int
parse(struct gen_opts *o, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	err[0] = '\0';
	return gen_opts_parse(argc, argv, o, err, sizeof(err));
}

/* A refusal: -1 and a message naming @p opt and containing @p what. */
#define REFUSED(opt, what, ...) do { \
		struct gen_opts o_; \
		assert_int_equal(parse(&o_, __VA_ARGS__, NULL), -1); \
		assert_non_null(strstr(err, opt)); \
		assert_non_null(strstr(err, what)); \
		assert_null(strchr(err, '\n')); \
	} while (0)

static void
test_defaults(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL), 0);
	assert_int_equal(o.rate, 0);
	assert_int_equal(o.rate_bps, 0);
	assert_string_equal(o.rate_arg, "0");
	assert_int_equal(o.size, 128);
	assert_int_equal(o.burst, 32);
	assert_int_equal(o.linger_us, 0);
	assert_int_equal(o.duration_ns, 5000000000ull);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.senders, 0);
	assert_int_equal(o.tx_cores, 0);
	assert_int_equal(o.ring_size, 1024);
	assert_int_equal(o.policy, EMIT_POLICY_HOLD);
	assert_int_equal(o.flows, 1);
	assert_int_equal(o.src_ip, 0x0a000001);
	assert_int_equal(o.dst_ip, 0x0a000002);
	assert_int_equal(o.src_mac[5], 1);
	assert_int_equal(o.dst_mac[5], 2);
	assert_int_equal(o.sport, 9000);
	assert_int_equal(o.dport, 9001);
	assert_int_equal(o.type, 1);
	assert_int_equal(o.pattern, GEN_PATTERN_COUNTER);
	assert_int_equal(o.rings, GEN_RINGS_DESC);
	assert_int_equal(o.tx_latency, EMIT_TX_LATENCY_BURST);
	assert_int_equal(o.interval_ns, 1000000000ull);
	assert_int_equal(o.interval_set, 0);
	assert_null(o.json);
	assert_null(o.replay);
	assert_int_equal(o.replay_timing, 0);
	assert_int_equal(o.loops, 1);
}

static void
test_every_option(void **state)
{
	struct gen_opts o;
	static const uint8_t smac[6] = { 0xaa, 0xbb, 0xcc, 0, 0x11, 0x22 };
	static const uint8_t dmac[6] = { 0x02, 0x42, 0xac, 0x11, 0, 0x7f };

	(void)state;
	assert_int_equal(parse(&o, "--rate", "2.5M", "--size", "1K",
		"--burst", "64", "--linger-us", "250", "--duration", "2.5",
		"--count", "1Mi", "--senders", "3", "--tx-cores", "2",
		"--ring-size", "4Ki", "--policy", "spin", "--flows", "16",
		"--src-mac", "AA:bb:cc:00:11:22", "--dst-mac",
		"02-42-ac-11-00-7f", "--src-ip", "192.168.1.2", "--dst-ip",
		"172.16.0.254", "--sport", "5000", "--dport", "65535",
		"--type", "0", "--pattern", "zero", "--stats-interval", "0.25",
		"--tx-latency", "packet", "--json", "-", NULL), 0);
	assert_int_equal(o.rate, 2500000);
	assert_string_equal(o.rate_arg, "2.5M");
	assert_int_equal(o.size, 1000);
	assert_int_equal(o.burst, 64);
	assert_int_equal(o.linger_us, 250);
	assert_int_equal(o.duration_ns, 2500000000ull);
	assert_int_equal(o.count, 1048576);
	assert_int_equal(o.senders, 3);
	assert_int_equal(o.tx_cores, 2);
	assert_int_equal(o.ring_size, 4096);
	assert_int_equal(o.policy, EMIT_POLICY_SPIN);
	assert_int_equal(o.flows, 16);
	assert_memory_equal(o.src_mac, smac, 6);
	assert_memory_equal(o.dst_mac, dmac, 6);
	assert_int_equal(o.src_ip, 0xc0a80102);
	assert_int_equal(o.dst_ip, 0xac1000fe);
	assert_int_equal(o.sport, 5000);
	assert_int_equal(o.dport, 65535);
	assert_int_equal(o.type, 0);
	assert_int_equal(o.pattern, GEN_PATTERN_ZERO);
	assert_int_equal(o.tx_latency, EMIT_TX_LATENCY_PACKET);
	assert_int_equal(o.interval_ns, 250000000ull);
	assert_int_equal(o.interval_set, 1);
	assert_string_equal(o.json, "-");

	/* --name=value, last one wins, the other values of choices. */
	assert_int_equal(parse(&o, "--burst=8", "--burst", "16",
		"--policy=drop", "--pattern", "counter", "--json=out.json",
		"--stats-interval", "0", "--type", "65535", NULL), 0);
	assert_int_equal(o.burst, 16);
	assert_int_equal(o.policy, EMIT_POLICY_DROP);
	assert_int_equal(o.pattern, GEN_PATTERN_COUNTER);
	assert_string_equal(o.json, "out.json");
	assert_int_equal(o.interval_ns, 0);
	assert_int_equal(o.interval_set, 1);
	assert_int_equal(o.type, 65535);
	assert_int_equal(parse(&o, "--policy", "hold", NULL), 0);
	assert_int_equal(o.policy, EMIT_POLICY_HOLD);
	assert_int_equal(parse(&o, "--tx-latency=off", NULL), 0);
	assert_int_equal(o.tx_latency, EMIT_TX_LATENCY_OFF);
	assert_int_equal(parse(&o, "--tx-latency", "packet", "--tx-latency",
		"burst", NULL), 0);
	assert_int_equal(o.tx_latency, EMIT_TX_LATENCY_BURST);
	assert_int_equal(o.tx_policy, EMIT_TX_POLICY_HOLD);
	assert_int_equal(o.tx_drop_us, 1000);
	assert_int_equal(parse(&o, "--tx-policy", "drop", "--tx-drop-us",
		"0", NULL), 0);
	assert_int_equal(o.tx_policy, EMIT_TX_POLICY_DROP);
	assert_int_equal(o.tx_drop_us, 0);
	assert_int_equal(parse(&o, "--tx-policy=drop", "--tx-drop-us=10M",
		NULL), 0);
	assert_int_equal(o.tx_drop_us, 10000000);
	assert_int_equal(parse(&o, "--tx-policy=hold", NULL), 0);
	assert_int_equal(o.tx_policy, EMIT_TX_POLICY_HOLD);
}

static void
test_duration_count(void **state)
{
	struct gen_opts o;

	(void)state;
	/* --count alone: no time limit. */
	assert_int_equal(parse(&o, "--count", "100", NULL), 0);
	assert_int_equal(o.count, 100);
	assert_int_equal(o.duration_ns, 0);
	/* Both: whichever comes first. */
	assert_int_equal(parse(&o, "--duration", "3", "--count", "7", NULL),
		0);
	assert_int_equal(o.duration_ns, 3000000000ull);
	assert_int_equal(o.count, 7);
	/* 0: until interrupted. */
	assert_int_equal(parse(&o, "--duration", "0", NULL), 0);
	assert_int_equal(o.duration_ns, 0);
	assert_int_equal(parse(&o, "--duration", "31536000", NULL), 0);
	assert_int_equal(o.duration_ns, 31536000ull * 1000000000ull);
	assert_int_equal(parse(&o, "--duration", "0.000000001", NULL), 0);
	assert_int_equal(o.duration_ns, 1);
	/* Digits past the nanosecond are dropped, not rounded. */
	assert_int_equal(parse(&o, "--duration", "1.0000000019", NULL), 0);
	assert_int_equal(o.duration_ns, 1000000001ull);
}

static void
test_count_suffixes(void **state)
{
	static const struct {
		const char *in;
		uint64_t out;
	} ok[] = {
		{ "0", 0 }, { "1500", 1500 }, { "1K", 1000 }, { "1k", 1000 },
		{ "2.5M", 2500000 }, { "2.50m", 2500000 }, { "1G", 1000000000 },
		{ "3g", 3000000000ull }, { "1Ki", 1024 }, { "1.5Ki", 1536 },
		{ "4Mi", 4194304 }, { "1Gi", 1073741824 }, { "0.5K", 500 },
		{ ".5K", 500 }, { "007", 7 }, { "0.001G", 1000000 },
		{ "18446744073709551615", UINT64_MAX },
		{ "18446744073709551.615K", UINT64_MAX },
		{ "18446744073.709551615G", UINT64_MAX },
		{ "1.00000000000000000000000000000000000000", 1 },
	};
	static const struct {
		const char *in;
		const char *why;
	} bad[] = {
		{ "", "empty" }, { "-1", "negative" }, { "-0.5K", "negative" },
		{ "abc", "not a number" }, { "1.", "not a number" },
		{ ".", "not a number" }, { "+1", "not a number" },
		{ "1.5", "whole" }, { "1.0001K", "whole" }, { "0.3Ki", "whole" },
		{ "1e6", "suffix" }, { "1KK", "suffix" }, { "0x10", "suffix" },
		{ "1 K", "suffix" }, { "1Ti", "suffix" }, { "1Kbps", "suffix" },
		{ "18446744073709551616", "too large" },
		{ "18446744073709552K", "too large" },
		{ "99999999999999999999999999999999999999999", "too large" },
		{ "1.000000000000000000000000000000001", "whole" },
	};
	const char *why;
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(cli_parse_count(ok[i].in, UINT64_MAX, &v,
			&why), 0);
		assert_true(v == ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(cli_parse_count(bad[i].in, UINT64_MAX, &v,
			&why) < 0);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", bad[i].in, why,
				bad[i].why);
	}
	/* The bound is the caller's. */
	assert_int_equal(cli_parse_count("1K", 1000, &v, &why), 0);
	assert_int_equal(cli_parse_count("1001", 1000, &v, &why), -ERANGE);
}

static void
test_rate(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--rate", "0", NULL), 0);
	assert_int_equal(o.rate, 0);
	assert_int_equal(parse(&o, "--rate", "1M", NULL), 0);
	assert_int_equal(o.rate, 1000000);
	assert_int_equal(o.rate_bps, 0);
	assert_int_equal(parse(&o, "--rate", "1000G", NULL), 0);
	assert_int_equal(o.rate, EMIT_RATE_MAX);
	/* Bits on the wire: (size + 24) * 8 per frame, rounded down. */
	assert_int_equal(parse(&o, "--rate", "10Gbps", NULL), 0);
	assert_int_equal(o.rate_bps, 10000000000ull);
	assert_int_equal(o.rate, 10000000000ull / ((128 + 24) * 8));
	assert_string_equal(o.rate_arg, "10Gbps");
	/* The size may come after the rate. */
	assert_int_equal(parse(&o, "--rate", "100Mbps", "--size", "1000",
		NULL), 0);
	assert_int_equal(o.rate, 12207);
	assert_int_equal(parse(&o, "--size", "1000", "--rate", "100Mbps",
		NULL), 0);
	assert_int_equal(o.rate, 12207);
	assert_int_equal(parse(&o, "--rate", "1.5Kbps", "--size", "66",
		NULL), 0);
	assert_int_equal(o.rate, 2);
	assert_int_equal(parse(&o, "--rate", "720bps", "--size", "66", NULL),
		0);
	assert_int_equal(o.rate, 1);
	assert_int_equal(parse(&o, "--rate", "1gbps", NULL), 0);
	assert_int_equal(o.rate_bps, 1000000000);
	assert_int_equal(parse(&o, "--rate", "2mbps", NULL), 0);
	assert_int_equal(o.rate_bps, 2000000);

	REFUSED("--rate", "one 66-byte frame", "--rate", "719bps", "--size",
		"66");
	REFUSED("--rate", "zero", "--rate", "0bps");
	REFUSED("--rate", "too large", "--rate", "1001G");
	REFUSED("--rate", "too large", "--rate", "18446744073709551616");
	REFUSED("--rate", "too large", "--rate", "10000000000000Gbps",
		"--size", "66");
	REFUSED("--rate", "negative", "--rate", "-1");
	REFUSED("--rate", "not a number", "--rate", "fast");
	REFUSED("--rate", "whole", "--rate", "0.5");
	REFUSED("--rate", "suffix", "--rate", "10Gibps");
	REFUSED("--rate", "suffix", "--rate", "10Gbit");
	REFUSED("--rate", "suffix", "--rate", "10Bps");
	REFUSED("--rate", "suffix", "--rate", "10pps");
	REFUSED("--rate", "expected events/s", "--rate", "x");
}

static void
test_refusals(void **state)
{
	(void)state;
	/* Unknown options and arguments. */
	REFUSED("--bogus", "unknown option", "--bogus");
	REFUSED("--bogus", "unknown option", "--bogus=1");
	REFUSED("-l", "EAL options go before --", "-l", "0-1");
	REFUSED("'--'", "unknown option", "--");
	REFUSED("--rat'", "unknown option", "--rat", "1");
	REFUSED("'foo'", "unexpected argument", "foo");
	REFUSED("--help", "takes no value", "--help=1");
	REFUSED("--version", "takes no value", "--version=yes");
	/* Missing values. */
	REFUSED("--rate", "missing value", "--rate");
	REFUSED("--size", "missing value", "--size", "--burst", "8");
	REFUSED("--count", "missing value", "--count=");
	REFUSED("--json", "missing value", "--json");
	REFUSED("--policy", "missing value", "--policy", "");
	/* Sizes, bursts and the other ranges. */
	REFUSED("--size", "out of range", "--size", "59");
	REFUSED("--size", "60..9600", "--size", "9601");
	REFUSED("--size", "out of range", "--size", "0");
	REFUSED("--size", "not a number", "--size", "-128");
	REFUSED("--size", "not a number", "--size", "big");
	REFUSED("--burst", "out of range", "--burst", "0");
	REFUSED("--burst", "1..64", "--burst", "65");
	REFUSED("--linger-us", "out of range", "--linger-us", "60000001");
	REFUSED("--linger-us", "negative", "--linger-us", "-1");
	REFUSED("--duration", "negative", "--duration", "-1");
	REFUSED("--duration", "too large", "--duration", "31536000.5");
	REFUSED("--duration", "suffix", "--duration", "5s");
	REFUSED("--duration", "not a number", "--duration", "soon");
	REFUSED("--count", "out of range", "--count", "0");
	REFUSED("--count", "too large", "--count", "18446744073709551616");
	REFUSED("--count", "too large", "--count", "20000000000G");
	REFUSED("--count", "whole", "--count", "1.5");
	REFUSED("--count", "negative", "--count", "-5");
	REFUSED("--senders", "out of range", "--senders", "0");
	REFUSED("--senders", "1..64", "--senders", "65");
	REFUSED("--tx-cores", "out of range", "--tx-cores", "0");
	REFUSED("--tx-cores", "out of range", "--tx-cores", "100");
	REFUSED("--ring-size", "power of two", "--ring-size", "1000");
	REFUSED("--ring-size", "power of two", "--ring-size", "4K");
	REFUSED("--ring-size", "out of range", "--ring-size", "0");
	REFUSED("--ring-size", "out of range", "--ring-size", "2Mi");
	REFUSED("--ring-size", "larger than --burst", "--ring-size", "32");
	REFUSED("--ring-size", "larger than --burst", "--ring-size", "64",
		"--burst", "64");
	REFUSED("--policy", "drop, hold or spin", "--policy", "Drop");
	REFUSED("--policy", "not a policy", "--policy", "block");
	REFUSED("--flows", "out of range", "--flows", "0");
	REFUSED("--flows", "out of range", "--flows", "65536");
	REFUSED("--flows", "65535", "--flows", "100", "--sport", "65500");
	REFUSED("--sport", "out of range", "--sport", "0");
	REFUSED("--sport", "out of range", "--sport", "65536");
	REFUSED("--dport", "out of range", "--dport", "0");
	REFUSED("--dport", "not a number", "--dport", "http");
	REFUSED("--type", "out of range", "--type", "65536");
	REFUSED("--pattern", "counter, zero or none", "--pattern", "random");
	REFUSED("--tx-latency", "off, burst or packet", "--tx-latency",
		"sometimes");
	REFUSED("--tx-policy", "hold or drop", "--tx-policy", "spin");
	REFUSED("--tx-drop-us", "out of range", "--tx-policy", "drop",
		"--tx-drop-us", "10000001");
	REFUSED("--tx-drop-us", "only with --tx-policy drop", "--tx-drop-us",
		"5");
	REFUSED("--stats-interval", "too large", "--stats-interval", "3601");
	REFUSED("--stats-interval", "negative", "--stats-interval", "-1");
	/* Addresses. */
	REFUSED("--src-mac", "not a MAC address", "--src-mac",
		"aa:bb:cc:dd:ee");
	REFUSED("--src-mac", "not a MAC address", "--src-mac",
		"aa:bb:cc:dd:ee:fg");
	REFUSED("--dst-mac", "not a MAC address", "--dst-mac",
		"aa:bb-cc:dd:ee:ff");
	REFUSED("--dst-mac", "not a MAC address", "--dst-mac",
		"aabbccddeeff");
	REFUSED("--dst-mac", "not a MAC address", "--dst-mac",
		"aa:bb:cc:dd:ee:ff:00");
	REFUSED("--dst-mac", "not a MAC address", "--dst-mac",
		"a:b:c:d:e:f");
	REFUSED("--src-ip", "not an IPv4 address", "--src-ip", "1.2.3");
	REFUSED("--src-ip", "not an IPv4 address", "--src-ip", "256.1.1.1");
	REFUSED("--src-ip", "not an IPv4 address", "--src-ip", "01.2.3.4");
	REFUSED("--dst-ip", "not an IPv4 address", "--dst-ip", "a.b.c.d");
	REFUSED("--dst-ip", "not an IPv4 address", "--dst-ip", "1.2.3.4.5");
	REFUSED("--dst-ip", "one family", "--dst-ip", "::1");
	/* The first error is the one reported. */
	REFUSED("--burst", "out of range", "--burst", "0", "--size", "1");
}

/* The frame options: ranges, families, variation, tags, sizes, the UDP
 * checksum, a share of the link speed; and the frames they make. */
static void
test_frame_opts(void **state)
{
	struct emit_frame_conf fc;
	struct gen_opts o;

	(void)state;
	/* defaults: one fixed IPv4 flow, sizes from the claims */
	assert_int_equal(parse(&o, NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(fc.l3, EMIT_L3_IPV4);
	assert_int_equal(fc.nb_vlan, 0);
	assert_int_equal(fc.size.mode, EMIT_SIZE_CLAIM);
	assert_int_equal(fc.src_port.hi, 9000);
	assert_int_equal(o.vary, EMIT_VARY_INC);
	assert_int_equal(o.seed, 1);
	assert_int_equal(o.udp_csum, 0);
	assert_int_equal(o.csum_offload, 1);
	assert_int_equal(parse(&o, "--csum-offload", "off", NULL), 0);
	assert_int_equal(o.csum_offload, 0);
	assert_int_equal(parse(&o, "--csum-offload=auto", NULL), 0);
	assert_int_equal(o.csum_offload, 1);
	/* ranges of every field */
	assert_int_equal(parse(&o, "--src-ip", "10.0.0.1-10.0.1.0",
		"--dst-ip", "192.168.0.9", "--src-mac",
		"02:00:00:00:00:01-02:00:00:00:00:ff", "--dst-mac",
		"02-00-00-00-00-02-02-00-00-00-01-02", "--sport", "1-65535",
		"--dport", "7-7", "--vary", "random", "--seed", "99",
		"--vlan", "10-20,4095", "--vlan-prio", "7", "--udp-csum",
		NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(o.src_ip, (10u << 24) | 1);
	assert_int_equal(o.src_ip_hi, (10u << 24) | 256);
	assert_int_equal(o.dst_ip_hi, o.dst_ip);
	assert_int_equal(fc.src_mac.hi.addr_bytes[5], 0xff);
	assert_int_equal(fc.dst_mac.hi.addr_bytes[4], 1);
	assert_int_equal(fc.src_port.lo, 1);
	assert_int_equal(fc.src_port.hi, 65535);
	assert_int_equal(fc.dst_port.lo, 7);
	assert_int_equal(fc.dst_port.hi, 7);
	assert_int_equal(fc.vary, EMIT_VARY_RANDOM);
	assert_int_equal(fc.seed, 99);
	assert_int_equal(fc.nb_vlan, 2);
	assert_int_equal(fc.vlan[0].lo, 10);
	assert_int_equal(fc.vlan[0].hi, 20);
	assert_int_equal(fc.vlan[1].lo, 4095);
	assert_int_equal(fc.vlan_prio, 7);
	assert_int_equal(fc.udp_csum, 1);
	/* one tag; --flows as a source port range */
	assert_int_equal(parse(&o, "--vlan", "0", "--flows", "4", "--sport",
		"100", NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(fc.nb_vlan, 1);
	assert_int_equal(fc.src_port.lo, 100);
	assert_int_equal(fc.src_port.hi, 103);
	/* IPv6 addresses make IPv6 frames; a range across a /64 boundary */
	assert_int_equal(parse(&o, "--src-ip",
		"2001:db8::ffff:ffff:ffff:fffe-2001:db8:0:1::1", "--dst-ip",
		"2001:db8::1", NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(emit_frame_conf_check(&fc), 0);
	assert_int_equal(fc.l3, EMIT_L3_IPV6);
	assert_int_equal(fc.src_ip.hi[7], 1);
	assert_int_equal(fc.src_ip.lo[15], 0xfe);
	assert_int_equal(fc.dst_ip.lo[15], 1);
	/* sizes: 60 (compact), 9600, a range, a list, imix */
	assert_int_equal(parse(&o, "--size", "60", NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(fc.size.mode, EMIT_SIZE_FIXED);
	assert_int_equal(fc.size.lo, 60);
	assert_int_equal(parse(&o, "--size", "9600", NULL), 0);
	gen_opts_frame(&o, &fc);
	assert_int_equal(fc.size.mode, EMIT_SIZE_CLAIM);
	assert_int_equal(o.size, 9600);
	assert_int_equal(parse(&o, "--size", "60-9600", NULL), 0);
	assert_int_equal(o.size_mix.mode, EMIT_SIZE_RANGE);
	assert_int_equal(o.size_mix.lo, 60);
	assert_int_equal(o.size_mix.hi, 9600);
	assert_int_equal(o.size, 4830);
	assert_int_equal(parse(&o, "--size", "64,1500:3,1", NULL), 0);
	assert_int_equal(o.size_mix.mode, EMIT_SIZE_LIST);
	assert_int_equal(o.size_mix.nb, 2);
	assert_int_equal(o.size_mix.len[1], 1500);
	assert_int_equal(o.size_mix.weight[0], 3);
	assert_int_equal(o.size, 423); /* (3 * 64 + 1500) / 4 */
	assert_int_equal(parse(&o, "--size", "imix", NULL), 0);
	assert_int_equal(o.size_mix.mode, EMIT_SIZE_LIST);
	assert_int_equal(o.size, 358);
	assert_string_equal(o.size_arg, "imix");
	/* a bit rate counts the mean frame of a mix */
	assert_int_equal(parse(&o, "--size", "imix", "--rate", "3056bps",
		NULL), 0);
	assert_int_equal(o.rate, 1); /* (358 + 24) * 8 bits per frame */
	/* a share of the link speed, turned into a rate once it is known */
	assert_int_equal(parse(&o, "--rate", "50%", "--size", "1226", NULL),
		0);
	assert_int_equal(o.rate, 0);
	assert_int_equal(o.rate_pct, 50000000000ull);
	assert_int_equal(gen_opts_rate_link(&o, 10000, err, sizeof(err)), 0);
	assert_int_equal(o.rate_bps, 5000000000ull);
	assert_int_equal(o.rate, 500000); /* 5 Gbit/s / (1250 * 8) */
	assert_int_equal(parse(&o, "--rate", "0.5%", NULL), 0);
	assert_int_equal(gen_opts_rate_link(&o, 1000, err, sizeof(err)), 0);
	assert_int_equal(o.rate_bps, 5000000);
	assert_int_equal(gen_opts_rate_link(&o, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--rate"));
	assert_non_null(strstr(err, "link speed"));
	assert_int_equal(parse(&o, "--rate", "1M", NULL), 0);
	assert_int_equal(gen_opts_rate_link(&o, 0, err, sizeof(err)), 0);
	assert_int_equal(o.rate, 1000000);

	/* every bad value, one line naming the option */
	REFUSED("--src-ip", "first address is above", "--src-ip",
		"10.0.0.2-10.0.0.1");
	REFUSED("--src-ip", "mixes IPv4 and IPv6", "--src-ip",
		"10.0.0.1-::1");
	REFUSED("--src-ip", "not an IPv6 address", "--src-ip", "1::2::3");
	REFUSED("--src-ip", "not an IPv4 address", "--src-ip", "10.0.0.1-");
	REFUSED("--dst-ip", "one family", "--src-ip", "::1");
	REFUSED("--dst-ip", "one family", "--src-ip", "::1", "--dst-ip",
		"10.0.0.1");
	REFUSED("--src-ip", "2^64", "--src-ip", "::-::1:0:0:0:0", "--dst-ip",
		"::1");
	REFUSED("--dst-ip", "first address is above", "--dst-ip",
		"::2-::1");
	REFUSED("--src-mac", "first address is above", "--src-mac",
		"02:00:00:00:00:02-02:00:00:00:00:01");
	REFUSED("--dst-mac", "not a MAC address", "--dst-mac",
		"02:00:00:00:00:02-");
	REFUSED("--sport", "first value is above", "--sport", "10-9");
	REFUSED("--sport", "out of range", "--sport", "0-9");
	REFUSED("--dport", "out of range", "--dport", "1-65536");
	REFUSED("--dport", "not a number", "--dport", "-5");
	REFUSED("--flows", "--sport range", "--sport", "1-2", "--flows", "2");
	REFUSED("--vary", "inc or random", "--vary", "shuffle");
	REFUSED("--seed", "not a number", "--seed", "x");
	REFUSED("--vlan", "out of range", "--vlan", "4096");
	REFUSED("--vlan", "out of range", "--vlan", "1,4096");
	REFUSED("--vlan", "first value is above", "--vlan", "9-8");
	REFUSED("--vlan", "OUTER,INNER", "--vlan", "1,");
	REFUSED("--vlan", "OUTER,INNER", "--vlan", ",1");
	REFUSED("--vlan", "unknown suffix", "--vlan", "1,2,3");
	REFUSED("--vlan-prio", "out of range", "--vlan-prio", "8");
	REFUSED("--udp-csum", "takes no value", "--udp-csum=1");
	REFUSED("--csum-offload", "is not auto or off", "--csum-offload",
		"on");
	REFUSED("--csum-offload", "missing value", "--csum-offload=");
	REFUSED("--size", "out of range", "--size", "59-100");
	REFUSED("--size", "out of range", "--size", "60-9601");
	REFUSED("--size", "first value is above", "--size", "100-99");
	REFUSED("--size", "as many weights", "--size", "64,128:1");
	REFUSED("--size", "out of range", "--size", "64,128:1,0");
	REFUSED("--size", "out of range", "--size", "64,10000:1,1");
	REFUSED("--size", "ends with a comma", "--size", "64,:1,1");
	REFUSED("--size", "not a number", "--size", "imax");
	REFUSED("--size", "at most 16", "--size",
		"60,60,60,60,60,60,60,60,60,60,60,60,60,60,60,60,60:"
		"1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1");
	REFUSED("--size", "above 16777216", "--size", "64,128:16777216,1");
	/* 60 bytes do not hold a tagged or an IPv6 frame */
	REFUSED("--size", "smallest", "--size", "60", "--vlan", "5");
	REFUSED("--size", "smallest", "--size", "imix", "--src-ip", "::1",
		"--dst-ip", "::2");
	REFUSED("--rate", "share of the link speed", "--rate", "101%");
	REFUSED("--rate", "zero", "--rate", "0%");
	REFUSED("--rate", "share of the link speed", "--rate", "x%");
}

static void
test_help_version(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--help", NULL), GEN_OPTS_HELP);
	assert_int_equal(parse(&o, "-h", NULL), GEN_OPTS_HELP);
	assert_int_equal(parse(&o, "--rate", "1M", "--help", NULL),
		GEN_OPTS_HELP);
	assert_int_equal(parse(&o, "--version", NULL), GEN_OPTS_VERSION);
}

static void
test_formats(void **state)
{
	static const uint8_t mac[6] = { 0xde, 0xad, 0xbe, 0xef, 0, 0x0a };
	char buf[32];

	(void)state;
	gen_format_mac(mac, buf);
	assert_string_equal(buf, "de:ad:be:ef:00:0a");
	gen_format_ipv4(0xc0a80001, buf);
	assert_string_equal(buf, "192.168.0.1");
	assert_string_equal(gen_policy_name(EMIT_POLICY_DROP), "drop");
	assert_string_equal(gen_policy_name(EMIT_POLICY_HOLD), "hold");
	assert_string_equal(gen_policy_name(EMIT_POLICY_SPIN), "spin");
	assert_string_equal(gen_pattern_name(GEN_PATTERN_ZERO), "zero");
	assert_string_equal(gen_pattern_name(GEN_PATTERN_COUNTER), "counter");
	assert_string_equal(gen_tx_latency_name(EMIT_TX_LATENCY_OFF), "off");
	assert_string_equal(gen_tx_latency_name(EMIT_TX_LATENCY_BURST),
		"burst");
	assert_string_equal(gen_tx_latency_name(EMIT_TX_LATENCY_PACKET),
		"packet");
}

/* ---- layout ---- */

static void
env_make(struct gen_env *env, unsigned int lcores, unsigned int ports,
		uint16_t max_txq)
{
	unsigned int i;

	memset(env, 0, sizeof(*env));
	env->nb_lcores = lcores;
	for (i = 0; i < lcores; i++)
		env->lcores[i] = 10 + i; /* main lcore 10, workers 11.. */
	env->nb_ports = ports;
	for (i = 0; i < ports; i++) {
		env->port_ids[i] = (uint16_t)(3 + i);
		env->port_max_txq[i] = max_txq;
		snprintf(env->port_names[i], sizeof(env->port_names[i]),
			"net_null%u", i);
	}
}

static int
plan(struct gen_env *env, struct gen_layout *l, ...)
{
	struct gen_opts o;
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, l);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	assert_int_equal(gen_opts_parse(argc, argv, &o, err, sizeof(err)), 0);
	err[0] = '\0';
	return gen_layout_plan(&o, env, l, err, sizeof(err));
}

static void
test_layout_defaults(void **state)
{
	struct gen_env env;
	struct gen_layout l;

	(void)state;
	/* -l 0-1: one sender, one TX stage on the main lcore. */
	env_make(&env, 2, 1, 1024);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_senders, 1);
	assert_int_equal(l.nb_tx, 1);
	assert_int_equal(l.nb_ports, 1);
	assert_int_equal(l.ports[0], 3);
	assert_int_equal(l.port_txq[0], 1);
	assert_string_equal(l.main_role, "tx");
	assert_int_equal(l.tx_lcores[0], 10);
	assert_int_equal(l.sender_lcores[0], 11);
	assert_int_equal(l.sender_rate[0], 0);
	/* Three lcores: two senders, one TX stage. */
	env_make(&env, 3, 1, 1024);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_senders, 2);
	assert_int_equal(l.nb_tx, 1);
	assert_int_equal(l.tx_lcores[0], 10);
	assert_int_equal(l.sender_lcores[0], 11);
	assert_int_equal(l.sender_lcores[1], 12);
	/* Four lcores, two ports: a TX stage per port. */
	env_make(&env, 4, 2, 1024);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_senders, 2);
	assert_int_equal(l.nb_tx, 2);
	assert_int_equal(l.nb_ports, 2);
	assert_int_equal(l.unused_ports, 0);
	assert_int_equal(l.tx_lcores[0], 10);
	assert_int_equal(l.tx_lcores[1], 11);
	assert_int_equal(l.sender_lcores[0], 12);
	assert_int_equal(l.sender_lcores[1], 13);
	/* A one-queue port (net_pcap): fewer TX stages by default. */
	env_make(&env, 4, 1, 1);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_tx, 1);
	assert_int_equal(l.nb_senders, 3);
	/* Many lcores: at most 64 of each. */
	env_make(&env, 200, 1, 1024);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_tx, 64);
	assert_int_equal(l.nb_senders, 64);
	assert_string_equal(l.main_role, "control");
}

static void
test_layout_explicit(void **state)
{
	struct gen_env env;
	struct gen_layout l;

	(void)state;
	/* Fewer than the lcores: the main lcore only controls. */
	env_make(&env, 4, 1, 1024);
	assert_int_equal(plan(&env, &l, "--senders", "1", "--tx-cores", "1",
		NULL), 0);
	assert_string_equal(l.main_role, "control");
	assert_int_equal(l.sender_lcores[0], 11);
	assert_int_equal(l.tx_lcores[0], 12);
	/* Only one given: the other from what is left. */
	assert_int_equal(plan(&env, &l, "--senders", "3", NULL), 0);
	assert_int_equal(l.nb_tx, 1);
	assert_int_equal(plan(&env, &l, "--senders", "1", NULL), 0);
	assert_int_equal(l.nb_tx, 1);
	assert_int_equal(plan(&env, &l, "--tx-cores", "1", NULL), 0);
	assert_int_equal(l.nb_senders, 3);
	/* Two TX stages on two ports, three TX stages on two ports. */
	env_make(&env, 6, 2, 1024);
	assert_int_equal(plan(&env, &l, "--senders", "3", "--tx-cores", "3",
		NULL), 0);
	assert_int_equal(l.nb_ports, 2);
	assert_int_equal(l.port_txq[0], 2);
	assert_int_equal(l.port_txq[1], 1);
	/* More ports than TX stages: the rest are unused. */
	env_make(&env, 2, 3, 1024);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.nb_ports, 1);
	assert_int_equal(l.unused_ports, 2);
}

static void
test_layout_rtc(void **state)
{
	struct gen_env env;
	struct gen_layout l;
	struct gen_opts o;
	char *bad[] = { "--layout", "ring" };
	char *rtc[] = { "--layout", "rtc" };

	(void)state;
	assert_int_equal(gen_opts_parse(2, rtc, &o, err, sizeof(err)), 0);
	assert_int_equal(o.layout, GEN_LAYOUT_RTC);
	assert_string_equal(gen_layout_name(o.layout), "rtc");
	assert_string_equal(gen_layout_name(GEN_LAYOUT_SPLIT), "split");
	{
		char *none[] = { "--pattern", "none" };

		assert_int_equal(gen_opts_parse(2, none, &o, err,
			sizeof(err)), 0);
		assert_int_equal(o.pattern, GEN_PATTERN_NONE);
		assert_string_equal(gen_pattern_name(o.pattern), "none");
	}
	{
		char *mbuf[] = { "--rings", "mbuf" };
		char *desc[] = { "--rings=desc" };
		char *other[] = { "--rings", "ptr" };

		assert_int_equal(gen_opts_parse(2, mbuf, &o, err,
			sizeof(err)), 0);
		assert_int_equal(o.rings, GEN_RINGS_MBUF);
		assert_string_equal(gen_rings_name(o.rings), "mbuf");
		assert_int_equal(gen_opts_parse(1, desc, &o, err,
			sizeof(err)), 0);
		assert_int_equal(o.rings, GEN_RINGS_DESC);
		assert_string_equal(gen_rings_name(o.rings), "desc");
		assert_int_equal(gen_opts_parse(2, other, &o, err,
			sizeof(err)), -1);
		assert_non_null(strstr(err, "--rings"));
		assert_non_null(strstr(err, "desc or mbuf"));
	}
	assert_int_equal(gen_opts_parse(2, bad, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--layout"));
	/* Every lcore runs a sender and the TX stage draining it. */
	env_make(&env, 2, 1, 1024);
	assert_int_equal(plan(&env, &l, "--layout", "rtc", NULL), 0);
	assert_int_equal(l.nb_senders, 2);
	assert_int_equal(l.nb_tx, 2);
	assert_int_equal(l.port_txq[0], 2);
	assert_string_equal(l.main_role, "sender+tx");
	assert_int_equal(l.sender_lcores[0], 10);
	assert_int_equal(l.tx_lcores[0], 10);
	assert_int_equal(l.sender_lcores[1], 11);
	assert_int_equal(l.tx_lcores[1], 11);
	/* One lcore is enough, --senders picks how many lcores work. */
	env_make(&env, 1, 1, 1024);
	assert_int_equal(plan(&env, &l, "--layout", "rtc", NULL), 0);
	assert_int_equal(l.nb_senders, 1);
	env_make(&env, 4, 1, 1024);
	assert_int_equal(plan(&env, &l, "--layout", "rtc", "--senders", "3",
		NULL), 0);
	assert_int_equal(l.nb_tx, 3);
	/* Refusals. */
	assert_int_equal(plan(&env, &l, "--layout", "rtc", "--senders", "5",
		NULL), -1);
	assert_non_null(strstr(err, "--senders"));
	assert_int_equal(plan(&env, &l, "--layout", "rtc", "--tx-cores", "1",
		NULL), -1);
	assert_non_null(strstr(err, "--tx-cores"));
	env_make(&env, 2, 1, 1);
	assert_int_equal(plan(&env, &l, "--layout", "rtc", NULL), -1);
	assert_non_null(strstr(err, "TX queues"));
}

static void
test_layout_rates(void **state)
{
	struct gen_env env;
	struct gen_layout l;

	(void)state;
	env_make(&env, 4, 1, 1024);
	assert_int_equal(plan(&env, &l, "--senders", "3", "--rate", "10",
		NULL), 0);
	assert_int_equal(l.sender_rate[0], 4);
	assert_int_equal(l.sender_rate[1], 3);
	assert_int_equal(l.sender_rate[2], 3);
	/* Bucket depth: 20 ms of the largest rate, at least 2 events; the
	 * start delay cancels what a full bucket would put ahead. */
	assert_int_equal(l.rate_depth, 2);
	assert_int_equal(l.start_delay_ns[0], 500000000ull);
	assert_int_equal(l.start_delay_ns[1], 666666666ull);
	assert_int_equal(plan(&env, &l, "--senders", "3", "--rate", "3",
		NULL), 0);
	assert_int_equal(l.sender_rate[2], 1);
	assert_int_equal(l.start_delay_ns[2], 2000000000ull);
	assert_int_equal(plan(&env, &l, "--senders", "1", "--rate", "1M",
		NULL), 0);
	assert_int_equal(l.rate_depth, 20000);
	assert_int_equal(l.start_delay_ns[0], 20000000ull);
	assert_int_equal(plan(&env, &l, "--senders", "1", "--rate", "1000G",
		NULL), 0);
	assert_int_equal(l.rate_depth, GEN_RATE_DEPTH_MAX);
	assert_int_equal(l.start_delay_ns[0], 1000);
	assert_int_equal(plan(&env, &l, NULL), 0);
	assert_int_equal(l.rate_depth, 0);
	assert_int_equal(l.start_delay_ns[0], 0);
	assert_int_equal(plan(&env, &l, "--senders", "3", "--rate", "2",
		NULL), -1);
	assert_non_null(strstr(err, "--rate"));
	assert_non_null(strstr(err, "one per sender"));
}

static void
test_layout_refusals(void **state)
{
	struct gen_env env;
	struct gen_layout l;

	(void)state;
	env_make(&env, 2, 1, 1024);
	assert_int_equal(plan(&env, &l, "--senders", "2", NULL), -1);
	assert_non_null(strstr(err, "--senders"));
	assert_non_null(strstr(err, "2 lcores"));
	assert_int_equal(plan(&env, &l, "--tx-cores", "2", NULL), -1);
	assert_non_null(strstr(err, "--tx-cores"));
	assert_int_equal(plan(&env, &l, "--senders", "2", "--tx-cores", "1",
		NULL), -1);
	assert_non_null(strstr(err, "--senders/--tx-cores"));
	assert_non_null(strstr(err, "need 3 lcores, EAL has 2"));
	env_make(&env, 4, 1, 1024);
	assert_int_equal(plan(&env, &l, "--senders", "1", "--tx-cores", "2",
		NULL), -1);
	assert_non_null(strstr(err, "--tx-cores"));
	assert_non_null(strstr(err, "at least 2 senders"));
	/* A one-queue port cannot take two TX stages. */
	env_make(&env, 4, 1, 1);
	assert_int_equal(plan(&env, &l, "--tx-cores", "2", NULL), -1);
	assert_non_null(strstr(err, "--tx-cores"));
	assert_non_null(strstr(err, "net_null0"));
	/* Not enough lcores or no port at all. */
	env_make(&env, 1, 1, 1024);
	assert_int_equal(plan(&env, &l, NULL), -1);
	assert_non_null(strstr(err, "--lcores"));
	env_make(&env, 2, 0, 1024);
	assert_int_equal(plan(&env, &l, NULL), -1);
	assert_non_null(strstr(err, "no ethdev port"));
}

/* --replay, --replay-timing, --loop: values, defaults, and what they do
 * not combine with. */
static void
test_replay(void **state)
{
	struct gen_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--replay", "cap.pcap", NULL), 0);
	assert_string_equal(o.replay, "cap.pcap");
	assert_int_equal(o.loops, 1);
	assert_int_equal(o.replay_timing, 0);
	/* No time limit: until the loops are done. */
	assert_int_equal(o.duration_ns, 0);
	assert_int_equal(parse(&o, "--replay=c.pcap", "--loop", "0",
		"--replay-timing", "--duration", "2", NULL), 0);
	assert_string_equal(o.replay, "c.pcap");
	assert_int_equal(o.loops, 0);
	assert_int_equal(o.replay_timing, 1);
	assert_int_equal(o.duration_ns, 2000000000ull);
	assert_int_equal(parse(&o, "--replay", "c.pcap", "--loop", "4Ki",
		"--count", "10", "--rate", "1M", "--burst", "8", NULL), 0);
	assert_int_equal(o.loops, 4096);
	assert_int_equal(o.count, 10);
	assert_int_equal(o.rate, 1000000);
	/* A bit rate waits for the capture's frame size. */
	assert_int_equal(parse(&o, "--replay", "c.pcap", "--rate", "1Gbps",
		NULL), 0);
	assert_int_equal(o.rate, 0);
	assert_int_equal(o.rate_bps, 1000000000ull);
	assert_int_equal(gen_opts_rate_from_bps(&o, 101, err, sizeof(err)),
		0);
	assert_int_equal(o.rate, 1000000000ull / ((101 + 24) * 8));
	assert_int_equal(parse(&o, "--replay", "c.pcap", "--rate", "100bps",
		NULL), 0);
	assert_int_equal(gen_opts_rate_from_bps(&o, 1000, err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "--rate"));
	assert_non_null(strstr(err, "less than one 1000-byte frame"));

	REFUSED("--replay", "missing value", "--replay");
	REFUSED("--replay", "missing value", "--replay=");
	REFUSED("--loop", "'x'", "--replay", "c", "--loop", "x");
	REFUSED("--loop", "'4294967296'", "--replay", "c", "--loop",
		"4294967296");
	REFUSED("--loop", "needs --replay", "--loop", "2");
	REFUSED("--replay-timing", "needs --replay", "--replay-timing");
	REFUSED("--replay-timing", "takes no value", "--replay", "c",
		"--replay-timing=1");
	REFUSED("--replay-timing", "--rate '1M'", "--replay", "c",
		"--replay-timing", "--rate", "1M");
	REFUSED("--replay-timing", "--rate '1Gbps'", "--rate", "1Gbps",
		"--replay", "c", "--replay-timing");
	/* Every option that builds frames is refused with --replay, before
	 * or after it, even at its default value. */
	REFUSED("--size", "does not combine with --replay", "--size", "128",
		"--replay", "c");
	REFUSED("--flows", "does not combine", "--replay", "c", "--flows",
		"2");
	REFUSED("--src-mac", "does not combine", "--replay", "c",
		"--src-mac", "02:00:00:00:00:01");
	REFUSED("--dst-mac", "does not combine", "--replay", "c",
		"--dst-mac", "02:00:00:00:00:09");
	REFUSED("--src-ip", "does not combine", "--replay", "c", "--src-ip",
		"10.0.0.1");
	REFUSED("--dst-ip", "does not combine", "--replay", "c", "--dst-ip",
		"10.0.0.9");
	REFUSED("--sport", "does not combine", "--replay", "c", "--sport",
		"1");
	REFUSED("--dport", "does not combine", "--replay", "c", "--dport",
		"1");
	REFUSED("--type", "does not combine", "--replay", "c", "--type", "1");
	REFUSED("--pattern", "does not combine", "--replay", "c",
		"--pattern", "zero");
	REFUSED("--vlan", "does not combine", "--replay", "c", "--vlan",
		"100");
	REFUSED("--vlan-prio", "does not combine", "--replay", "c",
		"--vlan-prio", "3");
	REFUSED("--vary", "does not combine", "--replay", "c", "--vary",
		"random");
	REFUSED("--seed", "does not combine", "--replay", "c", "--seed", "1");
	REFUSED("--udp-csum", "does not combine", "--udp-csum", "--replay",
		"c");
	REFUSED("--csum-offload", "does not combine", "--replay", "c",
		"--csum-offload", "off");
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_duration_count),
		cmocka_unit_test(test_count_suffixes),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_frame_opts),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_layout_defaults),
		cmocka_unit_test(test_layout_explicit),
		cmocka_unit_test(test_layout_rtc),
		cmocka_unit_test(test_layout_rates),
		cmocka_unit_test(test_layout_refusals),
	};

	return cmocka_run_group_tests_name("gen_opts", tests, NULL, NULL);
}
