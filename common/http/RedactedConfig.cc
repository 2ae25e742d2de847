#include "http/RedactedConfig.h"

namespace tributary::http {

namespace {

using nlohmann::json;

json ListenJson(const config::ListenAddress& listen) {
  return {{"host", listen.host}, {"port", listen.port}};
}

json TlsJson(const config::TlsFiles& tls) {
  return {{"cert", tls.cert}, {"key", tls.key}};  // paths, not the key itself
}

json AuthJson(const config::ActionAuth& auth) {
  json tokens = json::array();
  for (const auto& token : auth.tokens)
    tokens.push_back(RedactSecret(token));
  return {{"open", auth.open}, {"tokens", std::move(tokens)}};
}

json VhostJson(const config::VhostConfig& vhost) {
  const auto& limits = vhost.limits;
  return {
      {"name", vhost.name},
      {"source_file", vhost.source_file},
      {"default", vhost.is_default},
      {"domains", vhost.domains},
      {"allow_query_vhost", vhost.allow_query_vhost},
      {"publish", AuthJson(vhost.publish)},
      {"play", AuthJson(vhost.play)},
      {"admin", AuthJson(vhost.admin)},
      {"jwt",
       {{"secret", RedactSecret(vhost.jwt.secret)}, {"clock_skew_s", vhost.jwt.clock_skew_s}}},
      {"limits",
       {{"publishers", limits.publishers},
        {"viewers", limits.viewers},
        {"viewers_per_stream", limits.viewers_per_stream},
        {"bitrate_kbps", limits.bitrate_kbps},
        {"sessions_per_ip_per_s", limits.sessions_per_ip_per_s}}},
      {"codecs", vhost.codecs},
      {"origins", vhost.origins},
  };
}

json HttpJson(const config::HttpSettings& http) {
  return {{"listen", ListenJson(http.listen)},
          {"public_url", http.public_url},
          {"tls", TlsJson(http.tls)},
          {"max_header_bytes", http.max_header_bytes},
          {"max_body_bytes", http.max_body_bytes},
          {"idle_timeout_ms", http.idle_timeout_ms},
          {"request_timeout_ms", http.request_timeout_ms},
          {"cors_origins", http.cors_origins}};
}

json MediaJson(const config::MediaSettings& media) {
  json ice_servers = json::array();
  for (const auto& server : media.ice_servers) {
    ice_servers.push_back({{"urls", server.urls},
                           {"username", server.username},
                           {"credential", RedactSecret(server.credential)}});
  }
  return {{"listen_ip", media.listen_ip},
          {"port", media.port},
          {"announced_ips", media.announced_ips},
          {"workers", media.workers},
          {"consent_timeout_ms", media.consent_timeout_ms},
          {"publisher_grace_ms", media.publisher_grace_ms},
          {"packet_cache_ms", media.packet_cache_ms},
          {"keyframe_throttle_ms", media.keyframe_throttle_ms},
          {"max_sessions_per_worker", media.max_sessions_per_worker},
          {"dtls", TlsJson(media.dtls)},
          {"ice_servers", std::move(ice_servers)}};
}

json ClusterJson(const config::ClusterSettings& cluster) {
  json nodes = json::array();
  for (const auto& node : cluster.nodes) {
    nodes.push_back({{"id", node.id},
                     {"role", config::ToString(node.role)},
                     {"url", node.url},
                     {"region", node.region}});
  }
  json region_map = json::array();
  for (const auto& rule : cluster.region_map) {
    region_map.push_back({{"cidr", rule.cidr}, {"region", rule.region}});
  }
  return {{"secret", RedactSecret(cluster.secret)},
          {"nodes", std::move(nodes)},
          {"peers", cluster.peers},
          {"origins", cluster.origins},
          {"policy", config::ToString(cluster.policy)},
          {"heartbeat_ms", cluster.heartbeat_ms},
          {"peer_dead_after", cluster.peer_dead_after},
          {"full_sync_ms", cluster.full_sync_ms},
          {"linger_ms", cluster.linger_ms},
          {"upstream_timeout_ms", cluster.upstream_timeout_ms},
          {"no_media_timeout_ms", cluster.no_media_timeout_ms},
          {"max_redirects", cluster.max_redirects},
          {"ca_file", cluster.ca_file},
          {"region_map", std::move(region_map)}};
}

}  // namespace

json RedactedVhost(const config::VhostConfig& vhost) {
  return VhostJson(vhost);
}

const char* RedactSecret(const std::string& secret) {
  return secret.empty() ? "" : "***";
}

json RedactedConfig(const config::NodeConfig& node, const config::VhostSet& vhosts) {
  json vhost_list = json::array();
  for (const auto& vhost : vhosts.vhosts)
    vhost_list.push_back(VhostJson(vhost));
  json metrics = json::object();
  metrics["listen"] = node.metrics.listen ? ListenJson(*node.metrics.listen) : json(nullptr);
  return {
      {"id", node.id},
      {"role", config::ToString(node.role)},
      {"region", node.region},
      {"drain_seconds", node.drain_seconds},
      {"source_file", node.source_file},
      {"http", HttpJson(node.http)},
      {"metrics", std::move(metrics)},
      {"media", MediaJson(node.media)},
      {"cluster", ClusterJson(node.cluster)},
      {"vhosts_dir", node.vhosts_dir},
      {"admin_token", RedactSecret(node.admin_token)},
      {"logging",
       {{"level", node.logging.level},
        {"format", node.logging.format == base::LogFormat::kJson ? "json" : "text"},
        {"file", node.logging.file}}},
      {"vhosts", std::move(vhost_list)},
  };
}

}  // namespace tributary::http
