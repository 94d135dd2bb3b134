-- SPDX-License-Identifier: BSD-3-Clause
-- Wireshark dissector for emit events: the event header that follows the
-- UDP header of every emit frame, then the payload. Two forms, told apart
-- by the version byte after the magic:
--
--   full (version 1, 24 bytes): magic, version, flags, type, sender, seq,
--     time_ns (UNIX time in ns at commit);
--   compact (version 2, 18 bytes, for frames too short for the full one,
--     down to 60 bytes): magic, version, sender, seq, and the low 40 bits
--     of time_ns (the receiver's clock gives the rest).
--
--   wireshark -X lua_script:scripts/emit.lua capture.pcap
--   tshark -X lua_script:scripts/emit.lua -r capture.pcap -Y emit
--
-- Registered as a heuristic UDP dissector, on by default: emit's UDP
-- ports are configurable, so any UDP datagram whose first two bytes are
-- the magic 0x454d ("EM") and that is long enough for the header its
-- version names is decoded as an event, whatever its port. Wireshark
-- hands it the UDP payload whatever lies below (IPv4 or IPv6, untagged,
-- 802.1Q or QinQ), so every stack emit builds is covered.
-- "Decode As... > emit" forces it on a given port.

local emit = Proto("emit", "emit event")

local HDR_LEN = 24
local COMPACT_LEN = 18
local MAGIC = 0x454d
local VERSION = 1
local VERSION_COMPACT = 2
local COMPACT_TIME_BITS = 40

local f = emit.fields
f.magic = ProtoField.uint16("emit.magic", "Magic", base.HEX)
f.version = ProtoField.uint8("emit.version", "Version", base.DEC)
f.form = ProtoField.string("emit.form", "Header form")
f.flags = ProtoField.uint8("emit.flags", "Flags", base.HEX)
f.type = ProtoField.uint16("emit.type", "Type", base.DEC)
f.sender = ProtoField.uint16("emit.sender", "Sender", base.DEC)
f.seq = ProtoField.uint64("emit.seq", "Sequence number", base.DEC)
f.time_ns = ProtoField.uint64("emit.time_ns", "Commit time (ns since epoch)",
	base.DEC)
f.time = ProtoField.absolute_time("emit.time", "Commit time", base.UTC)
f.time_low = ProtoField.uint64("emit.time_ns_low",
	"Commit time, low 40 bits of ns since epoch", base.DEC)
f.payload_len = ProtoField.uint32("emit.payload_len", "Payload length",
	base.DEC)
f.payload = ProtoField.bytes("emit.payload", "Payload")

local ef_version = ProtoExpert.new("emit.version.unknown",
	"Unknown emit header version", expert.group.PROTOCOL,
	expert.severity.WARN)
local ef_flags = ProtoExpert.new("emit.flags.reserved",
	"Reserved flags set", expert.group.PROTOCOL, expert.severity.NOTE)
emit.experts = { ef_version, ef_flags }

local NS = UInt64(1000000000)

-- Bytes of the header of version @p v; an unknown version is shown with
-- the full layout, flagged.
local function hdr_len(v)
	if v == VERSION_COMPACT then
		return COMPACT_LEN
	end
	return HDR_LEN
end

local function payload(tvb, t, hlen)
	local len = tvb:len()
	t:add(f.payload_len, len - hlen):set_generated()
	if len > hlen then
		t:add(f.payload, tvb(hlen))
	end
end

local function full(tvb, pinfo, t)
	local fi = t:add(f.flags, tvb(3, 1))
	if tvb(3, 1):uint() ~= 0 then
		fi:add_proto_expert_info(ef_flags)
	end
	t:add(f.type, tvb(4, 2))
	t:add(f.sender, tvb(6, 2))
	t:add(f.seq, tvb(8, 8))
	t:add(f.time_ns, tvb(16, 8))
	local ns = tvb(16, 8):uint64()
	t:add(f.time, tvb(16, 8),
		NSTime((ns / NS):tonumber(), (ns % NS):tonumber()))
	payload(tvb, t, HDR_LEN)
	local what = string.format("type=%d sender=%d seq=%s",
		tvb(4, 2):uint(), tvb(6, 2):uint(), tostring(tvb(8, 8):uint64()))
	t:append_text(", " .. what:gsub("=", " "))
	pinfo.cols.info = "emit " .. what
end

local function compact(tvb, pinfo, t)
	t:add(f.sender, tvb(3, 2))
	t:add(f.seq, tvb(5, 8))
	t:add(f.time_low, tvb(13, COMPACT_TIME_BITS / 8),
		tvb(13, COMPACT_TIME_BITS / 8):uint64())
	payload(tvb, t, COMPACT_LEN)
	local what = string.format("sender=%d seq=%s", tvb(3, 2):uint(),
		tostring(tvb(5, 8):uint64()))
	t:append_text(", compact, " .. what:gsub("=", " "))
	pinfo.cols.info = "emit compact " .. what
end

function emit.dissector(tvb, pinfo, tree)
	local len = tvb:len()
	if len < 3 then
		return 0
	end
	local v = tvb(2, 1):uint()
	local hlen = hdr_len(v)
	if len < hlen then
		return 0
	end
	pinfo.cols.protocol = "EMIT"
	local t = tree:add(emit, tvb(0, hlen), "emit event")
	t:add(f.magic, tvb(0, 2))
	local vi = t:add(f.version, tvb(2, 1))
	if v == VERSION_COMPACT then
		t:add(f.form, "compact"):set_generated()
		compact(tvb, pinfo, t)
	else
		if v ~= VERSION then
			vi:add_proto_expert_info(ef_version)
		end
		t:add(f.form, "full"):set_generated()
		full(tvb, pinfo, t)
	end
	return len
end

local function heuristic(tvb, pinfo, tree)
	local len = tvb:len()
	if len < COMPACT_LEN or tvb(0, 2):uint() ~= MAGIC or
	    len < hdr_len(tvb(2, 1):uint()) then
		return false
	end
	emit.dissector(tvb, pinfo, tree)
	return true
end

emit:register_heuristic("udp", heuristic)
DissectorTable.get("udp.port"):add_for_decode_as(emit)
