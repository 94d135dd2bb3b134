#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Frames on the wire: emit-gen writes captures with net_pcap (tx_pcap=),
# each checked by tshark (IPv4 and UDP checksums validated, sizes and their
# proportions, VLAN tags, the destination addresses covered) and by
# emit-sink replaying it (rx_pcap=: lossless, every sequence complete, the
# size buckets and VLANs of the capture). Cases: default frames; IMIX with
# one VLAN and a destination range; IPv6; QinQ; 60-byte frames; 9000-byte
# frames; a replayed capture (--replay, with --loop, --rate and
# --replay-timing, and the captures it must refuse).
#
# A case whose emit-gen options do not exist in this build is skipped and
# named at the end; the test skips (77) only if every case is skipped.
. "$(dirname "$0")/lib.sh"
need_cmds tshark jq python3

CHECK=$EMIT_SRC/tests/e2e/frames_check.py
RAN=()
SKIPPED=()

# opts_ok ARG...: emit-gen's parser takes ARG... (it stops at --help).
opts_ok() {
	"$EMIT_GEN" -- "$@" --help >/dev/null 2>&1
}

# pick VAR CANDIDATE...: VAR receives the first candidate (a list of
# words) that emit-gen takes; 1 if none.
pick() {
	local var=$1 c words
	shift
	for c in "$@"; do
		read -ra words <<<"$c"
		if opts_ok "${words[@]}"; then
			printf -v "$var" '%s' "$c"
			return 0
		fi
	done
	return 1
}

# gen NAME ARG...: emit-gen, one sender, writes NAME.pcap; its report is
# NAME.gen.json.
gen() {
	local name=$1
	shift
	# shellcheck disable=SC2046
	"$EMIT_GEN" --lcores 0@0,1@1 $(e2e_eal "$name") \
		--vdev "net_pcap0,tx_pcap=$E2E_DIR/$name.pcap" -- \
		--senders 1 --tx-cores 1 --stats-interval 0 \
		--json "$E2E_DIR/$name.gen.json" "$@" \
		>"$E2E_DIR/$name.gen.out" 2>"$E2E_DIR/$name.gen.err" ||
		fail "$name: emit-gen $*: $(cat "$E2E_DIR/$name.gen.err")"
}

# fields NAME: tshark's view of NAME.pcap into NAME.fields.
fields() {
	tshark -r "$E2E_DIR/$1.pcap" -n -o ip.check_checksum:TRUE \
		-o udp.check_checksum:TRUE -T fields -E separator=/t \
		-E occurrence=a -E aggregator=, -e frame.len -e vlan.id \
		-e ip.dst -e ipv6.dst -e ip.checksum.status \
		-e udp.checksum.status -e udp.dstport -e ieee8021ad.id \
		>"$E2E_DIR/$1.fields" 2>"$E2E_DIR/$1.tshark.err" ||
		fail "$1: tshark: $(cat "$E2E_DIR/$1.tshark.err")"
}

# sink NAME N: emit-sink replays NAME.pcap into NAME.sink.json.
sink() {
	# shellcheck disable=SC2046
	"$EMIT_SINK" -l 0 $(e2e_eal "$1-sink") \
		--vdev "net_pcap0,rx_pcap=$E2E_DIR/$1.pcap" -- \
		--expect-count "$2" --expect-lossless --stats-interval 0 \
		--json "$E2E_DIR/$1.sink.json" >"$E2E_DIR/$1.sink.out" 2>&1 ||
		fail "$1: emit-sink: $(cat "$E2E_DIR/$1.sink.out")"
}

# verify NAME N CHECK-ARG...: tshark and emit-sink on NAME.pcap.
verify() {
	local name=$1 n=$2
	shift 2
	fields "$name"
	sink "$name" "$n"
	python3 "$CHECK" "$E2E_DIR/$name.fields" --count "$n" \
		--sink "$E2E_DIR/$name.sink.json" "$@" | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: the capture is not as asked"
	RAN+=("$name")
}

skipped() {
	echo "skip: $1: $2"
	SKIPPED+=("$1 ($2)")
}

# Default frames: 128 bytes, IPv4, untagged, one destination.
case_default() {
	gen default --count 2000 --flows 4
	verify default 2000 --size 128 --dst-range 10.0.0.2 10.0.0.2
}

# IMIX (7:4:1) with one VLAN and a range of ten destinations.
case_imix_vlan() {
	local imix vlan range
	pick imix "--size imix" || { skipped imix_vlan "no --size imix"; return; }
	pick vlan "--vlan 100" || { skipped imix_vlan "no --vlan"; return; }
	pick range "--dst-ip 10.0.1.1-10.0.1.10" \
		"--dst-ip 10.0.1.1..10.0.1.10" ||
		{ skipped imix_vlan "no --dst-ip range"; return; }
	# shellcheck disable=SC2086
	gen imix_vlan --count 6000 $imix $vlan $range
	verify imix_vlan 6000 --mix 7:4:1 --vlans 100 \
		--dst-range 10.0.1.1 10.0.1.10
}

# IPv6 (UDP checksum always present and valid).
case_ipv6() {
	local v6
	pick v6 "--src-ip fd00::1 --dst-ip fd00::2" "--ipv6" ||
		{ skipped ipv6 "no IPv6 addresses"; return; }
	# shellcheck disable=SC2086
	gen ipv6 --count 2000 $v6
	verify ipv6 2000 --ipv6
}

# QinQ: outer tag 100, inner 200.
case_qinq() {
	local q
	pick q "--vlan 100,200" "--qinq 100,200" \
		"--svlan 100 --vlan 200" ||
		{ skipped qinq "no QinQ option"; return; }
	# shellcheck disable=SC2086
	gen qinq --count 2000 $q
	verify qinq 2000 --vlans 100,200
}

# 60-byte frames: the compact header.
case_size60() {
	opts_ok --size 60 || { skipped size60 "no --size 60"; return; }
	gen size60 --count 2000 --size 60
	verify size60 2000 --size 60
}

# 9000-byte (jumbo) frames.
case_jumbo() {
	opts_ok --size 9000 || { skipped jumbo "no --size 9000"; return; }
	gen jumbo --count 500 --size 9000
	verify jumbo 500 --size 9000
}

# A pcap FILE of the frames of SRC with TIMES (ns from 0, one per frame,
# repeated as needed), and byte-identical comparison of two captures.
PCAPTOOL='
import struct, sys
def read(path):
    b = open(path, "rb").read()
    magic = struct.unpack("<I", b[:4])[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), hex(magic)
    pos, out = 24, []
    while pos < len(b):
        _, _, incl, _ = struct.unpack("<IIII", b[pos:pos + 16])
        out.append(b[pos + 16:pos + 16 + incl])
        pos += 16 + incl
    return out
def write(path, frames, times):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            t = times[i % len(times)]
            f.write(struct.pack("<IIII", t // 10**9, t % 10**9, len(fr),
                                len(fr)))
            f.write(fr)
cmd = sys.argv[1]
if cmd == "same":
    a, b = read(sys.argv[2]), read(sys.argv[3])
    reps = int(sys.argv[4])
    if b != a * reps:
        sys.exit("%d frames vs %d x %d, or their bytes differ"
                 % (len(b), len(a), reps))
elif cmd == "retime":
    fr = read(sys.argv[2])[:int(sys.argv[4])]
    gap = int(sys.argv[5])
    write(sys.argv[3], fr, [i * gap for i in range(len(fr))])
elif cmd == "frame":
    # one frame of N bytes, from the first of SRC padded
    fr = read(sys.argv[2])[0]
    n = int(sys.argv[4])
    write(sys.argv[3], [fr[:n] + bytes(max(0, n - len(fr)))], [0])
'

pcaptool() {
	python3 -c "$PCAPTOOL" "$@"
}

# refused NAME FILE WHAT: emit-gen --replay FILE exits 2 with one line
# saying WHAT, and sends nothing.
refused() {
	local name=$1 file=$2 what=$3 rc lines
	# shellcheck disable=SC2046
	"$EMIT_GEN" --lcores 0@0,1@1 $(e2e_eal "$name") \
		--vdev "net_pcap0,tx_pcap=$E2E_DIR/$name.pcap" -- \
		--senders 1 --tx-cores 1 --stats-interval 0 --replay "$file" \
		>"$E2E_DIR/$name.out" 2>"$E2E_DIR/$name.err"
	rc=$?
	check "$name: exit status" "$rc" 2
	lines=$(grep -c '^emit-gen:' "$E2E_DIR/$name.err")
	check "$name: lines of reason" "$lines" 1
	grep -q -- "$what" "$E2E_DIR/$name.err" ||
		fail "$name: '$(cat "$E2E_DIR/$name.err")' does not say '$what'"
	if [ -s "$E2E_DIR/$name.pcap" ] &&
	   [ "$(stat -c %s "$E2E_DIR/$name.pcap")" -gt 24 ]; then
		fail "$name: frames were sent"
	fi
	ok "$name: refused ($what), nothing sent"
}

# --replay: the frames of a capture, as they are.
case_replay() {
	local src=$E2E_DIR/replay_src.pcap d
	opts_ok --replay x || { skipped replay "no --replay"; return; }
	gen replay_src --count 3000 --flows 3 --size 200
	# Once: the same bytes, checked as any capture.
	gen replay --replay "$src"
	pcaptool same "$src" "$E2E_DIR/replay.pcap" 1 ||
		fail "replay: not the frames of the capture"
	ok "replay: the 3000 frames, byte for byte"
	check "replay: config.replay.frames" \
		"$(jq .config.replay.frames "$E2E_DIR/replay.gen.json")" 3000
	check "replay: events_sent" \
		"$(jq .totals.events_sent "$E2E_DIR/replay.gen.json")" 3000
	check "replay: stop_reason" \
		"$(jq -r .stop_reason "$E2E_DIR/replay.gen.json")" replay
	verify replay 3000 --size 200 --dst-range 10.0.0.2 10.0.0.2
	# Three loops, counted in every total.
	gen replay3 --replay "$src" --loop 3 --burst 16
	pcaptool same "$src" "$E2E_DIR/replay3.pcap" 3 ||
		fail "replay3: not three times the capture"
	check "replay3: events_sent" \
		"$(jq .totals.events_sent "$E2E_DIR/replay3.gen.json")" 9000
	check "replay3: bytes sent" \
		"$(jq '[.tx[].xstats.tx_bytes] | add' \
			"$E2E_DIR/replay3.gen.json")" $((9000 * 200))
	check "replay3: config.replay.loop" \
		"$(jq .config.replay.loop "$E2E_DIR/replay3.gen.json")" 3
	# --rate: 400 frames at 2000/s take about 0.2 s.
	pcaptool retime "$src" "$E2E_DIR/timed.pcap" 400 0 ||
		fail "cannot write timed.pcap"
	gen rate --replay "$E2E_DIR/timed.pcap" --rate 2000
	d=$(jq .duration_s "$E2E_DIR/rate.gen.json")
	python3 -c "import sys; sys.exit(not 0.15 <= $d <= 2)" ||
		fail "rate: 400 frames at 2000/s took $d s"
	ok "rate: 400 frames at 2000/s in $d s"
	# --replay-timing: 50 frames 4 ms apart span 196 ms on the wire too.
	pcaptool retime "$src" "$E2E_DIR/spaced.pcap" 50 4000000 ||
		fail "cannot write spaced.pcap"
	gen timing --replay "$E2E_DIR/spaced.pcap" --replay-timing
	d=$(tshark -r "$E2E_DIR/timing.pcap" -T fields \
		-e frame.time_relative 2>/dev/null | tail -1)
	python3 -c "import sys; sys.exit(not 0.17 <= $d <= 2)" ||
		fail "timing: 50 frames 4 ms apart went out over $d s"
	ok "timing: 50 frames 4 ms apart went out over $d s"
	# Captures refused before anything is sent.
	echo "not a capture at all" >"$E2E_DIR/text.pcap"
	refused bad_text "$E2E_DIR/text.pcap" "not a pcap file"
	head -c 24 "$src" >"$E2E_DIR/empty.pcap"
	refused bad_empty "$E2E_DIR/empty.pcap" "no frames"
	head -c 1000 "$src" >"$E2E_DIR/cut.pcap"
	refused bad_cut "$E2E_DIR/cut.pcap" "truncated"
	pcaptool frame "$src" "$E2E_DIR/mtu.pcap" 1600 ||
		fail "cannot write mtu.pcap"
	refused bad_mtu "$E2E_DIR/mtu.pcap" "more than the MTU"
	pcaptool frame "$src" "$E2E_DIR/room.pcap" 3000 ||
		fail "cannot write room.pcap"
	refused bad_room "$E2E_DIR/room.pcap" "larger than the mbuf room"
	refused bad_missing "$E2E_DIR/none.pcap" "cannot open"
	RAN+=("replay (loops, rate, timing, refusals)")
}

case_default
case_imix_vlan
case_ipv6
case_qinq
case_size60
case_jumbo
case_replay

echo "ran: ${RAN[*]}"
if [ "${#SKIPPED[@]}" -ne 0 ]; then
	printf 'skipped: %s\n' "${SKIPPED[@]}"
fi
[ "${#RAN[@]}" -ne 0 ] || skip "every case needs an emit-gen option this build lacks"
exit 0
