/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_WIRE_H
#define EMIT_WIRE_H

/**
 * @file
 * emit wire format: Ethernet / IPv4 / UDP, then a fixed 24-byte event
 * header in network byte order, then the event payload.
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
/** Bytes of Ethernet + IPv4 (no options) + UDP headers. */
#define EMIT_L2L4_LEN 42u
/** Bytes of the event header. */
#define EMIT_HDR_LEN 24u
/** Bytes in a frame before the event payload. */
#define EMIT_FRAME_OVERHEAD (EMIT_L2L4_LEN + EMIT_HDR_LEN)
/** Offset of the UDP header in a frame. */
#define EMIT_UDP_OFF 34u

/** The event header, at offset EMIT_L2L4_LEN of every frame. */
struct emit_hdr {
	rte_be16_t magic;   /**< EMIT_MAGIC */
	uint8_t version;    /**< EMIT_VERSION */
	uint8_t flags;      /**< reserved, 0 */
	rte_be16_t type;    /**< user event type */
	rte_be16_t sender;  /**< sender id */
	rte_be64_t seq;     /**< per-sender sequence number, from 0 */
	rte_be64_t time_ns; /**< UNIX time in ns at commit */
} __rte_packed;

#ifdef __cplusplus
}
#endif

#endif /* EMIT_WIRE_H */
