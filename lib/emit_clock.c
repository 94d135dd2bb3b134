/* SPDX-License-Identifier: BSD-3-Clause */
/* Event time on the wall clock: the tick rate measured against
 * CLOCK_REALTIME by emit_clock_resync (control path), applied by each
 * sender's owner as a slew that keeps time_ns continuous and monotonic. */
#include <errno.h>
#include <time.h>

#include <rte_cycles.h>

#include "emit_pvt.h"

/* Where ticks and wall time come from: the TSC and CLOCK_REALTIME, or
 * what a test installed (emit__clock_source_set). */
static struct {
	emit_clock_fn ticks;     /* NULL: rte_rdtsc() */
	emit_clock_fn wall_ns;   /* NULL: CLOCK_REALTIME */
	void *arg;
	uint64_t hz;             /* nominal ticks per second; 0: TSC's */
} src;

/* The reference of the next measurement; resync_lock serialises callers
 * (control path only). */
static rte_spinlock_t resync_lock = RTE_SPINLOCK_INITIALIZER;
static struct {
	uint64_t tick;
	uint64_t wall;
	int valid;
} ref;

/* The last sample, read by the owners: written under a sequence count
 * (odd while written) so that an owner reads the four fields as one. */
static struct {
	uint32_t sc;
	uint32_t gen;            /* +1 per sample, never 0 once posted */
	uint64_t tick;           /* ticks at the sample */
	uint64_t wall;           /* wall ns at the sample */
	uint64_t mult;           /* measured ns per tick, << 32 */
	uint64_t span;           /* ticks the rate was measured over */
} smp;

void
emit__clock_source_set(emit_clock_fn ticks, emit_clock_fn wall_ns,
		void *arg, uint64_t hz)
{
	rte_spinlock_lock(&resync_lock);
	src.ticks = ticks;
	src.wall_ns = wall_ns;
	src.arg = arg;
	src.hz = hz;
	ref.valid = 0;
	rte_spinlock_unlock(&resync_lock);
}

int
emit__clock_wall_ns(uint64_t *ns)
{
	struct timespec ts;

	if (src.wall_ns != NULL) {
		*ns = src.wall_ns(src.arg);
		return 0;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -EIO;
	*ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	return 0;
}

int
emit__clock_synced(const struct emit_sender *s)
{
	return s->clock == src.ticks;
}

/* Tell a sender that a sample is posted: the generation bump sends its
 * owner through emit__gate_slow. */
static int
post_one(struct emit_sender *s, void *arg)
{
	unsigned int *n = arg;

	if (!emit__clock_synced(s))
		return 0;
	/* Release pairs with the acquire load in emit__gate_slow. */
	__atomic_fetch_add(&s->ctl.word, EMIT__CTL_GEN, __ATOMIC_RELEASE);
	(*n)++;
	return 0;
}

int
emit_clock_resync(void)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t tick, wall, hz, span;
	uint32_t gen;
	unsigned int n = 0;
	int rc;

	rte_spinlock_lock(&resync_lock);
	hz = src.hz != 0 ? src.hz : rte_get_tsc_hz();
	/* Ticks first, then the wall clock, as a sender anchors. */
	tick = src.ticks != NULL ? src.ticks(src.arg) : rte_rdtsc();
	rc = emit__clock_wall_ns(&wall);
	if (rc != 0) {
		rte_spinlock_unlock(&resync_lock);
		return rc;
	}
	span = tick - ref.tick;
	if (!ref.valid || span < hz / 1000 || span > UINT64_MAX / 2 ||
	    wall <= ref.wall) {
		/* First call, too short a span, or a clock that went back:
		 * take the reference only. */
		ref.tick = tick;
		ref.wall = wall;
		ref.valid = 1;
		rte_spinlock_unlock(&resync_lock);
		return 0;
	}
	/* Sequence count: odd while the fields change. The release fence
	 * orders the odd count before the field stores; the release store
	 * of the even count orders them before it. Pairs with
	 * emit__clock_apply. */
	__atomic_store_n(&smp.sc, smp.sc + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&smp.tick, tick, __ATOMIC_RELAXED);
	__atomic_store_n(&smp.wall, wall, __ATOMIC_RELAXED);
	__atomic_store_n(&smp.mult, (uint64_t)(((u128)(wall - ref.wall) << 32)
		/ span), __ATOMIC_RELAXED);
	__atomic_store_n(&smp.span, span, __ATOMIC_RELAXED);
	/* 0 is "none applied yet" for the senders: skipped on wrap. */
	gen = smp.gen == UINT32_MAX ? 1u : smp.gen + 1u;
	__atomic_store_n(&smp.gen, gen, __ATOMIC_RELAXED);
	__atomic_store_n(&smp.sc, smp.sc + 1, __ATOMIC_RELEASE);
	ref.tick = tick;
	ref.wall = wall;
	emit__reg_foreach(NULL, post_one, &n);
	rte_spinlock_unlock(&resync_lock);
	return (int)n;
}

void
emit__clock_apply(struct emit_sender *s, uint64_t now)
{
	__extension__ typedef unsigned __int128 u128;
	__extension__ typedef __int128 i128;
	uint64_t tick, wall, mult, span, cur, est, max;
	uint32_t sc, gen;
	i128 corr;

	if (!emit__clock_synced(s))
		return;
	sc = __atomic_load_n(&smp.sc, __ATOMIC_ACQUIRE);
	gen = __atomic_load_n(&smp.gen, __ATOMIC_RELAXED);
	if ((sc & 1) || gen == s->clk_gen)
		return;
	tick = __atomic_load_n(&smp.tick, __ATOMIC_RELAXED);
	wall = __atomic_load_n(&smp.wall, __ATOMIC_RELAXED);
	mult = __atomic_load_n(&smp.mult, __ATOMIC_RELAXED);
	span = __atomic_load_n(&smp.span, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	/* Being written again: that writer posts once more, and the owner
	 * comes back. */
	if (__atomic_load_n(&smp.sc, __ATOMIC_RELAXED) != sc)
		return;
	s->clk_gen = gen;
	if (mult == 0 || span == 0)
		return;
	/* The wall clock now, from the sample at the measured rate; a
	 * sample read a little after its own ticks counts from now. */
	est = now - tick < UINT64_MAX / 2 ?
		wall + (uint64_t)(((u128)(now - tick) * mult) >> 32) : wall;
	cur = emit__ns(s, now);
	/* Close the offset over one more span: the rate differs from the
	 * measured one by offset / span, at most 1/64 of it. */
	corr = (i128)(int64_t)(est - cur) * ((i128)1 << 32) / (i128)span;
	max = mult >> 6;
	if (corr > (i128)max)
		corr = (i128)max;
	if (corr < -(i128)max)
		corr = -(i128)max;
	/* Continuous at now: the new line starts where the old one is, so
	 * time never steps; the rate stays positive, so it never falls. */
	s->ns_anchor = cur;
	s->tsc_anchor = now;
	s->time_mult = (uint64_t)((i128)mult + corr);
}
