#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end runs of the real emit-gen binary:
#   - the default run exits 0 with a valid JSON report whose sums add up,
#     every xstat of each sender and TX stage in it, and latency figures
#     that are the merge of the objects' histograms;
#   - --count sends exactly that many events per sender; --tx-latency
#     samples every packet, or none;
#   - --rate lands within 1 % of its target (events committed against
#     rate x duration, both as emit-gen measured them);
#   - net_pcap output holds well-formed frames (checked by gen_pcap_check
#     and by tcpdump): sizes, addresses, flows, consecutive seq, payload;
#   - SIGINT and SIGTERM mid-run still drain and report; the progress line
#     shows latency p99;
#   - a port that never takes again (net_ring, nobody reads it): HOLD
#     everywhere loses nothing while the run goes on, the stop is bounded,
#     what was held is counted as closed, the pool is full once the
#     port's own ring is freed, and the report says the port blocked;
#   - every bad invocation exits 2 with a one-line message.
# usage: gen.sh EMIT_GEN GEN_PCAP_CHECK
set -uo pipefail

GEN=$1
CHECK=$2
for tool in jq tcpdump; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is not installed (scripts/deps.sh installs it)"
		exit 77
	fi
done

TMP=$(mktemp -d /tmp/emit-e2e-cli.XXXXXX)
PREFIXES=()
cleanup() {
	local p
	rm -rf "$TMP"
	for p in "${PREFIXES[@]}"; do
		rm -rf "/var/run/dpdk/$p" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$p"
	done
}
trap cleanup EXIT

failed=0
ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failed=$((failed + 1))
}

# eal NAME LCORES [VDEV...]: EAL options in the array EAL, unique prefix.
eal() {
	local name=$1 lcores=$2 v
	shift 2
	local prefix="emit-e2e-cli-$$-$name"
	PREFIXES+=("$prefix")
	EAL=(--no-huge --no-pci -m 256 --lcores "$lcores" --file-prefix "$prefix"
		--log-level lib.eal:warning)
	for v in "$@"; do
		EAL+=(--vdev "$v")
	done
}

# The xstats of a sender and of a TX stage (emit_xstats.h); a report
# carries each of them, by name, for every object.
XSTATS_DEFS='
  def lat($p): [$p + "samples"] +
    (["min", "max", "mean", "p50", "p90", "p99", "p999"] |
     map($p + . + "_ns"));
  def sender_xstats: ["events_claimed", "events_committed",
    "events_aborted", "events_enqueued", "bytes_enqueued",
    "bursts_enqueued", "flush_full", "flush_linger", "flush_explicit",
    "flush_close", "dropped_ring_full", "dropped_spin_timeout",
    "dropped_closed", "err_inval", "err_msgsize", "err_nomem",
    "err_nobufs_held", "err_nobufs_congested", "err_again_rate",
    "err_again_paused", "err_pipe", "backpressure_episodes",
    "backpressure_refused", "hold_retries", "spin_retries",
    "congestion_entries", "congested_ns", "ring_max_used",
    "gap_jitter_ns_sum", "gap_count", "events_pending",
    "backpressure_active", "events_held", "congested", "paused",
    "rate_target", "rate_achieved", "ring_used"] +
    lat("batch_wait_") + lat("batch_wait_since_reset_");
  def tx_xstats: ["polls", "idle_polls", "dequeued", "tx_sent", "tx_bytes",
    "tx_bursts", "tx_retries", "tx_dropped_retry_exhausted",
    "tx_dropped_closed", "in_rings"] +
    lat("latency_") + lat("latency_since_reset_");
  # every name present, each value a number
  def has_all($names): . as $x | (keys | length) >= ($names | length) and
    ($names - keys) == [] and all($x[]; type == "number");
  # a latency summary of a real run, its figures in order
  def ordered: .samples > 0 and .min <= .p50 and .p50 <= .p90 and
    .p90 <= .p99 and .p99 <= .["p99.9"] and .["p99.9"] <= .max and
    .min <= .mean and .mean <= .max;
  # the summary of one object through its xstats (prefix $p)
  def same_as($x; $p): .samples == $x[$p + "samples"] and
    .min == $x[$p + "min_ns"] and .p50 == $x[$p + "p50_ns"] and
    .p90 == $x[$p + "p90_ns"] and .p99 == $x[$p + "p99_ns"] and
    .["p99.9"] == $x[$p + "p999_ns"] and .max == $x[$p + "max_ns"] and
    .mean == $x[$p + "mean_ns"];
'

# sums_add_up FILE: the conservation sums and the totals of a report,
# every xstat present and summing to the totals, and the latency figures.
sums_add_up() {
	jq -e "$XSTATS_DEFS"'
	  . as $root | .schema == 1 and .exit_status == 0 and
	  .metrics == true and .conservation.checked == true and
	  .conservation.ok == true and .conservation.pools_full == true and
	  .conservation.pending == 0 and .conservation.in_rings == 0 and
	  .conservation.committed == .conservation.enqueued +
	    .conservation.sender_dropped + .conservation.pending and
	  .conservation.tx_held == 0 and
	  .conservation.enqueued == .conservation.tx_sent +
	    .conservation.tx_dropped + .conservation.in_rings +
	    .conservation.tx_held and
	  .totals.events_committed == .conservation.committed and
	  .totals.events_sent == .conservation.tx_sent and
	  ([.senders[].xstats.events_committed] | add) ==
	    .totals.events_committed and
	  ([.senders[].xstats.events_enqueued] | add) ==
	    .totals.events_enqueued and
	  ([.tx[].xstats.tx_sent] | add) == .totals.events_sent and
	  ([.tx[].xstats.tx_bytes] | add) == .totals.bytes_sent and
	  ([.totals.dropped[]] | add) == .totals.events_dropped and
	  ([.senders[].xstats | .dropped_ring_full + .dropped_spin_timeout +
	    .dropped_closed] | add) + ([.tx[].xstats |
	    .tx_dropped_retry_exhausted + .tx_dropped_closed] | add) ==
	    .totals.events_dropped and
	  (.senders | all(.xstats.events_committed == .xstats.events_enqueued +
	    .xstats.dropped_ring_full + .xstats.dropped_spin_timeout +
	    .xstats.dropped_closed)) and
	  .totals.events_committed == .totals.events_sent +
	    .totals.events_dropped and
	  .totals.bytes_sent == .totals.events_sent * .config.size and
	  .totals.port_opackets == .totals.events_sent and
	  (.senders | length) == .config.senders and
	  (.tx | length) == .config.tx_cores and
	  (.senders | all(.xstats | has_all(sender_xstats))) and
	  (.tx | all(.xstats | has_all(tx_xstats))) and
	  ([.senders[].xstats | keys] | unique | length) == 1 and
	  ([.tx[].xstats | keys] | unique | length) == 1 and
	  (.latency_ns | ordered) and (.batch_wait_ns | ordered) and
	  (.tx | all(.xstats.latency_samples == .xstats.tx_bursts)) and
	  (.senders | all(.xstats.batch_wait_samples ==
	    .xstats.bursts_enqueued)) and
	  .latency_ns.samples == ([.tx[].xstats.latency_samples] | add) and
	  .latency_ns.min == ([.tx[].xstats.latency_min_ns] | min) and
	  .latency_ns.max == ([.tx[].xstats.latency_max_ns] | max) and
	  .batch_wait_ns.samples ==
	    ([.senders[].xstats.batch_wait_samples] | add) and
	  .batch_wait_ns.min == ([.senders[].xstats.batch_wait_min_ns] | min)
	    and
	  .batch_wait_ns.max == ([.senders[].xstats.batch_wait_max_ns] | max)
	    and
	  ((.tx | length) > 1 or
	    (.latency_ns | same_as($root.tx[0].xstats; "latency_"))) and
	  ((.senders | length) > 1 or (.batch_wait_ns |
	    same_as($root.senders[0].xstats; "batch_wait_")))
	' "$1" >/dev/null
}

# ---- the default run: no EAL options, JSON on stdout only ----
"$GEN" --json - >"$TMP/default.json" 2>"$TMP/default.err"
rc=$?
if [ $rc -eq 0 ] && jq -e . "$TMP/default.json" >/dev/null &&
	sums_add_up "$TMP/default.json" &&
	jq -e '.config.eal_default == true and .config.duration_s == 5 and
	  .stop_reason == "duration" and .config.senders == 1 and
	  .config.tx_cores == 1 and .config.main_role == "tx" and
	  .config.policy == "hold" and .totals.events_sent > 0 and
	  .totals.events_dropped == 0 and .config.ports[0].name == "net_null0"
	  and .totals.rate_error_ppm == null' \
	"$TMP/default.json" >/dev/null &&
	grep -q "^emit-gen .*: 1 sender, 1 TX stage" "$TMP/default.err"; then
	ok "default run: exit 0, JSON alone on stdout, sums add up"
else
	not_ok "default run (exit $rc)"
	cat "$TMP/default.err"
fi
# The default file prefix is emit-gen's own: its runtime files are gone.
prefix=$(jq -r '.config.eal_args as $a | ($a | index("--file-prefix")) as $i
	| $a[$i + 1]' "$TMP/default.json" 2>/dev/null)
if [ -n "$prefix" ] && [ ! -e "/var/run/dpdk/$prefix" ] &&
	[ ! -e "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix" ]; then
	ok "default run: runtime directory of $prefix removed"
else
	not_ok "default run: runtime directory of '$prefix' left behind"
fi

# ---- --count: exactly N per sender ----
eal count "0@0,1@1,2@0" net_null0
"$GEN" "${EAL[@]}" -- --count 100K --json "$TMP/count.json" \
	>"$TMP/count.out" 2>"$TMP/count.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/count.json" &&
	jq -e '.config.senders == 2 and .config.count == 100000 and
	  .config.duration_s == null and .stop_reason == "count" and
	  (.senders | all(.xstats.events_committed == 100000)) and
	  .totals.events_sent == 200000 and .totals.events_dropped == 0' \
	"$TMP/count.json" >/dev/null && grep -q "sent       200000 events" \
	"$TMP/count.out"; then
	ok "--count 100K on 2 senders: 100000 each, 200000 sent, none dropped"
else
	not_ok "--count (exit $rc)"
	cat "$TMP/count.err"
fi

"$GEN" "${EAL[@]}" -- --count 50000 --policy drop --burst 64 --ring-size 128 \
	--json "$TMP/count-drop.json" >/dev/null 2>"$TMP/count-drop.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/count-drop.json" &&
	jq -e '(.senders | all(.xstats.events_committed == 50000)) and
	  .totals.events_sent + .totals.events_dropped == 100000 and
	  .totals.dropped.ring_full == .totals.events_dropped' \
	"$TMP/count-drop.json" >/dev/null; then
	ok "--count 50000 --policy drop: 50000 each, sent + dropped = 100000 ($(jq .totals.events_dropped "$TMP/count-drop.json") dropped)"
else
	not_ok "--count with --policy drop (exit $rc)"
	cat "$TMP/count-drop.err"
fi

# ---- a port that never takes again: the run ends, nothing uncounted ----
# (No limit on the wall time: a stop that never ends is the suite's
# timeout; the time taken is only reported.)
eal blocked "0@0,1@1" net_ring0
start=$(date +%s%N)
"$GEN" "${EAL[@]}" -- --duration 1 --policy hold --stats-interval 0.25 \
	--json "$TMP/blocked.json" >"$TMP/blocked.txt" 2>"$TMP/blocked.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $rc -eq 0 ] && sums_add_up "$TMP/blocked.json" &&
	jq -e '.config.tx_policy == "hold" and .config.tx_drop_us == null and
	  .totals.events_sent == 1023 and .conservation.port_backlog == 1023 and
	  .totals.dropped.ring_full == 0 and .totals.dropped.spin_timeout == 0 and
	  .totals.dropped.tx_retry_exhausted == 0 and
	  .totals.dropped.tx_closed > 0 and
	  .totals.port_blocked_episodes == 1 and
	  .totals.port_blocked_ns > 500000000 and
	  .totals.events_committed == .totals.events_sent +
	    .totals.dropped.closed + .totals.dropped.tx_closed' \
	"$TMP/blocked.json" >/dev/null &&
	grep -q "port       blocked" "$TMP/blocked.txt" &&
	grep -q "port blocked 100%" "$TMP/blocked.err"; then
	ok "a blocked net_ring port: stopped in $ms ms, $(jq .totals.dropped.tx_closed "$TMP/blocked.json") held or in rings counted as closed, the pool full"
else
	not_ok "a blocked net_ring port (exit $rc, $ms ms)"
	cat "$TMP/blocked.err" "$TMP/blocked.txt"
fi
"$GEN" "${EAL[@]}" -- --duration 0.5 --policy hold --tx-policy drop \
	--tx-drop-us 100 --json "$TMP/blocked-drop.json" >/dev/null \
	2>"$TMP/blocked-drop.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/blocked-drop.json" &&
	jq -e '.config.tx_policy == "drop" and .config.tx_drop_us == 100 and
	  .totals.dropped.tx_retry_exhausted > 0 and
	  .totals.dropped.ring_full == 0' \
	"$TMP/blocked-drop.json" >/dev/null; then
	ok "--tx-policy drop --tx-drop-us 100 on a blocked port: the stage drops, counted ($(jq .totals.dropped.tx_retry_exhausted "$TMP/blocked-drop.json"))"
else
	not_ok "--tx-policy drop on a blocked port (exit $rc)"
	cat "$TMP/blocked-drop.err"
fi

# ---- --tx-latency: a sample per packet, or none ----
eal txlat "0@0,1@1" net_null0
"$GEN" "${EAL[@]}" -- --count 20K --tx-latency packet \
	--json "$TMP/lat-packet.json" >/dev/null 2>"$TMP/lat-packet.err"
rc=$?
"$GEN" "${EAL[@]}" -- --count 20K --tx-latency off \
	--json "$TMP/lat-off.json" >/dev/null 2>>"$TMP/lat-packet.err"
rc2=$?
if [ $rc -eq 0 ] && [ $rc2 -eq 0 ] &&
	jq -e '.config.tx_latency == "packet" and .conservation.ok == true and
	  .totals.events_sent == 20000 and .latency_ns.samples == 20000 and
	  .tx[0].xstats.latency_samples == 20000' \
	"$TMP/lat-packet.json" >/dev/null &&
	jq -e '.config.tx_latency == "off" and .conservation.ok == true and
	  .totals.events_sent == 20000 and .latency_ns.samples == 0 and
	  .tx[0].xstats.latency_samples == 0 and .latency_ns.p99 == null' \
	"$TMP/lat-off.json" >/dev/null; then
	ok "--tx-latency packet: 20000 samples for 20000 events; off: none"
else
	not_ok "--tx-latency (exit $rc, $rc2)"
	cat "$TMP/lat-packet.err"
fi

# ---- --layout rtc: every lcore runs a sender and its TX stage ----
eal rtc "0@0,1@1" net_null0
"$GEN" "${EAL[@]}" -- --layout rtc --count 100K --json "$TMP/rtc.json" \
	>"$TMP/rtc.out" 2>"$TMP/rtc.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/rtc.json" &&
	jq -e '.config.layout == "rtc" and .config.senders == 2 and
	  .config.main_role == "sender+tx" and (.tx | length) == 2 and
	  (.senders | all(.xstats.events_committed == 100000)) and
	  .totals.events_sent == 200000 and .totals.events_dropped == 0 and
	  .conservation.ok == true' "$TMP/rtc.json" >/dev/null; then
	ok "--layout rtc on 2 lcores: 2 senders + 2 TX stages, 200000 sent, none dropped"
else
	not_ok "--layout rtc (exit $rc)"
	cat "$TMP/rtc.err"
fi

# ---- --rings mbuf: rings of complete mbufs, split layout ----
eal rings "0@0,1@1" net_null0
"$GEN" "${EAL[@]}" -- --rings mbuf --count 100K --json "$TMP/rings.json" \
	>"$TMP/rings.out" 2>"$TMP/rings.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/rings.json" &&
	jq -e '.config.rings == "mbuf" and .config.layout == "split" and
	  .totals.events_sent == 100000 and .totals.events_dropped == 0 and
	  .conservation.ok == true' "$TMP/rings.json" >/dev/null; then
	ok "--rings mbuf: 100000 sent, none dropped, conserved"
else
	not_ok "--rings mbuf (exit $rc)"
	cat "$TMP/rings.err"
fi

# ---- --rate: within 1 % of the target ----
# The rings are deep enough to hold what a TX lcore pushed off a busy
# shared CPU for a while leaves behind; the senders' buckets catch up.
# within_1pct FILE: events committed against rate_target x duration_s.
within_1pct() {
	jq -e '(.totals.rate_target * .duration_s) as $want |
	  ((.totals.events_committed - $want) | fabs) <= 0.01 * $want and
	  (.totals.rate_error_ppm | fabs) <= 10000' "$1" >/dev/null
}
"$GEN" --rate 200K --duration 2 --ring-size 16Ki --json "$TMP/rate.json" >/dev/null \
	2>"$TMP/rate.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/rate.json" &&
	jq -e '.config.rate == 200000 and .totals.rate_target == 200000' \
	"$TMP/rate.json" >/dev/null && within_1pct "$TMP/rate.json"; then
	ok "--rate 200K: $(jq '.totals.events_committed' "$TMP/rate.json") events in $(jq .duration_s "$TMP/rate.json") s ($(jq .totals.rate_error_ppm "$TMP/rate.json") ppm)"
else
	not_ok "--rate 200K (exit $rc): $(jq -c '{c: .totals.events_committed, d: .duration_s, ppm: .totals.rate_error_ppm}' "$TMP/rate.json" 2>&1)"
	cat "$TMP/rate.err"
fi
# A bit rate: 100 Mbit/s of 1000-byte frames is 12207 frames/s.
"$GEN" --rate 100Mbps --size 1000 --duration 2 --ring-size 16Ki \
	--json "$TMP/bps.json" \
	>/dev/null 2>"$TMP/bps.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/bps.json" &&
	jq -e '.config.rate == 12207 and .config.rate_bps == 100000000 and
	  .config.rate_arg == "100Mbps" and .totals.rate_target == 12207' \
	"$TMP/bps.json" >/dev/null && within_1pct "$TMP/bps.json"; then
	ok "--rate 100Mbps --size 1000: 12207 frames/s, $(jq .totals.rate_error_ppm "$TMP/bps.json") ppm"
else
	not_ok "--rate 100Mbps (exit $rc)"
	cat "$TMP/bps.err"
fi
# A bit rate with a size mix: paced frame by frame in bits on the wire,
# so the run's Gbit/s (bytes + 24 per frame) is the rate's.
"$GEN" --rate 1Gbps --size imix --duration 2 --ring-size 16Ki \
	--json "$TMP/bpsmix.json" >/dev/null 2>"$TMP/bpsmix.err"
rc=$?
# (sums_add_up takes every frame to be --size bytes: not with a mix.)
if [ $rc -eq 0 ] &&
	jq -e '.conservation.ok == true and .config.rate_bps == 1000000000 and
	  (.totals.gbps - 1 | fabs) <= 0.05' "$TMP/bpsmix.json" >/dev/null; then
	ok "--rate 1Gbps --size imix: $(jq .totals.gbps "$TMP/bpsmix.json") Gbit/s"
else
	not_ok "--rate 1Gbps --size imix (exit $rc): $(jq -c '.totals.gbps' "$TMP/bpsmix.json" 2>&1)"
	cat "$TMP/bpsmix.err"
fi
# An odd total over two senders: split 50001 + 50000.
eal split "0@0,1@1,2@0" net_null0
"$GEN" "${EAL[@]}" -- --rate 100001 --count 1000 --json "$TMP/split.json" \
	>/dev/null 2>"$TMP/split.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/split.json" &&
	jq -e '[.senders[].rate_target] == [50001, 50000] and
	  .totals.rate_target == 100001' "$TMP/split.json" >/dev/null; then
	ok "--rate 100001 on 2 senders: 50001 + 50000"
else
	not_ok "--rate split (exit $rc)"
	cat "$TMP/split.err"
fi

# ---- net_pcap: frames read back ----
eal pcap "0@0,1@1,2@0" "net_pcap0,tx_pcap=$TMP/out.pcap"
"$GEN" "${EAL[@]}" -- --count 5000 --size 100 --flows 4 \
	--src-mac 02:aa:bb:cc:dd:01 --dst-mac 02:aa:bb:cc:dd:02 \
	--src-ip 192.168.7.1 --dst-ip 192.168.7.2 --sport 5000 --dport 6000 \
	--type 42 --json "$TMP/pcap.json" >/dev/null 2>"$TMP/pcap.err"
rc=$?
if [ $rc -eq 0 ] && sums_add_up "$TMP/pcap.json" &&
	jq -e '.totals.events_sent == 10000 and
	  .config.ports[0].name == "net_pcap0"' "$TMP/pcap.json" >/dev/null &&
	"$CHECK" "$TMP/out.pcap" 100 02:aa:bb:cc:dd:01 02:aa:bb:cc:dd:02 \
		192.168.7.1 192.168.7.2 5000 6000 4 42 2 5000 counter; then
	ok "net_pcap: 10000 frames decoded, seq consecutive per sender"
else
	not_ok "net_pcap run or decode (exit $rc)"
	cat "$TMP/pcap.err"
fi
tcpdump -nn -e -r "$TMP/out.pcap" >"$TMP/tcpdump.txt" 2>/dev/null
re='02:aa:bb:cc:dd:01 > 02:aa:bb:cc:dd:02, ethertype IPv4 \(0x0800\), length 100: 192\.168\.7\.1\.500[0-3] > 192\.168\.7\.2\.6000: UDP, length 58$'
lines=$(wc -l <"$TMP/tcpdump.txt")
good=$(grep -cE "$re" "$TMP/tcpdump.txt")
flows=$(grep -oE '192\.168\.7\.1\.500[0-9]' "$TMP/tcpdump.txt" | sort -u | wc -l)
if [ "$lines" -eq 10000 ] && [ "$good" -eq 10000 ] && [ "$flows" -eq 4 ]; then
	ok "tcpdump: 10000 frames of 100 bytes, 4 flows, addresses as asked"
else
	not_ok "tcpdump: $lines lines, $good well-formed, $flows flows"
	head -3 "$TMP/tcpdump.txt"
fi
eal pcapzero "0@0,1@1" "net_pcap0,tx_pcap=$TMP/zero.pcap"
"$GEN" "${EAL[@]}" -- --count 300 --size 80 --pattern zero --burst 7 \
	>/dev/null 2>"$TMP/zero.err"
rc=$?
if [ $rc -eq 0 ] && "$CHECK" "$TMP/zero.pcap" 80 02:00:00:00:00:01 \
	02:00:00:00:00:02 10.0.0.1 10.0.0.2 9000 9001 1 1 1 300 zero; then
	ok "net_pcap: --pattern zero, default addresses, burst 7"
else
	not_ok "net_pcap zero pattern (exit $rc)"
	cat "$TMP/zero.err"
fi

# ---- signals: stop, drain, report ----
# signal_run SIG: run without a time limit, signal once progress shows.
signal_run() {
	local sig=$1 pid i rc
	"$GEN" --duration 0 --stats-interval 0.05 --json "$TMP/$sig.json" \
		>"$TMP/$sig.out" 2>"$TMP/$sig.err" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -q "events/s" "$TMP/$sig.err" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	if [ $rc -eq 0 ] && sums_add_up "$TMP/$sig.json" &&
		jq -e '.stop_reason == "signal" and .totals.events_sent > 0 and
		  .totals.events_dropped == 0 and .config.duration_s == null' \
		"$TMP/$sig.json" >/dev/null &&
		grep -q "stopped by signal" "$TMP/$sig.out" &&
		[ -z "$(grep "events/s" "$TMP/$sig.err" | grep -vE \
		  "  latency p99 (-|[0-9]+ ns|[0-9.]+ (us|ms|s))$")" ] &&
		grep -qE "  latency p99 [0-9]" "$TMP/$sig.err"; then
		ok "SIG$sig mid-run: drained (nothing dropped) and reported; progress shows latency p99"
	else
		not_ok "SIG$sig mid-run (exit $rc)"
		cat "$TMP/$sig.err"
	fi
}
signal_run INT
signal_run TERM

# ---- bad usage: exit 2, one line naming the option ----
# refused MESSAGE ARGS...: exit 2, nothing on stdout, and stderr is one
# line containing MESSAGE (refused before EAL starts).
refused() {
	local want=$1 rc
	shift
	"$GEN" "$@" >"$TMP/usage.out" 2>"$TMP/usage.err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$TMP/usage.out" ] &&
		[ "$(wc -l <"$TMP/usage.err")" -eq 1 ] &&
		grep -qF -- "$want" "$TMP/usage.err"; then
		ok "refused ($*): $(cat "$TMP/usage.err")"
	else
		not_ok "not refused as expected ($*): exit $rc, wanted '$want'"
		cat "$TMP/usage.err"
	fi
}
# refused_late MESSAGE ARGS...: refused after EAL started (it needs the
# lcores or ports), before anything runs: exit 2, the last line names it.
refused_late() {
	local want=$1 rc
	shift
	"$GEN" "$@" >"$TMP/usage.out" 2>"$TMP/usage.err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$TMP/usage.out" ] &&
		tail -n 1 "$TMP/usage.err" | grep -qF -- "$want"; then
		ok "refused ($*): $(tail -n 1 "$TMP/usage.err")"
	else
		not_ok "not refused as expected ($*): exit $rc, wanted '$want'"
		cat "$TMP/usage.err"
	fi
}
refused "unknown option '--bogus'" --bogus
refused "unknown option '-l' (EAL options go before --" -l 0-1 --count 1
refused "unexpected argument 'now'" now
refused "--rate: missing value; expected events/s" --rate
refused "--size: missing value" --size --count 5
refused "--rate: 'fast' is not a number" --rate fast
refused "--rate: '1Tbps' has an unknown suffix" --rate 1Tbps
refused "--rate: '10bps' is less than one 128-byte frame" --rate 10bps
refused "--rate: '2000G' is too large" --rate 2000G
refused "--count: '-5' is negative" --count -5
refused "--count: '0' is out of range" --count 0
refused "--count: '99999999999999999999' is too large" --count 99999999999999999999
refused "--count: '2.5' is not a whole number" --count 2.5
refused "--burst: '0' is out of range; expected events per burst, 1..64" --burst 0
refused "--burst: '65' is out of range" --burst 65
refused "--size: '59' is out of range; expected frame bytes 60..9600" --size 59
refused "--size: '9601' is out of range" --size 9601
refused "--linger-us: '1e3' has an unknown suffix" --linger-us 1e3
refused "--duration: '-1' is negative" --duration -1
refused "--duration: '5m' has an unknown suffix" --duration 5m
refused "--senders: '0' is out of range" --senders 0
refused "--tx-cores: '65' is out of range" --tx-cores 65
refused "--ring-size: '1000' is not a power of two" --ring-size 1000
refused "--ring-size: 32 must be larger than --burst (64)" --ring-size 32 --burst 64
refused "--policy: 'block' is not a policy; expected drop, hold or spin" --policy block
refused "--tx-policy: 'spin' is not a TX policy; expected hold or drop" --tx-policy spin
refused "--tx-drop-us: only with --tx-policy drop" --tx-drop-us 5
refused "--flows: '0' is out of range" --flows 0
refused "--flows: 10 flows from --sport 65530 go past UDP port 65535" --flows 10 --sport 65530
refused "--src-mac: '02:00:00:00:01' is not a MAC address" --src-mac 02:00:00:00:01
refused "--dst-mac: '02:00:00:00:00:0g' is not a MAC address" --dst-mac 02:00:00:00:00:0g
refused "--src-ip: '10.0.0' is not an IPv4 address" --src-ip 10.0.0
refused "--dst-ip: '10.0.0.256' is not an IPv4 address" --dst-ip 10.0.0.256
refused "--sport: '0' is out of range" --sport 0
refused "--dport: '70000' is out of range" --dport 70000
refused "--type: '65536' is out of range" --type 65536
refused "--pattern: 'random' is not a pattern" --pattern random
refused "--stats-interval: '-1' is negative" --stats-interval -1
refused "--json: cannot open '$TMP/no/such/dir.json'" --json "$TMP/no/such/dir.json"
refused "--help takes no value" --help=all
# A refused run leaves an existing --json file alone and creates none.
echo keep >"$TMP/keep.json"
refused_late "--senders: 2 senders" --senders 2 --json "$TMP/keep.json"
refused_late "--senders: 2 senders" --senders 2 --json "$TMP/none.json"
if [ "$(cat "$TMP/keep.json")" = keep ] && [ ! -e "$TMP/none.json" ]; then
	ok "refused runs: --json file kept as it was, none created"
else
	not_ok "refused runs touched the --json file"
fi
refused_late "--senders: 2 senders leave no lcore for a TX stage" --senders 2
refused_late "--senders/--tx-cores: 2 senders and 1 TX stages need 3 lcores, EAL has 2" \
	--senders 2 --tx-cores 1
eal late3 "0@0,1@1,2@0" net_null0
refused_late "--rate: 1 events/s is less than one per sender (2 senders)" \
	"${EAL[@]}" -- --rate 1
refused_late "--tx-cores: 2 TX stages need at least 2 senders" \
	"${EAL[@]}" -- --senders 1 --tx-cores 2
eal late4 "0@0,1@1,2@0,3@1" "net_pcap0,tx_pcap=$TMP/late.pcap"
refused_late "--tx-cores: 2 TX stages need 2 TX queues on port 0 (net_pcap0), which has 1" \
	"${EAL[@]}" -- --tx-cores 2
eal noport "0@0,1@1"
refused_late "EAL has no ethdev port" "${EAL[@]}" -- --count 1
eal lcore1 "0@0" net_null0
refused_late "EAL has 1 lcore; emit-gen needs 2" "${EAL[@]}" -- --count 1
eal badeal "0@0,1@1" net_null0
refused_late "EAL did not start" "${EAL[@]}" --no-such-eal-option -- --count 1
refused_late "unexpected argument 'stray' among the EAL options" \
	"${EAL[@]}" stray -- --count 1

# ---- help and version ----
if "$GEN" --help >"$TMP/help.out" 2>&1 && grep -q "^usage: emit-gen" \
	"$TMP/help.out" && grep -q "preamble" "$TMP/help.out" &&
	grep -q "^emit-gen [0-9]" <<<"$("$GEN" --version)"; then
	ok "--help and --version exit 0"
else
	not_ok "--help / --version"
fi

echo "$failed failed"
[ "$failed" -eq 0 ]
