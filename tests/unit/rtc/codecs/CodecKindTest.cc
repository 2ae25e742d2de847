#include "rtc/codecs/CodecKind.h"

#include <gtest/gtest.h>

#include "../AiortcCaptures.h"
#include "rtc/RtpPacket.h"

namespace tributary::rtc::codecs {
namespace {

using namespace captures;

TEST(CodecKind, LooksUpMimeNames_CaseInsensitively) {
  EXPECT_EQ(CodecKindFromMimeName("VP8"), CodecKind::kVp8);
  EXPECT_EQ(CodecKindFromMimeName("video/vp8"), CodecKind::kVp8);
  EXPECT_EQ(CodecKindFromMimeName("opus"), CodecKind::kOpus);
  EXPECT_EQ(CodecKindFromMimeName("audio/OPUS"), CodecKind::kOpus);
  EXPECT_EQ(CodecKindFromMimeName("H264"), CodecKind::kH264);
  EXPECT_EQ(CodecKindFromMimeName("vp9"), CodecKind::kVp9);
  EXPECT_EQ(CodecKindFromMimeName("AV1"), CodecKind::kAv1);
  EXPECT_EQ(CodecKindFromMimeName("AV1X"), CodecKind::kAv1);
  EXPECT_EQ(CodecKindFromMimeName("video/AV1X"), CodecKind::kAv1);
  EXPECT_EQ(CodecKindFromMimeName("audio/VP8"), CodecKind::kUnknown);
  EXPECT_EQ(CodecKindFromMimeName("rtx"), CodecKind::kUnknown);
  EXPECT_EQ(CodecKindFromMimeName(""), CodecKind::kUnknown);
  for (const auto kind :
       {CodecKind::kOpus, CodecKind::kVp8, CodecKind::kVp9, CodecKind::kH264, CodecKind::kAv1}) {
    EXPECT_EQ(CodecKindFromMimeName(MimeName(kind)), kind);
  }
  EXPECT_FALSE(IsVideo(CodecKind::kOpus));
  EXPECT_TRUE(IsVideo(CodecKind::kH264));
}

TEST(CodecKind, DispatchesKeyframeDetection_ToEachCodec) {
  EXPECT_TRUE(IsKeyframe(CodecKind::kVp8, kVp8Keyframe));
  EXPECT_FALSE(IsKeyframe(CodecKind::kVp8, kVp8DeltaFrame));
  EXPECT_TRUE(IsKeyframe(CodecKind::kVp9, kVp9Keyframe));
  EXPECT_TRUE(IsKeyframe(CodecKind::kH264, kH264StapAKeyframe));
  EXPECT_TRUE(IsKeyframe(CodecKind::kAv1, kAv1Keyframe));
  EXPECT_FALSE(IsKeyframe(CodecKind::kH264, kVp8Keyframe));
  EXPECT_FALSE(IsKeyframe(CodecKind::kUnknown, kVp8Keyframe));
  EXPECT_FALSE(IsKeyframe(CodecKind::kOpus, {}));
}

TEST(CodecKind, FindsTheKeyframe_InTheRtpPayloadOfAnAiortcPacket) {
  const auto packet = RtpPacket::Parse(kAiortcVp8KeyframePacket);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(IsKeyframe(CodecKind::kVp8, packet->Payload()));
  const auto opus = RtpPacket::Parse(kAiortcOpus);
  EXPECT_TRUE(IsKeyframe(CodecKind::kOpus, opus->Payload()));
}

}  // namespace
}  // namespace tributary::rtc::codecs
