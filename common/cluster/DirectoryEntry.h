#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sfu/StreamKey.h"

namespace tributary::cluster {

// One stream of the stream directory: which origin owns (vhost, app, stream) and where to reach
// it. JSON (docs/cluster.md): {"vhost","app","stream","owner","url","version","since_ms"}.
struct DirectoryEntry {
  sfu::StreamKey key;
  std::string owner;      // origin id
  std::string owner_url;  // the owner's base URL (its http.public_url)
  // The owner's event counter when it announced: orders the owner's messages about the key
  // (a later announce or unannounce carries a larger one, also across the owner's restarts).
  uint64_t version = 0;
  // The owner's wall clock (Unix ms) when it claimed the stream: two origins claiming one key
  // resolve to the earliest claim, then to the smaller owner id.
  uint64_t since_ms = 0;

  // Whether this claim wins over `other`'s claim on the same key.
  bool Beats(const DirectoryEntry& other) const;

  // The owner's WHEP URL for the stream: url/whep/{app}/{stream}?vhost={vhost}, percent-encoded.
  // The vhost travels in the query because the Host header then names the owner, not the
  // tenant.
  std::string WhepUrl() const;

  nlohmann::json ToJson() const;
  // nullopt for a body that lacks a field or has one of the wrong type.
  static std::optional<DirectoryEntry> FromJson(const nlohmann::json& json);
  // The stream key of a JSON object's "vhost", "app" and "stream" (non-empty strings).
  static std::optional<sfu::StreamKey> KeyFromJson(const nlohmann::json& json);
};

// url/whep/{app}/{stream}?vhost={vhost}: the WHEP URL of a stream on the node at `base_url`.
std::string WhepUrlOf(const std::string& base_url, const sfu::StreamKey& key);

}  // namespace tributary::cluster
