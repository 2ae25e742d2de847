#pragma once

// VP9 RTP payload descriptor (RFC 9628 4.2), flexible and non-flexible modes, and keyframe
// detection from it.
//
//        |I|P|L|F|B|E|V|Z|   required
//   I:   |M| PICTURE ID  |   M: 15-bit picture id, one more byte
//   L:   | TID |U| SID |D|
//        |   TL0PICIDX   |   non-flexible mode only
//   P,F: | P_DIFF      |N|   flexible mode, up to 3 times (N: another follows)
//   V:   scalability structure (SS)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::codecs {

struct Vp9Descriptor {
  bool has_picture_id = false;                 // I
  bool inter_picture_predicted = false;        // P
  bool has_layer_indices = false;              // L
  bool flexible_mode = false;                  // F
  bool start_of_frame = false;                 // B
  bool end_of_frame = false;                   // E
  bool has_scalability_structure = false;      // V
  bool not_reference_for_upper_layer = false;  // Z
  bool long_picture_id = false;                // 15 bits (M) rather than 7
  uint16_t picture_id = 0;
  uint8_t temporal_id = 0;              // TID
  bool switching_up_point = false;      // U
  uint8_t spatial_id = 0;               // SID
  bool inter_layer_dependency = false;  // D
  uint8_t tl0_pic_idx = 0;              // non-flexible mode with L
  uint8_t reference_count = 0;          // P_DIFF entries (flexible mode)
  uint8_t spatial_layer_count = 0;      // N_S + 1, when the SS is present
  size_t size = 0;                      // bytes of descriptor; the VP9 frame data follows
};

class Vp9 {
 public:
  // Nothing when any part of the descriptor (the SS included) runs past the payload.
  static std::optional<Vp9Descriptor> ParseDescriptor(std::span<const uint8_t> payload);

  // The first packet of a picture that is not inter-picture predicted (P clear, B set), in its
  // lowest spatial layer (SID 0, or no layer indices).
  static bool IsKeyframe(std::span<const uint8_t> payload);
};

}  // namespace tributary::rtc::codecs
