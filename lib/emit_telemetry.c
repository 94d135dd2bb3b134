/* SPDX-License-Identifier: BSD-3-Clause */
/* Telemetry endpoints /emit/... and the live controls, registered at load.
 * Callbacks run on the telemetry threads; they read a sender or TX stage
 * inside the registry's find and walk functions (lib/emit_pvt.h), under
 * its lock, so that it cannot be freed underneath. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

/* Most numeric parameters a command takes. */
#define TEL_PARAMS_MAX 2

/* The parameter parser of every command; declared in emit_pvt.h, where
 * its contract is, so that the fuzz harness (tests/fuzz) can call it. */
int
emit__tel_parse(const char *params, unsigned int n, const uint64_t *max,
		uint64_t *out)
{
	const char *p = params;
	unsigned int i;

	if (n == 0)
		return params == NULL ? 0 : -EINVAL;
	if (params == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint64_t v = 0;
		const char *start = p;

		for (; *p >= '0' && *p <= '9'; p++) {
			uint64_t d = (uint64_t)(*p - '0');

			/* v * 10 + d <= max[i], without overflow; a max
			 * below 9 must not wrap max[i] - d around. */
			if (d > max[i] || v > (max[i] - d) / 10)
				return -EINVAL;
			v = v * 10 + d;
		}
		if (p == start)
			return -EINVAL;
		out[i] = v;
		if (i + 1 < n) {
			if (*p != ',')
				return -EINVAL;
			p++;
		}
	}
	return *p == '\0' ? 0 : -EINVAL;
}

/* One id parameter: a sender id (0..65535) or a TX stage id. */
static int
tel_id(const char *params, uint64_t max, uint64_t *id)
{
	return emit__tel_parse(params, 1, &max, id);
}

/* Live objects, counted in one walk: [0] TX stages, [1] senders. */
static int
count_tx(struct emit_tx *tx __rte_unused, void *arg)
{
	((unsigned int *)arg)[0]++;
	return 0;
}

static int
count_sender(struct emit_sender *s __rte_unused, void *arg)
{
	((unsigned int *)arg)[1]++;
	return 0;
}

static int
tel_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	unsigned int n[2] = { 0, 0 };
	int rc;

	if (emit__tel_parse(params, 0, NULL, NULL) != 0)
		return -EINVAL;
	rc = emit__reg_foreach(count_tx, count_sender, n);
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", emit_version());
	rte_tel_data_add_dict_u64(d, "tsc_hz", rte_get_tsc_hz());
	rte_tel_data_add_dict_int(d, "senders", (int)n[1]);
	rte_tel_data_add_dict_int(d, "tx_stages", (int)n[0]);
	rte_tel_data_add_dict_int(d, "senders_max", EMIT_SENDERS_MAX);
	rte_tel_data_add_dict_int(d, "tx_stages_max", EMIT_TX_MAX);
	return 0;
}

static int
add_sender_id(struct emit_sender *s, void *arg)
{
	rte_tel_data_add_array_int(arg, s->id);
	return 0;
}

static int
tel_senders(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	if (emit__tel_parse(params, 0, NULL, NULL) != 0)
		return -EINVAL;
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	return emit__reg_foreach(NULL, add_sender_id, d);
}

static int
add_tx_id(struct emit_tx *tx, void *arg)
{
	rte_tel_data_add_array_int(arg, tx->id);
	return 0;
}

static int
tel_txs(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	if (emit__tel_parse(params, 0, NULL, NULL) != 0)
		return -EINVAL;
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	return emit__reg_foreach(add_tx_id, NULL, d);
}

static int
sender_info(struct emit_sender *s, void *arg)
{
	struct rte_tel_data *d = arg;
	uint32_t w = __atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED);
	uint32_t slow = __atomic_load_n(&s->slow, __ATOMIC_RELAXED);

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "id", s->id);
	rte_tel_data_add_dict_string(d, "name", s->name);
	rte_tel_data_add_dict_string(d, "policy",
		emit_policy_name((enum emit_policy)s->policy));
	rte_tel_data_add_dict_int(d, "burst", s->burst);
	rte_tel_data_add_dict_u64(d, "linger_us", s->linger_us);
	rte_tel_data_add_dict_u64(d, "spin_us", s->spin_us);
	rte_tel_data_add_dict_u64(d, "rate_target", emit_sender_rate_get(s));
	rte_tel_data_add_dict_u64(d, "rate_achieved",
		emit_sender_rate_achieved(s));
	rte_tel_data_add_dict_u64(d, "rate_burst", s->rate_burst);
	rte_tel_data_add_dict_string(d, "rate_unit",
		s->rate_unit == EMIT_RATE_BITS ? "bits" : "events");
	rte_tel_data_add_dict_int(d, "paused", emit_sender_paused(s) == 1);
	rte_tel_data_add_dict_int(d, "congested",
		emit_sender_congested(s) == 1);
	rte_tel_data_add_dict_int(d, "backpressure_active",
		(slow & EMIT__SLOW_HELD) != 0);
	rte_tel_data_add_dict_int(d, "closed",
		((slow & EMIT__SLOW_CLOSED) | (w & EMIT__CTL_CLOSED)) != 0);
	rte_tel_data_add_dict_u64(d, "wm_high", s->wm_high);
	rte_tel_data_add_dict_u64(d, "wm_low", s->wm_low);
	rte_tel_data_add_dict_int(d, "early_backpressure", s->early_bp);
	rte_tel_data_add_dict_string(d, "ring", s->ring->name);
	rte_tel_data_add_dict_u64(d, "ring_capacity", s->ring_cap);
	rte_tel_data_add_dict_u64(d, "ring_used", rte_ring_count(s->ring));
	rte_tel_data_add_dict_string(d, "ring_kind",
		emit_ring_kind_name(s->desc ? EMIT_RING_DESC : EMIT_RING_MBUF));
	rte_tel_data_add_dict_int(d, "socket", s->socket_id);
	rte_tel_data_add_dict_u64(d, "clock_hz", s->hz);
	return 0;
}

static int
tel_sender(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	uint64_t id;

	if (tel_id(params, UINT16_MAX, &id) != 0)
		return -EINVAL;
	return emit__reg_sender_find(id, sender_info, d);
}

static int
tx_info(struct emit_tx *tx, void *arg)
{
	struct rte_tel_data *d = arg;
	struct rte_tel_data *rings = rte_tel_data_alloc();
	unsigned int i;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "id", tx->id);
	rte_tel_data_add_dict_string(d, "name", tx->name);
	rte_tel_data_add_dict_int(d, "port_id", tx->port_id);
	rte_tel_data_add_dict_int(d, "queue_id", tx->queue_id);
	rte_tel_data_add_dict_int(d, "burst", tx->burst);
	rte_tel_data_add_dict_u64(d, "retry_max", tx->retry_max);
	rte_tel_data_add_dict_string(d, "tx_policy",
		emit_tx_policy_name((enum emit_tx_policy)tx->policy));
	rte_tel_data_add_dict_u64(d, "drop_us",
		tx->drop_tsc * 1000000 / tx->hz);
	rte_tel_data_add_dict_u64(d, "tx_held", emit_tx_held(tx));
	rte_tel_data_add_dict_string(d, "latency_sampling",
		emit_tx_latency_name((enum emit_tx_latency)tx->latency));
	rte_tel_data_add_dict_string(d, "ring_kind",
		emit_ring_kind_name(tx->desc ? EMIT_RING_DESC : EMIT_RING_MBUF));
	rte_tel_data_add_dict_u64(d, "clock_hz", tx->hz);
	rte_tel_data_add_dict_int(d, "socket", tx->socket_id);
	rte_tel_data_add_dict_u64(d, "in_rings", emit_tx_in_rings(tx));
	rte_tel_data_add_dict_int(d, "nb_rings", (int)tx->nb_rings);
	if (rings == NULL)
		return 0;
	rte_tel_data_start_array(rings, RTE_TEL_STRING_VAL);
	for (i = 0; i < tx->nb_rings; i++)
		rte_tel_data_add_array_string(rings, tx->rings[i]->name);
	if (rte_tel_data_add_dict_container(d, "rings", rings, 0) != 0)
		rte_tel_data_free(rings);
	return 0;
}

/* /emit/tx lists the TX stages; /emit/tx,<id> describes one. */
static int
tel_tx(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t id;

	if (params == NULL)
		return tel_txs(cmd, params, d);
	if (tel_id(params, UINT16_MAX, &id) != 0)
		return -EINVAL;
	return emit__reg_tx_find(id, tx_info, d);
}

/* Names and values of an object's xstats as a dict. */
static int
xstats_dict(struct rte_tel_data *d, const struct emit_xstats_name *names,
		const uint64_t *values, int n)
{
	int i;

	if (n < 0)
		return n;
	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++)
		rte_tel_data_add_dict_u64(d, names[i].name, values[i]);
	return 0;
}

/* Most xstats of one object (RTE_TEL_MAX_DICT_ENTRIES bounds a reply). */
#define TEL_XSTATS_MAX 128

/* What xstats_fill asks of the object it finds. */
struct xstats_req {
	int reset;
	struct emit_xstats_name *names;
	uint64_t *values;
};

static int
sender_xstats_fill(struct emit_sender *s, void *arg)
{
	const struct xstats_req *r = arg;
	int n = emit_sender_xstats_names_get(s, r->names, TEL_XSTATS_MAX);

	if (n > TEL_XSTATS_MAX)
		return -ENOSPC;
	if (n < 0)
		return n;
	return r->reset ?
		emit_sender_xstats_get_reset(s, NULL, r->values,
			(unsigned int)n) :
		emit_sender_xstats_get(s, NULL, r->values, (unsigned int)n);
}

static int
tx_xstats_fill(struct emit_tx *tx, void *arg)
{
	const struct xstats_req *r = arg;
	int n = emit_tx_xstats_names_get(tx, r->names, TEL_XSTATS_MAX);

	if (n > TEL_XSTATS_MAX)
		return -ENOSPC;
	if (n < 0)
		return n;
	return r->reset ?
		emit_tx_xstats_get_reset(tx, NULL, r->values,
			(unsigned int)n) :
		emit_tx_xstats_get(tx, NULL, r->values, (unsigned int)n);
}

/* Names and values (read, or read and reset) of the xstats of sender
 * (@p tx 0) or TX stage (@p tx 1) @p id; returns their number or a
 * negative errno (-ENOENT: no such object). */
static int
xstats_fill(int tx, uint64_t id, int reset, struct emit_xstats_name *names,
		uint64_t *values)
{
	struct xstats_req r = { .reset = reset, .names = names,
		.values = values };

	return tx ? emit__reg_tx_find(id, tx_xstats_fill, &r) :
		emit__reg_sender_find(id, sender_xstats_fill, &r);
}

static int
tel_xstats_do(const char *params, struct rte_tel_data *d, int tx, int reset)
{
	struct emit_xstats_name names[TEL_XSTATS_MAX];
	uint64_t values[TEL_XSTATS_MAX], id;

	if (tel_id(params, UINT16_MAX, &id) != 0)
		return -EINVAL;
	return xstats_dict(d, names, values,
		xstats_fill(tx, id, reset, names, values));
}

static int
tel_sender_xstats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_xstats_do(params, d, 0, 0);
}

static int
tel_sender_xstats_reset(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_xstats_do(params, d, 0, 1);
}

static int
tel_tx_xstats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_xstats_do(params, d, 1, 0);
}

static int
tel_tx_xstats_reset(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_xstats_do(params, d, 1, 1);
}

/* A latency summary, in ns, as a dict. */
static struct rte_tel_data *
summary_dict(const struct emit_hist_summary *h, uint64_t ns_mult)
{
	__extension__ typedef unsigned __int128 u128;
	struct rte_tel_data *c = rte_tel_data_alloc();
	const uint64_t v[] = { h->min, h->max, h->mean, h->p50, h->p90,
		h->p99, h->p999 };
	static const char *const k[] = { "min_ns", "max_ns", "mean_ns",
		"p50_ns", "p90_ns", "p99_ns", "p999_ns" };
	unsigned int i;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_u64(c, "samples", h->samples);
	for (i = 0; i < RTE_DIM(v); i++)
		rte_tel_data_add_dict_u64(c, k[i],
			(uint64_t)(((u128)v[i] * ns_mult) >> 32));
	return c;
}

static void
add_container(struct rte_tel_data *d, const char *name,
		struct rte_tel_data *c)
{
	if (c != NULL && rte_tel_data_add_dict_container(d, name, c, 0) != 0)
		rte_tel_data_free(c);
}

/* A TX stage's latency, copied out under the registry lock. */
struct latency_view {
	struct emit_hist_summary run, rst;
	uint64_t mult;
	enum emit_tx_latency latency;
};

static int
latency_read(struct emit_tx *tx, void *arg)
{
	struct latency_view *v = arg;

	emit_hist_summarize(&tx->lat_hist, NULL, &v->run);
	rte_spinlock_lock(&tx->xbase.lock);
	emit_hist_summarize(&tx->lat_hist, &tx->xbase.lat, &v->rst);
	rte_spinlock_unlock(&tx->xbase.lock);
	v->mult = tx->ns_mult;
	v->latency = (enum emit_tx_latency)tx->latency;
	return 0;
}

/* /emit/latency,<id>: commit-to-TX latency of TX stage <id>. */
static int
tel_latency(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct latency_view v;
	uint64_t id, mult;
	int rc;

	if (tel_id(params, UINT16_MAX, &id) != 0)
		return -EINVAL;
	rc = emit__reg_tx_find(id, latency_read, &v);
	if (rc != 0)
		return rc;
	mult = v.mult;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "tx", id);
	rte_tel_data_add_dict_string(d, "sampling",
		emit_tx_latency_name(v.latency));
	add_container(d, "run", summary_dict(&v.run, mult));
	add_container(d, "since_reset", summary_dict(&v.rst, mult));
	return 0;
}

static int
tel_totals(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct emit_totals t;
	int ok;

	if (emit__tel_parse(params, 0, NULL, NULL) != 0)
		return -EINVAL;
	ok = emit_conservation_check(&t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "senders", (int)t.nb_senders);
	rte_tel_data_add_dict_int(d, "tx_stages", (int)t.nb_tx);
	rte_tel_data_add_dict_u64(d, "events_committed", t.events_committed);
	rte_tel_data_add_dict_u64(d, "events_enqueued", t.events_enqueued);
	rte_tel_data_add_dict_u64(d, "bytes_enqueued", t.bytes_enqueued);
	rte_tel_data_add_dict_u64(d, "events_dropped", t.events_dropped);
	rte_tel_data_add_dict_u64(d, "events_pending", t.events_pending);
	rte_tel_data_add_dict_u64(d, "tx_sent", t.tx_sent);
	rte_tel_data_add_dict_u64(d, "tx_bytes", t.tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_dropped", t.tx_dropped);
	rte_tel_data_add_dict_u64(d, "in_rings", t.in_rings);
	rte_tel_data_add_dict_u64(d, "tx_held", t.tx_held);
	rte_tel_data_add_dict_int(d, "sender_ok", t.sender_ok);
	rte_tel_data_add_dict_int(d, "tx_ok", t.tx_ok);
	rte_tel_data_add_dict_int(d, "conservation_ok", ok == 1);
	return 0;
}

static int
rate_set(struct emit_sender *s, void *arg)
{
	return emit_sender_rate_set(s, *(const uint64_t *)arg);
}

/* /emit/sender/rate,<id>,<rate>: in the sender's unit (events/s or
 * bits/s on the wire, emit_sender_conf.rate_unit) */
static int
tel_rate(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	static const uint64_t max[TEL_PARAMS_MAX] = { UINT16_MAX,
		EMIT_RATE_MAX };
	uint64_t v[TEL_PARAMS_MAX];
	int rc;

	if (emit__tel_parse(params, 2, max, v) != 0)
		return -EINVAL;
	rc = emit__reg_sender_find(v[0], rate_set, &v[1]);
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", v[0]);
	rte_tel_data_add_dict_u64(d, "rate_target", v[1]);
	return 0;
}

static int
pause_set(struct emit_sender *s, void *arg)
{
	return *(const int *)arg ? emit_sender_pause(s) :
		emit_sender_resume(s);
}

/* /emit/sender/pause,<id> and /emit/sender/resume,<id> */
static int
tel_pause_resume(const char *params, struct rte_tel_data *d, int pause)
{
	uint64_t id;
	int rc;

	if (tel_id(params, UINT16_MAX, &id) != 0)
		return -EINVAL;
	rc = emit__reg_sender_find(id, pause_set, &pause);
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", id);
	rte_tel_data_add_dict_int(d, "paused", pause);
	return 0;
}

static int
tel_pause(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_pause_resume(params, d, 1);
}

static int
tel_resume(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	return tel_pause_resume(params, d, 0);
}

void
emit__telemetry_register(void)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/emit/info", tel_info,
		  "emit version, TSC Hz, sender and TX stage counts. "
		  "No parameters" },
		{ "/emit/senders", tel_senders,
		  "Ids of the live senders. No parameters" },
		{ "/emit/tx", tel_tx,
		  "Ids of the live TX stages; with a parameter, TX stage id: "
		  "its configuration and state" },
		{ "/emit/sender", tel_sender,
		  "Configuration and state of a sender. Parameter: sender id" },
		{ "/emit/sender/xstats", tel_sender_xstats,
		  "xstats of a sender. Parameter: sender id" },
		{ "/emit/tx/xstats", tel_tx_xstats,
		  "xstats of a TX stage. Parameter: TX stage id" },
		{ "/emit/latency", tel_latency,
		  "Commit-to-TX latency (ns) of a TX stage. "
		  "Parameter: TX stage id" },
		{ "/emit/totals", tel_totals,
		  "Totals over all senders and TX stages, conservation "
		  "check. No parameters" },
		{ "/emit/sender/rate", tel_rate,
		  "Set a sender's rate limit. Parameters: sender id, "
		  "rate in the sender's rate_unit, events/s or bits/s "
		  "(0: unlimited)" },
		{ "/emit/sender/pause", tel_pause,
		  "Pause a sender. Parameter: sender id" },
		{ "/emit/sender/resume", tel_resume,
		  "Resume a sender. Parameter: sender id" },
		{ "/emit/sender/xstats_reset", tel_sender_xstats_reset,
		  "Reset a sender's xstats; replies with the values cleared. "
		  "Parameter: sender id" },
		{ "/emit/tx/xstats_reset", tel_tx_xstats_reset,
		  "Reset a TX stage's xstats; replies with the values "
		  "cleared. Parameter: TX stage id" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(cmds); i++)
		if (rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn,
			    cmds[i].help) != 0)
			EMIT_LOG(ERR, "telemetry: cannot register %s\n",
				cmds[i].cmd);
}
