#pragma once

#include <memory>

#include "http/MediaService.h"
#include "http/NodeRunner.h"

namespace tributary::origin {

// The origin role: the routes every node shares (NodeRunner) and WHIP/WHEP on its media
// workers (MediaService). The mesh backbone, the stream directory and the internal redirects
// come with later issues.
class OriginNode : public http::NodeRunner::Role {
 public:
  explicit OriginNode(http::NodeRunner& runner);

  void Start() override;
  void Stop() override;

 private:
  http::NodeRunner& runner_;
  std::unique_ptr<http::MediaService> media_;  // WHIP/WHEP and the media workers
};

}  // namespace tributary::origin
