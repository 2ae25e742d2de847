#pragma once

// VP8 RTP payload (RFC 7741 4.2): the payload descriptor, and keyframe detection from the VP8
// payload header that follows it at the start of a frame (RFC 6386 9.1).
//
//        |X|R|N|S|R| PID |   required
//   X:   |I|L|T|K| RSV   |
//   I:   |M| PictureID   |   M: 15-bit PictureID, one more byte
//   L:   |   TL0PICIDX   |
//   T/K: |TID|Y| KEYIDX  |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::codecs {

struct Vp8Descriptor {
  bool non_reference = false;       // N
  bool start_of_partition = false;  // S
  uint8_t partition_index = 0;      // PID
  bool has_picture_id = false;
  bool long_picture_id = false;  // 15 bits (M) rather than 7
  uint16_t picture_id = 0;
  bool has_tl0_pic_idx = false;
  uint8_t tl0_pic_idx = 0;
  bool has_tid = false;  // T (the TID and Y fields)
  uint8_t tid = 0;
  bool layer_sync = false;  // Y
  bool has_key_idx = false;
  uint8_t key_idx = 0;
  size_t size = 0;  // bytes of descriptor; the VP8 payload follows
};

class Vp8 {
 public:
  // Nothing when the descriptor runs past the payload.
  static std::optional<Vp8Descriptor> ParseDescriptor(std::span<const uint8_t> payload);

  // The first packet of a key frame: S set, partition 0, then a frame tag with P clear and the
  // key frame start code 9d 01 2a.
  static bool IsKeyframe(std::span<const uint8_t> payload);
};

}  // namespace tributary::rtc::codecs
