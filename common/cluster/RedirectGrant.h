#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sfu/StreamKey.h"

namespace tributary::cluster {

// A short-lived permission to play one stream on one edge, issued by an origin that redirects a
// viewer there (307) and carried in the Location's query (?grant=...). Browsers drop the
// Authorization header when they follow a redirect to another origin; the edge admits the viewer
// on the grant instead.
//
// Token: "1.<expiry, Unix ms>.<edge id>.<64 hex digits>", URL-safe as it is. The hex digits are
// HMAC-SHA256 under a key derived from cluster.secret ("tributary redirect grant v1") over the
// version, vhost, app, stream, action ("play"), expiry and edge, each length-prefixed so that no
// two claim sets sign alike. The stream's names are not in the token: the edge checks it against
// the stream of the request it arrives on.
class RedirectGrant {
 public:
  static constexpr uint64_t kLifetimeMs = 30000;
  static constexpr std::string_view kQueryParam = "grant";

  enum class Check {
    kOk,
    kMalformed,     // not a grant token at all
    kWrongEdge,     // issued for another edge
    kBadSignature,  // tampered, another stream (vhost, app or stream), or another secret
    kExpired,
  };
  static const char* ToString(Check check);

  explicit RedirectGrant(std::string_view secret);
  ~RedirectGrant();
  RedirectGrant(const RedirectGrant&) = delete;
  RedirectGrant& operator=(const RedirectGrant&) = delete;

  // A grant to play `key` on `edge_id` until now + lifetime.
  std::string Issue(const sfu::StreamKey& key, std::string_view edge_id, uint64_t now_unix_ms,
                    uint64_t lifetime_ms = kLifetimeMs) const;
  std::string Issue(const sfu::StreamKey& key, std::string_view edge_id) const;

  // Whether `token` lets a viewer play `key` on the edge `self_edge_id` at `now_unix_ms`.
  Check Verify(std::string_view token, const sfu::StreamKey& key, std::string_view self_edge_id,
               uint64_t now_unix_ms) const;
  Check Verify(std::string_view token, const sfu::StreamKey& key,
               std::string_view self_edge_id) const;

 private:
  std::string Mac(const sfu::StreamKey& key, std::string_view expiry,
                  std::string_view edge_id) const;

  std::array<uint8_t, 32> key_;
};

}  // namespace tributary::cluster
