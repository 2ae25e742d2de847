#pragma once

// Who vouches for a WHIP/WHEP request besides its Authorization header. The http layer cannot
// check cluster signatures or redirect grants (they belong to cluster/, above it), so the node
// role gives WhipWhepService a RequestTrustCheck (cluster::RequestTrustCheck builds one) that
// looks at the request once:
//
//   kNone           neither a cluster signature nor a grant: the vhost's credentials decide
//   kClusterNode    signed by a node of the cluster (ClusterAuth): any vhost by ?vhost=, any
//                   action, no vhost credential, no per-address rate limit (an edge speaks for
//                   many clients), but counted in the vhost's session limits like any session
//   kRedirectGrant  an origin's RedirectGrant for this stream on this edge: any vhost by
//                   ?vhost=, play only, counted against the vhost's limits like any viewer
//   kRefused        a signature or a grant that does not verify: 401 with `reason`
//
// The check runs on the control thread; a signature is verified (and its nonce spent) once per
// request, here: code after the admission step reads the result, never verifies again.

#include <functional>
#include <string>

#include "http/Credentials.h"
#include "net/HttpExchange.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

struct RequestTrust {
  enum class Kind { kNone, kClusterNode, kRedirectGrant, kRefused };
  Kind kind = Kind::kNone;
  std::string node;    // kClusterNode: the signer's id
  std::string reason;  // kRefused: why, for the 401

  bool Vouched() const { return kind == Kind::kClusterNode || kind == Kind::kRedirectGrant; }
};

// `key` is the stream of the request (its vhost as resolved, by ?vhost= when given).
using RequestTrustCheck = std::function<RequestTrust(
    const net::HttpExchange& exchange, const sfu::StreamKey& key, StreamAction action)>;

}  // namespace tributary::http
