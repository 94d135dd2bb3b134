/* SPDX-License-Identifier: BSD-3-Clause */
/* Pipeline: pools, rings, senders, TX stages and ports, wired and run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "emit_pvt.h"
#include "emit_pipeline.h"

struct pl_sender {
	struct emit_pipeline *p;
	struct emit_sender *s;
	struct rte_ring *ring;
	unsigned int idx;
	unsigned int lcore;
	int rc;        /* error a step returned */
	int done;      /* step returned non-zero; read by other threads */
	struct pl_tx *colo; /* TX stage sharing this lcore, or NULL */
};

struct pl_tx {
	struct emit_pipeline *p;
	struct emit_tx *tx;
	unsigned int lcore;
	uint16_t port;
	uint16_t queue;
	int colo;      /* runs in its sender's lcore loop */
};

struct emit_pipeline {
	struct emit_pipeline_conf conf;
	struct pl_sender senders[EMIT_PIPELINE_MAX];
	struct pl_tx txs[EMIT_PIPELINE_MAX];
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	uint16_t port_queues[EMIT_PIPELINE_MAX]; /* TX queues per port */
	uint8_t tx_fast_free[EMIT_PIPELINE_MAX]; /* queue of TX stage j */
	int port_started[EMIT_PIPELINE_MAX];
	uint32_t mtu;                  /* 0: the port's default */
	uint64_t csum_ol;              /* checksum offloads, every port */
	unsigned int pool_size;
	int main_sender;  /* index of the main lcore's sender, or -1 */
	int main_tx;      /* index of the main lcore's TX stage, or -1 */
	unsigned int main_polls;       /* emit_pipeline_poll_main calls */
	uint64_t resync_tsc;           /* last emit_clock_resync */
	bool sender_quit;
	bool tx_quit;
	int started;
	int stopped;
	unsigned int serial;
};

static unsigned int pipeline_serial;

void
emit_pipeline_conf_init(struct emit_pipeline_conf *conf)
{
	if (conf == NULL)
		return;
	memset(conf, 0, sizeof(*conf));
	emit_sender_conf_init(&conf->sender);
	/* The pipeline owns both ends of its rings: descriptors keep each
	 * mbuf's header on the TX lcore. */
	conf->sender.desc_ring = 1;
	conf->tx_burst = 32;
	conf->tx_retry_max = 64;
	conf->tx_policy = EMIT_TX_POLICY_HOLD;
	conf->tx_drop_us = 1000;
	conf->ring_size = 1024;
	conf->pool_cache = 256;
	conf->mbuf_data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	conf->nb_txd = 1024;
	conf->close_ports = 1;
	conf->tx_latency = EMIT_TX_LATENCY_BURST;
	conf->csum_offload = 1;
}

uint64_t
emit__pipeline_csum(const struct emit_frame_conf *fc, uint64_t capa,
		int allow)
{
	int ip4 = fc == NULL || fc->l3 == EMIT_L3_IPV4;
	int udp = fc != NULL && (fc->l3 == EMIT_L3_IPV6 || fc->udp_csum);
	/* The IPv4 header changes per event beyond its length. */
	int ip_varies = fc != NULL &&
		(memcmp(fc->src_ip.lo, fc->src_ip.hi,
			sizeof(fc->src_ip.lo)) != 0 ||
		 memcmp(fc->dst_ip.lo, fc->dst_ip.hi,
			sizeof(fc->dst_ip.lo)) != 0);
	uint64_t ol = 0;

	if (!allow)
		return 0;
	if (udp && (capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM))
		ol |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	/* The header checksum of a fixed header costs three additions in
	 * software, less than the offload's flags and lengths: offloaded
	 * only where it saves work. */
	if (ip4 && (capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) &&
	    (ip_varies || (ol & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)))
		ol |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	return ol;
}

/* The checksum offloads every port offers and the frames carry: one
 * choice for all senders, whichever port their frames leave by. */
static int
plan_csum(struct emit_pipeline *p)
{
	const struct emit_pipeline_conf *c = &p->conf;
	struct rte_eth_dev_info info;
	uint64_t capa = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < c->nb_ports; i++) {
		if (rte_eth_dev_info_get(c->ports[i], &info) != 0)
			return -EIO;
		capa &= info.tx_offload_capa;
	}
	p->csum_ol = emit__pipeline_csum(c->sender.frame, capa,
		c->csum_offload);
	return 0;
}

static int
layout_invalid(const char *what)
{
	EMIT_LOG(ERR, "pipeline: %s\n", what);
	return -EINVAL;
}

/* Each lcore runs at most one sender and at most one TX stage; one that
 * runs both alternates them (run to completion, mbufs stay in its cache). */
static int
check_lcore_list(const unsigned int *l, unsigned int n, const char *what)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		if (l[i] >= RTE_MAX_LCORE || !rte_lcore_is_enabled(l[i])) {
			EMIT_LOG(ERR, "pipeline: lcore %u is not enabled\n",
				l[i]);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (l[j] == l[i]) {
				EMIT_LOG(ERR, "pipeline: lcore %u runs two %s\n",
					l[i], what);
				return -EINVAL;
			}
	}
	return 0;
}

static int
check_lcores(const struct emit_pipeline_conf *c)
{
	int rc = check_lcore_list(c->sender_lcores, c->nb_senders, "senders");

	return rc != 0 ? rc :
		check_lcore_list(c->tx_lcores, c->nb_tx, "TX stages");
}

/* The MTU the senders' frames need (the largest frame less its Ethernet
 * header and tags), or 0 when the standard 1500 bytes carry them. */
static uint32_t
frame_mtu(const struct emit_pipeline_conf *c)
{
	const struct emit_frame_conf *fc = c->sender.frame;
	int fmax;
	uint32_t mtu;

	if (fc == NULL)
		return 0;
	fmax = emit_frame_len_max(fc, 0);
	if (fmax < 0)
		return 0;
	mtu = (uint32_t)fmax - RTE_ETHER_HDR_LEN - 4u * fc->nb_vlan;
	return mtu > RTE_ETHER_MTU ? mtu : 0;
}

/* The MTU the pipeline sets: the larger of what the caller asks (raw
 * frames) and what the senders' frames need; 0 for the default 1500. */
static uint32_t
conf_mtu(const struct emit_pipeline_conf *c)
{
	uint32_t mtu = RTE_MAX((uint32_t)c->mtu, frame_mtu(c));

	return mtu > RTE_ETHER_MTU ? mtu : 0;
}

int
emit_port_mtu_max(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	uint32_t overhead, mtu;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (rte_eth_dev_info_get(port_id, &info) != 0)
		return -EIO;
	/* As rte_eth_dev_configure() checks an MTU: at most max_mtu, and
	 * the MTU plus the Ethernet overhead at most max_rx_pktlen. */
	if (info.max_mtu != UINT16_MAX && info.max_rx_pktlen > info.max_mtu)
		overhead = info.max_rx_pktlen - info.max_mtu;
	else
		overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	mtu = info.max_mtu;
	if (info.max_rx_pktlen < overhead)
		return -EIO;
	if (info.max_rx_pktlen - overhead < mtu)
		mtu = info.max_rx_pktlen - overhead;
	return mtu >= RTE_ETHER_MIN_MTU ? (int)mtu : -EIO;
}

static int
check_conf(const struct emit_pipeline_conf *c, uint16_t *queues)
{
	const unsigned int nb_ports = c->nb_ports, nb_tx = c->nb_tx;
	struct rte_eth_dev_info info;
	unsigned int i, j;
	int rc;

	if (c->nb_senders == 0 || c->nb_senders > EMIT_PIPELINE_MAX)
		return layout_invalid("nb_senders must be 1..64");
	if (nb_tx == 0 || nb_tx > EMIT_PIPELINE_MAX)
		return layout_invalid("nb_tx must be 1..64");
	if (nb_ports == 0 || nb_ports > EMIT_PIPELINE_MAX)
		return layout_invalid("nb_ports must be 1..64");
	if (nb_tx < nb_ports)
		return layout_invalid("fewer TX stages than ports");
	if (c->step == NULL)
		return layout_invalid("no step function");
	if (!rte_is_power_of_2(c->ring_size) ||
	    c->ring_size <= c->sender.burst)
		return layout_invalid("ring_size must be a power of two "
			"larger than the burst");
	if (c->mbuf_data_room < RTE_PKTMBUF_HEADROOM + EMIT_FRAME_OVERHEAD)
		return layout_invalid("mbuf_data_room is too small");
	if (c->nb_txd == 0)
		return layout_invalid("nb_txd must be at least 1");
	if (c->tx_latency != EMIT_TX_LATENCY_OFF &&
	    c->tx_latency != EMIT_TX_LATENCY_BURST &&
	    c->tx_latency != EMIT_TX_LATENCY_PACKET)
		return layout_invalid("tx_latency must be OFF, BURST or PACKET");
	rc = check_lcores(c);
	if (rc != 0)
		return rc;
	for (i = 0; i < nb_ports; i++) {
		for (j = 0; j < i; j++)
			if (c->ports[j] == c->ports[i])
				return layout_invalid("a port is listed twice");
		if (!rte_eth_dev_is_valid_port(c->ports[i])) {
			EMIT_LOG(ERR, "pipeline: port %u is not a valid "
				"port\n", c->ports[i]);
			return -ENODEV;
		}
		queues[i] = 0;
	}
	for (j = 0; j < nb_tx; j++)
		queues[j % nb_ports]++;
	for (i = 0; i < nb_ports; i++) {
		if (rte_eth_dev_info_get(c->ports[i], &info) != 0)
			return -ENODEV;
		rc = emit_port_mtu_max(c->ports[i]);
		if (rc < 0)
			return -ENODEV;
		if (conf_mtu(c) > (uint32_t)rc) {
			EMIT_LOG(ERR, "pipeline: port %u carries an MTU of at "
				"most %d bytes; the frames need %u\n",
				c->ports[i], rc, conf_mtu(c));
			return -EINVAL;
		}
		if (queues[i] > info.max_tx_queues) {
			EMIT_LOG(ERR, "pipeline: port %u has %u TX queues, "
				"%u TX stages would use it\n", c->ports[i],
				info.max_tx_queues, queues[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static unsigned int
pool_rule(const struct emit_pipeline_conf *c, unsigned int senders,
		const uint16_t *queues)
{
	uint64_t n = (uint64_t)senders * (c->ring_size + 3 * EMIT_BURST_MAX);
	unsigned int i;

	n += (uint64_t)c->nb_tx * EMIT_BURST_MAX;
	for (i = 0; i < c->nb_ports; i++)
		n += (uint64_t)queues[i] * c->nb_txd;
	n += (uint64_t)(c->nb_senders + c->nb_tx) * c->pool_cache * 3 / 2;
	n += c->pool_cache;
	return n > UINT32_MAX ? UINT32_MAX : (unsigned int)n;
}

/* The socket whose pool sender @p i takes its mbufs from. */
static unsigned int
sender_socket(const struct emit_pipeline_conf *c, unsigned int i)
{
	unsigned int sock = rte_lcore_to_socket_id(c->sender_lcores[i]);

	return sock < RTE_MAX_NUMA_NODES ? sock : 0;
}

static int
make_pools(struct emit_pipeline *p, const uint16_t *queues)
{
	const struct emit_pipeline_conf *c = &p->conf;
	unsigned int per_socket[RTE_MAX_NUMA_NODES] = { 0 };
	unsigned int i, sock;
	char name[RTE_MEMPOOL_NAMESIZE];

	for (i = 0; i < c->nb_senders; i++)
		per_socket[sender_socket(c, i)]++;
	for (sock = 0; sock < RTE_MAX_NUMA_NODES; sock++) {
		unsigned int n;

		if (per_socket[sock] == 0)
			continue;
		n = c->pool_size != 0 ? c->pool_size :
			pool_rule(c, per_socket[sock], queues);
		/* At most 7 + 10 + 1 + 2 characters: never truncated. */
		(void)snprintf(name, sizeof(name), "emit_pl%u_%u", p->serial,
			sock);
		p->pools[sock] = emit_pool_create(name, n,
			RTE_MIN(c->pool_cache,
				(unsigned int)RTE_MEMPOOL_CACHE_MAX_SIZE),
			0, c->mbuf_data_room, (int)sock);
		if (p->pools[sock] == NULL) {
			EMIT_LOG(ERR, "pipeline: pool of %u mbufs on socket "
				"%u: %s\n", n, sock, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		p->pool_size += n;
	}
	return 0;
}

unsigned int
emit__pipeline_tx_pools(const struct emit_pipeline_conf *c,
		const unsigned int *socket_of, unsigned int j)
{
	unsigned int i, k, n = 0;

	/* Sender i feeds TX stage i % nb_tx; each socket has one pool. */
	for (i = j; i < c->nb_senders; i += c->nb_tx) {
		for (k = j; k < i; k += c->nb_tx)
			if (socket_of[k] == socket_of[i])
				break;
		if (k == i)
			n++;
	}
	return n;
}

/* Fast free for the queues of port @p i, into p->tx_fast_free: DPDK
 * allows it on a queue whose mbufs all come from one pool with refcnt 1.
 * Senders on two sockets feeding one TX stage bring two pools to its
 * queue: that queue goes without. The port-wide offload needs every
 * queue of the port to qualify; a driver that offers fast free per queue
 * gets it on the queues that do. Returns the port-wide offloads. */
static uint64_t
plan_fast_free(struct emit_pipeline *p, unsigned int i,
		const struct rte_eth_dev_info *info)
{
	const struct emit_pipeline_conf *c = &p->conf;
	unsigned int socket_of[EMIT_PIPELINE_MAX];
	unsigned int q, j, all = 1;
	const uint64_t ff = RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	for (j = 0; j < c->nb_senders; j++)
		socket_of[j] = sender_socket(c, j);
	/* TX stage j has queue j / nb_ports of port j % nb_ports. */
	for (q = 0; q < p->port_queues[i]; q++) {
		j = q * c->nb_ports + i;
		p->tx_fast_free[j] =
			emit__pipeline_tx_pools(c, socket_of, j) == 1;
		all &= p->tx_fast_free[j];
	}
	for (q = 0; q < p->port_queues[i]; q++) {
		j = q * c->nb_ports + i;
		if (!(info->tx_offload_capa & ff) ||
		    (!all && !(info->tx_queue_offload_capa & ff)))
			p->tx_fast_free[j] = 0;
	}
	return all && (info->tx_offload_capa & ff) ? ff : 0;
}

static int
start_port(struct emit_pipeline *p, unsigned int i)
{
	uint16_t port = p->conf.ports[i], q;
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txconf;
	struct rte_eth_conf pconf;
	int rc;

	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return -EIO;
	memset(&pconf, 0, sizeof(pconf));
	/* Fast free where each queue sees one pool (refcnt is 1 on every
	 * emit mbuf); the checksum offloads of plan_csum. */
	pconf.txmode.offloads = plan_fast_free(p, i, &info) | p->csum_ol;
	/* Jumbo frames: the MTU they need (checked against max_mtu). */
	pconf.rxmode.mtu = p->mtu;
	rc = rte_eth_dev_configure(port, 0, p->port_queues[i], &pconf);
	if (rc != 0) {
		EMIT_LOG(ERR, "pipeline: port %u configure: %s\n", port,
			rte_strerror(-rc));
		return -EIO;
	}
	txconf = info.default_txconf;
	for (q = 0; q < p->port_queues[i]; q++) {
		txconf.offloads = pconf.txmode.offloads;
		if (p->tx_fast_free[q * p->conf.nb_ports + i])
			txconf.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
		rc = rte_eth_tx_queue_setup(port, q, p->conf.nb_txd,
			rte_eth_dev_socket_id(port), &txconf);
		if (rc != 0) {
			EMIT_LOG(ERR, "pipeline: port %u TX queue %u: %s\n",
				port, q, rte_strerror(-rc));
			return -EIO;
		}
	}
	rc = rte_eth_dev_start(port);
	if (rc != 0) {
		EMIT_LOG(ERR, "pipeline: port %u start: %s\n", port,
			rte_strerror(-rc));
		return -EIO;
	}
	p->port_started[i] = 1;
	return 0;
}

static int
make_senders(struct emit_pipeline *p)
{
	const struct emit_pipeline_conf *c = &p->conf;
	unsigned int i, sock;
	char name[RTE_RING_NAMESIZE];

	for (i = 0; i < c->nb_senders; i++) {
		struct pl_sender *ps = &p->senders[i];
		struct emit_sender_conf sc = c->sender;

		sock = sender_socket(c, i);
		/* At most 7 + 10 + 2 + 2 characters: never truncated. */
		(void)snprintf(name, sizeof(name), "emit_pl%u_r%u", p->serial,
			i);
		ps->ring = c->sender.desc_ring ?
			rte_ring_create_elem(name, sizeof(struct emit_desc),
				c->ring_size, (int)sock,
				RING_F_SP_ENQ | RING_F_SC_DEQ) :
			rte_ring_create(name, c->ring_size, (int)sock,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (ps->ring == NULL) {
			EMIT_LOG(ERR, "pipeline: ring %u: %s\n", i,
				rte_strerror(rte_errno));
			return -ENOMEM;
		}
		sc.mp = p->pools[sock];
		sc.ring = ps->ring;
		sc.id = (uint16_t)(c->sender.id + i);
		sc.socket_id = (int)sock;
		sc.tx_offloads = p->csum_ol;
		ps->s = emit_sender_create(&sc);
		if (ps->s == NULL)
			return -rte_errno;
		ps->p = p;
		ps->idx = i;
		ps->lcore = c->sender_lcores[i];
		if (ps->lcore == rte_get_main_lcore())
			p->main_sender = (int)i;
	}
	return 0;
}

static int
make_txs(struct emit_pipeline *p)
{
	const struct emit_pipeline_conf *c = &p->conf;
	uint16_t next_queue[EMIT_PIPELINE_MAX] = { 0 };
	unsigned int j, i, port_idx = 0;

	/* TX stage j transmits on port j % nb_ports (port_idx). */
	for (j = 0; j < c->nb_tx; j++) {
		struct pl_tx *pt = &p->txs[j];
		struct emit_tx_conf tc;

		emit_tx_conf_init(&tc);
		tc.port_id = c->ports[port_idx];
		tc.queue_id = next_queue[port_idx]++;
		tc.burst = c->tx_burst;
		tc.retry_max = c->tx_retry_max;
		tc.policy = c->tx_policy;
		tc.drop_us = c->tx_drop_us;
		tc.desc_rings = c->sender.desc_ring;
		tc.desc_offload = c->sender.desc_ring && p->csum_ol != 0;
		tc.latency = c->tx_latency;
		/* The TX stage checks the senders' pools against it. */
		tc.fast_free = p->tx_fast_free[j];
		for (i = j; i < c->nb_senders; i += c->nb_tx)
			tc.rings[tc.nb_rings++] = p->senders[i].ring;
		if (tc.nb_rings == 0)
			return layout_invalid("a TX stage has no sender "
				"(more TX stages than senders)");
		pt->tx = emit_tx_create(&tc);
		if (pt->tx == NULL)
			return -rte_errno;
		pt->p = p;
		pt->lcore = c->tx_lcores[j];
		pt->port = tc.port_id;
		pt->queue = tc.queue_id;
		if (pt->lcore == rte_get_main_lcore())
			p->main_tx = (int)j;
		for (i = 0; i < c->nb_senders; i++)
			if (p->senders[i].lcore == pt->lcore) {
				int rc;

				p->senders[i].colo = pt;
				pt->colo = 1;
				/* Run to completion on the stage that drains
				 * this sender's ring: no ring hop while the
				 * ring is empty. */
				if (i % c->nb_tx != j)
					continue;
				rc = emit_sender_tx_direct(p->senders[i].s,
					pt->tx);
				if (rc != 0)
					return rc;
			}
		if (++port_idx == c->nb_ports)
			port_idx = 0;
	}
	return 0;
}

static void
release(struct emit_pipeline *p)
{
	unsigned int i;

	for (i = 0; i < p->conf.nb_senders; i++) {
		emit_sender_free(p->senders[i].s);
		p->senders[i].s = NULL;
	}
	for (i = 0; i < p->conf.nb_tx; i++) {
		emit_tx_free(p->txs[i].tx);
		p->txs[i].tx = NULL;
	}
	for (i = 0; i < p->conf.nb_senders; i++) {
		rte_ring_free(p->senders[i].ring);
		p->senders[i].ring = NULL;
	}
	for (i = 0; i < p->conf.nb_ports; i++) {
		if (p->port_started[i]) {
			rte_eth_dev_stop(p->conf.ports[i]);
			p->port_started[i] = 0;
		}
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		rte_mempool_free(p->pools[i]);
		p->pools[i] = NULL;
	}
}

struct emit_pipeline *
emit_pipeline_create(const struct emit_pipeline_conf *conf)
{
	struct emit_pipeline_conf c;
	struct emit_pipeline *p;
	uint16_t queues[EMIT_PIPELINE_MAX] = { 0 };
	unsigned int i;
	int rc;

	if (conf == NULL) {
		layout_invalid("conf is NULL");
		rte_errno = EINVAL;
		return NULL;
	}
	/* Check the copy that is used, not the caller's struct, which
	 * could change in between. */
	c = *conf;
	rc = check_conf(&c, queues);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	p = rte_zmalloc("emit_pipeline", sizeof(*p), RTE_CACHE_LINE_SIZE);
	if (p == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	p->conf = c;
	p->mtu = conf_mtu(&c);
	p->main_sender = -1;
	p->main_tx = -1;
	p->serial = __atomic_fetch_add(&pipeline_serial, 1, __ATOMIC_RELAXED);
	memcpy(p->port_queues, queues, sizeof(queues));
	rc = make_pools(p, queues);
	if (rc == 0)
		rc = plan_csum(p);
	for (i = 0; rc == 0 && i < p->conf.nb_ports; i++)
		rc = start_port(p, i);
	if (rc == 0)
		rc = make_senders(p);
	if (rc == 0)
		rc = make_txs(p);
	if (rc != 0) {
		release(p);
		rte_free(p);
		rte_errno = -rc;
		return NULL;
	}
	return p;
}

/* A sender is done: hand its batch to the ring while the TX stages still
 * run (a HOLD sender keeps what the ring refuses, and close would drop
 * it), polling the TX stage of this lcore if it has one, then close. */
static void
sender_finish(struct pl_sender *ps, struct emit_tx *local_tx, int rc)
{
	const struct emit_pipeline *p = ps->p;
	/* The stage that drains this sender's ring (make_txs). */
	const struct emit_tx *drain_tx =
		p->txs[ps->idx % p->conf.nb_tx].tx;
	uint64_t hz = rte_get_tsc_hz(), last = rte_get_tsc_cycles();
	uint64_t pending = emit_sender_pending(ps->s);

	/* A held batch waits for the ring while it drains. A TX lcore that
	 * lost the CPU only delays that, however long; a port that refuses
	 * (the stage holds a tail) and takes nothing for 100 ms ends the
	 * wait, and the close drops what is left (dropped_closed). */
	while (emit_flush(ps->s) == -ENOBUFS) {
		uint64_t now_pending = emit_sender_pending(ps->s);
		uint64_t now = rte_get_tsc_cycles();

		if (now_pending < pending || emit_tx_held(drain_tx) == 0) {
			pending = now_pending;
			last = now;
		} else if (now - last > hz / 10) {
			break;
		}
		if (local_tx != NULL)
			emit_tx_poll(local_tx);
		else
			rte_pause();
	}
	ps->rc = rc < 0 ? rc : 0;
	emit_sender_close(ps->s);
	__atomic_store_n(&ps->done, 1, __ATOMIC_RELEASE);
}

static struct emit_tx *
main_tx(const struct emit_pipeline *p)
{
	return p->main_tx >= 0 ? p->txs[p->main_tx].tx : NULL;
}

static int
sender_lcore_main(void *arg)
{
	struct pl_sender *ps = arg;
	struct emit_pipeline *p = ps->p;
	int rc = 0;

	while (!__atomic_load_n(&p->sender_quit, __ATOMIC_ACQUIRE)) {
		rc = p->conf.step(ps->s, ps->idx, p->conf.step_arg);
		if (rc != 0)
			break;
		if (ps->colo != NULL)
			emit_tx_poll(ps->colo->tx);
	}
	sender_finish(ps, ps->colo != NULL ? ps->colo->tx : NULL, rc);
	/* A TX stage on this lcore goes on until told to quit, then drains. */
	if (ps->colo != NULL)
		emit_tx_run(ps->colo->tx, &p->tx_quit);
	return 0;
}

static int
tx_lcore_main(void *arg)
{
	struct pl_tx *pt = arg;

	return emit_tx_run(pt->tx, &pt->p->tx_quit);
}

int
emit_pipeline_start(struct emit_pipeline *p)
{
	unsigned int i, main = rte_get_main_lcore();

	if (p == NULL)
		return -EINVAL;
	if (p->started)
		return -EALREADY;
	for (i = 0; i < p->conf.nb_senders; i++)
		if (p->senders[i].lcore != main &&
		    rte_eal_get_lcore_state(p->senders[i].lcore) != WAIT)
			return -EBUSY;
	for (i = 0; i < p->conf.nb_tx; i++)
		if (p->txs[i].lcore != main &&
		    rte_eal_get_lcore_state(p->txs[i].lcore) != WAIT)
			return -EBUSY;
	p->started = 1;
	/* TX stages first, so that senders find their rings drained. */
	for (i = 0; i < p->conf.nb_tx; i++)
		if (p->txs[i].lcore != main && !p->txs[i].colo &&
		    rte_eal_remote_launch(tx_lcore_main, &p->txs[i],
			    p->txs[i].lcore) != 0)
			return -EBUSY;
	for (i = 0; i < p->conf.nb_senders; i++)
		if (p->senders[i].lcore != main &&
		    rte_eal_remote_launch(sender_lcore_main, &p->senders[i],
			    p->senders[i].lcore) != 0)
			return -EBUSY;
	return 0;
}

int
emit_pipeline_poll_main(struct emit_pipeline *p)
{
	struct pl_sender *ps;
	int rc;

	if (p == NULL || !p->started || p->stopped)
		return -EINVAL;
	if (p->main_sender >= 0) {
		ps = &p->senders[p->main_sender];
		if (!ps->done) {
			rc = p->conf.step(ps->s, ps->idx, p->conf.step_arg);
			if (rc != 0)
				sender_finish(ps, main_tx(p), rc);
		}
	}
	if (p->main_tx >= 0)
		emit_tx_poll(p->txs[p->main_tx].tx);
	/* Keep the senders' event time on the wall clock: re-anchor once a
	 * second, the TSC read every 256 calls when this lcore sends. */
	if (p->main_sender < 0 || (++p->main_polls & 255) == 0) {
		uint64_t now = rte_rdtsc();

		if (now - p->resync_tsc >= rte_get_tsc_hz()) {
			p->resync_tsc = now;
			/* A wall clock that cannot be read (-EIO) leaves
			 * the senders' time as it runs: nothing to undo. */
			(void)emit_clock_resync();
		}
	}
	return 0;
}

int
emit_pipeline_done(const struct emit_pipeline *p)
{
	unsigned int i;

	if (p == NULL)
		return -EINVAL;
	for (i = 0; i < p->conf.nb_senders; i++)
		if (!__atomic_load_n(&p->senders[i].done, __ATOMIC_ACQUIRE))
			return 0;
	return 1;
}

int
emit_pipeline_stop(struct emit_pipeline *p)
{
	unsigned int i, main;
	int rc = 0;

	if (p == NULL || !p->started)
		return -EINVAL;
	if (p->stopped)
		return 0;
	main = rte_get_main_lcore();
	/* Release pairs with the acquire loads of the lcore loops. */
	__atomic_store_n(&p->sender_quit, true, __ATOMIC_RELEASE);
	for (i = 0; i < p->conf.nb_senders; i++) {
		struct pl_sender *ps = &p->senders[i];

		if (ps->lcore == main) {
			if (!ps->done)
				sender_finish(ps, main_tx(p), 0);
			continue;
		}
		/* The main lcore's TX stage may be the one draining this
		 * sender's ring: keep it going until the sender is done. */
		while (!__atomic_load_n(&ps->done, __ATOMIC_ACQUIRE)) {
			if (main_tx(p) != NULL)
				emit_tx_poll(main_tx(p));
			else
				rte_pause();
		}
		if (ps->colo == NULL)
			rte_eal_wait_lcore(ps->lcore);
	}
	/* Every sender is closed: what they committed is in the rings. */
	__atomic_store_n(&p->tx_quit, true, __ATOMIC_RELEASE);
	for (i = 0; i < p->conf.nb_tx; i++) {
		if (p->txs[i].lcore == main)
			emit_tx_close(p->txs[i].tx);
		else
			rte_eal_wait_lcore(p->txs[i].lcore);
	}
	for (i = 0; i < p->conf.nb_senders; i++)
		if (rc == 0 && p->senders[i].rc < 0)
			rc = p->senders[i].rc;
	p->stopped = 1;
	return rc;
}

int
emit_pipeline_totals(const struct emit_pipeline *p,
		struct emit_pipeline_totals *t)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int i;

	if (p == NULL || t == NULL)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	for (i = 0; i < p->conf.nb_senders; i++) {
		emit_sender_stats_get(p->senders[i].s, &ss);
		t->committed += ss.events_committed;
		t->enqueued += ss.events_enqueued;
		t->dropped += emit_sender_stats_dropped(&ss);
		t->in_rings += rte_ring_count(p->senders[i].ring);
	}
	for (i = 0; i < p->conf.nb_tx; i++) {
		emit_tx_stats_get(p->txs[i].tx, &ts);
		t->tx_sent += ts.tx_sent;
		t->tx_bytes += ts.tx_bytes;
		t->tx_dropped += emit_tx_stats_dropped(&ts);
		t->tx_held += emit_tx_held(p->txs[i].tx);
	}
	t->pending = t->committed - t->enqueued - t->dropped;
	/* Closed senders hold nothing: once stopped, pending must be 0. */
	t->ok = t->committed >= t->enqueued + t->dropped &&
		(!p->stopped || t->pending == 0) &&
		emit__tx_sum_ok(t->enqueued, t->tx_sent, t->tx_dropped,
			t->in_rings, t->tx_held);
	return 0;
}

int
emit_pipeline_pools_full(const struct emit_pipeline *p)
{
	unsigned int i;

	if (p == NULL)
		return -EINVAL;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (p->pools[i] != NULL && !rte_mempool_full(p->pools[i]))
			return 0;
	return 1;
}

unsigned int
emit_pipeline_nb_senders(const struct emit_pipeline *p)
{
	return p != NULL ? p->conf.nb_senders : 0;
}

uint64_t
emit_pipeline_csum_offloads(const struct emit_pipeline *p)
{
	return p != NULL ? p->csum_ol : 0;
}

unsigned int
emit_pipeline_nb_tx(const struct emit_pipeline *p)
{
	return p != NULL ? p->conf.nb_tx : 0;
}

struct emit_sender *
emit_pipeline_sender(const struct emit_pipeline *p, unsigned int i)
{
	return p != NULL && i < p->conf.nb_senders ? p->senders[i].s : NULL;
}

struct emit_tx *
emit_pipeline_tx(const struct emit_pipeline *p, unsigned int i)
{
	return p != NULL && i < p->conf.nb_tx ? p->txs[i].tx : NULL;
}

unsigned int
emit_pipeline_pool_size(const struct emit_pipeline *p)
{
	return p != NULL ? p->pool_size : 0;
}

void
emit_pipeline_free(struct emit_pipeline *p)
{
	unsigned int i;

	if (p == NULL)
		return;
	if (p->started && !p->stopped)
		emit_pipeline_stop(p);
	release(p);
	for (i = 0; p->conf.close_ports && i < p->conf.nb_ports; i++)
		rte_eth_dev_close(p->conf.ports[i]);
	rte_free(p);
}
