// The admin API as an operator uses it: a real node, a real publisher (tributary-whip), and
// tributary-ctl listing the session and kicking it; the node's session lifecycle log lines in
// JSON (logging.format: json) say what happened.

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
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

constexpr const char* kPublishToken = "admin-test-publish-token";
constexpr const char* kAdminToken = "admin-test-admin-token";

class AdminApiTest : public ::testing::Test {
 protected:
  void StartNode() {
    node_.http_port = FreeTcpPort();
    node_.admin_token = kAdminToken;
    node_.log_format = "json";
    node_.extra_yaml = "media:\n  listen_ip: 127.0.0.1\n  consent_timeout_ms: 2000\n";
    TestVhost demo;
    demo.publish_token = kPublishToken;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    const std::string config = dir_.Write(node_.id + ".yaml", node_.ToYaml());
    node_process_ = std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-origin"),
                                                  std::vector<std::string>{"--config", config});
    ASSERT_TRUE(node_process_->WaitHealthy(node_.Url())) << node_process_->Describe();
  }

  ProcessResult Ctl(std::vector<std::string> args, bool with_token = true) const {
    args.insert(args.begin(), {"--url", node_.Url()});
    if (with_token) args.insert(args.begin(), {"--token", kAdminToken});
    return RunProcess(NodeProcess::BinaryPath("tributary-ctl"), args, 15s);
  }

  // The sessions the node lists (tributary-ctl sessions --json).
  json Sessions() const {
    const ProcessResult result = Ctl({"sessions", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    const json out = json::parse(result.out, nullptr, false);
    if (!out.is_array() || out.size() != 1 || !out[0].contains("body")) {
      ADD_FAILURE() << result.out;
      return json::array();
    }
    EXPECT_EQ(out[0]["body"]["node"], node_.id);
    return out[0]["body"]["sessions"];
  }

  // Every line the node logged, each parsed (a line that is not JSON fails the test).
  std::vector<json> LogLines() const {
    std::vector<json> lines;
    std::istringstream in(node_process_->Stderr());
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      json parsed = json::parse(line, nullptr, false);
      EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
      if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
    }
    return lines;
  }

  TempDir dir_;
  TestNode node_;
  std::unique_ptr<NodeProcess> node_process_;
};

TEST_F(AdminApiTest, CtlListsAPublishedSession_KicksIt_AndTheLogSaysSo) {
  ASSERT_NO_FATAL_FAILURE(StartNode());
  NodeProcess whip(NodeProcess::BinaryPath("tributary-whip"),
                   {node_.Url() + "/whip/live/cam", "--token", kPublishToken, "--duration", "60s",
                    "--audio", "--bitrate", "600k"});
  ASSERT_TRUE(whip.WaitForStderr("tributary-whip: publishing to", 10s)) << whip.Describe();

  // The table: one publish session of demo/live/cam, connected, from loopback.
  std::this_thread::sleep_for(1500ms);
  const ProcessResult table = Ctl({"sessions"});
  ASSERT_EQ(table.exit_code, 0) << table.out << table.err;
  EXPECT_NE(table.out.find("ID"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("BITRATE"), std::string::npos) << table.out;
  std::istringstream rows(table.out);
  std::string header, row, extra;
  std::getline(rows, header);
  std::getline(rows, row);
  EXPECT_FALSE(std::getline(rows, extra)) << table.out;
  for (const char* cell : {"o1", "demo", "live", "cam", "publish", "connected", "127.0.0.1:"}) {
    EXPECT_NE(row.find(cell), std::string::npos) << cell << " in: " << row;
  }

  // The same as JSON, with the traffic measured between two requests.
  std::this_thread::sleep_for(1000ms);
  const json sessions = Sessions();
  ASSERT_EQ(sessions.size(), 1u) << sessions.dump(2);
  const json& session = sessions[0];
  const std::string id = session["id"];
  EXPECT_EQ(id.size(), 32u);
  EXPECT_NE(table.out.find(id), std::string::npos);
  EXPECT_EQ(session["vhost"], "demo");
  EXPECT_EQ(session["app"], "live");
  EXPECT_EQ(session["stream"], "cam");
  EXPECT_EQ(session["kind"], "publish");
  EXPECT_EQ(session["state"], "connected");
  EXPECT_EQ(session["tracks"], 2);
  EXPECT_EQ(session["remote"].get<std::string>().rfind("127.0.0.1:", 0), 0u) << session.dump();
  // 600 kb/s of video plus audio, SRTP included.
  EXPECT_GT(session["bitrate_bps"].get<double>(), 300'000) << session.dump();
  EXPECT_LT(session["bitrate_bps"].get<double>(), 2'000'000) << session.dump();
  EXPECT_GT(session["rtp_packets_in"].get<int>(), 50);
  EXPECT_EQ(session["packets_lost"], 0);
  EXPECT_EQ(session["loss"], 0.0);
  EXPECT_TRUE(session["rtt_ms"].is_null());  // a publisher's RTT is the publisher's to measure
  EXPECT_TRUE(session["setup_ms"].is_number());

  // A second publisher of the same stream is refused (409): its offer got no session.
  const ProcessResult second = RunProcess(
      NodeProcess::BinaryPath("tributary-whip"),
      {node_.Url() + "/whip/live/cam", "--token", kPublishToken, "--duration", "1s"}, 15s);
  EXPECT_EQ(second.exit_code, 1) << second.out << second.err;

  // Without the admin token: refused, with the node's reason.
  const auto anonymous = net::HttpClient::Get(node_.Url() + "/api/v1/sessions");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_TRUE(json::parse(anonymous.body, nullptr, false).contains("error")) << anonymous.body;
  const ProcessResult refused = Ctl({"sessions"}, false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("HTTP 401: the admin API needs an Authorization: Bearer token"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.out, "");

  // No upstream links on a lone origin.
  const ProcessResult upstreams = Ctl({"upstreams", "--json"});
  ASSERT_EQ(upstreams.exit_code, 0) << upstreams.err;
  EXPECT_EQ(json::parse(upstreams.out)[0]["body"]["upstreams"], json::array());

  // Kick: the session ends like a DELETE, the publisher sees its session close.
  const ProcessResult kick = Ctl({"kick", id, "--reason", "integration test"});
  ASSERT_EQ(kick.exit_code, 0) << kick.out << kick.err;
  EXPECT_NE(kick.out.find("kicked session " + id), std::string::npos) << kick.out;
  EXPECT_TRUE(whip.WaitExit(15s).has_value()) << whip.Describe();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!Sessions().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(Sessions(), json::array());
  const ProcessResult empty = Ctl({"sessions"});
  EXPECT_EQ(empty.out, "(no sessions)\n");

  // Kicking it again: no such session.
  const ProcessResult again = Ctl({"kick", id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no session '" + id + "'"), std::string::npos) << again.err;

  // The lifecycle, one JSON line per event, each naming the session.
  ASSERT_TRUE(node_process_->WaitForStderr("\"reason\":\"kicked\"", 5s))
      << node_process_->Describe();
  std::vector<std::string> events;
  for (const json& line : LogLines()) {
    if (line.value("session", "") != id) continue;
    events.push_back(line["msg"]);
    EXPECT_EQ(line["vhost"], "demo") << line.dump();
    EXPECT_EQ(line["app"], "live") << line.dump();
    EXPECT_EQ(line["stream"], "cam") << line.dump();
    EXPECT_EQ(line["kind"], "publish") << line.dump();
    EXPECT_EQ(line["node"], "o1") << line.dump();
    if (line["msg"] == "session connected") {
      EXPECT_EQ(line["remote"], session["remote"]) << line.dump();
    }
    if (line["msg"] == "session closed") {
      EXPECT_EQ(line["reason"], "kicked") << line.dump();
      EXPECT_NE(line["detail"].get<std::string>().find("integration test"), std::string::npos)
          << line.dump();
      EXPECT_GT(line["rtp_in"].get<int>(), 50) << line.dump();
    }
  }
  EXPECT_EQ(events,
            (std::vector<std::string>{"session created", "session connected", "session closed"}));
}

TEST_F(AdminApiTest, CtlExplainsWhatWentWrong) {
  // Nothing listens there.
  const uint16_t closed_port = FreeTcpPort();
  const ProcessResult refused =
      RunProcess(NodeProcess::BinaryPath("tributary-ctl"),
                 {"--url", "http://127.0.0.1:" + std::to_string(closed_port), "sessions"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("connection refused"), std::string::npos) << refused.err;

  ASSERT_NO_FATAL_FAILURE(StartNode());
  const ProcessResult wrong_token =
      RunProcess(NodeProcess::BinaryPath("tributary-ctl"),
                 {"--url", node_.Url(), "--token", "not-the-token", "kick", "0123456789abcdef"});
  EXPECT_EQ(wrong_token.exit_code, 1);
  EXPECT_NE(wrong_token.err.find("HTTP 401"), std::string::npos) << wrong_token.err;

  const ProcessResult usage =
      RunProcess(NodeProcess::BinaryPath("tributary-ctl"), {"--url", "ftp://x", "node"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("not an http:// or https:// URL"), std::string::npos) << usage.err;

  const ProcessResult node = Ctl({"node"});
  EXPECT_EQ(node.exit_code, 0) << node.err;
  EXPECT_NE(node.out.find("origin"), std::string::npos) << node.out;
}

}  // namespace
}  // namespace tributary::testing
