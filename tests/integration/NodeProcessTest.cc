// The node binaries as an operator runs them: from a config file, over HTTP, with signals.

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "net/HttpClient.h"
#include "support/FreePort.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kClusterSecret = "cluster-secret-never-shown-42";
constexpr const char* kAdminToken = "admin-token-never-shown-42";
constexpr const char* kPublishToken = "publish-token-never-shown-42";
constexpr const char* kJwtSecret = "jwt-secret-never-shown-42";
constexpr const char* kTurnCredential = "turn-credential-never-shown-42";

// A node of the role under test, its config and vhosts in a temp dir.
class NodeProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Role() const { return GetParam(); }
  std::string Binary() const { return NodeProcess::BinaryPath("tributary-" + Role()); }

  TestNode MakeNode() const {
    TestNode node;
    node.role = Role();
    node.http_port = FreeTcpPort();
    node.metrics_port = FreeTcpPort();
    node.secret = kClusterSecret;
    node.admin_token = kAdminToken;
    node.extra_yaml =
        "media:\n  ice_servers:\n"
        "    - {urls: [\"turn:127.0.0.1:3478\"], username: user, credential: " +
        std::string(kTurnCredential) + "}\n";
    if (Role() == "edge") {
      node.id = "e1";
      node.others.push_back(
          {"o1", "origin", "http://127.0.0.1:" + std::to_string(FreeTcpPort()), "eu"});
      node.origins = {"o1"};
    } else {
      node.others.push_back(
          {"e1", "edge", "http://127.0.0.1:" + std::to_string(FreeTcpPort()), "eu"});
    }
    return node;
  }

  std::string WriteConfig(const TestNode& node) {
    TestVhost demo;
    demo.publish_token = kPublishToken;
    demo.jwt_secret = kJwtSecret;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
    return dir_.Write(node.id + ".yaml", node.ToYaml());
  }

  // A GET with the global admin token (every /api/v1/ route but health and ready needs it).
  static net::HttpClientResult AdminGet(const std::string& url,
                                        const std::string& token = kAdminToken) {
    net::HttpClientRequest request;
    request.url = url;
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    return net::HttpClient::Fetch(std::move(request));
  }

  static nlohmann::json GetJson(const std::string& url) {
    const auto result = AdminGet(url);
    EXPECT_TRUE(result.Ok()) << result.error;
    EXPECT_EQ(result.status, 200) << url << ": " << result.body;
    return nlohmann::json::parse(result.body, nullptr, false);
  }

  TempDir dir_;
};

TEST_P(NodeProcessTest, ServesHealthNodeAndMetrics_ThenStopsOnSigterm) {
  const TestNode node = MakeNode();
  const std::string config = WriteConfig(node);
  NodeProcess process(Binary(), {"--config", config});
  ASSERT_TRUE(process.WaitHealthy(node.Url())) << process.Describe();

  const auto health = GetJson(node.Url() + "/api/v1/health");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["node"], node.id);
  EXPECT_EQ(health["role"], Role());
  EXPECT_EQ(health["region"], "eu");
  EXPECT_EQ(health["version"], TRIBUTARY_VERSION);
  EXPECT_GE(health["uptime_seconds"].get<double>(), 0.0);

  // The effective config, without a single secret.
  // The admin API: 401 without the admin token or with another one, with the reason.
  for (const std::string token : {"", "not-the-admin-token"}) {
    const auto refused = AdminGet(node.Url() + "/api/v1/node", token);
    EXPECT_EQ(refused.status, 401) << token;
    EXPECT_NE(refused.body.find(token.empty() ? "needs an Authorization: Bearer token"
                                              : "not an admin token"),
              std::string::npos)
        << refused.body;
  }
  const auto node_result = AdminGet(node.Url() + "/api/v1/node");
  ASSERT_EQ(node_result.status, 200);
  for (const char* secret :
       {kClusterSecret, kAdminToken, kPublishToken, kJwtSecret, kTurnCredential}) {
    EXPECT_EQ(node_result.body.find(secret), std::string::npos) << secret;
  }
  const auto node_json = nlohmann::json::parse(node_result.body);
  EXPECT_EQ(node_json["id"], node.id);
  EXPECT_EQ(node_json["cluster"]["secret"], "***");
  EXPECT_EQ(node_json["admin_token"], "***");
  EXPECT_EQ(node_json["vhosts"][0]["publish"]["tokens"][0], "***");

  // /metrics on the main listener and on the metrics listener.
  for (const std::string& base :
       {node.Url(), "http://127.0.0.1:" + std::to_string(*node.metrics_port)}) {
    const auto metrics = net::HttpClient::Get(base + "/metrics");
    ASSERT_TRUE(metrics.Ok()) << metrics.error;
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.Header("content-type").value_or("").rfind("text/plain; version=0.0.4", 0),
              0u);
    const std::regex build_info("tributary_build_info\\{[^}]*role=\"" + Role() + "\"[^}]*\\} 1");
    EXPECT_TRUE(std::regex_search(metrics.body, build_info)) << metrics.body;
    EXPECT_NE(metrics.body.find("process_cpu_seconds_total"), std::string::npos);
    EXPECT_NE(metrics.body.find("tributary_sessions{kind=\"publish\",vhost=\"demo\"} 0"),
              std::string::npos);
  }
  // Responses so far were counted.
  EXPECT_NE(net::HttpClient::Get(node.Url() + "/metrics")
                .body.find("tributary_http_requests_total{code=\"2xx\"}"),
            std::string::npos);

  // Errors are JSON with a reason.
  const auto missing = net::HttpClient::Get(node.Url() + "/no/such/thing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(nlohmann::json::parse(missing.body).contains("error"));
  net::HttpClientRequest post;
  post.method = net::HttpMethod::post;
  post.url = node.Url() + "/api/v1/health";
  const auto wrong_method = net::HttpClient::Fetch(post);
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.Header("allow"), "GET");

  EXPECT_TRUE(process.WaitForStderr("node " + node.id + " started: role " + Role(), 2s))
      << process.Describe();
  process.Signal(SIGTERM);
  EXPECT_EQ(process.WaitExit(5s), 0) << process.Describe();
}

TEST_P(NodeProcessTest, KeepsTheOldVhosts_WhenAReloadedVhostFileIsBroken) {
  const TestNode node = MakeNode();
  const std::string config = WriteConfig(node);
  NodeProcess process(Binary(), {"--config", config});
  ASSERT_TRUE(process.WaitHealthy(node.Url())) << process.Describe();

  dir_.Write("vhosts/zz-broken.yaml", "name: broken\nlimits: {publishers: -3}\n");
  process.Signal(SIGHUP);
  ASSERT_TRUE(process.WaitForStderr("vhost reload failed", 5s)) << process.Describe();
  EXPECT_NE(process.Stderr().find("zz-broken.yaml:"), std::string::npos) << process.Describe();
  auto vhosts = GetJson(node.Url() + "/api/v1/node")["vhosts"];
  ASSERT_EQ(vhosts.size(), 1u);
  EXPECT_EQ(vhosts[0]["name"], "demo");

  // Fixed: the next SIGHUP takes the new set.
  TestVhost acme;
  acme.name = "acme";
  acme.is_default = false;
  acme.domains = {"acme.example"};
  dir_.Write("vhosts/zz-broken.yaml", acme.ToYaml());
  process.Signal(SIGHUP);
  ASSERT_TRUE(process.WaitForStderr("vhosts reloaded: demo, acme", 5s)) << process.Describe();
  vhosts = GetJson(node.Url() + "/api/v1/node")["vhosts"];
  ASSERT_EQ(vhosts.size(), 2u);
  EXPECT_EQ(vhosts[1]["name"], "acme");
  EXPECT_NE(net::HttpClient::Get(node.Url() + "/metrics")
                .body.find("tributary_streams{vhost=\"acme\"} 0"),
            std::string::npos);

  process.Signal(SIGTERM);
  EXPECT_EQ(process.WaitExit(5s), 0) << process.Describe();
}

TEST_P(NodeProcessTest, ExitsWith2AndNamesFileLineAndKey_WhenTheConfigIsBroken) {
  TestNode node = MakeNode();
  node.extra_yaml += "bogus_section: {a: 1}\n";
  const std::string config = WriteConfig(node);
  const auto result = RunProcess(Binary(), {"--config", config});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  const std::regex located(config + ":[0-9]+: key 'bogus_section'");
  EXPECT_TRUE(std::regex_search(result.err, located)) << result.err;
}

TEST_P(NodeProcessTest, ExitsWith2NamingNodeRole_WhenTheConfigIsForTheOtherRole) {
  TestNode node = MakeNode();
  const std::string config = WriteConfig(node);
  const std::string other = Role() == "origin" ? "tributary-edge" : "tributary-origin";
  for (const auto& args : {std::vector<std::string>{"--config", config},
                           std::vector<std::string>{"--check-config", config}}) {
    const auto result = RunProcess(NodeProcess::BinaryPath(other), args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(config + ":3: key 'node.role'"), std::string::npos) << result.err;
  }
}

TEST_P(NodeProcessTest, CheckConfigPrintsOk_ForAGoodConfig) {
  const std::string config = WriteConfig(MakeNode());
  const auto result = RunProcess(Binary(), {"--check-config", config});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, config + ": OK\n");
}

TEST_P(NodeProcessTest, CheckConfigExitsWith2_WhenAVhostIsBroken) {
  const std::string config = WriteConfig(MakeNode());
  dir_.Write("vhosts/bad.yaml", "name: bad\nunknown_key: 1\n");
  const auto result = RunProcess(Binary(), {"--check-config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("bad.yaml:2: key 'unknown_key'"), std::string::npos) << result.err;
}

TEST_P(NodeProcessTest, ExitsWith1_WhenItsPortIsTaken) {
  const TestNode node = MakeNode();
  const std::string config = WriteConfig(node);
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(
      io, {boost::asio::ip::make_address("127.0.0.1"), node.http_port});
  const auto result = RunProcess(Binary(), {"--config", config});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("cannot listen on 127.0.0.1:" + std::to_string(node.http_port)),
            std::string::npos)
      << result.err;
}

TEST_P(NodeProcessTest, PrintsTheVersion_AndRefusesAMissingConfig) {
  const auto version = RunProcess(Binary(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "tributary-" + Role() + " " + TRIBUTARY_VERSION + "\n");
  const auto nothing = RunProcess(Binary(), {});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("--config"), std::string::npos);
  const auto missing = RunProcess(Binary(), {"--config", dir_.Join("absent.yaml")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("absent.yaml"), std::string::npos) << missing.err;
}

TEST_P(NodeProcessTest, OverridesTheLogLevel_FromTheCommandLine) {
  const TestNode node = MakeNode();
  const std::string config = WriteConfig(node);
  NodeProcess process(Binary(), {"--config", config, "--log-level", "debug"});
  ASSERT_TRUE(process.WaitHealthy(node.Url())) << process.Describe();
  // Debug lines name each request.
  EXPECT_TRUE(process.WaitForStderr("GET /api/v1/health from 127.0.0.1", 2s)) << process.Describe();
  process.Signal(SIGINT);
  EXPECT_EQ(process.WaitExit(5s), 0) << process.Describe();
  EXPECT_EQ(RunProcess(Binary(), {"--config", config, "--log-level", "loud"}).exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(BothRoles, NodeProcessTest, ::testing::Values("origin", "edge"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tributary::testing
