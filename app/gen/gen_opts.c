/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen options: the table (help text and parser), checks. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "gen_opts.h"
#include "common/opts.h"
#include "common/parse.h"

enum opt_id {
	O_RATE, O_SIZE, O_BURST, O_LINGER, O_DURATION, O_COUNT, O_SENDERS,
	O_TX, O_RING, O_POLICY, O_FLOWS, O_SRC_MAC, O_DST_MAC, O_SRC_IP,
	O_DST_IP, O_SPORT, O_DPORT, O_VARY, O_SEED, O_VLAN, O_VLAN_PRIO,
	O_UDP_CSUM, O_CSUM_OFFLOAD, O_TYPE, O_PATTERN, O_LAYOUT, O_RINGS,
	O_TX_LATENCY, O_TX_POLICY, O_TX_DROP_US, O_INTERVAL, O_JSON,
	O_REPLAY, O_REPLAY_TIMING, O_LOOP,
	O_HELP, O_VERSION,
};

#define OPT_BIT(id) (1ull << (id))

/* Options that shape the frames emit-gen builds: they have nothing to act
 * on when the frames come from a capture (--replay). */
#define BUILD_OPTS (OPT_BIT(O_SIZE) | OPT_BIT(O_FLOWS) | OPT_BIT(O_SRC_MAC) | \
	OPT_BIT(O_DST_MAC) | OPT_BIT(O_SRC_IP) | OPT_BIT(O_DST_IP) | \
	OPT_BIT(O_SPORT) | OPT_BIT(O_DPORT) | OPT_BIT(O_VARY) | \
	OPT_BIT(O_SEED) | OPT_BIT(O_VLAN) | OPT_BIT(O_VLAN_PRIO) | \
	OPT_BIT(O_UDP_CSUM) | OPT_BIT(O_CSUM_OFFLOAD) | OPT_BIT(O_TYPE) | \
	OPT_BIT(O_PATTERN))

static const struct cli_opt opts[] = {
	{ "Traffic:",
		"rate", 0, "R", "total events/s over all senders, split "
		"evenly (0 = as fast as possible, default); or a bit rate on "
		"the wire: 10Gbps, 100Mbps, 500Kbps, 9600bps; or N% of the "
		"ports' link speed (0 < N <= 100). Each sender's "
		"token bucket holds 20 ms of events, so a sender that lost its "
		"CPU catches up; it starts once that bucket would have filled "
		"from empty",
		"events/s with K/M/G suffixes (0 = as fast as possible), or "
		"bits/s on the wire with a bps, Kbps, Mbps or Gbps suffix, "
		"or a share of the link speed such as 50%",
		O_RATE },
	{ NULL, "size", 0, "B", "frame bytes without FCS, 60..9600 "
		"(default 128): B; A-B (uniform per event); B1,B2,...:W1,W2,... "
		"(weighted, up to 16); or imix (64, 594, 1518 bytes on the wire, "
		"7:4:1). Frames too short for the 24-byte event header carry "
		"the 18-byte compact one; with a mix or a compact header the "
		"payload is not written", "frame bytes 60..9600: B, A-B, "
		"B1,B2,...:W1,W2,... or imix", O_SIZE },
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
	{ NULL, "tx-policy", 0, "P", "when the port refuses: hold (default: "
		"the TX stage keeps what it refused and stops taking from that "
		"ring, so the rings fill and --policy applies; nothing lost at "
		"TX), drop (keep it --tx-drop-us, then free and count it)",
		"hold or drop", O_TX_POLICY },
	{ NULL, "tx-drop-us", 0, "U", "with --tx-policy drop: microseconds "
		"a refused packet may wait (default 1000; 0 = free it in the "
		"round the port refused it)", "microseconds, 0..10000000",
		O_TX_DROP_US },
	{ "Frames:",
		"flows", 0, "N", "UDP source ports sport..sport+N-1, as "
		"--sport P-(P+N-1) (default 1)", "UDP source ports per "
		"sender, 1..65535", O_FLOWS },
	{ NULL, "src-mac", 0, "M", "source MAC address, or a range A-B "
		"(default 02:00:00:00:00:01)", "a MAC address such as "
		"02:00:00:00:00:01, or a range A-B", O_SRC_MAC },
	{ NULL, "dst-mac", 0, "M", "destination MAC address, or a range A-B "
		"(default 02:00:00:00:00:02)", "a MAC address such as "
		"02:00:00:00:00:02, or a range A-B", O_DST_MAC },
	{ NULL, "src-ip", 0, "A", "source IPv4 or IPv6 address, or a range "
		"A-B of one family (default 10.0.0.1); IPv6 addresses make "
		"IPv6 frames", "an IPv4 or IPv6 address, or a range A-B of "
		"one family", O_SRC_IP },
	{ NULL, "dst-ip", 0, "A", "destination address or range, of the "
		"family of --src-ip (default 10.0.0.2)", "an IPv4 or IPv6 "
		"address, or a range A-B of one family", O_DST_IP },
	{ NULL, "sport", 0, "P", "UDP source port, or a range A-B "
		"(default 9000)", "a UDP port 1..65535, or a range A-B",
		O_SPORT },
	{ NULL, "dport", 0, "P", "UDP destination port, or a range A-B "
		"(default 9001)", "a UDP port 1..65535, or a range A-B",
		O_DPORT },
	{ NULL, "vary", 0, "V", "how ranges are walked: inc (default: in "
		"steps, each range on its own) or random (uniform draws)",
		"inc or random", O_VARY },
	{ NULL, "seed", 0, "N", "seed of the random draws of --vary random "
		"and the size mixes (default 1; the same seed gives the same "
		"frames)", "a seed, 0..18446744073709551615", O_SEED },
	{ NULL, "vlan", 0, "ID", "an 802.1Q tag with VLAN id ID, or QinQ "
		"OUTER,INNER (outer 802.1ad); each a id 0..4095 or a range "
		"A-B", "a VLAN id 0..4095 or a range A-B, or OUTER,INNER",
		O_VLAN },
	{ NULL, "vlan-prio", 0, "P", "priority (PCP) of the VLAN tags, "
		"0..7 (default 0)", "a priority, 0..7", O_VLAN_PRIO },
	{ NULL, "udp-csum", 0, NULL, "compute the UDP checksum of IPv4 "
		"frames (IPv6 frames always carry one)", NULL, O_UDP_CSUM },
	{ NULL, "csum-offload", 0, "M", "checksums: auto (default: the "
		"ports compute the UDP checksum the frames carry, and the "
		"IPv4 header checksum with it or when an address is a range, "
		"when every port offers it; the rest in software) or off (all "
		"in software)", "auto or off", O_CSUM_OFFLOAD },
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
	{ "Replay:",
		"replay", 0, "FILE", "transmit the frames of the classic pcap "
		"capture FILE (Ethernet; microsecond or nanosecond "
		"timestamps, either byte order) as they are, in order, instead "
		"of building frames; each sender sends the whole capture. It "
		"is read and checked before anything is sent: a file that is "
		"no pcap, truncated, empty, or has a frame larger than the "
		"mbuf room (9600 bytes) or the MTU a port takes is refused. "
		"Paced by --rate (a bit rate counts the capture's mean frame "
		"size); no time limit unless --duration. Options that build "
		"frames (--size, --flows, addresses, ports, --vary, --seed, "
		"--vlan, --vlan-prio, --udp-csum, --csum-offload, --type, "
		"--pattern) do not "
		"combine with it", "a pcap file name", O_REPLAY },
	{ NULL, "replay-timing", 0, NULL, "with --replay: pace by the "
		"capture's timestamps (frame k leaves at the start plus its "
		"time since the first frame; the next loop follows after the "
		"capture's mean gap) instead of --rate", NULL,
		O_REPLAY_TIMING },
	{ NULL, "loop", 0, "N", "with --replay: times through the capture "
		"(default 1; 0 = until stopped: SIGINT, --duration or "
		"--count)", "loops, 0 (until stopped)..4294967295", O_LOOP },
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
	memcpy(o->src_mac_hi, src, 6);
	memcpy(o->dst_mac_hi, dst, 6);
	o->src_ip_hi = o->src_ip;
	o->dst_ip_hi = o->dst_ip;
	o->sport = 9000;
	o->dport = 9001;
	o->sport_hi = 9000;
	o->dport_hi = 9001;
	o->vary = EMIT_VARY_INC;
	o->seed = 1;
	o->csum_offload = 1;
	(void)snprintf(o->size_arg, sizeof(o->size_arg), "128");
	o->type = 1;
	o->pattern = GEN_PATTERN_COUNTER;
	o->tx_latency = EMIT_TX_LATENCY_BURST;
	o->tx_policy = EMIT_TX_POLICY_HOLD;
	o->tx_drop_us = 1000;
	o->interval_ns = 1000000000ull;
	o->loops = 1;
}

/* Split "A-B" at its dash into @p a and @p b; without a dash, both are
 * the whole value. MAC addresses may be written with dashes: one of 35
 * characters splits at the 18th. Returns -1 if a part is too long. */
static int
split_range(const char *val, int mac, char *a, char *b, size_t n)
{
	const char *d = mac ? (strlen(val) == 35 && val[17] == '-' ?
		val + 17 : NULL) : strchr(val, '-');
	size_t la = d != NULL ? (size_t)(d - val) : strlen(val);

	if (la >= n || (d != NULL && strlen(d + 1) >= n))
		return -1;
	memcpy(a, val, la);
	a[la] = '\0';
	(void)snprintf(b, n, "%s", d != NULL ? d + 1 : val); /* fits */
	return 0;
}

static int
mac_cmp(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 6);
}

static int
set_mac(const struct cli_opt *op, const char *val, uint8_t *lo,
		uint8_t *hi, char *err, size_t errlen)
{
	char a[40], b[40];
	const char *why;

	if (split_range(val, 1, a, b, sizeof(a)) != 0)
		return cli_bad_value(op, val, "is not a MAC address", err,
			errlen);
	if (cli_parse_mac(a, lo, &why) != 0 || cli_parse_mac(b, hi, &why) != 0)
		return cli_bad_value(op, val, why, err, errlen);
	if (mac_cmp(lo, hi) > 0)
		return cli_bad_value(op, val, "is a range whose first address "
			"is above its last", err, errlen);
	return 0;
}

/* One address of either family: 4 or 6, or -1. */
static int
parse_ip(const char *s, uint32_t *v4, uint8_t *v6, const char **why)
{
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, v6) != 1) {
			*why = "is not an IPv6 address";
			return -1;
		}
		return 6;
	}
	if (cli_parse_ipv4(s, v4, why) != 0)
		return -1;
	return 4;
}

static int
set_ip(struct gen_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	int src = op->id == O_SRC_IP, fa, fb;
	uint8_t (*v6)[16] = src ? o->src_ip6 : o->dst_ip6;
	uint32_t *lo = src ? &o->src_ip : &o->dst_ip;
	uint32_t *hi = src ? &o->src_ip_hi : &o->dst_ip_hi;
	char a[64], b[64];
	const char *why = "is not an address";

	if (split_range(val, 0, a, b, sizeof(a)) != 0)
		return cli_bad_value(op, val, why, err, errlen);
	fa = parse_ip(a, lo, v6[0], &why);
	fb = fa < 0 ? -1 : parse_ip(b, hi, v6[1], &why);
	if (fa < 0 || fb < 0)
		return cli_bad_value(op, val, why, err, errlen);
	if (fa != fb)
		return cli_bad_value(op, val, "mixes IPv4 and IPv6", err,
			errlen);
	if (fa == 4 ? *lo > *hi : memcmp(v6[0], v6[1], 16) > 0)
		return cli_bad_value(op, val, "is a range whose first address "
			"is above its last", err, errlen);
	o->ip_family_seen[src ? 0 : 1] = fa;
	return 0;
}

/* "A" or "A-B" of numbers in [min, max]. */
static int
set_u16_range(const struct cli_opt *op, const char *val, uint64_t min,
		uint64_t max, uint16_t *lo, uint16_t *hi, char *err,
		size_t errlen)
{
	char a[32], b[32];
	uint64_t x, y;

	if (split_range(val, 0, a, b, sizeof(a)) != 0 || a[0] == '\0')
		return cli_bad_value(op, val, "is not a number or range", err,
			errlen);
	if (cli_count_in(op, a, min, max, &x, err, errlen) != 0 ||
	    cli_count_in(op, b, min, max, &y, err, errlen) != 0)
		return -1;
	if (x > y)
		return cli_bad_value(op, val, "is a range whose first value "
			"is above its last", err, errlen);
	*lo = (uint16_t)x;
	*hi = (uint16_t)y;
	return 0;
}

static int
set_vlan(struct gen_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	const char *c = strchr(val, ',');
	char a[32];
	size_t la = c != NULL ? (size_t)(c - val) : strlen(val);

	if (la >= sizeof(a) || la == 0 || (c != NULL && c[1] == '\0'))
		return cli_bad_value(op, val, "is not a VLAN id, range or "
			"OUTER,INNER", err, errlen);
	memcpy(a, val, la);
	a[la] = '\0';
	if (set_u16_range(op, a, 0, 4095, &o->vlan[0][0], &o->vlan[0][1],
			err, errlen) != 0)
		return -1;
	o->nb_vlan = 1;
	if (c == NULL)
		return 0;
	if (set_u16_range(op, c + 1, 0, 4095, &o->vlan[1][0], &o->vlan[1][1],
			err, errlen) != 0)
		return -1;
	o->nb_vlan = 2;
	return 0;
}

/* Comma-separated counts into @p v; returns how many, or -1. */
static int
count_list(const struct cli_opt *op, const char *val, const char *list,
		uint64_t min, uint64_t max, uint64_t *v, char *err,
		size_t errlen)
{
	char part[32];
	int n = 0;

	while (*list != '\0') {
		const char *c = strchr(list, ',');
		size_t l = c != NULL ? (size_t)(c - list) : strlen(list);

		if (l == 0 || l >= sizeof(part) || n == EMIT_SIZE_LIST_MAX)
			return cli_bad_value(op, val, "is not a list of at "
				"most 16 numbers", err, errlen);
		memcpy(part, list, l);
		part[l] = '\0';
		if (cli_count_in(op, part, min, max, &v[n], err, errlen) != 0)
			return -1;
		n++;
		list += l;
		if (c != NULL && *++list == '\0')
			return cli_bad_value(op, val, "ends with a comma", err,
				errlen);
	}
	return n;
}

static int
set_size(struct gen_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	struct emit_size_mix *m = &o->size_mix;
	uint64_t lens[EMIT_SIZE_LIST_MAX] = {0}, w[EMIT_SIZE_LIST_MAX] = {0};
	uint64_t sum = 0, x;
	char buf[sizeof(o->size_arg)];
	const char *colon = strchr(val, ':');
	uint16_t lo = 0, hi = 0;
	int nl, nw, i;

	if (strlen(val) >= sizeof(o->size_arg))
		return cli_bad_value(op, val, "is too long", err, errlen);
	memset(m, 0, sizeof(*m));
	if (strcmp(val, "imix") == 0) {
		emit_size_mix_imix(m);
	} else if (colon != NULL) {
		memcpy(buf, val, (size_t)(colon - val));
		buf[colon - val] = '\0';
		nl = count_list(op, val, buf, GEN_SIZE_MIN, GEN_SIZE_MAX, lens,
			err, errlen);
		if (nl < 0)
			return -1;
		nw = count_list(op, val, colon + 1, 1, 1u << 24, w, err,
			errlen);
		if (nw < 0)
			return -1;
		if (nl != nw || nl == 0)
			return cli_bad_value(op, val, "needs as many weights "
				"as sizes", err, errlen);
		m->mode = EMIT_SIZE_LIST;
		m->nb = (uint16_t)nl;
		for (i = 0; i < nl; i++) {
			m->len[i] = (uint16_t)lens[i];
			m->weight[i] = (uint32_t)w[i];
			sum += w[i];
		}
		if (sum > 1u << 24)
			return cli_bad_value(op, val, "has weights summing "
				"above 16777216", err, errlen);
	} else if (strchr(val, '-') != NULL) {
		if (set_u16_range(op, val, GEN_SIZE_MIN, GEN_SIZE_MAX, &lo, &hi,
				err, errlen) != 0)
			return -1;
		m->mode = EMIT_SIZE_RANGE;
		m->lo = lo;
		m->hi = hi;
	} else {
		if (cli_count_in(op, val, GEN_SIZE_MIN, GEN_SIZE_MAX, &x, err,
				errlen) != 0)
			return -1;
		o->size = (uint32_t)x;
		m->mode = EMIT_SIZE_CLAIM;
	}
	(void)snprintf(o->size_arg, sizeof(o->size_arg), "%s", val);
	return 0;
}

static int
set_rate(struct gen_opts *o, const struct cli_opt *op, const char *val,
		char *err, size_t errlen)
{
	const char *why;
	uint64_t v;
	int bps;

	size_t n = strlen(val);

	if (n >= sizeof(o->rate_arg))
		return cli_bad_value(op, val, "is too long", err, errlen);
	if (n > 1 && val[n - 1] == '%') {
		char num[32];

		memcpy(num, val, n - 1);
		num[n - 1] = '\0';
		/* seconds parse exact decimals: N% as N * 10^9 */
		if (cli_parse_seconds(num, 100, &v, &why) != 0)
			return cli_bad_value(op, val, "is not a share of the "
				"link speed 0 < N <= 100", err, errlen);
		if (v == 0)
			return cli_bad_value(op, val, "is zero (write 0 for as "
				"fast as possible)", err, errlen);
		(void)snprintf(o->rate_arg, sizeof(o->rate_arg), "%s", val);
		o->rate_pct = v;
		o->rate = 0;
		o->rate_bps = 0;
		return 0;
	}
	o->rate_pct = 0;
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
		return set_size(o, op, val, err, errlen);
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
	case O_TX_POLICY:
		if (emit_tx_policy_parse(val, &o->tx_policy) != 0)
			return cli_bad_value(op, val, "is not a TX policy", err,
				errlen);
		break;
	case O_TX_DROP_US:
		rc = cli_count_in(op, val, 0, EMIT_TX_US_MAX, &v, err, errlen);
		o->tx_drop_us = (uint32_t)v;
		o->tx_drop_us_set = 1;
		break;
	case O_FLOWS:
		rc = cli_count_in(op, val, 1, UINT16_MAX, &v, err, errlen);
		o->flows = (uint32_t)v;
		break;
	case O_SRC_MAC:
		return set_mac(op, val, o->src_mac, o->src_mac_hi, err, errlen);
	case O_DST_MAC:
		return set_mac(op, val, o->dst_mac, o->dst_mac_hi, err, errlen);
	case O_SRC_IP:
	case O_DST_IP:
		return set_ip(o, op, val, err, errlen);
	case O_SPORT:
		rc = set_u16_range(op, val, 1, UINT16_MAX, &o->sport,
			&o->sport_hi, err, errlen);
		o->sport_range = o->sport != o->sport_hi;
		break;
	case O_DPORT:
		rc = set_u16_range(op, val, 1, UINT16_MAX, &o->dport,
			&o->dport_hi, err, errlen);
		break;
	case O_VARY:
		if (strcmp(val, "inc") == 0)
			o->vary = EMIT_VARY_INC;
		else if (strcmp(val, "random") == 0)
			o->vary = EMIT_VARY_RANDOM;
		else
			return cli_bad_value(op, val, "is not inc or random",
				err, errlen);
		break;
	case O_CSUM_OFFLOAD:
		if (strcmp(val, "auto") == 0)
			o->csum_offload = 1;
		else if (strcmp(val, "off") == 0)
			o->csum_offload = 0;
		else
			return cli_bad_value(op, val, "is not auto or off",
				err, errlen);
		break;
	case O_SEED:
		rc = cli_count_in(op, val, 0, UINT64_MAX, &v, err, errlen);
		o->seed = v;
		break;
	case O_VLAN:
		return set_vlan(o, op, val, err, errlen);
	case O_VLAN_PRIO:
		rc = cli_count_in(op, val, 0, 7, &v, err, errlen);
		o->vlan_prio = (unsigned int)v;
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
	case O_REPLAY:
		o->replay = val;
		break;
	case O_LOOP:
		rc = cli_count_in(op, val, 0, UINT32_MAX, &v, err, errlen);
		o->loops = (uint32_t)v;
		break;
	case O_REPLAY_TIMING:
	case O_HELP:
	case O_VERSION:
	case O_UDP_CSUM:
		break;
	}
	return rc;
}

int
gen_opts_rate_from_bps(struct gen_opts *o, uint32_t frame_bytes, char *err,
		size_t errlen)
{
	uint64_t bits = (uint64_t)(frame_bytes + GEN_WIRE_OVERHEAD) * 8;

	o->rate = o->rate_bps / bits;
	if (o->rate == 0)
		return cli_errf(err, errlen, "--rate: '%s' is less than one %"
			PRIu32 "-byte frame (%" PRIu64 " bits on the wire) per "
			"second", o->rate_arg, frame_bytes, bits);
	if (o->rate > EMIT_RATE_MAX)
		return cli_errf(err, errlen, "--rate: '%s' is too large (at "
			"most 1000G events/s)", o->rate_arg);
	return 0;
}

/* --replay and the options that go with it. */
static int
replay_check(const struct gen_opts *o, char *err, size_t errlen)
{
	const struct cli_opt *op;
	size_t i;

	if (o->replay == NULL) {
		if (o->given & OPT_BIT(O_REPLAY_TIMING))
			return cli_errf(err, errlen, "--replay-timing: needs "
				"--replay");
		if (o->given & OPT_BIT(O_LOOP))
			return cli_errf(err, errlen, "--loop: needs --replay");
		return 0;
	}
	for (i = 0; i < table.nb_opt; i++) {
		op = &table.opt[i];
		if ((BUILD_OPTS & o->given & OPT_BIT(op->id)) != 0)
			return cli_errf(err, errlen, "--%s: does not combine "
				"with --replay, which sends the capture's "
				"frames as they are", op->name);
	}
	if (o->replay_timing && (o->rate != 0 || o->rate_bps != 0))
		return cli_errf(err, errlen, "--replay-timing: paces by the "
			"capture's timestamps; it does not combine with --rate "
			"'%s'", o->rate_arg);
	return 0;
}

/* Checks between options, once all are known. */
static int
cross_check(struct gen_opts *o, char *err, size_t errlen)
{
	if (o->ring_size <= o->burst)
		return cli_errf(err, errlen, "--ring-size: %" PRIu32 " must be "
			"larger than --burst (%" PRIu32 ")", o->ring_size,
			o->burst);
	struct emit_frame_conf fc;
	int fs = o->ip_family_seen[0], fd = o->ip_family_seen[1];
	uint32_t l2l4, min, small;
	unsigned int i;

	if (replay_check(o, err, errlen) != 0)
		return -1;
	if (o->flows != 1 && o->sport_range)
		return cli_errf(err, errlen, "--flows: a --sport range already "
			"gives the ports (use one or the other)");
	if (o->sport + o->flows - 1 > UINT16_MAX)
		return cli_errf(err, errlen, "--flows: %" PRIu32 " flows from "
			"--sport %u go past UDP port 65535", o->flows,
			o->sport);
	if (!o->sport_range)
		o->sport_hi = (uint16_t)(o->sport + o->flows - 1);
	if ((fs == 6 || fd == 6) && fs != fd)
		return cli_errf(err, errlen, "--dst-ip: source and destination "
			"must be of one family (%s IPv6, %s %s)",
			fs == 6 ? "--src-ip is" : "--dst-ip is",
			fs == 6 ? "--dst-ip is" : "--src-ip is",
			(fs == 6 ? fd : fs) == 0 ? "the IPv4 default" : "IPv4");
	o->ip6 = fs == 6;
	if (o->ip6) {
		int k, j;

		for (k = 0; k < 2; k++) {
			const uint8_t (*r)[16] = k == 0 ? o->src_ip6 :
				o->dst_ip6;
			unsigned __int128 a = 0, b = 0;

			for (j = 0; j < 16; j++) {
				a = a << 8 | r[0][j];
				b = b << 8 | r[1][j];
			}
			if (b - a > (unsigned __int128)UINT64_MAX - 1)
				return cli_errf(err, errlen, "--%s: the range "
					"spans 2^64 - 1 addresses or more",
					k == 0 ? "src-ip" : "dst-ip");
		}
	}
	/* The smallest frame of the stack, checked here rather than by the
	 * library (which would log): every size of the mix at least that. */
	l2l4 = 14u + 4u * o->nb_vlan + (o->ip6 ? 40u : 20u) + 8u;
	min = RTE_MAX(l2l4 + EMIT_HDR_COMPACT_LEN, GEN_SIZE_MIN);
	small = o->size_mix.mode == EMIT_SIZE_CLAIM ? o->size :
		o->size_mix.mode == EMIT_SIZE_RANGE ? o->size_mix.lo : UINT32_MAX;
	for (i = 0; o->size_mix.mode == EMIT_SIZE_LIST &&
			i < o->size_mix.nb; i++)
		small = RTE_MIN(small, (uint32_t)o->size_mix.len[i]);
	if (small < min)
		return cli_errf(err, errlen, "--size: '%s' has a %" PRIu32
			"-byte frame, below the smallest the headers allow "
			"(%" PRIu32 " bytes with %u VLAN tag%s and %s)",
			o->size_arg, small, min, o->nb_vlan,
			o->nb_vlan == 1 ? "" : "s", o->ip6 ? "IPv6" : "IPv4");
	gen_opts_frame(o, &fc);
	if (o->size_mix.mode != EMIT_SIZE_CLAIM)
		o->size = (uint32_t)emit_frame_len_mean(&fc, 0);
	if (o->tx_drop_us_set && o->tx_policy != EMIT_TX_POLICY_DROP)
		return cli_errf(err, errlen, "--tx-drop-us: only with "
			"--tx-policy drop");
	/* With --replay the frame size is the capture's: converted once
	 * it is read. */
	if (o->rate_bps != 0 && o->replay == NULL)
		return gen_opts_rate_from_bps(o, o->size, err, errlen);
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
		o->given |= OPT_BIT(op->id);
		if (op->arg == NULL) {
			if (eq != NULL)
				return cli_errf(err, errlen, "--%s takes no "
					"value", op->name);
			if (op->id == O_UDP_CSUM) {
				o->udp_csum = 1;
				continue;
			}
			if (op->id == O_REPLAY_TIMING) {
				o->replay_timing = 1;
				continue;
			}
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
	/* --count alone runs until the count, not for the default time;
	 * --replay until its loops are done (or until stopped). */
	if ((o->count != 0 || o->replay != NULL) && !duration_set)
		o->duration_ns = 0;
	return cross_check(o, err, errlen);
}

void
gen_opts_frame(const struct gen_opts *o, struct emit_frame_conf *fc)
{
	unsigned int i;

	emit_frame_conf_init(fc);
	memcpy(fc->src_mac.lo.addr_bytes, o->src_mac, 6);
	memcpy(fc->src_mac.hi.addr_bytes, o->src_mac_hi, 6);
	memcpy(fc->dst_mac.lo.addr_bytes, o->dst_mac, 6);
	memcpy(fc->dst_mac.hi.addr_bytes, o->dst_mac_hi, 6);
	if (o->ip6) {
		fc->l3 = EMIT_L3_IPV6;
		memcpy(fc->src_ip.lo, o->src_ip6[0], 16);
		memcpy(fc->src_ip.hi, o->src_ip6[1], 16);
		memcpy(fc->dst_ip.lo, o->dst_ip6[0], 16);
		memcpy(fc->dst_ip.hi, o->dst_ip6[1], 16);
	} else {
		emit_ip_range_set4(&fc->src_ip, o->src_ip, o->src_ip_hi);
		emit_ip_range_set4(&fc->dst_ip, o->dst_ip, o->dst_ip_hi);
	}
	fc->src_port.lo = o->sport;
	fc->src_port.hi = o->sport_hi;
	fc->dst_port.lo = o->dport;
	fc->dst_port.hi = o->dport_hi;
	fc->nb_vlan = (uint8_t)o->nb_vlan;
	fc->vlan_prio = (uint8_t)o->vlan_prio;
	for (i = 0; i < o->nb_vlan && i < 2; i++) {
		fc->vlan[i].lo = o->vlan[i][0];
		fc->vlan[i].hi = o->vlan[i][1];
	}
	fc->vary = o->vary;
	fc->seed = o->seed;
	fc->udp_csum = (uint8_t)(o->udp_csum != 0);
	fc->size = o->size_mix;
	/* --size B below the full event header: fixed B-byte frames with
	 * the compact one */
	if (fc->size.mode == EMIT_SIZE_CLAIM &&
	    o->size < (uint32_t)(14 + 4 * o->nb_vlan + (o->ip6 ? 40 : 20) +
			8 + EMIT_HDR_LEN)) {
		fc->size.mode = EMIT_SIZE_FIXED;
		fc->size.lo = (uint16_t)o->size;
	}
}

int
gen_opts_rate_link(struct gen_opts *o, uint64_t link_mbps, char *err,
		size_t errlen)
{
	uint64_t bits;

	if (o->rate_pct == 0)
		return 0;
	if (link_mbps == 0)
		return cli_errf(err, errlen, "--rate: '%s' needs the link "
			"speed, which the ports do not report", o->rate_arg);
	/* Mbit/s * 10^6 * N / 100, with N = rate_pct / 10^9 */
	o->rate_bps = (uint64_t)((unsigned __int128)link_mbps * o->rate_pct /
		100000ull);
	bits = (uint64_t)(o->size + GEN_WIRE_OVERHEAD) * 8;
	o->rate = o->rate_bps / bits;
	if (o->rate == 0)
		return cli_errf(err, errlen, "--rate: '%s' is less than one "
			"frame per second", o->rate_arg);
	return 0;
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
