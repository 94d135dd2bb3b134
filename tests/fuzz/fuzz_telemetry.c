/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the telemetry parameters.
 *
 * 1. emit__tel_parse(), the parser of every /emit command's parameters,
 *    against a reference written from its contract (emit_pvt.h): both
 *    must accept the same strings and agree on the values.
 * 2. The command handlers, end to end: the input becomes "<command>,<rest>"
 *    (the first byte picks one of the /emit and /emit/sink commands) and
 *    goes to this process's own telemetry socket, as dpdk-telemetry.py
 *    would send it, while a sender, a TX stage and a tracker exist. Every
 *    request must get a JSON reply: an object for a good one, null for a
 *    bad one, never a crash.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <emit.h>

#include "emit_pvt.h"
#include "fuzz_eal.h"
#include "sink.h"

static const char *const cmds[] = {
	"/emit/info", "/emit/senders", "/emit/sender", "/emit/tx",
	"/emit/sender/xstats", "/emit/tx/xstats", "/emit/latency",
	"/emit/totals", "/emit/sender/rate", "/emit/sender/pause",
	"/emit/sender/resume", "/emit/sender/xstats_reset",
	"/emit/tx/xstats_reset", "/emit/sink", "/emit/sink/senders",
	"/emit/sink/sender",
};

static int sock = -1;
static struct sink sink;
static char reply[1 << 16];

/* The contract of emit__tel_parse, written out plainly. */
static int
ref_parse(const char *params, unsigned int n, const uint64_t *max,
		uint64_t *out)
{
	const char *p = params;
	unsigned int i;

	if (n == 0)
		return params == NULL ? 0 : -EINVAL;
	if (params == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		unsigned __int128 v = 0;
		size_t digits = strspn(p, "0123456789"), k;

		if (digits == 0)
			return -EINVAL;
		for (k = 0; k < digits; k++) {
			v = v * 10 + (unsigned int)(p[k] - '0');
			if (v > max[i])
				return -EINVAL;
		}
		out[i] = (uint64_t)v;
		p += digits;
		if (i + 1 < n) {
			if (*p != ',')
				return -EINVAL;
			p++;
		}
	}
	return *p == '\0' ? 0 : -EINVAL;
}

static void
check_parser(const uint8_t *data, size_t size)
{
	uint64_t max[2], out[2] = { 0, 0 }, ref[2] = { 0, 0 };
	char params[256];
	unsigned int n = data[0] % 3;
	const char *p;
	size_t len;
	int rc;

	/* Bounds: the largest ones the commands use, or from the input. */
	max[0] = data[0] & 0x10 ? UINT16_MAX : UINT64_MAX;
	max[1] = data[0] & 0x20 ? EMIT_RATE_MAX :
		size > 1 ? (uint64_t)data[1] * 1000 : 0;
	len = size > 2 ? size - 2 : 0;
	if (len >= sizeof(params))
		len = sizeof(params) - 1;
	if (len != 0)
		memcpy(params, data + 2, len);
	params[len] = '\0';
	p = data[0] & 0x40 ? NULL : params;
	rc = emit__tel_parse(p, n, max, out);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(rc == ref_parse(p, n, max, ref));
	if (rc == 0)
		FUZZ_CHECK(out[0] == ref[0] && out[1] == ref[1]);
}

/* Send "<command>,<rest of the input>" and check the reply. */
static void
check_handler(const uint8_t *data, size_t size)
{
	const char *cmd = cmds[data[0] % RTE_DIM(cmds)];
	char req[1024];
	size_t len = strlen(cmd), extra = size - 1;
	json_error_t err;
	json_t *root, *v;
	ssize_t n;

	memcpy(req, cmd, len);
	if (data[0] & 0x80 || extra != 0) {
		if (extra > sizeof(req) - len - 2)
			extra = sizeof(req) - len - 2;
		req[len++] = ',';
		memcpy(req + len, data + 1, extra);
		len += extra;
	}
	/* The socket reads up to its buffer; a NUL ends the command. */
	req[len] = '\0';
	len = strlen(req);
	/* libFuzzer's timeout alarm may interrupt either call. */
	do
		n = send(sock, req, len, 0);
	while (n < 0 && errno == EINTR);
	FUZZ_CHECK(n == (ssize_t)len);
	do
		n = recv(sock, reply, sizeof(reply) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		fprintf(stderr, "no reply to '%s': %s\n", req,
			n < 0 ? strerror(errno) : "connection closed");
	FUZZ_CHECK(n > 0);
	root = json_loadb(reply, (size_t)n, 0, &err);
	if (root == NULL) {
		fprintf(stderr, "bad reply to '%s': %.*s\n", req, (int)n, reply);
		FUZZ_CHECK(root != NULL);
	}
	FUZZ_CHECK(json_is_object(root) && json_object_size(root) == 1);
	v = json_object_iter_value(json_object_iter(root));
	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK(json_is_object(v) || json_is_array(v) || json_is_null(v));
	json_decref(root);
}

/* A sender, a TX stage on net_null, a tracker with a few senders: the
 * commands find what they look for when given the right ids. */
static void
setup_objects(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct emit_sender_conf sc;
	struct emit_tx_conf tc;
	struct emit_track_conf kc;
	struct emit_decoded ev;
	struct rte_eth_conf pc;
	struct rte_mempool *mp;
	struct rte_ring *r;
	uint16_t port;
	unsigned int i;

	mp = rte_pktmbuf_pool_create("fuzz_pool", 255, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	r = rte_ring_create("fuzz_ring", 64, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	FUZZ_CHECK(mp != NULL && r != NULL);
	emit_sender_conf_init(&sc);
	sc.mp = mp;
	sc.ring = r;
	sc.id = 7;
	FUZZ_CHECK(emit_sender_create(&sc) != NULL);
	FUZZ_CHECK(rte_eal_hotplug_add("vdev", "net_null0", "") == 0);
	FUZZ_CHECK(rte_eth_dev_get_port_by_name("net_null0", &port) == 0);
	memset(&pc, 0, sizeof(pc));
	FUZZ_CHECK(rte_eth_dev_configure(port, 0, 1, &pc) == 0);
	FUZZ_CHECK(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY,
		NULL) == 0);
	FUZZ_CHECK(rte_eth_dev_start(port) == 0);
	emit_tx_conf_init(&tc);
	tc.port_id = port;
	tc.rings[0] = r;
	tc.nb_rings = 1;
	FUZZ_CHECK(emit_tx_create(&tc) != NULL);

	emit_track_conf_init(&kc);
	kc.max_senders = 4;
	kc.window = 64;
	/* One RX queue and its tracker, as emit-sink -- --rx-queues 1. */
	sink.tracks[0] = emit_track_create(&kc);
	FUZZ_CHECK(sink.tracks[0] != NULL);
	sink.nb_rxq = 1;
	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < 12; i++) {
		ev.sender = (uint16_t)(i % 3);
		ev.seq = i * 2;
		ev.time_ns = 1000 * i;
		FUZZ_CHECK(emit_track_event(sink.tracks[0], &ev, 5000 * i) >=
			0);
	}
	sink.start_tsc = rte_rdtsc();
	FUZZ_CHECK(sink_telemetry_register(&sink) == 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	sock = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	FUZZ_CHECK(sock >= 0);
	FUZZ_CHECK(connect(sock, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	FUZZ_CHECK(recv(sock, reply, sizeof(reply), 0) > 0); /* greeting */
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_eal_init("telemetry", true);
	setup_objects();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	check_parser(data, size);
	check_handler(data, size);
	return 0;
}
