# SPDX-License-Identifier: BSD-3-Clause
"""Client for the telemetry endpoints of emit-gen and emit-sink.

Speaks the DPDK telemetry socket protocol (v2) directly: a SOCK_SEQPACKET
Unix socket at <runtime dir>/<file prefix>/dpdk_telemetry.v2; on connect
the server sends a JSON greeting with max_output_len, then every request
"/command[,params]" gets one JSON reply {"/command": value}; value is null
when the command refused its parameters or failed.

    from emit_client import Client
    with Client("my-prefix") as c:
        for sid in c.senders():
            c.set_rate(sid, 100000)

Every failure raises EmitError with a message naming the endpoint, the
id or the value at fault. Standard library only.
"""
import json
import os
import re
import socket

__all__ = ["Client", "EmitError", "socket_path", "parse_rate", "parse_id",
           "RATE_MAX", "ID_MAX"]

#: Largest rate a sender takes, events/s (EMIT_RATE_MAX).
RATE_MAX = 1000000000000
#: Largest sender or TX stage id the endpoints take.
ID_MAX = 65535

_SUFFIX = {"": 1, "k": 1000, "m": 1000000, "g": 1000000000,
           "ki": 1024, "mi": 1 << 20, "gi": 1 << 30}


class EmitError(Exception):
    """A request that could not be made or that emit refused."""


def parse_rate(text):
    """Events/s from '250000', '2.5M', '10k', '1Gi'; EmitError if bad."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([kKmMgG]i?)?", str(text).strip())
    if m is None:
        raise EmitError("bad rate '%s': expected events/s such as 250000, "
                        "250k or 2.5M" % text)
    mult = _SUFFIX[(m.group(2) or "").lower()]
    value = float(m.group(1)) * mult
    if value != int(value):
        raise EmitError("bad rate '%s': not a whole number of events/s"
                        % text)
    value = int(value)
    if value > RATE_MAX:
        raise EmitError("bad rate '%s': at most %d events/s"
                        % (text, RATE_MAX))
    return value


def parse_id(text, what="sender"):
    """A sender or TX stage id, 0..65535; EmitError if bad."""
    s = str(text).strip()
    if not s.isdigit() or int(s) > ID_MAX:
        raise EmitError("bad %s id '%s': expected 0..%d" % (what, text,
                                                            ID_MAX))
    return int(s)


def runtime_dirs():
    """Where EAL puts its runtime directories, in DPDK's order."""
    dirs = ["/var/run/dpdk"]
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        dirs.append(os.path.join(xdg, "dpdk"))
    dirs.append("/tmp/dpdk")
    return dirs


def socket_path(prefix):
    """The telemetry socket of the process started with --file-prefix
    PREFIX, or None if there is none."""
    for d in runtime_dirs():
        p = os.path.join(d, prefix, "dpdk_telemetry.v2")
        if os.path.exists(p):
            return p
    return None


class Client:
    """One connection to the telemetry socket of an emit process.

    prefix: the process's EAL --file-prefix; or path: the socket itself.
    timeout: seconds to wait for the socket to accept and for each reply.
    """

    def __init__(self, prefix=None, path=None, timeout=5.0):
        if path is None:
            if prefix is None:
                raise EmitError("no file prefix and no socket path given")
            path = socket_path(prefix)
            if path is None:
                raise EmitError("no telemetry socket for file prefix '%s' "
                                "(is the process running, with that "
                                "--file-prefix?)" % prefix)
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(path)
            greeting = json.loads(self._sock.recv(16384).decode())
        except (OSError, ValueError) as e:
            self._sock.close()
            raise EmitError("cannot connect to %s: %s" % (path, e)) from e
        self.pid = greeting.get("pid")
        self.bufsize = int(greeting.get("max_output_len", 16384))
        self._commands = None

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # The protocol.

    def raw(self, request):
        """Send one request line; return the reply's value (None when the
        server refused it), without interpretation."""
        cmd = request.split(",", 1)[0]
        try:
            self._sock.send(request.encode())
            reply = self._sock.recv(self.bufsize)
        except OSError as e:
            raise EmitError("%s: %s" % (request, e)) from e
        if not reply:
            raise EmitError("%s: the process closed the socket" % request)
        try:
            obj = json.loads(reply.decode())
        except ValueError as e:
            raise EmitError("%s: reply is not JSON: %s" % (request, e)) from e
        if not isinstance(obj, dict) or cmd not in obj:
            raise EmitError("%s: unexpected reply %r" % (request, obj))
        return obj[cmd]

    def commands(self):
        """Every command the process serves."""
        if self._commands is None:
            cmds = self.raw("/")
            if not isinstance(cmds, list):
                raise EmitError("the process does not list its commands")
            self._commands = set(cmds)
        return self._commands

    def query(self, cmd, *params, why=None):
        """The value of cmd with params; EmitError if the endpoint does not
        exist or refuses them (why() then names the cause)."""
        if cmd not in self.commands():
            raise EmitError("unknown endpoint %s (this process serves: %s)"
                            % (cmd, ", ".join(sorted(
                                c for c in self.commands()
                                if c.startswith("/emit")))))
        request = cmd if not params else cmd + "," + ",".join(
            str(p) for p in params)
        value = self.raw(request)
        if value is None:
            reason = why() if why is not None else None
            raise EmitError("%s refused%s" % (
                request, ": " + reason if reason else
                " (bad parameter or failure in the process)"))
        return value

    # What kind of process this is.

    def kind(self):
        """'sink' for emit-sink, 'gen' for any other process with the emit
        library's endpoints (emit-gen, an application)."""
        cmds = self.commands()
        if "/emit/sink" in cmds:
            return "sink"
        if "/emit/info" in cmds:
            return "gen"
        raise EmitError("%s serves no /emit endpoint: not an emit process"
                        % self.path)

    def _check_sender(self, sid, ids):
        sid = parse_id(sid)
        if sid not in ids:
            raise EmitError("no sender %d here (senders: %s)" % (
                sid, ", ".join(str(i) for i in sorted(ids)) or "none"))
        return sid

    def _check_tx(self, tid):
        tid = parse_id(tid, "TX stage")
        ids = self.tx_stages()
        if tid not in ids:
            raise EmitError("no TX stage %d here (TX stages: %s)" % (
                tid, ", ".join(str(i) for i in ids) or "none"))
        return tid

    # Both kinds.

    def senders(self):
        """Ids of the senders: emit-gen's own, or those emit-sink follows."""
        if self.kind() == "sink":
            return sorted(self.query("/emit/sink/senders"))
        return sorted(self.query("/emit/senders"))

    # emit-gen (the emit library).

    def info(self):
        return self.query("/emit/info")

    def sender(self, sid):
        sid = self._check_sender(sid, self.query("/emit/senders"))
        return self.query("/emit/sender", sid)

    def sender_xstats(self, sid):
        sid = self._check_sender(sid, self.query("/emit/senders"))
        return self.query("/emit/sender/xstats", sid)

    def tx_stages(self):
        return sorted(self.query("/emit/tx"))

    def tx(self, tid):
        return self.query("/emit/tx", self._check_tx(tid))

    def tx_xstats(self, tid):
        return self.query("/emit/tx/xstats", self._check_tx(tid))

    def latency(self, tid):
        return self.query("/emit/latency", self._check_tx(tid))

    def totals(self):
        return self.query("/emit/totals")

    def set_rate(self, sid, rate):
        """Set sender sid's rate limit, events/s (0: unlimited)."""
        sid = self._check_sender(sid, self.query("/emit/senders"))
        rate = parse_rate(rate)
        return self.query("/emit/sender/rate", sid, rate)

    def pause(self, sid):
        sid = self._check_sender(sid, self.query("/emit/senders"))
        return self.query("/emit/sender/pause", sid)

    def resume(self, sid):
        sid = self._check_sender(sid, self.query("/emit/senders"))
        return self.query("/emit/sender/resume", sid)

    def xstats_reset(self, sid):
        """Reset sender sid's xstats; returns the values cleared."""
        sid = self._check_sender(sid, self.query("/emit/senders"))
        return self.query("/emit/sender/xstats_reset", sid)

    def tx_xstats_reset(self, tid):
        return self.query("/emit/tx/xstats_reset", self._check_tx(tid))

    # emit-sink.

    def sink(self):
        return self.query("/emit/sink")

    def sink_sender(self, sid):
        sid = self._check_sender(sid, self.query("/emit/sink/senders"))
        return self.query("/emit/sink/sender", sid)
