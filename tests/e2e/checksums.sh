#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end: what emit-gen says computes the checksums.
#   - on ports that offer no checksum offload (net_null, net_pcap) the
#     text report and the JSON (config.checksums) say software, with
#     --csum-offload auto (the default) and off alike, and the frames a
#     net_pcap port wrote carry valid IPv4 and UDP checksums (tshark checks
#     them), for IPv4 with --udp-csum and for IPv6;
#   - a replay says its frames go as captured, without offload;
#   - a bad --csum-offload value, or one with --replay, exits 2 with one
#     line.
# The offloaded case (flags and pseudo-header checksums, completed as a
# NIC does and decoded) is tests/unit/test_csum.c: no port here both
# offers the offloads and takes a pipeline without RX queues.
. "$(dirname "$0")/lib.sh"

need_cmds jq tshark

# gen NAME EAL_EXTRA... -- OPTS...: run emit-gen on one lcore pair, JSON
# report in $E2E_DIR/NAME.json, text in NAME.out; fails on a non-zero exit.
gen() {
	local name=$1
	shift
	local eal=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		eal+=("$1")
		shift
	done
	shift
	# shellcheck disable=SC2046
	"$EMIT_GEN" -l 0-1 $(e2e_eal "$name") "${eal[@]}" -- \
		--json "$E2E_DIR/$name.json" "$@" >"$E2E_DIR/$name.out" \
		2>"$E2E_DIR/$name.err" ||
		fail "$name: emit-gen exited $? ($(tail -1 "$E2E_DIR/$name.err"))"
}

# says NAME TEXT: the text report's checksums line and the JSON agree.
says() {
	check "$1: text report" \
		"$(sed -n 's/^  checksums  //p' "$E2E_DIR/$1.out")" "$2"
	check "$1: config.checksums" \
		"$(jq -r .config.checksums "$E2E_DIR/$1.json")" "$2"
}

gen null --vdev net_null0 -- --count 1000 --udp-csum
says null software
check "null: config.csum_offload" \
	"$(jq -r .config.csum_offload "$E2E_DIR/null.json")" auto
gen null_off --vdev net_null0 -- --count 1000 --csum-offload off
says null_off software
check "null_off: config.csum_offload" \
	"$(jq -r .config.csum_offload "$E2E_DIR/null_off.json")" off

# Frames on the wire (a pcap file): every checksum valid.
for v in 4 6; do
	if [ "$v" = 4 ]; then
		opts=(--udp-csum)
	else
		opts=(--src-ip fd00::1 --dst-ip fd00::2-fd00::40)
	fi
	gen "pcap$v" --vdev "net_pcap0,tx_pcap=$E2E_DIR/v$v.pcap" -- \
		--count 200 --senders 1 --tx-cores 1 --sport 1000-1010 \
		--size 80-600 "${opts[@]}"
	says "pcap$v" software
	tshark -r "$E2E_DIR/v$v.pcap" -o ip.check_checksum:TRUE \
		-o udp.check_checksum:TRUE -T fields -e ip.checksum.status \
		-e udp.checksum.status >"$E2E_DIR/v$v.status" 2>/dev/null ||
		fail "tshark could not read v$v.pcap"
	check "IPv$v frames in the capture" "$(wc -l <"$E2E_DIR/v$v.status")" \
		200
	# Status 1 is "good" (0 bad, 2 unverified); IPv6 has no header
	# checksum (an empty field).
	if [ "$v" = 4 ]; then
		want=$'1\t1'
	else
		want=$'\t1'
	fi
	check "IPv$v frames with good checksums" \
		"$(grep -cx "$want" "$E2E_DIR/v$v.status")" 200
done

gen replay --vdev net_null0 -- --replay "$E2E_DIR/v4.pcap"
says replay "as captured (replay: no offload)"

for bad in "--csum-offload on" "--csum-offload=" \
	"--replay $E2E_DIR/v4.pcap --csum-offload off"; do
	# shellcheck disable=SC2086
	"$EMIT_GEN" -- $bad >"$E2E_DIR/bad.out" 2>"$E2E_DIR/bad.err"
	rc=$?
	check "'$bad': exit status" "$rc" 2
	check "'$bad': lines on stderr" "$(wc -l <"$E2E_DIR/bad.err")" 1
done
