#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# emit-plot renders each kind of picture to a PNG of the size asked, not
# blank: rate and latency over time from the "intervals" of a real
# emit-gen report (net_null port) and of a real emit-sink report (a
# capture file), the latency distribution from their whole-run "buckets"
# (checked to add up to the totals first) and from percentiles alone, and
# the rate search from an emit-rfc2544 report (rfc2544.sh renders a real
# one); reports with nothing of a kind and bad invocations are refused.
# Needs no root.
. "$EMIT_SRC/tests/e2e/lib.sh"
need_cmds jq python3

PLOT=$EMIT_SRC/scripts/emit-plot
# The first Python that has matplotlib (Debian's python3-matplotlib is for
# /usr/bin/python3, which another python3 on PATH may hide).
PY=
for py in python3 /usr/bin/python3; do
	if "$py" -c "import matplotlib" 2>/dev/null; then
		PY=$py
		break
	fi
done
[ -n "$PY" ] || skip "matplotlib is not installed (python3-matplotlib)"

# png_check NAME W H: NAME.png is a PNG of W x H pixels, not one color.
png_check() {
	"$PY" - "$E2E_DIR/$1.png" "$2" "$3" <<'PY' || fail "$1.png"
import struct, sys
import matplotlib.image
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    head = f.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
size = struct.unpack(">II", head[16:24])
assert size == (w, h), "size %r, expected %r" % (size, (w, h))
img = matplotlib.image.imread(path)
assert img.shape[0] == h and img.shape[1] == w
assert img[..., :3].std() > 0.01, "blank image"
PY
	ok "$1.png: ${2}x$3, drawn"
}

# plot NAME REPORT [options...]: render; status in PLOT_RC.
plot() {
	local name=$1 rep=$2
	shift 2
	"$PY" "$PLOT" "$rep" -o "$E2E_DIR/$name.png" "$@" \
		2>"$E2E_DIR/$name.err"
	PLOT_RC=$?
}

# A real emit-gen report: intervals of 0.1 s, whose counts add up to the
# totals, and buckets that add up to the latency samples.
# shellcheck disable=SC2046
"$EMIT_GEN" -l 0,1 $(e2e_eal gen) --vdev net_null0 -- --duration 0.5 \
	--rate 50k --stats-interval 0.1 --json "$E2E_DIR/gen.json" \
	>/dev/null 2>"$E2E_DIR/gen.err" || fail "emit-gen: $(cat "$E2E_DIR/gen.err")"
n=$(jq '.intervals | length' "$E2E_DIR/gen.json")
[ "$n" -ge 4 ] && [ "$n" -le 7 ] || fail "gen: $n intervals in 0.5 s at 0.1 s"
check "gen: intervals omitted" "$(jq .intervals_omitted "$E2E_DIR/gen.json")" 0
check "gen: intervals' events sent" \
	"$(jq '[.intervals[].events_sent] | add' "$E2E_DIR/gen.json")" \
	"$(jq .totals.events_sent "$E2E_DIR/gen.json")"
check "gen: intervals' events committed" \
	"$(jq '[.intervals[].events_committed] | add' "$E2E_DIR/gen.json")" \
	"$(jq .totals.events_committed "$E2E_DIR/gen.json")"
check "gen: intervals' latency samples" \
	"$(jq '[.intervals[].latency_ns.samples] | add' "$E2E_DIR/gen.json")" \
	"$(jq .latency_ns.samples "$E2E_DIR/gen.json")"
check "gen: buckets' count" \
	"$(jq '[.latency_ns.buckets[].count] | add' "$E2E_DIR/gen.json")" \
	"$(jq .latency_ns.samples "$E2E_DIR/gen.json")"
jq -e '.intervals | all(.events_per_s > 0 and .gbps > 0 and
	.events_dropped == 0 and .latency_ns.p99 >= .latency_ns.p50)' \
	"$E2E_DIR/gen.json" >/dev/null || fail "gen: an interval is off"
plot gen-latency "$E2E_DIR/gen.json" --kind latency --width 900 --height 600
check "gen latency: status" "$PLOT_RC" 0
png_check gen-latency 900 600
plot gen-auto "$E2E_DIR/gen.json"
check "gen auto: status" "$PLOT_RC" 0
png_check gen-auto 1200 800
plot gen-timeline "$E2E_DIR/gen.json" --kind timeline --width 1000 --height 700
check "gen timeline: status" "$PLOT_RC" 0
png_check gen-timeline 1000 700
# Without a stats period: no intervals, latency from the buckets.
# shellcheck disable=SC2046
"$EMIT_GEN" -l 0,1 $(e2e_eal gen0) --vdev net_null0 -- --duration 0.2 \
	--rate 50k --stats-interval 0 --json "$E2E_DIR/gen0.json" \
	>/dev/null 2>"$E2E_DIR/gen0.err" || fail "emit-gen: $(cat "$E2E_DIR/gen0.err")"
check "gen, no period: intervals" "$(jq '.intervals | length' "$E2E_DIR/gen0.json")" 0

# A real emit-sink report.
python3 "$EMIT_SRC/tests/e2e/mkpcap.py" clean "$E2E_DIR/clean.pcap" ||
	fail "mkpcap"
# A replay takes milliseconds: periods of 0.2 ms.
# shellcheck disable=SC2046
"$EMIT_SINK" -l 0 $(e2e_eal sink) --vdev "net_pcap0,rx_pcap=$E2E_DIR/clean.pcap" \
	-- --json "$E2E_DIR/sink.json" --stats-interval 0.0002 >/dev/null 2>&1 ||
	fail "emit-sink"
[ "$(jq '.intervals | length' "$E2E_DIR/sink.json")" -ge 1 ] ||
	fail "sink: no interval"
check "sink: intervals' events" \
	"$(jq '[.intervals[].events] | add' "$E2E_DIR/sink.json")" \
	"$(jq .totals.events "$E2E_DIR/sink.json")"
check "sink: intervals' lost" \
	"$(jq '[.intervals[].lost] | add' "$E2E_DIR/sink.json")" \
	"$(jq .totals.lost "$E2E_DIR/sink.json")"
check "sink: buckets' count" \
	"$(jq '[.latency_ns.buckets[].count] | add' "$E2E_DIR/sink.json")" \
	"$(jq .latency_ns.count "$E2E_DIR/sink.json")"
plot sink-latency "$E2E_DIR/sink.json" --kind latency --width 640 --height 480
check "sink latency: status" "$PLOT_RC" 0
png_check sink-latency 640 480
plot sink-timeline "$E2E_DIR/sink.json" --kind timeline --width 640 --height 480
check "sink timeline: status" "$PLOT_RC" 0
png_check sink-timeline 640 480

# Intervals and buckets in the other shapes emit-plot reads: counts
# without a rate, buckets as upper bounds.
"$PY" - "$E2E_DIR/gen.json" >"$E2E_DIR/intervals.json" <<'PY' || fail "synth"
import json, sys
rep = json.load(open(sys.argv[1]))
rep["intervals"] = [
    {"t_s": 0.5 * (i + 1), "duration_s": 0.5, "events": 25000 + 500 * i,
     "latency_ns": {"p50": 2000 + 10 * i, "p99": 9000 + 300 * i,
                    "p99.9": 20000 + 800 * i}} for i in range(20)]
rep["latency_ns"]["buckets"] = [
    {"le_ns": 1000 * 2 ** i, "count": c}
    for i, c in enumerate([10, 400, 3000, 900, 120, 30, 4, 1])]
json.dump(rep, sys.stdout)
PY
plot timeline "$E2E_DIR/intervals.json" --width 1000 --height 700
check "timeline: status" "$PLOT_RC" 0
png_check timeline 1000 700
plot buckets "$E2E_DIR/intervals.json" --kind latency
check "buckets: status" "$PLOT_RC" 0
png_check buckets 1200 800

# An emit-rfc2544 report.
cat >"$E2E_DIR/search.json" <<'JSON'
{"tool": "emit-rfc2544", "config": {"threshold_pct": 0},
 "results": [
  {"size": 128, "rate": 9900, "trials": [
   {"rate": 20000, "loss_pct": 35.8, "pass": false},
   {"rate": 10500, "loss_pct": 0.4, "pass": false},
   {"rate": 9900, "loss_pct": 0.0, "pass": true},
   {"rate": 5000, "loss_pct": 0.0, "pass": true}]},
  {"size": 256, "rate": 4850, "trials": [
   {"rate": 20000, "loss_pct": 69.3, "pass": false},
   {"rate": 5150, "loss_pct": 1.6, "pass": false},
   {"rate": 4850, "loss_pct": 0.0, "pass": true}]}]}
JSON
plot search "$E2E_DIR/search.json" --width 800 --height 500
check "search: status" "$PLOT_RC" 0
png_check search 800 500

# Nothing of that kind: status 1 with the reason.
plot none-timeline "$E2E_DIR/gen0.json" --kind timeline
check "no intervals: status" "$PLOT_RC" 1
grep -q "no intervals" "$E2E_DIR/none-timeline.err" || fail "no intervals: reason"
jq '.latency_ns = {"samples": 0} | .intervals = []' "$E2E_DIR/gen.json" >"$E2E_DIR/nolat.json"
plot none-latency "$E2E_DIR/nolat.json"
check "no latency: status" "$PLOT_RC" 1
plot search-of-run "$E2E_DIR/gen.json" --kind search
check "search of a run report: status" "$PLOT_RC" 1
plot not-json "$E2E_DIR/gen.err"
check "not JSON: status" "$PLOT_RC" 1
[ ! -e "$E2E_DIR/none-latency.png" ] || fail "a refused plot wrote a file"

# Bad usage: status 2, one line.
usage() {
	local out rc
	out=$("$PY" "$PLOT" "$@" 2>&1 >/dev/null)
	rc=$?
	check "usage '$*': status" "$rc" 2
	[ "$(wc -l <<<"$out")" -eq 1 ] || fail "usage '$*': $out"
}
usage
usage "$E2E_DIR/gen.json"
usage "$E2E_DIR/gen.json" -o x.png --kind pie
usage "$E2E_DIR/gen.json" -o x.png --width 10
usage "$E2E_DIR/gen.json" -o x.png --height big
grep -q "timeline" <<<"$("$PY" "$PLOT" --help)" || fail "--help"
ok "all checks passed"
