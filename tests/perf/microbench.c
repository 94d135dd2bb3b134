/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycles per event on the producer lcore for
 *   (a) the raw DPDK primitives emit wraps: rte_pktmbuf_alloc_bulk, the
 *       same header bytes written, rte_ring_sp_enqueue_burst;
 *   (b) emit's burst path: emit_claim_burst + emit_commit_burst;
 *   (c) emit's single-event path: emit_claim + emit_commit;
 * each with a consumer lcore dequeuing and freeing, in one process run.
 * With "desc", (b) and (c) use a descriptor ring (emit_sender_conf.desc_ring:
 * the sender writes the frame only, the TX stage the mbuf header).
 * Usage: emit-microbench [EAL options] -- [events] [burst] [payload]
 *        [inline] [desc] [frame=VARIANT] [offload]
 * VARIANT selects the frames of (b) and (c) (emit_frame.h): fixed (the
 * default IPv4 frame), sport (source port range, in steps), sport-rand
 * (drawn), ip4 (source and destination IPv4 ranges: the incremental
 * header checksum), ip4-rand, mac (both MAC ranges), vlan (one tag, id
 * range), qinq (two tags, id ranges), ipv6 (fixed), ipv6-range (source
 * range across a 64-bit boundary), imix (weighted sizes), range (sizes
 * 60..1514), udp-csum (IPv4 with its UDP checksum), all (every range,
 * random, QinQ, IPv6, IMIX).
 * offload gives the sender the checksum offloads its frame carries
 * (emit_sender_conf.tx_offloads: RTE_ETH_TX_OFFLOAD_IPV4_CKSUM for IPv4,
 * _UDP_CKSUM for IPv6 and udp-csum), to compare with software checksums.
 * rate=N sets a rate limit of N events/s, bps=N one of N bits/s on
 * the wire (EMIT_RATE_BITS): set high enough never to bind, it
 * measures what the limiter costs per event.
 * Under valgrind --tool=callgrind, with "inline" (the producer drains the
 * ring itself, outside the measured functions), --toggle-collect=raw_burst
 * (or emit_burst, emit_single) gives instructions per event.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <emit.h>

struct bench {
	struct rte_mempool *mp;
	struct rte_ring *ring;
	struct emit_sender *s;
	uint8_t tmpl[EMIT_FRAME_OVERHEAD];
	uint64_t events;
	unsigned int burst;
	uint16_t len;
	uint64_t seq;
	int inline_drain;
	int desc;               /* (b), (c) on a descriptor ring */
	struct rte_ring *sring; /* the sender's ring */
	struct rte_ring *cur;   /* the ring being measured, drained */
	int cur_desc;           /* cur carries struct emit_desc */
	bool stop;
};

/* Take up to 64 mbufs from the ring under test. */
static unsigned int
take(struct bench *b, struct rte_mbuf **m)
{
	struct emit_desc d[64];
	unsigned int n, i;

	if (!b->cur_desc)
		return rte_ring_sc_dequeue_burst(b->cur, (void **)m, 64,
			NULL);
	n = rte_ring_sc_dequeue_burst_elem(b->cur, d, sizeof(d[0]), 64,
		NULL);
	for (i = 0; i < n; i++)
		m[i] = d[i].m;
	return n;
}

static int
consumer(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *m[64];
	unsigned int n;

	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED) ||
	       rte_ring_count(b->cur) != 0) {
		n = take(b, m);
		if (n != 0)
			rte_pktmbuf_free_bulk(m, n);
	}
	return 0;
}

/* (a): what a hand-rolled producer does for one burst. */
__attribute__((noinline)) static uint64_t
raw_burst(struct bench *b)
{
	struct rte_mbuf *m[64];
	unsigned int i, k;

	if (rte_pktmbuf_alloc_bulk(b->mp, m, b->burst) != 0)
		return 0;
	for (i = 0; i < b->burst; i++) {
		uint8_t *p = rte_pktmbuf_mtod(m[i], uint8_t *);
		struct emit_hdr *h = (struct emit_hdr *)(p + 42);
		uint64_t be;

		memcpy(p, b->tmpl, 64);
		m[i]->data_len = (uint16_t)(EMIT_FRAME_OVERHEAD + b->len);
		m[i]->pkt_len = m[i]->data_len;
		be = rte_cpu_to_be_64(b->seq++);
		memcpy(&h->seq, &be, 8);
		be = rte_cpu_to_be_64(rte_rdtsc());
		memcpy(&h->time_ns, &be, 8);
	}
	k = 0;
	while (k < b->burst)
		k += rte_ring_sp_enqueue_burst(b->ring, (void **)m + k,
			b->burst - k, NULL);
	return b->burst;
}

/* (b): emit's burst claim/commit; HOLD policy, retried like (a). */
__attribute__((noinline)) static uint64_t
emit_burst(struct bench *b)
{
	void *data[64];
	int n, c = 0;

	n = emit_claim_burst(b->s, 1, b->len, data, b->burst);
	if (n < 0)
		return 0;
	while (c < n) {
		int r = emit_commit_burst(b->s, (unsigned int)(n - c));

		if (r > 0)
			c += r;
	}
	return (uint64_t)n;
}

/* (c): emit's single-event claim/commit, a burst's worth of events. */
__attribute__((noinline)) static uint64_t
emit_single(struct bench *b)
{
	unsigned int i;
	void *d;

	for (i = 0; i < b->burst; i++) {
		if (emit_claim(b->s, 1, b->len, &d) != 0)
			return i;
		while (emit_commit(b->s) != 0)
			;
	}
	return b->burst;
}

static void
drain_inline(struct bench *b)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	while ((n = take(b, m)) != 0)
		rte_pktmbuf_free_bulk(m, n);
}

/* With inline set (for callgrind, which runs one thread at a time), the
 * producer thread drains the ring itself between bursts, outside the
 * measured functions. */
static double
measure(struct bench *b, unsigned int worker, uint64_t (*fn)(struct bench *),
		struct rte_ring *ring, int desc)
{
	uint64_t t0, t1, n = 0;

	b->cur = ring;
	b->cur_desc = desc;
	__atomic_store_n(&b->stop, false, __ATOMIC_RELAXED);
	if (!b->inline_drain &&
	    rte_eal_remote_launch(consumer, b, worker) != 0)
		return -1;
	t0 = rte_rdtsc();
	while (n < b->events) {
		n += fn(b);
		if (b->inline_drain)
			drain_inline(b);
	}
	while (emit_flush(b->s) < 0)
		;
	t1 = rte_rdtsc();
	__atomic_store_n(&b->stop, true, __ATOMIC_RELAXED);
	if (b->inline_drain)
		drain_inline(b);
	else
		rte_eal_wait_lcore(worker);
	return (double)(t1 - t0) / (double)n;
}

static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0xff };

static void
ipv6(struct emit_frame_conf *fc, int range)
{
	fc->l3 = EMIT_L3_IPV6;
	memcpy(fc->src_ip.lo, v6a, 16);
	memcpy(fc->src_ip.hi, range ? v6b : v6a, 16);
	memcpy(fc->dst_ip.lo, v6b, 16);
	memcpy(fc->dst_ip.hi, v6b, 16);
}

/* The frames of a variant; -1 if unknown. */
static int
frame_variant(const char *v, struct emit_frame_conf *fc)
{
	emit_frame_conf_init(fc);
	if (strcmp(v, "fixed") == 0)
		return 0;
	if (strcmp(v, "sport") == 0 || strcmp(v, "sport-rand") == 0) {
		fc->src_port.lo = 1;
		fc->src_port.hi = 65535;
		fc->vary = v[5] == '-' ? EMIT_VARY_RANDOM : EMIT_VARY_INC;
	} else if (strcmp(v, "ip4") == 0 || strcmp(v, "ip4-rand") == 0) {
		emit_ip_range_set4(&fc->src_ip, RTE_IPV4(10, 0, 0, 1),
			RTE_IPV4(10, 0, 255, 254));
		emit_ip_range_set4(&fc->dst_ip, RTE_IPV4(10, 1, 0, 1),
			RTE_IPV4(10, 1, 0, 200));
		fc->vary = v[3] == '-' ? EMIT_VARY_RANDOM : EMIT_VARY_INC;
	} else if (strcmp(v, "mac") == 0) {
		fc->src_mac.hi.addr_bytes[4] = 0xff;
		fc->dst_mac.hi.addr_bytes[4] = 0xff;
	} else if (strcmp(v, "vlan") == 0) {
		fc->nb_vlan = 1;
		fc->vlan[0].lo = 1;
		fc->vlan[0].hi = 4094;
	} else if (strcmp(v, "qinq") == 0) {
		fc->nb_vlan = 2;
		fc->vlan[0].lo = 1;
		fc->vlan[0].hi = 100;
		fc->vlan[1].lo = 1;
		fc->vlan[1].hi = 4094;
	} else if (strcmp(v, "ipv6") == 0 || strcmp(v, "ipv6-range") == 0) {
		ipv6(fc, v[4] == '-');
	} else if (strcmp(v, "imix") == 0) {
		emit_size_mix_imix(&fc->size);
	} else if (strcmp(v, "range") == 0) {
		fc->size.mode = EMIT_SIZE_RANGE;
		fc->size.lo = 60;
		fc->size.hi = 1514;
	} else if (strcmp(v, "udp-csum") == 0) {
		fc->udp_csum = 1;
	} else if (strcmp(v, "all") == 0) {
		ipv6(fc, 1);
		fc->vary = EMIT_VARY_RANDOM;
		fc->src_mac.hi.addr_bytes[4] = 0xff;
		fc->dst_mac.hi.addr_bytes[4] = 0xff;
		fc->src_port.lo = 1;
		fc->src_port.hi = 65535;
		fc->dst_port.lo = 1;
		fc->dst_port.hi = 1024;
		fc->nb_vlan = 2;
		fc->vlan[0].lo = 1;
		fc->vlan[0].hi = 100;
		fc->vlan[1].lo = 1;
		fc->vlan[1].hi = 4094;
		emit_size_mix_imix(&fc->size);
		fc->size.len[0] = 90; /* QinQ IPv6 needs 88 at least */
	} else {
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct emit_sender_conf sc;
	struct emit_frame_conf fc;
	struct bench b;
	unsigned int worker;
	uint64_t rate = 0;
	int bits = 0, offload = 0;
	int i;
	double a, bb, c;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "microbench: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	memset(&b, 0, sizeof(b));
	emit_frame_conf_init(&fc);
	b.events = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000;
	b.burst = argc > 2 ? (unsigned int)atoi(argv[2]) : 32;
	b.len = argc > 3 ? (uint16_t)atoi(argv[3]) : 0;
	b.inline_drain = argc > 4 && strcmp(argv[4], "inline") == 0;
	b.desc = 0;
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "desc") == 0)
			b.desc = 1;
		else if (strcmp(argv[i], "offload") == 0)
			offload = 1;
		else if (strncmp(argv[i], "rate=", 5) == 0)
			rate = strtoull(argv[i] + 5, NULL, 0);
		else if (strncmp(argv[i], "bps=", 4) == 0) {
			rate = strtoull(argv[i] + 4, NULL, 0);
			bits = 1;
		}
		else if (strncmp(argv[i], "frame=", 6) == 0 &&
			 frame_variant(argv[i] + 6, &fc) != 0) {
			fprintf(stderr, "microbench: unknown frame variant "
				"'%s'\n", argv[i] + 6);
			return 2;
		}
	}
	if (b.burst == 0 || b.burst > 64 || b.events == 0) {
		fprintf(stderr, "microbench: bad arguments\n");
		return 2;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "microbench: needs two lcores\n");
		return 2;
	}
	b.mp = rte_pktmbuf_pool_create("mb_pool", 8191, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	b.ring = rte_ring_create("mb_ring", 1024, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	b.sring = !b.desc ? b.ring : rte_ring_create_elem("mb_sring",
			sizeof(struct emit_desc), 1024, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (b.mp == NULL || b.ring == NULL || b.sring == NULL) {
		fprintf(stderr, "microbench: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	emit_sender_conf_init(&sc);
	sc.mp = b.mp;
	sc.ring = b.sring;
	sc.desc_ring = b.desc;
	sc.burst = (uint16_t)b.burst;
	sc.policy = EMIT_POLICY_HOLD;
	sc.frame = &fc;
	if (offload)
		sc.tx_offloads = (fc.l3 == EMIT_L3_IPV4 ?
			RTE_ETH_TX_OFFLOAD_IPV4_CKSUM : 0) |
			(fc.l3 == EMIT_L3_IPV6 || fc.udp_csum ?
			RTE_ETH_TX_OFFLOAD_UDP_CKSUM : 0);
	sc.rate = rate;
	sc.rate_unit = bits ? EMIT_RATE_BITS : EMIT_RATE_EVENTS;
	b.s = emit_sender_create(&sc);
	if (b.s == NULL) {
		fprintf(stderr, "microbench: sender: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	memset(b.tmpl, 0x5a, sizeof(b.tmpl));

	a = measure(&b, worker, raw_burst, b.ring, 0);
	bb = measure(&b, worker, emit_burst, b.sring, b.desc);
	c = measure(&b, worker, emit_single, b.sring, b.desc);
	printf("events %" PRIu64 " burst %u payload %u ring %s\n", b.events,
		b.burst, b.len, b.desc ? "desc" : "mbuf");
	printf("(a) raw primitives   %7.2f cycles/event\n", a);
	printf("(b) emit burst path  %7.2f cycles/event  b/a %.3f\n", bb,
		bb / a);
	printf("(c) emit single path %7.2f cycles/event  c/a %.3f\n", c, c / a);
	emit_sender_free(b.s);
	if (b.sring != b.ring)
		rte_ring_free(b.sring);
	rte_ring_free(b.ring);
	rte_mempool_free(b.mp);
	rte_eal_cleanup();
	return 0;
}
