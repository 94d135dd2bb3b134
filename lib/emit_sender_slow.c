/* SPDX-License-Identifier: BSD-3-Clause */
/* Sender slow paths: backpressure policies, control changes, flush and
 * poll. All run on the owner lcore. */
#include <errno.h>
#include <string.h>

#include <rte_pause.h>

#include "emit_pvt.h"

int
emit__misuse(struct emit_sender *s)
{
	if (s != NULL)
		EMIT__CTR_ADD(s, err_inval, 1);
	return -EINVAL;
}

unsigned int
emit__stash_fill(struct emit_sender *s)
{
	/* A burst at a time; when the pool cannot give that many, one. */
	if (rte_mempool_get_bulk(s->mp, (void **)s->stash, s->burst) == 0)
		s->n_stash = s->burst;
	else if (rte_mempool_get(s->mp, (void **)&s->stash[0]) == 0)
		s->n_stash = 1;
	return s->n_stash;
}

/* The pool cannot give @p n mbufs for a burst claim. The stash may hold
 * the ones missing: a pool smaller than the stash plus a burst would
 * otherwise refuse burst claims for ever, mbufs idle in the sender. Give
 * the stash back and try once more; 0, or -ENOMEM. */
int
emit__claims_slow(struct emit_sender *s, unsigned int n)
{
	if (s->n_stash == 0)
		return -ENOMEM;
	rte_mempool_put_bulk(s->mp, (void **)s->stash, s->n_stash);
	s->n_stash = 0;
	return rte_mempool_get_bulk(s->mp, (void **)s->claims, n) == 0 ?
		0 : -ENOMEM;
}

void
emit__flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n)
{
	s->hooks.flush(s, cause, n, s->hooks.arg);
}

void
emit__drop_batch(struct emit_sender *s, enum emit_drop_reason reason)
{
	unsigned int n = s->n_pending;

	if (n == 0)
		return;
	if (s->hooks.drop != NULL) {
		unsigned int i;

		/* The hook reads complete mbufs in either ring mode. */
		if (s->desc)
			for (i = 0; i < n; i++)
				emit__header(s, s->batch[i], s->batch_len[i],
					s->fr.ol_flags, s->fr.tx_offload);
		s->hooks.drop(s, reason, s->batch, n, s->hooks.arg);
	}
	rte_pktmbuf_free_bulk(s->batch, n);
	switch (reason) {
	case EMIT_DROP_RING_FULL:
		EMIT__CTR_ADD_REL(s, dropped_ring_full, n);
		break;
	case EMIT_DROP_SPIN_TIMEOUT:
		EMIT__CTR_ADD_REL(s, dropped_spin_timeout, n);
		break;
	default:
		EMIT__CTR_ADD_REL(s, dropped_closed, n);
		break;
	}
	s->n_pending = 0;
	s->pending_bytes = 0;
	EMIT__SLOW_CLR(s, EMIT__SLOW_HELD);
}

int
emit__drop_closed(struct emit_sender *s)
{
	emit__drop_batch(s, EMIT_DROP_CLOSED);
	return -EPIPE;
}

/* The ring took the front of the batch: the batch's age is now that of
 * its new first event, whose commit tick is in its headroom. */
static void
oldest_update(struct emit_sender *s)
{
	if (s->n_pending != 0)
		memcpy(&s->oldest_tsc, emit__frame(s, s->batch[0]) -
			sizeof(s->oldest_tsc), sizeof(s->oldest_tsc));
}

/* The ring took the first @p k of the @p n pending events: keep the rest,
 * with their lengths, at the front. */
static void
batch_shift(struct emit_sender *s, unsigned int k, unsigned int n)
{
	memmove(s->batch, s->batch + k, (n - k) * sizeof(struct rte_mbuf *));
	memmove(s->batch_len, s->batch_len + k,
		(n - k) * sizeof(s->batch_len[0]));
}

/* Offer the batch once more; keep what the ring refuses at the front. */
static unsigned int
reoffer(struct emit_sender *s, uint64_t now)
{
	unsigned int n = s->n_pending, k, free_space;

	k = emit__enqueue(s, n, &free_space);
	emit__account(s, k, n, free_space, now);
	if (k != 0 && k < n)
		batch_shift(s, k, n);
	s->n_pending = (uint16_t)(n - k);
	if (k != 0)
		oldest_update(s);
	return k;
}

unsigned int
emit__close_offer(struct emit_sender *s, uint64_t now)
{
	unsigned int n = s->n_pending, k;

	EMIT__CTR_ADD(s, flush_close, 1);
	if (s->hooks.flush != NULL)
		emit__flush_hook(s, EMIT_FLUSH_CLOSE, n);
	if (s->slow & EMIT__SLOW_HELD)
		EMIT__CTR_ADD(s, hold_retries, 1);
	k = reoffer(s, now);
	/* One offer whatever the policy: what the ring refuses now is the
	 * close's to drop (dropped_closed), neither DROP's nor SPIN's, and
	 * the control path does not spin. A held batch was counted as
	 * backpressure when it was first refused. */
	if (s->n_pending != 0 && !(s->slow & EMIT__SLOW_HELD)) {
		EMIT__CTR_ADD(s, backpressure_episodes, 1);
		EMIT__CTR_ADD(s, backpressure_refused, s->n_pending);
		if (s->hooks.backpressure != NULL)
			s->hooks.backpressure(s, s->n_pending, s->hooks.arg);
	}
	if (s->n_pending != 0)
		emit__drop_batch(s, EMIT_DROP_CLOSED);
	EMIT__SLOW_CLR(s, EMIT__SLOW_HELD);
	return k;
}

unsigned int
emit__retry_held(struct emit_sender *s, uint64_t now)
{
	unsigned int k;

	EMIT__CTR_ADD(s, hold_retries, 1);
	k = reoffer(s, now);
	if (s->n_pending == 0)
		EMIT__SLOW_CLR(s, EMIT__SLOW_HELD);
	return k;
}

int
emit__refused(struct emit_sender *s, unsigned int taken,
		unsigned int free_space, uint64_t now)
{
	unsigned int n = s->n_pending, refused = n - taken;

	RTE_SET_USED(free_space);
	/* @p now is when the flush began, maybe earlier in the caller's
	 * loop: SPIN reads its own start. */
	RTE_SET_USED(now);
	EMIT__CTR_ADD(s, backpressure_episodes, 1);
	EMIT__CTR_ADD(s, backpressure_refused, refused);
	if (s->hooks.backpressure != NULL)
		s->hooks.backpressure(s, refused, s->hooks.arg);
	if (taken != 0)
		batch_shift(s, taken, n);
	s->n_pending = (uint16_t)refused;
	if (taken != 0)
		oldest_update(s);

	switch (s->policy) {
	case EMIT_POLICY_HOLD:
		EMIT__SLOW_SET(s, EMIT__SLOW_HELD);
		break;
	case EMIT_POLICY_SPIN: {
		/* Each refused enqueue spins for spin_us from now: @p now may
		 * be the time of an earlier flush in the same
		 * emit_commit_burst, and one that spun before it would leave
		 * this one only what is left of the budget. */
		uint64_t start = emit__now(s);

		for (;;) {
			uint64_t t;

			rte_pause();
			EMIT__CTR_ADD(s, spin_retries, 1);
			/* Each retry is accounted at its own time, so that the
			 * batch wait includes the spin. */
			t = emit__now(s);
			taken += reoffer(s, t);
			if (s->n_pending == 0)
				break;
			if (t - start >= s->spin_tsc) {
				emit__drop_batch(s, EMIT_DROP_SPIN_TIMEOUT);
				break;
			}
		}
		break;
	}
	default:
		emit__drop_batch(s, EMIT_DROP_RING_FULL);
		break;
	}
	return (int)taken;
}

/* Re-read the ring's occupancy while congested, so that congestion can
 * clear without new enqueues. */
static void
recheck_congestion(struct emit_sender *s, uint64_t now)
{
	unsigned int used = s->ring_cap - rte_ring_free_count(s->ring);

	EMIT__CTR_MAX(s, ring_max_used, used);
	emit__watermark(s, used, now);
}

/* What emit_poll does once the sender is known open: re-check
 * congestion, retry held events, push a batch that is due (any batch
 * with linger 0). Returns events the ring took; counts no error. */
static int
poll_work(struct emit_sender *s, uint64_t now)
{
	if (s->congested)
		recheck_congestion(s, now);
	if (s->n_pending == 0)
		return 0;
	if (s->slow & EMIT__SLOW_HELD)
		return (int)emit__retry_held(s, now);
	if (s->linger_tsc == 0)
		return emit__flush(s, EMIT_FLUSH_EXPLICIT, now);
	if (now - s->oldest_tsc >= s->linger_tsc)
		return emit__flush(s, EMIT_FLUSH_LINGER, now);
	return 0;
}

int
emit__gate_slow(struct emit_sender *s)
{
	/* Acquire pairs with the release in emit_sender_rate_set. */
	uint32_t w = __atomic_load_n(&s->ctl.word, __ATOMIC_ACQUIRE);
	const uint32_t sticky = EMIT__CTL_PAUSED | EMIT__CTL_CLOSED;

	if ((w ^ s->ctl_seen) & ~sticky) {
		uint64_t rate = __atomic_load_n(&s->ctl.rate,
				__ATOMIC_RELAXED);

		if (rate != s->tb_rate)
			emit__apply_rate(s, rate, emit__now(s));
		/* A clock sample posted by emit_clock_resync. */
		emit__clock_apply(s, emit__now(s));
		s->ctl_seen = w & ~sticky;
	}
	if ((s->slow & EMIT__SLOW_CLOSED) || (w & EMIT__CTL_CLOSED)) {
		if (s->n_pending != 0)
			emit__drop_closed(s);
		EMIT__CTR_ADD(s, err_pipe, 1);
		return -EPIPE;
	}
	if (w & EMIT__CTL_PAUSED) {
		/* No new event joins the batch while paused: let it go as
		 * emit_poll would, so that a caller retrying the claim
		 * loses nothing. */
		if (s->n_pending != 0 || s->congested)
			/* The outcome is in the counters; the claim is
			 * refused either way. */
			(void)poll_work(s, emit__now(s));
		EMIT__CTR_ADD(s, err_again_paused, 1);
		return -EAGAIN;
	}
	if (s->slow & EMIT__SLOW_HELD) {
		emit__retry_held(s, emit__now(s));
		if (s->slow & EMIT__SLOW_HELD) {
			EMIT__CTR_ADD(s, err_nobufs_held, 1);
			return -ENOBUFS;
		}
	}
	if (s->slow & EMIT__SLOW_CONGESTED) {
		uint64_t now = emit__now(s);

		recheck_congestion(s, now);
		if (s->slow & EMIT__SLOW_CONGESTED) {
			/* A refused claim is still a claim: an aged batch
			 * leaves, as the design promises for linger. */
			if (s->linger_tsc != 0)
				emit__linger(s, now);
			EMIT__CTR_ADD(s, err_nobufs_congested, 1);
			return -ENOBUFS;
		}
	}
	return 0;
}

int
emit__room_slow(struct emit_sender *s)
{
	if ((s->slow & EMIT__SLOW_CLOSED) ||
	    (__atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED) &
	     EMIT__CTL_CLOSED)) {
		(void)emit__drop_closed(s);
		return 0;
	}
	if (s->slow & EMIT__SLOW_HELD)
		emit__retry_held(s, emit__now(s));
	if (s->n_pending < s->burst)
		return 0;
	EMIT__CTR_ADD(s, err_nobufs_held, 1);
	return -ENOBUFS;
}

/* Common entry of emit_flush and emit_poll: closed sender or TX side. */
static int
closed_check(struct emit_sender *s)
{
	if ((s->slow & EMIT__SLOW_CLOSED) ||
	    (__atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED) &
	     EMIT__CTL_CLOSED)) {
		if (s->n_pending != 0)
			emit__drop_closed(s);
		EMIT__CTR_ADD(s, err_pipe, 1);
		return -EPIPE;
	}
	return 0;
}

static int
held_result(struct emit_sender *s, int taken)
{
	if (s->slow & EMIT__SLOW_HELD) {
		EMIT__CTR_ADD(s, err_nobufs_held, 1);
		return -ENOBUFS;
	}
	return taken;
}

int
emit_flush(struct emit_sender *s)
{
	uint64_t now;
	int rc;

	if (s == NULL)
		return -EINVAL;
	rc = closed_check(s);
	if (rc != 0 || s->n_pending == 0)
		return rc;
	now = emit__now(s);
	if (s->slow & EMIT__SLOW_HELD)
		return held_result(s, (int)emit__retry_held(s, now));
	rc = emit__flush(s, EMIT_FLUSH_EXPLICIT, now);
	return held_result(s, rc);
}

int
emit_poll(struct emit_sender *s)
{
	int rc;

	if (s == NULL)
		return -EINVAL;
	rc = closed_check(s);
	if (rc != 0)
		return rc;
	if (s->n_pending == 0 && !s->congested)
		return 0;
	return held_result(s, poll_work(s, emit__now(s)));
}
