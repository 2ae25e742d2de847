// Malformed and unacceptable offers: each must be refused with a reason a person can act on
// (which line, what is wrong). The offers go through what a WHIP POST does: SdpParser::Parse,
// then SdpAnswerer::Answer.

#include <gtest/gtest.h>

#include <string>

#include "SdpTestData.h"
#include "rtc/SdpAnswerer.h"
#include "rtc/SdpParser.h"

namespace tributary::rtc {
namespace {

// Line numbers matter in the expected messages below.
const std::string kFingerprint =
    "4A:15:11:06:C1:6D:79:F9:BB:60:CD:4B:47:D6:EC:FE:34:C5:D9:36:03:E7:AB:D6:02:10:8E:73:1E:FF:"
    "E1:56";
const std::string kValidOffer =
    "v=0\r\n"                                 // 1
    "o=- 1 2 IN IP4 127.0.0.1\r\n"            // 2
    "s=-\r\n"                                 // 3
    "t=0 0\r\n"                               // 4
    "a=group:BUNDLE 0\r\n"                    // 5
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"   // 6
    "c=IN IP4 0.0.0.0\r\n"                    // 7
    "a=mid:0\r\n"                             // 8
    "a=ice-ufrag:abcd\r\n"                    // 9
    "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"  // 10
    "a=fingerprint:sha-256 " +
    kFingerprint +
    "\r\n"                                                          // 11
    "a=setup:actpass\r\n"                                           // 12
    "a=sendonly\r\n"                                                // 13
    "a=rtcp-mux\r\n"                                                // 14
    "a=rtpmap:96 VP8/90000\r\n"                                     // 15
    "a=rtpmap:97 rtx/90000\r\n"                                     // 16
    "a=fmtp:97 apt=96\r\n"                                          // 17
    "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n";  // 18

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

SdpAnswerOptions WhipOptions() {
  SdpAnswerOptions o;
  o.direction = SdpDirection::kRecvOnly;
  o.session_id = "1";
  o.transport.ice_ufrag = "srvr";
  o.transport.ice_pwd = "serverpasswordserverpassword";
  o.transport.fingerprint = {"sha-256", kFingerprint};
  return o;
}

// The reason the offer is refused, or "" when it is answered.
std::string Refusal(std::string_view offer, const SdpAnswerOptions& options = WhipOptions()) {
  std::string error;
  auto parsed = SdpParser::Parse(offer, error);
  if (!parsed) return error;
  auto answer = SdpAnswerer::Answer(*parsed, options, error);
  if (!answer) return error;
  return {};
}

TEST(SdpRejection, AcceptsTheValidBaseOffer) {
  EXPECT_EQ(Refusal(kValidOffer), "");
}

TEST(SdpRejection, MissingIceUfrag) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=ice-ufrag:abcd\r\n", "")),
            "the offer's mid 0 (m=video, line 6) has no a=ice-ufrag, neither in the section nor "
            "at session level");
}

TEST(SdpRejection, MissingIcePwd) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n", "")),
            "the offer's mid 0 (m=video, line 6) has no a=ice-pwd, neither in the section nor at "
            "session level");
}

TEST(SdpRejection, MissingFingerprint) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=fingerprint:sha-256 " + kFingerprint + "\r\n", "")),
            "the offer's mid 0 (m=video, line 6) has no a=fingerprint (DTLS-SRTP needs the "
            "certificate fingerprint), neither in the section nor at session level");
}

TEST(SdpRejection, NoMediaLine) {
  EXPECT_EQ(Refusal("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"),
            "the offer has no m= section: it describes no media");
}

TEST(SdpRejection, BadMediaLine) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "m=video 9")),
            "line 6: m=: expected '<media> <port> <proto> <format>...', got 'video 9'");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "m=video 9 ", "m=video nine ")),
            "line 6: m=video: port 'nine' is not a number in 0..65535");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "SAVPF 96 97", "SAVPF 96 97 96")),
            "line 6: m=video: payload type 96 is listed twice");
}

TEST(SdpRejection, PayloadTypeOutOfRange) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtpmap:96 VP8", "a=rtpmap:300 VP8")),
            "line 15: a=rtpmap: payload type 300 out of range 0..127");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "SAVPF 96 97", "SAVPF 96 97 128")),
            "line 6: m=video: payload type 128 out of range 0..127");
}

TEST(SdpRejection, RtpmapForUnlistedPayloadType) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtpmap:97 rtx", "a=rtpmap:98 rtx")),
            "line 16: a=rtpmap: payload type 98 is not listed on the m= line (line 6)");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=fmtp:97 apt=96", "a=fmtp:99 apt=96")),
            "line 17: a=fmtp: payload type 99 is not listed on the m= line (line 6)");
}

TEST(SdpRejection, MalformedRtpmap) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8")),
            "line 15: a=rtpmap: expected '96 <name>/<clock rate>[/<channels>]', got '96 VP8'");
}

TEST(SdpRejection, TooManyMediaSections) {
  std::string offer = kValidOffer;
  for (int i = 1; i <= 16; ++i) {
    offer += "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=mid:a" + std::to_string(i) + "\r\n";
  }
  // 18 lines, then two per extra section: the 17th m= line is line 18 + 15 * 2 + 1.
  EXPECT_EQ(Refusal(offer), "line 49: too many m= sections: the limit is 16");
}

TEST(SdpRejection, LineTooLong) {
  std::string offer = kValidOffer + "a=x-padding:" + std::string(5000, 'x') + "\r\n";
  EXPECT_EQ(Refusal(offer), "line 19: 5012 characters long, more than the limit of 4096");
}

TEST(SdpRejection, TooLarge) {
  std::string offer = kValidOffer;
  while (offer.size() <= 64 * 1024)
    offer += "a=x-padding:" + std::string(1000, 'x') + "\r\n";
  EXPECT_EQ(Refusal(offer),
            "the SDP is " + std::to_string(offer.size()) + " bytes, more than the limit of 65536");
}

TEST(SdpRejection, TooManyCandidates) {
  std::string offer = kValidOffer;
  for (int i = 2; i <= 33; ++i) {
    offer += "a=candidate:" + std::to_string(i) + " 1 udp 2130706431 127.0.0.1 " +
             std::to_string(50000 + i) + " typ host\r\n";
  }
  EXPECT_EQ(Refusal(offer),
            "line 50: a=candidate: too many candidates in this m= section: the limit is 32");
}

TEST(SdpRejection, BadCandidate) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "udp 2130706431", "udp high")),
            "line 18: a=candidate: priority 'high' is not a number in 0..4294967295");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "50000 typ host", "50000 host")),
            "line 18: a=candidate: expected '<foundation> <component> <transport> <priority> "
            "<address> <port> typ <type>', got 7 fields");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "typ host", "typ host raddr")),
            "line 18: a=candidate: extension 'raddr' has no value");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "1 udp 2130706431 127.0.0.1 50000 typ host",
                            "1 tcp 2130706431 127.0.0.1 9 typ host")),
            "line 18: a=candidate: TCP candidate without tcptype (active, passive or so)");
}

TEST(SdpRejection, BinaryGarbage) {
  std::string offer = kValidOffer;
  offer.insert(offer.find("a=setup"), std::string("a=\0\x01\x02\xff\r\n", 8));
  EXPECT_EQ(Refusal(offer),
            "line 12: column 3: byte 0x00 is a control character: SDP is text (binary data?)");
  EXPECT_EQ(Refusal(std::string("\x89PNG\r\n\x1a\n", 8)),
            "line 1: column 1: invalid UTF-8: SDP is UTF-8 text (binary data?)");
}

TEST(SdpRejection, InvalidUtf8) {
  // An overlong encoding of '/' and a lone continuation byte.
  EXPECT_EQ(Refusal(Replace(kValidOffer, "s=-", "s=\xc0\xaf")),
            "line 3: column 3: invalid UTF-8: SDP is UTF-8 text (binary data?)");
  // Real UTF-8 is fine where SDP allows text.
  EXPECT_EQ(Refusal(Replace(kValidOffer, "s=-", "s=Caf\xc3\xa9 \xe2\x80\x94 live")), "");
}

TEST(SdpRejection, InvalidSetup) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=setup:actpass", "a=setup:sideways")),
            "line 12: a=setup: 'sideways' is not one of actpass, active, passive, holdconn");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=setup:actpass", "a=setup:holdconn")),
            "the offer's mid 0 (m=video, line 6) has a=setup:holdconn; WebRTC offers use actpass");
}

TEST(SdpRejection, NoBundleableSection) {
  // The group names only the audio section, which is unusable; video is outside the group.
  std::string offer = Replace(kValidOffer, "a=group:BUNDLE 0", "a=group:BUNDLE a");
  offer += "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\na=bundle-only\r\na=rtcp-mux\r\n";
  EXPECT_EQ(Refusal(offer),
            "no m= section can be accepted: mid 0 (m=video, line 6): not BUNDLE-able: it is not "
            "in the offer's a=group:BUNDLE, and this endpoint runs every section on one "
            "transport; mid a (m=audio, line 19): no offered audio codec is supported: offered "
            "PCMU, supported opus");
}

TEST(SdpRejection, DataOnlyOffer_WhenMediaRequired) {
  std::string offer =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE d\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:d\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
      "a=fingerprint:sha-256 " +
      kFingerprint + "\r\na=setup:actpass\r\na=sctp-port:5000\r\n";
  EXPECT_EQ(Refusal(offer),
            "the offer has only data channels (m=application); this endpoint needs an audio or "
            "video section");
  SdpAnswerOptions data_ok = WhipOptions();
  data_ok.require_media = false;
  EXPECT_EQ(Refusal(offer, data_ok), "");
}

TEST(SdpRejection, NoAllowedCodec) {
  SdpAnswerOptions options = WhipOptions();
  options.allowed_codecs = {"opus", "vp8", "vp9"};
  std::string h264 = Replace(kValidOffer, "a=rtpmap:96 VP8/90000",
                             "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;"
                             "profile-level-id=42e01f");
  EXPECT_EQ(Refusal(h264, options),
            "no offered video codec is allowed: offered H264, allowed VP8, VP9");
  // H.264 with packetization-mode 0 only is supported by nobody here.
  std::string mode0 = Replace(h264, "packetization-mode=1", "packetization-mode=0");
  EXPECT_EQ(Refusal(mode0),
            "no offered video codec is supported: offered H264 "
            "(packetization-mode=0;profile-level-id=42e01f), supported VP8, VP9, H264, AV1");
}

TEST(SdpRejection, WrongDirection_ForWhipAndWhep) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=sendonly", "a=recvonly")),
            "the offer is a=recvonly and this endpoint is recvonly: nothing would flow (a WHIP "
            "publisher sends: sendonly or sendrecv)");
  SdpAnswerOptions whep = WhipOptions();
  whep.direction = SdpDirection::kSendOnly;
  EXPECT_EQ(Refusal(kValidOffer, whep),
            "the offer is a=sendonly and this endpoint is sendonly: nothing would flow (a WHEP "
            "player receives: recvonly or sendrecv)");
}

TEST(SdpRejection, NotDtlsSrtp) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "UDP/TLS/RTP/SAVPF", "RTP/AVP")),
            "protocol RTP/AVP is not DTLS-SRTP (WebRTC uses UDP/TLS/RTP/SAVPF)");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtcp-mux\r\n", "")),
            "no a=rtcp-mux: this endpoint carries RTP and RTCP on one port");
}

TEST(SdpRejection, MissingOrWrongSessionLines) {
  EXPECT_EQ(Refusal(""), "empty SDP: no v= line");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "v=0\r\n", "")),
            "line 1: an SDP must start with v=0, got 'o=- 1 2 IN IP4 127.0.0.1'");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "v=0", "v=1")),
            "line 1: v=: version '1' is not supported (only 0)");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "t=0 0\r\n", "")), "the SDP has no t= line");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "o=- 1 2 IN IP4 127.0.0.1", "o=- 1 2")),
            "line 2: o=: expected '<username> <sess-id> <sess-version> <nettype> <addrtype> "
            "<address>', got '- 1 2'");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtcp-mux", "x=rtcp-mux")),
            "line 14: 'x=' is not allowed inside an m= section");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=rtcp-mux", "rtcp-mux")),
            "line 14: expected '<letter>=<value>', got 'rtcp-mux'");
}

TEST(SdpRejection, BadAttributes) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=group:BUNDLE 0", "a=group:BUNDLE 0 1")),
            "line 5: a=group:BUNDLE names mid '1', which no m= section has");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-pwd:short")),
            "line 10: a=ice-pwd: 'short' is 5 characters; RFC 8839 requires 22 to 256");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=ice-ufrag:abcd", "a=ice-ufrag:ab;cd")),
            "line 9: a=ice-ufrag: 'ab;cd' has a character outside [A-Za-z0-9+/]");
  EXPECT_EQ(Refusal(Replace(kValidOffer, kFingerprint + "\r\n", kFingerprint.substr(3) + "\r\n")),
            "line 11: a=fingerprint: sha-256 needs 32 bytes, got 31");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "sha-256 4A:15", "sha-256 4G:15")),
            "line 11: a=fingerprint: '4G:15:11:06:C1:6D:79:F9:BB:60:CD:4B:47:D...' is not hex "
            "bytes separated by colons (like 'AB:CD:...')");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=mid:0\r\n", "a=mid:0\r\na=mid:1\r\n")),
            "line 9: a=mid: a second a=mid in this m= section");
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=sendonly", "a=sendonly\r\na=recvonly")),
            "line 14: a=recvonly: a second direction attribute (the first was a=sendonly)");
  EXPECT_EQ(Refusal(kValidOffer + "a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"),
            "line 19: a=extmap: id 0 out of range 1..255");
  EXPECT_EQ(Refusal(kValidOffer + "a=extmap:1 urn:a\r\na=extmap:1 urn:b\r\n"),
            "line 20: a=extmap: id 1 is already used for 'urn:a' at this level");
  EXPECT_EQ(Refusal(kValidOffer + "a=ssrc-group:FID 1\r\n"),
            "line 19: a=ssrc-group: FID pairs two SSRCs (media, then RTX), got 1");
  EXPECT_EQ(Refusal(kValidOffer + "a=ssrc:99999999999 cname:x\r\n"),
            "line 19: a=ssrc: SSRC '99999999999' is not a number in 0..4294967295");
  EXPECT_EQ(Refusal(kValidOffer + "a=simulcast: send rid=1;2\r\n"),
            "line 19: a=simulcast: rid 'rid=1' is not 1 to 255 of [A-Za-z0-9_-]");
  EXPECT_EQ(Refusal(kValidOffer + "a=rid:q sideways\r\n"),
            "line 19: a=rid: expected 'q send|recv [<restrictions>]', got 'q sideways'");
  EXPECT_EQ(Refusal(kValidOffer + "a=rid:q send pt=99\r\n"),
            "line 19: a=rid: payload type 99 is not listed on the m= line");
}

TEST(SdpRejection, TooManySsrcsOrRids) {
  std::string ssrcs = kValidOffer, rids = kValidOffer;
  for (int i = 1; i <= 65; ++i)
    ssrcs += "a=ssrc:" + std::to_string(i) + " cname:x\r\n";
  EXPECT_EQ(Refusal(ssrcs), "line 83: a=ssrc: too many SSRCs in this m= section: the limit is 64");
  for (int i = 1; i <= 17; ++i)
    rids += "a=rid:r" + std::to_string(i) + " send\r\n";
  EXPECT_EQ(Refusal(rids), "line 35: a=rid: too many rids in this m= section: the limit is 16");
  EXPECT_EQ(Refusal(kValidOffer +
                    "a=simulcast:send a1;a2;a3;a4;a5;a6;a7;a8;a9;b1;b2;b3;b4;b5;b6;b7;b8\r\n"),
            "line 19: a=simulcast: too many rids: the limit is 16");
}

TEST(SdpRejection, DuplicateMidInGroup) {
  EXPECT_EQ(Refusal(Replace(kValidOffer, "a=group:BUNDLE 0", "a=group:BUNDLE 0 0")),
            "line 5: a=group: mid '0' is listed twice");
}

TEST(SdpRejection, DuplicateMid) {
  std::string offer = kValidOffer + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n";
  EXPECT_EQ(Refusal(offer), "line 20: a=mid: '0' is already the mid of the m= section on line 6");
}

TEST(SdpRejection, EveryRealOfferIsAccepted) {
  SdpAnswerOptions whip = WhipOptions();
  SdpAnswerOptions whep = WhipOptions();
  whep.direction = SdpDirection::kSendOnly;
  EXPECT_EQ(Refusal(testdata::kAiortcWhipOffer, whip), "");
  EXPECT_EQ(Refusal(testdata::kAiortcWhepOffer, whep), "");
  EXPECT_EQ(Refusal(testdata::kAiortcSendRecvDataOffer, whip), "");
  EXPECT_EQ(Refusal(testdata::kChromeWhipOffer, whip), "");
  EXPECT_EQ(Refusal(testdata::kChromeSimulcastOffer, whip), "");
  EXPECT_EQ(Refusal(testdata::kObsWhipOffer, whip), "");
  EXPECT_EQ(Refusal(testdata::kGstreamerWhipOffer, whip), "");
}

}  // namespace
}  // namespace tributary::rtc
