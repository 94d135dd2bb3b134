#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build emit twice (optimised, and with ASan + UBSan) and run every test
# suite in both. Ends with "N passed, N failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" "${EMIT_TEST_PKGS[@]}" || exit 1
mkdir -p build

passed=0
failed=0
skipped=0

# run_suites DIR LABEL: run all suites of one build, add up the results.
run_suites() {
	local dir=$1 label=$2 out
	echo "== $label: meson test" >&2
	out=$(meson test -C "$dir" --no-rebuild --print-errorlogs 2>&1)
	echo "$out" >&2
	local ok fail skip timeout
	ok=$(echo "$out" | sed -n 's/^Ok: *\([0-9]*\).*/\1/p' | tail -1)
	fail=$(echo "$out" | sed -n 's/^Fail: *\([0-9]*\).*/\1/p' | tail -1)
	skip=$(echo "$out" | sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' | tail -1)
	timeout=$(echo "$out" | sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' | tail -1)
	if [ -z "$ok" ]; then
		echo "$label: meson test produced no summary" >&2
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + ok))
	failed=$((failed + ${fail:-0} + ${timeout:-0}))
	skipped=$((skipped + ${skip:-0}))
}

if emit_build build/release --buildtype=release; then
	run_suites build/release release
	# Static analysis of the release build's sources: one counted step,
	# failed by any finding.
	echo "== lint: clang-tidy, cppcheck" >&2
	if bash scripts/lint.sh build/release >&2; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
else
	echo "release build failed" >&2
	failed=$((failed + 1))
fi

# Metrics compiled out (-Dmetrics=false, a measurement build for
# scripts/bench-scaling.sh): one counted step. It must build warning-free
# (werror), and emit-gen must run 1 s on its null port, exit 0 and count
# what it sent from the port's statistics. The test suites are not run in
# it: they check the counters that this build leaves out.
nometrics_check() {
	local json
	emit_build build/nometrics --buildtype=release -Dmetrics=false ||
		return 1
	json=$(build/nometrics/app/emit-gen --duration 1 --stats-interval 0 \
		--json -) || return 1
	echo "$json" | jq -e '.metrics == false and .exit_status == 0 and
	  .conservation.checked == false and .conservation.pools_full and
	  .totals.port_opackets > 0 and
	  .totals.events_sent == .totals.port_opackets and
	  .totals.events_committed == .totals.events_sent' >/dev/null
}
echo "== metrics compiled out: build, emit-gen 1 s" >&2
if nometrics_check; then
	passed=$((passed + 1))
else
	echo "metrics-off build or run failed" >&2
	failed=$((failed + 1))
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if emit_build build/asan --buildtype=debug -Db_sanitize=address,undefined \
	-Db_lundef=false; then
	run_suites build/asan "asan+ubsan"
else
	echo "sanitizer build failed" >&2
	failed=$((failed + 1))
fi

# Fuzzing, each target a counted step: a short bounded run (under ASan and
# UBSan) from the committed seeds; a crash or broken invariant fails it.
# EMIT_FUZZ_SECONDS changes the time per target; scripts/fuzz.sh runs
# longer on its own.
for t in decode telemetry cli; do
	echo "== fuzz: $t, ${EMIT_FUZZ_SECONDS:-30} s" >&2
	if bash scripts/fuzz.sh "${EMIT_FUZZ_SECONDS:-30}" "$t" >&2; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
