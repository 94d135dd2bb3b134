/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_FRAME_PVT_H
#define EMIT_FRAME_PVT_H

/**
 * @file
 * @internal
 * Internals of the frame module that the sender's inline fast path uses:
 * the prepared layout of a sender's frames (struct emit__frame, made by
 * emit__frame_setup() in lib/emit_frame.c), the per-event field and size
 * draws. Internal, do not include directly; included by
 * emit_sender_pvt.h. Installed only because the inline functions need it:
 * nothing here is API, and all of it may change between releases.
 */

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ip.h>

#include "emit_frame.h"
#include "emit_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

__extension__ typedef unsigned __int128 emit__u128;

/** Most per-event fields: two MACs, two addresses, two ports, two tags. */
#define EMIT__FIELDS_MAX 8u
/** Bytes of the template: the headers and the first 8 bytes of the full
 * event header, rounded up to a copy size. */
#define EMIT__TMPL_LEN 128u
/** Bytes of the compact header's template of a plain frame: its headers
 * and compact event header (60), rounded up to a copy size. */
#define EMIT__TMPL_C_LEN 64u

/** A per-event field: value lo + offset, offset in [0, span_m1]. */
struct emit__field {
	emit__u128 lo;      /**< value of lo, host order */
	uint64_t span_m1;   /**< hi - lo */
	uint64_t cur;       /**< EMIT_VARY_INC: offset of the next value */
	/** An address in a checksum: ~lo's 16-bit words, summed (folded to
	 * 16 bits for IPv6). */
	uint32_t neg_lo;
	uint16_t off;       /**< byte offset in the frame */
	uint8_t width;      /**< bytes: 2, 4, 6 or 16 */
	/** 1: an address whose change the build follows in the IPv4 header
	 * checksum or the UDP pseudo-header checksum (emit__frame_vary). */
	uint8_t csum;
};

/** The layout of a sender's frames, prepared at create. Offsets are from
 * the frame start. */
struct emit__frame {
	uint16_t l2l4;      /**< bytes before the event header */
	uint16_t ip_off;    /**< IP header */
	uint16_t len_off;   /**< IPv4 total length or IPv6 payload length */
	uint16_t udp_off;   /**< UDP header */
	uint16_t len_sub;   /**< flen - len_sub = the IP length field */
	uint16_t tmpl_copy; /**< bytes of the template copied: 64 or 128 */
	uint8_t ipv4;       /**< 1: IPv4 (a header checksum) */
	uint8_t ip_csum;    /**< 1: the IPv4 header checksum in software */
	uint8_t udp_csum;   /**< 1: a UDP checksum at commit (software) */
	/** 1: the UDP checksum offloaded: the build writes the pseudo-header
	 * checksum, phdr0 plus the UDP length and the addresses' change. */
	uint8_t udp_ol;
	uint8_t offload;    /**< 1: a checksum is offloaded (ol_flags != 0) */
	uint8_t may_compact;/**< 1: some frames carry the compact header */
	uint8_t vary;       /**< EMIT_VARY_* */
	uint8_t nb_field;   /**< fields[] in use */
	uint8_t size_mode;  /**< EMIT_SIZE_* */
	/** 1: the default layout (IPv4, no tag, no varying field, no
	 * offload): the build takes constant offsets, and the compact
	 * header's template when the frame is too short for the full one. */
	uint8_t plain;
	/** 1: plain, no UDP checksum at commit, full header only: a single
	 * commit stamps at constant offsets. */
	uint8_t plain_stamp;
	/** 1: plain and no UDP checksum at commit: a burst of one frame
	 * length (claim_flen) stamps at constant offsets, the full or the
	 * compact header's as claim_compact says. */
	uint8_t plain_burst;
	uint16_t size_lo;   /**< FIXED, RANGE: smallest */
	uint16_t size_nb;   /**< LIST: entries */
	uint16_t sender_be; /**< sender id, big endian (compact header) */
	uint32_t size_span; /**< RANGE: hi - lo + 1 */
	uint32_t ip_sum0;   /**< IPv4 header sum with length 0 */
	/** udp_ol: the pseudo-header sum with the addresses' lo values and
	 * length 0, in the byte order of the frame's words. */
	uint32_t phdr0;
	/** Offload: the mbuf's ol_flags bits and tx_offload (l2_len,
	 * l3_len), and both as a descriptor's offload word; 0 without. */
	uint64_t ol_flags;
	uint64_t tx_offload;
	uint32_t desc_ol;
	uint64_t rng;       /**< generator state */
	uint16_t size_len[EMIT_SIZE_LIST_MAX];   /**< LIST: lengths */
	uint16_t size_alias[EMIT_SIZE_LIST_MAX]; /**< LIST: alias entries */
	uint64_t size_prob[EMIT_SIZE_LIST_MAX];  /**< LIST: keep below, of 2^32 */
	struct emit__field field[EMIT__FIELDS_MAX];
};

/* Prepare @p f, the template @p tmpl (EMIT__TMPL_LEN bytes) and the
 * compact header's @p tmpl_c (EMIT__TMPL_C_LEN bytes, used by plain
 * frames) for the frames of @p fc (checked) and sender @p id, with the
 * checksum offloads @p offloads (RTE_ETH_TX_OFFLOAD_* bits the frame can
 * use, as emit__frame_offload_check() accepts). Control path. */
void emit__frame_setup(struct emit__frame *f, uint8_t *tmpl,
		uint8_t *tmpl_c,
		const struct emit_frame_conf *fc, uint16_t id,
		uint64_t offloads);

/* 0 if a frame of @p l3 with UDP checksum @p udp_csum (IPv4) can use the
 * checksum offloads in @p offloads, else -EINVAL (logged). Control path. */
int emit__frame_offload_check(enum emit_l3 l3, int udp_csum,
		uint64_t offloads);

/* The 16-bit words of a 128-bit value, summed and folded to 16 bits
 * (in [1, 0xffff] unless the value is 0): 2^16 = 1 modulo 0xffff, so
 * the end-around sum of the two 64-bit halves keeps the sum. */
static __rte_always_inline uint32_t
emit__sum128(emit__u128 v)
{
	uint64_t a = (uint64_t)(v >> 64), b = (uint64_t)v, t = a + b;

	t += t < a; /* end-around carry */
	t = (t & 0xffffffffu) + (t >> 32);
	t = (t & 0xffffffffu) + (t >> 32);
	t = (t & 0xffff) + (t >> 16);
	t = (t & 0xffff) + (t >> 16);
	return (uint32_t)t;
}

/* wyrand: 64 bits per call from a 64-bit state; fast, passes BigCrush
 * and PractRand, and reproducible from a seed. Not cryptographic. */
static __rte_always_inline uint64_t
emit__rand(uint64_t *state)
{
	emit__u128 t;

	*state += 0xa0761d6478bd642full;
	t = (emit__u128)*state * (*state ^ 0xe7037ed1a0b428dbull);
	return (uint64_t)(t >> 64) ^ (uint64_t)t;
}

/* Store the low @p width bytes of @p v big endian at @p p. */
static __rte_always_inline void
emit__put_be(uint8_t *p, emit__u128 v, unsigned int width)
{
	uint64_t hi, lo;

	switch (width) {
	case 2:
		lo = __builtin_bswap16((uint16_t)v);
		memcpy(p, &lo, 2);
		break;
	case 4:
		lo = __builtin_bswap32((uint32_t)v);
		memcpy(p, &lo, 4);
		break;
	case 6:
		lo = __builtin_bswap64((uint64_t)v << 16);
		memcpy(p, &lo, 6);
		break;
	default:
		hi = __builtin_bswap64((uint64_t)(v >> 64));
		lo = __builtin_bswap64((uint64_t)v);
		memcpy(p, &hi, 8);
		memcpy(p + 8, &lo, 8);
		break;
	}
}

/* Offset of the next value of field @p fl: increments, or a uniform draw
 * by multiply-shift (no division). */
static __rte_always_inline uint64_t
emit__field_next(struct emit__frame *f, struct emit__field *fl)
{
	uint64_t o;

	if (f->vary == EMIT_VARY_INC) {
		o = fl->cur;
		fl->cur = o == fl->span_m1 ? 0 : o + 1;
		return o;
	}
	o = emit__rand(&f->rng);
	if (fl->span_m1 == UINT64_MAX)
		return o;
	return (uint64_t)(((emit__u128)o * (fl->span_m1 + 1)) >> 64);
}

/* Write the next value of every varying field into frame @p p; returns
 * the change of the addresses' sum, the same in the IPv4 header sum and
 * the pseudo-header's (host order, folded to 16 bits). */
static __rte_always_inline uint32_t
emit__frame_vary(struct emit__frame *f, uint8_t *p)
{
	uint32_t d = 0;
	unsigned int i;

	for (i = 0; i < f->nb_field; i++) {
		struct emit__field *fl = &f->field[i];
		emit__u128 v = fl->lo + emit__field_next(f, fl);

		emit__put_be(p + fl->off, v, fl->width);
		/* RFC 1624: HC' = ~(~HC + ~m + m') */
		if (fl->csum && fl->width == 4)
			d += fl->neg_lo + (uint32_t)(v >> 16 & 0xffff) +
				(uint32_t)(v & 0xffff);
		else if (fl->csum)
			d += fl->neg_lo + emit__sum128(v);
	}
	d = (d & 0xffff) + (d >> 16);
	d = (d & 0xffff) + (d >> 16);
	return d;
}

/* The length of the next frame as the size mix draws it; 0 when frames
 * take their length from the claim. */
static __rte_always_inline uint16_t
emit__frame_size(struct emit__frame *f)
{
	uint64_t r;
	unsigned int i;

	switch (f->size_mode) {
	case EMIT_SIZE_CLAIM:
		return 0;
	case EMIT_SIZE_FIXED:
		return f->size_lo;
	case EMIT_SIZE_RANGE:
		r = emit__rand(&f->rng);
		return (uint16_t)(f->size_lo +
			(((r & 0xffffffffu) * f->size_span) >> 32));
	default:
		/* Alias method: an entry uniformly, then it or its alias. */
		r = emit__rand(&f->rng);
		i = (unsigned int)(((r & 0xffffffffu) * f->size_nb) >> 32);
		if ((r >> 32) >= f->size_prob[i])
			i = f->size_alias[i];
		return f->size_len[i];
	}
}

/* The UDP checksum of frame @p p, whose checksum field is 0: over the
 * pseudo-header, the UDP header and the whole datagram. */
static __rte_always_inline void
emit__udp_csum(const struct emit__frame *f, uint8_t *p)
{
	uint16_t c;

	if (f->ipv4)
		c = rte_ipv4_udptcp_cksum(
			(const struct rte_ipv4_hdr *)(p + f->ip_off),
			p + f->udp_off);
	else
		c = rte_ipv6_udptcp_cksum(
			(const struct rte_ipv6_hdr *)(p + f->ip_off),
			p + f->udp_off);
	memcpy(p + f->udp_off + 6, &c, 2);
}

#ifdef __cplusplus
}
#endif

#endif /* EMIT_FRAME_PVT_H */
