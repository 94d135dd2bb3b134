#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Measure what the commit-to-TX latency sampling costs the TX stage: cycles
# per packet with sampling off, per burst and per packet, interleaved in
# one run, reported as a ratio to "off". Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" "${EMIT_TEST_PKGS[@]}"
mkdir -p build
emit_build build/release --buildtype=release -Dtests=enabled
exec build/release/tests/perf/bench-latency "$@"
