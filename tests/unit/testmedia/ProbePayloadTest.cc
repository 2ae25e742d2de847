#include "testmedia/ProbePayload.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtc/codecs/CodecKind.h"
#include "rtc/codecs/Vp8.h"

namespace tributary::testmedia {
namespace {

ProbeInfo Info(uint32_t counter, bool keyframe, bool start, bool end) {
  ProbeInfo info;
  info.publisher = 0xA1B2C3D4;
  info.counter = counter;
  info.frame = 77;
  info.send_time_us = 1700000000123456;
  info.keyframe = keyframe;
  info.frame_start = start;
  info.frame_end = end;
  return info;
}

TEST(ProbePayload, WritesTheBlockInNetworkOrder) {
  std::vector<uint8_t> out(32);
  ASSERT_EQ(ProbePayload::WriteBlock(out, Info(0x01020304, true, true, false)), 32u);
  const std::vector<uint8_t> expected = {
      'T',  'R',  'B',  'P',                           // magic
      0x01,                                            // version
      0x05,                                            // keyframe | frame start
      0x00, 0x00,                                      // reserved
      0xA1, 0xB2, 0xC3, 0xD4,                          // publisher
      0x01, 0x02, 0x03, 0x04,                          // counter
      0x00, 0x00, 0x00, 0x4D,                          // frame 77
      0x00, 0x06, 0x0A, 0x24, 0x18, 0x20, 0x22, 0x40,  // send time
      0x04, 0x05, 0x06, 0x07,                          // filler: counter + i
  };
  EXPECT_EQ(out, expected);
}

TEST(ProbePayload, MakesAVp8KeyframeThatAnSfuRecognises_AndReadsItBack) {
  std::vector<uint8_t> payload(1000);
  ASSERT_EQ(ProbePayload::WriteVp8(payload, Info(5, true, true, false)), 1000u);
  EXPECT_TRUE(rtc::codecs::Vp8::IsKeyframe(payload));
  EXPECT_TRUE(rtc::codecs::IsKeyframe(rtc::codecs::CodecKind::kVp8, payload));
  const auto descriptor = rtc::codecs::Vp8::ParseDescriptor(payload);
  ASSERT_TRUE(descriptor);
  EXPECT_TRUE(descriptor->has_picture_id);
  EXPECT_TRUE(descriptor->long_picture_id);
  EXPECT_EQ(descriptor->picture_id, 77);
  // The frame tag's partition size (19 bits) and the 640x360 size.
  EXPECT_EQ(payload[4] & 0x01, 0);     // key frame
  EXPECT_EQ(payload[4] & 0x10, 0x10);  // shown
  EXPECT_EQ(payload[7], 0x9d);
  EXPECT_EQ(payload[10] | (payload[11] << 8), 640);
  EXPECT_EQ(payload[12] | (payload[13] << 8), 360);

  const auto info = ProbePayload::ReadVp8(payload);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->publisher, 0xA1B2C3D4u);
  EXPECT_EQ(info->counter, 5u);
  EXPECT_EQ(info->frame, 77u);
  EXPECT_EQ(info->send_time_us, 1700000000123456u);
  EXPECT_TRUE(info->keyframe);
  EXPECT_TRUE(info->frame_start);
  EXPECT_FALSE(info->frame_end);
  EXPECT_TRUE(info->filler_ok);
}

TEST(ProbePayload, MakesInterframesAndContinuationsThatAreNoKeyframes) {
  std::vector<uint8_t> first(300), middle(300);
  ASSERT_NE(ProbePayload::WriteVp8(first, Info(6, false, true, false)), 0u);
  ASSERT_NE(ProbePayload::WriteVp8(middle, Info(7, true, false, true)), 0u);
  EXPECT_FALSE(rtc::codecs::Vp8::IsKeyframe(first));
  EXPECT_FALSE(rtc::codecs::Vp8::IsKeyframe(middle));  // a keyframe's later packet
  EXPECT_EQ(ProbePayload::ReadVp8(first)->counter, 6u);
  EXPECT_EQ(ProbePayload::ReadVp8(middle)->counter, 7u);
  EXPECT_TRUE(ProbePayload::ReadVp8(middle)->frame_end);
}

TEST(ProbePayload, RefusesPayloadsTooSmallToHoldAProbe) {
  std::vector<uint8_t> payload(ProbePayload::MinVp8Payload(true, true) - 1);
  EXPECT_EQ(ProbePayload::WriteVp8(payload, Info(1, true, true, true)), 0u);
  payload.resize(ProbePayload::MinVp8Payload(true, true));
  EXPECT_EQ(ProbePayload::WriteVp8(payload, Info(1, true, true, true)), payload.size());
  std::vector<uint8_t> opus(ProbePayload::kMinOpusPayload - 1);
  EXPECT_EQ(ProbePayload::WriteOpus(opus, Info(1, true, true, true)), 0u);
}

TEST(ProbePayload, SaysWhenBytesAreCorruptedOrCutShort) {
  std::vector<uint8_t> payload(200);
  ProbePayload::WriteVp8(payload, Info(9, false, true, true));
  auto flipped = payload;
  flipped[150] ^= 0x40;
  const auto info = ProbePayload::ReadVp8(flipped);
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->filler_ok);
  auto bad_magic = payload;
  bad_magic[4 + 3] ^= 1;  // after descriptor and frame tag: the magic's first byte
  EXPECT_FALSE(ProbePayload::ReadVp8(bad_magic));
  for (size_t size = 0; size < ProbePayload::MinVp8Payload(true, false); ++size) {
    EXPECT_FALSE(ProbePayload::ReadVp8(std::span<const uint8_t>(payload).first(size))) << size;
  }
  std::vector<uint8_t> not_ours(200, 0x90);
  EXPECT_FALSE(ProbePayload::ReadVp8(not_ours));
}

TEST(ProbePayload, RoundTripsOpus) {
  std::vector<uint8_t> payload(160);
  ProbeInfo in = Info(42, true, true, true);
  in.audio = true;
  ASSERT_EQ(ProbePayload::WriteOpus(payload, in), 160u);
  EXPECT_EQ(payload[0], 0xFC);
  const auto out = ProbePayload::ReadOpus(payload);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->audio);
  EXPECT_EQ(out->counter, 42u);
  EXPECT_TRUE(out->filler_ok);
  EXPECT_FALSE(ProbePayload::ReadOpus(std::span<const uint8_t>(payload).first(20)));
}

}  // namespace
}  // namespace tributary::testmedia
