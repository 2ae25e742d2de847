#pragma once

// The part common to RTPFB and PSFB feedback messages (RFC 4585 6.1): after the RTCP header
// (FMT in the count field), the SSRC of the packet sender and the SSRC of the media source,
// then the feedback control information (FCI).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

struct FeedbackHeader {
  static constexpr size_t kSize = RtcpPacket::kHeaderSize + 8;

  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  std::span<const uint8_t> fci;

  // `packet` must be exactly one packet of `type` with this FMT.
  static std::optional<FeedbackHeader> Parse(std::span<const uint8_t> packet, RtcpType type,
                                             uint8_t format) {
    auto header = RtcpPacket::Parse(packet);
    if (!header || !header->Is(type) || header->Count() != format) return std::nullopt;
    const auto body = header->Body();
    if (body.size() < 8) return std::nullopt;
    return FeedbackHeader{base::Read32(body.data()), base::Read32(body.data() + 4),
                          body.subspan(8)};
  }

  // Writes the RTCP header and both SSRCs of a `size`-byte packet (kSize bytes).
  static void Write(uint8_t* out, RtcpType type, uint8_t format, size_t size, uint32_t sender_ssrc,
                    uint32_t media_ssrc) {
    RtcpPacket::WriteHeader(out, format, type, size);
    base::Write32(out + 4, sender_ssrc);
    base::Write32(out + 8, media_ssrc);
  }
};

}  // namespace tributary::rtc::rtcp
