#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End to end: start a process that serves telemetry, query it with DPDK's
# own dpdk-telemetry.py, unchanged, and check the replies with jq.
# Usage: dpdk_telemetry.sh TARGET_BINARY
set -uo pipefail

target=$1
for tool in dpdk-telemetry.py jq python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed (scripts/deps.sh installs it)"
		exit 77
	fi
done

prefix="emit-e2e-telemetry-$$"
tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		wait "$pid"
	fi
	rm -rf "$tmp"
	# The EAL runtime directory of the target's file prefix.
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix"
}
trap cleanup EXIT

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

"$target" "$prefix" >"$tmp/out" 2>"$tmp/err" &
pid=$!
# Wait for the target to be ready (the test's own timeout bounds this).
until grep -q '^ready$' "$tmp/out"; do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "target exited early:"
		cat "$tmp/err"
		pid=
		exit 1
	fi
	sleep 0.1
done

# q CMD...: one dpdk-telemetry.py session, one JSON reply per line.
q() {
	printf '%s\n' "$@" | dpdk-telemetry.py -f "$prefix"
}
# check JQ_EXPR JSON: the expression must print true.
check() {
	local got
	got=$(printf '%s\n' "$2" | jq -e "$1" 2>&1) ||
		fail "$1 on $2 gave ${got:-nothing}"
}

r=$(q /emit/info)
check '."/emit/info".senders == 1 and ."/emit/info".tx_stages == 1' "$r"
check '."/emit/info".tsc_hz > 0' "$r"
r=$(q /emit/senders)
check '."/emit/senders" == [5]' "$r"
r=$(q /emit/tx)
tx=$(printf '%s\n' "$r" | jq -r '."/emit/tx"[0]')
check '."/emit/tx" | length == 1' "$r"

# Several commands in one session.
out=$(q "/emit/sender/xstats,5" "/emit/tx/xstats,$tx" "/emit/latency,$tx" \
	/emit/totals)
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] || fail "expected 4 replies: $out"
sx=$(printf '%s\n' "$out" | sed -n 1p)
txx=$(printf '%s\n' "$out" | sed -n 2p)
lat=$(printf '%s\n' "$out" | sed -n 3p)
tot=$(printf '%s\n' "$out" | sed -n 4p)
check '."/emit/sender/xstats".events_committed == 1000' "$sx"
check '."/emit/sender/xstats" | .events_enqueued + .dropped_ring_full == 1000' "$sx"
check '."/emit/sender/xstats".events_pending == 0' "$sx"
enq=$(printf '%s\n' "$sx" | jq '."/emit/sender/xstats".events_enqueued')
check "(.\"/emit/tx/xstats\".tx_sent == $enq)" "$txx"
# Sampled per burst (the default): one sample per TX burst.
bursts=$(printf '%s\n' "$txx" | jq '."/emit/tx/xstats".tx_bursts')
check "(.\"/emit/latency\".run.samples == $bursts and $bursts > 0)" "$lat"
check '."/emit/latency".sampling == "burst"' "$lat"
check '."/emit/latency".run | .p50_ns <= .p99_ns and .p99_ns <= .max_ns' "$lat"
check '."/emit/totals".conservation_ok == 1' "$tot"
check '."/emit/totals".events_committed == 1000' "$tot"

# Live controls.
r=$(q "/emit/sender/rate,5,2500" "/emit/sender,5")
check '."/emit/sender/rate".rate_target == 2500' "$(printf '%s\n' "$r" | sed -n 1p)"
check '."/emit/sender".rate_target == 2500' "$(printf '%s\n' "$r" | sed -n 2p)"
r=$(q "/emit/sender/pause,5" "/emit/sender,5" "/emit/sender/resume,5" \
	"/emit/sender,5")
check '."/emit/sender".paused == 1' "$(printf '%s\n' "$r" | sed -n 2p)"
check '."/emit/sender".paused == 0' "$(printf '%s\n' "$r" | sed -n 4p)"

# Malformed parameters: an error reply (null), and nothing changes.
for cmd in "/emit/sender/rate,5,-1" "/emit/sender/rate,5,abc" \
	"/emit/sender/rate,5,99999999999999999999" "/emit/sender/rate,5" \
	"/emit/sender/rate,6,100" "/emit/sender,x" "/emit/sender/pause,5x" \
	"/emit/sender/xstats_reset,-5"; do
	key=${cmd%%,*}
	r=$(q "$cmd")
	check ".\"$key\" == null" "$r"
done
r=$(q "/emit/sender,5" "/emit/sender/xstats,5")
check '."/emit/sender" | .rate_target == 2500 and .paused == 0' "$(printf '%s\n' "$r" | sed -n 1p)"
check '."/emit/sender/xstats".events_committed == 1000' "$(printf '%s\n' "$r" | sed -n 2p)"

# Reset: the reply holds what was cleared.
r=$(q "/emit/sender/xstats_reset,5" "/emit/sender/xstats,5")
check '."/emit/sender/xstats_reset".events_committed == 1000' "$(printf '%s\n' "$r" | sed -n 1p)"
check '."/emit/sender/xstats".events_committed == 0' "$(printf '%s\n' "$r" | sed -n 2p)"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || { fail "target exited with $rc"; cat "$tmp/err"; }

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "telemetry e2e: all checks passed"
