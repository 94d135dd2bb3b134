/* SPDX-License-Identifier: BSD-3-Clause */
/* Receive-side tracker: sequence accounting and latency per sender. */
#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "emit_hist_pvt.h"
#include "emit_pvt.h"
#include "emit_track.h"

/* Single-writer counter update, read by other threads with relaxed loads. */
#define TRK_ADD(field, n) \
	__atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)
#define TRK_SUB(field, n) \
	__atomic_store_n(&(field), (field) - (n), __ATOMIC_RELAXED)
#define TRK_SET(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)
#define TRK_GET(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

struct trk_sender {
	uint64_t received;
	uint64_t bytes;
	uint64_t lost_gaps;
	uint64_t reordered;
	uint64_t duplicated;
	uint64_t stale;
	uint64_t first_seq;
	uint64_t base;        /* first seq accounted for (0, or first_seq) */
	uint64_t hi;          /* highest seq received */
	uint64_t lat_min;     /* UINT64_MAX until the first sample */
	uint64_t lat_max;
	uint64_t lat_negative;
	uint64_t lat_sum;     /* wraps modulo 2^64, as emit_hist's sum */
	uint64_t *win;        /* owner only: bit (seq & mask) set = received */
	uint16_t id;
	uint64_t hist[EMIT_HIST_NB_BUCKETS];
} __rte_cache_aligned;

struct emit_track {
	uint32_t max_senders;
	uint32_t mask;        /* window - 1 */
	int join;
	uint64_t expect_count;
	/* Senders in use; published with a release store after the slot is
	 * set up, so readers that acquire it see a complete slot. */
	uint32_t nb_senders;
	uint64_t frames;
	uint64_t events;
	uint64_t bytes;
	uint64_t other;
	uint64_t untracked;
	uint64_t malformed_by[EMIT_MALFORMED_MAX];
	uint32_t slot_of[EMIT_TRACK_SENDERS_MAX]; /* 0: none, else slot + 1 */
	struct trk_sender *senders;
	uint64_t *windows;
};

void
emit_track_conf_init(struct emit_track_conf *conf)
{
	if (conf == NULL)
		return;
	memset(conf, 0, sizeof(*conf));
	conf->max_senders = 256;
	conf->window = 65536;
	conf->socket_id = SOCKET_ID_ANY;
}

struct emit_track *
emit_track_create(const struct emit_track_conf *conf)
{
	struct emit_track *t;
	size_t win_words;
	uint32_t i;

	if (conf == NULL || conf->max_senders == 0 ||
	    conf->max_senders > EMIT_TRACK_SENDERS_MAX ||
	    conf->window < 64 || conf->window > EMIT_TRACK_WINDOW_MAX ||
	    !rte_is_power_of_2(conf->window)) {
		rte_errno = EINVAL;
		return NULL;
	}
	win_words = conf->window / 64;
	t = rte_zmalloc_socket("emit_track", sizeof(*t), RTE_CACHE_LINE_SIZE,
			conf->socket_id);
	if (t == NULL)
		goto nomem;
	t->senders = rte_zmalloc_socket("emit_track_senders",
			sizeof(*t->senders) * conf->max_senders,
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	t->windows = rte_zmalloc_socket("emit_track_windows",
			sizeof(uint64_t) * win_words * conf->max_senders,
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (t->senders == NULL || t->windows == NULL)
		goto nomem;
	t->max_senders = conf->max_senders;
	t->mask = conf->window - 1;
	t->join = conf->join != 0;
	t->expect_count = conf->expect_count;
	for (i = 0; i < conf->max_senders; i++)
		t->senders[i].win = t->windows + (size_t)i * win_words;
	return t;
nomem:
	emit_track_free(t);
	rte_errno = ENOMEM;
	return NULL;
}

void
emit_track_free(struct emit_track *t)
{
	if (t == NULL)
		return;
	rte_free(t->windows);
	rte_free(t->senders);
	rte_free(t);
}

/* Clear the window bits of seqs from .. from + n - 1, n <= window. Chunks
 * never cross the wrap-around point: the window is a multiple of 64. */
static void
win_clear(uint64_t *w, uint32_t mask, uint64_t from, uint64_t n)
{
	while (n > 0) {
		uint32_t b = (uint32_t)(from & mask);
		uint32_t off = b & 63u;
		uint64_t take = RTE_MIN(n, (uint64_t)(64u - off));
		uint64_t m = take == 64 ? ~0ull :
			(((1ull << take) - 1) << off);

		w[b >> 6] &= ~m;
		from += take;
		n -= take;
	}
}

static inline void
win_set(uint64_t *w, uint32_t mask, uint64_t seq)
{
	uint32_t b = (uint32_t)(seq & mask);

	w[b >> 6] |= 1ull << (b & 63u);
}

static inline int
win_test(const uint64_t *w, uint32_t mask, uint64_t seq)
{
	uint32_t b = (uint32_t)(seq & mask);

	return (int)((w[b >> 6] >> (b & 63u)) & 1);
}

static struct trk_sender *
sender_add(struct emit_track *t, uint16_t id, uint64_t seq)
{
	uint32_t n = t->nb_senders;
	struct trk_sender *s;

	if (n == t->max_senders)
		return NULL;
	s = &t->senders[n];
	s->id = id;
	s->first_seq = seq;
	s->base = t->join ? seq : 0;
	s->hi = seq;
	s->lat_min = UINT64_MAX;
	__atomic_store_n(&t->slot_of[id], n + 1, __ATOMIC_RELAXED);
	/* Pairs with the acquire loads in the readers: the slot is complete
	 * before it is counted. */
	__atomic_store_n(&t->nb_senders, n + 1, __ATOMIC_RELEASE);
	return s;
}

static int
account_seq(struct emit_track *t, struct trk_sender *s, uint64_t seq)
{
	uint64_t d;

	if (seq > s->hi) {
		d = seq - s->hi - 1;
		if (d > t->mask)
			memset(s->win, 0, ((size_t)t->mask + 1) / 8);
		else
			win_clear(s->win, t->mask, s->hi + 1, d);
		win_set(s->win, t->mask, seq);
		TRK_SET(s->hi, seq);
		if (d == 0)
			return EMIT_TRACK_IN_ORDER;
		TRK_ADD(s->lost_gaps, d);
		return EMIT_TRACK_GAP;
	}
	if (seq < s->base || s->hi - seq > t->mask) {
		TRK_ADD(s->stale, 1);
		return EMIT_TRACK_STALE;
	}
	if (win_test(s->win, t->mask, seq)) {
		TRK_ADD(s->duplicated, 1);
		return EMIT_TRACK_DUPLICATE;
	}
	win_set(s->win, t->mask, seq);
	TRK_SUB(s->lost_gaps, 1);
	TRK_ADD(s->reordered, 1);
	return EMIT_TRACK_REORDERED;
}

int
emit_track_event(struct emit_track *t, const struct emit_decoded *ev,
		uint64_t rx_ns)
{
	struct trk_sender *s;
	uint32_t slot;
	uint64_t lat, tx_ns;
	int verdict;

	if (t == NULL || ev == NULL)
		return -EINVAL;
	TRK_ADD(t->frames, 1);
	TRK_ADD(t->events, 1);
	TRK_ADD(t->bytes, ev->frame_len);
	slot = t->slot_of[ev->sender];
	if (slot == 0) {
		s = sender_add(t, ev->sender, ev->seq);
		if (s == NULL) {
			TRK_ADD(t->untracked, 1);
			return -ENOSPC;
		}
		win_set(s->win, t->mask, ev->seq);
		if (ev->seq > s->base) {
			TRK_ADD(s->lost_gaps, ev->seq - s->base);
			verdict = EMIT_TRACK_GAP;
		} else {
			verdict = EMIT_TRACK_IN_ORDER;
		}
	} else {
		s = &t->senders[slot - 1];
		verdict = account_seq(t, s, ev->seq);
	}
	TRK_ADD(s->received, 1);
	TRK_ADD(s->bytes, ev->frame_len);
	/* A compact header carries the low bits of the time only: the rest
	 * is the receive time's, the nearest such time to it. */
	tx_ns = emit_time_expand(ev->time_ns, ev->time_bits, rx_ns);
	if (rx_ns >= tx_ns) {
		lat = rx_ns - tx_ns;
		emit__hist_add(s->hist, lat);
		TRK_ADD(s->lat_sum, lat);
		if (lat < s->lat_min)
			TRK_SET(s->lat_min, lat);
		if (lat > s->lat_max)
			TRK_SET(s->lat_max, lat);
	} else {
		TRK_ADD(s->lat_negative, 1);
	}
	return verdict;
}

int
emit_track_malformed(struct emit_track *t, enum emit_malformed reason)
{
	if (t == NULL || (unsigned int)reason >= EMIT_MALFORMED_MAX)
		return -EINVAL;
	TRK_ADD(t->frames, 1);
	TRK_ADD(t->malformed_by[reason], 1);
	return 0;
}

int
emit_track_other(struct emit_track *t)
{
	if (t == NULL)
		return -EINVAL;
	TRK_ADD(t->frames, 1);
	TRK_ADD(t->other, 1);
	return 0;
}

static void
sender_read(const struct emit_track *t, const struct trk_sender *s,
		struct emit_track_sender_stats *st)
{
	st->id = s->id;
	st->received = TRK_GET(s->received);
	st->bytes = TRK_GET(s->bytes);
	st->first_seq = s->first_seq;
	st->last_seq = TRK_GET(s->hi);
	st->lost_gaps = TRK_GET(s->lost_gaps);
	st->reordered = TRK_GET(s->reordered);
	st->duplicated = TRK_GET(s->duplicated);
	st->stale = TRK_GET(s->stale);
	st->lost_tail = 0;
	if (t->expect_count != 0 && st->last_seq < t->expect_count - 1)
		st->lost_tail = t->expect_count - 1 - st->last_seq;
	st->lost = st->lost_gaps + st->lost_tail;
}

/* The slot of @p id visible to a reader, or NULL. */
static const struct trk_sender *
sender_find(const struct emit_track *t, uint16_t id)
{
	uint32_t nb = __atomic_load_n(&t->nb_senders, __ATOMIC_ACQUIRE);
	uint32_t slot = __atomic_load_n(&t->slot_of[id], __ATOMIC_RELAXED);

	/* A slot set after the acquire above is beyond nb: not yet visible. */
	if (slot == 0 || slot > nb)
		return NULL;
	return &t->senders[slot - 1];
}

/* Trackers that can be merged: @p n of them, none NULL, counting alike. */
static int
merge_check(const struct emit_track *const *t, unsigned int n)
{
	unsigned int i;

	if (t == NULL || n == 0 || t[0] == NULL)
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (t[i] == NULL || t[i]->join != t[0]->join ||
		    t[i]->expect_count != t[0]->expect_count)
			return -EINVAL;
	return 0;
}

/*
 * Sender @p id over @p n trackers. Each tracker accounts the seqs it
 * received from its own base; an event reaches one tracker, so the
 * distinct seqs of the sender are the sum of each tracker's
 * (received - duplicated - stale), and what is missing from the merged
 * span (lowest base .. highest seq) is lost. More distinct seqs than the
 * span holds can only be copies that reached two trackers: they count
 * as duplicated. With n = 1 this is the tracker's own accounting.
 */
static int
merged_sender(const struct emit_track *const *t, unsigned int n, uint16_t id,
		struct emit_track_sender_stats *st)
{
	const struct trk_sender *s;
	struct emit_track_sender_stats one;
	uint64_t distinct = 0, base = UINT64_MAX, span;
	unsigned int i, found = 0;

	memset(st, 0, sizeof(*st));
	st->id = id;
	for (i = 0; i < n; i++) {
		s = sender_find(t[i], id);
		if (s == NULL)
			continue;
		sender_read(t[i], s, &one);
		if (found++ == 0 || one.first_seq < st->first_seq)
			st->first_seq = one.first_seq;
		st->last_seq = RTE_MAX(st->last_seq, one.last_seq);
		base = RTE_MIN(base, s->base);
		st->received += one.received;
		st->bytes += one.bytes;
		st->reordered += one.reordered;
		st->duplicated += one.duplicated;
		st->stale += one.stale;
		distinct += one.received - one.duplicated - one.stale;
	}
	if (found == 0)
		return -ENOENT;
	if (found == 1) {
		/* One tracker has it all: its own accounting, as it stands. */
		*st = one;
		return 0;
	}
	span = st->last_seq - base + 1;
	if (distinct <= span)
		st->lost_gaps = span - distinct;
	else
		st->duplicated += distinct - span;
	if (t[0]->expect_count != 0 && st->last_seq < t[0]->expect_count - 1)
		st->lost_tail = t[0]->expect_count - 1 - st->last_seq;
	st->lost = st->lost_gaps + st->lost_tail;
	return 0;
}

/* Sender ids of @p n trackers, each once, in the order of the trackers
 * and of first arrival in each; returns how many (may exceed @p cap). */
static int
merged_ids(const struct emit_track *const *t, unsigned int n, uint16_t *ids,
		unsigned int cap)
{
	uint64_t seen[EMIT_TRACK_SENDERS_MAX / 64];
	uint32_t i, j, nb;
	unsigned int count = 0;
	uint16_t id;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		nb = __atomic_load_n(&t[i]->nb_senders, __ATOMIC_ACQUIRE);
		for (j = 0; j < nb; j++) {
			id = t[i]->senders[j].id;
			if ((seen[id >> 6] >> (id & 63u)) & 1)
				continue;
			seen[id >> 6] |= 1ull << (id & 63u);
			if (count < cap)
				ids[count] = id;
			count++;
		}
	}
	return (int)count;
}

int
emit_track_merge_totals_get(const struct emit_track *const *t,
		unsigned int n, struct emit_track_totals *tot)
{
	struct emit_track_sender_stats st;
	unsigned int i, k, r;
	uint32_t j, nb;
	uint16_t id;

	if (merge_check(t, n) != 0 || tot == NULL)
		return -EINVAL;
	memset(tot, 0, sizeof(*tot));
	for (i = 0; i < n; i++) {
		tot->frames += TRK_GET(t[i]->frames);
		tot->events += TRK_GET(t[i]->events);
		tot->bytes += TRK_GET(t[i]->bytes);
		tot->other += TRK_GET(t[i]->other);
		tot->untracked += TRK_GET(t[i]->untracked);
		for (r = 0; r < EMIT_MALFORMED_MAX; r++)
			tot->malformed_by[r] +=
				TRK_GET(t[i]->malformed_by[r]);
	}
	for (r = 0; r < EMIT_MALFORMED_MAX; r++)
		tot->malformed += tot->malformed_by[r];
	/* Each sender once: at the first tracker that follows it. */
	for (i = 0; i < n; i++) {
		nb = __atomic_load_n(&t[i]->nb_senders, __ATOMIC_ACQUIRE);
		for (j = 0; j < nb; j++) {
			id = t[i]->senders[j].id;
			for (k = 0; k < i; k++)
				if (sender_find(t[k], id) != NULL)
					break;
			if (k < i || merged_sender(t, n, id, &st) != 0)
				continue;
			tot->lost += st.lost;
			tot->reordered += st.reordered;
			tot->duplicated += st.duplicated;
			tot->stale += st.stale;
			tot->senders++;
		}
	}
	return 0;
}

int
emit_track_totals_get(const struct emit_track *t,
		struct emit_track_totals *tot)
{
	return emit_track_merge_totals_get(&t, 1, tot);
}

int
emit_track_merge_senders(const struct emit_track *const *t, unsigned int n,
		uint16_t *ids, unsigned int cap)
{
	if (merge_check(t, n) != 0 || (ids == NULL && cap > 0))
		return -EINVAL;
	return merged_ids(t, n, ids, cap);
}

int
emit_track_senders(const struct emit_track *t, uint16_t *ids, unsigned int n)
{
	return emit_track_merge_senders(&t, 1, ids, n);
}

int
emit_track_merge_sender_get(const struct emit_track *const *t,
		unsigned int n, uint16_t id, struct emit_track_sender_stats *st)
{
	if (merge_check(t, n) != 0 || st == NULL)
		return -EINVAL;
	return merged_sender(t, n, id, st);
}

int
emit_track_sender_get(const struct emit_track *t, uint16_t id,
		struct emit_track_sender_stats *st)
{
	return emit_track_merge_sender_get(&t, 1, id, st);
}

/* The latency of sender @p id (or all, EMIT_TRACK_ALL) over @p n
 * trackers, bucket by bucket into @p acc; -ENOENT if no tracker follows
 * @p id. */
static int
merged_lat(const struct emit_track *const *t, unsigned int n, int id,
		uint64_t *acc, uint64_t *min, uint64_t *max, uint64_t *neg,
		uint64_t *sum)
{
	const struct trk_sender *s;
	unsigned int i, found = 0;
	uint32_t j, nb;
	uint64_t v;

	*min = UINT64_MAX;
	*max = 0;
	*neg = 0;
	*sum = 0;
	for (i = 0; i < n; i++) {
		if (id == EMIT_TRACK_ALL) {
			s = NULL;
			nb = __atomic_load_n(&t[i]->nb_senders,
				__ATOMIC_ACQUIRE);
			found = 1;
		} else {
			s = sender_find(t[i], (uint16_t)id);
			if (s == NULL)
				continue;
			found = 1;
			nb = 1;
		}
		for (j = 0; j < nb; j++) {
			const struct trk_sender *cur = s != NULL ? s :
				&t[i]->senders[j];

			emit__hist_accumulate(acc, cur->hist);
			*sum += TRK_GET(cur->lat_sum);
			v = TRK_GET(cur->lat_min);
			*min = RTE_MIN(*min, v);
			v = TRK_GET(cur->lat_max);
			*max = RTE_MAX(*max, v);
			*neg += TRK_GET(cur->lat_negative);
		}
	}
	return found ? 0 : -ENOENT;
}

int
emit_track_merge_latency_get(const struct emit_track *const *t,
		unsigned int n, int id, struct emit_latency *lat)
{
	uint64_t acc[EMIT_HIST_NB_BUCKETS];
	uint64_t min, max, neg, sum;
	int rc;

	if (merge_check(t, n) != 0 || lat == NULL || id < EMIT_TRACK_ALL ||
	    id > UINT16_MAX)
		return -EINVAL;
	memset(acc, 0, sizeof(acc));
	rc = merged_lat(t, n, id, acc, &min, &max, &neg, &sum);
	if (rc != 0)
		return rc;
	emit__hist_summary(acc, min, max, lat);
	lat->negative = neg;
	return 0;
}

int
emit_track_latency_get(const struct emit_track *t, int id,
		struct emit_latency *lat)
{
	return emit_track_merge_latency_get(&t, 1, id, lat);
}

int
emit_track_merge_latency_hist_get(const struct emit_track *const *t,
		unsigned int n, int id, struct emit_hist *h)
{
	uint64_t neg;
	unsigned int i;
	int rc;

	if (merge_check(t, n) != 0 || h == NULL || id < EMIT_TRACK_ALL ||
	    id > UINT16_MAX)
		return -EINVAL;
	emit_hist_init(h);
	rc = merged_lat(t, n, id, h->buckets, &h->min, &h->max, &neg,
		&h->sum);
	if (rc != 0)
		return rc;
	/* The count from the buckets read, so that the two agree even while
	 * the owners record. */
	for (i = 0; i < EMIT_HIST_NB_BUCKETS; i++)
		h->count += h->buckets[i];
	return 0;
}

int
emit_track_latency_hist_get(const struct emit_track *t, int id,
		struct emit_hist *h)
{
	return emit_track_merge_latency_hist_get(&t, 1, id, h);
}
