/* SPDX-License-Identifier: BSD-3-Clause */
/* A process for the telemetry end-to-end test: EAL with the file prefix
 * given as the only argument, one sender (id 5) and one TX stage on a null
 * port, 1000 events sent; prints "ready" and serves telemetry until
 * SIGTERM or SIGINT, then frees everything and checks the mempool. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <emit.h>

#include "test_common.h"

#define EVENTS 1000

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "--no-pci", "-m",
		"256", "--vdev", "net_null0", "--log-level", "lib.eal:error",
		"--file-prefix", NULL, NULL };
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct rte_mempool *mp;
	struct rte_ring *ring;
	struct emit_sender *s;
	struct emit_tx *tx;
	sigset_t set;
	int sig, i, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE_PREFIX\n", argv[0]);
		return 2;
	}
	eal[RTE_DIM(eal) - 2] = argv[1];
	/* Block the stop signals before any thread exists: all threads
	 * inherit the mask and sigwait below takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "EAL init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	mp = emit_test_pool("e2e_pool", 2047);
	ring = emit_test_ring("e2e_ring", 256);
	if (mp == NULL || ring == NULL || emit_test_port_start(0, 1) != 0) {
		fprintf(stderr, "pool, ring or port failed\n");
		return 1;
	}
	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = ring;
	sc.id = 5;
	sc.burst = 8;
	emit_tx_conf_init(&tc);
	tc.port_id = 0;
	tc.rings[0] = ring;
	tc.nb_rings = 1;
	s = emit_sender_create(&sc);
	tx = emit_tx_create(&tc);
	if (s == NULL || tx == NULL) {
		fprintf(stderr, "create: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	for (i = 0; i < EVENTS; i++) {
		if (emit_send(s, 1, &i, sizeof(i)) != 0) {
			fprintf(stderr, "send failed\n");
			return 1;
		}
		if (i % 64 == 63)
			emit_tx_poll(tx);
	}
	emit_flush(s);
	while (emit_tx_in_rings(tx) != 0)
		emit_tx_poll(tx);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig) != 0)
		rc = 1;
	if (emit_conservation_check(NULL) != 1) {
		fprintf(stderr, "conservation check failed\n");
		rc = 1;
	}
	emit_sender_free(s);
	emit_tx_free(tx);
	emit_test_port_stop(0);
	rte_ring_free(ring);
	if (rte_mempool_full(mp) != 1) {
		fprintf(stderr, "mempool not full\n");
		rc = 1;
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return rc;
}
