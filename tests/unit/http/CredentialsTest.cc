#include "http/Credentials.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/JwtVerifier.h"

namespace tributary::http {
namespace {

using Verdict = Credentials::Verdict;

config::VhostConfig Vhost() {
  config::VhostConfig vhost;
  vhost.name = "acme";
  vhost.publish.tokens = {"first-token", "second-token"};
  vhost.play.open = true;
  return vhost;
}

const sfu::StreamKey kKey{"acme", "live", "cam"};

TEST(Credentials, AllowsAnyListedToken_AndOpenActions) {
  const auto vhost = Vhost();
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kPublish, kKey, "Bearer first-token").verdict,
            Verdict::kAllowed);
  EXPECT_EQ(
      Credentials::Check(vhost, StreamAction::kPublish, kKey, "bearer  second-token ").verdict,
      Verdict::kAllowed);
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kPlay, kKey, "").verdict, Verdict::kAllowed);
}

TEST(Credentials, MissingOrWrongTokens_AreRefusedWithAReason) {
  const auto vhost = Vhost();
  const auto missing = Credentials::Check(vhost, StreamAction::kPublish, kKey, "");
  EXPECT_EQ(missing.verdict, Verdict::kMissing);
  EXPECT_NE(missing.reason.find("Bearer"), std::string::npos) << missing.reason;
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kPublish, kKey, "Basic Zm9vOmJhcg==").verdict,
            Verdict::kMissing);
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kPublish, kKey, "Bearer ").verdict,
            Verdict::kMissing);
  const auto wrong = Credentials::Check(vhost, StreamAction::kPublish, kKey, "Bearer first-toke");
  EXPECT_EQ(wrong.verdict, Verdict::kInvalid);
  EXPECT_NE(wrong.reason.find("acme"), std::string::npos) << wrong.reason;
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kPublish, kKey, "Bearer first-token-x").verdict,
            Verdict::kInvalid);
}

constexpr int64_t kNow = 1800000000;

config::VhostConfig JwtVhost() {
  auto vhost = Vhost();
  vhost.jwt.secret = "acme-jwt-secret";
  vhost.jwt.clock_skew_s = 10;
  vhost.play.open = false;
  vhost.play.tokens = {"play-token"};
  vhost.admin.tokens = {"admin-token"};
  return vhost;
}

std::string Bearer(const std::string& vhost, const std::string& action, const std::string& app,
                   const std::string& stream, int64_t exp, const std::string& secret) {
  JwtClaims claims;
  claims.vhost = vhost;
  claims.action = action;
  claims.app = app;
  claims.stream = stream;
  claims.exp = exp;
  return "Bearer " + JwtVerifier::Sign(claims, secret);
}

Credentials::Result CheckJwt(StreamAction action, const std::string& authorization,
                             const sfu::StreamKey& key = kKey) {
  return Credentials::Check(JwtVhost(), action, key, authorization, kNow);
}

TEST(Credentials, JwtCoveringTheRequest_IsAllowed_StreamAndAppAreGlobs) {
  const auto token = Bearer("acme", "play", "li*", "ca?", kNow + 60, "acme-jwt-secret");
  EXPECT_EQ(CheckJwt(StreamAction::kPlay, token).verdict, Verdict::kAllowed);
  EXPECT_EQ(
      CheckJwt(StreamAction::kPlay, Bearer("acme", "publish", "", "", kNow + 60, "acme-jwt-secret"))
          .verdict,
      Verdict::kForbidden);
  EXPECT_EQ(CheckJwt(StreamAction::kPublish,
                     Bearer("acme", "publish", "", "", kNow + 60, "acme-jwt-secret"))
                .verdict,
            Verdict::kAllowed);
}

TEST(Credentials, ValidJwtForAnotherStreamAppVhostOrAction_Is403WithTheReason) {
  struct Case {
    std::string authorization;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Bearer("acme", "play", "live", "other", kNow + 60, "acme-jwt-secret"), "stream 'other'"},
      {Bearer("acme", "play", "vod", "cam", kNow + 60, "acme-jwt-secret"), "app 'vod'"},
      {Bearer("demo", "play", "live", "cam", kNow + 60, "acme-jwt-secret"), "vhost 'demo'"},
      {Bearer("acme", "publish", "live", "cam", kNow + 60, "acme-jwt-secret"), "action 'publish'"},
  };
  for (const Case& c : cases) {
    const auto result = CheckJwt(StreamAction::kPlay, c.authorization);
    EXPECT_EQ(result.verdict, Verdict::kForbidden) << c.reason;
    EXPECT_EQ(result.HttpStatus(), 403);
    EXPECT_NE(result.reason.find(c.reason), std::string::npos) << result.reason;
  }
}

TEST(Credentials, ExpiredForeignOrBrokenJwt_Is401WithTheReason) {
  struct Case {
    std::string authorization;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Bearer("acme", "play", "live", "cam", kNow - 11, "acme-jwt-secret"), "expired"},
      {Bearer("acme", "play", "live", "cam", kNow + 60, "demo-jwt-secret"), "signature"},
      {"Bearer a.b.c", "malformed"},
  };
  for (const Case& c : cases) {
    const auto result = CheckJwt(StreamAction::kPlay, c.authorization);
    EXPECT_EQ(result.verdict, Verdict::kInvalid) << c.reason;
    EXPECT_EQ(result.HttpStatus(), 401);
    EXPECT_NE(result.reason.find(c.reason), std::string::npos) << result.reason;
  }
  // Within the clock skew, the same token passes.
  EXPECT_EQ(CheckJwt(StreamAction::kPlay,
                     Bearer("acme", "play", "live", "cam", kNow - 9, "acme-jwt-secret"))
                .verdict,
            Verdict::kAllowed);
}

TEST(Credentials, JwtOnAVhostWithoutASecret_Is401) {
  const auto result =
      Credentials::Check(Vhost(), StreamAction::kPublish, kKey,
                         Bearer("acme", "publish", "", "", kNow + 60, "acme-jwt-secret"), kNow);
  EXPECT_EQ(result.verdict, Verdict::kInvalid);
  EXPECT_NE(result.reason.find("accepts no JWTs"), std::string::npos) << result.reason;
}

TEST(Credentials, StaticTokenOfAnotherAction_Is403_OfAnotherVhost_401) {
  const auto play_for_publish = CheckJwt(StreamAction::kPublish, "Bearer play-token");
  EXPECT_EQ(play_for_publish.verdict, Verdict::kForbidden);
  EXPECT_NE(play_for_publish.reason.find("valid for play"), std::string::npos)
      << play_for_publish.reason;
  EXPECT_EQ(CheckJwt(StreamAction::kPlay, "Bearer first-token").verdict, Verdict::kForbidden);
  EXPECT_EQ(CheckJwt(StreamAction::kPlay, "Bearer demo-token").verdict, Verdict::kInvalid);
  EXPECT_EQ(CheckJwt(StreamAction::kAdmin, "Bearer admin-token").verdict, Verdict::kAllowed);
  EXPECT_EQ(CheckJwt(StreamAction::kAdmin, "Bearer play-token").verdict, Verdict::kForbidden);
}

TEST(Credentials, AdminIsNeverOpen) {
  auto vhost = Vhost();
  vhost.admin.open = true;
  EXPECT_EQ(Credentials::Check(vhost, StreamAction::kAdmin, kKey, "", kNow).verdict,
            Verdict::kMissing);
}

TEST(Credentials, BearerToken_ParsesTheScheme) {
  EXPECT_EQ(Credentials::BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(Credentials::BearerToken("BEARER abc"), "abc");
  EXPECT_FALSE(Credentials::BearerToken("Bearerabc"));
  EXPECT_FALSE(Credentials::BearerToken("Token abc"));
  EXPECT_FALSE(Credentials::BearerToken(""));
}

}  // namespace
}  // namespace tributary::http
