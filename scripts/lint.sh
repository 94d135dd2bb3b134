#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Static analysis of lib/, app/ and include/ (through the sources that
# include them) with clang-tidy (checks in .clang-tidy) and cppcheck
# (settings below, suppressions in scripts/cppcheck-suppressions.txt), using
# the compile_commands.json of a meson build.
#
#   scripts/lint.sh [BUILD_DIR]     (default: build/release)
#
# Prints every finding and a summary line; exits 1 if there is any.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
jobs=${EMIT_LINT_JOBS:-2}

if [ ! -f "$build/compile_commands.json" ]; then
	echo "lint: no $build/compile_commands.json (configure the build first)" >&2
	exit 1
fi
for tool in clang-tidy cppcheck python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "lint: $tool is not installed (scripts/deps.sh installs it)" >&2
		exit 1
	fi
done

# The project's translation units: what the build compiles from lib/ and
# app/ (tests and benchmarks are not part of the contract).
mapfile -t files < <(python3 - "$build/compile_commands.json" <<'EOF'
import json, os, sys
seen = set()
for e in json.load(open(sys.argv[1])):
    path = os.path.normpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(path)
    if rel.split(os.sep)[0] in ("lib", "app") and rel not in seen:
        seen.add(rel)
        print(rel)
EOF
)
if [ ${#files[@]} -eq 0 ]; then
	echo "lint: no lib/ or app/ source in $build/compile_commands.json" >&2
	exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# clang-tidy, one process per file, $jobs at a time. The build's flags are
# GCC's: an option clang does not know is not a finding.
printf '%s\n' "${files[@]}" |
	xargs -P "$jobs" -I{} sh -c 'clang-tidy -p "$1" --quiet \
		--extra-arg=-Wno-unknown-warning-option "$2" \
		>"$3/tidy.$(echo "$2" | tr / _).log" 2>&1' _ "$build" {} "$out"
cat "$out"/tidy.*.log | grep -v -E '^[0-9]+ (warning|error)s? generated\.$' \
	>"$out/tidy.txt"
tidy_n=$(grep -c -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$out/tidy.txt")

# cppcheck over the same build. The DPDK headers need the compiler's
# predefined byte-order macros; findings inside them are not ours.
#   --enable=warning,style,performance,portability  all but "information"
#   --inline-suppr  a justified "cppcheck-suppress" comment at the line
cppcheck --project="$build/compile_commands.json" \
	--file-filter='lib/*' --file-filter='app/*' \
	--enable=warning,style,performance,portability \
	--std=c11 --inline-suppr --quiet -j "$jobs" \
	-D__BYTE_ORDER__=1234 -D__ORDER_LITTLE_ENDIAN__=1234 \
	-D__ORDER_BIG_ENDIAN__=4321 -D__x86_64__ -D__linux__ \
	--suppressions-list=scripts/cppcheck-suppressions.txt \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	>"$out/cppcheck.txt" 2>&1
cppcheck_n=$(grep -c -E '^[^ ]+:[0-9]+:[0-9]+: ' "$out/cppcheck.txt")

[ "$tidy_n" -eq 0 ] || cat "$out/tidy.txt"
[ "$cppcheck_n" -eq 0 ] || cat "$out/cppcheck.txt"
echo "lint: ${#files[@]} files; clang-tidy $tidy_n findings, cppcheck $cppcheck_n findings"
[ "$tidy_n" -eq 0 ] && [ "$cppcheck_n" -eq 0 ]
