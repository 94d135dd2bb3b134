/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The split layout written by hand with raw DPDK primitives: what two
 * lcores of this machine allow for the work emit's split layout does.
 * The main lcore allocates a burst (rte_pktmbuf_alloc_bulk), writes each
 * frame's headers (the same template copy and per-event sequence number
 * and time stamp as emit's sender: the 24-byte event header, or in frames
 * of 60 to 65 bytes the 18-byte compact one) and the length fields, and
 * enqueues the burst on an SP/SC rte_ring; the worker lcore dequeues
 * bursts and hands them to rte_eth_tx_burst on port 0, queue 0, and frees
 * what the port refuses. The payload is not written (emit-gen's
 * --pattern none).
 * Usage: emit-splitref [EAL options, two lcores, one port] --
 *        [frame bytes] [seconds] [burst]
 * Prints "mpps N": the packets the port counted (opackets) over the
 * seconds, after one second of warm-up.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include <emit.h>

#define BURST_MAX 64

struct ref {
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint16_t port;
	uint16_t flen;
	bool compact;               /* the 18-byte event header */
	unsigned int burst;
	uint8_t tmpl[64] __rte_aligned(16);
	bool stop __rte_cache_aligned;
};

/* The worker: ring to port. */
static int
tx_main(void *arg)
{
	struct ref *r = arg;
	struct rte_mbuf *m[BURST_MAX];
	unsigned int n;
	uint16_t sent;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		n = rte_ring_sc_dequeue_burst(r->ring, (void **)m, r->burst,
			NULL);
		if (n == 0)
			continue;
		sent = rte_eth_tx_burst(r->port, 0, m, (uint16_t)n);
		if (sent < n)
			rte_pktmbuf_free_bulk(m + sent, n - sent);
	}
	while ((n = rte_ring_sc_dequeue_burst(r->ring, (void **)m, r->burst,
			NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	return 0;
}

/* The main lcore: build bursts and enqueue them until @p end. */
static void
produce(struct ref *r, uint64_t end)
{
	struct rte_mbuf *m[BURST_MAX];
	uint64_t seq = 0, now;
	unsigned int i, k;

	do {
		now = rte_rdtsc();
		if (rte_pktmbuf_alloc_bulk(r->mp, m, r->burst) != 0)
			continue;
		for (i = 0; i < r->burst; i++) {
			uint8_t *p = rte_pktmbuf_mtod(m[i], uint8_t *);
			uint8_t *h = p + EMIT_L2L4_LEN;
			uint64_t be_seq = rte_cpu_to_be_64(seq++);
			uint64_t be_now = rte_cpu_to_be_64(now);

			memcpy(p, r->tmpl, 64);
			if (!r->compact) {
				memcpy(h + offsetof(struct emit_hdr, seq),
					&be_seq, sizeof(be_seq));
				memcpy(h + offsetof(struct emit_hdr, time_ns),
					&be_now, sizeof(be_now));
			} else {
				memcpy(h + offsetof(struct emit_hdr_compact,
					seq), &be_seq, sizeof(be_seq));
				/* the low 40 bits of the time, big endian */
				memcpy(h + offsetof(struct emit_hdr_compact,
					time_ns), (const uint8_t *)&be_now + 3,
					5);
			}
			/* emit keeps the commit tick in the headroom. */
			memcpy(p - sizeof(now), &now, sizeof(now));
			m[i]->data_len = r->flen;
			m[i]->pkt_len = r->flen;
		}
		k = 0;
		while (k < r->burst)
			k += rte_ring_sp_enqueue_burst(r->ring,
				(void **)m + k, r->burst - k, NULL);
	} while (now < end);
}

/* Ethernet, IPv4 with its checksum, UDP and the first bytes of the event
 * header, for frames of r->flen bytes. */
static void
template_init(struct ref *r)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(r->tmpl + 14);
	struct rte_udp_hdr *udp =
		(struct rte_udp_hdr *)(r->tmpl + EMIT_UDP_OFF);
	struct emit_hdr *h = (struct emit_hdr *)(r->tmpl + EMIT_L2L4_LEN);

	memset(r->tmpl, 0, sizeof(r->tmpl));
	memset(r->tmpl, 0xff, 6);
	r->tmpl[6] = 0x02;
	r->tmpl[12] = 0x08;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 2));
	ip->total_length = rte_cpu_to_be_16((uint16_t)(r->flen - 14));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(9000);
	udp->dst_port = rte_cpu_to_be_16(9000);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(r->flen - EMIT_UDP_OFF));
	if (r->compact) {
		struct emit_hdr_compact *c = (struct emit_hdr_compact *)h;

		c->magic = rte_cpu_to_be_16(EMIT_MAGIC);
		c->version = EMIT_VERSION_COMPACT;
		return;
	}
	h->magic = rte_cpu_to_be_16(EMIT_MAGIC);
	h->version = EMIT_VERSION;
	h->type = rte_cpu_to_be_16(1);
}

static int
port_init(struct ref *r)
{
	struct rte_eth_conf conf;
	int rc;

	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "splitref: no port (use --vdev net_null0)\n");
		return -ENODEV;
	}
	r->port = 0;
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(r->port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(r->port, 0, 1024,
			rte_eth_dev_socket_id(r->port), NULL, r->mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(r->port, 0, 1024,
			rte_eth_dev_socket_id(r->port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(r->port);
	if (rc != 0)
		fprintf(stderr, "splitref: port: %s\n", rte_strerror(-rc));
	return rc;
}

static uint64_t
opackets(const struct ref *r)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(r->port, &st) != 0)
		return 0;
	return st.opackets;
}

int
main(int argc, char **argv)
{
	static struct ref r;
	unsigned int worker, size, secs;
	uint64_t hz, t0, t1, p0, p1;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "splitref: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	size = argc > 1 ? (unsigned int)atoi(argv[1]) : 128;
	secs = argc > 2 ? (unsigned int)atoi(argv[2]) : 3;
	r.burst = argc > 3 ? (unsigned int)atoi(argv[3]) : 32;
	if (size < EMIT_L2L4_LEN + EMIT_HDR_COMPACT_LEN || size > 2048 || secs == 0 ||
	    r.burst == 0 || r.burst > BURST_MAX) {
		fprintf(stderr, "splitref: bad arguments\n");
		return 2;
	}
	r.flen = (uint16_t)size;
	r.compact = size < EMIT_FRAME_OVERHEAD;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "splitref: needs two lcores\n");
		return 2;
	}
	/* Sized as emit's pipeline sizes a pool: ring, port queue, bursts in
	 * hand and the per-lcore caches; laid out as its pools are
	 * (emit_pool_create: packed without hugepages), so that both sides
	 * meet the same cache. */
	r.mp = emit_pool_create("ref_pool", 8191, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	r.ring = rte_ring_create("ref_ring", 1024, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r.mp == NULL || r.ring == NULL) {
		fprintf(stderr, "splitref: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (port_init(&r) != 0)
		return 1;
	template_init(&r);
	if (rte_eal_remote_launch(tx_main, &r, worker) != 0) {
		fprintf(stderr, "splitref: cannot launch the TX lcore\n");
		return 1;
	}
	hz = rte_get_tsc_hz();
	produce(&r, rte_rdtsc() + hz);
	p0 = opackets(&r);
	t0 = rte_rdtsc();
	produce(&r, t0 + secs * hz);
	p1 = opackets(&r);
	t1 = rte_rdtsc();
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(worker);
	printf("mpps %.3f\n", (double)(p1 - p0) * (double)hz /
		(double)(t1 - t0) / 1e6);
	ret = rte_eth_dev_stop(r.port);
	if (ret == 0)
		ret = rte_eth_dev_close(r.port);
	if (ret != 0)
		fprintf(stderr, "splitref: port stop: %s\n",
			rte_strerror(-ret));
	rte_ring_free(r.ring);
	rte_mempool_free(r.mp);
	rte_eal_cleanup();
	return ret != 0;
}
