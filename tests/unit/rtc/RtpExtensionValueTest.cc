#include "rtc/RtpExtensionValue.h"

#include <gtest/gtest.h>

#include "rtc/RtpExtensionKind.h"

namespace tributary::rtc {
namespace {

TEST(RtpExtensionValue, ConvertsAbsSendTime_FromMicrosecondsAndNtp) {
  // 6.18 fixed point: one second is 1 << 18; the value wraps every 64 s.
  EXPECT_EQ(RtpExtensionValue::AbsSendTimeFromUs(1'000'000), 1u << 18);
  EXPECT_EQ(RtpExtensionValue::AbsSendTimeFromUs(64'000'000), 0u);
  EXPECT_EQ(RtpExtensionValue::AbsSendTimeFromUs(65'500'000), (3u << 17));
  EXPECT_EQ(RtpExtensionValue::AbsSendTimeFromNtp((70ull << 32) | 0x80000000u),
            (6u << 18) | (1u << 17));
  EXPECT_EQ(RtpExtensionValue::AbsSendTimeToUs(3u << 17), 1'500'000u);
  const auto bytes = RtpExtensionValue::EncodeAbsSendTime(0x123456);
  EXPECT_EQ(RtpExtensionValue::ReadAbsSendTime(bytes), 0x123456u);
}

TEST(RtpExtensionValue, RejectsValuesOfTheWrongSize) {
  const uint8_t three[] = {1, 2, 3};
  EXPECT_FALSE(RtpExtensionValue::ReadTransportWideSeq(three));
  EXPECT_FALSE(RtpExtensionValue::ReadAudioLevel(three));
  EXPECT_FALSE(RtpExtensionValue::ReadAbsSendTime(std::span(three).first(2)));
  EXPECT_FALSE(RtpExtensionValue::ReadSdesString({}));
}

TEST(RtpExtensionValue, EncodesAudioLevelAndTransportSeq) {
  const auto level = RtpExtensionValue::EncodeAudioLevel({true, 42});
  EXPECT_EQ(level[0], 0xaa);
  EXPECT_EQ(RtpExtensionValue::ReadAudioLevel(level)->level, 42);
  const auto seq = RtpExtensionValue::EncodeTransportWideSeq(0xfffd);
  EXPECT_EQ(seq[0], 0xff);
  EXPECT_EQ(seq[1], 0xfd);
}

TEST(RtpExtensionKind, LooksUpSdpUris_BothWays) {
  EXPECT_EQ(RtpExtensionKindFromUri(
                "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
            RtpExtensionKind::kTransportWideCc);
  EXPECT_EQ(RtpExtensionKindFromUri("urn:ietf:params:rtp-hdrext:sdes:mid"), RtpExtensionKind::kMid);
  EXPECT_EQ(RtpExtensionKindFromUri("urn:3gpp:video-orientation"), RtpExtensionKind::kUnknown);
  for (const auto kind : {RtpExtensionKind::kMid, RtpExtensionKind::kRid,
                          RtpExtensionKind::kRepairedRid, RtpExtensionKind::kAbsSendTime,
                          RtpExtensionKind::kTransportWideCc, RtpExtensionKind::kAudioLevel}) {
    EXPECT_EQ(RtpExtensionKindFromUri(RtpExtensionUri(kind)), kind);
  }
  EXPECT_TRUE(RtpExtensionUri(RtpExtensionKind::kUnknown).empty());
}

}  // namespace
}  // namespace tributary::rtc
