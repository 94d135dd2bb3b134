/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TEST_CONTROLS_H
#define EMIT_TEST_CONTROLS_H

/* Shared fixture of the emission-control tests (test_controls*.c): one
 * sender on a driven clock (1 tick = 1 ns unless a test changes
 * clock_hz), a fresh ring per test, one pool for the whole executable. */

#include <stdint.h>

#include <emit.h>

#include "test_common.h"

struct ctl_fixture {
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_sender_conf conf;
	struct emit_test_clock clock;
};

extern struct ctl_fixture cfx;
extern struct rte_mempool *ctl_pool;
extern unsigned int ctl_pool_full;
extern unsigned int ctl_worker;

/* Fresh ring of @p ring_size slots and a default conf: id 5, burst 4,
 * DROP, clock at 1000 ticks of 1 ns, frozen. */
void ctl_conf(unsigned int ring_size);
/* Create the sender from cfx.conf. */
void ctl_up(void);

int ctl_setup(void **state);
/* Free sender and ring; check that the pool is full again. */
int ctl_teardown(void **state);

/* Sequence number of an event (from its header). */
uint64_t ctl_seq(const struct rte_mbuf *m);

/* Dequeue and free up to @p n events of cfx.ring; returns how many. */
unsigned int ctl_take(unsigned int n);

/* committed = enqueued + dropped + pending, for @p pending. */
void ctl_conservation(uint64_t pending);

/* Tests in test_controls_flow.c. */
void test_wm_hysteresis(void **state);
void test_wm_early_backpressure(void **state);
void test_wm_early_backpressure_exact(void **state);
void test_wm_burst_claims(void **state);
void test_hooks_fire(void **state);
void test_hooks_hold_spin(void **state);
void test_hooks_quiet(void **state);
void test_hooks_tx_drop(void **state);
void test_gap_jitter(void **state);
void test_gap_spin(void **state);

#endif /* EMIT_TEST_CONTROLS_H */
