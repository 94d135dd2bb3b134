#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpora of the fuzz harnesses into tests/fuzz/corpus/.

Run again after a change of the wire format or of the commands; the
files it writes are committed. Each seed is a small input that reaches
one path: a well-formed frame, each kind of malformed frame, a stream of
frames with a gap, a reordering and a duplicate; each telemetry command
with good and bad parameters; typical emit-gen command lines.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC, VERSION = 0x454D, 1


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(sender=5, seq=0, payload=b"\0" * 8, ethertype=0x0800, ihl=5,
          frag=0x4000, proto=17, magic=MAGIC, version=VERSION,
          bad_cksum=False, udp_cksum=False):
    hdr = struct.pack("!HBBHHQQ", magic, version, 0, 1, sender, seq,
                      1_700_000_000_000_000_000 + seq)
    udp_len = 8 + len(hdr) + len(payload)
    options = b"\x01" * 4 * (ihl - 5)
    ip_len = 4 * ihl + udp_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ip_len, 0, frag, 64,
                     proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip += options
    c = csum(ip)
    if bad_cksum:
        c ^= 0x1234
    ip = ip[:10] + struct.pack("!H", c) + ip[12:]
    udp = struct.pack("!HHHH", 9000, 9001, udp_len, 0)
    if udp_cksum:
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, udp_len)
        u = csum(pseudo + udp + hdr + payload) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", u)
    eth = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1])
    return eth + struct.pack("!H", ethertype) + ip + udp + hdr + payload


def stream(frames, conf=0x05):
    out = bytes([conf])
    for f in frames:
        out += struct.pack("<H", len(f)) + f
    return out


def write(kind, name, data):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def decode_seeds():
    ok = frame()
    write("decode", "valid", ok)
    write("decode", "valid-empty-payload", frame(payload=b""))
    write("decode", "valid-udp-cksum", frame(payload=b"abcdefgh" * 4,
                                             udp_cksum=True))
    write("decode", "truncated", ok[:40])
    write("decode", "not-ipv4", frame(ethertype=0x0806))
    write("decode", "ip-options", frame(ihl=6))
    write("decode", "ip-cksum", frame(bad_cksum=True))
    write("decode", "fragment", frame(frag=0x2001))
    write("decode", "not-udp", frame(proto=6))
    write("decode", "magic", frame(magic=0x1234))
    write("decode", "version", frame(version=9))
    write("decode", "stream", stream(
        [frame(seq=0), frame(seq=1), frame(seq=4), frame(seq=2),
         frame(seq=2), frame(sender=6, seq=10), frame(ethertype=0x86DD),
         frame(seq=5)[:30]]))


CMDS = ["/emit/info", "/emit/senders", "/emit/sender", "/emit/tx",
        "/emit/sender/xstats", "/emit/tx/xstats", "/emit/latency",
        "/emit/totals", "/emit/sender/rate", "/emit/sender/pause",
        "/emit/sender/resume", "/emit/sender/xstats_reset",
        "/emit/tx/xstats_reset", "/emit/sink", "/emit/sink/senders",
        "/emit/sink/sender"]


def telemetry_seeds():
    # Byte 0: the command (index), bit 7 forces a ',', and the parser
    # check's choice of field count and bounds; the rest: parameters.
    params = {"/emit/sender": "7", "/emit/tx": "0",
              "/emit/sender/xstats": "7", "/emit/tx/xstats": "0",
              "/emit/latency": "7", "/emit/sender/rate": "7,1000000",
              "/emit/sender/pause": "7", "/emit/sender/resume": "7",
              "/emit/sender/xstats_reset": "7",
              "/emit/tx/xstats_reset": "0", "/emit/sink/sender": "1"}
    for i, c in enumerate(CMDS):
        name = c.strip("/").replace("/", "-")
        write("telemetry", name, bytes([i]) + params.get(c, "").encode())
    write("telemetry", "bad-sign", bytes([2]) + b"-7")
    write("telemetry", "bad-big", bytes([8]) + b"7,99999999999999999999")
    write("telemetry", "bad-empty-field", bytes([8]) + b"7,")
    write("telemetry", "bad-trailing", bytes([2 | 0x80]) + b"7 ")
    write("telemetry", "parse-two", bytes([0x22]) + b"\x05" + b"65535,0")


def cli_seeds():
    lines = {
        "defaults": [],
        "rate-size-burst": ["--rate=1.5M", "--size=128", "--burst=32"],
        "rate-bps": ["--rate", "10Gbps", "--size", "1514"],
        "addresses": ["--src-mac=02-00-00-00-00-09",
                      "--dst-mac", "aa:bb:cc:dd:ee:ff",
                      "--src-ip=192.168.1.1", "--dst-ip", "10.0.0.255"],
        "flows-policy": ["--policy=spin", "--flows=4", "--sport=65000",
                         "--dport=1"],
        "count-duration": ["--count=2.5M", "--duration=0.25"],
        "ring": ["--ring-size=64Ki", "--burst=64", "--linger-us=100"],
        "layout": ["--senders=3", "--tx-cores=2", "--type=65535",
                   "--pattern=zero"],
        "outputs": ["--json=-", "--stats-interval=0.5"],
        "pattern-latency": ["--pattern=none", "--tx-latency", "packet"],
        "replay": ["--replay=cap.pcap", "--loop", "3", "--rate", "1Gbps"],
        "replay-timing": ["--replay", "x.pcap", "--replay-timing",
                          "--loop=0", "--duration=2"],
        "help": ["--help"],
        "bad": ["--rate=-1", "--size=65"],
    }
    for name, args in lines.items():
        write("cli", name, b"\0".join(a.encode() for a in args))


if __name__ == "__main__":
    decode_seeds()
    telemetry_seeds()
    cli_seeds()
