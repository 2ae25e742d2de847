#include "rtc/codecs/Vp9.h"

#include <gtest/gtest.h>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::codecs {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Vp9, ReadsTheNonFlexibleDescriptorAndSs_OfALibvpxKeyframe) {
  const auto d = Vp9::ParseDescriptor(kVp9Keyframe);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->has_picture_id);
  EXPECT_TRUE(d->long_picture_id);
  EXPECT_EQ(d->picture_id, 0x1234);
  EXPECT_FALSE(d->inter_picture_predicted);
  EXPECT_TRUE(d->has_layer_indices);
  EXPECT_FALSE(d->flexible_mode);
  EXPECT_TRUE(d->start_of_frame);
  EXPECT_TRUE(d->end_of_frame);
  EXPECT_TRUE(d->has_scalability_structure);
  EXPECT_EQ(d->spatial_id, 0);
  EXPECT_EQ(d->tl0_pic_idx, 7);
  EXPECT_EQ(d->spatial_layer_count, 1);
  EXPECT_EQ(d->size, 12u);
  EXPECT_EQ(kVp9Keyframe[d->size], 0x82);  // VP9 frame marker, profile 0, key frame
  EXPECT_TRUE(Vp9::IsKeyframe(kVp9Keyframe));
}

TEST(Vp9, IsNotAKeyframe_WhenInterPredictedOrAnUpperSpatialLayer) {
  EXPECT_FALSE(Vp9::IsKeyframe(kVp9DeltaFrame));
  EXPECT_EQ(Vp9::ParseDescriptor(kVp9DeltaFrame)->size, 5u);
  auto payload = Bytes(kVp9Keyframe);
  payload[3] = 0x02;  // SID 1
  EXPECT_FALSE(Vp9::IsKeyframe(payload));
  payload = Bytes(kVp9Keyframe);
  payload[0] &= ~0x08;  // B clear: not the first packet of the frame
  EXPECT_FALSE(Vp9::IsKeyframe(payload));
}

TEST(Vp9, ReadsReferenceIndices_InFlexibleMode) {
  // I P L F B, picture id 5, TID 1 U SID 0, P_DIFF 1 (N), P_DIFF 2.
  const uint8_t payload[] = {0xf8, 0x05, 0x30, 0x03, 0x04, 0xaa};
  const auto d = Vp9::ParseDescriptor(payload);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->flexible_mode);
  EXPECT_EQ(d->temporal_id, 1);
  EXPECT_TRUE(d->switching_up_point);
  EXPECT_EQ(d->reference_count, 2);
  EXPECT_EQ(d->size, 5u);
  const uint8_t four_references[] = {0xf8, 0x05, 0x30, 0x03, 0x05, 0x07, 0x09, 0xaa};
  EXPECT_FALSE(Vp9::ParseDescriptor(four_references));  // at most 3
}

TEST(Vp9, NeedsTheWholeDescriptor_ForEveryPrefix) {
  testing::ForEachPrefix(kVp9Keyframe, [](std::span<const uint8_t> prefix) {
    EXPECT_EQ(Vp9::ParseDescriptor(prefix).has_value(), prefix.size() >= 12) << prefix.size();
  });
  // SS with resolutions for 3 layers and 2 groups, cut anywhere.
  const uint8_t ss[] = {0x02, 0x58, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 2, 0x04, 0x01, 0x00};
  EXPECT_EQ(Vp9::ParseDescriptor(ss)->spatial_layer_count, 3);
  testing::ForEachPrefix(ss, [](std::span<const uint8_t> prefix) {
    EXPECT_FALSE(Vp9::ParseDescriptor(prefix)) << prefix.size();
  });
}

}  // namespace
}  // namespace tributary::rtc::codecs
