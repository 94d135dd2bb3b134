/* SPDX-License-Identifier: BSD-3-Clause */
/* TX stages, slow paths: the tails the port refuses (held, offered again,
 * freed by the DROP TX policy), the time the port blocks, close and free. */
#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

static uint64_t
ticks_ns(const struct emit_tx *tx, uint64_t ticks)
{
	__extension__ typedef unsigned __int128 u128;

	return (uint64_t)(((u128)ticks * tx->ns_mult) >> 32);
}

/* The stage's clock, read after this thread's earlier stores are visible
 * (TSC: rte_rdtsc_precise). */
static uint64_t
blocked_clock(const struct emit_tx *tx)
{
	return tx->clock != NULL ? tx->clock(tx->clock_arg) :
		rte_rdtsc_precise();
}

/* The owner changes the spell inside an odd sequence count. The release
 * fence after the odd store pairs with the acquire fence of
 * emit__tx_blocked_ns_read; the release store of the even count with its
 * acquire load. */
static void
blocked_write_begin(struct emit_tx *tx)
{
	__atomic_store_n(&tx->blocked_sc, tx->blocked_sc + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void
blocked_write_end(struct emit_tx *tx)
{
	__atomic_store_n(&tx->blocked_sc, tx->blocked_sc + 1, __ATOMIC_RELEASE);
}

uint64_t
emit__tx_blocked_ns_read(const struct emit_tx *tx)
{
	uint64_t ns, since, now;
	uint32_t sc, open;

	for (;;) {
		sc = __atomic_load_n(&tx->blocked_sc, __ATOMIC_ACQUIRE);
		if (sc & 1) {
			rte_pause();
			continue;
		}
		ns = __atomic_load_n(&tx->ctr.port_blocked_ns,
				__ATOMIC_RELAXED);
		open = __atomic_load_n(&tx->blocked_open, __ATOMIC_RELAXED);
		since = __atomic_load_n(&tx->blocked_since, __ATOMIC_RELAXED);
		now = open ? blocked_clock(tx) : 0;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&tx->blocked_sc, __ATOMIC_RELAXED) == sc)
			break;
	}
	if (open && now > since)
		ns += ticks_ns(tx, now - since);
	return ns;
}

/* @p k more events held, the port's refusal seen at @p now. */
static void
held_add(struct emit_tx *tx, unsigned int k, uint64_t now)
{
	if (tx->held == 0) {
		blocked_write_begin(tx);
		__atomic_store_n(&tx->blocked_since, now, __ATOMIC_RELAXED);
		__atomic_store_n(&tx->blocked_open, 1, __ATOMIC_RELAXED);
		blocked_write_end(tx);
		EMIT__TX_CTR_ADD(tx, port_blocked_episodes, 1);
	}
	__atomic_store_n(&tx->held, tx->held + k, __ATOMIC_RELAXED);
}

/* @p k held events left (sent or freed). The spell ends when none is
 * held; its clock is read once the odd count is visible, so that a
 * reader that saw the spell open read its clock earlier and the counter
 * never goes back. */
static void
held_sub(struct emit_tx *tx, unsigned int k)
{
	__atomic_store_n(&tx->held, tx->held - k, __ATOMIC_RELAXED);
	if (tx->held != 0 || !tx->blocked_open)
		return;
	blocked_write_begin(tx);
	{
		uint64_t now = blocked_clock(tx);
		uint64_t d = now > tx->blocked_since ?
			now - tx->blocked_since : 0;

		EMIT__TX_CTR_ADD(tx, port_blocked_ns, ticks_ns(tx, d));
	}
	__atomic_store_n(&tx->blocked_open, 0, __ATOMIC_RELAXED);
	blocked_write_end(tx);
}

/* Free the held tail of @p t for @p reason, counted. */
static void
tail_drop(struct emit_tx *tx, struct emit_tx_tail *t,
		enum emit_drop_reason reason)
{
	unsigned int k = t->n - t->head;

	emit__tx_drop(tx, reason, t->pkts + t->head, k);
	t->head = 0;
	t->n = 0;
	held_sub(tx, k);
}

void
emit__tx_keep(struct emit_tx *tx, struct emit_tx_tail *t, unsigned int sent,
		unsigned int n)
{
	uint64_t now = emit__tx_now(tx);

	t->head = (uint16_t)sent;
	t->n = (uint16_t)n;
	t->since = now;
	held_add(tx, n - sent, now);
	if (tx->policy == EMIT_TX_POLICY_DROP && tx->drop_tsc == 0)
		tail_drop(tx, t, EMIT_DROP_TX_RETRY);
}

unsigned int
emit__tx_tail_retry(struct emit_tx *tx, struct emit_tx_tail *t)
{
	unsigned int k = t->n - t->head, sent, i;
	uint64_t bytes = 0;

	for (i = t->head; i < t->n; i++)
		bytes += t->pkts[i]->pkt_len;
	sent = emit__tx_offer(tx, t->pkts + t->head, k, bytes, 1);
	t->head = (uint16_t)(t->head + sent);
	if (t->head == t->n) {
		t->head = 0;
		t->n = 0;
	}
	if (sent != 0)
		held_sub(tx, sent);
	if (t->n != 0 && tx->policy == EMIT_TX_POLICY_DROP &&
	    emit__tx_now(tx) - t->since >= tx->drop_tsc)
		tail_drop(tx, t, EMIT_DROP_TX_RETRY);
	return sent;
}

uint64_t
emit_tx_held(const struct emit_tx *tx)
{
	if (tx == NULL)
		return 0;
	return __atomic_load_n(&tx->held, __ATOMIC_RELAXED);
}

/* Free what the stage holds and what is in its rings, counted in
 * tx_dropped_closed. */
static void
tx_discard(struct emit_tx *tx)
{
	struct rte_mbuf *pkts[EMIT_BURST_MAX];
	unsigned int i, n;

	for (i = 0; i < tx->nb_rings; i++) {
		struct emit_tx_tail *t = &tx->tails[i];

		if (t->n != 0)
			tail_drop(tx, t, EMIT_DROP_TX_CLOSED);
		for (;;) {
			n = emit__tx_take_slow(tx, tx->rings[i], pkts);
			if (n == 0)
				break;
			EMIT__TX_DEQ_ADD(tx, n);
			emit__tx_drop(tx, EMIT_DROP_TX_CLOSED, pkts, n);
		}
	}
}

int
emit_tx_close(struct emit_tx *tx)
{
	uint64_t last;
	int sent = 0, rc;
	unsigned int i;

	if (tx == NULL)
		return -EINVAL;
	/* Every flush of a sender reads CLOSED before it enqueues: from now
	 * on its batches are dropped at the sender (dropped_closed). A batch
	 * whose enqueue began before may still land after the drain below;
	 * it waits in the ring, counted in in_rings, until emit_tx_free or
	 * the next emit_tx_close frees it (tx_dropped_closed). So a sender
	 * that is idle, or never closed, does not hold up the close. */
	if (!tx->closed) {
		tx->closed = 1;
		for (i = 0; i < tx->nb_rings; i++)
			emit__reg_close_ring(tx->rings[i]);
	}
	/* A bound on the control path, in real time: the TSC, whatever
	 * clock the stage was given. */
	last = rte_get_tsc_cycles();
	while (tx->held != 0 || emit_tx_in_rings(tx) != 0) {
		rc = emit_tx_poll(tx);
		if (rc > 0) {
			sent += rc;
			last = rte_get_tsc_cycles();
		} else if (rte_get_tsc_cycles() - last >= tx->close_tsc) {
			/* The port accepted nothing for close_us: the drain
			 * ends, what is left is freed and counted. */
			EMIT_LOG(WARNING, "tx %s: port %u accepted nothing for "
				"%u us at close: %" PRIu64 " held, %" PRIu64
				" in rings freed\n", tx->name, tx->port_id,
				(unsigned int)(tx->close_tsc * 1000000 /
					rte_get_tsc_hz()),
				tx->held, emit_tx_in_rings(tx));
			tx_discard(tx);
			break;
		}
	}
	return sent;
}

void
emit_tx_free(struct emit_tx *tx)
{
	if (tx == NULL)
		return;
	/* A stage never closed is closed (and drained) now; its result is
	 * in the counters and the log. Once closed, the port is not touched
	 * again: the application may have stopped it. */
	if (!tx->closed)
		(void)emit_tx_close(tx);
	/* Events a sender enqueued after the close are not sent: free and
	 * count them so that the conservation sums still hold. */
	tx_discard(tx);
	emit__reg_tx_del(tx);
	rte_free(tx);
}
