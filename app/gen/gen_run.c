/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen main-lcore loop, signals and progress line. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include <rte_cycles.h>

#include "common/term.h"
#include "gen_lat.h"
#include "gen_run.h"

/* Rounds of the main lcore's work between two looks at the clock. */
#define CHECK_EVERY 64
/* Pause of a main lcore without a role between two looks (us). */
#define CONTROL_SLEEP_US 1000
/* Pause of the main lcore's TX stage in a rate-limited run when it found
 * nothing to send in CHECK_EVERY rounds (us): such a run leaves it idle
 * most of the time, and a TX lcore that sleeps when idle is not pushed off
 * a shared CPU for long, which a busy-polling one is. */
#define TX_IDLE_SLEEP_US 20

static volatile sig_atomic_t signals_seen;

static void
on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

int
gen_run_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		return -errno;
	return 0;
}

/* Snapshot of what the progress line shows. */
struct snap {
	uint64_t tsc;
	uint64_t sent;
	uint64_t bytes;
	uint64_t bp;
	uint64_t held;
	uint64_t blocked_ns;    /* port_blocked_ns over the TX stages */
	uint64_t drop[EMIT_DROP_NB_REASONS]; /* by enum emit_drop_reason */
	uint64_t lat_samples;   /* commit-to-TX samples in the period */
	uint64_t lat_p99;       /* their p99, ns */
};

/* Commit-to-TX latency of every TX stage, merged, and the merge at the
 * previous look: the progress line shows the period between the two. */
struct lat_view {
	struct gen_lat now;
	struct emit_hist_base prev;
};

static void
take_snap(const struct emit_pipeline *p, struct snap *s, struct lat_view *lv)
{
	struct emit_hist_summary lat;
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->tsc = rte_rdtsc();
	for (i = 0; i < emit_pipeline_nb_senders(p); i++) {
		if (emit_sender_stats_get(emit_pipeline_sender(p, i), &ss) != 0)
			continue;
		s->bp += ss.backpressure_episodes;
		s->held += ss.err_nobufs_held;
		s->drop[EMIT_DROP_RING_FULL] += ss.dropped_ring_full;
		s->drop[EMIT_DROP_SPIN_TIMEOUT] += ss.dropped_spin_timeout;
		s->drop[EMIT_DROP_CLOSED] += ss.dropped_closed;
	}
	for (i = 0; i < emit_pipeline_nb_tx(p); i++) {
		if (emit_tx_stats_get(emit_pipeline_tx(p, i), &ts) != 0)
			continue;
		s->sent += ts.tx_sent;
		s->bytes += ts.tx_bytes;
		s->drop[EMIT_DROP_TX_RETRY] += ts.tx_dropped_retry_exhausted;
		s->drop[EMIT_DROP_TX_CLOSED] += ts.tx_dropped_closed;
		s->blocked_ns += ts.port_blocked_ns;
	}
	/* Bucket counts only grow: the merge less the previous one is the
	 * period's histogram. */
	gen_lat_init(&lv->now);
	if (gen_lat_tx(&lv->now, p) == 0) {
		gen_lat_summary(&lv->now, &lv->prev, &lat);
		s->lat_samples = lat.samples;
		s->lat_p99 = lat.p99;
		(void)emit_hist_base_take(&lv->now.h, &lv->prev);
	}
}

static void
progress_line(struct gen_run *r, const struct snap *prev,
		const struct snap *now)
{
	double dt = (double)(now->tsc - prev->tsc) / (double)r->hz;
	double el = (double)(now->tsc - r->start_tsc) / (double)r->hz;
	double eps, gbps;
	char drops[160], p99[32], blocked[48];
	uint64_t total = 0;
	size_t off = 0;
	unsigned int i;

	if (dt <= 0)
		return;
	eps = (double)(now->sent - prev->sent) / dt;
	gbps = ((double)(now->bytes - prev->bytes) + (double)GEN_WIRE_OVERHEAD *
		(double)(now->sent - prev->sent)) * 8 / dt / 1e9;
	drops[0] = '\0';
	for (i = 0; i < EMIT_DROP_NB_REASONS; i++) {
		total += now->drop[i];
		if (now->drop[i] != 0 && off < sizeof(drops))
			off += (size_t)snprintf(drops + off,
				sizeof(drops) - off, "%s%s %" PRIu64,
				off == 0 ? " (" : ", ",
				emit_drop_reason_name((enum emit_drop_reason)i),
				now->drop[i]);
	}
	if (off != 0 && off < sizeof(drops) - 1)
		(void)snprintf(drops + off, sizeof(drops) - off, ")");
	/* The share of the period the ports refused (summed over the TX
	 * stages). */
	if (now->blocked_ns != prev->blocked_ns)
		(void)snprintf(blocked, sizeof(blocked), "  port blocked "
			"%.0f%%", (double)(now->blocked_ns - prev->blocked_ns) /
			1e9 / dt * 100);
	else
		blocked[0] = '\0';
	if (now->lat_samples != 0)
		gen_lat_format(now->lat_p99, p99, sizeof(p99));
	else
		(void)snprintf(p99, sizeof(p99), "-"); /* fits */
	fprintf(r->progress, "%s%8.1f s  %12.0f events/s  %8.3f Gbit/s  "
		"dropped %" PRIu64 "%s  backpressure %s%s  latency p99 %s%s",
		cli_term_line_start(r->progress_tty), el, eps, gbps, total,
		drops,
		now->bp != prev->bp || now->held != prev->held ? "on" : "off",
		blocked, p99, cli_term_line_end(r->progress_tty));
	(void)fflush(r->progress); /* a progress line, best effort */
}

/* 1 if @p tx dequeued nothing since the last call. */
static int
tx_idle(const struct emit_tx *tx, uint64_t *dequeued)
{
	struct emit_tx_stats ts;

	if (emit_tx_stats_get(tx, &ts) != 0 || ts.dequeued != *dequeued) {
		*dequeued = ts.dequeued;
		return 0;
	}
	return 1;
}

static const char *
stop_reason(const struct gen_run *r)
{
	unsigned int i, n = emit_pipeline_nb_senders(r->p), count = 0;
	unsigned int replay = 0;

	if (signals_seen != 0)
		return "signal";
	if (r->stop_rc < 0)
		return "error";
	for (i = 0; i < n; i++) {
		if (r->ctx->w[i].stop == GEN_STOP_COUNT)
			count++;
		else if (r->ctx->w[i].stop == GEN_STOP_REPLAY)
			replay++;
	}
	if (replay == n)
		return "replay";
	return count + replay == n ? "count" : "duration";
}

int
gen_run(struct gen_run *r)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t next_line = 0, interval = 0, now;
	struct snap prev, cur;
	struct lat_view lv;
	int has_role = strcmp(r->l->main_role, "control") != 0;
	/* Only rate-limited runs let the TX stage sleep: at full speed it
	 * must be there when the next burst comes. */
	struct emit_tx *main_tx = has_role && r->o->rate != 0 ?
		emit_pipeline_tx(r->p, 0) : NULL;
	uint64_t dequeued = 0;
	int rc, drain_asked = 0, lines = 0;
	unsigned int i, iter = 0;

	r->hz = rte_get_tsc_hz();
	if (r->interval_ns != 0)
		interval = (uint64_t)((u128)r->interval_ns * r->hz /
			1000000000u);
	r->start_tsc = rte_rdtsc();
	if (r->o->duration_ns != 0)
		r->ctx->deadline_tsc = r->start_tsc + (uint64_t)((u128)
			r->o->duration_ns * r->hz / 1000000000u);
	for (i = 0; i < emit_pipeline_nb_senders(r->p); i++)
		if (r->l->start_delay_ns[i] != 0)
			r->ctx->w[i].not_before_tsc = r->start_tsc +
				(uint64_t)((u128)r->l->start_delay_ns[i] *
					r->hz / 1000000000u);
	/* The workers see these: launching them orders the stores before. */
	rc = emit_pipeline_start(r->p);
	if (rc != 0)
		return rc;
	memset(&prev, 0, sizeof(prev));
	prev.tsc = r->start_tsc;
	memset(&lv.prev, 0, sizeof(lv.prev)); /* the empty histogram */
	if (interval != 0)
		next_line = r->start_tsc + interval;
	if (r->iv != NULL)
		gen_iv_start(r->iv, r->start_tsc, r->hz);
	for (;;) {
		emit_pipeline_poll_main(r->p);
		if (has_role && ++iter % CHECK_EVERY != 0)
			continue;
		if (!has_role)
			rte_delay_us_sleep(CONTROL_SLEEP_US);
		else if (main_tx != NULL && tx_idle(main_tx, &dequeued))
			rte_delay_us_sleep(TX_IDLE_SLEEP_US);
		if (signals_seen != 0 && !drain_asked) {
			__atomic_store_n(&r->ctx->stop, true,
				__ATOMIC_RELAXED);
			drain_asked = 1;
		}
		if (signals_seen > 1) {
			r->forced = 1;
			break;
		}
		if (emit_pipeline_done(r->p) == 1)
			break;
		now = rte_rdtsc();
		if (interval != 0 && now >= next_line) {
			take_snap(r->p, &cur, &lv);
			progress_line(r, &prev, &cur);
			if (r->iv != NULL)
				gen_iv_take(r->iv, r->p, cur.tsc, 0);
			lines++;
			prev = cur;
			next_line = now + interval;
		}
	}
	r->stop_rc = emit_pipeline_stop(r->p);
	r->end_tsc = rte_rdtsc();
	/* The last period, up to the end of the drain. */
	if (r->iv != NULL && interval != 0)
		gen_iv_take(r->iv, r->p, r->end_tsc, 1);
	cli_term_done(r->progress, r->progress_tty, lines != 0);
	r->gen_end_tsc = r->start_tsc;
	for (i = 0; i < emit_pipeline_nb_senders(r->p); i++) {
		uint64_t e = r->ctx->w[i].stop != GEN_STOP_NONE ?
			r->ctx->w[i].end_tsc : r->end_tsc;

		if (e > r->gen_end_tsc)
			r->gen_end_tsc = e;
	}
	r->stop_reason = stop_reason(r);
	return 0;
}
