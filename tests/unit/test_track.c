/* SPDX-License-Identifier: BSD-3-Clause */
/* Tracker unit tests: sequence accounting (gaps, reordering, duplicates,
 * stale events, the window's wrap-around) checked case by case and against
 * a reference model on long scrambled streams; latency percentiles; the
 * histogram's bucket bounds; counters read while the owner writes. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include <emit.h>

#include <emit_hist.h>
#include "test_common.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static struct emit_track *
make(uint32_t max_senders, uint32_t window, int join, uint64_t expect)
{
	struct emit_track_conf c;
	struct emit_track *t;

	emit_track_conf_init(&c);
	if (max_senders != 0)
		c.max_senders = max_senders;
	if (window != 0)
		c.window = window;
	c.join = join;
	c.expect_count = expect;
	t = emit_track_create(&c);
	assert_non_null(t);
	return t;
}

static int
ev_at(struct emit_track *t, uint16_t sender, uint64_t seq, uint64_t time_ns,
		uint64_t rx_ns)
{
	struct emit_decoded ev;

	memset(&ev, 0, sizeof(ev));
	ev.sender = sender;
	ev.seq = seq;
	ev.time_ns = time_ns;
	ev.frame_len = 100;
	return emit_track_event(t, &ev, rx_ns);
}

static int
ev(struct emit_track *t, uint16_t sender, uint64_t seq)
{
	return ev_at(t, sender, seq, 1000, 1500);
}

static struct emit_track_sender_stats
stats(const struct emit_track *t, uint16_t id)
{
	struct emit_track_sender_stats st;

	assert_int_equal(emit_track_sender_get(t, id, &st), 0);
	assert_int_equal(st.id, id);
	return st;
}

static void
test_conf(void **state)
{
	struct emit_track_conf c;

	(void)state;
	assert_null(emit_track_create(NULL));
	assert_int_equal(rte_errno, EINVAL);
#define REFUSED(stmt) do { \
		emit_track_conf_init(&c); \
		stmt; \
		assert_null(emit_track_create(&c)); \
		assert_int_equal(rte_errno, EINVAL); \
	} while (0)
	REFUSED(c.max_senders = 0);
	REFUSED(c.max_senders = EMIT_TRACK_SENDERS_MAX + 1);
	REFUSED(c.window = 0);
	REFUSED(c.window = 32);
	REFUSED(c.window = 100);
	REFUSED(c.window = EMIT_TRACK_WINDOW_MAX * 2);
#undef REFUSED
	emit_track_conf_init(NULL);
	emit_track_free(NULL);
	emit_track_conf_init(&c);
	assert_int_equal(c.max_senders, 256);
	assert_int_equal(c.window, 65536);
}

static void
test_bad_args(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_track_totals tot;
	struct emit_track_sender_stats st;
	struct emit_latency lat;
	struct emit_decoded e;
	uint16_t ids[2];

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(emit_track_event(NULL, &e, 0), -EINVAL);
	assert_int_equal(emit_track_event(t, NULL, 0), -EINVAL);
	assert_int_equal(emit_track_malformed(NULL, EMIT_MALFORMED_MAGIC),
		-EINVAL);
	assert_int_equal(emit_track_malformed(t, EMIT_MALFORMED_MAX), -EINVAL);
	assert_int_equal(emit_track_other(NULL), -EINVAL);
	assert_int_equal(emit_track_totals_get(NULL, &tot), -EINVAL);
	assert_int_equal(emit_track_totals_get(t, NULL), -EINVAL);
	assert_int_equal(emit_track_senders(NULL, ids, 2), -EINVAL);
	assert_int_equal(emit_track_senders(t, NULL, 2), -EINVAL);
	assert_int_equal(emit_track_senders(t, NULL, 0), 0);
	assert_int_equal(emit_track_sender_get(NULL, 1, &st), -EINVAL);
	assert_int_equal(emit_track_sender_get(t, 1, NULL), -EINVAL);
	assert_int_equal(emit_track_sender_get(t, 1, &st), -ENOENT);
	assert_int_equal(emit_track_latency_get(NULL, 1, &lat), -EINVAL);
	assert_int_equal(emit_track_latency_get(t, 1, NULL), -EINVAL);
	assert_int_equal(emit_track_latency_get(t, -2, &lat), -EINVAL);
	assert_int_equal(emit_track_latency_get(t, 65536, &lat), -EINVAL);
	assert_int_equal(emit_track_latency_get(t, 1, &lat), -ENOENT);
	assert_int_equal(emit_track_latency_get(t, EMIT_TRACK_ALL, &lat), 0);
	assert_int_equal(lat.count, 0);
	/* Nothing was counted by the refused calls. */
	assert_int_equal(emit_track_totals_get(t, &tot), 0);
	assert_int_equal(tot.frames, 0);
	emit_track_free(t);
}

static void
test_in_order(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_track_sender_stats st;
	struct emit_track_totals tot;
	uint64_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_int_equal(ev(t, 9, i), EMIT_TRACK_IN_ORDER);
	st = stats(t, 9);
	assert_int_equal(st.received, 100000);
	assert_int_equal(st.bytes, 100000 * 100);
	assert_int_equal(st.first_seq, 0);
	assert_int_equal(st.last_seq, 99999);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.reordered + st.duplicated + st.stale, 0);
	assert_int_equal(emit_track_totals_get(t, &tot), 0);
	assert_int_equal(tot.events, 100000);
	assert_int_equal(tot.frames, 100000);
	assert_int_equal(tot.senders, 1);
	emit_track_free(t);
}

static void
test_gaps_and_late(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_track_sender_stats st;

	(void)state;
	assert_int_equal(ev(t, 1, 0), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(t, 1, 1), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(t, 1, 5), EMIT_TRACK_GAP);
	assert_int_equal(stats(t, 1).lost, 3);
	assert_int_equal(ev(t, 1, 3), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 3), EMIT_TRACK_DUPLICATE);
	assert_int_equal(ev(t, 1, 5), EMIT_TRACK_DUPLICATE);
	assert_int_equal(ev(t, 1, 0), EMIT_TRACK_DUPLICATE);
	assert_int_equal(ev(t, 1, 2), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 6), EMIT_TRACK_IN_ORDER);
	st = stats(t, 1);
	assert_int_equal(st.lost, 1);
	assert_int_equal(st.lost_gaps, 1);
	assert_int_equal(st.reordered, 2);
	assert_int_equal(st.duplicated, 3);
	assert_int_equal(st.received, 9);
	assert_int_equal(st.last_seq, 6);
	assert_int_equal(ev(t, 1, 4), EMIT_TRACK_REORDERED);
	assert_int_equal(stats(t, 1).lost, 0);
	emit_track_free(t);
}

static void
test_start_and_join(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_track *j = make(0, 0, 1, 0);

	(void)state;
	/* Counting from 0: what came before the first event is lost... */
	assert_int_equal(ev(t, 2, 10), EMIT_TRACK_GAP);
	assert_int_equal(stats(t, 2).lost, 10);
	/* ... until it arrives late. */
	assert_int_equal(ev(t, 2, 4), EMIT_TRACK_REORDERED);
	assert_int_equal(stats(t, 2).lost, 9);
	assert_int_equal(stats(t, 2).first_seq, 10);
	/* Joining: counted from the first one seen; older ones are stale. */
	assert_int_equal(ev(j, 2, 10), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(j, 2, 4), EMIT_TRACK_STALE);
	assert_int_equal(ev(j, 2, 12), EMIT_TRACK_GAP);
	assert_int_equal(ev(j, 2, 11), EMIT_TRACK_REORDERED);
	assert_int_equal(stats(j, 2).lost, 0);
	assert_int_equal(stats(j, 2).stale, 1);
	/* The top of the sequence space. */
	assert_int_equal(ev(j, 3, UINT64_MAX - 1), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(j, 3, UINT64_MAX), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(j, 3, UINT64_MAX), EMIT_TRACK_DUPLICATE);
	assert_int_equal(ev(t, 4, UINT64_MAX), EMIT_TRACK_GAP);
	assert_int_equal(stats(t, 4).lost, UINT64_MAX);
	emit_track_free(t);
	emit_track_free(j);
}

static void
test_window(void **state)
{
	struct emit_track *t = make(0, 64, 0, 0);
	uint64_t i;

	(void)state;
	for (i = 0; i < 64; i++)
		assert_int_equal(ev(t, 1, i), EMIT_TRACK_IN_ORDER);
	/* A small jump clears the bits of the skipped numbers only. */
	assert_int_equal(ev(t, 1, 70), EMIT_TRACK_GAP);
	assert_int_equal(ev(t, 1, 66), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 7), EMIT_TRACK_DUPLICATE); /* 70 - 63 */
	assert_int_equal(ev(t, 1, 6), EMIT_TRACK_STALE);     /* 70 - 64 */
	assert_int_equal(ev(t, 1, 69), EMIT_TRACK_REORDERED);
	assert_int_equal(stats(t, 1).lost, 4);
	/* A jump beyond the window forgets everything before it. */
	assert_int_equal(ev(t, 1, 1000), EMIT_TRACK_GAP);
	assert_int_equal(ev(t, 1, 990), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 937), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 936), EMIT_TRACK_STALE);
	assert_int_equal(stats(t, 1).lost, 4 + 929 - 2);
	/* A jump of exactly the window size. */
	assert_int_equal(ev(t, 1, 1064), EMIT_TRACK_GAP);
	assert_int_equal(ev(t, 1, 1001), EMIT_TRACK_REORDERED);
	assert_int_equal(ev(t, 1, 1000), EMIT_TRACK_STALE);
	emit_track_free(t);
}

static void
test_expect_count(void **state)
{
	struct emit_track *t = make(0, 0, 0, 100);
	struct emit_track_sender_stats st;
	struct emit_track_totals tot;
	uint64_t i;

	(void)state;
	for (i = 0; i < 90; i++)
		if (i != 50)
			ev(t, 5, i);
	for (i = 0; i < 100; i++)
		ev(t, 6, i);
	st = stats(t, 5);
	assert_int_equal(st.lost_gaps, 1);
	assert_int_equal(st.lost_tail, 10);
	assert_int_equal(st.lost, 11);
	assert_int_equal(stats(t, 6).lost, 0);
	assert_int_equal(emit_track_totals_get(t, &tot), 0);
	assert_int_equal(tot.lost, 11);
	/* Beyond the expected count: no tail, nothing negative. */
	ev(t, 6, 150);
	assert_int_equal(stats(t, 6).lost_tail, 0);
	assert_int_equal(stats(t, 6).lost, 50);
	emit_track_free(t);
}

static void
test_senders_and_counters(void **state)
{
	struct emit_track *t = make(3, 0, 0, 0);
	struct emit_track_totals tot;
	uint16_t ids[8];
	int r;

	(void)state;
	assert_int_equal(ev(t, 300, 0), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(t, 7, 0), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(t, 65535, 0), EMIT_TRACK_IN_ORDER);
	assert_int_equal(ev(t, 0, 0), -ENOSPC);
	assert_int_equal(ev(t, 0, 1), -ENOSPC);
	assert_int_equal(ev(t, 7, 1), EMIT_TRACK_IN_ORDER);
	assert_int_equal(emit_track_senders(t, ids, 8), 3);
	assert_int_equal(ids[0], 300);
	assert_int_equal(ids[1], 7);
	assert_int_equal(ids[2], 65535);
	assert_int_equal(emit_track_senders(t, ids, 1), 3);
	assert_int_equal(emit_track_sender_get(t, 0, &(struct
		emit_track_sender_stats){ 0 }), -ENOENT);
	for (r = 0; r < EMIT_MALFORMED_MAX; r++)
		assert_int_equal(emit_track_malformed(t,
			(enum emit_malformed)r), 0);
	assert_int_equal(emit_track_malformed(t, EMIT_MALFORMED_MAGIC), 0);
	assert_int_equal(emit_track_other(t), 0);
	assert_int_equal(emit_track_totals_get(t, &tot), 0);
	assert_int_equal(tot.events, 6);
	assert_int_equal(tot.untracked, 2);
	assert_int_equal(tot.bytes, 600);
	assert_int_equal(tot.senders, 3);
	assert_int_equal(tot.malformed, EMIT_MALFORMED_MAX + 1);
	assert_int_equal(tot.malformed_by[EMIT_MALFORMED_MAGIC], 2);
	assert_int_equal(tot.malformed_by[EMIT_MALFORMED_TRUNCATED], 1);
	assert_int_equal(tot.other, 1);
	assert_int_equal(tot.frames, 6 + EMIT_MALFORMED_MAX + 1 + 1);
	emit_track_free(t);
}

/* Long streams with drops, local reordering and duplicates, against a
 * model that remembers every seq. */
static void
model_run(uint32_t window, int join, uint64_t start)
{
	const uint64_t n = 200000;
	struct emit_track *t = make(0, window, join, 0);
	struct emit_track_sender_stats st;
	uint64_t *order, i, j, tmp, m, seq, hi = 0, base;
	uint64_t lost = 0, reord = 0, dup = 0, stale = 0, recv = 0;
	uint8_t *seen;
	int have = 0, v, want;

	order = malloc(sizeof(*order) * n * 2);
	seen = calloc(n + start + 1, 1);
	assert_non_null(order);
	assert_non_null(seen);
	/* start, start+1, ... with 2 % dropped and 1 % duplicated... */
	for (i = 0, m = 0; i < n; i++) {
		if (rng() % 50 == 0)
			continue;
		order[m++] = start + i;
		if (rng() % 100 == 0)
			order[m++] = start + i;
	}
	/* ... then shuffled locally, some moves up to twice the window. */
	for (i = 0; i + 1 < m; i++) {
		if (rng() % 10 != 0)
			continue;
		j = i + 1 + rng() % (rng() % 20 == 0 ? 2 * window : 16);
		if (j >= m)
			continue;
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	base = join ? order[0] : 0;
	for (i = 0; i < m; i++) {
		seq = order[i];
		if (!have || seq > hi) {
			want = (!have ? seq > base : seq > hi + 1) ?
				EMIT_TRACK_GAP : EMIT_TRACK_IN_ORDER;
			lost += !have ? seq - base : seq - hi - 1;
			hi = seq;
			have = 1;
		} else if (seq < base || hi - seq >= window) {
			want = EMIT_TRACK_STALE;
			stale++;
		} else if (seen[seq]) {
			want = EMIT_TRACK_DUPLICATE;
			dup++;
		} else {
			want = EMIT_TRACK_REORDERED;
			reord++;
			lost--;
		}
		if (want != EMIT_TRACK_STALE)
			seen[seq] = 1;
		recv++;
		v = ev(t, 77, seq);
		assert_int_equal(v, want);
	}
	st = stats(t, 77);
	assert_int_equal(st.received, recv);
	assert_int_equal(st.lost, lost);
	assert_int_equal(st.reordered, reord);
	assert_int_equal(st.duplicated, dup);
	assert_int_equal(st.stale, stale);
	assert_int_equal(st.last_seq, hi);
	/* The identity of emit_track.h. */
	assert_int_equal(st.received, st.last_seq + 1 - base - st.lost_gaps +
		st.duplicated + st.stale);
	assert_true(reord > 0 && dup > 0 && lost > 0);
	if (window < 1024)
		assert_true(stale > 0);
	free(order);
	free(seen);
	emit_track_free(t);
}

static void
test_model(void **state)
{
	(void)state;
	model_run(64, 0, 0);
	model_run(128, 1, 5000);
	model_run(4096, 0, 3);
	model_run(65536, 0, 0);
}

static void
test_latency(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_latency lat;
	uint64_t i;

	(void)state;
	/* Sender 1: latencies 1..10000 ns. */
	for (i = 1; i <= 10000; i++)
		ev_at(t, 1, i - 1, 5000000, 5000000 + i);
	assert_int_equal(emit_track_latency_get(t, 1, &lat), 0);
	assert_int_equal(lat.count, 10000);
	assert_int_equal(lat.min, 1);
	assert_int_equal(lat.max, 10000);
	assert_int_equal(lat.negative, 0);
	/* Within a bucket width (1/32) above the exact value. */
	assert_true(lat.p50 >= 5000 && lat.p50 <= 5000 + 5000 / 32);
	assert_true(lat.p90 >= 9000 && lat.p90 <= 9000 + 9000 / 32);
	assert_true(lat.p99 >= 9900 && lat.p99 <= 10000);
	assert_true(lat.p999 >= 9990 && lat.p999 <= 10000);
	/* Sender 2: a constant 1 ms, and receive clocks behind the sender. */
	for (i = 0; i < 1000; i++)
		ev_at(t, 2, i, 1000000000, 1001000000);
	ev_at(t, 2, 1000, 2000, 1000);
	ev_at(t, 2, 1001, 2000, 1999);
	assert_int_equal(emit_track_latency_get(t, 2, &lat), 0);
	assert_int_equal(lat.count, 1000);
	assert_int_equal(lat.negative, 2);
	assert_int_equal(lat.min, 1000000);
	assert_int_equal(lat.p50, 1000000);
	assert_int_equal(lat.p999, 1000000);
	assert_int_equal(lat.max, 1000000);
	/* All senders together. */
	assert_int_equal(emit_track_latency_get(t, EMIT_TRACK_ALL, &lat), 0);
	assert_int_equal(lat.count, 11000);
	assert_int_equal(lat.negative, 2);
	assert_int_equal(lat.min, 1);
	assert_int_equal(lat.max, 1000000);
	assert_true(lat.p50 >= 5500 && lat.p50 <= 5500 + 5500 / 32);
	assert_int_equal(lat.p99, 1000000);
	/* A single huge sample. */
	ev_at(t, 3, 0, 0, UINT64_MAX);
	assert_int_equal(emit_track_latency_get(t, 3, &lat), 0);
	assert_int_equal(lat.p50, UINT64_MAX);
	assert_int_equal(lat.min, UINT64_MAX);
	emit_track_free(t);
}

/* The histogram copy: its buckets, count, sum, min and max; a copy taken
 * earlier as the baseline of a period. */
static void
test_latency_hist(void **state)
{
	struct emit_track *t = make(0, 0, 0, 0);
	struct emit_hist *h = malloc(sizeof(*h));
	struct emit_hist_summary sum;
	struct emit_hist_base base;
	uint64_t i, n = 0;

	(void)state;
	assert_non_null(h);
	assert_int_equal(emit_track_latency_hist_get(NULL, 1, h), -EINVAL);
	assert_int_equal(emit_track_latency_hist_get(t, 1, NULL), -EINVAL);
	assert_int_equal(emit_track_latency_hist_get(t, -2, h), -EINVAL);
	assert_int_equal(emit_track_latency_hist_get(t, 65536, h), -EINVAL);
	assert_int_equal(emit_track_latency_hist_get(t, 1, h), -ENOENT);
	assert_int_equal(emit_track_latency_hist_get(t, EMIT_TRACK_ALL, h), 0);
	assert_int_equal(h->count, 0);
	assert_int_equal(h->min, UINT64_MAX);
	/* Sender 1: 100 ns x 1000; sender 2: 10 us x 10, one negative. */
	for (i = 0; i < 1000; i++)
		ev_at(t, 1, i, 1000, 1100);
	for (i = 0; i < 10; i++)
		ev_at(t, 2, i, 1000, 11000);
	ev_at(t, 2, 10, 2000, 1000);
	assert_int_equal(emit_track_latency_hist_get(t, 2, h), 0);
	assert_int_equal(h->count, 10);
	assert_int_equal(h->sum, 100000);
	assert_int_equal(h->min, 10000);
	assert_int_equal(h->max, 10000);
	assert_int_equal(h->buckets[emit_hist_index(10000)], 10);
	assert_int_equal(emit_track_latency_hist_get(t, EMIT_TRACK_ALL, h), 0);
	assert_int_equal(h->count, 1010);
	assert_int_equal(h->sum, 100000 + 100000);
	assert_int_equal(h->min, 100);
	assert_int_equal(h->max, 10000);
	assert_int_equal(h->buckets[emit_hist_index(100)], 1000);
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		n += h->buckets[i];
	assert_int_equal(n, 1010);
	/* A period: 500 ns x 20 after the baseline. */
	assert_int_equal(emit_hist_base_take(h, &base), 0);
	for (i = 0; i < 20; i++)
		ev_at(t, 1, 1000 + i, 1000, 1500);
	assert_int_equal(emit_track_latency_hist_get(t, EMIT_TRACK_ALL, h), 0);
	assert_int_equal(emit_hist_summarize(h, &base, &sum), 0);
	assert_int_equal(sum.samples, 20);
	assert_int_equal(sum.mean, 500);
	/* Since a baseline, the bound of the bucket holding them. */
	assert_int_equal(sum.p50, emit_hist_bucket_high(emit_hist_index(500)));
	assert_int_equal(sum.p99, emit_hist_bucket_high(emit_hist_index(500)));
	free(h);
	emit_track_free(t);
}

/* Two trackers, each fed the events of its "queue" (a hash of the seq, as
 * RSS hashes a flow), read merged, against one tracker fed them all:
 * loss, duplicates (a copy stays on its queue), reordering within a
 * queue, latency and the totals agree; then the rules of the merge. */
static void
test_merge(void **state)
{
	enum { N = 20000 };
	struct emit_track *one = make(0, 0, 0, N + 5);
	struct emit_track *q[2] = { make(0, 0, 0, N + 5), make(0, 0, 0, N + 5) };
	const struct emit_track *const *qc = (const struct emit_track *const *)q;
	struct emit_track_sender_stats a, b;
	struct emit_track_totals ta, tb;
	struct emit_latency la, lb;
	struct emit_hist *ha = malloc(sizeof(*ha)), *hb = malloc(sizeof(*hb));
	uint64_t *seq = calloc(2 * N, sizeof(*seq)), tmp;
	unsigned int *dst = calloc(2 * N, sizeof(*dst)), n = 0, i, k;
	uint16_t ids[4], id;
	int rc;

	(void)state;
	assert_non_null(ha);
	assert_non_null(hb);
	assert_non_null(seq);
	assert_non_null(dst);
	for (id = 1; id <= 2; id++) {
		n = 0;
		for (i = 0; i < N; i++) {
			if (rng() % 50 == 0)
				continue; /* lost */
			seq[n] = i;
			dst[n] = (unsigned int)((i * 2654435761u) >> 16) & 1u;
			n++;
			if (rng() % 70 == 0) { /* a copy, on the same queue */
				seq[n] = i;
				dst[n] = dst[n - 1];
				n++;
			}
		}
		/* Neighbours of the same queue swap places now and then. */
		for (k = 0; k + 1 < n; k++)
			if (dst[k] == dst[k + 1] && seq[k] != seq[k + 1] &&
			    rng() % 40 == 0) {
				tmp = seq[k];
				seq[k] = seq[k + 1];
				seq[k + 1] = tmp;
				k++;
			}
		for (k = 0; k < n; k++) {
			uint64_t lat = 100 + rng() % 100000;

			rc = ev_at(one, id, seq[k], 1000000, 1000000 + lat);
			assert_true(rc >= 0);
			assert_true(ev_at(q[dst[k]], id, seq[k], 1000000,
				1000000 + lat) >= 0);
		}
	}
	assert_int_equal(emit_track_totals_get(one, &ta), 0);
	assert_int_equal(emit_track_merge_totals_get(qc, 2, &tb), 0);
	assert_true(ta.lost > 0 && ta.duplicated > 0 && ta.reordered > 0);
	assert_int_equal(tb.frames, ta.frames);
	assert_int_equal(tb.events, ta.events);
	assert_int_equal(tb.bytes, ta.bytes);
	assert_int_equal(tb.lost, ta.lost);
	assert_int_equal(tb.reordered, ta.reordered);
	assert_int_equal(tb.duplicated, ta.duplicated);
	assert_int_equal(tb.stale, ta.stale);
	assert_int_equal(tb.senders, 2);
	for (id = 1; id <= 2; id++) {
		assert_int_equal(emit_track_sender_get(one, id, &a), 0);
		assert_int_equal(emit_track_merge_sender_get(qc, 2, id, &b), 0);
		assert_int_equal(b.received, a.received);
		assert_int_equal(b.first_seq, a.first_seq);
		assert_int_equal(b.last_seq, a.last_seq);
		assert_int_equal(b.lost, a.lost);
		assert_int_equal(b.lost_gaps, a.lost_gaps);
		assert_int_equal(b.lost_tail, a.lost_tail);
		assert_int_equal(b.reordered, a.reordered);
		assert_int_equal(b.duplicated, a.duplicated);
		assert_int_equal(emit_track_latency_get(one, id, &la), 0);
		assert_int_equal(emit_track_merge_latency_get(qc, 2, id, &lb),
			0);
		assert_memory_equal(&la, &lb, sizeof(la));
	}
	assert_int_equal(emit_track_latency_hist_get(one, EMIT_TRACK_ALL, ha),
		0);
	assert_int_equal(emit_track_merge_latency_hist_get(qc, 2,
		EMIT_TRACK_ALL, hb), 0);
	assert_memory_equal(ha, hb, sizeof(*ha));
	/* Senders: each once, t[0]'s first. */
	ev(q[1], 9, 0);
	assert_int_equal(emit_track_merge_senders(qc, 2, ids, 4), 3);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 9);
	assert_int_equal(emit_track_merge_senders(qc, 2, NULL, 0), 3);
	assert_int_equal(emit_track_merge_sender_get(qc, 2, 7, &b), -ENOENT);
	assert_int_equal(emit_track_merge_latency_get(qc, 2, 7, &lb),
		-ENOENT);
	/* A copy on the other queue counts as duplicated, not as received
	 * twice: sender 9 has seq 0..1 on q[1], seq 1 again on q[0]. */
	ev(q[1], 9, 1);
	ev(q[0], 9, 1);
	assert_int_equal(emit_track_merge_sender_get(qc, 2, 9, &b), 0);
	assert_int_equal(b.received, 3);
	assert_int_equal(b.duplicated, 1);
	assert_int_equal(b.lost_gaps, 0);
	/* Bad arguments; trackers that do not count alike. */
	assert_int_equal(emit_track_merge_totals_get(NULL, 2, &tb), -EINVAL);
	assert_int_equal(emit_track_merge_totals_get(qc, 0, &tb), -EINVAL);
	assert_int_equal(emit_track_merge_totals_get(qc, 2, NULL), -EINVAL);
	assert_int_equal(emit_track_merge_senders(qc, 2, NULL, 1), -EINVAL);
	assert_int_equal(emit_track_merge_sender_get(qc, 2, 1, NULL),
		-EINVAL);
	assert_int_equal(emit_track_merge_latency_get(qc, 2, -2, &lb),
		-EINVAL);
	assert_int_equal(emit_track_merge_latency_hist_get(qc, 2, 1, NULL),
		-EINVAL);
	{
		struct emit_track *other = make(0, 0, 1, 0);
		const struct emit_track *mix[2] = { one, other };
		const struct emit_track *hole[2] = { one, NULL };

		assert_int_equal(emit_track_merge_totals_get(mix, 2, &tb),
			-EINVAL);
		assert_int_equal(emit_track_merge_totals_get(hole, 2, &tb),
			-EINVAL);
		emit_track_free(other);
	}
	free(ha);
	free(hb);
	free(seq);
	free(dst);
	emit_track_free(one);
	emit_track_free(q[0]);
	emit_track_free(q[1]);
}

static void
test_hist_buckets(void **state)
{
	uint64_t v, lo, hi;
	unsigned int i, idx;

	(void)state;
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++) {
		lo = emit_hist_bucket_low(i);
		hi = emit_hist_bucket_high(i);
		assert_true(lo <= hi);
		assert_int_equal(emit_hist_index(lo), i);
		assert_int_equal(emit_hist_index(hi), i);
		if (i + 1 < EMIT_HIST_NB_BUCKETS)
			assert_int_equal(emit_hist_bucket_low(i + 1), hi + 1);
		if (lo >= 32)
			assert_true(hi - lo <= lo / 32);
	}
	assert_int_equal(emit_hist_bucket_low(0), 0);
	assert_int_equal(emit_hist_bucket_high(EMIT_HIST_NB_BUCKETS - 1), UINT64_MAX);
	for (i = 0; i < 100000; i++) {
		v = rng() >> (rng() % 64);
		idx = emit_hist_index(v);
		assert_true(idx < EMIT_HIST_NB_BUCKETS);
		assert_true(emit_hist_bucket_low(idx) <= v);
		assert_true(v <= emit_hist_bucket_high(idx));
	}
}

struct reader_arg {
	struct emit_track *t;
	int stop;
	uint64_t reads;
	int bad;
};

static void *
reader(void *arg)
{
	struct reader_arg *r = arg;
	struct emit_track_sender_stats st;
	struct emit_track_totals tot;
	struct emit_latency lat;
	uint64_t last = 0;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (emit_track_sender_get(r->t, 4, &st) == 0) {
			if (st.received < last)
				r->bad = 1;
			last = st.received;
		}
		if (emit_track_totals_get(r->t, &tot) != 0 ||
		    emit_track_latency_get(r->t, EMIT_TRACK_ALL, &lat) != 0)
			r->bad = 1;
		if (lat.count > 0 && (lat.min > lat.p50 || lat.p50 > lat.max))
			r->bad = 1;
		r->reads++;
	}
	return NULL;
}

/* Readers on another thread see counters that only grow. */
static void
test_concurrent_read(void **state)
{
	struct reader_arg r = { .t = make(0, 0, 0, 0) };
	pthread_t th;
	uint64_t i;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, reader, &r), 0);
	for (i = 0; i < 2000000; i++)
		ev_at(r.t, (uint16_t)(4 + i % 3), i / 3, 100, 100 + i % 5000);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(r.bad, 0);
	assert_true(r.reads > 0);
	assert_int_equal(stats(r.t, 4).received, 666667);
	assert_int_equal(stats(r.t, 4).lost, 0);
	emit_track_free(r.t);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_gaps_and_late),
		cmocka_unit_test(test_start_and_join),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_expect_count),
		cmocka_unit_test(test_senders_and_counters),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_latency_hist),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_concurrent_read),
	};
	int rc;

	if (emit_test_eal_init("track", "0", NULL) != 0)
		return 1;
	rc = cmocka_run_group_tests_name("track", tests, NULL, NULL);
	rte_eal_cleanup();
	return rc;
}
