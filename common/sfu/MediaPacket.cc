#include "sfu/MediaPacket.h"

#include "rtc/MutableRtpPacket.h"

namespace tributary::sfu {

namespace {
void SetError(MediaPacket::Error* out, MediaPacket::Error error) {
  if (out != nullptr) *out = error;
}
}  // namespace

MediaPacket MediaPacket::CopyFrom(base::PacketBufferPool& pool, const rtc::RtpPacket& packet,
                                  uint64_t arrival_us, Error* error) {
  MediaPacket media;
  if (packet.Size() > pool.BufferCapacity()) {
    SetError(error, Error::kTooLarge);
    return media;
  }
  base::PacketRef buffer = pool.Acquire();
  if (!buffer) {
    SetError(error, Error::kPoolExhausted);
    return media;
  }
  // The copy keeps the parse: a view with the same offsets over the buffer's bytes.
  auto copy = rtc::MutableRtpPacket::CopyFrom(packet, buffer->Storage());
  buffer->SetSize(packet.Size());
  media.rtp_.emplace(static_cast<const rtc::RtpPacket&>(*copy));
  media.buffer_ = std::move(buffer);
  media.arrival_us_ = arrival_us;
  SetError(error, Error::kNone);
  return media;
}

MediaPacket MediaPacket::Adopt(base::PacketRef buffer, size_t size, uint64_t arrival_us,
                               Error* error) {
  MediaPacket media;
  if (!buffer || size > buffer->Capacity()) {
    SetError(error, Error::kTooLarge);
    return media;
  }
  buffer->SetSize(size);
  auto parsed = rtc::RtpPacket::Parse(buffer->Bytes());
  if (!parsed) {
    SetError(error, Error::kMalformed);
    return media;
  }
  media.rtp_.emplace(*parsed);
  media.buffer_ = std::move(buffer);
  media.arrival_us_ = arrival_us;
  SetError(error, Error::kNone);
  return media;
}

}  // namespace tributary::sfu
