#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The examples against the installed library: install the build into a
# staging directory, point pkg-config at it, build examples/minimal and
# examples/typed with their Makefiles (libemit.so, then libemit.a through
# pkg-config --static) from a copy outside the source tree, and run each
# binary for about a second on net_null. Any failure fails the test; a
# missing tool is a skip (77) with the reason.
#
# Warnings: the examples are compiled with -Wall -Wextra -Werror -pedantic
# in the compiler's default dialect (gnu17 for gcc 12 and clang 14), DPDK's
# include directories as given by libdpdk.pc (-I, not demoted to
# -isystem): DPDK 22.11's headers raise no -pedantic warning there, so
# emit's and DPDK's headers are held to it alike. A second, syntax-only
# pass in strict ISO C11 (-std=c11 -pedantic) needs -D_POSIX_C_SOURCE:
# DPDK's rte_string_fns.h calls strnlen(), which ISO C does not declare.
#
# Environment: EMIT_BUILD, the meson build directory (built); EMIT_SRC,
# the source tree (for examples/).
set -uo pipefail

skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

: "${EMIT_BUILD:?EMIT_BUILD: the meson build directory}"
: "${EMIT_SRC:?EMIT_SRC: the source tree}"
for cmd in meson pkg-config make cc nm; do
	command -v "$cmd" >/dev/null 2>&1 || skip "$cmd not found"
done
pkg-config --exists libdpdk || skip "pkg-config does not find libdpdk"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/emit-examples.XXXXXX") ||
	fail "mktemp"
PREFIXES=()
cleanup() {
	local p
	rm -rf "$TMP"
	for p in "${PREFIXES[@]}"; do
		rm -rf "/var/run/dpdk/$p" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$p"
	done
}
trap cleanup EXIT

# Install. meson's libemit.pc names the configured prefix; the staged copy
# has that prefix under $STAGE, so its prefix= line is rewritten (every
# other path in it derives from ${prefix}).
STAGE=$TMP/stage
meson install -C "$EMIT_BUILD" --no-rebuild --destdir "$STAGE" --quiet \
	>"$TMP/install.log" 2>&1 || {
	cat "$TMP/install.log" >&2
	fail "meson install into $STAGE"
}
PC=$(find "$STAGE" -name libemit.pc -print -quit)
[ -n "$PC" ] || fail "no libemit.pc installed"
prefix=$(sed -n 's/^prefix=//p' "$PC")
[ -n "$prefix" ] || fail "libemit.pc has no prefix= line"
sed -i "s|^prefix=.*|prefix=$STAGE$prefix|" "$PC" || fail "rewrite $PC"
export PKG_CONFIG_PATH=${PC%/*}${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
libdir=$(pkg-config --variable=libdir libemit) || fail "pkg-config libemit"
incdir=$(pkg-config --variable=includedir libemit) ||
	fail "pkg-config libemit"
[ -f "$libdir/libemit.so" ] || fail "no libemit.so in $libdir"
[ -f "$libdir/libemit.a" ] || fail "no libemit.a in $libdir"
[ -f "$incdir/emit.h" ] || fail "no emit.h in $incdir"

# Installed headers only: nothing of the source or build tree in the flags.
for flags in "$(pkg-config --cflags libemit)" \
		"$(pkg-config --static --cflags --libs libemit)"; do
	case "$flags" in
	*"$EMIT_SRC"* | *"$(cd "$EMIT_BUILD" && pwd)"*)
		fail "pkg-config points into the tree: $flags" ;;
	esac
done

# The shared library exports emit's API only (the version node EMIT_*
# appears as an absolute symbol).
others=$(nm -D --defined-only "$libdir/libemit.so" |
	awk '$2 != "A" && $3 !~ /^emit_/ { print $3 }')
[ -z "$others" ] || fail "libemit.so exports non-emit symbols: $others"

# The static link takes DPDK's static libraries and every system library
# they need (libdpdk.pc's Libs.private). One missing (e.g. -lsystemd
# without libsystemd-dev) is a missing build dependency: the shared
# variants still run, then the test skips with its name.
static_libs=$(pkg-config --static --libs libemit) || fail "pkg-config --static"
Lflags=()
missing=()
for f in $static_libs; do
	case $f in -L*) Lflags+=("$f") ;; esac
done
for f in $static_libs; do
	case $f in
	-lemit | -l:*) ;;
	-l*)
		echo 'int main(void) { return 0; }' |
			cc -x c - -o "$TMP/probe" "${Lflags[@]}" "$f" \
			>/dev/null 2>&1 || missing+=("$f")
		;;
	esac
done

cp -r "$EMIT_SRC/examples" "$TMP/examples" || fail "copy examples"
WFLAGS="-O2 -Wall -Wextra -Werror -pedantic"
# A sanitizer build installs instrumented libraries: the examples are
# built with the same -fsanitize, as an application linking them must be.
LINKFLAGS=""
san=$(meson introspect --buildoptions "$EMIT_BUILD" | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"))
') || fail "meson introspect: b_sanitize"
if [ "$san" != none ]; then
	WFLAGS="$WFLAGS -fsanitize=$san"
	LINKFLAGS="-fsanitize=$san"
fi
for ex in minimal typed; do
	dir=$TMP/examples/$ex
	[ -f "$dir/$ex.c" ] || fail "examples/$ex/$ex.c missing"
	# shellcheck disable=SC2046
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -pedantic \
		-fsyntax-only $(pkg-config --cflags libemit) "$dir/$ex.c" ||
		fail "$ex: not ISO C11 clean"
	bins=("$ex")
	targets=(shared)
	if [ ${#missing[@]} -eq 0 ]; then
		bins+=("$ex-static")
		targets+=(static)
	fi
	make -s -C "$dir" CFLAGS="$WFLAGS" LDFLAGS="$LINKFLAGS" "${targets[@]}" ||
		fail "$ex: build"
	for bin in "${bins[@]}"; do
		p=emit-ex-$bin-$$
		PREFIXES+=("$p")
		echo "== $bin"
		LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
			"$dir/$bin" --no-huge --no-pci -m 256 \
			--vdev net_null0 --file-prefix "$p" >"$TMP/$bin.out" 2>&1
		rc=$?
		cat "$TMP/$bin.out"
		[ $rc -eq 0 ] || fail "$bin exited $rc"
		grep -q '^conservation: holds$' "$TMP/$bin.out" ||
			fail "$bin: no conservation line"
	done
	# The static binary carries no libemit.so dependency.
	if [ ${#missing[@]} -eq 0 ] &&
		grep -q 'libemit\.so' <<<"$(ldd "$dir/$ex-static" 2>/dev/null)"; then
		fail "$ex-static is linked with libemit.so"
	fi
	# ldd's output is read whole: grep -q leaving a pipe early would
	# kill ldd with SIGPIPE and fail the pipeline (pipefail).
	grep -q "$libdir/libemit\.so" <<<"$(LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
		ldd "$dir/$ex" 2>/dev/null)" ||
		fail "$ex does not load the installed libemit.so"
done
if [ ${#missing[@]} -ne 0 ]; then
	skip "shared variants passed; static link needs ${missing[*]}" \
		"(e.g. Debian's libsystemd-dev for -lsystemd)"
fi
echo "examples: built against the installed library and ran"
