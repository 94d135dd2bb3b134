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
. "$(dirname "$0")/lib.sh"
need_cmds tshark jq python3

CHECK=$EMIT_SRC/tests/e2e/frames_check.py
RAN=()

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

# expert NAME: tshark, with the emit dissector and the checksums
# validated, reports no expert warning or error on NAME.pcap.
expert() {
	tshark -r "$E2E_DIR/$1.pcap" -n -X "lua_script:$EMIT_SRC/scripts/emit.lua" \
		-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-z expert -q >"$E2E_DIR/$1.expert" 2>"$E2E_DIR/$1.tshark.err" ||
		fail "$1: tshark: $(cat "$E2E_DIR/$1.tshark.err")"
	if grep -qE '^(Errors|Warns) \(' "$E2E_DIR/$1.expert"; then
		fail "$1: tshark expert info: $(cat "$E2E_DIR/$1.expert")"
	fi
	ok "$1: no expert warning or error from tshark"
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
	expert "$name"
	sink "$name" "$n"
	python3 "$CHECK" "$E2E_DIR/$name.fields" --count "$n" \
		--sink "$E2E_DIR/$name.sink.json" "$@" | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: the capture is not as asked"
	RAN+=("$name")
}

# Default frames: 128 bytes, IPv4, untagged, one destination.
case_default() {
	gen default --count 2000 --flows 4
	verify default 2000 --size 128 --dst-range 10.0.0.2 10.0.0.2
}

# IMIX (7:4:1) with one VLAN and a range of ten destinations: the
# classic 60-byte frame grows by the tag to 64 (the smallest with it).
case_imix_vlan() {
	gen imix_vlan --count 6000 --size 64,576,1500:7,4,1 --vlan 100 \
		--dst-ip 10.0.1.1-10.0.1.10
	verify imix_vlan 6000 --mix 7:4:1 --vlans 100 \
		--dst-range 10.0.1.1 10.0.1.10
}

# IPv6 (UDP checksum always present and valid).
case_ipv6() {
	gen ipv6 --count 2000 --src-ip fd00::1 --dst-ip fd00::2
	verify ipv6 2000 --ipv6
}

# QinQ: outer tag 100, inner 200.
case_qinq() {
	gen qinq --count 2000 --vlan 100,200
	verify qinq 2000 --vlans 100,200
}

# 60-byte frames: the compact header.
case_size60() {
	gen size60 --count 2000 --size 60
	verify size60 2000 --size 60
}

# 9000-byte (jumbo) frames: the port's MTU is raised for them.
case_jumbo() {
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

# refused NAME WHAT VDEV ARG...: emit-gen on port VDEV with ARG... exits 2
# with one line saying WHAT (which names the option), before anything is
# sent: with net_pcap, NAME.pcap holds no frame.
refused() {
	local name=$1 what=$2 vdev=$3 rc lines
	shift 3
	# shellcheck disable=SC2046
	"$EMIT_GEN" --lcores 0@0,1@1 $(e2e_eal "$name") --vdev "$vdev" -- \
		--senders 1 --tx-cores 1 --stats-interval 0 "$@" \
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

# refused_replay NAME FILE WHAT: --replay FILE on net_pcap is refused.
refused_replay() {
	refused "$1" "$3" "net_pcap0,tx_pcap=$E2E_DIR/$1.pcap" --replay "$2"
}

# --replay: the frames of a capture, as they are.
case_replay() {
	local src=$E2E_DIR/replay_src.pcap d
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
	# A jumbo frame: the port's MTU is raised for it.
	pcaptool frame "$src" "$E2E_DIR/jumbo_src.pcap" 9000 ||
		fail "cannot write jumbo_src.pcap"
	gen big --replay "$E2E_DIR/jumbo_src.pcap" --loop 2
	pcaptool same "$E2E_DIR/jumbo_src.pcap" "$E2E_DIR/big.pcap" 2 ||
		fail "big: not twice the 9000-byte frame"
	check "big: events_sent" \
		"$(jq .totals.events_sent "$E2E_DIR/big.gen.json")" 2
	check "big: frame sizes" "$(tshark -r "$E2E_DIR/big.pcap" -T fields \
		-e frame.len 2>/dev/null | sort -u)" 9000
	# Captures refused before anything is sent.
	echo "not a capture at all" >"$E2E_DIR/text.pcap"
	refused_replay bad_text "$E2E_DIR/text.pcap" "--replay: .*not a pcap file"
	printf '\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a' \
		>"$E2E_DIR/ng.pcap"
	head -c 40 /dev/zero >>"$E2E_DIR/ng.pcap"
	refused_replay bad_pcapng "$E2E_DIR/ng.pcap" "--replay: .*pcapng"
	head -c 24 "$src" >"$E2E_DIR/empty.pcap"
	refused_replay bad_empty "$E2E_DIR/empty.pcap" "--replay: .*no frames"
	head -c 1000 "$src" >"$E2E_DIR/cut.pcap"
	refused_replay bad_cut "$E2E_DIR/cut.pcap" "--replay: .*truncated"
	pcaptool frame "$src" "$E2E_DIR/room.pcap" 9700 ||
		fail "cannot write room.pcap"
	refused_replay bad_room "$E2E_DIR/room.pcap" \
		"--replay: .*larger than the mbuf room"
	refused_replay bad_missing "$E2E_DIR/none.pcap" "--replay: .*cannot open"
	RAN+=("replay (loops, rate, timing, refusals)")
}

# Sizes a port cannot carry: net_af_packet on the loopback takes frames
# of at most 1518 bytes (MTU 1500); needs root for its raw socket.
case_mtu() {
	local af=net_af_packet0,iface=lo src=$E2E_DIR/replay_src.pcap
	if [ "$(id -u)" -ne 0 ]; then
		echo "mtu: not run (net_af_packet needs root)"
		return
	fi
	refused mtu_size "--size: '1600' has frames of 1600 bytes, which need an MTU of 1586; port 0 takes at most 1500" "$af" \
		--size 1600 --count 10
	refused mtu_mix "--size: '64,9000:1,1'" "$af" --size 64,9000:1,1 \
		--count 10
	pcaptool frame "$src" "$E2E_DIR/mtu.pcap" 1600 ||
		fail "cannot write mtu.pcap"
	refused mtu_replay "--replay: frame 1 (1600 bytes) carries 1586 bytes after its Ethernet header, more than the MTU port 0 takes (at most 1500)" \
		"$af" --replay "$E2E_DIR/mtu.pcap"
	RAN+=("mtu (refusals of --size and --replay)")
}

case_default
case_imix_vlan
case_ipv6
case_qinq
case_size60
case_jumbo
case_replay
case_mtu

echo "ran: ${RAN[*]}"
