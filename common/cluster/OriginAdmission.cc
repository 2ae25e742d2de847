#include "cluster/OriginAdmission.h"

#include <spdlog/spdlog.h>

namespace tributary::cluster {

OriginAdmission::OriginAdmission(ClusterAuth& auth, const RedirectGrant& grants,
                                 const NodeIdentity& self, StreamDirectory& directory,
                                 ViewerRedirector& redirector, http::WhipWhepService& whip_whep)
    : ClusterAdmission(auth, grants, self.id),
      self_(self),
      directory_(directory),
      redirector_(redirector),
      whip_whep_(whip_whep) {}

bool OriginAdmission::PublishedHere(const sfu::StreamKey& key) const {
  return whip_whep_.Sessions().Count(key, sfu::SessionKind::kIngest) > 0;
}

void OriginAdmission::Admit(const http::OfferContext& offer, Decide decide) {
  if (offer.action == http::StreamAction::kPlay) {
    AdmitPlay(offer, std::move(decide));
  } else {
    AdmitPublish(offer, std::move(decide));
  }
}

void OriginAdmission::AdmitPlay(const http::OfferContext& offer, Decide decide) {
  auto route = [this, offer, decide = std::move(decide)](std::optional<DirectoryEntry> entry) {
    const bool here = PublishedHere(offer.key);
    const bool elsewhere = !here && entry && entry->owner != self_.id;
    // A viewer (not a node) of a stream that exists goes to its nearest edge, if any.
    if ((here || entry) && offer.trust.kind != http::OfferTrust::Kind::kNode) {
      if (auto location = redirector_.RedirectFor(offer.exchange, offer.key)) {
        return decide(http::Admission::Redirect(std::move(*location)));
      }
    }
    if (elsewhere) {
      if (auto location = directory_.RedirectToOwner(offer.key)) {
        if (offer.trust.kind != http::OfferTrust::Kind::kNode) {
          *location += "&" + std::string(RedirectGrant::kQueryParam) + "=" +
                       grants_.Issue(offer.key, entry->owner);
        }
        spdlog::debug("WHEP {} from {}: owned by origin {}, redirected", offer.key.ToString(),
                      offer.exchange.Remote().ToString(), entry->owner);
        return decide(http::Admission::Redirect(std::move(*location)));
      }
    }
    decide(http::Admission::Proceed());
  };
  if (PublishedHere(offer.key)) {
    route(std::nullopt);
    return;
  }
  directory_.Lookup(offer.key, std::move(route));
}

void OriginAdmission::AdmitPublish(const http::OfferContext& offer, Decide decide) {
  if (!pinning_.Allows(offer.key.vhost, self_.id)) {
    std::string pins;
    for (const auto& id : pinning_.For(offer.key.vhost))
      pins += (pins.empty() ? "" : ", ") + id;
    decide(http::Admission::Refuse(net::HttpStatus::misdirected_request,
                                   "vhost '" + offer.key.vhost +
                                       "' keeps its streams on origin(s) " + pins + ", not on '" +
                                       self_.id + "': publish there or through an edge"));
    return;
  }
  const auto entry = directory_.OwnerOf(offer.key);
  if (!entry || entry->owner == self_.id) {
    decide(http::Admission::Proceed());
    return;
  }
  directory_.VerifyOwner(*entry, [this, entry = *entry, key = offer.key,
                                  decide = std::move(decide)](bool confirmed) {
    if (confirmed) {
      decide(http::Admission::Refuse(
          net::HttpStatus::conflict,
          "stream " + key.app + "/" + key.stream + " is live on origin '" + entry.owner + "'"));
      return;
    }
    spdlog::warn("origin: {} was owned by origin {}, which no longer confirms it: taking it over",
                 key.ToString(), entry.owner);
    directory_.Supersede(entry);
    decide(http::Admission::Proceed());
  });
}

void OriginAdmission::OnResourceAdded(const http::SessionResource& resource) {
  if (resource.kind != sfu::SessionKind::kIngest) return;
  if (const auto owner = directory_.AnnounceLocal(resource.key)) {
    // Claimed elsewhere meanwhile.
    spdlog::warn("origin: {} was claimed by origin {} meanwhile; ending the publisher here",
                 resource.key.ToString(), owner->owner);
    whip_whep_.EndSessions(resource.key, sfu::SessionKind::kIngest,
                           "stream is live on origin '" + owner->owner + "'");
  }
}

void OriginAdmission::OnResourceRemoved(const http::SessionResource& resource) {
  if (resource.kind != sfu::SessionKind::kIngest || PublishedHere(resource.key)) return;
  directory_.UnannounceLocal(resource.key);
}

void OriginAdmission::OnLocalClaimLost(const sfu::StreamKey& key, const DirectoryEntry& winner) {
  const size_t ended = whip_whep_.EndSessions(
      key, sfu::SessionKind::kIngest,
      "stream is live on origin '" + winner.owner + "' since an earlier claim");
  spdlog::warn("origin: the claim on {} lost to origin {}; {} publisher session(s) ended",
               key.ToString(), winner.owner, ended);
}

}  // namespace tributary::cluster
