#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Loss accounting on the wire: emit-gen with a tiny ring and the DROP
# policy, as fast as it can, so that its senders drop events; emit-sink in
# a network namespace (net_af_packet on a veth pair created here) must
# count as lost exactly what each sender reports as dropped.
. "$(dirname "$0")/lib.sh"
need_netns
need_cmds jq
gen_need_opts --count --rate --senders --tx-cores --policy --ring-size \
	--json --stats-interval

N=200000       # events per sender; most are dropped
SENDERS=2

netns_up
ok "namespace $E2E_NS, veth $E2E_VETH <-> $E2E_VETH_IN"

# The sink's socket ring holds more frames than the run can send, so the
# receiving side loses nothing even when it is not scheduled.
# shellcheck disable=SC2046
bg sink ip netns exec "$E2E_NS" "$EMIT_SINK" -l 1 $(e2e_eal sink) \
	--vdev "net_af_packet0,iface=$E2E_VETH_IN,framecnt=65536" \
	-- --expect-count "$N" --stats-interval 0 --json "$E2E_DIR/sink.json"
sink_pid=$BG_PID
wait_line "$E2E_DIR/sink.err" "receiving on 1 port" "$sink_pid"

# shellcheck disable=SC2046
timeout -s INT 300 "$EMIT_GEN" --lcores 0@0,1@1,2@0 $(e2e_eal gen) \
	--vdev "net_af_packet0,iface=$E2E_VETH" \
	-- --senders "$SENDERS" --tx-cores 1 --count "$N" --rate 0 \
	--ring-size 64 --burst 32 --policy drop --size 128 \
	--stats-interval 0 --json "$E2E_DIR/gen.json" \
	>"$E2E_DIR/gen.out" 2>"$E2E_DIR/gen.err"
gen_rc=$?
[ "$gen_rc" -eq 0 ] || { cat "$E2E_DIR/gen.err" >&2; fail "emit-gen exit status $gen_rc"; }

kill -INT "$sink_pid"
wait_pid "$sink_pid"
check "emit-sink exit status" "$?" 0
cat "$E2E_DIR/sink.out"

G=$E2E_DIR/gen.json
S=$E2E_DIR/sink.json
dropped=$(jqv "$G" .totals.events_dropped)
[ "$dropped" -gt 0 ] ||
	fail "emit-gen dropped nothing: the run cannot check loss accounting"
ok "emit-gen dropped $dropped of $((SENDERS * N)) events"
check "emit-sink port missed" "$(jqv "$S" '[.ports[].imissed] | add')" 0
check "emit-sink malformed" "$(jqv "$S" .totals.malformed)" 0
check "emit-sink events = emit-gen sent" "$(jqv "$S" .totals.events)" \
	"$(jqv "$G" .totals.events_sent)"
check "emit-sink duplicated+reordered+stale" "$(jqv "$S" \
	'.totals.duplicated + .totals.reordered + .totals.stale')" 0
# Events the TX stage dropped belong to no sender in emit-gen's report:
# per sender the accounting is exact when there are none, and in total
# always.
tx_dropped=$(jqv "$G" '[.tx[].xstats | to_entries[] |
	select(.key | startswith("tx_dropped")) | .value] | add // 0')
check "emit-sink lost = emit-gen dropped (total)" \
	"$(jqv "$S" .totals.lost)" "$dropped"
if [ "$tx_dropped" -eq 0 ]; then
	while read -r id committed sdropped; do
		check "sender $id lost = its drops" \
			"$(sink_sender "$S" "$id" lost)" "$sdropped"
		check "sender $id received" \
			"$(sink_sender "$S" "$id" received)" \
			$((committed - sdropped))
	done < <(gen_senders "$G")
else
	ok "TX stages dropped $tx_dropped: per-sender check not exact"
fi
ok "all checks passed"
