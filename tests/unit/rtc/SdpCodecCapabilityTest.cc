#include "rtc/SdpCodecCapability.h"

#include <gtest/gtest.h>

namespace tributary::rtc {
namespace {

const SdpCodecCapability* FirstMatch(MediaKind kind, const SdpCodec& offered) {
  static const std::vector<SdpCodecCapability> kDefaults = SdpCodecCapability::Defaults();
  for (const SdpCodecCapability& cap : kDefaults) {
    if (cap.Matches(kind, offered)) return &cap;
  }
  return nullptr;
}

SdpCodec H264(std::string fmtp) {
  return SdpCodec{102, "H264", 90000, 0, std::move(fmtp), {}};
}

TEST(SdpCodecCapability, ReadsH264Profiles_FromProfileLevelId) {
  EXPECT_EQ(H264ProfileFromProfileLevelId("42e01f"), H264Profile::kConstrainedBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("42c01f"), H264Profile::kConstrainedBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("4d801f"), H264Profile::kConstrainedBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("42001f"), H264Profile::kBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("42000a"), H264Profile::kBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("4d001f"), H264Profile::kMain);
  EXPECT_EQ(H264ProfileFromProfileLevelId("640c1f"), H264Profile::kConstrainedHigh);
  EXPECT_EQ(H264ProfileFromProfileLevelId("64001f"), H264Profile::kHigh);
  EXPECT_EQ(H264ProfileFromProfileLevelId("640032"), H264Profile::kHigh);
  EXPECT_EQ(H264ProfileFromProfileLevelId("F4001F"), H264Profile::kHigh444);
  EXPECT_EQ(H264ProfileFromProfileLevelId("58a01f"), H264Profile::kBaseline);
  EXPECT_EQ(H264ProfileFromProfileLevelId("42e01"), std::nullopt);
  EXPECT_EQ(H264ProfileFromProfileLevelId("zze01f"), std::nullopt);
  EXPECT_EQ(H264ProfileFromProfileLevelId("ff001f"), std::nullopt);
}

TEST(SdpCodecCapability, MatchesH264OnProfileAndPacketizationMode_NotLevel) {
  const SdpCodecCapability* cb =
      FirstMatch(MediaKind::kVideo, H264("level-asymmetry-allowed=1;packetization-mode=1;"
                                         "profile-level-id=42e034"));  // level 5.2
  ASSERT_NE(cb, nullptr);
  EXPECT_EQ(FmtpParameter(cb->fmtp, "profile-level-id"), "42e01f");
  // Same profile, other constraint flags that mean the same profile.
  const SdpCodecCapability* gst =
      FirstMatch(MediaKind::kVideo, H264("packetization-mode=1;profile-level-id=42C01F"));
  EXPECT_EQ(gst, cb);
  EXPECT_EQ(
      FmtpParameter(
          FirstMatch(MediaKind::kVideo, H264("packetization-mode=1;profile-level-id=4d0032"))->fmtp,
          "profile-level-id"),
      "4d001f");
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, H264("packetization-mode=0;profile-level-id=42e01f")),
            nullptr);
  // Neither parameter: Baseline, packetization-mode 0.
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, H264("")), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, H264("packetization-mode=1;profile-level-id=7a001f")),
            nullptr);  // High 4:2:2
}

TEST(SdpCodecCapability, MatchesVp9ProfileAndAv1Profile) {
  SdpCodec vp9{98, "VP9", 90000, 0, "profile-id=2", {}};
  ASSERT_NE(FirstMatch(MediaKind::kVideo, vp9), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, vp9)->fmtp, "profile-id=2");
  vp9.fmtp = "";
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, vp9)->fmtp, "profile-id=0");
  vp9.fmtp = "profile-id=1";
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, vp9), nullptr);
  SdpCodec av1{45, "AV1", 90000, 0, "level-idx=5;profile=0;tier=0", {}};
  EXPECT_NE(FirstMatch(MediaKind::kVideo, av1), nullptr);
  av1.fmtp = "profile=1";
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, av1), nullptr);
}

TEST(SdpCodecCapability, MatchesOpus_ByNameClockRateAndChannels) {
  EXPECT_NE(FirstMatch(MediaKind::kAudio, SdpCodec{111, "opus", 48000, 2, "", {}}), nullptr);
  EXPECT_NE(FirstMatch(MediaKind::kAudio, SdpCodec{97, "OPUS", 48000, 2, "", {}}), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kAudio, SdpCodec{111, "opus", 48000, 0, "", {}}), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kAudio, SdpCodec{111, "opus", 16000, 2, "", {}}), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, SdpCodec{111, "opus", 48000, 2, "", {}}), nullptr);
  EXPECT_EQ(FirstMatch(MediaKind::kVideo, SdpCodec{96, "VP8", 8000, 0, "", {}}), nullptr);
}

TEST(SdpCodecCapability, TellsAuxiliaryCodecs) {
  for (const char* name : {"rtx", "RTX", "red", "ulpfec", "flexfec-03", "CN", "telephone-event"}) {
    EXPECT_TRUE(IsAuxiliaryCodec(name)) << name;
  }
  for (const char* name : {"VP8", "opus", "H264", "flex"})
    EXPECT_FALSE(IsAuxiliaryCodec(name));
}

TEST(SdpTypes, ReadsFmtpParameters) {
  EXPECT_EQ(FmtpParameter("minptime=10; useinbandfec=1", "useinbandfec"), "1");
  EXPECT_EQ(FmtpParameter("Profile-Level-Id=42e01f", "profile-level-id"), "42e01f");
  EXPECT_EQ(FmtpParameter("apt=96", "profile-id"), std::nullopt);
  EXPECT_EQ(FmtpParameter("111/111", "apt"), std::nullopt);
}

}  // namespace
}  // namespace tributary::rtc
