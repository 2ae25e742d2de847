#include "cluster/RedirectGrant.h"

#include <gtest/gtest.h>

#include "net/Url.h"

namespace tributary::cluster {
namespace {

constexpr const char* kSecret = "unit-test-cluster-secret-0123";
constexpr uint64_t kNow = 1'700'000'000'000;
const sfu::StreamKey kKey{"demo", "live", "cam"};

using Check = RedirectGrant::Check;

TEST(RedirectGrant, AdmitsTheStreamItWasIssuedFor_OnTheEdgeItNames) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);
  EXPECT_EQ(grants.Verify(token, kKey, "e1", kNow), Check::kOk);
  EXPECT_EQ(grants.Verify(token, kKey, "e1", kNow + RedirectGrant::kLifetimeMs), Check::kOk);
  // URL-safe as it is: nothing to escape in a query.
  EXPECT_EQ(net::Url::PercentEncode(token), token);
  // Another node holding the secret verifies it too.
  RedirectGrant edge_side(kSecret);
  EXPECT_EQ(edge_side.Verify(token, kKey, "e1", kNow + 1), Check::kOk);
}

TEST(RedirectGrant, ExpiresAfterItsLifetime) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);
  EXPECT_EQ(grants.Verify(token, kKey, "e1", kNow + RedirectGrant::kLifetimeMs + 1),
            Check::kExpired);
  const std::string short_token = grants.Issue(kKey, "e1", kNow, 10);
  EXPECT_EQ(grants.Verify(short_token, kKey, "e1", kNow + 11), Check::kExpired);
}

TEST(RedirectGrant, RefusesAnotherStream_AppOrVhost) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);
  EXPECT_EQ(grants.Verify(token, {"demo", "live", "cam2"}, "e1", kNow), Check::kBadSignature);
  EXPECT_EQ(grants.Verify(token, {"demo", "other", "cam"}, "e1", kNow), Check::kBadSignature);
  EXPECT_EQ(grants.Verify(token, {"acme", "live", "cam"}, "e1", kNow), Check::kBadSignature);
  // Field boundaries are signed: moving a character from one name to the next changes it.
  const std::string split = grants.Issue({"demo", "ab", "c"}, "e1", kNow);
  EXPECT_EQ(grants.Verify(split, {"demo", "a", "bc"}, "e1", kNow), Check::kBadSignature);
}

TEST(RedirectGrant, RefusesAnotherEdge) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);
  EXPECT_EQ(grants.Verify(token, kKey, "e2", kNow), Check::kWrongEdge);
}

TEST(RedirectGrant, RefusesATamperedExpiryEdgeOrSignature) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);  // "1.<exp>.e1.<hex>"
  const std::string expiry = std::to_string(kNow + RedirectGrant::kLifetimeMs);
  std::string later = token;
  later.replace(2, expiry.size(), std::to_string(kNow + 10 * RedirectGrant::kLifetimeMs));
  EXPECT_EQ(grants.Verify(later, kKey, "e1", kNow), Check::kBadSignature);
  std::string other_edge = token;
  other_edge.replace(token.find(".e1."), 4, ".e2.");
  EXPECT_EQ(grants.Verify(other_edge, kKey, "e2", kNow), Check::kBadSignature);
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(grants.Verify(flipped, kKey, "e1", kNow), Check::kBadSignature);
}

TEST(RedirectGrant, RefusesAnotherSecret) {
  RedirectGrant grants(kSecret);
  RedirectGrant other("another-secret-of-20-chars");
  EXPECT_EQ(other.Verify(grants.Issue(kKey, "e1", kNow), kKey, "e1", kNow), Check::kBadSignature);
}

TEST(RedirectGrant, RefusesMalformedTokens) {
  RedirectGrant grants(kSecret);
  const std::string token = grants.Issue(kKey, "e1", kNow);
  for (const std::string& bad :
       {std::string(), std::string("garbage"), "2" + token.substr(1), token.substr(0, 40),
        token + ".x", std::string("1.abc.e1.") + std::string(64, 'a'), std::string(300, '1')}) {
    EXPECT_EQ(grants.Verify(bad, kKey, "e1", kNow), Check::kMalformed) << bad;
  }
}

}  // namespace
}  // namespace tributary::cluster
