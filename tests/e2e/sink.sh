#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-sink on capture files written by tests/e2e/mkpcap.py, through net_pcap
# rx_pcap= (no root, no generator): exact counts of every kind of frame,
# stop at end of file or --count, --dport, --join, the --expect-lossless
# exit status, telemetry while it runs (with a live net_ring port that
# keeps it running until SIGINT), and bad invocations.
. "$(dirname "$0")/lib.sh"
need_cmds jq python3

MIXED=$E2E_DIR/mixed.pcap
CLEAN=$E2E_DIR/clean.pcap
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" mixed "$MIXED" || fail "mkpcap mixed"
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" clean "$CLEAN" || fail "mkpcap clean"
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" expect >"$E2E_DIR/expect.json" ||
	fail "mkpcap expect"

# sink NAME FILE [options...]: replay FILE into emit-sink; the report is
# $E2E_DIR/NAME.json, the exit status SINK_RC.
sink() {
	local name=$1 file=$2
	shift 2
	# shellcheck disable=SC2046
	"$EMIT_SINK" -l 0 $(e2e_eal "$name") --vdev "net_pcap0,rx_pcap=$file" \
		-- --json "$E2E_DIR/$name.json" --stats-interval 0 "$@" \
		>"$E2E_DIR/$name.out" 2>"$E2E_DIR/$name.err"
	SINK_RC=$?
}

# expect_report NAME: every value of expect.json is in NAME.json.
expect_report() {
	local line
	jq -r --slurpfile e "$E2E_DIR/expect.json" '
		. as $r | $e[0] as $x |
		($x.totals | to_entries[] |
			"totals.\(.key) \($r.totals[.key]) \(.value)"),
		($x.malformed | to_entries[] |
			"malformed.\(.key) \($r.malformed[.key]) \(.value)"),
		($x.latency_ns | to_entries[] |
			"latency_ns.\(.key) \($r.latency_ns[.key]) \(.value)"),
		($x.senders | to_entries[] | .key as $id | .value |
			to_entries[] | .key as $f | .value as $v |
			([$r.senders[] | select(.id == ($id | tonumber)) |
				.[$f]] | first) as $a |
			"sender\($id).\($f) \($a) \($v)")' \
		"$E2E_DIR/$1.json" >"$E2E_DIR/$1.cmp" || fail "$1: bad report"
	while read -r key actual expected; do
		check "$1: $key" "$actual" "$expected"
	done <"$E2E_DIR/$1.cmp"
}

# Every kind of frame, counted exactly; end of file stops the run.
sink mixed "$MIXED" --expect-count 1000
check "mixed: exit status" "$SINK_RC" 0
expect_report mixed
check "mixed: stop reason" "$(jqv "$E2E_DIR/mixed.json" .stop_reason)" \
	end_of_file
check "mixed: port frames" "$(jqv "$E2E_DIR/mixed.json" \
	'.ports[0].frames == .ports[0].ipackets and .ports[0].capture_file')" \
	true
check "mixed: lossless" "$(jqv "$E2E_DIR/mixed.json" .lossless)" false
grep -q "stopped by end_of_file" "$E2E_DIR/mixed.out" ||
	fail "mixed: no summary on stdout"

# The same file, lossless expected: exit status 1, with the reason.
sink mixed_lossless "$MIXED" --expect-count 1000 --expect-lossless
check "mixed --expect-lossless: exit status" "$SINK_RC" 1
grep -q -- "--expect-lossless" "$E2E_DIR/mixed_lossless.err" ||
	fail "mixed --expect-lossless: no message on stderr"

# A clean file is lossless.
sink clean "$CLEAN" --expect-count 1000 --expect-lossless
check "clean: exit status" "$SINK_RC" 0
check "clean: senders" "$(jqv "$E2E_DIR/clean.json" \
	'[.senders[] | [.id, .received, .first_seq, .last_seq, .lost,
	.reordered, .duplicated] | map(tostring) | join(":")] | join(" ")')" \
	"1:1000:0:999:0:0:0 2:1000:0:999:0:0:0"
check "clean: lossless" "$(jqv "$E2E_DIR/clean.json" .lossless)" true

# --count stops the run (a burst of 1: exactly).
sink count "$CLEAN" --count 500 --burst 1
check "count: exit status" "$SINK_RC" 0
check "count: stop reason" "$(jqv "$E2E_DIR/count.json" .stop_reason)" count
check "count: events" "$(jqv "$E2E_DIR/count.json" .totals.events)" 500

# --dport: the foreign UDP datagram is other traffic, not malformed.
sink dport "$MIXED" --dport 9001
check "dport: malformed magic" "$(jqv "$E2E_DIR/dport.json" \
	.malformed.magic)" 1
check "dport: other" "$(jqv "$E2E_DIR/dport.json" .totals.other)" 4
sink dport_none "$MIXED" --dport 9002
check "dport 9002: events" "$(jqv "$E2E_DIR/dport_none.json" \
	.totals.events)" 0

# --join: a sender first seen at seq 999 has lost nothing.
sink join "$MIXED" --join
check "join: sender 4 lost" "$(jqv "$E2E_DIR/join.json" \
	'.senders[] | select(.id == 4) | .lost')" 0

# Telemetry while running: a live net_ring port keeps the sink running
# after the file has ended, until SIGINT.
name=live
prefix="emit-$E2E_TEST-$name-$$"
# shellcheck disable=SC2046
bg "$name" "$EMIT_SINK" -l 0 $(e2e_eal "$name") \
	--vdev "net_pcap0,rx_pcap=$MIXED" --vdev net_ring0 \
	-- --json "$E2E_DIR/$name.json" --stats-interval 0 --expect-count 1000
live_pid=$BG_PID
wait_line "$E2E_DIR/$name.err" "receiving on 2 port" "$live_pid"
for i in $(seq 600); do
	python3 "$EMIT_SRC/tests/e2e/telemetry.py" "$prefix" /emit/sink \
		>"$E2E_DIR/tel.sink" 2>"$E2E_DIR/tel.err" &&
		[ "$(jq '.["/emit/sink"].events' "$E2E_DIR/tel.sink")" = 1992 ] &&
		break
	kill -0 "$live_pid" 2>/dev/null || fail "live: emit-sink ended early"
	sleep 0.1
done
check "telemetry /emit/sink events" \
	"$(jq '.["/emit/sink"].events' "$E2E_DIR/tel.sink")" 1992
check "telemetry /emit/sink state" \
	"$(jq -r '.["/emit/sink"] | [.state, .malformed, .other,
	.malformed_by.ip_cksum, .latency_p99_ns] | map(tostring) | join(" ")' \
	"$E2E_DIR/tel.sink")" "running 10 3 1 5000"
python3 "$EMIT_SRC/tests/e2e/telemetry.py" "$prefix" /emit/sink/senders \
	/emit/sink/sender,2 /emit/sink/sender,abc /emit/sink/sender,9 \
	/emit/sink/sender,70000 /emit/sink/sender >"$E2E_DIR/tel.out" ||
	fail "telemetry queries"
mapfile -t tel <"$E2E_DIR/tel.out"
check "telemetry senders" "$(jq -c '.["/emit/sink/senders"]' <<<"${tel[0]}")" \
	"[1,2,4]"
check "telemetry sender 2" "$(jq -r '.["/emit/sink/sender"] |
	"\(.received) \(.lost) \(.reordered) \(.duplicated)"' <<<"${tel[1]}")" \
	"990 11 1 1"
for j in 2 3 4 5; do
	check "telemetry bad parameter $j" \
		"$(jq -c '.["/emit/sink/sender"]' <<<"${tel[$j]}")" null
done
kill -INT "$live_pid"
wait_pid "$live_pid"
check "live: exit status" "$?" 0
check "live: stop reason" "$(jqv "$E2E_DIR/$name.json" .stop_reason)" signal
check "live: events" "$(jqv "$E2E_DIR/$name.json" .totals.events)" 1992
check "live: ports" "$(jqv "$E2E_DIR/$name.json" \
	'[.ports[].driver] | join(",")')" "net_pcap,net_ring"

# --duration stops a live port; progress lines go to stderr.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal duration) --vdev net_ring0 -- --duration 0.5 \
	--stats-interval 0.1 --json "$E2E_DIR/duration.json" \
	>"$E2E_DIR/duration.out" 2>"$E2E_DIR/duration.err"
check "duration: exit status" "$?" 0
check "duration: stop reason" "$(jqv "$E2E_DIR/duration.json" \
	.stop_reason)" duration
grep -q "events (" "$E2E_DIR/duration.err" || fail "duration: no progress line"

# --json -: only JSON on stdout, the summary on stderr.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal stdout) --vdev "net_pcap0,rx_pcap=$CLEAN" \
	-- --json - >"$E2E_DIR/stdout.json" 2>"$E2E_DIR/stdout.err"
check "json -: exit status" "$?" 0
check "json -: events" "$(jqv "$E2E_DIR/stdout.json" .totals.events)" 2000
grep -q "stopped by end_of_file" "$E2E_DIR/stdout.err" ||
	fail "json -: no summary on stderr"

# A report that cannot be written is a runtime failure.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal nowrite) --vdev "net_pcap0,rx_pcap=$CLEAN" \
	-- --json "$E2E_DIR/no/such/dir.json" >/dev/null 2>&1
check "unwritable --json: exit status" "$?" 1

# Bad invocations: exit status 2 and one line naming the problem.
bad() {
	local out rc
	out=$("$EMIT_SINK" "$@" 2>&1 >/dev/null)
	rc=$?
	check "usage '$*': exit status" "$rc" 2
	[ -n "$out" ] || fail "usage '$*': no message"
}
bad -- --count 0
bad -- --count 12x
bad -- --window 1000
bad -- --dport 65536
bad -- --duration -1
bad -- --json
bad -- --no-such-option
bad -- stray
# shellcheck disable=SC2046
bad -l 0 $(e2e_eal noport) -- --count 1
grep -q -- "--expect-lossless" <<<"$("$EMIT_SINK" --help)" || fail "--help"
ok "all checks passed"
