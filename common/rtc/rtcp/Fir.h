#pragma once

// Full intra request (RFC 5104 4.3.1), PSFB FMT 4. The media SSRC field is unused (0); each
// FCI entry names the SSRC asked for a decoder refresh and a command sequence number that the
// sender increments per new request (so repeats of one request are recognised).
//
//   |                              SSRC                             |
//   | Seq nr.       |    Reserved (0)                               |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

struct FirEntry {
  static constexpr size_t kWireSize = 8;
  uint32_t ssrc = 0;
  uint8_t seq_nr = 0;

  static FirEntry Read(const uint8_t* p) { return {base::Read32(p), p[4]}; }
  void Write(uint8_t* p) const {
    base::Write32(p, ssrc);
    base::Write32(p + 4, static_cast<uint32_t>(seq_nr) << 24);
  }
  bool operator==(const FirEntry&) const = default;
};

class Fir {
 public:
  static constexpr uint8_t kFormat = 4;

  static std::optional<Fir> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint32_t MediaSsrc() const { return media_ssrc_; }
  const RtcpList<FirEntry>& Entries() const { return entries_; }

  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  void SetMediaSsrc(uint32_t ssrc) { media_ssrc_ = ssrc; }
  // At least one entry (else Serialize returns 0). The entries must outlive this object.
  void SetEntries(std::span<const FirEntry> entries) { entries_ = RtcpList<FirEntry>(entries); }

 private:
  uint32_t sender_ssrc_ = 0;
  uint32_t media_ssrc_ = 0;
  RtcpList<FirEntry> entries_;
};

}  // namespace tributary::rtc::rtcp
