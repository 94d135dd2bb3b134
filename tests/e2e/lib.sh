# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the end-to-end test scripts. Expects EMIT_GEN, EMIT_SINK and
# EMIT_SRC in the environment (set by tests/e2e/meson.build). Provides skips
# and failures with a reason, bounded waits, a scratch directory, and a
# network namespace with a veth pair that is removed on every exit path.

set -uo pipefail

: "${EMIT_SRC:?}" "${EMIT_SINK:?}" "${EMIT_GEN:?}"
E2E_TEST=$(basename "$0" .sh)
E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/emit-$E2E_TEST.XXXXXX")
E2E_PIDS=()
E2E_NS=""
E2E_VETH=""
E2E_FAILED=0

# EAL options shared by every run: no hugepages, no PCI, a unique prefix.
# e2e_eal NAME
e2e_eal() {
	echo "--no-huge --no-pci -m 256 --file-prefix emit-$E2E_TEST-$1-$$" \
		"--log-level lib.eal:error"
}

e2e_cleanup() {
	local pid
	for pid in "${E2E_PIDS[@]+"${E2E_PIDS[@]}"}"; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	[ -n "$E2E_NS" ] && ip netns del "$E2E_NS" 2>/dev/null
	[ -n "$E2E_VETH" ] && ip link del "$E2E_VETH" 2>/dev/null
	# EAL runtime directories of this run's file prefixes.
	rm -rf /var/run/dpdk/emit-"$E2E_TEST"-*-$$ \
		"${XDG_RUNTIME_DIR:-/tmp}"/dpdk/emit-"$E2E_TEST"-*-$$ 2>/dev/null
	if [ "$E2E_FAILED" -eq 0 ]; then
		rm -rf "$E2E_DIR"
	else
		echo "files kept in $E2E_DIR" >&2
	fi
}
trap e2e_cleanup EXIT
trap 'E2E_FAILED=1; exit 1' INT TERM

skip() {
	echo "SKIP: $E2E_TEST: $*"
	exit 77
}

fail() {
	echo "FAIL: $E2E_TEST: $*" >&2
	E2E_FAILED=1
	exit 1
}

ok() {
	echo "ok: $*"
}

# check DESCRIPTION ACTUAL EXPECTED
check() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	ok "$1 = $3"
}

need_cmds() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# Network namespaces and veth pairs need root (CAP_NET_ADMIN).
need_netns() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create a network namespace"
	need_cmds ip
	local probe="emit-sink-probe-$$"
	ip netns add "$probe" 2>/dev/null ||
		skip "cannot create network namespaces here"
	ip netns del "$probe"
}

# gen_need_opts OPT...: skip unless emit-gen --help lists every option.
gen_need_opts() {
	local help o
	help=$("$EMIT_GEN" --help 2>&1)
	for o in "$@"; do
		grep -q -- "$o\\b" <<<"$help" ||
			skip "emit-gen has no $o option yet"
	done
}

# bg NAME CMD...: start CMD in the background, its output in
# $E2E_DIR/NAME.out and NAME.err, its pid in BG_PID.
bg() {
	local name=$1
	shift
	"$@" >"$E2E_DIR/$name.out" 2>"$E2E_DIR/$name.err" &
	BG_PID=$!
	E2E_PIDS+=("$BG_PID")
}

# wait_line FILE REGEX PID: wait (at most 60 s) until FILE has a line
# matching REGEX; fail if PID exits first.
wait_line() {
	local i
	for i in $(seq 600); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || {
			cat "$1" >&2
			fail "process $3 ended before printing '$2'"
		}
		sleep 0.1
	done
	fail "no '$2' in $1 after 60 s"
}

# wait_pid PID: wait for a background process, return its exit status.
wait_pid() {
	local rc p keep=()
	wait "$1"
	rc=$?
	for p in "${E2E_PIDS[@]+"${E2E_PIDS[@]}"}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	E2E_PIDS=("${keep[@]+"${keep[@]}"}")
	return $rc
}

# netns_up: a namespace and a veth pair with one end inside it, IPv6 off
# so that the kernel sends nothing of its own on them. Sets E2E_NS,
# E2E_VETH (outside end) and E2E_VETH_IN (inside end).
netns_up() {
	E2E_NS="emit-sink-$E2E_TEST-$$"
	E2E_VETH="sink$$o"
	E2E_VETH_IN="sink$$i"
	ip netns add "$E2E_NS" || fail "ip netns add $E2E_NS"
	ip link add "$E2E_VETH" type veth peer name "$E2E_VETH_IN" \
		netns "$E2E_NS" || fail "ip link add $E2E_VETH"
	sysctl -qw "net.ipv6.conf.$E2E_VETH.disable_ipv6=1"
	ip netns exec "$E2E_NS" \
		sysctl -qw "net.ipv6.conf.$E2E_VETH_IN.disable_ipv6=1"
	ip link set "$E2E_VETH" up || fail "link up $E2E_VETH"
	ip netns exec "$E2E_NS" ip link set "$E2E_VETH_IN" up ||
		fail "link up $E2E_VETH_IN"
}

# jqv FILE FILTER: one value from a JSON report.
jqv() {
	jq -r "$2" "$1" || fail "cannot read '$2' from $1"
}

# gen_senders FILE: one line per sender of an emit-gen JSON report:
# "id committed dropped", dropped being the sum of its dropped_* xstats.
gen_senders() {
	jq -r '.senders[] | (.xstats // .) as $x |
		[.id, $x.events_committed,
		 ([$x | to_entries[] | select(.key | startswith("dropped_")) |
		   .value] | add // 0)] | map(tostring) | join(" ")' "$1" ||
		fail "cannot read the senders of $1"
}

# sink_sender FILE ID FIELD: a field of one sender of an emit-sink report.
sink_sender() {
	jq -r --argjson id "$2" \
		"[.senders[] | select(.id == \$id) | .$3] | first // \"none\"" \
		"$1" || fail "cannot read sender $2 of $1"
}
