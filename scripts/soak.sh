#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Soak: the stress test (tests/stress/test_stress.c) with many more events
# than scripts/test.sh runs, on the optimised build; not part of CI.
#
#   scripts/soak.sh [EVENTS] [RUNS]   default 1000000000 events, 1 run
#
# Each run draws new mixes (its seed is printed); EMIT_STRESS_SEED=<seed>
# repeats one. Exits non-zero at the first failed run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" "${EMIT_TEST_PKGS[@]}"
events=${1:-1000000000}
runs=${2:-1}
mkdir -p build
emit_build build/release --buildtype=release -Dtests=enabled
for ((k = 1; k <= runs; k++)); do
	echo "== soak run $k of $runs: $events events" >&2
	EMIT_STRESS_EVENTS=$events build/release/tests/stress/test_stress
done
