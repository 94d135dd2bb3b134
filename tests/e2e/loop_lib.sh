# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Sourced by the loop's end-to-end tests: lib.sh, plus a path with the
# Linux kernel as the device under test:
#
#   ns G: emit-gen on $LOOP_GEN_IF  <-veth->  $LOOP_FWD_IN  ns F (forwards,
#   optionally shaped by tc)  $LOOP_FWD_OUT  <-veth->  $LOOP_SINK_IF ns K:
#   emit-sink
#
# Frames go from 10.0.1.1 to 10.0.2.2; F routes 10.0.2.0/24 out of
# $LOOP_FWD_OUT to a fixed neighbour (the sink's MAC), so no ARP is needed
# and the sink side's kernel sends nothing. The namespaces (and the veth
# pairs in them) are removed on every exit path, after the processes.
. "$EMIT_SRC/tests/e2e/lib.sh"

LOOP_NS=()

loop_cleanup() {
	local ns
	e2e_cleanup
	for ns in "${LOOP_NS[@]+"${LOOP_NS[@]}"}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap loop_cleanup EXIT

# loop_ns NAME: create a namespace, remembered for cleanup.
loop_ns() {
	ip netns add "$1" || fail "ip netns add $1"
	LOOP_NS+=("$1")
	ip netns exec "$1" ip link set lo up
}

# loop_mac NS IF: the MAC address of an interface.
loop_mac() {
	ip netns exec "$1" cat "/sys/class/net/$2/address" ||
		fail "no address for $2 in $1"
}

# loop_veth NS_A IF_A NS_B IF_B: a veth pair between two namespaces, up,
# IPv6 off so that the kernel sends nothing of its own.
loop_veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		fail "ip link add $2 <-> $4"
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	ip netns exec "$3" sysctl -qw "net.ipv6.conf.$4.disable_ipv6=1"
	ip netns exec "$1" ip link set "$2" up || fail "link up $2"
	ip netns exec "$3" ip link set "$4" up || fail "link up $4"
}

# loop_up: the three namespaces and two veth pairs; sets LOOP_G, LOOP_F,
# LOOP_K (namespaces), LOOP_GEN_IF, LOOP_FWD_IN, LOOP_FWD_OUT,
# LOOP_SINK_IF, LOOP_GEN_MAC and LOOP_FWD_MAC (emit-gen's --src-mac and
# --dst-mac), and LOOP_GEN_NET (emit-gen's address options).
loop_up() {
	LOOP_G="emit-loop-$E2E_TEST-g-$$"
	LOOP_F="emit-loop-$E2E_TEST-f-$$"
	LOOP_K="emit-loop-$E2E_TEST-k-$$"
	LOOP_GEN_IF="lg$$"
	LOOP_FWD_IN="lf$$i"
	LOOP_FWD_OUT="lf$$o"
	LOOP_SINK_IF="lk$$"
	loop_ns "$LOOP_G"
	loop_ns "$LOOP_F"
	loop_ns "$LOOP_K"
	loop_veth "$LOOP_G" "$LOOP_GEN_IF" "$LOOP_F" "$LOOP_FWD_IN"
	loop_veth "$LOOP_F" "$LOOP_FWD_OUT" "$LOOP_K" "$LOOP_SINK_IF"
	local f=(ip netns exec "$LOOP_F")
	"${f[@]}" sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward"
	"${f[@]}" sysctl -qw net.ipv4.conf.all.rp_filter=0
	"${f[@]}" sysctl -qw "net.ipv4.conf.$LOOP_FWD_IN.rp_filter=0"
	"${f[@]}" ip addr add 10.0.1.254/24 dev "$LOOP_FWD_IN" ||
		fail "address on $LOOP_FWD_IN"
	"${f[@]}" ip addr add 10.0.2.254/24 dev "$LOOP_FWD_OUT" ||
		fail "address on $LOOP_FWD_OUT"
	"${f[@]}" ip neigh replace 10.0.2.2 lladdr \
		"$(loop_mac "$LOOP_K" "$LOOP_SINK_IF")" nud permanent \
		dev "$LOOP_FWD_OUT" || fail "neighbour 10.0.2.2"
	LOOP_GEN_MAC=$(loop_mac "$LOOP_G" "$LOOP_GEN_IF")
	LOOP_FWD_MAC=$(loop_mac "$LOOP_F" "$LOOP_FWD_IN")
	# shellcheck disable=SC2034 # used by the scripts that source this
	LOOP_GEN_NET="--src-mac $LOOP_GEN_MAC --dst-mac $LOOP_FWD_MAC
		--src-ip 10.0.1.1 --dst-ip 10.0.2.2"
}

# loop_sink NAME [sink options...]: emit-sink in ns K on the path's end,
# in the background (BG_PID), its telemetry under prefix
# emit-$E2E_TEST-NAME-$$; returns once it receives.
loop_sink() {
	local name=$1
	shift
	# shellcheck disable=SC2046
	bg "$name" ip netns exec "$LOOP_K" "$EMIT_SINK" -l 0 \
		$(e2e_eal "$name") \
		--vdev "net_af_packet0,iface=$LOOP_SINK_IF,framecnt=65536" \
		-- --stats-interval 0 "$@"
	wait_line "$E2E_DIR/$name.err" "receiving on 1 port" "$BG_PID"
}

# loop_gen_cmd NAME: the start of an emit-gen command line in ns G on the
# path's start (EAL options and the port); append "-- options".
loop_gen_cmd() {
	echo "ip netns exec $LOOP_G $EMIT_GEN --lcores 0@0,1@1,2@0" \
		"$(e2e_eal "$1")" "--vdev net_af_packet0,iface=$LOOP_GEN_IF"
}
