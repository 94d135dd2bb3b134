/* SPDX-License-Identifier: BSD-3-Clause */
/* Bit-rate limiting: a sender paced in bits on the wire (EMIT_RATE_BITS)
 * admits, over every 10 ms window of a driven clock, the rate's bits to
 * within a frame or two with the IMIX size mix, while the same mix paced
 * in events/s at the mean frame (what a bit rate used to become) misses
 * the windows by the mix's randomness. Also the unit's plumbing: bad
 * values, aborts and failed claims give their tokens back, a live rate
 * change, the achieved bit rate. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

#define HZ        1000000000ull   /* 1 tick = 1 ns */
#define RATE_BPS  1000000000ull   /* 1 Gbit/s */
#define WINDOW    10000000ull     /* 10 ms */
#define NB_WINDOW 20
#define STEP      1000ull         /* claims every 1 us */

static struct rte_mempool *pool;
static struct rte_ring *ring;
static struct emit_test_clock clk;
static struct emit_frame_conf frame;

/* A sender of IMIX frames, or of frames of @p fixed bytes when not 0. */
static struct emit_sender *
mk_sender(enum emit_rate_unit unit, uint64_t rate, uint16_t fixed)
{
	struct emit_sender_conf c;

	emit_frame_conf_init(&frame);
	if (fixed != 0) {
		frame.size.mode = EMIT_SIZE_FIXED;
		frame.size.lo = fixed;
	} else {
		emit_size_mix_imix(&frame.size);
	}
	frame.seed = 7;
	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = ring;
	c.id = 1;
	c.burst = 8;
	c.rate = rate;
	c.rate_unit = unit;
	/* Deep enough that no token is lost between two 1 us steps. */
	c.rate_burst = 4;
	c.frame = &frame;
	c.clock = emit_test_clock_read;
	c.clock_arg = &clk;
	c.clock_hz = HZ;
	return emit_sender_create(&c);
}

/* Wire bits of what the ring holds, which it gives back to the pool. */
static uint64_t
drain_bits(void)
{
	struct rte_mbuf *m[64];
	uint64_t bits = 0;
	unsigned int n, i;

	while ((n = rte_ring_dequeue_burst(ring, (void **)m, 64, NULL)) != 0) {
		for (i = 0; i < n; i++)
			bits += (m[i]->pkt_len + EMIT_WIRE_OVERHEAD) * 8ull;
		rte_pktmbuf_free_bulk(m, n);
	}
	return bits;
}

/* Claim and commit as fast as the limit lets, for NB_WINDOW windows;
 * returns the largest relative error of one window's bits, in ppm. */
static uint64_t
worst_window_ppm(struct emit_sender *s)
{
	void *d[EMIT_BURST_MAX];
	uint64_t end, bits = 0, worst = 0, err, want = RATE_BPS * WINDOW / HZ;
	unsigned int w;
	int n;

	clk.now = 1;
	clk.step = 0;
	/* One window to reach the steady state (the bucket's start). */
	for (w = 0; w <= NB_WINDOW; w++) {
		end = clk.now + WINDOW;
		bits = 0;
		while (clk.now < end) {
			while ((n = emit_claim_burst(s, 1, 0, d, 32)) > 0)
				assert_int_equal(emit_commit_burst(s,
					(unsigned int)n), n);
			assert_int_equal(n, -EAGAIN);
			assert_true(emit_flush(s) >= 0);
			bits += drain_bits();
			clk.now += STEP;
		}
		if (w == 0)
			continue;
		err = bits > want ? bits - want : want - bits;
		err = err * 1000000 / want;
		if (err > worst)
			worst = err;
	}
	return worst;
}

static void
test_bits_per_window(void **state)
{
	struct emit_sender *s;
	uint64_t bits_ppm, events_ppm;
	int mean;

	(void)state;
	s = mk_sender(EMIT_RATE_BITS, RATE_BPS, 0);
	assert_non_null(s);
	assert_int_equal(emit_sender_rate_unit(s), EMIT_RATE_BITS);
	assert_int_equal(emit_sender_rate_get(s), RATE_BPS);
	bits_ppm = worst_window_ppm(s);
	/* The achieved rate is in bits too: about 1 Gbit/s. */
	assert_true(emit_sender_rate_achieved(s) > RATE_BPS / 100 * 95);
	assert_true(emit_sender_rate_achieved(s) < RATE_BPS / 100 * 105);
	emit_sender_free(s);

	/* The same mix in events/s at the mean frame. */
	mean = emit_frame_len_mean(&frame, 0);
	assert_true(mean > 0);
	s = mk_sender(EMIT_RATE_EVENTS, RATE_BPS /
		(((uint64_t)mean + EMIT_WIRE_OVERHEAD) * 8), 0);
	assert_non_null(s);
	events_ppm = worst_window_ppm(s);
	emit_sender_free(s);
	printf("bitrate: worst 10 ms window: %.3f %% paced in bits, "
		"%.3f %% paced in events/s\n", (double)bits_ppm / 1e4,
		(double)events_ppm / 1e4);
	/* Within two of the largest frames (1538 bytes on the wire) of
	 * 10 Mbit: 0.25 %. */
	assert_true(bits_ppm < 2500);
	assert_true(events_ppm > 2500);
	assert_int_equal(rte_mempool_avail_count(pool), 1023);
}

/* A fixed frame size shorter than the claim's frame (60 bytes, the
 * compact header): a burst is charged its own frames, 84 bytes on the
 * wire each, not the 66-byte frame of an empty claim. */
static void
test_bits_fixed(void **state)
{
	struct emit_sender *s;
	uint64_t ppm;

	(void)state;
	s = mk_sender(EMIT_RATE_BITS, RATE_BPS, 60);
	assert_non_null(s);
	ppm = worst_window_ppm(s);
	printf("bitrate: worst 10 ms window, 60-byte frames: %.3f %%\n",
		(double)ppm / 1e4);
	/* Within two frames (84 bytes on the wire) of 10 Mbit: 0.02 %. */
	assert_true(ppm < 200);
	emit_sender_free(s);
	assert_int_equal(rte_mempool_avail_count(pool), 1023);
}

/* Tokens come back for aborted claims; a fixed-length claim of a sender
 * without a size mix costs its own frame; rate changes keep the unit. */
static void
test_bits_plumbing(void **state)
{
	struct emit_sender_conf c;
	struct emit_sender *s;
	void *d[EMIT_BURST_MAX];
	void *p;
	unsigned int i;
	int n;

	(void)state;
	emit_sender_conf_init(&c);
	c.mp = pool;
	c.ring = ring;
	c.id = 2;
	c.rate_unit = 2;
	assert_null(emit_sender_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	/* 100 frames of 100 bytes (124 on the wire) a second. */
	c.rate_unit = EMIT_RATE_BITS;
	c.rate = 100 * 124 * 8;
	c.rate_burst = 1;
	c.burst = 1;
	c.clock = emit_test_clock_read;
	c.clock_arg = &clk;
	c.clock_hz = HZ;
	clk.now = 1;
	clk.step = 0;
	s = emit_sender_create(&c);
	assert_non_null(s);
	/* The bucket starts with one largest frame: several 100-byte
	 * frames fit; an abort gives its frame back exactly. */
	n = emit_claim_burst(s, 1, 100 - EMIT_FRAME_OVERHEAD, d, 32);
	assert_true(n > 1);
	assert_int_equal(emit_abort_burst(s), n);
	assert_int_equal(emit_claim_burst(s, 1, 100 - EMIT_FRAME_OVERHEAD,
		d, 32), n);
	assert_int_equal(emit_commit_burst(s, (unsigned int)n), n);
	assert_int_equal(emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p),
		-EAGAIN);
	/* 10 ms: one 124-byte frame's worth. */
	clk.now += 10000000;
	assert_int_equal(emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p), 0);
	assert_int_equal(emit_abort(s), 0);
	assert_int_equal(emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p), 0);
	assert_int_equal(emit_commit(s), 0);
	assert_int_equal(emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p),
		-EAGAIN);
	/* A live change, in bits/s too: 10 times more. */
	assert_int_equal(emit_sender_rate_set(s, 1000 * 124 * 8), 0);
	assert_int_equal(emit_sender_rate_get(s), 1000 * 124 * 8);
	/* Applied by the owner at its next claim, still refused. */
	assert_int_equal(emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p),
		-EAGAIN);
	clk.now += 10000000;
	for (i = 0; emit_claim(s, 1, 100 - EMIT_FRAME_OVERHEAD, &p) == 0;
	     i++)
		assert_int_equal(emit_commit(s), 0);
	assert_true(i >= 9 && i <= 11);
	assert_int_equal(emit_sender_rate_unit(NULL), -EINVAL);
	emit_sender_free(s);
	drain_bits();
	assert_int_equal(rte_mempool_avail_count(pool), 1023);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_per_window),
		cmocka_unit_test(test_bits_fixed),
		cmocka_unit_test(test_bits_plumbing),
	};
	int rc;

	if (emit_test_eal_init("bitrate", "0", NULL) != 0)
		return 1;
	pool = emit_test_pool("br_pool", 1023);
	ring = emit_test_ring("br_ring", 512);
	if (pool == NULL || ring == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("bitrate", tests, NULL, NULL);
	rte_ring_free(ring);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
