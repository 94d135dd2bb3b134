#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build emit and run emit-gen on its default: EAL on two lcores, a null
# port, no hugepages, no NIC; three seconds, then the summary of what it
# sent. Arguments, if any, replace "--duration 3" and go to emit-gen
# (EAL options first, then --, then emit-gen's options; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
emit_need_pkgs "${EMIT_BUILD_PKGS[@]}"
mkdir -p build
emit_build build/release --buildtype=release
if [ $# -eq 0 ]; then
	set -- --duration 3
fi
exec build/release/app/emit-gen "$@"
