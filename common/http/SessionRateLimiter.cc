#include "http/SessionRateLimiter.h"

#include <algorithm>
#include <cmath>

namespace tributary::http {

SessionRateLimiter::SessionRateLimiter(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)) {}

SessionRateLimiter::Decision SessionRateLimiter::Take(std::string_view vhost,
                                                      std::string_view address, uint32_t rate,
                                                      uint64_t now_us) {
  const double per_second = std::max<uint32_t>(rate, 1);
  std::string key;
  key.reserve(vhost.size() + address.size() + 1);
  key.append(vhost).push_back('\n');
  key.append(address);

  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= capacity_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(std::move(key), Bucket{per_second, now_us, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& bucket = it->second;
  if (now_us > bucket.last_us) {
    const double elapsed_s = static_cast<double>(now_us - bucket.last_us) / 1e6;
    bucket.tokens = std::min(per_second, bucket.tokens + elapsed_s * per_second);
    bucket.last_us = now_us;
  }
  // A lowered rate (vhost reload) caps what is stored at once.
  bucket.tokens = std::min(bucket.tokens, per_second);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {true, 0};
  }
  const double missing_s = (1.0 - bucket.tokens) / per_second;
  return {false, static_cast<uint64_t>(std::ceil(missing_s * 1000.0))};
}

}  // namespace tributary::http
