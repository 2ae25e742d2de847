#pragma once

#include "http/NodeRunner.h"

namespace tributary::edge {

// The edge role. For now the routes every node shares (NodeRunner); the origin pool,
// pull-on-demand, push-upstream and failover come with later issues.
class EdgeNode : public http::NodeRunner::Role {
 public:
  explicit EdgeNode(http::NodeRunner& runner);

  void Start() override;
  void Stop() override;

 private:
  http::NodeRunner& runner_;
};

}  // namespace tributary::edge
