#pragma once

// A virtual host: one tenant, loaded from one YAML file in the vhosts directory.

#include <cstdint>
#include <string>
#include <vector>

namespace tributary::config {

struct ActionAuth {
  bool open = false;                // no credential needed
  std::vector<std::string> tokens;  // static bearer tokens (secrets)
};

struct JwtSettings {
  std::string secret;  // HS256 key; empty: JWTs not accepted
  uint32_t clock_skew_s = 30;
};

struct VhostLimits {
  uint32_t publishers = 100;
  uint32_t viewers = 10000;
  uint32_t viewers_per_stream = 5000;
  uint32_t bitrate_kbps = 10000;  // per publisher
  uint32_t sessions_per_ip_per_s = 50;
};

struct VhostConfig {
  std::string source_file;
  std::string name;
  bool is_default = false;
  std::vector<std::string> domains;  // exact names or "*.example.com"
  bool allow_query_vhost = false;    // may `?vhost=` select this vhost
  ActionAuth publish;
  ActionAuth play;
  ActionAuth admin;
  JwtSettings jwt;
  VhostLimits limits;
  std::vector<std::string> codecs = {"opus", "vp8", "vp9", "h264", "av1"};
  std::vector<std::string> origins;  // pin streams to these origin ids; empty: any
  std::vector<int> origin_lines;     // the line of each of `origins` in source_file

  // Whether streams of this vhost may live on origin `id` (always, when nothing is pinned).
  bool AllowsOrigin(const std::string& id) const;
};

struct VhostSet {
  std::vector<VhostConfig> vhosts;  // in file name order
  // Valid but probably unintended settings, "FILE:LINE: key 'play': ...", for the node to log
  // (e.g. an action that is neither open nor has tokens or a JWT secret: nobody can do it).
  std::vector<std::string> warnings;
  const VhostConfig* Find(const std::string& name) const;  // nullptr if no such vhost
  const VhostConfig* Default() const;                      // nullptr if no vhost is the default
};

}  // namespace tributary::config
