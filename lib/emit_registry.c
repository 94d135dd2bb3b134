/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_memzone.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

RTE_LOG_REGISTER_DEFAULT(emit_logtype, INFO);

/* The live objects; read and written under reg_lock only. A TX stage's
 * id is its slot in reg_txs. */
static rte_spinlock_t reg_lock = RTE_SPINLOCK_INITIALIZER;
static struct emit_sender *reg_senders[EMIT_SENDERS_MAX];
static struct emit_tx *reg_txs[EMIT_TX_MAX];
static struct emit__retired reg_retired;

/* Telemetry is registered once, at load, from this file, which every
 * program using emit links: with the static library too, the reference
 * pulls the telemetry code in. */
RTE_INIT(emit_init)
{
	emit__telemetry_register();
}

const char *
emit_version(void)
{
	return EMIT_VERSION_STRING;
}

unsigned int
emit__ring_esize(const struct rte_ring *r)
{
	static const unsigned int sizes[] = { 8, 16, 4, 32, 64, 128 };
	unsigned int i;
	ssize_t len;

	if (r->memzone == NULL)
		return 0;
	/* rte_ring_create_elem reserves exactly rte_ring_get_memsize_elem
	 * (cache-line aligned); the memzone keeps that length. */
	for (i = 0; i < RTE_DIM(sizes); i++) {
		len = rte_ring_get_memsize_elem(sizes[i], r->size);
		if (len > 0 && (size_t)len == r->memzone->len)
			return sizes[i];
	}
	return 0;
}

int
emit__ring_fits(const struct rte_ring *r, unsigned int esize)
{
	ssize_t len;

	if (r->memzone == NULL)
		return 1;
	len = rte_ring_get_memsize_elem(esize, r->size);
	return len > 0 && (size_t)len == r->memzone->len;
}

/* Whether a live TX stage drains @p r; call with reg_lock held. */
static int
tx_drains(const struct rte_ring *r)
{
	unsigned int i, j;

	for (i = 0; i < EMIT_TX_MAX; i++)
		for (j = 0; reg_txs[i] != NULL && j < reg_txs[i]->nb_rings; j++)
			if (reg_txs[i]->rings[j] == r)
				return 1;
	return 0;
}

/* Whether TX stage @p tx drains @p r; call with reg_lock held. */
static int
tx_has_ring(const struct emit_tx *tx, const struct rte_ring *r)
{
	unsigned int j;

	for (j = 0; j < tx->nb_rings; j++)
		if (tx->rings[j] == r)
			return 1;
	return 0;
}

/* A live sender that feeds one of the rings of @p tx from another pool
 * than @p mp, or NULL; call with reg_lock held. A queue with fast free
 * returns every mbuf to the pool of the first one it frees (DPDK's rule:
 * one pool per queue), so a second pool would be corrupted. */
static const struct emit_sender *
tx_other_pool(const struct emit_tx *tx, const struct rte_mempool *mp)
{
	unsigned int i;

	for (i = 0; i < EMIT_SENDERS_MAX; i++)
		if (reg_senders[i] != NULL && reg_senders[i]->mp != mp &&
		    tx_has_ring(tx, reg_senders[i]->ring))
			return reg_senders[i];
	return NULL;
}

/* With reg_lock held: -EINVAL, logged, if a fast-free TX stage drains
 * the ring of @p s while senders of another pool feed that stage. */
static int
sender_pool_check(const struct emit_sender *s)
{
	const struct emit_sender *o;
	unsigned int i;

	for (i = 0; i < EMIT_TX_MAX; i++) {
		if (reg_txs[i] == NULL || !reg_txs[i]->fast_free ||
		    !tx_has_ring(reg_txs[i], s->ring))
			continue;
		o = tx_other_pool(reg_txs[i], s->mp);
		if (o != NULL) {
			EMIT_LOG(ERR, "sender %u: TX stage %s frees mbufs "
				"fast to one pool, and sender %u feeds it "
				"from pool %s, not %s\n", s->id,
				reg_txs[i]->name, o->id, o->mp->name,
				s->mp->name);
			return -EINVAL;
		}
	}
	return 0;
}

int
emit__reg_sender_add(struct emit_sender *s)
{
	int i, slot = -1, rc = 0;

	rte_spinlock_lock(&reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		if (reg_senders[i] == NULL) {
			if (slot < 0)
				slot = i;
		} else if (reg_senders[i]->id == s->id) {
			rc = -EEXIST;
			break;
		} else if (reg_senders[i]->ring == s->ring &&
			   rte_ring_is_prod_single(s->ring)) {
			EMIT_LOG(ERR, "sender %u: ring %s is single-producer "
				"and sender %u enqueues to it already\n",
				s->id, s->ring->name, reg_senders[i]->id);
			rc = -EINVAL;
			break;
		} else if (reg_senders[i]->ring == s->ring &&
			   reg_senders[i]->desc != s->desc) {
			EMIT_LOG(ERR, "sender %u: sender %u enqueues %s to "
				"ring %s\n", s->id, reg_senders[i]->id,
				s->desc ? "mbuf pointers" : "descriptors",
				s->ring->name);
			rc = -EINVAL;
			break;
		}
	}
	if (rc == 0)
		rc = sender_pool_check(s);
	if (rc == 0 && slot < 0)
		rc = -ENOSPC;
	if (rc == 0) {
		s->tx_fed = tx_drains(s->ring);
		reg_senders[slot] = s;
	}
	rte_spinlock_unlock(&reg_lock);
	return rc;
}

void
emit__reg_sender_del(const struct emit_sender *s)
{
	struct emit__books b;
	int i, found = 0;

	/* Closed, its owner quiescent: the books are exact, pending 0. */
	emit__books_read(s, &b);
	rte_spinlock_lock(&reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		if (reg_senders[i] == s) {
			reg_senders[i] = NULL;
			found = 1;
		}
	}
	/* Only a sender whose events went to an emit TX stage: what a
	 * consumer outside emit took cannot be in the TX side's sum. */
	if (found && s->tx_fed) {
		reg_retired.nb_senders++;
		reg_retired.events_committed += b.committed;
		reg_retired.events_enqueued += b.enqueued;
		reg_retired.bytes_enqueued += __atomic_load_n(
			&s->ctr.bytes_enqueued, __ATOMIC_RELAXED);
		reg_retired.events_dropped += b.dropped;
	}
	rte_spinlock_unlock(&reg_lock);
}

int
emit__reg_tx_add(struct emit_tx *tx, emit__reg_tx_init_fn init,
		const void *arg)
{
	unsigned int k;
	int i, j, rc = -ENOSPC;

	rte_spinlock_lock(&reg_lock);
	for (k = 0; k < tx->nb_rings; k++) {
		if (rte_ring_is_cons_single(tx->rings[k]) &&
		    tx_drains(tx->rings[k])) {
			EMIT_LOG(ERR, "tx: ring %s is single-consumer and "
				"another TX stage drains it already\n",
				tx->rings[k]->name);
			rte_spinlock_unlock(&reg_lock);
			return -EINVAL;
		}
	}
	for (j = 0; tx->fast_free && j < EMIT_SENDERS_MAX; j++) {
		const struct emit_sender *o;

		if (reg_senders[j] == NULL ||
		    !tx_has_ring(tx, reg_senders[j]->ring))
			continue;
		o = tx_other_pool(tx, reg_senders[j]->mp);
		if (o != NULL) {
			EMIT_LOG(ERR, "tx: fast free needs one pool, and "
				"senders %u and %u feed its rings from pools "
				"%s and %s\n", reg_senders[j]->id, o->id,
				reg_senders[j]->mp->name, o->mp->name);
			rte_spinlock_unlock(&reg_lock);
			return -EINVAL;
		}
	}
	for (i = 0; i < EMIT_TX_MAX; i++) {
		if (reg_txs[i] == NULL) {
			/* Complete before it is published: readers take
			 * the lock, so its release orders these writes
			 * before any reader's use of the slot. */
			if (init != NULL)
				init(tx, i, arg);
			reg_txs[i] = tx;
			for (j = 0; j < EMIT_SENDERS_MAX; j++)
				if (reg_senders[j] != NULL &&
				    tx_drains(reg_senders[j]->ring))
					reg_senders[j]->tx_fed = 1;
			rc = i;
			break;
		}
	}
	rte_spinlock_unlock(&reg_lock);
	return rc;
}

void
emit__reg_tx_del(struct emit_tx *tx)
{
	struct emit_tx_stats st;

	emit_tx_stats_get(tx, &st);
	rte_spinlock_lock(&reg_lock);
	if (tx->id >= 0 && tx->id < EMIT_TX_MAX && reg_txs[tx->id] == tx) {
		reg_txs[tx->id] = NULL;
		reg_retired.nb_tx++;
		reg_retired.tx_sent += st.tx_sent;
		reg_retired.tx_bytes += st.tx_bytes;
		reg_retired.tx_dropped += emit_tx_stats_dropped(&st);
	}
	rte_spinlock_unlock(&reg_lock);
}

void
emit__reg_close_ring(const struct rte_ring *r)
{
	int i;

	rte_spinlock_lock(&reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		struct emit_sender *s = reg_senders[i];

		/* Pairs with the owner's relaxed load in emit__gate and
		 * emit__flush: the bit only needs to become visible. */
		if (s != NULL && s->ring == r)
			__atomic_fetch_or(&s->ctl.word, EMIT__CTL_CLOSED,
					__ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&reg_lock);
}

/* Live sender with wire id @p id; call with reg_lock held. */
static struct emit_sender *
sender_lookup(uint64_t id)
{
	unsigned int i;

	for (i = 0; i < EMIT_SENDERS_MAX; i++)
		if (reg_senders[i] != NULL && reg_senders[i]->id == id)
			return reg_senders[i];
	return NULL;
}

int
emit__reg_sender_find(uint64_t id, emit__reg_sender_fn fn, void *arg)
{
	struct emit_sender *s;
	int rc = -ENOENT;

	rte_spinlock_lock(&reg_lock);
	s = sender_lookup(id);
	if (s != NULL)
		rc = fn(s, arg);
	rte_spinlock_unlock(&reg_lock);
	return rc;
}

int
emit__reg_tx_find(uint64_t id, emit__reg_tx_fn fn, void *arg)
{
	int rc = -ENOENT;

	rte_spinlock_lock(&reg_lock);
	if (id < EMIT_TX_MAX && reg_txs[id] != NULL)
		rc = fn(reg_txs[id], arg);
	rte_spinlock_unlock(&reg_lock);
	return rc;
}

int
emit__reg_foreach(emit__reg_tx_fn tx_fn, emit__reg_sender_fn sender_fn,
		void *arg)
{
	return emit__reg_foreach_retired(tx_fn, sender_fn, NULL, arg);
}

int
emit__reg_foreach_retired(emit__reg_tx_fn tx_fn,
		emit__reg_sender_fn sender_fn, struct emit__retired *retired,
		void *arg)
{
	unsigned int i;
	int rc = 0;

	rte_spinlock_lock(&reg_lock);
	if (retired != NULL)
		*retired = reg_retired;
	for (i = 0; tx_fn != NULL && rc == 0 && i < EMIT_TX_MAX; i++)
		if (reg_txs[i] != NULL)
			rc = tx_fn(reg_txs[i], arg);
	for (i = 0; sender_fn != NULL && rc == 0 && i < EMIT_SENDERS_MAX; i++)
		if (reg_senders[i] != NULL)
			rc = sender_fn(reg_senders[i], arg);
	rte_spinlock_unlock(&reg_lock);
	return rc;
}
