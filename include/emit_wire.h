/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_WIRE_H
#define EMIT_WIRE_H

/**
 * @file
 * emit wire format: Ethernet / optional VLAN tags / IPv4 or IPv6 / UDP
 * (see emit_frame.h), then an event header in network byte order, then
 * the event payload. The event header is the 24-byte struct emit_hdr, or
 * in frames too short for it the 18-byte struct emit_hdr_compact; the
 * version byte, at the same offset in both, tells them apart.
 */

#include <stdint.h>
#include <rte_byteorder.h>
#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Value of emit_hdr.magic ("EM"). */
#define EMIT_MAGIC 0x454du
/** Value of emit_hdr.version written by this library. */
#define EMIT_VERSION 1
/** Value of emit_hdr_compact.version. */
#define EMIT_VERSION_COMPACT 2
/** Bytes of Ethernet + IPv4 (no options) + UDP headers of the default
 * frame (no VLAN tag); other stacks: emit_frame_l2l4_len(). */
#define EMIT_L2L4_LEN 42u
/** Bytes of the full event header. */
#define EMIT_HDR_LEN 24u
/** Bytes of the compact event header. */
#define EMIT_HDR_COMPACT_LEN 18u
/** Bits of time_ns that the compact header carries (its low bits). */
#define EMIT_COMPACT_TIME_BITS 40
/** Bytes before the event payload in the default frame. */
#define EMIT_FRAME_OVERHEAD (EMIT_L2L4_LEN + EMIT_HDR_LEN)
/** Offset of the UDP header in the default frame. */
#define EMIT_UDP_OFF 34u

/** The full event header, after the UDP header. */
struct emit_hdr {
	rte_be16_t magic;   /**< EMIT_MAGIC */
	uint8_t version;    /**< EMIT_VERSION */
	uint8_t flags;      /**< reserved, 0 */
	rte_be16_t type;    /**< user event type */
	rte_be16_t sender;  /**< sender id */
	rte_be64_t seq;     /**< per-sender sequence number, from 0 */
	rte_be64_t time_ns; /**< UNIX time in ns at commit */
} __rte_packed;

/** Bytes a frame occupies on the wire beyond its own bytes (counted
 * without FCS): preamble and start delimiter 8, FCS 4, inter-frame gap
 * 12. Bit rates (EMIT_RATE_BITS) count frames with it. */
#define EMIT_WIRE_OVERHEAD 24u

/** The compact event header, after the UDP header of frames too short for
 * struct emit_hdr (down to 60 bytes): no type, no flags, and the low
 * EMIT_COMPACT_TIME_BITS bits of the commit time (a receiver restores the
 * rest from its own clock: the window is about 18 minutes). */
struct emit_hdr_compact {
	rte_be16_t magic;   /**< EMIT_MAGIC */
	uint8_t version;    /**< EMIT_VERSION_COMPACT */
	uint8_t sender[2];  /**< sender id, big endian */
	uint8_t seq[8];     /**< per-sender sequence number, big endian */
	uint8_t time_ns[5]; /**< low 40 bits of time_ns, big endian */
} __rte_packed;

#ifdef __cplusplus
}
#endif

#endif /* EMIT_WIRE_H */
