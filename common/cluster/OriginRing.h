#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sfu/StreamKey.h"

namespace tributary::cluster {

// Consistent hashing of stream keys onto origins. Each origin owns `virtual_nodes` points of a
// 64-bit ring (the first 8 bytes of SHA-256 of "<id>#<i>": the same on every edge, whatever its
// build); a key's point is the hash of its length-prefixed (vhost, app, stream). A key tries
// the origins in the order the ring meets them clockwise from its point. Removing an origin
// moves only the keys it had (to the next origin of their walk); the others keep their first
// origin.
class OriginRing {
 public:
  static constexpr size_t kDefaultVirtualNodes = 256;

  explicit OriginRing(std::vector<std::string> origin_ids,
                      size_t virtual_nodes = kDefaultVirtualNodes);

  // Indices into the constructor's ids: every origin once, in the key's order.
  std::vector<size_t> Order(const sfu::StreamKey& key) const;
  size_t Size() const { return ids_.size(); }
  const std::vector<std::string>& Ids() const { return ids_; }

  static uint64_t Hash(std::string_view text);
  static uint64_t HashKey(const sfu::StreamKey& key);

 private:
  std::vector<std::string> ids_;
  std::vector<std::pair<uint64_t, uint32_t>> points_;  // sorted by hash
};

}  // namespace tributary::cluster
