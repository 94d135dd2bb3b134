/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_OPTS_H
#define GEN_OPTS_H

/*
 * emit-gen's own options (those after "--"): defaults, parsing, checks
 * that need no EAL, and the usage text. Checks that need the lcores and
 * ports (senders and TX stages against lcores, TX queues per port, the
 * rate split per sender) are in gen_layout.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <emit_frame.h>
#include <emit_pipeline.h>
#include <emit_sender.h>
#include <emit_tx.h>

/* Frame bytes on the wire besides the frame itself: preamble and start
 * delimiter (8), FCS (4) and inter-frame gap (12). Bit rates (bps
 * suffixes, gbps in reports) count them. */
#define GEN_WIRE_OVERHEAD 24u
/* Smallest frame: 64 bytes on the wire (the compact event header). */
#define GEN_SIZE_MIN EMIT_FRAME_LEN_MIN
/* Largest frame: jumbo; the pools are sized for the largest of the run. */
#define GEN_SIZE_MAX EMIT_FRAME_LEN_MAX
#define GEN_RING_SIZE_MAX (1u << 20)
#define GEN_DURATION_MAX_S 31536000u  /* one year */
#define GEN_INTERVAL_MAX_S 3600u

/* What the payload of each event holds. */
enum gen_pattern {
	/* The sender's event counter (0, 1, 2, ...; equal to the event's
	 * seq), 64-bit big-endian, repeated: payload byte k is byte k % 8
	 * of it. */
	GEN_PATTERN_COUNTER,
	GEN_PATTERN_ZERO,   /* zero bytes */
	/* Payload not written: whatever the buffer held (as testpmd's
	 * txonly mode), for measuring the emit path alone. */
	GEN_PATTERN_NONE,
};

/* Where senders and TX stages run. */
enum gen_layout_mode {
	/* Senders and TX stages on separate lcores, joined by rings. */
	GEN_LAYOUT_SPLIT,
	/* Run to completion: each lcore runs a sender and the TX stage
	 * that drains its ring, so mbufs never leave the lcore's cache. */
	GEN_LAYOUT_RTC,
};

/* What the sender rings carry (emit_sender_conf.desc_ring). */
enum gen_rings {
	GEN_RINGS_DESC, /* descriptors; the TX stage writes mbuf headers */
	GEN_RINGS_MBUF, /* complete mbufs */
};

/* parse results besides 0 and -1 */
#define GEN_OPTS_HELP 1
#define GEN_OPTS_VERSION 2

struct gen_opts {
	uint64_t rate;          /* events/s in total, 0 = unlimited */
	uint64_t rate_bps;      /* bits/s if --rate had a bps suffix, else 0 */
	char rate_arg[32];      /* --rate as given ("0" by default) */
	/* --rate N%: share of the ports' link speed in parts per 10^11
	 * (N * 10^9), else 0; gen_opts_rate_link() turns it into a rate */
	uint64_t rate_pct;
	/* frame bytes without FCS: --size B, or the mean of a mix */
	uint32_t size;
	char size_arg[160];     /* --size as given ("128" by default) */
	struct emit_size_mix size_mix; /* mode EMIT_SIZE_CLAIM: --size B */
	uint32_t burst;
	uint32_t linger_us;
	uint64_t duration_ns;   /* 0: no time limit */
	uint64_t count;         /* events per sender, 0: no count limit */
	unsigned int senders;   /* 0: from the lcores */
	unsigned int tx_cores;  /* 0: from the lcores */
	uint32_t ring_size;
	enum emit_policy policy;
	uint32_t flows;
	uint8_t src_mac[6];     /* first of the range */
	uint8_t dst_mac[6];
	uint8_t src_mac_hi[6];  /* last of the range (= first: fixed) */
	uint8_t dst_mac_hi[6];
	uint32_t src_ip;        /* IPv4, host byte order: first of the range */
	uint32_t dst_ip;
	uint32_t src_ip_hi;     /* last */
	uint32_t dst_ip_hi;
	int ip6;                /* addresses are IPv6: the *_ip6 fields */
	int ip_family_seen[2];  /* [0] src, [1] dst: 4, 6, or 0 (default) */
	uint8_t src_ip6[2][16]; /* [0] first, [1] last; network order */
	uint8_t dst_ip6[2][16];
	uint16_t sport;         /* first of the range */
	uint16_t dport;
	uint16_t sport_hi;      /* last; with --flows, sport + flows - 1 */
	uint16_t dport_hi;
	int sport_range;        /* --sport was a range (excludes --flows) */
	enum emit_vary vary;
	uint64_t seed;
	unsigned int nb_vlan;   /* 0, 1 or 2 (QinQ) */
	uint16_t vlan[2][2];    /* [tag][0 first, 1 last]; [0] outer */
	unsigned int vlan_prio;
	int udp_csum;
	int csum_offload;      /* --csum-offload: 1 auto (default), 0 off */
	uint16_t type;
	enum gen_pattern pattern;
	enum gen_layout_mode layout;
	enum gen_rings rings;
	enum emit_tx_latency tx_latency; /* TX stages' latency sampling */
	enum emit_tx_policy tx_policy;   /* TX stages' policy */
	uint32_t tx_drop_us;    /* TX DROP: how long a refused tail waits */
	int tx_drop_us_set;     /* --tx-drop-us was given */
	uint64_t interval_ns;   /* progress line period, 0: quiet */
	int interval_set;       /* --stats-interval was given */
	const char *json;       /* NULL, a path, or "-" for stdout */
	/* --replay: the capture whose frames go instead of built ones, NULL
	 * to build frames; then --replay-timing (pace by the capture's
	 * timestamps) and --loop (times through it; 0: until stopped). */
	const char *replay;
	int replay_timing;
	uint32_t loops;
	/* Options given, a bit per option (GEN_OPT_BIT of its id). */
	uint64_t given;
};

/* Defaults: as fast as possible, 128-byte frames, burst 32, no linger,
 * 5 s, policy hold, ring 1024, one flow 02:00:00:00:00:01 10.0.0.1:9000
 * -> 02:00:00:00:00:02 10.0.0.2:9001, type 1, counter pattern, latency
 * sampled per TX burst, TX policy hold (drop after 1000 us with drop),
 * progress every second on a terminal. */
void gen_opts_defaults(struct gen_opts *o);

/*
 * Parse argv[0..argc-1] (the options only, no program name). Returns 0,
 * GEN_OPTS_HELP, GEN_OPTS_VERSION, or -1 with a one-line reason naming
 * the option and what it accepts in @p err (no trailing newline).
 */
int gen_opts_parse(int argc, char *const argv[], struct gen_opts *o,
		char *err, size_t errlen);

/* The frames of the options (addresses, ports, tags, variation, sizes,
 * checksum). */
void gen_opts_frame(const struct gen_opts *o, struct emit_frame_conf *fc);

/* Turn --rate N% into events/s from @p link_mbps, the ports' summed
 * link speed in Mbit/s. Returns 0, or -1 with a one-line reason in
 * @p err. Without N%, nothing changes. */
int gen_opts_rate_link(struct gen_opts *o, uint64_t link_mbps, char *err,
		size_t errlen);

/*
 * --rate given as a bit rate: the events/s it makes with frames of
 * @p frame_bytes on average (without FCS). Done by gen_opts_parse for
 * built frames (--size); with --replay, by the caller once the capture's
 * mean frame size is known. Returns 0, or -1 with a one-line reason.
 */
int gen_opts_rate_from_bps(struct gen_opts *o, uint32_t frame_bytes,
		char *err, size_t errlen);

/* The --help text, generated from the options table. */
void gen_opts_usage(FILE *f);

struct cli_opts;
/* The options table: every option the parser takes, and its help. */
const struct cli_opts *gen_opts_table(void);

/* Name of a policy ("drop", "hold", "spin"). */
const char *gen_policy_name(enum emit_policy p);
/* Name of a ring kind ("desc", "mbuf"). */
const char *gen_rings_name(enum gen_rings r);

/* Name of a layout ("split", "rtc"). */
const char *gen_layout_name(enum gen_layout_mode m);

/* Name of a pattern ("counter", "zero", "none"). */
const char *gen_pattern_name(enum gen_pattern p);
/* Name of a latency sampling ("off", "burst", "packet"). */
const char *gen_tx_latency_name(enum emit_tx_latency l);

/* "aa:bb:cc:dd:ee:ff" into @p buf (at least 18 bytes). */
void gen_format_mac(const uint8_t mac[6], char *buf);
/* Dotted quad into @p buf (at least 16 bytes). */
void gen_format_ipv4(uint32_t ip, char *buf);

#endif /* GEN_OPTS_H */
