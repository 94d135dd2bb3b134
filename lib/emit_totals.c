/* SPDX-License-Identifier: BSD-3-Clause */
/* Global view: totals over the live senders and TX stages, and the
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
	struct emit_sender_stats st;
	uint64_t dropped, pending;

	ring_add(w, s->ring);
	emit_sender_stats_get(s, &st);
	dropped = emit_sender_stats_dropped(&st);
	pending = st.events_committed - st.events_enqueued - dropped;
	w->t->nb_senders++;
	w->t->events_committed += st.events_committed;
	w->t->events_enqueued += st.events_enqueued;
	w->t->bytes_enqueued += st.bytes_enqueued;
	w->t->events_dropped += dropped;
	w->t->events_pending += pending;
	/* A counter lost or counted twice shows as a pending count that is
	 * negative (wrapped) or larger than a batch. */
	w->pending_ok &= pending <= s->burst;
	return 0;
}

int
emit_totals_get(struct emit_totals *t)
{
	struct totals_walk w = { .t = t, .pending_ok = 1 };
	int rc;

	if (t == NULL)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	/* TX counters first, senders last, in one hold of the registry
	 * lock: events only move from senders to rings to TX stages, so
	 * reading downstream first keeps the figures from a running system
	 * close to the conservation sums. */
	rc = emit__reg_foreach(walk_tx, walk_sender, &w);
	if (rc != 0)
		return rc;
	t->sender_ok = w.pending_ok && t->events_committed ==
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
