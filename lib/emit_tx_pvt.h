/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TX_PVT_H
#define EMIT_TX_PVT_H

#include "emit.h"

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

	/* Owner-written counters; other threads load them relaxed. */
	struct emit_tx_stats ctr __rte_cache_aligned;

	struct rte_mbuf *pkts[EMIT_BURST_MAX] __rte_cache_aligned;
};

#define EMIT__TX_CTR_ADD(tx, field, n) \
	__atomic_store_n(&(tx)->ctr.field, (tx)->ctr.field + (n), \
			__ATOMIC_RELAXED)

#endif /* EMIT_TX_PVT_H */
