#pragma once

// Writes an RTP packet into a caller's buffer, for when a consumer needs a different extension
// set than the producer's packet has (ids mapped per consumer, transport-wide-cc or
// abs-send-time added, unknown ones stripped). Calls go in packet order: header fields and
// CSRCs, then extensions, then Finish with the payload. A call that does not fit the buffer (or
// comes out of order) marks the builder failed and Finish returns 0; nothing is allocated.
//
// Extensions use the one-byte form (RFC 8285 4.2) until one needs the two-byte form (id above
// 14, empty value, value above 16 bytes); the elements written so far are then rewritten in the
// two-byte form.

#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/RtpHeaderExtensions.h"

namespace tributary::rtc {

class RtpPacket;

class RtpPacketBuilder {
 public:
  // Writes a version 2 fixed header with every field 0.
  explicit RtpPacketBuilder(std::span<uint8_t> out);

  // Marker, payload type, sequence number, timestamp, SSRC and CSRCs of `packet`; not its
  // extensions, payload or padding. Must come before any CSRC or extension.
  void CopyHeader(const RtpPacket& packet);
  void SetMarker(bool marker);
  void SetPayloadType(uint8_t payload_type);
  void SetSequenceNumber(uint16_t seq);
  void SetTimestamp(uint32_t timestamp);
  void SetSsrc(uint32_t ssrc);
  // At most 15, before any extension.
  void AddCsrc(uint32_t csrc);

  // `id` 1..255, `value` at most 255 bytes.
  void AddExtension(uint8_t id, std::span<const uint8_t> value);
  // The extensions of `packet` whose ids `map` does not send to 0, with the mapped ids.
  void CopyExtensions(const RtpPacket& packet, const RtpExtensionIdMap& map);

  // Appends the payload and `padding_size` bytes of padding (0 for none; the last byte holds the
  // count, RFC 3550 5.1). Returns the packet size, or 0 when the builder failed.
  size_t Finish(std::span<const uint8_t> payload, uint8_t padding_size = 0);

  // True once a call did not fit the buffer or came out of order (including any call after
  // Finish).
  bool Failed() const { return failed_; }

 private:
  bool Writable();
  bool Reserve(size_t bytes);
  void ConvertToTwoByteForm();

  std::span<uint8_t> out_;
  size_t size_ = 0;
  size_t extension_start_ = 0;  // offset of the profile/length word; 0 while none was written
  size_t extension_count_ = 0;
  bool two_byte_form_ = false;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace tributary::rtc
