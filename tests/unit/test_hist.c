/* SPDX-License-Identifier: BSD-3-Clause */
/* Histogram tests: bucket layout, quantiles against known distributions
 * (checked against the exact quantiles of the sorted samples), baselines,
 * argument checks. Pure computation: no EAL. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <emit_hist.h>

#include "test_common.h"

#define NS_MAX 200000

static struct emit_hist h;
static uint64_t samples[NS_MAX];

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Exact quantile of sorted v[0..n): the sample of rank ceil(n q). */
static uint64_t
exact_q(const uint64_t *v, unsigned int n, uint32_t q_ppm)
{
	uint64_t r = ((uint64_t)n * q_ppm + 999999) / 1000000;

	return v[(r == 0 ? 1 : r) - 1];
}

/* Record v[0..n), then check every summary field against the exact
 * figures: reported quantiles are >= the exact value and within one
 * bucket (1/32) above it. */
static void
check_distribution(uint64_t *v, unsigned int n)
{
	static const uint32_t qs[] = { 500000, 900000, 990000, 999000 };
	struct emit_hist_summary sum;
	uint64_t total = 0, got[4];
	unsigned int i;

	emit_hist_init(&h);
	for (i = 0; i < n; i++) {
		emit_hist_record(&h, v[i]);
		total += v[i];
	}
	qsort(v, n, sizeof(v[0]), cmp_u64);
	assert_int_equal(emit_hist_summarize(&h, NULL, &sum), 0);
	assert_int_equal(sum.samples, n);
	assert_int_equal(sum.min, v[0]);
	assert_int_equal(sum.max, v[n - 1]);
	assert_int_equal(sum.mean, total / n);
	got[0] = sum.p50;
	got[1] = sum.p90;
	got[2] = sum.p99;
	got[3] = sum.p999;
	for (i = 0; i < RTE_DIM(qs); i++) {
		uint64_t want = exact_q(v, n, qs[i]), one;

		assert_true(got[i] >= want);
		assert_true(got[i] <= want + want / 32);
		assert_int_equal(emit_hist_quantile(&h, NULL, qs[i], &one), 0);
		assert_int_equal(one, got[i]);
	}
}

static void
test_layout(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(emit_hist_bucket_low(0), 0);
	for (i = 0; i + 1 < EMIT_HIST_NB_BUCKETS; i++) {
		uint64_t lo = emit_hist_bucket_low(i);
		uint64_t hi = emit_hist_bucket_high(i);

		/* Buckets tile the range without gaps or overlap. */
		assert_true(lo <= hi);
		assert_int_equal(emit_hist_bucket_low(i + 1), hi + 1);
		assert_int_equal(emit_hist_index(lo), i);
		assert_int_equal(emit_hist_index(hi), i);
		/* Width at most 1/32 of the values, 1 below 64. */
		if (lo < 64)
			assert_int_equal(lo, hi);
		else
			assert_true(hi - lo + 1 <= lo / 32);
	}
	assert_int_equal(emit_hist_bucket_high(EMIT_HIST_NB_BUCKETS - 1),
		UINT64_MAX);
	assert_int_equal(emit_hist_index(UINT64_MAX), EMIT_HIST_NB_BUCKETS - 1);
	assert_int_equal(emit_hist_bucket_low(EMIT_HIST_NB_BUCKETS - 1),
		63ull << 58);
	assert_int_equal(emit_hist_bucket_low(EMIT_HIST_NB_BUCKETS),
		UINT64_MAX);
	assert_int_equal(emit_hist_bucket_high(EMIT_HIST_NB_BUCKETS),
		UINT64_MAX);
}

static void
test_uniform(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 100000; i++)
		samples[i] = i + 1;
	check_distribution(samples, 100000);
	/* Below 64 every value is exact. */
	for (i = 0; i < 50; i++)
		samples[i] = i + 1;
	check_distribution(samples, 50);
	assert_int_equal(h.buckets[25], 1);
}

static void
test_constant(void **state)
{
	struct emit_hist_summary sum;
	unsigned int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		samples[i] = 12345;
	check_distribution(samples, 1000);
	/* Clamped to the exact min and max: no bucket rounding. */
	emit_hist_summarize(&h, NULL, &sum);
	assert_int_equal(sum.p50, 12345);
	assert_int_equal(sum.p999, 12345);
}

static void
test_bimodal(void **state)
{
	struct emit_hist_summary sum;
	unsigned int i;

	(void)state;
	/* 98.5 % fast (40 ticks), 1.5 % slow (1000000 ticks). */
	for (i = 0; i < 100000; i++)
		samples[i] = i % 200 < 3 ? 1000000 : 40;
	check_distribution(samples, 100000);
	emit_hist_summarize(&h, NULL, &sum);
	assert_int_equal(sum.p50, 40);
	assert_int_equal(sum.p90, 40);
	assert_int_equal(sum.p99, 1000000);
	assert_int_equal(sum.p999, 1000000);
}

static void
test_exponential(void **state)
{
	uint64_t x = 88172645463325252ull;
	unsigned int i;

	(void)state;
	/* Long-tailed: 2^k scaled by a uniform mantissa, k geometric. */
	for (i = 0; i < NS_MAX; i++) {
		unsigned int k = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		while (k < 30 && (x >> (40 + k)) & 1)
			k++;
		samples[i] = (500 + (x & 1023)) << k;
	}
	check_distribution(samples, NS_MAX);
}

static void
test_huge_values(void **state)
{
	struct emit_hist_summary sum;
	unsigned int i;

	(void)state;
	emit_hist_init(&h);
	for (i = 0; i < 10; i++)
		emit_hist_record(&h, 100);
	emit_hist_record(&h, (1ull << 50) + 7);
	emit_hist_summarize(&h, NULL, &sum);
	assert_int_equal(h.buckets[emit_hist_index((1ull << 50) + 7)], 1);
	assert_int_equal(sum.max, (1ull << 50) + 7);
	assert_int_equal(sum.p999, (1ull << 50) + 7);
	assert_true(sum.p50 >= 100 && sum.p50 <= 103);
}

static void
test_baseline(void **state)
{
	static struct emit_hist_base base;
	static struct emit_hist fresh;
	struct emit_hist_summary a, b;
	uint64_t q;
	unsigned int i;

	(void)state;
	emit_hist_init(&h);
	emit_hist_init(&fresh);
	for (i = 0; i < 5000; i++)
		emit_hist_record(&h, 10 + i);
	assert_int_equal(emit_hist_base_take(&h, &base), 0);
	assert_int_equal(emit_hist_summarize(&h, &base, &a), 0);
	assert_int_equal(a.samples, 0);
	assert_int_equal(a.p99, 0);
	assert_int_equal(emit_hist_quantile(&h, &base, 500000, &q), 0);
	assert_int_equal(q, 0);
	/* Since the baseline, the percentiles and mean are those of the new
	 * samples alone; min and max are their buckets' bounds. */
	for (i = 0; i < 3000; i++) {
		emit_hist_record(&h, 7000 + 3 * i);
		emit_hist_record(&fresh, 7000 + 3 * i);
	}
	emit_hist_summarize(&h, &base, &a);
	emit_hist_summarize(&fresh, NULL, &b);
	assert_int_equal(a.samples, 3000);
	assert_int_equal(a.mean, b.mean);
	assert_int_equal(a.p50, b.p50);
	assert_int_equal(a.p90, b.p90);
	assert_int_equal(a.p99, b.p99);
	assert_int_equal(a.p999, b.p999);
	assert_int_equal(a.min, emit_hist_bucket_low(emit_hist_index(7000)));
	assert_int_equal(a.max, b.max);
	/* The whole run still covers everything. */
	emit_hist_summarize(&h, NULL, &a);
	assert_int_equal(a.samples, 8000);
	assert_int_equal(a.min, 10);
}

static void
test_negative(void **state)
{
	struct emit_hist_summary sum;
	static struct emit_hist_base base;
	uint64_t q = 99;

	(void)state;
	emit_hist_init(&h);
	emit_hist_init(NULL);
	assert_int_equal(emit_hist_summarize(NULL, NULL, &sum), -EINVAL);
	assert_int_equal(emit_hist_summarize(&h, NULL, NULL), -EINVAL);
	assert_int_equal(emit_hist_base_take(NULL, &base), -EINVAL);
	assert_int_equal(emit_hist_base_take(&h, NULL), -EINVAL);
	assert_int_equal(emit_hist_quantile(NULL, NULL, 1, &q), -EINVAL);
	assert_int_equal(emit_hist_quantile(&h, NULL, 1, NULL), -EINVAL);
	assert_int_equal(emit_hist_quantile(&h, NULL, 0, &q), -EINVAL);
	assert_int_equal(emit_hist_quantile(&h, NULL, 1000001, &q), -EINVAL);
	/* Empty: all zero. */
	assert_int_equal(emit_hist_quantile(&h, NULL, 1000000, &q), 0);
	assert_int_equal(q, 0);
	assert_int_equal(emit_hist_summarize(&h, NULL, &sum), 0);
	assert_int_equal(sum.samples + sum.min + sum.max + sum.p50, 0);
	emit_hist_record(&h, 0);
	emit_hist_summarize(&h, NULL, &sum);
	assert_int_equal(sum.samples, 1);
	assert_int_equal(sum.max, 0);
	assert_int_equal(emit_hist_quantile(&h, NULL, 1000000, &q), 0);
	assert_int_equal(q, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_bimodal),
		cmocka_unit_test(test_exponential),
		cmocka_unit_test(test_huge_values),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_negative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
