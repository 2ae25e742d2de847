#include "cluster/ClusterAuth.h"

#include <gtest/gtest.h>

#include "base/Clock.h"

namespace tributary::cluster {
namespace {

constexpr const char* kSecret = "unit-test-cluster-secret-0123";
constexpr uint64_t kNow = 1'700'000'000'000;  // Unix ms

// A request as the server receives it, carrying the headers `auth` signs at `signed_at`.
net::HttpRequest SignedRequest(const ClusterAuth& auth, net::HttpMethod method,
                               const std::string& target, const std::string& body,
                               uint64_t signed_at = kNow) {
  net::HttpRequest request{method, target, 11};
  request.body() = body;
  for (const auto& [name, value] : auth.Sign(request.method_string(), target, body, signed_at))
    request.set(name, value);
  request.prepare_payload();
  return request;
}

TEST(ClusterAuth, AcceptsItsOwnSignature_AndNamesTheSender) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  const auto request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/announce", R"({"a":1})");
  const auto verdict = receiver.Verify(request, kNow + 5);
  EXPECT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.node, "o1");
  EXPECT_EQ(request[ClusterAuth::kSignatureHeader].size(), 64u);
  EXPECT_EQ(request[ClusterAuth::kTimestampHeader], std::to_string(kNow));
}

TEST(ClusterAuth, SignsTheSameRequestDifferently_EachTime) {
  ClusterAuth auth(kSecret, "o1");
  const auto first = auth.Sign("GET", "/cluster/v1/directory", "", kNow);
  const auto second = auth.Sign("GET", "/cluster/v1/directory", "", kNow);
  EXPECT_NE(first, second);  // the nonce differs
}

TEST(ClusterAuth, RefusesATamperedBody) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  auto request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/announce", R"({"stream":"cam"})");
  request.body() = R"({"stream":"cAm"})";
  const auto verdict = receiver.Verify(request, kNow);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("bad signature"), std::string::npos) << verdict.reason;
}

TEST(ClusterAuth, RefusesATamperedPathQueryOrMethod) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  {
    auto request =
        SignedRequest(sender, net::HttpMethod::get, "/cluster/v1/directory?owner=o1", "");
    request.target("/cluster/v1/directory?owner=o3");
    EXPECT_FALSE(receiver.Verify(request, kNow).ok);
  }
  {
    auto request = SignedRequest(sender, net::HttpMethod::get, "/cluster/v1/streams/a/b/c", "");
    request.target("/cluster/v1/streams/a/b/d");
    EXPECT_FALSE(receiver.Verify(request, kNow).ok);
  }
  {
    auto request = SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/unannounce", "{}");
    request.method(net::HttpMethod::put);
    EXPECT_FALSE(receiver.Verify(request, kNow).ok);
  }
}

TEST(ClusterAuth, RefusesAnotherSenderName_OnTheSameSignature) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  auto request = SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}");
  request.set(ClusterAuth::kNodeHeader, "o3");
  EXPECT_FALSE(receiver.Verify(request, kNow).ok);
}

TEST(ClusterAuth, RefusesATimestampOutsideTheSkew_OnEitherSide) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2", {.max_skew_ms = 30000});
  const auto old_request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}", kNow - 30001);
  auto verdict = receiver.Verify(old_request, kNow);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("clock"), std::string::npos) << verdict.reason;
  const auto future_request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}", kNow + 30001);
  EXPECT_FALSE(receiver.Verify(future_request, kNow).ok);
  // At the bound it still passes.
  const auto edge_request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}", kNow - 30000);
  EXPECT_TRUE(receiver.Verify(edge_request, kNow).ok);
}

TEST(ClusterAuth, RefusesATamperedTimestamp_EvenInsideTheSkew) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  auto request = SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}");
  request.set(ClusterAuth::kTimestampHeader, std::to_string(kNow + 1));
  EXPECT_FALSE(receiver.Verify(request, kNow).ok);
  request.set(ClusterAuth::kTimestampHeader, "17e11");
  EXPECT_FALSE(receiver.Verify(request, kNow).ok);
}

TEST(ClusterAuth, RefusesAReplay_UntilTheSignatureIsOutOfTheWindow) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2", {.max_skew_ms = 30000});
  const auto request =
      SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/announce", R"({"x":1})");
  EXPECT_TRUE(receiver.Verify(request, kNow).ok);
  const auto replay = receiver.Verify(request, kNow + 1000);
  EXPECT_FALSE(replay.ok);
  EXPECT_NE(replay.reason.find("replayed"), std::string::npos) << replay.reason;
  EXPECT_EQ(receiver.ReplayCacheSize(), 1u);
  // Once out of the window the cache forgets it, and the skew check refuses it instead.
  const auto late = receiver.Verify(request, kNow + 30001);
  EXPECT_FALSE(late.ok);
  EXPECT_NE(late.reason.find("clock"), std::string::npos) << late.reason;
  EXPECT_EQ(receiver.ReplayCacheSize(), 0u);
}

TEST(ClusterAuth, ForgetsTheOldestSignatures_PastItsCapacity) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2", {.max_skew_ms = 30000, .replay_capacity = 3});
  for (int i = 0; i < 5; ++i) {
    const auto request =
        SignedRequest(sender, net::HttpMethod::post, "/cluster/v1/heartbeat", "{}", kNow + i);
    EXPECT_TRUE(receiver.Verify(request, kNow + 10).ok);
  }
  EXPECT_EQ(receiver.ReplayCacheSize(), 3u);
}

TEST(ClusterAuth, RefusesAnotherSecret) {
  ClusterAuth sender("another-secret-of-20-chars", "o1");
  ClusterAuth receiver(kSecret, "o2");
  const auto request = SignedRequest(sender, net::HttpMethod::get, "/cluster/v1/directory", "");
  const auto verdict = receiver.Verify(request, kNow);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("cluster.secret"), std::string::npos) << verdict.reason;
}

TEST(ClusterAuth, NamesTheMissingHeader) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  for (std::string_view header : {ClusterAuth::kNodeHeader, ClusterAuth::kTimestampHeader,
                                  ClusterAuth::kNonceHeader, ClusterAuth::kSignatureHeader}) {
    auto request = SignedRequest(sender, net::HttpMethod::get, "/cluster/v1/directory", "");
    request.erase(header);
    const auto verdict = receiver.Verify(request, kNow);
    EXPECT_FALSE(verdict.ok) << header;
    EXPECT_NE(verdict.reason.find(std::string(header)), std::string::npos) << verdict.reason;
  }
  const net::HttpRequest bare{net::HttpMethod::get, "/cluster/v1/directory", 11};
  EXPECT_FALSE(receiver.Verify(bare, kNow).ok);
}

TEST(ClusterAuth, RefusesAMalformedSignature) {
  ClusterAuth sender(kSecret, "o1");
  ClusterAuth receiver(kSecret, "o2");
  auto request = SignedRequest(sender, net::HttpMethod::get, "/cluster/v1/directory", "");
  std::string upper(request[ClusterAuth::kSignatureHeader]);
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  request.set(ClusterAuth::kSignatureHeader, upper);
  EXPECT_FALSE(receiver.Verify(request, kNow).ok);
  request.set(ClusterAuth::kSignatureHeader, "abc");
  EXPECT_FALSE(receiver.Verify(request, kNow).ok);
}

TEST(ClusterAuth, SignsAClientRequest_OverItsUrlTarget) {
  ClusterAuth sender(kSecret, "e1");
  ClusterAuth receiver(kSecret, "o1");
  net::HttpClientRequest client_request;
  client_request.method = net::HttpMethod::get;
  client_request.url = "http://127.0.0.1:8101/cluster/v1/directory?owner=o1";
  sender.SignRequest(client_request);
  net::HttpRequest request{net::HttpMethod::get, "/cluster/v1/directory?owner=o1", 11};
  for (const auto& [name, value] : client_request.headers)
    request.set(name, value);
  const auto verdict = receiver.Verify(request, base::WallClockUs() / 1000);
  EXPECT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.node, "e1");
}

}  // namespace
}  // namespace tributary::cluster
