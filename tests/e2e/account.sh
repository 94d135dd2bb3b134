#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-account on runs where the loss is known, through a forwarding
# namespace (tests/e2e/loop_lib.sh):
#  1. drops forced at the generator (a tiny ring, DROP, as fast as it can):
#     every missing event is emit-gen's, by reason; none lost in between;
#  2. loss forced in transit: 4 flows (UDP source ports 9000..9003, in
#     turn by seq) and the forwarding namespace has no route for 9002 and
#     9003: exactly half of each sender's events are lost in between, and
#     none at emit-gen;
#  3. the same path live, over telemetry, with the senders paused;
#  4. reports that do not add up: exit status 1, the cause listed.
. "$EMIT_SRC/tests/e2e/loop_lib.sh"
need_netns
need_cmds jq python3
gen_need_opts --count --rate --senders --tx-cores --policy --ring-size \
	--json --flows --src-mac --dst-mac --src-ip --dst-ip

ACC=$EMIT_SRC/scripts/emit-account
CTL=$EMIT_SRC/scripts/emitctl
loop_up
ok "path $LOOP_G -> $LOOP_F (forwarding) -> $LOOP_K"

# acct NAME: emit-account on NAME-gen.json and NAME-sink.json; the JSON
# account in NAME.acc, the table in NAME.table, the status in ACC_RC.
acct() {
	"$ACC" --gen "$E2E_DIR/$1-gen.json" --sink "$E2E_DIR/$1-sink.json" \
		--json "$E2E_DIR/$1.acc" >"$E2E_DIR/$1.table" 2>&1
	ACC_RC=$?
	cat "$E2E_DIR/$1.table"
}

# run NAME N GEN_OPTIONS...: N events per sender through the path.
run() {
	local name=$1 n=$2 rc
	shift 2
	loop_sink "$name-sink" --expect-count "$n" \
		--json "$E2E_DIR/$name-sink.json"
	local sink_pid=$BG_PID
	# shellcheck disable=SC2046,SC2086
	timeout -s INT 300 $(loop_gen_cmd "$name-gen") -- $LOOP_GEN_NET \
		--senders 2 --tx-cores 1 --count "$n" --stats-interval 0 \
		--json "$E2E_DIR/$name-gen.json" "$@" \
		>"$E2E_DIR/$name-gen.out" 2>"$E2E_DIR/$name-gen.err"
	rc=$?
	[ "$rc" -eq 0 ] || { cat "$E2E_DIR/$name-gen.err" >&2; fail "$name: emit-gen exit status $rc"; }
	sleep 0.5 # what is still in the path arrives
	kill -INT "$sink_pid"
	wait_pid "$sink_pid"
	check "$name: emit-sink exit status" "$?" 0
}

# 1. At the generator.
N=100000
run gen_drop "$N" --rate 0 --ring-size 64 --burst 32 --policy drop
acct gen_drop
check "gen_drop: emit-account status" "$ACC_RC" 0
A=$E2E_DIR/gen_drop.acc
dropped=$(jqv "$A" .totals.dropped)
[ "$dropped" -gt 0 ] || fail "gen_drop: emit-gen dropped nothing"
check "gen_drop: all by ring_full" \
	"$(jqv "$A" .totals.dropped_by.ring_full)" "$dropped"
check "gen_drop: lost in between" "$(jqv "$A" .totals.lost)" 0
check "gen_drop: generated" "$(jqv "$A" .totals.generated)" $((2 * N))
for id in $(jqv "$A" '.senders[].id'); do
	row=$(jq -c ".senders[] | select(.id == $id)" "$A")
	check "gen_drop: sender $id lost in between" "$(jq .lost <<<"$row")" 0
	check "gen_drop: sender $id generated = dropped + received" \
		"$(jq '.dropped + .received' <<<"$row")" "$N"
	# The sink's own count of missing seqs is emit-gen's drops.
	check "gen_drop: sender $id sink lost = dropped at emit-gen" \
		"$(jq .sink_lost <<<"$row")" "$(jq .dropped <<<"$row")"
done

# 2. In transit: the forwarding namespace routes only flows 9000, 9001.
ip netns exec "$LOOP_F" ip rule add ipproto udp sport 9002-9003 \
	blackhole || fail "ip rule"
N=8000
run transit "$N" --rate 10k --policy hold --flows 4 --sport 9000
acct transit
check "transit: emit-account status" "$ACC_RC" 0
A=$E2E_DIR/transit.acc
check "transit: dropped at emit-gen" "$(jqv "$A" .totals.dropped)" 0
check "transit: lost in between" "$(jqv "$A" .totals.lost)" "$N"
for id in $(jqv "$A" '.senders[].id'); do
	row=$(jq -c ".senders[] | select(.id == $id)" "$A")
	check "transit: sender $id lost" "$(jq .lost <<<"$row")" $((N / 2))
	check "transit: sender $id received" "$(jq .received <<<"$row")" \
		$((N / 2))
	check "transit: sender $id dropped" "$(jq .dropped <<<"$row")" 0
done
grep -q "every event is accounted for" "$E2E_DIR/transit.table" ||
	fail "transit: table"

# 3. Live: a running emit-gen, paused, then read over telemetry.
loop_sink live-sink
sink_pid=$BG_PID
# shellcheck disable=SC2046,SC2086
bg live-gen $(loop_gen_cmd live-gen) -- $LOOP_GEN_NET --senders 2 \
	--tx-cores 1 --duration 0 --rate 5k --flows 4 --sport 9000 \
	--stats-interval 0
gen_pid=$BG_PID
GP="emit-$E2E_TEST-live-gen-$$"
SP="emit-$E2E_TEST-live-sink-$$"
for _ in $(seq 300); do
	"$CTL" -p "$GP" senders >/dev/null 2>&1 && break
	kill -0 "$gen_pid" 2>/dev/null || fail "live: emit-gen ended early"
	sleep 0.1
done
sleep 1
"$CTL" -p "$GP" pause all >/dev/null || fail "live: pause"
sleep 1
"$ACC" --gen-prefix "$GP" --sink-prefix "$SP" --json "$E2E_DIR/live.acc" \
	>"$E2E_DIR/live.table" 2>&1
check "live: emit-account status" "$?" 0
cat "$E2E_DIR/live.table"
A=$E2E_DIR/live.acc
for id in $(jqv "$A" '.senders[].id'); do
	c=$(jq ".senders[] | select(.id == $id) | .generated" "$A")
	[ "$c" -gt 0 ] || fail "live: sender $id generated nothing"
	# Seqs 0..c-1 with seq % 4 in {2, 3} have no route.
	r=$((c % 4 > 2 ? c % 4 - 2 : 0))
	check "live: sender $id lost" \
		"$(jq ".senders[] | select(.id == $id) | .lost" "$A")" \
		$((2 * (c / 4) + r))
done
kill -INT "$gen_pid"
wait_pid "$gen_pid"
check "live: emit-gen exit status" "$?" 0
kill -INT "$sink_pid"
wait_pid "$sink_pid"

# 4. Reports that do not add up.
jq '.senders[0].received += 5' "$E2E_DIR/gen_drop-sink.json" \
	>"$E2E_DIR/more-sink.json"
cp "$E2E_DIR/gen_drop-gen.json" "$E2E_DIR/more-gen.json"
acct more
check "more received than sent: status" "$ACC_RC" 1
grep -q "more than emit-gen sent" "$E2E_DIR/more.table" ||
	fail "more received than sent: no reason"
jq '.totals.malformed = 3 | .malformed.ip_cksum = 3' \
	"$E2E_DIR/transit-sink.json" >"$E2E_DIR/bad-sink.json"
cp "$E2E_DIR/transit-gen.json" "$E2E_DIR/bad-gen.json"
acct bad
check "malformed: status" "$ACC_RC" 1
grep -q "3 malformed frames" "$E2E_DIR/bad.table" || fail "malformed: reason"
jq '.senders[1].id = 77' "$E2E_DIR/transit-sink.json" \
	>"$E2E_DIR/stranger-sink.json"
cp "$E2E_DIR/transit-gen.json" "$E2E_DIR/stranger-gen.json"
acct stranger
check "unknown sender: status" "$ACC_RC" 1
grep -q "sender 77: emit-sink received" "$E2E_DIR/stranger.table" ||
	fail "unknown sender: reason"

# Bad usage: status 2 and one line; unreadable input: status 1.
usage() {
	local out rc
	out=$("$ACC" "$@" 2>&1 >/dev/null)
	rc=$?
	check "usage '$*': status" "$rc" 2
	[ "$(wc -l <<<"$out")" -eq 1 ] || fail "usage '$*': $out"
}
usage
usage --gen x.json
usage --gen x.json --sink y.json --gen-prefix p
usage --no-such-option
"$ACC" --gen "$E2E_DIR/none.json" --sink "$E2E_DIR/bad-sink.json" \
	>/dev/null 2>&1
check "missing report: status" "$?" 1
"$ACC" --gen "$E2E_DIR/bad-sink.json" --sink "$E2E_DIR/bad-sink.json" \
	>/dev/null 2>&1
check "wrong report: status" "$?" 1
grep -q -- "--sink-prefix" <<<"$("$ACC" --help)" || fail "--help"
ok "all checks passed"
