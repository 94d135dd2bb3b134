/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_TEST_STRESS_H
#define EMIT_TEST_STRESS_H

/*
 * Shared state of the stress test (test_stress.c): senders, TX stages, a
 * control lcore and the receiver, each on its own lcore, more lcores than
 * CPUs. Every event is stamped by its sender with its seq, sender and a
 * length and pattern derived from them; the receiver checks each one and a
 * per-sender ledger (one bit per seq) records its fate exactly once:
 * received, or dropped with a reason reported by a drop hook.
 *
 * Worker lcores never call cmocka: they record the first failure (where,
 * what) and the main lcore asserts after joining them.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include <emit.h>

#include "test_common.h"

#define ST_SENDERS 6
#define ST_TX 2
#define ST_ID0 200          /* wire id of sender 0 */
#define ST_MIN_LEN 16       /* payload: seq, sender, len, pattern */
#define ST_LEN_STEPS 8      /* lengths 16, 24, ..., 72 */
#define ST_PORT_BURST 64

/* Event types: which API built the event. */
enum st_api { ST_API_CLAIM = 1, ST_API_SEND, ST_API_BURST, ST_API_N };

/* Drop reasons as the ledger counts them (enum emit_drop_reason). */
#define ST_REASONS (EMIT_DROP_TX_CLOSED + 1)

/* splitmix64: seeds and per-lcore random streams. */
static inline uint64_t
st_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Payload length of event @p seq of sender @p id (a multiple of 8). */
static inline uint16_t
st_len(uint16_t id, uint64_t seq)
{
	uint64_t h = (seq ^ ((uint64_t)id << 48)) * 0x9e3779b97f4a7c15ull;

	return (uint16_t)(ST_MIN_LEN + 8 * ((h >> 59) % ST_LEN_STEPS));
}

/* Word k >= 2 of the payload of event @p seq. */
static inline uint64_t
st_word(uint64_t seq, unsigned int k)
{
	return seq * 0xff51afd7ed558ccdull + k;
}

/* Why a worker failed: the first unexpected result. */
struct st_fail {
	int rc;
	const char *where;
	char detail[256];  /* what was asked and answered, if anything */
};

/* A sender and everything its lcore owns. */
struct st_sender {
	/* Set up by the main lcore. */
	struct emit_sender *s;
	struct rte_ring *ring;
	struct emit_sender_conf conf;
	struct emit_test_clock vclock; /* used when conf.clock is set */
	uint16_t id;
	unsigned int idx;
	uint64_t quota;              /* events to commit */
	uint64_t rng;
	int end_close;               /* end with emit_sender_close */
	uint64_t *ledger;            /* one bit per seq, atomics */

	/* Sender lcore; others read with relaxed atomics. */
	uint64_t committed;          /* next seq */
	int done;                    /* release: results are final */

	/* Sender lcore only (hooks run there); read after the join. */
	unsigned int open;           /* open burst claims */
	int single_open;             /* an emit_claim is open */
	uint64_t hook_drop[ST_REASONS];
	uint64_t hook_flush[EMIT_FLUSH_CLOSE + 1];
	uint64_t hook_refused;
	uint64_t hook_congested;     /* entries */
	int hook_state;              /* last congestion state reported */
	uint64_t by_api[ST_API_N];
	uint64_t again, nobufs, aborted;
	struct st_fail fail;
};

/* A TX stage, its port and its lcore. */
struct st_tx {
	struct emit_tx *tx;
	struct emit_tx_conf conf;
	int port;
	struct rte_ring *port_ring;
	char port_name[32];
	/* TX lcore only (its drop hook); read after the join. */
	uint64_t hook_drop[ST_REASONS];
	uint64_t hook_drop_snd[ST_SENDERS];  /* by sender index */
	uint64_t hook_bytes_snd[ST_SENDERS]; /* frame bytes dropped */
	int done;                        /* release */
	struct st_fail fail;
};

/* Per-sender view of the receiver (main lcore only). */
struct st_rx {
	uint64_t received;
	uint64_t bytes;
	uint64_t last_seq;
	uint64_t last_ns;
	bool any;
};

/* xstats the control lcore reads and resets: every counter but the
 * high-water mark, and the sample count of the since-reset histogram. */
#define ST_XS_MAX 48

struct st_xs_ids {
	uint64_t ids[ST_XS_MAX];
	char names[ST_XS_MAX][EMIT_XSTATS_NAME_SIZE];
	unsigned int n;
	unsigned int samples;      /* index in ids[] of *_since_reset_samples */
	uint64_t run_samples_id;   /* id of the whole-run sample count */
};

/* Counts of the control lcore. */
struct st_ctl_counts {
	uint64_t stats_reads;
	uint64_t rate_changes;
	uint64_t pauses;
	uint64_t xstats_reads;
	uint64_t xstats_resets;
	uint64_t telemetry_queries;
};

/* One round: a random mix, run, checked. */
struct st_round {
	uint64_t seed;
	struct st_sender snd[ST_SENDERS];
	struct st_tx tx[ST_TX];
	struct st_rx rx[ST_SENDERS];
	uint64_t rx_bad;             /* malformed, unknown or out of order */
	uint64_t twice;              /* atomic: an event marked twice */
	uint64_t ledger_bad;         /* atomic: unknown sender or seq */
	bool tx_quit;
	bool ctl_quit;
	int ctl_done;
	struct st_ctl_counts ctl;
	struct st_fail ctl_fail;
	/* xstats: ids (set by the main lcore before the launch), and what
	 * the control lcore's get-and-reset calls returned, summed (read by
	 * the main lcore after the join). */
	struct st_xs_ids xs_snd, xs_tx;
	uint64_t xacc_snd[ST_SENDERS][ST_XS_MAX];
	uint64_t xacc_tx[ST_TX][ST_XS_MAX];
};

/* Drop hooks: mark each event's bit under its reason. */
void st_sender_drop_hook(struct emit_sender *s, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg);
void st_tx_drop_hook(struct emit_tx *tx, enum emit_drop_reason reason,
		struct rte_mbuf *const *pkts, unsigned int n, void *arg);
/* Other sender hooks, counted and checked against the counters. */
void st_flush_hook(struct emit_sender *s, enum emit_flush_cause cause,
		unsigned int n, void *arg);
void st_backpressure_hook(struct emit_sender *s, unsigned int refused,
		void *arg);
void st_congestion_hook(struct emit_sender *s, int congested,
		unsigned int used, void *arg);

/* The round whose hooks are running (one round at a time). */
extern struct st_round *st_cur;

/* Lcore bodies. */
int st_sender_main(void *arg);  /* struct st_sender * */
int st_tx_main(void *arg);      /* struct st_tx * */
int st_control_main(void *arg); /* struct st_round * */

/* A clock that advances by its step on every read, from any thread. */
uint64_t st_clock_read(void *arg);

/* xstats and telemetry (stress_xstats.c). */
void st_xs_setup(struct st_round *r);
struct st_tel;
struct st_tel *st_tel_open(struct st_fail *f);
void st_tel_close(struct st_tel *t);
void st_xs_op(struct st_round *r, struct st_tel *tel, uint64_t *rng,
		uint64_t *prev_snd, uint64_t *prev_tx);
/* After the join: the last get-and-reset, then every counter must equal
 * the sum of what the resets returned. Returns NULL, or what failed. */
const char *st_xs_final(struct st_round *r, unsigned int *which);

/* A rate limit for @p t that lets it finish: see stress_control.c. */
uint64_t st_pick_rate(const struct st_sender *t, uint64_t *rng);

/* Receiver: read and check what the ports hold; returns events read. */
unsigned int st_receive(struct st_round *r);

/* Record a failure (first one wins). */
static inline void
st_fail(struct st_fail *f, int rc, const char *where)
{
	if (f->where == NULL) {
		f->rc = rc;
		f->where = where;
	}
}

/* Record a failure with the request and reply that show it. */
static inline void
st_fail_detail(struct st_fail *f, int rc, const char *where,
		const char *asked, const char *answer, size_t answer_len)
{
	if (f->where == NULL) {
		st_fail(f, rc, where);
		(void)snprintf(f->detail, sizeof(f->detail), "%s -> %.*s",
			asked, (int)RTE_MIN(answer_len, (size_t)200), answer);
	}
}

#endif /* EMIT_TEST_STRESS_H */
