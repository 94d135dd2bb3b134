/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_CTR_PVT_H
#define EMIT_CTR_PVT_H

/**
 * @file
 * @internal
 * The owner's add to a single-writer counter that other threads read with
 * relaxed atomic loads (the counters of senders and TX stages, the fields
 * of a histogram). Internal, do not include directly; installed only
 * because the inline fast path of the public headers needs it.
 */

#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The owner is the only writer: the add needs no atomic read-modify-write,
 * only a store that no reader sees torn. On x86-64 one add instruction to
 * memory does it: its store is a single aligned 8-byte store, atomic as
 * the relaxed store of the generic form is, and it replaces that form's
 * load, add and store (three instructions per counter on the data path).
 * The asm is volatile: the add is never dropped or merged with another.
 */

/** Owner-side relaxed add of @p n to @p *c. */
static __rte_always_inline void
emit__ctr_add(uint64_t *c, uint64_t n)
{
#ifdef RTE_ARCH_X86_64
	__asm__ volatile("addq %1, %0" : "+m" (*c) : "er" (n));
#else
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
#endif
}

/** Owner-side add of @p n to @p *c with release order: a reader whose
 * acquire load sees the new value also sees every store the owner made
 * before it. On x86-64 stores are not reordered with older stores, so the
 * add needs only to stay after them in the compiled code: the "memory"
 * clobber is that compiler barrier. */
static __rte_always_inline void
emit__ctr_add_rel(uint64_t *c, uint64_t n)
{
#ifdef RTE_ARCH_X86_64
	__asm__ volatile("addq %1, %0" : "+m" (*c) : "er" (n) : "memory");
#else
	__atomic_store_n(c, *c + n, __ATOMIC_RELEASE);
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* EMIT_CTR_PVT_H */
