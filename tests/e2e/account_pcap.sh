#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-account on real reports without root: emit-gen writes a capture
# file (net_pcap tx_pcap=) with drops forced at the generator (DROP, as
# fast as it can, faster than the capture file is written); emit-sink
# replays it (rx_pcap=). Then the same capture with every
# fifth frame taken out, as a path that loses exactly those: emit-account
# must put emit-gen's drops and the frames taken out each on its side,
# per sender, exactly. tests/e2e/account.sh does the same on a real path.
. "$EMIT_SRC/tests/e2e/lib.sh"
need_cmds jq python3
gen_need_opts --count --rate --senders --tx-cores --policy --ring-size \
	--json

ACC=$EMIT_SRC/scripts/emit-account
N=50000
CAP=$E2E_DIR/gen.pcap

# shellcheck disable=SC2046
"$EMIT_GEN" --lcores 0@0,1@1,2@0 $(e2e_eal gen) \
	--vdev "net_pcap0,tx_pcap=$CAP" -- --senders 2 --tx-cores 1 \
	--count "$N" --rate 0 --ring-size 1024 --burst 32 --policy drop \
	--stats-interval 0 --json "$E2E_DIR/gen.json" \
	>"$E2E_DIR/gen.out" 2>"$E2E_DIR/gen.err" ||
	fail "emit-gen: $(cat "$E2E_DIR/gen.err")"

# sink NAME FILE: emit-sink replays FILE; its report is NAME.json.
sink() {
	# shellcheck disable=SC2046
	"$EMIT_SINK" -l 0 $(e2e_eal "$1") --vdev "net_pcap0,rx_pcap=$2" \
		-- --expect-count "$N" --stats-interval 0 \
		--json "$E2E_DIR/$1.json" >"$E2E_DIR/$1.out" 2>&1 ||
		fail "emit-sink $1: $(cat "$E2E_DIR/$1.out")"
}

# acct NAME: emit-account of gen.json and NAME.json into NAME.acc.
acct() {
	"$ACC" --gen "$E2E_DIR/gen.json" --sink "$E2E_DIR/$1.json" \
		--json "$E2E_DIR/$1.acc" >"$E2E_DIR/$1.table" 2>&1
	check "$1: emit-account status" "$?" 0
	cat "$E2E_DIR/$1.table"
}

sink whole "$CAP"
acct whole
A=$E2E_DIR/whole.acc
[ "$(jqv "$A" .totals.dropped)" -gt 0 ] ||
	fail "emit-gen dropped nothing: the run cannot check attribution"
check "whole: lost in between" "$(jqv "$A" .totals.lost)" 0
check "whole: dropped = ring_full" "$(jqv "$A" .totals.dropped)" \
	"$(jqv "$A" .totals.dropped_by.ring_full)"
check "whole: generated" "$(jqv "$A" .totals.generated)" $((2 * N))

# Every fifth frame out; the frames taken out, per sender (the sender id
# is at byte 48: Ethernet, IPv4 and UDP headers, then magic, version,
# flags, type).
python3 - "$CAP" "$E2E_DIR/cut.pcap" >"$E2E_DIR/cut.expect" <<'PY' ||
import json, struct, sys
src, dst = sys.argv[1], sys.argv[2]
out = {}
with open(src, "rb") as f, open(dst, "wb") as g:
    g.write(f.read(24))
    i = 0
    while True:
        rec = f.read(16)
        if len(rec) < 16:
            break
        n = struct.unpack("<IIII", rec)[2]
        frame = f.read(n)
        sender = struct.unpack("!H", frame[48:50])[0]
        if i % 5 == 0:
            out[sender] = out.get(sender, 0) + 1
        else:
            g.write(rec + frame)
        i += 1
json.dump({str(k): v for k, v in out.items()}, sys.stdout)
PY
	fail "cannot cut the capture"
sink cut "$E2E_DIR/cut.pcap"
acct cut
A=$E2E_DIR/cut.acc
for id in $(jqv "$A" '.senders[].id'); do
	row=$(jq -c ".senders[] | select(.id == $id)" "$A")
	gen_row=$(jq -c ".senders[] | select(.id == $id)" "$E2E_DIR/whole.acc")
	check "cut: sender $id lost = frames taken out" \
		"$(jq .lost <<<"$row")" \
		"$(jq ".\"$id\"" "$E2E_DIR/cut.expect")"
	check "cut: sender $id dropped = emit-gen's" \
		"$(jq .dropped <<<"$row")" "$(jq .dropped <<<"$gen_row")"
	check "cut: sender $id sink lost = dropped + lost" \
		"$(jq .sink_lost <<<"$row")" "$(jq '.dropped + .lost' <<<"$row")"
done
ok "all checks passed"
