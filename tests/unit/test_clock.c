/* SPDX-License-Identifier: BSD-3-Clause */
/* Event time against the wall clock, white-box: a driven tick source whose
 * true rate is 0.1 % above its nominal one, a wall clock that follows the
 * true rate, and emit_clock_resync once a (driven) second. Without
 * re-anchoring time_ns would drift by 1 ms per second; with it the error
 * must stay within a few microseconds, and time must never go back, not
 * even when the wall clock is stepped back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include "emit_pvt.h"
#include "test_common.h"

#define NOMINAL_HZ 1000000000ull     /* what the sender is told */
#define TRUE_HZ    1001000000ull     /* what the ticks really do */
#define WALL0      1700000000000000000ull

struct drive {
	uint64_t tick;
	int64_t wall_step;   /* added to the wall clock (a manual step) */
};

static struct drive drv;
static struct rte_mempool *pool;

static uint64_t
drv_ticks(void *arg)
{
	return ((const struct drive *)arg)->tick;
}

/* The wall clock: true seconds since tick 0, plus any step. */
static uint64_t
true_ns(const struct drive *d)
{
	__extension__ typedef unsigned __int128 u128;

	return WALL0 + (uint64_t)((u128)d->tick * 1000000000u / TRUE_HZ);
}

static uint64_t
drv_wall(void *arg)
{
	const struct drive *d = arg;

	return true_ns(d) + (uint64_t)d->wall_step;
}

struct fix {
	struct rte_ring *ring;
	struct emit_sender *s;
};

static int
setup(void **state)
{
	static struct fix f;
	struct emit_sender_conf c;

	drv.tick = 0;
	drv.wall_step = 0;
	emit__clock_source_set(drv_ticks, drv_wall, &drv, NOMINAL_HZ);
	f.ring = emit_test_ring("clk_ring", 4096);
	assert_non_null(f.ring);
	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = f.ring;
	c.id = 1;
	c.burst = 1;
	c.clock = drv_ticks;
	c.clock_arg = &drv;
	c.clock_hz = NOMINAL_HZ;
	f.s = emit_sender_create(&c);
	assert_non_null(f.s);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	emit_sender_free(f->s);
	emit_test_ring_drain(f->ring);
	rte_ring_free(f->ring);
	emit__clock_source_set(NULL, NULL, NULL, 0);
	return 0;
}

/* One event at the current tick: the claim applies a posted sample.
 * Returns the event's time_ns, read back from the frame. */
static uint64_t
event_ns(struct emit_sender *s, struct rte_ring *r)
{
	const struct emit_hdr *h;
	struct rte_mbuf *m = NULL;
	uint64_t ns, v = 0;

	assert_int_equal(emit_send(s, 1, &v, sizeof(v)), 0);
	assert_int_equal(rte_ring_dequeue(r, (void **)&m), 0);
	assert_non_null(m);
	h = rte_pktmbuf_mtod_offset(m, const struct emit_hdr *,
		EMIT_L2L4_LEN);
	ns = rte_be_to_cpu_64(h->time_ns);
	rte_pktmbuf_free(m);
	return ns;
}

static int64_t
err_ns(uint64_t ns)
{
	return (int64_t)(ns - true_ns(&drv));
}

/* Ten driven seconds, an event every 10 ms, a resync every second. */
static void
test_resync_bounds_drift(void **state)
{
	struct fix *f = *state;
	uint64_t prev = 0, ns;
	int64_t e, worst_late = 0;
	unsigned int sec, i;

	assert_int_equal(emit_clock_resync(), 0); /* the reference */
	for (sec = 1; sec <= 10; sec++) {
		for (i = 0; i < 100; i++) {
			drv.tick += TRUE_HZ / 100;
			ns = event_ns(f->s, f->ring);
			assert_true(ns >= prev);
			prev = ns;
			e = err_ns(ns);
			if (e < 0)
				e = -e;
			/* From the third second on: corrected. */
			if (sec >= 3 && e > worst_late)
				worst_late = e;
		}
		/* The resync takes effect at the sender's next claim: the
		 * event time is continuous across it. */
		assert_int_equal(emit_clock_resync(), 1);
		assert_int_equal(event_ns(f->s, f->ring), prev);
	}
	printf("clock: worst error from the third second on: %lld ns "
		"(uncorrected: %llu ns after 10 s)\n", (long long)worst_late,
		(unsigned long long)(10 * (TRUE_HZ - NOMINAL_HZ)));
	assert_true(worst_late < 5000);
}

/* The wall clock stepped back by 50 ms: time slows down (by at most
 * 1/64) and never goes back; after enough seconds it has caught up. */
static void
test_step_back_is_slewed(void **state)
{
	struct fix *f = *state;
	uint64_t prev = 0, ns;
	unsigned int sec, i;
	int64_t e = 0;

	assert_int_equal(emit_clock_resync(), 0);
	for (sec = 1; sec <= 8; sec++) {
		drv.tick += TRUE_HZ;
		assert_true(emit_clock_resync() >= 0);
	}
	drv.wall_step = -50000000;
	for (sec = 1; sec <= 12; sec++) {
		for (i = 0; i < 10; i++) {
			drv.tick += TRUE_HZ / 10;
			ns = event_ns(f->s, f->ring);
			assert_true(ns >= prev);
			prev = ns;
		}
		assert_true(emit_clock_resync() >= 0);
	}
	drv.tick += TRUE_HZ / 10;
	e = (int64_t)(event_ns(f->s, f->ring) - drv_wall(&drv));
	if (e < 0)
		e = -e;
	assert_true(e < 1000000);
}

/* A sender with its own clock, not the measured one, is left alone. */
static void
test_other_clock_untouched(void **state)
{
	struct fix *f = *state;

	(void)f;
	emit__clock_source_set(NULL, NULL, NULL, 0);
	assert_int_equal(emit_clock_resync(), 0);
	rte_delay_us_sleep(2000);
	assert_int_equal(emit_clock_resync(), 0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resync_bounds_drift,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_back_is_slewed,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_clock_untouched,
			setup, teardown),
	};
	int rc;

	if (emit_test_eal_init("clock", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("clk_pool", 511);
	if (pool == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("clock", tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
