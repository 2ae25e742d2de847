#include "rtc/codecs/Vp8.h"

namespace tributary::rtc::codecs {

std::optional<Vp8Descriptor> Vp8::ParseDescriptor(std::span<const uint8_t> payload) {
  const size_t size = payload.size();
  const uint8_t* p = payload.data();
  if (size < 1) return std::nullopt;
  Vp8Descriptor d;
  d.non_reference = (p[0] & 0x20) != 0;
  d.start_of_partition = (p[0] & 0x10) != 0;
  d.partition_index = p[0] & 0x07;
  size_t at = 1;
  if ((p[0] & 0x80) != 0) {
    if (at >= size) return std::nullopt;
    const uint8_t x = p[at++];
    d.has_picture_id = (x & 0x80) != 0;
    d.has_tl0_pic_idx = (x & 0x40) != 0;
    d.has_tid = (x & 0x20) != 0;
    d.has_key_idx = (x & 0x10) != 0;
    if (d.has_picture_id) {
      if (at >= size) return std::nullopt;
      d.long_picture_id = (p[at] & 0x80) != 0;
      if (d.long_picture_id) {
        if (size - at < 2) return std::nullopt;
        d.picture_id = static_cast<uint16_t>(((p[at] & 0x7F) << 8) | p[at + 1]);
        at += 2;
      } else {
        d.picture_id = p[at++] & 0x7F;
      }
    }
    if (d.has_tl0_pic_idx) {
      if (at >= size) return std::nullopt;
      d.tl0_pic_idx = p[at++];
    }
    if (d.has_tid || d.has_key_idx) {
      if (at >= size) return std::nullopt;
      d.tid = p[at] >> 6;
      d.layer_sync = (p[at] & 0x20) != 0;
      d.key_idx = p[at] & 0x1F;
      ++at;
    }
  }
  d.size = at;
  return d;
}

bool Vp8::IsKeyframe(std::span<const uint8_t> payload) {
  const auto d = ParseDescriptor(payload);
  if (!d || !d->start_of_partition || d->partition_index != 0) return false;
  // Frame tag (3 bytes, P is bit 0 of the first) then the start code of a key frame.
  const auto frame = payload.subspan(d->size);
  return frame.size() >= 6 && (frame[0] & 0x01) == 0 && frame[3] == 0x9d && frame[4] == 0x01 &&
         frame[5] == 0x2a;
}

}  // namespace tributary::rtc::codecs
