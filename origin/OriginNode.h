#pragma once

#include "http/NodeRunner.h"

namespace tributary::origin {

// The origin role. For now the routes every node shares (NodeRunner); the mesh backbone, the
// stream directory and the internal redirects come with later issues.
class OriginNode : public http::NodeRunner::Role {
 public:
  explicit OriginNode(http::NodeRunner& runner);

  void Start() override;
  void Stop() override;

 private:
  http::NodeRunner& runner_;
};

}  // namespace tributary::origin
