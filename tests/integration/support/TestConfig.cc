#include "support/TestConfig.h"

#include <sstream>

namespace tributary::testing {

namespace {

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out + "]";
}

}  // namespace

std::string TestNode::Url() const {
  return "http://" + listen_ip + ":" + std::to_string(http_port);
}

std::string TestNode::ToYaml() const {
  std::ostringstream out;
  out << "node:\n  id: " << id << "\n  role: " << role << "\n  region: " << region << "\n";
  if (drain_seconds) out << "  drain_seconds: " << *drain_seconds << "\n";
  out << "http:\n  listen: " << listen_ip << ":" << http_port << "\n";
  if (metrics_port) out << "metrics:\n  listen: 127.0.0.1:" << *metrics_port << "\n";
  out << "cluster:\n  secret: " << secret << "\n  nodes:\n";
  out << "    - {id: " << id << ", role: " << role << ", url: " << Url() << ", region: " << region
      << "}\n";
  for (const Peer& peer : others) {
    out << "    - {id: " << peer.id << ", role: " << peer.role << ", url: " << peer.url
        << ", region: " << peer.region << "}\n";
  }
  if (!origins.empty()) out << "  origins: " << List(origins) << "\n";
  out << cluster_yaml;
  out << "vhosts:\n  dir: " << vhosts_dir << "\n";
  if (!admin_token.empty()) out << "admin:\n  token: " << admin_token << "\n";
  out << "logging:\n  level: " << log_level << "\n  format: " << log_format << "\n";
  out << extra_yaml;
  return out.str();
}

std::string TestVhost::ToYaml() const {
  std::ostringstream out;
  out << "name: " << name << "\n";
  if (is_default) out << "default: true\n";
  out << "domains: " << List(domains) << "\n";
  out << "publish:\n";
  if (publish_token.empty()) {
    out << "  open: true\n";
  } else {
    out << "  tokens: [" << publish_token << "]\n";
  }
  out << "play:\n  open: " << (play_open ? "true" : "false") << "\n";
  if (!jwt_secret.empty()) out << "jwt:\n  secret: " << jwt_secret << "\n";
  return out.str();
}

}  // namespace tributary::testing
