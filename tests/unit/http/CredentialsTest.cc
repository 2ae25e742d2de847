#include "http/Credentials.h"

#include <gtest/gtest.h>

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

TEST(Credentials, JwtShapedTokens_GoToTheJwtSeam_WhichRefusesThemForNow) {
  auto vhost = Vhost();
  vhost.jwt.secret = "jwt-secret-0123456789";
  const auto result = Credentials::Check(vhost, StreamAction::kPublish, kKey, "Bearer aaa.bbb.ccc");
  EXPECT_EQ(result.verdict, Verdict::kInvalid);
  EXPECT_NE(result.reason.find("JWT"), std::string::npos) << result.reason;
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
