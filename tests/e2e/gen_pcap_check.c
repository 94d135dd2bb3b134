/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoder for the e2e tests: reads a pcap file that emit-gen wrote through
 * net_pcap and checks every frame: size, Ethernet addresses, IPv4 header
 * (checksum included), UDP ports (flows in turn), the event header (magic,
 * version, type, sender), per-sender consecutive seq from 0, non-decreasing
 * time, and the payload pattern. Exit 0 and a summary line when all hold,
 * 1 with the first problem otherwise, 2 on bad arguments.
 *
 * usage: gen_pcap_check FILE SIZE SRC_MAC DST_MAC SRC_IP DST_IP SPORT DPORT
 *        FLOWS TYPE SENDERS COUNT PATTERN
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"

#define MAX_SENDERS 64

struct expect {
	unsigned int size;
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	unsigned int sport;
	unsigned int dport;
	unsigned int flows;
	unsigned int type;
	unsigned int senders;
	uint64_t count;
	int zero;
};

static unsigned int
be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint32_t
rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static int
bad(uint64_t frame, const char *what)
{
	fprintf(stderr, "gen_pcap_check: frame %" PRIu64 ": %s\n", frame, what);
	return 1;
}

static int
check_frame(const struct expect *e, const uint8_t *f, uint64_t idx,
		uint64_t *next_seq, uint64_t *last_ns)
{
	const uint8_t *ip = f + 14, *udp = f + 34, *h = f + 42, *pl = f + 66;
	unsigned int i, sender, sum = 0;
	uint64_t seq, ns;
	uint8_t seq_be[8];

	if (memcmp(f, e->dst_mac, 6) != 0 || memcmp(f + 6, e->src_mac, 6) != 0)
		return bad(idx, "MAC addresses");
	if (be16(f + 12) != 0x0800)
		return bad(idx, "ethertype is not IPv4");
	if (ip[0] != 0x45 || be16(ip + 2) != e->size - 14 || ip[9] != 17 ||
	    (be16(ip + 6) & 0x4000) == 0 || ip[8] == 0)
		return bad(idx, "IPv4 header (version, length, DF, TTL, UDP)");
	for (i = 0; i < 20; i += 2)
		sum += be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	if (sum != 0xffff)
		return bad(idx, "IPv4 header checksum");
	if (be32(ip + 12) != e->src_ip || be32(ip + 16) != e->dst_ip)
		return bad(idx, "IPv4 addresses");
	if (be16(udp + 2) != e->dport || be16(udp + 4) != e->size - 34 ||
	    be16(udp + 6) != 0)
		return bad(idx, "UDP destination port, length or checksum");
	if (be16(h) != 0x454d || h[2] != 1 || h[3] != 0 ||
	    be16(h + 4) != e->type)
		return bad(idx, "event header (magic, version, flags, type)");
	sender = be16(h + 6);
	if (sender >= e->senders)
		return bad(idx, "sender id out of range");
	seq = be64(h + 8);
	ns = be64(h + 16);
	if (seq != next_seq[sender]) {
		fprintf(stderr, "gen_pcap_check: frame %" PRIu64 ": sender %u "
			"seq %" PRIu64 ", expected %" PRIu64 "\n", idx, sender,
			seq, next_seq[sender]);
		return 1;
	}
	next_seq[sender]++;
	if (ns < last_ns[sender])
		return bad(idx, "time_ns went backwards");
	last_ns[sender] = ns;
	if (be16(udp) != e->sport + seq % e->flows)
		return bad(idx, "UDP source port is not the flow in turn");
	for (i = 0; i < 8; i++)
		seq_be[i] = (uint8_t)(seq >> (56 - 8 * i));
	for (i = 0; i < e->size - 66; i++)
		if (pl[i] != (e->zero ? 0 : seq_be[i % 8]))
			return bad(idx, "payload pattern");
	return 0;
}

static int
parse_args(int argc, char **argv, struct expect *e)
{
	const char *why;
	uint64_t v[7];
	int i;

	if (argc != 14)
		return -1;
	if (cli_parse_mac(argv[3], e->src_mac, &why) != 0 ||
	    cli_parse_mac(argv[4], e->dst_mac, &why) != 0 ||
	    cli_parse_ipv4(argv[5], &e->src_ip, &why) != 0 ||
	    cli_parse_ipv4(argv[6], &e->dst_ip, &why) != 0)
		return -1;
	if (cli_parse_count(argv[2], 2048, &v[0], &why) != 0 || v[0] < 66)
		return -1;
	for (i = 0; i < 6; i++)
		if (cli_parse_count(argv[7 + i], UINT64_MAX, &v[1 + i],
			&why) != 0)
			return -1;
	e->size = (unsigned int)v[0];
	e->sport = (unsigned int)v[1];
	e->dport = (unsigned int)v[2];
	e->flows = (unsigned int)v[3];
	e->type = (unsigned int)v[4];
	e->senders = (unsigned int)v[5];
	e->count = v[6];
	e->zero = strcmp(argv[13], "zero") == 0;
	if (e->flows == 0 || e->senders == 0 || e->senders > MAX_SENDERS ||
	    (!e->zero && strcmp(argv[13], "counter") != 0))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t next_seq[MAX_SENDERS] = { 0 }, last_ns[MAX_SENDERS] = { 0 };
	uint8_t gh[24], rh[16], frame[65536];
	struct expect e;
	uint64_t n = 0;
	uint32_t magic;
	unsigned int i;
	int swap, rc = 0;
	FILE *f;

	if (parse_args(argc, argv, &e) != 0) {
		fprintf(stderr, "usage: gen_pcap_check FILE SIZE SRC_MAC "
			"DST_MAC SRC_IP DST_IP SPORT DPORT FLOWS TYPE SENDERS "
			"COUNT counter|zero\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL || fread(gh, sizeof(gh), 1, f) != 1) {
		fprintf(stderr, "gen_pcap_check: cannot read %s\n", argv[1]);
		return 1;
	}
	memcpy(&magic, gh, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	magic = rd32(gh, swap);
	if ((magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) ||
	    rd32(gh + 20, swap) != 1) {
		fprintf(stderr, "gen_pcap_check: not an Ethernet pcap file\n");
		fclose(f);
		return 1;
	}
	while (rc == 0 && fread(rh, sizeof(rh), 1, f) == 1) {
		uint32_t incl = rd32(rh + 8, swap), orig = rd32(rh + 12, swap);

		if (incl != e.size || orig != e.size) {
			fprintf(stderr, "gen_pcap_check: frame %" PRIu64 ": "
				"%u bytes (%u on the wire), expected %u\n", n,
				incl, orig, e.size);
			rc = 1;
			break;
		}
		if (fread(frame, incl, 1, f) != 1) {
			fprintf(stderr, "gen_pcap_check: truncated file\n");
			rc = 1;
			break;
		}
		rc = check_frame(&e, frame, n, next_seq, last_ns);
		n++;
	}
	fclose(f);
	for (i = 0; rc == 0 && i < e.senders; i++)
		if (next_seq[i] != e.count) {
			fprintf(stderr, "gen_pcap_check: sender %u: %" PRIu64
				" frames, expected %" PRIu64 "\n", i,
				next_seq[i], e.count);
			rc = 1;
		}
	if (rc == 0)
		printf("gen_pcap_check: %" PRIu64 " frames of %u bytes from %u "
			"senders: all well-formed, seq consecutive\n", n,
			e.size, e.senders);
	return rc;
}
