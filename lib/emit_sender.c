/* SPDX-License-Identifier: BSD-3-Clause */
/* Sender control path: configuration, create, close, free, stats. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>

#include "emit_pvt.h"

#define EMIT_LINGER_US_MAX 60000000u
#define EMIT_SPIN_US_MAX 1000000u
#define EMIT_RATE_BURST_MAX 1000000u

void
emit_sender_conf_init(struct emit_sender_conf *conf)
{
	static const struct rte_ether_addr src = {{ 2, 0, 0, 0, 0, 1 }};
	static const struct rte_ether_addr dst = {{ 2, 0, 0, 0, 0, 2 }};

	if (conf == NULL)
		return;
	memset(conf, 0, sizeof(*conf));
	conf->socket_id = SOCKET_ID_ANY;
	conf->burst = 32;
	conf->policy = EMIT_POLICY_DROP;
	conf->spin_us = 100;
	conf->flow.src_mac = src;
	conf->flow.dst_mac = dst;
	conf->flow.src_ip = RTE_IPV4(10, 0, 0, 1);
	conf->flow.dst_ip = RTE_IPV4(10, 0, 0, 2);
	conf->flow.src_port = 9000;
	conf->flow.dst_port = 9001;
	conf->flow.nb_flows = 1;
	conf->flow.ttl = 64;
}

static int
conf_invalid(const char *field, const char *why)
{
	EMIT_LOG(ERR, "sender config: %s %s\n", field, why);
	return -EINVAL;
}

static int
conf_check(const struct emit_sender_conf *c)
{
	unsigned int cap, esize;

	if (c->socket_id != SOCKET_ID_ANY &&
	    (c->socket_id < 0 || c->socket_id >= RTE_MAX_NUMA_NODES))
		return conf_invalid("socket_id", "is not a NUMA socket");
	if (c->mp == NULL)
		return conf_invalid("mp", "is NULL");
	if (c->mp->private_data_size < sizeof(struct rte_pktmbuf_pool_private))
		return conf_invalid("mp", "is not a pktmbuf pool");
	if (rte_pktmbuf_data_room_size(c->mp) < EMIT_FRAME_OVERHEAD + 16)
		return conf_invalid("mp", "has mbufs too small for a frame");
	if (c->ring == NULL)
		return conf_invalid("ring", "is NULL");
	if (c->desc_ring != 0 && c->desc_ring != 1)
		return conf_invalid("desc_ring", "must be 0 or 1");
	if (c->desc_ring &&
	    (rte_pktmbuf_priv_flags(c->mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF))
		return conf_invalid("desc_ring", "needs mbufs whose buffer "
			"follows them (mp has pinned external buffers)");
	/* A descriptor sender writes 16-byte elements, a pointer sender 8:
	 * the other kind of ring would be written past its memory or read
	 * as garbage by the consumer. */
	esize = c->desc_ring ? sizeof(struct emit_desc) : sizeof(void *);
	if (!emit__ring_fits(c->ring, esize)) {
		EMIT_LOG(ERR, "sender config: ring %s has %u-byte elements, "
			"a %s sender needs %u\n", c->ring->name,
			emit__ring_esize(c->ring), c->desc_ring ?
			"descriptor (desc_ring 1)" : "pointer (desc_ring 0)",
			esize);
		return -EINVAL;
	}
	cap = rte_ring_get_capacity(c->ring);
	if (c->burst == 0 || c->burst > EMIT_BURST_MAX)
		return conf_invalid("burst", "must be 1..64");
	if (c->burst > cap)
		return conf_invalid("burst", "exceeds the ring capacity");
	if (c->linger_us > EMIT_LINGER_US_MAX)
		return conf_invalid("linger_us", "must be at most 60000000");
	if (c->policy != EMIT_POLICY_DROP && c->policy != EMIT_POLICY_HOLD &&
	    c->policy != EMIT_POLICY_SPIN)
		return conf_invalid("policy", "must be DROP, HOLD or SPIN");
	if (c->policy == EMIT_POLICY_SPIN &&
	    (c->spin_us == 0 || c->spin_us > EMIT_SPIN_US_MAX))
		return conf_invalid("spin_us", "must be 1..1000000 with SPIN");
	if (c->rate > EMIT_RATE_MAX)
		return conf_invalid("rate", "exceeds EMIT_RATE_MAX");
	if (c->rate_unit != EMIT_RATE_EVENTS && c->rate_unit != EMIT_RATE_BITS)
		return conf_invalid("rate_unit", "must be EVENTS or BITS");
	if (c->rate_burst > EMIT_RATE_BURST_MAX)
		return conf_invalid("rate_burst", "must be at most 1000000");
	if (c->wm_high > cap)
		return conf_invalid("wm_high", "exceeds the ring capacity");
	if (c->wm_high != 0 && c->wm_low >= c->wm_high)
		return conf_invalid("wm_low", "must be below wm_high");
	if (c->wm_high == 0 && (c->wm_low != 0 || c->early_backpressure))
		return conf_invalid("wm_high", "is 0 but watermarks are used");
	if (c->flow.nb_flows == 0)
		return conf_invalid("flow.nb_flows", "must be at least 1");
	if ((uint32_t)c->flow.src_port + c->flow.nb_flows - 1 > UINT16_MAX)
		return conf_invalid("flow.nb_flows",
			"makes UDP source ports exceed 65535");
	if (c->flow.ttl == 0)
		return conf_invalid("flow.ttl", "must be at least 1");
	if (c->flow.dscp > 63)
		return conf_invalid("flow.dscp", "must be 0..63");
	if (c->frame != NULL && emit_frame_conf_check(c->frame) != 0)
		return conf_invalid("frame", "is invalid");
	/* The legacy flow's frames are IPv4 without a UDP checksum. */
	if (emit__frame_offload_check(c->frame != NULL ? c->frame->l3 :
			EMIT_L3_IPV4, c->frame != NULL && c->frame->udp_csum,
			c->tx_offloads) != 0)
		return conf_invalid("tx_offloads", "does not fit the frames");
	if (c->clock != NULL && c->clock_hz == 0)
		return conf_invalid("clock_hz", "is 0 with a clock");
	if (c->clock_hz > EMIT_CLOCK_HZ_MAX)
		return conf_invalid("clock_hz", "exceeds EMIT_CLOCK_HZ_MAX");
	if (c->clock == NULL && c->clock_hz != 0)
		return conf_invalid("clock_hz", "is set without a clock");
	return 0;
}

/* The frames of the legacy flow: fixed fields, nb_flows consecutive
 * UDP source ports in turn, sizes from the claims. */
static void
flow_frame(struct emit_frame_conf *fc, const struct emit_flow *fl)
{
	emit_frame_conf_init(fc);
	fc->src_mac.lo = fl->src_mac;
	fc->src_mac.hi = fl->src_mac;
	fc->dst_mac.lo = fl->dst_mac;
	fc->dst_mac.hi = fl->dst_mac;
	emit_ip_range_set4(&fc->src_ip, fl->src_ip, fl->src_ip);
	emit_ip_range_set4(&fc->dst_ip, fl->dst_ip, fl->dst_ip);
	fc->src_port.lo = fl->src_port;
	fc->src_port.hi = (uint16_t)(fl->src_port + fl->nb_flows - 1);
	fc->dst_port.lo = fl->dst_port;
	fc->dst_port.hi = fl->dst_port;
	fc->ttl = fl->ttl;
	fc->dscp = fl->dscp;
}

/* Frame start inside the buffer: as close to the default headroom as the
 * room allows with the payload 8-byte aligned, and at least 8 bytes in for
 * the commit tick (emit_commit_tick). Buffers start 8-byte aligned (mbuf
 * size and private size are multiples of 8). create checks that the room
 * holds at least @p ovh + 16, so base >= 16 and the result >= 9. */
uint64_t
emit__rearm(uint16_t data_off)
{
	struct rte_mbuf proto;
	uint64_t r;

	memset(&proto, 0, sizeof(proto));
	proto.data_off = data_off;
	rte_mbuf_refcnt_set(&proto, 1);
	proto.nb_segs = 1;
	proto.port = RTE_MBUF_PORT_INVALID;
	memcpy(&r, &proto.rearm_data, sizeof(r));
	return r;
}

static uint16_t
frame_offset(uint16_t room, uint16_t ovh)
{
	uint16_t base = RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
		(uint16_t)(room - ovh));
	uint16_t mis = (uint16_t)((base + ovh) & 7);

	return (uint16_t)(base - mis);
}

struct emit_sender *
emit_sender_create(const struct emit_sender_conf *conf)
{
	struct emit_frame_conf fc;
	struct emit_sender *s;
	struct timespec ts;
	uint16_t room, ovh;
	uint32_t tcopy;
	int fmax;
	uint64_t now;
	int socket, rc;

	if (conf == NULL) {
		conf_invalid("conf", "is NULL");
		rte_errno = EINVAL;
		return NULL;
	}
	rc = conf_check(conf);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	if (conf->frame != NULL)
		fc = *conf->frame;
	else
		flow_frame(&fc, &conf->flow);
	/* The largest frame of the mix and the template copy must fit the
	 * room past the frame offset (at least 9 bytes in). */
	room = rte_pktmbuf_data_room_size(conf->mp);
	ovh = (uint16_t)(emit_frame_l2l4_len(&fc) + EMIT_HDR_LEN);
	fmax = emit_frame_len_max(&fc, 0);
	tcopy = ovh - EMIT_HDR_LEN + 8u <= 64u ? 64u : EMIT__TMPL_LEN;
	if (fmax < 0 || room < ovh + 16u ||
	    (uint32_t)frame_offset(room, ovh) + RTE_MAX((uint32_t)fmax, tcopy)
	    > room) {
		conf_invalid("mp", "has mbufs too small for the frames");
		rte_errno = EINVAL;
		return NULL;
	}
	socket = conf->socket_id == SOCKET_ID_ANY ?
		conf->mp->socket_id : conf->socket_id;
	s = rte_zmalloc_socket("emit_sender", sizeof(*s), RTE_CACHE_LINE_SIZE,
			socket);
	if (s == NULL) {
		EMIT_LOG(ERR, "sender %u: no memory\n", conf->id);
		rte_errno = ENOMEM;
		return NULL;
	}
	/* The name only labels logs and telemetry: a longer one is cut to
	 * fit, on purpose. */
	if (conf->name != NULL)
		(void)snprintf(s->name, sizeof(s->name), "%s", conf->name);
	else
		(void)snprintf(s->name, sizeof(s->name), "sender%u", conf->id);
	s->id = conf->id;
	s->ring = conf->ring;
	s->mp = conf->mp;
	s->burst = conf->burst;
	s->ring_cap = rte_ring_get_capacity(conf->ring);
	s->data_off = frame_offset(room, ovh);
	s->desc = (uint8_t)conf->desc_ring;
	/* rte_pktmbuf_init puts the buffer right after the mbuf and its
	 * private area; detach restores it there. */
	s->frame_off = (uint32_t)(sizeof(struct rte_mbuf) +
		rte_pktmbuf_priv_size(conf->mp) + s->data_off);
	s->max_len = (uint16_t)RTE_MIN((uint32_t)room - s->data_off - ovh,
			(uint32_t)UINT16_MAX - ovh);
	/* A raw frame fills the room after the headroom. */
	s->max_frame = (uint16_t)RTE_MIN((uint32_t)room - s->data_off,
			(uint32_t)UINT16_MAX);
	s->policy = (uint8_t)conf->policy;
	s->clock = conf->clock;
	s->clock_arg = conf->clock_arg;
	s->hz = conf->clock != NULL ? conf->clock_hz : rte_get_tsc_hz();
	s->ns_mult = (1000000000ull << 32) / s->hz;
	s->linger_us = conf->linger_us;
	s->linger_tsc = conf->linger_us * s->hz / 1000000;
	if (conf->linger_us != 0 && s->linger_tsc == 0)
		s->linger_tsc = 1;
	s->spin_us = conf->spin_us;
	s->spin_tsc = RTE_MAX(conf->spin_us * s->hz / 1000000, (uint64_t)1);
	s->rate_burst = conf->rate_burst != 0 ? conf->rate_burst : conf->burst;
	s->ctl.rate = conf->rate;
	s->rate_unit = (uint8_t)conf->rate_unit;
	s->wm_high = conf->wm_high;
	s->wm_low = conf->wm_low;
	s->early_bp = conf->early_backpressure != 0;
	s->hooks = conf->hooks;
	s->socket_id = socket;
	s->rearm = emit__rearm(s->data_off);
	s->ol_init = (rte_pktmbuf_priv_flags(conf->mp) &
		RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) ? RTE_MBUF_F_EXTERNAL : 0;
	s->last_len = UINT16_MAX; /* above max_len: the first claim prepares */
	emit_hist_init(&s->wait_hist);
	rte_spinlock_init(&s->xbase.lock);
	emit__frame_setup(&s->fr, s->tmpl, s->tmpl_c, &fc, conf->id,
		conf->tx_offloads & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_UDP_CKSUM));

	now = s->clock != NULL ? s->clock(s->clock_arg) : rte_rdtsc();
	s->tsc_anchor = now;
	s->time_mult = s->ns_mult;
	if (!emit__clock_synced(s) || emit__clock_wall_ns(&s->ns_anchor) != 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		s->ns_anchor = (uint64_t)ts.tv_sec * 1000000000ull +
			(uint64_t)ts.tv_nsec;
	}
	/* Bit rates with a size mix charge a claim as the mix's largest
	 * frame (emit__tb_unit). */
	if (s->fr.size_mode != EMIT_SIZE_CLAIM) {
		int fmix = emit_frame_len_max(&fc, 0);

		s->tb_fmix = fmix > 0 ? (uint16_t)fmix : 0;
	}
	emit__tb_init(s, conf->rate, now);
	s->start_tsc = now;

	rc = emit__reg_sender_add(s);
	if (rc != 0) {
		/* -EINVAL was logged with the mismatch it found. */
		if (rc != -EINVAL)
			EMIT_LOG(ERR, "sender %u: %s\n", conf->id,
				rc == -EEXIST ? "id already in use" :
				"too many senders");
		rte_free(s);
		rte_errno = -rc;
		return NULL;
	}
	return s;
}

int
emit_sender_close(struct emit_sender *s)
{
	unsigned int taken = 0;

	if (s == NULL)
		return -EINVAL;
	if (s->slow & EMIT__SLOW_CLOSED)
		return 0;
	if (s->claim != NULL)
		emit_abort(s);
	emit_abort_burst(s);
	if (s->n_pending != 0) {
		uint32_t w = __atomic_load_n(&s->ctl.word, __ATOMIC_RELAXED);

		if (w & EMIT__CTL_CLOSED)
			emit__drop_closed(s);
		else
			taken = emit__close_offer(s, emit__now(s));
	}
	/* A closed sender is not congested: end the spell, no hook. */
	if (s->congested)
		emit__congestion_close(s, emit__now(s));
	if (s->n_stash != 0) {
		rte_mempool_put_bulk(s->mp, (void **)s->stash, s->n_stash);
		s->n_stash = 0;
	}
	EMIT__SLOW_SET(s, EMIT__SLOW_CLOSED);
	return (int)taken;
}

void
emit_sender_free(struct emit_sender *s)
{
	if (s == NULL)
		return;
	emit_sender_close(s);
	emit__reg_sender_del(s);
	rte_free(s);
}

int
emit_sender_stats_get(const struct emit_sender *s,
		struct emit_sender_stats *stats)
{
	const uint64_t *src;
	uint64_t *dst;
	size_t i;

	if (s == NULL || stats == NULL)
		return -EINVAL;
	src = (const uint64_t *)&s->ctr;
	dst = (uint64_t *)stats;
	/* Acquire pairs with the owner's release adds (EMIT__CTR_ADD_REL)
	 * to events_enqueued and dropped_*; events_committed is loaded
	 * again after all of them, so that the snapshot never shows more
	 * enqueued and dropped than committed. */
	for (i = 0; i < EMIT_SENDER_NB_STATS; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_ACQUIRE);
	stats->events_committed = __atomic_load_n(&s->ctr.events_committed,
		__ATOMIC_RELAXED);
	stats->congested_ns = emit__congested_ns_read(s);
	return 0;
}

void
emit__books_read(const struct emit_sender *s, struct emit__books *b)
{
	struct emit_sender_stats st;
	uint64_t raw;

	memset(&st, 0, sizeof(st));
	/* Subtrahends first, each an acquire load that pairs with the
	 * owner's release add (EMIT__CTR_ADD_REL): whoever sees a value of
	 * one of them sees every events_committed add made before it, and
	 * the counters only grow, so the committed loaded after them is at
	 * least their sum. Committed first, as before, would let an event
	 * be committed and enqueued between the loads and the difference
	 * wrap to about 2^64. */
	st.events_enqueued = __atomic_load_n(&s->ctr.events_enqueued,
		__ATOMIC_ACQUIRE);
	st.dropped_ring_full = __atomic_load_n(&s->ctr.dropped_ring_full,
		__ATOMIC_ACQUIRE);
	st.dropped_spin_timeout = __atomic_load_n(&s->ctr.dropped_spin_timeout,
		__ATOMIC_ACQUIRE);
	st.dropped_closed = __atomic_load_n(&s->ctr.dropped_closed,
		__ATOMIC_ACQUIRE);
	/* Ordered after the acquire loads above. */
	b->committed = __atomic_load_n(&s->ctr.events_committed,
		__ATOMIC_RELAXED);
	b->enqueued = st.events_enqueued;
	b->dropped = emit_sender_stats_dropped(&st);
	raw = b->committed - b->enqueued - b->dropped;
	b->pending_ok = raw <= s->burst;
	b->pending = RTE_MIN(raw, (uint64_t)s->burst);
}

uint64_t
emit_sender_pending(const struct emit_sender *s)
{
	struct emit__books b;

	if (s == NULL)
		return 0;
	/* Without counters (EMIT_METRICS 0), the batch: what is committed and
	 * neither enqueued nor dropped is in it. The owner writes n_pending
	 * with plain stores: the value is exact when the owner is quiescent,
	 * as the doc says. */
	if (!EMIT_METRICS)
		return __atomic_load_n(&s->n_pending, __ATOMIC_RELAXED);
	/* The counters of the sum only: emit_sender_stats_get would also
	 * read the clock, which this function's callers need not allow. */
	emit__books_read(s, &b);
	return b.pending;
}

uint16_t
emit_sender_id(const struct emit_sender *s)
{
	return s != NULL ? s->id : 0;
}

uint16_t
emit_sender_max_len(const struct emit_sender *s)
{
	return s != NULL ? s->max_len : 0;
}

uint32_t
emit_sender_max_frame(const struct emit_sender *s)
{
	return s != NULL ? s->max_frame : 0;
}
