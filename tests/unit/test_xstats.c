/* SPDX-License-Identifier: BSD-3-Clause */
/* xstats, latency and totals: the API and its negative cases, exact
 * latency figures with a driven clock, gauges, the conservation check, and
 * reset while a writer runs on the other lcore. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define XMAX 128
#define PORT 0

static struct rte_mempool *pool;
static unsigned int pool_full;

/* The counters in struct emit_sender_stats order: ids 0.. */
static const char *const sender_ctr_names[] = {
	"events_claimed", "events_committed", "events_aborted",
	"events_enqueued", "bytes_enqueued", "bursts_enqueued", "flush_full",
	"flush_linger", "flush_explicit", "flush_close", "dropped_ring_full",
	"dropped_spin_timeout", "dropped_closed", "err_inval", "err_msgsize",
	"err_nomem", "err_nobufs_held", "err_nobufs_congested",
	"err_again_rate", "err_again_paused", "err_pipe",
	"backpressure_episodes", "backpressure_refused", "hold_retries",
	"spin_retries", "congestion_entries", "congested_ns", "ring_max_used",
	"gap_jitter_ns_sum", "gap_count",
};

static const char *const tx_ctr_names[] = {
	"polls", "idle_polls", "dequeued", "tx_sent", "tx_bytes", "tx_bursts",
	"tx_retries", "tx_dropped_retry_exhausted", "tx_dropped_closed",
	"port_blocked_ns", "port_blocked_episodes",
};

struct fixture {
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_tx *tx;
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_test_clock clock;
};

static struct fixture fx;

static int
setup(void **state)
{
	static unsigned int n;
	char name[32];

	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(name, sizeof(name), "xring%u", n++);
	fx.ring = emit_test_ring(name, 64);
	if (fx.ring == NULL)
		return -1;
	emit_sender_conf_init(&fx.sc);
	fx.sc.mp = pool;
	fx.sc.ring = fx.ring;
	fx.sc.id = 11;
	fx.sc.burst = 4;
	fx.clock.now = 1000;
	fx.sc.clock = emit_test_clock_read;
	fx.sc.clock_arg = &fx.clock;
	fx.sc.clock_hz = 1000000000; /* 1 tick = 1 ns */
	emit_tx_conf_init(&fx.tc);
	fx.tc.port_id = PORT;
	fx.tc.rings[0] = fx.ring;
	fx.tc.nb_rings = 1;
	fx.tc.clock = emit_test_clock_read;
	fx.tc.clock_arg = &fx.clock;
	fx.tc.clock_hz = 1000000000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	emit_sender_free(fx.s);
	emit_tx_free(fx.tx);
	emit_test_ring_drain(fx.ring);
	rte_ring_free(fx.ring);
	memset(&fx, 0, sizeof(fx));
	if (rte_mempool_avail_count(pool) != pool_full) {
		fprintf(stderr, "mempool not full after the test\n");
		return -1;
	}
	return 0;
}

static void
up(bool with_tx)
{
	fx.s = emit_sender_create(&fx.sc);
	assert_non_null(fx.s);
	if (with_tx) {
		fx.tx = emit_tx_create(&fx.tc);
		assert_non_null(fx.tx);
	}
}

static uint64_t
sx(const char *name)
{
	uint64_t v = 0;

	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, name, NULL, &v),
		0);
	return v;
}

static uint64_t
tx_x(const char *name)
{
	uint64_t v = 0;

	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx, name, NULL, &v), 0);
	return v;
}

static void
send_n(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(emit_send(fx.s, 1, "abcdefgh", 8), 0);
}

static void
test_names(void **state)
{
	struct emit_xstats_name names[XMAX];
	struct emit_sender_stats st;
	uint64_t values[XMAX], id;
	int n, nt, i, j;

	(void)state;
	fx.tc.latency = EMIT_TX_LATENCY_PACKET;
	up(true);
	/* 17 batches of 4: the ring holds 63, 5 are dropped. */
	send_n(68);
	n = emit_sender_xstats_names_get(fx.s, NULL, 0);
	assert_true(n > (int)EMIT_SENDER_NB_STATS && n <= XMAX);
	memset(names, 0, sizeof(names));
	assert_int_equal(emit_sender_xstats_names_get(fx.s, names, 3), n);
	assert_int_equal(names[0].name[0], '\0'); /* too small: untouched */
	assert_int_equal(emit_sender_xstats_names_get(fx.s, names, XMAX), n);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(names[i].name, names[j].name);
	/* Every counter, in struct order, with its field's name and value. */
	assert_int_equal(RTE_DIM(sender_ctr_names), EMIT_SENDER_NB_STATS);
	assert_int_equal(emit_sender_xstats_get(fx.s, NULL, values, XMAX), n);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	for (i = 0; i < (int)EMIT_SENDER_NB_STATS; i++) {
		assert_string_equal(names[i].name, sender_ctr_names[i]);
		assert_int_equal(values[i], ((const uint64_t *)&st)[i]);
		assert_int_equal(emit_sender_xstats_get_by_name(fx.s,
			names[i].name, &id, NULL), 0);
		assert_int_equal(id, (uint64_t)i);
	}
	assert_int_equal(sx("events_committed"), 68);
	assert_int_equal(sx("dropped_ring_full"), 5);
	assert_int_equal(sx("events_pending"), 0);
	assert_int_equal(sx("ring_used"), 63);
	assert_int_equal(sx("batch_wait_samples"), 16);

	nt = emit_tx_xstats_names_get(fx.tx, NULL, 0);
	assert_true(nt > (int)EMIT_TX_NB_STATS && nt <= XMAX);
	assert_int_equal(emit_tx_xstats_names_get(fx.tx, names, XMAX), nt);
	for (i = 0; i < (int)EMIT_TX_NB_STATS; i++)
		assert_string_equal(names[i].name, tx_ctr_names[i]);
	assert_int_equal(tx_x("in_rings"), 63);
	assert_int_equal(emit_tx_poll(fx.tx), 32);
	assert_int_equal(tx_x("tx_sent"), 32);
	assert_int_equal(tx_x("latency_samples"), 32);
	assert_int_equal(tx_x("in_rings"), 31);
}

static void
test_negative(void **state)
{
	uint64_t values[XMAX], ids[2] = { 1, 100000 }, id = 7, v = 9;
	struct emit_xstats_name names[XMAX];
	int n, i;

	(void)state;
	up(true);
	send_n(8);
	n = emit_sender_xstats_names_get(fx.s, NULL, 0);
	assert_int_equal(emit_sender_xstats_names_get(NULL, names, XMAX),
		-EINVAL);
	assert_int_equal(emit_sender_xstats_get(NULL, NULL, values, XMAX),
		-EINVAL);
	assert_int_equal(emit_sender_xstats_get(fx.s, NULL, NULL, XMAX),
		-EINVAL);
	/* An unknown id among known ones: error, nothing written. */
	for (i = 0; i < XMAX; i++)
		values[i] = 0xdead;
	assert_int_equal(emit_sender_xstats_get(fx.s, ids, values, 2), -EINVAL);
	ids[1] = (uint64_t)n;
	assert_int_equal(emit_sender_xstats_get(fx.s, ids, values, 2), -EINVAL);
	assert_int_equal(values[0], 0xdead);
	/* All values with too small an array: the count, nothing written. */
	assert_int_equal(emit_sender_xstats_get(fx.s, NULL, values, 5), n);
	assert_int_equal(values[0], 0xdead);
	ids[1] = (uint64_t)n - 1;
	assert_int_equal(emit_sender_xstats_get(fx.s, ids, values, 2), 2);
	assert_int_equal(values[0], 8);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, "no_such",
		&id, &v), -ENOENT);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, "", &id, &v),
		-ENOENT);
	assert_int_equal(id, 7);
	assert_int_equal(v, 9);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, NULL, &id, &v),
		-EINVAL);
	assert_int_equal(emit_sender_xstats_get_by_name(NULL,
		"events_committed", &id, &v), -EINVAL);
	/* A reset with an unknown id resets nothing. */
	ids[1] = 100000;
	assert_int_equal(emit_sender_xstats_reset(fx.s, ids, 2), -EINVAL);
	assert_int_equal(sx("events_committed"), 8);
	assert_int_equal(emit_sender_xstats_reset(NULL, NULL, 0), -EINVAL);
	assert_int_equal(emit_sender_xstats_get_reset(fx.s, ids, values, 2),
		-EINVAL);
	assert_int_equal(sx("events_committed"), 8);
	assert_int_equal(emit_sender_xstats_get_reset(NULL, NULL, values, XMAX),
		-EINVAL);

	n = emit_tx_xstats_names_get(fx.tx, NULL, 0);
	assert_int_equal(emit_tx_xstats_names_get(NULL, NULL, 0), -EINVAL);
	assert_int_equal(emit_tx_xstats_get(NULL, NULL, values, XMAX), -EINVAL);
	assert_int_equal(emit_tx_xstats_get(fx.tx, NULL, NULL, XMAX), -EINVAL);
	ids[1] = (uint64_t)n;
	assert_int_equal(emit_tx_xstats_get(fx.tx, ids, values, 2), -EINVAL);
	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx, "events_committed",
		&id, &v), -ENOENT);
	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx, NULL, &id, &v),
		-EINVAL);
	assert_int_equal(emit_tx_xstats_get_by_name(NULL, "polls", &id, &v),
		-EINVAL);
	assert_int_equal(emit_tx_xstats_reset(fx.tx, ids, 2), -EINVAL);
	assert_int_equal(emit_tx_xstats_reset(NULL, NULL, 0), -EINVAL);
	assert_int_equal(emit_tx_xstats_get_reset(fx.tx, ids, values, 2),
		-EINVAL);
	assert_int_equal(emit_tx_xstats_get_reset(NULL, NULL, values, XMAX),
		-EINVAL);
	assert_int_equal(emit_tx_poll(fx.tx), 8);
	assert_int_equal(tx_x("tx_sent"), 8);
}

static void
test_reset(void **state)
{
	uint64_t ids[3], values[3], id_sent, id_samples, id_wait;

	(void)state;
	fx.tc.latency = EMIT_TX_LATENCY_PACKET;
	up(true);
	send_n(80); /* 63 enqueued, 17 dropped */
	assert_int_equal(emit_tx_poll(fx.tx), 32);
	assert_int_equal(sx("ring_max_used"), 63);
	assert_int_equal(sx("batch_wait_samples"), 16);
	assert_int_equal(emit_sender_xstats_reset(fx.s, NULL, 0), 0);
	/* Counters and since-reset summaries restart; gauges, the
	 * high-water mark and whole-run summaries do not. */
	assert_int_equal(sx("events_committed"), 0);
	assert_int_equal(sx("dropped_ring_full"), 0);
	assert_int_equal(sx("ring_max_used"), 63);
	assert_int_equal(sx("ring_used"), 31);
	assert_int_equal(sx("batch_wait_samples"), 16);
	assert_int_equal(sx("batch_wait_since_reset_samples"), 0);
	send_n(8);
	assert_int_equal(sx("events_committed"), 8);
	assert_int_equal(sx("events_enqueued"), 8);
	assert_int_equal(sx("batch_wait_since_reset_samples"), 2);
	assert_int_equal(sx("batch_wait_samples"), 18);

	/* Reset by ids: only those. */
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, "events_enqueued",
		&ids[0], NULL), 0);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s,
		"batch_wait_since_reset_p99_ns", &ids[1], NULL), 0);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, "paused",
		&ids[2], NULL), 0);
	assert_int_equal(emit_sender_xstats_reset(fx.s, ids, 3), 0);
	assert_int_equal(sx("events_enqueued"), 0);
	assert_int_equal(sx("events_committed"), 8);
	assert_int_equal(sx("batch_wait_since_reset_samples"), 0);

	/* Get-and-reset returns what it clears. */
	send_n(4);
	ids[1] = ids[0];
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s,
		"events_committed", &ids[0], NULL), 0);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s,
		"batch_wait_since_reset_samples", &id_wait, NULL), 0);
	ids[2] = id_wait;
	assert_int_equal(emit_sender_xstats_get_reset(fx.s, ids, values, 3), 3);
	assert_int_equal(values[0], 12);
	assert_int_equal(values[1], 4);
	assert_int_equal(values[2], 1);
	assert_int_equal(emit_sender_xstats_get(fx.s, ids, values, 3), 3);
	assert_int_equal(values[0] + values[1] + values[2], 0);

	/* TX stage. */
	assert_int_equal(tx_x("tx_sent"), 32);
	assert_int_equal(emit_tx_xstats_reset(fx.tx, NULL, 0), 0);
	assert_int_equal(tx_x("tx_sent"), 0);
	assert_int_equal(tx_x("latency_samples"), 32);
	assert_int_equal(tx_x("latency_since_reset_samples"), 0);
	assert_int_equal(tx_x("in_rings"), 43);
	assert_int_equal(emit_tx_poll(fx.tx), 32);
	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx, "tx_sent", &id_sent,
		NULL), 0);
	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx,
		"latency_since_reset_samples", &id_samples, NULL), 0);
	ids[0] = id_sent;
	ids[1] = id_samples;
	assert_int_equal(emit_tx_xstats_get_reset(fx.tx, ids, values, 2), 2);
	assert_int_equal(values[0], 32);
	assert_int_equal(values[1], 32);
	assert_int_equal(tx_x("tx_sent"), 0);
	assert_int_equal(tx_x("latency_since_reset_samples"), 0);
	assert_int_equal(tx_x("latency_samples"), 64);
	assert_int_equal(emit_tx_poll(fx.tx), 11);
}

/* Commit 4 events at t, t+100, t+200, t+300 (the batch leaves at t+300),
 * then transmit at t+1000. */
static void
timed_batch(uint64_t t)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		fx.clock.now = t + 100 * i;
		assert_int_equal(emit_send(fx.s, 1, "x", 1), 0);
	}
	fx.clock.now = t + 1000;
	assert_int_equal(emit_tx_poll(fx.tx), 4);
}

static void
test_latency_packet(void **state)
{
	(void)state;
	fx.tc.latency = EMIT_TX_LATENCY_PACKET;
	up(true);
	timed_batch(10000);
	timed_batch(50000);
	/* Batch wait: 300 ns for each batch. */
	assert_int_equal(sx("batch_wait_samples"), 2);
	assert_int_equal(sx("batch_wait_min_ns"), 300);
	assert_int_equal(sx("batch_wait_max_ns"), 300);
	assert_int_equal(sx("batch_wait_p999_ns"), 300);
	/* Commit to TX: 1000, 900, 800, 700 ns, twice. */
	assert_int_equal(tx_x("latency_samples"), 8);
	assert_int_equal(tx_x("latency_min_ns"), 700);
	assert_int_equal(tx_x("latency_max_ns"), 1000);
	assert_int_equal(tx_x("latency_mean_ns"), 850);
	/* Rank 4 of 8 is 800, reported as its bucket's top (800 + 15). */
	assert_int_equal(tx_x("latency_p50_ns"), 815);
	assert_int_equal(tx_x("latency_p90_ns"), 1000);
	assert_int_equal(tx_x("latency_p99_ns"), 1000);
	/* Since a reset, only what follows. */
	assert_int_equal(emit_tx_xstats_reset(fx.tx, NULL, 0), 0);
	fx.clock.now = 90000;
	assert_int_equal(emit_send(fx.s, 1, "x", 1), 0);
	assert_int_equal(emit_flush(fx.s), 1);
	fx.clock.now = 90040;
	assert_int_equal(emit_tx_poll(fx.tx), 1);
	assert_int_equal(tx_x("latency_since_reset_samples"), 1);
	assert_int_equal(tx_x("latency_since_reset_p50_ns"), 40);
	assert_int_equal(tx_x("latency_since_reset_max_ns"), 40);
	assert_int_equal(tx_x("latency_samples"), 9);
	assert_int_equal(tx_x("latency_min_ns"), 40);
}

static void
test_latency_burst_off(void **state)
{
	(void)state;
	fx.tc.latency = EMIT_TX_LATENCY_BURST;
	up(true);
	timed_batch(10000);
	timed_batch(20000);
	/* One sample per burst: its first (oldest) packet. */
	assert_int_equal(tx_x("latency_samples"), 2);
	assert_int_equal(tx_x("latency_min_ns"), 1000);
	assert_int_equal(tx_x("latency_p50_ns"), 1000);
	assert_int_equal(tx_x("latency_max_ns"), 1000);
	/* Freeing the stage closes the sender of its ring: both anew. */
	emit_tx_free(fx.tx);
	emit_sender_free(fx.s);
	fx.tc.latency = EMIT_TX_LATENCY_OFF;
	up(true);
	timed_batch(30000);
	assert_int_equal(tx_x("latency_samples"), 0);
	assert_int_equal(tx_x("latency_p99_ns"), 0);
	assert_int_equal(tx_x("tx_sent"), 4);

	/* Invalid latency and clock settings. */
	fx.tc.latency = (enum emit_tx_latency)3;
	assert_null(emit_tx_create(&fx.tc));
	assert_int_equal(rte_errno, EINVAL);
	fx.tc.latency = EMIT_TX_LATENCY_BURST;
	fx.tc.clock_hz = 0;
	assert_null(emit_tx_create(&fx.tc));
	assert_int_equal(rte_errno, EINVAL);
	fx.tc.clock = NULL;
	fx.tc.clock_hz = 5;
	assert_null(emit_tx_create(&fx.tc));
	assert_int_equal(rte_errno, EINVAL);
}

/* The histogram copies: exact figures, whole run (resets do not touch
 * them), the clock rate, negative cases. */
static void
test_hist_get(void **state)
{
	static struct emit_hist h, poison;
	struct emit_hist_summary sum;
	uint64_t hz = 0;

	(void)state;
	fx.tc.latency = EMIT_TX_LATENCY_PACKET;
	up(true);
	timed_batch(10000);
	timed_batch(50000);
	assert_int_equal(emit_tx_xstats_reset(fx.tx, NULL, 0), 0);
	assert_int_equal(emit_sender_xstats_reset(fx.s, NULL, 0), 0);
	/* Commit to TX: 1000, 900, 800, 700 ns, twice. */
	memset(&h, 0xab, sizeof(h));
	assert_int_equal(emit_tx_latency_hist_get(fx.tx, &h, &hz), 0);
	assert_int_equal(hz, 1000000000);
	assert_int_equal(h.count, 8);
	assert_int_equal(h.sum, 6800);
	assert_int_equal(h.min, 700);
	assert_int_equal(h.max, 1000);
	assert_int_equal(h.buckets[emit_hist_index(700)], 2);
	assert_int_equal(h.buckets[emit_hist_index(1000)], 2);
	assert_int_equal(h.buckets[0], 0);
	assert_int_equal(emit_hist_summarize(&h, NULL, &sum), 0);
	assert_int_equal(sum.samples, tx_x("latency_samples"));
	assert_int_equal(sum.p50, tx_x("latency_p50_ns"));
	assert_int_equal(sum.p99, tx_x("latency_p99_ns"));
	assert_int_equal(sum.mean, tx_x("latency_mean_ns"));
	/* Batch wait: 300 ns for each batch; hz may be left out. */
	memset(&h, 0xab, sizeof(h));
	assert_int_equal(emit_sender_batch_wait_hist_get(fx.s, &h, NULL), 0);
	assert_int_equal(h.count, 2);
	assert_int_equal(h.sum, 600);
	assert_int_equal(h.min, 300);
	assert_int_equal(h.max, 300);
	assert_int_equal(h.buckets[emit_hist_index(300)], 2);
	hz = 0;
	assert_int_equal(emit_sender_batch_wait_hist_get(fx.s, &h, &hz), 0);
	assert_int_equal(hz, 1000000000);
	/* A copy is a snapshot: later samples are not in it. */
	timed_batch(90000);
	assert_int_equal(h.count, 2);
	assert_int_equal(emit_sender_batch_wait_hist_get(fx.s, &h, NULL), 0);
	assert_int_equal(h.count, 3);
	/* Negative cases write nothing. */
	memset(&h, 0xab, sizeof(h));
	memcpy(&poison, &h, sizeof(h));
	assert_int_equal(emit_tx_latency_hist_get(NULL, &h, &hz), -EINVAL);
	assert_int_equal(emit_tx_latency_hist_get(fx.tx, NULL, &hz), -EINVAL);
	assert_int_equal(emit_sender_batch_wait_hist_get(NULL, &h, &hz),
		-EINVAL);
	assert_int_equal(emit_sender_batch_wait_hist_get(fx.s, NULL, &hz),
		-EINVAL);
	assert_memory_equal(&h, &poison, sizeof(h));
	assert_int_equal(hz, 1000000000);
}

static void
test_gauges(void **state)
{
	(void)state;
	fx.sc.policy = EMIT_POLICY_HOLD;
	fx.sc.wm_high = 40;
	fx.sc.wm_low = 8;
	up(false);
	assert_int_equal(sx("paused"), 0);
	assert_int_equal(emit_sender_pause(fx.s), 0);
	assert_int_equal(sx("paused"), 1);
	assert_int_equal(emit_sender_resume(fx.s), 0);
	assert_int_equal(sx("paused"), 0);
	assert_int_equal(sx("rate_target"), 0);
	assert_int_equal(emit_sender_rate_set(fx.s, 123456), 0);
	assert_int_equal(sx("rate_target"), 123456);
	assert_int_equal(emit_sender_rate_set(fx.s, 0), 0);
	fx.clock.now += 1000000000; /* 1 s */
	assert_int_equal(sx("rate_achieved"), 0);

	send_n(64); /* 63 fit the ring, 1 is held */
	fx.clock.now += 1000000000;
	assert_int_equal(sx("rate_achieved"), 32);
	assert_int_equal(sx("congested"), 1);
	assert_int_equal(sx("congestion_entries"), 1);
	assert_int_equal(sx("backpressure_active"), 1);
	assert_int_equal(sx("events_held"), 1);
	assert_int_equal(sx("events_pending"), 1);
	assert_int_equal(sx("ring_used"), 63);
	assert_int_equal(emit_send(fx.s, 1, "x", 1), -ENOBUFS);
	/* Room again: the held event leaves, congestion clears. */
	assert_int_equal(emit_test_ring_drain(fx.ring), 63);
	assert_int_equal(emit_poll(fx.s), 1);
	assert_int_equal(sx("backpressure_active"), 0);
	assert_int_equal(sx("events_held"), 0);
	assert_int_equal(emit_poll(fx.s), 0);
	assert_int_equal(sx("congested"), 0);
	assert_int_equal(sx("events_enqueued"), 64);
	/* The held events waited from their commit to the retry. */
	assert_int_equal(sx("batch_wait_samples"), 17);
	assert_int_equal(sx("batch_wait_max_ns"), 1000000000);
}

/* Totals since @p t0: the counters of objects freed by earlier tests
 * stay in the books (one of them took an event behind emit's back), so
 * this file's checks are on what changed since; the sums are checked on
 * the differences. Returns whether both hold. */
static int
totals_since(const struct emit_totals *t0, struct emit_totals *t)
{
	assert_int_equal(emit_totals_get(t), 0);
	t->events_committed -= t0->events_committed;
	t->events_enqueued -= t0->events_enqueued;
	t->bytes_enqueued -= t0->bytes_enqueued;
	t->events_dropped -= t0->events_dropped;
	t->tx_sent -= t0->tx_sent;
	t->tx_bytes -= t0->tx_bytes;
	t->tx_dropped -= t0->tx_dropped;
	t->sender_ok = t->events_committed == t->events_enqueued +
		t->events_dropped + t->events_pending;
	t->tx_ok = t->events_enqueued == t->tx_sent + t->tx_dropped +
		t->in_rings;
	return t->sender_ok && t->tx_ok;
}

static void
test_totals(void **state)
{
	struct emit_totals t, t0;
	struct rte_mbuf *m = NULL;

	(void)state;
	assert_int_equal(emit_totals_get(NULL), -EINVAL);
	assert_int_equal(emit_totals_get(&t0), 0);
	up(true);
	send_n(68);
	assert_int_equal(emit_send(fx.s, 1, "x", 1), 0); /* pending */
	assert_int_equal(emit_tx_poll(fx.tx), 32);
	assert_int_equal(totals_since(&t0, &t), 1);
	assert_int_equal(t.nb_senders, 1);
	assert_int_equal(t.nb_tx, 1);
	assert_int_equal(t.events_committed, 69);
	assert_int_equal(t.events_enqueued, 63);
	assert_int_equal(t.events_dropped, 5);
	assert_int_equal(t.events_pending, 1);
	assert_int_equal(t.tx_sent, 32);
	assert_int_equal(t.tx_dropped, 0);
	assert_int_equal(t.in_rings, 31);
	assert_int_equal(t.bytes_enqueued, 63 * (EMIT_FRAME_OVERHEAD + 8));
	assert_int_equal(t.tx_bytes, 32 * (EMIT_FRAME_OVERHEAD + 8));
	/* An event taken from the ring behind emit's back breaks the sum. */
	assert_int_equal(rte_ring_dequeue(fx.ring, (void **)&m), 0);
	rte_pktmbuf_free(m);
	assert_int_equal(totals_since(&t0, &t), 0);
	assert_int_equal(t.tx_ok, 0);
	assert_int_equal(t.sender_ok, 1);
	assert_int_equal(t.in_rings, 30);
	assert_int_equal(emit_conservation_check(&t), 0);
	assert_int_equal(t.tx_ok, 0);
}

/* Two lcores: the writer runs a sender and a TX stage; the reader resets
 * with get-and-reset all the while. What the reader collects plus what is
 * left since the last reset must equal the raw counters exactly. */
#define MT_EVENTS 200000

struct mt_writer {
	struct emit_sender *s;
	struct emit_tx *tx;
	bool reader_started;
	bool done;
	uint64_t sent_ok;
};

static int
mt_writer_main(void *arg)
{
	struct mt_writer *w = arg;
	uint64_t i;

	while (!__atomic_load_n(&w->reader_started, __ATOMIC_ACQUIRE))
		rte_pause();
	for (i = 0; i < MT_EVENTS; i++) {
		if (emit_send(w->s, 2, &i, sizeof(i)) == 0)
			w->sent_ok++;
		if ((i & 7) == 0)
			emit_tx_poll(w->tx);
	}
	emit_flush(w->s);
	while (emit_tx_in_rings(w->tx) != 0)
		emit_tx_poll(w->tx);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return 0;
}

static void
check_partition(const uint64_t *sum, const uint64_t *last,
		const uint64_t *raw, unsigned int nctr, unsigned int skip)
{
	unsigned int i;

	for (i = 0; i < nctr; i++)
		if (i != skip)
			assert_int_equal(sum[i] + last[i], raw[i]);
}

static void
test_reset_concurrent(void **state)
{
	uint64_t sv[XMAX], tv[XMAX], ssum[XMAX], tsum[XMAX], id_ws, id_ls;
	uint64_t id_ring_max, resets = 0;
	struct emit_sender_stats st;
	struct emit_tx_stats tt;
	struct emit_totals t0, t;
	struct mt_writer w;
	unsigned int worker, i;
	int ns, nt;

	(void)state;
	assert_int_equal(emit_totals_get(&t0), 0);
	fx.sc.clock = NULL;
	fx.sc.clock_hz = 0;
	fx.tc.clock = NULL;
	fx.tc.clock_hz = 0;
	up(true);
	worker = rte_get_next_lcore(-1, 1, 0);
	assert_true(worker < RTE_MAX_LCORE);
	ns = emit_sender_xstats_names_get(fx.s, NULL, 0);
	nt = emit_tx_xstats_names_get(fx.tx, NULL, 0);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s,
		"batch_wait_since_reset_samples", &id_ws, NULL), 0);
	assert_int_equal(emit_tx_xstats_get_by_name(fx.tx,
		"latency_since_reset_samples", &id_ls, NULL), 0);
	assert_int_equal(emit_sender_xstats_get_by_name(fx.s, "ring_max_used",
		&id_ring_max, NULL), 0);
	memset(ssum, 0, sizeof(ssum));
	memset(tsum, 0, sizeof(tsum));
	memset(&w, 0, sizeof(w));
	w.s = fx.s;
	w.tx = fx.tx;
	assert_int_equal(rte_eal_remote_launch(mt_writer_main, &w, worker), 0);
	__atomic_store_n(&w.reader_started, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		assert_int_equal(emit_sender_xstats_get_reset(fx.s, NULL, sv,
			XMAX), ns);
		assert_int_equal(emit_tx_xstats_get_reset(fx.tx, NULL, tv,
			XMAX), nt);
		for (i = 0; i < EMIT_SENDER_NB_STATS; i++)
			ssum[i] += sv[i];
		for (i = 0; i < EMIT_TX_NB_STATS; i++)
			tsum[i] += tv[i];
		ssum[id_ws] += sv[id_ws];
		tsum[id_ls] += tv[id_ls];
		resets++;
	}
	assert_int_equal(rte_eal_wait_lcore(worker), 0);
	printf("  %" PRIu64 " get-and-resets while the writer ran\n", resets);

	/* The rest since the last reset, and the raw counters. */
	assert_int_equal(emit_sender_xstats_get(fx.s, NULL, sv, XMAX), ns);
	assert_int_equal(emit_tx_xstats_get(fx.tx, NULL, tv, XMAX), nt);
	assert_int_equal(emit_sender_stats_get(fx.s, &st), 0);
	assert_int_equal(emit_tx_stats_get(fx.tx, &tt), 0);
	check_partition(ssum, sv, (const uint64_t *)&st, EMIT_SENDER_NB_STATS,
		(unsigned int)id_ring_max);
	check_partition(tsum, tv, (const uint64_t *)&tt, EMIT_TX_NB_STATS,
		UINT32_MAX);
	assert_int_equal(st.events_committed, MT_EVENTS);
	assert_int_equal(w.sent_ok, MT_EVENTS);
	assert_int_equal(tt.tx_sent, st.events_enqueued);
	/* Histogram samples partition the same way. */
	assert_int_equal(ssum[id_ws] + sv[id_ws], st.bursts_enqueued);
	/* Sampled per burst, the default. */
	assert_int_equal(tsum[id_ls] + tv[id_ls], tt.tx_bursts);
	assert_int_equal(totals_since(&t0, &t), 1);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_names),
		T(test_negative),
		T(test_reset),
		T(test_latency_packet),
		T(test_latency_burst_off),
		T(test_hist_get),
		T(test_gauges),
		T(test_totals),
		T(test_reset_concurrent),
	};
#undef T
	int rc;

	if (emit_test_eal_init("xstats", NULL, vdevs) != 0)
		return 1;
	if (emit_test_port_start(PORT, 1) != 0) {
		fprintf(stderr, "port start failed\n");
		return 1;
	}
	pool = emit_test_pool("xpool", 2047);
	if (pool == NULL)
		return 1;
	pool_full = rte_mempool_avail_count(pool);
	rc = cmocka_run_group_tests_name("xstats", tests, NULL, NULL);
	emit_test_port_stop(PORT);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
