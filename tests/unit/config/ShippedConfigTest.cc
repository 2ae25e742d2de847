// Every configuration file shipped in conf/ and vhosts/ must load, hold the demo cluster's
// documented values, and stay strict: a key appended to any node file is refused at its line.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ConfigTestFiles.h"
#include "config/ConfigLoader.h"

namespace tributary::config {
namespace {

namespace fs = std::filesystem;
using testing::CountLines;
using ::testing::ElementsAre;
using testing::ExpectConfigError;
using testing::TempDir;

const fs::path kSourceDir = TRIBUTARY_SOURCE_DIR;

// conf/**/*.yaml, relative to the source folder, sorted.
std::vector<fs::path> ShippedNodeFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kSourceDir / "conf")) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(fs::relative(entry.path(), kSourceDir));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

NodeConfig LoadShipped(const std::string& relative) {
  return LoadNodeConfig((kSourceDir / relative).string());
}

TEST(ShippedConfig, EveryNodeFileLoads) {
  const std::vector<fs::path> files = ShippedNodeFiles();
  EXPECT_THAT(files,
              ::testing::IsSupersetOf({fs::path("conf/demo/o1.yaml"), fs::path("conf/demo/o2.yaml"),
                                       fs::path("conf/demo/e1.yaml"), fs::path("conf/demo/e2.yaml"),
                                       fs::path("conf/reference/origin.yaml"),
                                       fs::path("conf/reference/edge.yaml")}));
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const NodeConfig config = LoadNodeConfig((kSourceDir / file).string());
    EXPECT_EQ(fs::path(config.vhosts_dir), (kSourceDir / "vhosts").lexically_normal());
    EXPECT_NO_THROW(LoadVhosts(config.vhosts_dir));
  }
}

TEST(ShippedConfig, DemoClusterHasTheDocumentedTopology) {
  struct Expected {
    const char* file;
    const char* id;
    NodeRole role;
    const char* region;
    uint16_t http_port;
    uint16_t media_port;
    std::vector<std::string> upstreams;
  };
  const Expected expected[] = {
      {"conf/demo/o1.yaml", "o1", NodeRole::kOrigin, "eu", 8101, 10101, {"o2"}},
      {"conf/demo/o2.yaml", "o2", NodeRole::kOrigin, "us", 8102, 10102, {"o1"}},
      {"conf/demo/e1.yaml", "e1", NodeRole::kEdge, "eu", 8201, 10201, {"o1", "o2"}},
      {"conf/demo/e2.yaml", "e2", NodeRole::kEdge, "us", 8202, 10202, {"o2", "o1"}},
  };
  const NodeConfig first = LoadShipped(expected[0].file);
  for (const Expected& node : expected) {
    SCOPED_TRACE(node.file);
    const NodeConfig config = LoadShipped(node.file);
    EXPECT_EQ(config.id, node.id);
    EXPECT_EQ(config.role, node.role);
    EXPECT_EQ(config.region, node.region);
    EXPECT_EQ(config.http.listen.host, "127.0.0.1");
    EXPECT_EQ(config.http.listen.port, node.http_port);
    EXPECT_EQ(config.http.public_url, "http://127.0.0.1:" + std::to_string(node.http_port));
    EXPECT_EQ(config.media.listen_ip, "127.0.0.1");
    EXPECT_EQ(config.media.port, node.media_port);
    std::vector<std::string> upstreams;
    for (const ClusterNode* upstream : config.Upstreams())
      upstreams.push_back(upstream->id);
    EXPECT_EQ(upstreams, node.upstreams);
    EXPECT_EQ(config.cluster.secret, "demo-cluster-secret-not-for-production");
    EXPECT_EQ(config.cluster.policy, OriginPolicy::kFailover);
    EXPECT_EQ(config.logging.level, "info");
    EXPECT_EQ(config.logging.format, base::LogFormat::kText);
    // One node directory, identical in every file, that lists this node as it is.
    ASSERT_EQ(config.cluster.nodes.size(), first.cluster.nodes.size());
    for (size_t i = 0; i < config.cluster.nodes.size(); ++i) {
      EXPECT_EQ(config.cluster.nodes[i].id, first.cluster.nodes[i].id);
      EXPECT_EQ(config.cluster.nodes[i].role, first.cluster.nodes[i].role);
      EXPECT_EQ(config.cluster.nodes[i].url, first.cluster.nodes[i].url);
      EXPECT_EQ(config.cluster.nodes[i].region, first.cluster.nodes[i].region);
    }
    ASSERT_NE(config.FindNode(node.id), nullptr);
    EXPECT_EQ(config.FindNode(node.id)->url, config.http.public_url);
  }
}

TEST(ShippedConfig, DemoVhostsHaveTheDocumentedCredentials) {
  const VhostSet set = LoadVhosts((kSourceDir / "vhosts").string());
  EXPECT_TRUE(set.warnings.empty());
  ASSERT_NE(set.Default(), nullptr);
  EXPECT_EQ(set.Default()->name, "demo");

  const VhostConfig* demo = set.Find("demo");
  ASSERT_NE(demo, nullptr);
  EXPECT_THAT(demo->domains, ElementsAre("localhost", "127.0.0.1"));
  EXPECT_TRUE(demo->allow_query_vhost);
  EXPECT_FALSE(demo->publish.open);
  EXPECT_THAT(demo->publish.tokens, ElementsAre("demo-token"));
  EXPECT_TRUE(demo->play.open);

  const VhostConfig* acme = set.Find("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_FALSE(acme->is_default);
  EXPECT_THAT(acme->domains, ElementsAre("acme.localhost"));
  EXPECT_TRUE(acme->allow_query_vhost);
  EXPECT_FALSE(acme->publish.open);
  EXPECT_THAT(acme->publish.tokens, ElementsAre("acme-publish"));
  EXPECT_FALSE(acme->play.open);
  EXPECT_THAT(acme->play.tokens, ElementsAre("acme-play"));
  EXPECT_THAT(acme->admin.tokens, ElementsAre("acme-admin"));
  EXPECT_EQ(acme->jwt.secret, "acme-jwt-secret");
}

TEST(ShippedConfig, ReferenceFilesHoldTheDefaults) {
  const NodeConfig defaults;
  for (const char* file : {"conf/reference/origin.yaml", "conf/reference/edge.yaml"}) {
    SCOPED_TRACE(file);
    const NodeConfig config = LoadShipped(file);
    EXPECT_EQ(config.drain_seconds, defaults.drain_seconds);
    EXPECT_EQ(config.http.max_header_bytes, defaults.http.max_header_bytes);
    EXPECT_EQ(config.http.max_body_bytes, defaults.http.max_body_bytes);
    EXPECT_EQ(config.http.idle_timeout_ms, defaults.http.idle_timeout_ms);
    EXPECT_EQ(config.http.request_timeout_ms, defaults.http.request_timeout_ms);
    EXPECT_EQ(config.http.cors_origins, defaults.http.cors_origins);
    EXPECT_EQ(config.media.port, defaults.media.port);
    EXPECT_EQ(config.media.workers, defaults.media.workers);
    EXPECT_EQ(config.media.consent_timeout_ms, defaults.media.consent_timeout_ms);
    EXPECT_EQ(config.media.publisher_grace_ms, defaults.media.publisher_grace_ms);
    EXPECT_EQ(config.media.packet_cache_ms, defaults.media.packet_cache_ms);
    EXPECT_EQ(config.media.keyframe_throttle_ms, defaults.media.keyframe_throttle_ms);
    EXPECT_EQ(config.media.max_sessions_per_worker, defaults.media.max_sessions_per_worker);
    EXPECT_EQ(config.cluster.heartbeat_ms, defaults.cluster.heartbeat_ms);
    EXPECT_EQ(config.cluster.peer_dead_after, defaults.cluster.peer_dead_after);
    EXPECT_EQ(config.cluster.full_sync_ms, defaults.cluster.full_sync_ms);
    EXPECT_EQ(config.cluster.linger_ms, defaults.cluster.linger_ms);
    EXPECT_EQ(config.cluster.upstream_timeout_ms, defaults.cluster.upstream_timeout_ms);
    EXPECT_EQ(config.cluster.no_media_timeout_ms, defaults.cluster.no_media_timeout_ms);
    EXPECT_EQ(config.cluster.max_redirects, defaults.cluster.max_redirects);
    EXPECT_EQ(config.logging.level, defaults.logging.level);
  }
}

// Appending an unknown key after the last line of a shipped node file (copied with the folder
// layout it expects) must fail at exactly that line, naming the key.
TEST(ShippedConfig, RefusesAnUnknownKeyAppendedToAnyNodeFile) {
  TempDir dir;
  dir.MakeDir("vhosts");
  for (const fs::path& file : ShippedNodeFiles()) {
    SCOPED_TRACE(file.string());
    const std::string text = ReadFile(kSourceDir / file);
    ASSERT_TRUE(text.ends_with('\n')) << "a shipped file must end with a newline";
    const int line = CountLines(text) + 1;
    const std::string copy = dir.Write(file.string(), text + "not_a_tributary_key: 1\n");
    ASSERT_NO_THROW(LoadNodeConfig(dir.Write(file.string() + ".orig.yaml", text)));
    ExpectConfigError([&] { LoadNodeConfig(copy); }, copy, line, "not_a_tributary_key",
                      "unknown key; allowed here: node, http, metrics, media, cluster");
  }
}

// The ```yaml examples of docs/configuration.md: node files (those with a node section) and
// vhost files. They must load as they are, so that the documentation cannot drift.
TEST(ShippedConfig, DocumentedExamplesLoad) {
  const std::string doc = ReadFile(kSourceDir / "docs/configuration.md");
  TempDir dir;
  dir.MakeDir("vhosts");
  int nodes = 0;
  int vhosts = 0;
  for (size_t at = doc.find("```yaml\n"); at != std::string::npos;
       at = doc.find("```yaml\n", at + 1)) {
    const size_t begin = at + 8;
    const std::string example = doc.substr(begin, doc.find("```", begin) - begin);
    SCOPED_TRACE(example);
    if (example.starts_with("node:")) {
      const std::string file = "conf/demo/example-" + std::to_string(++nodes) + ".yaml";
      EXPECT_NO_THROW(LoadNodeConfig(dir.Write(file, example)));
    } else {
      const std::string folder = "vhost-example-" + std::to_string(++vhosts);
      dir.Write(folder + "/vhost.yaml", example);
      EXPECT_NO_THROW(LoadVhosts(dir.Path(folder)));
    }
  }
  EXPECT_EQ(nodes, 2);
  EXPECT_EQ(vhosts, 1);
}

}  // namespace
}  // namespace tributary::config
