#include "testmedia/ProbePayload.h"

#include "base/ByteIo.h"
#include "rtc/codecs/Vp8.h"

namespace tributary::testmedia {

namespace {

constexpr uint8_t kFlagKeyframe = 0x01;
constexpr uint8_t kFlagAudio = 0x02;
constexpr uint8_t kFlagFrameStart = 0x04;
constexpr uint8_t kFlagFrameEnd = 0x08;
constexpr uint16_t kWidth = 640;
constexpr uint16_t kHeight = 360;
// CELT fullband 20 ms (config 31), stereo, one frame per packet.
constexpr uint8_t kOpusToc = 0xFC;

}  // namespace

size_t ProbePayload::WriteBlock(std::span<uint8_t> out, const ProbeInfo& info) {
  if (out.size() < kBlockSize) return 0;
  uint8_t* p = out.data();
  base::Write32(p, kMagic);
  p[4] = kVersion;
  p[5] = static_cast<uint8_t>((info.keyframe ? kFlagKeyframe : 0) | (info.audio ? kFlagAudio : 0) |
                              (info.frame_start ? kFlagFrameStart : 0) |
                              (info.frame_end ? kFlagFrameEnd : 0));
  base::Write16(p + 6, 0);
  base::Write32(p + 8, info.publisher);
  base::Write32(p + 12, info.counter);
  base::Write32(p + 16, info.frame);
  base::Write64(p + 20, info.send_time_us);
  for (size_t i = kBlockSize; i < out.size(); ++i)
    p[i] = static_cast<uint8_t>(info.counter + (i - kBlockSize));
  return out.size();
}

std::optional<ProbeInfo> ProbePayload::ReadBlock(std::span<const uint8_t> bytes) {
  if (bytes.size() < kBlockSize) return std::nullopt;
  const uint8_t* p = bytes.data();
  if (base::Read32(p) != kMagic || p[4] != kVersion) return std::nullopt;
  ProbeInfo info;
  info.keyframe = (p[5] & kFlagKeyframe) != 0;
  info.audio = (p[5] & kFlagAudio) != 0;
  info.frame_start = (p[5] & kFlagFrameStart) != 0;
  info.frame_end = (p[5] & kFlagFrameEnd) != 0;
  info.publisher = base::Read32(p + 8);
  info.counter = base::Read32(p + 12);
  info.frame = base::Read32(p + 16);
  info.send_time_us = base::Read64(p + 20);
  for (size_t i = kBlockSize; i < bytes.size(); ++i) {
    if (p[i] != static_cast<uint8_t>(info.counter + (i - kBlockSize))) {
      info.filler_ok = false;
      break;
    }
  }
  return info;
}

size_t ProbePayload::WriteVp8(std::span<uint8_t> out, const ProbeInfo& info) {
  if (out.size() < MinVp8Payload(info.frame_start, info.keyframe)) return 0;
  uint8_t* p = out.data();
  // X=1, N=0, S, PID=0; then I=1; then M=1 and the 15-bit PictureID.
  p[0] = static_cast<uint8_t>(0x80 | (info.frame_start ? 0x10 : 0));
  p[1] = 0x80;
  base::Write16(p + 2, static_cast<uint16_t>(0x8000 | (info.frame & 0x7FFF)));
  size_t at = kVp8DescriptorSize;
  if (info.frame_start) {
    // Frame tag (RFC 6386 9.1): P (0: key frame), version 0, show_frame 1, first partition size.
    const uint32_t partition_size = static_cast<uint32_t>(out.size() - at) & 0x7FFFF;
    p[at] = static_cast<uint8_t>((info.keyframe ? 0 : 1) | 0x10 | ((partition_size & 0x7) << 5));
    p[at + 1] = static_cast<uint8_t>(partition_size >> 3);
    p[at + 2] = static_cast<uint8_t>(partition_size >> 11);
    at += kVp8FrameTagSize;
    if (info.keyframe) {
      p[at] = 0x9d;
      p[at + 1] = 0x01;
      p[at + 2] = 0x2a;
      p[at + 3] = static_cast<uint8_t>(kWidth & 0xFF);  // little endian, scale 0
      p[at + 4] = static_cast<uint8_t>(kWidth >> 8);
      p[at + 5] = static_cast<uint8_t>(kHeight & 0xFF);
      p[at + 6] = static_cast<uint8_t>(kHeight >> 8);
      at += kVp8KeyframeHeaderSize;
    }
  }
  WriteBlock(out.subspan(at), info);
  return out.size();
}

std::optional<ProbeInfo> ProbePayload::ReadVp8(std::span<const uint8_t> payload) {
  const auto descriptor = rtc::codecs::Vp8::ParseDescriptor(payload);
  if (!descriptor) return std::nullopt;
  size_t at = descriptor->size;
  if (descriptor->start_of_partition && descriptor->partition_index == 0) {
    if (payload.size() < at + kVp8FrameTagSize) return std::nullopt;
    const bool keyframe = (payload[at] & 0x01) == 0;
    at += kVp8FrameTagSize;
    if (keyframe) {
      if (payload.size() < at + kVp8KeyframeHeaderSize) return std::nullopt;
      at += kVp8KeyframeHeaderSize;
    }
  }
  return ReadBlock(payload.subspan(at));
}

size_t ProbePayload::WriteOpus(std::span<uint8_t> out, const ProbeInfo& info) {
  if (out.size() < kMinOpusPayload) return 0;
  out[0] = kOpusToc;
  WriteBlock(out.subspan(kOpusTocSize), info);
  return out.size();
}

std::optional<ProbeInfo> ProbePayload::ReadOpus(std::span<const uint8_t> payload) {
  if (payload.size() < kMinOpusPayload) return std::nullopt;
  return ReadBlock(payload.subspan(kOpusTocSize));
}

}  // namespace tributary::testmedia
