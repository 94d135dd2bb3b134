/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "test_common.h"

int
emit_test_eal_init(const char *name, const char *lcores,
		const char *const *vdevs)
{
	static char prefix[96];
	char *argv[64];
	int argc = 0, i;

	snprintf(prefix, sizeof(prefix), "emit-test-%s-%d", name,
		(int)getpid());
	argv[argc++] = (char *)(uintptr_t)name;
	/* A map such as "0@0,1@1,2@0" goes to --lcores, a list to -l. */
	argv[argc++] = (char *)(uintptr_t)(lcores != NULL &&
		strchr(lcores, '@') != NULL ? "--lcores" : "-l");
	argv[argc++] = (char *)(uintptr_t)(lcores != NULL ? lcores : "0-1");
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"512";
	argv[argc++] = (char *)(uintptr_t)"--file-prefix";
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--log-level";
	argv[argc++] = (char *)(uintptr_t)"lib.eal:error";
	for (i = 0; vdevs != NULL && vdevs[i] != NULL && argc < 60; i++) {
		argv[argc++] = (char *)(uintptr_t)"--vdev";
		argv[argc++] = (char *)(uintptr_t)vdevs[i];
	}
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int
emit_test_port_start(uint16_t port, uint16_t nb_txq)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 0, nb_txq, &conf);
	if (rc != 0)
		return rc;
	for (q = 0; q < nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port, q, 512,
				rte_eth_dev_socket_id(port), NULL);
		if (rc != 0)
			return rc;
	}
	return rte_eth_dev_start(port);
}

void
emit_test_port_stop(uint16_t port)
{
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
}

int
emit_test_ring_port(const char *name, unsigned int count,
		struct rte_mempool *mp, struct rte_ring **ring)
{
	struct rte_eth_conf conf;
	struct rte_ring *r;
	char rname[RTE_RING_NAMESIZE];
	int port, rc;

	snprintf(rname, sizeof(rname), "port_%s", name);
	r = emit_test_ring(rname, count);
	if (r == NULL)
		return -rte_errno;
	port = rte_eth_from_rings(name, &r, 1, &r, 1, rte_socket_id());
	if (port < 0) {
		rc = -rte_errno;
		rte_ring_free(r);
		return rc;
	}
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure((uint16_t)port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup((uint16_t)port, 0, 64,
				rte_eth_dev_socket_id((uint16_t)port), NULL,
				mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup((uint16_t)port, 0, 64,
				rte_eth_dev_socket_id((uint16_t)port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start((uint16_t)port);
	if (rc != 0) {
		emit_test_ring_port_free((uint16_t)port, name, r);
		return rc;
	}
	*ring = r;
	return port;
}

unsigned int
emit_test_ring_port_free(uint16_t port, const char *name,
		struct rte_ring *ring)
{
	char dev[64];
	unsigned int left;

	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	snprintf(dev, sizeof(dev), "net_ring_%s", name);
	rte_eal_hotplug_remove("vdev", dev);
	/* The port was made from a ring it does not own: free it here. */
	left = emit_test_ring_drain(ring);
	rte_ring_free(ring);
	return left;
}

struct rte_mempool *
emit_test_pool(const char *name, unsigned int n)
{
	return rte_pktmbuf_pool_create(name, n, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
}

struct rte_ring *
emit_test_ring(const char *name, unsigned int count)
{
	return rte_ring_create(name, count, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
}

unsigned int
emit_test_ring_drain_elem(struct rte_ring *r)
{
	struct emit_desc d[32];
	unsigned int n, i, total = 0;

	while ((n = rte_ring_dequeue_burst_elem(r, d, sizeof(d[0]), 32,
			NULL)) != 0) {
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(d[i].m);
		total += n;
	}
	return total;
}

unsigned int
emit_test_ring_drain(struct rte_ring *r)
{
	void *objs[64];
	unsigned int n, total = 0;

	while ((n = rte_ring_dequeue_burst(r, objs, 64, NULL)) != 0) {
		rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, n);
		total += n;
	}
	return total;
}

uint64_t
emit_test_clock_read(void *arg)
{
	struct emit_test_clock *c = arg;
	uint64_t now = c->now;

	c->now += c->step;
	return now;
}
