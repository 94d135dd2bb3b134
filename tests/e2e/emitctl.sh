#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emitctl against a live emit-gen (net_null port, --duration 0) and a live
# emit-sink (net_ring port): listing, the top table, rate, pause, resume,
# xstats reset, each checked through the endpoints; bad endpoints, ids and
# values refused with a message and exit status 1 or 2; the module used
# from a script. Needs no root.
. "$EMIT_SRC/tests/e2e/lib.sh"
need_cmds jq python3

CTL=$EMIT_SRC/scripts/emitctl
GP="emit-$E2E_TEST-gen-$$"
SP="emit-$E2E_TEST-sink-$$"

# shellcheck disable=SC2046
bg gen "$EMIT_GEN" -l 0,1 $(e2e_eal gen) --vdev net_null0 -- \
	--duration 0 --senders 1 --rate 20k --stats-interval 0
gen_pid=$BG_PID
# shellcheck disable=SC2046
bg sink "$EMIT_SINK" -l 0 $(e2e_eal sink) --vdev net_ring0 -- \
	--stats-interval 0
sink_pid=$BG_PID
wait_line "$E2E_DIR/sink.err" "receiving on 1 port" "$sink_pid"
for _ in $(seq 300); do
	"$CTL" -p "$GP" info >/dev/null 2>&1 && break
	kill -0 "$gen_pid" 2>/dev/null || fail "emit-gen ended early"
	sleep 0.1
done

# ctl EXPECTED_STATUS ARGS...: run emitctl; its stdout in OUT, stderr in ERR.
ctl() {
	local want=$1 rc
	shift
	OUT=$("$CTL" "$@" 2>"$E2E_DIR/ctl.err")
	rc=$?
	ERR=$(cat "$E2E_DIR/ctl.err")
	check "emitctl $* exit status" "$rc" "$want"
}

ctl 0 -p "$GP" info
grep -q "1 senders, 1 TX stages" <<<"$OUT" || fail "info: $OUT"
ctl 0 -p "$GP" --json senders
check "senders: ids" "$(jq -c '[.[].id]' <<<"$OUT")" "[0]"
check "senders: rate" "$(jq '.[0].rate_target' <<<"$OUT")" 20000
ctl 0 -p "$GP" --json tx
check "tx: one stage" "$(jq 'length' <<<"$OUT")" 1

ctl 0 -p "$GP" rate 0 5k
check "rate reply" "$OUT" "sender 0: rate 5000 events/s"
ctl 0 -p "$GP" --json sender 0
check "rate set" "$(jq .rate_target <<<"$OUT")" 5000
ctl 0 -p "$GP" rate all 30k
ctl 0 -p "$GP" --json sender 0
check "rate all" "$(jq .rate_target <<<"$OUT")" 30000

# Paused, the sender commits nothing more.
ctl 0 -p "$GP" pause all
check "pause reply" "$OUT" "sender 0: paused"
sleep 0.3
ctl 0 -p "$GP" --json xstats 0
c1=$(jq .events_committed <<<"$OUT")
check "paused gauge" "$(jq .paused <<<"$OUT")" 1
sleep 0.5
ctl 0 -p "$GP" --json xstats 0
check "paused: committed unchanged" "$(jq .events_committed <<<"$OUT")" "$c1"
ctl 0 -p "$GP" resume 0
check "resume reply" "$OUT" "sender 0: running"
sleep 0.3
ctl 0 -p "$GP" --json xstats 0
[ "$(jq .events_committed <<<"$OUT")" -gt "$c1" ] ||
	fail "resumed: committed did not grow"
ok "resumed: committed grows"

ctl 0 -p "$GP" pause 0
ctl 0 -p "$GP" reset all
ctl 0 -p "$GP" tx-reset 0
ctl 0 -p "$GP" --json xstats 0
check "reset: committed" "$(jq .events_committed <<<"$OUT")" 0
ctl 0 -p "$GP" --json tx-xstats 0
check "tx-reset: sent" "$(jq .tx_sent <<<"$OUT")" 0
ctl 0 -p "$GP" resume 0

ctl 0 -p "$GP" top -n 2 -i 0.2
check "top: frames" "$(grep -c '^sender  *rate/s' <<<"$OUT")" 2
grep -Eq '^ +0 +[0-9]+ +30000 ' <<<"$OUT" || fail "top: no rate in: $OUT"
ok "top: a measured rate on the second frame"
ctl 0 -p "$GP" raw /emit/info
check "raw" "$(jq .senders <<<"$OUT")" 1

# Refusals: status 1 with the cause, or 2 for bad usage.
ctl 1 -p "$GP" rate 7 100
grep -q "no sender 7 here (senders: 0)" <<<"$ERR" || fail "rate 7: $ERR"
ctl 2 -p "$GP" rate 0 fast
grep -q "bad rate 'fast'" <<<"$ERR" || fail "rate fast: $ERR"
ctl 2 -p "$GP" rate 0 2000G
ctl 2 -p "$GP" pause -1
ctl 2 -p "$GP" xstats 70000
ctl 1 -p "$GP" tx-xstats 3
grep -q "no TX stage 3" <<<"$ERR" || fail "tx-xstats 3: $ERR"
ctl 1 -p "$GP" raw /emit/nowhere
grep -q "unknown endpoint /emit/nowhere" <<<"$ERR" || fail "raw: $ERR"
ctl 1 -p "$GP" raw /emit/sender,x
grep -q "refused" <<<"$ERR" || fail "raw refused: $ERR"
ctl 2 -p "$GP" raw emit/info
ctl 2 -p "$GP" frobnicate
ctl 2 -p "$GP" top -i 0
ctl 2 senders
ctl 1 -p "no-such-prefix-$$" info
grep -q "no telemetry socket" <<<"$ERR" || fail "no process: $ERR"

# emit-sink: the same client, its own view; gen-only commands refused.
ctl 0 -p "$SP" info
grep -q "emit-sink: running" <<<"$OUT" || fail "sink info: $OUT"
ctl 0 -p "$SP" --json senders
check "sink senders" "$OUT" "[]"
ctl 0 -p "$SP" top -n 1
grep -q "emit-sink running" <<<"$OUT" || fail "sink top: $OUT"
ctl 1 -p "$SP" pause 0
grep -q "needs emit-gen" <<<"$ERR" || fail "sink pause: $ERR"
ctl 1 -p "$SP" sender 3

# The module from a script.
PYTHONPATH=$EMIT_SRC/scripts python3 - "$GP" >"$E2E_DIR/py.out" <<'PY' ||
import sys
from emit_client import Client, EmitError
with Client(sys.argv[1]) as c:
    assert c.kind() == "gen"
    sid = c.senders()[0]
    c.set_rate(sid, "2500")
    assert c.sender(sid)["rate_target"] == 2500
    try:
        c.set_rate(sid, -1)
    except EmitError as e:
        print("refused:", e)
    print("rate", c.sender(sid)["rate_target"])
PY
	fail "the module: $(cat "$E2E_DIR/py.out")"
grep -q "^refused: bad rate '-1'" "$E2E_DIR/py.out" || fail "module refusal"
check "module rate" "$(tail -1 "$E2E_DIR/py.out")" "rate 2500"

grep -q "top \[-i S\]" <<<"$("$CTL" --help)" || fail "--help"
ok "--help"

kill -INT "$gen_pid"
wait_pid "$gen_pid"
check "emit-gen exit status" "$?" 0
kill -INT "$sink_pid"
wait_pid "$sink_pid"
check "emit-sink exit status" "$?" 0
ok "all checks passed"
