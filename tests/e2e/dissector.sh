#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The Wireshark dissector scripts/emit.lua, run by tshark over capture
# files written by tests/e2e/mkpcap.py: every event's type, sender, seq and
# commit time decode to what was written, and tshark's own IPv4 checksum
# check passes on good frames and fails on the one bad frame.
. "$(dirname "$0")/lib.sh"
need_cmds tshark jq python3

LUA=$EMIT_SRC/scripts/emit.lua
BASE_NS=1700000000000000000
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" clean "$E2E_DIR/clean.pcap" ||
	fail "mkpcap clean"
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" mixed "$E2E_DIR/mixed.pcap" ||
	fail "mkpcap mixed"

# fields FILE: one line per frame: number, type, sender, seq, time_ns,
# IPv4 checksum status (1 good, 0 bad, 2 unverified).
fields() {
	tshark -r "$1" -X "lua_script:$LUA" -o ip.check_checksum:TRUE \
		-T fields -E separator=, -e frame.number -e emit.type \
		-e emit.sender -e emit.seq -e emit.time_ns \
		-e ip.checksum.status 2>"$E2E_DIR/tshark.err" ||
		{ cat "$E2E_DIR/tshark.err" >&2; fail "tshark on $1"; }
}

fields "$E2E_DIR/clean.pcap" >"$E2E_DIR/clean.txt"
check "clean: frames decoded" "$(wc -l <"$E2E_DIR/clean.txt")" 2000
# Frame n (from 1) holds type 7, sender 1 + (n-1) % 2, seq (n-1) / 2, a
# good IPv4 checksum.
check "clean: frames as written" "$(awk -F, '
	{ n = $1 - 1
	  if ($2 != 7 || $3 != 1 + n % 2 || $4 != int(n / 2) || $6 != 1)
		bad++ }
	END { print bad + 0 }' "$E2E_DIR/clean.txt")" 0
# Committed at BASE_NS + 1000 * (n-1): compared exactly, as integers.
check "clean: commit times" "$(python3 -c '
import sys
base = int(sys.argv[1])
bad = 0
for line in open(sys.argv[2]):
    n, _, _, _, t, _ = line.strip().split(",")
    bad += int(t) != base + 1000 * (int(n) - 1)
print(bad)' "$BASE_NS" "$E2E_DIR/clean.txt")" 0
check "clean: seq per sender" "$(awk -F, '{ print $3, $4 }' \
	"$E2E_DIR/clean.txt" | sort -n -k1,1 -k2,2 | uniq |
	awk '$2 != seen[$1]++ { bad++ } END { print NR, bad + 0 }')" "2000 0"

# The mixed file: frame 1995 has a wrong IPv4 header checksum, and tshark
# says so; every other IPv4 frame's checksum is good.
fields "$E2E_DIR/mixed.pcap" >"$E2E_DIR/mixed.txt"
check "mixed: bad IPv4 checksums" "$(awk -F, '$6 == "0" { print $1 }' \
	"$E2E_DIR/mixed.txt" | paste -sd' ')" 1995
check "mixed: events of senders 1 and 2" "$(awk -F, \
	'$3 == 1 || $3 == 2 { n++ } END { print n }' "$E2E_DIR/mixed.txt")" \
	1991
# The jumbo event (frame 1991) decodes too.
check "mixed: jumbo event" "$(awk -F, '$1 == 1991 { print $3, $4 }' \
	"$E2E_DIR/mixed.txt")" "4 999"
# A header of an unknown version (3) is shown with the dissector's warning.
tshark -r "$E2E_DIR/mixed.pcap" -X "lua_script:$LUA" -Y "emit.version == 3" \
	-V 2>/dev/null | grep -q "Unknown emit header version" ||
	fail "mixed: no warning for an unknown version"
ok "all checks passed"
