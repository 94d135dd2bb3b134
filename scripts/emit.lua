-- SPDX-License-Identifier: BSD-3-Clause
-- Wireshark dissector for emit events: the 24-byte event header that
-- follows the UDP header of every emit frame, then the payload.
--
--   wireshark -X lua_script:scripts/emit.lua capture.pcap
--   tshark -X lua_script:scripts/emit.lua -r capture.pcap -Y emit
--
-- Registered as a heuristic UDP dissector, on by default: emit's UDP
-- ports are configurable, so any UDP datagram of at least 24 bytes whose
-- first two bytes are the magic 0x454d ("EM") is decoded as an event,
-- whatever its port. "Decode As... > emit" forces it on a given port.

local emit = Proto("emit", "emit event")

local HDR_LEN = 24
local MAGIC = 0x454d
local VERSION = 1

local f = emit.fields
f.magic = ProtoField.uint16("emit.magic", "Magic", base.HEX)
f.version = ProtoField.uint8("emit.version", "Version", base.DEC)
f.flags = ProtoField.uint8("emit.flags", "Flags", base.HEX)
f.type = ProtoField.uint16("emit.type", "Type", base.DEC)
f.sender = ProtoField.uint16("emit.sender", "Sender", base.DEC)
f.seq = ProtoField.uint64("emit.seq", "Sequence number", base.DEC)
f.time_ns = ProtoField.uint64("emit.time_ns", "Commit time (ns since epoch)",
	base.DEC)
f.time = ProtoField.absolute_time("emit.time", "Commit time", base.UTC)
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

function emit.dissector(tvb, pinfo, tree)
	local len = tvb:len()
	if len < HDR_LEN then
		return 0
	end
	pinfo.cols.protocol = "EMIT"
	local t = tree:add(emit, tvb(0, HDR_LEN), "emit event")
	t:add(f.magic, tvb(0, 2))
	local vi = t:add(f.version, tvb(2, 1))
	if tvb(2, 1):uint() ~= VERSION then
		vi:add_proto_expert_info(ef_version)
	end
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
	t:add(f.payload_len, len - HDR_LEN):set_generated()
	if len > HDR_LEN then
		t:add(f.payload, tvb(HDR_LEN))
	end
	t:append_text(string.format(", type %d, sender %d, seq %s",
		tvb(4, 2):uint(), tvb(6, 2):uint(), tostring(tvb(8, 8):uint64())))
	pinfo.cols.info = string.format("emit type=%d sender=%d seq=%s",
		tvb(4, 2):uint(), tvb(6, 2):uint(), tostring(tvb(8, 8):uint64()))
	return len
end

local function heuristic(tvb, pinfo, tree)
	if tvb:len() < HDR_LEN or tvb(0, 2):uint() ~= MAGIC then
		return false
	end
	emit.dissector(tvb, pinfo, tree)
	return true
end

emit:register_heuristic("udp", heuristic)
DissectorTable.get("udp.port"):add_for_decode_as(emit)
