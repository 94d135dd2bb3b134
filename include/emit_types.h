/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TYPES_H
#define EMIT_TYPES_H

/**
 * @file
 * Types shared by senders and TX stages: the burst bound, the clock
 * source, why batches leave and why events are dropped, the sender's
 * hooks, the descriptor of a descriptor ring, the kinds of ring, and the
 * stable names of each of these. Included by emit_sender.h and emit_tx.h.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest batch (burst) a sender or TX stage handles. */
#define EMIT_BURST_MAX 64

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
	/** Checksum offload of the frame, 0 for none: bits 0..15 are the
	 * low 16 bits of the mbuf's tx_offload (l2_len, l3_len), bits
	 * 16..27 the bits 52..63 of its ol_flags (RTE_MBUF_F_TX_IPV4,
	 * _IPV6, _IP_CKSUM, _UDP_CKSUM). Written by a sender with
	 * emit_sender_conf.tx_offloads; applied by a TX stage with
	 * emit_tx_conf.desc_offload (EMIT_DESC_OFFLOAD() builds it). */
	uint32_t offload;
};

/** The emit_desc.offload word of mbuf fields @p ol_flags (only bits 52
 * and up are kept) and @p tx_offload (only l2_len and l3_len). */
#define EMIT_DESC_OFFLOAD(ol_flags, tx_offload) \
	((uint32_t)((uint64_t)(ol_flags) >> 52 << 16) | \
	 (uint32_t)((uint64_t)(tx_offload) & 0xffffu))

/** Number of enum emit_flush_cause values. */
#define EMIT_FLUSH_NB_CAUSES 4
/** Number of enum emit_drop_reason values. */
#define EMIT_DROP_NB_REASONS 5

/** What a ring between senders and a TX stage carries. */
enum emit_ring_kind {
	/** mbuf pointers, each mbuf complete (emit_sender_conf.desc_ring 0) */
	EMIT_RING_MBUF = 0,
	/** struct emit_desc elements (emit_sender_conf.desc_ring 1) */
	EMIT_RING_DESC = 1,
};

/**
 * Stable name of a flush cause ("full", "linger", "explicit", "close"),
 * the suffix of its flush_* counter. Any thread.
 *
 * @return the name, or NULL if @p cause is out of range.
 */
const char *emit_flush_cause_name(enum emit_flush_cause cause);

/**
 * Stable name of a drop reason ("ring_full", "spin_timeout", "closed",
 * "tx_retry_exhausted", "tx_closed"), the suffix of the counter that
 * counts it (dropped_* of a sender, tx_dropped_* of a TX stage). Any
 * thread.
 *
 * @return the name, or NULL if @p reason is out of range.
 */
const char *emit_drop_reason_name(enum emit_drop_reason reason);

/**
 * Stable name of a ring kind ("mbuf", "desc"), as telemetry and the CLIs
 * spell it. Any thread.
 *
 * @return the name, or NULL if @p kind is out of range.
 */
const char *emit_ring_kind_name(enum emit_ring_kind kind);

/**
 * Ring kind of name @p name (as emit_ring_kind_name spells it). Any
 * thread.
 *
 * @param[out] kind  receives the kind; untouched on error.
 * @return 0, or -EINVAL if an argument is NULL or @p name is no kind.
 */
int emit_ring_kind_parse(const char *name, enum emit_ring_kind *kind);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_TYPES_H */
