/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_SENDER_CORE_H
#define EMIT_SENDER_CORE_H

/**
 * @file
 * Layout of struct emit_sender, used by the inline fast path in
 * emit_sender.h. Not a public interface: include emit.h, never this file;
 * the fields may change between releases.
 */

#include <stdint.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include "emit_hist.h"
#include "emit_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest batch (burst) a sender or TX stage handles. */
#define EMIT_BURST_MAX 64

/** Bits of emit_sender.ctl.word, written by any thread. */
#define EMIT__CTL_PAUSED 0x1u  /**< claims refused with -EAGAIN */
#define EMIT__CTL_CLOSED 0x2u  /**< TX side gone: claims refused, -EPIPE */
#define EMIT__CTL_GEN    0x10u /**< added on every rate change */

/** Bits of emit_sender.slow, reasons to leave the fast path; written by
 * the owner only (EMIT__SLOW_SET / EMIT__SLOW_CLR). */
#define EMIT__SLOW_HELD      0x1u /**< HOLD policy keeps refused events */
#define EMIT__SLOW_CONGESTED 0x2u /**< early backpressure refuses claims */
#define EMIT__SLOW_CLOSED    0x4u /**< closed by emit_sender_close */

struct emit_sender;

/** Clock source: returns ticks; see emit_sender_conf.clock. */
typedef uint64_t (*emit_clock_fn)(void *arg);

/** Why a sender's batch left for the ring. */
enum emit_flush_cause {
	EMIT_FLUSH_FULL,     /**< batch reached the burst size */
	EMIT_FLUSH_LINGER,   /**< oldest event older than linger */
	EMIT_FLUSH_EXPLICIT, /**< emit_flush or emit_poll */
	EMIT_FLUSH_CLOSE,    /**< emit_sender_close or emit_sender_free */
};

/** Why events were dropped (freed without being sent). */
enum emit_drop_reason {
	EMIT_DROP_RING_FULL,    /**< DROP policy, ring refused */
	EMIT_DROP_SPIN_TIMEOUT, /**< SPIN policy, refused past the bound */
	EMIT_DROP_CLOSED,       /**< TX side closed, or refused at close */
	EMIT_DROP_TX_RETRY,     /**< TX stage: port refused past the retry bound */
	EMIT_DROP_TX_CLOSED,    /**< TX stage: left in a ring when freed */
};

/**
 * Monitoring hooks of a sender. Each is optional (NULL = not called; an
 * unset hook costs one predictable branch, the flush hook once per batch,
 * the others on slow paths only) and runs on the sender's own lcore,
 * synchronously, inside the call that caused it: a hook must not block
 * (no locks, no sleeping, no I/O that may wait) and must not call back
 * into the same sender; reading its counters is fine.
 */
struct emit_sender_hooks {
	/** The ring refused @p refused of the events offered to it. */
	void (*backpressure)(struct emit_sender *s, unsigned int refused,
			void *arg);
	/** @p n events are about to be freed for @p reason; the mbufs may be
	 * read, not kept or freed. */
	void (*drop)(struct emit_sender *s, enum emit_drop_reason reason,
			struct rte_mbuf *const *pkts, unsigned int n, void *arg);
	/** Congestion state changed to @p congested (1) or cleared (0) at
	 * ring occupancy @p used. */
	void (*congestion)(struct emit_sender *s, int congested,
			unsigned int used, void *arg);
	/** A batch of @p n events left for the ring because of @p cause. */
	void (*flush)(struct emit_sender *s, enum emit_flush_cause cause,
			unsigned int n, void *arg);
	void *arg; /**< passed to every hook */
};

/**
 * One event in a descriptor ring: a ring of 16-byte elements
 * (rte_ring_create_elem(name, sizeof(struct emit_desc), ...)) that a
 * sender with emit_sender_conf.desc_ring fills and a TX stage with
 * emit_tx_conf.desc_rings drains. The sender writes the frame only; the
 * TX stage writes the mbuf header from the descriptor before the port
 * sees the mbuf. So the header's cache lines, which the port and the free
 * read on the TX lcore, never move to the sender's lcore and back: only
 * the descriptors cross between the lcores.
 */
struct emit_desc {
	struct rte_mbuf *m; /**< the event; its header is not written yet */
	uint16_t data_off;  /**< frame start in the mbuf's buffer */
	uint16_t len;       /**< frame bytes: data_len and pkt_len */
	uint32_t reserved;  /**< 0 */
};

/* Fields that depend on the event's type and length only: computed once
 * per claim or burst claim. */
struct emit__len {
	uint16_t flen;     /* frame bytes */
	uint16_t ip_len;   /* big endian */
	uint16_t ip_csum;  /* as stored */
	uint16_t udp_len;  /* big endian */
	uint16_t type;     /* big endian */
};

/** Sender state. Fields are grouped by who writes them. */
struct emit_sender {
	/* Owner lcore only: read and written on every event. */
	struct rte_mbuf *claim;     /**< open single claim */
	struct rte_ring *ring;
	struct rte_mempool *mp;
	uint16_t n_pending;         /**< committed, in batch[] */
	uint16_t n_claims;          /**< open burst claims, in claims[] */
	uint16_t burst;
	uint16_t data_off;          /**< frame start inside the mbuf buffer */
	uint8_t desc;               /**< descriptor ring: header left to TX */
	uint32_t frame_off;         /**< desc: mbuf address to frame start */
	uint16_t max_len;           /**< largest payload */
	uint16_t flow_idx;
	uint16_t nb_flows;
	uint16_t sport_base;        /**< host order */
	uint16_t claim_flen;        /**< frame length of the open claims */
	uint16_t n_stash;           /**< free mbufs kept for single claims */
	uint16_t last_len;          /**< payload length of last_l */
	uint16_t last_type;         /**< event type of last_l */
	struct emit__len last_l;    /**< fields of the last single claim */
	uint32_t slow;              /**< EMIT__SLOW_* */
	uint32_t ctl_seen;          /**< last ctl.word acted on */
	uint32_t ip_sum0;           /**< IPv4 header sum with length 0 */
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
	uint64_t rearm;             /**< data_off, refcnt 1, nb_segs 1, port */
	uint64_t ol_init;           /**< ol_flags of a fresh mbuf */
	/* Token bucket in units of event*hz: a tick adds tb_rate, an event
	 * costs tb_hz. Integer and exact: over any span the bucket grants
	 * floor((tokens + ticks * rate) / hz) events, with no drift. */
	uint64_t tb_rate;           /**< events/s, 0 = unlimited */
	uint64_t tb_hz;
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
	/** 14 bytes Ethernet, 20 IPv4, 8 UDP, 8 first bytes of emit_hdr. */
	uint8_t tmpl[64] __rte_aligned(16);

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
	struct rte_mbuf *stash[EMIT_BURST_MAX]; /**< bulk-allocated, free */
	/** desc: the batch as descriptors, built for each enqueue. */
	struct emit_desc descs[EMIT_BURST_MAX] __rte_cache_aligned;

	/* Control path only. */
	char name[32] __rte_cache_aligned;
	uint32_t linger_us;
	uint32_t spin_us;
	uint64_t rate_burst;
	int socket_id;
	int closed_done;

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
#define EMIT__CTR_ADD(s, field, n) \
	__atomic_store_n(&(s)->ctr.field, (s)->ctr.field + (n), __ATOMIC_RELAXED)

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

/* Slow paths, in lib/emit_sender_slow.c; not part of the API. */
int emit__gate_slow(struct emit_sender *s);
int emit__room_slow(struct emit_sender *s);
unsigned int emit__stash_fill(struct emit_sender *s);
int emit__claims_slow(struct emit_sender *s, unsigned int n);
int emit__refused(struct emit_sender *s, unsigned int taken,
		unsigned int free_space, uint64_t now);
void emit__flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n);
void emit__watermark(struct emit_sender *s, unsigned int used, uint64_t now);
int emit__drop_closed(struct emit_sender *s);
int emit__misuse(struct emit_sender *s);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_SENDER_CORE_H */
