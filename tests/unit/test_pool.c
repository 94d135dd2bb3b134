/* SPDX-License-Identifier: BSD-3-Clause */
/* emit_pool_create(): without hugepages and with IOVA as VA the mbufs lie
 * back to back, spread over the L1 sets, each with its buffer's address as
 * buf_iova, in one zone the pool frees with itself; DPDK's own pool puts
 * one mbuf per 4 KiB page, where the same line of every mbuf falls in one
 * set. Otherwise (IOVA as PA) the pool is DPDK's. Bad arguments are
 * refused and leave no zone behind. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include <emit.h>

#include "test_common.h"

#define N 1023u
#define BURST 32u
#define PAGE 4096u

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a;
	uintptr_t y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

static void
zone_count(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	(*(unsigned int *)arg)++;
}

static unsigned int
zones(void)
{
	unsigned int n = 0;

	rte_memzone_walk(zone_count, &n);
	return n;
}

/* Take every mbuf of @p mp into @p objs (sorted by address); the smallest
 * gap between two neighbours, and the L1 sets (64 of 64 bytes) of the
 * first line of BURST mbufs as the pool's cache hands them out. */
static uintptr_t
layout(struct rte_mempool *mp, void **objs, unsigned int *sets)
{
	uint64_t seen = 0;
	uintptr_t gap = UINTPTR_MAX;
	unsigned int i;

	assert_int_equal(rte_mempool_get_bulk(mp, objs, N), 0);
	for (i = 0; i < BURST; i++)
		seen |= 1ull << (((uintptr_t)objs[i] >> 6) & 63);
	*sets = (unsigned int)__builtin_popcountll(seen);
	qsort(objs, N, sizeof(objs[0]), cmp_ptr);
	for (i = 1; i < N; i++)
		if ((uintptr_t)objs[i] - (uintptr_t)objs[i - 1] < gap)
			gap = (uintptr_t)objs[i] - (uintptr_t)objs[i - 1];
	return gap;
}

static void
test_layout(void **state)
{
	static void *objs[N];
	struct rte_mempool *mp, *dp;
	const struct rte_memzone *mz;
	unsigned int i, sets, dsets, z0 = zones();
	uintptr_t gap, dgap;
	int packed = !rte_eal_has_hugepages() &&
		rte_eal_iova_mode() == RTE_IOVA_VA;

	RTE_SET_USED(state);
	mp = emit_pool_create("pool_pk", N, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(emit_pool_packed(mp), packed);
	assert_int_equal(rte_mempool_avail_count(mp), N);
	dp = rte_pktmbuf_pool_create("pool_dpdk", N, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(dp);
	assert_int_equal(emit_pool_packed(dp), 0);

	gap = layout(mp, objs, &sets);
	mz = rte_memzone_lookup("EP_pool_pk");
	for (i = 0; i < N; i++) {
		struct rte_mbuf *m = objs[i];

		assert_ptr_equal(m->pool, mp);
		assert_int_equal(m->buf_len, RTE_MBUF_DEFAULT_BUF_SIZE);
		assert_int_equal(rte_mbuf_refcnt_read(m), 1);
		assert_int_equal(m->nb_segs, 1);
		assert_null(m->next);
		assert_ptr_equal(m->buf_addr, (uint8_t *)m + sizeof(*m));
		if (packed) {
			/* IOVA as VA: the buffer's IOVA is its address. */
			assert_int_equal(m->buf_iova, (uintptr_t)m->buf_addr);
			assert_true((uintptr_t)m >= (uintptr_t)mz->addr);
			assert_true((uintptr_t)m + sizeof(*m) + m->buf_len <=
				(uintptr_t)mz->addr + mz->len);
		}
	}
	rte_mempool_put_bulk(mp, objs, N);
	assert_int_equal(rte_mempool_avail_count(mp), N);

	dgap = layout(dp, objs, &dsets);
	rte_mempool_put_bulk(dp, objs, N);
	if (packed) {
		assert_non_null(mz);
		/* Packed: a mbuf and its mempool header, padded to an odd
		 * number of lines, not a page. */
		assert_true(gap < PAGE);
		assert_true((gap / RTE_CACHE_LINE_SIZE) % 2 == 1);
		assert_true(sets >= BURST / 2);
		/* DPDK's: one per page, the first lines of a burst in one
		 * set. */
		assert_true(dgap >= PAGE);
		assert_int_equal(dsets, 1);
	} else {
		assert_null(mz);
	}
	rte_mempool_free(dp);
	rte_mempool_free(mp);
	assert_null(rte_memzone_lookup("EP_pool_pk"));
	assert_int_equal(zones(), z0);
}

static void
test_refused(void **state)
{
	struct rte_mempool *mp;
	unsigned int z0 = zones();

	RTE_SET_USED(state);
	rte_errno = 0;
	assert_null(emit_pool_create(NULL, N, 0, 0, 2048, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(emit_pool_create("pool_z", 0, 0, 0, 2048,
		SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(emit_pool_create("pool_p", N, 0, 3, 2048,
		SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(emit_pool_create("pool_name_longer_than_a_mempool_takes",
		N, 0, 0, 2048, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, ENAMETOOLONG);
	assert_int_equal(zones(), z0);

	mp = emit_pool_create("pool_twice", N, 0, 0, 2048, SOCKET_ID_ANY);
	assert_non_null(mp);
	rte_errno = 0;
	assert_null(emit_pool_create("pool_twice", N, 0, 0, 2048,
		SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EEXIST);
	assert_int_equal(rte_mempool_avail_count(mp), N);
	rte_mempool_free(mp);
	assert_int_equal(zones(), z0);
	assert_int_equal(emit_pool_packed(NULL), 0);
}

/* A pipeline's pools are emit_pool_create()'s. */
static int
step_done(struct emit_sender *s, unsigned int idx, void *arg)
{
	RTE_SET_USED(s);
	RTE_SET_USED(idx);
	RTE_SET_USED(arg);
	return 1;
}

static void
pipeline_pool(struct rte_mempool *mp, void *arg)
{
	if (strncmp(mp->name, "emit_pl", 7) == 0)
		*(struct rte_mempool **)arg = mp;
}

static void
test_pipeline_pool(void **state)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline *p;
	struct rte_mempool *mp = NULL;
	unsigned int z0 = zones();
	int packed = !rte_eal_has_hugepages() &&
		rte_eal_iova_mode() == RTE_IOVA_VA;

	RTE_SET_USED(state);
	emit_pipeline_conf_init(&c);
	c.nb_senders = 1;
	c.nb_tx = 1;
	c.sender_lcores[0] = rte_get_next_lcore(-1, 1, 0);
	c.tx_lcores[0] = rte_get_main_lcore();
	c.ports[0] = 0;
	c.nb_ports = 1;
	c.step = step_done;
	p = emit_pipeline_create(&c);
	assert_non_null(p);
	rte_mempool_walk(pipeline_pool, &mp);
	assert_non_null(mp);
	assert_int_equal(emit_pool_packed(mp), packed);
	assert_int_equal(rte_mempool_avail_count(mp),
		emit_pipeline_pool_size(p));
	emit_pipeline_free(p);
	assert_int_equal(zones(), z0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pipeline_pool),
	};
	static const char *const vdevs[] = { "net_null0", NULL };

	if (emit_test_eal_init("pool", "0-1", vdevs) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
