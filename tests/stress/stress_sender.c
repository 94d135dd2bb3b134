/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress test, sender lcore: commits exactly its quota of events through a
 * random mix of the single, copy and burst APIs (with partial commits and
 * aborts, flushes and polls), stamping each payload with its seq, its
 * sender and a pattern; refusals (-EAGAIN, -ENOBUFS) are counted and
 * retried, anything else is a failure. Its hooks run here too.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include <rte_mbuf.h>

#include "stress.h"

struct st_round *st_cur;

/* Refusals in a row before the lcore gives its CPU to the others. */
#define ST_YIELD_AFTER 16

static void
st_fill(const struct st_sender *t, void *payload, uint64_t seq,
		uint16_t len)
{
	uint64_t *w = payload;
	unsigned int k;

	w[0] = seq;
	w[1] = ((uint64_t)t->id << 16) | len;
	for (k = 2; k < len / 8u; k++)
		w[k] = st_word(seq, k);
}

/* A refusal: count it, do the idle work, maybe yield. 0, or the error if
 * it is not a refusal. */
static int
st_refused(struct st_sender *t, int rc, const char *where,
		unsigned int *streak)
{
	switch (rc) {
	case -EAGAIN:
		t->again++;
		break;
	case -ENOBUFS:
		t->nobufs++;
		break;
	default:
		st_fail(&t->fail, rc, where);
		return rc;
	}
	rc = emit_poll(t->s);
	if (rc < 0 && rc != -ENOBUFS) {
		st_fail(&t->fail, rc, "emit_poll");
		return rc;
	}
	if (++*streak >= ST_YIELD_AFTER) {
		*streak = 0;
		sched_yield();
	}
	return 0;
}

static int
st_step_claim(struct st_sender *t, unsigned int *streak)
{
	uint64_t seq = t->committed;
	uint16_t len = st_len(t->id, seq);
	void *p = NULL;
	int rc;

	if (!t->single_open) {
		rc = emit_claim(t->s, ST_API_CLAIM, len, &p);
		if (rc != 0)
			return st_refused(t, rc, "emit_claim", streak);
		st_fill(t, p, seq, len);
		t->single_open = 1;
		if (st_rand(&t->rng) % 256 == 0) {
			rc = emit_abort(t->s);
			if (rc != 0) {
				st_fail(&t->fail, rc, "emit_abort");
				return rc;
			}
			t->single_open = 0;
			t->aborted++;
			return 0;
		}
	}
	rc = emit_commit(t->s);
	if (rc != 0)
		return st_refused(t, rc, "emit_commit", streak);
	t->single_open = 0;
	t->by_api[ST_API_CLAIM]++;
	return 1;
}

static int
st_step_send(struct st_sender *t, unsigned int *streak)
{
	uint64_t buf[(ST_MIN_LEN + 8 * ST_LEN_STEPS) / 8];
	uint64_t seq = t->committed;
	uint16_t len = st_len(t->id, seq);
	int rc;

	st_fill(t, buf, seq, len);
	rc = emit_send(t->s, ST_API_SEND, buf, len);
	if (rc != 0)
		return st_refused(t, rc, "emit_send", streak);
	t->by_api[ST_API_SEND]++;
	return 1;
}

/* Claim a burst (one length for all), or commit part of the open one;
 * now and then give the rest back. */
static int
st_step_burst(struct st_sender *t, unsigned int *streak)
{
	void *data[EMIT_BURST_MAX];
	uint64_t left = t->quota - t->committed;
	unsigned int want, k, c;
	uint16_t len;
	int n;

	if (t->open == 0) {
		want = 1 + (unsigned int)(st_rand(&t->rng) % EMIT_BURST_MAX);
		if (want > left)
			want = (unsigned int)left;
		len = st_len(t->id, t->committed);
		n = emit_claim_burst(t->s, ST_API_BURST, len, data, want);
		if (n <= 0)
			return st_refused(t, n == 0 ? -EINVAL : n,
				"emit_claim_burst", streak);
		if ((unsigned int)n > want) {
			st_fail(&t->fail, n, "emit_claim_burst: too many");
			return -EINVAL;
		}
		/* Claims commit in order: the k-th gets seq committed + k. */
		for (k = 0; k < (unsigned int)n; k++)
			st_fill(t, data[k], t->committed + k, len);
		t->open = (unsigned int)n;
	}
	if (st_rand(&t->rng) % 128 == 0) {
		n = emit_abort_burst(t->s);
		if (n != (int)t->open) {
			st_fail(&t->fail, n, "emit_abort_burst");
			return -EINVAL;
		}
		t->aborted += t->open;
		t->open = 0;
		return 0;
	}
	c = 1 + (unsigned int)(st_rand(&t->rng) % t->open);
	n = emit_commit_burst(t->s, c);
	if (n < 0)
		return st_refused(t, n, "emit_commit_burst", streak);
	if (n == 0 || (unsigned int)n > c) {
		st_fail(&t->fail, n, "emit_commit_burst: count");
		return -EINVAL;
	}
	t->open -= (unsigned int)n;
	t->by_api[ST_API_BURST] += (uint64_t)n;
	return n;
}

/* Push everything out at the end: flush until HOLD lets go, or close. */
static void
st_finish(struct st_sender *t)
{
	unsigned int streak = 0;
	int rc;

	if (t->end_close) {
		rc = emit_sender_close(t->s);
		if (rc < 0)
			st_fail(&t->fail, rc, "emit_sender_close");
		return;
	}
	while ((rc = emit_flush(t->s)) == -ENOBUFS) {
		if (++streak >= ST_YIELD_AFTER) {
			streak = 0;
			sched_yield();
		}
	}
	if (rc < 0)
		st_fail(&t->fail, rc, "emit_flush at the end");
}

int
st_sender_main(void *arg)
{
	struct st_sender *t = arg;
	unsigned int streak = 0;
	uint64_t r, refused = 0;
	int n;

	while (t->fail.where == NULL &&
	       (t->committed < t->quota || t->open != 0 || t->single_open)) {
		/* The ring refused events (the backpressure hook counted
		 * them): its TX stage shares a CPU with us, let it run
		 * rather than drop batch after batch. */
		if (t->hook_refused != refused) {
			refused = t->hook_refused;
			sched_yield();
		}
		if (t->single_open) {
			n = st_step_claim(t, &streak);
		} else if (t->open != 0) {
			n = st_step_burst(t, &streak);
		} else {
			r = st_rand(&t->rng) % 100;
			if (r < 35)
				n = st_step_claim(t, &streak);
			else if (r < 55)
				n = st_step_send(t, &streak);
			else if (r < 95)
				n = st_step_burst(t, &streak);
			else if (r < 98)
				n = emit_flush(t->s);
			else
				n = emit_poll(t->s);
			if (r >= 95) {
				if (n < 0 && n != -ENOBUFS)
					st_fail(&t->fail, n, "flush/poll");
				continue;
			}
		}
		if (n > 0) {
			streak = 0;
			__atomic_store_n(&t->committed,
				t->committed + (uint64_t)n, __ATOMIC_RELAXED);
		}
	}
	if (t->fail.where == NULL)
		st_finish(t);
	/* Release: the main lcore reads the results after seeing done. */
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Mark @p n events in their sender's ledger; 0, or -1 if one is foreign. */
static int
st_mark(struct rte_mbuf *const *pkts, unsigned int n, uint64_t *bytes_by,
		uint64_t *count_by)
{
	struct st_round *r = st_cur;
	unsigned int k, i;
	int rc = 0;

	for (k = 0; k < n; k++) {
		const struct emit_hdr *h = rte_pktmbuf_mtod_offset(pkts[k],
				const struct emit_hdr *, EMIT_L2L4_LEN);
		uint64_t seq = rte_be_to_cpu_64(h->seq), bit, old;

		i = (unsigned int)(rte_be_to_cpu_16(h->sender) - ST_ID0);
		if (i >= ST_SENDERS || seq >= r->snd[i].quota) {
			__atomic_fetch_add(&r->ledger_bad, 1, __ATOMIC_RELAXED);
			rc = -1;
			continue;
		}
		bit = 1ull << (seq & 63);
		old = __atomic_fetch_or(&r->snd[i].ledger[seq >> 6], bit,
				__ATOMIC_RELAXED);
		if (old & bit)
			__atomic_fetch_add(&r->twice, 1, __ATOMIC_RELAXED);
		if (bytes_by != NULL)
			bytes_by[i] += pkts[k]->pkt_len;
		if (count_by != NULL)
			count_by[i]++;
	}
	return rc;
}

void
st_sender_drop_hook(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct st_sender *t = arg;
	unsigned int k;

	if (s != t->s || (unsigned int)reason >= ST_REASONS) {
		st_fail(&t->fail, (int)reason, "drop hook: arguments");
		return;
	}
	for (k = 0; k < n; k++) {
		const struct emit_hdr *h = rte_pktmbuf_mtod_offset(pkts[k],
				const struct emit_hdr *, EMIT_L2L4_LEN);

		if (rte_be_to_cpu_16(h->sender) != t->id)
			st_fail(&t->fail, (int)k, "drop hook: foreign event");
	}
	st_mark(pkts, n, NULL, NULL);
	t->hook_drop[reason] += n;
}

void
st_tx_drop_hook(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	struct st_tx *x = arg;

	if (tx != x->tx || (unsigned int)reason >= ST_REASONS) {
		st_fail(&x->fail, (int)reason, "tx drop hook: arguments");
		return;
	}
	if (st_mark(pkts, n, x->hook_bytes_snd, x->hook_drop_snd) != 0)
		st_fail(&x->fail, -1, "tx drop hook: foreign event");
	x->hook_drop[reason] += n;
}

void
st_flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n, void *arg)
{
	struct st_sender *t = arg;

	if (s != t->s || (unsigned int)cause > EMIT_FLUSH_CLOSE || n == 0 ||
	    n > t->conf.burst) {
		st_fail(&t->fail, (int)n, "flush hook: arguments");
		return;
	}
	t->hook_flush[cause]++;
}

void
st_backpressure_hook(struct emit_sender *s, unsigned int refused, void *arg)
{
	struct st_sender *t = arg;

	if (s != t->s || refused == 0 || refused > t->conf.burst) {
		st_fail(&t->fail, (int)refused, "backpressure hook: arguments");
		return;
	}
	t->hook_refused += refused;
}

void
st_congestion_hook(struct emit_sender *s, int congested, unsigned int used,
		void *arg)
{
	struct st_sender *t = arg;

	/* States alternate, starting with an entry; an entry happens at or
	 * above the high watermark, a clearance at or below the low one. */
	if (s != t->s || congested == t->hook_state ||
	    (congested && used < t->conf.wm_high) ||
	    (!congested && used > t->conf.wm_low)) {
		st_fail(&t->fail, congested, "congestion hook: arguments");
		return;
	}
	t->hook_state = congested;
	if (congested)
		t->hook_congested++;
}
