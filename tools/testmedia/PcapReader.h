#pragma once

// Reads the UDP datagrams of a packet capture: classic pcap (microsecond or nanosecond
// timestamps, either byte order) and pcapng (section header, interface description, enhanced
// and simple packet blocks; each interface's link type and if_tsresol). Link types: Ethernet
// (with 802.1Q tags), BSD loopback (DLT_NULL), raw IP, IPv4, IPv6, Linux cooked v1 and v2.
// IPv4 and IPv6 (with hop-by-hop, routing and destination options headers) carrying UDP;
// fragments, other protocols and truncated frames are skipped and counted. Every length is
// checked against the bytes that are there: a corrupt capture ends the walk (Error() says
// where), it never reads past the buffer.
//
//   std::string error;
//   auto reader = PcapReader::Open("capture.pcap", error);
//   PcapDatagram d;
//   while (reader->Next(d)) { ... d.payload ... }

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "net/Endpoint.h"

namespace tributary::testmedia {

struct PcapDatagram {
  uint64_t time_us = 0;  // capture time, microseconds since the Unix epoch
  net::Endpoint source;
  net::Endpoint destination;
  std::span<const uint8_t> payload;  // valid while the reader lives
};

class PcapReader {
 public:
  struct Counters {
    uint64_t frames = 0;     // packet records read
    uint64_t udp = 0;        // datagrams returned
    uint64_t not_udp = 0;    // other link types, network or transport protocols
    uint64_t fragments = 0;  // IP fragments (not reassembled)
    uint64_t truncated = 0;  // snapped shorter than their headers say
  };

  // Reads the whole file. nullopt, with `error` set, when it cannot be read or is not a capture.
  static std::optional<PcapReader> Open(const std::string& path, std::string& error);
  // From bytes in memory (copied).
  static std::optional<PcapReader> FromBytes(std::vector<uint8_t> bytes, std::string& error);

  // The next UDP datagram; false at the end of the capture or at a corrupt record.
  bool Next(PcapDatagram& out);
  // Empty after a clean end; what was wrong otherwise.
  const std::string& Error() const { return error_; }
  const Counters& GetCounters() const { return counters_; }

 private:
  enum class Format { kPcap, kPcapng };
  struct Interface {
    uint32_t link_type = 0;
    uint64_t ticks_per_second = 1000000;
  };

  PcapReader() = default;
  bool Init(std::string& error);
  uint32_t Read32At(size_t offset) const;
  uint16_t Read16At(size_t offset) const;
  // One frame of `link_type`; true with `out` filled when it holds a UDP datagram.
  bool DecodeFrame(uint32_t link_type, std::span<const uint8_t> frame, PcapDatagram& out);
  bool DecodeIp(std::span<const uint8_t> packet, PcapDatagram& out);
  bool NextPcap(PcapDatagram& out);
  bool NextPcapng(PcapDatagram& out);
  bool ReadSectionHeader();
  void ReadInterface(std::span<const uint8_t> body);

  std::vector<uint8_t> bytes_;
  Format format_ = Format::kPcap;
  bool big_endian_ = false;  // of the file's (or the section's) numbers
  bool nanoseconds_ = false;
  uint32_t link_type_ = 0;             // classic pcap
  std::vector<Interface> interfaces_;  // pcapng, of the current section
  size_t offset_ = 0;
  std::string error_;
  Counters counters_;
};

}  // namespace tributary::testmedia
