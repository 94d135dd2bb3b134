/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_RUN_H
#define GEN_RUN_H

/*
 * The run of emit-gen on the main lcore: start the pipeline, do the main
 * lcore's share (emit_pipeline_poll_main), and every so many rounds look
 * at the clock, the signals and the senders; print the progress line;
 * stop and drain.
 */

#include <stdint.h>
#include <stdio.h>

#include <emit.h>

#include "gen_iv.h"
#include "gen_layout.h"
#include "gen_opts.h"
#include "gen_step.h"

struct gen_run {
	struct emit_pipeline *p;
	struct gen_ctx *ctx;
	const struct gen_opts *o;
	const struct gen_layout *l;
	FILE *progress;          /* where progress lines go (stderr) */
	int progress_tty;        /* overwrite the line in place */
	uint64_t interval_ns;    /* 0: no progress line */
	struct gen_iv *iv;       /* an entry per progress period, or NULL */
	/* The ports' packets and bytes out before the start (summed over
	 * the ports used), if port_stats. */
	int port_stats;
	uint64_t port_packets0;
	uint64_t port_bytes0;
	/* results */
	uint64_t hz;
	uint64_t start_tsc;      /* just before the pipeline started */
	uint64_t gen_end_tsc;    /* last sender stopped generating */
	uint64_t end_tsc;        /* pipeline stopped, rings drained */
	int forced;              /* a second signal cut the drain short */
	int stop_rc;             /* emit_pipeline_stop's result */
	const char *stop_reason;
};

/* SIGINT and SIGTERM: the first asks for a drain, the second forces. */
int gen_run_signals_install(void);

/* Run to the end; returns 0, or a negative errno if the pipeline could
 * not start (nothing ran then). r->stop_rc holds the stop result. */
int gen_run(struct gen_run *r);

#endif /* GEN_RUN_H */
