#include "config/ConfigLoader.h"

#include <algorithm>
#include <filesystem>

#include "config/NodeConfigReader.h"
#include "config/VhostConfigReader.h"

namespace tributary::config {

namespace {

// The vhost files of `dir`: regular *.yaml / *.yml files, hidden ones skipped, sorted by name.
std::vector<std::string> VhostFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw ConfigError(dir, 0, "", "cannot read vhost directory: " + ec.message());
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    const std::string extension = path.extension().string();
    if (name.starts_with('.') || (extension != ".yaml" && extension != ".yml")) continue;
    if (it->is_regular_file(ec)) names.push_back(name);
  }
  if (ec) throw ConfigError(dir, 0, "", "cannot read vhost directory: " + ec.message());
  if (names.empty())
    throw ConfigError(dir, 0, "", "no vhost file (*.yaml, *.yml) in this directory");
  std::sort(names.begin(), names.end());
  std::vector<std::string> files;
  for (const std::string& name : names)
    files.push_back((fs::path(dir) / name).string());
  return files;
}

}  // namespace

NodeConfig LoadNodeConfig(const std::string& path) {
  return NodeConfigReader(path).Read();
}

VhostSet LoadVhosts(const std::string& dir) {
  VhostSet set;
  VhostConfigReader::Claims claims;
  for (const std::string& file : VhostFiles(dir)) {
    set.vhosts.push_back(VhostConfigReader(file, claims).Read(set.warnings));
  }
  return set;
}

void CheckVhostOrigins(const NodeConfig& node, const VhostSet& vhosts) {
  for (const VhostConfig& vhost : vhosts.vhosts) {
    for (size_t i = 0; i < vhost.origins.size(); ++i) {
      const std::string& id = vhost.origins[i];
      const int line = i < vhost.origin_lines.size() ? vhost.origin_lines[i] : 0;
      const std::string key = "origins[" + std::to_string(i) + "]";
      if (id == node.id && node.role == NodeRole::kOrigin) continue;
      const ClusterNode* found = node.FindNode(id);
      if (found == nullptr) {
        std::string known;
        for (const ClusterNode& other : node.cluster.nodes) {
          if (other.role == NodeRole::kOrigin) known += (known.empty() ? "" : ", ") + other.id;
        }
        throw ConfigError(vhost.source_file, line, key,
                          "no origin '" + id + "' in cluster.nodes of " + node.source_file +
                              " (origins: " + (known.empty() ? "none" : known) + ")");
      }
      if (found->role != NodeRole::kOrigin) {
        throw ConfigError(vhost.source_file, line, key,
                          "node '" + id + "' is an " + ToString(found->role) +
                              ", a vhost pins its streams to origins");
      }
    }
  }
}

}  // namespace tributary::config
