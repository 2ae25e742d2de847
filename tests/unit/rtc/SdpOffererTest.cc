#include "rtc/SdpOfferer.h"

#include <gtest/gtest.h>

#include "rtc/SdpAnswerer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {
namespace {

const char kFingerprint[] =
    "5A:D2:FE:57:13:0D:27:D5:C7:86:29:66:67:98:A7:83:3B:FD:C8:F5:22:76:61:2F:E1:46:22:A4:E4:CB:"
    "C2:ED";

SdpOfferOptions ClientOptions(SdpDirection direction) {
  SdpOfferOptions o;
  o.session_id = "7";
  o.ice_ufrag = "cliU";
  o.ice_pwd = "clientpasswordclientpass";
  o.fingerprint = {"sha-256", kFingerprint};
  SdpOfferSection audio = SdpOfferSection::Defaults(MediaKind::kAudio, direction, "0");
  audio.ssrc = 1001;
  audio.cname = "edge-1";
  audio.stream_id = "live";
  audio.track_id = "a";
  SdpOfferSection video = SdpOfferSection::Defaults(MediaKind::kVideo, direction, "1");
  video.ssrc = 2001;
  video.rtx_ssrc = 2002;
  video.cname = "edge-1";
  video.stream_id = "live";
  video.track_id = "v";
  o.sections = {audio, video};
  return o;
}

SdpAnswerOptions ServerOptions(SdpDirection direction) {
  SdpAnswerOptions o;
  o.direction = direction;
  o.session_id = "9";
  o.transport.ice_ufrag = "srvU";
  o.transport.ice_pwd = "serverpasswordserverpassword";
  o.transport.fingerprint = {"sha-256", kFingerprint};
  SdpCandidate c;
  c.foundation = "1";
  c.priority = 2130706431;
  c.address = "127.0.0.1";
  c.port = 40000;
  o.transport.candidates = {c};
  o.tracks = {{MediaKind::kAudio, 7001, 0, "origin", "s", "a"},
              {MediaKind::kVideo, 8001, 8002, "origin", "s", "v"}};
  return o;
}

// Offer -> text -> server -> answer text -> client: the whole exchange on real bytes.
SdpNegotiation Exchange(const SessionDescription& offer, const SdpAnswerOptions& server) {
  std::string error;
  auto offer_seen = SdpParser::Parse(SdpWriter::Write(offer), error);
  EXPECT_TRUE(offer_seen.has_value()) << error;
  if (!offer_seen) return {};
  auto answer = SdpAnswerer::Answer(*offer_seen, server, error);
  EXPECT_TRUE(answer.has_value()) << error;
  if (!answer) return {};
  auto answer_seen = SdpParser::Parse(answer->local_sdp, error);
  EXPECT_TRUE(answer_seen.has_value()) << error;
  auto result = SdpOfferer::ApplyAnswer(offer, *answer_seen, error);
  EXPECT_TRUE(result.has_value()) << error;
  return result ? *result : SdpNegotiation{};
}

TEST(SdpOfferer, BuildsWhipOffer_SendonlyWithRtxAndBundle) {
  SessionDescription offer = SdpOfferer::BuildOffer(ClientOptions(SdpDirection::kSendOnly));
  std::string text = SdpWriter::Write(offer);
  std::string error;
  auto parsed = SdpParser::Parse(text, error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(*parsed, offer);
  EXPECT_EQ(offer.BundleGroup()->mids, (std::vector<std::string>{"0", "1"}));
  const MediaDescription& video = offer.media[1];
  EXPECT_EQ(video.formats,
            (std::vector<std::string>{"96", "97", "98", "99", "102", "103", "45", "46"}));
  EXPECT_EQ(video.setup, SdpSetup::kActPass);
  EXPECT_EQ(video.direction, SdpDirection::kSendOnly);
  EXPECT_EQ(video.msid, "live v");
  EXPECT_EQ(video.ssrc_groups, (std::vector<SdpSsrcGroup>{{"FID", {2001, 2002}}}));
  EXPECT_NE(text.find("a=fmtp:97 apt=96\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=ssrc:2002 cname:edge-1\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=ice-options:trickle\r\n"), std::string::npos);
}

TEST(SdpOfferer, ReadsServerAnswer_ForWhipPush) {
  SessionDescription offer = SdpOfferer::BuildOffer(ClientOptions(SdpDirection::kSendOnly));
  SdpAnswerOptions server = ServerOptions(SdpDirection::kRecvOnly);
  server.allowed_codecs = {"opus", "h264"};
  SdpNegotiation n = Exchange(offer, server);
  ASSERT_EQ(n.media.size(), 2u);
  EXPECT_EQ(n.media[0].direction, SdpDirection::kSendOnly);
  ASSERT_EQ(n.media[0].codecs.size(), 1u);
  EXPECT_EQ(n.media[0].codecs[0].payload_type, 111);
  ASSERT_EQ(n.media[1].codecs.size(), 1u);
  EXPECT_EQ(n.media[1].codecs[0].name, "H264");
  EXPECT_EQ(n.media[1].codecs[0].payload_type, 102);
  EXPECT_EQ(n.media[1].codecs[0].rtx_payload_type, 103);
  EXPECT_EQ(n.media[1].extensions.size(), 5u);
  EXPECT_EQ(n.media[0].extensions[3],
            (SdpNegotiatedExtension{4, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"}));
  EXPECT_TRUE(n.remote.ice_lite);
  EXPECT_EQ(n.remote.ice_ufrag, "srvU");
  EXPECT_EQ(n.remote.setup, SdpSetup::kPassive);
  EXPECT_EQ(n.local_setup, SdpSetup::kActive);  // the client is the DTLS client
  ASSERT_EQ(n.remote.candidates.size(), 1u);
  EXPECT_EQ(n.remote.candidates[0].port, 40000);
  EXPECT_EQ(n.remote.fingerprints[0].value, kFingerprint);
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"0", "1"}));
}

TEST(SdpOfferer, ReadsServerSsrcs_ForWhepPull) {
  SessionDescription offer = SdpOfferer::BuildOffer(ClientOptions(SdpDirection::kRecvOnly));
  EXPECT_TRUE(offer.media[0].ssrcs.empty());  // nothing to send
  SdpNegotiation n = Exchange(offer, ServerOptions(SdpDirection::kSendOnly));
  EXPECT_EQ(n.media[1].direction, SdpDirection::kRecvOnly);
  ASSERT_EQ(n.media[1].remote_ssrcs.size(), 1u);
  EXPECT_EQ(n.media[1].remote_ssrcs[0].ssrc, 8001u);
  EXPECT_EQ(n.media[1].remote_ssrcs[0].rtx_ssrc, 8002u);
  EXPECT_EQ(n.media[1].remote_ssrcs[0].cname, "origin");
  EXPECT_EQ(n.media[1].remote_ssrcs[0].msid_track, "v");
  EXPECT_EQ(n.media[0].remote_ssrcs[0].ssrc, 7001u);
  EXPECT_EQ(n.media[1].codecs[0].name, "VP8");
}

TEST(SdpOfferer, OffersSimulcastLayers_AndTheServerReceivesThem) {
  SdpOfferOptions options = ClientOptions(SdpDirection::kSendOnly);
  options.sections[1].simulcast_rids = {"q", "h", "f"};
  SessionDescription offer = SdpOfferer::BuildOffer(options);
  EXPECT_TRUE(offer.media[1].ssrcs.empty());
  EXPECT_EQ(offer.media[1].rids.size(), 3u);
  SdpNegotiation n = Exchange(offer, ServerOptions(SdpDirection::kRecvOnly));
  EXPECT_TRUE(n.media[1].accepted);
  ASSERT_EQ(n.media[1].remote_rids.size(), 3u);
  EXPECT_EQ(n.media[1].remote_rids[0].direction, SdpDirection::kRecvOnly);
}

TEST(SdpOfferer, OffersDataChannel) {
  SdpOfferOptions options = ClientOptions(SdpDirection::kSendOnly);
  options.data_channel = true;
  SessionDescription offer = SdpOfferer::BuildOffer(options);
  ASSERT_EQ(offer.media.size(), 3u);
  EXPECT_EQ(offer.media[2].mid, "2");
  SdpNegotiation n = Exchange(offer, ServerOptions(SdpDirection::kRecvOnly));
  EXPECT_TRUE(n.media[2].accepted);
  EXPECT_EQ(n.media[2].remote_sctp_port, 5000);
  EXPECT_EQ(n.media[2].remote_max_message_size, 262144u);
}

class SdpOffererAnswerErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    offer_ = SdpOfferer::BuildOffer(ClientOptions(SdpDirection::kSendOnly));
    std::string error;
    auto offer_seen = SdpParser::Parse(SdpWriter::Write(offer_), error);
    auto answer = SdpAnswerer::Answer(*offer_seen, ServerOptions(SdpDirection::kRecvOnly), error);
    ASSERT_TRUE(answer.has_value()) << error;
    answer_text_ = answer->local_sdp;
  }
  std::string Apply(const std::string& from, const std::string& to) {
    std::string text = answer_text_;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    std::string error;
    auto answer = SdpParser::Parse(text, error);
    if (!answer) return error;
    return SdpOfferer::ApplyAnswer(offer_, *answer, error) ? std::string() : error;
  }
  SessionDescription offer_;
  std::string answer_text_;
};

TEST_F(SdpOffererAnswerErrors, AcceptsTheUnchangedAnswer) {
  EXPECT_EQ(Apply("", ""), "");
}

TEST_F(SdpOffererAnswerErrors, RejectsActpassInAnAnswer) {
  EXPECT_EQ(Apply("a=setup:passive", "a=setup:actpass"),
            "the answer's mid 0 (m=audio, line 8) has a=setup:actpass; an answer must say active "
            "or passive (RFC 8842)");
}

TEST_F(SdpOffererAnswerErrors, RejectsPayloadTypeNotOffered) {
  EXPECT_EQ(Apply("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF 112"),
            "line 22: a=rtpmap: payload type 111 is not listed on the m= line (line 8)");
  EXPECT_EQ(Apply("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 PCMU/8000"),
            "the answer's mid 0 (m=audio, line 8) maps payload type 111 to PCMU/8000, the offer "
            "to opus/48000");
}

TEST_F(SdpOffererAnswerErrors, RejectsExtensionIdNotOffered) {
  EXPECT_EQ(Apply("a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
                  "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid"),
            "the answer's mid 0 (m=audio, line 8) uses header extension id 9 for "
            "urn:ietf:params:rtp-hdrext:sdes:mid, which the offer does not");
}

TEST_F(SdpOffererAnswerErrors, RejectsWrongDirection) {
  EXPECT_EQ(Apply("a=recvonly", "a=sendonly"),
            "the answer's mid 0 (m=audio, line 8) is a=sendonly, which does not fit the offer's "
            "a=sendonly");
}

TEST_F(SdpOffererAnswerErrors, RejectsMissingCredentials) {
  EXPECT_EQ(Apply("a=ice-pwd:serverpasswordserverpassword\r\n", ""),
            "the answer's mid 0 (m=audio, line 8) has no a=ice-pwd, neither in the section nor at "
            "session level");
}

TEST_F(SdpOffererAnswerErrors, RejectsDifferentSections) {
  std::string text = answer_text_.substr(0, answer_text_.find("m=video"));
  text.replace(text.find("BUNDLE 0 1"), 10, "BUNDLE 0");
  std::string error;
  auto answer = SdpParser::Parse(text, error);
  ASSERT_TRUE(answer.has_value()) << error;
  EXPECT_FALSE(SdpOfferer::ApplyAnswer(offer_, *answer, error).has_value());
  EXPECT_EQ(error, "the answer has 1 m= sections, the offer 2");
  EXPECT_EQ(Apply("a=mid:1", "a=mid:x"),
            "line 5: a=group:BUNDLE names mid '1', which no m= section has");
  text = answer_text_;
  text.replace(text.find("BUNDLE 0 1"), 10, "BUNDLE 0 x");
  text.replace(text.find("a=mid:1"), 7, "a=mid:x");
  answer = SdpParser::Parse(text, error);
  ASSERT_TRUE(answer.has_value()) << error;
  EXPECT_FALSE(SdpOfferer::ApplyAnswer(offer_, *answer, error).has_value());
  EXPECT_EQ(error,
            "the answer's mid x (m=video, line 27) does not match the offer's mid 1 (m=video)");
}

TEST_F(SdpOffererAnswerErrors, ReportsEverySectionRejected) {
  std::string text = answer_text_;
  for (const char* m : {"m=audio 9 ", "m=video 9 "}) {
    text.replace(text.find(m), 10, std::string(m).substr(0, 8) + "0 ");
  }
  std::string error;
  auto answer = SdpParser::Parse(text, error);
  ASSERT_TRUE(answer.has_value()) << error;
  EXPECT_FALSE(SdpOfferer::ApplyAnswer(offer_, *answer, error).has_value());
  EXPECT_EQ(error,
            "the answer accepts no section: mid 0 (m=audio): the answerer rejected it (port 0); "
            "mid 1 (m=video): the answerer rejected it (port 0)");
}

}  // namespace
}  // namespace tributary::rtc
