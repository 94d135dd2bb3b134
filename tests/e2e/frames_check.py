#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check a capture from tshark's fields against what emit-gen was asked.

Reads tshark -T fields output (tab-separated, occurrences joined by ','):
frame.len, vlan.id, ip.dst, ipv6.dst, ip.checksum.status,
udp.checksum.status, udp.dstport, ieee8021ad.id (an 802.1ad outer tag,
which tshark does not count as vlan.id). Prints one 'ok:' line per check, or
'FAIL: ...' and exits 1.
"""
import argparse
import collections
import ipaddress
import json
import sys

GOOD, NOT_PRESENT = "1", "3"


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def ok(msg):
    print(f"ok: {msg}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fields")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--size", type=int, help="every frame this long")
    ap.add_argument("--mix", help="weights of the most frequent sizes, "
                    "largest first, e.g. 7:4:1 (IMIX)")
    ap.add_argument("--vlans", default="", help="tag stack, outer first: "
                    "100 or 100,200; empty: untagged")
    ap.add_argument("--dst-range", nargs=2, metavar=("FIRST", "LAST"),
                    help="destination addresses, every one covered")
    ap.add_argument("--ipv6", action="store_true")
    ap.add_argument("--sink", help="emit-sink's JSON report on the "
                    "capture: lossless, sequences complete, sizes and "
                    "VLANs as in the capture")
    a = ap.parse_args()

    rows = []
    with open(a.fields) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            c += [""] * (8 - len(c))
            rows.append(c)
    if len(rows) != a.count:
        fail(f"{len(rows)} frames, expected {a.count}")
    ok(f"{a.count} frames")

    sizes = collections.Counter(int(r[0]) for r in rows)
    if a.size is not None:
        if set(sizes) != {a.size}:
            fail(f"frame sizes {dict(sizes)}, expected all {a.size}")
        ok(f"every frame {a.size} bytes")
    if a.mix:
        w = [int(x) for x in a.mix.split(":")]
        top = sizes.most_common(len(w))
        if len(top) < len(w):
            fail(f"sizes {dict(sizes)}: fewer than {len(w)} sizes")
        for (size, n), wi in zip(top, w):
            want = a.count * wi / sum(w)
            if abs(n - want) > max(0.03 * a.count, 3):
                fail(f"size {size}: {n} frames, expected about "
                     f"{want:.0f} ({a.mix})")
        ok(f"sizes {dict(top)} in proportions {a.mix}")

    want_tags = a.vlans.split(",") if a.vlans else []
    for r in rows:
        tags = ((r[7].split(",") if r[7] else []) +
                (r[1].split(",") if r[1] else []))
        if tags != want_tags:
            fail(f"VLAN tags {tags or 'none'}, expected "
                 f"{want_tags or 'none'}")
    ok(f"VLAN tags {a.vlans or 'none'} on every frame")

    col = 3 if a.ipv6 else 2
    if any(not r[col] for r in rows):
        fail(f"a frame without {'an IPv6' if a.ipv6 else 'an IPv4'} "
             "header")
    if not a.ipv6:
        bad = [r[4] for r in rows if r[4] != GOOD]
        if bad:
            fail(f"{len(bad)} IPv4 header checksums not good ({bad[0]})")
        ok("IPv4 header checksums good")
    # UDP checksum: verified when present; always present over IPv6.
    allowed = {GOOD} if a.ipv6 else {GOOD, NOT_PRESENT}
    bad = [r[5] for r in rows if r[5] not in allowed]
    if bad:
        fail(f"{len(bad)} UDP checksums bad or missing ({bad[0]})")
    ok("UDP checksums " + ("good" if a.ipv6 else "good or absent"))

    if a.dst_range:
        first = ipaddress.ip_address(a.dst_range[0])
        last = ipaddress.ip_address(a.dst_range[1])
        want = {first + i for i in range(int(last) - int(first) + 1)}
        got = {ipaddress.ip_address(r[col]) for r in rows}
        if got != want:
            fail(f"destinations cover {len(got)} addresses "
                 f"({min(got)}..{max(got)}), expected {first}..{last}")
        ok(f"destinations cover {first}..{last}")

    if a.sink:
        check_sink(a, sizes)


BUCKETS = [(0, "0-59"), (60, "60-127"), (128, "128-255"), (256, "256-511"),
           (512, "512-1023"), (1024, "1024-1518"), (1519, "1519-max")]


def bucket(n):
    return [name for low, name in BUCKETS if n >= low][-1]


def check_sink(a, sizes):
    with open(a.sink) as f:
        r = json.load(f)
    t = r["totals"]
    for key, want in (("frames", a.count), ("events", a.count),
                      ("lost", 0), ("reordered", 0), ("duplicated", 0),
                      ("stale", 0), ("malformed", 0), ("other", 0),
                      ("untracked", 0)):
        if t[key] != want:
            fail(f"emit-sink: totals.{key} {t[key]}, expected {want} "
                 f"(malformed by reason: {r['malformed']})")
    received = 0
    for s in r["senders"]:
        if s["first_seq"] != 0 or s["last_seq"] != s["received"] - 1:
            fail(f"emit-sink: sender {s['id']} seq {s['first_seq']}.."
                 f"{s['last_seq']} for {s['received']} events")
        received += s["received"]
    if received != a.count:
        fail(f"emit-sink: senders received {received}, expected {a.count}")
    ok(f"emit-sink: {a.count} events, lossless, every sequence complete")
    want = {name: 0 for _, name in BUCKETS}
    for size, n in sizes.items():
        want[bucket(size)] += n
    if r["sizes"] != want:
        fail(f"emit-sink: sizes {r['sizes']}, the capture has {want}")
    ok("emit-sink: size buckets as in the capture")
    key = ".".join(a.vlans.split(",")) if a.vlans else "none"
    if r["vlans"] != {key: a.count}:
        fail(f"emit-sink: VLANs {r['vlans']}, expected {{{key!r}: "
             f"{a.count}}} (sink_event_vlans() reads the decoder's tags)")
    ok(f"emit-sink: {a.count} events under VLAN {key}")


if __name__ == "__main__":
    main()
