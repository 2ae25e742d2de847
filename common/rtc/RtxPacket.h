#pragma once

// RTP retransmission payload format (RFC 4588 4): an RTX packet is the original packet with the
// RTX stream's payload type, SSRC and sequence number, whose payload starts with the original
// sequence number (OSN). Header extensions and CSRCs are carried over unchanged; padding is not
// (it is no part of the payload).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc {

class RtpPacket;

class RtxPacket {
 public:
  static constexpr size_t kOsnSize = 2;

  // Writes the RTX packet for `original` into `out`; returns its size, 0 when it does not fit.
  static size_t Encapsulate(const RtpPacket& original, uint8_t rtx_payload_type, uint32_t rtx_ssrc,
                            uint16_t rtx_seq, std::span<uint8_t> out);

  // The original sequence number; nothing when the payload is too short to hold one (an RTX
  // padding-only probe, for instance).
  static std::optional<uint16_t> OriginalSequenceNumber(const RtpPacket& rtx);

  // Writes the original packet carried by `rtx` into `out`; returns its size, 0 when `rtx` holds
  // no OSN or the packet does not fit.
  static size_t Decapsulate(const RtpPacket& rtx, uint8_t original_payload_type,
                            uint32_t original_ssrc, std::span<uint8_t> out);
};

}  // namespace tributary::rtc
