#include "rtc/RtxPacket.h"

#include <cstring>

#include "base/ByteIo.h"
#include "rtc/RtpPacket.h"

namespace tributary::rtc {

namespace {

// Copies the header of `packet` (without the P bit; `out` may alias it) and rewrites PT, SSRC and
// sequence number.
void WriteHeader(const RtpPacket& packet, uint8_t payload_type, uint32_t ssrc, uint16_t seq,
                 uint8_t* out) {
  std::memmove(out, packet.Data().data(), packet.HeaderSize());
  out[0] &= static_cast<uint8_t>(~0x20);
  out[1] = static_cast<uint8_t>((out[1] & 0x80) | (payload_type & 0x7F));
  base::Write16(out + 2, seq);
  base::Write32(out + 8, ssrc);
}

}  // namespace

size_t RtxPacket::Encapsulate(const RtpPacket& original, uint8_t rtx_payload_type,
                              uint32_t rtx_ssrc, uint16_t rtx_seq, std::span<uint8_t> out) {
  const auto payload = original.Payload();
  const size_t size = original.HeaderSize() + kOsnSize + payload.size();
  if (out.size() < size) return 0;
  // Payload first: `out` may be the buffer `original` lives in (moving it right is then safe,
  // as long as the header is written after).
  uint8_t* p = out.data() + original.HeaderSize();
  std::memmove(p + kOsnSize, payload.data(), payload.size());
  const uint16_t osn = original.SequenceNumber();
  WriteHeader(original, rtx_payload_type, rtx_ssrc, rtx_seq, out.data());
  base::Write16(p, osn);
  return size;
}

std::optional<uint16_t> RtxPacket::OriginalSequenceNumber(const RtpPacket& rtx) {
  const auto payload = rtx.Payload();
  if (payload.size() < kOsnSize) return std::nullopt;
  return base::Read16(payload.data());
}

size_t RtxPacket::Decapsulate(const RtpPacket& rtx, uint8_t original_payload_type,
                              uint32_t original_ssrc, std::span<uint8_t> out) {
  const auto osn = OriginalSequenceNumber(rtx);
  if (!osn) return 0;
  const auto payload = rtx.Payload().subspan(kOsnSize);
  const size_t size = rtx.HeaderSize() + payload.size();
  if (out.size() < size) return 0;
  WriteHeader(rtx, original_payload_type, original_ssrc, *osn, out.data());
  std::memmove(out.data() + rtx.HeaderSize(), payload.data(), payload.size());
  return size;
}

}  // namespace tributary::rtc
