#pragma once

#include <string>

#include "cluster/ClusterAuth.h"
#include "cluster/RedirectGrant.h"
#include "http/OfferAdmission.h"

namespace tributary::cluster {

// What origins and edges share in deciding about WHIP/WHEP offers (http::OfferAdmission): who
// vouches for a request besides the vhost's credentials.
//   - A request carrying X-Tributary-Signature is a cluster node's (an edge pulling or pushing,
//     an origin's redirect followed by an edge): it must verify (ClusterAuth::Verify: secret,
//     clock skew, replay), else 401 with the reason; a verified one needs no bearer token.
//   - A WHEP request carrying ?grant= is a viewer an origin sent here (ViewerRedirector, or an
//     owner redirect): a grant valid for this stream on this node (RedirectGrant::Verify) admits
//     it without a bearer token; an invalid one is ignored (the vhost's credentials still
//     apply) and its reason added to a 401.
// Control thread (the replay cache of ClusterAuth is not thread-safe).
class ClusterAdmission : public http::OfferAdmission {
 public:
  // All three outlive this object.
  ClusterAdmission(ClusterAuth& auth, const RedirectGrant& grants, const std::string& self_id);

  http::OfferTrust TrustOf(const net::HttpExchange& exchange, http::StreamAction action,
                           const sfu::StreamKey& key) override;

 protected:
  ClusterAuth& auth_;
  const RedirectGrant& grants_;
  const std::string& self_id_;
};

}  // namespace tributary::cluster
