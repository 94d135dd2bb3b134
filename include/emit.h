/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_H
#define EMIT_H

/**
 * @file
 * emit: build events in mbufs on producer lcores and transmit them at
 * line rate through rings and TX stages. Include this header only.
 *
 * Errors: functions return >= 0 on success and a negative errno value on
 * failure; functions returning a pointer return NULL and set rte_errno.
 *
 * The API is what these headers declare, less what is marked @internal:
 * emit_sender_pvt.h (the sender's layout and the helpers its inline fast
 * path uses) is installed for the inline code only and is never included
 * directly. libemit.so exports the functions of the API (version EMIT_0.1)
 * and, apart (EMIT_INTERNAL), the slow paths that inline code calls.
 */

#include "emit_wire.h"
#include "emit_frame.h"
#include "emit_types.h"
#include "emit_stats.h"
#include "emit_sender.h"
#include "emit_clock.h"
#include "emit_event.h"
#include "emit_tx.h"
#include "emit_pipeline.h"
#include "emit_pool.h"
#include "emit_decode.h"
#include "emit_track.h"
#include "emit_hist.h"
#include "emit_xstats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Library version string, "MAJOR.MINOR.PATCH"; never fails. Any thread. */
const char *emit_version(void);

/** Most senders alive at once. */
#define EMIT_SENDERS_MAX 256
/** Most TX stages alive at once. */
#define EMIT_TX_MAX 64

#ifdef __cplusplus
}
#endif

#endif /* EMIT_H */
