#pragma once

#include <string>

#include "cluster/ClusterAdmission.h"
#include "cluster/DirectoryEntry.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginPinning.h"
#include "cluster/StreamDirectory.h"
#include "cluster/ViewerRedirector.h"
#include "http/WhipWhepService.h"

namespace tributary::cluster {

// An origin's rules for WHIP/WHEP offers (docs/cluster.md, "Streams across the mesh"):
//
//   WHEP  a viewer without a cluster credential, of a stream that is live here or on a peer,
//         gets 307 to the least-loaded live edge of its region (ViewerRedirector; none: served
//         here). Else a stream another origin owns (StreamDirectory::Lookup, asking the peers on
//         a miss) gets 307 to the owner's WHEP URL (with a RedirectGrant for a viewer, whose
//         browser drops Authorization on the way); a stream live here, or nowhere (409 from the
//         media worker), is answered here.
//   WHIP  a stream the directory gives to another origin gets 409, once that origin confirms
//         its claim (StreamDirectory::VerifyOwner); one that does not (killed before the mesh
//         noticed: an edge re-pushing after a failover) loses the stream to this origin
//         (StreamDirectory::Supersede). A vhost that pins its streams to other origins
//         (OriginPinning) gets 421 with the origins to publish to.
//
// The stream is announced to the mesh when its publisher's resource is created here (201) and
// unannounced when the last one goes (DELETE, or its session ended); a claim lost to an earlier
// one (OnLocalClaimLost) ends the local publisher, with the reason.
// Control thread.
class OriginAdmission final : public ClusterAdmission {
 public:
  // Everything referenced outlives this object.
  OriginAdmission(ClusterAuth& auth, const RedirectGrant& grants, const NodeIdentity& self,
                  StreamDirectory& directory, ViewerRedirector& redirector,
                  http::WhipWhepService& whip_whep);

  void Admit(const http::OfferContext& offer, Decide decide) override;
  void OnResourceAdded(const http::SessionResource& resource) override;
  void OnResourceRemoved(const http::SessionResource& resource) override;

  // StreamDirectory::Listener's, passed on by the node.
  void SetPinning(OriginPinning pinning) { pinning_ = pinning; }
  void OnLocalClaimLost(const sfu::StreamKey& key, const DirectoryEntry& winner);

 private:
  void AdmitPlay(const http::OfferContext& offer, Decide decide);
  void AdmitPublish(const http::OfferContext& offer, Decide decide);
  bool PublishedHere(const sfu::StreamKey& key) const;

  const NodeIdentity& self_;
  StreamDirectory& directory_;
  ViewerRedirector& redirector_;
  http::WhipWhepService& whip_whep_;
  OriginPinning pinning_;
};

}  // namespace tributary::cluster
