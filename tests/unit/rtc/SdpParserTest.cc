#include "rtc/SdpParser.h"

#include <gtest/gtest.h>

#include "SdpTestData.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {
namespace {

SessionDescription MustParse(std::string_view text) {
  std::string error;
  auto d = SdpParser::Parse(text, error);
  EXPECT_TRUE(d.has_value()) << error;
  return d ? *d : SessionDescription{};
}

void ExpectRoundTrip(const SessionDescription& d) {
  std::string written = SdpWriter::Write(d);
  std::string error;
  auto again = SdpParser::Parse(written, error);
  ASSERT_TRUE(again.has_value()) << error << "\n" << written;
  EXPECT_EQ(*again, d) << written;
  EXPECT_EQ(SdpWriter::Write(*again), written);
}

TEST(SdpParser, ParsesAiortcWhipOffer_WhenGeneratedByAiortc14) {
  SessionDescription d = MustParse(testdata::kAiortcWhipOffer);
  EXPECT_EQ(d.origin.session_id, "4005016107");
  ASSERT_NE(d.BundleGroup(), nullptr);
  EXPECT_EQ(d.BundleGroup()->mids, (std::vector<std::string>{"0", "1"}));
  ASSERT_TRUE(d.msid_semantic.has_value());
  EXPECT_EQ(d.msid_semantic->semantic, "WMS");
  ASSERT_EQ(d.media.size(), 2u);

  const MediaDescription& audio = d.media[0];
  EXPECT_EQ(audio.Kind(), MediaKind::kAudio);
  EXPECT_EQ(audio.port, 52666);
  EXPECT_EQ(audio.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"96", "0", "8"}));
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.direction, SdpDirection::kSendOnly);
  EXPECT_TRUE(audio.rtcp_mux);
  EXPECT_EQ(audio.ice_ufrag, "gUJI");
  EXPECT_EQ(audio.ice_pwd, "jEeG6YL5zTZmwUfUsjOhGo");
  ASSERT_EQ(audio.fingerprints.size(), 1u);
  EXPECT_EQ(audio.fingerprints[0].algorithm, "sha-256");
  EXPECT_EQ(audio.fingerprints[0].value.size(), 32u * 3 - 1);
  EXPECT_EQ(audio.setup, SdpSetup::kActPass);
  ASSERT_EQ(audio.codecs.size(), 3u);
  EXPECT_EQ(audio.codecs[0], (SdpCodec{96, "opus", 48000, 2, "", {}}));
  EXPECT_EQ(audio.codecs[1].name, "PCMU");
  ASSERT_EQ(audio.extmaps.size(), 2u);
  EXPECT_EQ(audio.extmaps[1].id, 2);
  EXPECT_EQ(audio.extmaps[1].uri, "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  ASSERT_EQ(audio.candidates.size(), 2u);
  EXPECT_EQ(audio.candidates[1].address, "fd00::2");
  EXPECT_TRUE(audio.end_of_candidates);
  ASSERT_EQ(audio.ssrcs.size(), 1u);
  EXPECT_EQ(audio.ssrcs[0].ssrc, 4044293397u);
  EXPECT_EQ(audio.ssrcs[0].cname, "fc5c54e8-5c46-4126-ba69-640b72b4af8a");
  EXPECT_EQ(audio.MsidStream(), "e5d555e6-eaa9-455d-9198-954687af0b98");
  EXPECT_EQ(audio.MsidTrack(), "e20d5d2f-9ec8-4156-9ab1-ec9985b5c534");
  // a=rtcp is not modelled: kept as written.
  EXPECT_EQ(audio.attributes, (std::vector<std::string>{"rtcp:9 IN IP4 0.0.0.0"}));

  const MediaDescription& video = d.media[1];
  EXPECT_EQ(video.ice_ufrag, "0KWe");  // aiortc: other credentials in the same BUNDLE group
  EXPECT_EQ(video.extmaps[1].id, 2);   // same id as audio, another URI
  EXPECT_EQ(video.extmaps[1].uri, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
  ASSERT_EQ(video.codecs.size(), 6u);
  EXPECT_EQ(video.codecs[1].name, "rtx");
  EXPECT_EQ(video.codecs[1].fmtp, "apt=97");
  EXPECT_EQ(video.codecs[0].feedback,
            (std::vector<SdpRtcpFeedback>{{"nack", ""}, {"nack", "pli"}, {"goog-remb", ""}}));
  EXPECT_EQ(FmtpParameter(video.codecs[4].fmtp, "profile-level-id"), "42e01f");
  ASSERT_EQ(video.ssrc_groups.size(), 1u);
  EXPECT_EQ(video.ssrc_groups[0], (SdpSsrcGroup{"FID", {1052744438, 3346580309}}));
  ExpectRoundTrip(d);
}

TEST(SdpParser, ParsesChromeOffer_WithCandidatesOfEveryKind) {
  SessionDescription d = MustParse(testdata::WithCrlf(testdata::kChromeWhipOffer));
  EXPECT_TRUE(d.extmap_allow_mixed);
  EXPECT_TRUE(d.media[0].extmap_allow_mixed);  // inherited
  ASSERT_TRUE(d.msid_semantic.has_value());    // "a=msid-semantic: WMS <id>", with the space
  EXPECT_EQ(d.msid_semantic->semantic, "WMS");
  EXPECT_EQ(d.msid_semantic->ids.size(), 1u);
  const MediaDescription& audio = d.media[0];
  EXPECT_EQ(audio.ice_options, (std::vector<std::string>{"trickle"}));
  EXPECT_TRUE(audio.rtcp_rsize);
  ASSERT_EQ(audio.candidates.size(), 3u);
  const SdpCandidate& host = audio.candidates[0];
  EXPECT_EQ(host.foundation, "1467250027");
  EXPECT_EQ(host.component, 1);
  EXPECT_EQ(host.transport, "udp");
  EXPECT_EQ(host.priority, 2122260223u);
  EXPECT_EQ(host.address, "3b6f5a2e-1d2c-4f5e-8a9b-0c1d2e3f4a5b.local");
  EXPECT_EQ(host.port, 54402);
  EXPECT_EQ(host.type, "host");
  EXPECT_EQ(host.generation, 0u);
  EXPECT_EQ(host.network_id, 1u);
  EXPECT_EQ(host.network_cost, 10u);
  const SdpCandidate& srflx = audio.candidates[1];
  EXPECT_EQ(srflx.type, "srflx");
  EXPECT_EQ(srflx.related_address, "0.0.0.0");
  EXPECT_EQ(srflx.related_port, 0);
  const SdpCandidate& tcp = audio.candidates[2];
  EXPECT_EQ(tcp.transport, "tcp");
  EXPECT_EQ(tcp.tcp_type, "active");
  EXPECT_EQ(tcp.port, 9);
  EXPECT_FALSE(audio.end_of_candidates);
  const MediaDescription& video = d.media[1];
  EXPECT_EQ(video.codecs.size(), 25u);
  EXPECT_TRUE(video.candidates.empty());
  EXPECT_EQ(video.extmaps.size(), 11u);
  ASSERT_NE(video.FindSsrc(2793853396u), nullptr);
  EXPECT_EQ(video.FindSsrc(2793853396u)->msid,
            "5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b");
  ExpectRoundTrip(d);
}

TEST(SdpParser, CopiesSessionLevelTransportIntoSections_WhenObsStyleOffer) {
  SessionDescription d = MustParse(testdata::kObsWhipOffer);
  EXPECT_EQ(d.ice_ufrag, "Qb3K");
  EXPECT_EQ(d.groups.size(), 2u);
  EXPECT_EQ(d.groups[1].semantics, "LS");
  for (const MediaDescription& m : d.media) {
    EXPECT_EQ(m.ice_ufrag, "Qb3K");
    EXPECT_EQ(m.ice_pwd, "zH2nQ8s0f3Tf7E6ZuRNrS1");
    EXPECT_EQ(m.ice_options, (std::vector<std::string>{"ice2", "trickle"}));
    ASSERT_EQ(m.fingerprints.size(), 1u);
    EXPECT_EQ(m.setup, SdpSetup::kActPass);
    EXPECT_EQ(m.direction, SdpDirection::kSendOnly);
  }
  EXPECT_EQ(d.media[0].candidates[0].transport, "udp");  // "UDP" on the wire
  EXPECT_EQ(d.media[0].connection->address, "192.0.2.20");
  ExpectRoundTrip(d);
}

TEST(SdpParser, ParsesBundleOnlySection_WhenGstreamerStyleOffer) {
  SessionDescription d = MustParse(testdata::kGstreamerWhipOffer);
  ASSERT_EQ(d.media.size(), 2u);
  EXPECT_EQ(d.media[0].mid, "video0");
  EXPECT_EQ(d.media[1].mid, "audio1");
  EXPECT_EQ(d.media[1].port, 0);
  EXPECT_TRUE(d.media[1].bundle_only);
  EXPECT_EQ(d.media[1].codecs[0].name, "OPUS");
  EXPECT_EQ(d.media[0].attributes, (std::vector<std::string>{"framerate:30"}));
  EXPECT_EQ(d.media[0].ice_options, (std::vector<std::string>{"trickle"}));
  ExpectRoundTrip(d);
}

TEST(SdpParser, ParsesRidsAndSimulcast) {
  SessionDescription d = MustParse(testdata::kChromeSimulcastOffer);
  const MediaDescription& video = d.media[0];
  ASSERT_EQ(video.rids.size(), 3u);
  EXPECT_EQ(video.rids[0].id, "q");
  EXPECT_EQ(video.rids[0].direction, SdpDirection::kSendOnly);
  EXPECT_EQ(video.rids[2].restrictions, "max-width=1280;max-height=720");
  ASSERT_TRUE(video.simulcast.has_value());
  ASSERT_EQ(video.simulcast->send.size(), 3u);
  EXPECT_EQ(video.simulcast->send[1][0].rid, "h");
  EXPECT_TRUE(video.simulcast->recv.empty());
  ExpectRoundTrip(d);

  std::string error;
  std::string paused(testdata::kChromeSimulcastOffer);
  paused.replace(paused.find("a=simulcast:send q;h;f"), 22, "a=simulcast:send q,~h;f recv x");
  auto p = SdpParser::Parse(paused, error);
  ASSERT_TRUE(p.has_value()) << error;
  ASSERT_EQ(p->media[0].simulcast->send.size(), 2u);
  EXPECT_EQ(p->media[0].simulcast->send[0][1].rid, "h");
  EXPECT_TRUE(p->media[0].simulcast->send[0][1].paused);
  EXPECT_EQ(p->media[0].simulcast->recv.size(), 1u);
  ExpectRoundTrip(*p);
}

TEST(SdpParser, ParsesDataSections_InBothForms) {
  SessionDescription d = MustParse(testdata::kAiortcSendRecvDataOffer);
  const MediaDescription& data = d.media[2];
  EXPECT_EQ(data.Kind(), MediaKind::kApplication);
  EXPECT_TRUE(data.IsSctp());
  EXPECT_FALSE(data.IsRtp());
  EXPECT_EQ(data.proto, "DTLS/SCTP");
  ASSERT_TRUE(data.sctpmap.has_value());
  EXPECT_EQ(*data.sctpmap, (SdpSctpMap{5000, "webrtc-datachannel", 65535}));
  EXPECT_EQ(data.max_message_size, 65536u);
  ExpectRoundTrip(d);

  std::string modern(testdata::kAiortcSendRecvDataOffer);
  modern.replace(modern.find("DTLS/SCTP 5000"), 14, "UDP/DTLS/SCTP webrtc-datachannel");
  modern.replace(modern.find("a=sctpmap:5000 webrtc-datachannel 65535"), 39, "a=sctp-port:5000");
  SessionDescription m = MustParse(modern);
  EXPECT_EQ(m.media[2].formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_EQ(m.media[2].sctp_port, 5000);
  ExpectRoundTrip(m);
}

TEST(SdpParser, GivesTheSameResult_ForCrlfAndLfLineEndings) {
  for (std::string_view offer :
       {testdata::kAiortcWhipOffer, testdata::kAiortcWhepOffer, testdata::kChromeWhipOffer,
        testdata::kObsWhipOffer, testdata::kGstreamerWhipOffer}) {
    EXPECT_EQ(MustParse(offer), MustParse(testdata::WithCrlf(offer)));
  }
}

TEST(SdpParser, WritesCrlfAndKeepsUnknownAttributes) {
  std::string offer(testdata::kChromeWhipOffer);
  offer += "a=x-google-flag:conference\na=framerate:30\n";
  SessionDescription d = MustParse(offer);
  std::string written = SdpWriter::Write(d);
  EXPECT_NE(written.find("\r\na=x-google-flag:conference\r\na=framerate:30\r\n"),
            std::string::npos);
  EXPECT_EQ(written.find("\n\n"), std::string::npos);
  for (size_t i = written.find('\n'); i != std::string::npos; i = written.find('\n', i + 1)) {
    ASSERT_EQ(written[i - 1], '\r');
  }
}

TEST(SdpParser, InheritsSessionDirectionAndExtmaps) {
  const std::string offer =
      "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\na=recvonly\n"
      "a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:mid\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:a\na=rtpmap:111 opus/48000/2\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:v\na=sendrecv\na=extmap:5 urn:x\n"
      "a=rtpmap:96 VP8/90000\n";
  SessionDescription d = MustParse(offer);
  EXPECT_EQ(d.media[0].direction, SdpDirection::kRecvOnly);
  EXPECT_EQ(d.media[1].direction, SdpDirection::kSendRecv);
  ASSERT_EQ(d.media[0].extmaps.size(), 1u);
  ASSERT_EQ(d.media[1].extmaps.size(), 1u);
  EXPECT_EQ(d.media[1].extmaps[0].uri, "urn:x");  // the section's own id 5 wins
  ExpectRoundTrip(d);
}

TEST(SdpParser, NormalisesFingerprintCase) {
  std::string offer(testdata::kAiortcWhipOffer);
  size_t at = offer.find("sha-256 01:D1");
  offer.replace(at, 13, "SHA-256 01:d1");
  SessionDescription d = MustParse(offer);
  EXPECT_EQ(d.media[0].fingerprints[0].algorithm, "sha-256");
  EXPECT_EQ(d.media[0].fingerprints[0].value.substr(0, 5), "01:D1");
}

TEST(SdpParser, AcceptsOfferAtTheLimits_AndRejectsOneMore) {
  SdpLimits limits;
  limits.max_media_sections = 2;
  std::string error;
  EXPECT_TRUE(SdpParser::Parse(testdata::kAiortcWhipOffer, error, limits).has_value()) << error;
  EXPECT_FALSE(SdpParser::Parse(testdata::kAiortcSendRecvDataOffer, error, limits).has_value());
  EXPECT_EQ(error, "line 66: too many m= sections: the limit is 2");
}

TEST(SdpParser, ParsesTruncatedCopies_WithoutCrashing) {
  // Every prefix of a real offer either parses or says why not, with a line number.
  std::string offer = testdata::WithCrlf(testdata::kChromeWhipOffer);
  for (size_t n = 0; n < offer.size(); n += 7) {
    std::string error;
    auto d = SdpParser::Parse(std::string_view(offer).substr(0, n), error);
    if (!d) {
      EXPECT_FALSE(error.empty());
    }
  }
}

}  // namespace
}  // namespace tributary::rtc
