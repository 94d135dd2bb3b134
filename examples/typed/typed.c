/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed events: EMIT_EVENT_DEFINE turns a C struct into an event type with
 * its own emit_claim_trade() / emit_send_trade(), type-checked, the struct
 * size checked against the mbuf at compile time. Run it on net_null:
 *
 *   ./typed --no-huge --no-pci -m 256 --vdev net_null0 --file-prefix typed
 *
 * Same shape as the minimal example, with the HOLD policy (nothing is
 * dropped: a refused batch stays with the sender, which refuses further
 * commits with -ENOBUFS until the ring takes it) and a descriptor ring
 * (struct emit_desc elements: the sender writes only the frame, the TX
 * stage writes each mbuf's header). The sender builds trades in place in
 * the mbuf, and every eighth one is copied in with emit_send_trade. At
 * the end it prints what it committed, sent and dropped, checks the
 * conservation sums
 *
 *   committed = enqueued + dropped(by reason) + pending
 *   enqueued  = tx_sent + tx_dropped(by reason) + in rings
 *
 * and that every mbuf is back in the pool, frees everything and exits 0
 * only if all of that holds.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <emit.h>

#define POOL_SIZE 4095      /* mbufs: a power of two minus one */
#define RING_SIZE 1024      /* slots of the sender's ring */

/* The event: its layout is the payload on the wire (host byte order
 * here; a real application would fix one). */
struct trade {
	uint64_t id;
	uint32_t price;
	uint32_t qty;
	char symbol[8];
};

/* emit_claim_trade(s, &t) and emit_send_trade(s, &t), event type 7. */
EMIT_EVENT_DEFINE(trade, 7, struct trade)

static bool quit;

/* The TX stage's lcore: poll until quit, then drain the ring. */
static int
tx_main(void *arg)
{
	return emit_tx_run(arg, &quit);
}

/* A port with one TX queue, started. */
static int
port_setup(uint16_t port)
{
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 0, 1, &conf);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, 512,
				(unsigned int)rte_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	return rc;
}

/* What to do after a refusal that passes (-ENOMEM: the pool is empty
 * until the TX stage returns mbufs; -ENOBUFS: the ring refused a batch,
 * which the sender holds; -EAGAIN): push the batch again with emit_poll,
 * plus a TX round when there is no worker lcore. */
static int
wait_a_little(struct emit_sender *s, struct emit_tx *inline_tx, int rc)
{
	if (rc != -ENOMEM && rc != -ENOBUFS && rc != -EAGAIN) {
		fprintf(stderr, "typed: send: %s\n", strerror(-rc));
		return rc;
	}
	rc = emit_poll(s);
	if (rc < 0 && rc != -ENOBUFS) {
		fprintf(stderr, "typed: poll: %s\n", strerror(-rc));
		return rc;
	}
	if (inline_tx != NULL) {
		rc = emit_tx_poll(inline_tx);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Send trades for about a second: built in place, and every eighth one
 * copied from the stack. */
static int
send_for_a_second(struct emit_sender *s, struct emit_tx *inline_tx)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz();
	uint64_t n = 0;
	int rc;

	while (rte_get_timer_cycles() < end) {
		if (n % 8 == 7) {
			struct trade t = {
				.id = n, .price = 100, .qty = 8,
				.symbol = "COPY",
			};

			rc = emit_send_trade(s, &t);
		} else {
			struct trade *t = NULL;

			rc = emit_claim_trade(s, &t);
			if (rc == 0) {
				t->id = n;
				t->price = 100 + (uint32_t)(n % 16);
				t->qty = 1;
				memcpy(t->symbol, "INPLACE", 8);
				/* Under HOLD a commit refused with -ENOBUFS
				 * leaves the claim open: retry it. */
				while ((rc = emit_commit(s)) == -ENOBUFS) {
					rc = wait_a_little(s, inline_tx, rc);
					if (rc != 0)
						return rc;
				}
			}
		}
		if (rc == 0) {
			n++;
		} else {
			rc = wait_a_little(s, inline_tx, rc);
			if (rc != 0)
				return rc;
		}
		if (inline_tx != NULL) {
			rc = emit_tx_poll(inline_tx);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Print the figures; 0 when both sums hold and the pool is full. */
static int
report(const struct emit_sender *s, const struct emit_tx *tx,
		const struct rte_mempool *mp)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	struct emit_totals t;
	uint64_t dropped, tx_dropped;
	int ok;

	if (emit_sender_stats_get(s, &ss) != 0 ||
			emit_tx_stats_get(tx, &ts) != 0)
		return -1;
	dropped = ss.dropped_ring_full + ss.dropped_spin_timeout +
		ss.dropped_closed;
	tx_dropped = ts.tx_dropped_retry_exhausted + ts.tx_dropped_closed;
	ok = emit_conservation_check(&t);
	printf("committed %" PRIu64 ", enqueued %" PRIu64
		", dropped %" PRIu64 " (ring full %" PRIu64
		", spin timeout %" PRIu64 ", closed %" PRIu64
		"), pending %" PRIu64 "\n",
		ss.events_committed, ss.events_enqueued, dropped,
		ss.dropped_ring_full, ss.dropped_spin_timeout,
		ss.dropped_closed, emit_sender_pending(s));
	printf("sent %" PRIu64 " (%" PRIu64 " bytes), TX dropped %" PRIu64
		" (retry exhausted %" PRIu64 ", closed %" PRIu64
		"), in rings %" PRIu64 "\n",
		ts.tx_sent, ts.tx_bytes, tx_dropped,
		ts.tx_dropped_retry_exhausted, ts.tx_dropped_closed,
		emit_tx_in_rings(tx));
	printf("conservation: %s\n", ok == 1 ? "holds" : "BROKEN");
	if (ok != 1 || ss.events_committed == 0 || ts.tx_sent == 0)
		return -1;
	if (rte_mempool_avail_count(mp) != mp->size) {
		printf("pool: %u of %u mbufs back\n",
			rte_mempool_avail_count(mp), mp->size);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct rte_mempool *mp = NULL;
	struct rte_ring *ring = NULL;
	struct emit_sender *s = NULL;
	struct emit_tx *tx = NULL;
	unsigned int worker;
	uint16_t port;
	int status = EXIT_FAILURE;
	int rc;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "typed: EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	port = (uint16_t)rte_eth_find_next(0);
	if (port >= RTE_MAX_ETHPORTS) {
		fprintf(stderr, "typed: no port (try --vdev net_null0)\n");
		goto out_eal;
	}
	mp = rte_pktmbuf_pool_create("typed_pool", POOL_SIZE, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	ring = rte_ring_create_elem("typed_ring", sizeof(struct emit_desc),
			RING_SIZE, rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (mp == NULL || ring == NULL) {
		fprintf(stderr, "typed: pool or ring: %s\n",
				rte_strerror(rte_errno));
		goto out;
	}
	rc = port_setup(port);
	if (rc != 0) {
		fprintf(stderr, "typed: port %u: %s\n", port,
				strerror(-rc));
		goto out;
	}

	emit_sender_conf_init(&sc);          /* burst 32 */
	sc.id = 2;
	sc.mp = mp;
	sc.ring = ring;
	sc.desc_ring = 1;
	sc.policy = EMIT_POLICY_HOLD;
	s = emit_sender_create(&sc);
	emit_tx_conf_init(&tc);
	tc.port_id = port;
	tc.queue_id = 0;
	tc.rings[0] = ring;
	tc.nb_rings = 1;
	tc.desc_rings = 1;
	tx = emit_tx_create(&tc);
	if (s == NULL || tx == NULL) {
		fprintf(stderr, "typed: create: %s\n",
				rte_strerror(rte_errno));
		goto out_port;
	}

	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker < RTE_MAX_LCORE) {
		rc = rte_eal_remote_launch(tx_main, tx, worker);
		if (rc != 0) {
			fprintf(stderr, "typed: launch: %s\n",
					strerror(-rc));
			goto out_port;
		}
	}
	rc = send_for_a_second(s, worker < RTE_MAX_LCORE ? NULL : tx);

	/* Stop: the sender pushes its last batch (what the ring refuses is
	 * dropped and counted), then the TX stage drains the ring. */
	if (emit_sender_close(s) < 0)
		rc = -1;
	__atomic_store_n(&quit, true, __ATOMIC_RELEASE);
	if (worker < RTE_MAX_LCORE) {
		if (rte_eal_wait_lcore(worker) != 0)
			rc = -1;
	} else if (emit_tx_close(tx) < 0) {
		rc = -1;
	}
	if (rc == 0 && report(s, tx, mp) == 0)
		status = EXIT_SUCCESS;

out_port:
	emit_tx_free(tx);
	emit_sender_free(s);
	if (rte_eth_dev_stop(port) != 0 || rte_eth_dev_close(port) != 0)
		status = EXIT_FAILURE;
out:
	rte_ring_free(ring);
	rte_mempool_free(mp);
out_eal:
	if (rte_eal_cleanup() != 0)
		status = EXIT_FAILURE;
	return status;
}
