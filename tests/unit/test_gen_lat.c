/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen latency: histograms merged bucket by bucket give the figures of
 * all their samples together, converted to ns; clocks that differ are
 * refused. No EAL. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gen_lat.h"

/* Large: kept off the stack. */
static struct emit_hist a, b, all;
static struct gen_lat lat, lat2;

static void
record(struct emit_hist *h, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		emit_hist_record(h, v);
		emit_hist_record(&all, v);
	}
}

static void
same_summary(const struct emit_hist_summary *x,
		const struct emit_hist_summary *y)
{
	assert_int_equal(x->samples, y->samples);
	assert_int_equal(x->min, y->min);
	assert_int_equal(x->max, y->max);
	assert_int_equal(x->mean, y->mean);
	assert_int_equal(x->p50, y->p50);
	assert_int_equal(x->p90, y->p90);
	assert_int_equal(x->p99, y->p99);
	assert_int_equal(x->p999, y->p999);
}

/* Two stages with different figures: the merge is what one histogram of
 * every sample says, not an average of the stages' percentiles. */
static void
test_merge(void **state)
{
	struct emit_hist_summary sa, sb, sall, m;

	(void)state;
	emit_hist_init(&a);
	emit_hist_init(&b);
	emit_hist_init(&all);
	record(&a, 100, 99);
	record(&a, 10000, 1);
	record(&b, 1000, 100);
	assert_int_equal(emit_hist_summarize(&a, NULL, &sa), 0);
	assert_int_equal(emit_hist_summarize(&b, NULL, &sb), 0);
	assert_int_equal(emit_hist_summarize(&all, NULL, &sall), 0);

	gen_lat_init(&lat);
	gen_lat_summary(&lat, NULL, &m);
	assert_int_equal(m.samples, 0);
	assert_int_equal(m.p99, 0);
	/* 1 GHz: a tick is a ns, the figures are those of the ticks. */
	assert_int_equal(gen_lat_add(&lat, &a, 1000000000), 0);
	assert_int_equal(gen_lat_add(&lat, &b, 1000000000), 0);
	gen_lat_summary(&lat, NULL, &m);
	same_summary(&m, &sall);
	assert_int_equal(m.samples, 200);
	assert_int_equal(m.min, 100);
	assert_int_equal(m.max, 10000);
	assert_int_equal(m.mean, (99 * 100 + 10000 + 100 * 1000) / 200);
	/* Rank 100 of 200 is a 1000, reported as the top of its bucket
	 * (1007); the stages' medians are 101 (the top of 100's bucket) and
	 * 1000 (clamped to that stage's max). */
	assert_int_equal(m.p50, 1007);
	assert_int_equal(sa.p50, 101);
	assert_int_equal(sb.p50, 1000);
	assert_true(m.p50 != (sa.p50 + sb.p50) / 2);
	assert_int_equal(m.p99, 1007);
	assert_true(m.p99 != (sa.p99 + sb.p99) / 2);
	assert_int_equal(m.p999, 10000);
	assert_true(m.p50 <= m.p90 && m.p90 <= m.p99 && m.p99 <= m.p999 &&
		m.p999 <= m.max);
	/* Merge order does not matter. */
	gen_lat_init(&lat2);
	assert_int_equal(gen_lat_add(&lat2, &b, 1000000000), 0);
	assert_int_equal(gen_lat_add(&lat2, &a, 1000000000), 0);
	gen_lat_summary(&lat2, NULL, &sa);
	same_summary(&sa, &m);
}

/* Since a baseline: only what was added after it (the progress line). */
static void
test_period(void **state)
{
	struct emit_hist_base base;
	struct emit_hist_summary m;

	(void)state;
	emit_hist_init(&a);
	emit_hist_init(&b);
	emit_hist_init(&all);
	record(&a, 100, 50);
	record(&b, 100, 50);
	gen_lat_init(&lat);
	assert_int_equal(gen_lat_add(&lat, &a, 1000000000), 0);
	assert_int_equal(gen_lat_add(&lat, &b, 1000000000), 0);
	assert_int_equal(emit_hist_base_take(&lat.h, &base), 0);
	record(&b, 5000, 10);
	gen_lat_init(&lat);
	assert_int_equal(gen_lat_add(&lat, &a, 1000000000), 0);
	assert_int_equal(gen_lat_add(&lat, &b, 1000000000), 0);
	gen_lat_summary(&lat, &base, &m);
	assert_int_equal(m.samples, 10);
	assert_true(m.p99 >= 5000 && m.p99 <= 5000 + 5000 / 32);
	gen_lat_summary(&lat, NULL, &m);
	assert_int_equal(m.samples, 110);
}

/* Ticks to ns at the clock's rate; different rates are not merged. */
static void
test_clock(void **state)
{
	struct emit_hist_summary m;

	(void)state;
	emit_hist_init(&a);
	emit_hist_init(&b);
	emit_hist_init(&all);
	record(&a, 2000, 10);
	record(&b, 3000, 1);
	gen_lat_init(&lat);
	/* 2 GHz: 2000 ticks are 1000 ns. */
	assert_int_equal(gen_lat_add(&lat, &a, 2000000000), 0);
	gen_lat_summary(&lat, NULL, &m);
	assert_int_equal(m.samples, 10);
	assert_int_equal(m.min, 1000);
	assert_int_equal(m.max, 1000);
	assert_int_equal(m.mean, 1000);
	assert_int_equal(m.p50, 1000);
	/* Another rate, or none: refused, nothing added. */
	assert_int_equal(gen_lat_add(&lat, &b, 1000000000), -EINVAL);
	assert_int_equal(gen_lat_add(&lat, &b, 0), -EINVAL);
	gen_lat_summary(&lat, NULL, &m);
	assert_int_equal(m.samples, 10);
	assert_int_equal(m.max, 1000);
	gen_lat_init(&lat);
	assert_int_equal(gen_lat_add(&lat, &b, 0), -EINVAL);
	assert_int_equal(lat.hz, 0);
	assert_int_equal(lat.h.count, 0);
}

static void
test_format(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(gen_lat_format(0, buf, sizeof(buf)), "0 ns");
	assert_string_equal(gen_lat_format(850, buf, sizeof(buf)), "850 ns");
	assert_string_equal(gen_lat_format(12345, buf, sizeof(buf)),
		"12.3 us");
	assert_string_equal(gen_lat_format(4560000, buf, sizeof(buf)),
		"4.56 ms");
	assert_string_equal(gen_lat_format(1200000000, buf, sizeof(buf)),
		"1.20 s");
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("gen_lat", tests, NULL, NULL);
}
