/* SPDX-License-Identifier: BSD-3-Clause */
/* White-box test of the pipeline's fast-free plan: which TX queues see
 * mbufs of more than one pool (one pool per socket, sender i feeding TX
 * stage i % nb_tx). The layouts are given as the senders' sockets, so the
 * two-socket cases run on a machine with one; no EAL is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_ethdev.h>

#include "emit_pvt.h"

static void
layout(struct emit_pipeline_conf *c, unsigned int nb_senders,
		unsigned int nb_tx)
{
	emit_pipeline_conf_init(c);
	c->nb_senders = nb_senders;
	c->nb_tx = nb_tx;
	c->nb_ports = 1;
}

/* Senders on two sockets feeding one TX stage: two pools on its queue,
 * so no fast free there. */
static void
test_two_sockets_one_queue(void **state)
{
	static const unsigned int sock[] = { 0, 1 };
	struct emit_pipeline_conf c;

	(void)state;
	layout(&c, 2, 1);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 0), 2);
	/* One TX stage per sender: one pool per queue. */
	layout(&c, 2, 2);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 0), 1);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 1), 1);
}

static void
test_mixed_layouts(void **state)
{
	static const unsigned int sock[] = { 0, 0, 1, 1, 0, 1 };
	static const unsigned int same[] = { 1, 1, 1, 1, 1, 1 };
	struct emit_pipeline_conf c;

	(void)state;
	/* TX 0: senders 0, 2, 4 (sockets 0, 1, 0); TX 1: 1, 3, 5 (0, 1,
	 * 1). */
	layout(&c, 6, 2);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 0), 2);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 1), 2);
	/* TX 0: senders 0, 3 (0, 1); TX 1: 1, 4 (0, 0); TX 2: 2, 5
	 * (1, 1). */
	layout(&c, 6, 3);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 0), 2);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 1), 1);
	assert_int_equal(emit__pipeline_tx_pools(&c, sock, 2), 1);
	/* Everyone on one socket (any socket): one pool everywhere. */
	layout(&c, 6, 1);
	assert_int_equal(emit__pipeline_tx_pools(&c, same, 0), 1);
}

/* The checksum offloads: each checksum the frames carry and every port
 * offers, none when turned off. */
static void
test_csum_plan(void **state)
{
	const uint64_t ip = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	const uint64_t udp = RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	const uint64_t caps[] = { 0, ip, udp, ip | udp,
		ip | udp | RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE };
	struct emit_frame_conf v4, v4u, v4r, v6;
	unsigned int i;

	(void)state;
	emit_frame_conf_init(&v4);
	v4u = v4;
	v4u.udp_csum = 1;
	v4r = v4;
	emit_ip_range_set4(&v4r.dst_ip, RTE_IPV4(10, 0, 0, 2),
		RTE_IPV4(10, 0, 0, 9));
	emit_frame_conf_init(&v6);
	v6.l3 = EMIT_L3_IPV6;
	for (i = 0; i < RTE_DIM(caps); i++) {
		uint64_t c = caps[i];

		/* IPv4 without a UDP checksum, and the legacy flow (NULL):
		 * the fixed header's checksum stays in software. */
		assert_int_equal(emit__pipeline_csum(&v4, c, 1), 0);
		assert_int_equal(emit__pipeline_csum(NULL, c, 1), 0);
		/* An address range: the header checksum offloaded. */
		assert_int_equal(emit__pipeline_csum(&v4r, c, 1), c & ip);
		/* IPv4 with one: both when the UDP one is offloaded, else
		 * the fixed header's in software too. */
		assert_int_equal(emit__pipeline_csum(&v4u, c, 1),
			(c & udp) ? c & (ip | udp) : 0);
		/* IPv6: the UDP checksum only (no header checksum). */
		assert_int_equal(emit__pipeline_csum(&v6, c, 1), c & udp);
		/* Turned off: nothing, whatever the ports offer. */
		assert_int_equal(emit__pipeline_csum(&v4, c, 0), 0);
		assert_int_equal(emit__pipeline_csum(&v4u, c, 0), 0);
		assert_int_equal(emit__pipeline_csum(&v6, c, 0), 0);
	}
	/* udp_csum is ignored for IPv6 frames (they always carry one). */
	v6.udp_csum = 0;
	assert_int_equal(emit__pipeline_csum(&v6, ip | udp, 1), udp);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_plan),
		cmocka_unit_test(test_two_sockets_one_queue),
		cmocka_unit_test(test_mixed_layouts),
	};

	return cmocka_run_group_tests_name("pipeline_plan", tests, NULL, NULL);
}
