#include "edge/EdgeNode.h"

#include <spdlog/spdlog.h>

namespace tributary::edge {

EdgeNode::EdgeNode(http::NodeRunner& runner)
    : runner_(runner), media_(std::make_unique<http::MediaService>(runner)) {}

void EdgeNode::Start() {
  media_->Start();
  spdlog::debug("edge {}: {} upstream origin(s) configured", runner_.Config().id,
                runner_.Config().Upstreams().size());
}

void EdgeNode::Stop() {
  media_->Stop();
}

}  // namespace tributary::edge
