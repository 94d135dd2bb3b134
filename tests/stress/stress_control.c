/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress test, control lcore: while traffic runs, a random stream of
 * control operations from a thread that owns nothing: counter snapshots
 * of senders and TX stages (every counter must be monotonic between two
 * snapshots: a counter that goes back lost counts, or was torn), rate
 * changes (read back at once), pause and resume (the sender must see the
 * pause: its paused refusals move, unless it has finished), the "any
 * thread" getters, and xstats reads and resets and telemetry queries
 * (stress_xstats.c).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "stress.h"

struct st_ctl {
	struct st_round *r;
	uint64_t rng;
	struct emit_sender_stats prev[ST_SENDERS];
	struct emit_tx_stats prev_tx[ST_TX];
	/* xstats: acc + value at the previous read, per object and id */
	uint64_t xprev_snd[ST_SENDERS * ST_XS_MAX];
	uint64_t xprev_tx[ST_TX * ST_XS_MAX];
};

static int
st_quit(const struct st_ctl *c)
{
	return __atomic_load_n(&c->r->ctl_quit, __ATOMIC_RELAXED);
}

static int
st_sender_done(const struct st_sender *t)
{
	return __atomic_load_n(&t->done, __ATOMIC_ACQUIRE);
}

/* Every field of @p cur at least that of @p prev; then prev = cur. */
static int
st_monotonic(void *prev, const void *cur, size_t n)
{
	uint64_t *p = prev;
	const uint64_t *q = cur;
	size_t k;

	for (k = 0; k < n; k++)
		if (q[k] < p[k])
			return (int)k + 1;
	memcpy(prev, cur, n * sizeof(uint64_t));
	return 0;
}

static void
st_read_sender(struct st_ctl *c, unsigned int i)
{
	struct emit_sender_stats st;
	struct emit_sender *s = c->r->snd[i].s;
	int rc;

	rc = emit_sender_stats_get(s, &st);
	if (rc != 0) {
		st_fail(&c->r->ctl_fail, rc, "emit_sender_stats_get");
		return;
	}
	rc = st_monotonic(&c->prev[i], &st, EMIT_SENDER_NB_STATS);
	if (rc != 0)
		st_fail(&c->r->ctl_fail, rc - 1, "sender counter (index) went back");
	rc = emit_sender_congested(s);
	if (rc != 0 && rc != 1)
		st_fail(&c->r->ctl_fail, rc, "emit_sender_congested");
	/* Reads the sender's clock from this thread (st_clock_read is
	 * safe for that). */
	(void)emit_sender_rate_achieved(s);
	c->r->ctl.stats_reads++;
}

static void
st_read_tx(struct st_ctl *c, unsigned int j)
{
	struct emit_tx_stats st;
	int rc;

	rc = emit_tx_stats_get(c->r->tx[j].tx, &st);
	if (rc != 0) {
		st_fail(&c->r->ctl_fail, rc, "emit_tx_stats_get");
		return;
	}
	rc = st_monotonic(&c->prev_tx[j], &st, EMIT_TX_NB_STATS);
	if (rc != 0)
		st_fail(&c->r->ctl_fail, rc - 1, "TX counter (index) went back");
	(void)emit_tx_in_rings(c->r->tx[j].tx);
	c->r->ctl.stats_reads++;
}

/* A rate the sender can live with: unlimited, or for a TSC sender 1 to
 * 10 M events/s, for a sender on the test clock one event per 2 to 8
 * clock reads (each claim and commit reads it once). */
uint64_t
st_pick_rate(const struct st_sender *t, uint64_t *rng)
{
	uint64_t per_read;

	if (st_rand(rng) % 3 == 0)
		return 0;
	if (t->conf.clock == NULL)
		return 1000000 + st_rand(rng) % 9000001;
	per_read = t->conf.clock_hz / t->vclock.step;
	return per_read / (2 + st_rand(rng) % 7);
}

static void
st_change_rate(struct st_ctl *c, unsigned int i)
{
	struct st_sender *t = &c->r->snd[i];
	uint64_t rate = st_pick_rate(t, &c->rng);
	int rc;

	rc = emit_sender_rate_set(t->s, rate);
	if (rc != 0 || emit_sender_rate_get(t->s) != rate)
		st_fail(&c->r->ctl_fail, rc, "emit_sender_rate_set");
	c->r->ctl.rate_changes++;
}

/* Pause until the sender has refused a claim for it (or finished). */
static void
st_pause(struct st_ctl *c, unsigned int i)
{
	struct st_sender *t = &c->r->snd[i];
	struct emit_sender_stats st;
	uint64_t before;
	int rc;

	if (emit_sender_stats_get(t->s, &st) != 0)
		return;
	before = st.err_again_paused;
	rc = emit_sender_pause(t->s);
	if (rc != 0 || emit_sender_paused(t->s) != 1) {
		st_fail(&c->r->ctl_fail, rc, "emit_sender_pause");
		return;
	}
	while (!st_sender_done(t) && !st_quit(c)) {
		if (emit_sender_stats_get(t->s, &st) == 0 &&
		    st.err_again_paused != before)
			break;
		/* Other senders keep going meanwhile. */
		st_read_sender(c, (unsigned int)(st_rand(&c->rng) %
				ST_SENDERS));
		sched_yield();
	}
	rc = emit_sender_resume(t->s);
	if (rc != 0 || emit_sender_paused(t->s) != 0)
		st_fail(&c->r->ctl_fail, rc, "emit_sender_resume");
	c->r->ctl.pauses++;
}

int
st_control_main(void *arg)
{
	struct st_ctl *c = calloc(1, sizeof(*c));
	struct st_round *r = arg;
	struct st_tel *tel;
	unsigned int i, op;

	if (c == NULL) {
		st_fail(&r->ctl_fail, -ENOMEM, "control state");
		__atomic_store_n(&r->ctl_done, 1, __ATOMIC_RELEASE);
		return 0;
	}
	c->r = r;
	c->rng = r->seed ^ 0xc0117401ull;
	tel = st_tel_open(&r->ctl_fail);
	while (!st_quit(c) && r->ctl_fail.where == NULL) {
		op = (unsigned int)(st_rand(&c->rng) % 20);
		i = (unsigned int)(st_rand(&c->rng) % ST_SENDERS);
		if (op < 6)
			st_read_sender(c, i);
		else if (op < 8)
			st_read_tx(c, i % ST_TX);
		else if (op < 11)
			st_change_rate(c, i);
		else if (op < 12)
			st_pause(c, i);
		else
			st_xs_op(r, tel, &c->rng, c->xprev_snd, c->xprev_tx);
		sched_yield();
	}
	st_tel_close(tel);
	free(c);
	__atomic_store_n(&r->ctl_done, 1, __ATOMIC_RELEASE);
	return 0;
}
