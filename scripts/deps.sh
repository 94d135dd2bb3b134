#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the other scripts: install what the build and tests need from
# Debian's archive when it is missing (through sudo when not root).

emit_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

# emit_need_pkgs PKG...: install the packages that are not installed yet.
emit_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}" >&2
	# tshark's wireshark-common asks whether non-root users may capture:
	# answer no beforehand so that the install never prompts.
	if command -v debconf-set-selections >/dev/null 2>&1; then
		echo "wireshark-common wireshark-common/install-setuid boolean false" |
			emit_as_root debconf-set-selections || return 1
	fi
	emit_as_root apt-get update -qq >&2 || return 1
	DEBIAN_FRONTEND=noninteractive emit_as_root \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Packages to build emit and run the generator.
EMIT_BUILD_PKGS=(build-essential meson ninja-build pkg-config libdpdk-dev
	dpdk python3)
# Extra packages the tests use (libcmocka-dev to build them: without it
# meson's -Dtests=auto builds no test; tcpdump and tshark for the
# end-to-end tests on a veth pair, which also need root for a network
# namespace; libjansson-dev for the telemetry tests, dpdk-dev for
# dpdk-telemetry.py).
EMIT_TEST_PKGS=(libcmocka-dev libjansson-dev dpdk-dev iproute2 tcpdump tshark
	jq)
# Static analysis (scripts/lint.sh): clang-tidy and cppcheck; fuzzing
# (scripts/fuzz.sh): clang with its runtime's libFuzzer and sanitizers.
EMIT_TEST_PKGS+=(clang-tidy cppcheck clang libclang-rt-dev)
# The examples test links the static library, whose DPDK drivers need
# libsystemd; emit-plot (the loop's plot test) needs matplotlib.
EMIT_TEST_PKGS+=(libsystemd-dev python3-matplotlib)

# emit_build_has DIR [meson options...]: whether the configured build DIR
# already has every value that the -Dname=value and --name=value options
# ask for.
emit_build_has() {
	local dir=$1
	shift
	meson introspect "$dir" --buildoptions 2>/dev/null |
		python3 -c '
import json, sys
have = {}
for o in json.load(sys.stdin):
    v = o["value"]
    if isinstance(v, bool):
        v = "true" if v else "false"
    elif isinstance(v, list):
        v = ",".join(str(x) for x in v)
    have[o["name"]] = str(v)
for a in sys.argv[1:]:
    if a.startswith("-D"):
        a = a[2:]
    elif a.startswith("--"):
        a = a[2:]
    else:
        continue
    name, _, value = a.partition("=")
    if have.get(name) != value:
        sys.exit(1)
' "$@"
}

# emit_build DIR [meson options...]: configure and build. A DIR configured
# earlier is configured again when one of the options asks for a value it
# does not have yet (as -Dtests=enabled from scripts/test.sh in the build
# dir that scripts/run.sh made without the test packages).
emit_build() {
	local dir=$1 setup=()
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		setup=(meson setup "$dir" "$@")
	elif ! emit_build_has "$dir" "$@"; then
		setup=(meson setup --reconfigure "$dir" "$@")
	fi
	if [ ${#setup[@]} -gt 0 ]; then
		"${setup[@]}" >"$dir.setup.log" 2>&1 || {
			cat "$dir.setup.log" >&2
			return 1
		}
		# The one line that says the tests are not built, if they
		# are not.
		grep -h "tests not built" "$dir.setup.log" >&2 || true
	fi
	ninja -C "$dir" >&2
}
