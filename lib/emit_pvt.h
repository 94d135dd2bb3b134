/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_PVT_H
#define EMIT_PVT_H

/* Library internals: logging and the registry of live objects. */

#include <rte_log.h>
#include <rte_spinlock.h>

#include "emit.h"

extern int emit_logtype;

#define EMIT_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, emit_logtype, "emit: " __VA_ARGS__)

/* The registry maps ids to live senders and TX stages for telemetry and
 * for closing senders when their TX stage stops. Control path only; its
 * lock is never taken on the data path. */
extern rte_spinlock_t emit__reg_lock;
extern struct emit_sender *emit__reg_senders[EMIT_SENDERS_MAX];
extern struct emit_tx *emit__reg_txs[EMIT_TX_MAX];

int emit__reg_sender_add(struct emit_sender *s);
void emit__reg_sender_del(const struct emit_sender *s);
int emit__reg_tx_add(struct emit_tx *tx);
void emit__reg_tx_del(struct emit_tx *tx);
/* Mark closed every sender whose ring is @p r. */
void emit__reg_close_ring(const struct rte_ring *r);

/* Register the /emit telemetry commands (lib/emit_telemetry.c); called
 * once at load. */
void emit__telemetry_register(void);

/*
 * Parse the parameters of a telemetry command (lib/emit_telemetry.c):
 * @p params must be exactly @p n comma-separated decimal integers, the
 * i-th at most max[i] (out[i] receives it): digits only (no sign, space,
 * base prefix or exponent), no empty field, nothing after the last. With
 * @p n 0, @p params must be NULL. Returns 0 or -EINVAL. Any thread.
 */
int emit__tel_parse(const char *params, unsigned int n, const uint64_t *max,
		uint64_t *out);

/* Free the batch, counting it under @p reason. */
void emit__drop_batch(struct emit_sender *s, enum emit_drop_reason reason);

/* The 8 bytes PMDs call rearm_data for a frame at @p data_off: data_off,
 * refcnt 1, nb_segs 1, port invalid, as rte_pktmbuf_reset() leaves them. */
uint64_t emit__rearm(uint16_t data_off);
/* Offer held events again; returns how many the ring took. */
unsigned int emit__retry_held(struct emit_sender *s, uint64_t now);
/* Token bucket at create: rate, depth, one event's worth of tokens. */
void emit__tb_init(struct emit_sender *s, uint64_t rate, uint64_t now);
/* Apply a new rate limit at @p now (owner only). */
void emit__apply_rate(struct emit_sender *s, uint64_t rate, uint64_t now);
/* End the open congestion spell, if any, without a hook (owner only). */
void emit__congestion_close(struct emit_sender *s, uint64_t now);
/* congested_ns including the open spell. Any thread. */
uint64_t emit__congested_ns_read(const struct emit_sender *s);

#endif /* EMIT_PVT_H */
