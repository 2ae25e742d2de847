#include "edge/EdgeNode.h"

#include <spdlog/spdlog.h>

namespace tributary::edge {

EdgeNode::EdgeNode(http::NodeRunner& runner) : runner_(runner) {}

void EdgeNode::Start() {
  spdlog::debug("edge {}: {} upstream origin(s) configured", runner_.Config().id,
                runner_.Config().Upstreams().size());
}

void EdgeNode::Stop() {}

}  // namespace tributary::edge
