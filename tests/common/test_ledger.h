/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TEST_LEDGER_H
#define EMIT_TEST_LEDGER_H

/*
 * A ledger of event fates for the fault tests: one byte per (sender, seq)
 * records how each event ended, received at a port or dropped with a
 * reason (reported by a drop hook). Marking is atomic, so hooks on
 * different lcores may mark at once; an event marked twice, or one whose
 * sender or seq is unknown, is counted apart.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include <emit.h>

/* Fates: 0 none yet, 1 + enum emit_drop_reason, or received. */
#define EMIT_LEDGER_DROP(reason) (1u + (unsigned int)(reason))
#define EMIT_LEDGER_RX (EMIT_LEDGER_DROP(EMIT_DROP_TX_CLOSED) + 1)
#define EMIT_LEDGER_FATES (EMIT_LEDGER_RX + 1)
#define EMIT_LEDGER_SENDERS 4

struct emit_test_ledger {
	uint16_t id0;                     /* wire id of sender 0 */
	unsigned int nb;                  /* senders */
	uint64_t size;                    /* seqs tracked per sender */
	uint8_t *fate[EMIT_LEDGER_SENDERS];
	uint64_t count[EMIT_LEDGER_SENDERS][EMIT_LEDGER_FATES]; /* atomics */
	uint64_t rx_next[EMIT_LEDGER_SENDERS]; /* receiver: next seq above */
	uint64_t twice;                   /* atomic */
	uint64_t bad;                     /* atomic: unknown, out of order */
};

/* Set up for @p nb senders with ids id0.. and @p size seqs each; 0 or -1. */
int emit_test_ledger_init(struct emit_test_ledger *l, uint16_t id0,
		unsigned int nb, uint64_t size);
void emit_test_ledger_fini(struct emit_test_ledger *l);

/* Record @p fate for @p n events. */
void emit_test_ledger_mark(struct emit_test_ledger *l,
		struct rte_mbuf *const *pkts, unsigned int n, unsigned int fate);

/* Read everything @p port (a net_ring loop-back port) holds, check that
 * each sender's seqs rise, mark them received and free them. Returns how
 * many. One thread at a time. */
unsigned int emit_test_ledger_receive(struct emit_test_ledger *l,
		uint16_t port);

/* Events of sender @p i with fate @p fate. */
uint64_t emit_test_ledger_count(const struct emit_test_ledger *l,
		unsigned int i, unsigned int fate);

/* Seqs [0, committed) of sender @p i with no fate (lost), plus any event
 * of it beyond: 0 when every committed event has exactly one fate. */
uint64_t emit_test_ledger_missing(const struct emit_test_ledger *l,
		unsigned int i, uint64_t committed);

/* Drop hooks; arg is the ledger. */
void emit_test_ledger_sender_hook(struct emit_sender *s,
		enum emit_drop_reason reason, struct rte_mbuf *const *pkts,
		unsigned int n, void *arg);
void emit_test_ledger_tx_hook(struct emit_tx *tx,
		enum emit_drop_reason reason, struct rte_mbuf *const *pkts,
		unsigned int n, void *arg);

#endif /* EMIT_TEST_LEDGER_H */
