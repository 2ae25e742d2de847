#include "cluster/RequestTrustVerifier.h"

#include <spdlog/spdlog.h>

namespace tributary::cluster {

http::RequestTrustCheck RequestTrustVerifier::Make(ClusterAuth& auth, const RedirectGrant* grants,
                                                   std::string self_id) {
  return
      [&auth, grants, self_id = std::move(self_id)](
          const net::HttpExchange& exchange, const sfu::StreamKey& key, http::StreamAction action) {
        return Check(auth, grants, self_id, exchange, key, action);
      };
}

http::RequestTrust RequestTrustVerifier::Check(ClusterAuth& auth, const RedirectGrant* grants,
                                               const std::string& self_id,
                                               const net::HttpExchange& exchange,
                                               const sfu::StreamKey& key,
                                               http::StreamAction action) {
  http::RequestTrust trust;
  const net::HttpRequest& request = exchange.Request();
  if (request.find(ClusterAuth::kSignatureHeader) != request.end()) {
    const auto verdict = auth.Verify(request);
    if (verdict.ok) {
      trust.kind = http::RequestTrust::Kind::kClusterNode;
      trust.node = verdict.node;
    } else {
      spdlog::debug("WHIP/WHEP from {}: cluster credential refused: {}",
                    exchange.Remote().ToString(), verdict.reason);
      trust.kind = http::RequestTrust::Kind::kRefused;
      trust.reason = "cluster credential: " + verdict.reason;
    }
    return trust;
  }
  const auto grant = exchange.Target().Param(RedirectGrant::kQueryParam);
  if (grants == nullptr || !grant) return trust;
  trust.kind = http::RequestTrust::Kind::kRefused;
  if (action != http::StreamAction::kPlay) {
    trust.reason =
        "a redirect grant lets a viewer play, not " + std::string(http::ToString(action));
    return trust;
  }
  const auto check = grants->Verify(*grant, key, self_id);
  if (check != RedirectGrant::Check::kOk) {
    trust.reason = std::string("redirect grant: ") + RedirectGrant::ToString(check);
    return trust;
  }
  trust.kind = http::RequestTrust::Kind::kRedirectGrant;
  return trust;
}

}  // namespace tributary::cluster
