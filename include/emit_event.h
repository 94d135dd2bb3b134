/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_EVENT_H
#define EMIT_EVENT_H

/**
 * @file
 * Typed events: EMIT_EVENT_DEFINE(name, type_id, ctype) generates
 *
 *   static inline int emit_claim_<name>(struct emit_sender *s, ctype **ev);
 *   static inline int emit_send_<name>(struct emit_sender *s, const ctype *ev);
 *
 * which claim (or claim, copy and commit) an event of type @p type_id whose
 * payload is exactly one @p ctype. Commit a claimed event with emit_commit.
 * The compiler checks that @p ctype fits the largest payload of a default
 * mbuf (EMIT_EVENT_LEN_MAX) and needs at most 8-byte alignment; a smaller
 * pool is checked at run time (-EMSGSIZE). Errors are those of emit_claim
 * and emit_send. Owner only, as emit_claim.
 */

#include <rte_mbuf.h>

#include "emit_sender.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest payload of a frame in a default-sized mbuf. */
#define EMIT_EVENT_LEN_MAX \
	(RTE_MBUF_DEFAULT_DATAROOM - 8 - EMIT_FRAME_OVERHEAD)

/** Define typed claim/send functions; see the file comment. */
#define EMIT_EVENT_DEFINE(name, type_id, ctype) \
	_Static_assert(sizeof(ctype) <= EMIT_EVENT_LEN_MAX, \
		"event type " #ctype " does not fit an mbuf"); \
	_Static_assert(_Alignof(ctype) <= 8, \
		"event type " #ctype " needs more than 8-byte alignment"); \
	_Static_assert((type_id) >= 0 && (type_id) <= 0xffff, \
		"event type id of " #name " is not 16-bit"); \
	static inline int \
	/* ctype is a type: it cannot be parenthesised in a declaration. */ \
	/* NOLINTNEXTLINE(bugprone-macro-parentheses) */ \
	emit_claim_##name(struct emit_sender *s, ctype **ev) \
	{ \
		void *p = NULL; \
		int rc; \
		if (unlikely(ev == NULL)) \
			return emit__misuse(s); \
		rc = emit_claim(s, (uint16_t)(type_id), \
				(uint16_t)sizeof(ctype), &p); \
		if (rc == 0) \
			*ev = (ctype *)p; \
		return rc; \
	} \
	static inline int \
	emit_send_##name(struct emit_sender *s, const ctype *ev) \
	{ \
		return emit_send(s, (uint16_t)(type_id), ev, \
				(uint16_t)sizeof(ctype)); \
	}

#ifdef __cplusplus
}
#endif

#endif /* EMIT_EVENT_H */
