#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write capture files of emit frames for the receive-side tests.

The frames are built here, byte by byte, independently of the library:

  mkpcap.py clean FILE   senders 1 and 2, seq 0..999 each, interleaved
  mkpcap.py mixed FILE   the same with loss, reordering, a duplicate, a
                         missing tail, one jumbo event, malformed frames
                         and other traffic
  mkpcap.py expect       what emit-sink must report for the mixed file
                         (MIXED_EXPECT, as JSON)

Every event's commit time is BASE_NS + 1000 * n and its capture time 5 us
later, so the one-way latency of each event is exactly 5000 ns.
"""
import json
import struct
import sys

BASE_NS = 1700000000 * 10**9
LATENCY_NS = 5000
MAGIC = 0x454D

# What emit-sink must report for the mixed file with --expect-count 1000,
# in the shape of its JSON report (senders by id).
MIXED_EXPECT = {
    "totals": {"frames": 2005, "events": 1001 + 990 + 1, "senders": 3,
               "lost": 11 + 999, "reordered": 1, "duplicated": 1,
               "stale": 0, "malformed": 10, "other": 3, "untracked": 0},
    "malformed": {"truncated": 2, "not_ipv4": 0, "ip_hdr": 1,
                  "ip_cksum": 1, "ip_fragment": 1, "not_udp": 0,
                  "length": 1, "udp_cksum": 1, "magic": 2, "version": 1},
    "senders": {
        "1": {"received": 1001, "first_seq": 0, "last_seq": 1000,
              "lost": 0, "reordered": 0, "duplicated": 0},
        "2": {"received": 990, "first_seq": 0, "last_seq": 989, "lost": 11,
              "lost_gaps": 1, "lost_tail": 10, "reordered": 1,
              "duplicated": 1},
        "4": {"received": 1, "first_seq": 999, "last_seq": 999,
              "lost": 999, "bytes": 3066},
    },
    "latency_ns": {"count": 1992, "negative": 0, "min": 5000, "p50": 5000,
                   "p99": 5000, "p99.9": 5000, "max": 5000},
}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(payload, proto=17, frag=0x4000, ihl=5, tot=None, bad_sum=False):
    opts = b"\x01" * (4 * (ihl - 5))
    length = 20 + len(opts) + len(payload) if tot is None else tot
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, length, 0, frag, 64,
                      proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    hdr += opts
    s = csum(hdr)
    if bad_sum:
        s ^= 0x0101
    return hdr[:10] + struct.pack("!H", s) + hdr[12:] + payload


def udp(payload, sport=9000, dport=9001, ulen=None, cksum=0):
    n = 8 + len(payload) if ulen is None else ulen
    return struct.pack("!HHHH", sport, dport, n, cksum) + payload


def udp_with_sum(payload, sport=9000, dport=9001):
    n = 8 + len(payload)
    pseudo = bytes([10, 0, 0, 1, 10, 0, 0, 2, 0, 17]) + struct.pack("!H", n)
    s = csum(pseudo + udp(payload, sport, dport)) or 0xFFFF
    return udp(payload, sport, dport, cksum=s)


def eth(payload, ethertype=0x0800):
    return (bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]) +
            struct.pack("!H", ethertype) + payload)


def event(sender, seq, n, plen=16, version=1, magic=MAGIC, etype=7):
    body = bytes((i * 7 + seq) & 0xFF for i in range(plen))
    return struct.pack("!HBBHHQQ", magic, version, 0, etype, sender, seq,
                       BASE_NS + 1000 * n) + body


def frame(sender, seq, n, plen=16):
    return eth(ipv4(udp(event(sender, seq, n, plen))))


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535,
                                 1))
        self.n = 0

    def add(self, data, caplen=None):
        """Add a frame captured 5 us after commit time n."""
        ns = BASE_NS + 1000 * self.n + LATENCY_NS
        self.n += 1
        cap = data if caplen is None else data[:caplen]
        self.f.write(struct.pack("<IIII", ns // 10**9, (ns % 10**9) // 1000,
                                 len(cap), len(data)))
        self.f.write(cap)

    def event(self, sender, seq, plen=16):
        self.add(frame(sender, seq, self.n, plen))

    def close(self):
        self.f.close()


def clean(p):
    for seq in range(1000):
        p.event(1, seq)
        p.event(2, seq)


def mixed(p):
    s2 = [s for s in range(990) if s != 10]
    i = s2.index(500)
    s2[i], s2[i + 1] = s2[i + 1], s2[i]
    s2.insert(s2.index(700) + 5, 700)
    for seq in range(1000):
        p.event(1, seq)
        if seq < len(s2):
            p.event(2, s2[seq])
    # A jumbo event: longer than an mbuf, read back in segments.
    p.event(4, 999, plen=3000)
    ev = event(3, 0, p.n)
    # Malformed, one or two of each kind.
    p.add(frame(3, 0, p.n, plen=150), caplen=80)                # truncated
    p.add(eth(ipv4(udp(b"\0" * 18))))                          # truncated
    p.add(eth(ipv4(udp(ev), ihl=6)))                            # ip_hdr
    p.add(eth(ipv4(udp(ev), bad_sum=True)))                     # ip_cksum
    p.add(eth(ipv4(udp(ev), frag=0x2000)))                      # ip_fragment
    p.add(eth(ipv4(udp(ev), tot=20 + 8 + len(ev) - 4)))         # length
    bad = bytearray(eth(ipv4(udp_with_sum(ev))))
    bad[-1] ^= 0xFF
    p.add(bytes(bad))                                           # udp_cksum
    p.add(eth(ipv4(udp(event(3, 0, p.n, magic=0x1234)))))       # magic
    p.add(eth(ipv4(udp(b"foreign datagram, no magic.", dport=53))))  # magic
    p.add(eth(ipv4(udp(event(3, 0, p.n, version=3)))))          # version
    # Other traffic: ARP, IPv6, TCP.
    p.add(eth(b"\0\1\x08\0\6\4\0\1" + b"\0" * 20, ethertype=0x0806))
    p.add(eth(b"\x60" + b"\0" * 39, ethertype=0x86DD))
    p.add(eth(ipv4(b"\0" * 20, proto=6)))
    # A good frame with a valid UDP checksum counts like any other.
    p.add(eth(ipv4(udp_with_sum(event(1, 1000, p.n)))))


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "expect":
        json.dump(MIXED_EXPECT, sys.stdout)
        return
    if len(sys.argv) != 3 or sys.argv[1] not in ("clean", "mixed"):
        sys.exit("usage: mkpcap.py clean|mixed FILE | mkpcap.py expect")
    p = Pcap(sys.argv[2])
    {"clean": clean, "mixed": mixed}[sys.argv[1]](p)
    p.close()


if __name__ == "__main__":
    main()
