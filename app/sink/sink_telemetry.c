/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-sink telemetry: /emit/sink, /emit/sink/senders, /emit/sink/sender.
 * The handlers run on the telemetry thread and read the tracker while the
 * receive loop writes it (relaxed loads, see emit_track.h). The lock only
 * keeps teardown from freeing the tracker under a handler; the receive
 * loop never takes it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_rwlock.h>
#include <rte_telemetry.h>

#include "sink.h"

static rte_rwlock_t sink_lock = RTE_RWLOCK_INITIALIZER;
static struct sink *sink_ref;

static void
add_latency(struct rte_tel_data *d, const struct emit_latency *l)
{
	rte_tel_data_add_dict_u64(d, "latency_count", l->count);
	rte_tel_data_add_dict_u64(d, "latency_negative", l->negative);
	rte_tel_data_add_dict_u64(d, "latency_min_ns", l->min);
	rte_tel_data_add_dict_u64(d, "latency_p50_ns", l->p50);
	rte_tel_data_add_dict_u64(d, "latency_p90_ns", l->p90);
	rte_tel_data_add_dict_u64(d, "latency_p99_ns", l->p99);
	rte_tel_data_add_dict_u64(d, "latency_p999_ns", l->p999);
	rte_tel_data_add_dict_u64(d, "latency_max_ns", l->max);
}

static int
sink_totals(struct sink *k, struct rte_tel_data *d)
{
	struct emit_track_totals t;
	struct emit_latency lat;
	struct rte_tel_data *m;
	int i, rc;

	rc = emit_track_merge_totals_get(SINK_TRACKS(k), &t);
	if (rc == 0)
		rc = emit_track_merge_latency_get(SINK_TRACKS(k), EMIT_TRACK_ALL, &lat);
	if (rc != 0)
		return rc;
	m = rte_tel_data_alloc();
	if (m == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "state",
		__atomic_load_n(&k->end_tsc, __ATOMIC_RELAXED) == 0 ?
		"running" : "stopped");
	rte_tel_data_add_dict_string(d, "stop_reason", sink_stop_name(
		__atomic_load_n(&k->stop, __ATOMIC_RELAXED)));
	rte_tel_data_add_dict_u64(d, "elapsed_ms",
		(uint64_t)(sink_elapsed_s(k) * 1000));
	rte_tel_data_add_dict_u64(d, "ports", k->nb_ports);
	rte_tel_data_add_dict_u64(d, "rx_queues", k->nb_rxq);
	rte_tel_data_add_dict_u64(d, "rx_lcores", k->nb_lcores);
	rte_tel_data_add_dict_u64(d, "frames", t.frames);
	rte_tel_data_add_dict_u64(d, "events", t.events);
	rte_tel_data_add_dict_u64(d, "bytes", t.bytes);
	rte_tel_data_add_dict_u64(d, "senders", t.senders);
	rte_tel_data_add_dict_u64(d, "lost", t.lost);
	rte_tel_data_add_dict_u64(d, "reordered", t.reordered);
	rte_tel_data_add_dict_u64(d, "duplicated", t.duplicated);
	rte_tel_data_add_dict_u64(d, "stale", t.stale);
	rte_tel_data_add_dict_u64(d, "malformed", t.malformed);
	rte_tel_data_add_dict_u64(d, "other", t.other);
	rte_tel_data_add_dict_u64(d, "untracked", t.untracked);
	add_latency(d, &lat);
	rte_tel_data_start_dict(m);
	for (i = 0; i < EMIT_MALFORMED_MAX; i++)
		rte_tel_data_add_dict_u64(m,
			emit_malformed_name((enum emit_malformed)i),
			t.malformed_by[i]);
	/* keep = 0: the telemetry library frees m with d. */
	if (rte_tel_data_add_dict_container(d, "malformed_by", m, 0) != 0) {
		rte_tel_data_free(m);
		return -ENOMEM;
	}
	return 0;
}

static int
sink_senders(struct sink *k, struct rte_tel_data *d)
{
	uint16_t *ids;
	int n, i;

	n = emit_track_merge_senders(SINK_TRACKS(k), NULL, 0);
	if (n < 0)
		return n;
	rte_tel_data_start_array(d, RTE_TEL_U64_VAL);
	if (n == 0)
		return 0;
	ids = calloc((size_t)n, sizeof(*ids));
	if (ids == NULL)
		return -ENOMEM;
	n = RTE_MIN(n, emit_track_merge_senders(SINK_TRACKS(k), ids, (unsigned int)n));
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_u64(d, ids[i]);
	free(ids);
	return 0;
}

static int
sink_sender(struct sink *k, const char *params, struct rte_tel_data *d)
{
	struct emit_track_sender_stats st;
	struct emit_latency lat;
	unsigned long id;
	char *end;
	int rc;

	if (params == NULL || params[0] < '0' || params[0] > '9')
		return -EINVAL;
	errno = 0;
	id = strtoul(params, &end, 10);
	if (errno != 0 || *end != '\0' || id > UINT16_MAX)
		return -EINVAL;
	rc = emit_track_merge_sender_get(SINK_TRACKS(k), (uint16_t)id, &st);
	if (rc == 0)
		rc = emit_track_merge_latency_get(SINK_TRACKS(k), (int)id, &lat);
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", st.id);
	rte_tel_data_add_dict_u64(d, "received", st.received);
	rte_tel_data_add_dict_u64(d, "bytes", st.bytes);
	rte_tel_data_add_dict_u64(d, "first_seq", st.first_seq);
	rte_tel_data_add_dict_u64(d, "last_seq", st.last_seq);
	rte_tel_data_add_dict_u64(d, "lost", st.lost);
	rte_tel_data_add_dict_u64(d, "lost_gaps", st.lost_gaps);
	rte_tel_data_add_dict_u64(d, "lost_tail", st.lost_tail);
	rte_tel_data_add_dict_u64(d, "reordered", st.reordered);
	rte_tel_data_add_dict_u64(d, "duplicated", st.duplicated);
	rte_tel_data_add_dict_u64(d, "stale", st.stale);
	add_latency(d, &lat);
	return 0;
}

/* One handler for the three commands: a bad or unknown parameter gets an
 * error reply (a negative return), never a crash. */
static int
handle(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int rc;

	rte_rwlock_read_lock(&sink_lock);
	if (sink_ref == NULL)
		rc = -ENODEV;
	else if (strcmp(cmd, "/emit/sink") == 0)
		rc = params != NULL && params[0] != '\0' ? -EINVAL :
			sink_totals(sink_ref, d);
	else if (strcmp(cmd, "/emit/sink/senders") == 0)
		rc = params != NULL && params[0] != '\0' ? -EINVAL :
			sink_senders(sink_ref, d);
	else
		rc = sink_sender(sink_ref, params, d);
	rte_rwlock_read_unlock(&sink_lock);
	return rc;
}

int
sink_telemetry_register(struct sink *k)
{
	int rc;

	rte_rwlock_write_lock(&sink_lock);
	sink_ref = k;
	rte_rwlock_write_unlock(&sink_lock);
	rc = rte_telemetry_register_cmd("/emit/sink", handle,
		"Receive totals of emit-sink. No parameters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/emit/sink/senders", handle,
			"Ids of the senders emit-sink follows. No parameters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/emit/sink/sender", handle,
			"Counters and latency of one sender. Parameter: id");
	return rc;
}

void
sink_telemetry_detach(void)
{
	rte_rwlock_write_lock(&sink_lock);
	sink_ref = NULL;
	rte_rwlock_write_unlock(&sink_lock);
}
