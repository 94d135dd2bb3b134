#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Scaling of emit-gen on net_null, both layouts (split: one sender lcore,
# one TX lcore; rtc: each lcore runs a sender and its TX stage), unlimited
# rate, --pattern none:
#   - Mpps against the burst size (1 4 8 16 32 64), 128-byte frames;
#   - Mpps against the frame size (66 128 256 512 1024 1500), burst 32;
#   - the cost of metrics at 66 and 1500 bytes: a release build with
#     metrics compiled out (-Dmetrics=false) against the release build
#     with TX latency sampling off, per burst (the default) and per
#     packet, as ratios to the build without metrics.
# Every figure is the packets the port accepted (the port's own counter,
# .totals.port_mpps, the same in both builds) over the generation time;
# the median of interleaved rounds. With -c, also the same four metrics
# variants' instructions per packet under callgrind, which machine noise
# does not move: one lcore running a sender and its TX stage, 200000
# 66-byte events, counting the sender's steps and the TX rounds.
#
# usage: scripts/bench-scaling.sh [-r ROUNDS] [-d SECONDS] [-c] [-o FILE]
#        (defaults: 3 rounds of 3 s, bench-scaling.json)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

rounds=3
secs=3
out=bench-scaling.json
cg=0
while getopts "r:d:co:h" opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	d) secs=$OPTARG ;;
	c) cg=1 ;;
	o) out=$OPTARG ;;
	*) sed -n '3,21p' "$0" >&2; exit 2 ;;
	esac
done

emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" jq
[ "$cg" -eq 0 ] || emit_need_pkgs valgrind
mkdir -p build
emit_build build/release --buildtype=release
emit_build build/nometrics --buildtype=release -Dmetrics=false

bursts="1 4 8 16 32 64"
sizes="66 128 256 512 1024 1500"
cost_sizes="66 1500"
layouts="split rtc"
tmp=$(mktemp -d)
prefix="emit-scaling-$$"
cleanup() {
	rm -rf "$tmp" /var/run/dpdk/"$prefix"-* \
		"${XDG_RUNTIME_DIR:-/nonexistent}"/dpdk/"$prefix"-*
}
trap cleanup EXIT

# The runs, one per line: TABLE BUILD LAYOUT BURST SIZE LATENCY. Each
# table has its own runs; the four metrics variants of one size and layout
# come one after the other, so that they see the same machine.
configs() {
	local l b s v
	for l in $layouts; do
		for b in $bursts; do
			echo "burst release $l $b 128 burst"
		done
		for s in $sizes; do
			echo "size release $l 32 $s burst"
		done
		for s in $cost_sizes; do
			echo "cost nometrics $l 32 $s burst"
			for v in off burst packet; do
				echo "cost release $l 32 $s $v"
			done
		done
	done
}

# run TABLE BUILD LAYOUT BURST SIZE LATENCY ROUND N: one JSON line of
# results; N makes the file prefix unique.
run() {
	local table=$1 build=$2 layout=$3 burst=$4 size=$5 lat=$6 round=$7 n=$8
	local lopt json
	lopt=(--layout rtc)
	[ "$layout" = split ] && lopt=(--layout split --senders 1 --tx-cores 1)
	json=$(timeout "$limit" "build/$build/app/emit-gen" -l 0-1 \
		--no-huge --no-pci -m 512 --vdev net_null0 \
		--file-prefix "$prefix-$n" --log-level lib.eal:error -- \
		"${lopt[@]}" --burst "$burst" --size "$size" \
		--tx-latency "$lat" --duration "$secs" --rate 0 \
		--pattern none --stats-interval 0 --json - 2>/dev/null) || true
	# Not JSON (a failed run): null.
	echo "$json" | jq -e . >/dev/null 2>&1 || json=null
	jq -c -n --argjson r "$json" --arg table "$table" \
		--arg build "$build" --arg layout "$layout" \
		--argjson burst "$burst" --argjson size "$size" --arg lat "$lat" \
		--argjson round "$round" '{table: $table, build: $build,
		  layout: $layout, burst: $burst, size: $size, latency: $lat,
		  round: $round, ok: ($r != null and $r.exit_status == 0 and
		    $r.metrics == ($build == "release")),
		  mpps: $r.totals.port_mpps}'
}

# A run that hangs is cut a minute past its duration.
limit=$(awk -v s="$secs" 'BEGIN {print int(s) + 60}')
n=0
mapfile -t cfgs < <(configs)
echo "${#cfgs[@]} configurations x $rounds rounds x $secs s" >&2
for r in $(seq 1 "$rounds"); do
	for c in "${cfgs[@]}"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # c holds six words
		line=$(run $c "$r" "$n")
		echo "$line" >>"$tmp/raw.jsonl"
		echo "round $r: $c: $(echo "$line" | jq -r 'if .ok then .mpps
			else "FAILED" end') Mpps" >&2
	done
done

# callgrind BUILD LATENCY: instructions per packet in the data path
# functions (a sender step, a TX round) of a one-lcore run.
callgrind() {
	local build=$1 lat=$2 f=$tmp/cg.out ir pk
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		--toggle-collect=gen_step --toggle-collect=emit_tx_poll \
		"build/$build/app/emit-gen" -l 0 --no-huge --no-pci -m 512 \
		--vdev net_null0 --file-prefix "$prefix-cg-$build-$lat" \
		--log-level lib.eal:error -- --layout rtc --count 200K \
		--size 66 --pattern none --tx-latency "$lat" \
		--stats-interval 0 --json "$tmp/cg.json" >/dev/null 2>&1 ||
		{ echo null; return; }
	ir=$(callgrind_annotate "$f" 2>/dev/null |
		awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
	pk=$(jq .totals.port_opackets "$tmp/cg.json")
	awk -v a="${ir:-0}" -v p="${pk:-0}" \
		'BEGIN {if (a > 0 && p > 0) printf "%.2f\n", a / p;
			else print "null"}'
}
cgjson=null
if [ "$cg" -eq 1 ]; then
	echo "callgrind: 4 runs of 200000 events" >&2
	cgjson=$(jq -n --argjson n "$(callgrind nometrics burst)" \
		--argjson o "$(callgrind release off)" \
		--argjson b "$(callgrind release burst)" \
		--argjson p "$(callgrind release packet)" \
		'{nometrics: $n, latency_off: $o, latency_burst: $b,
		  latency_packet: $p}')
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
jq -s --argjson cg "$cgjson" --arg cpu "$cpu" --argjson cores "$(nproc)" --argjson rounds "$rounds" \
	--argjson secs "$secs" '
  def med: map(select(. != null)) | sort |
    if length == 0 then null else .[(length - 1) / 2 | floor] end;
  def r3: if . == null then null else (. * 1000 | round) / 1000 end;
  def pick($t; $b; $l; $u; $s; $v): [.[] | select(.table == $t and
    .build == $b and .layout == $l and .burst == $u and .size == $s and
    .latency == $v)];
  def cell($t; $b; $l; $u; $s; $v): pick($t; $b; $l; $u; $s; $v) |
    {mpps: (map(if .ok then .mpps else null end) | med | r3),
     rounds: map(if .ok then .mpps else null end)};
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null
    else ($a / $b * 1000 | round) / 1000 end;
  . as $all |
  {cpu: $cpu, cores: $cores, rounds: $rounds, seconds: $secs,
   burst_scaling: [[1, 4, 8, 16, 32, 64][] as $u | ["split", "rtc"][] as $l |
     {layout: $l, burst: $u, size: 128} +
     ($all | cell("burst"; "release"; $l; $u; 128; "burst"))],
   size_scaling: [[66, 128, 256, 512, 1024, 1500][] as $s |
     ["split", "rtc"][] as $l |
     ($all | cell("size"; "release"; $l; 32; $s; "burst")) as $c |
     {layout: $l, burst: 32, size: $s} + $c +
     {gbps: (if $c.mpps == null then null else
       ($c.mpps * ($s + 24) * 8 / 1000 * 100 | round) / 100 end)}],
   metrics_cost: [[66, 1500][] as $s | ["split", "rtc"][] as $l |
     ($all | cell("cost"; "nometrics"; $l; 32; $s; "burst")) as $n |
     ($all | cell("cost"; "release"; $l; 32; $s; "off")) as $o |
     ($all | cell("cost"; "release"; $l; 32; $s; "burst")) as $b |
     ($all | cell("cost"; "release"; $l; 32; $s; "packet")) as $p |
     {layout: $l, size: $s, burst: 32,
      nometrics_mpps: $n.mpps, latency_off_mpps: $o.mpps,
      latency_burst_mpps: $b.mpps, latency_packet_mpps: $p.mpps,
      ratio_off: ratio($o.mpps; $n.mpps),
      ratio_burst: ratio($b.mpps; $n.mpps),
      ratio_packet: ratio($p.mpps; $n.mpps),
      rounds: {nometrics: $n.rounds, latency_off: $o.rounds,
        latency_burst: $b.rounds, latency_packet: $p.rounds}}],
   instructions_per_packet: (if $cg == null then null else $cg +
     {layout: "rtc, one lcore", size: 66, burst: 32,
      ratio_off: ratio($cg.latency_off; $cg.nometrics),
      ratio_burst: ratio($cg.latency_burst; $cg.nometrics),
      ratio_packet: ratio($cg.latency_packet; $cg.nometrics)} end)}
' "$tmp/raw.jsonl" >"$out"

# Tables, from the JSON: numbers to D decimals in W columns, "-" for
# none; the header line as it is.
fmt='function f(x, w, d) { if (NR == 1) return sprintf("%" w "s", x);
	if (x == "") return sprintf("%" w "s", "-");
	return sprintf("%" w "." d "f", x) }'
echo
echo "Mpps against burst size (128-byte frames)"
jq -r '(["burst", "split", "rtc"] | @tsv),
  (.burst_scaling | group_by(.burst)[] |
   [.[0].burst, (.[] | select(.layout == "split") | .mpps),
    (.[] | select(.layout == "rtc") | .mpps)] | @tsv)' "$out" |
	awk -F'\t' "$fmt"'{printf "%-6s %s %s\n", $1, f($2, 8, 2), f($3, 8, 2)}'
echo
echo "Mpps against frame size (burst 32); Gbit/s on the wire"
jq -r '(["size", "split", "Gbit/s", "rtc", "Gbit/s"] | @tsv),
  (.size_scaling | group_by(.size)[] |
   (.[] | select(.layout == "split")) as $a |
   (.[] | select(.layout == "rtc")) as $b |
   [$a.size, $a.mpps, $a.gbps, $b.mpps, $b.gbps] | @tsv)' "$out" |
	awk -F'\t' "$fmt"'{printf "%-6s %s %s %s %s\n", $1, f($2, 8, 2),
		f($3, 8, 1), f($4, 8, 2), f($5, 8, 1)}'
echo
echo "Cost of metrics (burst 32): Mpps, and ratio to metrics compiled out"
jq -r '(["layout", "size", "no-metrics", "lat-off", "ratio",
   "lat-burst", "ratio", "lat-packet", "ratio"] | @tsv),
  (.metrics_cost[] | [.layout, .size, .nometrics_mpps, .latency_off_mpps,
   .ratio_off, .latency_burst_mpps, .ratio_burst, .latency_packet_mpps,
   .ratio_packet] | @tsv)' "$out" |
	awk -F'\t' "$fmt"'{printf "%-6s %5s %s %s %s %s %s %s %s\n", $1, $2,
		f($3, 10, 2), f($4, 8, 2), f($5, 6, 3), f($6, 9, 2),
		f($7, 6, 3), f($8, 10, 2), f($9, 6, 3)}'
if [ "$cg" -eq 1 ]; then
	echo
	echo "Instructions per packet under callgrind (one lcore, 66 bytes),"
	echo "and ratio to metrics compiled out"
	jq -r '.instructions_per_packet | "no metrics \(.nometrics)
latency off \(.latency_off) (\(.ratio_off))
per burst   \(.latency_burst) (\(.ratio_burst))
per packet  \(.latency_packet) (\(.ratio_packet))"' "$out"
fi
echo "wrote $out" >&2
