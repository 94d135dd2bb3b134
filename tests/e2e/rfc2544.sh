#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-rfc2544 end to end with the Linux kernel as the device under test:
# emit-gen -> veth -> a namespace that forwards and shapes with tc tbf ->
# veth -> emit-sink (tests/e2e/loop_lib.sh). For each frame size swept,
# the highest lossless rate found is within the search resolution of the
# rate tbf allows; then the same search attached to running processes,
# with a loss threshold; and bad invocations.
. "$EMIT_SRC/tests/e2e/loop_lib.sh"
need_netns
need_cmds jq python3 tc
gen_need_opts --rate --senders --tx-cores --policy --size --duration \
	--src-mac --dst-mac --src-ip --dst-ip

RFC=$EMIT_SRC/scripts/emit-rfc2544
CTL=$EMIT_SRC/scripts/emitctl
loop_up
# 10 Mbit/s of frames (tbf counts a frame's bytes without FCS): 9765
# 128-byte frames/s, 4882 of 256 bytes. The queue holds 64 KiB, more
# than the senders' 20 ms catch-up bursts at the highest rate tried; what
# it lets through above the tbf rate in a 2 s trial (256 frames/s at most)
# is within the resolution.
BITS=10000000
ip netns exec "$LOOP_F" tc qdisc add dev "$LOOP_FWD_OUT" root tbf \
	rate "$BITS" burst 4096 limit 65536 || fail "tc tbf"
ok "path $LOOP_G -> $LOOP_F (forwarding, tbf $BITS bit/s) -> $LOOP_K"

RES=500
SINK_CMD="ip netns exec $LOOP_K $EMIT_SINK -l 0 $(e2e_eal sweep-sink)
	--vdev net_af_packet0,iface=$LOOP_SINK_IF,framecnt=65536
	-- --stats-interval 0"
GEN_CMD="$(loop_gen_cmd sweep-gen) -- $LOOP_GEN_NET --senders 2
	--tx-cores 1 --policy hold"
"$RFC" --gen-cmd "$GEN_CMD" --sink-cmd "$SINK_CMD" --sizes 128,256 \
	--rate-min 1000 --rate-max 20000 --resolution "$RES" --trial 2 \
	--settle 0.5 --json "$E2E_DIR/sweep.json" 2>"$E2E_DIR/sweep.err"
rc=$?
cat "$E2E_DIR/sweep.err"
check "sweep: exit status" "$rc" 0
J=$E2E_DIR/sweep.json
check "sweep: complete" "$(jqv "$J" .complete)" true
check "sweep: sizes" "$(jqv "$J" '[.results[].size] | map(tostring) |
	join(",")')" "128,256"
for size in 128 256; do
	r=$(jq ".results[] | select(.size == $size)" "$J")
	got=$(jq .rate <<<"$r")
	want=$((BITS / 8 / size))
	if [ "$got" -lt $((want - RES)) ] || [ "$got" -gt $((want + RES)) ]; then
		fail "size $size: found $got events/s, tbf allows $want"
	fi
	ok "size $size: found $got events/s, tbf allows $want (+-$RES)"
	# The search brackets it: a lossless trial at the result and a
	# lossy one at most a resolution above.
	check "size $size: result trial lossless" "$(jq "[.trials[] |
		select(.rate == $got)] | last | .lost" <<<"$r")" 0
	above=$(jq .lowest_failed_rate <<<"$r")
	if [ "$above" = null ] || [ $((above - got)) -gt "$RES" ]; then
		fail "size $size: lowest failed rate $above"
	fi
	# A failed trial lost frames, or emit-gen did not offer its rate
	# (then it is not a pass whatever it lost); a passed one was offered
	# its rate.
	check "size $size: failed trials lost" "$(jq "[.trials[] |
		select(.pass | not) | .lost > 0 or .generator_limited] |
		all" <<<"$r")" true
	check "size $size: passed trials offered" "$(jq "[.trials[] |
		select(.pass) | .generator_limited | not] | all" <<<"$r")" true
	check "size $size: no drops at emit-gen" "$(jq "[.trials[] |
		.dropped_gen] | add" <<<"$r")" 0
	check "size $size: sent = received + lost" "$(jq "[.trials[] |
		.sent == .received + .lost] | all" <<<"$r")" true
done

# The search as a picture, where matplotlib is installed.
for py in python3 /usr/bin/python3; do
	"$py" -c "import matplotlib" 2>/dev/null || continue
	"$py" "$EMIT_SRC/scripts/emit-plot" "$J" -o "$E2E_DIR/sweep.png" \
		--width 800 --height 500 || fail "emit-plot of the search"
	[ -s "$E2E_DIR/sweep.png" ] || fail "emit-plot: empty picture"
	ok "emit-plot: the search rendered"
	break
done

# Attached to running processes, with a 5% loss threshold: the partial
# drop rate is at least the lossless one.
loop_sink att-sink
sink_pid=$BG_PID
# shellcheck disable=SC2046,SC2086
bg att-gen $(loop_gen_cmd att-gen) -- $LOOP_GEN_NET --senders 2 \
	--tx-cores 1 --duration 0 --rate 16000 --size 128 --stats-interval 0
gen_pid=$BG_PID
GP="emit-$E2E_TEST-att-gen-$$"
SP="emit-$E2E_TEST-att-sink-$$"
for _ in $(seq 300); do
	"$CTL" -p "$GP" senders >/dev/null 2>&1 && break
	kill -0 "$gen_pid" 2>/dev/null || fail "attach: emit-gen ended early"
	sleep 0.1
done
"$RFC" --gen-prefix "$GP" --sink-prefix "$SP" --rate-min 8000 \
	--rate-max 16000 --resolution 1000 --trial 1 --threshold 5 \
	--json - >"$E2E_DIR/att.json" 2>"$E2E_DIR/att.err"
rc=$?
cat "$E2E_DIR/att.err"
check "attach: exit status" "$rc" 0
got=$(jqv "$E2E_DIR/att.json" '.results[0].rate')
lossless=$(jq '.results[] | select(.size == 128) | .rate' "$J")
[ "$got" -ge $((lossless - 1000)) ] ||
	fail "attach: 5% threshold rate $got below the lossless $lossless"
ok "attach: 5% threshold rate $got (lossless $lossless)"
check "attach: passed trials within 5%" "$(jq '[.results[0].trials[] |
	select(.pass) | .loss_pct <= 5] | all' "$E2E_DIR/att.json")" true
"$CTL" -p "$GP" --json sender 0 >"$E2E_DIR/att.sender" ||
	fail "attach: emitctl"
check "attach: senders left paused" "$(jqv "$E2E_DIR/att.sender" .paused)" 1
kill -INT "$gen_pid"
wait_pid "$gen_pid"
check "attach: emit-gen exit status" "$?" 0
kill -INT "$sink_pid"
wait_pid "$sink_pid"

# Bad usage: status 2 and one line.
usage() {
	local out rc
	out=$("$RFC" "$@" 2>&1 >/dev/null)
	rc=$?
	check "usage '$*': status" "$rc" 2
	[ "$(wc -l <<<"$out")" -eq 1 ] || fail "usage '$*': $out"
}
usage
usage --gen-prefix a --sink-prefix b
usage --gen-prefix a --rate-max 1000
usage --gen-prefix a --sink-prefix b --rate-max 1000 --sizes 64
usage --gen-prefix a --sink-prefix b --rate-max 1000 --rate-min 2000
usage --gen-prefix a --sink-prefix b --rate-max lots
usage --gen-prefix a --sink-prefix b --rate-max 1000 --trial 0
usage --gen-prefix a --sink-prefix b --rate-max 1000 --threshold 100
usage --gen-prefix a --sink-prefix b --rate-max 1000 --retries -1
usage --gen-cmd "emit-gen -- --rate 5" --sink-cmd "emit-sink" --rate-max 1000
usage --gen-cmd "emit-gen --file-prefix g -- --size 64" \
	--sink-cmd "emit-sink --file-prefix s" --rate-max 1000
usage --gen-cmd "emit-gen --file-prefix g" --sink-cmd "emit-sink" \
	--rate-max 1000
usage --gen-cmd "emit-gen --file-prefix g" \
	--sink-cmd "emit-sink --file-prefix s" --rate-max 1000 --sizes 10
"$RFC" --gen-prefix "no-gen-$$" --sink-prefix "no-sink-$$" \
	--rate-max 1000 >/dev/null 2>&1
check "no such process: status" "$?" 1
grep -q -- "--resolution" <<<"$("$RFC" --help)" || fail "--help"
ok "all checks passed"
