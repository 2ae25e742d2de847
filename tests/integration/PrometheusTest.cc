// A node scraped by a real Prometheus (Debian's `prometheus`), its /metrics checked by
// `promtool check metrics`, and the Grafana dashboard's queries evaluated against what
// Prometheus stored.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "net/HttpClient.h"
#include "net/Url.h"
#include "support/FreePort.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr const char* kPromtool = "/usr/bin/promtool";

bool Executable(const char* path) {
  return ::access(path, X_OK) == 0;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// An origin node with the demo vhost, on free loopback ports.
class ScrapedNode {
 public:
  ScrapedNode() {
    node_.http_port = FreeTcpPort();
    node_.others.push_back(
        {"e1", "edge", "http://127.0.0.1:" + std::to_string(FreeTcpPort()), "eu"});
    TestVhost demo;
    demo.publish_token = "publish-token";
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    const std::string config = dir_.Write("o1.yaml", node_.ToYaml());
    process_ = std::make_unique<NodeProcess>(NodeProcess::BinaryPath("tributary-origin"),
                                             std::vector<std::string>{"--config", config});
  }

  bool WaitHealthy() { return process_->WaitHealthy(node_.Url()); }
  std::string Url() const { return node_.Url(); }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(node_.http_port); }
  std::string Describe() const { return process_->Describe(); }

 private:
  TestNode node_;
  TempDir dir_;
  std::unique_ptr<NodeProcess> process_;
};

// A Prometheus scraping one target every second, its data in a temp dir.
class PrometheusServer {
 public:
  explicit PrometheusServer(const std::string& target) : port_(FreeTcpPort()) {
    const std::string config = dir_.Write("prometheus.yml",
                                          "global:\n"
                                          "  scrape_interval: 1s\n"
                                          "  scrape_timeout: 1s\n"
                                          "  evaluation_interval: 1s\n"
                                          "scrape_configs:\n"
                                          "  - job_name: tributary\n"
                                          "    static_configs:\n"
                                          "      - targets: ['" +
                                              target + "']\n");
    process_ = std::make_unique<NodeProcess>(
        kPrometheus,
        std::vector<std::string>{
            "--config.file=" + config, "--storage.tsdb.path=" + dir_.Join("data"),
            "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"});
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool Running() { return process_->Running(); }
  std::string Describe() const { return process_->Describe(); }

  // GET /api/v1/query?query=...: the parsed answer, or a null JSON when there was none.
  nlohmann::json Query(const std::string& promql) const {
    net::HttpClientRequest request;
    request.url = Url() + "/api/v1/query?query=" + net::Url::PercentEncode(promql);
    request.timeout = 2s;
    const auto result = net::HttpClient::Fetch(request);
    if (!result.Ok()) return nullptr;
    return nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  }

  // Polls the query until its result is not empty (Prometheus starting, then scraping).
  nlohmann::json WaitForSeries(const std::string& promql, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto answer = Query(promql);
      if (answer.is_object() && answer.value("status", "") == "success" &&
          !answer["data"]["result"].empty()) {
        return answer["data"]["result"];
      }
      if (!Running() || std::chrono::steady_clock::now() >= deadline) return nullptr;
      std::this_thread::sleep_for(250ms);
    }
  }

 private:
  uint16_t port_;
  TempDir dir_;
  std::unique_ptr<NodeProcess> process_;
};

TEST(Prometheus, ScrapesANode_AndStoresBuildInfoAndSessions) {
  if (!Executable(kPrometheus)) GTEST_SKIP() << kPrometheus << " missing: run tools/bootstrap";
  ScrapedNode node;
  ASSERT_TRUE(node.WaitHealthy()) << node.Describe();
  PrometheusServer prometheus(node.HostPort());

  const auto build_info = prometheus.WaitForSeries("tributary_build_info", 60s);
  ASSERT_TRUE(build_info.is_array()) << "no tributary_build_info in Prometheus within 60 s\n"
                                     << prometheus.Describe() << "\n"
                                     << node.Describe();
  ASSERT_EQ(build_info.size(), 1u) << build_info.dump();
  const auto& metric = build_info[0]["metric"];
  EXPECT_EQ(metric.value("role", ""), "origin");
  EXPECT_EQ(metric.value("version", ""), TRIBUTARY_VERSION);
  EXPECT_EQ(metric.value("instance", ""), node.HostPort());
  EXPECT_EQ(metric.value("job", ""), "tributary");
  EXPECT_EQ(build_info[0]["value"][1], "1");

  // The media plane's gauge exists at 0 for each vhost and kind from the start.
  const auto sessions = prometheus.WaitForSeries("tributary_sessions", 10s);
  ASSERT_TRUE(sessions.is_array()) << prometheus.Describe();
  std::set<std::string> kinds;
  for (const auto& series : sessions) {
    EXPECT_EQ(series["metric"].value("vhost", ""), "demo") << series.dump();
    kinds.insert(series["metric"].value("kind", ""));
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"play", "publish"}));

  // And the scrape itself is healthy.
  const auto up = prometheus.WaitForSeries("up{job=\"tributary\"} == 1", 10s);
  EXPECT_TRUE(up.is_array()) << prometheus.Describe();
}

// The Grafana dashboard's expressions, with its variables replaced by what Grafana would send.
std::vector<std::pair<std::string, std::string>> DashboardExpressions() {
  const std::string path = std::string(TRIBUTARY_SOURCE_DIR) + "/tools/grafana/tributary.json";
  const auto dashboard = nlohmann::json::parse(ReadWhole(path), nullptr, false);
  std::vector<std::pair<std::string, std::string>> out;
  if (!dashboard.is_object()) return out;
  for (const auto& panel : dashboard["panels"]) {
    if (!panel.contains("targets")) continue;
    for (const auto& target : panel["targets"]) {
      std::string expr = target.value("expr", "");
      expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
      expr = std::regex_replace(expr, std::regex(R"(\$instance|\$vhost)"), ".*");
      out.emplace_back(panel.value("title", "?"), expr);
    }
  }
  return out;
}

TEST(Prometheus, EvaluatesEveryQueryOfTheGrafanaDashboard) {
  if (!Executable(kPrometheus)) GTEST_SKIP() << kPrometheus << " missing: run tools/bootstrap";
  const auto expressions = DashboardExpressions();
  ASSERT_GE(expressions.size(), 20u) << "cannot read tools/grafana/tributary.json";
  ScrapedNode node;
  ASSERT_TRUE(node.WaitHealthy()) << node.Describe();
  PrometheusServer prometheus(node.HostPort());
  // Two scrapes, so that rate() has points to work with.
  ASSERT_TRUE(prometheus.WaitForSeries("count_over_time(tributary_uptime_seconds[1m]) >= 2", 60s)
                  .is_array())
      << prometheus.Describe();

  for (const auto& [panel, expr] : expressions) {
    const auto answer = prometheus.Query(expr);
    ASSERT_TRUE(answer.is_object()) << "no answer for panel '" << panel << "': " << expr;
    EXPECT_EQ(answer.value("status", ""), "success") << "panel '" << panel << "': " << expr << "\n"
                                                     << answer.dump();
  }
  // A panel of the origin row finds this origin's sessions; the edge row finds nothing.
  auto with_role = [&](const std::string& role) {
    return prometheus.Query(
        "sum by (vhost, kind) ((tributary_sessions) * on (job, instance) "
        "group_left () tributary_build_info{role=\"" +
        role + "\"})");
  };
  EXPECT_EQ(with_role("origin")["data"]["result"].size(), 2u) << with_role("origin").dump();
  EXPECT_EQ(with_role("edge")["data"]["result"].size(), 0u);
}

TEST(Promtool, FindsNoProblem_InARealScrape) {
  if (!Executable(kPromtool)) GTEST_SKIP() << kPromtool << " missing: run tools/bootstrap";
  ScrapedNode node;
  ASSERT_TRUE(node.WaitHealthy()) << node.Describe();
  const auto scrape = net::HttpClient::Get(node.Url() + "/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.error;
  ASSERT_NE(scrape.body.find("tributary_build_info"), std::string::npos);

  TempDir dir;
  const std::string file = dir.Write("metrics.txt", scrape.body);
  const auto result =
      RunProcess("/bin/sh", {"-c", std::string(kPromtool) + " check metrics < '" + file + "'"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out + result.err, "") << "promtool check metrics complains:\n"
                                         << result.out << result.err;

  // promtool does complain about a broken exposition: the check above can fail.
  const std::string bad = dir.Write("bad.txt",
                                    "# HELP tributary_things Things\n"
                                    "# TYPE tributary_things counter\n"
                                    "tributary_things 1\n");
  const auto complaint =
      RunProcess("/bin/sh", {"-c", std::string(kPromtool) + " check metrics < '" + bad + "'"});
  EXPECT_NE(complaint.exit_code, 0);
  EXPECT_NE((complaint.out + complaint.err).find("_total"), std::string::npos)
      << complaint.out << complaint.err;
}

}  // namespace
}  // namespace tributary::testing
