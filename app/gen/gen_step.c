/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen sender loop: claim, fill, commit, drain. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>

#include "gen_step.h"

void
gen_ctx_init(struct gen_ctx *c, const struct gen_opts *o,
		const struct gen_pcap *replay)
{
	memset(c, 0, sizeof(*c));
	c->count = o->count != 0 ? o->count : UINT64_MAX;
	c->replay = replay;
	c->replay_end = UINT64_MAX;
	if (replay != NULL && o->loops != 0)
		c->replay_end = (uint64_t)replay->nb * o->loops;
	if (replay != NULL && o->replay_timing)
		c->replay_tsc_per_ns = (double)rte_get_tsc_hz() / 1e9;
	gen_opts_frame(o, &c->frame);
	/* --size B: the payload fills the frame; a size mix (or a frame
	 * with the compact header) sets each length, the claims carry 0.
	 * A replay claims raw frames of the capture's lengths. */
	if (replay == NULL && c->frame.size.mode == EMIT_SIZE_CLAIM)
		c->len = (uint16_t)(o->size - (uint32_t)emit_frame_l2l4_len(
			&c->frame) - EMIT_HDR_LEN);
	else
		c->len = 0;
	c->type = o->type;
	c->burst = (uint16_t)o->burst;
	c->wire_bits = ((uint64_t)o->size + GEN_WIRE_OVERHEAD) * 8;
	c->pattern = o->pattern;
}

void
gen_fill(void *const *data, unsigned int n, uint16_t len,
		enum gen_pattern pattern, uint64_t *counter)
{
	unsigned int i, k, words = len / 8u, tail = len % 8u;

	if (pattern == GEN_PATTERN_NONE) {
		*counter += n;
		return;
	}
	if (pattern == GEN_PATTERN_ZERO) {
		for (i = 0; i < n; i++)
			memset(data[i], 0, len);
		*counter += n;
		return;
	}
	for (i = 0; i < n; i++) {
		uint64_t v = *counter + i, be = rte_cpu_to_be_64(v);
		uint64_t *w = data[i];
		uint8_t *t = (uint8_t *)(w + words);

		for (k = 0; k < words; k++)
			w[k] = be;
		/* Tail: the leading bytes of the big-endian value. */
		for (k = 0; k < tail; k++)
			t[k] = (uint8_t)(v >> (56 - 8 * k));
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
	} else if (w->counter >= c->replay_end) {
		w->stop = GEN_STOP_REPLAY;
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

/* Push the last batch; the pipeline's sender_finish() then waits for a
 * batch HOLD keeps from a full ring, as long as the TX stage drains it. */
static int
drain(struct emit_sender *s)
{
	int rc = emit_flush(s);

	return rc < 0 && rc != -ENOBUFS ? rc : 1;
}

/* Shortest wait worth a sleep, longest sleep (ns): a sleeping sender
 * is woken on time by the scheduler even on a busy CPU, and spends no CPU
 * time on a rate it cannot exceed anyway. */
#define SLEEP_MIN_NS 20000u
#define SLEEP_MAX_NS 1000000u

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts;

	if (ns > SLEEP_MAX_NS)
		ns = SLEEP_MAX_NS;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}

/* No token yet: wait for about a burst's worth at the current rate.
 * Before sleeping, push the partial batch, so that at low rates events
 * leave when they are made rather than when a burst is full. */
static void
rate_wait(struct emit_sender *s, const struct gen_ctx *c)
{
	uint64_t r = emit_sender_rate_get(s), ns;

	/* A bit rate: events/s at the mean frame. */
	if (emit_sender_rate_unit(s) == EMIT_RATE_BITS)
		r /= c->wire_bits;
	ns = r != 0 ? (uint64_t)c->burst * 1000000000u / r : SLEEP_MAX_NS;
	if (ns < SLEEP_MIN_NS)
		return;
	(void)emit_flush(s); /* -ENOBUFS: held, retried on the next claim */
	sleep_ns(ns);
}

/* Before the first claim of a rate-limited sender; 1 while waiting. */
static int
start_wait(struct gen_worker *w)
{
	uint64_t now = rte_rdtsc();

	if (now >= w->not_before_tsc) {
		w->not_before_tsc = 0;
		return 0;
	}
	sleep_ns((w->not_before_tsc - now) * 1000000000u / rte_get_tsc_hz());
	return 1;
}

/* A claim refused with @p rc: 0 to try again on the next step (rate
 * limit, a full ring under HOLD, a pool that ran dry), else @p rc, which
 * ends the lcore's run. */
static int
claim_refused(struct emit_sender *s, const struct gen_ctx *c, int rc)
{
	switch (rc) {
	case -EAGAIN:   /* rate limit: not yet */
		rate_wait(s, c);
		return 0;
	case -ENOBUFS:  /* HOLD: the ring is full */
		return 0;
	case -ENOMEM:   /* cannot happen with the pool rule */
		emit_poll(s);
		return 0;
	default:
		return rc;
	}
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
	if (unlikely(w->not_before_tsc != 0) && start_wait(w))
		return 0;
	left = c->count - w->counter;
	n = emit_claim_burst(s, c->type, c->len, data,
		left < c->burst ? (unsigned int)left : c->burst);
	if (unlikely(n < 0))
		return claim_refused(s, c, n);
	gen_fill(data, (unsigned int)n, c->len, c->pattern, &w->counter);
	k = emit_commit_burst(s, (unsigned int)n);
	if (k == -ENOBUFS)
		k = 0;
	else if (k < 0)
		return k;
	w->open = (unsigned int)(n - k);
	return 0;
}

/* --replay-timing: 1 if frame k of the current loop is not due yet (the
 * partial batch was pushed, and the lcore slept or will spin). */
static int
replay_not_due(struct emit_sender *s, const struct gen_ctx *c,
		struct gen_worker *w)
{
	const struct gen_pcap *p = c->replay;
	uint64_t now = rte_rdtsc(), due, period, ns;

	if (w->replay_base_tsc == 0) {
		w->replay_base_tsc = now;
		return 0;
	}
	period = p->rel_ns[p->nb - 1] + p->loop_gap_ns;
	ns = w->replay_loop * period + p->rel_ns[w->replay_idx];
	due = w->replay_base_tsc + (uint64_t)((double)ns *
		c->replay_tsc_per_ns);
	if ((int64_t)(due - now) <= 0)
		return 0;
	(void)emit_flush(s); /* -ENOBUFS: held, retried on the next claim */
	ns = (uint64_t)((double)(due - now) / c->replay_tsc_per_ns);
	if (ns >= SLEEP_MIN_NS)
		sleep_ns(ns);
	return 1;
}

/* The open raw claim, which HOLD kept from a full batch. */
static int
replay_commit_open(struct emit_sender *s, struct gen_worker *w)
{
	int rc = emit_commit(s);

	if (rc == 0)
		w->open = 0;
	else if (rc != -ENOBUFS)
		return rc;
	return 0;
}

int
gen_replay_step(struct emit_sender *s, unsigned int idx, void *arg)
{
	struct gen_ctx *c = arg;
	struct gen_worker *w = &c->w[idx];
	const struct gen_pcap *p = c->replay;
	void *frame = NULL;
	unsigned int i;
	uint32_t k;
	int rc;

	if (likely(w->stop == GEN_STOP_NONE))
		check_stop(c, w);
	if (w->open != 0)
		return replay_commit_open(s, w);
	if (w->stop != GEN_STOP_NONE)
		return drain(s);
	if (unlikely(w->not_before_tsc != 0) && start_wait(w))
		return 0;
	/* Up to a burst of frames per step, then the stop is checked. */
	for (i = 0; i < c->burst && w->counter < c->count &&
	     w->counter < c->replay_end; i++) {
		k = w->replay_idx;
		if (c->replay_tsc_per_ns != 0 && replay_not_due(s, c, w))
			return 0;
		rc = emit_claim_raw(s, p->len[k], &frame);
		if (unlikely(rc != 0)) /* 0 or a negative errno */
			return claim_refused(s, c, rc);
		memcpy(frame, p->data + p->off[k], p->len[k]);
		w->counter++;
		if (++w->replay_idx == p->nb) {
			w->replay_idx = 0;
			w->replay_loop++;
		}
		rc = emit_commit(s);
		if (rc == -ENOBUFS) {
			w->open = 1;
			return 0;
		} else if (rc < 0) {
			return rc;
		}
	}
	return 0;
}
