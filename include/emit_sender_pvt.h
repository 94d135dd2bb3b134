/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_SENDER_PVT_H
#define EMIT_SENDER_PVT_H

/**
 * @file
 * @internal
 * Internals of the sender's inline fast path: the layout of struct
 * emit_sender, the EMIT__* macros, the emit__* inline helpers and the
 * emit__* slow paths (lib/emit_sender_slow.c) they call. Internal, do not
 * include directly; included by emit_sender.h. Installed only because the
 * inline functions of emit_sender.h need it: nothing here is API, and all
 * of it may change between releases.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>
#include <rte_udp.h>

#include "emit_ctr_pvt.h"
#include "emit_frame_pvt.h"
#include "emit_hist.h"
#include "emit_stats.h"
#include "emit_types.h"
#include "emit_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bits of emit_sender.ctl.word, written by any thread. */
#define EMIT__CTL_PAUSED 0x1u  /**< claims refused with -EAGAIN */
#define EMIT__CTL_CLOSED 0x2u  /**< TX side gone: claims refused, -EPIPE */
#define EMIT__CTL_GEN    0x10u /**< added on every rate change and clock
				       * sample (emit_clock_resync) */

/** Bits of emit_sender.slow, reasons to leave the fast path; written by
 * the owner only (EMIT__SLOW_SET / EMIT__SLOW_CLR). */
#define EMIT__SLOW_HELD      0x1u /**< HOLD policy keeps refused events */
#define EMIT__SLOW_CONGESTED 0x2u /**< early backpressure refuses claims */
#define EMIT__SLOW_CLOSED    0x4u /**< closed by emit_sender_close */

/* Fields that depend on the event's type and length only: computed once
 * per claim or burst claim. */
struct emit__len {
	uint16_t flen;     /* frame bytes */
	uint16_t ip_len;   /* big endian: IPv4 total or IPv6 payload length */
	uint16_t ip_csum;  /* as stored (IPv4) */
	uint16_t udp_len;  /* big endian */
	uint16_t type;     /* big endian */
	uint8_t compact;   /* 1: the compact event header */
};

/** Sender state. Fields are grouped by who writes them. */
struct emit_sender {
	/* Owner lcore only: read and written on every event. */
	struct rte_mbuf *claim;     /**< open single claim */
	struct rte_ring *ring;
	struct rte_mempool *mp;
	struct emit_tx *direct;     /**< TX stage on this lcore, or NULL */
	uint16_t n_pending;         /**< committed, in batch[] */
	uint16_t n_claims;          /**< open burst claims, in claims[] */
	uint16_t burst;
	uint16_t data_off;          /**< frame start inside the mbuf buffer */
	uint8_t desc;               /**< descriptor ring: header left to TX */
	uint8_t claim_raw;          /**< the open single claim is a raw frame */
	uint32_t frame_off;         /**< desc: mbuf address to frame start */
	uint16_t max_len;           /**< largest payload */
	uint16_t max_frame;         /**< largest raw frame (emit_claim_raw) */
	/** Frame length of the open claims; 0 when each has its own, in
	 * claims_len[] (a size mix). */
	uint16_t claim_flen;
	/** 1: the frames of the burst claim (claim_flen != 0) carry the
	 * compact header. */
	uint8_t claim_compact;
	uint16_t n_stash;           /**< free mbufs kept for single claims */
	uint16_t last_len;          /**< payload length of last_l */
	uint16_t last_type;         /**< event type of last_l */
	struct emit__len last_l;    /**< fields of the last single claim */
	uint32_t slow;              /**< EMIT__SLOW_* */
	uint32_t ctl_seen;          /**< last ctl.word acted on */
	uint32_t ring_cap;
	uint64_t seq;
	uint64_t oldest_tsc;        /**< commit time of batch[0] */
	uint64_t linger_tsc;        /**< 0: no age-driven flush */
	uint64_t pending_bytes;
	emit_clock_fn clock;        /**< NULL: rte_rdtsc() */
	void *clock_arg;
	uint64_t tsc_anchor;
	uint64_t ns_anchor;
	uint64_t ns_mult;           /**< ns = (ticks * ns_mult) >> 32 */
	/** time_ns = ns_anchor + ((ticks - tsc_anchor) * time_mult) >> 32:
	 * ns_mult at create, then the rate emit_clock_resync measured plus
	 * a slew towards the wall clock (durations keep ns_mult). */
	uint64_t time_mult;
	uint32_t clk_gen;           /**< clock sample applied last */
	uint64_t rearm;             /**< data_off, refcnt 1, nb_segs 1, port */
	uint64_t ol_init;           /**< ol_flags of a fresh mbuf */
	/* Token bucket in units of event*hz: a tick adds tb_rate, an event
	 * costs tb_hz. Integer and exact: over any span the bucket grants
	 * floor((tokens + ticks * rate) / hz) events, with no drift. */
	uint64_t tb_rate;           /**< events/s, 0 = unlimited */
	/** Tokens an event costs: hz; with a bit rate (tb_byte != 0), the
	 * cost of the largest frame the sender builds. */
	uint64_t tb_hz;
	/** Bit rates: a tick adds tb_rate (bits/s) tokens and a wire byte
	 * costs tb_byte = 8 * hz, so a frame costs (flen + 24) * tb_byte, a
	 * multiplication, no division. 0: events/s. */
	uint64_t tb_byte;
	/** Bit rates with a size mix: a claim is charged as a frame of at
	 * least this many bytes (the mix's largest), the rest given back
	 * once each frame's length is drawn; 0 otherwise. */
	uint16_t tb_fmix;
	uint64_t tb_tokens;         /**< <= tb_max */
	uint64_t tb_max;            /**< rate_burst * hz */
	uint64_t tb_cap_ticks;      /**< ticks that fill an empty bucket */
	uint64_t tb_last;           /**< tick of the last refill */
	/* Flow control, per flush. */
	uint32_t wm_high;           /**< 0: watermarks off */
	uint32_t wm_low;
	/* Congestion spell, published under cong_sc (a sequence count, odd
	 * while the owner writes) so that readers see congested,
	 * congested_since and ctr.congested_ns as one consistent triple. */
	uint32_t cong_sc;
	uint8_t congested;
	uint64_t congested_since;
	/* Inter-burst gaps: gap_state counts the first two enqueues. */
	uint64_t last_flush_tsc;
	uint64_t last_gap;
	uint8_t gap_state;
	uint8_t policy;
	uint8_t early_bp;
	uint16_t id;
	uint64_t spin_tsc;
	uint64_t hz;
	uint64_t start_tsc;
	struct emit_sender_hooks hooks;
	/** The frame template: headers and the first 8 bytes of emit_hdr;
	 * fr.tmpl_copy bytes of it are copied per event. */
	uint8_t tmpl[EMIT__TMPL_LEN] __rte_aligned(16);
	/** A plain frame's template with the compact header (fr.plain). */
	uint8_t tmpl_c[EMIT__TMPL_C_LEN] __rte_aligned(16);
	/** Layout, per-event fields and sizes (lib/emit_frame.c). */
	struct emit__frame fr;

	/* Owner-written counters; other threads load them relaxed. */
	struct emit_sender_stats ctr __rte_cache_aligned;

	/* Written by any thread (pause, resume, rate, close of the TX side);
	 * read by the owner on every claim, so it stays cached until written. */
	struct {
		uint32_t word;          /**< EMIT__CTL_* */
		uint64_t rate;          /**< requested events/s */
	} ctl __rte_cache_aligned;

	struct rte_mbuf *batch[EMIT_BURST_MAX] __rte_cache_aligned;
	uint16_t batch_len[EMIT_BURST_MAX]; /**< frame bytes of batch[] */
	struct rte_mbuf *claims[EMIT_BURST_MAX];
	uint16_t claims_len[EMIT_BURST_MAX]; /**< frame bytes of claims[] */
	struct rte_mbuf *stash[EMIT_BURST_MAX]; /**< bulk-allocated, free */
	/** desc: the batch as descriptors, built for each enqueue. */
	struct emit_desc descs[EMIT_BURST_MAX] __rte_cache_aligned;

	/* Control path only. */
	char name[32] __rte_cache_aligned;
	uint32_t linger_us;
	uint32_t spin_us;
	uint64_t rate_burst;
	uint8_t rate_unit;          /**< enum emit_rate_unit */
	int socket_id;
	int closed_done;
	/** An emit TX stage drained the ring while this sender lived: its
	 * counters stay in the totals when it is freed (registry lock). */
	int tx_fed;

	/* Batch wait, owner-written: ticks from the commit of the oldest
	 * event of a batch to its enqueue, one sample per enqueue. */
	struct emit_hist wait_hist __rte_cache_aligned;

	/* Reader side of the xstats (lib/emit_xstats.c): the values at the
	 * last reset. The owner never reads or writes them. */
	struct {
		rte_spinlock_t lock;    /**< serialises readers */
		uint64_t ctr[EMIT_SENDER_NB_STATS];
		struct emit_hist_base wait;
	} xbase __rte_cache_aligned;
};

#if EMIT_METRICS
/** Owner-side add to a counter that other threads read. */
#define EMIT__CTR_ADD(s, field, n) emit__ctr_add(&(s)->ctr.field, (n))

/** Owner-side add to a counter that readers subtract from
 * events_committed (events_enqueued, dropped_*): a release store, so that
 * a reader whose acquire load sees the new value also sees every
 * events_committed add that came before it in the owner's program order.
 * Pairs with the acquire loads of emit__books_read (lib/emit_sender.c).
 * A plain add on x86; one store-release on arm64 (emit_ctr_pvt.h). */
#define EMIT__CTR_ADD_REL(s, field, n) emit__ctr_add_rel(&(s)->ctr.field, (n))

/** Owner-side raise of a counter to @p v if larger. */
#define EMIT__CTR_MAX(s, field, v) do { \
	if ((v) > (s)->ctr.field) \
		__atomic_store_n(&(s)->ctr.field, (v), __ATOMIC_RELAXED); \
} while (0)

/** Owner-side sample of a histogram of the sender or TX stage. */
#define EMIT__HIST_RECORD(h, v) emit_hist_record((h), (v))
#else
/* Metrics compiled out (EMIT_METRICS): nothing is evaluated; sizeof keeps
 * the operands type-checked and their variables used. */
#define EMIT__CTR_ADD(s, field, n) ((void)sizeof((s)->ctr.field + (n)))
#define EMIT__CTR_ADD_REL(s, field, n) ((void)sizeof((s)->ctr.field + (n)))
#define EMIT__CTR_MAX(s, field, v) ((void)sizeof((s)->ctr.field + (v)))
#define EMIT__HIST_RECORD(h, v) ((void)sizeof((h)->count + (v)))
#endif

/** Owner-side change of emit_sender.slow, which other threads read
 * (backpressure gauge) with relaxed loads. */
#define EMIT__SLOW_SET(s, bits) \
	__atomic_store_n(&(s)->slow, (s)->slow | (bits), __ATOMIC_RELAXED)
#define EMIT__SLOW_CLR(s, bits) \
	__atomic_store_n(&(s)->slow, (s)->slow & ~(uint32_t)(bits), \
			__ATOMIC_RELAXED)

/* Slow paths of the inline code, in lib/emit_sender_slow.c: exported in
 * the EMIT_INTERNAL version of lib/emit.map, because the inline code
 * compiled into applications calls them; not part of the API. Owner
 * only, as the inline functions that call them. */
int emit__gate_slow(struct emit_sender *s);
int emit__room_slow(struct emit_sender *s);
unsigned int emit__stash_fill(struct emit_sender *s);
int emit__claims_slow(struct emit_sender *s, unsigned int n);
int emit__refused(struct emit_sender *s, unsigned int taken,
		unsigned int free_space, uint64_t now);
void emit__flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n);
void emit__watermark(struct emit_sender *s, unsigned int used, uint64_t now);
unsigned int emit__tx_direct(struct emit_tx *tx, struct rte_ring *r,
		struct rte_mbuf **pkts, const uint16_t *lens, uint16_t data_off,
		uint32_t ol, unsigned int n, uint64_t bytes);
int emit__drop_closed(struct emit_sender *s);
int emit__misuse(struct emit_sender *s);

/* Inline helpers of the fast path: owner only. */

static __rte_always_inline uint64_t
emit__now(const struct emit_sender *s)
{
	if (likely(s->clock == NULL))
		return rte_rdtsc();
	return s->clock(s->clock_arg);
}

static __rte_always_inline uint64_t
emit__tick_ns(const struct emit_sender *s, uint64_t ticks)
{
	__extension__ typedef unsigned __int128 u128;

	return (uint64_t)(((u128)ticks * s->ns_mult) >> 32);
}

static __rte_always_inline uint64_t
emit__ns(const struct emit_sender *s, uint64_t now)
{
	__extension__ typedef unsigned __int128 u128;

	return s->ns_anchor +
		(uint64_t)(((u128)(now - s->tsc_anchor) * s->time_mult) >> 32);
}

/* Inter-burst gap jitter: |gap(n) - gap(n-1)| between enqueues. */
static __rte_always_inline void
emit__gap(struct emit_sender *s, uint64_t now)
{
	uint64_t gap = now - s->last_flush_tsc; /* modular */

	/* A SPIN retry accounts its enqueue at its own time, later than the
	 * @p now of an enqueue that follows in the same emit_commit_burst:
	 * that one comes with no gap, never a negative one. */
	if (unlikely(gap > UINT64_MAX / 2 && s->gap_state != 0)) {
		gap = 0;
		now = s->last_flush_tsc;
	}
	if (likely(s->gap_state == 2)) {
		uint64_t d = gap > s->last_gap ?
			gap - s->last_gap : s->last_gap - gap;

		EMIT__CTR_ADD(s, gap_jitter_ns_sum, emit__tick_ns(s, d));
		EMIT__CTR_ADD(s, gap_count, 1);
	} else {
		s->gap_state++;
	}
	s->last_gap = gap;
	s->last_flush_tsc = now;
}

/* Leave the fast path when control state changed, the sender is paused or
 * closed, holds refused events, or refuses claims while congested. */
static __rte_always_inline int
emit__gate(struct emit_sender *s)
{
	uint32_t w = __atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED);

	if (unlikely((w ^ s->ctl_seen) | s->slow))
		return emit__gate_slow(s);
	return 0;
}

/* Credit the ticks since the last refill. d * tb_rate cannot overflow:
 * below tb_cap_ticks it is at most tb_max, and tokens + tb_max fits
 * (tb_max <= 2^62, lib/emit_sender_ctl.c). */
static __rte_always_inline void
emit__tb_refill(struct emit_sender *s, uint64_t now)
{
	uint64_t d = now - s->tb_last; /* modular: survives wrap-around */

	s->tb_last = now;
	if (d >= s->tb_cap_ticks) {
		s->tb_tokens = s->tb_max;
	} else {
		s->tb_tokens += d * s->tb_rate;
		if (s->tb_tokens > s->tb_max)
			s->tb_tokens = s->tb_max;
	}
}

/* Tokens one event of a claim of @p len payload bytes is charged: tb_hz
 * with events/s; with bits/s, the wire bytes of its frame (of the
 * largest the size mix draws, if more) times tb_byte. Per claim, not per
 * event. */
static __rte_always_inline uint64_t
emit__tb_unit(const struct emit_sender *s, uint16_t len)
{
	uint64_t b;

	if (likely(s->tb_byte == 0))
		return s->tb_hz;
	b = (uint64_t)s->fr.l2l4 + EMIT_HDR_LEN + len;
	if (b < s->tb_fmix)
		b = s->tb_fmix;
	return (b + EMIT_WIRE_OVERHEAD) * s->tb_byte;
}

/* Tokens @p n events of @p bytes frame bytes in all cost. */
static __rte_always_inline uint64_t
emit__tb_cost(const struct emit_sender *s, unsigned int n, uint64_t bytes)
{
	if (likely(s->tb_byte == 0))
		return (uint64_t)n * s->tb_hz;
	return (bytes + (uint64_t)n * EMIT_WIRE_OVERHEAD) * s->tb_byte;
}

/* Take up to n events of @p unit tokens each; returns how many were
 * taken. */
static __rte_always_inline unsigned int
emit__tb_take(struct emit_sender *s, unsigned int n, uint64_t now,
		uint64_t unit)
{
	uint64_t k;

	emit__tb_refill(s, now);
	if (likely(s->tb_tokens >= (uint64_t)n * unit)) {
		s->tb_tokens -= (uint64_t)n * unit;
		return n;
	}
	k = s->tb_tokens / unit;
	s->tb_tokens -= k * unit;
	return (unsigned int)k;
}

/* Give back @p tokens (an abort, a pool without mbufs, the part of a
 * size mix's charge its frames did not use). */
static __rte_always_inline void
emit__tb_refund(struct emit_sender *s, uint64_t tokens)
{
	if (s->tb_rate == 0)
		return;
	s->tb_tokens += tokens;
	if (s->tb_tokens > s->tb_max)
		s->tb_tokens = s->tb_max;
}

/* Frame bytes of the first @p n open burst claims: claim_flen each, or
 * each its own (claims_len[], a size mix). */
static __rte_always_inline uint64_t
emit__claims_bytes(const struct emit_sender *s, unsigned int n)
{
	uint64_t bytes = 0;
	unsigned int i;

	if (s->claim_flen != 0)
		return (uint64_t)n * s->claim_flen;
	for (i = 0; i < n; i++)
		bytes += s->claims_len[i];
	return bytes;
}

/* Byte swaps the compiler can schedule (DPDK's use volatile asm). */
static __rte_always_inline uint16_t
emit__be16(uint16_t x)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return __builtin_bswap16(x);
#else
	return x;
#endif
}

static __rte_always_inline uint64_t
emit__be64(uint64_t x)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return __builtin_bswap64(x);
#else
	return x;
#endif
}


/* Lengths of a frame for a claim of @p len payload bytes of @p type;
 * @p want is the size mix's draw (0: none). A frame shorter than the
 * full header needs carries the compact one (claims of 0 bytes only). */
static __rte_always_inline void
emit__len_prep(const struct emit_sender *s, uint16_t type, uint16_t len,
		uint16_t want, struct emit__len *l)
{
	const struct emit__frame *f = &s->fr;
	uint32_t full = (uint32_t)f->l2l4 + EMIT_HDR_LEN + len, sum;

	l->compact = 0;
	if (likely(want == 0) || (want < full && len != 0)) {
		l->flen = (uint16_t)full;
	} else {
		l->flen = want;
		l->compact = want < (uint32_t)f->l2l4 + EMIT_HDR_LEN;
	}
	l->ip_len = emit__be16((uint16_t)(l->flen - f->len_sub));
	/* One's-complement sums are byte-order neutral: add the big-endian
	 * length to the precomputed sum of the rest of the header. */
	sum = f->ip_sum0 + l->ip_len;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	l->ip_csum = (uint16_t)~sum;
	l->udp_len = emit__be16((uint16_t)(l->flen - f->udp_off));
	l->type = emit__be16(type);
}

/* Frame start in @p m. With a descriptor ring the mbuf header is not
 * read: the buffer follows the mbuf (checked at create). */
static __rte_always_inline uint8_t *
emit__frame(const struct emit_sender *s, struct rte_mbuf *m)
{
	if (s->desc)
		return (uint8_t *)m + s->frame_off;
	return (uint8_t *)m->buf_addr + s->data_off;
}

/* Write the header of a raw mbuf (refcnt 1, nb_segs 1, next NULL from the
 * pool) for a frame of @p flen bytes, with the checksum offload @p ol
 * (ol_flags bits) and @p txo (tx_offload), 0 and 0 for none. */
static __rte_always_inline void
emit__header(const struct emit_sender *s, struct rte_mbuf *m, uint16_t flen,
		uint64_t ol, uint64_t txo)
{
	memcpy(&m->rearm_data, &s->rearm, sizeof(s->rearm));
	m->ol_flags = s->ol_init | ol;
	m->packet_type = 0;
	m->pkt_len = flen;
	m->data_len = flen;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	/* tx_offload sits in the mbuf's second cache line, which the TX
	 * lcore reads when it frees the mbuf: writing it only when needed
	 * keeps that line shared instead of moving it between lcores. */
	if (unlikely(m->tx_offload != txo))
		m->tx_offload = txo;
}

/* The build of a plain frame (fr.plain): fixed offsets, nothing varies;
 * @p compact (a constant where the caller can make it one) is l->compact,
 * the compact header's template (no type). Returns the payload. */
static __rte_always_inline void *
emit__build_plain(struct emit_sender *s, struct rte_mbuf *m,
		const struct emit__len *l, const int compact)
{
	uint8_t *p = emit__frame(s, m);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + 14);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(p + EMIT_UDP_OFF);
	struct emit_hdr *eh = (struct emit_hdr *)(p + EMIT_L2L4_LEN);

	RTE_BUILD_BUG_ON(EMIT_L2L4_LEN + EMIT_HDR_COMPACT_LEN >
		EMIT__TMPL_C_LEN);
	if (!s->desc)
		emit__header(s, m, l->flen, 0, 0);
	memcpy(p, compact ? s->tmpl_c : s->tmpl, 64);
	ip->total_length = l->ip_len;
	ip->hdr_checksum = l->ip_csum;
	udp->dgram_len = l->udp_len;
	if (compact)
		return p + EMIT_L2L4_LEN + EMIT_HDR_COMPACT_LEN;
	eh->type = l->type;
	return p + EMIT_FRAME_OVERHEAD;
}

/* Copy the template, set the per-event fields and the per-length ones
 * (and, without a descriptor ring, the mbuf header); returns the
 * payload. */
static __rte_always_inline void *
emit__build(struct emit_sender *s, struct rte_mbuf *m,
		const struct emit__len *l)
{
	struct emit__frame *f = &s->fr;
	uint8_t *p, *h;
	uint16_t csum = l->ip_csum;
	uint32_t d = 0;

	if (likely(f->plain))
		return unlikely(l->compact) ? emit__build_plain(s, m, l, 1) :
			emit__build_plain(s, m, l, 0);
	p = emit__frame(s, m);
	h = p + f->l2l4;
	if (!s->desc)
		emit__header(s, m, l->flen, f->ol_flags, f->tx_offload);
	if (likely(f->tmpl_copy == 64))
		memcpy(p, s->tmpl, 64);
	else
		memcpy(p, s->tmpl, EMIT__TMPL_LEN);
	if (unlikely(f->nb_field != 0)) {
		d = emit__frame_vary(f, p);

		/* RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m'), the change d
		 * swapped to the byte order the sums are kept in. */
		d = emit__be16((uint16_t)d);
		if (f->ip_csum) {
			uint32_t c = (uint16_t)~csum + d;

			c = (c & 0xffff) + (c >> 16);
			c = (c & 0xffff) + (c >> 16);
			csum = (uint16_t)~c;
		}
	}
	memcpy(p + f->len_off, &l->ip_len, 2);
	if (f->ip_csum)
		memcpy(p + f->ip_off + 10, &csum, 2);
	memcpy(p + f->udp_off + 4, &l->udp_len, 2);
	if (unlikely(f->udp_ol)) {
		/* What the NIC completes: the pseudo-header sum, folded and
		 * not complemented, as rte_ipv4/6_phdr_cksum() give it. Every
		 * term is congruent modulo 0xffff and the total positive, so
		 * the fold lands on the same value in [1, 0xffff]. */
		uint32_t c = f->phdr0 + l->udp_len + d;
		uint16_t v;

		c = (c & 0xffff) + (c >> 16);
		c = (c & 0xffff) + (c >> 16);
		v = (uint16_t)c;
		memcpy(p + f->udp_off + 6, &v, 2);
	}
	if (unlikely(l->compact)) {
		h[2] = EMIT_VERSION_COMPACT;
		memcpy(h + 3, &f->sender_be, 2);
		return h + EMIT_HDR_COMPACT_LEN;
	}
	memcpy(h + 4, &l->type, 2);
	return h + EMIT_HDR_LEN;
}

/* Stamp seq and time at commit, then the UDP checksum if the frame has
 * one; @p be_ns is time_ns, big endian. */
static __rte_always_inline void
emit__stamp(struct emit_sender *s, struct rte_mbuf *m, uint64_t now,
		uint64_t be_ns)
{
	const struct emit__frame *f = &s->fr;
	uint8_t *p = emit__frame(s, m);
	uint8_t *h = p + f->l2l4;
	uint64_t be_seq = emit__be64(s->seq);

	if (likely(f->plain_stamp)) {
		struct emit_hdr *eh = (struct emit_hdr *)(p + EMIT_L2L4_LEN);

		eh->seq = be_seq;
		eh->time_ns = be_ns;
		s->seq++;
		memcpy(p - sizeof(now), &now, sizeof(now));
		return;
	}
	if (likely(!f->may_compact) || h[2] != EMIT_VERSION_COMPACT) {
		memcpy(h + 8, &be_seq, 8);
		memcpy(h + 16, &be_ns, 8);
	} else {
		memcpy(h + 5, &be_seq, 8);
		/* the low 40 bits: the last 5 bytes of the big-endian time */
		memcpy(h + 13, (const uint8_t *)&be_ns + 3, 5);
	}
	s->seq++;
	if (unlikely(f->udp_csum))
		emit__udp_csum(f, p);
	memcpy(p - sizeof(now), &now, sizeof(now));
}

/* Commit of a raw frame: the frame is the caller's, only the commit tick
 * goes in (the headroom before the frame, as emit__stamp). */
static __rte_always_inline void
emit__stamp_raw(const struct emit_sender *s, struct rte_mbuf *m, uint64_t now)
{
	memcpy(emit__frame(s, m) - sizeof(now), &now, sizeof(now));
}

/* The stamp loop of a plain frame (fr.plain_burst) for emit__stamp_burst:
 * @p compact, a constant, is claim_compact (the compact header's seq and
 * the low 40 bits of time, the last 5 bytes of the big-endian time). It
 * keeps the sender's fields it reads in registers: its stores into the
 * frames may alias any of them for the compiler. */
static __rte_always_inline void
emit__stamp_plain(struct emit_sender *s, struct rte_mbuf *const *ms,
		unsigned int c, uint64_t now, uint64_t be_ns, const int compact)
{
	const uint16_t flen = s->claim_flen, data_off = s->data_off;
	const uint32_t frame_off = s->frame_off;
	const uint8_t desc = s->desc;
	unsigned int np = s->n_pending, i;
	uint64_t seq = s->seq;

	for (i = 0; i < c; i++) {
		struct rte_mbuf *m = ms[i];
		uint8_t *p = desc ? (uint8_t *)m + frame_off :
			(uint8_t *)m->buf_addr + data_off;
		uint8_t *h = p + EMIT_L2L4_LEN;
		uint64_t be_seq = emit__be64(seq++);

		if (compact) {
			memcpy(h + 5, &be_seq, 8);
			memcpy(h + 13, (const uint8_t *)&be_ns + 3, 5);
		} else {
			memcpy(h + 8, &be_seq, 8);
			memcpy(h + 16, &be_ns, 8);
		}
		memcpy(p - sizeof(now), &now, sizeof(now));
		s->batch_len[np] = flen;
		s->batch[np++] = m;
	}
	s->seq = seq;
	s->n_pending = (uint16_t)np;
}

/* Stamp @p c claimed mbufs of one frame length (claim_flen) and append
 * them to the batch, which has room. */
static __rte_always_inline void
emit__stamp_burst(struct emit_sender *s, struct rte_mbuf *const *ms,
		unsigned int c, uint64_t now, uint64_t be_ns)
{
	const uint16_t flen = s->claim_flen;
	unsigned int np = s->n_pending, i;

	if (likely(s->fr.plain_burst)) {
		if (likely(!s->claim_compact))
			emit__stamp_plain(s, ms, c, now, be_ns, 0);
		else
			emit__stamp_plain(s, ms, c, now, be_ns, 1);
		return;
	}
	for (i = 0; i < c; i++) {
		emit__stamp(s, ms[i], now, be_ns);
		s->batch_len[np] = flen;
		s->batch[np++] = ms[i];
	}
	s->n_pending = (uint16_t)np;
}

/* Account an enqueue that took k of the n pending events. */
static __rte_always_inline void
emit__account(struct emit_sender *s, unsigned int k, unsigned int n,
		unsigned int free_space, uint64_t now)
{
	unsigned int used = s->ring_cap - free_space;

	if (EMIT_METRICS && k != 0) {
		uint64_t bytes = s->pending_bytes;

		if (k != n) {
			unsigned int i;

			bytes = 0;
			for (i = 0; i < k; i++)
				bytes += s->batch_len[i];
		}
		s->pending_bytes -= bytes;
		/* batch[0] is the oldest of the events taken. */
		EMIT__HIST_RECORD(&s->wait_hist, now - s->oldest_tsc);
		EMIT__CTR_ADD_REL(s, events_enqueued, k);
		EMIT__CTR_ADD(s, bytes_enqueued, bytes);
		EMIT__CTR_ADD(s, bursts_enqueued, 1);
		emit__gap(s, now);
	}
	EMIT__CTR_MAX(s, ring_max_used, used);
	if (unlikely(s->wm_high != 0) &&
	    ((!s->congested && used >= s->wm_high) ||
	     (s->congested && used <= s->wm_low)))
		emit__watermark(s, used, now);
}

/* Offer @p n events of the batch from batch[@p off] to the ring; returns
 * how many it took. A descriptor ring gets them as struct emit_desc. */
static __rte_always_inline unsigned int
emit__ring_enqueue(struct emit_sender *s, unsigned int off, unsigned int n,
		unsigned int *free_space)
{
	unsigned int i;

	if (!s->desc)
		return rte_ring_enqueue_burst(s->ring,
			(void * const *)(s->batch + off), n, free_space);
	for (i = 0; i < n; i++) {
		s->descs[i].m = s->batch[off + i];
		s->descs[i].data_off = s->data_off;
		s->descs[i].len = s->batch_len[off + i];
		s->descs[i].offload = s->fr.desc_ol;
	}
	return rte_ring_enqueue_burst_elem(s->ring, s->descs,
		sizeof(struct emit_desc), n, free_space);
}

/* Hand the first @p n events of the batch to the TX side; returns how
 * many it took. With a TX stage on this lcore (emit_sender_tx_direct)
 * and an empty ring, the stage puts them on the wire at once and the ring
 * gets only what the port refused. */
static __rte_always_inline unsigned int
emit__enqueue(struct emit_sender *s, unsigned int n, unsigned int *free_space)
{
	unsigned int d = 0;

	if (s->direct != NULL) {
		/* pending_bytes: the bytes of the n, kept with metrics. */
		d = emit__tx_direct(s->direct, s->ring, s->batch,
			s->batch_len, s->data_off, s->fr.desc_ol, n,
			EMIT_METRICS ? s->pending_bytes : 0);
		if (d == n) {
			/* emit__tx_direct found the ring empty. */
			*free_space = s->ring_cap;
			return n;
		}
	}
	return d + emit__ring_enqueue(s, d, n - d, free_space);
}

/* Hand the batch to the ring; refusals go to the policy. Returns the
 * number of events the ring took. */
static __rte_always_inline int
emit__flush(struct emit_sender *s, enum emit_flush_cause cause, uint64_t now)
{
	unsigned int n = s->n_pending, k, free_space;

	if (unlikely(__atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED) &
		     EMIT__CTL_CLOSED))
		return emit__drop_closed(s);
	switch (cause) {
	case EMIT_FLUSH_FULL:
		EMIT__CTR_ADD(s, flush_full, 1);
		break;
	case EMIT_FLUSH_LINGER:
		EMIT__CTR_ADD(s, flush_linger, 1);
		break;
	case EMIT_FLUSH_EXPLICIT:
		EMIT__CTR_ADD(s, flush_explicit, 1);
		break;
	case EMIT_FLUSH_CLOSE:
		EMIT__CTR_ADD(s, flush_close, 1);
		break;
	}
	if (unlikely(s->hooks.flush != NULL))
		emit__flush_hook(s, cause, n);
	k = emit__enqueue(s, n, &free_space);
	emit__account(s, k, n, free_space, now);
	if (likely(k == n)) {
		s->n_pending = 0;
		EMIT__SLOW_CLR(s, EMIT__SLOW_HELD);
		return (int)k;
	}
	return emit__refused(s, k, free_space, now);
}

/* Flush a batch whose oldest event has outlived linger. */
static __rte_always_inline void
emit__linger(struct emit_sender *s, uint64_t now)
{
	if (s->n_pending != 0 && !(s->slow & EMIT__SLOW_HELD) &&
	    now - s->oldest_tsc >= s->linger_tsc)
		emit__flush(s, EMIT_FLUSH_LINGER, now);
}

/* What a single claim does before building: the gate, linger, the token
 * bucket and an mbuf from the stash. @p len is the claim's payload bytes,
 * or with @p raw its frame bytes; *unit gets the tokens taken (0 without
 * a rate limit, or on error). Returns 0 with *m set, or the claim's
 * errors (counted). */
static __rte_always_inline int
emit__claim_one(struct emit_sender *s, struct rte_mbuf **m, uint16_t len,
		int raw, uint64_t *unit)
{
	int rc = emit__gate(s);

	*unit = 0;
	if (unlikely(rc != 0))
		return rc;
	if (s->tb_rate != 0 || (s->linger_tsc != 0 && s->n_pending != 0)) {
		uint64_t now = emit__now(s);

		if (s->linger_tsc != 0)
			emit__linger(s, now);
		if (s->tb_rate != 0) {
			*unit = raw ? emit__tb_cost(s, 1, len) :
				emit__tb_unit(s, len);
			if (emit__tb_take(s, 1, now, *unit) == 0) {
				*unit = 0;
				EMIT__CTR_ADD(s, err_again_rate, 1);
				return -EAGAIN;
			}
		}
	}
	/* Single claims take mbufs from a stash filled a burst at a time:
	 * one mempool access per burst, not per event. */
	if (unlikely(s->n_stash == 0) && emit__stash_fill(s) == 0) {
		emit__tb_refund(s, *unit);
		*unit = 0;
		EMIT__CTR_ADD(s, err_nomem, 1);
		return -ENOMEM;
	}
	*m = s->stash[--s->n_stash];
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* EMIT_SENDER_PVT_H */
