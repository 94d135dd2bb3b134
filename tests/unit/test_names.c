/* SPDX-License-Identifier: BSD-3-Clause */
/* The one source of each invariant: the names of policies, latency modes,
 * ring kinds, flush causes and drop reasons (spelling, round trip through
 * the parsers, refusal of unknown names and values), and the drop sums
 * of sender and TX stage counters (every dropped_* field, nothing else).
 * Pure computation: no EAL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <emit.h>

static void
test_policy(void **state)
{
	static const char *const names[] = { "drop", "hold", "spin" };
	enum emit_policy p;
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_string_equal(emit_policy_name((enum emit_policy)i),
			names[i]);
		p = (enum emit_policy)99;
		assert_int_equal(emit_policy_parse(names[i], &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(EMIT_POLICY_DROP, 0);
	assert_int_equal(EMIT_POLICY_SPIN, 2);
	assert_null(emit_policy_name((enum emit_policy)3));
	p = EMIT_POLICY_HOLD;
	assert_int_equal(emit_policy_parse("Drop", &p), -EINVAL);
	assert_int_equal(emit_policy_parse("", &p), -EINVAL);
	assert_int_equal(emit_policy_parse("dropx", &p), -EINVAL);
	assert_int_equal(emit_policy_parse(NULL, &p), -EINVAL);
	assert_int_equal(p, EMIT_POLICY_HOLD);
	assert_int_equal(emit_policy_parse("drop", NULL), -EINVAL);
}

static void
test_tx_latency(void **state)
{
	static const struct {
		enum emit_tx_latency mode;
		const char *name;
	} t[] = {
		{ EMIT_TX_LATENCY_OFF, "off" },
		{ EMIT_TX_LATENCY_BURST, "burst" },
		{ EMIT_TX_LATENCY_PACKET, "packet" },
	};
	enum emit_tx_latency m;
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_string_equal(emit_tx_latency_name(t[i].mode), t[i].name);
		m = (enum emit_tx_latency)99;
		assert_int_equal(emit_tx_latency_parse(t[i].name, &m), 0);
		assert_int_equal(m, t[i].mode);
	}
	assert_null(emit_tx_latency_name((enum emit_tx_latency)3));
	m = EMIT_TX_LATENCY_OFF;
	assert_int_equal(emit_tx_latency_parse("bursts", &m), -EINVAL);
	assert_int_equal(emit_tx_latency_parse(NULL, &m), -EINVAL);
	assert_int_equal(m, EMIT_TX_LATENCY_OFF);
	assert_int_equal(emit_tx_latency_parse("off", NULL), -EINVAL);
}

static void
test_ring_kind(void **state)
{
	enum emit_ring_kind k;

	(void)state;
	assert_string_equal(emit_ring_kind_name(EMIT_RING_MBUF), "mbuf");
	assert_string_equal(emit_ring_kind_name(EMIT_RING_DESC), "desc");
	assert_null(emit_ring_kind_name((enum emit_ring_kind)2));
	assert_int_equal(emit_ring_kind_parse("mbuf", &k), 0);
	assert_int_equal(k, EMIT_RING_MBUF);
	assert_int_equal(emit_ring_kind_parse("desc", &k), 0);
	assert_int_equal(k, EMIT_RING_DESC);
	assert_int_equal(emit_ring_kind_parse("ring", &k), -EINVAL);
	assert_int_equal(emit_ring_kind_parse(NULL, &k), -EINVAL);
	assert_int_equal(k, EMIT_RING_DESC);
	assert_int_equal(emit_ring_kind_parse("desc", NULL), -EINVAL);
}

/* Flush causes and drop reasons are named after the counters that count
 * them: "flush_" + name, "dropped_" + name or "tx_dropped_" + name. */
static void
test_causes_reasons(void **state)
{
	static const char *const causes[] = { "full", "linger", "explicit",
		"close" };
	static const char *const reasons[] = { "ring_full", "spin_timeout",
		"closed", "tx_retry_exhausted", "tx_closed" };
	unsigned int i;

	(void)state;
	assert_int_equal(EMIT_FLUSH_NB_CAUSES, 4);
	assert_int_equal(EMIT_DROP_NB_REASONS, 5);
	for (i = 0; i < EMIT_FLUSH_NB_CAUSES; i++)
		assert_string_equal(
			emit_flush_cause_name((enum emit_flush_cause)i),
			causes[i]);
	assert_int_equal(EMIT_FLUSH_CLOSE, 3);
	assert_null(emit_flush_cause_name(
		(enum emit_flush_cause)EMIT_FLUSH_NB_CAUSES));
	for (i = 0; i < EMIT_DROP_NB_REASONS; i++)
		assert_string_equal(
			emit_drop_reason_name((enum emit_drop_reason)i),
			reasons[i]);
	assert_int_equal(EMIT_DROP_TX_CLOSED, 4);
	assert_null(emit_drop_reason_name(
		(enum emit_drop_reason)EMIT_DROP_NB_REASONS));
}

/* Each counter set to a distinct power of two: the sum shows exactly
 * which fields it adds. */
static void
test_drop_sums(void **state)
{
	struct emit_sender_stats ss;
	struct emit_tx_stats ts;
	uint64_t *v;
	unsigned int i;

	(void)state;
	v = (uint64_t *)&ss;
	for (i = 0; i < EMIT_SENDER_NB_STATS; i++)
		v[i] = (uint64_t)1 << i;
	assert_int_equal(emit_sender_stats_dropped(&ss),
		((uint64_t)1 << (offsetof(struct emit_sender_stats,
			dropped_ring_full) / 8)) |
		((uint64_t)1 << (offsetof(struct emit_sender_stats,
			dropped_spin_timeout) / 8)) |
		((uint64_t)1 << (offsetof(struct emit_sender_stats,
			dropped_closed) / 8)));
	v = (uint64_t *)&ts;
	for (i = 0; i < EMIT_TX_NB_STATS; i++)
		v[i] = (uint64_t)1 << i;
	assert_int_equal(emit_tx_stats_dropped(&ts),
		((uint64_t)1 << (offsetof(struct emit_tx_stats,
			tx_dropped_retry_exhausted) / 8)) |
		((uint64_t)1 << (offsetof(struct emit_tx_stats,
			tx_dropped_closed) / 8)));
	assert_int_equal(emit_sender_stats_dropped(NULL), 0);
	assert_int_equal(emit_tx_stats_dropped(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_tx_latency),
		cmocka_unit_test(test_ring_kind),
		cmocka_unit_test(test_causes_reasons),
		cmocka_unit_test(test_drop_sums),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
