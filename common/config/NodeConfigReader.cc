#include "config/NodeConfigReader.h"

#include <algorithm>

#include "base/Logging.h"
#include "config/ValueSyntax.h"

namespace tributary::config {

namespace {

using Presence = YamlReader::Presence;
using PathKind = YamlReader::PathKind;
constexpr Presence kRequired = Presence::kRequired;
constexpr Presence kOptional = Presence::kOptional;

constexpr uint32_t kMinute = 60 * 1000;
constexpr uint32_t kHour = 60 * kMinute;
constexpr size_t kMinSecretLength = 16;

const std::initializer_list<std::pair<std::string_view, NodeRole>> kRoles = {
    {"origin", NodeRole::kOrigin}, {"edge", NodeRole::kEdge}};

std::string WithoutTrailingSlash(std::string url) {
  while (url.ends_with('/') && !url.ends_with("//"))
    url.pop_back();
  return url;
}

// A CORS allowed origin: "*" or scheme://host[:port] with no path.
std::string CheckCorsOrigin(const std::string& origin) {
  if (origin == "*") return {};
  if (std::string reason = CheckHttpUrl(origin); !reason.empty()) return reason;
  if (origin.find('/', origin.find("//") + 2) != std::string::npos) {
    return "bad origin '" + origin + "': expected scheme://host[:port] without a path, or *";
  }
  return {};
}

std::string CheckAnnouncedIp(const std::string& ip) {
  if (std::string reason = CheckIpLiteral(ip); !reason.empty()) return reason;
  if (IsWildcardIp(ip)) return "'" + ip + "' cannot be announced: give an address clients reach";
  return {};
}

std::string CheckSecret(const std::string& secret) {
  if (secret.size() >= kMinSecretLength) return {};
  return "secret too short: " + std::to_string(secret.size()) + " characters, need at least " +
         std::to_string(kMinSecretLength);
}

std::string CheckLogLevel(const std::string& level) {
  spdlog::level::level_enum parsed;
  if (base::ParseLogLevel(level, parsed)) return {};
  return "bad value '" + level +
         "': expected one of trace, debug, info, warn, error, critical, off";
}

TlsFiles ReadTls(const YamlReader& parent, std::string_view key) {
  const YamlReader tls = parent.Map(key, {"cert", "key"});
  TlsFiles files;
  tls.Path("cert", files.cert, PathKind::kReadableFile);
  tls.Path("key", files.key, PathKind::kReadableFile);
  if (files.cert.empty() != files.key.empty()) {
    const char* missing = files.cert.empty() ? "cert" : "key";
    tls.Fail(missing, "give both cert and key, or neither");
  }
  return files;
}

}  // namespace

NodeConfigReader::NodeConfigReader(const std::string& path)
    : root_(YamlReader::OpenFile(
          path, {"node", "http", "metrics", "media", "cluster", "vhosts", "admin", "logging"})) {
  config_.source_file = path;
}

NodeConfig NodeConfigReader::Read() {
  ReadNode();
  ReadHttp();
  ReadMetrics();
  ReadMedia();
  ReadCluster();
  ReadVhosts();
  ReadAdmin();
  ReadLogging();
  return std::move(config_);
}

void NodeConfigReader::ReadNode() {
  const YamlReader node = root_.Map("node", {"id", "role", "region", "drain_seconds"}, kRequired);
  node.String("id", config_.id, kRequired, CheckName);
  node.Enum("role", config_.role, kRoles, kRequired);
  node.String("region", config_.region, kRequired, CheckName);
  node.Uint("drain_seconds", config_.drain_seconds, 0, 3600);
  config_.logging.node_id = config_.id;
}

void NodeConfigReader::ReadHttp() {
  const YamlReader http =
      root_.Map("http",
                {"listen", "public_url", "tls", "max_header_bytes", "max_body_bytes",
                 "idle_timeout_ms", "request_timeout_ms", "cors_origins"},
                kRequired);
  HttpSettings& out = config_.http;
  http.Listen("listen", out.listen, kRequired);
  out.tls = ReadTls(http, "tls");
  http.Uint("max_header_bytes", out.max_header_bytes, 1024, 1024 * 1024);
  http.Uint("max_body_bytes", out.max_body_bytes, 1024, 16 * 1024 * 1024);
  http.DurationMs("idle_timeout_ms", out.idle_timeout_ms, 100, kHour);
  http.DurationMs("request_timeout_ms", out.request_timeout_ms, 100, 10 * kMinute);
  http.StringList("cors_origins", out.cors_origins, CheckCorsOrigin);
  http.String("public_url", out.public_url, kOptional, [](const std::string& url) {
    return url.empty() ? std::string() : CheckHttpUrl(url);
  });
  if (!out.public_url.empty()) {
    out.public_url = WithoutTrailingSlash(out.public_url);
  } else if (IsWildcardIp(out.listen.host)) {
    http.Fail("public_url", "required when http.listen binds every address (" + out.listen.host +
                                "): other nodes need an address to reach");
  } else {
    out.public_url = std::string(out.tls.Enabled() ? "https://" : "http://") +
                     FormatHostPort(out.listen.host, out.listen.port);
  }
}

void NodeConfigReader::ReadMetrics() {
  const YamlReader metrics = root_.Map("metrics", {"listen"});
  metrics.Listen("listen", config_.metrics.listen);
  const auto& listen = config_.metrics.listen;
  if (listen && listen->host == config_.http.listen.host &&
      listen->port == config_.http.listen.port) {
    metrics.Fail("listen", "same address as http.listen; leave it empty to serve /metrics there");
  }
}

void NodeConfigReader::ReadMedia() {
  const YamlReader media =
      root_.Map("media", {"listen_ip", "port", "announced_ips", "workers", "consent_timeout_ms",
                          "publisher_grace_ms", "packet_cache_ms", "keyframe_throttle_ms", "dtls",
                          "ice_servers", "max_sessions_per_worker"});
  MediaSettings& out = config_.media;
  media.String("listen_ip", out.listen_ip, kOptional, CheckIpLiteral);
  media.Port("port", out.port, 0);
  media.Uint("workers", out.workers, 1, 64);
  if (out.port != 0 && out.port + out.workers - 1 > 65535) {
    media.Fail("port", "port " + std::to_string(out.port) + " + " + std::to_string(out.workers) +
                           " workers - 1 exceeds 65535");
  }
  media.StringList("announced_ips", out.announced_ips, CheckAnnouncedIp);
  if (out.announced_ips.empty()) {
    if (IsWildcardIp(out.listen_ip)) {
      media.Fail("announced_ips", "required when media.listen_ip binds every address (" +
                                      out.listen_ip + "): ICE candidates need a reachable one");
    }
    out.announced_ips = {out.listen_ip};
  }
  media.DurationMs("consent_timeout_ms", out.consent_timeout_ms, 1000, 10 * kMinute);
  media.DurationMs("publisher_grace_ms", out.publisher_grace_ms, 0, 10 * kMinute);
  media.DurationMs("packet_cache_ms", out.packet_cache_ms, 100, 10000);
  media.DurationMs("keyframe_throttle_ms", out.keyframe_throttle_ms, 0, 10000);
  media.Uint("max_sessions_per_worker", out.max_sessions_per_worker, 1, 1000000);
  out.dtls = ReadTls(media, "dtls");
  for (const YamlReader& entry : media.MapList("ice_servers", {"urls", "username", "credential"})) {
    IceServer server;
    entry.StringList("urls", server.urls, CheckIceUrl, 1, kRequired);
    entry.String("username", server.username);
    entry.String("credential", server.credential);
    const bool is_turn =
        std::any_of(server.urls.begin(), server.urls.end(),
                    [](const std::string& url) { return url.starts_with("turn"); });
    if (is_turn && (server.username.empty() || server.credential.empty())) {
      entry.Fail(server.username.empty() ? "username" : "credential",
                 "a TURN server needs a username and a credential");
    }
    out.ice_servers.push_back(std::move(server));
  }
}

void NodeConfigReader::ReadCluster() {
  const YamlReader cluster =
      root_.Map("cluster",
                {"secret", "nodes", "peers", "origins", "policy", "heartbeat_ms", "peer_dead_after",
                 "full_sync_ms", "linger_ms", "upstream_timeout_ms", "no_media_timeout_ms",
                 "max_redirects", "ca_file", "region_map"},
                kRequired);
  ClusterSettings& out = config_.cluster;
  cluster.String("secret", out.secret, kRequired, CheckSecret);
  ReadClusterNodes(cluster);
  ReadUpstreams(cluster);
  cluster.Enum("policy", out.policy,
               {{"failover", OriginPolicy::kFailover}, {"hash", OriginPolicy::kHash}});
  cluster.DurationMs("heartbeat_ms", out.heartbeat_ms, 100, kMinute);
  cluster.Uint("peer_dead_after", out.peer_dead_after, 1, 100);
  cluster.DurationMs("full_sync_ms", out.full_sync_ms, 1000, kHour);
  cluster.DurationMs("linger_ms", out.linger_ms, 0, kHour);
  cluster.DurationMs("upstream_timeout_ms", out.upstream_timeout_ms, 100, kMinute);
  cluster.DurationMs("no_media_timeout_ms", out.no_media_timeout_ms, 100, kMinute);
  cluster.Uint("max_redirects", out.max_redirects, 0, 10);
  cluster.Path("ca_file", out.ca_file, PathKind::kReadableFile);
  for (const YamlReader& rule : cluster.MapList("region_map", {"cidr", "region"})) {
    ClusterSettings::RegionRule& added = out.region_map.emplace_back();
    rule.String("cidr", added.cidr, kRequired, CheckCidr);
    rule.String("region", added.region, kRequired, CheckName);
  }
}

void NodeConfigReader::ReadClusterNodes(const YamlReader& cluster) {
  std::vector<ClusterNode>& nodes = config_.cluster.nodes;
  for (const YamlReader& entry : cluster.MapList("nodes", {"id", "role", "url", "region"})) {
    ClusterNode node;
    node.line = entry.Line();
    entry.String("id", node.id, kRequired, CheckName);
    entry.Enum("role", node.role, kRoles, kRequired);
    entry.String("url", node.url, kRequired, CheckHttpUrl);
    node.url = WithoutTrailingSlash(node.url);
    entry.String("region", node.region, kOptional, CheckName);
    for (const ClusterNode& other : nodes) {
      if (other.id == node.id) {
        entry.Fail("id", "duplicate node id '" + node.id + "' (first at line " +
                             std::to_string(other.line) + ")");
      }
      if (other.url == node.url) {
        entry.Fail("url", "node '" + other.id + "' (line " + std::to_string(other.line) +
                              ") has the same url");
      }
    }
    if (node.id == config_.id) CheckOwnEntry(entry, node);
    nodes.push_back(std::move(node));
  }
}

void NodeConfigReader::CheckOwnEntry(const YamlReader& entry, const ClusterNode& node) const {
  const std::string self = "'" + node.id + "' is this node, ";
  if (node.role != config_.role) {
    entry.Fail("role", self + "whose node.role is " + ToString(config_.role));
  }
  if (node.url != config_.http.public_url) {
    entry.Fail("url", self + "whose http.public_url is '" + config_.http.public_url + "'");
  }
  if (!node.region.empty() && node.region != config_.region) {
    entry.Fail("region", self + "whose node.region is '" + config_.region + "'");
  }
}

void NodeConfigReader::ReadUpstreams(const YamlReader& cluster) {
  ClusterSettings& out = config_.cluster;
  if (config_.role == NodeRole::kOrigin) {
    if (cluster.Has("origins")) {
      cluster.Fail("origins", "an origin has no origins; list the other origins in cluster.peers");
    }
    if (cluster.StringList("peers", out.peers, CheckName)) {
      for (size_t i = 0; i < out.peers.size(); ++i) {
        CheckOriginReference(cluster, "peers", i, out.peers[i]);
      }
    } else {
      for (const ClusterNode& node : out.nodes) {
        if (node.role == NodeRole::kOrigin && node.id != config_.id) out.peers.push_back(node.id);
      }
    }
    return;
  }
  if (cluster.Has("peers")) {
    cluster.Fail("peers", "an edge has no peers; list its upstream origins in cluster.origins");
  }
  cluster.StringList("origins", out.origins, CheckName, 1, kRequired);
  for (size_t i = 0; i < out.origins.size(); ++i) {
    CheckOriginReference(cluster, "origins", i, out.origins[i]);
  }
}

void NodeConfigReader::CheckOriginReference(const YamlReader& cluster, std::string_view key,
                                            size_t index, const std::string& id) const {
  if (id == config_.id) cluster.FailItem(key, index, "'" + id + "' is this node itself");
  const ClusterNode* node = config_.FindNode(id);
  if (!node) {
    std::string known;
    for (const ClusterNode& other : config_.cluster.nodes) {
      known += (known.empty() ? "" : ", ") + other.id;
    }
    cluster.FailItem(key, index,
                     "no node '" + id + "' in cluster.nodes (" +
                         (known.empty() ? "which is empty" : "known: " + known) + ")");
  }
  if (node->role != NodeRole::kOrigin) {
    cluster.FailItem(key, index,
                     "node '" + id + "' is an " + ToString(node->role) + ", expected an origin");
  }
}

void NodeConfigReader::ReadVhosts() {
  const YamlReader vhosts = root_.Map("vhosts", {"dir"}, kRequired);
  vhosts.Path("dir", config_.vhosts_dir, PathKind::kReadableDirectory, kRequired);
}

void NodeConfigReader::ReadAdmin() {
  const YamlReader admin = root_.Map("admin", {"token"});
  admin.String("token", config_.admin_token);
}

void NodeConfigReader::ReadLogging() {
  const YamlReader logging = root_.Map("logging", {"level", "format", "file"});
  base::LogOptions& out = config_.logging;
  logging.String("level", out.level, kOptional, CheckLogLevel);
  logging.Enum("format", out.format,
               {{"text", base::LogFormat::kText}, {"json", base::LogFormat::kJson}});
  logging.Path("file", out.file, PathKind::kWritableFile);
}

}  // namespace tributary::config
