/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_POOL_H
#define EMIT_POOL_H

/**
 * @file
 * Mbuf pools laid out for the cache.
 *
 * Without hugepages (EAL --no-huge), DPDK keeps each mempool object
 * inside one 4 KiB page, so that its IOVA range is contiguous: a pool of
 * default-sized mbufs (2,368 bytes with the mempool header) gets one mbuf
 * per page. Every mbuf then sits at the same offset in its page, and the
 * same line of 32 mbufs of a burst falls in the same set of the L1 data
 * cache (64 sets of 64 bytes span 4 KiB; 8 or 12 ways): each cache line a
 * packet touches misses the L1 again on every burst, and a line written
 * twice (the frame when claimed, the stamp at commit) misses twice.
 * emit_pool_create() lays the objects back to back instead, where that
 * keeps their IOVA correct.
 */

#include <stdint.h>

#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create a pktmbuf pool, as rte_pktmbuf_pool_create() does (the platform's
 * best mempool ops, mbufs initialised by rte_pktmbuf_init()), with one
 * difference: when the EAL runs without hugepages and with IOVA as VA,
 * the objects lie back to back (packed, with the mempool's usual padding
 * that spreads them over memory channels) in one IOVA-contiguous memzone,
 * rather than one per 4 KiB page; each mbuf's buf_iova is then its
 * buffer's address, as IOVA as VA has it. With hugepages, or IOVA as PA,
 * or when no zone of that size can be reserved, it is
 * rte_pktmbuf_pool_create() (a log line at DEBUG says which).
 * rte_mempool_free() frees either kind, with its memory.
 *
 * Control path, any thread of the EAL's process (the pool is named: two
 * threads creating the same name race as rte_mempool_create_empty does).
 *
 * @param name      pool name (also the memzone's, with a prefix).
 * @param n         mbufs, >= 1.
 * @param cache     per-lcore cache size, as rte_mempool_create_empty().
 * @param priv_size private area after each mbuf header, a multiple of
 *                  RTE_MBUF_PRIV_ALIGN.
 * @param data_room buffer size, headroom included.
 * @param socket    NUMA socket, or SOCKET_ID_ANY.
 * @return the pool, or NULL with rte_errno: EINVAL (name NULL, n 0,
 *         priv_size not aligned), EEXIST (the name is taken), ENOMEM (no
 *         memory), or what rte_pktmbuf_pool_create() sets.
 */
struct rte_mempool *emit_pool_create(const char *name, unsigned int n,
		unsigned int cache, uint16_t priv_size, uint16_t data_room,
		int socket);

/**
 * 1 if @p mp lies packed (made by emit_pool_create() in the case above),
 * 0 if not or @p mp is NULL. Any thread.
 */
int emit_pool_packed(const struct rte_mempool *mp);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_POOL_H */
