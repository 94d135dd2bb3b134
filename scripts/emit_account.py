# SPDX-License-Identifier: BSD-3-Clause
"""Joined accounting of emit-gen and emit-sink, per sender and in total.

Both sides are first read into one plain form, from their JSON reports
(gen_from_report, sink_from_report) or live over telemetry
(gen_from_client, sink_from_client); two live readings can be differenced
(diff_gen, diff_sink) to account for an interval. join() then says, for
each sender: generated, dropped by emit-gen (by reason), sent, received,
lost in between (sent by emit-gen and never received: the network or the
device under test), reordered, duplicated, late, latency, and lists what
does not add up ("unexplained"). Standard library only.
"""
import json

__all__ = ["AccountError", "gen_from_report", "sink_from_report",
           "gen_from_client", "sink_from_client", "diff_gen", "diff_sink",
           "join", "table", "MODES"]

#: report: final reports, quiescent; interval: the difference of two
#: readings taken while nothing was in flight; live: one reading of
#: running processes (what is in flight counts as lost).
MODES = ("report", "interval", "live")

_SINK_FIELDS = ("received", "duplicated", "stale", "reordered", "lost",
                "lost_gaps", "lost_tail")


class AccountError(Exception):
    """A report or a reading that cannot be accounted."""


def _num(obj, key, where):
    v = obj.get(key)
    if not isinstance(v, int) or isinstance(v, bool):
        raise AccountError("%s: no integer '%s'" % (where, key))
    return v


def _gen_sender(sid, x, where):
    dropped = {k[len("dropped_"):]: v for k, v in x.items()
               if k.startswith("dropped_")}
    if not dropped:
        raise AccountError("%s: sender %d has no dropped_* counters"
                           % (where, sid))
    return {"committed": _num(x, "events_committed", where),
            "enqueued": _num(x, "events_enqueued", where),
            "pending": _num(x, "events_pending", where),
            "dropped": dropped}


def _gen_tx(txs, where):
    tx = {"sent": 0, "dropped": {}, "in_rings": 0}
    for x in txs:
        tx["sent"] += _num(x, "tx_sent", where)
        tx["in_rings"] += _num(x, "in_rings", where)
        for k, v in x.items():
            if k.startswith("tx_dropped_"):
                reason = "tx_" + k[len("tx_dropped_"):]
                tx["dropped"][reason] = tx["dropped"].get(reason, 0) + v
    return tx


def gen_from_report(rep, where="emit-gen report"):
    """The plain form of an emit-gen JSON report (a dict)."""
    if not isinstance(rep, dict) or "senders" not in rep:
        raise AccountError("%s: not an emit-gen report" % where)
    if rep.get("metrics") is False:
        raise AccountError("%s: emit-gen was built without metrics: "
                           "nothing to account" % where)
    senders = {}
    for s in rep["senders"]:
        sid = _num(s, "id", where)
        senders[sid] = _gen_sender(sid, s.get("xstats", {}), where)
    tx = _gen_tx([t.get("xstats", {}) for t in rep.get("tx", [])], where)
    lat = rep.get("latency_ns") or {}
    return {"senders": senders, "tx": tx,
            "latency_ns": lat if lat.get("samples") else None}


def sink_from_report(rep, where="emit-sink report"):
    """The plain form of an emit-sink JSON report (a dict)."""
    if not isinstance(rep, dict) or "totals" not in rep or \
            "senders" not in rep:
        raise AccountError("%s: not an emit-sink report" % where)
    senders = {}
    for s in rep["senders"]:
        sid = _num(s, "id", where)
        d = {k: _num(s, k, where) for k in _SINK_FIELDS}
        d["first_seq"] = _num(s, "first_seq", where)
        d["last_seq"] = _num(s, "last_seq", where)
        lat = s.get("latency_ns") or {}
        d["latency_ns"] = lat if lat.get("count") else None
        senders[sid] = d
    t = rep["totals"]
    lat = rep.get("latency_ns") or {}
    return {"senders": senders,
            "malformed": _num(t, "malformed", where),
            "malformed_by": {k: v for k, v in
                             (rep.get("malformed") or {}).items() if v},
            "untracked": _num(t, "untracked", where),
            "other": _num(t, "other", where),
            "latency_ns": lat if lat.get("count") else None}


def gen_from_client(c):
    """A live reading of emit-gen (an emit_client.Client)."""
    where = "emit-gen telemetry"
    senders = {}
    for sid in c.query("/emit/senders"):
        senders[sid] = _gen_sender(sid, c.query("/emit/sender/xstats", sid),
                                   where)
    txs = [c.query("/emit/tx/xstats", t) for t in c.query("/emit/tx")]
    return {"senders": senders, "tx": _gen_tx(txs, where),
            "latency_ns": None}


def _sink_latency(x):
    if not x.get("latency_count"):
        return None
    return {"count": x["latency_count"], "min": x["latency_min_ns"],
            "p50": x["latency_p50_ns"], "p90": x["latency_p90_ns"],
            "p99": x["latency_p99_ns"], "p99.9": x["latency_p999_ns"],
            "max": x["latency_max_ns"]}


def sink_from_client(c):
    """A live reading of emit-sink (an emit_client.Client)."""
    where = "emit-sink telemetry"
    t = c.query("/emit/sink")
    senders = {}
    for sid in c.query("/emit/sink/senders"):
        x = c.query("/emit/sink/sender", sid)
        d = {k: _num(x, k, where) for k in _SINK_FIELDS}
        d["first_seq"] = _num(x, "first_seq", where)
        d["last_seq"] = _num(x, "last_seq", where)
        d["latency_ns"] = _sink_latency(x)
        senders[sid] = d
    return {"senders": senders,
            "malformed": _num(t, "malformed", where),
            "malformed_by": {k: v for k, v in
                             (t.get("malformed_by") or {}).items() if v},
            "untracked": _num(t, "untracked", where),
            "other": _num(t, "other", where),
            "latency_ns": _sink_latency(t)}


def _sub(a, b):
    """a - b over the integers of nested dicts (b may lack keys)."""
    out = {}
    for k, v in a.items():
        if isinstance(v, dict):
            out[k] = _sub(v, b.get(k) or {})
        elif isinstance(v, int) and not isinstance(v, bool):
            out[k] = v - (b.get(k) or 0)
        else:
            out[k] = v
    return out


def diff_gen(after, before):
    """What emit-gen did between two readings. Gauges (pending,
    in_rings) keep the later value."""
    senders = {}
    for sid, s in after["senders"].items():
        d = _sub(s, before["senders"].get(sid, {}))
        d["pending"] = s["pending"]
        senders[sid] = d
    tx = _sub(after["tx"], before["tx"])
    tx["in_rings"] = after["tx"]["in_rings"]
    return {"senders": senders, "tx": tx, "latency_ns": None}


def diff_sink(after, before):
    """What emit-sink saw between two readings; latency is the later
    reading's whole-run summary, so it is dropped."""
    senders = {}
    for sid, s in after["senders"].items():
        prev = before["senders"].get(sid, {})
        d = {k: s[k] - prev.get(k, 0) for k in _SINK_FIELDS}
        d["first_seq"] = s["first_seq"]
        d["last_seq"] = s["last_seq"]
        d["latency_ns"] = None
        senders[sid] = d
    return {"senders": senders,
            "malformed": after["malformed"] - before["malformed"],
            "malformed_by": _sub(after["malformed_by"],
                                 before["malformed_by"]),
            "untracked": after["untracked"] - before["untracked"],
            "other": after["other"] - before["other"],
            "latency_ns": None}


def join(gen, sink, mode="report"):
    """One account per sender and in total, and the list of what does not
    add up. mode is one of MODES."""
    if mode not in MODES:
        raise AccountError("unknown mode %r" % mode)
    quiet = mode != "live"
    tx = gen["tx"]
    tx_dropped = sum(tx["dropped"].values())
    # Per sender, sent is known when the TX stages dropped nothing and
    # hold nothing: then every enqueued event left.
    exact = tx_dropped == 0 and tx["in_rings"] == 0
    unexplained = []
    rows = []
    for sid in sorted(set(gen["senders"]) | set(sink["senders"])):
        g = gen["senders"].get(sid)
        k = sink["senders"].get(sid)
        row = {"id": sid}
        if g is None:
            unexplained.append(
                "sender %d: emit-sink received %d events from it, and "
                "emit-gen has no such sender" % (sid, k["received"]))
            row.update(generated=None, dropped=None, dropped_by=None,
                       pending=None, sent=None)
        else:
            dropped = sum(g["dropped"].values())
            row.update(generated=g["committed"], dropped=dropped,
                       dropped_by=dict(g["dropped"]),
                       pending=g["pending"],
                       sent=g["enqueued"] if exact else None)
            if g["committed"] != g["enqueued"] + dropped + g["pending"]:
                unexplained.append(
                    "sender %d: generated %d != enqueued %d + dropped %d "
                    "+ pending %d" % (sid, g["committed"], g["enqueued"],
                                      dropped, g["pending"]))
            if quiet and g["pending"] != 0:
                unexplained.append("sender %d: %d events still pending in "
                                   "emit-gen" % (sid, g["pending"]))
        if k is None:
            k = {f: 0 for f in _SINK_FIELDS}
            k["latency_ns"] = None
            k["last_seq"] = None
        arrived = k["received"] - k["duplicated"]
        row.update(received=arrived, reordered=k["reordered"],
                   duplicated=k["duplicated"], late=k["stale"],
                   sink_lost=k["lost"], latency_ns=k["latency_ns"])
        row["lost"] = None if row["sent"] is None else row["sent"] - arrived
        if row["lost"] is not None and row["lost"] < 0:
            unexplained.append("sender %d: received %d distinct events, "
                               "%d more than emit-gen sent"
                               % (sid, arrived, -row["lost"]))
        if mode == "report" and g is not None and \
                k["last_seq"] is not None and \
                k["last_seq"] >= g["committed"]:
            unexplained.append("sender %d: emit-sink saw seq %d, emit-gen "
                               "generated only %d events" % (
                                   sid, k["last_seq"], g["committed"]))
        rows.append(row)

    def total(key):
        vals = [r[key] for r in rows if r[key] is not None]
        return sum(vals)

    dropped_by = {}
    for g in gen["senders"].values():
        for reason, v in g["dropped"].items():
            dropped_by[reason] = dropped_by.get(reason, 0) + v
    dropped_by.update(tx["dropped"])
    enq = sum(g["enqueued"] for g in gen["senders"].values())
    received = total("received")
    tot = {"generated": total("generated"),
           "dropped": sum(dropped_by.values()),
           "dropped_by": dropped_by,
           "pending": total("pending") + tx["in_rings"],
           "sent": tx["sent"],
           "received": received,
           "lost": tx["sent"] - received,
           "reordered": total("reordered"),
           "duplicated": total("duplicated"),
           "late": total("late"),
           "malformed": sink["malformed"],
           "malformed_by": sink["malformed_by"],
           "untracked": sink["untracked"],
           "other": sink["other"],
           "latency_ns": sink["latency_ns"],
           "gen_latency_ns": gen.get("latency_ns")}
    if enq != tx["sent"] + tx_dropped + tx["in_rings"]:
        unexplained.append("TX stages: enqueued %d != sent %d + dropped %d "
                           "+ in rings %d" % (enq, tx["sent"], tx_dropped,
                                              tx["in_rings"]))
    if quiet and tx["in_rings"] != 0:
        unexplained.append("%d events still in emit-gen's rings"
                           % tx["in_rings"])
    if tot["lost"] < 0:
        unexplained.append("emit-sink received %d distinct events, %d more "
                           "than emit-gen sent" % (received, -tot["lost"]))
    if sink["malformed"]:
        unexplained.append("%d malformed frames at emit-sink (%s): they "
                           "cannot be attributed to a sender" % (
                               sink["malformed"], ", ".join(
                                   "%s %d" % kv for kv in
                                   sorted(sink["malformed_by"].items()))))
    if sink["untracked"]:
        unexplained.append("%d events of senders emit-sink does not follow "
                           "(--max-senders)" % sink["untracked"])
    return {"mode": mode, "per_sender_exact": exact, "senders": rows,
            "totals": tot, "unexplained": unexplained,
            "explained": not unexplained}


def _fmt(v):
    return "-" if v is None else str(v)


def table(acc):
    """The account as a text table."""
    cols = [("sender", "id"), ("generated", "generated"),
            ("dropped", "dropped"), ("sent", "sent"),
            ("received", "received"), ("lost", "lost"),
            ("reordered", "reordered"), ("duplicated", "duplicated"),
            ("late", "late"), ("p99_ns", None)]

    def cells(r, label=None):
        out = []
        for _, key in cols:
            if key is None:
                lat = r.get("latency_ns")
                out.append(_fmt(lat.get("p99") if lat else None))
            elif key == "id" and label is not None:
                out.append(label)
            else:
                out.append(_fmt(r.get(key)))
        return out

    lines = [[c for c, _ in cols]]
    lines += [cells(r) for r in acc["senders"]]
    lines.append(cells(acc["totals"], "total"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(cols))]
    text = ["  ".join(c.rjust(w) for c, w in zip(line, widths))
            for line in lines]
    t = acc["totals"]
    text.append("")
    text.append("dropped by emit-gen: " + (", ".join(
        "%s %d" % kv for kv in sorted(t["dropped_by"].items())) or "none"))
    lost_word = "lost or in flight" if acc["mode"] == "live" else "lost"
    text.append("%s in between (sent by emit-gen, not received): %d"
                % (lost_word, t["lost"]))
    text.append("malformed at emit-sink: %d, other traffic: %d"
                % (t["malformed"], t["other"]))
    if not acc["per_sender_exact"]:
        text.append("per sender, sent and lost are not known: the TX "
                    "stages dropped or still hold events (totals are)")
    if acc["unexplained"]:
        text.append("UNEXPLAINED:")
        text += ["  " + u for u in acc["unexplained"]]
    else:
        text.append("every event is accounted for")
    return "\n".join(text)


def load_json(path):
    """A JSON report from a file; AccountError if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise AccountError("%s: %s" % (path, e)) from e
