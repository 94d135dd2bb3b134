/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TEST_COMMON_H
#define EMIT_TEST_COMMON_H

/* Shared set-up of the test executables: one EAL per executable. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_mempool.h>
#include <rte_ring.h>

/* Exit code that meson reads as "skipped". */
#define EMIT_TEST_SKIP 77

/*
 * Start EAL with --no-huge --no-pci, lcores 0-1 (or @p lcores if not
 * NULL: a list for -l, or a map with '@' for --lcores), a file prefix unique to @p name and this process, and the given
 * NULL-terminated list of --vdev arguments (may be NULL). Returns 0 or -1.
 */
int emit_test_eal_init(const char *name, const char *lcores,
		const char *const *vdevs);

/* Configure @p port with @p nb_txq TX queues and no RX queue, and start
 * it. Returns 0 or a negative errno. */
int emit_test_port_start(uint16_t port, uint16_t nb_txq);

/* Stop and close @p port. */
void emit_test_port_stop(uint16_t port);

/*
 * A net_ring port named "net_ring_<name>" whose TX queue 0 and RX queue 0
 * are one SP/SC ring of @p count slots (a power of two): what the port
 * accepts comes back on its RX side, and while nobody reads it the port
 * refuses packets once count - 1 are in. Started. Returns the port id and
 * the ring in *@p ring, or a negative errno.
 */
int emit_test_ring_port(const char *name, unsigned int count,
		struct rte_mempool *mp, struct rte_ring **ring);

/* Stop, close and remove a port made by emit_test_ring_port, freeing the
 * mbufs left in its ring and the ring; returns how many were left. */
unsigned int emit_test_ring_port_free(uint16_t port, const char *name,
		struct rte_ring *ring);

/* A pktmbuf pool with @p n mbufs and the default buffer size. */
struct rte_mempool *emit_test_pool(const char *name, unsigned int n);

/* An SP/SC ring of @p count slots (a power of two). */
struct rte_ring *emit_test_ring(const char *name, unsigned int count);

/* Dequeue and free everything in descriptor ring @p r (struct
 * emit_desc elements); returns how many. */
unsigned int emit_test_ring_drain_elem(struct rte_ring *r);

/* Dequeue and free everything in @p r; returns how many. */
unsigned int emit_test_ring_drain(struct rte_ring *r);

/* A clock the tests drive: ticks stay where they are set. */
struct emit_test_clock {
	uint64_t now;
	uint64_t step; /* added on every read (0: frozen) */
};
uint64_t emit_test_clock_read(void *arg);

#endif /* EMIT_TEST_COMMON_H */
