/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen latency: histograms merged bucket by bucket, in ns. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <emit_xstats.h>

#include "gen_lat.h"

void
gen_lat_init(struct gen_lat *l)
{
	emit_hist_init(&l->h);
	l->hz = 0;
}

int
gen_lat_add(struct gen_lat *l, const struct emit_hist *h, uint64_t hz)
{
	unsigned int i;

	/* Buckets of different clocks hold different durations. */
	if (hz == 0 || (l->hz != 0 && hz != l->hz))
		return -EINVAL;
	l->hz = hz;
	l->h.count += h->count;
	l->h.sum += h->sum;
	if (h->min < l->h.min)
		l->h.min = h->min;
	if (h->max > l->h.max)
		l->h.max = h->max;
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		l->h.buckets[i] += h->buckets[i];
	return 0;
}

int
gen_lat_tx(struct gen_lat *l, const struct emit_pipeline *p)
{
	struct emit_hist copy;
	unsigned int i;
	uint64_t hz;
	int rc;

	for (i = 0; i < emit_pipeline_nb_tx(p); i++) {
		rc = emit_tx_latency_hist_get(emit_pipeline_tx(p, i), &copy,
			&hz);
		if (rc == 0)
			rc = gen_lat_add(l, &copy, hz);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
gen_lat_batch_wait(struct gen_lat *l, const struct emit_pipeline *p)
{
	struct emit_hist copy;
	unsigned int i;
	uint64_t hz;
	int rc;

	for (i = 0; i < emit_pipeline_nb_senders(p); i++) {
		rc = emit_sender_batch_wait_hist_get(emit_pipeline_sender(p, i),
			&copy, &hz);
		if (rc == 0)
			rc = gen_lat_add(l, &copy, hz);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
gen_lat_summary(const struct gen_lat *l, const struct emit_hist_base *base,
		struct emit_hist_summary *ns)
{
	__extension__ typedef unsigned __int128 u128;
	struct emit_hist_summary t;
	uint64_t mult;

	memset(ns, 0, sizeof(*ns));
	if (l->hz == 0 || emit_hist_summarize(&l->h, base, &t) != 0)
		return;
	/* The xstats' conversion, so that one stage's figures match its
	 * latency_*_ns xstats. */
	mult = (1000000000ull << 32) / l->hz;
#define NS(v) ((uint64_t)(((u128)(v) * mult) >> 32))
	ns->samples = t.samples;
	ns->min = NS(t.min);
	ns->max = NS(t.max);
	ns->mean = NS(t.mean);
	ns->p50 = NS(t.p50);
	ns->p90 = NS(t.p90);
	ns->p99 = NS(t.p99);
	ns->p999 = NS(t.p999);
#undef NS
}

char *
gen_lat_format(uint64_t ns, char *buf, size_t len)
{
	/* A display string, cut to fit @p len if it must. */
	if (ns < 1000)
		(void)snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		(void)snprintf(buf, len, "%.1f us", (double)ns / 1e3);
	else if (ns < 1000000000)
		(void)snprintf(buf, len, "%.2f ms", (double)ns / 1e6);
	else
		(void)snprintf(buf, len, "%.2f s", (double)ns / 1e9);
	return buf;
}
