/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen sender loop: claim, fill, commit, drain. */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>

#include "gen_step.h"

void
gen_ctx_init(struct gen_ctx *c, const struct gen_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->count = o->count != 0 ? o->count : UINT64_MAX;
	c->len = (uint16_t)(o->size - EMIT_FRAME_OVERHEAD);
	c->type = o->type;
	c->burst = (uint16_t)o->burst;
	c->pattern = o->pattern;
}

void
gen_fill(void *const *data, unsigned int n, uint16_t len,
		enum gen_pattern pattern, uint64_t *counter)
{
	unsigned int i, k, words = len / 8u, tail = len % 8u;

	if (pattern == GEN_PATTERN_ZERO) {
		for (i = 0; i < n; i++)
			memset(data[i], 0, len);
		*counter += n;
		return;
	}
	for (i = 0; i < n; i++) {
		uint64_t be = rte_cpu_to_be_64(*counter + i);
		uint64_t *w = data[i];

		for (k = 0; k < words; k++)
			w[k] = be;
		if (tail != 0)
			memcpy(w + words, &be, tail);
	}
	*counter += n;
}

/* Decide whether this sender stops generating now. */
static void
check_stop(struct gen_ctx *c, struct gen_worker *w)
{
	uint64_t now;

	if (__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		w->stop = GEN_STOP_SIGNAL;
		w->end_tsc = rte_rdtsc();
	} else if (w->counter >= c->count) {
		w->stop = GEN_STOP_COUNT;
		w->end_tsc = rte_rdtsc();
	} else if (c->deadline_tsc != 0) {
		now = rte_rdtsc();
		if (now >= c->deadline_tsc) {
			/* Pacing is measured up to the deadline, even when
			 * this lcore notices it late. */
			w->stop = GEN_STOP_DURATION;
			w->end_tsc = c->deadline_tsc;
		}
	}
}

/* Commit claims a full held batch kept open. */
static int
commit_open(struct emit_sender *s, struct gen_worker *w)
{
	int k = emit_commit_burst(s, w->open);

	if (k > 0)
		w->open -= (unsigned int)k;
	else if (k != -ENOBUFS)
		return k;
	return 0;
}

/* Push the last batch; done once the ring took it (or the policy dropped
 * it, with its counter). */
static int
drain(struct emit_sender *s)
{
	int rc = emit_flush(s);

	if (rc == -ENOBUFS)
		return 0; /* HOLD: the TX stage is emptying the ring */
	return rc < 0 ? rc : 1;
}

int
gen_step(struct emit_sender *s, unsigned int idx, void *arg)
{
	struct gen_ctx *c = arg;
	struct gen_worker *w = &c->w[idx];
	void *data[EMIT_BURST_MAX];
	uint64_t left;
	int n, k;

	if (likely(w->stop == GEN_STOP_NONE))
		check_stop(c, w);
	if (w->open != 0)
		return commit_open(s, w);
	if (w->stop != GEN_STOP_NONE)
		return drain(s);
	left = c->count - w->counter;
	n = emit_claim_burst(s, c->type, c->len, data,
		left < c->burst ? (unsigned int)left : c->burst);
	if (unlikely(n < 0)) {
		switch (n) {
		case -EAGAIN:   /* rate limit: not yet */
		case -ENOBUFS:  /* HOLD: the ring is full */
			return 0;
		case -ENOMEM:   /* cannot happen with the pool rule */
			emit_poll(s);
			return 0;
		default:
			return n;
		}
	}
	gen_fill(data, (unsigned int)n, c->len, c->pattern, &w->counter);
	k = emit_commit_burst(s, (unsigned int)n);
	if (k == -ENOBUFS)
		k = 0;
	else if (k < 0)
		return k;
	w->open = (unsigned int)(n - k);
	return 0;
}
