#pragma once

#include <memory>
#include <string>

#include "cluster/UpstreamLink.h"
#include "http/WhepClient.h"

namespace tributary::cluster {

// A WHEP pull: the edge plays the stream from an origin into its local stream, whose source the
// pull's client-role IngestSession is (Stream::AttachSource). The edge's viewers are ordinary
// local consumers of that stream; across a failover the next pull's session rebinds the same
// producers, so they keep their sessions, sequence numbers and timestamps, and a keyframe is
// asked for at once.
// The state machine and failover are UpstreamLink's.
class UpstreamPull final : public UpstreamLink {
 public:
  UpstreamPull(sfu::StreamKey key, Environment& environment, Listener& listener)
      : UpstreamLink(Kind::kPull, std::move(key), environment, listener) {}

 private:
  std::unique_ptr<http::MediaSessionClient> MakeClient(
      sfu::MediaWorker& worker, std::string url,
      http::MediaSessionClient::Options options) override;
};

}  // namespace tributary::cluster
