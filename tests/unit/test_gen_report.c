/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen JSON writer, report (JSON and text) and payload pattern.
 * A small JSON reader here checks that the output parses and finds values
 * by path. No EAL. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "common/json.h"
#include "gen_report.h"
#include "gen_step.h"

/* ---- a strict JSON reader, enough for the tests ---- */

struct jr {
	const char *p;
	const char *want;      /* path looked for, e.g. "totals.mpps" */
	const char *found;     /* start of its value */
	size_t found_len;
};

static int jr_value(struct jr *r, const char *path);

static void
jr_ws(struct jr *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' ||
	       *r->p == '\r')
		r->p++;
}

static int
jr_string(struct jr *r, char *out, size_t outlen)
{
	size_t n = 0;

	if (*r->p != '"')
		return -1;
	r->p++;
	while (*r->p != '"') {
		char c = *r->p;

		if ((unsigned char)c < 0x20 || c == '\0')
			return -1;
		if (c == '\\') {
			r->p++;
			if (*r->p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (strchr("0123456789abcdefABCDEF",
						r->p[i]) == NULL ||
					    r->p[i] == '\0')
						return -1;
				r->p += 4;
				c = '?';
			} else if (strchr("\"\\/bfnrt", *r->p) != NULL &&
				   *r->p != '\0') {
				c = *r->p;
			} else {
				return -1;
			}
		}
		if (n + 1 < outlen)
			out[n++] = c;
		r->p++;
	}
	r->p++;
	if (outlen > 0)
		out[n] = '\0';
	return 0;
}

static int
jr_number(struct jr *r)
{
	const char *s = r->p;

	if (*r->p == '-')
		r->p++;
	if (*r->p == '0')
		r->p++;
	else if (*r->p >= '1' && *r->p <= '9')
		while (*r->p >= '0' && *r->p <= '9')
			r->p++;
	else
		return -1;
	if (*r->p == '.') {
		r->p++;
		if (!(*r->p >= '0' && *r->p <= '9'))
			return -1;
		while (*r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	return r->p > s ? 0 : -1;
}

static int
jr_members(struct jr *r, const char *path, int object)
{
	char key[128], sub[256];
	int idx = 0;

	r->p++;
	jr_ws(r);
	if (*r->p == (object ? '}' : ']')) {
		r->p++;
		return 0;
	}
	for (;;) {
		jr_ws(r);
		if (object) {
			if (jr_string(r, key, sizeof(key)) != 0)
				return -1;
			jr_ws(r);
			if (*r->p++ != ':')
				return -1;
			snprintf(sub, sizeof(sub), "%s%s%s", path,
				path[0] != '\0' ? "." : "", key);
		} else {
			snprintf(sub, sizeof(sub), "%s[%d]", path, idx++);
		}
		jr_ws(r);
		if (jr_value(r, sub) != 0)
			return -1;
		jr_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p++ != (object ? '}' : ']'))
			return -1;
		return 0;
	}
}

static int
jr_value(struct jr *r, const char *path)
{
	const char *start = r->p;
	int rc;

	if (*r->p == '{' || *r->p == '[')
		rc = jr_members(r, path, *r->p == '{');
	else if (*r->p == '"')
		rc = jr_string(r, NULL, 0);
	else if (strncmp(r->p, "true", 4) == 0)
		rc = (r->p += 4, 0);
	else if (strncmp(r->p, "false", 5) == 0)
		rc = (r->p += 5, 0);
	else if (strncmp(r->p, "null", 4) == 0)
		rc = (r->p += 4, 0);
	else
		rc = jr_number(r);
	if (rc == 0 && r->want != NULL && strcmp(path, r->want) == 0) {
		r->found = start;
		r->found_len = (size_t)(r->p - start);
	}
	return rc;
}

/* 0 if @p doc is one valid JSON value; the value at @p path (or NULL)
 * goes to @p out. */
static int
json_get(const char *doc, const char *path, char *out, size_t outlen)
{
	struct jr r = { .p = doc, .want = path };

	jr_ws(&r);
	if (jr_value(&r, "") != 0)
		return -1;
	jr_ws(&r);
	if (*r.p != '\0')
		return -1;
	if (out != NULL) {
		if (r.found == NULL)
			return -2;
		snprintf(out, outlen, "%.*s", (int)r.found_len, r.found);
	}
	return 0;
}

static uint64_t
json_u64(const char *doc, const char *path)
{
	char v[64];

	if (json_get(doc, path, v, sizeof(v)) != 0)
		fail_msg("no value at %s", path);
	return strtoull(v, NULL, 10);
}

static double
json_double(const char *doc, const char *path)
{
	char v[64];

	if (json_get(doc, path, v, sizeof(v)) != 0)
		fail_msg("no value at %s", path);
	return strtod(v, NULL);
}

static void
json_is(const char *doc, const char *path, const char *want)
{
	char v[256];

	if (json_get(doc, path, v, sizeof(v)) != 0)
		fail_msg("no value at %s", path);
	assert_string_equal(v, want);
}

/* ---- the writer ---- */

struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static void
mem_close(struct mem *m)
{
	fclose(m->f);
}

static void
test_json_writer(void **state)
{
	struct cli_json j;
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_json_init(&j, m.f);
	cli_json_obj_begin(&j, NULL);
	cli_json_str(&j, "s", "a\"b\\c\n\t\x01/");
	cli_json_u64(&j, "u", UINT64_MAX);
	cli_json_i64(&j, "i", -42);
	cli_json_double(&j, "d", 1.5, 3);
	cli_json_double(&j, "nan", NAN, 1);
	cli_json_double(&j, "inf", INFINITY, 1);
	cli_json_double(&j, "z", -0.0, 2);
	cli_json_bool(&j, "t", 1);
	cli_json_bool(&j, "f", 0);
	cli_json_null(&j, "n");
	cli_json_str(&j, "ns", NULL);
	cli_json_arr_begin(&j, "a");
	cli_json_u64(&j, NULL, 1);
	cli_json_obj_begin(&j, NULL);
	cli_json_obj_end(&j);
	cli_json_arr_begin(&j, NULL);
	cli_json_arr_end(&j);
	cli_json_arr_end(&j);
	cli_json_obj_end(&j);
	assert_int_equal(cli_json_end(&j), 0);
	mem_close(&m);
	assert_string_equal(m.buf,
		"{\n"
		"  \"s\": \"a\\\"b\\\\c\\n\\t\\u0001/\",\n"
		"  \"u\": 18446744073709551615,\n"
		"  \"i\": -42,\n"
		"  \"d\": 1.500,\n"
		"  \"nan\": null,\n"
		"  \"inf\": null,\n"
		"  \"z\": 0.00,\n"
		"  \"t\": true,\n"
		"  \"f\": false,\n"
		"  \"n\": null,\n"
		"  \"ns\": null,\n"
		"  \"a\": [\n"
		"    1,\n"
		"    {},\n"
		"    []\n"
		"  ]\n"
		"}\n");
	assert_int_equal(json_get(m.buf, NULL, NULL, 0), 0);
	free(m.buf);
}

static void
test_json_misuse(void **state)
{
	struct cli_json j;
	struct mem m;
	int i;

	(void)state;
	mem_open(&m);
	/* A key inside an array. */
	cli_json_init(&j, m.f);
	cli_json_arr_begin(&j, NULL);
	cli_json_u64(&j, "k", 1);
	cli_json_arr_end(&j);
	assert_int_equal(cli_json_end(&j), -1);
	/* No key inside an object. */
	cli_json_init(&j, m.f);
	cli_json_obj_begin(&j, NULL);
	cli_json_u64(&j, NULL, 1);
	cli_json_obj_end(&j);
	assert_int_equal(cli_json_end(&j), -1);
	/* Not closed; closed with the wrong bracket; nothing written. */
	cli_json_init(&j, m.f);
	cli_json_obj_begin(&j, NULL);
	assert_int_equal(cli_json_end(&j), -1);
	cli_json_init(&j, m.f);
	cli_json_obj_begin(&j, NULL);
	cli_json_arr_end(&j);
	assert_int_equal(cli_json_end(&j), -1);
	cli_json_init(&j, m.f);
	assert_int_equal(cli_json_end(&j), -1);
	/* Two top-level values; a key at top level. */
	cli_json_init(&j, m.f);
	cli_json_u64(&j, NULL, 1);
	cli_json_u64(&j, NULL, 2);
	assert_int_equal(cli_json_end(&j), -1);
	cli_json_init(&j, m.f);
	cli_json_u64(&j, "k", 1);
	assert_int_equal(cli_json_end(&j), -1);
	/* Too deep. */
	cli_json_init(&j, m.f);
	for (i = 0; i <= CLI_JSON_DEPTH_MAX; i++)
		cli_json_arr_begin(&j, NULL);
	for (i = 0; i <= CLI_JSON_DEPTH_MAX; i++)
		cli_json_arr_end(&j);
	assert_int_equal(cli_json_end(&j), -1);
	mem_close(&m);
	free(m.buf);
}

static void
test_json_write_error(void **state)
{
	struct cli_json j;
	FILE *f;

	(void)state;
	f = fopen("/dev/full", "w");
	if (f == NULL)
		skip();
	cli_json_init(&j, f);
	cli_json_obj_begin(&j, NULL);
	cli_json_str(&j, "k", "v");
	cli_json_obj_end(&j);
	assert_int_equal(cli_json_end(&j), -1);
	fclose(f);
}

/* ---- the report ---- */

static char *eal_argv[] = { "emit-gen", "--lcores", "0@0,1@1", "--no-huge",
	"--vdev", "net_null0" };

/* A few xstats, as the library names them; the report writes what it is
 * given. */
static const char *const sender_x[] = {
	"events_committed", "events_enqueued", "dropped_ring_full",
	"dropped_spin_timeout", "dropped_closed", "batch_wait_p99_ns",
};
static const char *const tx_x[] = {
	"dequeued", "tx_sent", "tx_dropped_retry_exhausted",
	"tx_dropped_closed", "latency_samples",
};

static void
report_make(struct gen_report *r, struct gen_opts *o)
{
	unsigned int i;

	gen_opts_defaults(o);
	o->rate = 1000000;
	snprintf(o->rate_arg, sizeof(o->rate_arg), "1M");
	o->json = "-";
	memset(r, 0, sizeof(*r));
	r->opts = o;
	r->version = "0.1.0";
	r->dpdk_version = "DPDK 22.11.0";
	r->eal_argc = 6;
	r->eal_argv = eal_argv;
	r->eal_default = 1;
	r->main_lcore = 0;
	r->main_role = "tx";
	r->rate_depth = 10000;
	r->nb_ports = 1;
	r->ports[0].port_id = 0;
	snprintf(r->ports[0].name, sizeof(r->ports[0].name), "net_null0");
	r->ports[0].tx_queues = 1;
	r->nb_senders = 2;
	for (i = 0; i < 2; i++) {
		struct gen_report_sender *s = &r->senders[i];

		s->id = (uint16_t)i;
		s->lcore = 1 + i;
		s->rate_target = 500000;
		s->start_delay_s = 0.02;
		s->generation_s = 2.0;
		s->st.events_claimed = 1000050;
		s->st.events_committed = 1000050;
		s->st.events_enqueued = 1000040 - i;
		s->st.dropped_ring_full = 10;
		s->st.dropped_closed = i;
		s->st.gap_count = 77 + i; /* the last field */
		s->xstats[0] = s->st.events_committed;
		s->xstats[1] = s->st.events_enqueued;
		s->xstats[2] = s->st.dropped_ring_full;
		s->xstats[3] = s->st.dropped_spin_timeout;
		s->xstats[4] = s->st.dropped_closed;
		s->xstats[5] = 7000 + i;
	}
	r->nb_sender_xstats = RTE_DIM(sender_x);
	for (i = 0; i < RTE_DIM(sender_x); i++)
		snprintf(r->sender_xstats[i].name,
			sizeof(r->sender_xstats[i].name), "%s", sender_x[i]);
	r->nb_tx_xstats = RTE_DIM(tx_x);
	for (i = 0; i < RTE_DIM(tx_x); i++)
		snprintf(r->tx_xstats[i].name, sizeof(r->tx_xstats[i].name),
			"%s", tx_x[i]);
	r->nb_tx = 1;
	r->tx[0].lcore = 0;
	r->tx[0].st.dequeued = 2000079;
	r->tx[0].st.tx_sent = 2000075;
	r->tx[0].st.tx_bytes = 2000075ull * 128;
	r->tx[0].st.tx_dropped_retry_exhausted = 4;
	r->tx[0].st.tx_dropped_closed = 0;
	r->tx[0].xstats[0] = 2000079;
	r->tx[0].xstats[1] = 2000075;
	r->tx[0].xstats[2] = 4;
	r->tx[0].xstats[3] = 0;
	r->tx[0].xstats[4] = 62502;
	r->latency_ns = (struct emit_hist_summary){ .samples = 62502,
		.min = 900, .max = 250000, .mean = 4100, .p50 = 3100,
		.p90 = 7900, .p99 = 15500, .p999 = 96000 };
	/* batch_wait_ns: no sample. */
	r->pool_size = 3264;
	r->pools_full = 1;
	r->duration_s = 2.0;
	r->elapsed_s = 2.01;
	r->stop_reason = "duration";
	r->totals.committed = 2000100;
	r->totals.enqueued = 2000079;
	r->totals.dropped = 21;
	r->totals.tx_sent = 2000075;
	r->totals.tx_bytes = 2000075ull * 128;
	r->totals.tx_dropped = 4;
	r->totals.ok = 1;
}

static char *
report_json(const struct gen_report *r)
{
	struct mem m;

	mem_open(&m);
	assert_int_equal(gen_report_json(r, m.f), 0);
	mem_close(&m);
	assert_int_equal(json_get(m.buf, NULL, NULL, 0), 0);
	return m.buf;
}

static void
test_report_json(void **state)
{
	struct gen_report r;
	struct gen_opts o;
	char *doc, path[128];
	unsigned int i, k;

	(void)state;
	report_make(&r, &o);
	doc = report_json(&r);
	assert_int_equal(json_u64(doc, "schema"), GEN_REPORT_SCHEMA);
	json_is(doc, "version", "\"0.1.0\"");
	json_is(doc, "dpdk_version", "\"DPDK 22.11.0\"");
	/* Config: every option, resolved, and the EAL arguments. */
	assert_int_equal(json_u64(doc, "config.rate"), 1000000);
	json_is(doc, "config.rate_arg", "\"1M\"");
	json_is(doc, "config.rate_bps", "null");
	assert_int_equal(json_u64(doc, "config.rate_bucket"), 10000);
	assert_int_equal(json_u64(doc, "config.size"), 128);
	assert_int_equal(json_u64(doc, "config.wire_overhead"), 24);
	assert_int_equal(json_u64(doc, "config.burst"), 32);
	assert_int_equal(json_u64(doc, "config.linger_us"), 0);
	json_is(doc, "config.duration_s", "5.000");
	json_is(doc, "config.count", "null");
	assert_int_equal(json_u64(doc, "config.senders"), 2);
	assert_int_equal(json_u64(doc, "config.tx_cores"), 1);
	assert_int_equal(json_u64(doc, "config.ring_size"), 1024);
	json_is(doc, "config.policy", "\"hold\"");
	assert_int_equal(json_u64(doc, "config.flows"), 1);
	json_is(doc, "config.src_mac", "\"02:00:00:00:00:01\"");
	json_is(doc, "config.dst_mac", "\"02:00:00:00:00:02\"");
	json_is(doc, "config.src_ip", "\"10.0.0.1\"");
	json_is(doc, "config.dst_ip", "\"10.0.0.2\"");
	assert_int_equal(json_u64(doc, "config.sport"), 9000);
	assert_int_equal(json_u64(doc, "config.dport"), 9001);
	assert_int_equal(json_u64(doc, "config.type"), 1);
	json_is(doc, "config.pattern", "\"counter\"");
	json_is(doc, "config.stats_interval_s", "1.000");
	json_is(doc, "config.json", "\"-\"");
	json_is(doc, "config.eal_args[0]", "\"emit-gen\"");
	json_is(doc, "config.eal_args[5]", "\"net_null0\"");
	assert_int_equal(json_get(doc, "config.eal_args[6]", path,
		sizeof(path)), -2);
	json_is(doc, "config.eal_default", "true");
	json_is(doc, "config.main_role", "\"tx\"");
	json_is(doc, "config.ports[0].name", "\"net_null0\"");
	assert_int_equal(json_u64(doc, "config.pool_size"), 3264);
	/* Totals and derived values. */
	json_is(doc, "duration_s", "2.000000");
	json_is(doc, "stop_reason", "\"duration\"");
	assert_int_equal(json_u64(doc, "exit_status"), 0);
	assert_int_equal(json_u64(doc, "totals.events_committed"), 2000100);
	assert_int_equal(json_u64(doc, "totals.events_sent"), 2000075);
	assert_int_equal(json_u64(doc, "totals.events_dropped"), 25);
	assert_int_equal(json_u64(doc, "totals.dropped.ring_full"), 20);
	assert_int_equal(json_u64(doc, "totals.dropped.closed"), 1);
	assert_int_equal(json_u64(doc, "totals.dropped.tx_retry_exhausted"),
		4);
	assert_int_equal(json_u64(doc, "totals.bytes_sent"), 2000075ull * 128);
	assert_true(fabs(json_double(doc, "totals.mpps") - 1.0000375) < 1e-6);
	/* (bytes + 24 per frame) * 8 / s */
	assert_true(fabs(json_double(doc, "totals.gbps") -
		2000075.0 * 152 * 8 / 2 / 1e9) < 1e-6);
	assert_true(fabs(json_double(doc, "totals.gbps_l2") -
		2000075.0 * 128 * 8 / 2 / 1e9) < 1e-6);
	assert_int_equal(json_u64(doc, "totals.rate_target"), 1000000);
	/* achieved 1000050/s against 1000000/s: +50 ppm */
	json_is(doc, "totals.rate_error_ppm", "50.0");
	/* Per sender and per TX stage: every xstat by its name, and no
	 * other key. */
	assert_int_equal(json_u64(doc, "senders[1].id"), 1);
	assert_int_equal(json_u64(doc, "senders[1].rate_target"), 500000);
	json_is(doc, "senders[1].rate_achieved", "500025.000");
	json_is(doc, "senders[1].start_delay_s", "0.020000");
	for (i = 0; i < 2; i++)
		for (k = 0; k < RTE_DIM(sender_x); k++) {
			snprintf(path, sizeof(path), "senders[%u].xstats.%s",
				i, sender_x[k]);
			assert_int_equal(json_u64(doc, path),
				r.senders[i].xstats[k]);
		}
	assert_int_equal(json_u64(doc, "senders[1].xstats.batch_wait_p99_ns"),
		7001);
	assert_int_equal(json_u64(doc, "senders[1].xstats.events_enqueued"),
		1000039);
	assert_int_equal(json_get(doc, "senders[0].xstats.gap_count", path,
		sizeof(path)), -2);
	for (k = 0; k < RTE_DIM(tx_x); k++) {
		snprintf(path, sizeof(path), "tx[0].xstats.%s", tx_x[k]);
		assert_int_equal(json_u64(doc, path), r.tx[0].xstats[k]);
	}
	assert_int_equal(json_u64(doc, "tx[0].xstats.latency_samples"), 62502);
	assert_int_equal(json_get(doc, "tx[0].xstats.polls", path,
		sizeof(path)), -2);
	/* Latency: every figure in ns; without samples, nulls. */
	assert_int_equal(json_u64(doc, "latency_ns.samples"), 62502);
	assert_int_equal(json_u64(doc, "latency_ns.min"), 900);
	assert_int_equal(json_u64(doc, "latency_ns.p50"), 3100);
	assert_int_equal(json_u64(doc, "latency_ns.p90"), 7900);
	assert_int_equal(json_u64(doc, "latency_ns.p99"), 15500);
	assert_int_equal(json_u64(doc, "latency_ns.p99.9"), 96000);
	assert_int_equal(json_u64(doc, "latency_ns.max"), 250000);
	assert_int_equal(json_u64(doc, "latency_ns.mean"), 4100);
	assert_int_equal(json_u64(doc, "batch_wait_ns.samples"), 0);
	json_is(doc, "batch_wait_ns.min", "null");
	json_is(doc, "batch_wait_ns.p50", "null");
	json_is(doc, "batch_wait_ns.p99.9", "null");
	json_is(doc, "batch_wait_ns.max", "null");
	json_is(doc, "batch_wait_ns.mean", "null");
	/* Conservation. */
	json_is(doc, "metrics", "true");
	json_is(doc, "conservation.checked", "true");
	json_is(doc, "conservation.ok", "true");
	json_is(doc, "conservation.pools_full", "true");
	json_is(doc, "config.tx_latency", "\"burst\"");
	/* No port statistics read: nulls. */
	json_is(doc, "totals.port_opackets", "null");
	json_is(doc, "totals.port_mpps", "null");
	assert_int_equal(json_u64(doc, "conservation.enqueued"), 2000079);
	assert_int_equal(json_u64(doc, "conservation.sender_dropped"), 21);
	free(doc);

	/* Unlimited rate: no error to give; a count run; a bit rate. */
	o.rate = 0;
	o.count = 500;
	o.duration_ns = 0;
	o.rate_bps = 1000000000;
	r.senders[0].rate_target = 0;
	r.senders[1].rate_target = 0;
	r.totals.ok = 0;
	r.pools_full = 0;
	r.exit_status = 1;
	doc = report_json(&r);
	json_is(doc, "totals.rate_error_ppm", "null");
	json_is(doc, "config.duration_s", "null");
	assert_int_equal(json_u64(doc, "config.count"), 500);
	assert_int_equal(json_u64(doc, "config.rate_bps"), 1000000000);
	json_is(doc, "conservation.ok", "false");
	json_is(doc, "conservation.pools_full", "false");
	assert_int_equal(json_u64(doc, "exit_status"), 1);
	free(doc);
}

/* The ports' statistics beside the counters; and a build without
 * counters (EMIT_METRICS 0), which takes its totals from the ports and
 * emit-gen's own count and checks no conservation. */
static void
test_report_ports(void **state)
{
	struct gen_report r;
	struct gen_opts o;
	struct mem m;
	char *doc, v[64];

	(void)state;
	report_make(&r, &o);
	r.port_stats = 1;
	r.port_opackets = 2000075;
	r.port_obytes = 0; /* net_null counts no bytes */
	r.generated = 1234;
	doc = report_json(&r);
	assert_int_equal(json_u64(doc, "totals.port_opackets"), 2000075);
	assert_int_equal(json_u64(doc, "totals.port_obytes"), 0);
	assert_true(fabs(json_double(doc, "totals.port_mpps") - 1.0000375) <
		1e-6);
	/* With counters, the totals are theirs. */
	assert_int_equal(json_u64(doc, "totals.events_committed"), 2000100);
	assert_int_equal(json_u64(doc, "totals.events_sent"), 2000075);
	free(doc);
	mem_open(&m);
	gen_report_text(&r, m.f);
	mem_close(&m);
	assert_non_null(strstr(m.buf, "ports      2000075 packets out: "
		"1.000 Mpps"));
	assert_null(strstr(m.buf, "by the ports' statistics"));
	free(m.buf);

	r.metrics_off = 1;
	memset(&r.totals, 0, sizeof(r.totals));
	memset(&r.latency_ns, 0, sizeof(r.latency_ns));
	r.totals.ok = 1; /* says nothing without counters: not reported */
	r.port_opackets = 3000000;
	o.size = 66;
	doc = report_json(&r);
	json_is(doc, "metrics", "false");
	json_is(doc, "conservation.checked", "false");
	json_is(doc, "conservation.reason", "\"metrics compiled out\"");
	json_is(doc, "conservation.pools_full", "true");
	assert_int_equal(json_get(doc, "conservation.ok", v, sizeof(v)), -2);
	assert_int_equal(json_u64(doc, "totals.events_committed"), 1234);
	assert_int_equal(json_u64(doc, "totals.events_sent"), 3000000);
	assert_int_equal(json_u64(doc, "totals.bytes_sent"), 3000000ull * 66);
	json_is(doc, "totals.events_enqueued", "null");
	json_is(doc, "totals.events_dropped", "null");
	json_is(doc, "totals.dropped", "null");
	assert_true(fabs(json_double(doc, "totals.mpps") - 1.5) < 1e-9);
	assert_true(fabs(json_double(doc, "totals.port_mpps") - 1.5) < 1e-9);
	assert_true(fabs(json_double(doc, "totals.gbps") -
		3000000.0 * 90 * 8 / 2 / 1e9) < 1e-9);
	free(doc);
	mem_open(&m);
	gen_report_text(&r, m.f);
	mem_close(&m);
	assert_non_null(strstr(m.buf, "sent       3000000 events, 198000000 "
		"bytes: 1.500 Mpps"));
	assert_non_null(strstr(m.buf, "by the ports' statistics"));
	assert_non_null(strstr(m.buf, "dropped    not counted"));
	assert_non_null(strstr(m.buf, "latency    no sample (metrics "
		"compiled out)"));
	assert_null(strstr(m.buf, "ports      "));
	assert_non_null(strstr(m.buf, "conservation not checked (metrics "
		"compiled out); mempools full"));
	free(m.buf);
	/* No statistics from the ports either: nothing to say about sent. */
	r.port_stats = 0;
	mem_open(&m);
	gen_report_text(&r, m.f);
	mem_close(&m);
	assert_non_null(strstr(m.buf, "sent       not counted"));
	free(m.buf);
}

static void
test_report_text(void **state)
{
	struct gen_report r;
	struct gen_opts o;
	struct mem m;

	(void)state;
	report_make(&r, &o);
	mem_open(&m);
	gen_report_text(&r, m.f);
	mem_close(&m);
	assert_non_null(strstr(m.buf, "2 senders, 1 TX stage, 1 port"));
	assert_non_null(strstr(m.buf, "sent       2000075 events"));
	assert_non_null(strstr(m.buf, "dropped    25 (ring_full 20"));
	assert_non_null(strstr(m.buf, "target 1000000 events/s"));
	assert_non_null(strstr(m.buf, "(+50 ppm)"));
	assert_non_null(strstr(m.buf, "conservation ok; mempools full"));
	assert_non_null(strstr(m.buf, "latency    p50 3.1 us, p99 15.5 us, "
		"p99.9 96.0 us, max 250.0 us (commit to TX, one sample per TX "
		"burst; 62502 samples)"));
	assert_non_null(strstr(m.buf, "batch wait no sample"));
	free(m.buf);
	r.totals.ok = 0;
	r.pools_full = 0;
	mem_open(&m);
	gen_report_text(&r, m.f);
	mem_close(&m);
	assert_non_null(strstr(m.buf, "conservation FAILED; mempools NOT "
		"FULL"));
	free(m.buf);
}

static void
test_fill(void **state)
{
	uint64_t buf[3][4] = { { 0 } }, be;
	void *data[3] = { buf[0], buf[1], buf[2] };
	uint64_t counter = 0x0102030405060708ull;
	const uint8_t *b;
	unsigned int i, k;

	(void)state;
	/* 20 bytes: two whole words and the first 4 bytes of a third. */
	memset(buf, 0xee, sizeof(buf));
	gen_fill(data, 3, 20, GEN_PATTERN_COUNTER, &counter);
	assert_true(counter == 0x0102030405060708ull + 3);
	for (i = 0; i < 3; i++) {
		be = rte_cpu_to_be_64(0x0102030405060708ull + i);
		b = (const uint8_t *)buf[i];
		for (k = 0; k < 20; k++)
			assert_int_equal(b[k], ((const uint8_t *)&be)[k % 8]);
		for (k = 20; k < 32; k++)
			assert_int_equal(b[k], 0xee);
	}
	assert_int_equal(((const uint8_t *)buf[2])[7], 0x0a);
	/* Zero pattern. */
	memset(buf, 0xee, sizeof(buf));
	gen_fill(data, 2, 9, GEN_PATTERN_ZERO, &counter);
	assert_true(counter == 0x0102030405060708ull + 5);
	b = (const uint8_t *)buf[1];
	for (k = 0; k < 9; k++)
		assert_int_equal(b[k], 0);
	assert_int_equal(b[9], 0xee);
	/* Payload of 0 bytes: nothing written, still counted. */
	gen_fill(data, 1, 0, GEN_PATTERN_COUNTER, &counter);
	assert_true(counter == 0x0102030405060708ull + 6);
	assert_int_equal(b[9], 0xee);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_misuse),
		cmocka_unit_test(test_json_write_error),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_text),
		cmocka_unit_test(test_report_ports),
		cmocka_unit_test(test_fill),
	};

	return cmocka_run_group_tests_name("gen_report", tests, NULL, NULL);
}
