#include "rtc/SdpAnswerer.h"

#include <gtest/gtest.h>

#include "SdpTestData.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {
namespace {

const char kServerFingerprint[] =
    "73:C8:E4:CF:7A:AF:6C:80:70:97:5F:3B:D6:2B:30:9F:B7:CD:CE:A3:62:DF:1D:04:A5:7A:5B:11:B6:A2:"
    "35:CF";

SessionDescription Parse(std::string_view text) {
  std::string error;
  auto d = SdpParser::Parse(text, error);
  EXPECT_TRUE(d.has_value()) << error;
  return d ? *d : SessionDescription{};
}

SdpAnswerOptions Options(SdpDirection direction) {
  SdpAnswerOptions o;
  o.direction = direction;
  o.session_id = "42";
  o.transport.ice_ufrag = "srvU";
  o.transport.ice_pwd = "serverpasswordserverpassword";
  o.transport.fingerprint = {"sha-256", kServerFingerprint};
  SdpCandidate c;
  c.foundation = "1";
  c.priority = 2130706431;
  c.address = "127.0.0.1";
  c.port = 40000;
  o.transport.candidates = {c};
  return o;
}

SdpNegotiation Answer(std::string_view offer, const SdpAnswerOptions& options) {
  std::string error;
  auto result = SdpAnswerer::Answer(Parse(offer), options, error);
  EXPECT_TRUE(result.has_value()) << error;
  return result ? *result : SdpNegotiation{};
}

std::vector<uint8_t> PayloadTypes(const SdpNegotiatedMedia& m) {
  std::vector<uint8_t> out;
  for (const SdpNegotiatedCodec& c : m.codecs)
    out.push_back(c.payload_type);
  return out;
}

// The answer as text must read back as the answer the result describes.
void ExpectAnswerReadsBack(const SdpNegotiation& n) {
  std::string error;
  auto parsed = SdpParser::Parse(n.local_sdp, error);
  ASSERT_TRUE(parsed.has_value()) << error << "\n" << n.local_sdp;
  EXPECT_EQ(*parsed, n.local) << n.local_sdp;
}

TEST(SdpAnswerer, AnswersAiortcWhipOffer_Recvonly) {
  SdpNegotiation n = Answer(testdata::kAiortcWhipOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  ASSERT_EQ(n.media.size(), 2u);
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"0", "1"}));

  const SdpNegotiatedMedia& audio = n.media[0];
  EXPECT_TRUE(audio.accepted);
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.kind, MediaKind::kAudio);
  EXPECT_EQ(audio.direction, SdpDirection::kRecvOnly);
  ASSERT_EQ(audio.codecs.size(), 1u);
  EXPECT_EQ(audio.codecs[0], (SdpNegotiatedCodec{96, "opus", 48000, 2, "", {}, std::nullopt}));
  // aiortc 1.4 gives id 2 to different URIs in audio and video: each section keeps its own.
  EXPECT_EQ(audio.extensions, (std::vector<SdpNegotiatedExtension>{
                                  {1, "urn:ietf:params:rtp-hdrext:sdes:mid"},
                                  {2, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"}}));
  ASSERT_EQ(audio.remote_ssrcs.size(), 1u);
  EXPECT_EQ(audio.remote_ssrcs[0].ssrc, 4044293397u);
  EXPECT_EQ(audio.remote_ssrcs[0].rtx_ssrc, std::nullopt);
  EXPECT_EQ(audio.remote_ssrcs[0].cname, "fc5c54e8-5c46-4126-ba69-640b72b4af8a");
  EXPECT_EQ(audio.remote_ssrcs[0].msid_stream, "e5d555e6-eaa9-455d-9198-954687af0b98");
  EXPECT_EQ(audio.remote_ssrcs[0].msid_track, "e20d5d2f-9ec8-4156-9ab1-ec9985b5c534");

  const SdpNegotiatedMedia& video = n.media[1];
  EXPECT_EQ(video.direction, SdpDirection::kRecvOnly);
  // Preference order (VP8, then H.264 Constrained Baseline, then Baseline), offerer's PTs.
  EXPECT_EQ(PayloadTypes(video), (std::vector<uint8_t>{97, 101, 99}));
  EXPECT_EQ(video.codecs[0].rtx_payload_type, 98);
  EXPECT_EQ(video.codecs[1].rtx_payload_type, 102);
  EXPECT_EQ(video.codecs[2].rtx_payload_type, 100);
  EXPECT_EQ(video.codecs[1].fmtp,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
  EXPECT_EQ(video.codecs[0].feedback,
            (std::vector<SdpRtcpFeedback>{{"nack", ""}, {"nack", "pli"}, {"goog-remb", ""}}));
  EXPECT_EQ(video.extensions,
            (std::vector<SdpNegotiatedExtension>{
                {1, "urn:ietf:params:rtp-hdrext:sdes:mid"},
                {2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"}}));
  ASSERT_EQ(video.remote_ssrcs.size(), 1u);
  EXPECT_EQ(video.remote_ssrcs[0].ssrc, 1052744438u);
  EXPECT_EQ(video.remote_ssrcs[0].rtx_ssrc, 3346580309u);
  EXPECT_EQ(video.remote.ice_ufrag, "0KWe");

  // The shared transport is the BUNDLE tag's (mid 0).
  EXPECT_EQ(n.remote.ice_ufrag, "gUJI");
  EXPECT_EQ(n.remote.ice_pwd, "jEeG6YL5zTZmwUfUsjOhGo");
  EXPECT_EQ(n.remote.setup, SdpSetup::kActPass);
  ASSERT_EQ(n.remote.fingerprints.size(), 1u);
  EXPECT_EQ(n.remote.fingerprints[0].algorithm, "sha-256");
  EXPECT_EQ(n.remote.candidates.size(), 2u);
  EXPECT_TRUE(n.remote.end_of_candidates);
  EXPECT_EQ(n.local_setup, SdpSetup::kPassive);

  // The answer itself.
  const SessionDescription& a = n.local;
  EXPECT_TRUE(a.ice_lite);
  EXPECT_EQ(a.origin.session_id, "42");
  ASSERT_NE(a.BundleGroup(), nullptr);
  EXPECT_EQ(a.BundleGroup()->mids, (std::vector<std::string>{"0", "1"}));
  for (const MediaDescription& m : a.media) {
    EXPECT_EQ(m.port, 9);
    EXPECT_EQ(m.direction, SdpDirection::kRecvOnly);
    EXPECT_EQ(m.setup, SdpSetup::kPassive);
    EXPECT_EQ(m.ice_ufrag, "srvU");
    EXPECT_EQ(m.fingerprints[0].value, kServerFingerprint);
    EXPECT_TRUE(m.rtcp_mux);
    EXPECT_EQ(m.candidates.size(), 1u);
    EXPECT_TRUE(m.end_of_candidates);
  }
  EXPECT_EQ(a.media[1].formats, (std::vector<std::string>{"97", "98", "101", "102", "99", "100"}));
  EXPECT_NE(n.local_sdp.find("a=fmtp:98 apt=97\r\n"), std::string::npos);
  EXPECT_NE(n.local_sdp.find("a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"),
            std::string::npos);
}

TEST(SdpAnswerer, AnswersAiortcWhepOffer_SendonlyWithTracks) {
  SdpAnswerOptions options = Options(SdpDirection::kSendOnly);
  options.tracks = {{MediaKind::kVideo, 5000, 5001, "tributary", "live", "cam"},
                    {MediaKind::kAudio, 6000, 0, "tributary", "live", "mic"}};
  SdpNegotiation n = Answer(testdata::kAiortcWhepOffer, options);
  ExpectAnswerReadsBack(n);
  EXPECT_EQ(n.media[0].direction, SdpDirection::kSendOnly);
  EXPECT_EQ(n.media[1].direction, SdpDirection::kSendOnly);
  const MediaDescription& audio = n.local.media[0];
  EXPECT_EQ(audio.msid, "live mic");
  ASSERT_EQ(audio.ssrcs.size(), 1u);
  EXPECT_EQ(audio.ssrcs[0].ssrc, 6000u);
  EXPECT_TRUE(audio.ssrc_groups.empty());
  const MediaDescription& video = n.local.media[1];
  EXPECT_EQ(video.msid, "live cam");
  EXPECT_EQ(video.ssrc_groups, (std::vector<SdpSsrcGroup>{{"FID", {5000, 5001}}}));
  EXPECT_EQ(video.ssrcs.size(), 2u);
  EXPECT_NE(n.local_sdp.find("a=ssrc:5000 cname:tributary\r\n"), std::string::npos);
}

TEST(SdpAnswerer, AnswersChromeOffer_WithTheOfferersPayloadTypesAndExtensionIds) {
  SdpNegotiation n = Answer(testdata::kChromeWhipOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  const SdpNegotiatedMedia& audio = n.media[0];
  EXPECT_EQ(PayloadTypes(audio), (std::vector<uint8_t>{111}));
  EXPECT_EQ(audio.codecs[0].fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(audio.codecs[0].feedback, (std::vector<SdpRtcpFeedback>{{"transport-cc", ""}}));
  EXPECT_TRUE(audio.rtcp_rsize);
  ASSERT_EQ(audio.extensions.size(), 4u);
  EXPECT_EQ(audio.extensions[0],
            (SdpNegotiatedExtension{1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"}));

  const SdpNegotiatedMedia& video = n.media[1];
  // VP8, VP9 profile 0 and 2, H.264 CB / Baseline / Main / High with packetization-mode 1
  // (not the mode-0 variants 104, 108, 39), AV1; never red (116) or ulpfec (118).
  EXPECT_EQ(PayloadTypes(video), (std::vector<uint8_t>{96, 98, 100, 106, 102, 127, 112, 45}));
  EXPECT_EQ(video.codecs[0].rtx_payload_type, 97);
  EXPECT_EQ(video.codecs[3].rtx_payload_type, 107);
  EXPECT_EQ(video.codecs[5].rtx_payload_type, 125);
  EXPECT_EQ(video.codecs[7].rtx_payload_type, 46);
  EXPECT_EQ(
      video.codecs[0].feedback,
      (std::vector<SdpRtcpFeedback>{
          {"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}}));
  std::vector<uint16_t> ids;
  for (const SdpNegotiatedExtension& e : video.extensions)
    ids.push_back(e.id);
  // toffset, abs-send-time, video-orientation, twcc, playout-delay, mid, rid, repaired-rid; not
  // video-content-type (6), video-timing (7), color-space (8).
  EXPECT_EQ(ids, (std::vector<uint16_t>{14, 2, 13, 3, 5, 4, 10, 11}));
  EXPECT_EQ(video.remote_ssrcs.size(), 1u);
  EXPECT_EQ(video.remote_ssrcs[0].rtx_ssrc, 2793853396u);
  EXPECT_EQ(n.remote.candidates.size(), 3u);
  EXPECT_EQ(n.remote.ice_options, (std::vector<std::string>{"trickle"}));
  EXPECT_EQ(n.local.media[1].extmap_allow_mixed, true);
}

TEST(SdpAnswerer, FiltersCodecsByAllowedList) {
  SdpAnswerOptions options = Options(SdpDirection::kRecvOnly);
  options.allowed_codecs = {"OPUS", "h264"};
  SdpNegotiation n = Answer(testdata::kChromeWhipOffer, options);
  EXPECT_EQ(PayloadTypes(n.media[1]), (std::vector<uint8_t>{106, 102, 127, 112}));
  for (const SdpNegotiatedCodec& c : n.media[1].codecs)
    EXPECT_EQ(c.name, "H264");
  EXPECT_EQ(n.local.media[1].formats,
            (std::vector<std::string>{"106", "107", "102", "103", "127", "125", "112", "113"}));
}

TEST(SdpAnswerer, RejectsOneSection_AndKeepsTheOther) {
  SdpAnswerOptions options = Options(SdpDirection::kRecvOnly);
  options.allowed_codecs = {"opus"};
  SdpNegotiation n = Answer(testdata::kChromeWhipOffer, options);
  ExpectAnswerReadsBack(n);
  EXPECT_TRUE(n.media[0].accepted);
  EXPECT_FALSE(n.media[1].accepted);
  EXPECT_EQ(n.media[1].rejection,
            "no offered video codec is allowed: offered VP8, H264, AV1, VP9, allowed none");
  EXPECT_EQ(n.local.media[1].port, 0);
  EXPECT_EQ(n.local.media[1].mid, "1");
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"0"}));
  EXPECT_EQ(n.local.BundleGroup()->mids, (std::vector<std::string>{"0"}));
}

TEST(SdpAnswerer, LimitsCodecsPerSection) {
  SdpAnswerOptions options = Options(SdpDirection::kRecvOnly);
  options.max_codecs_per_section = 1;
  SdpNegotiation n = Answer(testdata::kChromeWhipOffer, options);
  EXPECT_EQ(PayloadTypes(n.media[1]), (std::vector<uint8_t>{96}));
  EXPECT_EQ(n.local.media[1].formats, (std::vector<std::string>{"96", "97"}));
}

TEST(SdpAnswerer, ReceivesSimulcastLayers) {
  SdpNegotiation n = Answer(testdata::kChromeSimulcastOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  const SdpNegotiatedMedia& video = n.media[0];
  ASSERT_EQ(video.remote_rids.size(), 3u);
  EXPECT_EQ(video.remote_rids[2].id, "f");
  ASSERT_TRUE(video.remote_simulcast.has_value());
  EXPECT_EQ(video.remote_simulcast->send.size(), 3u);
  EXPECT_TRUE(video.remote_ssrcs.empty());
  const MediaDescription& answer = n.local.media[0];
  ASSERT_EQ(answer.rids.size(), 3u);
  EXPECT_EQ(answer.rids[0], (SdpRid{"q", SdpDirection::kRecvOnly, {}, {}}));
  ASSERT_TRUE(answer.simulcast.has_value());
  EXPECT_TRUE(answer.simulcast->send.empty());
  EXPECT_EQ(answer.simulcast->recv.size(), 3u);
  EXPECT_NE(n.local_sdp.find("a=simulcast:recv q;h;f\r\n"), std::string::npos);
  EXPECT_NE(n.local_sdp.find("a=rid:h recv\r\n"), std::string::npos);
  EXPECT_EQ(video.extensions.back().uri, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
}

TEST(SdpAnswerer, AnswersObsOffer_WithSessionLevelTransport) {
  SdpNegotiation n = Answer(testdata::kObsWhipOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  EXPECT_EQ(PayloadTypes(n.media[0]), (std::vector<uint8_t>{111}));
  ASSERT_EQ(n.media[1].codecs.size(), 1u);
  EXPECT_EQ(n.media[1].codecs[0].name, "H264");
  EXPECT_EQ(n.media[1].codecs[0].rtx_payload_type, std::nullopt);
  EXPECT_EQ(n.remote.ice_ufrag, "Qb3K");
  EXPECT_EQ(n.remote.ice_options, (std::vector<std::string>{"ice2", "trickle"}));
  EXPECT_EQ(n.remote.candidates.size(), 2u);
  EXPECT_EQ(n.media[1].remote_ssrcs[0].msid_track, "obs-video");
}

TEST(SdpAnswerer, AcceptsBundleOnlySection_AndCapitalisedCodecNames) {
  SdpNegotiation n = Answer(testdata::kGstreamerWhipOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"video0", "audio1"}));
  EXPECT_TRUE(n.media[1].accepted);
  EXPECT_EQ(n.media[1].codecs[0].name, "OPUS");
  EXPECT_EQ(n.media[0].codecs[0].fmtp,
            "packetization-mode=1;profile-level-id=42c01f;level-asymmetry-allowed=1");
  EXPECT_EQ(n.remote.ice_ufrag, "I2Ev9pOmoJW0OOrjOcDp/wqAk7k0GbxR");
  EXPECT_EQ(n.local.media[1].port, 9);
}

TEST(SdpAnswerer, AnswersDataChannel_InTheOlderSctpmapForm) {
  SdpNegotiation n = Answer(testdata::kAiortcSendRecvDataOffer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  ASSERT_EQ(n.media.size(), 3u);
  EXPECT_EQ(n.media[0].direction, SdpDirection::kRecvOnly);  // offer sendrecv, WHIP receives
  const SdpNegotiatedMedia& data = n.media[2];
  EXPECT_TRUE(data.accepted);
  EXPECT_EQ(data.kind, MediaKind::kApplication);
  EXPECT_EQ(data.remote_sctp_port, 5000);
  EXPECT_EQ(data.remote_max_message_size, 65536u);
  EXPECT_EQ(data.local_sctp_port, 5000);
  const MediaDescription& answer = n.local.media[2];
  EXPECT_EQ(answer.proto, "DTLS/SCTP");
  EXPECT_EQ(answer.formats, (std::vector<std::string>{"5000"}));
  EXPECT_EQ(answer.sctpmap, (SdpSctpMap{5000, "webrtc-datachannel", 65535}));
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"0", "1", "2"}));

  SdpAnswerOptions no_data = Options(SdpDirection::kRecvOnly);
  no_data.accept_data_channels = false;
  SdpNegotiation without = Answer(testdata::kAiortcSendRecvDataOffer, no_data);
  EXPECT_FALSE(without.media[2].accepted);
  EXPECT_EQ(without.media[2].rejection, "data channels are not accepted here");
}

TEST(SdpAnswerer, TakesTheOtherDtlsRole_WhenTheOfferPicksOne) {
  std::string offer(testdata::kAiortcWhipOffer);
  for (size_t at = offer.find("a=setup:actpass"); at != std::string::npos;
       at = offer.find("a=setup:actpass")) {
    offer.replace(at, 15, "a=setup:passive");
  }
  SdpNegotiation n = Answer(offer, Options(SdpDirection::kRecvOnly));
  EXPECT_EQ(n.local_setup, SdpSetup::kActive);
  EXPECT_EQ(n.local.media[0].setup, SdpSetup::kActive);
  EXPECT_EQ(n.remote.setup, SdpSetup::kPassive);

  SdpAnswerOptions active = Options(SdpDirection::kRecvOnly);
  active.setup = SdpSetup::kActive;
  EXPECT_EQ(Answer(testdata::kAiortcWhipOffer, active).local_setup, SdpSetup::kActive);
}

TEST(SdpAnswerer, DropsTwoByteExtensionIds_UnlessTheOfferAllowsMixed) {
  std::string offer(testdata::kAiortcWhipOffer);
  offer.replace(offer.find("a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level"), 10,
                "a=extmap:20");
  SdpNegotiation n = Answer(offer, Options(SdpDirection::kRecvOnly));
  EXPECT_EQ(n.media[0].extensions.size(), 1u);
  offer.insert(offer.find("m=audio"), "a=extmap-allow-mixed\r\n");
  SdpNegotiation mixed = Answer(offer, Options(SdpDirection::kRecvOnly));
  ASSERT_EQ(mixed.media[0].extensions.size(), 2u);
  EXPECT_EQ(mixed.media[0].extensions[1].id, 20);
}

TEST(SdpAnswerer, AcceptsOnlyOneSection_WhenTheOfferHasNoBundle) {
  std::string offer(testdata::kAiortcWhipOffer);
  offer.erase(offer.find("a=group:BUNDLE 0 1\n"), 19);
  SdpNegotiation n = Answer(offer, Options(SdpDirection::kRecvOnly));
  ExpectAnswerReadsBack(n);
  EXPECT_TRUE(n.media[0].accepted);
  EXPECT_FALSE(n.media[1].accepted);
  EXPECT_EQ(n.media[1].rejection,
            "not BUNDLE-able: the offer has no a=group:BUNDLE, so only one section can share "
            "this endpoint's transport");
  EXPECT_EQ(n.bundle_mids, (std::vector<std::string>{"0"}));
  EXPECT_TRUE(n.local.groups.empty());
}

TEST(SdpAnswerer, AnswersSendrecvOffer_ForBothDirections) {
  SdpAnswerOptions options = Options(SdpDirection::kSendRecv);
  SdpNegotiation n = Answer(testdata::kAiortcSendRecvDataOffer, options);
  EXPECT_EQ(n.media[0].direction, SdpDirection::kSendRecv);
  options.direction = SdpDirection::kSendOnly;
  EXPECT_EQ(Answer(testdata::kAiortcSendRecvDataOffer, options).media[1].direction,
            SdpDirection::kSendOnly);
}

}  // namespace
}  // namespace tributary::rtc
