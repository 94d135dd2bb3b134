/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_DECODE_H
#define EMIT_DECODE_H

/**
 * @file
 * Decoding of emit frames on the receive side.
 *
 * A frame from the wire is untrusted: emit_decode() checks every length
 * before it reads a field, so it never reads outside [frame, frame + len)
 * whatever the bytes, and tells exactly what is wrong with a frame it
 * refuses. It keeps no state and takes no lock: any thread may call it.
 *
 * Malformed frames are reported as negative values below -EMIT_DECODE_BASE
 * (-4096), outside the range of errno values, so a caller can tell a bad
 * frame (emit_decode_reason() >= 0) from a bad call (-EINVAL).
 */

#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Why a frame is not a well-formed emit event. The checks run in the order
 * of this list; TRUNCATED is reported wherever the next field to check
 * would lie past the end of the frame.
 */
enum emit_malformed {
	/** The frame ends before its Ethernet, IPv4 or UDP header, before
	 * the IPv4 total length, or the UDP datagram ends before the event
	 * header. */
	EMIT_MALFORMED_TRUNCATED = 0,
	/** Ethertype, after up to two VLAN tags (0x8100, 0x88a8), is neither
	 * IPv4 (0x0800) nor IPv6 (0x86dd). */
	EMIT_MALFORMED_NOT_IPV4,
	/** IP version is not that of the ethertype, or an IPv4 IHL is not 5
	 * (IP options or a bad IHL). */
	EMIT_MALFORMED_IP_HDR,
	/** The IPv4 header checksum does not verify. */
	EMIT_MALFORMED_IP_CKSUM,
	/** The packet is an IPv4 fragment (MF set or a fragment offset). */
	EMIT_MALFORMED_IP_FRAGMENT,
	/** The IPv4 protocol or IPv6 next header is not UDP. */
	EMIT_MALFORMED_NOT_UDP,
	/** Frame, IPv4 total length and UDP length disagree: the frame runs
	 * past the IPv4 packet (beyond the padding of a 60-byte minimum
	 * frame), the IPv4 total length is below its own header plus UDP, or
	 * the UDP length is not the IPv4 payload length. */
	EMIT_MALFORMED_LENGTH,
	/** A non-zero UDP checksum does not verify, or an IPv6 UDP checksum
	 * is 0. */
	EMIT_MALFORMED_UDP_CKSUM,
	/** The event header's magic is not EMIT_MAGIC. */
	EMIT_MALFORMED_MAGIC,
	/** The event header's version is neither EMIT_VERSION nor
	 * EMIT_VERSION_COMPACT. */
	EMIT_MALFORMED_VERSION,
	EMIT_MALFORMED_MAX /**< number of reasons */
};

/** Start of the range of malformed-frame return values. */
#define EMIT_DECODE_BASE 4096

/** The value emit_decode() returns for malformed reason @p r. */
#define EMIT_DECODE_ERR(r) (-(EMIT_DECODE_BASE + (int)(r)))

/** A decoded event. Pointers point into the decoded frame. */
struct emit_decoded {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint32_t src_ip;       /**< host byte order */
	uint32_t dst_ip;       /**< host byte order */
	uint16_t src_port;     /**< host byte order */
	uint16_t dst_port;     /**< host byte order */
	uint8_t version;       /**< event header version */
	uint8_t flags;         /**< event header flags, as received */
	uint16_t type;         /**< event type */
	uint16_t sender;       /**< sender id */
	uint64_t seq;          /**< per-sender sequence number */
	uint64_t time_ns;      /**< UNIX time in ns at commit */
	const uint8_t *payload;/**< event payload, inside the frame */
	uint32_t payload_len;  /**< bytes of payload (UDP length - 8 - the
				* event header) */
	uint32_t frame_len;    /**< bytes of the frame up to the IP end */
	uint8_t l3;            /**< EMIT_L3_IPV4 or EMIT_L3_IPV6 */
	uint8_t nb_vlan;       /**< VLAN tags, 0..EMIT_VLAN_MAX */
	uint16_t vlan_tci[2];  /**< the tags' TCI, host order; [0] outer */
	/** IPv6 addresses, network byte order (l3 EMIT_L3_IPV6; src_ip and
	 * dst_ip are then 0). */
	uint8_t src_ip6[16];
	uint8_t dst_ip6[16];
	/** Significant low bits of time_ns: 64, or EMIT_COMPACT_TIME_BITS
	 * for a compact header (version EMIT_VERSION_COMPACT, type 0);
	 * emit_time_expand() restores the rest. */
	uint8_t time_bits;
};

/**
 * Decode one frame. Any thread; reads only [frame, frame + len) and
 * writes only @p ev.
 *
 * Accepted: Ethernet II / up to two VLAN tags / IPv4 without options,
 * with a valid header checksum, not fragmented, or IPv6 without extension
 * headers / UDP whose length matches the IP payload and whose checksum is
 * valid (or 0, over IPv4) / an event header with EMIT_MAGIC and
 * EMIT_VERSION (full) or EMIT_VERSION_COMPACT (compact). The frame may
 * carry padding after the IP packet only up to the 60-byte Ethernet
 * minimum; event header flags are not checked.
 *
 * @param[in] frame  first byte of the Ethernet header; may be NULL when
 *   @p len is 0.
 * @param len  bytes available at @p frame (without FCS).
 * @param[out] ev  the decoded event; on failure its content is undefined.
 * @return 0 if the frame is a well-formed event; otherwise
 *   - -EINVAL: @p ev is NULL, or @p frame is NULL with @p len > 0;
 *   - EMIT_DECODE_ERR(reason) for a malformed frame, reason being an
 *     enum emit_malformed (see emit_decode_reason()).
 */
int emit_decode(const void *frame, uint32_t len, struct emit_decoded *ev);

/**
 * Restore a commit time of which only the low @p bits bits are known
 * (emit_decoded.time_bits) from a reference time close to it, such as
 * the receive time: the time with those low bits nearest to @p ref_ns.
 * Any thread.
 *
 * @param time_ns  the known low bits (higher bits are ignored).
 * @param bits  1..64; 0 or 64 returns @p time_ns unchanged.
 * @param ref_ns  UNIX time in ns within 2^(bits - 1) ns of the event's.
 * @return the full time in ns.
 */
uint64_t emit_time_expand(uint64_t time_ns, unsigned int bits,
		uint64_t ref_ns);

/**
 * The malformed reason of an emit_decode() return value. Any thread.
 *
 * @return the enum emit_malformed value, or -EINVAL if @p rc is not a
 *   malformed-frame return value (0, an errno value, out of range).
 */
int emit_decode_reason(int rc);

/**
 * Short stable name of a malformed reason ("truncated", "not_ipv4",
 * "ip_hdr", "ip_cksum", "ip_fragment", "not_udp", "length", "udp_cksum",
 * "magic", "version"), used in reports and telemetry. Any thread.
 *
 * @return the name, or NULL if @p reason is out of range.
 */
const char *emit_malformed_name(enum emit_malformed reason);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_DECODE_H */
