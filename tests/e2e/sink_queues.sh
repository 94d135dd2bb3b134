#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-sink on several RX queues and lcores gives the totals of one queue.
# emit-gen writes a capture file (net_pcap tx_pcap=) from 2 senders over
# 8 flows (UDP source ports, stepped per event); a path is played on
# it: frames lost, frames copied, frames two apart swapped. The result
# is split by flow into two files, as RSS or a kernel fanout by flow hash
# splits traffic: each sender's events arrive on both queues, a copy on
# its frame's queue. emit-sink then reads the whole file on one queue,
# and the two files as two RX queues of one port (one rx_pcap= per
# queue) on one lcore and on two. Received, lost, duplicated, stale, the
# latency and every sender's figures are the same in all three;
# reordered is the same on one lcore and on two (an event is reordered
# when it comes after a higher seq of its sender on its queue: the order
# between two queues is not observable, so one queue sees more).
. "$EMIT_SRC/tests/e2e/lib.sh"
need_cmds jq python3
gen_need_opts --count --rate --senders --tx-cores --flows --json

N=20000
# shellcheck disable=SC2046
"$EMIT_GEN" --lcores 0@0,1@1,2@0 $(e2e_eal gen) \
	--vdev "net_pcap0,tx_pcap=$E2E_DIR/gen.pcap" -- --senders 2 \
	--tx-cores 1 --count "$N" --rate 0 --flows 8 --policy hold \
	--stats-interval 0 --json "$E2E_DIR/gen.json" \
	>"$E2E_DIR/gen.out" 2>"$E2E_DIR/gen.err" ||
	fail "emit-gen: $(cat "$E2E_DIR/gen.err")"

python3 - "$E2E_DIR" <<'PY' || fail "path and split"
import random, struct, sys
d = sys.argv[1]
rng = random.Random(7)
with open(d + "/gen.pcap", "rb") as f:
    head, data = f.read(24), f.read()
recs, off = [], 0
while off < len(data):
    ts_s, ts_us, incl, orig = struct.unpack_from("<IIII", data, off)
    recs.append((data[off:off + 16], data[off + 16:off + 16 + incl]))
    off += 16 + incl

def flow(frame):  # UDP source port of an untagged IPv4 frame
    return struct.unpack_from(">H", frame, 34)[0]

out = []
for r in recs:
    x = rng.random()
    if x < 0.02:
        continue                  # lost
    out.append(r)
    if x > 0.985:
        out.append(r)             # copied, on the same flow
i = 0
while i + 2 < len(out):
    if out[i][1] != out[i + 2][1] and rng.random() < 0.02:
        out[i], out[i + 2] = out[i + 2], out[i]
        i += 2
    i += 1

def write(name, rs):
    with open(d + "/" + name, "wb") as f:
        f.write(head)
        for h, fr in rs:
            f.write(h + fr)

write("whole.pcap", out)
q = [[r for r in out if flow(r[1]) % 2 == k] for k in (0, 1)]
write("q0.pcap", q[0])
write("q1.pcap", q[1])
# Each sender on both queues (sender id: event header bytes 6..7 after
# the 42 header bytes).
for k in (0, 1):
    senders = {struct.unpack_from(">H", fr, 42 + 6)[0] for _, fr in q[k]}
    assert len(senders) == 2, (k, senders)
PY
ok "capture: $(stat -c %s "$E2E_DIR/whole.pcap") bytes, split in two by flow"

# sink NAME LCORES QUEUES VDEV: emit-sink; its report is NAME.json.
sink() {
	# shellcheck disable=SC2046
	"$EMIT_SINK" -l "$2" $(e2e_eal "$1") --vdev "$4" -- --rx-queues "$3" \
		--expect-count "$N" --stats-interval 0 \
		--json "$E2E_DIR/$1.json" >"$E2E_DIR/$1.out" 2>&1 ||
		fail "emit-sink $1: $(cat "$E2E_DIR/$1.out")"
}
sink one 0 1 "net_pcap0,rx_pcap=$E2E_DIR/whole.pcap"
TWO="net_pcap0,rx_pcap=$E2E_DIR/q0.pcap,rx_pcap=$E2E_DIR/q1.pcap"
sink q2l1 0 2 "$TWO"
sink q2l2 0-1 2 "$TWO"
check "q2l1: lcores" "$(jq .config.rx_lcores "$E2E_DIR/q2l1.json")" 1
check "q2l2: lcores" "$(jq .config.rx_lcores "$E2E_DIR/q2l2.json")" 2
check "q2l2: queues" "$(jq .config.rx_queues "$E2E_DIR/q2l2.json")" 2
check "stop" "$(jq -r .stop_reason "$E2E_DIR/q2l2.json")" end_of_file

# figures NAME [FILTER]: the totals, the latency (with its buckets) and
# each sender of NAME.json, less what FILTER deletes.
figures() {
	jq -S "{t: (.totals | del(.mpps, .gbps)), l: .latency_ns,
		s: [.senders[]]} ${2:-}" "$E2E_DIR/$1.json"
}
NOREORDER='| del(.t.reordered, .s[].reordered)'
figures one "$NOREORDER" >"$E2E_DIR/one.fig"
jq -e '.t.lost > 0 and .t.duplicated > 0 and .t.events > 0' \
	"$E2E_DIR/one.fig" >/dev/null ||
	fail "the path lost or copied nothing: $(cat "$E2E_DIR/one.fig")"
ok "one queue: $(jq -c '.totals | {events, lost, reordered, duplicated}' "$E2E_DIR/one.json")"
for r in q2l1 q2l2; do
	figures "$r" "$NOREORDER" >"$E2E_DIR/$r.fig"
	diff "$E2E_DIR/one.fig" "$E2E_DIR/$r.fig" >"$E2E_DIR/$r.diff" ||
		fail "$r differs from one queue: $(cat "$E2E_DIR/$r.diff")"
	ok "$r: the figures of one queue"
done
figures q2l1 >"$E2E_DIR/q2l1.all"
figures q2l2 >"$E2E_DIR/q2l2.all"
jq -e '.t.reordered > 0' "$E2E_DIR/q2l1.all" >/dev/null ||
	fail "two queues: nothing reordered"
diff "$E2E_DIR/q2l1.all" "$E2E_DIR/q2l2.all" >"$E2E_DIR/l.diff" ||
	fail "one lcore and two differ: $(cat "$E2E_DIR/l.diff")"
ok "two queues on one lcore and on two: the same figures, reordered included ($(jq .totals.reordered "$E2E_DIR/q2l2.json"))"
# Each queue took frames.
for r in q2l1 q2l2; do
	check "$r: frames" "$(jq '.ports[0].frames' "$E2E_DIR/$r.json")" \
		"$(jq '.totals.frames' "$E2E_DIR/$r.json")"
done

# More queues than the port has: bad usage, one line naming the option.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal bad) --vdev "net_pcap0,rx_pcap=$E2E_DIR/q0.pcap" \
	-- --rx-queues 2 >"$E2E_DIR/bad.out" 2>&1
check "too many queues: status" "$?" 2
grep -q "rx-queues" "$E2E_DIR/bad.out" || fail "too many queues: $(cat "$E2E_DIR/bad.out")"
ok "all checks passed"
