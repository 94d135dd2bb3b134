/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_SENDER_H
#define EMIT_SENDER_H

/**
 * @file
 * Senders: build events in mbufs, batch them, hand them to a ring.
 *
 * A sender is used by one lcore at a time (its owner). Functions marked
 * "owner only" must not run concurrently with each other on one sender;
 * they take no lock. Functions marked "any thread" may run concurrently
 * with the owner.
 *
 * Ownership: a claimed event belongs to the caller until commit or abort;
 * a committed event belongs to the sender's batch until the ring takes it;
 * what the ring refuses is handled by the backpressure policy (kept, or
 * freed and counted). Nothing is freed without a counter saying why.
 * For single claims a sender keeps up to a burst of free mbufs taken from
 * the pool in one access; they go back to the pool at close.
 *
 * The frame is built in place from a template made at create time: by
 * default Ethernet / IPv4 (valid header checksum) / UDP (checksum 0) /
 * emit_hdr / payload, else as emit_sender_conf.frame describes it
 * (VLAN tags, IPv6, per-event fields and sizes: emit_frame.h). The
 * payload pointer handed out is 8-byte aligned.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "emit_types.h"
#include "emit_wire.h"
#include "emit_frame.h"
#include "emit_sender_pvt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a sender does with events the ring refuses. */
enum emit_policy {
	/** Free the refused events and count them in dropped_ring_full. */
	EMIT_POLICY_DROP = 0,
	/** Keep them; claims and commits fail with -ENOBUFS until the ring
	 * takes them (retried by claim, commit, emit_flush and emit_poll). */
	EMIT_POLICY_HOLD = 1,
	/** Retry for up to spin_us from each refused enqueue (every refusal,
	 * even the second of one emit_commit_burst, gets the whole budget),
	 * then free and count the rest in dropped_spin_timeout. A close does
	 * not spin (emit_sender_close). */
	EMIT_POLICY_SPIN = 2,
};

/**
 * Stable name of a policy ("drop", "hold", "spin"), as the CLIs and
 * telemetry spell it. Any thread.
 *
 * @return the name, or NULL if @p policy is out of range.
 */
const char *emit_policy_name(enum emit_policy policy);

/**
 * Policy of name @p name (as emit_policy_name spells it). Any thread.
 *
 * @param[out] policy  receives the policy; untouched on error.
 * @return 0, or -EINVAL if an argument is NULL or @p name is no policy.
 */
int emit_policy_parse(const char *name, enum emit_policy *policy);

/** What a sender's rate limit counts (emit_sender_conf.rate_unit). */
enum emit_rate_unit {
	/** Events per second: every event costs the same. */
	EMIT_RATE_EVENTS = 0,
	/** Bits per second on the wire: each event costs its own frame's
	 * bytes plus EMIT_WIRE_OVERHEAD (preamble and start delimiter 8,
	 * FCS 4, inter-frame gap 12), times 8, so that a size mix keeps the
	 * bit rate over any span, not only on average. */
	EMIT_RATE_BITS = 1,
};

/** Addresses of the frames a sender builds. */
struct emit_flow {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint32_t src_ip;    /**< IPv4, host byte order (RTE_IPV4(a,b,c,d)) */
	uint32_t dst_ip;    /**< IPv4, host byte order */
	uint16_t src_port;  /**< first UDP source port */
	uint16_t dst_port;  /**< UDP destination port */
	/** Number of flows, >= 1: consecutive events use UDP source ports
	 * src_port, src_port + 1, ..., src_port + nb_flows - 1, in turn. */
	uint16_t nb_flows;
	uint8_t ttl;        /**< IPv4 TTL, >= 1 */
	uint8_t dscp;       /**< IPv4 DSCP, 0..63 */
};

/** Configuration of a sender; start from emit_sender_conf_init(). */
struct emit_sender_conf {
	const char *name;         /**< optional, for logs and telemetry */
	uint16_t id;              /**< sender id on the wire; unique */
	/** NUMA socket (0..RTE_MAX_NUMA_NODES - 1), or SOCKET_ID_ANY: the
	 * pool's */
	int socket_id;
	struct rte_mempool *mp;   /**< pktmbuf pool the events come from */
	struct rte_ring *ring;    /**< ring the batches go to */
	uint16_t burst;           /**< batch size, 1..EMIT_BURST_MAX */
	/** A batch whose oldest event is older than this leaves on the next
	 * claim, commit or poll. 0: batches leave when full, on emit_flush,
	 * or on any emit_poll. At most 60 s. */
	uint32_t linger_us;
	enum emit_policy policy;  /**< what to do when the ring refuses */
	uint32_t spin_us;  /**< SPIN: retry bound per refusal, 1..1000000 */
	/** Rate limit in events/s, 0 = unlimited, at most EMIT_RATE_MAX:
	 * a token bucket driven by the clock; claims beyond it fail with
	 * -EAGAIN (err_again_rate). The bucket starts with one event's
	 * worth, so the allowance below never inflates a run's mean rate. */
	uint64_t rate;
	/** What @ref rate counts: events/s (EMIT_RATE_EVENTS, the default)
	 * or bits/s on the wire (EMIT_RATE_BITS: each event costs
	 * (frame bytes + EMIT_WIRE_OVERHEAD) * 8 bits, charged at claim, so
	 * the bits admitted over any span follow the rate to within the
	 * bucket). emit_sender_rate_set and emit_sender_rate_get use the
	 * same unit. */
	enum emit_rate_unit rate_unit;
	/** Token bucket depth in events, 1..1000000 (events that may go
	 * back to back after an idle spell, and the slack that absorbs the
	 * owner's own stalls without losing rate); 0: the burst size. With
	 * bit rates, in frames of the largest size the sender can build. */
	uint32_t rate_burst;
	/** Ring occupancy (entries) at which the sender becomes congested;
	 * 0: watermarks off. At most the ring's capacity. Occupancy is taken
	 * from each enqueue's free_space (no extra ring reads), and re-read
	 * by emit_poll and refused claims while congested. */
	uint32_t wm_high;
	/** Occupancy at or below which congestion clears; < wm_high. */
	uint32_t wm_low;
	/** With watermarks: refuse claims with -ENOBUFS
	 * (err_nobufs_congested) while congested. The ring then never
	 * refuses this sender, so DROP never drops, when the sender is the
	 * ring's only producer and
	 * wm_high + burst + claim_max - 2 <= ring capacity, claim_max being
	 * the largest n passed to emit_claim_burst (1 with emit_claim). */
	int early_backpressure;
	/** The frames, when @ref frame is NULL (the default IPv4 frame). */
	struct emit_flow flow;
	/** Optional: the frames (header stack, per-event fields and sizes,
	 * emit_frame.h), copied at create; when set, @ref flow is ignored. */
	const struct emit_frame_conf *frame;
	/** 0: @ref ring carries mbuf pointers, each mbuf complete (any
	 * consumer may take them). 1: @ref ring is a descriptor ring (16-byte
	 * elements, struct emit_desc) drained by an emit TX stage with
	 * emit_tx_conf.desc_rings, which writes each mbuf's header: the
	 * sender writes the frame only, so the header's cache lines stay on
	 * the TX lcore (the faster choice when sender and TX stage run on
	 * different lcores). Needs a pool whose data buffer follows each mbuf
	 * (not a pinned external buffer pool). In this mode the mbufs a drop
	 * hook sees have their header written. */
	int desc_ring;
	/** Checksum offloads of the port the frames leave by, as its
	 * rte_eth_conf.txmode.offloads (RTE_ETH_TX_OFFLOAD_* bits; bits
	 * other than IPV4_CKSUM and UDP_CKSUM are ignored, so the port's
	 * whole mask may be given). 0: every checksum in software (the
	 * default). With RTE_ETH_TX_OFFLOAD_IPV4_CKSUM an IPv4 frame's
	 * header checksum is left 0 and each mbuf carries
	 * RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM; with
	 * RTE_ETH_TX_OFFLOAD_UDP_CKSUM the UDP checksum field holds the
	 * pseudo-header checksum (as rte_ipv4_phdr_cksum() or
	 * rte_ipv6_phdr_cksum() give it, kept up to date per event) and
	 * each mbuf carries RTE_MBUF_F_TX_UDP_CKSUM and RTE_MBUF_F_TX_IPV4
	 * or _IPV6. Either sets the mbuf's l2_len (Ethernet and VLAN tags)
	 * and l3_len. Only checksums the frame carries can be offloaded:
	 * IPV4_CKSUM with IPv6 frames, or UDP_CKSUM with IPv4 frames without
	 * a UDP checksum (emit_frame_conf.udp_csum 0, or no @ref frame), is
	 * refused (-EINVAL). With a descriptor ring the TX stage must have
	 * emit_tx_conf.desc_offload set to apply the offload word of each
	 * descriptor. Such a sender refuses raw claims (emit_claim_raw():
	 * -EINVAL), whose frames are the caller's. */
	uint64_t tx_offloads;
	struct emit_sender_hooks hooks; /**< all optional */
	/** Optional tick source instead of the TSC (tests drive time with
	 * it); with it, clock_hz gives its ticks per second. Ticks are
	 * compared modulo 2^64, so the clock may wrap around. Called by the
	 * owner, and by any thread that reads the achieved rate
	 * (emit_sender_rate_achieved(), the rate_achieved xstat, the
	 * /emit/sender telemetry reply): it must be safe to call from
	 * several threads at once. */
	emit_clock_fn clock;
	void *clock_arg;          /**< passed to clock */
	/** Ticks per second of clock, 1..EMIT_CLOCK_HZ_MAX. */
	uint64_t clock_hz;
};

/** Largest emit_sender_conf.clock_hz (keeps the tick arithmetic of
 * linger, spin and the token bucket within 64 bits). */
#define EMIT_CLOCK_HZ_MAX 100000000000ull

/**
 * Fill @p conf with defaults: burst 32, no linger, DROP, spin 100 us,
 * unlimited rate, no watermarks, one flow 10.0.0.1:9000 -> 10.0.0.2:9001
 * from 02:00:00:00:00:01 to 02:00:00:00:00:02, TTL 64, a ring of complete
 * mbufs (desc_ring 0). The caller still
 * sets mp, ring and id. Any thread.
 *
 * @param[out] conf  the configuration to fill; NULL is ignored.
 */
void emit_sender_conf_init(struct emit_sender_conf *conf);

/**
 * Create a sender. Control path, any thread.
 *
 * @param[in] conf  the configuration; copied.
 * @return the sender, or NULL with rte_errno set to:
 *   - EINVAL: a field of @p conf is invalid (a log line names it),
 *     including a ring whose elements are not the kind desc_ring says
 *     (8-byte pointers or 16-byte struct emit_desc), a single-producer
 *     ring that a live sender feeds already, a ring a live sender
 *     feeds with the other kind of element, or a ring that a TX stage
 *     with emit_tx_conf.fast_free drains while a sender of another pool
 *     feeds that stage;
 *   - EEXIST: a live sender already has conf->id;
 *   - ENOSPC: EMIT_SENDERS_MAX senders exist;
 *   - ENOMEM: no memory for the sender.
 */
struct emit_sender *emit_sender_create(const struct emit_sender_conf *conf);

/**
 * Close a sender: release open claims, offer the pending batch (held or
 * not) to the ring once, whatever the policy, then refuse every claim with
 * -EPIPE. What the ring refuses then is freed and counted in
 * dropped_closed under DROP, HOLD and SPIN alike (a refusal at close is
 * also a backpressure episode); close never spins. If the TX side closed
 * first, the batch is not offered: it is counted in dropped_closed.
 * Counters stay readable until emit_sender_free.
 * Owner only (or any thread once the owner has stopped using it).
 *
 * @return number of events the ring took, or -EINVAL if @p s is NULL.
 */
int emit_sender_close(struct emit_sender *s);

/**
 * Close (if not yet closed) and free a sender. Control path, after the
 * owner has stopped using it. NULL is ignored.
 */
void emit_sender_free(struct emit_sender *s);

/**
 * Snapshot of the sender's counters. Any thread; while the sender is
 * congested the clock is read for the open spell (with a custom
 * conf.clock, only where reading it is safe). events_committed is read
 * last: in a snapshot taken while the owner runs it is never below
 * events_enqueued + the dropped counters.
 *
 * @return 0, or -EINVAL if an argument is NULL.
 */
int emit_sender_stats_get(const struct emit_sender *s,
		struct emit_sender_stats *stats);

/**
 * Events committed and not yet taken by the ring or dropped, from the
 * counters. Any thread (exact when the owner is quiescent; while it runs,
 * a value between 0 and the sender's burst, never more: the counters are
 * read in an order that cannot underflow, and a reader delayed between
 * its loads sees the batch full at most).
 *
 * @return the count, or 0 if @p s is NULL.
 */
uint64_t emit_sender_pending(const struct emit_sender *s);

/** Pause: claims fail with -EAGAIN (err_again_paused) until resumed.
 * Nothing is lost: pending events still leave, on emit_flush, on
 * emit_poll, and on each refused claim (which does what emit_poll does:
 * the batch leaves at once with linger 0, else once older than linger).
 * Any thread (a relaxed atomic flag; the owner sees it on its next
 * claim).
 * @return 0, or -EINVAL if @p s is NULL. */
int emit_sender_pause(struct emit_sender *s);

/** Resume after emit_sender_pause. Any thread.
 * @return 0, or -EINVAL if @p s is NULL. */
int emit_sender_resume(struct emit_sender *s);

/** 1 if paused, 0 if not, -EINVAL if @p s is NULL. Any thread. */
int emit_sender_paused(const struct emit_sender *s);

/**
 * Change the rate limit; the owner applies it on its next claim, so it
 * governs from the next burst on. Time until then is credited at the old
 * rate; of the tokens saved, at most one batch (conf.burst events, or
 * rate_burst if smaller) carries over. From unlimited, the bucket starts
 * with one event's worth, as at create. Any thread, without a lock; when
 * several threads set the rate at once, the last store wins.
 *
 * @param rate  in the sender's unit (emit_sender_conf.rate_unit: events/s
 *   or bits/s on the wire), 0 = unlimited, at most EMIT_RATE_MAX.
 * @return 0, or -EINVAL if @p s is NULL or @p rate too large.
 */
int emit_sender_rate_set(struct emit_sender *s, uint64_t rate);

/** Largest rate emit_sender_rate_set accepts (events/s, or bits/s). */
#define EMIT_RATE_MAX 1000000000000ull

/** Requested rate (in the sender's unit: events/s or bits/s; 0 =
 * unlimited), or 0 if @p s is NULL. Any thread. */
uint64_t emit_sender_rate_get(const struct emit_sender *s);

/** The unit of the sender's rate (emit_sender_conf.rate_unit), or
 * -EINVAL if @p s is NULL. Any thread. */
int emit_sender_rate_unit(const struct emit_sender *s);

/**
 * Achieved rate, for comparison with emit_sender_rate_get(): events
 * committed per second since the sender was created (integer, rounded
 * down); with a bit rate, bits on the wire per second of the events
 * enqueued ((bytes_enqueued + EMIT_WIRE_OVERHEAD per event) * 8; 0 with
 * metrics compiled out). Any thread; with a custom clock (conf.clock) the clock is read
 * from the calling thread (see conf.clock).
 *
 * @return events/s, 0 if @p s is NULL or no time has passed.
 */
uint64_t emit_sender_rate_achieved(const struct emit_sender *s);

/** 1 if congested (ring occupancy reached wm_high and has not fallen to
 * wm_low since), 0 if not, -EINVAL if @p s is NULL. Any thread. */
int emit_sender_congested(const struct emit_sender *s);

/** The sender's wire id, or 0 if @p s is NULL. Any thread. */
uint16_t emit_sender_id(const struct emit_sender *s);

/** Largest payload a claim accepts (mbuf room less headers), or 0 if @p s
 * is NULL. Any thread. */
uint16_t emit_sender_max_len(const struct emit_sender *s);

/** Largest frame emit_claim_raw() accepts: the mbuf room after the
 * headroom, or 0 if @p s is NULL. Any thread. */
uint32_t emit_sender_max_frame(const struct emit_sender *s);

/**
 * Commit tick of an event built by a sender (the TSC, or the sender's
 * configured clock), for latency measurement. The sender keeps it in the
 * 8 bytes of headroom just before the frame, a cache line it writes
 * anyway, rather than in an mbuf dynfield: those live in the mbuf's second
 * cache line, which the TX lcore reads when it frees the mbuf, and writing
 * it per event would move that line between lcores. Valid from commit
 * until the frame is changed or the mbuf freed, once the mbuf's header is
 * written (with a descriptor ring: once the TX stage took it). Any thread
 * that owns @p m.
 */
static inline uint64_t
emit_commit_tick(const struct rte_mbuf *m)
{
	uint64_t t;

	memcpy(&t, (const uint8_t *)m->buf_addr + m->data_off - sizeof(t),
		sizeof(t));
	return t;
}

/**
 * Reserve room for one event and get a pointer to its payload.
 * Owner only. One claim (single or burst) may be open at a time.
 *
 * @param s     the sender.
 * @param type  user event type, written to emit_hdr.type.
 * @param len   payload bytes, 0..emit_sender_max_len(s).
 * @param[out] data  the payload, 8-byte aligned, @p len bytes to fill.
 * @return 0, or:
 *   - -EINVAL: a claim is already open, or @p data is NULL;
 *   - -EMSGSIZE: @p len exceeds emit_sender_max_len();
 *   - -ENOMEM: the mempool is empty;
 *   - -ENOBUFS: HOLD policy keeps refused events, or congested with
 *     early backpressure;
 *   - -EAGAIN: rate-limited or paused;
 *   - -EPIPE: the sender or its TX side is closed.
 */
static inline int
emit_claim(struct emit_sender *s, uint16_t type, uint16_t len, void **data)
{
	struct rte_mbuf *m = NULL;
	uint64_t unit;
	int rc;

	if (unlikely(s->claim != NULL || s->n_claims != 0 || data == NULL))
		return emit__misuse(s);
	if (unlikely(len > s->max_len)) {
		EMIT__CTR_ADD(s, err_msgsize, 1);
		return -EMSGSIZE;
	}
	rc = emit__claim_one(s, &m, len, 0, &unit);
	if (unlikely(rc != 0))
		return rc;
	if (unlikely(s->fr.size_mode != EMIT_SIZE_CLAIM)) {
		emit__len_prep(s, type, len, emit__frame_size(&s->fr),
			&s->last_l);
		s->last_len = UINT16_MAX;
		if (unit != 0 && s->tb_byte != 0)
			emit__tb_refund(s, unit -
				(s->last_l.flen + EMIT_WIRE_OVERHEAD) *
				s->tb_byte);
	} else if (unlikely(len != s->last_len || type != s->last_type)) {
		emit__len_prep(s, type, len, 0, &s->last_l);
		s->last_len = len;
		s->last_type = type;
	}
	*data = emit__build(s, m, &s->last_l);
	s->claim = m;
	s->claim_flen = s->last_l.flen;
	EMIT__CTR_ADD(s, events_claimed, 1);
	return 0;
}

/**
 * Reserve room for one raw frame, written by the caller, and get a
 * pointer to its first byte (the Ethernet destination address). For
 * frames built elsewhere, such as those of a capture being replayed.
 * Owner only. One claim (single, burst or raw) may be open at a time.
 *
 * The sender writes nothing into a raw frame: emit_commit() stamps no
 * seq, time or UDP source port into it and does not advance the sender's
 * seq (the frame carries whatever seq it was given); everything else is
 * as for emit_claim(): rate limit, pause, policies, batching, and every
 * counter (claimed, committed, enqueued, bytes by @p len, ...), so a raw
 * frame counts as an event. The commit tick (emit_commit_tick) is
 * recorded, for the commit-to-TX latency. Commit it with emit_commit(),
 * give it back with emit_abort().
 *
 * @param s     the sender.
 * @param len   frame bytes without FCS,
 *   RTE_ETHER_HDR_LEN..emit_sender_max_frame(s).
 * @param[out] frame  the frame, @p len bytes to fill.
 * @return 0, or:
 *   - -EINVAL: a claim is already open, @p frame is NULL, @p len is
 *     shorter than an Ethernet header, or the sender offloads checksums
 *     (emit_sender_conf.tx_offloads);
 *   - -EMSGSIZE: @p len exceeds emit_sender_max_frame();
 *   - -ENOMEM: the mempool is empty;
 *   - -ENOBUFS: HOLD policy keeps refused events, or congested with
 *     early backpressure;
 *   - -EAGAIN: rate-limited or paused;
 *   - -EPIPE: the sender or its TX side is closed.
 */
static inline int
emit_claim_raw(struct emit_sender *s, uint16_t len, void **frame)
{
	struct rte_mbuf *m = NULL;
	uint64_t unit;
	int rc;

	/* -EINVAL spelled here, as in emit_claim_burst: a static analyzer
	 * of the caller then knows that *frame is written on success. */
	if (unlikely(s->claim != NULL || s->n_claims != 0 || frame == NULL ||
		     len < RTE_ETHER_HDR_LEN || s->fr.offload)) {
		emit__misuse(s);
		return -EINVAL;
	}
	if (unlikely(len > s->max_frame)) {
		EMIT__CTR_ADD(s, err_msgsize, 1);
		return -EMSGSIZE;
	}
	rc = emit__claim_one(s, &m, len, 1, &unit);
	if (unlikely(rc != 0))
		return rc;
	if (!s->desc)
		emit__header(s, m, len, 0, 0);
	*frame = emit__frame(s, m);
	s->claim = m;
	s->claim_flen = len;
	s->claim_raw = 1;
	EMIT__CTR_ADD(s, events_claimed, 1);
	return 0;
}

/**
 * Commit the open claim: stamp seq and time (a raw claim: the commit
 * tick only), add it to the batch; a full batch (or one older than
 * linger) goes to the ring. Owner only.
 *
 * @return 0 (the event is the sender's now, even if a flush then dropped
 *   events under the DROP or SPIN policy, which counters record), or:
 *   - -EINVAL: no claim is open (err_inval);
 *   - -ENOBUFS: HOLD policy keeps a full batch; the claim stays open.
 */
static inline int
emit_commit(struct emit_sender *s)
{
	struct rte_mbuf *m = s->claim;
	uint64_t now;

	if (unlikely(m == NULL))
		return emit__misuse(s);
	if (unlikely(s->n_pending >= s->burst)) {
		int rc = emit__room_slow(s);

		if (rc != 0)
			return rc;
	}
	now = emit__now(s);
	if (likely(!s->claim_raw)) {
		emit__stamp(s, m, now, emit__be64(emit__ns(s, now)));
	} else {
		emit__stamp_raw(s, m, now);
		s->claim_raw = 0;
	}
	s->claim = NULL;
	if (EMIT_METRICS)
		s->pending_bytes += s->claim_flen;
	if (s->n_pending == 0)
		s->oldest_tsc = now;
	s->batch_len[s->n_pending] = s->claim_flen;
	s->batch[s->n_pending++] = m;
	EMIT__CTR_ADD(s, events_committed, 1);
	if (s->n_pending == s->burst)
		emit__flush(s, EMIT_FLUSH_FULL, now);
	else if (s->linger_tsc != 0)
		emit__linger(s, now);
	return 0;
}

/**
 * Give back the open claim (single or raw); its mbuf returns to the
 * pool. Owner only.
 *
 * @return 0, or -EINVAL if no claim is open.
 */
static inline int
emit_abort(struct emit_sender *s)
{
	struct rte_mbuf *m = s->claim;

	if (unlikely(m == NULL))
		return emit__misuse(s);
	s->claim = NULL;
	s->claim_raw = 0;
	rte_pktmbuf_free(m);
	emit__tb_refund(s, emit__tb_cost(s, 1, s->claim_flen));
	EMIT__CTR_ADD(s, events_aborted, 1);
	return 0;
}

/**
 * Claim, copy @p len bytes from @p data, commit. Owner only.
 *
 * @return 0, or any error of emit_claim (nothing is kept on error).
 */
static inline int
emit_send(struct emit_sender *s, uint16_t type, const void *data,
		uint16_t len)
{
	void *p = NULL;
	int rc;

	if (unlikely(data == NULL && len != 0))
		return emit__misuse(s);
	rc = emit_claim(s, type, len, &p);
	if (unlikely(rc != 0))
		return rc;
	if (len != 0)
		memcpy(p, data, len);
	rc = emit_commit(s);
	if (unlikely(rc != 0))
		emit_abort(s);
	return rc;
}

/**
 * Claim up to @p n events of one type and length. Owner only.
 *
 * @param[out] data  data[i] receives the payload of the i-th event.
 * @param n  events wanted, >= 1; more than EMIT_BURST_MAX is clamped.
 * @return events claimed (1..n; fewer only when the rate limit allows
 *   fewer), or the errors of emit_claim; -EINVAL also for @p n == 0.
 */
static inline int
emit_claim_burst(struct emit_sender *s, uint16_t type, uint16_t len,
		void **data, unsigned int n)
{
	struct emit__len l;
	uint64_t unit = 0;
	unsigned int i;
	int rc;

	/* The errors are spelled negative here, not only inside the slow
	 * paths: a static analyzer of the caller then knows that data[] is
	 * written whenever the result is positive. */
	if (unlikely(s->claim != NULL || s->n_claims != 0 || data == NULL ||
		     n == 0)) {
		emit__misuse(s);
		return -EINVAL;
	}
	if (unlikely(len > s->max_len)) {
		EMIT__CTR_ADD(s, err_msgsize, 1);
		return -EMSGSIZE;
	}
	rc = emit__gate(s);
	if (unlikely(rc < 0)) /* 0 or a negative errno */
		return rc;
	if (n > EMIT_BURST_MAX)
		n = EMIT_BURST_MAX;
	if (s->tb_rate != 0 || (s->linger_tsc != 0 && s->n_pending != 0)) {
		uint64_t now = emit__now(s);

		if (s->linger_tsc != 0)
			emit__linger(s, now);
		if (s->tb_rate != 0) {
			unit = emit__tb_unit(s, len);
			n = emit__tb_take(s, n, now, unit);
			if (n == 0) {
				EMIT__CTR_ADD(s, err_again_rate, 1);
				return -EAGAIN;
			}
		}
	}
	if (unlikely(rte_mempool_get_bulk(s->mp, (void **)s->claims, n) != 0 &&
		     emit__claims_slow(s, n) != 0)) {
		emit__tb_refund(s, (uint64_t)n * unit);
		EMIT__CTR_ADD(s, err_nomem, 1);
		return -ENOMEM;
	}
	if (likely(s->fr.size_mode == EMIT_SIZE_CLAIM ||
		   s->fr.size_mode == EMIT_SIZE_FIXED)) {
		/* One length for the burst: the claim's, or the fixed
		 * frame size. */
		emit__len_prep(s, type, len, s->fr.size_mode ==
			EMIT_SIZE_FIXED ? s->fr.size_lo : 0, &l);
		if (likely(s->fr.plain)) {
			if (likely(!l.compact))
				for (i = 0; i < n; i++)
					data[i] = emit__build_plain(s,
						s->claims[i], &l, 0);
			else
				for (i = 0; i < n; i++)
					data[i] = emit__build_plain(s,
						s->claims[i], &l, 1);
		} else {
			for (i = 0; i < n; i++)
				data[i] = emit__build(s, s->claims[i], &l);
		}
		s->claim_flen = l.flen;
		s->claim_compact = l.compact;
	} else {
		/* A size mix: each frame its own length. */
		for (i = 0; i < n; i++) {
			emit__len_prep(s, type, len, emit__frame_size(&s->fr),
				&l);
			data[i] = emit__build(s, s->claims[i], &l);
			s->claims_len[i] = l.flen;
		}
		s->claim_flen = 0;
	}
	/* With a bit rate a fixed size or a size mix was charged as its
	 * largest frame (unit): give back the difference, by
	 * multiplication. */
	if (s->fr.size_mode != EMIT_SIZE_CLAIM && unit != 0 &&
	    s->tb_byte != 0)
		emit__tb_refund(s, (uint64_t)n * unit -
			emit__tb_cost(s, n, emit__claims_bytes(s, n)));
	s->n_claims = (uint16_t)n;
	EMIT__CTR_ADD(s, events_claimed, n);
	return (int)n;
}

/**
 * Commit the first @p n events of the open burst claim, in order; the
 * claims past @p n stay open (commit or abort them later). Owner only.
 *
 * @return events committed: @p n, or fewer when the HOLD policy keeps a
 *   full batch (the rest stay open); or
 *   - -EINVAL: @p n is 0 or more than the open claims;
 *   - -ENOBUFS: HOLD keeps a full batch and nothing was committed.
 */
static inline int
emit_commit_burst(struct emit_sender *s, unsigned int n)
{
	unsigned int nc = s->n_claims, done = 0;
	uint64_t now, ns;

	if (unlikely(n == 0 || n > nc))
		return emit__misuse(s);
	now = emit__now(s);
	ns = emit__be64(emit__ns(s, now));
	while (done < n) {
		unsigned int room = s->burst - s->n_pending, c, i;

		if (unlikely(room == 0)) {
			if (emit__room_slow(s) != 0)
				break;
			room = s->burst - s->n_pending;
			/* The held retry read the clock and accounted its
			 * enqueue at that time: what follows is stamped and
			 * accounted no earlier, or the inter-burst gap and
			 * the congested time would run backwards. */
			now = emit__now(s);
			ns = emit__be64(emit__ns(s, now));
		}
		c = RTE_MIN(room, n - done);
		if (s->n_pending == 0)
			s->oldest_tsc = now;
		if (likely(s->claim_flen != 0)) {
			emit__stamp_burst(s, s->claims + done, c, now, ns);
			if (EMIT_METRICS)
				s->pending_bytes +=
					(uint64_t)c * s->claim_flen;
		} else {
			for (i = 0; i < c; i++) {
				struct rte_mbuf *m = s->claims[done + i];
				uint16_t fl = s->claims_len[done + i];

				emit__stamp(s, m, now, ns);
				s->batch_len[s->n_pending] = fl;
				s->batch[s->n_pending++] = m;
				if (EMIT_METRICS)
					s->pending_bytes += fl;
			}
		}
		done += c;
		EMIT__CTR_ADD(s, events_committed, c);
		if (s->n_pending == s->burst)
			emit__flush(s, EMIT_FLUSH_FULL, now);
	}
	if (done == 0)
		return -ENOBUFS;
	if (done < nc) {
		memmove(s->claims, s->claims + done,
			(nc - done) * sizeof(struct rte_mbuf *));
		if (s->claim_flen == 0)
			memmove(s->claims_len, s->claims_len + done,
				(nc - done) * sizeof(s->claims_len[0]));
	}
	s->n_claims = (uint16_t)(nc - done);
	if (s->linger_tsc != 0)
		emit__linger(s, now);
	return (int)done;
}

/**
 * Give back every open claim of a burst claim. Owner only.
 *
 * @return the number of claims given back (0 if none was open).
 */
static inline int
emit_abort_burst(struct emit_sender *s)
{
	unsigned int n = s->n_claims;

	if (n == 0)
		return 0;
	rte_pktmbuf_free_bulk(s->claims, n);
	s->n_claims = 0;
	/* Bytes count only under a bit rate (emit__tb_cost). */
	emit__tb_refund(s, emit__tb_cost(s, n, s->tb_byte != 0 ?
		emit__claims_bytes(s, n) : 0));
	EMIT__CTR_ADD(s, events_aborted, n);
	return (int)n;
}

/**
 * Push the pending batch to the ring now. Owner only.
 *
 * @return events the ring took, or:
 *   - -ENOBUFS: HOLD policy still keeps refused events;
 *   - -EPIPE: the TX side is closed (pending events were dropped and
 *     counted in dropped_closed).
 */
int emit_flush(struct emit_sender *s);

/**
 * Time-driven work; call when idle. Retries held events, re-checks
 * congestion, and pushes the batch if it is older than linger (or, with
 * linger 0, if it is not empty). Owner only.
 *
 * @return events the ring took, or -ENOBUFS / -EPIPE as emit_flush.
 */
int emit_poll(struct emit_sender *s);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_SENDER_H */
