#pragma once

// An RTP packet in a writable buffer, for the forwarding path: each consumer copies the
// producer's packet into its own send buffer (SRTP protects in place anyway) and rewrites the
// header there. Only changes that keep the size are offered; to change the extension set, build
// a new packet with RtpPacketBuilder.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/RtpPacket.h"

namespace tributary::rtc {

class MutableRtpPacket : public RtpPacket {
 public:
  static std::optional<MutableRtpPacket> Parse(std::span<uint8_t> data);
  // Copies `packet` to the start of `out` and views the copy; nothing when it does not fit.
  static std::optional<MutableRtpPacket> CopyFrom(const RtpPacket& packet, std::span<uint8_t> out);

  void SetMarker(bool marker) {
    bytes_[1] = static_cast<uint8_t>((bytes_[1] & 0x7F) | (marker ? 0x80 : 0));
  }
  // `payload_type` < 128.
  void SetPayloadType(uint8_t payload_type) {
    bytes_[1] = static_cast<uint8_t>((bytes_[1] & 0x80) | (payload_type & 0x7F));
  }
  void SetSequenceNumber(uint16_t seq) { base::Write16(bytes_ + 2, seq); }
  void SetTimestamp(uint32_t timestamp) { base::Write32(bytes_ + 4, timestamp); }
  void SetSsrc(uint32_t ssrc) { base::Write32(bytes_ + 8, ssrc); }

  std::span<uint8_t> MutablePayload() { return {bytes_ + header_size_, Payload().size()}; }
  // The writable value of the first element with this id.
  std::optional<std::span<uint8_t>> FindMutableExtension(uint8_t id);

  // Gives the first element with `id` the id `new_id`. False when there is no such element or
  // when `new_id` cannot be written in the block's form (0, or above 14 in the one-byte form).
  bool SetExtensionId(uint8_t id, uint8_t new_id);
  // Overwrites the value of the first element with `id`; false unless the sizes are equal.
  bool SetExtensionValue(uint8_t id, std::span<const uint8_t> value);
  // Rewrites every element's id through `map`. Elements mapped to 0, or to an id the block's
  // form cannot hold, become padding (zero bytes), which receivers skip (RFC 8285 4.2).
  void MapExtensionIds(const RtpExtensionIdMap& map);

 private:
  // `bytes` holds a copy of `view`'s packet (or is the very bytes `view` was parsed from).
  MutableRtpPacket(const RtpPacket& view, uint8_t* bytes)
      : RtpPacket(bytes, view.Size(), view.HeaderSize(), view.PaddingSize()), bytes_(bytes) {}
  // The id byte of an element whose value is `value` (a span inside this packet).
  uint8_t* IdByteOf(std::span<const uint8_t> value, RtpHeaderExtensions::Form form) {
    const size_t header = form == RtpHeaderExtensions::Form::kOneByte ? 1 : 2;
    return bytes_ + (value.data() - data_) - header;
  }

  uint8_t* bytes_;  // the same bytes as data_, writable
};

}  // namespace tributary::rtc
