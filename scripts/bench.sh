#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end throughput: dpdk-testpmd --forward-mode=txonly (one forwarding
# core) against emit-gen on the same two lcores, in its two layouts: split
# (one sender lcore, one TX lcore, a descriptor ring between; and, for
# comparison, a ring of complete mbufs) and rtc (each lcore runs a sender
# and its TX stage); all on net_null, same frame sizes, interleaved,
# several rounds; median of the rounds and the ratios emit/testpmd. All
# count only packets the port accepted; like testpmd's txonly, emit-gen
# writes the headers and leaves the payload as it is. Each round also
# measures the cache-line round trip between the two lcores (emit-xcore),
# which bounds the split layout on a given machine.
#
#
# usage: scripts/bench.sh [-r ROUNDS] [-d SECONDS] [-s "66 128 512 1500"]
#                         [-o bench.json]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

rounds=3
secs=5
sizes="66 128 512 1500"
out=bench.json
while getopts "r:d:s:o:h" opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	d) secs=$OPTARG ;;
	s) sizes=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '3,14p' "$0" >&2; exit 2 ;;
	esac
done

emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" jq
mkdir -p build
emit_build build/release --buildtype=release
gen=build/release/app/emit-gen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# testpmd prints "Tx-pps: N" every second; the median of the readings
# after the first (start-up) is its rate.
run_testpmd() {
	local size=$1 log=$tmp/tp.log
	# A prefix per run: a testpmd still exiting keeps its prefix locked.
	timeout -s INT $((secs + 2)) dpdk-testpmd -l 0-1 --no-huge --no-pci \
		-m 1024 --file-prefix "emit-bench-tp-$$-$RANDOM" --vdev net_null0 \
		--log-level lib.eal:error -- --forward-mode=txonly \
		--nb-cores=1 --burst=32 --txpkts="$size" \
		--total-num-mbufs=16384 --stats-period=1 >"$log" 2>&1 || true
	{ grep -o 'Tx-pps: *[0-9]*' "$log" || true; } | awk '{print $2}' |
		tail -n +2 |
		sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0;
			else print a[int((NR+1)/2)] / 1e6}'
}

# run_emit SIZE LAYOUT-OPTIONS...
run_emit() {
	local size=$1
	shift
	local rc=0 json
	json=$("$gen" -l 0-1 --no-huge --no-pci -m 512 --vdev net_null0 \
		--file-prefix "emit-bench-gen-$$-$RANDOM" --log-level lib.eal:error -- \
		--size "$size" --duration "$secs" --rate 0 --pattern none "$@" \
		--stats-interval 0 --json - 2>"$tmp/gen.err") || rc=$?
	if [ $rc -ne 0 ]; then
		echo "emit-gen $* exited $rc:" >&2
		cat "$tmp/gen.err" >&2
		echo 0
		return
	fi
	echo "$json" | jq -r '.totals.mpps'
}

run_xcore() {
	build/release/tests/perf/emit-xcore -l 0-1 --no-huge --no-pci -m 64 \
		--file-prefix "emit-bench-xc-$$" --log-level lib.eal:error \
		2>/dev/null | awk '/^round_trip_ns/ {print $2}' || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A tp em mb rt xc
for r in $(seq 1 "$rounds"); do
	for s in $sizes; do
		x=$(run_xcore)
		a=$(run_testpmd "$s")
		b=$(run_emit "$s" --layout split --senders 1 --tx-cores 1)
		m=$(run_emit "$s" --layout split --senders 1 --tx-cores 1 \
			--rings mbuf)
		c=$(run_emit "$s" --layout rtc)
		tp[$s]+="$a "
		em[$s]+="$b "
		mb[$s]+="$m "
		rt[$s]+="$c "
		xc[$s]+="$x "
		echo "round $r size $s: round trip $x ns, testpmd $a," \
			"emit split $b (mbuf rings $m), emit rtc $c" >&2
	done
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
gbps() { awk -v p="$1" -v s="$2" 'BEGIN {printf "%.2f", p * s * 8 / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
list() { echo "$1" | tr -s ' ' '\n' | grep . | paste -sd, -; }
printf '%-5s %8s %7s | %10s %7s %6s | %9s %6s | %9s %7s %6s | %8s\n' \
	size testpmd Gbit/s emit-split Gbit/s ratio mbuf-ring ratio \
	emit-rtc Gbit/s ratio rtt-ns
json_rows=()
for s in $sizes; do
	t=$(echo "${tp[$s]}" | tr ' ' '\n' | grep . | median)
	e=$(echo "${em[$s]}" | tr ' ' '\n' | grep . | median)
	m=$(echo "${mb[$s]}" | tr ' ' '\n' | grep . | median)
	c=$(echo "${rt[$s]}" | tr ' ' '\n' | grep . | median)
	x=$(echo "${xc[$s]}" | tr ' ' '\n' | grep . | median)
	printf '%-5s %8.2f %7s | %10.2f %7s %6s | %9.2f %6s | %9.2f %7s %6s | %8.1f\n' \
		"$s" "$t" "$(gbps "$t" "$s")" "$e" "$(gbps "$e" "$s")" \
		"$(ratio "$e" "$t")" "$m" "$(ratio "$m" "$t")" \
		"$c" "$(gbps "$c" "$s")" "$(ratio "$c" "$t")" "$x"
	json_rows+=("{\"size\":$s,\"testpmd_mpps\":$t,\"emit_split_mpps\":$e,\
\"emit_split_mbuf_rings_mpps\":$m,\"emit_rtc_mpps\":$c,\
\"ratio_split\":$(ratio "$e" "$t"),\"ratio_split_mbuf_rings\":$(ratio "$m" "$t"),\
\"ratio_rtc\":$(ratio "$c" "$t"),\"round_trip_ns\":$x,\
\"testpmd_rounds\":[$(list "${tp[$s]}")],\
\"emit_split_rounds\":[$(list "${em[$s]}")],\
\"emit_split_mbuf_rings_rounds\":[$(list "${mb[$s]}")],\
\"emit_rtc_rounds\":[$(list "${rt[$s]}")],\
\"round_trip_ns_rounds\":[$(list "${xc[$s]}")]}")
done
(IFS=,; echo "{\"cpu\":\"$cpu\",\"cores\":$(nproc),\"rounds\":$rounds,\
\"seconds\":$secs,\"results\":[${json_rows[*]}]}") | jq . >"$out"
echo "wrote $out" >&2
