#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Proof on the wire. In a network namespace created here, on one end of a
# veth pair: tcpdump -w and emit-sink (net_af_packet). On the other end:
# emit-gen (net_af_packet), two senders at a bounded rate and count, HOLD
# policy. Checks:
#  - emit-sink saw every event the sender reports as sent (or exactly its
#    drops), no malformed frame, each sender's seq 0..N-1 contiguous, and
#    its JSON report agrees with emit-gen's;
#  - the capture replayed into emit-sink through net_pcap rx_pcap= gives
#    the same counts;
#  - tshark with scripts/emit.lua decodes type, sender, seq and time of
#    every frame of the capture and finds every IPv4 checksum valid.
# Nothing is sent outside the namespace's veth pair; the namespace and the
# pair are removed on every exit path.
. "$(dirname "$0")/lib.sh"
need_netns
need_cmds tcpdump tshark jq python3
gen_need_opts --count --rate --senders --tx-cores --policy --type --json \
	--stats-interval

N=10000        # events per sender
SENDERS=2
RATE=20000     # events/s, all senders: the run takes about a second
TYPE=7
LUA=$EMIT_SRC/scripts/emit.lua
CAP=$E2E_DIR/cap.pcap

netns_up
ok "namespace $E2E_NS, veth $E2E_VETH <-> $E2E_VETH_IN"

bg tcpdump ip netns exec "$E2E_NS" tcpdump -i "$E2E_VETH_IN" -w "$CAP" \
	-n -s 0 -B 65536 -U --immediate-mode
tcpdump_pid=$BG_PID
wait_line "$E2E_DIR/tcpdump.err" "listening on" "$tcpdump_pid"

# shellcheck disable=SC2046
bg sink ip netns exec "$E2E_NS" "$EMIT_SINK" -l 1 $(e2e_eal sink) \
	--vdev "net_af_packet0,iface=$E2E_VETH_IN,framecnt=16384" \
	-- --expect-count "$N" --expect-lossless --stats-interval 0 \
	--json "$E2E_DIR/sink.json"
sink_pid=$BG_PID
wait_line "$E2E_DIR/sink.err" "receiving on 1 port" "$sink_pid"

# Two senders and a TX stage: three lcores on the two CPUs.
# shellcheck disable=SC2046
timeout -s INT 300 "$EMIT_GEN" --lcores 0@0,1@1,2@0 $(e2e_eal gen) \
	--vdev "net_af_packet0,iface=$E2E_VETH" \
	-- --senders "$SENDERS" --tx-cores 1 --count "$N" --rate "$RATE" \
	--size 128 --type "$TYPE" --policy hold --stats-interval 0 \
	--json "$E2E_DIR/gen.json" >"$E2E_DIR/gen.out" 2>"$E2E_DIR/gen.err"
gen_rc=$?
[ "$gen_rc" -eq 0 ] || { cat "$E2E_DIR/gen.err" >&2; fail "emit-gen exit status $gen_rc"; }
ok "emit-gen done"

# The frames are in the receivers' socket rings once emit-gen's sends
# have returned; on SIGINT emit-sink takes what its ring holds, then stops.
kill -INT "$sink_pid"
wait_pid "$sink_pid"
sink_rc=$?
cat "$E2E_DIR/sink.out"
check "emit-sink exit status (--expect-lossless)" "$sink_rc" 0
# tcpdump stops reading at SIGINT: first wait until it has written as
# many frames as emit-sink received (SIGUSR1 makes it print its count).
frames=$(jqv "$E2E_DIR/sink.json" .totals.frames)
for i in $(seq 600); do
	kill -USR1 "$tcpdump_pid"
	sleep 0.1
	captured=$(sed -n \
		's/^tcpdump: \([0-9]*\) packets\{0,1\} captured.*/\1/p' \
		"$E2E_DIR/tcpdump.err" | tail -1)
	[ "${captured:-0}" -ge "$frames" ] && break
done
kill -INT "$tcpdump_pid"
wait_pid "$tcpdump_pid"
check "tcpdump kernel drops" "$(sed -n \
	's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' \
	"$E2E_DIR/tcpdump.err")" 0

G=$E2E_DIR/gen.json
S=$E2E_DIR/sink.json
sent=$(jqv "$G" .totals.events_sent)
check "emit-gen sent" "$sent" $((SENDERS * N))
check "emit-gen dropped" "$(jqv "$G" .totals.events_dropped)" 0
check "emit-sink events = emit-gen sent" "$(jqv "$S" .totals.events)" "$sent"
check "emit-sink malformed" "$(jqv "$S" .totals.malformed)" 0
check "emit-sink senders" "$(jqv "$S" .totals.senders)" \
	"$(jq '.senders | length' "$G")"
check "emit-sink port missed" "$(jqv "$S" '[.ports[].imissed] | add')" 0
while read -r id committed dropped; do
	check "sender $id received" "$(sink_sender "$S" "$id" received)" \
		$((committed - dropped))
	check "sender $id lost = its drops" \
		"$(sink_sender "$S" "$id" lost)" "$dropped"
	check "sender $id seq range" "$(sink_sender "$S" "$id" first_seq)..$(
		sink_sender "$S" "$id" last_seq)" "0..$((N - 1))"
	check "sender $id reordered+duplicated+stale" "$(jqv "$S" \
		"[.senders[] | select(.id == $id) |
		.reordered + .duplicated + .stale] | first")" 0
done < <(gen_senders "$G")

# Offline: the capture replayed through net_pcap gives the same counts.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal replay) --vdev "net_pcap0,rx_pcap=$CAP" \
	-- --expect-count "$N" --expect-lossless --stats-interval 0 \
	--json "$E2E_DIR/replay.json" >"$E2E_DIR/replay.out" 2>&1
check "replay exit status" "$?" 0
R=$E2E_DIR/replay.json
check "replay stop reason" "$(jqv "$R" .stop_reason)" end_of_file
for f in frames events other malformed lost senders; do
	check "replay totals.$f" "$(jqv "$R" ".totals.$f")" \
		"$(jqv "$S" ".totals.$f")"
done
check "replay per sender" "$(jqv "$R" '[.senders[] | [.id, .received,
	.last_seq, .lost] | map(tostring) | join(":")] | join(" ")')" \
	"$(jqv "$S" '[.senders[] | [.id, .received, .last_seq, .lost] |
	map(tostring) | join(":")] | join(" ")')"

# tshark and the dissector: every frame of the capture is an event with
# its fields, and a valid IPv4 header checksum.
tshark -r "$CAP" -X "lua_script:$LUA" -o ip.check_checksum:TRUE \
	-T fields -E separator=, -e frame.number -e emit.type -e emit.sender \
	-e emit.seq -e emit.time_ns -e ip.checksum.status -e frame.time_epoch \
	>"$E2E_DIR/tshark.txt" 2>"$E2E_DIR/tshark.err" || fail "tshark"
check "tshark frames" "$(wc -l <"$E2E_DIR/tshark.txt")" \
	"$(jqv "$S" .totals.frames)"
check "tshark: frames without every field or with a bad checksum" \
	"$(awk -F, -v type="$TYPE" '$2 != type || $3 == "" || $4 == "" ||
	$5 == "" || $6 != 1 { bad++ } END { print bad + 0 }' \
	"$E2E_DIR/tshark.txt")" 0
check "tshark: seq per sender" "$(awk -F, '{ print $3, $4 }' \
	"$E2E_DIR/tshark.txt" | sort -n -k1,1 -k2,2 | uniq |
	awk '$2 != seen[$1]++ { bad++ } END { print NR, bad + 0 }')" \
	"$sent 0"
# Commit time precedes capture time (same host clock; the capture has
# microseconds, hence the 1 us slack).
check "tshark: commit times before capture" "$(python3 -c '
import sys
from decimal import Decimal
bad = 0
for line in open(sys.argv[1]):
    f = line.strip().split(",")
    cap_ns = int(Decimal(f[6]) * 1000000000)
    bad += not (0 < int(f[4]) <= cap_ns + 1000)
print(bad)' "$E2E_DIR/tshark.txt")" 0
ok "all checks passed"
