#pragma once

// The vhost limits (config::VhostLimits) for new WHIP/WHEP sessions, kept on the control thread
// for the whole node (every media worker's sessions count): a session is admitted by Reserve()
// before its offer goes to its worker, and Release()d when the worker refuses it, or when it
// ends (DELETE, or its worker reports it closed). Limits are read from the vhost snapshot of
// each request, so a reload applies to the next admission; sessions already made stay.
//
//   publishers          ingest sessions open in the vhost
//   viewers             egress sessions open in the vhost
//   viewers_per_stream  egress sessions of one (vhost, app, stream)
//   sessions_per_ip_per_s  new sessions per client address (SessionRateLimiter), checked first
//
// A refusal is 503 with Retry-After and a reason naming the limit; it is counted in
// tributary_limit_rejections_total{vhost,limit}. Counts are per vhost, so one tenant at its
// limits changes nothing for the others.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/VhostConfig.h"
#include "http/SessionRateLimiter.h"
#include "metrics/Metrics.h"
#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

class AdmissionControl {
 public:
  static constexpr int kRetryAfterFullS = 5;  // a count limit: sessions end slowly

  struct Decision {
    bool admitted = true;
    std::string limit;  // "publishers", "viewers", "viewers_per_stream", "sessions_per_ip_per_s"
    std::string reason;
    int retry_after_s = 0;
  };
  struct VhostCounts {
    uint64_t publishers = 0;
    uint64_t viewers = 0;
  };

  // `metrics` (nullable) outlives this.
  explicit AdmissionControl(metrics::Metrics* metrics,
                            size_t rate_buckets = SessionRateLimiter::kDefaultCapacity);

  // One more session creation from `address` in the vhost (sessions_per_ip_per_s).
  Decision CheckRate(const config::VhostConfig& vhost, std::string_view address, uint64_t now_us);
  // Counts one more session of `kind` for `key` when the vhost's limits allow it.
  Decision Reserve(const config::VhostConfig& vhost, sfu::SessionKind kind,
                   const sfu::StreamKey& key);
  // Gives back what Reserve counted.
  void Release(sfu::SessionKind kind, const sfu::StreamKey& key);

  VhostCounts Counts(const std::string& vhost) const;
  uint64_t StreamViewers(const sfu::StreamKey& key) const;

 private:
  Decision Refuse(const config::VhostConfig& vhost, std::string limit, std::string reason,
                  int retry_after_s);

  metrics::Metrics* metrics_;
  SessionRateLimiter rate_;
  std::map<std::string, VhostCounts> vhosts_;
  std::unordered_map<sfu::StreamKey, uint64_t, sfu::StreamKey::Hash> stream_viewers_;
};

}  // namespace tributary::http
