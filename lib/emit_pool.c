/* SPDX-License-Identifier: BSD-3-Clause */
/* Mbuf pools laid out for the cache (emit_pool.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memzone.h>

#include "emit_pvt.h"

/* Prefix of the memzone of a packed pool (as the mempool's own "MP_"). */
#define ZONE_PREFIX "EP_"

static void
zone_free(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	RTE_SET_USED(memhdr);
	(void)rte_memzone_free(opaque);
}

/* The packed layout; NULL with rte_errno ENOMEM when the zone cannot be
 * had (the caller falls back), another rte_errno on other failures. */
static struct rte_mempool *
pool_packed(const char *name, unsigned int n, unsigned int cache,
		uint16_t priv_size, uint16_t data_room, int socket)
{
	struct rte_pktmbuf_pool_private priv;
	const struct rte_memzone *mz;
	union {
		const struct rte_memzone *c;
		void *v;
	} zone;
	char zname[RTE_MEMZONE_NAMESIZE];
	struct rte_mempool *mp;
	size_t len;
	int rc;

	memset(&priv, 0, sizeof(priv));
	priv.mbuf_data_room_size = data_room;
	priv.mbuf_priv_size = priv_size;
	mp = rte_mempool_create_empty(name, n,
		sizeof(struct rte_mbuf) + priv_size + data_room, cache,
		sizeof(priv), socket, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	rc = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL);
	if (rc != 0) {
		rte_mempool_free(mp);
		rte_errno = -rc;
		return NULL;
	}
	rte_pktmbuf_pool_init(mp, &priv);
	/* The mempool accepted the name, and its zones take a prefix of the
	 * same length: this one fits. */
	rc = snprintf(zname, sizeof(zname), ZONE_PREFIX "%s", name);
	if (rc < 0 || (size_t)rc >= sizeof(zname)) {
		rte_mempool_free(mp);
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	len = (size_t)(mp->header_size + mp->elt_size + mp->trailer_size) * n;
	mz = rte_memzone_reserve_aligned(zname, len, socket,
		RTE_MEMZONE_IOVA_CONTIG, RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		rc = rte_errno;
		rte_mempool_free(mp);
		rte_errno = rc == EEXIST ? EEXIST : ENOMEM;
		return NULL;
	}
	/* The zone goes to zone_free() as the opaque argument, which is not
	 * const. */
	zone.c = mz;
	rc = rte_mempool_populate_iova(mp, mz->addr, mz->iova, mz->len,
		zone_free, zone.v);
	if (rc < 0 || (unsigned int)rc != n) {
		/* Populated, the zone is the pool's: freeing it frees it. */
		if (rc <= 0)
			(void)rte_memzone_free(mz);
		rte_mempool_free(mp);
		rte_errno = rc < 0 ? -rc : ENOMEM;
		return NULL;
	}
	(void)rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	return mp;
}

struct rte_mempool *
emit_pool_create(const char *name, unsigned int n, unsigned int cache,
		uint16_t priv_size, uint16_t data_room, int socket)
{
	if (name == NULL || n == 0) {
		EMIT_LOG(ERR, "pool: %s\n", name == NULL ? "name is NULL" :
			"no mbufs");
		rte_errno = EINVAL;
		return NULL;
	}
	if (RTE_ALIGN(priv_size, RTE_MBUF_PRIV_ALIGN) != priv_size) {
		EMIT_LOG(ERR, "pool %s: private size %u is not a multiple of "
			"%u\n", name, priv_size, RTE_MBUF_PRIV_ALIGN);
		rte_errno = EINVAL;
		return NULL;
	}
	if (!rte_eal_has_hugepages() && rte_eal_iova_mode() == RTE_IOVA_VA) {
		struct rte_mempool *mp = pool_packed(name, n, cache,
			priv_size, data_room, socket);

		if (mp != NULL) {
			EMIT_LOG(DEBUG, "pool %s: %u mbufs packed\n", name, n);
			return mp;
		}
		if (rte_errno != ENOMEM)
			return NULL;
		EMIT_LOG(DEBUG, "pool %s: no zone for %u packed mbufs, one "
			"per page\n", name, n);
	}
	return rte_pktmbuf_pool_create(name, n, cache, priv_size, data_room,
		socket);
}

int
emit_pool_packed(const struct rte_mempool *mp)
{
	const struct rte_mempool_memhdr *h;

	if (mp == NULL)
		return 0;
	/* Only pool_packed() hands its memory over with zone_free(). */
	h = STAILQ_FIRST(&mp->mem_list);
	return h != NULL && h->free_cb == zone_free;
}
