// Real network faults between a viewer and a node: the node and its publisher run inside a
// network namespace the test makes (support/NetworkNamespace: veth pair, faults applied by the
// kernel to the UDP packets crossing it), the viewer (tributary-whep) and the test outside.
// Real processes, real ICE/DTLS/SRTP, NACK and RTX across a lossy, reordering, duplicating link.
// Skipped, saying why, when not root or without ip/tc/nft.
//
// Each test prints its figures (what the viewer got, recovered and lost) on stdout: the
// recovery figures of docs/reliability.md come from these lines.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/FreePort.h"
#include "support/NetworkNamespace.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "fault-test-publish-token";

class NetworkFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = NetworkNamespace::Unavailable(); !why.empty()) {
      GTEST_SKIP() << "network fault tests skipped: " << why;
    }
    ns_ = std::make_unique<NetworkNamespace>();
    node_.listen_ip = ns_->InsideIp();
    node_.http_port = FreeTcpPort();
    node_.extra_yaml = "media:\n  listen_ip: " + ns_->InsideIp() + "\n  consent_timeout_ms: 6000\n";
    TestVhost demo;
    demo.publish_token = kToken;
    demo.domains = {"localhost", ns_->InsideIp()};
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    const std::string config = dir_.Write("o1.yaml", node_.ToYaml());
    node_process_ = ns_->Spawn(NodeProcess::BinaryPath("tributary-origin"), {"--config", config});
    ASSERT_TRUE(node_process_->WaitHealthy(node_.Url())) << node_process_->Describe();
    whip_ = ns_->Spawn(NodeProcess::BinaryPath("tributary-whip"),
                       {node_.Url() + "/whip/live/cam", "--token", kToken, "--duration", "0",
                        "--bitrate", "1000k"});
    ASSERT_TRUE(whip_->WaitForStderr("tributary-whip: publishing to", 10s)) << whip_->Describe();
  }

  // Plays for `seconds` from outside the namespace; the viewer's JSON report.
  json Play(int seconds) {
    NodeProcess whep(NodeProcess::BinaryPath("tributary-whep"),
                     {node_.Url() + "/whep/live/cam", "--json", "--bind", ns_->OutsideIp(),
                      "--duration", std::to_string(seconds) + "s"});
    const auto code = whep.WaitExit(std::chrono::seconds(seconds + 30));
    EXPECT_EQ(code, 0) << whep.Describe();
    json report = json::parse(whep.Stdout(), nullptr, false);
    EXPECT_TRUE(report.is_object() && report.contains("video")) << whep.Describe();
    return report.is_object() && report.contains("video") ? report : json();
  }

  static void Print(const std::string& what, const json& report) {
    const json& v = report["video"];
    const double unique = v["unique"].get<double>();
    const double lost = v["lost"].get<double>();
    std::cout << "[figures] " << what << ": video packets " << v["packets"] << ", unique "
              << v["unique"] << ", recovered by RTX " << v["recovered"] << ", reordered "
              << v["reordered"] << ", duplicates " << v["duplicates"] << ", lost " << v["lost"]
              << " -> delivered " << (unique + lost > 0 ? 100.0 * unique / (unique + lost) : 0)
              << "%, NACKs sent " << report["ingest"]["video"].value("nack_packets", 0)
              << ", latency p50 " << v["latency_ms"]["p50"] << " ms p99 " << v["latency_ms"]["p99"]
              << " ms\n";
  }

  TempDir dir_;
  TestNode node_;
  std::unique_ptr<NetworkNamespace> ns_;
  std::unique_ptr<NodeProcess> node_process_;
  std::unique_ptr<NodeProcess> whip_;
};

TEST_F(NetworkFaultTest, FivePercentRandomLossBothWays_IsRecoveredByNackTo99Percent) {
  NetworkNamespace::Faults faults;
  faults.loss_out_percent = 5;  // media, RTX and sender reports to the viewer
  faults.loss_in_percent = 5;   // the viewer's NACKs, receiver reports and consent checks
  ns_->SetFaults(faults);
  const json report = Play(8);
  ASSERT_FALSE(report.is_null());
  Print("5% loss both ways", report);
  const json& video = report["video"];
  const int unique = video["unique"].get<int>();
  const int lost = video["lost"].get<int>();
  EXPECT_GT(unique, 300) << report.dump(2);
  EXPECT_GT(video["recovered"].get<int>(), unique / 100) << "5% loss, yet nothing was recovered";
  EXPECT_LE(lost * 100, unique + lost) << "less than 99% delivered\n" << report.dump(2);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["duplicates"], 0);
}

// Late originals: when the slow class queues up (a loaded machine), a packet comes a second
// late, more than 100 packets after its RTX copy. RFC 3550's validation alone took two such
// packets in a row for a sequence restart (a new epoch: duplicates, gaps never NACKed); the
// Producer tells late packets inside its cache window apart first (ProducerTest
// DropsOriginalsThatComeLongAfterTheirRtxCopies_WithoutRestarting).
TEST_F(NetworkFaultTest, ReorderingIsHarmless) {
  NetworkNamespace::Faults faults;
  faults.reorder_out_percent = 8;
  ns_->SetFaults(faults);
  const json report = Play(6);
  ASSERT_FALSE(report.is_null());
  Print("8% reordered (held back 100..400 ms)", report);
  const json& video = report["video"];
  EXPECT_GT(video["unique"].get<int>(), 300) << report.dump(2);
  EXPECT_GT(video["late"].get<int>(), 0) << "the link reordered nothing: the test proves nothing";
  EXPECT_EQ(video["lost"], 0) << report.dump(2);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["duplicates"], 0) << report.dump(2);
}

TEST_F(NetworkFaultTest, DuplicationIsHarmless) {
  NetworkNamespace::Faults faults;
  faults.duplicate_out_percent = 10;
  ns_->SetFaults(faults);
  const json report = Play(6);
  ASSERT_FALSE(report.is_null());
  Print("10% duplicated", report);
  const json& video = report["video"];
  EXPECT_GT(video["unique"].get<int>(), 300) << report.dump(2);
  // SRTP replay protection and the receiver's sequence tracking drop the copies.
  EXPECT_EQ(video["duplicates"], 0) << report.dump(2);
  EXPECT_EQ(video["lost"], 0) << report.dump(2);
  EXPECT_EQ(video["corrupt"], 0);
  EXPECT_EQ(video["seq"]["gaps"], 0);
}

TEST_F(NetworkFaultTest, AllFaultsAtOnce_StillDeliver99Percent) {
  NetworkNamespace::Faults faults;
  faults.loss_out_percent = 3;
  faults.loss_in_percent = 3;
  faults.reorder_out_percent = 5;
  faults.duplicate_out_percent = 5;
  ns_->SetFaults(faults);
  const json report = Play(6);
  ASSERT_FALSE(report.is_null());
  Print("3% loss both ways + 5% reordered + 5% duplicated", report);
  const json& video = report["video"];
  const int unique = video["unique"].get<int>();
  const int lost = video["lost"].get<int>();
  EXPECT_LE(lost * 100, unique + lost) << report.dump(2);
  EXPECT_EQ(video["duplicates"], 0);
  EXPECT_EQ(video["corrupt"], 0);
}

// A viewer cut off for 2 s (well within the 6 s consent timeout of this node: the client's consent
// checks are a second or two apart) gets its stream back on the same session.
TEST_F(NetworkFaultTest, ShortPartitionOfTheViewer_TheSessionResumes) {
  NodeProcess whep(
      NodeProcess::BinaryPath("tributary-whep"),
      {node_.Url() + "/whep/live/cam", "--json", "--bind", ns_->OutsideIp(), "--duration", "8s"});
  std::this_thread::sleep_for(2s);
  NetworkNamespace::Faults cut;
  cut.partition = true;
  ns_->SetFaults(cut);
  std::this_thread::sleep_for(2s);
  ns_->SetFaults({});
  const auto code = whep.WaitExit(40s);
  EXPECT_EQ(code, 0) << whep.Describe();
  const json report = json::parse(whep.Stdout(), nullptr, false);
  ASSERT_TRUE(report.is_object() && report.contains("video")) << whep.Describe();
  Print("2 s partition of the viewer", report);
  const json& video = report["video"];
  // ~2 s of media is gone for good (older than the packet cache); everything after came.
  EXPECT_GT(video["unique"].get<int>(), 400) << report.dump(2);
  EXPECT_GE(video["keyframes"].get<int>(), 2) << "no keyframe after the partition";
  EXPECT_TRUE(report["error"].is_null()) << "the session did not survive: " << report["error"];
  EXPECT_EQ(video["corrupt"], 0);
}

}  // namespace
}  // namespace tributary::testing
