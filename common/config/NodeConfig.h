#pragma once

// The effective configuration of one node, as loaded and validated by ConfigLoader from one YAML
// file. Defaults here are the defaults an operator gets (conf/reference/*.yaml documents each).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Logging.h"

namespace tributary::config {

enum class NodeRole { kOrigin, kEdge };
enum class OriginPolicy { kFailover, kHash };

const char* ToString(NodeRole role);
const char* ToString(OriginPolicy policy);

struct ListenAddress {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal
  uint16_t port = 0;
};

struct TlsFiles {
  std::string cert;  // PEM paths, resolved relative to the config file; empty: plain HTTP
  std::string key;
  bool Enabled() const { return !cert.empty(); }
};

struct HttpSettings {
  ListenAddress listen;    // required
  std::string public_url;  // how others reach this node; default http(s)://listen
  TlsFiles tls;
  uint32_t max_header_bytes = 8192;
  uint32_t max_body_bytes = 64 * 1024;  // SDP offers are a few KiB
  uint32_t idle_timeout_ms = 30000;     // keep-alive connection with no request
  uint32_t request_timeout_ms = 10000;  // a request must arrive whole within this
  std::vector<std::string> cors_origins = {"*"};
};

struct MetricsSettings {
  std::optional<ListenAddress> listen;  // a separate listener; /metrics is always on `http` too
};

struct IceServer {
  std::vector<std::string> urls;  // stun:host:port, turn:host:port?transport=udp
  std::string username;
  std::string credential;  // a secret: never shown by /api/v1/node
};

struct MediaSettings {
  std::string listen_ip = "127.0.0.1";  // where the UDP sockets bind
  uint16_t port = 0;                    // first worker's UDP port; worker i uses port + i; 0: any
  std::vector<std::string> announced_ips;   // ICE host candidates; default listen_ip
  uint32_t workers = 1;                     // io threads with their own UDP socket
  uint32_t consent_timeout_ms = 30000;      // RFC 7675
  uint32_t publisher_grace_ms = 10000;      // a reconnecting publisher keeps its viewers
  uint32_t packet_cache_ms = 1000;          // NACK history per producer
  uint32_t keyframe_throttle_ms = 500;      // PLI/FIR toward one publisher at most this often
  uint32_t max_sessions_per_worker = 5000;  // WHIP/WHEP get 503 beyond it
  TlsFiles dtls;                            // optional ECDSA certificate; generated when empty
  std::vector<IceServer> ice_servers;       // advertised in WHIP/WHEP Link headers
};

// A node of the cluster, as the node directory in each config names it.
struct ClusterNode {
  std::string id;
  NodeRole role = NodeRole::kOrigin;
  std::string url;  // base URL, e.g. http://127.0.0.1:8101
  std::string region;
  int line = 0;  // where it was declared, for later error messages
};

struct ClusterSettings {
  std::string secret;  // shared by every node of the cluster; signs node-to-node requests
  std::vector<ClusterNode> nodes;    // the cluster's node directory (may include this node)
  std::vector<std::string> peers;    // origin: other origins (default: every other origin)
  std::vector<std::string> origins;  // edge: upstream origins, in failover order (1..n)
  OriginPolicy policy = OriginPolicy::kFailover;
  uint32_t heartbeat_ms = 1000;
  uint32_t peer_dead_after = 3;         // missed heartbeats
  uint32_t full_sync_ms = 10000;        // directory anti-entropy
  uint32_t linger_ms = 5000;            // an upstream pull outlives its last viewer this long
  uint32_t upstream_timeout_ms = 5000;  // viewers waiting for a pull get 504 after this
  uint32_t no_media_timeout_ms = 2000;  // a live upstream without media has failed
  uint32_t max_redirects = 3;
  std::string ca_file;  // verifies peers over HTTPS
  // CIDR -> region, so that an origin can send a viewer to the nearest edge.
  struct RegionRule {
    std::string cidr;
    std::string region;
  };
  std::vector<RegionRule> region_map;
};

struct NodeConfig {
  std::string source_file;  // the file it was loaded from
  std::string id;
  NodeRole role = NodeRole::kOrigin;
  std::string region;
  // SIGTERM: how long the node keeps serving its sessions while it admits no new ones
  // (node.drain_seconds, 0..3600; 0: stop at once).
  uint32_t drain_seconds = 10;
  HttpSettings http;
  MetricsSettings metrics;
  MediaSettings media;
  ClusterSettings cluster;
  std::string vhosts_dir;   // resolved relative to the config file
  std::string admin_token;  // global admin credential; empty: admin API open on loopback only
  base::LogOptions logging;

  // The nodes this node talks to, resolved from the directory (peers for an origin, origins for
  // an edge), in configured order.
  std::vector<const ClusterNode*> Upstreams() const;
  const ClusterNode* FindNode(const std::string& node_id) const;
};

}  // namespace tributary::config
