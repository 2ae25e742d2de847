#include "cluster/NodeIdentity.h"

#include "base/Random.h"

namespace tributary::cluster {

NodeIdentity NodeIdentity::FromConfig(const config::NodeConfig& config) {
  return {config.id, config.role, config.region, config.http.public_url, base::RandomHex(8)};
}

}  // namespace tributary::cluster
