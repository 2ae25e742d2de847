#pragma once

#include <memory>

#include "http/MediaService.h"
#include "http/NodeRunner.h"

namespace tributary::edge {

// The edge role: the routes every node shares (NodeRunner) and WHIP/WHEP on its media workers
// (MediaService). The origin pool, pull-on-demand, push-upstream and failover come with later
// issues.
class EdgeNode : public http::NodeRunner::Role {
 public:
  explicit EdgeNode(http::NodeRunner& runner);

  void Start() override;
  void Stop() override;

 private:
  http::NodeRunner& runner_;
  std::unique_ptr<http::MediaService> media_;  // WHIP/WHEP and the media workers
};

}  // namespace tributary::edge
