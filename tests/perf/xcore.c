/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache-line round trip between the main lcore and the first worker: one
 * lcore writes a line, the other sees it and writes back on another line,
 * many times. Half of it is what moving an mbuf's cache line between a
 * sender lcore and a TX lcore costs when nothing overlaps the transfer, so
 * it explains the split layout's throughput on a given machine.
 * Usage: emit-xcore [EAL options] -- [round trips]
 * Prints "round_trip_ns N".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

struct pingpong {
	uint64_t ping __rte_cache_aligned;
	uint64_t pong __rte_cache_aligned;
	uint64_t n;
};

static int
ponger(void *arg)
{
	struct pingpong *pp = arg;
	uint64_t i;

	for (i = 1; i <= pp->n; i++) {
		while (__atomic_load_n(&pp->ping, __ATOMIC_ACQUIRE) != i)
			;
		__atomic_store_n(&pp->pong, i, __ATOMIC_RELEASE);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct pingpong pp;
	unsigned int worker;
	uint64_t i, t0, t1;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "emit-xcore: EAL init failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	pp.n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (pp.n == 0 || worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "emit-xcore: needs two lcores (-l 0-1) and a "
			"round-trip count > 0\n");
		rte_eal_cleanup();
		return 2;
	}
	if (rte_eal_remote_launch(ponger, &pp, worker) != 0) {
		fprintf(stderr, "emit-xcore: cannot launch lcore %u\n", worker);
		rte_eal_cleanup();
		return 1;
	}
	t0 = rte_rdtsc();
	for (i = 1; i <= pp.n; i++) {
		__atomic_store_n(&pp.ping, i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&pp.pong, __ATOMIC_ACQUIRE) != i)
			;
	}
	t1 = rte_rdtsc();
	rte_eal_mp_wait_lcore();
	printf("round_trip_ns %.1f\n", (double)(t1 - t0) * 1e9 /
		(double)rte_get_tsc_hz() / (double)pp.n);
	rte_eal_cleanup();
	return 0;
}
