#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build emit twice (optimised, and with ASan + UBSan) and run every test
# suite in both; lint, a build without metrics, a build without the test
# packages and short fuzzing runs are one counted step each. Ends with
# "N passed, N failed, N skipped"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" "${EMIT_TEST_PKGS[@]}" || exit 1
mkdir -p build

passed=0
failed=0
skipped=0

# run_suites DIR LABEL: run all suites of one build and add up the results
# from meson's machine-readable log (one JSON object per test, with its
# "result"): OK and EXPECTEDFAIL pass, SKIP is skipped, every other result
# (FAIL, TIMEOUT, UNEXPECTEDPASS, ERROR, or one this script does not know)
# fails. A run that leaves no log, or a log without a single test, is a
# failure; so is a non-zero exit of meson test that the log does not
# account for.
run_suites() {
	local dir=$1 label=$2 log=$1/meson-logs/testlog.json rc counts
	local n_ok n_fail n_skip
	echo "== $label: meson test" >&2
	rm -f "$log"
	meson test -C "$dir" --no-rebuild --print-errorlogs >&2
	rc=$?
	if [ ! -s "$log" ]; then
		echo "$label: meson test (exit $rc) wrote no $log" >&2
		failed=$((failed + 1))
		return
	fi
	if ! counts=$(python3 - "$log" <<'EOF'
import json, sys
n = {"passed": 0, "failed": 0, "skipped": 0}
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    t = json.loads(line)
    r = t["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        n["passed"] += 1
    elif r == "SKIP":
        n["skipped"] += 1
    else:
        n["failed"] += 1
        print("failed: %s (%s)" % (t.get("name", "?"), r), file=sys.stderr)
if sum(n.values()) == 0:
    sys.exit("no test in the log")
print(n["passed"], n["failed"], n["skipped"])
EOF
	); then
		echo "$label: cannot read $log" >&2
		failed=$((failed + 1))
		return
	fi
	read -r n_ok n_fail n_skip <<<"$counts"
	echo "$label: $n_ok passed, $n_fail failed, $n_skip skipped" >&2
	passed=$((passed + n_ok))
	failed=$((failed + n_fail))
	skipped=$((skipped + n_skip))
	if [ "$rc" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
		echo "$label: meson test exited $rc with no failed test" >&2
		failed=$((failed + 1))
	fi
}

# Without the test-only packages, as on a machine where scripts/run.sh
# installed the build packages only: one counted step. In build/nodeps,
# -Dtests=disabled must not read tests/ at all, then -Dtests=auto with
# cmocka and jansson hidden must find neither (meson's log says so), say
# so in its one line and still build the library and both CLIs; emit-gen
# then runs 1 s and exits 0. Hidden: pkg-config sees a directory of
# links to every .pc file but theirs, and DPDK's own .pc without jansson
# among the private requirements of its static libraries (a shared build
# does not use them); meson's CMake lookup is given no CMake to run.
nodeps_check() {
	local dir=build/nodeps pc=build/nodeps.pc ini=build/nodeps.ini d f
	rm -rf "$dir" "$pc" && mkdir -p "$pc" || return 1
	for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
		for f in "$d"/*.pc; do
			[ -e "$f" ] || continue
			case ${f##*/} in
			cmocka.pc | jansson.pc) continue ;;
			libdpdk.pc)
				[ -e "$pc/libdpdk.pc" ] ||
					sed '/^Requires.private:/s/, *jansson\b//; /^Requires.private:/s/\bjansson, *//' \
						"$f" >"$pc/libdpdk.pc"
				;;
			*) [ -e "$pc/${f##*/}" ] || ln -s "$f" "$pc/" ;;
			esac
		done
	done
	printf "[binaries]\ncmake = 'false'\n" >"$ini" || return 1
	(
		unset PKG_CONFIG_PATH
		export PKG_CONFIG_LIBDIR=$PWD/$pc
		meson setup "$dir" --buildtype=release --native-file "$ini" \
			-Dtests=disabled >"$dir.setup.log" 2>&1 || exit 1
		if grep -qi "dependency cmocka" "$dir/meson-logs/meson-log.txt"; then
			echo "nodeps: -Dtests=disabled looked for cmocka" >&2
			exit 1
		fi
		ninja -C "$dir" >&2 || exit 1
		meson setup --reconfigure "$dir" -Dtests=auto \
			>"$dir.setup.log" 2>&1 || exit 1
		for f in cmocka jansson; do
			grep -q "^Run-time dependency $f found: NO" \
				"$dir/meson-logs/meson-log.txt" || {
				echo "nodeps: the lookup of $f did not fail" >&2
				exit 1
			}
		done
		if [ "$(grep -c "tests not built" "$dir.setup.log")" -ne 1 ]; then
			echo "nodeps: not one line saying the tests are not built" >&2
			exit 1
		fi
		grep "tests not built" "$dir.setup.log" >&2
		ninja -C "$dir" >&2 || exit 1
	) || {
		cat "$dir.setup.log" >&2
		return 1
	}
	if [ "$(meson introspect "$dir" --tests)" != "[]" ]; then
		echo "nodeps: tests defined without their dependencies" >&2
		return 1
	fi
	[ -x "$dir/app/emit-sink" ] || return 1
	"$dir/app/emit-gen" --duration 1 --stats-interval 0 >&2
}

if emit_build build/release --buildtype=release -Dtests=enabled; then
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

echo "== without the test packages: build, emit-gen 1 s" >&2
if nodeps_check; then
	passed=$((passed + 1))
else
	echo "build or run without the test packages failed" >&2
	failed=$((failed + 1))
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if emit_build build/asan --buildtype=debug -Db_sanitize=address,undefined \
	-Db_lundef=false -Dtests=enabled; then
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
