#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The shared library exports exactly the symbols of its export map, each
# in the version block that lists it: a symbol exported but not listed
# (a leak, e.g. a glob or a missing static), or listed but not exported
# (a name that does not exist, or was renamed), fails the test, and so
# does a symbol exported in another version than the map's.
#
# Usage: exports.sh LIBEMIT_SO EMIT_MAP
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 LIBEMIT_SO EMIT_MAP" >&2
	exit 2
fi
so=$1
map=$2
if ! command -v nm >/dev/null; then
	echo "SKIP: nm not found" >&2
	exit 77
fi
[ -r "$so" ] || { echo "FAIL: cannot read $so" >&2; exit 1; }
[ -r "$map" ] || { echo "FAIL: cannot read $map" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "name version" for every name in a global: section of the map. Comments
# are removed first; a block opens with "VERSION {" and its global names
# run until "local:" or the block's closing brace.
sed -e ':a' -e 's|/\*.*\*/||g' -e '/\/\*/{N;ba' -e '}' "$map" |
awk '
	/^[ \t]*[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ {
		ver = $1; sub(/\{.*/, "", ver); mode = ""; next
	}
	/global:/ { mode = "g"; sub(/.*global:/, "") }
	/local:/ { mode = ""; next }
	/\}/ { ver = ""; mode = ""; next }
	mode == "g" && ver != "" {
		n = split($0, w, /[ \t;]+/)
		for (i = 1; i <= n; i++)
			if (w[i] != "")
				print w[i], ver
	}
' | sort > "$tmp/map"

# "name version" for every defined dynamic symbol but the version nodes
# themselves (type A).
nm -D --defined-only "$so" |
awk '$2 != "A" { n = $3; v = n; sub(/@.*/, "", n); sub(/^[^@]*@+/, "", v);
	if (v == $3) v = "-"; print n, v }' | sort > "$tmp/so"

if [ ! -s "$tmp/map" ]; then
	echo "FAIL: no global symbol found in $map" >&2
	exit 1
fi

rc=0
if ! comm -13 "$tmp/map" "$tmp/so" > "$tmp/extra"; then
	exit 1
fi
if ! comm -23 "$tmp/map" "$tmp/so" > "$tmp/missing"; then
	exit 1
fi
if [ -s "$tmp/extra" ]; then
	echo "FAIL: exported by $(basename "$so") but not in the map" \
		"(name, version):" >&2
	sed 's/^/  /' "$tmp/extra" >&2
	rc=1
fi
if [ -s "$tmp/missing" ]; then
	echo "FAIL: in the map but not exported by $(basename "$so")" \
		"(name, version):" >&2
	sed 's/^/  /' "$tmp/missing" >&2
	rc=1
fi
if [ $rc -eq 0 ]; then
	echo "OK: $(wc -l < "$tmp/so") symbols, exactly those of the map"
fi
exit $rc
