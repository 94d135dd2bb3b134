#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build emit (release) and measure the rate limiter on a real run: achieved
# rate against target (1K..10M events/s) with the error in ppm, and the
# unlimited throughput with the limiter off and on (never binding).
# Arguments go to emit-ratebench (e.g. --duration 5); without EAL options
# it uses 2 lcores, no hugepages and an in-process net_null port.
# A benchmark, not a test: the machine's noise shows in the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}"
mkdir -p build
emit_build build/release --buildtype=release
exec build/release/tests/perf/emit-ratebench "$@"
