/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink: frames by size bucket, events by VLAN tag stack. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "common/json.h"
#include "sink_frames.h"

static const uint32_t bucket_low[SINK_SIZE_BUCKETS] = {
	0, 60, 128, 256, 512, 1024, 1519,
};

static const char *const bucket_name[SINK_SIZE_BUCKETS] = {
	"0-59", "60-127", "128-255", "256-511", "512-1023", "1024-1518",
	"1519-max",
};

unsigned int
sink_size_bucket(uint32_t len)
{
	unsigned int b = SINK_SIZE_BUCKETS - 1;

	while (b > 0 && len < bucket_low[b])
		b--;
	return b;
}

const char *
sink_size_bucket_name(unsigned int b)
{
	return b < SINK_SIZE_BUCKETS ? bucket_name[b] : "?";
}

unsigned int
sink_event_vlans(const struct emit_decoded *ev, uint16_t vid[SINK_VLAN_TAGS])
{
	unsigned int n = RTE_MIN((unsigned int)ev->nb_vlan,
		(unsigned int)SINK_VLAN_TAGS), i;

	memset(vid, 0, SINK_VLAN_TAGS * sizeof(vid[0]));
	for (i = 0; i < n; i++)
		vid[i] = (uint16_t)(ev->vlan_tci[i] & 0x0fffu);
	return n;
}

static int
key_is(const struct sink_vlan_key *k, unsigned int n, const uint16_t *vid)
{
	unsigned int i;

	if (k->nb_tags != n)
		return 0;
	for (i = 0; i < n; i++)
		if (k->vid[i] != vid[i])
			return 0;
	return 1;
}

void
sink_frames_vlan(struct sink_frames *fm, const struct emit_decoded *ev)
{
	uint16_t vid[SINK_VLAN_TAGS];
	unsigned int n = sink_event_vlans(ev, vid), i;

	/* Traffic comes in runs of one stack: the last key first. */
	if (fm->nb_vlan != 0 && key_is(&fm->vlan[fm->last_vlan], n, vid)) {
		fm->vlan[fm->last_vlan].events++;
		return;
	}
	for (i = 0; i < fm->nb_vlan; i++)
		if (key_is(&fm->vlan[i], n, vid))
			break;
	if (i == fm->nb_vlan) {
		if (i == SINK_VLAN_KEYS) {
			fm->vlan_other++;
			return;
		}
		fm->vlan[i].nb_tags = (uint16_t)n;
		memcpy(fm->vlan[i].vid, vid, sizeof(vid));
		fm->nb_vlan++;
	}
	fm->vlan[i].events++;
	fm->last_vlan = i;
}

void
sink_frames_add(struct sink_frames *dst, const struct sink_frames *src)
{
	unsigned int i, j;

	for (i = 0; i < SINK_SIZE_BUCKETS; i++)
		dst->size[i] += src->size[i];
	for (i = 0; i < src->nb_vlan; i++) {
		const struct sink_vlan_key *k = &src->vlan[i];

		for (j = 0; j < dst->nb_vlan; j++)
			if (key_is(&dst->vlan[j], k->nb_tags, k->vid))
				break;
		if (j == dst->nb_vlan) {
			if (j == SINK_VLAN_KEYS) {
				dst->vlan_other += k->events;
				continue;
			}
			dst->vlan[j] = *k;
			dst->vlan[j].events = 0;
			dst->nb_vlan++;
		}
		dst->vlan[j].events += k->events;
	}
	dst->vlan_other += src->vlan_other;
}

/* "none", "100" or "100.200" (outer.inner). */
static void
key_name(const struct sink_vlan_key *k, char *buf, size_t len)
{
	if (k->nb_tags == 0)
		(void)snprintf(buf, len, "none");
	else if (k->nb_tags == 1)
		(void)snprintf(buf, len, "%u", k->vid[0]);
	else
		(void)snprintf(buf, len, "%u.%u", k->vid[0], k->vid[1]);
}

void
sink_frames_json(const struct sink_frames *fm, struct cli_json *w)
{
	char name[16];
	unsigned int i;

	cli_json_obj_begin(w, "sizes");
	for (i = 0; i < SINK_SIZE_BUCKETS; i++)
		cli_json_u64(w, bucket_name[i], fm->size[i]);
	cli_json_obj_end(w);
	cli_json_obj_begin(w, "vlans");
	for (i = 0; i < fm->nb_vlan; i++) {
		key_name(&fm->vlan[i], name, sizeof(name));
		cli_json_u64(w, name, fm->vlan[i].events);
	}
	if (fm->vlan_other != 0)
		cli_json_u64(w, "other", fm->vlan_other);
	cli_json_obj_end(w);
}

void
sink_frames_text(const struct sink_frames *fm, FILE *f)
{
	char name[16];
	unsigned int i;

	fprintf(f, "  sizes");
	for (i = 0; i < SINK_SIZE_BUCKETS; i++)
		if (fm->size[i] != 0)
			fprintf(f, " %s: %" PRIu64, bucket_name[i],
				fm->size[i]);
	fprintf(f, "\n  vlans");
	for (i = 0; i < fm->nb_vlan; i++) {
		key_name(&fm->vlan[i], name, sizeof(name));
		fprintf(f, " %s: %" PRIu64, name, fm->vlan[i].events);
	}
	if (fm->vlan_other != 0)
		fprintf(f, " other: %" PRIu64, fm->vlan_other);
	fprintf(f, "\n");
}
