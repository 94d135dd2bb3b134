/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TX_PVT_H
#define EMIT_TX_PVT_H

#include <rte_spinlock.h>

#include "emit.h"
#include "emit_hist.h"

/* The TX buffer of one ring: pkts[head..n) is the tail the port refused,
 * held until it leaves (or the TX policy frees it); n == 0: none. The
 * ring's bursts are dequeued into pkts, so a refused tail stays in place. */
struct emit_tx_tail {
	uint16_t head;
	uint16_t n;
	uint64_t since;             /**< tick of the port's first refusal */
	struct rte_mbuf *pkts[EMIT_BURST_MAX];
};

struct emit_tx {
	/* Owner lcore only. */
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t burst;
	uint32_t retry_max;
	unsigned int nb_rings;
	struct rte_ring *rings[EMIT_TX_RINGS_MAX];
	struct emit_tx_hooks hooks;
	int id;
	int closed;
	int socket_id;
	char name[32];
	uint8_t latency;            /**< enum emit_tx_latency */
	uint8_t desc;               /**< descriptor rings */
	uint8_t fast_free;          /**< queue has MBUF_FAST_FREE: one pool */
	uint8_t desc_ol;            /**< apply descriptors' offload words */
	uint64_t rearm;             /**< rearm_data with data_off 0 */
	emit_clock_fn clock;        /**< NULL: rte_rdtsc() */
	void *clock_arg;
	uint64_t hz;                /**< ticks per second of the clock */
	uint64_t ns_mult;           /**< ns = (ticks * ns_mult) >> 32 */
	uint8_t policy;             /**< enum emit_tx_policy */
	uint64_t drop_tsc;          /**< DROP: ticks a tail may wait */
	uint64_t close_tsc;         /**< close: TSC ticks without progress */
	/* Events held in the TX buffers: owner-written, loaded relaxed by
	 * readers (emit_tx_held). */
	uint64_t held;
	/* The current blocked spell (held != 0), for port_blocked_ns: a
	 * sequence count, odd while the owner changes since/open; readers
	 * retry (emit__tx_blocked_ns_read). */
	uint32_t blocked_sc;
	uint32_t blocked_open;
	uint64_t blocked_since;

	/* Owner-written counters; other threads load them relaxed. */
	struct emit_tx_stats ctr __rte_cache_aligned;

	struct rte_mbuf *pkts[EMIT_BURST_MAX] __rte_cache_aligned;
	uint64_t ticks[EMIT_BURST_MAX]; /**< commit ticks of pkts[] */
	struct emit_desc descs[EMIT_BURST_MAX]; /**< desc: dequeued */
	struct emit_tx_tail tails[EMIT_TX_RINGS_MAX]; /**< one per ring */

	/* Commit-to-TX latency in ticks, owner-written. */
	struct emit_hist lat_hist __rte_cache_aligned;

	/* Reader side of the xstats (lib/emit_xstats.c): the values at the
	 * last reset. The owner never reads or writes them. */
	struct {
		rte_spinlock_t lock;    /**< serialises readers */
		uint64_t ctr[EMIT_TX_NB_STATS];
		struct emit_hist_base lat;
	} xbase __rte_cache_aligned;
};

/* dequeued is counted in every build: emit-gen tells an idle TX stage by
 * it (emit_tx_stats_get), with metrics compiled out too. */
#define EMIT__TX_DEQ_ADD(tx, n) emit__ctr_add(&(tx)->ctr.dequeued, (n))

#if EMIT_METRICS
#define EMIT__TX_CTR_ADD(tx, field, n) emit__ctr_add(&(tx)->ctr.field, (n))
/* Which packets the stage samples for its latency histogram. */
#define EMIT__TX_LATENCY(tx) ((tx)->latency)
#else
/* Metrics compiled out (EMIT_METRICS): nothing is evaluated, and no
 * latency sample is taken, whatever the configuration says. */
#define EMIT__TX_CTR_ADD(tx, field, n) ((void)sizeof((tx)->ctr.field + (n)))
#define EMIT__TX_LATENCY(tx) EMIT_TX_LATENCY_OFF
#endif

unsigned int emit__tx_offer(struct emit_tx *tx, struct rte_mbuf **pkts,
		unsigned int n, uint64_t bytes, uint32_t retries);
void emit__tx_keep(struct emit_tx *tx, struct emit_tx_tail *t,
		unsigned int sent, unsigned int n);
unsigned int emit__tx_tail_retry(struct emit_tx *tx, struct emit_tx_tail *t);
void emit__tx_drop(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf **pkts, unsigned int n);
uint64_t emit__tx_now(const struct emit_tx *tx);
unsigned int emit__tx_take_slow(struct emit_tx *tx, struct rte_ring *r,
		struct rte_mbuf **pkts);
uint64_t emit__tx_blocked_ns_read(const struct emit_tx *tx);

#endif /* EMIT_TX_PVT_H */
