#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end throughput on equal cores: dpdk-testpmd --forward-mode=txonly
# with N forwarding cores and N TX queues against emit-gen on N lcores,
# all into net_null, the same frame sizes, burst 32, interleaved rounds,
# median of the rounds, ratios to testpmd on the same number of cores:
#   1 core:  testpmd --nb-cores=1 (forwarding lcore on CPU 1), emit-gen
#            --layout rtc on one lcore (on CPU 1)
#   2 cores: testpmd --nb-cores=2 --txq=2, emit-gen --layout rtc on two
#            lcores; emit-gen --layout split (one sender lcore, one TX
#            lcore), against testpmd on 1 and on 2 cores and against
#            emit-splitref, the same split pipeline written by hand with
#            raw DPDK primitives (tests/perf/splitref.c)
# Every figure counts the packets the port accepted; like txonly, emit-gen
# writes the headers and leaves the payload as it is (--pattern none).
# Also: instructions per packet under callgrind, testpmd (one core) and
# emit rtc (one lcore), each run twice (short and long) and the difference
# in instructions divided by the difference in packets, which cancels
# start-up and exit; emit rtc also from a build with metrics compiled out
# (build/nometrics, -Dmetrics=false), for the cost of metrics; and the
# producer's cycles per event (emit-microbench, descriptor ring, a
# consumer lcore freeing), single and burst paths.
# Writes JSON (-o) and a PNG chart of Mpps by frame size (-p).
#
# usage: scripts/bench.sh [-r ROUNDS] [-d SECONDS] [-s "60 128 512 1500"]
#                         [-o bench.json] [-p bench.png] [-C]
#        -C: no callgrind counts
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

rounds=3
secs=3
sizes="60 128 512 1500"
out=bench.json
png=bench.png
cg=1
while getopts "r:d:s:o:p:Ch" opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	d) secs=$OPTARG ;;
	s) sizes=$OPTARG ;;
	o) out=$OPTARG ;;
	p) png=$OPTARG ;;
	C) cg=0 ;;
	*) sed -n '3,29p' "$0" >&2; exit 2 ;;
	esac
done

emit_need_pkgs "${EMIT_BUILD_PKGS[@]}" jq python3-matplotlib
[ "$cg" -eq 0 ] || emit_need_pkgs valgrind
mkdir -p build
emit_build build/release --buildtype=release
[ "$cg" -eq 0 ] ||
	emit_build build/nometrics --buildtype=release -Dmetrics=false \
		-Dtests=disabled
gen=build/release/app/emit-gen
perf=build/release/tests/perf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Seconds testpmd may take to start forwarding on a loaded machine.
tp_start=60
eal=(--no-huge --no-pci --vdev net_null0 --log-level lib.eal:error)

# tp_readings LOG: testpmd's non-zero "Tx-pps: N" readings, one a line.
tp_readings() {
	{ grep -o 'Tx-pps: *[0-9]*' "$1" || true; } | awk '$2 > 0 {print $2}'
}

# run_testpmd SIZE CORES: testpmd prints "Tx-pps: N" every second; of its
# non-zero readings the first (a partial second) is left out and the
# median of the next secs is its rate. It runs until it has them (its
# start-up, 1 GB without hugepages, takes long on a loaded machine), at
# most tp_start + secs seconds. Its main lcore only prints; it shares
# CPU 0 with a forwarding lcore on 2 cores.
run_testpmd() {
	local size=$1 n=$2 log=$tmp/tp.log lc pid t=0
	if [ "$n" -eq 1 ]; then lc=0@0,1@1; else lc=0@0,1@0,2@1; fi
	# A prefix per run: a testpmd still exiting keeps its prefix locked.
	dpdk-testpmd --lcores "$lc" -m 1024 \
		"${eal[@]}" --file-prefix "emit-bench-tp-$$-$RANDOM" -- \
		--forward-mode=txonly --nb-cores="$n" --txq="$n" --rxq="$n" \
		--burst=32 --txpkts="$size" --total-num-mbufs=16384 \
		--stats-period=1 >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null &&
	      [ "$(tp_readings "$log" | wc -l)" -le "$secs" ] &&
	      [ "$t" -lt $(((tp_start + secs) * 2)) ]; do
		sleep 0.5
		t=$((t + 1))
	done
	kill -INT "$pid" 2>/dev/null || true
	# It stops its ports and frees its memory; a testpmd that does not
	# exit in 20 s is killed.
	t=0
	while kill -0 "$pid" 2>/dev/null && [ "$t" -lt 40 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	tp_readings "$log" | awk -v secs="$secs" '{a[++n] = $1} END {
			for (i = (n > 1 ? 2 : 1); i <= n && i <= secs + 1; i++)
				print a[i]}' |
		sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0;
			else print a[int((NR+1)/2)] / 1e6}'
}

# run_emit SIZE LCORES LAYOUT-OPTIONS...: the packets the port counted.
run_emit() {
	local size=$1 lc=$2
	shift 2
	local rc=0 json
	json=$("$gen" --lcores "$lc" -m 512 "${eal[@]}" \
		--file-prefix "emit-bench-gen-$$-$RANDOM" -- \
		--size "$size" --duration "$secs" --rate 0 --pattern none "$@" \
		--stats-interval 0 --json - 2>"$tmp/gen.err") || rc=$?
	if [ $rc -ne 0 ]; then
		echo "emit-gen $* exited $rc:" >&2
		cat "$tmp/gen.err" >&2
		echo 0
		return
	fi
	echo "$json" | jq -r '.totals.port_mpps'
}

run_splitref() {
	"$perf/emit-splitref" -l 0-1 -m 512 "${eal[@]}" \
		--file-prefix "emit-bench-ref-$$-$RANDOM" -- "$1" "$secs" 32 \
		2>"$tmp/ref.err" | awk '/^mpps/ {print $2}' | grep . ||
		{ cat "$tmp/ref.err" >&2; echo 0; }
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }

configs="tp1 rtc1 tp2 rtc2 split ref"
declare -A res
line=""
for r in $(seq 1 "$rounds"); do
	for s in $sizes; do
		for c in $configs; do
			case $c in
			tp1) v=$(run_testpmd "$s" 1) ;;
			tp2) v=$(run_testpmd "$s" 2) ;;
			rtc1) v=$(run_emit "$s" 0@1 --layout rtc) ;;
			rtc2) v=$(run_emit "$s" 0-1 --layout rtc) ;;
			split) v=$(run_emit "$s" 0-1 --layout split \
				--senders 1 --tx-cores 1) ;;
			ref) v=$(run_splitref "$s") ;;
			esac
			res[$c,$s]+="$v "
			line+=" $c $v"
		done
		echo "round $r size $s:$line" >&2
		line=
	done
done

# Producer cost: cycles the sender lcore spends per event.
prod='{}'
for r in $(seq 1 "$rounds"); do
	"$perf/emit-microbench" -l 0-1 -m 512 --no-huge --no-pci \
		--log-level lib.eal:error \
		--file-prefix "emit-bench-mb-$$-$r" -- 5000000 32 0 desc \
		>>"$tmp/mb.txt" 2>"$tmp/mb.err" || cat "$tmp/mb.err" >&2
done
mb_med() {
	awk -v k="$1" '$1 == k {for (i = 2; i < NF; i++)
		if ($(i + 1) == "cycles/event") print $i}' "$tmp/mb.txt" | median
}
prod=$(jq -n --argjson a "$(mb_med '(a)')" --argjson b "$(mb_med '(b)')" \
	--argjson c "$(mb_med '(c)')" \
	'{raw_primitives: $a, emit_burst: $b, emit_single: $c}')

# callgrind: instructions of a whole run, twice, differenced.
cg_total() {
	awk '/^(summary|totals):/ {print $2; exit}' "$1"
}
cg_testpmd() { # SECONDS of forwarding: "instructions packets"
	local f=$tmp/cg-tp.out log=$tmp/cg-tp.log pid t=0
	# Stats every 5 s keep testpmd forwarding until it is stopped (without
	# them it waits for a key, and ends at once on a closed stdin); the
	# first reading says it forwards. Its start-up under callgrind takes
	# long: the forwarding time is counted from there.
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		dpdk-testpmd -l 0-1 -m 256 "${eal[@]}" \
		--file-prefix "emit-bench-cgtp-$$-$RANDOM" -- \
		--forward-mode=txonly --nb-cores=1 --burst=32 --txpkts=128 \
		--total-num-mbufs=8192 --stats-period=5 >"$log" 2>&1 </dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null &&
	      [ "$(tp_readings "$log" | wc -l)" -eq 0 ] && [ "$t" -lt 1200 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	sleep "$1"
	kill -INT "$pid" 2>/dev/null || true
	t=0
	while kill -0 "$pid" 2>/dev/null && [ "$t" -lt 480 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	# The packets: TX-packets of the accumulated forward statistics it
	# prints at exit (the lines that also carry TX-total).
	echo "$(cg_total "$f") $(awk '/TX-total:/ {for (i = 1; i < NF; i++)
		if ($i == "TX-packets:") v = $(i + 1)} END {print v + 0}' "$log")"
}
cg_emit() { # EVENTS [EMIT-GEN]: "instructions packets"
	local f=$tmp/cg-em.out
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		"${2:-$gen}" -l 0 -m 512 "${eal[@]}" \
		--file-prefix "emit-bench-cgem-$$-$RANDOM" -- --layout rtc \
		--count "$1" --size 128 --pattern none --stats-interval 0 \
		--json "$tmp/cg.json" >/dev/null 2>&1 || true
	echo "$(cg_total "$f") $(jq .totals.port_opackets "$tmp/cg.json")"
}
per_packet() { # "i1 p1" "i2 p2"
	echo "$1 $2" | awk '{if ($4 > $2) printf "%.2f\n", ($3 - $1) / ($4 - $2);
		else print "null"}'
}
ipp='null'
if [ "$cg" -eq 1 ]; then
	echo "callgrind: testpmd and emit rtc, short and long runs, 128 bytes" >&2
	t_a=$(cg_testpmd 20)
	t_b=$(cg_testpmd 60)
	e_a=$(cg_emit 300000)
	e_b=$(cg_emit 1300000)
	n_a=$(cg_emit 300000 build/nometrics/app/emit-gen)
	n_b=$(cg_emit 1300000 build/nometrics/app/emit-gen)
	ipp=$(jq -n --argjson t "$(per_packet "$t_a" "$t_b")" \
		--argjson e "$(per_packet "$e_a" "$e_b")" \
		--argjson n "$(per_packet "$n_a" "$n_b")" \
		--arg ta "$t_a" --arg tb "$t_b" --arg ea "$e_a" --arg eb "$e_b" \
		--arg na "$n_a" --arg nb "$n_b" \
		'{testpmd: $t, emit_rtc: $e, emit_rtc_nometrics: $n,
		  ratio: (if $t != null and $e != null then
			(($e / $t) * 1000 | round) / 1000 else null end),
		  metrics_cost: (if $e != null and $n != null then
			((($e / $n) - 1) * 1000 | round) / 1000 else null end),
		  runs: {testpmd: [$ta, $tb], emit_rtc: [$ea, $eb],
			emit_rtc_nometrics: [$na, $nb]}}')
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
for s in $sizes; do
	args=(--argjson size "$s")
	for c in $configs; do
		args+=(--argjson "$c" "[$(echo "${res[$c,$s]}" | tr -s ' ' '\n' |
			grep . | paste -sd, -)]")
	done
	jq -n "${args[@]}" '
		def med: sort | .[(length - 1) / 2 | floor];
		def r(a; b): if b > 0 then ((a / b) * 1000 | round) / 1000
			else null end;
		{size: $size,
		 rounds: {testpmd_1core: $tp1, emit_rtc_1lcore: $rtc1,
			testpmd_2cores: $tp2, emit_rtc_2lcores: $rtc2,
			emit_split_2lcores: $split, splitref_2lcores: $ref},
		 mpps: {testpmd_1core: ($tp1 | med),
			emit_rtc_1lcore: ($rtc1 | med),
			testpmd_2cores: ($tp2 | med),
			emit_rtc_2lcores: ($rtc2 | med),
			emit_split_2lcores: ($split | med),
			splitref_2lcores: ($ref | med)}}
		| .ratios = {rtc_1: r(.mpps.emit_rtc_1lcore; .mpps.testpmd_1core),
			rtc_2: r(.mpps.emit_rtc_2lcores; .mpps.testpmd_2cores),
			split_vs_testpmd_1: r(.mpps.emit_split_2lcores;
				.mpps.testpmd_1core),
			split_vs_testpmd_2: r(.mpps.emit_split_2lcores;
				.mpps.testpmd_2cores),
			split_vs_splitref: r(.mpps.emit_split_2lcores;
				.mpps.splitref_2lcores)}'
done | jq -s --arg cpu "$cpu" --argjson cores "$(nproc)" \
	--argjson rounds "$rounds" --argjson secs "$secs" \
	--argjson ipp "$ipp" --argjson prod "$prod" \
	--arg cmd "scripts/bench.sh -r $rounds -d $secs -s \"$sizes\"" \
	'{cpu: $cpu, cores: $cores, command: $cmd, rounds: $rounds,
	  seconds: $secs, burst: 32, results: .,
	  instructions_per_packet: $ipp,
	  producer_cycles_per_event: $prod}' >"$out"

echo "Mpps, median of $rounds rounds of $secs s, burst 32, net_null;" \
	"ratios to testpmd on the same number of cores"
jq -r '
	def f: if . == null then "-" else tostring end;
	"| frame | testpmd 1 core | emit rtc 1 lcore | ratio | testpmd 2 cores | emit rtc 2 lcores | ratio | emit split 2 lcores | /testpmd 1 | /testpmd 2 | split by hand | /by hand |",
	"|---|---|---|---|---|---|---|---|---|---|---|---|",
	(.results[] | "| \(.size) | \(.mpps.testpmd_1core) | \(.mpps.emit_rtc_1lcore) | \(.ratios.rtc_1 | f) | \(.mpps.testpmd_2cores) | \(.mpps.emit_rtc_2lcores) | \(.ratios.rtc_2 | f) | \(.mpps.emit_split_2lcores) | \(.ratios.split_vs_testpmd_1 | f) | \(.ratios.split_vs_testpmd_2 | f) | \(.mpps.splitref_2lcores) | \(.ratios.split_vs_splitref | f) |")
' "$out"
if [ "$cg" -eq 1 ]; then
	jq -r '.instructions_per_packet |
		"instructions per packet (callgrind, 128 bytes, one core):" +
		" testpmd \(.testpmd), emit rtc \(.emit_rtc), ratio \(.ratio);" +
		" emit rtc without metrics \(.emit_rtc_nometrics)," +
		" metrics cost \(.metrics_cost)"' \
		"$out"
fi
jq -r '.producer_cycles_per_event |
	"producer cycles per event (descriptor ring, burst 32):" +
	" raw primitives \(.raw_primitives), emit burst \(.emit_burst)," +
	" emit single \(.emit_single)"' "$out"

# Debian's matplotlib is for Debian's python3, which another python3
# earlier in PATH may hide.
py=python3
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import matplotlib' 2>/dev/null; then py=$p; break; fi
done
"$py" - "$out" "$png" <<'EOF'
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

d = json.load(open(sys.argv[1]))
sizes = [r["size"] for r in d["results"]]
names = [("testpmd_1core", "testpmd, 1 core", "C0", "--"),
         ("emit_rtc_1lcore", "emit rtc, 1 lcore", "C0", "-"),
         ("testpmd_2cores", "testpmd, 2 cores", "C1", "--"),
         ("emit_rtc_2lcores", "emit rtc, 2 lcores", "C1", "-"),
         ("splitref_2lcores", "split by hand, 2 lcores", "C2", "--"),
         ("emit_split_2lcores", "emit split, 2 lcores", "C2", "-")]
fig, ax = plt.subplots(figsize=(8, 5))
for key, label, color, style in names:
    ax.plot(sizes, [r["mpps"][key] for r in d["results"]], style,
            color=color, marker="o", label=label)
ax.set_xscale("log")
ax.set_xticks(sizes)
ax.set_xticklabels([str(s) for s in sizes])
ax.set_xlabel("frame bytes")
ax.set_ylabel("Mpps (median of %d rounds)" % d["rounds"])
ax.set_ylim(bottom=0)
ax.set_title("net_null, burst 32: %s, %d vCPUs" % (d["cpu"], d["cores"]),
             fontsize=9)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
EOF
echo "wrote $out and $png" >&2
