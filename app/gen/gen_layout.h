/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_LAYOUT_H
#define GEN_LAYOUT_H

/*
 * Where emit-gen runs what: senders and TX stages on lcores, TX stages on
 * ports and queues, the rate of each sender. gen_layout_plan() is pure
 * (the unit tests feed it lcores and ports); gen_layout_from_eal() reads
 * them from EAL and calls it.
 *
 * With --layout rtc, each of the first S lcores (main first; S defaults
 * to every lcore) runs sender i and TX stage i, which drains its ring.
 *
 * Defaults: T = lcores / 2 TX stages, S = lcores - T senders. When
 * S + T is every lcore the main lcore runs TX stage 0, otherwise it only
 * controls. Sender i feeds TX stage i % T; TX stage j uses port j % P
 * (P = min(ports, T)) on its next TX queue. A total rate R is split as
 * R / S per sender, the first R % S senders getting one more.
 *
 * Rate limits use the senders' token buckets, GEN_RATE_CATCHUP_MS deep
 * (at least GEN_RATE_DEPTH_MIN events, so that waking up a little late
 * loses nothing at low rates): a sender that lost its CPU for up to that long
 * makes up for it, so the rate holds on a shared machine. A bucket starts
 * full, which would put the run that many events ahead; each sender
 * therefore starts claiming when a bucket that started empty would have
 * filled (start_delay_ns = depth / rate): from then on the events
 * committed follow rate x time.
 */

#include <stddef.h>
#include <stdint.h>

#include <emit_pipeline.h>

#include "gen_opts.h"

#define GEN_LCORES_MAX 256
#define GEN_RATE_CATCHUP_MS 20
#define GEN_RATE_DEPTH_MIN 2u
/* Largest token bucket depth a sender accepts (events). */
#define GEN_RATE_DEPTH_MAX 1000000u
#define GEN_PORTS_MAX 64

/* What EAL offers. */
struct gen_env {
	unsigned int nb_lcores;
	unsigned int lcores[GEN_LCORES_MAX];   /* main lcore first */
	unsigned int nb_ports;
	uint16_t port_ids[GEN_PORTS_MAX];
	uint16_t port_max_txq[GEN_PORTS_MAX];
	char port_names[GEN_PORTS_MAX][64];
};

struct gen_layout {
	unsigned int nb_senders;
	unsigned int nb_tx;
	unsigned int nb_ports;                 /* ports used */
	unsigned int unused_ports;             /* ports EAL has beyond them */
	unsigned int sender_lcores[EMIT_PIPELINE_MAX];
	unsigned int tx_lcores[EMIT_PIPELINE_MAX];
	uint16_t ports[EMIT_PIPELINE_MAX];
	unsigned int port_txq[EMIT_PIPELINE_MAX]; /* TX stages per port */
	uint64_t sender_rate[EMIT_PIPELINE_MAX];
	/* With a bit rate (--rate ...bps or N%): each sender's bits/s on the
	 * wire, which its limiter paces frame by frame; 0 otherwise. */
	uint64_t sender_bps[EMIT_PIPELINE_MAX];
	uint64_t start_delay_ns[EMIT_PIPELINE_MAX]; /* 0 without a rate */
	uint32_t rate_depth;                   /* bucket depth, events */
	const char *main_role;                 /* "tx" or "control" */
};

/* Plan the layout. Returns 0, or -1 with a one-line reason naming the
 * option (or EAL argument) to change in @p err. */
int gen_layout_plan(const struct gen_opts *o, const struct gen_env *env,
		struct gen_layout *l, char *err, size_t errlen);

/* Fill @p env from EAL (after rte_eal_init). */
void gen_layout_env(struct gen_env *env);

#endif /* GEN_LAYOUT_H */
