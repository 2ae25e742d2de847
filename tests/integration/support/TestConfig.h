#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tributary::testing {

// A node configuration written for a test (the YAML schema of conf/reference/*.yaml), on
// loopback ports the test picked.
struct TestNode {
  struct Peer {
    std::string id;
    std::string role;  // "origin" | "edge"
    std::string url;
    std::string region;
  };

  std::string id = "o1";
  std::string role = "origin";
  std::string region = "eu";
  uint16_t http_port = 0;
  std::string listen_ip = "127.0.0.1";    // the HTTP listener's IPv4 address
  std::optional<uint32_t> drain_seconds;  // node.drain_seconds; unset: the default
  std::optional<uint16_t> metrics_port;
  std::string vhosts_dir = "vhosts";  // relative to the config file
  std::string secret = "test-cluster-secret-0123456789";
  std::string admin_token;
  std::vector<Peer> others;          // the rest of the cluster directory (this node is added)
  std::vector<std::string> origins;  // edge: upstream origin ids (required for an edge)
  std::string cluster_yaml;  // appended inside the cluster section, each line indented 2 spaces
  std::string log_level = "info";
  std::string log_format = "text";  // "text" | "json"
  std::string extra_yaml;           // appended as is: more top-level sections

  std::string Url() const;
  std::string ToYaml() const;
};

// One vhost file. Empty token or secret: not set.
struct TestVhost {
  std::string name = "demo";
  bool is_default = true;
  std::vector<std::string> domains = {"localhost"};
  std::string publish_token;
  bool play_open = true;
  std::string jwt_secret;

  std::string ToYaml() const;
};

}  // namespace tributary::testing
