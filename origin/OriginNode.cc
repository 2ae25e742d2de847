#include "origin/OriginNode.h"

#include <spdlog/spdlog.h>

namespace tributary::origin {

OriginNode::OriginNode(http::NodeRunner& runner)
    : runner_(runner), media_(std::make_unique<http::MediaService>(runner)) {}

void OriginNode::Start() {
  media_->Start();
  spdlog::debug("origin {}: {} peer(s) configured", runner_.Config().id,
                runner_.Config().Upstreams().size());
}

void OriginNode::Stop() {
  media_->Stop();
}

}  // namespace tributary::origin
