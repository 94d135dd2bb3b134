/* SPDX-License-Identifier: BSD-3-Clause */
/* One source for each invariant that several places spell: the names of
 * policies (of senders and of TX stages), latency modes, ring kinds,
 * flush causes and drop reasons, and the drop sums of a sender and of a
 * TX stage. */
#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "emit.h"

static const char *const policy_names[] = {
	[EMIT_POLICY_DROP] = "drop",
	[EMIT_POLICY_HOLD] = "hold",
	[EMIT_POLICY_SPIN] = "spin",
};

static const char *const tx_policy_names[EMIT_TX_NB_POLICIES] = {
	[EMIT_TX_POLICY_HOLD] = "hold",
	[EMIT_TX_POLICY_DROP] = "drop",
};

static const char *const latency_names[] = {
	[EMIT_TX_LATENCY_OFF] = "off",
	[EMIT_TX_LATENCY_BURST] = "burst",
	[EMIT_TX_LATENCY_PACKET] = "packet",
};

static const char *const ring_kind_names[] = {
	[EMIT_RING_MBUF] = "mbuf",
	[EMIT_RING_DESC] = "desc",
};

static const char *const flush_cause_names[EMIT_FLUSH_NB_CAUSES] = {
	[EMIT_FLUSH_FULL] = "full",
	[EMIT_FLUSH_LINGER] = "linger",
	[EMIT_FLUSH_EXPLICIT] = "explicit",
	[EMIT_FLUSH_CLOSE] = "close",
};

static const char *const drop_reason_names[EMIT_DROP_NB_REASONS] = {
	[EMIT_DROP_RING_FULL] = "ring_full",
	[EMIT_DROP_SPIN_TIMEOUT] = "spin_timeout",
	[EMIT_DROP_CLOSED] = "closed",
	[EMIT_DROP_TX_RETRY] = "tx_retry_exhausted",
	[EMIT_DROP_TX_CLOSED] = "tx_closed",
};

/* The enum values index the tables: a value added to an enum without its
 * name fails here. */
_Static_assert(RTE_DIM(flush_cause_names) == EMIT_FLUSH_CLOSE + 1,
	"EMIT_FLUSH_NB_CAUSES does not match enum emit_flush_cause");
_Static_assert(RTE_DIM(tx_policy_names) == EMIT_TX_POLICY_DROP + 1,
	"EMIT_TX_NB_POLICIES does not match enum emit_tx_policy");
_Static_assert(RTE_DIM(drop_reason_names) == EMIT_DROP_TX_CLOSED + 1,
	"EMIT_DROP_NB_REASONS does not match enum emit_drop_reason");

static const char *
name_of(const char *const *names, unsigned int n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

/* Index of @p name in @p names, or -EINVAL. */
static int
parse(const char *const *names, unsigned int n, const char *name)
{
	unsigned int i;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

const char *
emit_policy_name(enum emit_policy policy)
{
	return name_of(policy_names, RTE_DIM(policy_names),
		(unsigned int)policy);
}

int
emit_policy_parse(const char *name, enum emit_policy *policy)
{
	int i = parse(policy_names, RTE_DIM(policy_names), name);

	if (i < 0 || policy == NULL)
		return -EINVAL;
	*policy = (enum emit_policy)i;
	return 0;
}

const char *
emit_tx_policy_name(enum emit_tx_policy policy)
{
	return name_of(tx_policy_names, RTE_DIM(tx_policy_names),
		(unsigned int)policy);
}

int
emit_tx_policy_parse(const char *name, enum emit_tx_policy *policy)
{
	int i = parse(tx_policy_names, RTE_DIM(tx_policy_names), name);

	if (i < 0 || policy == NULL)
		return -EINVAL;
	*policy = (enum emit_tx_policy)i;
	return 0;
}

const char *
emit_tx_latency_name(enum emit_tx_latency mode)
{
	return name_of(latency_names, RTE_DIM(latency_names),
		(unsigned int)mode);
}

int
emit_tx_latency_parse(const char *name, enum emit_tx_latency *mode)
{
	int i = parse(latency_names, RTE_DIM(latency_names), name);

	if (i < 0 || mode == NULL)
		return -EINVAL;
	*mode = (enum emit_tx_latency)i;
	return 0;
}

const char *
emit_ring_kind_name(enum emit_ring_kind kind)
{
	return name_of(ring_kind_names, RTE_DIM(ring_kind_names),
		(unsigned int)kind);
}

int
emit_ring_kind_parse(const char *name, enum emit_ring_kind *kind)
{
	int i = parse(ring_kind_names, RTE_DIM(ring_kind_names), name);

	if (i < 0 || kind == NULL)
		return -EINVAL;
	*kind = (enum emit_ring_kind)i;
	return 0;
}

const char *
emit_flush_cause_name(enum emit_flush_cause cause)
{
	return name_of(flush_cause_names, RTE_DIM(flush_cause_names),
		(unsigned int)cause);
}

const char *
emit_drop_reason_name(enum emit_drop_reason reason)
{
	return name_of(drop_reason_names, RTE_DIM(drop_reason_names),
		(unsigned int)reason);
}

uint64_t
emit_sender_stats_dropped(const struct emit_sender_stats *st)
{
	if (st == NULL)
		return 0;
	return st->dropped_ring_full + st->dropped_spin_timeout +
		st->dropped_closed;
}

uint64_t
emit_tx_stats_dropped(const struct emit_tx_stats *st)
{
	if (st == NULL)
		return 0;
	return st->tx_dropped_retry_exhausted + st->tx_dropped_closed;
}
