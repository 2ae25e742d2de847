#pragma once

#include <memory>
#include <string>

#include "cluster/UpstreamLink.h"
#include "http/WhipClient.h"

namespace tributary::cluster {

// A WHIP push: the edge sends what a local publisher publishes to an origin, through a
// client-role EgressSession whose consumers take the local producers' packets (and answer the
// origin's NACKs, and pass its PLI on to the publisher). The origin becomes the stream's owner
// and announces it. A failover pushes to the next origin the same way.
// The state machine and failover are UpstreamLink's.
class UpstreamPush final : public UpstreamLink {
 public:
  UpstreamPush(sfu::StreamKey key, Environment& environment, Listener& listener)
      : UpstreamLink(Kind::kPush, std::move(key), environment, listener) {}

 private:
  std::unique_ptr<http::MediaSessionClient> MakeClient(
      sfu::MediaWorker& worker, std::string url,
      http::MediaSessionClient::Options options) override;
};

}  // namespace tributary::cluster
