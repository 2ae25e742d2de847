// The cluster's media end to end (docs/cluster.md, "Upstream links"): origins o1 and o2 in a
// mesh, edges e1 (region eu) and e2 (region us) with origins [o1, o2] (failover), real node
// processes on free loopback ports. tributary-whip publishes at one edge (which pushes the stream
// to an origin), tributary-whep plays at the other (which pulls it from the owner) and reports
// what arrived. Default timings: heartbeats every second, dead after 3, no media for 2 s fails a
// link, pulls linger 5 s.

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "net/HttpClient.h"
#include "support/FreePort.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kSecret = "cascade-test-cluster-secret-42";
constexpr const char* kPublishToken = "cascade-test-publish-token";

std::string Url(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

json GetJson(const std::string& url) {
  const auto result = net::HttpClient::Get(url);
  if (!result.Ok() || result.status != 200) return nullptr;
  return json::parse(result.body, nullptr, false);
}

// The value of `sample` ("name{labels}") in a node's /metrics; -1 when absent.
double Metric(const std::string& base_url, const std::string& sample) {
  const auto result = net::HttpClient::Get(base_url + "/metrics");
  const auto at = result.body.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(result.body.substr(at + sample.size() + 2));
}

int Sessions(const std::string& base_url, const std::string& kind) {
  return static_cast<int>(
      Metric(base_url, "tributary_sessions{kind=\"" + kind + "\",vhost=\"demo\"}"));
}

// The owner of demo/live/<stream> in an origin's directory ("" when it has none).
std::string OwnerSeenBy(const std::string& base_url, const std::string& stream = "cam") {
  net::HttpClientRequest request;
  request.url = base_url + "/cluster/v1/streams/demo/live/" + stream;
  request.timeout = 2s;
  cluster::ClusterAuth(kSecret, "tester").SignRequest(request);
  const auto result = net::HttpClient::Fetch(std::move(request));
  if (!result.Ok() || result.status != 200) return "";
  return json::parse(result.body, nullptr, false).value("owner", "");
}

// The stream's row in a node's GET /api/v1/streams (null when not listed).
json StreamRow(const std::string& base_url, const std::string& stream = "cam") {
  const json view = GetJson(base_url + "/api/v1/streams");
  if (!view.is_object()) return nullptr;
  for (const json& row : view["streams"]) {
    if (row["vhost"] == "demo" && row["app"] == "live" && row["stream"] == stream) return row;
  }
  return nullptr;
}

// What every viewer of the synthetic stream must see on its video track.
void ExpectVideo(const json& report, int min_packets) {
  EXPECT_EQ(report["ok"], true) << report.dump(2);
  ASSERT_TRUE(report.contains("video")) << report.dump(2);
  const json& video = report["video"];
  EXPECT_GT(video["packets"].get<int>(), min_packets) << report.dump(2);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["duplicates"], 0);
  EXPECT_EQ(video["seq"]["restarts"], 0) << report.dump(2);
  EXPECT_GE(video["keyframes"].get<int>(), 1);
}

class CascadeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestVhost demo;
    demo.publish_token = kPublishToken;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
  }

  // The cluster: `origins` (o*) and `edges` (e*, each with `edge_origins`, in that order).
  // Every node of both lists is in every config; `down` names nodes configured but never run.
  void Configure(const std::vector<std::string>& origins, const std::vector<std::string>& edges,
                 const std::vector<std::string>& edge_origins) {
    std::vector<std::string> all = origins;
    all.insert(all.end(), edges.begin(), edges.end());
    for (const auto& id : all)
      ports_[id] = FreeTcpPort();
    for (const auto& id : all) {
      TestNode node;
      node.id = id;
      node.role = id[0] == 'e' ? "edge" : "origin";
      node.region = Region(id);
      node.http_port = ports_[id];
      node.secret = kSecret;
      for (const auto& other : all) {
        if (other == id) continue;
        node.others.push_back(
            {other, other[0] == 'e' ? "edge" : "origin", Url(ports_[other]), Region(other)});
      }
      if (node.role == "edge") node.origins = edge_origins;
      node.extra_yaml = "media:\n  listen_ip: 127.0.0.1\n";
      configs_[id] = dir_.Write(id + ".yaml", node.ToYaml());
    }
  }

  static std::string Region(const std::string& id) { return id == "e2" ? "us" : "eu"; }

  void Start(const std::string& id) {
    const std::string binary = id[0] == 'e' ? "tributary-edge" : "tributary-origin";
    auto process = std::make_unique<NodeProcess>(
        NodeProcess::BinaryPath(binary), std::vector<std::string>{"--config", configs_[id]});
    ASSERT_TRUE(process->WaitHealthy(U(id))) << process->Describe();
    nodes_[id] = std::move(process);
  }

  // Every running edge sees its running origins alive, every running origin its peers.
  void WaitForCluster(const std::vector<std::string>& edges, size_t origins_up) {
    for (const auto& edge : edges) {
      ASSERT_TRUE(WaitUntil(
          [&] {
            return Metric(U(edge), "tributary_peers{state=\"alive\"}") ==
                   static_cast<double>(origins_up);
          },
          5s))
          << Describe(edge);
    }
  }

  std::unique_ptr<NodeProcess> Whip(const std::string& edge, std::vector<std::string> args,
                                    const std::string& stream = "cam") {
    args.insert(args.begin(), {U(edge) + "/whip/live/" + stream, "--token", kPublishToken});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whip"), args);
  }
  std::unique_ptr<NodeProcess> Whep(const std::string& url, std::vector<std::string> args) {
    args.insert(args.begin(), {url, "--json"});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whep"), args);
  }
  std::unique_ptr<NodeProcess> WhepAt(const std::string& node, std::vector<std::string> args,
                                      const std::string& stream = "cam") {
    return Whep(U(node) + "/whep/live/" + stream, std::move(args));
  }

  static void ExpectPublishing(NodeProcess& whip) {
    ASSERT_TRUE(whip.WaitForStderr("tributary-whip: publishing to", 10s)) << whip.Describe();
  }
  static json Report(NodeProcess& whep, int expected_exit = 0) {
    const auto code = whep.WaitExit(40s);
    EXPECT_EQ(code, expected_exit) << whep.Describe();
    json report = json::parse(whep.Stdout(), nullptr, false);
    EXPECT_TRUE(report.is_object()) << whep.Describe();
    return report.is_object() ? report : json::object();
  }

  std::string U(const std::string& id) { return Url(ports_[id]); }
  std::string Describe(const std::string& id) {
    return nodes_.count(id) != 0 ? nodes_[id]->Describe() : id + " is not running";
  }

  TempDir dir_;
  std::map<std::string, uint16_t> ports_;
  std::map<std::string, std::string> configs_;
  std::map<std::string, std::unique_ptr<NodeProcess>> nodes_;
};

TEST_F(CascadeTest, PublishAtE1_PlayAtE2_OnePullForManyViewers_409AtE2_DirectoriesForget) {
  Configure({"o1", "o2"}, {"e1", "e2"}, {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForCluster({"e1", "e2"}, 2));

  auto whip = Whip("e1", {"--duration", "0", "--bitrate", "500k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  // e1 pushes to its first origin, which announces the stream to the mesh.
  ASSERT_TRUE(
      WaitUntil([&] { return OwnerSeenBy(U("o1")) == "o1" && OwnerSeenBy(U("o2")) == "o1"; }, 5s))
      << Describe("e1") << Describe("o1");
  EXPECT_EQ(Metric(U("e1"), "tributary_upstream_links{kind=\"push\"}"), 1);
  EXPECT_EQ(Sessions(U("o1"), "publish"), 1);

  // One viewer at e2: e2 pulls from o1.
  {
    auto whep = WhepAt("e2", {"--duration", "2s"});
    const json report = Report(*whep);
    ExpectVideo(report, 30);
    EXPECT_EQ(report["video"]["lost"], 0) << report.dump(2);
    EXPECT_EQ(report["video"]["seq"]["gaps"], 0) << report.dump(2);
    EXPECT_NE(report["resource"].get<std::string>().find(U("e2")), std::string::npos);
  }

  // Twenty viewers at once (the pull lingers from the first one, or not: both ways one pull).
  std::vector<std::unique_ptr<NodeProcess>> viewers;
  for (int i = 0; i < 20; ++i)
    viewers.push_back(WhepAt("e2", {"--duration", "4s"}));
  EXPECT_TRUE(WaitUntil([&] { return Sessions(U("e2"), "play") == 20; }, 10s))
      << Sessions(U("e2"), "play");
  EXPECT_EQ(Metric(U("e2"), "tributary_upstream_links{kind=\"pull\"}"), 1);
  // The origins see one upstream session for the stream: e2's pull, at o1.
  EXPECT_EQ(Sessions(U("o1"), "play"), 1);
  EXPECT_EQ(Sessions(U("o2"), "play"), 0);
  const json row = StreamRow(U("e2"));
  ASSERT_TRUE(row.is_object()) << GetJson(U("e2") + "/api/v1/streams").dump(2);
  EXPECT_EQ(row["source"], "o1") << row.dump(2);
  EXPECT_EQ(row["upstream"]["kind"], "pull") << row.dump(2);
  EXPECT_EQ(row["viewers"], 20) << row.dump(2);
  const json origin_row = StreamRow(U("o1"));
  ASSERT_TRUE(origin_row.is_object());
  EXPECT_EQ(origin_row["source"], "e1") << origin_row.dump(2);
  EXPECT_EQ(origin_row["viewer_nodes"], json::array({"e2"})) << origin_row.dump(2);
  const json e1_row = StreamRow(U("e1"));
  ASSERT_TRUE(e1_row.is_object());
  EXPECT_EQ(e1_row["source"], "local");
  EXPECT_EQ(e1_row["upstream"]["kind"], "push");
  EXPECT_EQ(e1_row["upstream"]["node"], "o1");
  EXPECT_EQ(origin_row["viewers"], 1);

  // The same stream published at e2 while it is live through e1: refused.
  auto second = Whip("e2", {"--duration", "2s"});
  EXPECT_EQ(second->WaitExit(10s), 1) << second->Describe();
  EXPECT_NE(second->Stderr().find("409"), std::string::npos) << second->Describe();

  for (auto& viewer : viewers) {
    const json report = Report(*viewer);
    ExpectVideo(report, 30);
  }
  EXPECT_EQ(Metric(U("e2"), "tributary_upstream_links{kind=\"pull\"}"), 1);  // lingers

  // The publisher leaves: every origin forgets the stream within 2 s.
  whip->Signal(SIGTERM);
  EXPECT_EQ(whip->WaitExit(5s), 0) << whip->Describe();
  const auto left = std::chrono::steady_clock::now();
  EXPECT_TRUE(
      WaitUntil([&] { return OwnerSeenBy(U("o1")).empty() && OwnerSeenBy(U("o2")).empty(); }, 2s))
      << Describe("o1");
  EXPECT_LT(std::chrono::steady_clock::now() - left, 2s);
  EXPECT_TRUE(WaitUntil(
      [&] { return Metric(U("e1"), "tributary_upstream_links{kind=\"push\"}") == 0; }, 2s));
  // And e2's pull goes after its linger time.
  EXPECT_TRUE(WaitUntil(
      [&] { return Metric(U("e2"), "tributary_upstream_links{kind=\"pull\"}") == 0; }, 8s));
}

TEST_F(CascadeTest, OwningOriginKilled_ViewersAtE2GetMediaAgainWithin3s_InTheSameSession) {
  Configure({"o1", "o2"}, {"e1", "e2"}, {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForCluster({"e1", "e2"}, 2));

  auto whip = Whip("e1", {"--duration", "0", "--bitrate", "500k", "--keyframe-interval", "10s"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2")) == "o1"; }, 5s)) << Describe("o1");

  std::vector<std::unique_ptr<NodeProcess>> viewers;
  for (int i = 0; i < 3; ++i)
    viewers.push_back(WhepAt("e2", {"--duration", "9s"}));
  for (auto& viewer : viewers)
    ASSERT_TRUE(viewer->WaitForStderr("tributary-whep: playing", 10s)) << viewer->Describe();
  std::this_thread::sleep_for(2s);
  ASSERT_EQ(Sessions(U("o1"), "play"), 1);

  nodes_["o1"]->Signal(SIGKILL);
  // e1 re-pushes to o2 (which takes the stream over), e2 re-pulls from it.
  EXPECT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2")) == "o2"; }, 4s)) << Describe("o2");
  EXPECT_TRUE(WaitUntil([&] { return Sessions(U("o2"), "play") == 1; }, 4s)) << Describe("e2");

  for (auto& viewer : viewers) {
    const json report = Report(*viewer);
    ExpectVideo(report, 100);
    EXPECT_TRUE(report["error"].is_null()) << report.dump(2);  // never ended by the edge
    // The interruption, as the viewer saw it.
    EXPECT_LT(report["video"]["max_gap_ms"].get<double>(), 3000) << report.dump(2);
    // The same numbering across the failover: the edge's consumer kept its sequence.
    EXPECT_EQ(report["video"]["seq"]["gaps"], 0) << report.dump(2);
    EXPECT_EQ(report["totals"]["seq_restarts"], 0) << report.dump(2);
  }
  EXPECT_GE(Metric(U("e1"), "tributary_failovers_total"), 1);
  EXPECT_GE(Metric(U("e2"), "tributary_failovers_total"), 1);
  const json row = StreamRow(U("e2"));
  ASSERT_TRUE(row.is_object());
  EXPECT_EQ(row["source"], "o2") << row.dump(2);
}

TEST_F(CascadeTest, EdgeWithThreeOrigins_FirstNotRunning_PublishesAndPlaysThroughTheSecond) {
  Configure({"o0", "o1", "o2"}, {"e1", "e2"}, {"o0", "o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForCluster({"e1", "e2"}, 2));

  auto whip = Whip("e1", {"--duration", "0", "--bitrate", "500k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2")) == "o1"; }, 5s)) << Describe("e1");
  auto whep = WhepAt("e2", {"--duration", "2s"});
  const json report = Report(*whep);
  ExpectVideo(report, 30);
  const json row = StreamRow(U("e2"));
  ASSERT_TRUE(row.is_object());
  EXPECT_EQ(row["source"], "o1") << row.dump(2);
  EXPECT_EQ(StreamRow(U("e1"))["upstream"]["node"], "o1");
}

TEST_F(CascadeTest, ViewerAskingO1WithRegionUs_IsRedirectedToE2_WithAGrant) {
  Configure({"o1", "o2"}, {"e1", "e2"}, {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForCluster({"e1", "e2"}, 2));
  // The origins know the edges from their heartbeats.
  ASSERT_TRUE(WaitUntil(
      [&] {
        const json view = GetJson(U("o1") + "/api/v1/cluster");
        return view.is_object() && view["edges"].size() == 2;
      },
      5s));

  auto whip = Whip("e1", {"--duration", "0", "--bitrate", "500k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o1")) == "o1"; }, 5s)) << Describe("e1");

  auto whep = Whep(U("o1") + "/whep/live/cam?region=us", {"--duration", "2s"});
  const json report = Report(*whep);
  ExpectVideo(report, 30);
  const std::string resource = report["resource"];
  EXPECT_EQ(resource.rfind(U("e2") + "/", 0), 0u) << report.dump(2);
  ASSERT_EQ(report["redirects"].size(), 1u) << report.dump(2);
  EXPECT_NE(report["redirects"][0].get<std::string>().find("grant="), std::string::npos)
      << report.dump(2);
  EXPECT_GE(Metric(U("o1"), "tributary_redirects_total{reason=\"nearest_edge\"}"), 1);

  // A forged grant is not taken: on a vhost that wants no play token it still plays, but a
  // wrong cluster signature is refused outright.
  net::HttpClientRequest forged;
  forged.method = net::HttpMethod::post;
  forged.url = U("e2") + "/whep/live/cam";
  forged.body = "v=0\r\n";
  forged.headers.emplace_back("Content-Type", "application/sdp");
  cluster::ClusterAuth("a-different-cluster-secret-000", "intruder").SignRequest(forged);
  const auto refused = net::HttpClient::Fetch(std::move(forged));
  EXPECT_EQ(refused.status, 401) << refused.body;
}

TEST_F(CascadeTest, VhostPinnedToO2_EdgesUseO2_AndO1RefusesItsPublishers) {
  TestVhost demo;
  demo.publish_token = kPublishToken;
  dir_.Write("vhosts/demo.yaml", demo.ToYaml() + "origins: [o2]\n");
  Configure({"o1", "o2"}, {"e1", "e2"}, {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForCluster({"e1", "e2"}, 2));

  // e1 lists o1 first, but the vhost keeps its streams on o2.
  auto whip = Whip("e1", {"--duration", "0", "--bitrate", "500k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o1")) == "o2"; }, 5s)) << Describe("e1");
  EXPECT_EQ(StreamRow(U("e1"))["upstream"]["node"], "o2");
  EXPECT_EQ(Sessions(U("o1"), "publish"), 0);
  {
    auto whep = WhepAt("e2", {"--duration", "2s"});
    ExpectVideo(Report(*whep), 30);
  }
  EXPECT_EQ(StreamRow(U("e2"))["source"], "o2");

  // A publisher straight at o1 is told where the vhost's streams go.
  auto direct = Whip("o1", {"--duration", "1s", "--json"}, "other");
  ASSERT_EQ(direct->WaitExit(10s), 1) << direct->Describe();
  const json report = json::parse(direct->Stdout(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << direct->Describe();
  EXPECT_EQ(report["status"], 421) << report.dump(2);
  EXPECT_NE(report["error"].get<std::string>().find("keeps its streams on origin(s) o2"),
            std::string::npos)
      << report.dump(2);
}

}  // namespace
}  // namespace tributary::testing
