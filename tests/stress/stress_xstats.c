/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stress test, xstats and telemetry under traffic (control lcore): reads
 * and get-and-resets of sender and TX stage xstats through the API and
 * through the process's own telemetry socket (as dpdk-telemetry.py talks
 * to it), plus rate changes and other queries over telemetry.
 *
 * The control lcore is the only one that resets, so it knows, per counter,
 * the sum of what its resets returned (acc). For any read: acc + value
 * must not go back between reads (nothing lost) and must not exceed the
 * raw counter read just after (nothing counted twice). At the end, after
 * one last get-and-reset, acc must equal the raw counter exactly, and the
 * since-reset latency samples must add up to the whole-run count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_eal.h>

#include "stress.h"

uint64_t
st_clock_read(void *arg)
{
	struct emit_test_clock *c = arg;

	return __atomic_fetch_add(&c->now, c->step, __ATOMIC_RELAXED);
}

/* Ids of every counter but the high-water mark, and of the sample count
 * of the since-reset histogram; names from the object itself. */
static void
xs_ids(struct st_xs_ids *x, const struct emit_xstats_name *names, int nb,
		unsigned int nb_ctr, const char *since, const char *run)
{
	int k;

	memset(x, 0, sizeof(*x));
	assert_true(nb > 0 && nb_ctr < (unsigned int)nb);
	for (k = 0; k < nb; k++) {
		const char *name = names[k].name;

		if (strcmp(name, run) == 0)
			x->run_samples_id = (uint64_t)k;
		if (((unsigned int)k >= nb_ctr ||
		     strcmp(name, "ring_max_used") == 0) &&
		    strcmp(name, since) != 0)
			continue;
		assert_true(x->n < ST_XS_MAX);
		if (strcmp(name, since) == 0)
			x->samples = x->n;
		x->ids[x->n] = (uint64_t)k;
		snprintf(x->names[x->n], sizeof(x->names[x->n]), "%s", name);
		x->n++;
	}
	assert_true(x->run_samples_id != 0 && x->samples != 0);
}

void
st_xs_setup(struct st_round *r)
{
	struct emit_xstats_name names[128];
	int n;

	n = emit_sender_xstats_names_get(r->snd[0].s, names, RTE_DIM(names));
	assert_true(n > 0 && n <= (int)RTE_DIM(names));
	xs_ids(&r->xs_snd, names, n, EMIT_SENDER_NB_STATS,
		"batch_wait_since_reset_samples", "batch_wait_samples");
	n = emit_tx_xstats_names_get(r->tx[0].tx, names, RTE_DIM(names));
	assert_true(n > 0 && n <= (int)RTE_DIM(names));
	xs_ids(&r->xs_tx, names, n, EMIT_TX_NB_STATS,
		"latency_since_reset_samples", "latency_samples");
}

/* ---- one object, either kind ---- */

struct xs_obj {
	struct st_round *r;
	const struct st_xs_ids *x;
	uint64_t *acc;
	uint64_t *prev;      /* acc + value at the previous read */
	struct emit_sender *s;
	struct emit_tx *tx;
	unsigned int idx;
};

static void
xs_obj(struct xs_obj *o, struct st_round *r, unsigned int k, int is_tx,
		uint64_t *prev_snd, uint64_t *prev_tx)
{
	memset(o, 0, sizeof(*o));
	o->r = r;
	if (is_tx) {
		o->idx = k % ST_TX;
		o->x = &r->xs_tx;
		o->acc = r->xacc_tx[o->idx];
		o->prev = prev_tx + o->idx * ST_XS_MAX;
		o->tx = r->tx[o->idx].tx;
	} else {
		o->idx = k % ST_SENDERS;
		o->x = &r->xs_snd;
		o->acc = r->xacc_snd[o->idx];
		o->prev = prev_snd + o->idx * ST_XS_MAX;
		o->s = r->snd[o->idx].s;
	}
}

static int
xs_raw(const struct xs_obj *o, uint64_t *raw)
{
	return o->s != NULL ?
		emit_sender_stats_get(o->s, (struct emit_sender_stats *)raw) :
		emit_tx_stats_get(o->tx, (struct emit_tx_stats *)raw);
}

/* A read of values[] (one per id) against the raw counters read after. */
static void
xs_check_read(struct xs_obj *o, const uint64_t *values)
{
	uint64_t raw[EMIT_SENDER_NB_STATS + EMIT_TX_NB_STATS];
	unsigned int k;

	if (xs_raw(o, raw) != 0) {
		st_fail(&o->r->ctl_fail, -1, "raw counters");
		return;
	}
	for (k = 0; k < o->x->n; k++) {
		uint64_t total = o->acc[k] + values[k];

		if (k == o->x->samples)
			continue;
		if (total < o->prev[k])
			st_fail(&o->r->ctl_fail, (int)o->x->ids[k],
				"xstat (id) lost counts");
		if (total > raw[o->x->ids[k]])
			st_fail(&o->r->ctl_fail, (int)o->x->ids[k],
				"xstat (id) counted twice");
		o->prev[k] = total;
	}
}

static void
xs_api(struct xs_obj *o, int reset)
{
	uint64_t values[ST_XS_MAX];
	unsigned int k;
	int n;

	if (o->s != NULL)
		n = reset ? emit_sender_xstats_get_reset(o->s, o->x->ids, values,
				o->x->n) :
			emit_sender_xstats_get(o->s, o->x->ids, values, o->x->n);
	else
		n = reset ? emit_tx_xstats_get_reset(o->tx, o->x->ids, values,
				o->x->n) :
			emit_tx_xstats_get(o->tx, o->x->ids, values, o->x->n);
	if (n != (int)o->x->n) {
		st_fail(&o->r->ctl_fail, n, "xstats get");
		return;
	}
	if (reset) {
		for (k = 0; k < o->x->n; k++)
			o->acc[k] += values[k];
		o->r->ctl.xstats_resets++;
	} else {
		xs_check_read(o, values);
		o->r->ctl.xstats_reads++;
	}
}

/* ---- telemetry ---- */

struct st_tel {
	int sock;
	struct st_fail *f;
	char buf[65536];
};

struct st_tel *
st_tel_open(struct st_fail *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct st_tel *t = calloc(1, sizeof(*t));
	ssize_t n;

	if (t == NULL) {
		st_fail(f, -ENOMEM, "telemetry client");
		return NULL;
	}
	t->f = f;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	t->sock = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (t->sock < 0 ||
	    connect(t->sock, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		st_fail(f, -errno, "telemetry connect");
		st_tel_close(t);
		return NULL;
	}
	/* The greeting. */
	n = recv(t->sock, t->buf, sizeof(t->buf) - 1, 0);
	if (n <= 0) {
		st_fail(f, -errno, "telemetry greeting");
		st_tel_close(t);
		return NULL;
	}
	return t;
}

void
st_tel_close(struct st_tel *t)
{
	if (t == NULL)
		return;
	if (t->sock >= 0)
		close(t->sock);
	free(t);
}

/* Send @p cmd; the value under its command name (a new reference), or
 * NULL with the failure recorded. A JSON null is an error reply. */
static json_t *
tel_query(struct st_tel *t, const char *cmd)
{
	char key[64];
	size_t klen = strcspn(cmd, ",");
	json_error_t jerr;
	json_t *root, *v;
	ssize_t n;

	if (klen >= sizeof(key) ||
	    send(t->sock, cmd, strlen(cmd), 0) != (ssize_t)strlen(cmd)) {
		st_fail(t->f, -errno, "telemetry send");
		return NULL;
	}
	n = recv(t->sock, t->buf, sizeof(t->buf) - 1, 0);
	if (n <= 0) {
		st_fail(t->f, -errno, "telemetry recv");
		return NULL;
	}
	memcpy(key, cmd, klen);
	key[klen] = '\0';
	root = json_loadb(t->buf, (size_t)n, 0, &jerr);
	v = root != NULL ? json_object_get(root, key) : NULL;
	if (v == NULL || json_is_null(v)) {
		char asked[192];

		(void)snprintf(asked, sizeof(asked), "%s (%.96s)", cmd,
			root == NULL ? jerr.text : "no value");
		st_fail_detail(t->f, 0, "telemetry reply", asked, t->buf,
			(size_t)n);
		json_decref(root);
		return NULL;
	}
	json_incref(v);
	json_decref(root);
	return v;
}

/* xstats (or xstats_reset) of one object over telemetry. */
static void
xs_tel(struct xs_obj *o, struct st_tel *t, int reset)
{
	uint64_t values[ST_XS_MAX];
	char cmd[64];
	json_t *d;
	unsigned int k;

	snprintf(cmd, sizeof(cmd), "/emit/%s/xstats%s,%u",
		o->s != NULL ? "sender" : "tx", reset ? "_reset" : "",
		o->s != NULL ? (unsigned int)emit_sender_id(o->s) :
			(unsigned int)emit_tx_id(o->tx));
	d = tel_query(t, cmd);
	if (d == NULL)
		return;
	for (k = 0; k < o->x->n; k++) {
		json_t *v = json_object_get(d, o->x->names[k]);

		if (!json_is_integer(v)) {
			st_fail(t->f, (int)k, "telemetry xstats: a name");
			json_decref(d);
			return;
		}
		values[k] = (uint64_t)json_integer_value(v);
	}
	json_decref(d);
	if (reset) {
		for (k = 0; k < o->x->n; k++)
			o->acc[k] += values[k];
		o->r->ctl.xstats_resets++;
	} else {
		xs_check_read(o, values);
		o->r->ctl.xstats_reads++;
	}
	o->r->ctl.telemetry_queries++;
}

/* Another telemetry query: descriptions, totals, a rate change. */
static void
tel_other(struct st_round *r, struct st_tel *t, uint64_t *rng)
{
	unsigned int i = (unsigned int)(st_rand(rng) % ST_SENDERS);
	char cmd[96];
	json_t *d;
	uint64_t rate;

	switch (st_rand(rng) % 4) {
	case 0:
		snprintf(cmd, sizeof(cmd), "/emit/sender,%u", r->snd[i].id);
		break;
	case 1:
		snprintf(cmd, sizeof(cmd), "/emit/tx,%d",
			emit_tx_id(r->tx[i % ST_TX].tx));
		break;
	case 2:
		snprintf(cmd, sizeof(cmd), "/emit/totals");
		break;
	default:
		rate = st_pick_rate(&r->snd[i], rng);
		snprintf(cmd, sizeof(cmd), "/emit/sender/rate,%u,%lu",
			r->snd[i].id, (unsigned long)rate);
		r->ctl.rate_changes++;
		break;
	}
	d = tel_query(t, cmd);
	if (d != NULL && !json_is_object(d))
		st_fail(t->f, 0, "telemetry: not an object");
	json_decref(d);
	r->ctl.telemetry_queries++;
}

void
st_xs_op(struct st_round *r, struct st_tel *tel, uint64_t *rng,
		uint64_t *prev_snd, uint64_t *prev_tx)
{
	unsigned int op = (unsigned int)(st_rand(rng) % 10);
	struct xs_obj o;

	xs_obj(&o, r, (unsigned int)st_rand(rng), op % 2, prev_snd, prev_tx);
	if (op < 4 || tel == NULL)
		xs_api(&o, op >= 2);         /* API: read, or get-and-reset */
	else if (op < 8)
		xs_tel(&o, tel, op >= 6);    /* telemetry: the same */
	else
		tel_other(r, tel, rng);
}

const char *
st_xs_final(struct st_round *r, unsigned int *which)
{
	uint64_t values[ST_XS_MAX], raw[EMIT_SENDER_NB_STATS], run;
	unsigned int i, k;

	/* congested_ns counts an open congestion spell up to the moment it
	 * is read: close the senders (their owners have stopped; nothing is
	 * pending) so that every counter stands still. */
	for (i = 0; i < ST_SENDERS; i++) {
		*which = i;
		if (emit_sender_close(r->snd[i].s) < 0)
			return "emit_sender_close";
	}
	for (i = 0; i < ST_SENDERS + ST_TX; i++) {
		const struct st_xs_ids *x = i < ST_SENDERS ? &r->xs_snd :
			&r->xs_tx;
		uint64_t *acc = i < ST_SENDERS ? r->xacc_snd[i] :
			r->xacc_tx[i - ST_SENDERS];
		int n;

		*which = i;
		if (i < ST_SENDERS) {
			struct emit_sender *s = r->snd[i].s;

			n = emit_sender_xstats_get_reset(s, x->ids, values,
				x->n);
			if (emit_sender_stats_get(s,
				(struct emit_sender_stats *)raw) != 0 ||
			    emit_sender_xstats_get(s, &x->run_samples_id,
				&run, 1) != 1)
				return "sender raw counters";
		} else {
			struct emit_tx *tx = r->tx[i - ST_SENDERS].tx;

			n = emit_tx_xstats_get_reset(tx, x->ids, values, x->n);
			if (emit_tx_stats_get(tx,
				(struct emit_tx_stats *)raw) != 0 ||
			    emit_tx_xstats_get(tx, &x->run_samples_id, &run,
				1) != 1)
				return "TX raw counters";
		}
		if (n != (int)x->n)
			return "the last get-and-reset";
		for (k = 0; k < x->n; k++) {
			acc[k] += values[k];
			if (k == x->samples ? acc[k] != run :
			    acc[k] != raw[x->ids[k]]) {
				*which = i * 1000 + k;
				return "resets did not add up to the counter";
			}
		}
	}
	return NULL;
}
