/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink's frame mix: size bucket boundaries, VLAN stacks, report.
 * No EAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/json.h"
#include "sink_frames.h"

static void
test_buckets(void **state)
{
	static const struct { uint32_t len; const char *name; } b[] = {
		{ 0, "0-59" }, { 59, "0-59" }, { 60, "60-127" },
		{ 127, "60-127" }, { 128, "128-255" }, { 255, "128-255" },
		{ 256, "256-511" }, { 511, "256-511" }, { 512, "512-1023" },
		{ 1023, "512-1023" }, { 1024, "1024-1518" },
		{ 1518, "1024-1518" }, { 1519, "1519-max" },
		{ 9000, "1519-max" }, { UINT32_MAX, "1519-max" },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		assert_string_equal(sink_size_bucket_name(
			sink_size_bucket(b[i].len)), b[i].name);
	assert_string_equal(sink_size_bucket_name(SINK_SIZE_BUCKETS), "?");
}

/* Counts in the summary and the JSON report. */
static void
test_report(void **state)
{
	struct sink_frames *fm = calloc(1, sizeof(*fm));
	struct emit_decoded ev;
	struct cli_json w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	(void)state;
	assert_non_null(fm);
	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < 3; i++)
		sink_frames_size(fm, 60);
	sink_frames_size(fm, 9000);
	for (i = 0; i < 5; i++)
		sink_frames_vlan(fm, &ev);
	/* The VLAN id of each tag (the priority bits aside), outer first. */
	ev.nb_vlan = 1;
	ev.vlan_tci[0] = 0x2000 | 100;
	sink_frames_vlan(fm, &ev);
	sink_frames_vlan(fm, &ev);
	ev.nb_vlan = 2;
	ev.vlan_tci[1] = 200;
	sink_frames_vlan(fm, &ev);
	ev.nb_vlan = 0;
	sink_frames_vlan(fm, &ev);
	assert_int_equal(fm->nb_vlan, 3);
	assert_int_equal(fm->vlan[0].nb_tags, 0);
	assert_int_equal(fm->vlan[0].events, 6);
	assert_int_equal(fm->vlan[1].nb_tags, 1);
	assert_int_equal(fm->vlan[1].vid[0], 100);
	assert_int_equal(fm->vlan[1].events, 2);
	assert_int_equal(fm->vlan[2].nb_tags, 2);
	assert_int_equal(fm->vlan[2].vid[1], 200);
	assert_int_equal(fm->vlan[2].events, 1);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	sink_frames_text(fm, f);
	cli_json_init(&w, f);
	cli_json_obj_begin(&w, NULL);
	sink_frames_json(fm, &w);
	cli_json_obj_end(&w);
	assert_int_equal(cli_json_end(&w), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "  sizes 60-127: 3 1519-max: 1\n"));
	assert_non_null(strstr(buf, "  vlans none: 6 100: 2 100.200: 1\n"));
	assert_non_null(strstr(buf, "\"60-127\": 3"));
	assert_non_null(strstr(buf, "\"0-59\": 0"));
	assert_non_null(strstr(buf, "\"1519-max\": 1"));
	assert_non_null(strstr(buf, "\"none\": 6"));
	assert_non_null(strstr(buf, "\"100.200\": 1"));
	free(buf);
	free(fm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
