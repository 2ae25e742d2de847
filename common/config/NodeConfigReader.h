#pragma once

#include <string>

#include "config/NodeConfig.h"
#include "config/YamlReader.h"

namespace tributary::config {

// Reads one node's YAML file into a NodeConfig, section by section, then checks what spans
// sections: this node's entry in the cluster directory, peers and origins that must resolve.
// Throws ConfigError. Use LoadNodeConfig (ConfigLoader.h) rather than this class.
class NodeConfigReader {
 public:
  explicit NodeConfigReader(const std::string& path);

  NodeConfig Read();

 private:
  void ReadNode();
  void ReadHttp();
  void ReadMetrics();
  void ReadMedia();
  void ReadCluster();
  void ReadClusterNodes(const YamlReader& cluster);
  void ReadUpstreams(const YamlReader& cluster);
  void CheckOwnEntry(const YamlReader& entry, const ClusterNode& node) const;
  // Item `index` of the id list at `key` must name an origin of the directory other than us.
  void CheckOriginReference(const YamlReader& cluster, std::string_view key, size_t index,
                            const std::string& id) const;
  void ReadVhosts();
  void ReadAdmin();
  void ReadLogging();

  YamlReader root_;
  NodeConfig config_;
};

}  // namespace tributary::config
