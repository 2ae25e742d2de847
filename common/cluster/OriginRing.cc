#include "cluster/OriginRing.h"

#include <algorithm>

#include "rtc/deps/DepOpenSsl.h"

namespace tributary::cluster {

OriginRing::OriginRing(std::vector<std::string> origin_ids, size_t virtual_nodes)
    : ids_(std::move(origin_ids)) {
  virtual_nodes = std::max<size_t>(virtual_nodes, 1);
  points_.reserve(ids_.size() * virtual_nodes);
  for (size_t i = 0; i < ids_.size(); ++i) {
    for (size_t v = 0; v < virtual_nodes; ++v) {
      points_.emplace_back(Hash(ids_[i] + "#" + std::to_string(v)), static_cast<uint32_t>(i));
    }
  }
  std::sort(points_.begin(), points_.end());
}

uint64_t OriginRing::Hash(std::string_view text) {
  const auto digest = rtc::DepOpenSsl::Sha256(rtc::AsBytes(text));
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i)
    value = (value << 8) | digest[i];
  return value;
}

uint64_t OriginRing::HashKey(const sfu::StreamKey& key) {
  std::string text;
  for (const std::string* part : {&key.vhost, &key.app, &key.stream}) {
    text += std::to_string(part->size());
    text += ':';
    text += *part;
  }
  return Hash(text);
}

std::vector<size_t> OriginRing::Order(const sfu::StreamKey& key) const {
  std::vector<size_t> order;
  if (points_.empty()) return order;
  order.reserve(ids_.size());
  std::vector<bool> seen(ids_.size(), false);
  const uint64_t point = HashKey(key);
  auto it =
      std::lower_bound(points_.begin(), points_.end(), std::pair<uint64_t, uint32_t>{point, 0});
  for (size_t steps = 0; steps < points_.size() && order.size() < ids_.size(); ++steps, ++it) {
    if (it == points_.end()) it = points_.begin();
    if (!seen[it->second]) {
      seen[it->second] = true;
      order.push_back(it->second);
    }
  }
  return order;
}

}  // namespace tributary::cluster
