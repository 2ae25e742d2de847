#include "http/AdmissionControl.h"

#include <algorithm>

namespace tributary::http {

AdmissionControl::AdmissionControl(metrics::Metrics* metrics, size_t rate_buckets)
    : metrics_(metrics), rate_(rate_buckets) {}

AdmissionControl::Decision AdmissionControl::Refuse(const config::VhostConfig& vhost,
                                                    std::string limit, std::string reason,
                                                    int retry_after_s) {
  if (metrics_ != nullptr)
    metrics_->LimitRejections().Add({{"vhost", vhost.name}, {"reason", limit}}).Increment();
  Decision decision;
  decision.admitted = false;
  decision.limit = std::move(limit);
  decision.reason = std::move(reason);
  decision.retry_after_s = retry_after_s;
  return decision;
}

AdmissionControl::Decision AdmissionControl::CheckRate(const config::VhostConfig& vhost,
                                                       std::string_view address, uint64_t now_us) {
  const uint32_t rate = vhost.limits.sessions_per_ip_per_s;
  const auto taken = rate_.Take(vhost.name, address, rate, now_us);
  if (taken.allowed) return {};
  const int retry_s = static_cast<int>(std::max<uint64_t>(1, (taken.retry_after_ms + 999) / 1000));
  return Refuse(vhost, "sessions_per_ip_per_s",
                "vhost '" + vhost.name + "' takes at most " + std::to_string(rate) +
                    " new sessions a second from one address (limits.sessions_per_ip_per_s)",
                retry_s);
}

AdmissionControl::Decision AdmissionControl::Reserve(const config::VhostConfig& vhost,
                                                     sfu::SessionKind kind,
                                                     const sfu::StreamKey& key) {
  VhostCounts& counts = vhosts_[vhost.name];
  const auto& limits = vhost.limits;
  if (kind == sfu::SessionKind::kIngest) {
    if (counts.publishers >= limits.publishers) {
      return Refuse(vhost, "publishers",
                    "vhost '" + vhost.name + "' has its maximum of " +
                        std::to_string(limits.publishers) + " publishers (limits.publishers)",
                    kRetryAfterFullS);
    }
    ++counts.publishers;
    return {};
  }
  if (counts.viewers >= limits.viewers) {
    return Refuse(vhost, "viewers",
                  "vhost '" + vhost.name + "' has its maximum of " +
                      std::to_string(limits.viewers) + " viewers (limits.viewers)",
                  kRetryAfterFullS);
  }
  uint64_t& per_stream = stream_viewers_[key];
  if (per_stream >= limits.viewers_per_stream) {
    if (per_stream == 0) stream_viewers_.erase(key);
    return Refuse(vhost, "viewers_per_stream",
                  "stream " + key.app + "/" + key.stream + " has its maximum of " +
                      std::to_string(limits.viewers_per_stream) +
                      " viewers (limits.viewers_per_stream of vhost '" + vhost.name + "')",
                  kRetryAfterFullS);
  }
  ++per_stream;
  ++counts.viewers;
  return {};
}

void AdmissionControl::Release(sfu::SessionKind kind, const sfu::StreamKey& key) {
  const auto it = vhosts_.find(key.vhost);
  if (it == vhosts_.end()) return;
  VhostCounts& counts = it->second;
  if (kind == sfu::SessionKind::kIngest) {
    if (counts.publishers > 0) --counts.publishers;
  } else {
    if (counts.viewers > 0) --counts.viewers;
    const auto stream = stream_viewers_.find(key);
    if (stream != stream_viewers_.end() && --stream->second == 0) stream_viewers_.erase(stream);
  }
}

AdmissionControl::VhostCounts AdmissionControl::Counts(const std::string& vhost) const {
  const auto it = vhosts_.find(vhost);
  return it != vhosts_.end() ? it->second : VhostCounts{};
}

uint64_t AdmissionControl::StreamViewers(const sfu::StreamKey& key) const {
  const auto it = stream_viewers_.find(key);
  return it != stream_viewers_.end() ? it->second : 0;
}

}  // namespace tributary::http
