/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_PCAP_H
#define GEN_PCAP_H

/*
 * The capture emit-gen replays (--replay): a classic pcap file read into
 * memory on the control path, every frame checked before anything is
 * sent. Both byte orders, microsecond and nanosecond timestamps, link
 * type Ethernet only. The senders then copy frames out of it; nothing is
 * allocated while they run.
 */

#include <stddef.h>
#include <stdint.h>

/* Smallest frame replayed: an Ethernet header. */
#define GEN_PCAP_FRAME_MIN 14u

struct gen_pcap {
	uint8_t *data;       /* the frames, back to back */
	uint64_t *off;       /* frame i at data + off[i] */
	uint16_t *len;       /* its bytes (without FCS) */
	/* Its time since the first frame's, ns; never decreasing (a frame
	 * stamped before its predecessor goes at the predecessor's time). */
	uint64_t *rel_ns;
	uint32_t nb;         /* frames, >= 1 */
	uint32_t max_len;    /* longest frame */
	uint32_t min_len;    /* shortest frame */
	uint64_t bytes;      /* all frames */
	/* The gap after the last frame before a loop starts again: the
	 * capture's mean gap (0 with one frame). */
	uint64_t loop_gap_ns;
	int nsec;            /* nanosecond timestamps */
	int big_endian;      /* the file was written big-endian */
};

/*
 * Read and check the capture @p path; frames longer than @p max_frame
 * bytes are refused. Returns 0, or -1 with a one-line reason in @p err
 * (not a pcap, an unsupported version or link type, truncated, a frame
 * shorter than an Ethernet header, longer than @p max_frame or cut by the
 * capture's snap length, no frame at all, or the file unreadable);
 * nothing is allocated then.
 */
int gen_pcap_load(const char *path, uint32_t max_frame, struct gen_pcap *p,
		char *err, size_t errlen);

/* The same from @p size bytes in memory (what gen_pcap_load reads). */
int gen_pcap_parse(const uint8_t *buf, size_t size, uint32_t max_frame,
		struct gen_pcap *p, char *err, size_t errlen);

/* Free what a successful load allocated; a zeroed @p p is fine. */
void gen_pcap_free(struct gen_pcap *p);

/* Bytes a frame takes before its network layer: the Ethernet header and
 * every 802.1Q / 802.1ad tag (what a port's MTU does not count). */
uint32_t gen_pcap_l2_len(const uint8_t *frame, uint32_t len);

#endif /* GEN_PCAP_H */
