#include "cluster/ClusterRoutes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ClusterTestSupport.h"
#include "base/Clock.h"
#include "http/JsonResponse.h"

namespace tributary::cluster {
namespace {

using namespace testing;

class ClusterRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = std::make_unique<TestListener>(io_, "o1");
    node_->Routes().Add(
        net::HttpMethod::post, "echo",
        [](const net::HttpExchange& exchange, const http::RouteParams&, const std::string& sender) {
          exchange.Respond(http::JsonResponse(
              net::HttpStatus::ok, {{"sender", sender}, {"body", exchange.Request().body()}}));
        });
    io_.Start();
  }
  void TearDown() override {
    RunOn(io_, [this] { node_.reset(); });
    io_.Stop();
  }

  net::HttpClientRequest Echo(const std::string& body) const {
    net::HttpClientRequest request;
    request.method = net::HttpMethod::post;
    request.url = node_->Url() + "/cluster/v1/echo";
    request.body = body;
    return request;
  }

  static void ExpectRefused(const net::HttpClientResult& result, const std::string& reason_part) {
    ASSERT_TRUE(result.Ok()) << result.error;
    EXPECT_EQ(result.status, 401) << result.body;
    EXPECT_EQ(result.Header("WWW-Authenticate"), "Tributary-HMAC-SHA256");
    const auto json = nlohmann::json::parse(result.body, nullptr, false);
    ASSERT_TRUE(json.is_object()) << result.body;
    EXPECT_NE(json.value("error", "").find(reason_part), std::string::npos) << result.body;
  }

  net::IoThread io_{"cluster-routes-test"};
  std::unique_ptr<TestListener> node_;
};

TEST_F(ClusterRoutesTest, PassesASignedRequest_WithItsSender) {
  const auto result = SignedFetch(Echo("hello"), "e7");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200) << result.body;
  const auto json = nlohmann::json::parse(result.body);
  EXPECT_EQ(json["sender"], "e7");
  EXPECT_EQ(json["body"], "hello");
}

TEST_F(ClusterRoutesTest, Answers401_WithoutASignature) {
  ExpectRefused(net::HttpClient::Fetch(Echo("hello")), "missing X-Tributary-Signature");
}

TEST_F(ClusterRoutesTest, Answers401_ToAnotherSecret) {
  ExpectRefused(SignedFetch(Echo("hello"), "o2", "a-different-cluster-secret"), "bad signature");
}

TEST_F(ClusterRoutesTest, Answers401_ToATamperedBody) {
  auto request = Echo("hello");
  ClusterAuth(kSecret, "o2").SignRequest(request);
  request.body = "HELLO";
  ExpectRefused(net::HttpClient::Fetch(request), "bad signature");
}

TEST_F(ClusterRoutesTest, Answers401_ToAReplay) {
  auto request = Echo("hello");
  ClusterAuth(kSecret, "o2").SignRequest(request);
  const auto first = net::HttpClient::Fetch(request);
  ASSERT_TRUE(first.Ok()) << first.error;
  EXPECT_EQ(first.status, 200);
  ExpectRefused(net::HttpClient::Fetch(request), "replayed");
}

TEST_F(ClusterRoutesTest, Answers401_ToAStaleTimestamp) {
  auto request = Echo("hello");
  const uint64_t an_hour_ago = base::WallClockUs() / 1000 - 3'600'000;
  for (auto& header :
       ClusterAuth(kSecret, "o2").Sign("POST", "/cluster/v1/echo", "hello", an_hour_ago)) {
    request.headers.push_back(header);
  }
  ExpectRefused(net::HttpClient::Fetch(request), "clock");
}

}  // namespace
}  // namespace tributary::cluster
