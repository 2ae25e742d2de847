#include "rtc/SdpFragment.h"

#include <gtest/gtest.h>

#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {
namespace {

// The trickle PATCH body of RFC 9725 (WHIP) section 4.3.1, as the RFC shows it.
const char kWhipTrickle[] =
    "a=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "a=mid:0\r\n"
    "a=ice-ufrag:EsAw\r\n"
    "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR\r\n"
    "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw "
    "network-id 1\r\n"
    "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag "
    "EsAw network-id 2\r\n"
    "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 "
    "ufrag EsAw network-id 1\r\n"
    "a=candidate:2154773085 1 tcp 1518214911 198.51.100.2 9 typ host tcptype active generation "
    "0 ufrag EsAw network-id 2\r\n"
    "a=end-of-candidates\r\n";

// An ICE restart request: new credentials at session level (RFC 9725 section 4.4.1).
const char kWhipRestart[] =
    "a=ice-options:trickle ice2\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "a=mid:0\r\n"
    "a=ice-ufrag:ysXw\r\n"
    "a=ice-pwd:vw5LmwG4y/e6dPP/zAP9Gp5k\r\n"
    "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag ysXw "
    "network-id 1\r\n";

TEST(SdpFragment, ParsesWhipTrickleBody) {
  std::string error;
  auto f = SdpParser::ParseFragment(kWhipTrickle, error);
  ASSERT_TRUE(f.has_value()) << error;
  ASSERT_EQ(f->groups.size(), 1u);
  EXPECT_EQ(f->groups[0].mids, (std::vector<std::string>{"0", "1"}));
  ASSERT_EQ(f->media.size(), 1u);
  const MediaDescription& m = f->media[0];
  EXPECT_EQ(m.mid, "0");
  EXPECT_EQ(f->UfragFor(m), "EsAw");
  EXPECT_EQ(f->PwdFor(m), "bP+XJMM09aR8AiX1jdukzR");
  ASSERT_EQ(m.candidates.size(), 4u);
  EXPECT_EQ(m.candidates[0].ufrag, "EsAw");
  EXPECT_EQ(m.candidates[2].tcp_type, "active");
  EXPECT_TRUE(m.end_of_candidates);
  EXPECT_FALSE(f->RestartsIce("EsAw"));
  // Written back: the same bytes.
  EXPECT_EQ(SdpWriter::WriteFragment(*f), kWhipTrickle);
}

TEST(SdpFragment, RecognisesIceRestart) {
  std::string error;
  auto f = SdpParser::ParseFragment(kWhipRestart, error);
  ASSERT_TRUE(f.has_value()) << error;
  EXPECT_EQ(f->ice_options, (std::vector<std::string>{"trickle", "ice2"}));
  EXPECT_TRUE(f->RestartsIce("EsAw"));
  EXPECT_FALSE(f->RestartsIce("ysXw"));
  auto again = SdpParser::ParseFragment(SdpWriter::WriteFragment(*f), error);
  ASSERT_TRUE(again.has_value()) << error;
  EXPECT_EQ(*again, *f);
}

TEST(SdpFragment, BuildsTrickleBody_ForOneTransport) {
  MediaDescription section;
  section.media = "video";
  section.AddCodec(SdpCodec{96, "VP8", 90000, 0, "", {}});
  section.AddCodec(SdpCodec{97, "rtx", 90000, 0, "apt=96", {}});
  section.mid = "v";
  std::string error;
  auto candidate =
      SdpCandidate::Parse("1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0", error);
  ASSERT_TRUE(candidate.has_value()) << error;
  SdpFragment f =
      SdpFragment::ForSection(section, "abcd", "abcdefghijklmnopqrstuvwx", {*candidate}, true);
  EXPECT_EQ(SdpWriter::WriteFragment(f),
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
            "a=mid:v\r\n"
            "a=ice-ufrag:abcd\r\n"
            "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
            "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0\r\n"
            "a=end-of-candidates\r\n");
  auto parsed = SdpParser::ParseFragment(SdpWriter::WriteFragment(f), error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(*parsed, f);
}

TEST(SdpFragment, RejectsBadFragments_WithLineNumbers) {
  std::string error;
  EXPECT_FALSE(SdpParser::ParseFragment("", error).has_value());
  EXPECT_EQ(error, "empty SDP fragment");
  EXPECT_FALSE(SdpParser::ParseFragment("a=x-unknown:1\r\n", error).has_value());
  EXPECT_EQ(error, "the SDP fragment carries nothing: no ICE credentials, candidates or m= line");
  std::string bad = kWhipTrickle;
  bad.replace(bad.find("typ host generation 0 ufrag EsAw network-id 2"), 8, "typ");
  EXPECT_FALSE(SdpParser::ParseFragment(bad, error).has_value());
  EXPECT_EQ(error, "line 7: a=candidate: extension '2' has no value");
}

}  // namespace
}  // namespace tributary::rtc
