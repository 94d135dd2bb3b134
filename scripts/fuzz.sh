#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fuzz with libFuzzer, under AddressSanitizer and UndefinedBehaviorSanitizer:
#   decode     emit_decode() and the receive-side tracker (emit-sink's path)
#   telemetry  the /emit telemetry parameter parser and command handlers
#   cli        emit-gen's option parser and value parsers
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default: 300 s each, all three
#
# Builds build/fuzz with clang (meson -Dfuzz=true). Each target starts from
# its committed seeds (tests/fuzz/corpus/TARGET, only read) and a working
# corpus kept in build/fuzz/corpus/TARGET. A crash, a sanitizer report, a
# broken invariant or a hang (an input still running after 60 s: every
# input takes well under a millisecond, but a loaded machine can stall a
# process for seconds) keeps the input in build/fuzz/artifacts/ and fails
# the target. Prints one line per target
# and exits non-zero if one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" "${EMIT_TEST_PKGS[@]}" || exit 1

seconds=${1:-300}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode telemetry cli)
case $seconds in
'' | *[!0-9]*)
	echo "fuzz: SECONDS must be a whole number, not '$seconds'" >&2
	exit 2
	;;
esac

mkdir -p build
if [ ! -f build/fuzz/build.ninja ]; then
	CC=clang meson setup build/fuzz -Dfuzz=true --buildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false \
		>build/fuzz.setup.log 2>&1 || {
		cat build/fuzz.setup.log >&2
		exit 1
	}
fi
ninja -C build/fuzz >&2 || exit 1

# Where EAL puts the runtime directory of a file prefix.
if [ "$(id -u)" -eq 0 ]; then
	eal_runtime=/var/run/dpdk
else
	eal_runtime=${XDG_RUNTIME_DIR:-/tmp}/dpdk
fi

failed=0
total=0
for t in "${targets[@]}"; do
	bin=build/fuzz/tests/fuzz/fuzz_$t
	if [ ! -x "$bin" ] || [ ! -d "tests/fuzz/corpus/$t" ]; then
		echo "fuzz: unknown target '$t' (decode, telemetry, cli)" >&2
		failed=$((failed + 1))
		continue
	fi
	work=build/fuzz/corpus/$t
	log=build/fuzz/$t.log
	mkdir -p "$work" build/fuzz/artifacts
	# The EAL harnesses keep memory for the whole run: not a leak.
	leaks=0
	[ "$t" = cli ] && leaks=1
	# -max_total_time bounds the run, -timeout any one input; the
	# harness runs in the background so that $! is its own pid.
	ASAN_OPTIONS=detect_leaks=$leaks:abort_on_error=1:symbolize=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$bin" -max_total_time="$seconds" \
		-timeout=60 -print_final_stats=1 \
		-artifact_prefix=build/fuzz/artifacts/"$t"- \
		"$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	# A crashed harness leaves its EAL runtime directory behind.
	rm -rf "${eal_runtime:?}/emit-fuzz-$t-$pid"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -1)
	runs=${runs:-0}
	total=$((total + runs))
	if [ $rc -eq 0 ]; then
		echo "fuzz: $t ok, $runs inputs in ${seconds} s"
	else
		failed=$((failed + 1))
		echo "fuzz: $t FAILED (exit $rc) after $runs inputs; log $log"
		grep -E -m 20 'invariant broken|ERROR:|runtime error|SUMMARY|Test unit written' \
			"$log" >&2
	fi
done
echo "fuzz: $total inputs over ${#targets[@]} targets, $failed failed"
[ "$failed" -eq 0 ]
