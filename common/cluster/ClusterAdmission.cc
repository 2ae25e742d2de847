#include "cluster/ClusterAdmission.h"

#include <spdlog/spdlog.h>

namespace tributary::cluster {

ClusterAdmission::ClusterAdmission(ClusterAuth& auth, const RedirectGrant& grants,
                                   const std::string& self_id)
    : auth_(auth), grants_(grants), self_id_(self_id) {}

http::OfferTrust ClusterAdmission::TrustOf(const net::HttpExchange& exchange,
                                           http::StreamAction action, const sfu::StreamKey& key) {
  http::OfferTrust trust;
  const net::HttpRequest& request = exchange.Request();
  if (!request[ClusterAuth::kSignatureHeader].empty()) {
    const ClusterAuth::Verdict verdict = auth_.Verify(request);
    if (!verdict.ok) {
      spdlog::debug("signed {} of {} from {} refused: {}", http::ToString(action), key.ToString(),
                    exchange.Remote().ToString(), verdict.reason);
      trust.kind = http::OfferTrust::Kind::kRejected;
      trust.reason = "cluster credential: " + verdict.reason;
      return trust;
    }
    trust.kind = http::OfferTrust::Kind::kNode;
    trust.node = verdict.node;
    return trust;
  }
  if (action != http::StreamAction::kPlay) return trust;
  const auto grant = exchange.Target().Param(RedirectGrant::kQueryParam);
  if (!grant) return trust;
  const RedirectGrant::Check check = grants_.Verify(*grant, key, self_id_);
  if (check == RedirectGrant::Check::kOk) {
    trust.kind = http::OfferTrust::Kind::kGrant;
    return trust;
  }
  trust.reason = std::string("redirect grant: ") + RedirectGrant::ToString(check);
  return trust;
}

}  // namespace tributary::cluster
