/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_REPORT_H
#define GEN_REPORT_H

/*
 * The final report of emit-gen: the figures gathered after a run, the
 * values derived from them, and their JSON (schema in the README, section
 * "emit-gen") and human forms. Needs no EAL: the unit tests fill a report
 * by hand.
 */

#include <stdint.h>
#include <stdio.h>

#include <emit_hist.h>
#include <emit_pipeline.h>
#include <emit_stats.h>
#include <emit_xstats.h>

#include "gen_iv.h"
#include "gen_lat.h"
#include "gen_opts.h"

/* Version of the JSON layout; raised only when a field changes meaning
 * or disappears (new fields may appear without it). */
#define GEN_REPORT_SCHEMA 1

#define GEN_PORT_NAME_LEN 64
/* Most xstats of one sender or TX stage the report holds. */
#define GEN_XSTATS_MAX 128

struct gen_report_port {
	uint16_t port_id;
	char name[GEN_PORT_NAME_LEN];
	unsigned int tx_queues;     /* TX stages on it */
};

struct gen_report_sender {
	uint16_t id;                /* sender id on the wire */
	unsigned int lcore;
	unsigned int tx;            /* TX stage it feeds */
	uint64_t rate_target;       /* events/s, 0 = unlimited */
	double start_delay_s;       /* first claim after start (rate) */
	double generation_s;        /* from start until it stopped claiming */
	struct emit_sender_stats st;
	uint64_t xstats[GEN_XSTATS_MAX]; /* by gen_report.sender_xstats */
};

struct gen_report_tx {
	unsigned int lcore;
	uint16_t port_id;
	uint16_t queue_id;
	struct emit_tx_stats st;
	uint64_t xstats[GEN_XSTATS_MAX]; /* by gen_report.tx_xstats */
};

struct gen_pcap;

struct gen_report {
	const struct gen_opts *opts;
	const struct gen_pcap *replay;  /* --replay: the capture, else NULL */
	const char *version;        /* emit version */
	const char *dpdk_version;
	int eal_argc;
	char *const *eal_argv;
	int eal_default;            /* EAL arguments chosen by emit-gen */
	unsigned int main_lcore;
	const char *main_role;      /* "tx" or "control" */
	uint32_t rate_depth;        /* token bucket depth, 0 without rate */
	unsigned int nb_ports;
	struct gen_report_port ports[EMIT_PIPELINE_MAX];
	unsigned int nb_senders;
	struct gen_report_sender senders[EMIT_PIPELINE_MAX];
	unsigned int nb_tx;
	struct gen_report_tx tx[EMIT_PIPELINE_MAX];
	/* xstats names, the same for every sender (TX stage): value k of
	 * each is named sender_xstats[k] (tx_xstats[k]). */
	unsigned int nb_sender_xstats;
	struct emit_xstats_name sender_xstats[GEN_XSTATS_MAX];
	unsigned int nb_tx_xstats;
	struct emit_xstats_name tx_xstats[GEN_XSTATS_MAX];
	/* Whole run, in ns: commit to TX over every TX stage, batch wait
	 * over every sender (histograms merged, see gen_lat.h). */
	struct emit_hist_summary latency_ns;
	struct emit_hist_summary batch_wait_ns;
	/* The commit-to-TX merge itself, for the JSON's buckets (hz 0:
	 * none), and the stats periods (NULL: none). */
	struct gen_lat latency_hist;
	const struct gen_iv *iv;
	unsigned int pool_size;
	int pools_full;
	/* Frames the ports accepted and still kept at the end (a net_ring
	 * port's own ring, which nothing reads): freed before the pool
	 * check, reported apart. */
	uint64_t port_backlog;
	/* Checksum offloads of the run (emit_pipeline_csum_offloads). */
	uint64_t csum_offloads;
	double duration_s;          /* start until generation stopped */
	double elapsed_s;           /* start until drained and stopped */
	const char *stop_reason;    /* "duration", "count", "signal", ... */
	int exit_status;
	struct emit_pipeline_totals totals;
	/* 1 when the library's counters are compiled out (EMIT_METRICS 0):
	 * events sent and rates then come from the ports' statistics and
	 * events committed from emit-gen's own count, and conservation is
	 * not checked. */
	int metrics_off;
	uint64_t generated;         /* events emit-gen committed, own count */
	/* The ports' statistics over the run (rte_eth_stats_get, summed over
	 * the ports used), in both builds; port_stats 0: unreadable. */
	int port_stats;
	uint64_t port_opackets;
	uint64_t port_obytes;
};

/* Values derived from a report. */
struct gen_report_sums {
	uint64_t rate_target;       /* sum of the senders' targets */
	uint64_t dropped_ring_full;
	uint64_t dropped_spin_timeout;
	uint64_t dropped_closed;
	uint64_t tx_dropped_retry_exhausted;
	uint64_t tx_dropped_closed;
	uint64_t events_dropped;    /* all of the above */
	uint64_t port_blocked_ns;   /* sum over the TX stages */
	uint64_t port_blocked_episodes;
	double mpps;                /* events sent / duration, in millions */
	double gbps;                /* on the wire: (bytes + 24/frame) * 8 */
	double gbps_l2;             /* frame bytes * 8 */
	double rate_achieved;       /* events committed / duration */
	double rate_error_ppm;      /* NaN when unlimited */
	/* What the totals count: the TX stages' counters, or the ports'
	 * statistics when metrics are compiled out (every frame is --size
	 * bytes: bytes = packets * size). */
	uint64_t committed;
	uint64_t sent;
	uint64_t bytes;
	double port_mpps;           /* port_opackets / duration, millions */
};

/* Fill @p s from @p r. */
void gen_report_sums(const struct gen_report *r, struct gen_report_sums *s);

/* Write the JSON report; returns 0, or -1 on a write error. */
int gen_report_json(const struct gen_report *r, FILE *f);

/* Write the human summary. */
void gen_report_text(const struct gen_report *r, FILE *f);

/* What computes the checksums of the run, as both reports spell it:
 * "software", "offload (ipv4, udp)", "offload (ipv4); udp in software",
 * or for a replay "as captured (replay: no offload)". */
const char *gen_report_checksums(const struct gen_report *r);

#endif /* GEN_REPORT_H */
