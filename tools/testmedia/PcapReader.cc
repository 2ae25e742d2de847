#include "testmedia/PcapReader.h"

#include <fstream>
#include <iterator>

#include "base/ByteIo.h"

namespace tributary::testmedia {

namespace {

constexpr uint32_t kPcapMicros = 0xa1b2c3d4;
constexpr uint32_t kPcapNanos = 0xa1b23c4d;
constexpr uint32_t kPcapngSection = 0x0A0D0D0A;
constexpr uint32_t kPcapngByteOrder = 0x1A2B3C4D;
constexpr size_t kPcapHeaderSize = 24;
constexpr size_t kPcapRecordHeaderSize = 16;
constexpr size_t kMaxFrameSize = 256 * 1024;

// pcapng block types.
constexpr uint32_t kInterfaceBlock = 1;
constexpr uint32_t kSimplePacketBlock = 3;
constexpr uint32_t kEnhancedPacketBlock = 6;

// Link types (https://www.tcpdump.org/linktypes.html).
constexpr uint32_t kLinkNull = 0;
constexpr uint32_t kLinkEthernet = 1;
constexpr uint32_t kLinkRaw = 101;
constexpr uint32_t kLinkIpv4 = 228;
constexpr uint32_t kLinkIpv6 = 229;
constexpr uint32_t kLinkLinuxSll = 113;
constexpr uint32_t kLinkLinuxSll2 = 276;

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86DD;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88A8;
constexpr uint8_t kProtocolUdp = 17;

uint32_t Le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint16_t Le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

uint64_t TicksToUs(uint64_t ticks, uint64_t per_second) {
  if (per_second == 1000000) return ticks;
  return ticks / per_second * 1000000 + (ticks % per_second) * 1000000 / per_second;
}

}  // namespace

std::optional<PcapReader> PcapReader::Open(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return std::nullopt;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto reader = FromBytes(std::move(bytes), error);
  if (!reader) error = path + ": " + error;
  return reader;
}

std::optional<PcapReader> PcapReader::FromBytes(std::vector<uint8_t> bytes, std::string& error) {
  PcapReader reader;
  reader.bytes_ = std::move(bytes);
  if (!reader.Init(error)) return std::nullopt;
  return reader;
}

uint32_t PcapReader::Read32At(size_t offset) const {
  return big_endian_ ? base::Read32(&bytes_[offset]) : Le32(&bytes_[offset]);
}
uint16_t PcapReader::Read16At(size_t offset) const {
  return big_endian_ ? base::Read16(&bytes_[offset]) : Le16(&bytes_[offset]);
}

bool PcapReader::Init(std::string& error) {
  if (bytes_.size() < 4) {
    error = "not a capture: " + std::to_string(bytes_.size()) + " bytes";
    return false;
  }
  const uint32_t magic = Le32(bytes_.data());
  if (magic == kPcapngSection) {
    format_ = Format::kPcapng;
    if (!ReadSectionHeader()) {
      error = error_;
      return false;
    }
    return true;
  }
  format_ = Format::kPcap;
  if (magic == kPcapMicros || magic == kPcapNanos) {
    big_endian_ = false;
  } else if (base::Read32(bytes_.data()) == kPcapMicros ||
             base::Read32(bytes_.data()) == kPcapNanos) {
    big_endian_ = true;
  } else {
    error = "not a pcap or pcapng capture (magic " + std::to_string(magic) + ")";
    return false;
  }
  if (bytes_.size() < kPcapHeaderSize) {
    error = "pcap header cut short";
    return false;
  }
  nanoseconds_ = Read32At(0) == kPcapNanos;
  link_type_ = Read32At(20) & 0x0FFFFFFF;
  offset_ = kPcapHeaderSize;
  return true;
}

bool PcapReader::Next(PcapDatagram& out) {
  return format_ == Format::kPcap ? NextPcap(out) : NextPcapng(out);
}

bool PcapReader::NextPcap(PcapDatagram& out) {
  while (offset_ < bytes_.size()) {
    if (bytes_.size() - offset_ < kPcapRecordHeaderSize) {
      error_ = "record header at byte " + std::to_string(offset_) + " cut short";
      return false;
    }
    const uint64_t seconds = Read32At(offset_);
    const uint64_t fraction = Read32At(offset_ + 4);
    const uint32_t captured = Read32At(offset_ + 8);
    const uint32_t original = Read32At(offset_ + 12);
    const size_t data = offset_ + kPcapRecordHeaderSize;
    if (captured > kMaxFrameSize || captured > bytes_.size() - data) {
      error_ = "record at byte " + std::to_string(offset_) + " claims " + std::to_string(captured) +
               " bytes, " + std::to_string(bytes_.size() - data) + " left";
      return false;
    }
    offset_ = data + captured;
    ++counters_.frames;
    if (captured < original) ++counters_.truncated;
    out.time_us = seconds * 1000000 + (nanoseconds_ ? fraction / 1000 : fraction);
    if (DecodeFrame(link_type_, {&bytes_[data], captured}, out)) return true;
  }
  return false;
}

bool PcapReader::ReadSectionHeader() {
  // type, length, byte-order magic, version, section length (then options).
  if (bytes_.size() - offset_ < 28) {
    error_ = "pcapng section header at byte " + std::to_string(offset_) + " cut short";
    return false;
  }
  const uint8_t* magic = &bytes_[offset_ + 8];
  if (Le32(magic) == kPcapngByteOrder) {
    big_endian_ = false;
  } else if (base::Read32(magic) == kPcapngByteOrder) {
    big_endian_ = true;
  } else {
    error_ = "pcapng section header at byte " + std::to_string(offset_) + ": bad byte-order magic";
    return false;
  }
  const uint32_t length = Read32At(offset_ + 4);
  if (length < 28 || length % 4 != 0 || length > bytes_.size() - offset_) {
    error_ = "pcapng section header at byte " + std::to_string(offset_) + ": bad length " +
             std::to_string(length);
    return false;
  }
  interfaces_.clear();
  offset_ += length;
  return true;
}

void PcapReader::ReadInterface(std::span<const uint8_t> body) {
  Interface interface;
  if (body.size() < 8) {
    interfaces_.push_back(interface);
    return;
  }
  const size_t base = static_cast<size_t>(body.data() - bytes_.data());
  interface.link_type = Read16At(base);
  size_t at = 8;
  while (body.size() - at >= 4) {
    const uint16_t code = Read16At(base + at);
    const uint16_t length = Read16At(base + at + 2);
    at += 4;
    if (code == 0 || length > body.size() - at) break;
    if (code == 9 && length >= 1) {  // if_tsresol
      const uint8_t resolution = body[at];
      const uint8_t exponent = resolution & 0x7F;
      uint64_t ticks = 1;
      if (resolution & 0x80) {
        ticks = exponent < 64 ? (uint64_t{1} << exponent) : 0;
      } else {
        for (uint8_t i = 0; i < exponent && ticks <= UINT64_MAX / 10; ++i)
          ticks *= 10;
      }
      if (ticks != 0) interface.ticks_per_second = ticks;
    }
    at += (length + 3u) & ~3u;
  }
  interfaces_.push_back(interface);
}

bool PcapReader::NextPcapng(PcapDatagram& out) {
  while (offset_ < bytes_.size()) {
    if (bytes_.size() - offset_ < 12) {
      error_ = "pcapng block at byte " + std::to_string(offset_) + " cut short";
      return false;
    }
    const uint32_t raw_type = Le32(&bytes_[offset_]);
    if (raw_type == kPcapngSection) {
      if (!ReadSectionHeader()) return false;
      continue;
    }
    const uint32_t type = Read32At(offset_);
    const uint32_t length = Read32At(offset_ + 4);
    if (length < 12 || length % 4 != 0 || length > bytes_.size() - offset_) {
      error_ = "pcapng block at byte " + std::to_string(offset_) + ": bad length " +
               std::to_string(length);
      return false;
    }
    const std::span<const uint8_t> body(&bytes_[offset_ + 8], length - 12);
    const size_t block = offset_;
    offset_ += length;
    if (type == kInterfaceBlock) {
      ReadInterface(body);
    } else if (type == kEnhancedPacketBlock) {
      if (body.size() < 20) {
        error_ = "pcapng packet block at byte " + std::to_string(block) + " cut short";
        return false;
      }
      const uint32_t interface = Read32At(block + 8);
      const uint64_t ticks =
          (static_cast<uint64_t>(Read32At(block + 12)) << 32) | Read32At(block + 16);
      const uint32_t captured = Read32At(block + 20);
      const uint32_t original = Read32At(block + 24);
      if (captured > body.size() - 20) {
        error_ = "pcapng packet block at byte " + std::to_string(block) + " claims " +
                 std::to_string(captured) + " bytes";
        return false;
      }
      ++counters_.frames;
      if (captured < original) ++counters_.truncated;
      if (interface >= interfaces_.size()) {
        ++counters_.not_udp;
        continue;
      }
      out.time_us = TicksToUs(ticks, interfaces_[interface].ticks_per_second);
      if (DecodeFrame(interfaces_[interface].link_type, body.subspan(20, captured), out)) {
        return true;
      }
    } else if (type == kSimplePacketBlock) {
      if (body.size() < 4) {
        error_ = "pcapng simple packet block at byte " + std::to_string(block) + " cut short";
        return false;
      }
      const uint32_t original = Read32At(block + 8);
      const size_t captured = std::min<size_t>(original, body.size() - 4);
      ++counters_.frames;
      if (captured < original) ++counters_.truncated;
      if (interfaces_.empty()) {
        ++counters_.not_udp;
        continue;
      }
      // No timestamp: keep the previous one.
      if (DecodeFrame(interfaces_[0].link_type, body.subspan(4, captured), out)) return true;
    }
    // Other blocks (name resolution, statistics, custom) carry no packets.
  }
  return false;
}

bool PcapReader::DecodeFrame(uint32_t link_type, std::span<const uint8_t> frame,
                             PcapDatagram& out) {
  switch (link_type) {
    case kLinkNull: {
      if (frame.size() < 4) break;
      // The address family in the capturing host's byte order: AF_INET 2, AF_INET6 24/28/30.
      const uint32_t family =
          Le32(frame.data()) < 256 ? Le32(frame.data()) : base::Read32(frame.data());
      if (family != 2 && family != 24 && family != 28 && family != 30) break;
      return DecodeIp(frame.subspan(4), out);
    }
    case kLinkEthernet: {
      size_t at = 12;
      while (frame.size() >= at + 2) {
        const uint16_t ether_type = base::Read16(&frame[at]);
        if (ether_type == kEtherVlan || ether_type == kEtherQinQ) {
          at += 4;
          continue;
        }
        if (ether_type != kEtherIpv4 && ether_type != kEtherIpv6) break;
        return DecodeIp(frame.subspan(at + 2), out);
      }
      break;
    }
    case kLinkRaw:
    case kLinkIpv4:
    case kLinkIpv6:
      return DecodeIp(frame, out);
    case kLinkLinuxSll: {
      if (frame.size() < 16) break;
      const uint16_t protocol = base::Read16(&frame[14]);
      if (protocol != kEtherIpv4 && protocol != kEtherIpv6) break;
      return DecodeIp(frame.subspan(16), out);
    }
    case kLinkLinuxSll2: {
      if (frame.size() < 20) break;
      const uint16_t protocol = base::Read16(&frame[0]);
      if (protocol != kEtherIpv4 && protocol != kEtherIpv6) break;
      return DecodeIp(frame.subspan(20), out);
    }
    default:
      break;
  }
  ++counters_.not_udp;
  return false;
}

bool PcapReader::DecodeIp(std::span<const uint8_t> packet, PcapDatagram& out) {
  if (packet.empty()) {
    ++counters_.truncated;
    return false;
  }
  std::span<const uint8_t> udp;
  const uint8_t version = packet[0] >> 4;
  if (version == 4) {
    const size_t header = (packet[0] & 0x0F) * 4u;
    if (header < 20 || packet.size() < header) {
      ++counters_.truncated;
      return false;
    }
    const size_t total = base::Read16(&packet[2]);
    if (total < header) {
      ++counters_.truncated;
      return false;
    }
    if (total > packet.size()) {
      ++counters_.truncated;
      return false;
    }
    if ((base::Read16(&packet[6]) & 0x3FFF) != 0) {  // more fragments, or an offset
      ++counters_.fragments;
      return false;
    }
    if (packet[9] != kProtocolUdp) {
      ++counters_.not_udp;
      return false;
    }
    udp = packet.subspan(header, total - header);
  } else if (version == 6) {
    if (packet.size() < 40) {
      ++counters_.truncated;
      return false;
    }
    const size_t payload_length = base::Read16(&packet[4]);
    if (payload_length > packet.size() - 40) {
      ++counters_.truncated;
      return false;
    }
    uint8_t next = packet[6];
    std::span<const uint8_t> rest = packet.subspan(40, payload_length);
    // Extension headers we can step over: hop-by-hop, routing, destination options.
    while (next == 0 || next == 43 || next == 60) {
      if (rest.size() < 8) {
        ++counters_.truncated;
        return false;
      }
      const size_t length = (rest[1] + 1u) * 8u;
      if (length > rest.size()) {
        ++counters_.truncated;
        return false;
      }
      next = rest[0];
      rest = rest.subspan(length);
    }
    if (next == 44) {
      ++counters_.fragments;
      return false;
    }
    if (next != kProtocolUdp) {
      ++counters_.not_udp;
      return false;
    }
    udp = rest;
  } else {
    ++counters_.not_udp;
    return false;
  }
  if (udp.size() < 8) {
    ++counters_.truncated;
    return false;
  }
  const size_t length = base::Read16(&udp[4]);
  if (length < 8 || length > udp.size()) {
    ++counters_.truncated;
    return false;
  }
  const uint16_t source_port = base::Read16(&udp[0]);
  const uint16_t destination_port = base::Read16(&udp[2]);
  if (version == 4) {
    out.source = net::Endpoint::Ipv4(packet.subspan<12, 4>(), source_port);
    out.destination = net::Endpoint::Ipv4(packet.subspan<16, 4>(), destination_port);
  } else {
    out.source = net::Endpoint::Ipv6(packet.subspan<8, 16>(), source_port);
    out.destination = net::Endpoint::Ipv6(packet.subspan<24, 16>(), destination_port);
  }
  out.payload = udp.subspan(8, length - 8);
  ++counters_.udp;
  return true;
}

}  // namespace tributary::testmedia
