#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>

#include "cluster/ClusterAdmission.h"
#include "cluster/ClusterClient.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginPool.h"
#include "cluster/UpstreamLinks.h"
#include "http/WhipWhepService.h"

namespace tributary::cluster {

// An edge's rules for WHIP/WHEP offers (docs/cluster.md, "Upstream links"):
//
//   WHEP  a stream published here is served from the local producers; any other waits for the
//         stream's one upstream pull (UpstreamLinks::AwaitPull: 504 after upstream_timeout_ms,
//         409 + Retry-After when no origin has it).
//   WHIP  refused (409) while the stream is played here through a pull, or when an origin's
//         directory names an owner (the stream is published through another node: asked of the
//         first origin of the pick, with a short timeout; no answer lets the publisher in). A
//         publisher that reconnects while its push is still there is let in.
//
// A publisher's resource created here starts the stream's push, and the last one gone deletes
// it. Control thread.
class EdgeAdmission final : public ClusterAdmission {
 public:
  // Everything referenced outlives this object.
  EdgeAdmission(ClusterAuth& auth, const RedirectGrant& grants, const NodeIdentity& self,
                boost::asio::io_context& io, net::HttpClient::Options http, OriginPool& origins,
                UpstreamLinks& links, http::WhipWhepService& whip_whep, uint32_t check_timeout_ms);

  void Admit(const http::OfferContext& offer, Decide decide) override;
  void OnResourceAdded(const http::SessionResource& resource) override;
  void OnResourceRemoved(const http::SessionResource& resource) override;

 private:
  void AdmitPublish(const http::OfferContext& offer, Decide decide);
  bool PublishedHere(const sfu::StreamKey& key) const;

  OriginPool& origins_;
  UpstreamLinks& links_;
  http::WhipWhepService& whip_whep_;
  ClusterClient client_;
  const uint32_t check_timeout_ms_;
};

}  // namespace tributary::cluster
