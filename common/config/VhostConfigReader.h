#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/VhostConfig.h"
#include "config/YamlReader.h"

namespace tributary::config {

// Reads one vhost file. What must be unique across the files of a directory (names, domains,
// the default) is claimed in a Claims shared by the readers of that directory, so that the
// second claimant fails naming its own file, line and key and the first file.
// Use LoadVhosts (ConfigLoader.h) rather than this class.
class VhostConfigReader {
 public:
  struct Place {
    std::string vhost;
    std::string file;
    int line = 0;
    std::string Describe() const;  // "vhost 'demo' (vhosts/demo.yaml:3)"
  };
  struct Claims {
    std::map<std::string, Place> names;
    std::map<std::string, Place> domains;
    std::optional<Place> default_vhost;
  };

  VhostConfigReader(const std::string& path, Claims& claims);

  // Warnings (valid but probably unintended settings) are appended to `warnings`.
  VhostConfig Read(std::vector<std::string>& warnings);

 private:
  void ReadIdentity();
  ActionAuth ReadAction(std::string_view key) const;
  void ReadLimits();
  void WarnIfNobodyCan(std::string_view key, const ActionAuth& auth,
                       std::vector<std::string>& warnings) const;

  YamlReader root_;
  Claims& claims_;
  VhostConfig config_;
};

}  // namespace tributary::config
