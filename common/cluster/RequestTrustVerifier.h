#pragma once

// The RequestTrustCheck (http/RequestTrust.h) of a node role: who vouches for a WHIP/WHEP
// request besides the vhost's credentials.
//
//   X-Tributary-Signature present   ClusterAuth::Verify: a node of the cluster (kClusterNode),
//                                   or 401 "cluster credential: ..." (kRefused)
//   ?grant= present, grants given   RedirectGrant::Verify for this stream on this edge, play
//   (edges)                         only: kRedirectGrant, or 401 "redirect grant: ..."
//   neither                         kNone
//
// Origins pass no grants (they issue them; an edge checks them). The check spends the
// signature's nonce: it runs once per request, in WhipWhepService's admission step.

#include <string>

#include "cluster/ClusterAuth.h"
#include "cluster/RedirectGrant.h"
#include "http/RequestTrust.h"

namespace tributary::cluster {

class RequestTrustVerifier {
 public:
  // `auth` and `grants` (nullable) outlive every check made.
  static http::RequestTrustCheck Make(ClusterAuth& auth, const RedirectGrant* grants,
                                      std::string self_id);

  static http::RequestTrust Check(ClusterAuth& auth, const RedirectGrant* grants,
                                  const std::string& self_id, const net::HttpExchange& exchange,
                                  const sfu::StreamKey& key, http::StreamAction action);
};

}  // namespace tributary::cluster
