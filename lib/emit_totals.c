/* SPDX-License-Identifier: BSD-3-Clause */
/* Global view: totals over the live senders and TX stages, and the
 * conservation sums. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

/* Every ring a live sender feeds or a live TX stage drains. */
#define RINGS_MAX (EMIT_SENDERS_MAX + EMIT_TX_MAX * EMIT_TX_RINGS_MAX)

/* Scratch list of those rings; used under emit__reg_lock only. */
static const struct rte_ring *reg_rings[RINGS_MAX];

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void * const *)a;
	uintptr_t y = (uintptr_t)*(const void * const *)b;

	return x < y ? -1 : x > y;
}

/* Events in the distinct rings of @p rings; sorts it. */
static uint64_t
rings_count(const struct rte_ring **rings, unsigned int n)
{
	uint64_t total = 0;
	unsigned int i;

	qsort(rings, n, sizeof(const struct rte_ring *), ptr_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || rings[i] != rings[i - 1])
			total += rte_ring_count(rings[i]);
	return total;
}

/* Add the counters of @p s; returns 1 if its pending count is a possible
 * batch occupancy. */
static int
add_sender(struct emit_totals *t, const struct emit_sender *s)
{
	struct emit_sender_stats st;
	uint64_t dropped, pending;

	emit_sender_stats_get(s, &st);
	dropped = st.dropped_ring_full + st.dropped_spin_timeout +
		st.dropped_closed;
	pending = st.events_committed - st.events_enqueued - dropped;
	t->events_committed += st.events_committed;
	t->events_enqueued += st.events_enqueued;
	t->bytes_enqueued += st.bytes_enqueued;
	t->events_dropped += dropped;
	t->events_pending += pending;
	/* A counter lost or counted twice shows as a pending count that is
	 * negative (wrapped) or larger than a batch. */
	return pending <= s->burst;
}

static void
add_tx(struct emit_totals *t, const struct emit_tx *tx)
{
	struct emit_tx_stats st;

	emit_tx_stats_get(tx, &st);
	t->tx_sent += st.tx_sent;
	t->tx_bytes += st.tx_bytes;
	t->tx_dropped += st.tx_dropped_retry_exhausted +
		st.tx_dropped_closed;
}

int
emit_totals_get(struct emit_totals *t)
{
	const struct rte_ring **rings = reg_rings;
	unsigned int nr = 0, i, j;
	int pending_ok = 1;

	if (t == NULL)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	rte_spinlock_lock(&emit__reg_lock);
	/* TX counters first, senders last: events only move from senders
	 * to rings to TX stages, so reading downstream first keeps the
	 * figures from a running system close to the conservation sums. */
	for (i = 0; i < EMIT_TX_MAX; i++) {
		const struct emit_tx *tx = emit__reg_txs[i];

		if (tx == NULL)
			continue;
		t->nb_tx++;
		add_tx(t, tx);
		for (j = 0; j < tx->nb_rings; j++)
			rings[nr++] = tx->rings[j];
	}
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		const struct emit_sender *s = emit__reg_senders[i];

		if (s != NULL)
			rings[nr++] = s->ring;
	}
	t->in_rings = rings_count(rings, nr);
	for (i = 0; i < EMIT_SENDERS_MAX; i++) {
		const struct emit_sender *s = emit__reg_senders[i];

		if (s == NULL)
			continue;
		t->nb_senders++;
		pending_ok &= add_sender(t, s);
	}
	rte_spinlock_unlock(&emit__reg_lock);
	t->sender_ok = pending_ok && t->events_committed ==
		t->events_enqueued + t->events_dropped + t->events_pending;
	t->tx_ok = t->events_enqueued == t->tx_sent + t->tx_dropped +
		t->in_rings;
	return 0;
}

int
emit_conservation_check(struct emit_totals *t)
{
	struct emit_totals tmp;

	if (t == NULL)
		t = &tmp;
	emit_totals_get(t);
	return t->sender_ok && t->tx_ok;
}
