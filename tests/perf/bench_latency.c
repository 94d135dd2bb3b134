/* SPDX-License-Identifier: BSD-3-Clause */
/* Cost of the commit-to-TX latency sampling: TX stage cycles per packet
 * with sampling off, per burst and per packet, on a null port, the modes
 * interleaved round by round so that machine noise hits them alike; and
 * cycles per histogram sample. Run by scripts/bench-latency.sh. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include <emit.h>

#include "test_common.h"

#define ROUNDS 301
#define RING 4096
#define NMODES 3

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Fill the ring (not timed), then time the TX stage draining it. */
static uint64_t
round_cycles(struct emit_sender *s, struct emit_tx *tx, uint64_t *pkts)
{
	void *data[32];
	uint64_t t0, t1, n = 0;
	int k;

	while (rte_ring_free_count(s->ring) >= 32) {
		k = emit_claim_burst(s, 1, 64, data, 32);
		if (k <= 0 || emit_commit_burst(s, (unsigned int)k) != k)
			return 0;
	}
	t0 = rte_rdtsc_precise();
	while (emit_tx_in_rings(tx) != 0)
		n += (uint64_t)emit_tx_poll(tx);
	t1 = rte_rdtsc_precise();
	*pkts += n;
	return t1 - t0;
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static const enum emit_tx_latency modes[NMODES] = {
		EMIT_TX_LATENCY_OFF, EMIT_TX_LATENCY_BURST,
		EMIT_TX_LATENCY_PACKET };
	static uint64_t per_round[NMODES][ROUNDS];
	static struct emit_hist h;
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_tx *tx[NMODES];
	struct emit_sender *s;
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint64_t pkts[NMODES] = { 0 }, med[NMODES], t0, t1, x = 1;
	unsigned int r, m, i;

	if (emit_test_eal_init("bench", "0", vdevs) != 0 ||
	    emit_test_port_start(0, NMODES) != 0)
		return 1;
	mp = emit_test_pool("bench_pool", 8191);
	ring = emit_test_ring("bench_ring", RING);
	if (mp == NULL || ring == NULL)
		return 1;
	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = ring;
	sc.burst = 32;
	s = emit_sender_create(&sc);
	for (m = 0; m < NMODES; m++) {
		emit_tx_conf_init(&tc);
		tc.port_id = 0;
		tc.queue_id = (uint16_t)m;
		tc.rings[0] = ring;
		tc.nb_rings = 1;
		tc.latency = modes[m];
		tx[m] = emit_tx_create(&tc);
		if (tx[m] == NULL)
			return 1;
	}
	if (s == NULL)
		return 1;
	for (r = 0; r < ROUNDS; r++)
		for (m = 0; m < NMODES; m++) {
			/* Rotate the order so no mode always goes first. */
			unsigned int k = (m + r) % NMODES;

			per_round[k][r] = round_cycles(s, tx[k], &pkts[k]);
		}
	printf("TX stage on net_null, burst 32, %u rounds of %u packets per "
		"mode, interleaved\n", ROUNDS, RING - 32);
	for (m = 0; m < NMODES; m++) {
		qsort(per_round[m], ROUNDS, sizeof(uint64_t), cmp_u64);
		med[m] = per_round[m][ROUNDS / 2];
	}
	for (m = 0; m < NMODES; m++)
		printf("  latency %-6s: %6.2f cycles/packet (median round), "
			"%6.2f Mpps at %.2f GHz, x%.3f of off\n",
			emit_tx_latency_name(modes[m]),
			(double)med[m] * ROUNDS / (double)pkts[m],
			(double)pkts[m] / ROUNDS /
			((double)med[m] / (double)rte_get_tsc_hz()) / 1e6,
			(double)rte_get_tsc_hz() / 1e9,
			(double)med[0] / (double)med[m]);

	emit_hist_init(&h);
	t0 = rte_rdtsc_precise();
	for (i = 0; i < 100000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		emit_hist_record(&h, x & 0xfffff);
	}
	t1 = rte_rdtsc_precise();
	printf("  emit_hist_record: %.2f cycles/sample\n",
		(double)(t1 - t0) / 1e8);

	for (m = 0; m < NMODES; m++)
		emit_tx_free(tx[m]);
	emit_sender_free(s);
	emit_test_port_stop(0);
	rte_ring_free(ring);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
