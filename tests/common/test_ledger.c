/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "test_ledger.h"

int
emit_test_ledger_init(struct emit_test_ledger *l, uint16_t id0,
		unsigned int nb, uint64_t size)
{
	unsigned int i;

	memset(l, 0, sizeof(*l));
	if (nb > EMIT_LEDGER_SENDERS)
		return -1;
	l->id0 = id0;
	l->nb = nb;
	l->size = size;
	for (i = 0; i < nb; i++) {
		l->fate[i] = calloc(size, 1);
		if (l->fate[i] == NULL)
			return -1;
	}
	return 0;
}

void
emit_test_ledger_fini(struct emit_test_ledger *l)
{
	unsigned int i;

	for (i = 0; i < EMIT_LEDGER_SENDERS; i++) {
		free(l->fate[i]);
		l->fate[i] = NULL;
	}
}

static const struct emit_hdr *
hdr_of(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, const struct emit_hdr *,
			EMIT_L2L4_LEN);
}

/* Sender index of @p h, or nb if unknown. */
static unsigned int
index_of(const struct emit_test_ledger *l, const struct emit_hdr *h)
{
	unsigned int i = (uint16_t)(rte_be_to_cpu_16(h->sender) - l->id0);

	return i < l->nb ? i : l->nb;
}

static void
mark_one(struct emit_test_ledger *l, unsigned int i, uint64_t seq,
		unsigned int fate)
{
	if (i >= l->nb || seq >= l->size) {
		__atomic_fetch_add(&l->bad, 1, __ATOMIC_RELAXED);
		return;
	}
	if (__atomic_exchange_n(&l->fate[i][seq], (uint8_t)fate,
			__ATOMIC_RELAXED) != 0)
		__atomic_fetch_add(&l->twice, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&l->count[i][fate], 1, __ATOMIC_RELAXED);
}

void
emit_test_ledger_mark(struct emit_test_ledger *l,
		struct rte_mbuf *const *pkts, unsigned int n, unsigned int fate)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		const struct emit_hdr *h = hdr_of(pkts[k]);

		mark_one(l, index_of(l, h), rte_be_to_cpu_64(h->seq), fate);
	}
}

unsigned int
emit_test_ledger_receive(struct emit_test_ledger *l, uint16_t port)
{
	struct rte_mbuf *pkts[64];
	unsigned int n, k, i, total = 0;

	while ((n = rte_eth_rx_burst(port, 0, pkts, 64)) != 0) {
		for (k = 0; k < n; k++) {
			const struct emit_hdr *h = hdr_of(pkts[k]);
			uint64_t seq = rte_be_to_cpu_64(h->seq);

			i = index_of(l, h);
			if (i < l->nb && seq < l->rx_next[i]) {
				/* Out of order: one path per sender keeps
				 * its order. */
				__atomic_fetch_add(&l->bad, 1,
					__ATOMIC_RELAXED);
				continue;
			}
			if (i < l->nb)
				l->rx_next[i] = seq + 1;
			mark_one(l, i, seq, EMIT_LEDGER_RX);
		}
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	}
	return total;
}

uint64_t
emit_test_ledger_count(const struct emit_test_ledger *l, unsigned int i,
		unsigned int fate)
{
	return __atomic_load_n(&l->count[i][fate], __ATOMIC_RELAXED);
}

uint64_t
emit_test_ledger_missing(const struct emit_test_ledger *l, unsigned int i,
		uint64_t committed)
{
	uint64_t k, missing = 0;

	for (k = 0; k < l->size; k++)
		if ((l->fate[i][k] == 0) != (k >= committed))
			missing++;
	return missing;
}

void
emit_test_ledger_sender_hook(struct emit_sender *s,
		enum emit_drop_reason reason, struct rte_mbuf *const *pkts,
		unsigned int n, void *arg)
{
	(void)s;
	emit_test_ledger_mark(arg, pkts, n, EMIT_LEDGER_DROP(reason));
}

void
emit_test_ledger_tx_hook(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg)
{
	(void)tx;
	emit_test_ledger_mark(arg, pkts, n, EMIT_LEDGER_DROP(reason));
}
