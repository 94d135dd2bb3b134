/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_PIPELINE_H
#define EMIT_PIPELINE_H

/**
 * @file
 * Pipeline: wires a whole emitter from ports, sender lcores and TX lcores.
 *
 * emit_pipeline_create() makes one mempool per NUMA socket that hosts a
 * sender (with emit_pool_create(): packed without hugepages), one SP/SC
 * ring per sender (on the sender's socket), the senders
 * (ids conf->sender.id + index), the TX stages (on their port's socket) and
 * configures and starts the ports, one TX queue per TX stage (with
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE where the port offers it and the
 * queue's senders all take mbufs from one pool, i.e. run on one socket:
 * emit_tx_fast_free() of the stage tells). Sender i
 * feeds TX stage i % nb_tx; TX stage j transmits on port
 * ports[j % nb_ports]. emit_pipeline_start() launches the worker lcores;
 * the main lcore, if it has a role, does its share in
 * emit_pipeline_poll_main(), which also calls emit_clock_resync() once a
 * second (call it in a loop whether or not the main lcore has a role). emit_pipeline_stop() stops the senders (their
 * batches go to the rings), then the TX stages (which drain the rings), so
 * nothing is left behind; emit_pipeline_free() releases everything.
 *
 * An lcore may run one sender and one TX stage (list it in both
 * sender_lcores and tx_lcores): it then alternates a step of the sender
 * and a round of the TX stage, run to completion, so that mbufs stay in
 * that lcore's cache instead of crossing to another core. A TX stage still
 * drains every ring assigned to it, wherever their senders run.
 *
 * Pool sizing rule (no -ENOMEM by construction): per socket,
 *   senders * (ring_size + 3 * EMIT_BURST_MAX)
 *   + tx_stages * EMIT_BURST_MAX + ports * tx queues * nb_txd
 *   + lcores * pool_cache * 3 / 2 + pool_cache
 * mbufs, unless conf->pool_size asks for a given size.
 *
 * All functions are control path and run on the main lcore unless said.
 */

#include <stdint.h>

#include "emit_sender.h"
#include "emit_tx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most ports, sender lcores or TX lcores of a pipeline. */
#define EMIT_PIPELINE_MAX 64

struct emit_pipeline;

/**
 * Work of one sender, called again and again on the sender's lcore until
 * the pipeline stops or it returns non-zero.
 *
 * @param s    the sender (owned by the calling lcore).
 * @param idx  index of the sender in the pipeline, 0..nb_senders-1.
 * @param arg  conf->step_arg.
 * @return 0 to be called again; > 0 when this sender is done; < 0 (a
 *   negative errno) to stop this sender with an error, which
 *   emit_pipeline_stop() returns. Then the pipeline flushes the sender's
 *   batch: one HOLD keeps from a full ring waits as long as the TX stage
 *   draining that ring makes progress or holds nothing (a TX lcore that
 *   lost the CPU only delays it), and at most 100 ms without progress
 *   while the stage holds a tail its port refused; then the sender is
 *   closed (what is left counts in dropped_closed).
 */
typedef int (*emit_pipeline_step_fn)(struct emit_sender *s, unsigned int idx,
		void *arg);

/** Configuration of a pipeline; start from emit_pipeline_conf_init(). */
struct emit_pipeline_conf {
	uint16_t ports[EMIT_PIPELINE_MAX];   /**< ports it configures */
	unsigned int nb_ports;               /**< >= 1, <= nb_tx */
	unsigned int sender_lcores[EMIT_PIPELINE_MAX]; /**< one per sender */
	unsigned int nb_senders;             /**< >= 1 */
	unsigned int tx_lcores[EMIT_PIPELINE_MAX];     /**< one per TX stage */
	unsigned int nb_tx;                  /**< >= 1 */
	/** Template of every sender; mp, ring are set by the pipeline and id
	 * is sender.id + index. sender.desc_ring chooses the kind of every
	 * ring (and of the TX stages): emit_pipeline_conf_init sets 1,
	 * descriptor rings; 0 gives rings of complete mbufs. With
	 * sender.frame set (read during emit_pipeline_create only), each
	 * port is configured with the MTU its largest frame needs when that
	 * exceeds 1500, and a port that takes less (emit_port_mtu_max())
	 * is refused (-EINVAL); mbuf_data_room must hold that frame. */
	struct emit_sender_conf sender;
	uint16_t tx_burst;                   /**< TX stage burst */
	uint32_t tx_retry_max;               /**< TX stage retry bound */
	enum emit_tx_policy tx_policy;       /**< TX stage policy */
	uint32_t tx_drop_us;                 /**< TX stage drop_us (DROP) */
	unsigned int ring_size;              /**< slots per ring, power of 2 */
	unsigned int pool_size;              /**< mbufs per pool; 0: the rule */
	unsigned int pool_cache;             /**< per-lcore mempool cache */
	uint16_t mbuf_data_room;             /**< mbuf data room incl. headroom */
	uint16_t nb_txd;                     /**< TX descriptors per queue */
	/** 1: emit_pipeline_free closes the ports (DPDK teardown); 0: it
	 * only stops them, so that the application may configure them again. */
	int close_ports;
	emit_pipeline_step_fn step;          /**< sender work, required */
	void *step_arg;                      /**< passed to step */
	/** Commit-to-TX latency sampling of every TX stage
	 * (emit_tx_conf.latency). */
	enum emit_tx_latency tx_latency;
	/** MTU the ports need for frames the pipeline cannot see in
	 * sender.frame (raw frames of emit_claim_raw(): their largest
	 * length after the Ethernet header and tags); 0: none. The ports
	 * get the larger of this and what sender.frame needs, when above
	 * 1500; a port that takes less (emit_port_mtu_max()) is refused
	 * (-EINVAL). */
	uint16_t mtu;
	/** 1 (emit_pipeline_conf_init): offload the checksums the frames
	 * carry where every port offers it (dev_info.tx_offload_capa) and
	 * it saves work: the UDP checksum of IPv6 frames and of IPv4 frames
	 * with sender.frame->udp_csum; the IPv4 header checksum with it, or
	 * when an IPv4 address is a range (a fixed header's checksum is
	 * cheaper in software). They are
	 * enabled in each port's txmode.offloads and given to every sender
	 * (emit_sender_conf.tx_offloads, which the pipeline sets) and TX
	 * stage (emit_tx_conf.desc_offload); emit_pipeline_csum_offloads()
	 * tells which. 0: every checksum in software. Senders that send raw
	 * frames (emit_claim_raw()) need 0. */
	int csum_offload;
};

/** Totals of a pipeline and its conservation check. */
struct emit_pipeline_totals {
	uint64_t committed;   /**< sum of senders' events_committed */
	uint64_t enqueued;    /**< sum of events_enqueued */
	uint64_t dropped;     /**< sum of senders' dropped_* */
	uint64_t pending;     /**< committed, not yet enqueued or dropped */
	uint64_t tx_sent;     /**< sum of TX stages' tx_sent */
	uint64_t tx_bytes;    /**< sum of tx_bytes */
	uint64_t tx_dropped;  /**< sum of TX stages' tx_dropped_* */
	uint64_t in_rings;    /**< events in the rings now */
	uint64_t tx_held;     /**< events the TX stages hold (emit_tx_held) */
	/** 1 if committed = enqueued + dropped + pending (with pending 0
	 * once stopped: closed senders hold nothing) and
	 * enqueued = tx_sent + tx_dropped + in_rings + tx_held. */
	int ok;
};

/**
 * The largest MTU port @p port_id takes: its max_mtu, or less when its
 * largest frame (max_rx_pktlen, less the Ethernet overhead) is smaller,
 * as rte_eth_dev_configure() checks an MTU. Control path, any thread.
 *
 * @return the MTU in bytes (>= RTE_ETHER_MIN_MTU), or:
 *   - -ENODEV: @p port_id is not a valid port;
 *   - -EIO: the port's information cannot be read, or gives no MTU of
 *     at least RTE_ETHER_MIN_MTU.
 */
int emit_port_mtu_max(uint16_t port_id);

/** Defaults: burst 32, ring 1024, pool cache 256, 2048-byte data room
 * (+ headroom), 1024 TX descriptors, TX retry 64, TX policy HOLD (drop_us
 * 1000 with DROP), latency sampled per TX
 * burst, ports closed at free, sender defaults of emit_sender_conf_init()
 * but for descriptor rings (sender.desc_ring 1). Any thread; NULL is
 * ignored. */
void emit_pipeline_conf_init(struct emit_pipeline_conf *conf);

/**
 * Create pools, rings, senders and TX stages, configure and start ports.
 * Control path, main lcore.
 *
 * @return the pipeline, or NULL with rte_errno set to:
 *   - EINVAL: impossible layout (a log line says which): no sender, TX
 *     stage or port; fewer TX stages than ports; more TX stages on a port
 *     than it has TX queues; an lcore given two senders or two TX stages,
 *     or not enabled; no step
 *     function; ring_size not a power of two or smaller than the burst;
 *     an invalid sender template or tx_latency;
 *   - ENODEV: a port id is not a valid port;
 *   - EEXIST: a sender id is in use;
 *   - ENOMEM: no memory for a pool, ring or object;
 *   - EIO: the port could not be configured, set up or started.
 */
struct emit_pipeline *emit_pipeline_create(const struct emit_pipeline_conf *conf);

/**
 * Launch the worker lcores (senders and TX stages not on the main lcore).
 *
 * @return 0, -EINVAL if @p p is NULL, -EALREADY if started, -EBUSY if an
 *   lcore is busy (nothing is launched then).
 */
int emit_pipeline_start(struct emit_pipeline *p);

/**
 * Do one step of the main lcore's roles: one call of the step function
 * (if it runs a sender), then a TX round (if it runs a TX stage); and,
 * once a second, emit_clock_resync() (event time on the wall clock).
 * Main lcore,
 * between emit_pipeline_start and emit_pipeline_stop.
 *
 * @return 0, or -EINVAL if @p p is NULL or not started.
 */
int emit_pipeline_poll_main(struct emit_pipeline *p);

/** 1 when every sender's step returned non-zero, 0 if not, -EINVAL if
 * @p p is NULL. Any thread. */
int emit_pipeline_done(const struct emit_pipeline *p);

/**
 * Stop: senders first (their pending events go to the rings), then the
 * TX stages (which transmit or drop, with counters, all in the rings).
 * Waits for the worker lcores. Control path, main lcore.
 *
 * @return 0, the first negative error a step function returned, or
 *   -EINVAL if @p p is NULL or not started.
 */
int emit_pipeline_stop(struct emit_pipeline *p);

/** Totals and the conservation check (exact when stopped). Any thread.
 * @return 0, or -EINVAL if an argument is NULL. */
int emit_pipeline_totals(const struct emit_pipeline *p,
		struct emit_pipeline_totals *t);

/** 1 if every pool has all its mbufs back (stopped pipeline), 0 if not,
 * -EINVAL if @p p is NULL. Any thread. */
int emit_pipeline_pools_full(const struct emit_pipeline *p);

/** Number of senders, or 0 if @p p is NULL. Any thread. */
unsigned int emit_pipeline_nb_senders(const struct emit_pipeline *p);
/** The checksum offloads of the pipeline's ports and senders
 * (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM and/or _UDP_CKSUM), 0 when every
 * checksum is computed in software or @p p is NULL. Any thread. */
uint64_t emit_pipeline_csum_offloads(const struct emit_pipeline *p);
/** Number of TX stages, or 0 if @p p is NULL. Any thread. */
unsigned int emit_pipeline_nb_tx(const struct emit_pipeline *p);
/** Sender @p i, or NULL if out of range. Any thread. */
struct emit_sender *emit_pipeline_sender(const struct emit_pipeline *p,
		unsigned int i);
/** TX stage @p i, or NULL if out of range. Any thread. */
struct emit_tx *emit_pipeline_tx(const struct emit_pipeline *p,
		unsigned int i);
/** Mbufs in the pools of the pipeline when full, or 0 if @p p is NULL.
 * Any thread. */
unsigned int emit_pipeline_pool_size(const struct emit_pipeline *p);

/**
 * Stop (if running) and free everything: senders, TX stages, rings, ports
 * (stopped, and closed if conf->close_ports), pools. Control path, main
 * lcore. NULL is ignored.
 */
void emit_pipeline_free(struct emit_pipeline *p);

#ifdef __cplusplus
}
#endif

#endif /* EMIT_PIPELINE_H */
