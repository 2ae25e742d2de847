#include "http/VhostCatalog.h"

namespace tributary::http {

VhostCatalog::VhostCatalog(config::VhostSet initial)
    : current_(std::make_shared<const config::VhostSet>(std::move(initial))) {}

void VhostCatalog::Replace(config::VhostSet next) {
  current_.store(std::make_shared<const config::VhostSet>(std::move(next)));
  generation_.fetch_add(1);
}

}  // namespace tributary::http
