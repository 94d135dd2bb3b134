#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build emit and run the generator on its default: a null port, no
# hugepages, no NIC. Extra arguments go to emit-gen.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}"
mkdir -p build
emit_build build/release --buildtype=release
exec build/release/app/emit-gen "$@"
