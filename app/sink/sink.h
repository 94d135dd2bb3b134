/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_SINK_H
#define EMIT_SINK_H

/* emit-sink internals shared by its source files. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

#include <emit.h>

#include "sink_frames.h"

#define SINK_NAME "emit-sink"
#define SINK_BURST_MAX 512
#define SINK_PORTS_MAX RTE_MAX_ETHPORTS
/* Most RX queues per port (--rx-queues). */
#define SINK_QUEUES_MAX 16

/* Options after "--". */
struct sink_opts {
	uint64_t duration_ns;     /* 0: no limit */
	uint64_t count;           /* events to stop after, 0: no limit */
	uint64_t expect_count;    /* events per sender, 0: unknown */
	bool expect_lossless;
	bool join;
	int dport;                /* -1: any UDP port */
	uint32_t window;
	uint32_t max_senders;
	uint16_t burst;
	uint32_t rx_desc;
	uint16_t rx_queues;       /* RX queues per port, each its tracker */
	uint64_t stats_interval_ns; /* 0: no progress line */
	bool stats_interval_set;
	const char *json;         /* NULL, "-" or a file name */
};

/* Why the receive loop ended. */
enum sink_stop {
	SINK_STOP_NONE = 0,
	SINK_STOP_DURATION,
	SINK_STOP_COUNT,
	SINK_STOP_SIGNAL,
	SINK_STOP_EOF,
};

struct sink_port {
	uint16_t port_id;
	char name[RTE_ETH_NAME_MAX_LEN];
	char driver[64];
	/* Replays a capture file (net_pcap rx_pcap=): ends at end of file. */
	bool finite;
	bool ended;
	bool pcap_ts;             /* net_pcap: RX timestamp is capture time */
	uint64_t frames;          /* frames taken from its queues, at the end */
	struct rte_eth_stats stats; /* read at the end */
};

/* One RX queue of a port: its own tracker, written by the one lcore that
 * polls it. The counters are written by that lcore with relaxed stores
 * and read by the main lcore with relaxed loads. */
struct sink_rxq {
	struct sink_port *port;
	uint16_t queue_id;
	unsigned int lcore_id;    /* the lcore that polls it */
	struct emit_track *track;
	bool ended;               /* a capture file replayed to its end */
	uint64_t nombuf_seen;     /* rx_nombuf at the last empty poll */
	uint64_t frames;          /* frames taken from the queue */
	uint64_t events;          /* of which events */
	struct sink_frames mix;   /* sizes and VLANs, this queue's lcore only */
} __rte_cache_aligned;

struct sink {
	struct sink_opts o;
	int eal_argc;
	char **eal_argv;          /* EAL arguments as given */
	struct rte_mempool *pool;
	struct sink_port ports[SINK_PORTS_MAX];
	uint16_t nb_ports;
	/* Every port's queues, port by port; tracks[i] is rxq[i].track. */
	struct sink_rxq *rxq;
	struct emit_track *tracks[SINK_PORTS_MAX * SINK_QUEUES_MAX];
	unsigned int nb_rxq;
	unsigned int nb_lcores;   /* lcores that poll queues */
	int ts_off;               /* mbuf RX timestamp dynfield, or -1 */
	uint64_t ts_flag;         /* its ol_flags bit, or 0 */
	uint64_t start_tsc;
	uint64_t end_tsc;         /* 0 while running */
	enum sink_stop stop;
	bool quit;                /* main to the polling lcores: stop */
	struct sink_iv *iv;       /* an entry per stats period, or NULL */
};

/* sink_opts.c: parse options (argv[0] is the program name, as getopt
 * wants). Returns 0, CLI_OPTS_HELP, CLI_OPTS_VERSION, or -1 with a
 * one-line reason naming the option and what it accepts in @p err. */
int sink_opts_parse(int argc, char **argv, struct sink_opts *o, char *err,
		size_t errlen);
/* The --help text, generated from the options table. */
void sink_usage(FILE *f);
struct cli_opts;
/* The options table: every option the parser takes, and its help. */
const struct cli_opts *sink_opts_table(void);

/* The trackers of every queue, for the emit_track_merge_*() reads. */
#define SINK_TRACKS(k) \
	(const struct emit_track *const *)(k)->tracks, (k)->nb_rxq

/* sink_ports.c: start every port with o.rx_queues RX queues, fill k->rxq
 * (trackers not yet made) and share the queues among the lcores. */
int sink_ports_start(struct sink *k);
void sink_ports_stop(struct sink *k);
/* 1 if @p q has reached the end of its capture file. Its lcore only. */
int sink_rxq_at_end(struct sink_rxq *q);

/* sink_report.c */
double sink_elapsed_s(const struct sink *k);
const char *sink_stop_name(enum sink_stop s);
/* 1 if the run lost events or saw malformed frames. */
int sink_saw_loss(const struct sink *k);
void sink_summary(const struct sink *k, FILE *f);
int sink_json(const struct sink *k, FILE *f);
void sink_progress(const struct sink *k, FILE *f, bool tty);

/* sink_telemetry.c: /emit/sink endpoints, readable while the loop runs
 * and until sink_telemetry_detach(). */
int sink_telemetry_register(struct sink *k);
void sink_telemetry_detach(void);

#endif /* EMIT_SINK_H */
