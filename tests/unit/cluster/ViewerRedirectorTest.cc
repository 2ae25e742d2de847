#include "cluster/ViewerRedirector.h"

#include <gtest/gtest.h>

#include <map>

#include <boost/asio/io_context.hpp>

#include "base/Clock.h"
#include "cluster/ClusterAuth.h"
#include "net/Url.h"

namespace tributary::cluster {
namespace {

constexpr const char* kSecret = "unit-test-cluster-secret-0123";
constexpr uint64_t kNowMs = 50'000;
constexpr uint64_t kUnixMs = 1'700'000'000'000;
const sfu::StreamKey kKey{"acme", "live", "cam 1"};

net::Endpoint Ip(const char* text) {
  return net::Endpoint::Parse(text, 50000).value_or(net::Endpoint());
}

Heartbeat EdgeHeartbeat(const std::string& id, const std::string& region, const std::string& url,
                        uint64_t sessions, bool draining = false) {
  Heartbeat heartbeat;
  heartbeat.from = {id, config::NodeRole::kEdge, region, url, "i-" + id};
  heartbeat.load.sessions = sessions;
  heartbeat.draining = draining;
  return heartbeat;
}

class ViewerRedirectorTest : public ::testing::Test {
 protected:
  ViewerRedirectorTest()
      : redirector_(RegionMap(std::vector<config::ClusterSettings::RegionRule>{
                        {"10.1.0.0/16", "eu"}, {"10.2.0.0/16", "us"}, {"fd00:2::/32", "us"}}),
                    edges_, grants_, metrics_) {
    edges_.Record(EdgeHeartbeat("e-eu", "eu", "http://127.0.0.1:8201", 3), kNowMs);
    edges_.Record(EdgeHeartbeat("e-us1", "us", "http://127.0.0.1:8202", 7), kNowMs);
    edges_.Record(EdgeHeartbeat("e-us2", "us", "https://us2.example:8443", 2), kNowMs);
  }

  double NearestEdgeRedirects() {
    return metrics_.Redirects().Add({{"reason", "nearest_edge"}}).Value();
  }

  metrics::Metrics metrics_{"test", "origin"};
  RedirectGrant grants_{kSecret};
  EdgeRegistry edges_{3};
  ViewerRedirector redirector_;
};

TEST_F(ViewerRedirectorTest, SendsAViewerOfTheRegionParam_ToTheLeastLoadedEdgeThere) {
  const auto location = redirector_.RedirectFor(kKey, Ip("192.0.2.7"), "us", kNowMs, kUnixMs);
  ASSERT_TRUE(location);
  const auto url = net::Url::Parse(*location);
  ASSERT_TRUE(url) << *location;
  EXPECT_EQ(url->Scheme(), "https");
  EXPECT_EQ(url->Host(), "us2.example");
  EXPECT_EQ(url->Port(), 8443);
  EXPECT_EQ(url->Path(), "/whep/live/cam%201");
  EXPECT_EQ(url->Param("vhost"), "acme");
  const auto grant = url->Param("grant");
  ASSERT_TRUE(grant);
  // The edge it names admits the viewer on it, for this stream only.
  EXPECT_EQ(grants_.Verify(*grant, kKey, "e-us2", kUnixMs + 1000), RedirectGrant::Check::kOk);
  EXPECT_NE(grants_.Verify(*grant, {"acme", "live", "cam 2"}, "e-us2", kUnixMs),
            RedirectGrant::Check::kOk);
  EXPECT_EQ(NearestEdgeRedirects(), 1);
}

TEST_F(ViewerRedirectorTest, FindsTheRegionFromTheClientAddress_Ipv4AndIpv6) {
  auto location = redirector_.RedirectFor(kKey, Ip("10.1.4.4"), std::nullopt, kNowMs, kUnixMs);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("http://127.0.0.1:8201/whep/live/cam%201?vhost=acme&grant="))
      << *location;
  location = redirector_.RedirectFor(kKey, Ip("fd00:2::99"), std::nullopt, kNowMs, kUnixMs);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("https://us2.example:8443/")) << *location;
  location = redirector_.RedirectFor(kKey, Ip("::ffff:10.1.0.1"), std::nullopt, kNowMs, kUnixMs);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("http://127.0.0.1:8201/")) << *location;
}

TEST_F(ViewerRedirectorTest, ServesTheViewerItself_WithoutARegionOrAnEdgeThere) {
  EXPECT_FALSE(redirector_.RedirectFor(kKey, Ip("192.0.2.7"), std::nullopt, kNowMs, kUnixMs));
  EXPECT_FALSE(redirector_.RedirectFor(kKey, Ip("192.0.2.7"), "ap", kNowMs, kUnixMs));
  // A malformed ?region= is ignored: the address decides.
  EXPECT_FALSE(redirector_.RedirectFor(kKey, Ip("192.0.2.7"), "U S!", kNowMs, kUnixMs));
  EXPECT_TRUE(redirector_.RedirectFor(kKey, Ip("10.2.0.5"), "U S!", kNowMs, kUnixMs));
  // Dead edges are not candidates: every edge missed 3 heartbeats.
  EXPECT_FALSE(redirector_.RedirectFor(kKey, Ip("10.2.0.5"), std::nullopt, kNowMs + 3001, kUnixMs));
  EXPECT_EQ(NearestEdgeRedirects(), 1);
}

TEST_F(ViewerRedirectorTest, SpreadsABurstOfViewers_BeforeTheNextHeartbeats) {
  // e-us2 has 2 sessions, e-us1 7: the first five go to e-us2, then they alternate.
  std::map<std::string, int> sent;
  for (int i = 0; i < 11; ++i) {
    const auto location =
        redirector_.RedirectFor(kKey, Ip("10.2.0.5"), std::nullopt, kNowMs, kUnixMs);
    ASSERT_TRUE(location);
    ++sent[net::Url::Parse(*location)->Host()];
  }
  EXPECT_EQ(sent["us2.example"], 8);
  EXPECT_EQ(sent["127.0.0.1"], 3);
}

TEST_F(ViewerRedirectorTest, SkipsDrainingEdges) {
  edges_.Record(EdgeHeartbeat("e-us2", "us", "https://us2.example:8443", 2, true), kNowMs);
  const auto location =
      redirector_.RedirectFor(kKey, Ip("10.2.0.5"), std::nullopt, kNowMs, kUnixMs);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("http://127.0.0.1:8202/")) << *location;
}

TEST_F(ViewerRedirectorTest, TakesRegionAndAddressFromTheRequest_AndNeverRedirectsANode) {
  // This overload reads the clocks: the edges were last heard from now.
  edges_.Record(EdgeHeartbeat("e-eu", "eu", "http://127.0.0.1:8201", 3), base::NowMs());
  edges_.Record(EdgeHeartbeat("e-us2", "us", "https://us2.example:8443", 2), base::NowMs());
  boost::asio::io_context io;
  auto exchange = [&](const std::string& target, const char* remote, bool signed_request) {
    net::HttpRequest request{net::HttpMethod::post, target, 11};
    if (signed_request) request.set(ClusterAuth::kSignatureHeader, std::string(64, 'a'));
    net::HttpExchange::Origin origin{Ip(remote), Ip("127.0.0.1"), false};
    return net::HttpExchange(request, *net::Url::ParseTarget(target), origin, 0, {},
                             io.get_executor());
  };
  auto location =
      redirector_.RedirectFor(exchange("/whep/live/cam?region=eu", "192.0.2.1", false), kKey);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("http://127.0.0.1:8201/")) << *location;
  location = redirector_.RedirectFor(exchange("/whep/live/cam", "10.2.3.4", false), kKey);
  ASSERT_TRUE(location);
  EXPECT_TRUE(location->starts_with("https://us2.example:8443/")) << *location;
  // An edge pulling the stream signs its request: it is served, not sent to another edge.
  EXPECT_FALSE(
      redirector_.RedirectFor(exchange("/whep/live/cam?region=eu", "10.2.3.4", true), kKey));
}

}  // namespace
}  // namespace tributary::cluster
