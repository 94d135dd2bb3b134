/* SPDX-License-Identifier: BSD-3-Clause */
/* xstats of senders and TX stages: names, values, reset by baseline;
 * copies of their histograms. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "emit_pvt.h"
#include "emit_tx_pvt.h"

enum xkind {
	XK_CTR,      /* counter, reset by baseline */
	XK_HWM,      /* high-water mark: raw, never reset */
	XK_GAUGE,    /* current state, never reset */
	XK_LAT_RUN,  /* latency summary over the whole run */
	XK_LAT_RST,  /* latency summary since the last reset */
};

enum gauge {
	G_PENDING,
	G_BP_ACTIVE,
	G_HELD,
	G_CONGESTED,
	G_PAUSED,
	G_RATE_TARGET,
	G_RATE_ACHIEVED,
	G_RING_USED,
	G_IN_RINGS,
	G_TX_HELD,
};

enum lat_field {
	L_SAMPLES, L_MIN, L_MAX, L_MEAN, L_P50, L_P90, L_P99, L_P999,
};

struct xdesc {
	char name[EMIT_XSTATS_NAME_SIZE];
	uint8_t kind;
	uint8_t arg; /* counter index, gauge or latency field */
};

#define CTR(st, f) \
	{ #f, XK_CTR, offsetof(struct st, f) / sizeof(uint64_t) }
#define LAT(pfx, kind) \
	{ pfx "samples", kind, L_SAMPLES }, \
	{ pfx "min_ns", kind, L_MIN }, \
	{ pfx "max_ns", kind, L_MAX }, \
	{ pfx "mean_ns", kind, L_MEAN }, \
	{ pfx "p50_ns", kind, L_P50 }, \
	{ pfx "p90_ns", kind, L_P90 }, \
	{ pfx "p99_ns", kind, L_P99 }, \
	{ pfx "p999_ns", kind, L_P999 }

#define SCTR(f) CTR(emit_sender_stats, f)
/* Every field of struct emit_sender_stats, in order (checked at build). */
static const struct xdesc sender_ctr[] = {
	SCTR(events_claimed), SCTR(events_committed), SCTR(events_aborted),
	SCTR(events_enqueued), SCTR(bytes_enqueued), SCTR(bursts_enqueued),
	SCTR(flush_full), SCTR(flush_linger), SCTR(flush_explicit),
	SCTR(flush_close), SCTR(dropped_ring_full),
	SCTR(dropped_spin_timeout), SCTR(dropped_closed), SCTR(err_inval),
	SCTR(err_msgsize), SCTR(err_nomem), SCTR(err_nobufs_held),
	SCTR(err_nobufs_congested), SCTR(err_again_rate),
	SCTR(err_again_paused), SCTR(err_pipe), SCTR(backpressure_episodes),
	SCTR(backpressure_refused), SCTR(hold_retries), SCTR(spin_retries),
	SCTR(congestion_entries), SCTR(congested_ns),
	/* A high-water mark cannot be rebased: it stays since start. */
	{ "ring_max_used", XK_HWM,
	  offsetof(struct emit_sender_stats, ring_max_used) / 8 },
	SCTR(gap_jitter_ns_sum), SCTR(gap_count),
};

static const struct xdesc sender_more[] = {
	{ "events_pending", XK_GAUGE, G_PENDING },
	{ "backpressure_active", XK_GAUGE, G_BP_ACTIVE },
	{ "events_held", XK_GAUGE, G_HELD },
	{ "congested", XK_GAUGE, G_CONGESTED },
	{ "paused", XK_GAUGE, G_PAUSED },
	{ "rate_target", XK_GAUGE, G_RATE_TARGET },
	{ "rate_achieved", XK_GAUGE, G_RATE_ACHIEVED },
	{ "ring_used", XK_GAUGE, G_RING_USED },
	LAT("batch_wait_", XK_LAT_RUN),
	LAT("batch_wait_since_reset_", XK_LAT_RST),
};

#define TCTR(f) CTR(emit_tx_stats, f)
/* Every field of struct emit_tx_stats, in order (checked at build). */
static const struct xdesc tx_ctr[] = {
	TCTR(polls), TCTR(idle_polls), TCTR(dequeued), TCTR(tx_sent),
	TCTR(tx_bytes), TCTR(tx_bursts), TCTR(tx_retries),
	TCTR(tx_dropped_retry_exhausted), TCTR(tx_dropped_closed),
	TCTR(port_blocked_ns), TCTR(port_blocked_episodes),
};

static const struct xdesc tx_more[] = {
	{ "in_rings", XK_GAUGE, G_IN_RINGS },
	{ "tx_held", XK_GAUGE, G_TX_HELD },
	LAT("latency_", XK_LAT_RUN),
	LAT("latency_since_reset_", XK_LAT_RST),
};

/* One object seen through its xstats. */
struct xobj {
	const struct xdesc *cdesc;    /* counters: ids 0..nctr-1 */
	const struct xdesc *mdesc;    /* the rest: ids nctr..nb-1 */
	unsigned int nctr;
	unsigned int nb;
	const uint64_t *ctr;          /* owner-written counters */
	uint64_t *base;               /* reader-side baselines */
	const struct emit_hist *hist; /* owner-written */
	struct emit_hist_base *hbase; /* reader-side */
	rte_spinlock_t *lock;
	uint64_t ns_mult;
	struct emit_sender *s;        /* exactly one of s, tx is set */
	struct emit_tx *tx;
};

static void
xobj_sender(struct xobj *o, struct emit_sender *s)
{
	RTE_BUILD_BUG_ON(RTE_DIM(sender_ctr) != EMIT_SENDER_NB_STATS);
	memset(o, 0, sizeof(*o));
	o->cdesc = sender_ctr;
	o->mdesc = sender_more;
	o->nctr = RTE_DIM(sender_ctr);
	o->nb = RTE_DIM(sender_ctr) + RTE_DIM(sender_more);
	o->ctr = (const uint64_t *)&s->ctr;
	o->base = s->xbase.ctr;
	o->hist = &s->wait_hist;
	o->hbase = &s->xbase.wait;
	o->lock = &s->xbase.lock;
	o->ns_mult = s->ns_mult;
	o->s = s;
}

static void
xobj_tx(struct xobj *o, struct emit_tx *tx)
{
	RTE_BUILD_BUG_ON(RTE_DIM(tx_ctr) != EMIT_TX_NB_STATS);
	memset(o, 0, sizeof(*o));
	o->cdesc = tx_ctr;
	o->mdesc = tx_more;
	o->nctr = RTE_DIM(tx_ctr);
	o->nb = RTE_DIM(tx_ctr) + RTE_DIM(tx_more);
	o->ctr = (const uint64_t *)&tx->ctr;
	o->base = tx->xbase.ctr;
	o->hist = &tx->lat_hist;
	o->hbase = &tx->xbase.lat;
	o->lock = &tx->xbase.lock;
	o->ns_mult = tx->ns_mult;
	o->tx = tx;
}

static const struct xdesc *
desc_of(const struct xobj *o, uint64_t id)
{
	return id < o->nctr ? &o->cdesc[id] : &o->mdesc[id - o->nctr];
}

static uint64_t
ticks_ns(const struct xobj *o, uint64_t ticks)
{
	__extension__ typedef unsigned __int128 u128;

	return (uint64_t)(((u128)ticks * o->ns_mult) >> 32);
}

/* Counter @p idx now; a sender's congested_ns includes the open spell,
 * as in emit_sender_stats_get. */
static uint64_t
ctr_load(const struct xobj *o, unsigned int idx)
{
	if (o->s != NULL && idx == offsetof(struct emit_sender_stats,
			congested_ns) / sizeof(uint64_t))
		return emit__congested_ns_read(o->s);
	if (o->tx != NULL && idx == offsetof(struct emit_tx_stats,
			port_blocked_ns) / sizeof(uint64_t))
		return emit__tx_blocked_ns_read(o->tx);
	return __atomic_load_n(&o->ctr[idx], __ATOMIC_RELAXED);
}

static uint64_t
gauge(const struct xobj *o, unsigned int g)
{
	struct emit_sender *s = o->s;
	uint64_t pending;
	int held;

	/* Every gauge but in_rings and tx_held is a sender's. */
	if (s == NULL && g != G_IN_RINGS && g != G_TX_HELD)
		return 0;
	switch (g) {
	case G_PENDING:
		return emit_sender_pending(s);
	case G_BP_ACTIVE:
	case G_HELD:
		held = (__atomic_load_n(&s->slow, __ATOMIC_RELAXED) &
			EMIT__SLOW_HELD) != 0;
		if (g == G_BP_ACTIVE)
			return (uint64_t)held;
		pending = emit_sender_pending(s);
		return held ? pending : 0;
	case G_CONGESTED:
		return emit_sender_congested(s) == 1;
	case G_PAUSED:
		return emit_sender_paused(s) == 1;
	case G_RATE_TARGET:
		return emit_sender_rate_get(s);
	case G_RATE_ACHIEVED:
		return emit_sender_rate_achieved(s);
	case G_RING_USED:
		return rte_ring_count(s->ring);
	case G_IN_RINGS:
		return emit_tx_in_rings(o->tx);
	case G_TX_HELD:
		return emit_tx_held(o->tx);
	default:
		return 0;
	}
}

static uint64_t
lat_value(const struct xobj *o, const struct emit_hist_summary *sum,
		unsigned int f)
{
	switch (f) {
	case L_SAMPLES:
		return sum->samples;
	case L_MIN:
		return ticks_ns(o, sum->min);
	case L_MAX:
		return ticks_ns(o, sum->max);
	case L_MEAN:
		return ticks_ns(o, sum->mean);
	case L_P50:
		return ticks_ns(o, sum->p50);
	case L_P90:
		return ticks_ns(o, sum->p90);
	case L_P99:
		return ticks_ns(o, sum->p99);
	default:
		return ticks_ns(o, sum->p999);
	}
}

static int
x_names(const struct xobj *o, struct emit_xstats_name *names,
		unsigned int size)
{
	unsigned int i;

	if (names == NULL || size < o->nb)
		return (int)o->nb;
	for (i = 0; i < o->nb; i++)
		/* Names come from the tables above, all shorter than the
		 * field. */
		(void)snprintf(names[i].name, sizeof(names[i].name), "%s",
			desc_of(o, i)->name);
	return (int)o->nb;
}

static int
ids_check(const struct xobj *o, const uint64_t *ids, unsigned int n)
{
	unsigned int i;

	for (i = 0; ids != NULL && i < n; i++)
		if (ids[i] >= o->nb)
			return -EINVAL;
	return 0;
}

/* Summary of the histogram between two states: @p from (NULL: init) and
 * @p to (NULL: now). */
static void
lat_between(const struct xobj *o, const struct emit_hist_base *from,
		const struct emit_hist_base *to, struct emit_hist_summary *out)
{
	struct emit_hist snap;

	if (to == NULL) {
		emit_hist_summarize(o->hist, from, out);
		return;
	}
	snap.count = to->count;
	snap.sum = to->sum;
	snap.min = __atomic_load_n(&o->hist->min, __ATOMIC_RELAXED);
	snap.max = __atomic_load_n(&o->hist->max, __ATOMIC_RELAXED);
	memcpy(snap.buckets, to->buckets, sizeof(snap.buckets));
	emit_hist_summarize(&snap, from, out);
}

/* Values of @p ids (NULL: all, n == nb); with @p reset, each counter and
 * the since-reset histogram read here become the new baselines. Called
 * with the reader lock held. */
static void
x_values(const struct xobj *o, const uint64_t *ids, uint64_t *values,
		unsigned int n, int reset)
{
	struct emit_hist_base now;
	struct emit_hist_summary run, rst;
	int have_run = 0, have_rst = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int id = ids != NULL ? (unsigned int)ids[i] : i;
		const struct xdesc *d = desc_of(o, id);
		uint64_t v = 0;

		switch (d->kind) {
		case XK_CTR:
			v = ctr_load(o, d->arg);
			if (reset) {
				uint64_t b = o->base[d->arg];

				o->base[d->arg] = v;
				v -= b;
			} else {
				v -= o->base[d->arg];
			}
			break;
		case XK_HWM:
			v = __atomic_load_n(&o->ctr[d->arg], __ATOMIC_RELAXED);
			break;
		case XK_GAUGE:
			v = gauge(o, d->arg);
			break;
		case XK_LAT_RUN:
			if (!have_run) {
				emit_hist_summarize(o->hist, NULL, &run);
				have_run = 1;
			}
			v = lat_value(o, &run, d->arg);
			break;
		case XK_LAT_RST:
			if (!have_rst) {
				if (reset) {
					/* One state is both reported and the
					 * new baseline: no sample falls in
					 * between. */
					emit_hist_base_take(o->hist, &now);
					lat_between(o, o->hbase, &now, &rst);
				} else {
					lat_between(o, o->hbase, NULL, &rst);
				}
				have_rst = 1;
			}
			v = lat_value(o, &rst, d->arg);
			break;
		}
		values[i] = v;
	}
	if (have_rst && reset)
		memcpy(o->hbase, &now, sizeof(now));
}

static int
x_get(const struct xobj *o, const uint64_t *ids, uint64_t *values,
		unsigned int n, int reset)
{
	if (values == NULL || ids_check(o, ids, n) != 0)
		return -EINVAL;
	if (ids == NULL) {
		if (n < o->nb)
			return (int)o->nb;
		n = o->nb;
	}
	rte_spinlock_lock(o->lock);
	x_values(o, ids, values, n, reset);
	rte_spinlock_unlock(o->lock);
	return (int)n;
}

static int
x_by_name(const struct xobj *o, const char *name, uint64_t *id,
		uint64_t *value)
{
	uint64_t i;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; i < o->nb; i++) {
		if (strcmp(desc_of(o, i)->name, name) != 0)
			continue;
		if (id != NULL)
			*id = i;
		if (value != NULL) {
			rte_spinlock_lock(o->lock);
			x_values(o, &i, value, 1, 0);
			rte_spinlock_unlock(o->lock);
		}
		return 0;
	}
	return -ENOENT;
}

static int
x_reset(const struct xobj *o, const uint64_t *ids, unsigned int n)
{
	unsigned int i;
	int hist = 0;

	if (ids_check(o, ids, n) != 0)
		return -EINVAL;
	if (ids == NULL)
		n = o->nb;
	rte_spinlock_lock(o->lock);
	for (i = 0; i < n; i++) {
		const struct xdesc *d = desc_of(o, ids != NULL ? ids[i] : i);

		if (d->kind == XK_CTR)
			o->base[d->arg] = ctr_load(o, d->arg);
		else if (d->kind == XK_LAT_RST)
			hist = 1;
	}
	if (hist)
		emit_hist_base_take(o->hist, o->hbase);
	rte_spinlock_unlock(o->lock);
	return 0;
}

int
emit_sender_xstats_names_get(const struct emit_sender *s,
		struct emit_xstats_name *names, unsigned int size)
{
	struct xobj o;

	if (s == NULL)
		return -EINVAL;
	xobj_sender(&o, (struct emit_sender *)s); /* names only: not written */
	return x_names(&o, names, size);
}

int
emit_sender_xstats_get(struct emit_sender *s, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	struct xobj o;

	if (s == NULL)
		return -EINVAL;
	xobj_sender(&o, s);
	return x_get(&o, ids, values, n, 0);
}

int
emit_sender_xstats_get_by_name(struct emit_sender *s, const char *name,
		uint64_t *id, uint64_t *value)
{
	struct xobj o;

	if (s == NULL)
		return -EINVAL;
	xobj_sender(&o, s);
	return x_by_name(&o, name, id, value);
}

int
emit_sender_xstats_reset(struct emit_sender *s, const uint64_t *ids,
		unsigned int n)
{
	struct xobj o;

	if (s == NULL)
		return -EINVAL;
	xobj_sender(&o, s);
	return x_reset(&o, ids, n);
}

int
emit_sender_xstats_get_reset(struct emit_sender *s, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	struct xobj o;

	if (s == NULL)
		return -EINVAL;
	xobj_sender(&o, s);
	return x_get(&o, ids, values, n, 1);
}

int
emit_tx_xstats_names_get(const struct emit_tx *tx,
		struct emit_xstats_name *names, unsigned int size)
{
	struct xobj o;

	if (tx == NULL)
		return -EINVAL;
	xobj_tx(&o, (struct emit_tx *)tx); /* names only: not written */
	return x_names(&o, names, size);
}

int
emit_tx_xstats_get(struct emit_tx *tx, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	struct xobj o;

	if (tx == NULL)
		return -EINVAL;
	xobj_tx(&o, tx);
	return x_get(&o, ids, values, n, 0);
}

int
emit_tx_xstats_get_by_name(struct emit_tx *tx, const char *name,
		uint64_t *id, uint64_t *value)
{
	struct xobj o;

	if (tx == NULL)
		return -EINVAL;
	xobj_tx(&o, tx);
	return x_by_name(&o, name, id, value);
}

int
emit_tx_xstats_reset(struct emit_tx *tx, const uint64_t *ids,
		unsigned int n)
{
	struct xobj o;

	if (tx == NULL)
		return -EINVAL;
	xobj_tx(&o, tx);
	return x_reset(&o, ids, n);
}

int
emit_tx_xstats_get_reset(struct emit_tx *tx, const uint64_t *ids,
		uint64_t *values, unsigned int n)
{
	struct xobj o;

	if (tx == NULL)
		return -EINVAL;
	xobj_tx(&o, tx);
	return x_get(&o, ids, values, n, 1);
}

/* Relaxed copy of an owner-written histogram. */
static void
hist_copy(struct emit_hist *dst, const struct emit_hist *src)
{
	unsigned int i;

	dst->count = __atomic_load_n(&src->count, __ATOMIC_RELAXED);
	dst->sum = __atomic_load_n(&src->sum, __ATOMIC_RELAXED);
	dst->min = __atomic_load_n(&src->min, __ATOMIC_RELAXED);
	dst->max = __atomic_load_n(&src->max, __ATOMIC_RELAXED);
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		dst->buckets[i] = __atomic_load_n(&src->buckets[i],
				__ATOMIC_RELAXED);
}

int
emit_tx_latency_hist_get(const struct emit_tx *tx, struct emit_hist *h,
		uint64_t *hz)
{
	if (tx == NULL || h == NULL)
		return -EINVAL;
	hist_copy(h, &tx->lat_hist);
	if (hz != NULL)
		*hz = tx->hz;
	return 0;
}

int
emit_sender_batch_wait_hist_get(const struct emit_sender *s,
		struct emit_hist *h, uint64_t *hz)
{
	if (s == NULL || h == NULL)
		return -EINVAL;
	hist_copy(h, &s->wait_hist);
	if (hz != NULL)
		*hz = s->hz;
	return 0;
}
