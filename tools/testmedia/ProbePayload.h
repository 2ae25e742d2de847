#pragma once

// The payload of the synthetic streams tributary-whip sends and tributary-whep measures: a
// valid codec header (a VP8 payload descriptor, plus the VP8 payload header on the first packet
// of a frame; an Opus TOC byte), then a probe block that lets a viewer tell every packet apart
// and time it, then filler up to the packet size.
//
//   probe block, network order (28 bytes):
//     magic        4   "TRBP"
//     version      1   1
//     flags        1   bit 0 keyframe, bit 1 audio, bit 2 first packet of its frame,
//                      bit 3 last packet of its frame
//     reserved     2   0
//     publisher    4   random per publishing process: a reconnecting publisher counts anew
//     counter      4   per track, +1 per packet from 0
//     frame        4   per track, +1 per frame (audio: per packet)
//     send_time   8   wall clock, microseconds since the Unix epoch, when it was generated
//   filler: byte i (from the end of the block) is (counter + i) & 0xff, so a viewer can check
//   that the bytes arrived intact.
//
// The VP8 descriptor always has X and I set with a 15-bit PictureID (the frame number); the
// first packet of a keyframe carries the keyframe's frame tag, start code 9d 01 2a and a
// 640x360 size, which is what rtc::codecs::Vp8::IsKeyframe (and any SFU) looks for.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::testmedia {

struct ProbeInfo {
  uint32_t publisher = 0;
  uint32_t counter = 0;
  uint32_t frame = 0;
  uint64_t send_time_us = 0;
  bool keyframe = false;
  bool audio = false;
  bool frame_start = false;
  bool frame_end = false;
  bool filler_ok = true;  // set by Parse
};

class ProbePayload {
 public:
  static constexpr uint32_t kMagic = 0x54524250;  // "TRBP"
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kBlockSize = 28;
  static constexpr size_t kVp8DescriptorSize = 4;      // X, I, 15-bit PictureID
  static constexpr size_t kVp8FrameTagSize = 3;        // first packet of a frame
  static constexpr size_t kVp8KeyframeHeaderSize = 7;  // start code + width + height
  static constexpr size_t kOpusTocSize = 1;

  // The smallest VP8 / Opus payload that holds a probe block.
  static constexpr size_t MinVp8Payload(bool frame_start, bool keyframe) {
    return kVp8DescriptorSize + (frame_start ? kVp8FrameTagSize : 0) +
           (frame_start && keyframe ? kVp8KeyframeHeaderSize : 0) + kBlockSize;
  }
  static constexpr size_t kMinOpusPayload = kOpusTocSize + kBlockSize;

  // Writes a whole payload of out.size() bytes; returns that size, or 0 when out is too small.
  static size_t WriteVp8(std::span<uint8_t> out, const ProbeInfo& info);
  static size_t WriteOpus(std::span<uint8_t> out, const ProbeInfo& info);

  // The probe of one of our payloads; nothing when it is not one (another stream, a replayed
  // capture) or is cut short.
  static std::optional<ProbeInfo> ReadVp8(std::span<const uint8_t> payload);
  static std::optional<ProbeInfo> ReadOpus(std::span<const uint8_t> payload);

  // The block and filler alone (after the codec header).
  static size_t WriteBlock(std::span<uint8_t> out, const ProbeInfo& info);
  static std::optional<ProbeInfo> ReadBlock(std::span<const uint8_t> bytes);
};

}  // namespace tributary::testmedia
