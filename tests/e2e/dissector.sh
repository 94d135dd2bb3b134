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
# Both header forms over each stack: IPv4 and IPv6, untagged, 802.1Q and
# QinQ; and an unknown version, flagged.
python3 - "$E2E_DIR/stacks.pcap" <<'PY' || fail "cannot write stacks.pcap"
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def full(sender, seq, version=1):
    return struct.pack("!HBBHHQQ", 0x454d, version, 0, 7, sender, seq,
                       1700000000000000000 + seq)

def compact(sender, seq):
    return (struct.pack("!HBHQ", 0x454d, 2, sender, seq) +
            (0x123456789a + seq).to_bytes(5, "big"))

def v4(hdr):
    u = struct.pack("!HHHH", 9000, 9001, 8 + len(hdr), 0) + hdr
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 0, 0x4000, 64,
                     17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return 0x0800, ip + u

def v6(hdr):
    src = bytes.fromhex("fd000000000000000000000000000001")
    dst = bytes.fromhex("fd000000000000000000000000000002")
    ulen = 8 + len(hdr)
    u = struct.pack("!HHHH", 9000, 9001, ulen, 0) + hdr
    pseudo = src + dst + struct.pack("!IxxxB", ulen, 17)
    u = u[:6] + struct.pack("!H", csum(pseudo + u) or 0xffff) + u[8:]
    ip = struct.pack("!IHBB", 6 << 28, ulen, 17, 64) + src + dst
    return 0x86dd, ip + u

def eth(l3, tags=()):
    etype, body = l3
    b = bytes.fromhex("020000000002020000000001")
    tpids = [0x88a8, 0x8100] if len(tags) == 2 else [0x8100]
    for tpid, vid in zip(tpids, tags):
        b += struct.pack("!HH", tpid, vid)
    b += struct.pack("!H", etype) + body
    return b + bytes(max(0, 60 - len(b)))

frames = [
    eth(v4(full(1, 5))),
    eth(v4(compact(2, 7))),
    eth(v6(full(3, 9))),
    eth(v6(compact(4, 11))),
    eth(v4(full(5, 13)), (100,)),
    eth(v4(compact(6, 15)), (100, 200)),
    eth(v6(full(7, 17)), (100, 200)),
    eth(v4(full(8, 19, version=9))),
]
assert len(frames[1]) == 60
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1, i, len(fr), len(fr)) + fr)
PY
tshark -r "$E2E_DIR/stacks.pcap" -X "lua_script:$LUA" \
	-o udp.check_checksum:TRUE -T fields -E separator=, \
	-E occurrence=a -E aggregator=/ -e frame.number -e emit.form \
	-e emit.sender -e emit.seq -e emit.time_ns -e emit.time_ns_low \
	-e ieee8021ad.id -e vlan.id -e ipv6.dst -e udp.checksum.status \
	>"$E2E_DIR/stacks.txt" 2>"$E2E_DIR/tshark.err" ||
	fail "tshark on stacks.pcap: $(cat "$E2E_DIR/tshark.err")"
check "stacks: both forms over IPv4, IPv6, 802.1Q and QinQ" \
	"$(paste -sd' ' "$E2E_DIR/stacks.txt")" "$(printf '%s ' \
	"1,full,1,5,1700000000000000005,,,,,3" \
	"2,compact,2,7,,78187493537,,,,3" \
	"3,full,3,9,1700000000000000009,,,,fd00::2,1" \
	"4,compact,4,11,,78187493541,,,fd00::2,1" \
	"5,full,5,13,1700000000000000013,,,100,,3" \
	"6,compact,6,15,,78187493545,100,200,,3" \
	"7,full,7,17,1700000000000000017,,100,200,fd00::2,1" \
	"8,full,8,19,1700000000000000019,,,,,3" | sed 's/ $//')"
# tshark's output is read whole: grep -q leaving the pipe early would kill
# tshark with SIGPIPE and, under pipefail, turn a match into a failure.
grep -q "Unknown emit header version" <<<"$(tshark -r "$E2E_DIR/stacks.pcap" \
	-X "lua_script:$LUA" -Y "emit.version == 9" -V 2>/dev/null)" ||
	fail "stacks: no warning for an unknown version"
grep -q "Unknown emit header version" <<<"$(tshark -r "$E2E_DIR/stacks.pcap" \
	-X "lua_script:$LUA" -Y "emit.version == 2" -V 2>/dev/null)" &&
	fail "stacks: a warning for the compact header's version"
ok "stacks: unknown version flagged, compact one not"
ok "all checks passed"
