#include "rtc/codecs/Vp8.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::codecs {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Vp8, FindsTheKeyframe_InAiortcPayloads) {
  EXPECT_TRUE(Vp8::IsKeyframe(kVp8Keyframe));
  EXPECT_FALSE(Vp8::IsKeyframe(kVp8DeltaFrame));
}

TEST(Vp8, ReadsAiortcDescriptor_WithA15BitPictureId) {
  const auto d = Vp8::ParseDescriptor(kVp8Keyframe);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->start_of_partition);
  EXPECT_EQ(d->partition_index, 0);
  EXPECT_TRUE(d->has_picture_id);
  EXPECT_TRUE(d->long_picture_id);
  EXPECT_EQ(d->picture_id, ((kVp8Keyframe[2] & 0x7f) << 8) | kVp8Keyframe[3]);
  EXPECT_FALSE(d->has_tl0_pic_idx);
  EXPECT_EQ(d->size, 4u);
  const auto next = Vp8::ParseDescriptor(kVp8DeltaFrame);
  EXPECT_EQ(next->picture_id, (d->picture_id + 1) & 0x7fff);
}

TEST(Vp8, ReadsEveryOptionalField_OfRfc7741) {
  // X S, then I L T K, 7-bit picture id 5, TL0PICIDX 0x33, TID 3 Y 0 KEYIDX 5.
  const uint8_t payload[] = {0x90, 0xf0, 0x05, 0x33, 0xc5, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a};
  const auto d = Vp8::ParseDescriptor(payload);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->long_picture_id);
  EXPECT_EQ(d->picture_id, 5);
  EXPECT_EQ(d->tl0_pic_idx, 0x33);
  EXPECT_EQ(d->tid, 3);
  EXPECT_FALSE(d->layer_sync);
  EXPECT_EQ(d->key_idx, 5);
  EXPECT_EQ(d->size, 5u);
  EXPECT_TRUE(Vp8::IsKeyframe(payload));
}

TEST(Vp8, IsNotAKeyframe_UnlessItStartsPartitionZero) {
  auto payload = Bytes(kVp8Keyframe);
  payload[0] &= ~0x10;  // S clear: a continuation
  EXPECT_FALSE(Vp8::IsKeyframe(payload));
  payload = Bytes(kVp8Keyframe);
  payload[0] |= 0x01;  // partition 1
  EXPECT_FALSE(Vp8::IsKeyframe(payload));
  payload = Bytes(kVp8Keyframe);
  payload[8] = 0x00;  // no start code
  EXPECT_FALSE(Vp8::IsKeyframe(payload));
}

TEST(Vp8, NeedsTheDescriptorAndTenBytes_ForEveryPrefix) {
  testing::ForEachPrefix(kVp8Keyframe, [](std::span<const uint8_t> prefix) {
    EXPECT_EQ(Vp8::IsKeyframe(prefix), prefix.size() >= 10) << prefix.size();
    EXPECT_EQ(Vp8::ParseDescriptor(prefix).has_value(), prefix.size() >= 4) << prefix.size();
  });
}

}  // namespace
}  // namespace tributary::rtc::codecs
