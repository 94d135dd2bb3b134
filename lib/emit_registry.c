/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

RTE_LOG_REGISTER_DEFAULT(emit_logtype, INFO);

rte_spinlock_t emit__reg_lock = RTE_SPINLOCK_INITIALIZER;
struct emit_sender *emit__reg_senders[EMIT_SENDERS_MAX];
struct emit_tx *emit__reg_txs[EMIT_TX_MAX];

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

int
emit__reg_sender_add(struct emit_sender *s)
{
	int i, slot = -1, rc = 0;

	rte_spinlock_lock(&emit__reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		if (emit__reg_senders[i] == NULL) {
			if (slot < 0)
				slot = i;
		} else if (emit__reg_senders[i]->id == s->id) {
			rc = -EEXIST;
			break;
		}
	}
	if (rc == 0 && slot < 0)
		rc = -ENOSPC;
	if (rc == 0)
		emit__reg_senders[slot] = s;
	rte_spinlock_unlock(&emit__reg_lock);
	return rc;
}

void
emit__reg_sender_del(const struct emit_sender *s)
{
	int i;

	rte_spinlock_lock(&emit__reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++)
		if (emit__reg_senders[i] == s)
			emit__reg_senders[i] = NULL;
	rte_spinlock_unlock(&emit__reg_lock);
}

int
emit__reg_tx_add(struct emit_tx *tx)
{
	int i, rc = -ENOSPC;

	rte_spinlock_lock(&emit__reg_lock);
	for (i = 0; i < EMIT_TX_MAX; i++) {
		if (emit__reg_txs[i] == NULL) {
			emit__reg_txs[i] = tx;
			rc = i;
			break;
		}
	}
	rte_spinlock_unlock(&emit__reg_lock);
	return rc;
}

void
emit__reg_tx_del(struct emit_tx *tx)
{
	rte_spinlock_lock(&emit__reg_lock);
	if (tx->id >= 0 && tx->id < EMIT_TX_MAX && emit__reg_txs[tx->id] == tx)
		emit__reg_txs[tx->id] = NULL;
	rte_spinlock_unlock(&emit__reg_lock);
}

void
emit__reg_close_ring(const struct rte_ring *r)
{
	int i;

	rte_spinlock_lock(&emit__reg_lock);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		struct emit_sender *s = emit__reg_senders[i];

		/* Pairs with the owner's relaxed load in emit__gate and
		 * emit__flush: the bit only needs to become visible. */
		if (s != NULL && s->ring == r)
			__atomic_fetch_or(&s->ctl.word, EMIT__CTL_CLOSED,
					__ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&emit__reg_lock);
}
