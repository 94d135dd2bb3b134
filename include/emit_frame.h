/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_FRAME_H
#define EMIT_FRAME_H

/**
 * @file
 * The frames a sender builds: the header stack, the per-event fields and
 * the per-event sizes.
 *
 * Stack: Ethernet / zero, one (802.1Q, TPID 0x8100) or two (QinQ: outer
 * 802.1ad, TPID 0x88a8, then inner 802.1Q) VLAN tags / IPv4 or IPv6 / UDP
 * / event header / payload. IPv4 frames carry a valid header checksum and
 * a UDP checksum of 0 unless asked for; IPv6 frames always carry a valid
 * UDP checksum (RFC 8200).
 *
 * Per-event fields: the source and destination MAC, IP address, UDP port
 * and each VLAN id are each an inclusive range [lo, hi]; lo == hi is a
 * fixed field. A range is walked in increments (lo, lo + 1, ..., hi, lo,
 * ...) or drawn at random, uniformly, from a fast generator seeded by
 * emit_frame_conf.seed (the same seed gives the same frames). The IPv4
 * header checksum follows the addresses incrementally (RFC 1624).
 *
 * Per-event sizes: by default a frame is as long as its headers and the
 * payload claimed; a size mix instead gives each frame a length drawn
 * from it (fixed, uniform in a range, or a weighted list such as IMIX).
 * The payload a claim returns is then at least the claimed length; the
 * bytes between it and the frame's end are left as the pool had them.
 *
 * Frames shorter than their headers plus the 24-byte event header (down to
 * the 60-byte minimum Ethernet frame without FCS) carry the 18-byte
 * compact event header (struct emit_hdr_compact) instead, which a decoder
 * tells apart by its version.
 *
 * A configuration is plain data: fill it with emit_frame_conf_init(),
 * change fields, check it with emit_frame_conf_check(), and give it to a
 * sender (emit_sender_conf.frame).
 */

#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Smallest frame, without FCS (the 64-byte frame on the wire). */
#define EMIT_FRAME_LEN_MIN 60u
/** Largest frame, without FCS (jumbo). */
#define EMIT_FRAME_LEN_MAX 9600u
/** Most entries in a weighted size list. */
#define EMIT_SIZE_LIST_MAX 16u
/** Most VLAN tags. */
#define EMIT_VLAN_MAX 2u

/** Network layer of the frames. */
enum emit_l3 {
	EMIT_L3_IPV4 = 4, /**< IPv4, no options */
	EMIT_L3_IPV6 = 6, /**< IPv6, no extension headers */
};

/** How ranges of per-event fields are walked. */
enum emit_vary {
	EMIT_VARY_INC = 0,    /**< lo, lo + 1, ..., hi, then lo again */
	EMIT_VARY_RANDOM = 1, /**< uniform draws from a seeded generator */
};

/** How each frame's length is chosen. */
enum emit_size_mode {
	/** Headers plus the payload length of the claim (the default). */
	EMIT_SIZE_CLAIM = 0,
	/** Every frame size_mix.lo bytes. */
	EMIT_SIZE_FIXED = 1,
	/** Uniform in [size_mix.lo, size_mix.hi]. */
	EMIT_SIZE_RANGE = 2,
	/** size_mix.len[i] with probability weight[i] / sum(weight). */
	EMIT_SIZE_LIST = 3,
};

/** An inclusive range of MAC addresses, compared as 48-bit numbers. */
struct emit_mac_range {
	struct rte_ether_addr lo;
	struct rte_ether_addr hi;
};

/** An inclusive range of IP addresses, in network byte order: IPv4 in
 * the first 4 bytes (the rest 0), IPv6 in all 16. hi - lo must be below
 * 2^64 (any range within one /64, or one that crosses a /64 boundary). */
struct emit_ip_range {
	uint8_t lo[16];
	uint8_t hi[16];
};

/** An inclusive range of UDP ports or VLAN ids, host byte order. */
struct emit_u16_range {
	uint16_t lo;
	uint16_t hi;
};

/** Per-event frame lengths (without FCS), each in
 * EMIT_FRAME_LEN_MIN..EMIT_FRAME_LEN_MAX. */
struct emit_size_mix {
	enum emit_size_mode mode;
	uint16_t lo;      /**< FIXED: the length; RANGE: the smallest */
	uint16_t hi;      /**< RANGE: the largest */
	uint16_t nb;      /**< LIST: entries, 1..EMIT_SIZE_LIST_MAX */
	uint16_t len[EMIT_SIZE_LIST_MAX];    /**< LIST: lengths */
	uint32_t weight[EMIT_SIZE_LIST_MAX]; /**< LIST: weights, >= 1, sum
					      * at most 2^24 */
};

/** The frames of a sender. */
struct emit_frame_conf {
	enum emit_l3 l3;            /**< IPv4 or IPv6 */
	uint8_t nb_vlan;            /**< VLAN tags, 0..EMIT_VLAN_MAX */
	uint8_t vlan_prio;          /**< PCP of every tag, 0..7 */
	/** VLAN ids, 0..4095 each; vlan[0] is the outer tag. */
	struct emit_u16_range vlan[EMIT_VLAN_MAX];
	struct emit_mac_range src_mac;
	struct emit_mac_range dst_mac;
	struct emit_ip_range src_ip; /**< family of l3 */
	struct emit_ip_range dst_ip; /**< family of l3 */
	struct emit_u16_range src_port;
	struct emit_u16_range dst_port;
	enum emit_vary vary;        /**< how the ranges are walked */
	uint64_t seed;              /**< EMIT_VARY_RANDOM and size draws */
	uint8_t ttl;                /**< IPv4 TTL or IPv6 hop limit, >= 1 */
	uint8_t dscp;               /**< DSCP, 0..63 */
	/** IPv4: 1 = a valid UDP checksum, 0 = checksum 0. IPv6 always
	 * carries one (this field is ignored). */
	uint8_t udp_csum;
	struct emit_size_mix size;  /**< per-event lengths */
};

/**
 * Fill @p fc with the defaults: IPv4, no VLAN, 02:00:00:00:00:01 ->
 * 02:00:00:00:00:02, 10.0.0.1:9000 -> 10.0.0.2:9001, every field fixed,
 * TTL 64, DSCP 0, UDP checksum 0, seed 1, sizes from the claims. The
 * frames equal those of a sender configured with emit_sender_conf_init()'s
 * flow. Any thread; NULL is ignored.
 */
void emit_frame_conf_init(struct emit_frame_conf *fc);

/**
 * Check @p fc: every range has lo <= hi and within its field, addresses
 * of the family of l3 (source and destination alike), the size mix within
 * EMIT_FRAME_LEN_MIN..EMIT_FRAME_LEN_MAX and not below the headers plus
 * the compact event header (emit_frame_len_min()). Logs the first
 * problem found. Any thread.
 *
 * @return 0, or -EINVAL if @p fc is NULL or a field is invalid.
 */
int emit_frame_conf_check(const struct emit_frame_conf *fc);

/**
 * Bytes before the event header: Ethernet, the VLAN tags, the IP and UDP
 * headers (42 for the default IPv4 frame, 62 for IPv6, 4 more per tag).
 * Any thread.
 *
 * @return the bytes, or -EINVAL if @p fc is NULL or invalid.
 */
int emit_frame_l2l4_len(const struct emit_frame_conf *fc);

/**
 * Smallest frame @p fc can carry (without FCS): its headers and the
 * compact event header, and at least EMIT_FRAME_LEN_MIN. Any thread.
 *
 * @return the bytes, or -EINVAL if @p fc is NULL or invalid.
 */
int emit_frame_len_min(const struct emit_frame_conf *fc);

/**
 * Largest frame a sender of @p fc builds for a claim of @p len payload
 * bytes: the size mix's largest, or the headers, the full event header
 * and @p len if that is more. Any thread.
 *
 * @return the bytes, or -EINVAL if @p fc is NULL or invalid.
 */
int emit_frame_len_max(const struct emit_frame_conf *fc, uint16_t len);

/**
 * Mean frame length (without FCS) of the size mix, rounded to the
 * nearest byte, for frames whose claims carry @p len payload bytes.
 * Any thread.
 *
 * @return the bytes, or -EINVAL if @p fc is NULL or invalid.
 */
int emit_frame_len_mean(const struct emit_frame_conf *fc, uint16_t len);

/**
 * Set a fixed IPv4 address (host byte order, as RTE_IPV4()) in a range.
 * Any thread.
 *
 * @param[out] r  the range; NULL is ignored.
 */
void emit_ip_range_set4(struct emit_ip_range *r, uint32_t lo, uint32_t hi);

/**
 * Fill a weighted size list with the simple IMIX: 64, 594 and 1518 bytes
 * on the wire (60, 590 and 1514 without FCS), weights 7, 4 and 1.
 * Any thread.
 *
 * @param[out] mix  the mix; NULL is ignored.
 */
void emit_size_mix_imix(struct emit_size_mix *mix);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_FRAME_H */
