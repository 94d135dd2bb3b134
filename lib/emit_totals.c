/* SPDX-License-Identifier: BSD-3-Clause */
/* Global view: totals over the live senders and TX stages and the
 * counters of freed ones (the registry's retired ledger), and the
 * conservation sums. */
#include <errno.h>
#include <string.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

/* Every ring a live sender feeds or a live TX stage drains. */
#define RINGS_MAX (EMIT_SENDERS_MAX + EMIT_TX_MAX * EMIT_TX_RINGS_MAX)

/* Scratch list of those rings; used inside emit__reg_foreach only, that
 * is under the registry lock, which serialises its users. */
static const struct rte_ring *reg_rings[RINGS_MAX];

/* State of one emit_totals_get walk. */
struct totals_walk {
	struct emit_totals *t;
	unsigned int nr;        /* rings in reg_rings, each counted */
	int pending_ok;
};

/* Count the events in ring @p r unless it was counted already: rings are
 * shared (several senders may feed one ring, and a sender's ring is the
 * ring a TX stage drains). A linear search: a control-path walk over a
 * few rings usually, RINGS_MAX at the very most. */
static void
ring_add(struct totals_walk *w, const struct rte_ring *r)
{
	unsigned int i;

	for (i = 0; i < w->nr; i++)
		if (reg_rings[i] == r)
			return;
	reg_rings[w->nr++] = r;
	w->t->in_rings += rte_ring_count(r);
}

static int
walk_tx(struct emit_tx *tx, void *arg)
{
	struct totals_walk *w = arg;
	struct emit_tx_stats st;
	unsigned int j;

	emit_tx_stats_get(tx, &st);
	w->t->nb_tx++;
	w->t->tx_sent += st.tx_sent;
	w->t->tx_bytes += st.tx_bytes;
	w->t->tx_dropped += emit_tx_stats_dropped(&st);
	w->t->tx_held += emit_tx_held(tx);
	/* Its rings after its counters: downstream first. */
	for (j = 0; j < tx->nb_rings; j++)
		ring_add(w, tx->rings[j]);
	return 0;
}

/* Add the counters of @p s, after its ring if no TX stage drains it. */
static int
walk_sender(struct emit_sender *s, void *arg)
{
	struct totals_walk *w = arg;
	struct emit__books b;

	ring_add(w, s->ring);
	/* In an order that cannot underflow (emit__books_read). */
	emit__books_read(s, &b);
	w->t->nb_senders++;
	w->t->events_committed += b.committed;
	w->t->events_enqueued += b.enqueued;
	w->t->bytes_enqueued += __atomic_load_n(&s->ctr.bytes_enqueued,
		__ATOMIC_RELAXED);
	w->t->events_dropped += b.dropped;
	w->t->events_pending += b.pending;
	/* A counter lost or counted twice shows as a pending count larger
	 * than a batch (clamped in b.pending, so the sum fails too). */
	w->pending_ok &= b.pending_ok;
	return 0;
}

int
emit_totals_get(struct emit_totals *t)
{
	struct totals_walk w = { .t = t, .pending_ok = 1 };
	struct emit__retired old;
	int rc;

	if (t == NULL)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	/* TX counters first, senders last, in one hold of the registry
	 * lock: events only move from senders to rings to TX stages, so
	 * reading downstream first keeps the figures from a running system
	 * close to the conservation sums. The same hold copies the counters
	 * of freed objects, which stay in the books. */
	rc = emit__reg_foreach_retired(walk_tx, walk_sender, &old, &w);
	if (rc != 0)
		return rc;
	t->events_committed += old.events_committed;
	t->events_enqueued += old.events_enqueued;
	t->bytes_enqueued += old.bytes_enqueued;
	t->events_dropped += old.events_dropped;
	t->tx_sent += old.tx_sent;
	t->tx_bytes += old.tx_bytes;
	t->tx_dropped += old.tx_dropped;
	t->sender_ok = w.pending_ok && t->events_committed ==
		t->events_enqueued + t->events_dropped + t->events_pending;
	t->tx_ok = emit__tx_sum_ok(t->events_enqueued, t->tx_sent,
		t->tx_dropped, t->in_rings, t->tx_held);
	return 0;
}

int
emit__tx_sum_ok(uint64_t enqueued, uint64_t tx_sent, uint64_t tx_dropped,
		uint64_t in_rings, uint64_t tx_held)
{
	return enqueued == tx_sent + tx_dropped + in_rings + tx_held;
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
