/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry's view of the process: totals and the conservation sums
 * when senders and TX stages are freed in any order (the counters of a
 * freed object stay in the books), and objects published only once
 * complete (a telemetry reader on another thread, hammering the first TX
 * stage slots while the main thread creates and frees named stages, must never
 * see a stage without its id or name).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_cycles.h>
#include <rte_eal.h>

#include <emit.h>

#include "test_common.h"

#define PORT 0

static struct rte_mempool *pool;

static void
send_n(struct emit_sender *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(emit_send(s, 1, "event", 5), 0);
	assert_true(emit_flush(s) >= 0);
}

static struct emit_sender *
sender_on(struct rte_ring *r, uint16_t id)
{
	struct emit_sender_conf c;
	struct emit_sender *s;

	emit_sender_conf_init(&c);
	c.id = id;
	c.mp = pool;
	c.ring = r;
	c.burst = 8;
	s = emit_sender_create(&c);
	assert_non_null(s);
	return s;
}

static struct emit_tx *
tx_on(struct rte_ring *r, const char *name)
{
	struct emit_tx_conf c;
	struct emit_tx *tx;

	emit_tx_conf_init(&c);
	c.port_id = PORT;
	c.rings[0] = r;
	c.nb_rings = 1;
	c.name = name;
	tx = emit_tx_create(&c);
	assert_non_null(tx);
	return tx;
}

static void
assert_books(uint64_t committed, uint64_t sent, uint32_t live_senders,
		uint32_t live_tx)
{
	struct emit_totals t;

	assert_int_equal(emit_conservation_check(&t), 1);
	assert_int_equal(t.sender_ok, 1);
	assert_int_equal(t.tx_ok, 1);
	assert_int_equal(t.events_committed, committed);
	assert_int_equal(t.tx_sent, sent);
	assert_int_equal(t.nb_senders, live_senders);
	assert_int_equal(t.nb_tx, live_tx);
}

/* Free a sender while its TX stage lives, then the stage, then a
 * sender whose stage is gone: the sums hold at every step, and the
 * totals keep every event ever committed. */
static void
test_free_keeps_books(void **state)
{
	/* Two senders feed it: multi-producer. */
	struct rte_ring *r = rte_ring_create("tot_ring", 256, SOCKET_ID_ANY,
		RING_F_SC_DEQ);
	struct emit_sender *a, *b;
	struct emit_tx *tx;
	struct emit_totals t0;

	(void)state;
	assert_non_null(r);
	/* Whatever earlier tests left in the books. */
	assert_int_equal(emit_totals_get(&t0), 0);
	a = sender_on(r, 31);
	b = sender_on(r, 32);
	tx = tx_on(r, "tot-tx");
	send_n(a, 40);
	send_n(b, 24);
	while (emit_tx_poll(tx) > 0)
		;
	assert_books(t0.events_committed + 64, t0.tx_sent + 64, 2, 1);

	emit_sender_free(a);
	assert_books(t0.events_committed + 64, t0.tx_sent + 64, 1, 1);

	/* Events in the ring when the stage is freed leave at its close. */
	send_n(b, 16);
	emit_tx_free(tx);
	assert_books(t0.events_committed + 80, t0.tx_sent + 80, 1, 0);

	/* A sender whose stage is gone is closed. */
	assert_int_equal(emit_send(b, 1, "late", 4), -EPIPE);
	emit_sender_free(b);
	assert_books(t0.events_committed + 80, t0.tx_sent + 80, 0, 0);
	assert_int_equal(emit_totals_get(&t0), 0);
	assert_int_equal(t0.in_rings, 0);
	rte_ring_free(r);
	assert_int_equal(rte_mempool_full(pool), 1);
}

/* ---- publication: a telemetry reader against create and free ---- */

struct pub_reader {
	int sock;
	int stop;             /* main -> reader */
	uint64_t replies;     /* stages seen */
	uint64_t bad;         /* seen without their id or name */
	char what[256];
	char buf[16384];
};

static void *
pub_read(void *arg)
{
	struct pub_reader *p = arg;
	char cmd[32];
	unsigned int k = 0;

	while (!__atomic_load_n(&p->stop, __ATOMIC_RELAXED)) {
		json_t *root, *v, *id, *name;
		ssize_t n;

		snprintf(cmd, sizeof(cmd), "/emit/tx,%u", k++ % 4);
		if (send(p->sock, cmd, strlen(cmd), 0) != (ssize_t)strlen(cmd))
			break;
		n = recv(p->sock, p->buf, sizeof(p->buf) - 1, 0);
		if (n <= 0)
			break;
		root = json_loadb(p->buf, (size_t)n, 0, NULL);
		v = root != NULL ? json_object_get(root, "/emit/tx") : NULL;
		if (json_is_object(v)) {
			id = json_object_get(v, "id");
			name = json_object_get(v, "name");
			__atomic_store_n(&p->replies, p->replies + 1,
				__ATOMIC_RELAXED);
			if (!json_is_integer(id) ||
			    json_integer_value(id) != (json_int_t)((k - 1) % 4) ||
			    !json_is_string(name) ||
			    json_string_value(name)[0] == '\0') {
				if (p->bad++ == 0)
					snprintf(p->what, sizeof(p->what),
						"%s -> %.*s", cmd,
						(int)RTE_MIN(n, 200), p->buf);
			}
		}
		json_decref(root);
	}
	return NULL;
}

static void
test_published_complete(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	/* Two stages drain it: multi-consumer. */
	struct rte_ring *r = rte_ring_create("pub_ring", 64, SOCKET_ID_ANY,
		RING_F_SP_ENQ);
	struct emit_tx *keep, *tx;
	struct pub_reader *p = calloc(1, sizeof(*p));
	pthread_t th;
	uint64_t end, cycles = 0;

	(void)state;
	assert_non_null(r);
	assert_non_null(p);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	p->sock = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(p->sock >= 0);
	if (connect(p->sock, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		fail_msg("connect %s: %s", sun.sun_path, strerror(errno));
	assert_true(recv(p->sock, p->buf, sizeof(p->buf) - 1, 0) > 0);
	/* One stage stays, the other comes and goes, always in the same
	 * slot (the first free one). */
	keep = tx_on(r, "pub-keep");
	assert_int_equal(pthread_create(&th, NULL, pub_read, p), 0);
	/* Until the reader has seen enough stages (the machine may be
	 * busy: at most 20 s). */
	end = rte_get_timer_cycles() + 20 * rte_get_timer_hz();
	while (rte_get_timer_cycles() < end &&
	       __atomic_load_n(&p->replies, __ATOMIC_RELAXED) < 5000) {
		tx = tx_on(r, "pub-cycle");
		assert_true(emit_tx_id(tx) >= 0 && emit_tx_id(tx) < 4);
		emit_tx_free(tx);
		cycles++;
		if ((cycles & 15) == 0)
			sched_yield();
	}
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(p->sock);
	emit_tx_free(keep);
	rte_ring_free(r);
	printf("published: %lu create/free cycles, %lu stages read\n",
		(unsigned long)cycles, (unsigned long)p->replies);
	if (p->bad != 0)
		fail_msg("%lu stages read half-made, first: %s",
			(unsigned long)p->bad, p->what);
	assert_true(p->replies > 100);
	free(p);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_keeps_books),
		cmocka_unit_test(test_published_complete),
	};
	int rc;

	if (emit_test_eal_init("totals", "0", vdevs) != 0)
		return 1;
	if (emit_test_port_start(PORT, 1) != 0)
		return 1;
	pool = emit_test_pool("tot_pool", 2047);
	if (pool == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("totals", tests, NULL, NULL);
	rte_mempool_free(pool);
	emit_test_port_stop(PORT);
	rte_eal_cleanup();
	return rc;
}
