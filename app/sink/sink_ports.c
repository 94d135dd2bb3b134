/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink ports: --rx-queues RX queues on every port EAL brings, and
 * the queues shared among the lcores. */
#include <errno.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "sink.h"

/*
 * A net_pcap port given rx_pcap= replays a file. Its RX burst returns
 * fewer frames than asked only at the end of the file, on a read error
 * (counted in ierrors, and the file cannot be read further), or when the
 * mempool is empty (counted in rx_nombuf). The receive loop frees every
 * mbuf before it polls again, so an empty burst with rx_nombuf unchanged
 * since the previous empty burst means the file is over: from there on
 * the driver returns 0 forever. With infinite_rx=1 the file loops and
 * never ends. Each rx_pcap= is one RX queue, read to its own end.
 */
static bool
port_is_file(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da;

	if (info->device == NULL || info->driver_name == NULL ||
	    strcmp(info->driver_name, "net_pcap") != 0)
		return false;
	da = rte_dev_devargs(info->device);
	if (da == NULL || da->args == NULL)
		return false;
	return strstr(da->args, "rx_pcap=") != NULL &&
		strstr(da->args, "infinite_rx=1") == NULL;
}

int
sink_rxq_at_end(struct sink_rxq *q)
{
	struct rte_eth_stats st;

	if (!q->port->finite)
		return 0;
	if (rte_eth_stats_get(q->port->port_id, &st) != 0)
		return 0;
	/* rx_nombuf is the port's: another queue's shortage only puts the
	 * end off by a poll. */
	if (st.rx_nombuf != q->nombuf_seen) {
		q->nombuf_seen = st.rx_nombuf;
		return 0;
	}
	return 1;
}

static int
port_start(struct sink *k, struct sink_port *p)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nb_rxd = (uint16_t)k->o.rx_desc, nb_txd = 512, nb_txq;
	uint16_t nq = k->o.rx_queues, q;
	int socket, rc;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0)
		return rc;
	/* Display names: cut to fit. */
	if (rte_eth_dev_get_name_by_port(p->port_id, p->name) != 0)
		(void)snprintf(p->name, sizeof(p->name), "port%u", p->port_id);
	(void)snprintf(p->driver, sizeof(p->driver), "%s",
		info.driver_name != NULL ? info.driver_name : "?");
	if (info.max_rx_queues == 0) {
		fprintf(stderr, SINK_NAME ": port %u (%s) cannot receive\n",
			p->port_id, p->name);
		return -ENOTSUP;
	}
	if (info.max_rx_queues < nq) {
		fprintf(stderr, SINK_NAME ": port %u (%s) has %u RX queue(s), "
			"--rx-queues asks %u (net_af_packet: qpairs=N; "
			"net_pcap: one rx_pcap= per queue)\n", p->port_id,
			p->name, info.max_rx_queues, nq);
		return -EINVAL;
	}
	p->finite = port_is_file(&info);
	p->pcap_ts = strcmp(p->driver, "net_pcap") == 0;
	/* Some drivers insist on a TX queue; it stays unused. */
	nb_txq = info.max_tx_queues > 0 ? 1 : 0;
	memset(&conf, 0, sizeof(conf));
	/* A NIC spreads by RSS on addresses and UDP ports: a flow, and any
	 * copy of one of its frames, stays on one queue. Virtual devices
	 * spread by their own rule (net_af_packet: the kernel's fanout by
	 * flow hash; net_pcap: one file per queue). */
	if (nq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP);
	}
	rc = rte_eth_dev_configure(p->port_id, nq, nb_txq, &conf);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		return rc;
	socket = rte_eth_dev_socket_id(p->port_id);
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd, socket,
				NULL, k->pool);
		if (rc != 0)
			return rc;
	}
	if (nb_txq > 0) {
		rc = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, socket,
				NULL);
		if (rc != 0)
			return rc;
	}
	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0)
		return rc;
	/* Frames for other MAC addresses are ours too. */
	rc = rte_eth_promiscuous_enable(p->port_id);
	if (rc != 0 && rc != -ENOTSUP)
		fprintf(stderr, SINK_NAME ": port %u: promiscuous mode: %s\n",
			p->port_id, rte_strerror(-rc));
	return 0;
}

/* Every port's queues, port by port, to the lcores in turn: queue i
 * to the i-th lcore (the main one first), modulo their number. */
static int
rxq_share(struct sink *k)
{
	unsigned int lcores[RTE_MAX_LCORE], nb = 0, i;
	uint16_t pi, q;
	unsigned int lc;

	k->nb_rxq = (unsigned int)k->nb_ports * k->o.rx_queues;
	k->rxq = rte_zmalloc("sink_rxq", sizeof(*k->rxq) * k->nb_rxq,
		RTE_CACHE_LINE_SIZE);
	if (k->rxq == NULL) {
		fprintf(stderr, SINK_NAME ": out of memory\n");
		return -ENOMEM;
	}
	lcores[nb++] = rte_get_main_lcore();
	RTE_LCORE_FOREACH_WORKER(lc)
		lcores[nb++] = lc;
	i = 0;
	for (pi = 0; pi < k->nb_ports; pi++)
		for (q = 0; q < k->o.rx_queues; q++, i++) {
			k->rxq[i].port = &k->ports[pi];
			k->rxq[i].queue_id = q;
			k->rxq[i].lcore_id = lcores[i % nb];
		}
	k->nb_lcores = RTE_MIN(nb, k->nb_rxq);
	if (nb > k->nb_rxq)
		fprintf(stderr, SINK_NAME ": %u lcore(s) for %u RX queue(s): "
			"%u stay idle (see --rx-queues)\n", nb, k->nb_rxq,
			nb - k->nb_rxq);
	return 0;
}

int
sink_ports_start(struct sink *k)
{
	unsigned int n = 0, mbufs;
	uint16_t pid;
	int rc;

	RTE_ETH_FOREACH_DEV(pid)
		n++;
	if (n == 0) {
		fprintf(stderr, SINK_NAME ": no port: give one with EAL "
			"options, e.g. --vdev net_af_packet0,iface=eth0 or "
			"--vdev net_pcap0,rx_pcap=FILE\n");
		return -ENODEV;
	}
	/* Descriptors of every queue, a burst in flight, per-lcore caches. */
	mbufs = n * k->o.rx_queues * (k->o.rx_desc + 2u * k->o.burst) +
		rte_lcore_count() * 256u + 1024u;
	k->pool = emit_pool_create("sink_pool", mbufs, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (k->pool == NULL) {
		fprintf(stderr, SINK_NAME ": mbuf pool of %u: %s\n", mbufs,
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	RTE_ETH_FOREACH_DEV(pid) {
		struct sink_port *p = &k->ports[k->nb_ports];

		memset(p, 0, sizeof(*p));
		p->port_id = pid;
		rc = port_start(k, p);
		if (rc != 0) {
			fprintf(stderr, SINK_NAME ": port %u (%s): set-up "
				"failed: %s\n", pid, p->name, rte_strerror(-rc));
			return rc;
		}
		k->nb_ports++;
	}
	rc = rxq_share(k);
	if (rc != 0)
		return rc;
	/* The RX timestamp of a capture file (net_pcap registers it). */
	k->ts_off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME,
			NULL);
	rc = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);
	k->ts_flag = k->ts_off >= 0 && rc >= 0 ? RTE_BIT64(rc) : 0;
	return 0;
}

void
sink_ports_stop(struct sink *k)
{
	unsigned int i;

	for (i = 0; i < k->nb_rxq; i++)
		k->rxq[i].port->frames += k->rxq[i].frames;
	for (i = 0; i < k->nb_ports; i++) {
		struct sink_port *p = &k->ports[i];

		if (rte_eth_stats_get(p->port_id, &p->stats) != 0)
			memset(&p->stats, 0, sizeof(p->stats));
		if (rte_eth_dev_stop(p->port_id) != 0)
			fprintf(stderr, SINK_NAME ": port %u: stop failed\n",
				p->port_id);
		if (rte_eth_dev_close(p->port_id) != 0)
			fprintf(stderr, SINK_NAME ": port %u: close failed\n",
				p->port_id);
	}
}
