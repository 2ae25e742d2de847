#include "rtc/StunMessage.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "rtc/Crc32.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {
namespace {

// RFC 5769 2.1: Binding request, short-term credential. Password "VOkJxbRl1RmTxUk/WvJxBt".
// (The USERNAME padding is spaces, as in the RFC.)
const std::vector<uint8_t> kRfc5769Request = {
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
    0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09,
    0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
    0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
    0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};
constexpr std::string_view kRfc5769Password = "VOkJxbRl1RmTxUk/WvJxBt";

// RFC 5769 2.2: Binding success response, IPv4 192.0.2.1:32853.
const std::vector<uint8_t> kRfc5769ResponseV4 = {
    0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
    0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
    0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96};

// RFC 5769 2.3: Binding success response, IPv6 [2001:db8:1234:5678:11:2233:4455:6677]:32853.
const std::vector<uint8_t> kRfc5769ResponseV6 = {
    0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa,
    0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14,
    0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75,
    0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c};

// RFC 5769 2.4: Binding request with long-term credentials (no FINGERPRINT). Out of scope for
// ICE, but it must parse. Key = MD5("<username>:example.org:TheMatrIX") where the username is
// U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9 and "TheMatrIX" is the SASLprep'd password; the
// digest, computed once with Python's hashlib, is:
const std::array<uint8_t, 16> kRfc5769LongTermKey = {
    0xe8, 0xca, 0x7a, 0xd5, 0x9d, 0x5e, 0xb0, 0x51, 0x8e, 0x31, 0x29, 0x11, 0xd2, 0xda, 0xb2, 0xa9};
const std::vector<uint8_t> kRfc5769LongTermRequest = {
    0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42, 0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72,
    0xc0, 0x29, 0xda, 0x41, 0x2e, 0x00, 0x06, 0x00, 0x12, 0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88,
    0xe3, 0x83, 0xaa, 0xe3, 0x83, 0x83, 0xe3, 0x82, 0xaf, 0xe3, 0x82, 0xb9, 0x00, 0x00, 0x00,
    0x15, 0x00, 0x1c, 0x66, 0x2f, 0x2f, 0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34, 0x64, 0x36,
    0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39, 0x46, 0x53, 0x54, 0x76, 0x79, 0x36, 0x34, 0x73,
    0x41, 0x00, 0x14, 0x00, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72,
    0x67, 0x00, 0x00, 0x08, 0x00, 0x14, 0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6, 0x4a, 0x3e, 0x02,
    0xb8, 0xe0, 0x71, 0x2e, 0x85, 0xc9, 0xa2, 0x8c, 0xa8, 0x96, 0x66};

// A Binding request captured on this machine from Debian's aioice 0.8 (the ICE agent of
// python3-aiortc 1.4), controlling, sent over loopback UDP to a test socket:
//   remote ufrag "srvUfrag", remote pwd "srvPassword0123456789abc", local ufrag "6owk".
// Attributes: USERNAME "srvUfrag:6owk", PRIORITY 0x6effffff, ICE-CONTROLLING, USE-CANDIDATE,
// MESSAGE-INTEGRITY, FINGERPRINT.
const std::vector<uint8_t> kAioiceRequest = {
    0x00, 0x01, 0x00, 0x4c, 0x21, 0x12, 0xa4, 0x42, 0x9b, 0xfe, 0x30, 0xd0, 0x3f, 0xc1, 0xea, 0xad,
    0x25, 0x7a, 0x39, 0x7b, 0x00, 0x06, 0x00, 0x0d, 0x73, 0x72, 0x76, 0x55, 0x66, 0x72, 0x61, 0x67,
    0x3a, 0x36, 0x6f, 0x77, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x04, 0x6e, 0xff, 0xff, 0xff,
    0x80, 0x2a, 0x00, 0x08, 0x4d, 0x12, 0x69, 0x05, 0xcb, 0xda, 0x9a, 0x86, 0x00, 0x25, 0x00, 0x00,
    0x00, 0x08, 0x00, 0x14, 0x73, 0xbf, 0xc4, 0xf1, 0x68, 0x56, 0x83, 0x5d, 0x04, 0x4d, 0x75, 0xe3,
    0x80, 0x5f, 0xc5, 0x14, 0x6b, 0xd6, 0x29, 0x2d, 0x80, 0x28, 0x00, 0x04, 0x66, 0x24, 0x01, 0xe5};
constexpr std::string_view kAioicePassword = "srvPassword0123456789abc";

std::span<const uint8_t> Span(const std::vector<uint8_t>& v) {
  return {v.data(), v.size()};
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string_view check = "123456789";
  EXPECT_EQ(Crc32::Compute(AsBytes(check)), 0xCBF43926u);
  EXPECT_EQ(Crc32::Update(Crc32::Compute(AsBytes(check.substr(0, 4))), AsBytes(check.substr(4))),
            0xCBF43926u);
  EXPECT_EQ(Crc32::Compute({}), 0u);
}

TEST(StunMessage, ParsesRfc5769Request_WithIntegrityAndFingerprint) {
  ASSERT_TRUE(StunMessage::IsStun(Span(kRfc5769Request)));
  auto msg = StunMessage::Parse(Span(kRfc5769Request));
  ASSERT_TRUE(msg);
  EXPECT_TRUE(msg->IsBindingRequest());
  EXPECT_EQ(msg->Method(), kStunMethodBinding);
  EXPECT_EQ(msg->Class(), StunClass::kRequest);
  const std::array<uint8_t, 12> tid = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                       0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
  EXPECT_TRUE(std::equal(tid.begin(), tid.end(), msg->TransactionId().begin()));
  EXPECT_EQ(msg->Software(), "STUN test client");
  EXPECT_EQ(msg->Username(), "evtj:h6vY");
  EXPECT_EQ(msg->Priority(), 0x6e0001ffu);
  EXPECT_EQ(msg->IceControlled(), 0x932ff9b151263b36ull);
  EXPECT_FALSE(msg->IceControlling());
  EXPECT_FALSE(msg->HasUseCandidate());
  EXPECT_TRUE(msg->HasMessageIntegrity());
  EXPECT_TRUE(msg->HasFingerprint());
  EXPECT_TRUE(msg->CheckIntegrity(kRfc5769Password));
  EXPECT_FALSE(msg->CheckIntegrity(std::string_view("VOkJxbRl1RmTxUk/WvJxBT")));
  EXPECT_FALSE(msg->CheckIntegrity(std::string_view("")));
  EXPECT_TRUE(msg->CheckFingerprint());
  EXPECT_TRUE(msg->UnknownRequiredAttributes().empty());
}

TEST(StunMessage, ParsesRfc5769Ipv4Response_WithXorMappedAddress) {
  auto msg = StunMessage::Parse(Span(kRfc5769ResponseV4));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->Class(), StunClass::kSuccessResponse);
  EXPECT_EQ(msg->Method(), kStunMethodBinding);
  EXPECT_EQ(msg->Software(), "test vector");
  ASSERT_TRUE(msg->XorMappedAddress());
  EXPECT_EQ(*msg->XorMappedAddress(), *net::Endpoint::Parse("192.0.2.1", 32853));
  EXPECT_TRUE(msg->CheckIntegrity(kRfc5769Password));
  EXPECT_TRUE(msg->CheckFingerprint());
}

TEST(StunMessage, ParsesRfc5769Ipv6Response_WithXorMappedAddress) {
  auto msg = StunMessage::Parse(Span(kRfc5769ResponseV6));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->Class(), StunClass::kSuccessResponse);
  ASSERT_TRUE(msg->XorMappedAddress());
  EXPECT_EQ(*msg->XorMappedAddress(),
            *net::Endpoint::Parse("2001:db8:1234:5678:11:2233:4455:6677", 32853));
  EXPECT_TRUE(msg->CheckIntegrity(kRfc5769Password));
  EXPECT_TRUE(msg->CheckFingerprint());
}

TEST(StunMessage, ParsesRfc5769LongTermRequest_AndChecksItWithTheDerivedKey) {
  auto msg = StunMessage::Parse(Span(kRfc5769LongTermRequest));
  ASSERT_TRUE(msg);
  EXPECT_TRUE(msg->IsBindingRequest());
  EXPECT_EQ(msg->Username(),
            "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9");
  EXPECT_EQ(msg->Realm(), "example.org");
  EXPECT_EQ(msg->Nonce(), "f//499k954d6OL34oL9FSTvy64sA");
  EXPECT_FALSE(msg->HasFingerprint());
  EXPECT_FALSE(msg->CheckFingerprint());
  EXPECT_TRUE(msg->CheckIntegrity(std::span<const uint8_t>(kRfc5769LongTermKey)));
  EXPECT_FALSE(msg->CheckIntegrity(std::string_view("TheMatrIX")));
}

TEST(StunMessage, ParsesAioiceCapture_WithIceAttributes) {
  auto msg = StunMessage::Parse(Span(kAioiceRequest));
  ASSERT_TRUE(msg);
  EXPECT_TRUE(msg->IsBindingRequest());
  EXPECT_EQ(msg->Username(), "srvUfrag:6owk");
  EXPECT_EQ(msg->Priority(), 0x6effffffu);
  EXPECT_EQ(msg->IceControlling(), 0x4d126905cbda9a86ull);
  EXPECT_TRUE(msg->HasUseCandidate());
  EXPECT_TRUE(msg->CheckIntegrity(kAioicePassword));
  EXPECT_TRUE(msg->CheckFingerprint());
}

TEST(StunMessage, IsStun_ClassifiesByFirstByteAndCookie) {
  EXPECT_TRUE(StunMessage::IsStun(Span(kRfc5769Request)));
  std::vector<uint8_t> dtls = kRfc5769Request;
  dtls[0] = 22;  // a DTLS handshake record
  EXPECT_FALSE(StunMessage::IsStun(Span(dtls)));
  std::vector<uint8_t> rtp = kRfc5769Request;
  rtp[0] = 0x80;
  EXPECT_FALSE(StunMessage::IsStun(Span(rtp)));
  std::vector<uint8_t> classic = kRfc5769Request;
  classic[4] = 0;  // RFC 3489 message without the cookie
  EXPECT_FALSE(StunMessage::IsStun(Span(classic)));
  EXPECT_FALSE(StunMessage::IsStun(Span(kRfc5769Request).first(19)));
  EXPECT_FALSE(StunMessage::IsStun({}));
}

// Every prefix of every vector is rejected (a STUN datagram's length must match its header),
// and nothing reads outside the bytes given (the sanitizer build and the fuzzer say so too).
TEST(StunMessage, RejectsEveryTruncatedPrefix) {
  for (const auto* vector : {&kRfc5769Request, &kRfc5769ResponseV4, &kRfc5769ResponseV6,
                             &kRfc5769LongTermRequest, &kAioiceRequest}) {
    for (size_t n = 0; n < vector->size(); ++n) {
      std::vector<uint8_t> prefix(vector->begin(), vector->begin() + n);
      EXPECT_FALSE(StunMessage::Parse(prefix)) << "prefix of " << n << " bytes";
    }
  }
}

// Every single-byte corruption is either rejected by the parser or, when it still parses, fails
// the integrity or the fingerprint check.
TEST(StunMessage, EverySingleByteCorruption_ParsesOrFailsCleanly) {
  size_t rejected = 0, caught_by_check = 0, harmless = 0;
  for (size_t i = 0; i < kRfc5769Request.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> copy = kRfc5769Request;
      copy[i] ^= flip;
      auto msg = StunMessage::Parse(copy);
      if (!msg) {
        ++rejected;
        continue;
      }
      if (!msg->CheckFingerprint() || !msg->CheckIntegrity(kRfc5769Password)) {
        ++caught_by_check;
        continue;
      }
      // HMAC and CRC cover every byte, padding included: nothing may remain valid.
      ++harmless;
      ADD_FAILURE() << "corruption at byte " << i << " went unnoticed";
    }
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_GT(caught_by_check, 0u);
  EXPECT_EQ(harmless, 0u);
}

TEST(StunMessage, RejectsMalformedHeadersAndAttributes) {
  auto parse = [](std::vector<uint8_t> v) { return StunMessage::Parse(v).has_value(); };
  // Top bits of the type set.
  auto v = kRfc5769Request;
  v[0] |= 0x40;
  EXPECT_FALSE(parse(v));
  // Length not a multiple of 4 (and not matching).
  v = kRfc5769Request;
  v[3] = 0x57;
  EXPECT_FALSE(parse(v));
  // An extra trailing byte.
  v = kRfc5769Request;
  v.push_back(0);
  EXPECT_FALSE(parse(v));
  // An attribute whose length runs past the end.
  v = kRfc5769ResponseV4;
  v[23] = 0xff;  // SOFTWARE length 0x00ff
  EXPECT_FALSE(parse(v));
  // PRIORITY of the wrong size.
  v = kRfc5769Request;
  v[43] = 0x03;
  EXPECT_FALSE(parse(v));
  // An attribute after FINGERPRINT.
  v = kRfc5769Request;
  for (uint8_t b : {0x80, 0x22, 0x00, 0x00})
    v.push_back(b);
  v[3] += 4;
  EXPECT_FALSE(parse(v));
  // XOR-MAPPED-ADDRESS with an unknown family.
  v = kRfc5769ResponseV4;
  v[41] = 0x03;
  EXPECT_FALSE(parse(v));
}

TEST(StunMessage, ReportsUnknownComprehensionRequiredAttributes_AndSkipsOptionalOnes) {
  const StunTransactionId tid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::array<uint8_t, 256> buf{};
  const uint8_t value[3] = {1, 2, 3};
  const size_t n = StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                       .AddAttribute(0x7777, value)  // unknown, comprehension-required
                       .AddAttribute(0xC057, value)  // unknown, comprehension-optional
                       .AddAttribute(0x7777, value)  // reported once
                       .AddAttribute(0x0003, {})     // CHANGE-REQUEST (RFC 5780): unknown here
                       .AddUsername("a:b")
                       .AddMessageIntegrity(std::string_view("pwd"))
                       .AddFingerprint()
                       .Finish();
  ASSERT_GT(n, 0u);
  auto msg = StunMessage::Parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(msg);
  const auto unknown = msg->UnknownRequiredAttributes();
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0], 0x7777);
  EXPECT_EQ(unknown[1], 0x0003);
  EXPECT_EQ(msg->Username(), "a:b");
  EXPECT_TRUE(msg->CheckIntegrity(std::string_view("pwd")));
  EXPECT_TRUE(msg->CheckFingerprint());
}

TEST(StunMessage, IgnoresAttributesAfterMessageIntegrity_ExceptFingerprint) {
  // Take the RFC 5769 2.2 response and insert PRIORITY between MESSAGE-INTEGRITY and
  // FINGERPRINT: it must be ignored, and FINGERPRINT (recomputed) still honoured.
  std::vector<uint8_t> v(kRfc5769ResponseV4.begin(), kRfc5769ResponseV4.end() - 8);
  for (uint8_t b : {0x00, 0x24, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04})
    v.push_back(b);
  v[3] = static_cast<uint8_t>(v.size() + 8 - 20);
  const uint32_t crc = Crc32::Compute(v) ^ kStunFingerprintXor;
  for (uint8_t b : {0x80, 0x28, 0x00, 0x04})
    v.push_back(b);
  for (int shift = 24; shift >= 0; shift -= 8)
    v.push_back(static_cast<uint8_t>(crc >> shift));
  auto msg = StunMessage::Parse(v);
  ASSERT_TRUE(msg);
  EXPECT_FALSE(msg->Priority());
  EXPECT_TRUE(msg->CheckFingerprint());
  EXPECT_TRUE(msg->CheckIntegrity(kRfc5769Password));  // the HMAC stops at MESSAGE-INTEGRITY
  int visited = 0;
  msg->ForEachAttribute([&](const StunAttribute& a) {
    EXPECT_NE(a.type, static_cast<uint16_t>(StunAttr::kPriority));
    ++visited;
  });
  EXPECT_EQ(visited, 4);  // SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT
}

TEST(StunMessageBuilder, ReproducesRfc5769LongTermRequest_ByteForByte) {
  // 2.4 is the one vector padded with zeros, as we pad: USERNAME, NONCE, REALM and
  // MESSAGE-INTEGRITY must come out identical, HMAC included.
  std::array<uint8_t, 128> buf{};
  const auto* p = kRfc5769LongTermRequest.data();
  const size_t n =
      StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding,
                         std::span<const uint8_t, 12>(p + 8, 12))
          .AddUsername("\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9")
          .AddAttribute(static_cast<uint16_t>(StunAttr::kNonce),
                        AsBytes("f//499k954d6OL34oL9FSTvy64sA"))
          .AddAttribute(static_cast<uint16_t>(StunAttr::kRealm), AsBytes("example.org"))
          .AddMessageIntegrity(std::span<const uint8_t>(kRfc5769LongTermKey))
          .Finish();
  ASSERT_EQ(n, kRfc5769LongTermRequest.size());
  EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + n, kRfc5769LongTermRequest.begin()));
}

TEST(StunMessageBuilder, ReproducesRfc5769Ipv4AndIpv6XorMappedAddresses) {
  for (const auto* vector : {&kRfc5769ResponseV4, &kRfc5769ResponseV6}) {
    const auto reference = StunMessage::Parse(Span(*vector));
    ASSERT_TRUE(reference);
    std::array<uint8_t, 128> buf{};
    const size_t n = StunMessageBuilder(buf, StunClass::kSuccessResponse, kStunMethodBinding,
                                        reference->TransactionId())
                         .AddSoftware("test vector")
                         .AddXorMappedAddress(*reference->XorMappedAddress())
                         .Finish();
    ASSERT_GT(n, 36u);
    // Type, cookie, transaction id, then the XOR-MAPPED-ADDRESS attribute (after SOFTWARE,
    // whose padding differs: the RFC pads with a space).
    EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + 2, vector->begin()));
    EXPECT_TRUE(std::equal(buf.begin() + 4, buf.begin() + 35, vector->begin() + 4));
    EXPECT_TRUE(std::equal(buf.begin() + 36, buf.begin() + n, vector->begin() + 36));
  }
}

TEST(StunMessageBuilder, RoundTripsABindingRequest_WithAllIceAttributes) {
  const StunTransactionId tid{0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 1, 2, 3, 4, 5, 6};
  std::array<uint8_t, 256> buf{};
  const size_t n = StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                       .AddUsername("remote:local")
                       .AddPriority(0x6e7fffff)
                       .AddIceControlling(0x0123456789abcdefull)
                       .AddUseCandidate()
                       .AddSoftware("tributary")
                       .AddMessageIntegrity(std::string_view("the-remote-password"))
                       .AddFingerprint()
                       .Finish();
  ASSERT_GT(n, 0u);
  auto msg = StunMessage::Parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(msg);
  EXPECT_TRUE(msg->IsBindingRequest());
  EXPECT_TRUE(std::equal(tid.begin(), tid.end(), msg->TransactionId().begin()));
  EXPECT_EQ(msg->Username(), "remote:local");
  EXPECT_EQ(msg->Priority(), 0x6e7fffffu);
  EXPECT_EQ(msg->IceControlling(), 0x0123456789abcdefull);
  EXPECT_TRUE(msg->HasUseCandidate());
  EXPECT_EQ(msg->Software(), "tributary");
  EXPECT_TRUE(msg->CheckIntegrity(std::string_view("the-remote-password")));
  EXPECT_FALSE(msg->CheckIntegrity(std::string_view("the-remote-passworD")));
  EXPECT_TRUE(msg->CheckFingerprint());
}

TEST(StunMessageBuilder, RoundTripsResponses_WithIpv4AndIpv6Addresses_AndErrors) {
  const StunTransactionId tid{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
  for (const char* text : {"127.0.0.1:5000", "[::1]:65535", "[2001:db8::1]:1"}) {
    const auto endpoint = *net::Endpoint::ParseHostPort(text);
    std::array<uint8_t, 128> buf{};
    const size_t n = StunMessageBuilder(buf, StunClass::kSuccessResponse, kStunMethodBinding, tid)
                         .AddXorMappedAddress(endpoint)
                         .AddMessageIntegrity(std::string_view("pw"))
                         .AddFingerprint()
                         .Finish();
    ASSERT_GT(n, 0u);
    auto msg = StunMessage::Parse(std::span<const uint8_t>(buf.data(), n));
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->XorMappedAddress(), endpoint) << text;
    EXPECT_TRUE(msg->CheckIntegrity(std::string_view("pw")));
    EXPECT_TRUE(msg->CheckFingerprint());
  }
  std::array<uint8_t, 128> buf{};
  const uint16_t unknown[] = {0x7777, 0x0003};
  const size_t n = StunMessageBuilder(buf, StunClass::kErrorResponse, kStunMethodBinding, tid)
                       .AddErrorCode(kStunErrorUnknownAttribute, "Unknown Attribute")
                       .AddUnknownAttributes(unknown)
                       .AddFingerprint()
                       .Finish();
  auto msg = StunMessage::Parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->Class(), StunClass::kErrorResponse);
  ASSERT_TRUE(msg->ErrorCode());
  EXPECT_EQ(msg->ErrorCode()->code, 420);
  EXPECT_EQ(msg->ErrorCode()->reason, "Unknown Attribute");
}

TEST(StunMessageBuilder, FailsCleanly_WhenTheBufferIsTooSmallOrTheOrderIsWrong) {
  const StunTransactionId tid{};
  std::array<uint8_t, 64> buf{};
  for (size_t size = 0; size < 64; ++size) {
    const size_t n = StunMessageBuilder(std::span<uint8_t>(buf.data(), size), StunClass::kRequest,
                                        kStunMethodBinding, tid)
                         .AddUsername("user:name")
                         .AddMessageIntegrity(std::string_view("x"))
                         .AddFingerprint()
                         .Finish();
    // 20 + 16 + 24 + 8 = 68 bytes needed.
    EXPECT_EQ(n, 0u) << size;
  }
  EXPECT_EQ(StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                .AddFingerprint()
                .AddPriority(1)
                .Finish(),
            0u);
  EXPECT_EQ(StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                .AddMessageIntegrity(std::string_view("x"))
                .AddPriority(1)
                .Finish(),
            0u);
  EXPECT_EQ(StunMessageBuilder(buf, StunClass::kErrorResponse, kStunMethodBinding, tid)
                .AddErrorCode(200, "not an error")
                .Finish(),
            0u);
}

TEST(StunMessageBuilder, EncodesTheMessageTypeOfEachClass) {
  EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kRequest), 0x0001);
  EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kIndication), 0x0011);
  EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kSuccessResponse), 0x0101);
  EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kErrorResponse), 0x0111);
  EXPECT_EQ(StunMessageType(0x0FFF, StunClass::kErrorResponse), 0x3FFF);
  for (uint16_t method : {0x001, 0x003, 0x00A, 0x0FFF}) {
    for (auto cls : {StunClass::kRequest, StunClass::kIndication, StunClass::kSuccessResponse,
                     StunClass::kErrorResponse}) {
      std::array<uint8_t, 20> buf{};
      ASSERT_EQ(StunMessageBuilder(buf, cls, method, StunTransactionId{}).Finish(), 20u);
      auto msg = StunMessage::Parse(buf);
      ASSERT_TRUE(msg);
      EXPECT_EQ(msg->Method(), method);
      EXPECT_EQ(msg->Class(), cls);
    }
  }
}

}  // namespace
}  // namespace tributary::rtc
