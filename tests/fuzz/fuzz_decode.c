/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the receive side, emit_decode() and the tracker.
 *
 * The input is decoded once as one frame, then read as a stream of
 * frames, each a 2-byte little-endian length and that many bytes (the
 * last one cut short if the input ends), which are decoded and recorded
 * in two trackers (counting from 0, and joining at the first seq), whose
 * first input byte picks the window and the expected count.
 *
 * Beyond "no crash, no sanitizer report", the documented contracts are
 * checked: a decoded event's fields are the frame's bytes at their fixed
 * offsets and its payload lies inside the frame; a refusal has a reason
 * with a name; and for every sender the tracker's books balance:
 *   received = (last_seq + 1 - first tracked seq) - lost_gaps
 *              + duplicated + stale
 * with the totals the sums of the senders.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include <emit.h>

#include "fuzz_eal.h"

#define TRK_SENDERS 8

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)be16_at(p) << 16 | be16_at(p + 2);
}

static uint64_t
be64_at(const uint8_t *p)
{
	return (uint64_t)be32_at(p) << 32 | be32_at(p + 4);
}

/* Decode [data, data + len) and check the result against the bytes. */
static int
decode_checked(const uint8_t *data, uint32_t len, struct emit_decoded *ev)
{
	const uint8_t *h = data + EMIT_L2L4_LEN;
	struct emit_decoded again;
	int rc, r;

	/* Zeroed, padding included, so that the two results compare. */
	memset(ev, 0, sizeof(*ev));
	memset(&again, 0, sizeof(again));
	rc = emit_decode(len != 0 ? data : NULL, len, ev);
	FUZZ_CHECK(rc == emit_decode(len != 0 ? data : NULL, len, &again));
	if (rc != 0) {
		r = emit_decode_reason(rc);
		FUZZ_CHECK(r >= 0 && r < EMIT_MALFORMED_MAX);
		FUZZ_CHECK(rc == EMIT_DECODE_ERR(r));
		FUZZ_CHECK(emit_malformed_name((enum emit_malformed)r) != NULL);
		return rc;
	}
	/* Any accepted stack: the frame and its payload lie in the input. */
	FUZZ_CHECK(ev->frame_len <= len);
	FUZZ_CHECK(ev->payload_len <= ev->frame_len);
	FUZZ_CHECK(ev->payload_len == 0 || (ev->payload >= data &&
		ev->payload + ev->payload_len <= data + ev->frame_len));
	/* The layout checked byte by byte below is the untagged IPv4 frame
	 * with the full header; VLAN, IPv6 and the compact header are
	 * checked against the frame module in tests/unit/test_frame.c. */
	if (ev->nb_vlan != 0 || ev->l3 != EMIT_L3_IPV4 ||
	    ev->version != EMIT_VERSION)
		return 0;
	FUZZ_CHECK(len >= EMIT_FRAME_OVERHEAD);
	FUZZ_CHECK(be16_at(data + 12) == 0x0800);
	FUZZ_CHECK(data[14] == 0x45 && data[23] == 17);
	FUZZ_CHECK(ev->frame_len <= len);
	FUZZ_CHECK(ev->frame_len == 14u + be16_at(data + 16));
	FUZZ_CHECK(ev->payload == data + EMIT_FRAME_OVERHEAD);
	FUZZ_CHECK(ev->payload_len == be16_at(data + 38) - 8u - EMIT_HDR_LEN);
	FUZZ_CHECK(EMIT_FRAME_OVERHEAD + ev->payload_len <= ev->frame_len);
	FUZZ_CHECK(memcmp(ev->dst_mac.addr_bytes, data, 6) == 0);
	FUZZ_CHECK(memcmp(ev->src_mac.addr_bytes, data + 6, 6) == 0);
	FUZZ_CHECK(ev->src_ip == be32_at(data + 26));
	FUZZ_CHECK(ev->dst_ip == be32_at(data + 30));
	FUZZ_CHECK(ev->src_port == be16_at(data + 34));
	FUZZ_CHECK(ev->dst_port == be16_at(data + 36));
	FUZZ_CHECK(be16_at(h) == EMIT_MAGIC);
	FUZZ_CHECK(ev->version == EMIT_VERSION && h[2] == EMIT_VERSION);
	FUZZ_CHECK(ev->flags == h[3]);
	FUZZ_CHECK(ev->type == be16_at(h + 4));
	FUZZ_CHECK(ev->sender == be16_at(h + 6));
	FUZZ_CHECK(ev->seq == be64_at(h + 8));
	FUZZ_CHECK(ev->time_ns == be64_at(h + 16));
	FUZZ_CHECK(memcmp(ev, &again, sizeof(again)) == 0);
	return 0;
}

/* The books of each sender and the totals. */
static void
track_check(const struct emit_track *t, int join)
{
	struct emit_track_totals tot;
	struct emit_track_sender_stats st;
	uint16_t ids[TRK_SENDERS];
	uint64_t sum_rx = 0, sum_lost = 0, sum_re = 0, sum_dup = 0;
	uint64_t sum_stale = 0, mal = 0;
	int n, i;

	FUZZ_CHECK(emit_track_totals_get(t, &tot) == 0);
	n = emit_track_senders(t, ids, TRK_SENDERS);
	FUZZ_CHECK(n >= 0 && n <= TRK_SENDERS && (uint64_t)n == tot.senders);
	for (i = 0; i < n; i++) {
		uint64_t first;

		FUZZ_CHECK(emit_track_sender_get(t, ids[i], &st) == 0);
		FUZZ_CHECK(st.id == ids[i]);
		first = join ? st.first_seq : 0;
		FUZZ_CHECK(st.last_seq >= first);
		FUZZ_CHECK(st.received == st.last_seq + 1 - first -
			st.lost_gaps + st.duplicated + st.stale);
		FUZZ_CHECK(st.lost == st.lost_gaps + st.lost_tail);
		sum_rx += st.received;
		sum_lost += st.lost;
		sum_re += st.reordered;
		sum_dup += st.duplicated;
		sum_stale += st.stale;
	}
	for (i = 0; i < EMIT_MALFORMED_MAX; i++)
		mal += tot.malformed_by[i];
	FUZZ_CHECK(mal == tot.malformed);
	FUZZ_CHECK(tot.frames == tot.events + tot.malformed + tot.other);
	FUZZ_CHECK(tot.events == sum_rx + tot.untracked);
	FUZZ_CHECK(tot.lost == sum_lost && tot.reordered == sum_re);
	FUZZ_CHECK(tot.duplicated == sum_dup && tot.stale == sum_stale);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_eal_init("decode", false);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emit_track_conf tc;
	struct emit_track *t[2];
	struct emit_decoded ev;
	size_t off = 1;
	uint64_t rx_ns = 1000000;
	int k, rc, v;

	if (size > UINT32_MAX)
		return 0;
	decode_checked(data, (uint32_t)size, &ev);
	if (size == 0)
		return 0;

	emit_track_conf_init(&tc);
	tc.max_senders = TRK_SENDERS;
	tc.window = 64u << (data[0] & 3);
	tc.expect_count = data[0] & 4 ? (uint64_t)(data[0] >> 3) * 7 : 0;
	for (k = 0; k < 2; k++) {
		tc.join = k;
		t[k] = emit_track_create(&tc);
		FUZZ_CHECK(t[k] != NULL);
	}
	while (off + 2 <= size) {
		size_t len = (size_t)data[off] | (size_t)data[off + 1] << 8;

		off += 2;
		if (len > size - off)
			len = size - off;
		rc = decode_checked(data + off, (uint32_t)len, &ev);
		for (k = 0; k < 2; k++) {
			if (rc == 0) {
				v = emit_track_event(t[k], &ev, rx_ns);
				FUZZ_CHECK((v >= EMIT_TRACK_IN_ORDER &&
					v <= EMIT_TRACK_STALE) || v == -ENOSPC);
			} else {
				FUZZ_CHECK(emit_track_malformed(t[k],
					(enum emit_malformed)
					emit_decode_reason(rc)) == 0);
			}
		}
		rx_ns += 997;
		off += len;
	}
	for (k = 0; k < 2; k++) {
		track_check(t[k], k);
		emit_track_free(t[k]);
	}
	return 0;
}
