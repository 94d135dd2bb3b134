/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: emit-gen's option parser (gen_opts_parse) and its
 * value parsers. The input is split at NUL bytes into the arguments after
 * "--". Checked beyond "no crash":
 * - the result is 0, help, version, or -1 with a one-line reason;
 * - accepted options are within their documented ranges;
 * - what was accepted, written back as options in canonical form, parses
 *   to the same values (a round trip through gen_format_mac/ipv4 and
 *   plain decimal numbers);
 * - the value parsers agree with their contract on their own: a count
 *   or an address they accept is accepted again once printed.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_eal.h"
#include "gen_opts.h"
#include "common/parse.h"

#define ARGS_MAX 64

static void
check_ranges(const struct gen_opts *o)
{
	FUZZ_CHECK(o->size >= GEN_SIZE_MIN && o->size <= GEN_SIZE_MAX);
	FUZZ_CHECK(o->burst >= 1 && o->burst <= EMIT_BURST_MAX);
	FUZZ_CHECK(o->linger_us <= 60000000u);
	FUZZ_CHECK(o->ring_size != 0 &&
		(o->ring_size & (o->ring_size - 1)) == 0 &&
		o->ring_size <= GEN_RING_SIZE_MAX && o->ring_size > o->burst);
	FUZZ_CHECK(o->duration_ns <= (uint64_t)GEN_DURATION_MAX_S * 1000000000u);
	FUZZ_CHECK(o->interval_ns <= (uint64_t)GEN_INTERVAL_MAX_S * 1000000000u);
	FUZZ_CHECK(o->senders <= EMIT_PIPELINE_MAX);
	FUZZ_CHECK(o->tx_cores <= EMIT_PIPELINE_MAX);
	FUZZ_CHECK(o->policy == EMIT_POLICY_DROP ||
		o->policy == EMIT_POLICY_HOLD || o->policy == EMIT_POLICY_SPIN);
	FUZZ_CHECK(o->flows >= 1 && o->flows <= 65535);
	FUZZ_CHECK(o->sport >= 1 && o->dport >= 1);
	FUZZ_CHECK(o->pattern == GEN_PATTERN_COUNTER ||
		o->pattern == GEN_PATTERN_ZERO ||
		o->pattern == GEN_PATTERN_NONE);
	FUZZ_CHECK(o->tx_latency == EMIT_TX_LATENCY_OFF ||
		o->tx_latency == EMIT_TX_LATENCY_BURST ||
		o->tx_latency == EMIT_TX_LATENCY_PACKET);
	FUZZ_CHECK(o->tx_policy == EMIT_TX_POLICY_HOLD ||
		o->tx_policy == EMIT_TX_POLICY_DROP);
	FUZZ_CHECK(o->tx_drop_us <= EMIT_TX_US_MAX);
	FUZZ_CHECK(o->csum_offload == 0 || o->csum_offload == 1);
	FUZZ_CHECK(!o->tx_drop_us_set || o->tx_policy == EMIT_TX_POLICY_DROP);
	FUZZ_CHECK(o->rate <= EMIT_RATE_MAX);
	FUZZ_CHECK(memchr(o->rate_arg, '\0', sizeof(o->rate_arg)) != NULL);
	/* --replay: a non-empty file name; its companions only with it, and
	 * --replay-timing never with a rate. */
	FUZZ_CHECK(o->replay == NULL || o->replay[0] != '\0');
	FUZZ_CHECK(o->replay != NULL || (!o->replay_timing && o->loops == 1));
	FUZZ_CHECK(!o->replay_timing || (o->rate == 0 && o->rate_bps == 0));
}

/* Print @p o back as options and parse them again: same values. */
static void
check_round_trip(const struct gen_opts *o)
{
	char buf[24][48], mac[2][18], ip[2][16], err[256];
	char *argv[26];
	struct gen_opts p;
	int n = 0, k;

	gen_format_mac(o->src_mac, mac[0]);
	gen_format_mac(o->dst_mac, mac[1]);
	gen_format_ipv4(o->src_ip, ip[0]);
	gen_format_ipv4(o->dst_ip, ip[1]);
#define ARG(...) snprintf(buf[n], sizeof(buf[n]), __VA_ARGS__), n++
	ARG("--rate=%s", o->rate_arg);
	ARG("--burst=%" PRIu32, o->burst);
	ARG("--linger-us=%" PRIu32, o->linger_us);
	ARG("--ring-size=%" PRIu32, o->ring_size);
	ARG("--policy=%s", gen_policy_name(o->policy));
	ARG("--tx-latency=%s", gen_tx_latency_name(o->tx_latency));
	ARG("--tx-policy=%s", emit_tx_policy_name(o->tx_policy));
	if (o->tx_policy == EMIT_TX_POLICY_DROP)
		ARG("--tx-drop-us=%" PRIu32, o->tx_drop_us);
	/* The options that build frames do not go with --replay. */
	if (o->replay == NULL) {
		ARG("--size=%" PRIu32, o->size);
		ARG("--flows=%" PRIu32, o->flows);
		ARG("--src-mac=%s", mac[0]);
		ARG("--dst-mac=%s", mac[1]);
		ARG("--src-ip=%s", ip[0]);
		ARG("--dst-ip=%s", ip[1]);
		ARG("--sport=%u", o->sport);
		ARG("--dport=%u", o->dport);
		ARG("--type=%u", o->type);
		ARG("--pattern=%s", gen_pattern_name(o->pattern));
		ARG("--csum-offload=%s", o->csum_offload ? "auto" : "off");
	} else {
		ARG("--loop=%" PRIu32, o->loops);
		if (o->replay_timing)
			ARG("--replay-timing");
	}
	if (o->senders != 0)
		ARG("--senders=%u", o->senders);
	if (o->tx_cores != 0)
		ARG("--tx-cores=%u", o->tx_cores);
	if (o->count != 0)
		ARG("--count=%" PRIu64, o->count);
#undef ARG
	for (k = 0; k < n; k++)
		argv[k] = buf[k];
	if (o->replay != NULL) {
		/* The file name as given, however long (at most the input)
		 * and whatever it starts with: "--replay=NAME". */
		static char replay[8300];

		snprintf(replay, sizeof(replay), "--replay=%s", o->replay);
		argv[n++] = replay;
	}
	if (gen_opts_parse(n, argv, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "canonical options refused: %s\n", err);
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(p.rate == o->rate && p.rate_bps == o->rate_bps);
	FUZZ_CHECK(p.size == o->size && p.burst == o->burst);
	FUZZ_CHECK(p.linger_us == o->linger_us);
	FUZZ_CHECK(p.ring_size == o->ring_size && p.policy == o->policy);
	FUZZ_CHECK(p.flows == o->flows);
	FUZZ_CHECK(memcmp(p.src_mac, o->src_mac, 6) == 0);
	FUZZ_CHECK(memcmp(p.dst_mac, o->dst_mac, 6) == 0);
	FUZZ_CHECK(p.src_ip == o->src_ip && p.dst_ip == o->dst_ip);
	FUZZ_CHECK(p.sport == o->sport && p.dport == o->dport);
	FUZZ_CHECK(p.csum_offload == o->csum_offload);
	FUZZ_CHECK(p.type == o->type && p.pattern == o->pattern);
	FUZZ_CHECK(p.tx_latency == o->tx_latency);
	FUZZ_CHECK(p.tx_policy == o->tx_policy);
	FUZZ_CHECK(o->tx_policy != EMIT_TX_POLICY_DROP ||
		p.tx_drop_us == o->tx_drop_us);
	FUZZ_CHECK(p.senders == o->senders && p.tx_cores == o->tx_cores);
	FUZZ_CHECK(p.count == o->count);
	FUZZ_CHECK((p.replay == NULL) == (o->replay == NULL));
	FUZZ_CHECK(p.replay == NULL || strcmp(p.replay, o->replay) == 0);
	FUZZ_CHECK(p.loops == o->loops &&
		p.replay_timing == o->replay_timing);
}

/* Each value parser alone, on the first argument. */
static void
check_value_parsers(const char *s)
{
	char out[64];
	const char *why = NULL;
	uint64_t v, w;
	uint32_t ip, ip2;
	uint8_t mac[6], mac2[6];
	int bps, rc;

	rc = cli_parse_count(s, UINT64_MAX, &v, &why);
	FUZZ_CHECK(rc == 0 || ((rc == -EINVAL || rc == -ERANGE) &&
		why != NULL));
	if (rc == 0) {
		snprintf(out, sizeof(out), "%" PRIu64, v);
		FUZZ_CHECK(cli_parse_count(out, UINT64_MAX, &w, &why) == 0 &&
			w == v);
	}
	why = NULL;
	rc = cli_parse_rate(s, EMIT_RATE_MAX, &v, &bps, &why);
	FUZZ_CHECK(rc == 0 || why != NULL);
	FUZZ_CHECK(rc != 0 || bps || v <= EMIT_RATE_MAX);
	why = NULL;
	rc = cli_parse_seconds(s, GEN_DURATION_MAX_S, &v, &why);
	FUZZ_CHECK(rc == 0 || why != NULL);
	FUZZ_CHECK(rc != 0 || v <= (uint64_t)GEN_DURATION_MAX_S * 1000000000u);
	if (cli_parse_ipv4(s, &ip, &why) == 0) {
		gen_format_ipv4(ip, out);
		FUZZ_CHECK(strcmp(out, s) == 0);
		FUZZ_CHECK(cli_parse_ipv4(out, &ip2, &why) == 0 && ip2 == ip);
	}
	if (cli_parse_mac(s, mac, &why) == 0) {
		gen_format_mac(mac, out);
		FUZZ_CHECK(cli_parse_mac(out, mac2, &why) == 0 &&
			memcmp(mac, mac2, 6) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char copy[8192];
	char *argv[ARGS_MAX], err[256];
	struct gen_opts o;
	size_t i, start = 0;
	int argc = 0, rc;

	if (size >= sizeof(copy))
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i <= size && argc < ARGS_MAX; i++) {
		if (copy[i] != '\0')
			continue;
		argv[argc++] = copy + start;
		start = i + 1;
	}
	check_value_parsers(argv[0]);
	memset(err, 0, sizeof(err));
	rc = gen_opts_parse(argc, argv, &o, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1 || rc == GEN_OPTS_HELP ||
		rc == GEN_OPTS_VERSION);
	if (rc == -1) {
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
		FUZZ_CHECK(strchr(err, '\n') == NULL);
	}
	if (rc == 0) {
		check_ranges(&o);
		check_round_trip(&o);
	}
	return 0;
}
