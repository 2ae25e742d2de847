#include "cluster/EdgeAdmission.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "cluster/DirectoryEntry.h"
#include "net/Url.h"

namespace tributary::cluster {

namespace {

constexpr uint32_t kMaxCheckMs = 1000;

}  // namespace

EdgeAdmission::EdgeAdmission(ClusterAuth& auth, const RedirectGrant& grants,
                             const NodeIdentity& self, boost::asio::io_context& io,
                             net::HttpClient::Options http, OriginPool& origins,
                             UpstreamLinks& links, http::WhipWhepService& whip_whep,
                             uint32_t check_timeout_ms)
    : ClusterAdmission(auth, grants, self.id),
      origins_(origins),
      links_(links),
      whip_whep_(whip_whep),
      client_(io, auth, std::move(http)),
      check_timeout_ms_(std::min(check_timeout_ms, kMaxCheckMs)) {}

bool EdgeAdmission::PublishedHere(const sfu::StreamKey& key) const {
  return whip_whep_.Sessions().Count(key, sfu::SessionKind::kIngest) > 0;
}

void EdgeAdmission::Admit(const http::OfferContext& offer, Decide decide) {
  if (offer.action == http::StreamAction::kPublish) {
    AdmitPublish(offer, std::move(decide));
    return;
  }
  if (PublishedHere(offer.key)) {
    decide(http::Admission::Proceed());  // the local producer
    return;
  }
  links_.AwaitPull(offer.key, std::move(decide));
}

void EdgeAdmission::AdmitPublish(const http::OfferContext& offer, Decide decide) {
  const sfu::StreamKey& key = offer.key;
  if (PublishedHere(key) || links_.FindPush(key) != nullptr) {
    // The media worker tells a second publisher (409) from a returning one.
    decide(http::Admission::Proceed());
    return;
  }
  if (const UpstreamLink* pull = links_.FindPull(key)) {
    decide(http::Admission::Refuse(net::HttpStatus::conflict,
                                   "stream " + key.app + "/" + key.stream +
                                       " is live here through origin '" + pull->CurrentOrigin() +
                                       "': it is published elsewhere"));
    return;
  }
  const auto candidates = origins_.PickFor(key);
  if (candidates.empty()) {
    decide(http::Admission::Proceed());
    return;
  }
  const std::string url =
      candidates.front().url + "/cluster/v1/streams/" + net::Url::PercentEncode(key.vhost) + "/" +
      net::Url::PercentEncode(key.app) + "/" + net::Url::PercentEncode(key.stream);
  client_.Get(url, std::chrono::milliseconds(check_timeout_ms_),
              [key, origin = candidates.front().id,
               decide = std::move(decide)](net::HttpClientResult result) {
                if (result.Ok() && result.status == 200) {
                  const auto entry =
                      DirectoryEntry::FromJson(nlohmann::json::parse(result.body, nullptr, false));
                  if (entry) {
                    decide(http::Admission::Refuse(net::HttpStatus::conflict,
                                                   "stream " + key.app + "/" + key.stream +
                                                       " is live on origin '" + entry->owner +
                                                       "': it is published elsewhere"));
                    return;
                  }
                }
                if (!result.Ok() || (result.status != 200 && result.status != 404)) {
                  spdlog::info(
                      "edge: could not ask origin {} whether {} is live elsewhere ({}); "
                      "letting the publisher in",
                      origin, key.ToString(),
                      result.Ok() ? "HTTP " + std::to_string(result.status) : result.error);
                }
                decide(http::Admission::Proceed());
              });
}

void EdgeAdmission::OnResourceAdded(const http::SessionResource& resource) {
  if (resource.kind == sfu::SessionKind::kIngest) links_.SetPublisher(resource.key, true);
}

void EdgeAdmission::OnResourceRemoved(const http::SessionResource& resource) {
  if (resource.kind == sfu::SessionKind::kIngest && !PublishedHere(resource.key)) {
    links_.SetPublisher(resource.key, false);
  }
}

}  // namespace tributary::cluster
