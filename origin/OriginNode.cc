#include "origin/OriginNode.h"

#include <spdlog/spdlog.h>

namespace tributary::origin {

OriginNode::OriginNode(http::NodeRunner& runner) : runner_(runner) {}

void OriginNode::Start() {
  spdlog::debug("origin {}: {} peer(s) configured", runner_.Config().id,
                runner_.Config().Upstreams().size());
}

void OriginNode::Stop() {}

}  // namespace tributary::origin
