// The media plane end to end, as users drive it: a node (origin, or a standalone edge: every
// node serves WHIP and WHEP) started from a config written for the test, tributary-whip
// publishing a synthetic VP8 stream (probes: counter + send time in every payload),
// tributary-whep playing it and reporting what arrived as JSON. Real processes, real loopback
// UDP, real ICE/DTLS/SRTP, NACK and RTX.

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <optional>
#include <regex>
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

constexpr const char* kPublishToken = "media-test-publish-token";

class MediaTest : public ::testing::Test {
 protected:
  // A node of `role` with a short consent timeout (a publisher that vanishes is noticed in 2 s),
  // the default 10 s publisher grace and `workers` media workers.
  void StartNode(const std::string& role, int workers = 1) {
    node_.role = role;
    node_.http_port = FreeTcpPort();
    node_.extra_yaml = "media:\n  listen_ip: 127.0.0.1\n  consent_timeout_ms: 2000\n  workers: " +
                       std::to_string(workers) + "\n";
    if (role == "edge") {
      node_.id = "e1";
      // An edge needs an origin; this one is never reached: the media stays on the edge.
      node_.others.push_back(
          {"o1", "origin", "http://127.0.0.1:" + std::to_string(FreeTcpPort()), "eu"});
      node_.origins = {"o1"};
    }
    TestVhost demo;
    demo.publish_token = kPublishToken;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    const std::string config = dir_.Write(node_.id + ".yaml", node_.ToYaml());
    node_process_ = std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-" + role),
                                                  std::vector<std::string>{"--config", config});
    ASSERT_TRUE(node_process_->WaitHealthy(node_.Url())) << node_process_->Describe();
  }

  std::string WhipUrl(const std::string& stream = "cam") const {
    return node_.Url() + "/whip/live/" + stream;
  }
  std::string WhepUrl(const std::string& stream = "cam") const {
    return node_.Url() + "/whep/live/" + stream;
  }

  std::unique_ptr<NodeProcess> Whip(std::vector<std::string> args,
                                    const std::string& stream = "cam") {
    args.insert(args.begin(), {WhipUrl(stream), "--token", kPublishToken});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whip"), args);
  }
  std::unique_ptr<NodeProcess> Whep(std::vector<std::string> args,
                                    const std::string& stream = "cam") {
    args.insert(args.begin(), {WhepUrl(stream), "--json"});
    return std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-whep"), args);
  }

  // The publisher is up (its session connected).
  static void ExpectPublishing(NodeProcess& whip) {
    ASSERT_TRUE(whip.WaitForStderr("tributary-whip: publishing to", 10s)) << whip.Describe();
  }

  // Waits for the viewer to exit and returns its report.
  static json Report(NodeProcess& whep, int expected_exit = 0) {
    const auto code = whep.WaitExit(30s);
    EXPECT_EQ(code, expected_exit) << whep.Describe();
    json report = json::parse(whep.Stdout(), nullptr, false);
    EXPECT_TRUE(report.is_object()) << whep.Describe();
    return report.is_object() ? report : json::object();
  }

  // The value of the sample `name` (with its labels, as printed) on /metrics; nullopt when absent.
  std::optional<double> Metric(const std::string& name) {
    const auto metrics = net::HttpClient::Get(node_.Url() + "/metrics");
    if (!metrics.Ok() || metrics.status != 200) return std::nullopt;
    const size_t at = metrics.body.find("\n" + name + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(metrics.body.substr(at + name.size() + 2));
  }

  // tributary_sessions{kind="<kind>",vhost="demo"} on /metrics; nullopt when absent.
  std::optional<int> Sessions(const std::string& kind) {
    const auto metrics = net::HttpClient::Get(node_.Url() + "/metrics");
    if (!metrics.Ok() || metrics.status != 200) return std::nullopt;
    const std::regex line("tributary_sessions\\{kind=\"" + kind + "\",vhost=\"demo\"\\} ([0-9]+)");
    std::smatch match;
    if (!std::regex_search(metrics.body, match, line)) return std::nullopt;
    return std::stoi(match[1].str());
  }
  bool WaitForSessions(const std::string& kind, int count, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Sessions(kind) == count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  TempDir dir_;
  TestNode node_;
  std::unique_ptr<NodeProcess> node_process_;
};

// What every clean run must show on the video track: everything sent from the viewer's first
// keyframe on arrived, once, intact, numbered without a gap.
void ExpectCleanVideo(const json& report) {
  ASSERT_TRUE(report.contains("video")) << report.dump(2);
  const json& video = report["video"];
  EXPECT_GT(video["packets"].get<int>(), 50) << report.dump(2);
  EXPECT_EQ(video["lost"], 0) << report.dump(2);
  EXPECT_EQ(video["duplicates"], 0);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["unprobed"], 0);
  EXPECT_EQ(video["seq"]["gaps"], 0) << report.dump(2);
  EXPECT_EQ(video["seq"]["restarts"], 0);
  EXPECT_GE(video["keyframes"].get<int>(), 1);
}

class MediaOnEachRoleTest : public MediaTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(MediaOnEachRoleTest, PlaysWhatIsPublished_WithoutLoss_ThenDeleteEndsTheSessions) {
  ASSERT_NO_FATAL_FAILURE(StartNode(GetParam()));
  auto whip = Whip({"--duration", "4s", "--audio", "--bitrate", "800k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  EXPECT_TRUE(WaitForSessions("publish", 1)) << Sessions("publish").value_or(-1);

  auto whep = Whep({"--duration", "2s"});
  const json report = Report(*whep);
  EXPECT_EQ(report["ok"], true) << report.dump(2);
  ExpectCleanVideo(report);
  ASSERT_TRUE(report.contains("audio")) << report.dump(2);
  EXPECT_GT(report["audio"]["packets"].get<int>(), 40);
  EXPECT_EQ(report["audio"]["lost"], 0);
  EXPECT_EQ(report["audio"]["seq"]["gaps"], 0);
  // Latency on loopback through one node, on a shared machine: sane, not a benchmark.
  EXPECT_LT(report["video"]["latency_ms"]["p50"].get<double>(), 50) << report.dump(2);
  EXPECT_LT(report["video"]["latency_ms"]["max"].get<double>(), 1000);
  // The first packet (a keyframe, the viewer's PLI answered at once) comes fast.
  EXPECT_LT(report["timing_ms"]["first_packet"].get<double>(), 1000) << report.dump(2);
  EXPECT_LT(report["timing_ms"]["first_keyframe"].get<double>(), 1500);
  EXPECT_NE(report["resource"].get<std::string>().find(node_.Url()), std::string::npos);

  // The viewer deleted its resource on the way out; the publisher deletes its own at the end.
  EXPECT_TRUE(WaitForSessions("play", 0)) << Sessions("play").value_or(-1);
  EXPECT_EQ(whip->WaitExit(15s), 0) << whip->Describe();
  EXPECT_TRUE(WaitForSessions("publish", 0)) << Sessions("publish").value_or(-1);
}

INSTANTIATE_TEST_SUITE_P(OriginAndStandaloneEdge, MediaOnEachRoleTest,
                         ::testing::Values("origin", "edge"),
                         [](const auto& info) { return info.param; });

// Two media workers: the publisher's session is on the stream's home worker, so the first viewer
// goes to the other one (the least loaded), which mirrors the stream; both viewers get it all.
TEST_F(MediaTest, TwoWorkers_ViewersOnBothWorkersPlayWithoutLoss) {
  ASSERT_NO_FATAL_FAILURE(StartNode("origin", 2));
  auto whip = Whip({"--duration", "5s", "--audio", "--bitrate", "800k"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  EXPECT_TRUE(WaitForSessions("publish", 1)) << Sessions("publish").value_or(-1);
  auto first = Whep({"--duration", "2s"});
  auto second = Whep({"--duration", "2s"});
  for (NodeProcess* whep : {first.get(), second.get()}) {
    const json report = Report(*whep);
    EXPECT_EQ(report["ok"], true) << report.dump(2);
    ExpectCleanVideo(report);
  }
  // The home worker handed the packets over to the other worker, and the ring never overflowed.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (Metric("tributary_mirror_packets_total").value_or(0) < 100 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(Metric("tributary_mirror_packets_total").value_or(0), 100);
  EXPECT_EQ(Metric("tributary_mirror_drops_total{reason=\"ring_full\"}").value_or(-1), 0);
  EXPECT_GE(Metric("tributary_mirror_wakeups_total").value_or(0), 1);
  EXPECT_EQ(whip->WaitExit(15s), 0) << whip->Describe();
}

TEST_F(MediaTest, RecoversDroppedPacketsByNackAndRtx) {
  ASSERT_NO_FATAL_FAILURE(StartNode("origin"));
  auto whip = Whip({"--duration", "5s"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));

  auto whep = Whep({"--duration", "3s", "--drop-percent", "5"});
  const json report = Report(*whep);
  ASSERT_TRUE(report.contains("video")) << report.dump(2);
  const json& video = report["video"];
  const int dropped = report["relay"]["dropped"].get<int>();
  const int recovered = video["recovered"].get<int>();
  const int unique = video["unique"].get<int>();
  const int lost = video["lost"].get<int>();
  EXPECT_GT(dropped, 5) << report.dump(2);
  EXPECT_GT(recovered, 0) << report.dump(2);
  // At least 99% of what was sent arrived, most of the drops recovered by retransmission.
  EXPECT_LE(lost * 100, unique + lost) << report.dump(2);
  EXPECT_GT(report["ingest"]["video"]["nack_packets"].get<int>(), 0);
  EXPECT_EQ(video["duplicates"], 0);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(whip->WaitExit(15s), 0) << whip->Describe();
}

TEST_F(MediaTest, ReplaysACaptureOfRealVp8_WhichTheViewerGetsFromAKeyframeOn) {
  ASSERT_NO_FATAL_FAILURE(StartNode("origin"));
  // 2 s of libvpx VP8 (tests/integration/data/make_aiortc_vp8_pcap.py), looped.
  auto whip = Whip({"--duration", "4s", "--replay",
                    std::string(TRIBUTARY_SOURCE_DIR) + "/tests/integration/data/aiortc-vp8.pcap"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  auto whep = Whep({"--duration", "2s", "--no-audio"});
  const json report = Report(*whep);
  ASSERT_TRUE(report.contains("video")) << report.dump(2);
  const json& video = report["video"];
  // Not our probes: counted by sequence number only.
  EXPECT_GT(video["packets"].get<int>(), 40) << report.dump(2);
  EXPECT_EQ(video["unprobed"], video["packets"]);
  EXPECT_EQ(video["duplicates"], 0);
  EXPECT_EQ(video["seq"]["gaps"], 0) << report.dump(2);
  // The capture's keyframes, detected in libvpx's bytes; the viewer starts at one.
  EXPECT_GE(video["keyframes"].get<int>(), 2) << report.dump(2);
  EXPECT_EQ(whip->WaitExit(15s), 0) << whip->Describe();
}

TEST_F(MediaTest, PlayBeforePublish_Gets409_ThenPlaysOnceThePublisherArrives) {
  ASSERT_NO_FATAL_FAILURE(StartNode("origin"));
  auto whep = Whep({"--wait-live", "10s", "--duration", "2s"});
  ASSERT_TRUE(whep->WaitForStderr("not live yet (409)", 5s)) << whep->Describe();
  auto whip = Whip({"--duration", "5s"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*whip));
  const json report = Report(*whep);
  EXPECT_EQ(report["ok"], true) << report.dump(2);
  EXPECT_GE(report["not_live_answers"].get<int>(), 1);
  ExpectCleanVideo(report);
  EXPECT_EQ(whip->WaitExit(15s), 0) << whip->Describe();
}

TEST_F(MediaTest, ViewerKeepsItsSessionAndContinuousNumbers_WhenThePublisherComesBack) {
  ASSERT_NO_FATAL_FAILURE(StartNode("origin"));
  auto first = Whip({"--duration", "0"});  // until killed
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*first));
  auto whep = Whep({"--duration", "7s"});
  ASSERT_TRUE(whep->WaitForStderr("tributary-whep: playing", 10s)) << whep->Describe();
  std::this_thread::sleep_for(1500ms);

  // The publisher vanishes without a DELETE; its session ends when ICE consent lapses (2 s),
  // and the stream waits for it (publisher grace).
  first->Signal(SIGKILL);
  EXPECT_EQ(first->WaitExit(5s), 128 + SIGKILL);
  ASSERT_TRUE(WaitForSessions("publish", 0, 6s)) << Sessions("publish").value_or(-1);
  EXPECT_EQ(Sessions("play"), 1);  // the viewer is still there
  auto second = Whip({"--duration", "6s"});
  ASSERT_NO_FATAL_FAILURE(ExpectPublishing(*second));

  const json report = Report(*whep);
  EXPECT_EQ(report["ok"], true) << report.dump(2);
  EXPECT_TRUE(report["error"].is_null()) << report.dump(2);  // never ended by the server
  ExpectCleanVideo(report);
  const json& publishers = report["video"]["publishers"];
  ASSERT_EQ(publishers.size(), 2u) << report.dump(2);
  EXPECT_GT(publishers[1]["unique"].get<int>(), 30) << report.dump(2);
  EXPECT_EQ(second->WaitExit(15s), 0) << second->Describe();
}

}  // namespace
}  // namespace tributary::testing
