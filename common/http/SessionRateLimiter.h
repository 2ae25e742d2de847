#pragma once

// New WHIP/WHEP sessions per client address per second (a vhost's
// limits.sessions_per_ip_per_s): one token bucket per (vhost, address), holding up to `rate`
// tokens (one second's worth) and refilled at `rate` tokens a second; a session creation takes
// one, and is refused when the bucket is empty, with the time until the next token.
//
// Memory is bounded: at most `capacity` buckets, the least recently used one forgotten first
// (a forgotten bucket was idle the longest, and an idle bucket refills to full anyway: an
// address can only gain from it if `capacity` other addresses were busier since). Keyed by
// vhost too, so that one tenant's flood never empties another tenant's buckets.
//
// Control thread; O(1) a check.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tributary::http {

class SessionRateLimiter {
 public:
  static constexpr size_t kDefaultCapacity = 65536;

  explicit SessionRateLimiter(size_t capacity = kDefaultCapacity);

  struct Decision {
    bool allowed = true;
    uint64_t retry_after_ms = 0;  // when refused: until the next token
  };
  // Takes a token of the (vhost, address) bucket, `rate` tokens a second (>= 1).
  Decision Take(std::string_view vhost, std::string_view address, uint32_t rate, uint64_t now_us);

  size_t Size() const { return buckets_.size(); }
  size_t Capacity() const { return capacity_; }

 private:
  struct Bucket {
    double tokens = 0;
    uint64_t last_us = 0;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recent)
  };

  size_t capacity_;
  std::list<std::string> lru_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tributary::http
