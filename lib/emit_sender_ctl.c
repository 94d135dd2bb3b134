/* SPDX-License-Identifier: BSD-3-Clause */
/* Sender emission controls: rate limit (token bucket), pause and resume,
 * congestion by watermarks. The setters run on any thread and only write
 * the ctl cache line; the owner applies them on its slow path. */
#include <errno.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include "emit_pvt.h"

static void
tb_setup(struct emit_sender *s, uint64_t rate)
{
	s->tb_rate = rate;
	if (rate != 0)
		s->tb_cap_ticks = s->tb_max / rate + 1;
}

/* Largest bucket: d * tb_rate + tb_tokens stays below 2^63. */
#define TB_MAX_LIMIT (1ull << 62)

void
emit__tb_init(struct emit_sender *s, uint64_t rate, uint64_t now)
{
	__extension__ typedef unsigned __int128 u128;
	u128 max;

	s->tb_hz = s->hz;
	s->tb_byte = 0;
	if (s->rate_unit == EMIT_RATE_BITS) {
		uint64_t fmax = (uint64_t)s->fr.l2l4 + EMIT_HDR_LEN +
			s->max_len;

		/* An event is the largest frame the sender builds, at 8
		 * bits a byte: at most (65535 + 24) * 8 * 1e11 tokens. */
		if (fmax < s->tb_fmix)
			fmax = s->tb_fmix;
		s->tb_byte = 8 * s->hz;
		s->tb_hz = (fmax + EMIT_WIRE_OVERHEAD) * s->tb_byte;
	}
	max = (u128)s->rate_burst * s->tb_hz;
	s->tb_max = max > TB_MAX_LIMIT ? TB_MAX_LIMIT : (uint64_t)max;
	if (s->tb_max < s->tb_hz)
		s->tb_max = s->tb_hz;
	/* One event's worth: the first claim goes at once, and the burst
	 * allowance builds up only over idle time, never at start. */
	s->tb_tokens = s->tb_hz;
	s->tb_last = now;
	tb_setup(s, rate);
}

void
emit__apply_rate(struct emit_sender *s, uint64_t rate, uint64_t now)
{
	uint64_t carry;

	if (rate == s->tb_rate)
		return;
	if (s->tb_rate != 0) {
		/* Credit the time up to now at the old rate, then keep at
		 * most one batch of it, so that the new rate governs from
		 * the next burst on. */
		emit__tb_refill(s, now);
		carry = RTE_MIN(s->tb_max, (uint64_t)s->burst * s->tb_hz);
		if (s->tb_tokens > carry)
			s->tb_tokens = carry;
	} else {
		/* Tokens were not kept while unlimited: start as at create. */
		s->tb_tokens = s->tb_hz;
		s->tb_last = now;
	}
	tb_setup(s, rate);
}

/* Owner side of the congestion sequence count: odd while writing. The
 * release fence orders the odd count before the field stores; the final
 * release store orders the field stores before the even count. Pairs
 * with the acquire load and fence in emit__congested_ns_read. */
static void
cong_write_begin(struct emit_sender *s)
{
	__atomic_store_n(&s->cong_sc, s->cong_sc + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void
cong_write_end(struct emit_sender *s)
{
	__atomic_store_n(&s->cong_sc, s->cong_sc + 1, __ATOMIC_RELEASE);
}

/* The sender's clock, read after this thread's earlier stores are
 * visible (TSC: rte_rdtsc_precise). */
static uint64_t
cong_clock(const struct emit_sender *s)
{
	return s->clock != NULL ? s->clock(s->clock_arg) : rte_rdtsc_precise();
}

/*
 * End the open spell at @p now, or later; returns 1 if there was one.
 * A reader may have counted the spell up to its own clock read, taken
 * inside its sequence (emit__congested_ns_read); the spell must not end
 * before that, or the counter would go back (and an xstats reset taken
 * then would leave a baseline above the counter). The clock is read
 * again once the odd count is visible: a reader whose sequence did not
 * see it read its clock earlier. @p now may be older, read before a
 * slow path.
 */
static int
cong_end(struct emit_sender *s, uint64_t now)
{
	uint64_t end;

	if (!s->congested)
		return 0;
	cong_write_begin(s);
	end = cong_clock(s);
	if (end - now > UINT64_MAX / 2) /* modular: @p now is the later */
		end = now;
	EMIT__CTR_ADD(s, congested_ns,
		emit__tick_ns(s, end - s->congested_since));
	__atomic_store_n(&s->congested, 0, __ATOMIC_RELAXED);
	cong_write_end(s);
	EMIT__SLOW_CLR(s, EMIT__SLOW_CONGESTED);
	return 1;
}

void
emit__watermark(struct emit_sender *s, unsigned int used, uint64_t now)
{
	if (!s->congested && used >= s->wm_high) {
		cong_write_begin(s);
		__atomic_store_n(&s->congested_since, now, __ATOMIC_RELAXED);
		__atomic_store_n(&s->congested, 1, __ATOMIC_RELAXED);
		cong_write_end(s);
		EMIT__CTR_ADD(s, congestion_entries, 1);
		if (s->early_bp)
			EMIT__SLOW_SET(s, EMIT__SLOW_CONGESTED);
		if (s->hooks.congestion != NULL)
			s->hooks.congestion(s, 1, used, s->hooks.arg);
	} else if (s->congested && used <= s->wm_low) {
		cong_end(s, now);
		if (s->hooks.congestion != NULL)
			s->hooks.congestion(s, 0, used, s->hooks.arg);
	}
}

void
emit__congestion_close(struct emit_sender *s, uint64_t now)
{
	cong_end(s, now);
}

uint64_t
emit__congested_ns_read(const struct emit_sender *s)
{
	uint64_t ns, since, now;
	uint32_t sc, sc2;
	uint8_t cong;

	for (;;) {
		sc = __atomic_load_n(&s->cong_sc, __ATOMIC_ACQUIRE);
		if (sc & 1) {
			rte_pause();
			continue;
		}
		ns = __atomic_load_n(&s->ctr.congested_ns, __ATOMIC_RELAXED);
		since = __atomic_load_n(&s->congested_since,
				__ATOMIC_RELAXED);
		cong = __atomic_load_n(&s->congested, __ATOMIC_RELAXED);
		/* The clock is read inside the sequence, and before the
		 * count is read again (rte_rmb: a load does not pass the TSC
		 * read): if the spell ends after this, it ends later than
		 * now (see cong_end). */
		now = cong ? cong_clock(s) : 0;
		rte_rmb();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sc2 = __atomic_load_n(&s->cong_sc, __ATOMIC_RELAXED);
		if (sc == sc2)
			break;
	}
	if (cong)
		ns += emit__tick_ns(s, now - since);
	return ns;
}

int
emit_sender_pause(struct emit_sender *s)
{
	if (s == NULL)
		return -EINVAL;
	__atomic_fetch_or(&s->ctl.word, EMIT__CTL_PAUSED, __ATOMIC_RELAXED);
	return 0;
}

int
emit_sender_resume(struct emit_sender *s)
{
	if (s == NULL)
		return -EINVAL;
	__atomic_fetch_and(&s->ctl.word, ~EMIT__CTL_PAUSED, __ATOMIC_RELAXED);
	return 0;
}

int
emit_sender_paused(const struct emit_sender *s)
{
	if (s == NULL)
		return -EINVAL;
	return (__atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED) &
		EMIT__CTL_PAUSED) != 0;
}

int
emit_sender_rate_set(struct emit_sender *s, uint64_t rate)
{
	if (s == NULL || rate > EMIT_RATE_MAX)
		return -EINVAL;
	/* Release pairs with the owner's acquire load in emit__gate_slow:
	 * whoever sees the new generation sees the new rate. */
	__atomic_store_n(&s->ctl.rate, rate, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->ctl.word, EMIT__CTL_GEN, __ATOMIC_RELEASE);
	return 0;
}

uint64_t
emit_sender_rate_get(const struct emit_sender *s)
{
	if (s == NULL)
		return 0;
	return __atomic_load_n(&s->ctl.rate, __ATOMIC_RELAXED);
}

int
emit_sender_rate_unit(const struct emit_sender *s)
{
	return s != NULL ? (int)s->rate_unit : -EINVAL;
}

uint64_t
emit_sender_rate_achieved(const struct emit_sender *s)
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t now, done;

	if (s == NULL)
		return 0;
	now = s->clock != NULL ? s->clock(s->clock_arg) : rte_rdtsc();
	if (now == s->start_tsc)
		return 0;
	if (s->rate_unit == EMIT_RATE_BITS)
		done = (__atomic_load_n(&s->ctr.bytes_enqueued,
				__ATOMIC_RELAXED) + EMIT_WIRE_OVERHEAD *
			__atomic_load_n(&s->ctr.events_enqueued,
				__ATOMIC_RELAXED)) * 8;
	else
		done = __atomic_load_n(&s->ctr.events_committed,
			__ATOMIC_RELAXED);
	return (uint64_t)((u128)done * s->hz / (now - s->start_tsc));
}

int
emit_sender_congested(const struct emit_sender *s)
{
	if (s == NULL)
		return -EINVAL;
	return __atomic_load_n(&s->congested, __ATOMIC_RELAXED);
}
