#include "sfu/RtpParameters.h"

#include <gtest/gtest.h>

#include "../rtc/SdpTestData.h"
#include "rtc/SdpAnswerer.h"
#include "rtc/SdpParser.h"

namespace tributary::sfu {
namespace {

rtc::SdpNegotiation Answer(std::string_view offer, rtc::SdpDirection direction) {
  std::string error;
  auto parsed = rtc::SdpParser::Parse(offer, error);
  EXPECT_TRUE(parsed) << error;
  rtc::SdpAnswerOptions options;
  options.direction = direction;
  options.transport.ice_ufrag = "srvU";
  options.transport.ice_pwd = "serverpasswordserverpassword";
  options.transport.fingerprint = {"sha-256", "AA:BB"};
  auto negotiation = rtc::SdpAnswerer::Answer(*parsed, options, error);
  EXPECT_TRUE(negotiation) << error;
  return negotiation ? *negotiation : rtc::SdpNegotiation{};
}

TEST(RtpParameters, DescribeTheAiortcPublisher_FromItsNegotiatedWhipOffer) {
  const auto negotiation = Answer(rtc::testdata::kAiortcWhipOffer, rtc::SdpDirection::kRecvOnly);
  ASSERT_EQ(negotiation.media.size(), 2u);
  std::string error;
  const auto audio = ProducerParameters::FromNegotiatedMedia(negotiation.media[0], &error);
  ASSERT_TRUE(audio) << error;
  EXPECT_EQ(audio->kind, rtc::MediaKind::kAudio);
  EXPECT_EQ(audio->mid, "0");
  ASSERT_FALSE(audio->codecs.empty());
  EXPECT_EQ(audio->codecs[0].codec, rtc::codecs::CodecKind::kOpus);
  EXPECT_EQ(audio->codecs[0].payload_type, 96);
  EXPECT_EQ(audio->codecs[0].clock_rate, 48000u);
  EXPECT_EQ(audio->ssrc, 4044293397u);
  EXPECT_EQ(audio->rtx_ssrc, 0u);
  EXPECT_EQ(RtpExtensionIds::From(audio->extensions).mid, 1);
  EXPECT_EQ(RtpExtensionIds::From(audio->extensions).audio_level, 2);

  const auto video = ProducerParameters::FromNegotiatedMedia(negotiation.media[1], &error);
  ASSERT_TRUE(video) << error;
  EXPECT_EQ(video->kind, rtc::MediaKind::kVideo);
  EXPECT_EQ(video->ssrc, 1052744438u);
  EXPECT_EQ(video->rtx_ssrc, 3346580309u);
  EXPECT_EQ(video->cname, "fc5c54e8-5c46-4126-ba69-640b72b4af8a");
  const RtpCodecParameters* vp8 = video->FindCodec(97);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->codec, rtc::codecs::CodecKind::kVp8);
  EXPECT_EQ(vp8->rtx_payload_type, 98);
  EXPECT_TRUE(vp8->feedback.nack);
  EXPECT_TRUE(vp8->feedback.nack_pli);
  EXPECT_FALSE(vp8->feedback.ccm_fir);
  EXPECT_TRUE(vp8->feedback.goog_remb);
  EXPECT_EQ(RtpExtensionIds::From(video->extensions).abs_send_time, 2);
  // A WHIP section is not a viewer's.
  EXPECT_FALSE(ConsumerParameters::FromNegotiatedMedia(negotiation.media[1], 1, 2, "c", &error));
  EXPECT_FALSE(error.empty());
}

TEST(RtpParameters, DescribeTheAiortcViewer_FromItsNegotiatedWhepOffer) {
  const auto negotiation = Answer(rtc::testdata::kAiortcWhepOffer, rtc::SdpDirection::kSendOnly);
  ASSERT_EQ(negotiation.media.size(), 2u);
  std::string error;
  const auto video = ConsumerParameters::FromNegotiatedMedia(negotiation.media[1], 0x1111, 0x2222,
                                                             "tributary", &error);
  ASSERT_TRUE(video) << error;
  EXPECT_EQ(video->mid, "1");
  EXPECT_EQ(video->ssrc, 0x1111u);
  EXPECT_EQ(video->rtx_ssrc, 0x2222u);  // the viewer takes RTX
  EXPECT_EQ(video->cname, "tributary");
  ASSERT_FALSE(video->codecs.empty());
  EXPECT_EQ(video->codecs[0].codec, rtc::codecs::CodecKind::kVp8);
  EXPECT_EQ(video->codecs[0].rtx_payload_type, 98);
  EXPECT_FALSE(ProducerParameters::FromNegotiatedMedia(negotiation.media[1], &error));
}

TEST(RtpParameters, MatchCodecsByFormat_NotByPayloadType) {
  RtpCodecParameters a;
  a.codec = rtc::codecs::CodecKind::kH264;
  a.name = "H264";
  a.payload_type = 99;
  a.clock_rate = 90000;
  a.fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f";
  RtpCodecParameters b = a;
  b.payload_type = 102;
  b.fmtp = "profile-level-id=42e01f;packetization-mode=1";  // constrained baseline, other level
  EXPECT_FALSE(a.SameFormat(b));                            // baseline vs constrained baseline
  b.fmtp = "profile-level-id=420029;packetization-mode=1";  // baseline, level 4.1
  EXPECT_TRUE(a.SameFormat(b));
  b.fmtp = "profile-level-id=42001f";  // packetization-mode 0
  EXPECT_FALSE(a.SameFormat(b));

  RtpCodecParameters vp9;
  vp9.codec = rtc::codecs::CodecKind::kVp9;
  vp9.clock_rate = 90000;
  RtpCodecParameters vp9_profile2 = vp9;
  vp9_profile2.fmtp = "profile-id=2";
  EXPECT_FALSE(vp9.SameFormat(vp9_profile2));
  vp9_profile2.fmtp = "profile-id=0";
  EXPECT_TRUE(vp9.SameFormat(vp9_profile2));

  RtpCodecParameters opus;
  opus.codec = rtc::codecs::CodecKind::kOpus;
  opus.clock_rate = 48000;
  opus.channels = 2;
  RtpCodecParameters mono = opus;
  mono.channels = 0;
  EXPECT_FALSE(opus.SameFormat(mono));
  EXPECT_FALSE(opus.SameFormat(vp9));
}

TEST(RtpParameters, ReadFeedbackCaseInsensitively) {
  const auto support = RtcpFeedbackSupport::FromSdp(
      {{"NACK", ""}, {"nack", "PLI"}, {"ccm", "fir"}, {"transport-cc", ""}, {"nack", "sli"}});
  EXPECT_TRUE(support.nack);
  EXPECT_TRUE(support.nack_pli);
  EXPECT_TRUE(support.ccm_fir);
  EXPECT_TRUE(support.transport_cc);
  EXPECT_FALSE(support.goog_remb);
}

}  // namespace
}  // namespace tributary::sfu
