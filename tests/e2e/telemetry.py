#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Query the DPDK telemetry socket of a running process.

  telemetry.py FILE_PREFIX CMD [CMD...]

prints one JSON object per line: {"<cmd>": <reply>} for each command, in
order. Exits 1 if the socket cannot be found or read.
"""
import json
import os
import socket
import sys


def socket_path(prefix):
    dirs = ["/var/run/dpdk"]
    if os.environ.get("XDG_RUNTIME_DIR"):
        dirs.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "dpdk"))
    dirs.append("/tmp/dpdk")
    for d in dirs:
        p = os.path.join(d, prefix, "dpdk_telemetry.v2")
        if os.path.exists(p):
            return p
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: telemetry.py FILE_PREFIX CMD [CMD...]")
    path = socket_path(sys.argv[1])
    if path is None:
        sys.exit("telemetry.py: no telemetry socket for " + sys.argv[1])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect(path)
    info = json.loads(s.recv(16384).decode())
    bufsize = int(info.get("max_output_len", 16384))
    for cmd in sys.argv[2:]:
        s.send(cmd.encode())
        reply = s.recv(bufsize).decode()
        print(json.dumps(json.loads(reply), sort_keys=True))
    s.close()


if __name__ == "__main__":
    main()
