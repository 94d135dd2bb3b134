/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_PVT_H
#define EMIT_PVT_H

/* Library internals: logging and the registry of live objects. */

#include <rte_log.h>
#include <rte_spinlock.h>

#include "emit.h"

extern int emit_logtype;

#define EMIT_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, emit_logtype, "emit: " __VA_ARGS__)

/*
 * The registry of live senders and TX stages (lib/emit_registry.c), for
 * telemetry, totals and closing the senders of a stopping TX stage.
 * Control path only: its lock is a spinlock that the data path never
 * takes.
 *
 * The find and walk functions call @p fn with the registry lock held, so
 * that the object cannot be freed while @p fn uses it. Under the lock a
 * callback may read the object and call the functions that the API lets
 * any thread call on it (stats, xstats get and reset, rate set, pause,
 * resume, emit_tx_in_rings), take the object's reader-side xstats lock
 * (xbase.lock, which nests inside the registry lock, never the other way
 * round), and fill a telemetry reply. It must not
 * create or free a sender or TX stage, nor call any emit__reg_* function
 * (the lock is not recursive: that would deadlock), nor do anything that
 * may sleep or wait long (telemetry, creates and frees wait on the lock);
 * and it must not keep the pointer past its return.
 */
typedef int (*emit__reg_sender_fn)(struct emit_sender *s, void *arg);
typedef int (*emit__reg_tx_fn)(struct emit_tx *tx, void *arg);

/*
 * Adding publishes the object to every reader of the registry (telemetry
 * on its own thread, totals): it must be complete before, as readers may
 * use it the moment the lock is released.
 *
 * Add a sender; -EEXIST if a live sender has its id, -EINVAL if a live
 * sender feeds its ring and the ring is single-producer or gets the other
 * kind of element, -ENOSPC if EMIT_SENDERS_MAX are live. */
int emit__reg_sender_add(struct emit_sender *s);
/* Remove a closed sender (its owner quiescent) and, if an emit TX stage
 * drained its ring while it lived, add its counters to the retired
 * ledger, in one hold of the lock: a walk sees either the live sender or
 * its counters retired, never both nor neither. A sender whose ring only
 * a consumer outside emit drained leaves the books with it, as the
 * events that consumer took are in no TX stage's counters. */
void emit__reg_sender_del(const struct emit_sender *s);
/* Called under the lock by emit__reg_tx_add with the id (the slot) it
 * chose, before the TX stage is published: sets what depends on the id. */
typedef void (*emit__reg_tx_init_fn)(struct emit_tx *tx, int id,
		const void *arg);
/* Add a TX stage: choose its slot, call @p init (may be NULL) with it,
 * then publish the stage. Returns its id (its slot, 0..EMIT_TX_MAX - 1),
 * -EINVAL if one of its rings is single-consumer and a live TX stage
 * drains it already, or -ENOSPC. */
int emit__reg_tx_add(struct emit_tx *tx, emit__reg_tx_init_fn init,
		const void *arg);
/* Remove a TX stage that no lcore polls any more, its rings drained, and
 * add its counters to the retired ledger, in one hold of the lock. */
void emit__reg_tx_del(struct emit_tx *tx);

/* Counters of freed senders and TX stages: they stay in the books, so
 * that the conservation sums hold over the whole run. */
struct emit__retired {
	uint32_t nb_senders;
	uint32_t nb_tx;
	uint64_t events_committed;
	uint64_t events_enqueued;
	uint64_t bytes_enqueued;
	uint64_t events_dropped;
	uint64_t tx_sent;
	uint64_t tx_bytes;
	uint64_t tx_dropped;
};
/* Mark closed every sender whose ring is @p r. */
void emit__reg_close_ring(const struct rte_ring *r);

/* Call @p fn on the live sender with wire id @p id, under the lock.
 * Returns what @p fn returns, or -ENOENT if no live sender has that id. */
int emit__reg_sender_find(uint64_t id, emit__reg_sender_fn fn, void *arg);
/* Call @p fn on the live TX stage with id @p id, under the lock. Returns
 * what @p fn returns, or -ENOENT if no live TX stage has that id. */
int emit__reg_tx_find(uint64_t id, emit__reg_tx_fn fn, void *arg);
/*
 * Walk, in one hold of the lock, every live TX stage (@p tx_fn, in id
 * order), then every live sender (@p sender_fn, in slot order); either
 * may be NULL to skip that kind. One hold makes the walk a consistent view
 * of which objects are live. Stops at the first callback that returns
 * non-zero and returns that value; 0 once every object was visited.
 */
int emit__reg_foreach(emit__reg_tx_fn tx_fn, emit__reg_sender_fn sender_fn,
		void *arg);
/* emit__reg_foreach that also copies the retired ledger to @p retired
 * in the same hold of the lock (before the walk), so that an object freed
 * meanwhile is counted exactly once. */
int emit__reg_foreach_retired(emit__reg_tx_fn tx_fn,
		emit__reg_sender_fn sender_fn, struct emit__retired *retired,
		void *arg);

/*
 * Element size of ring @p r in bytes, from the length of its memzone
 * (struct rte_ring does not record it): rte_ring_create makes 8-byte
 * elements, rte_ring_create_elem those asked for. 0 when it cannot be
 * told: a ring that rte_ring_init placed in the application's memory has
 * no memzone. Control path.
 */
unsigned int emit__ring_esize(const struct rte_ring *r);
/* Whether ring @p r may hold @p esize-byte elements: 1 if its memzone
 * has the length of such a ring (small rings of two sizes may have the
 * same: both fit), 0 if not, 1 also when it cannot be told (no memzone). */
int emit__ring_fits(const struct rte_ring *r, unsigned int esize);

/* Register the /emit telemetry commands (lib/emit_telemetry.c); called
 * once at load. */
void emit__telemetry_register(void);

/*
 * Parse the parameters of a telemetry command (lib/emit_telemetry.c):
 * @p params must be exactly @p n comma-separated decimal integers, the
 * i-th at most max[i] (out[i] receives it): digits only (no sign, space,
 * base prefix or exponent), no empty field, nothing after the last. With
 * @p n 0, @p params must be NULL. Returns 0 or -EINVAL. Any thread.
 */
int emit__tel_parse(const char *params, unsigned int n, const uint64_t *max,
		uint64_t *out);

/*
 * A sender's books as any thread may read them while the owner runs
 * (lib/emit_sender.c): enqueued and dropped are loaded first, each with
 * acquire, committed last, so that committed >= enqueued + dropped always
 * holds and pending never wraps. pending is committed - enqueued -
 * dropped clamped to the batch (a reader that is slow between its loads
 * can see more committed than one batch); pending_ok is 0 when the
 * clamp was needed.
 */
struct emit__books {
	uint64_t committed;
	uint64_t enqueued;
	uint64_t dropped;
	uint64_t pending;
	int pending_ok;
};
void emit__books_read(const struct emit_sender *s, struct emit__books *b);
/* The TX side's sum, the one place it is spelled (emit_totals_get and
 * emit_pipeline_totals): every event enqueued was sent, dropped by a
 * reason, is still in a ring, or is held in a TX buffer. 1 if it holds. */
int emit__tx_sum_ok(uint64_t enqueued, uint64_t tx_sent, uint64_t tx_dropped,
		uint64_t in_rings, uint64_t tx_held);

/* Free the batch, counting it under @p reason. */
void emit__drop_batch(struct emit_sender *s, enum emit_drop_reason reason);

/* The 8 bytes PMDs call rearm_data for a frame at @p data_off: data_off,
 * refcnt 1, nb_segs 1, port invalid, as rte_pktmbuf_reset() leaves them. */
uint64_t emit__rearm(uint16_t data_off);
/* Offer held events again; returns how many the ring took. */
unsigned int emit__retry_held(struct emit_sender *s, uint64_t now);
/* Close: offer the batch once, drop what is refused as closed. */
unsigned int emit__close_offer(struct emit_sender *s, uint64_t now);
/* Pools TX stage @p j of a pipeline laid out by @p c sees, when sender i
 * takes its mbufs from the pool of socket socket_of[i] (one pool per
 * socket): its queue may free mbufs fast only if this is 1. */
unsigned int emit__pipeline_tx_pools(const struct emit_pipeline_conf *c,
		const unsigned int *socket_of, unsigned int j);
/* The checksum offloads (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, _UDP_CKSUM) a
 * pipeline enables for frames @p fc (NULL: the legacy flow, IPv4 without
 * a UDP checksum) on ports offering @p capa (dev_info.tx_offload_capa,
 * of every port): the UDP checksum when the frames carry one and the
 * ports offer it; the IPv4 header checksum when the ports offer it and
 * it saves work (the UDP checksum is offloaded too, or an address
 * varies; a fixed header's checksum is cheaper in software); none when
 * @p allow is 0 (emit_pipeline_conf.csum_offload). */
uint64_t emit__pipeline_csum(const struct emit_frame_conf *fc, uint64_t capa,
		int allow);
/* Event time (lib/emit_clock.c). Wall time in ns now, from
 * CLOCK_REALTIME or the installed source: 0 or -EIO. */
int emit__clock_wall_ns(uint64_t *ns);
/* Whether @p s ticks with the clock emit_clock_resync measures (the TSC,
 * or the installed source's ticks). */
int emit__clock_synced(const struct emit_sender *s);
/* Owner only: apply the last sample posted by emit_clock_resync, at
 * @p now, if @p s has not yet. */
void emit__clock_apply(struct emit_sender *s, uint64_t now);
/* Tests: measure @p ticks (nominal @p hz per second) against @p wall_ns
 * (UNIX ns) instead of the TSC against CLOCK_REALTIME; the senders whose
 * conf.clock is @p ticks are the ones re-anchored, and they anchor at
 * create with @p wall_ns. NULLs and 0 restore the default. Control path,
 * before any sender exists. */
void emit__clock_source_set(emit_clock_fn ticks, emit_clock_fn wall_ns,
		void *arg, uint64_t hz);
/* Token bucket at create: rate, depth, one event's worth of tokens. */
void emit__tb_init(struct emit_sender *s, uint64_t rate, uint64_t now);
/* Apply a new rate limit at @p now (owner only). */
void emit__apply_rate(struct emit_sender *s, uint64_t rate, uint64_t now);
/* End the open congestion spell, if any, without a hook (owner only). */
void emit__congestion_close(struct emit_sender *s, uint64_t now);
/* congested_ns including the open spell. Any thread. */
uint64_t emit__congested_ns_read(const struct emit_sender *s);

#endif /* EMIT_PVT_H */
