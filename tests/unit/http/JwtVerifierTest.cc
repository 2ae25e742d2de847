#include "http/JwtVerifier.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace tributary::http {
namespace {

using Error = JwtVerifier::Error;

constexpr std::string_view kSecret = "acme-jwt-secret";
constexpr int64_t kNow = 1800000000;

// Made with PyJWT 2.6 (Debian's python3-jwt), an implementation independent of libjwt:
//   jwt.encode({"vhost": "acme", "action": "play", "app": "live", "stream": "cam*",
//               "exp": 2000000000, "nbf": 1700000000}, "acme-jwt-secret", algorithm=...)
constexpr std::string_view kPyJwtHs256 =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ2aG9zdCI6ImFjbWUiLCJhY3Rpb24iOiJwbGF5IiwiYXBwIjoibGl2ZSIsInN0cmVhbSI6ImNhbSoiLCJleHAiOjIw"
    "MDAwMDAwMDAsIm5iZiI6MTcwMDAwMDAwMH0.1bXJKMcF04ZFdxzcLX1baqtRTKXhMuyLeRXUhvwM6XE";
constexpr std::string_view kPyJwtHs512 =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
    "eyJ2aG9zdCI6ImFjbWUiLCJhY3Rpb24iOiJwbGF5IiwiYXBwIjoibGl2ZSIsInN0cmVhbSI6ImNhbSoiLCJleHAiOjIw"
    "MDAwMDAwMDB9.Fq2dY6CRcc8suhSZmPl5959oQAdNpvDbJCGTvCh-"
    "MpvVwsum1yPLIElfdb3h3n4Xqiv8DTAWJfBScZJkvSXbKQ";
// {"vhost": "acme", "action": "play", "exp": "2000000000"}: exp is a string.
constexpr std::string_view kPyJwtStringExp =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ2aG9zdCI6ImFjbWUiLCJhY3Rpb24iOiJwbGF5IiwiZXhwIjoiMjAwMDAwMDAwMCJ9."
    "JtlyikXrwE1t5VO6jgYxVSUNofkw_7Foy7uMY45mUIs";
// {"action": "play", "exp": 2000000000}: no vhost.
constexpr std::string_view kPyJwtNoVhost =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY3Rpb24iOiJwbGF5IiwiZXhwIjoyMDAwMDAwMDAwfQ."
    "sjXRE7MIJIBMqce9tls7_CMGi-mCpSRrbdxMnBEpQbg";

JwtClaims Claims(int64_t exp) {
  JwtClaims claims;
  claims.vhost = "acme";
  claims.action = "publish";
  claims.app = "live";
  claims.stream = "cam-1";
  claims.exp = exp;
  return claims;
}

TEST(JwtVerifier, AcceptsATokenOfAnotherImplementation_WithItsClaims) {
  const auto result = JwtVerifier::Verify(kPyJwtHs256, kSecret, 30, kNow);
  ASSERT_EQ(result.error, Error::kNone) << result.reason;
  EXPECT_EQ(result.claims.vhost, "acme");
  EXPECT_EQ(result.claims.action, "play");
  EXPECT_EQ(result.claims.app, "live");
  EXPECT_EQ(result.claims.stream, "cam*");
  EXPECT_EQ(result.claims.exp, 2000000000);
  EXPECT_EQ(result.claims.nbf, 1700000000);
}

TEST(JwtVerifier, SignedTokens_RoundTrip_AbsentGlobsMeanEverything) {
  JwtClaims claims = Claims(kNow + 60);
  claims.app.clear();
  claims.stream.clear();
  const auto result = JwtVerifier::Verify(JwtVerifier::Sign(claims, kSecret), kSecret, 0, kNow);
  ASSERT_EQ(result.error, Error::kNone) << result.reason;
  EXPECT_EQ(result.claims.app, "*");
  EXPECT_EQ(result.claims.stream, "*");
  EXPECT_FALSE(result.claims.nbf);
}

TEST(JwtVerifier, AnotherKey_IsABadSignature) {
  const auto result = JwtVerifier::Verify(kPyJwtHs256, "another-secret", 30, kNow);
  EXPECT_EQ(result.error, Error::kBadSignature);
  EXPECT_NE(result.reason.find("signature"), std::string::npos) << result.reason;
  EXPECT_EQ(JwtVerifier::Verify(kPyJwtHs256, "", 30, kNow).error, Error::kBadSignature);
}

TEST(JwtVerifier, AlteredPayloadOrSignature_IsABadSignature) {
  std::string token(kPyJwtHs256);
  // "live" -> "livf" inside the payload would change the base64; flip one signature character.
  token.back() = token.back() == 'E' ? 'F' : 'E';
  EXPECT_EQ(JwtVerifier::Verify(token, kSecret, 30, kNow).error, Error::kBadSignature);
  // The payload of another token under this one's header and signature.
  const std::string other = JwtVerifier::Sign(Claims(kNow + 60), kSecret);
  const size_t dot1 = other.find('.');
  const size_t dot2 = other.find('.', dot1 + 1);
  std::string spliced(kPyJwtHs256);
  const size_t s1 = spliced.find('.');
  const size_t s2 = spliced.find('.', s1 + 1);
  spliced = spliced.substr(0, s1) + other.substr(dot1, dot2 - dot1) + spliced.substr(s2);
  EXPECT_EQ(JwtVerifier::Verify(spliced, kSecret, 30, kNow).error, Error::kBadSignature);
}

TEST(JwtVerifier, OnlyHs256_NotHs512_NotNone) {
  const auto hs512 = JwtVerifier::Verify(kPyJwtHs512, kSecret, 30, kNow);
  EXPECT_EQ(hs512.error, Error::kAlgorithm);
  EXPECT_NE(hs512.reason.find("HS512"), std::string::npos) << hs512.reason;
  // {"alg":"none"} . payload . (empty signature)
  const std::string none =
      "eyJhbGciOiJub25lIn0."
      "eyJ2aG9zdCI6ImFjbWUiLCJhY3Rpb24iOiJwbGF5IiwiZXhwIjoyMDAwMDAwMDAwfQ.";
  EXPECT_EQ(JwtVerifier::Verify(none, kSecret, 30, kNow).error, Error::kAlgorithm);
}

TEST(JwtVerifier, Expired_BeyondTheClockSkewOnly) {
  const std::string token = JwtVerifier::Sign(Claims(kNow - 10), kSecret);
  EXPECT_EQ(JwtVerifier::Verify(token, kSecret, 30, kNow).error, Error::kNone);
  const auto expired = JwtVerifier::Verify(token, kSecret, 5, kNow);
  EXPECT_EQ(expired.error, Error::kExpired);
  EXPECT_NE(expired.reason.find("expired"), std::string::npos) << expired.reason;
  EXPECT_EQ(JwtVerifier::Verify(token, kSecret, 0, kNow - 10).error, Error::kExpired);
}

TEST(JwtVerifier, ExtremeTimes_NeitherOverflowNorPass) {
  EXPECT_EQ(
      JwtVerifier::Verify(JwtVerifier::Sign(Claims(INT64_MIN), kSecret), kSecret, 3600, kNow).error,
      Error::kExpired);
  JwtClaims claims = Claims(INT64_MAX);
  claims.nbf = INT64_MAX;
  EXPECT_EQ(JwtVerifier::Verify(JwtVerifier::Sign(claims, kSecret), kSecret, 3600, kNow).error,
            Error::kNotYetValid);
}

TEST(JwtVerifier, NotBefore_BeyondTheClockSkewOnly) {
  JwtClaims claims = Claims(kNow + 3600);
  claims.nbf = kNow + 20;
  const std::string token = JwtVerifier::Sign(claims, kSecret);
  EXPECT_EQ(JwtVerifier::Verify(token, kSecret, 30, kNow).error, Error::kNone);
  const auto early = JwtVerifier::Verify(token, kSecret, 10, kNow);
  EXPECT_EQ(early.error, Error::kNotYetValid);
  EXPECT_NE(early.reason.find("not valid before"), std::string::npos) << early.reason;
}

TEST(JwtVerifier, MissingOrMistypedClaims_AreMalformed) {
  const auto string_exp = JwtVerifier::Verify(kPyJwtStringExp, kSecret, 30, kNow);
  EXPECT_EQ(string_exp.error, Error::kMalformed);
  EXPECT_NE(string_exp.reason.find("exp"), std::string::npos) << string_exp.reason;
  const auto no_vhost = JwtVerifier::Verify(kPyJwtNoVhost, kSecret, 30, kNow);
  EXPECT_EQ(no_vhost.error, Error::kMalformed);
  EXPECT_NE(no_vhost.reason.find("vhost"), std::string::npos) << no_vhost.reason;
}

TEST(JwtVerifier, GarbageAndTruncations_AreMalformed_NeverACrash) {
  const std::string good(kPyJwtHs256);
  for (size_t n = 0; n < good.size(); n += 7) {
    const auto result = JwtVerifier::Verify(good.substr(0, n), kSecret, 30, kNow);
    EXPECT_NE(result.error, Error::kNone) << n;
  }
  for (const std::string bad : {"", ".", "..", "a.b.c", "a.b.c.d", "!!!.???.***",
                                "eyJhbGciOiJIUzI1NiJ9..", "W10.W10.c2ln"}) {
    const auto result = JwtVerifier::Verify(bad, kSecret, 30, kNow);
    EXPECT_EQ(result.error, Error::kMalformed) << bad;
    EXPECT_NE(result.reason.find("malformed"), std::string::npos) << result.reason;
  }
  EXPECT_EQ(JwtVerifier::Verify(std::string(9000, 'a'), kSecret, 30, kNow).error,
            Error::kMalformed);
}

TEST(JwtVerifier, Globs) {
  EXPECT_TRUE(JwtVerifier::GlobMatches("*", ""));
  EXPECT_TRUE(JwtVerifier::GlobMatches("*", "cam"));
  EXPECT_TRUE(JwtVerifier::GlobMatches("cam*", "cam"));
  EXPECT_TRUE(JwtVerifier::GlobMatches("cam*", "cam-1"));
  EXPECT_TRUE(JwtVerifier::GlobMatches("c?m-*-hd", "cam-7-hd"));
  EXPECT_TRUE(JwtVerifier::GlobMatches("*-hd", "a-hd-hd"));
  EXPECT_FALSE(JwtVerifier::GlobMatches("cam*", "ca"));
  EXPECT_FALSE(JwtVerifier::GlobMatches("cam", "cam-1"));
  EXPECT_FALSE(JwtVerifier::GlobMatches("c?m", "cm"));
  EXPECT_FALSE(JwtVerifier::GlobMatches("*-hd", "cam-sd"));
  EXPECT_FALSE(JwtVerifier::GlobMatches("", "a"));
  // Many stars against a long name that does not match: finishes (no exponential backtracking).
  EXPECT_FALSE(JwtVerifier::GlobMatches(std::string(30, '*') + "b", std::string(64, 'a')));
}

}  // namespace
}  // namespace tributary::http
