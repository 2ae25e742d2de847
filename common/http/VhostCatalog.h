#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "config/VhostConfig.h"

namespace tributary::http {

// The node's current set of vhosts, replaced as a whole on reload (SIGHUP). Readers on any
// thread take a snapshot with Current() and keep it for as long as they need a consistent
// view (one request, one session setup); a reload never changes a snapshot under them.
class VhostCatalog {
 public:
  explicit VhostCatalog(config::VhostSet initial);

  std::shared_ptr<const config::VhostSet> Current() const { return current_.load(); }
  void Replace(config::VhostSet next);
  // Counts replacements: 0 for the set loaded at start.
  uint64_t Generation() const { return generation_.load(); }

 private:
  std::atomic<std::shared_ptr<const config::VhostSet>> current_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace tributary::http
