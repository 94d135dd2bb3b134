/* SPDX-License-Identifier: BSD-3-Clause */
/* Telemetry: talk to the real socket of this process, as dpdk-telemetry.py
 * does, send every /emit command, well-formed and malformed, and compare
 * the JSON replies with the in-process xstats. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include <emit.h>

#include "test_common.h"

#define PORT 0
#define SID 21
#define XMAX 128

static struct rte_mempool *pool;
static struct rte_ring *ring;
static struct emit_sender *snd;
static struct emit_tx *tx;
static int sock = -1;
static char buf[65536];

/* Send @p cmd and return the value under its command name (a new
 * reference; JSON null for an error reply). */
static json_t *
query(const char *cmd)
{
	char key[128];
	json_error_t err;
	json_t *root, *v;
	ssize_t n;
	size_t klen = strcspn(cmd, ",");

	assert_true(klen < sizeof(key));
	memcpy(key, cmd, klen);
	key[klen] = '\0';
	assert_int_equal(send(sock, cmd, strlen(cmd), 0), (ssize_t)strlen(cmd));
	n = recv(sock, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	root = json_loadb(buf, (size_t)n, 0, &err);
	if (root == NULL)
		fail_msg("%s: bad JSON '%s': %s", cmd, buf, err.text);
	assert_true(json_is_object(root));
	assert_int_equal(json_object_size(root), 1);
	v = json_object_get(root, key);
	if (v == NULL)
		fail_msg("%s: reply without its key: %s", cmd, buf);
	json_incref(v);
	json_decref(root);
	return v;
}

static uint64_t
jint(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	if (!json_is_integer(v))
		fail_msg("no integer '%s' in the reply", k);
	return (uint64_t)json_integer_value(v);
}

static const char *
jstr(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	if (!json_is_string(v))
		fail_msg("no string '%s' in the reply", k);
	return json_string_value(v);
}

static uint64_t
sx(const char *name)
{
	uint64_t v = 0;

	assert_int_equal(emit_sender_xstats_get_by_name(snd, name, NULL, &v),
		0);
	return v;
}

static uint64_t
tx_x(const char *name)
{
	uint64_t v = 0;

	assert_int_equal(emit_tx_xstats_get_by_name(tx, name, NULL, &v), 0);
	return v;
}

static void
test_connect(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	json_error_t err;
	json_t *root, *list;
	ssize_t n;
	size_t i;
	static const char *const cmds[] = { "/emit/info", "/emit/senders",
		"/emit/tx", "/emit/sender", "/emit/sender/xstats",
		"/emit/tx/xstats", "/emit/latency", "/emit/totals",
		"/emit/sender/rate", "/emit/sender/pause",
		"/emit/sender/resume", "/emit/sender/xstats_reset",
		"/emit/tx/xstats_reset" };

	(void)state;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	sock = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(sock >= 0);
	if (connect(sock, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		fail_msg("connect %s: %s", sun.sun_path, strerror(errno));
	/* The greeting names this process. */
	n = recv(sock, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	root = json_loadb(buf, (size_t)n, 0, &err);
	assert_non_null(root);
	assert_int_equal(jint(root, "pid"), (uint64_t)getpid());
	json_decref(root);
	/* Every endpoint is registered. */
	list = query("/");
	assert_true(json_is_array(list));
	for (i = 0; i < RTE_DIM(cmds); i++) {
		size_t j;
		int found = 0;

		for (j = 0; j < json_array_size(list); j++)
			found |= strcmp(json_string_value(
				json_array_get(list, j)), cmds[i]) == 0;
		if (!found)
			fail_msg("%s is not registered", cmds[i]);
	}
	json_decref(list);
}

static void
test_info_lists(void **state)
{
	json_t *v;
	char cmd[64];

	(void)state;
	v = query("/emit/info");
	assert_string_equal(jstr(v, "version"), emit_version());
	assert_int_equal(jint(v, "tsc_hz"), rte_get_tsc_hz());
	assert_int_equal(jint(v, "senders"), 1);
	assert_int_equal(jint(v, "tx_stages"), 1);
	assert_int_equal(jint(v, "senders_max"), EMIT_SENDERS_MAX);
	assert_int_equal(jint(v, "tx_stages_max"), EMIT_TX_MAX);
	json_decref(v);
	v = query("/emit/senders");
	assert_int_equal(json_array_size(v), 1);
	assert_int_equal(json_integer_value(json_array_get(v, 0)), SID);
	json_decref(v);
	v = query("/emit/tx");
	assert_int_equal(json_array_size(v), 1);
	assert_int_equal(json_integer_value(json_array_get(v, 0)),
		emit_tx_id(tx));
	json_decref(v);

	snprintf(cmd, sizeof(cmd), "/emit/sender,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "id"), SID);
	assert_string_equal(jstr(v, "name"), "tel-sender");
	assert_string_equal(jstr(v, "policy"), "drop");
	assert_int_equal(jint(v, "burst"), 4);
	assert_int_equal(jint(v, "linger_us"), 25);
	assert_int_equal(jint(v, "rate_target"), 0);
	assert_int_equal(jint(v, "paused"), 0);
	assert_int_equal(jint(v, "congested"), 0);
	assert_int_equal(jint(v, "backpressure_active"), 0);
	assert_int_equal(jint(v, "ring_capacity"), 1023);
	assert_int_equal(jint(v, "ring_used"), rte_ring_count(ring));
	assert_string_equal(jstr(v, "ring"), "tel_ring");
	assert_string_equal(jstr(v, "ring_kind"), "mbuf");
	json_decref(v);

	snprintf(cmd, sizeof(cmd), "/emit/tx,%d", emit_tx_id(tx));
	v = query(cmd);
	assert_int_equal(jint(v, "id"), emit_tx_id(tx));
	assert_int_equal(jint(v, "port_id"), PORT);
	assert_int_equal(jint(v, "nb_rings"), 1);
	assert_string_equal(jstr(v, "latency_sampling"), "burst");
	assert_string_equal(jstr(v, "ring_kind"), "mbuf");
	assert_int_equal(jint(v, "in_rings"), emit_tx_in_rings(tx));
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(v, "rings"), 0)), "tel_ring");
	json_decref(v);
}

/* Every xstat in the reply equals the in-process value. */
static void
check_xstats(json_t *v, const struct emit_xstats_name *names,
		const uint64_t *values, int n)
{
	int i;

	assert_int_equal(json_object_size(v), (size_t)n);
	for (i = 0; i < n; i++) {
		/* Time moves on between the two reads. */
		if (strcmp(names[i].name, "rate_achieved") == 0)
			continue;
		assert_int_equal(jint(v, names[i].name), values[i]);
	}
}

static void
test_xstats_match(void **state)
{
	struct emit_xstats_name names[XMAX];
	uint64_t values[XMAX];
	struct emit_totals t;
	json_t *v, *run;
	char cmd[64];
	int n;

	(void)state;
	n = emit_sender_xstats_names_get(snd, names, XMAX);
	assert_int_equal(emit_sender_xstats_get(snd, NULL, values, XMAX), n);
	snprintf(cmd, sizeof(cmd), "/emit/sender/xstats,%d", SID);
	v = query(cmd);
	check_xstats(v, names, values, n);
	assert_int_equal(jint(v, "events_committed"), 200);
	json_decref(v);

	n = emit_tx_xstats_names_get(tx, names, XMAX);
	assert_int_equal(emit_tx_xstats_get(tx, NULL, values, XMAX), n);
	snprintf(cmd, sizeof(cmd), "/emit/tx/xstats,%d", emit_tx_id(tx));
	v = query(cmd);
	check_xstats(v, names, values, n);
	assert_true(jint(v, "tx_sent") > 0);
	json_decref(v);

	snprintf(cmd, sizeof(cmd), "/emit/latency,%d", emit_tx_id(tx));
	v = query(cmd);
	assert_int_equal(jint(v, "tx"), emit_tx_id(tx));
	assert_string_equal(jstr(v, "sampling"), "burst");
	assert_int_equal(jint(json_object_get(v, "run"), "samples"),
		tx_x("tx_bursts"));
	run = json_object_get(v, "run");
	assert_int_equal(jint(run, "samples"), tx_x("latency_samples"));
	assert_int_equal(jint(run, "min_ns"), tx_x("latency_min_ns"));
	assert_int_equal(jint(run, "max_ns"), tx_x("latency_max_ns"));
	assert_int_equal(jint(run, "mean_ns"), tx_x("latency_mean_ns"));
	assert_int_equal(jint(run, "p50_ns"), tx_x("latency_p50_ns"));
	assert_int_equal(jint(run, "p90_ns"), tx_x("latency_p90_ns"));
	assert_int_equal(jint(run, "p99_ns"), tx_x("latency_p99_ns"));
	assert_int_equal(jint(run, "p999_ns"), tx_x("latency_p999_ns"));
	run = json_object_get(v, "since_reset");
	assert_int_equal(jint(run, "samples"),
		tx_x("latency_since_reset_samples"));
	assert_int_equal(jint(run, "p99_ns"), tx_x("latency_since_reset_p99_ns"));
	json_decref(v);

	assert_int_equal(emit_totals_get(&t), 0);
	v = query("/emit/totals");
	assert_int_equal(jint(v, "senders"), t.nb_senders);
	assert_int_equal(jint(v, "tx_stages"), t.nb_tx);
	assert_int_equal(jint(v, "events_committed"), t.events_committed);
	assert_int_equal(jint(v, "events_enqueued"), t.events_enqueued);
	assert_int_equal(jint(v, "bytes_enqueued"), t.bytes_enqueued);
	assert_int_equal(jint(v, "events_dropped"), t.events_dropped);
	assert_int_equal(jint(v, "events_pending"), t.events_pending);
	assert_int_equal(jint(v, "tx_sent"), t.tx_sent);
	assert_int_equal(jint(v, "tx_bytes"), t.tx_bytes);
	assert_int_equal(jint(v, "tx_dropped"), t.tx_dropped);
	assert_int_equal(jint(v, "in_rings"), t.in_rings);
	assert_int_equal(jint(v, "sender_ok"), 1);
	assert_int_equal(jint(v, "tx_ok"), 1);
	assert_int_equal(jint(v, "conservation_ok"), 1);
	json_decref(v);
}

/* State the controls change: none of it may move on a bad command. */
struct state {
	uint64_t rate;
	int paused;
	uint64_t committed;
	uint64_t sent;
	uint64_t wait_samples;
};

static void
state_get(struct state *st)
{
	memset(st, 0, sizeof(*st));
	st->rate = emit_sender_rate_get(snd);
	st->paused = emit_sender_paused(snd);
	st->committed = sx("events_committed");
	st->sent = tx_x("tx_sent");
	st->wait_samples = sx("batch_wait_since_reset_samples");
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		/* commands that take no parameter */
		"/emit/info,1", "/emit/senders,21", "/emit/totals,x",
		"/emit/info,", /* an empty parameter is no parameter: valid */
		/* one id */
		"/emit/sender", "/emit/sender,", "/emit/sender,abc",
		"/emit/sender,-1", "/emit/sender,+21", "/emit/sender, 21",
		"/emit/sender,21 ", "/emit/sender,21x", "/emit/sender,0x15",
		"/emit/sender,2e1", "/emit/sender,21.0", "/emit/sender,22",
		"/emit/sender,65536", "/emit/sender,99999999999999999999999",
		"/emit/sender,21,1", "/emit/sender,,21",
		"/emit/tx,abc", "/emit/tx,-1", "/emit/tx,63", "/emit/tx,64",
		"/emit/tx,0,0", "/emit/tx,18446744073709551616",
		"/emit/sender/xstats", "/emit/sender/xstats,x",
		"/emit/sender/xstats,-21", "/emit/sender/xstats,22",
		"/emit/sender/xstats,21,",
		"/emit/tx/xstats", "/emit/tx/xstats,-0", "/emit/tx/xstats,63",
		"/emit/tx/xstats,1x",
		"/emit/latency", "/emit/latency,a", "/emit/latency,63",
		"/emit/latency,-1", "/emit/latency,0 0",
		/* controls */
		"/emit/sender/rate", "/emit/sender/rate,21",
		"/emit/sender/rate,21,", "/emit/sender/rate,,5000",
		"/emit/sender/rate,21,-5", "/emit/sender/rate,21,abc",
		"/emit/sender/rate,21,5000x", "/emit/sender/rate,21,1e3",
		"/emit/sender/rate,21,50.5", "/emit/sender/rate,21, 5",
		"/emit/sender/rate,21,1000000000001",
		"/emit/sender/rate,21,18446744073709551616",
		"/emit/sender/rate,21,99999999999999999999",
		"/emit/sender/rate,22,5000", "/emit/sender/rate,-21,5000",
		"/emit/sender/rate,21,5000,1", "/emit/sender/rate,21,+5",
		"/emit/sender/rate,65557,5000",
		"/emit/sender/pause", "/emit/sender/pause,x",
		"/emit/sender/pause,-21", "/emit/sender/pause,22",
		"/emit/sender/pause,21,1", "/emit/sender/pause,21 ",
		"/emit/sender/pause,18446744073709551637",
		"/emit/sender/resume", "/emit/sender/resume,abc",
		"/emit/sender/resume,22", "/emit/sender/resume,21,21",
		"/emit/sender/xstats_reset", "/emit/sender/xstats_reset,",
		"/emit/sender/xstats_reset,x", "/emit/sender/xstats_reset,-21",
		"/emit/sender/xstats_reset,22",
		"/emit/sender/xstats_reset,21,0",
		"/emit/sender/xstats_reset,99999999999999999999",
		"/emit/tx/xstats_reset", "/emit/tx/xstats_reset,x",
		"/emit/tx/xstats_reset,63", "/emit/tx/xstats_reset,0,",
		"/emit/nosuch", "/emit/nosuch,1",
	};
	struct state before, after;
	unsigned int i;

	(void)state;
	/* Put the sender in a state every control would change. */
	assert_int_equal(emit_sender_rate_set(snd, 777), 0);
	state_get(&before);
	assert_true(before.committed > 0 && before.sent > 0 &&
		before.wait_samples > 0);
	for (i = 0; i < RTE_DIM(bad); i++) {
		json_t *v = query(bad[i]);

		if (strcmp(bad[i], "/emit/info,") == 0) {
			assert_true(json_is_object(v));
		} else if (!json_is_null(v)) {
			fail_msg("%s: expected an error reply", bad[i]);
		}
		json_decref(v);
		state_get(&after);
		if (memcmp(&before, &after, sizeof(before)) != 0)
			fail_msg("%s changed the state", bad[i]);
	}
	assert_int_equal(emit_sender_rate_set(snd, 0), 0);
}

static void
test_controls(void **state)
{
	json_t *v;
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "/emit/sender/rate,%d,5000", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "id"), SID);
	assert_int_equal(jint(v, "rate_target"), 5000);
	json_decref(v);
	assert_int_equal(emit_sender_rate_get(snd), 5000);
	snprintf(cmd, sizeof(cmd), "/emit/sender/rate,%d,1000000000000", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "rate_target"), EMIT_RATE_MAX);
	json_decref(v);
	snprintf(cmd, sizeof(cmd), "/emit/sender/rate,%d,0", SID);
	json_decref(query(cmd));
	assert_int_equal(emit_sender_rate_get(snd), 0);

	snprintf(cmd, sizeof(cmd), "/emit/sender/pause,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "paused"), 1);
	json_decref(v);
	assert_int_equal(emit_sender_paused(snd), 1);
	assert_int_equal(emit_send(snd, 1, "x", 1), -EAGAIN);
	snprintf(cmd, sizeof(cmd), "/emit/sender,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "paused"), 1);
	json_decref(v);
	snprintf(cmd, sizeof(cmd), "/emit/sender/resume,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "paused"), 0);
	json_decref(v);
	assert_int_equal(emit_sender_paused(snd), 0);

	/* Reset: the reply holds what was cleared. */
	snprintf(cmd, sizeof(cmd), "/emit/sender/xstats_reset,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "events_committed"), 200);
	assert_int_equal(jint(v, "err_again_paused"), 1);
	json_decref(v);
	assert_int_equal(sx("events_committed"), 0);
	assert_int_equal(sx("err_again_paused"), 0);
	assert_int_equal(sx("batch_wait_since_reset_samples"), 0);
	snprintf(cmd, sizeof(cmd), "/emit/sender/xstats,%d", SID);
	v = query(cmd);
	assert_int_equal(jint(v, "events_committed"), 0);
	assert_int_equal(jint(v, "batch_wait_samples"),
		sx("batch_wait_samples"));
	json_decref(v);

	snprintf(cmd, sizeof(cmd), "/emit/tx/xstats_reset,%d", emit_tx_id(tx));
	v = query(cmd);
	assert_true(jint(v, "tx_sent") > 0);
	json_decref(v);
	assert_int_equal(tx_x("tx_sent"), 0);
	assert_int_equal(tx_x("latency_since_reset_samples"), 0);
	snprintf(cmd, sizeof(cmd), "/emit/latency,%d", emit_tx_id(tx));
	v = query(cmd);
	assert_int_equal(jint(json_object_get(v, "since_reset"), "samples"), 0);
	assert_true(jint(json_object_get(v, "run"), "samples") > 0);
	json_decref(v);
}

static int
setup(void **state)
{
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	unsigned int i;

	(void)state;
	pool = emit_test_pool("tel_pool", 2047);
	ring = emit_test_ring("tel_ring", 1024);
	if (pool == NULL || ring == NULL)
		return -1;
	emit_sender_conf_init(&sc);
	sc.name = "tel-sender";
	sc.mp = pool;
	sc.ring = ring;
	sc.id = SID;
	sc.burst = 4;
	sc.linger_us = 25;
	snd = emit_sender_create(&sc);
	emit_tx_conf_init(&tc);
	tc.port_id = PORT;
	tc.rings[0] = ring;
	tc.nb_rings = 1;
	tx = emit_tx_create(&tc);
	if (snd == NULL || tx == NULL)
		return -1;
	for (i = 0; i < 200; i++)
		if (emit_send(snd, 1, "payload", 7) != 0)
			return -1;
	/* Leave some in the ring. */
	emit_tx_poll(tx);
	emit_tx_poll(tx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (sock >= 0)
		close(sock);
	emit_sender_free(snd);
	emit_tx_free(tx);
	rte_ring_free(ring);
	if (rte_mempool_full(pool) != 1) {
		fprintf(stderr, "mempool not full\n");
		return -1;
	}
	rte_mempool_free(pool);
	return 0;
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_info_lists),
		cmocka_unit_test(test_xstats_match),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_controls),
	};
	int rc;

	if (emit_test_eal_init("telemetry", "0", vdevs) != 0)
		return 1;
	if (emit_test_port_start(PORT, 1) != 0)
		return 1;
	rc = cmocka_run_group_tests_name("telemetry", tests, setup, teardown);
	emit_test_port_stop(PORT);
	rte_eal_cleanup();
	return rc;
}
