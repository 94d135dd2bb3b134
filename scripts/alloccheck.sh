#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Zero allocation and zero locks in steady state: run emit-gen on its
# default port for two durations with a preload that counts heap
# allocations and pthread mutex locks. Set-up and teardown are the same in
# both runs, so equal totals mean the seconds in between allocated and
# locked nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}"
mkdir -p build
emit_build build/release --buildtype=release
pre=build/release/tests/perf/libcount_alloc.so
gen=build/release/app/emit-gen

count() {
	LD_PRELOAD=$PWD/$pre "$gen" -- --duration "$1" --stats-interval 0 \
		2>&1 >/dev/null | sed -n 's/^count_alloc: //p'
}
short=$(count 2)
long=$(count 6)
echo "2 s run: $short"
echo "6 s run: $long"
if [ "$short" = "$long" ]; then
	echo "steady state: 0 allocations, 0 mutex locks"
else
	echo "steady state allocates or locks" >&2
	exit 1
fi
