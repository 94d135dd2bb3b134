/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SINK_FRAMES_H
#define SINK_FRAMES_H

/*
 * emit-sink's frame mix: every frame received counted by size bucket,
 * every event by its VLAN tags (as the decoder saw them). One per RX
 * queue, written by the lcore that polls it, merged by the report once
 * every lcore has stopped.
 */

#include <stdint.h>
#include <stdio.h>

#include <emit.h>

struct cli_json;

/* Size buckets, frame bytes without FCS: 0-59 (runts), 60-127, 128-255,
 * 256-511, 512-1023, 1024-1518, 1519 and more. */
#define SINK_SIZE_BUCKETS 7
/* Distinct VLAN tag stacks counted one by one; the rest in "other". */
#define SINK_VLAN_KEYS 64
/* Tags in a stack (QinQ: outer, inner). */
#define SINK_VLAN_TAGS 2

struct sink_vlan_key {
	uint16_t nb_tags;                 /* 0: untagged ("none") */
	uint16_t vid[SINK_VLAN_TAGS];     /* outer first */
	uint64_t events;
};

struct sink_frames {
	uint64_t size[SINK_SIZE_BUCKETS];
	struct sink_vlan_key vlan[SINK_VLAN_KEYS];
	unsigned int nb_vlan;
	unsigned int last_vlan;           /* the key the last event hit */
	uint64_t vlan_other;              /* beyond SINK_VLAN_KEYS stacks */
};

/* Bucket of a frame of @p len bytes. */
unsigned int sink_size_bucket(uint32_t len);
/* Its name, such as "60-127" or "1519-max". */
const char *sink_size_bucket_name(unsigned int b);

/* Count a frame received. */
static inline void
sink_frames_size(struct sink_frames *fm, uint32_t len)
{
	fm->size[sink_size_bucket(len)]++;
}

/* The VLAN tags of a decoded event (outer first) into @p vid; returns
 * how many (0: untagged). The one place that reads the decoder's view of
 * the tags. */
unsigned int sink_event_vlans(const struct emit_decoded *ev,
		uint16_t vid[SINK_VLAN_TAGS]);

/* Count a decoded event under its VLAN tag stack. */
void sink_frames_vlan(struct sink_frames *fm, const struct emit_decoded *ev);

/* Add @p src's counts into @p dst (the queues' mixes merged for the
 * report): sizes bucket by bucket, VLAN stacks key by key; a stack @p dst
 * has no room for goes to "other". */
void sink_frames_add(struct sink_frames *dst, const struct sink_frames *src);

/* "sizes" and "vlans" objects of the JSON report. */
void sink_frames_json(const struct sink_frames *fm, struct cli_json *w);
/* Two lines of the summary. */
void sink_frames_text(const struct sink_frames *fm, FILE *f);

#endif /* SINK_FRAMES_H */
