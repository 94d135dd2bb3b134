/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen layout: lcores, ports, queues, rates. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "gen_layout.h"

static void
errf_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	/* An error message may be cut to fit the caller's buffer. */
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line, whatever the quoted argument held. */
	for (c = err; errlen != 0 && *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/* Write the message and evaluate to -1. A macro, not a variadic function
 * returning -1: the static analyzer does not follow variadic calls and
 * would take any value for the result. */
#define errf(err, errlen, ...) (errf_set(err, errlen, __VA_ARGS__), -1)

static unsigned int
umin(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* TX stages per port for T stages on P ports; 0 if one does not fit,
 * with the port in *bad and the queues it would need in *need. */
static int
queues_fit(const struct gen_env *env, unsigned int t, unsigned int p,
		unsigned int *bad, unsigned int *need)
{
	unsigned int i, q;

	for (i = 0; i < p; i++) {
		q = t / p + (i < t % p);
		if (q > env->port_max_txq[i]) {
			*bad = i;
			*need = q;
			return 0;
		}
	}
	return 1;
}

static int
choose_counts(const struct gen_opts *o, const struct gen_env *env,
		unsigned int *ps, unsigned int *pt, char *err, size_t errlen)
{
	unsigned int L = env->nb_lcores, S = o->senders, T = o->tx_cores;
	unsigned int bad, need;

	if (o->layout == GEN_LAYOUT_RTC) {
		if (T != 0)
			return errf(err, errlen, "--tx-cores: not used with "
				"--layout rtc (each sender lcore runs its TX "
				"stage; set --senders)");
		if (S > L)
			return errf(err, errlen, "--senders: %u senders need "
				"%u lcores with --layout rtc, EAL has %u (use "
				"-l or --lcores)", S, S, L);
		if (S == 0)
			S = umin(L, EMIT_PIPELINE_MAX);
		*ps = S;
		*pt = S;
		return 0;
	}

	if (S == 0 && T == 0) {
		T = umin(L / 2, EMIT_PIPELINE_MAX);
		/* Fewer TX stages if the ports lack TX queues. */
		while (T > 1 && !queues_fit(env, T, umin(env->nb_ports, T),
				&bad, &need))
			T--;
		S = umin(L - T, EMIT_PIPELINE_MAX);
	} else if (T == 0) {
		if (S >= L)
			return errf(err, errlen, "--senders: %u senders leave "
				"no lcore for a TX stage (EAL has %u lcores; "
				"use -l or --lcores)", S, L);
		T = umin(L - S, S);
	} else if (S == 0) {
		if (T >= L)
			return errf(err, errlen, "--tx-cores: %u TX stages "
				"leave no lcore for a sender (EAL has %u "
				"lcores; use -l or --lcores)", T, L);
		S = umin(L - T, EMIT_PIPELINE_MAX);
	}
	if (S + T > L)
		return errf(err, errlen, "--senders/--tx-cores: %u senders "
			"and %u TX stages need %u lcores, EAL has %u (use -l "
			"or --lcores)", S, T, S + T, L);
	if (T > S)
		return errf(err, errlen, "--tx-cores: %u TX stages need at "
			"least %u senders (a TX stage drains sender rings)",
			T, T);
	*ps = S;
	*pt = T;
	return 0;
}

int
gen_layout_plan(const struct gen_opts *o, const struct gen_env *env,
		struct gen_layout *l, char *err, size_t errlen)
{
	unsigned int S = 0, T = 0, P, i, bad = 0, need = 0;
	const unsigned int *workers = env->lcores + 1;

	memset(l, 0, sizeof(*l));
	if (env->nb_lcores < 2 && o->layout != GEN_LAYOUT_RTC)
		return errf(err, errlen, "EAL has %u lcore; emit-gen needs 2 "
			"(a sender and a TX stage): use -l 0-1 or --lcores "
			"0@0,1@0", env->nb_lcores);
	if (env->nb_ports == 0)
		return errf(err, errlen, "EAL has no ethdev port: give it one "
			"(--vdev net_null0, --vdev net_pcap0,tx_pcap=FILE, a "
			"NIC)");
	if (choose_counts(o, env, &S, &T, err, errlen) != 0)
		return -1;
	P = umin(env->nb_ports, T);
	if (!queues_fit(env, T, P, &bad, &need))
		return errf(err, errlen, "--tx-cores: %u TX stages need %u TX "
			"queues on port %u (%s), which has %u", T,
			need, env->port_ids[bad],
			env->port_names[bad], env->port_max_txq[bad]);
	if (o->rate != 0 && o->rate < S)
		return errf(err, errlen, "--rate: %" PRIu64 " events/s is less "
			"than one per sender (%u senders)", o->rate, S);
	l->nb_senders = S;
	l->nb_tx = T;
	l->nb_ports = P;
	l->unused_ports = env->nb_ports - P;
	for (i = 0; i < P; i++) {
		l->ports[i] = env->port_ids[i];
		l->port_txq[i] = T / P + (i < T % P);
	}
	if (o->layout == GEN_LAYOUT_RTC) {
		/* Lcore i runs sender i and TX stage i, which drains it. */
		l->main_role = "sender+tx";
		for (i = 0; i < S; i++) {
			l->sender_lcores[i] = env->lcores[i];
			l->tx_lcores[i] = env->lcores[i];
		}
	} else if (S + T == env->nb_lcores) {
		/* Every lcore works: the main lcore takes TX stage 0. */
		l->main_role = "tx";
		l->tx_lcores[0] = env->lcores[0];
		for (i = 1; i < T; i++)
			l->tx_lcores[i] = workers[i - 1];
		for (i = 0; i < S; i++)
			l->sender_lcores[i] = workers[T - 1 + i];
	} else {
		l->main_role = "control";
		for (i = 0; i < S; i++)
			l->sender_lcores[i] = workers[i];
		for (i = 0; i < T; i++)
			l->tx_lcores[i] = workers[S + i];
	}
	for (i = 0; i < S; i++) {
		l->sender_rate[i] = o->rate / S + (i < o->rate % S);
		l->sender_bps[i] = o->rate_bps / S + (i < o->rate_bps % S);
	}
	if (o->rate != 0) {
		/* sender_rate[0] is the largest. */
		uint64_t d = l->sender_rate[0] * GEN_RATE_CATCHUP_MS / 1000;

		if (d < GEN_RATE_DEPTH_MIN)
			d = GEN_RATE_DEPTH_MIN;
		if (d > GEN_RATE_DEPTH_MAX)
			d = GEN_RATE_DEPTH_MAX;
		l->rate_depth = (uint32_t)d;
		for (i = 0; i < S; i++)
			l->start_delay_ns[i] = d * 1000000000u /
				l->sender_rate[i];
	}
	return 0;
}

void
gen_layout_env(struct gen_env *env)
{
	struct rte_eth_dev_info info;
	unsigned int lc;
	uint16_t port;

	memset(env, 0, sizeof(*env));
	env->lcores[env->nb_lcores++] = rte_get_main_lcore();
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (env->nb_lcores < GEN_LCORES_MAX)
			env->lcores[env->nb_lcores++] = lc;
	}
	RTE_ETH_FOREACH_DEV(port) {
		unsigned int i = env->nb_ports;

		if (i == GEN_PORTS_MAX)
			break;
		env->port_ids[i] = port;
		env->port_max_txq[i] = 0;
		if (rte_eth_dev_info_get(port, &info) == 0)
			env->port_max_txq[i] = info.max_tx_queues;
		if (rte_eth_dev_get_name_by_port(port, env->port_names[i]) != 0)
			(void)snprintf(env->port_names[i],
				sizeof(env->port_names[i]), "port%u", port);
		env->nb_ports++;
	}
}
