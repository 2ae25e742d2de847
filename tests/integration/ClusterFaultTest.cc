// Real network faults inside the cluster (docs/reliability.md, "Cluster faults"): real node
// processes (tributary-origin, tributary-edge), tributary-whip publishing synthetic probes and
// tributary-whep viewers reporting what arrived, with faults between the nodes:
//
//   DelayAndLoss  an edge and its origin in different network namespaces, joined through a
//                 userspace link emulator (tributary-linkemu, tests/linkemu) that holds every
//                 frame 100 ms each way and drops 1% each way: the edge's pull recovers by
//                 NACK/RTX across the delayed hop. Not tc netem: this machine's kernel has no
//                 sch_netem (CONFIG_NET_SCH_NETEM unset; only HTB, TBF, FIFO and ingress
//                 qdiscs, no nftables queue), so the delay is made in userspace.
//   Partition     origin o1 in its own namespace, cut off (nftables drops everything, both
//                 ways) for 5 s while a viewer at edge e2 watches a stream e1 pushes to o1.
//                 Origins do not pull from each other (docs/cluster.md), so the failover is the
//                 cluster's: e1 re-pushes to o2, which takes the stream over, and e2's pull
//                 follows it; then the link heals and o1 takes new streams again.
//   KillLoop      the owning origin SIGKILLed and restarted, 3 rounds, viewers at e2 watching a
//                 publisher at e1 (loopback: no namespace needed).
//
// Each test prints its figures ("[figures] ...") on stdout: docs/reliability.md quotes them.
// The namespace tests skip, saying why, when not root or without ip/tc/nft/ethtool.

#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "net/HttpClient.h"
#include "support/FreePort.h"
#include "support/NetworkNamespace.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kSecret = "cluster-fault-test-secret-0042";
constexpr const char* kPublishToken = "cluster-fault-publish-token";
constexpr const char* kAdminToken = "cluster-fault-admin-token";

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

net::HttpClientResult AdminGet(const std::string& url) {
  net::HttpClientRequest request;
  request.url = url;
  request.timeout = 2s;
  request.headers.emplace_back("Authorization", std::string("Bearer ") + kAdminToken);
  return net::HttpClient::Fetch(std::move(request));
}

json GetJson(const std::string& url) {
  const auto result = AdminGet(url);
  if (!result.Ok() || result.status != 200) return nullptr;
  return json::parse(result.body, nullptr, false);
}

// The value of `sample` ("name{labels}") in a node's /metrics; -1 when absent.
double Metric(const std::string& base_url, const std::string& sample) {
  const auto result = AdminGet(base_url + "/metrics");
  const auto at = result.body.find("\n" + sample + " ");
  if (!result.Ok() || at == std::string::npos) return -1;
  return std::stod(result.body.substr(at + sample.size() + 2));
}

// The owner of demo/live/<stream> in an origin's directory ("" when it has none).
std::string OwnerSeenBy(const std::string& base_url, const std::string& stream) {
  net::HttpClientRequest request;
  request.url = base_url + "/cluster/v1/streams/demo/live/" + stream;
  request.timeout = 2s;
  cluster::ClusterAuth(kSecret, "tester").SignRequest(request);
  const auto result = net::HttpClient::Fetch(std::move(request));
  if (!result.Ok() || result.status != 200) return "";
  return json::parse(result.body, nullptr, false).value("owner", "");
}

// The stream's upstream link in an edge's GET /api/v1/upstreams (null when there is none).
json UpstreamOf(const std::string& base_url, const std::string& stream) {
  const json view = GetJson(base_url + "/api/v1/upstreams");
  if (!view.is_object()) return nullptr;
  for (const json& row : view["upstreams"]) {
    if (row["app"] == "live" && row["stream"] == stream) return row;
  }
  return nullptr;
}

// The stream's row in a node's GET /api/v1/streams (null when not listed).
json StreamRow(const std::string& base_url, const std::string& stream) {
  const json view = GetJson(base_url + "/api/v1/streams");
  if (!view.is_object()) return nullptr;
  for (const json& row : view["streams"]) {
    if (row["app"] == "live" && row["stream"] == stream) return row;
  }
  return nullptr;
}

// Media sessions open on a node (GET /api/v1/sessions); -1 when it does not answer.
int SessionCount(const std::string& base_url) {
  const json view = GetJson(base_url + "/api/v1/sessions");
  return view.is_object() ? static_cast<int>(view["sessions"].size()) : -1;
}

// RTP packets a node received for a stream so far (its /api/v1/streams row); -1 when unlisted.
int64_t PacketsIn(const std::string& base_url, const std::string& stream) {
  const json row = StreamRow(base_url, stream);
  return row.is_object() && row["packets_in"].is_number() ? row["packets_in"].get<int64_t>() : -1;
}

double Delivered(const json& video) {
  const double unique = video["unique"].get<double>();
  const double lost = video["lost"].get<double>();
  return unique + lost > 0 ? 100.0 * unique / (unique + lost) : 0;
}

void PrintViewer(const std::string& what, const json& report) {
  const json& v = report["video"];
  std::cout << "[figures] " << what << ": video packets " << v["packets"] << ", unique "
            << v["unique"] << ", lost " << v["lost"] << " -> delivered " << Delivered(v)
            << "%, recovered by RTX " << v["recovered"] << ", late " << v["late"] << ", duplicates "
            << v["duplicates"] << ", max gap " << v["max_gap_ms"] << " ms, latency p50 "
            << v["latency_ms"]["p50"] << " ms p99 " << v["latency_ms"]["p99"] << " ms\n";
}

// A cluster of nodes, each with its own address (a namespace's inside or outside end, or
// loopback), its config written for the test.
class ClusterFaultTest : public ::testing::Test {
 protected:
  struct NodeSpec {
    std::string id;
    std::string ip;
    const NetworkNamespace* ns = nullptr;  // runs inside it; nullptr: in the test's namespace
    std::string media_yaml;                // extra lines of the media section
  };

  void SetUp() override {
    TestVhost demo;
    demo.publish_token = kPublishToken;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
  }

  // Every node knows every other; edges use `edge_origins` in that order.
  void Configure(const std::vector<NodeSpec>& nodes, const std::vector<std::string>& edge_origins,
                 const std::string& cluster_yaml = "") {
    for (const NodeSpec& spec : nodes) {
      specs_[spec.id] = spec;
      ports_[spec.id] = FreeTcpPort();
    }
    for (const NodeSpec& spec : nodes) {
      TestNode node;
      node.id = spec.id;
      node.role = IsEdge(spec.id) ? "edge" : "origin";
      node.http_port = ports_[spec.id];
      node.listen_ip = spec.ip;
      node.secret = kSecret;
      node.admin_token = kAdminToken;
      node.log_level = "warn";
      for (const NodeSpec& other : nodes) {
        if (other.id == spec.id) continue;
        node.others.push_back(
            {other.id, IsEdge(other.id) ? "edge" : "origin", U(other.id), node.region});
      }
      if (node.role == "edge") node.origins = edge_origins;
      node.cluster_yaml = cluster_yaml;
      node.extra_yaml = "media:\n  listen_ip: " + spec.ip + "\n" + spec.media_yaml;
      configs_[spec.id] = dir_.Write(spec.id + ".yaml", node.ToYaml());
    }
  }

  static bool IsEdge(const std::string& id) { return id[0] == 'e'; }

  void Start(const std::string& id) {
    const NodeSpec& spec = specs_[id];
    const std::string binary =
        NodeProcess::BinaryPath(IsEdge(id) ? "tributary-edge" : "tributary-origin");
    const std::vector<std::string> args = {"--config", configs_[id]};
    auto process =
        spec.ns ? spec.ns->Spawn(binary, args) : std::make_unique<NodeProcess>(binary, args);
    ASSERT_TRUE(process->WaitHealthy(U(id))) << process->Describe();
    nodes_[id] = std::move(process);
  }

  // `edge` sees `origins_up` of its origins alive.
  void WaitForOrigins(const std::string& edge, double origins_up,
                      std::chrono::milliseconds timeout = 8s) {
    ASSERT_TRUE(WaitUntil(
        [&] { return Metric(U(edge), "tributary_peers{state=\"alive\"}") == origins_up; }, timeout))
        << Describe(edge);
  }

  std::unique_ptr<NodeProcess> Whip(const std::string& node, const std::string& stream,
                                    std::vector<std::string> args) {
    args.insert(args.begin(),
                {U(node) + "/whip/live/" + stream, "--token", kPublishToken, "--duration", "0"});
    const std::string binary = NodeProcess::BinaryPath("tributary-whip");
    const NodeSpec& spec = specs_[node];
    auto whip =
        spec.ns ? spec.ns->Spawn(binary, args) : std::make_unique<NodeProcess>(binary, args);
    EXPECT_TRUE(whip->WaitForStderr("tributary-whip: publishing to", 15s)) << whip->Describe();
    return whip;
  }

  std::unique_ptr<NodeProcess> Whep(const std::string& node, const std::string& stream,
                                    std::chrono::seconds duration) {
    const NodeSpec& spec = specs_[node];
    std::vector<std::string> args = {
        U(node) + "/whep/live/" + stream,      "--json", "--bind", spec.ip, "--duration",
        std::to_string(duration.count()) + "s"};
    const std::string binary = NodeProcess::BinaryPath("tributary-whep");
    return spec.ns ? spec.ns->Spawn(binary, args) : std::make_unique<NodeProcess>(binary, args);
  }

  static json Report(NodeProcess& whep, std::chrono::seconds timeout = 40s) {
    const auto code = whep.WaitExit(timeout);
    EXPECT_EQ(code, 0) << whep.Describe();
    json report = json::parse(whep.Stdout(), nullptr, false);
    EXPECT_TRUE(report.is_object() && report.contains("video")) << whep.Describe();
    return report.is_object() && report.contains("video") ? report : json();
  }

  std::string U(const std::string& id) {
    return "http://" + specs_[id].ip + ":" + std::to_string(ports_[id]);
  }
  std::string Describe(const std::string& id) {
    return nodes_.count(id) != 0 && nodes_[id] ? nodes_[id]->Describe() : id + " is not running";
  }

  TempDir dir_;
  std::map<std::string, NodeSpec> specs_;
  std::map<std::string, uint16_t> ports_;
  std::map<std::string, std::string> configs_;
  std::map<std::string, std::unique_ptr<NodeProcess>> nodes_;
};

// The nodes die before the namespaces they run in (members go in reverse order).
class ClusterNetworkFaultTest : public ClusterFaultTest {
 protected:
  void TearDown() override {
    nodes_.clear();
    ns_.reset();
  }

  std::unique_ptr<NetworkNamespace> ns_;
};

TEST_F(ClusterNetworkFaultTest,
       DelayAndLoss_100msEachWay1PercentBetweenEdgeAndOrigin_ViewerAtTheEdgeGets99Percent) {
  if (const std::string why = NetworkNamespace::EmulatorUnavailable(); !why.empty()) {
    GTEST_SKIP() << "cluster network fault tests skipped: " << why;
  }
  // o1 (and the publisher) inside the namespace; e1 and its viewer outside; the emulator
  // between them.
  ns_ = std::make_unique<NetworkNamespace>(NetworkNamespace::Link::kEmulated);
  NetworkNamespace& ns = *ns_;
  ns.SetLink(100, 1);
  Configure({{"o1", ns.InsideIp(), &ns, ""}, {"e1", ns.OutsideIp(), nullptr, ""}}, {"o1"});
  ASSERT_NO_FATAL_FAILURE(Start("o1"));
  ASSERT_NO_FATAL_FAILURE(Start("e1"));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e1", 1));
  auto whip = Whip("o1", "cam", {"--bitrate", "1000k"});
  ASSERT_FALSE(HasFailure());

  auto whep = Whep("e1", "cam", 10s);
  const json report = Report(*whep);
  ASSERT_FALSE(report.is_null());
  const json link = UpstreamOf(U("e1"), "cam");
  const double nacks_out = Metric(U("e1"), "tributary_nacks_total{direction=\"out\"}");
  const double nacks_in = Metric(U("o1"), "tributary_nacks_total{direction=\"in\"}");
  const std::string emulator = ns.StopLink();
  PrintViewer("100 ms each way + 1% loss each way, edge <-> origin", report);
  std::cout << "[figures] edge pull NACKs sent " << nacks_out << ", NACKs at the origin "
            << nacks_in << "; emulator: " << emulator.substr(emulator.find('\n') + 1);

  const json& video = report["video"];
  EXPECT_GT(video["unique"].get<int>(), 500) << report.dump(2);
  EXPECT_GE(Delivered(video), 99.0) << report.dump(2);
  EXPECT_GT(nacks_out, 0) << "1% loss, yet the edge never asked again: the test proves nothing";
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["duplicates"], 0) << report.dump(2);
  EXPECT_TRUE(report["error"].is_null()) << report.dump(2);
  ASSERT_TRUE(link.is_object()) << GetJson(U("e1") + "/api/v1/upstreams").dump(2);
  EXPECT_EQ(link["kind"], "pull") << link.dump(2);
  EXPECT_EQ(link["node"], "o1") << link.dump(2);
  EXPECT_EQ(link["failovers"], 0) << "the delayed, lossy link failed: " << link.dump(2);
}

TEST_F(ClusterNetworkFaultTest,
       Partition_5sBetweenEdgeAndOrigin_FailsOverToTheOtherOrigin_AndRecovers) {
  if (const std::string why = NetworkNamespace::Unavailable(); !why.empty()) {
    GTEST_SKIP() << "cluster network fault tests skipped: " << why;
  }
  // o1 alone in the namespace; o2, the edges, the publisher and the viewer outside. Short
  // consent timeouts on the origins: o1's sessions end while it is cut off, so that it does
  // not come back claiming a stream it lost.
  ns_ = std::make_unique<NetworkNamespace>();
  NetworkNamespace& ns = *ns_;
  const std::string origin_media = "  consent_timeout_ms: 3000\n";
  Configure({{"o1", ns.InsideIp(), &ns, origin_media},
             {"o2", ns.OutsideIp(), nullptr, origin_media},
             {"e1", ns.OutsideIp(), nullptr, ""},
             {"e2", ns.OutsideIp(), nullptr, ""}},
            {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e1", 2));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e2", 2));
  auto whip = Whip("e1", "cam", {"--bitrate", "500k", "--keyframe-interval", "2s"});
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2"), "cam") == "o1"; }, 5s)) << Describe("e1");

  auto whep = Whep("e2", "cam", 16s);
  ASSERT_TRUE(whep->WaitForStderr("tributary-whep: playing", 10s)) << whep->Describe();
  ASSERT_TRUE(WaitUntil(
      [&] {
        const json link = UpstreamOf(U("e2"), "cam");
        return link.is_object() && link["node"] == "o1" && link["state"] == "live";
      },
      5s))
      << GetJson(U("e2") + "/api/v1/upstreams").dump(2);
  std::this_thread::sleep_for(2s);

  // The partition.
  NetworkNamespace::Faults cut;
  cut.partition = true;
  ns.SetFaults(cut);
  const auto cut_at = Clock::now();
  // e2's pull fails over to o2 (once e1's push made o2 the owner) and media flows again; the
  // link heals 5 s after the cut whether or not that happened yet.
  const int64_t before = PacketsIn(U("e2"), "cam");
  json link;
  auto failed_over = [&] {
    link = UpstreamOf(U("e2"), "cam");
    return link.is_object() && link["node"] == "o2" && link["state"] == "live" &&
           PacketsIn(U("e2"), "cam") > before + 50;
  };
  double failover_ms = -1;
  while (Clock::now() - cut_at < 5s) {
    if (failover_ms < 0 && failed_over()) failover_ms = MsSince(cut_at);
    std::this_thread::sleep_for(50ms);
  }
  ns.SetFaults({});  // healed
  const auto healed_at = Clock::now();
  if (failover_ms < 0 && WaitUntil(failed_over, 5s)) failover_ms = MsSince(cut_at);
  EXPECT_GE(failover_ms, 0) << "no failover to o2: " << link.dump(2) << Describe("e2");
  EXPECT_EQ(OwnerSeenBy(U("o2"), "cam"), "o2");

  // The viewer kept its session through it all.
  const json report = Report(*whep);
  ASSERT_FALSE(report.is_null());
  const json& video = report["video"];
  PrintViewer("o1 cut off 5 s, viewer at e2 (same WHEP session)", report);
  std::cout << "[figures] partition: e2's pull live on o2 " << failover_ms
            << " ms after the cut (media flowing), the viewer's longest interruption "
            << video["max_gap_ms"] << " ms\n";
  EXPECT_TRUE(report["error"].is_null()) << "the session did not survive: " << report.dump(2);
  EXPECT_GT(video["unique"].get<int>(), 600) << report.dump(2);
  EXPECT_LT(video["max_gap_ms"].get<double>(), 5000) << report.dump(2);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["duplicates"], 0) << report.dump(2);
  EXPECT_EQ(video["seq"]["gaps"], 0) << report.dump(2);
  link = UpstreamOf(U("e2"), "cam");
  ASSERT_TRUE(link.is_object());
  EXPECT_GE(link["failovers"].get<int>(), 1) << link.dump(2);

  // Recovery: the edges see o1 again; a stream published now goes to o1 (first in the edges'
  // order) and a viewer at e2 pulls it from o1; the old stream still plays (from o2).
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e1", 2, 20s));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e2", 2, 20s));
  const double rejoin_ms = MsSince(healed_at);
  auto second = Whip("e1", "cam2", {"--bitrate", "300k"});
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2"), "cam2") == "o1"; }, 5s))
      << Describe("o1");
  auto after = Whep("e2", "cam2", 3s);
  auto old_stream = Whep("e2", "cam", 3s);
  const json after_report = Report(*after);
  const json old_report = Report(*old_stream);
  ASSERT_FALSE(after_report.is_null());
  ASSERT_FALSE(old_report.is_null());
  EXPECT_GT(after_report["video"]["unique"].get<int>(), 50) << after_report.dump(2);
  EXPECT_GT(old_report["video"]["unique"].get<int>(), 50) << old_report.dump(2);
  const json new_link = UpstreamOf(U("e2"), "cam2");
  ASSERT_TRUE(new_link.is_object()) << GetJson(U("e2") + "/api/v1/upstreams").dump(2);
  EXPECT_EQ(new_link["node"], "o1") << new_link.dump(2);
  std::cout << "[figures] partition healed: edges saw o1 alive again after " << rejoin_ms
            << " ms; a new stream went to o1 and played at e2 through it\n";
}

TEST_F(ClusterFaultTest, OriginsKilledAndRestarted_3Rounds_ViewersKeepReceiving_NoSessionsLeft) {
  Configure({{"o1", "127.0.0.1", nullptr, ""},
             {"o2", "127.0.0.1", nullptr, ""},
             {"e1", "127.0.0.1", nullptr, ""},
             {"e2", "127.0.0.1", nullptr, ""}},
            {"o1", "o2"});
  for (const char* id : {"o1", "o2", "e1", "e2"})
    ASSERT_NO_FATAL_FAILURE(Start(id));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e1", 2));
  ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e2", 2));
  auto whip = Whip("e1", "cam", {"--bitrate", "500k", "--keyframe-interval", "2s"});
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(WaitUntil([&] { return OwnerSeenBy(U("o2"), "cam") == "o1"; }, 5s));

  constexpr int kRounds = 3;
  constexpr int kViewers = 3;
  std::vector<std::unique_ptr<NodeProcess>> viewers;
  for (int i = 0; i < kViewers; ++i)
    viewers.push_back(Whep("e2", "cam", 36s));
  for (auto& viewer : viewers)
    ASSERT_TRUE(viewer->WaitForStderr("tributary-whep: playing", 10s)) << viewer->Describe();
  std::this_thread::sleep_for(2s);

  // Per viewer session at e2: RTP packets sent to it so far.
  auto packets_out = [&] {
    std::map<std::string, int64_t> out;
    const json view = GetJson(U("e2") + "/api/v1/sessions?kind=play");
    if (!view.is_object()) return out;
    for (const json& s : view["sessions"])
      out[s["id"].get<std::string>()] = s.value("rtp_packets_out", int64_t{0});
    return out;
  };

  std::string owner = "o1";
  std::vector<double> interruptions;
  for (int round = 1; round <= kRounds; ++round) {
    const std::string other = owner == "o1" ? "o2" : "o1";
    // The media at e2 as the viewers get it: sampled every 50 ms, the interruption is the
    // longest time packets_in did not grow, from the kill until it flows from the other origin.
    int64_t last = PacketsIn(U("e2"), "cam");
    nodes_[owner]->Signal(SIGKILL);
    nodes_[owner]->WaitExit(5s);
    auto last_growth = Clock::now();
    double longest = 0;
    bool flowing = false;
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      const int64_t now = PacketsIn(U("e2"), "cam");
      if (now > last) {
        longest = std::max(longest, MsSince(last_growth));
        last_growth = Clock::now();
        last = now;
        const json link = UpstreamOf(U("e2"), "cam");
        if (link.is_object() && link["node"] == other && link["state"] == "live") {
          flowing = true;
          break;
        }
      }
    }
    EXPECT_TRUE(flowing) << "round " << round << ": no media from " << other
                         << GetJson(U("e2") + "/api/v1/upstreams").dump(2);
    interruptions.push_back(longest);
    const auto sent_before = packets_out();
    std::this_thread::sleep_for(1s);
    const auto sent_after = packets_out();
    EXPECT_EQ(sent_after.size(), static_cast<size_t>(kViewers)) << "round " << round;
    for (const auto& [id, count] : sent_after) {
      EXPECT_GT(count, sent_before.count(id) ? sent_before.at(id) + 20 : 20)
          << "round " << round << ": viewer session " << id << " gets nothing";
    }
    std::cout << "[figures] origin kill round " << round << ": " << owner
              << " SIGKILLed, e2's media back from " << other << " after " << longest << " ms\n";
    // The killed origin comes back, empty, on the same port.
    nodes_.erase(owner);
    ASSERT_NO_FATAL_FAILURE(Start(owner));
    ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e1", 2));
    ASSERT_NO_FATAL_FAILURE(WaitForOrigins("e2", 2));
    owner = other;
  }

  for (auto& viewer : viewers) {
    const json report = Report(*viewer);
    ASSERT_FALSE(report.is_null());
    PrintViewer("3 origin kills, viewer at e2", report);
    EXPECT_TRUE(report["error"].is_null()) << report.dump(2);
    EXPECT_EQ(report["video"]["corrupt"], 0);
    EXPECT_EQ(report["video"]["duplicates"], 0) << report.dump(2);
    EXPECT_LT(report["video"]["max_gap_ms"].get<double>(), 5000) << report.dump(2);
  }
  // The publisher leaves; the pull lingers 5 s, then nothing is left anywhere.
  whip->Signal(SIGTERM);
  EXPECT_EQ(whip->WaitExit(5s), 0) << whip->Describe();
  for (const char* id : {"o1", "o2", "e1", "e2"}) {
    EXPECT_TRUE(WaitUntil([&] { return SessionCount(U(id)) == 0; }, 12s))
        << id << " keeps sessions: " << GetJson(U(id) + "/api/v1/sessions").dump(2);
  }
}

}  // namespace
}  // namespace tributary::testing
