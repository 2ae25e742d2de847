// LoadNodeConfig on node files written for each test: broken ones must name the file, the line
// and the key; good ones must load to the values written, defaults included.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ConfigTestFiles.h"
#include "config/ConfigLoader.h"

namespace tributary::config {
namespace {

using ::testing::ElementsAre;
using testing::ExpectConfigError;
using testing::Replace;
using testing::TempDir;

// A small valid origin (15 lines) and edge (16 lines); cases edit or extend them.
const std::string kOrigin = R"(node:
  id: o1
  role: origin
  region: eu
http:
  listen: 127.0.0.1:8101
cluster:
  secret: 0123456789abcdef
  nodes:
    - {id: o1, role: origin, url: http://127.0.0.1:8101, region: eu}
    - {id: o2, role: origin, url: http://127.0.0.1:8102, region: us}
    - {id: e1, role: edge, url: http://127.0.0.1:8201, region: eu}
    - {id: e2, role: edge, url: http://127.0.0.1:8202, region: us}
vhosts:
  dir: ../vhosts
)";

const std::string kEdge = R"(node:
  id: e1
  role: edge
  region: eu
http:
  listen: 127.0.0.1:8201
cluster:
  secret: 0123456789abcdef
  nodes:
    - {id: o1, role: origin, url: http://127.0.0.1:8101, region: eu}
    - {id: o2, role: origin, url: http://127.0.0.1:8102, region: us}
    - {id: e1, role: edge, url: http://127.0.0.1:8201, region: eu}
    - {id: e2, role: edge, url: http://127.0.0.1:8202, region: us}
  origins: [o1, o2]
vhosts:
  dir: ../vhosts
)";

// Inserts lines at the end of the cluster section of kOrigin (they become line 14 on).
std::string OriginCluster(const std::string& lines) {
  return Replace(kOrigin, "vhosts:\n", lines + "vhosts:\n");
}
// Inserts lines after http.listen (they become line 7 on).
std::string OriginHttp(const std::string& lines) {
  return Replace(kOrigin, "  listen: 127.0.0.1:8101\n", "  listen: 127.0.0.1:8101\n" + lines);
}

class NodeConfigFile : public ::testing::Test {
 protected:
  // Writes <tmp>/conf/node.yaml next to an existing <tmp>/vhosts folder.
  std::string Write(const std::string& yaml) {
    dir_.MakeDir("vhosts");
    return dir_.Write("conf/node.yaml", yaml);
  }
  TempDir dir_;
};

struct BrokenConfig {
  const char* name;  // the test's name
  std::string yaml;
  int line;
  const char* key;
  const char* gist;  // a part of the reason
};

void PrintTo(const BrokenConfig& broken, std::ostream* out) {
  *out << broken.name;
}

class BrokenNodeConfig : public NodeConfigFile,
                         public ::testing::WithParamInterface<BrokenConfig> {};

TEST_P(BrokenNodeConfig, FailsNamingFileLineAndKey) {
  const BrokenConfig& broken = GetParam();
  const std::string path = Write(broken.yaml);
  ExpectConfigError([&] { LoadNodeConfig(path); }, path, broken.line, broken.key, broken.gist);
}

const BrokenConfig kBrokenNodeConfigs[] = {
    // The file as a whole.
    {"YamlSyntaxError", Replace(kOrigin, "  role: origin\n", "  role: origin: x\n"), 3, "",
     "YAML syntax error"},
    {"TopLevelIsAList", "- node\n- http\n", 1, "", "expected a map with keys node, http"},
    {"EmptyFile", "# nothing here\n", 0, "", "file is empty"},
    {"SecondDocument", kOrigin + "---\nnode: {}\n", 17, "", "a second YAML document"},
    // yaml-cpp 0.7's LoadAll never returned on these (ConfigLoaderFuzz found it).
    {"StrayComma", ",\n", 1, "", "YAML syntax error: a ',' outside of a [list] or {map}"},
    {"StrayCommaAfterAList", "[a, b],\n", 1, "", "a ',' outside of a [list] or {map}"},
    {"StrayCommaAfterADocument", kOrigin + "---\n[a],\n", 17, "", "a second YAML document"},
    // Keys.
    {"UnknownTopLevelKey", kOrigin + "bogus: 1\n", 16, "bogus",
     "unknown key; allowed here: node, http, metrics, media, cluster, vhosts, admin, logging"},
    {"UnknownNestedKey", OriginHttp("  lisen: 127.0.0.1:8101\n"), 7, "http.lisen",
     "unknown key (did you mean 'listen'?); allowed here: listen, public_url, tls"},
    {"DuplicateKey", Replace(kOrigin, "  id: o1\n", "  id: o1\n  id: o2\n"), 3, "node.id",
     "duplicate key (first at line 2)"},
    {"MissingSection", Replace(kOrigin, "vhosts:\n  dir: ../vhosts\n", ""), 1, "vhosts",
     "required key is missing"},
    {"MissingKeyOfEmptySection", Replace(kOrigin, "  listen: 127.0.0.1:8101\n", ""), 5,
     "http.listen", "required key is missing"},
    {"MissingKey", Replace(kOrigin, "  region: eu\n", ""), 2, "node.region",
     "required key is missing"},
    // Types.
    {"NullValue", Replace(kOrigin, "  region: eu\n", "  region:\n"), 4, "node.region",
     "expected a value, found nothing"},
    {"ListForNumber", kOrigin + "media:\n  workers: [1, 2]\n", 17, "media.workers",
     "expected a value, found a list"},
    {"WordForNumber", kOrigin + "media:\n  workers: many\n", 17, "media.workers",
     "expected a whole number 1..64, found 'many'"},
    {"NegativeNumber", OriginHttp("  max_body_bytes: -1\n"), 7, "http.max_body_bytes",
     "expected a whole number"},
    {"DrainSecondsTooLong",
     Replace(kOrigin, "  region: eu\n", "  region: eu\n  drain_seconds: 3601\n"), 5,
     "node.drain_seconds", "out of range 0..3600"},
    {"DrainSecondsNegative",
     Replace(kOrigin, "  region: eu\n", "  region: eu\n  drain_seconds: -5\n"), 5,
     "node.drain_seconds", "expected a whole number"},
    {"ScalarForSection", Replace(kOrigin, "http:\n  listen: 127.0.0.1:8101\n", "http: x\n"), 5,
     "http", "expected a map with keys listen, public_url"},
    {"NumberOutOfRange", kOrigin + "media:\n  workers: 65\n", 17, "media.workers",
     "value 65 out of range 1..64"},
    // Addresses and ports.
    {"ListenPortOutOfRange", Replace(kOrigin, "127.0.0.1:8101\n", "127.0.0.1:70000\n"), 6,
     "http.listen", "port 70000 out of range 1..65535"},
    {"ListenPortZero", Replace(kOrigin, "127.0.0.1:8101\n", "127.0.0.1:0\n"), 6, "http.listen",
     "port 0 out of range 1..65535"},
    {"ListenHostName", Replace(kOrigin, "127.0.0.1:8101\n", "localhost:8101\n"), 6, "http.listen",
     "host 'localhost' is not an IP address"},
    {"ListenIpv6WithoutBrackets", Replace(kOrigin, "127.0.0.1:8101\n", "\"::1:8101\"\n"), 6,
     "http.listen", "an IPv6 address needs brackets"},
    {"ListenWithoutPort", Replace(kOrigin, "127.0.0.1:8101\n", "127.0.0.1\n"), 6, "http.listen",
     "expected host:port"},
    {"MediaPortOutOfRange", kOrigin + "media:\n  port: 70000\n", 17, "media.port",
     "port 70000 out of range 0..65535"},
    {"MediaPortsPastTheLast", kOrigin + "media:\n  port: 65535\n  workers: 2\n", 17, "media.port",
     "port 65535 + 2 workers - 1 exceeds 65535"},
    {"MediaListenIpNotAnIp", kOrigin + "media:\n  listen_ip: 127.0.0\n", 17, "media.listen_ip",
     "'127.0.0' is not an IPv4 or IPv6 address"},
    {"AnnouncedIpNotAnIp", kOrigin + "media:\n  announced_ips: [127.0.0.1, 1.2.3]\n", 17,
     "media.announced_ips[1]", "'1.2.3' is not an IPv4 or IPv6 address"},
    {"AnnouncedIpWildcard", kOrigin + "media:\n  announced_ips:\n    - 0.0.0.0\n", 18,
     "media.announced_ips[0]", "cannot be announced"},
    {"WildcardMediaIpNotAnnounced", kOrigin + "media:\n  listen_ip: 0.0.0.0\n", 17,
     "media.announced_ips", "required when media.listen_ip binds every address"},
    {"DuplicateListItem", kOrigin + "media:\n  announced_ips: [127.0.0.1, 127.0.0.1]\n", 17,
     "media.announced_ips[1]", "duplicate item '127.0.0.1' (also item 0)"},
    {"WildcardListenWithoutPublicUrl", Replace(kOrigin, "127.0.0.1:8101\n", "0.0.0.0:8101\n"), 6,
     "http.public_url", "required when http.listen binds every address (0.0.0.0)"},
    {"MetricsOnHttpAddress", kOrigin + "metrics:\n  listen: 127.0.0.1:8101\n", 17, "metrics.listen",
     "same address as http.listen"},
    {"PublicUrlNotHttp", OriginHttp("  public_url: ftp://127.0.0.1:8101\n"), 7, "http.public_url",
     "bad URL 'ftp://127.0.0.1:8101'"},
    {"CorsOriginWithPath", OriginHttp("  cors_origins: [\"https://a.example/x\"]\n"), 7,
     "http.cors_origins[0]", "without a path"},
    {"IceUrlNotIce", kOrigin + "media:\n  ice_servers:\n    - {urls: [\"http://x\"]}\n", 18,
     "media.ice_servers[0].urls[0]", "bad ICE server URL 'http://x'"},
    {"TurnWithoutCredential",
     kOrigin + "media:\n  ice_servers:\n    - urls: [turn:turn.example.com:3478]\n", 18,
     "media.ice_servers[0].username", "a TURN server needs a username and a credential"},
    {"CidrPrefixTooLong", OriginCluster("  region_map: [{cidr: 10.0.0.0/33, region: eu}]\n"), 14,
     "cluster.region_map[0].cidr", "prefix length must be 0..32"},
    {"CidrHostBits",
     OriginCluster("  region_map:\n    - {cidr: 10.0.0.0/8, region: eu}\n"
                   "    - {cidr: \"fd00::1/8\", region: us}\n"),
     16, "cluster.region_map[1].cidr", "host bits are set"},
    // Durations and enums.
    {"BadDuration", OriginHttp("  idle_timeout_ms: 30 seconds\n"), 7, "http.idle_timeout_ms",
     "bad duration '30 seconds'"},
    {"DurationOutOfRange", OriginHttp("  request_timeout_ms: 50ms\n"), 7, "http.request_timeout_ms",
     "duration 50ms out of range 100..600000 ms"},
    {"BadRole", Replace(kOrigin, "  role: origin\n", "  role: relay\n"), 3, "node.role",
     "bad value 'relay': expected one of origin, edge"},
    {"BadLogLevel", kOrigin + "logging:\n  level: verbose\n", 17, "logging.level",
     "expected one of trace, debug, info, warn, error, critical, off"},
    {"BadLogFormat", kOrigin + "logging:\n  format: xml\n", 17, "logging.format",
     "bad value 'xml': expected one of text, json"},
    // Identity and the cluster directory.
    {"BadNodeId", Replace(kOrigin, "  id: o1\n", "  id: O1\n"), 2, "node.id", "bad name 'O1'"},
    {"SecretTooShort", Replace(kOrigin, "0123456789abcdef", "short"), 8, "cluster.secret",
     "secret too short: 5 characters, need at least 16"},
    {"DuplicateNodeId", Replace(kOrigin, "{id: e2,", "{id: o2,"), 13, "cluster.nodes[3].id",
     "duplicate node id 'o2' (first at line 11)"},
    {"DuplicateNodeUrl", Replace(kOrigin, "127.0.0.1:8202", "127.0.0.1:8201"), 13,
     "cluster.nodes[3].url", "node 'e1' (line 12) has the same url"},
    {"BadNodeUrl", Replace(kOrigin, "http://127.0.0.1:8202", "127.0.0.1:8202"), 13,
     "cluster.nodes[3].url", "bad URL '127.0.0.1:8202'"},
    {"OwnEntryWithOtherRole", Replace(kOrigin, "{id: o1, role: origin", "{id: o1, role: edge"), 10,
     "cluster.nodes[0].role", "'o1' is this node, whose node.role is origin"},
    {"OwnEntryWithOtherUrl", Replace(kOrigin, "http://127.0.0.1:8101,", "http://127.0.0.1:9101,"),
     10, "cluster.nodes[0].url", "whose http.public_url is 'http://127.0.0.1:8101'"},
    {"OwnEntryWithOtherRegion", Replace(kOrigin, "8101, region: eu}", "8101, region: us}"), 10,
     "cluster.nodes[0].region", "whose node.region is 'eu'"},
    {"PeerUnknown", OriginCluster("  peers: [o2, o9]\n"), 14, "cluster.peers[1]",
     "no node 'o9' in cluster.nodes (known: o1, o2, e1, e2)"},
    {"PeerIsAnEdge", OriginCluster("  peers: [e1]\n"), 14, "cluster.peers[0]",
     "node 'e1' is an edge, expected an origin"},
    {"PeerIsItself", OriginCluster("  peers:\n    - o2\n    - o1\n"), 16, "cluster.peers[1]",
     "'o1' is this node itself"},
    {"OriginWithOrigins", OriginCluster("  origins: [o2]\n"), 14, "cluster.origins",
     "an origin has no origins"},
    {"EdgeWithoutOrigins", Replace(kEdge, "  origins: [o1, o2]\n", ""), 8, "cluster.origins",
     "required key is missing"},
    {"EdgeWithEmptyOrigins", Replace(kEdge, "[o1, o2]", "[]"), 14, "cluster.origins",
     "expected at least 1 item(s), found 0"},
    {"EdgeOriginIsAnEdge", Replace(kEdge, "[o1, o2]", "[o1, e2]"), 14, "cluster.origins[1]",
     "node 'e2' is an edge, expected an origin"},
    {"EdgeOriginUnknown", Replace(kEdge, "[o1, o2]", "[o3]"), 14, "cluster.origins[0]",
     "no node 'o3' in cluster.nodes"},
    {"EdgeOriginIsItself", Replace(kEdge, "[o1, o2]", "[e1]"), 14, "cluster.origins[0]",
     "'e1' is this node itself"},
    {"EdgeWithPeers", Replace(kEdge, "  origins: [o1, o2]\n", "  origins: [o1, o2]\n  peers: []\n"),
     15, "cluster.peers", "an edge has no peers"},
    {"EdgeBadPolicy",
     Replace(kEdge, "  origins: [o1, o2]\n", "  origins: [o1, o2]\n  policy: rr\n"), 15,
     "cluster.policy", "bad value 'rr': expected one of failover, hash"},
    // Files and folders.
    {"VhostDirMissing", Replace(kOrigin, "dir: ../vhosts", "dir: ../nope"), 15, "vhosts.dir",
     "cannot read directory"},
    {"VhostDirIsAFile", Replace(kOrigin, "dir: ../vhosts", "dir: node.yaml"), 15, "vhosts.dir",
     "is not a directory"},
    {"VhostDirEmpty", Replace(kOrigin, "dir: ../vhosts", "dir: \"\""), 15, "vhosts.dir",
     "must not be empty"},
    {"TlsCertWithoutKey", OriginHttp("  tls: {cert: node.yaml}\n"), 7, "http.tls.key",
     "give both cert and key, or neither"},
    {"TlsCertUnreadable", OriginHttp("  tls: {cert: missing.pem, key: node.yaml}\n"), 7,
     "http.tls.cert", "cannot read file"},
    {"DtlsKeyIsAFolder", kOrigin + "media:\n  dtls:\n    cert: node.yaml\n    key: ../vhosts\n", 19,
     "media.dtls.key", "is a directory, expected a file"},
    {"CaFileUnreadable", OriginCluster("  ca_file: /nonexistent/ca.pem\n"), 14, "cluster.ca_file",
     "cannot read file '/nonexistent/ca.pem'"},
    {"LogFileInMissingFolder", kOrigin + "logging:\n  file: /nonexistent/node.log\n", 17,
     "logging.file", "cannot write '/nonexistent'"},
};

INSTANTIATE_TEST_SUITE_P(NodeConfigReader, BrokenNodeConfig,
                         ::testing::ValuesIn(kBrokenNodeConfigs),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(NodeConfigFile, FailsAtLineZero_WhenTheFileCannotBeRead) {
  const std::string path = dir_.Path("missing.yaml");
  ExpectConfigError([&] { LoadNodeConfig(path); }, path, 0, "", "cannot read file");
}

TEST_F(NodeConfigFile, FailsAtLineZero_WhenThePathIsAFolder) {
  const std::string path = dir_.MakeDir("conf");
  ExpectConfigError([&] { LoadNodeConfig(path); }, path, 0, "", "is a directory");
}

TEST_F(NodeConfigFile, ReadsASectionWithEveryKeyCommentedOut_AsEmpty) {
  const NodeConfig config = LoadNodeConfig(Write(kOrigin + "media:\n  # port: 10101\nlogging:\n"));
  EXPECT_EQ(config.media.port, 0);
  EXPECT_EQ(config.logging.level, "info");
}

TEST_F(NodeConfigFile, LoadsDefaults_WhenOnlyRequiredKeysAreSet) {
  const NodeConfig config = LoadNodeConfig(Write(kOrigin));
  EXPECT_EQ(config.source_file, dir_.Path("conf/node.yaml"));
  EXPECT_EQ(config.id, "o1");
  EXPECT_EQ(config.role, NodeRole::kOrigin);
  EXPECT_EQ(config.region, "eu");
  EXPECT_EQ(config.drain_seconds, 10u);
  EXPECT_EQ(config.http.listen.host, "127.0.0.1");
  EXPECT_EQ(config.http.listen.port, 8101);
  EXPECT_EQ(config.http.public_url, "http://127.0.0.1:8101");
  EXPECT_FALSE(config.http.tls.Enabled());
  EXPECT_EQ(config.http.max_header_bytes, 8192u);
  EXPECT_EQ(config.http.max_body_bytes, 65536u);
  EXPECT_EQ(config.http.idle_timeout_ms, 30000u);
  EXPECT_EQ(config.http.request_timeout_ms, 10000u);
  EXPECT_THAT(config.http.cors_origins, ElementsAre("*"));
  EXPECT_FALSE(config.metrics.listen.has_value());
  EXPECT_EQ(config.media.listen_ip, "127.0.0.1");
  EXPECT_EQ(config.media.port, 0);
  EXPECT_THAT(config.media.announced_ips, ElementsAre("127.0.0.1"));
  EXPECT_EQ(config.media.workers, 1u);
  EXPECT_EQ(config.media.consent_timeout_ms, 30000u);
  EXPECT_EQ(config.media.publisher_grace_ms, 10000u);
  EXPECT_EQ(config.media.packet_cache_ms, 1000u);
  EXPECT_EQ(config.media.keyframe_throttle_ms, 500u);
  EXPECT_FALSE(config.media.dtls.Enabled());
  EXPECT_TRUE(config.media.ice_servers.empty());
  EXPECT_EQ(config.cluster.secret, "0123456789abcdef");
  ASSERT_EQ(config.cluster.nodes.size(), 4u);
  EXPECT_EQ(config.cluster.nodes[2].id, "e1");
  EXPECT_EQ(config.cluster.nodes[2].role, NodeRole::kEdge);
  EXPECT_EQ(config.cluster.nodes[2].url, "http://127.0.0.1:8201");
  EXPECT_EQ(config.cluster.nodes[2].region, "eu");
  EXPECT_EQ(config.cluster.nodes[2].line, 12);
  EXPECT_THAT(config.cluster.peers, ElementsAre("o2"));  // every other origin
  EXPECT_TRUE(config.cluster.origins.empty());
  EXPECT_EQ(config.cluster.policy, OriginPolicy::kFailover);
  EXPECT_EQ(config.cluster.heartbeat_ms, 1000u);
  EXPECT_EQ(config.cluster.peer_dead_after, 3u);
  EXPECT_EQ(config.cluster.full_sync_ms, 10000u);
  EXPECT_EQ(config.cluster.linger_ms, 5000u);
  EXPECT_EQ(config.cluster.upstream_timeout_ms, 5000u);
  EXPECT_EQ(config.cluster.no_media_timeout_ms, 2000u);
  EXPECT_EQ(config.cluster.max_redirects, 3u);
  EXPECT_EQ(config.cluster.ca_file, "");
  EXPECT_TRUE(config.cluster.region_map.empty());
  EXPECT_EQ(config.vhosts_dir, dir_.Path("vhosts"));
  EXPECT_EQ(config.admin_token, "");
  EXPECT_EQ(config.logging.level, "info");
  EXPECT_EQ(config.logging.format, base::LogFormat::kText);
  EXPECT_EQ(config.logging.file, "");
  EXPECT_EQ(config.logging.node_id, "o1");

  const std::vector<const ClusterNode*> upstreams = config.Upstreams();
  ASSERT_EQ(upstreams.size(), 1u);
  EXPECT_EQ(upstreams[0]->id, "o2");
  EXPECT_EQ(config.FindNode("e2")->url, "http://127.0.0.1:8202");
  EXPECT_EQ(config.FindNode("x"), nullptr);
}

TEST_F(NodeConfigFile, LoadsEveryValue_WhenEveryKeyIsSet) {
  dir_.Write("conf/tls/http.crt", "cert");
  dir_.Write("conf/tls/http.key", "key");
  dir_.Write("conf/ca.pem", "ca");
  dir_.MakeDir("log");
  const NodeConfig config = LoadNodeConfig(Write(R"(node:
  id: edge-7
  role: edge
  region: us-west
http:
  listen: "[::1]:8443"
  public_url: https://edge-7.example.com/
  tls: {cert: tls/http.crt, key: tls/http.key}
  max_header_bytes: 4096
  max_body_bytes: 131072
  idle_timeout_ms: 1m
  request_timeout_ms: 2s
  cors_origins: ["https://console.example.com", "http://localhost:3000"]
metrics:
  listen: 127.0.0.1:9100
media:
  listen_ip: 0.0.0.0
  port: 20000
  announced_ips: [192.0.2.10, "2001:db8::10"]
  workers: 4
  consent_timeout_ms: 15s
  publisher_grace_ms: 0
  packet_cache_ms: 2000ms
  keyframe_throttle_ms: 250
  dtls: {cert: "", key: ""}
  ice_servers:
    - urls: ["stun:stun.example.com:3478"]
    - {urls: ["turn:turn.example.com?transport=tcp"], username: u, credential: c}
cluster:
  secret: a-long-enough-cluster-secret
  nodes:
    - {id: o1, role: origin, url: http://10.0.0.1:8101}
    - {id: o2, role: origin, url: http://10.0.0.2:8101, region: us-east}
    - {id: edge-7, role: edge, url: https://edge-7.example.com, region: us-west}
  origins: [o2, o1]
  policy: hash
  heartbeat_ms: 500
  peer_dead_after: 5
  full_sync_ms: 1h
  linger_ms: 0
  upstream_timeout_ms: 3000
  no_media_timeout_ms: 1500
  max_redirects: 0
  ca_file: ca.pem
  region_map:
    - {cidr: 10.0.0.0/8, region: us-west}
    - {cidr: "2001:db8::/32", region: us-east}
vhosts:
  dir: ../vhosts
admin:
  token: admin-secret
logging:
  level: debug
  format: json
  file: ../log/edge.log
)"));
  EXPECT_EQ(config.id, "edge-7");
  EXPECT_EQ(config.role, NodeRole::kEdge);
  EXPECT_EQ(config.region, "us-west");
  EXPECT_EQ(config.http.listen.host, "::1");
  EXPECT_EQ(config.http.listen.port, 8443);
  EXPECT_EQ(config.http.public_url, "https://edge-7.example.com");
  EXPECT_EQ(config.http.tls.cert, dir_.Path("conf/tls/http.crt"));
  EXPECT_EQ(config.http.tls.key, dir_.Path("conf/tls/http.key"));
  EXPECT_EQ(config.http.max_header_bytes, 4096u);
  EXPECT_EQ(config.http.max_body_bytes, 131072u);
  EXPECT_EQ(config.http.idle_timeout_ms, 60000u);
  EXPECT_EQ(config.http.request_timeout_ms, 2000u);
  EXPECT_THAT(config.http.cors_origins,
              ElementsAre("https://console.example.com", "http://localhost:3000"));
  ASSERT_TRUE(config.metrics.listen.has_value());
  EXPECT_EQ(config.metrics.listen->host, "127.0.0.1");
  EXPECT_EQ(config.metrics.listen->port, 9100);
  EXPECT_EQ(config.media.listen_ip, "0.0.0.0");
  EXPECT_EQ(config.media.port, 20000);
  EXPECT_THAT(config.media.announced_ips, ElementsAre("192.0.2.10", "2001:db8::10"));
  EXPECT_EQ(config.media.workers, 4u);
  EXPECT_EQ(config.media.consent_timeout_ms, 15000u);
  EXPECT_EQ(config.media.publisher_grace_ms, 0u);
  EXPECT_EQ(config.media.packet_cache_ms, 2000u);
  EXPECT_EQ(config.media.keyframe_throttle_ms, 250u);
  EXPECT_FALSE(config.media.dtls.Enabled());
  ASSERT_EQ(config.media.ice_servers.size(), 2u);
  EXPECT_THAT(config.media.ice_servers[0].urls, ElementsAre("stun:stun.example.com:3478"));
  EXPECT_EQ(config.media.ice_servers[1].username, "u");
  EXPECT_EQ(config.media.ice_servers[1].credential, "c");
  EXPECT_EQ(config.cluster.nodes[0].region, "");
  EXPECT_THAT(config.cluster.origins, ElementsAre("o2", "o1"));
  EXPECT_TRUE(config.cluster.peers.empty());
  EXPECT_EQ(config.cluster.policy, OriginPolicy::kHash);
  EXPECT_EQ(config.cluster.heartbeat_ms, 500u);
  EXPECT_EQ(config.cluster.peer_dead_after, 5u);
  EXPECT_EQ(config.cluster.full_sync_ms, 3600000u);
  EXPECT_EQ(config.cluster.linger_ms, 0u);
  EXPECT_EQ(config.cluster.upstream_timeout_ms, 3000u);
  EXPECT_EQ(config.cluster.no_media_timeout_ms, 1500u);
  EXPECT_EQ(config.cluster.max_redirects, 0u);
  EXPECT_EQ(config.cluster.ca_file, dir_.Path("conf/ca.pem"));
  ASSERT_EQ(config.cluster.region_map.size(), 2u);
  EXPECT_EQ(config.cluster.region_map[1].cidr, "2001:db8::/32");
  EXPECT_EQ(config.cluster.region_map[1].region, "us-east");
  EXPECT_EQ(config.admin_token, "admin-secret");
  EXPECT_EQ(config.logging.level, "debug");
  EXPECT_EQ(config.logging.format, base::LogFormat::kJson);
  EXPECT_EQ(config.logging.file, dir_.Path("log/edge.log"));
  EXPECT_EQ(config.logging.node_id, "edge-7");

  const std::vector<const ClusterNode*> upstreams = config.Upstreams();
  ASSERT_EQ(upstreams.size(), 2u);
  EXPECT_EQ(upstreams[0]->id, "o2");  // failover order as configured
  EXPECT_EQ(upstreams[1]->id, "o1");
}

// A node that is alone in its cluster: no directory entry to compare public_url with.
const std::string kSoloOrigin = R"(node: {id: solo, role: origin, region: eu}
http:
  listen: 127.0.0.1:8101
cluster: {secret: 0123456789abcdef}
vhosts: {dir: ../vhosts}
)";

TEST_F(NodeConfigFile, DerivesPublicUrl_FromListenAndTls) {
  dir_.Write("conf/c.pem", "c");
  const NodeConfig plain_v6 =
      LoadNodeConfig(Write(Replace(kSoloOrigin, "127.0.0.1:8101\n", "\"[::1]:8101\"\n")));
  EXPECT_EQ(plain_v6.http.public_url, "http://[::1]:8101");
  const NodeConfig tls = LoadNodeConfig(Write(Replace(
      kSoloOrigin, "127.0.0.1:8101\n", "127.0.0.1:8101\n  tls: {cert: c.pem, key: c.pem}\n")));
  EXPECT_EQ(tls.http.public_url, "https://127.0.0.1:8101");
  EXPECT_EQ(tls.http.tls.cert, dir_.Path("conf/c.pem"));
}

TEST_F(NodeConfigFile, ResolvesRelativePaths_AgainstTheConfigFolder) {
  dir_.MakeDir("vhosts");
  dir_.Write("site/a/b/certs/dtls.pem", "pem");
  const std::string path =
      dir_.Write("site/a/b/node.yaml", Replace(kOrigin, "  dir: ../vhosts\n",
                                               "  dir: ../../../vhosts\nmedia:\n  dtls: {cert: "
                                               "certs/dtls.pem, key: ./certs/dtls.pem}\n"));
  const NodeConfig config = LoadNodeConfig(path);
  EXPECT_EQ(config.vhosts_dir, dir_.Path("vhosts"));
  EXPECT_EQ(config.media.dtls.cert, dir_.Path("site/a/b/certs/dtls.pem"));
  EXPECT_EQ(config.media.dtls.key, dir_.Path("site/a/b/certs/dtls.pem"));

  // An absolute path is taken as it is.
  const NodeConfig absolute =
      LoadNodeConfig(dir_.Write("site/node.yaml", Replace(kOrigin, "  dir: ../vhosts\n",
                                                          "  dir: " + dir_.Path("vhosts") + "\n")));
  EXPECT_EQ(absolute.vhosts_dir, dir_.Path("vhosts"));
}

TEST_F(NodeConfigFile, AcceptsOwnIdMissingFromTheDirectory_AndPeersDefaultToOtherOrigins) {
  const NodeConfig config = LoadNodeConfig(Write(Replace(
      Replace(kOrigin, "  id: o1\n", "  id: o3\n"), "127.0.0.1:8101\n", "127.0.0.1:8103\n")));
  EXPECT_THAT(config.cluster.peers, ElementsAre("o1", "o2"));
  EXPECT_EQ(config.FindNode("o3"), nullptr);
  EXPECT_EQ(config.Upstreams().size(), 2u);
}

TEST_F(NodeConfigFile, LoadsAnOriginWithoutPeers_WhenItIsTheOnlyOrigin) {
  const NodeConfig config = LoadNodeConfig(Write(kSoloOrigin));
  EXPECT_TRUE(config.cluster.nodes.empty());
  EXPECT_TRUE(config.cluster.peers.empty());
  EXPECT_TRUE(config.Upstreams().empty());
}

TEST_F(NodeConfigFile, NamesTheRoleAndPolicy) {
  EXPECT_STREQ(ToString(NodeRole::kOrigin), "origin");
  EXPECT_STREQ(ToString(NodeRole::kEdge), "edge");
  EXPECT_STREQ(ToString(OriginPolicy::kFailover), "failover");
  EXPECT_STREQ(ToString(OriginPolicy::kHash), "hash");
}

}  // namespace
}  // namespace tributary::config
