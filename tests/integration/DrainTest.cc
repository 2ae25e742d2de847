// Graceful drain (node.drain_seconds) with real processes: SIGTERM stops admitting sessions
// (WHIP/WHEP 503 with Retry-After and a reason, /api/v1/ready 503 while /api/v1/health stays
// 200), an edge tells its origins it is draining (their edge registry shows it, so their
// ViewerRedirector skips it), the open sessions keep their media until they end or the period
// runs out, and the process exits 0; a second SIGTERM stops it at once.

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/HttpClient.h"
#include "support/FreePort.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "drain-test-publish-token";

class DrainTest : public ::testing::Test {
 protected:
  // Writes the demo vhost and the node's file; starts it and waits until it is healthy.
  std::unique_ptr<NodeProcess> Start(TestNode& node) {
    if (node.http_port == 0) node.http_port = FreeTcpPort();
    node.extra_yaml = "media:\n  listen_ip: 127.0.0.1\n  consent_timeout_ms: 2000\n";
    TestVhost demo;
    demo.publish_token = kToken;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    const std::string config = dir_.Write(node.id + ".yaml", node.ToYaml());
    auto process = std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-" + node.role),
                                                 std::vector<std::string>{"--config", config});
    EXPECT_TRUE(process->WaitHealthy(node.Url())) << process->Describe();
    return process;
  }

  static std::unique_ptr<NodeProcess> Whip(const TestNode& node, std::vector<std::string> args) {
    args.insert(args.begin(), {node.Url() + "/whip/live/cam", "--token", kToken});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whip"), args);
  }
  static std::unique_ptr<NodeProcess> Whep(const TestNode& node, std::vector<std::string> args) {
    args.insert(args.begin(), {node.Url() + "/whep/live/cam", "--json"});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whep"), args);
  }

  static net::HttpClientResult Offer(const TestNode& node, const std::string& path) {
    net::HttpClientRequest request;
    request.method = net::HttpMethod::post;
    request.url = node.Url() + path;
    request.headers = {{"Content-Type", "application/sdp"}, {"Authorization", "Bearer drain"}};
    request.body = "v=0\r\n";
    request.timeout = 3s;
    return net::HttpClient::Fetch(std::move(request));
  }

  TempDir dir_;
};

TEST_F(DrainTest, SigtermWithoutSessions_ExitsZeroAtOnce) {
  TestNode node;
  node.drain_seconds = 30;
  auto process = Start(node);
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(net::HttpClient::Get(node.Url() + "/api/v1/ready").status, 200);
  const auto start = Clock::now();
  process->Signal(SIGTERM);
  EXPECT_EQ(process->WaitExit(5s), 0) << process->Describe();
  EXPECT_LT(Clock::now() - start, 3s) << "nothing to drain, yet the node waited";
  EXPECT_NE(process->Stderr().find("drained: no session left"), std::string::npos)
      << process->Describe();
}

TEST_F(DrainTest, SigtermRefusesNewSessions_ServesTheOpenOnes_ThenExitsZeroAfterThePeriod) {
  TestNode node;
  node.drain_seconds = 4;
  auto process = Start(node);
  ASSERT_FALSE(HasFailure());
  auto whip = Whip(node, {"--duration", "0"});  // until killed
  ASSERT_TRUE(whip->WaitForStderr("tributary-whip: publishing to", 10s)) << whip->Describe();
  auto whep = Whep(node, {"--duration", "3s"});
  std::this_thread::sleep_for(1s);  // the viewer's session up and playing
  ASSERT_TRUE(whep->Running()) << whep->Describe();

  const auto sigterm = Clock::now();
  process->Signal(SIGTERM);
  ASSERT_TRUE(process->WaitForStderr("draining", 3s)) << process->Describe();

  // Not ready, still alive.
  const auto ready = net::HttpClient::Get(node.Url() + "/api/v1/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(json::parse(ready.body, nullptr, false).value("status", ""), "draining") << ready.body;
  const auto health = net::HttpClient::Get(node.Url() + "/api/v1/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body, nullptr, false).value("draining", false), true);

  // New sessions, publish or play: 503, Retry-After, a reason.
  for (const char* path : {"/whep/live/cam", "/whip/live/other"}) {
    SCOPED_TRACE(path);
    const auto refused = Offer(node, path);
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_TRUE(refused.Header("Retry-After").has_value());
    EXPECT_NE(refused.body.find("draining"), std::string::npos) << refused.body;
  }

  // The viewer that was there keeps its media to its end, without loss.
  const auto viewer_exit = whep->WaitExit(15s);
  EXPECT_EQ(viewer_exit, 0) << whep->Describe();
  const json report = json::parse(whep->Stdout(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << whep->Describe();
  EXPECT_GT(report["video"]["packets"].get<int>(), 50) << report.dump(2);
  EXPECT_EQ(report["video"]["lost"], 0) << report.dump(2);

  // The publisher is still there: the node stops when the period ends, with 0.
  EXPECT_EQ(process->WaitExit(10s), 0) << process->Describe();
  const auto took = Clock::now() - sigterm;
  EXPECT_GE(took, 3500ms);
  EXPECT_LT(took, 8s);
  EXPECT_NE(process->Stderr().find("drain period of 4 s over"), std::string::npos)
      << process->Describe();
}

TEST_F(DrainTest, SecondSigtermStopsAtOnce) {
  TestNode node;
  node.drain_seconds = 60;
  auto process = Start(node);
  ASSERT_FALSE(HasFailure());
  auto whip = Whip(node, {"--duration", "0"});
  ASSERT_TRUE(whip->WaitForStderr("tributary-whip: publishing to", 10s)) << whip->Describe();
  process->Signal(SIGTERM);
  ASSERT_TRUE(process->WaitForStderr("draining", 3s)) << process->Describe();
  EXPECT_FALSE(process->WaitExit(1s).has_value()) << "a publisher is open: the node must wait";
  const auto start = Clock::now();
  process->Signal(SIGTERM);
  EXPECT_EQ(process->WaitExit(5s), 0) << process->Describe();
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(DrainTest, DrainSecondsZero_StopsOnSigtermAtOnce) {
  TestNode node;
  node.drain_seconds = 0;
  auto process = Start(node);
  ASSERT_FALSE(HasFailure());
  auto whip = Whip(node, {"--duration", "0"});
  ASSERT_TRUE(whip->WaitForStderr("tributary-whip: publishing to", 10s)) << whip->Describe();
  process->Signal(SIGTERM);
  EXPECT_EQ(process->WaitExit(5s), 0) << process->Describe();
  EXPECT_EQ(process->Stderr().find("draining"), std::string::npos);
}

// A draining edge says so in its heartbeats: its origin's edge registry (which the origin's
// ViewerRedirector reads) lists it as draining, so no viewer is sent there any more.
TEST_F(DrainTest, DrainingEdgeIsReportedToItsOrigin) {
  TestNode origin;
  origin.id = "o1";
  origin.http_port = FreeTcpPort();
  TestNode edge;
  edge.id = "e1";
  edge.role = "edge";
  edge.http_port = FreeTcpPort();
  edge.drain_seconds = 20;
  origin.others = {{"e1", "edge", edge.Url(), "eu"}};
  edge.others = {{"o1", "origin", origin.Url(), "eu"}};
  edge.origins = {"o1"};
  auto origin_process = Start(origin);
  auto edge_process = Start(edge);
  ASSERT_FALSE(HasFailure());

  auto edge_state = [&]() -> json {
    const auto result = net::HttpClient::Get(origin.Url() + "/api/v1/cluster");
    const json view = json::parse(result.body, nullptr, false);
    if (!view.is_object()) return nullptr;
    for (const auto& e : view["edges"]) {
      if (e["id"] == "e1") return e;
    }
    return nullptr;
  };
  auto wait_for = [&](auto predicate, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (predicate()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  ASSERT_TRUE(wait_for([&] { return edge_state().is_object(); }, 10s))
      << "the origin never heard of the edge\n"
      << origin_process->Describe();
  EXPECT_EQ(edge_state()["draining"], false);

  // A session on the edge keeps it draining rather than gone.
  auto whip = Whip(edge, {"--duration", "0"});
  ASSERT_TRUE(whip->WaitForStderr("tributary-whip: publishing to", 10s)) << whip->Describe();
  const auto sigterm = Clock::now();
  edge_process->Signal(SIGTERM);
  ASSERT_TRUE(wait_for([&] { return edge_state().value("draining", false); }, 5s))
      << edge_state().dump() << "\n"
      << edge_process->Describe();
  const auto reported = Clock::now() - sigterm;
  EXPECT_LT(reported, 3s);
  EXPECT_EQ(edge_state().value("state", ""), "alive");
  std::cout << "origin saw the edge draining "
            << std::chrono::duration_cast<std::chrono::milliseconds>(reported).count()
            << " ms after SIGTERM\n";
  whip->Signal(SIGKILL);
  // The publisher gone (consent expiry, 2 s), the edge has nothing left and exits 0.
  EXPECT_EQ(edge_process->WaitExit(10s), 0) << edge_process->Describe();
}

}  // namespace
}  // namespace tributary::testing
