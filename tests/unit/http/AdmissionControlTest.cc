#include "http/AdmissionControl.h"

#include <gtest/gtest.h>

#include <string>

namespace tributary::http {
namespace {

using sfu::SessionKind;

config::VhostConfig Vhost(const std::string& name) {
  config::VhostConfig vhost;
  vhost.name = name;
  vhost.limits.publishers = 2;
  vhost.limits.viewers = 3;
  vhost.limits.viewers_per_stream = 2;
  vhost.limits.sessions_per_ip_per_s = 4;
  return vhost;
}

TEST(AdmissionControl, Publishers_UpToTheLimit_Then503WithRetryAfter) {
  metrics::Metrics metrics("test", "origin");
  metrics.AddVhost("acme");
  AdmissionControl admission(&metrics);
  const auto acme = Vhost("acme");
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kIngest, {"acme", "live", "a"}).admitted);
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kIngest, {"acme", "live", "b"}).admitted);
  const auto full = admission.Reserve(acme, SessionKind::kIngest, {"acme", "live", "c"});
  EXPECT_FALSE(full.admitted);
  EXPECT_EQ(full.limit, "publishers");
  EXPECT_GT(full.retry_after_s, 0);
  EXPECT_NE(full.reason.find("limits.publishers"), std::string::npos) << full.reason;
  EXPECT_EQ(metrics.LimitRejections().Add({{"vhost", "acme"}, {"reason", "publishers"}}).Value(),
            1);
  admission.Release(SessionKind::kIngest, {"acme", "live", "a"});
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kIngest, {"acme", "live", "c"}).admitted);
}

TEST(AdmissionControl, ViewersPerStream_ThenPerVhost) {
  AdmissionControl admission(nullptr);
  const auto acme = Vhost("acme");
  const sfu::StreamKey cam{"acme", "live", "cam"};
  const sfu::StreamKey other{"acme", "live", "other"};
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kEgress, cam).admitted);
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kEgress, cam).admitted);
  const auto stream_full = admission.Reserve(acme, SessionKind::kEgress, cam);
  EXPECT_FALSE(stream_full.admitted);
  EXPECT_EQ(stream_full.limit, "viewers_per_stream");
  EXPECT_NE(stream_full.reason.find("live/cam"), std::string::npos) << stream_full.reason;
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kEgress, other).admitted);
  const auto vhost_full = admission.Reserve(acme, SessionKind::kEgress, other);
  EXPECT_FALSE(vhost_full.admitted);
  EXPECT_EQ(vhost_full.limit, "viewers");
  EXPECT_EQ(admission.Counts("acme").viewers, 3u);
  EXPECT_EQ(admission.StreamViewers(cam), 2u);
  admission.Release(SessionKind::kEgress, cam);
  EXPECT_EQ(admission.StreamViewers(cam), 1u);
  EXPECT_TRUE(admission.Reserve(acme, SessionKind::kEgress, cam).admitted);
}

TEST(AdmissionControl, OneVhostAtItsLimits_LeavesTheOtherUntouched) {
  AdmissionControl admission(nullptr);
  const auto acme = Vhost("acme");
  const auto demo = Vhost("demo");
  for (int i = 0; i < 3; ++i)
    admission.Reserve(acme, SessionKind::kEgress, {"acme", "live", "s" + std::to_string(i)});
  EXPECT_FALSE(admission.Reserve(acme, SessionKind::kEgress, {"acme", "live", "x"}).admitted);
  // The same stream name in demo is another stream, with its own counts.
  EXPECT_TRUE(admission.Reserve(demo, SessionKind::kEgress, {"demo", "live", "s0"}).admitted);
  EXPECT_TRUE(admission.Reserve(demo, SessionKind::kEgress, {"demo", "live", "s0"}).admitted);
  EXPECT_EQ(admission.Counts("demo").viewers, 2u);
  // Rate: acme's address exhausted, demo's buckets are its own.
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(admission.CheckRate(acme, "10.0.0.1", 1000000).admitted);
  const auto refused = admission.CheckRate(acme, "10.0.0.1", 1000000);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.limit, "sessions_per_ip_per_s");
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_TRUE(admission.CheckRate(demo, "10.0.0.1", 1000000).admitted);
  EXPECT_TRUE(admission.CheckRate(acme, "10.0.0.2", 1000000).admitted);
}

TEST(AdmissionControl, ReleaseOfWhatWasNeverCounted_ChangesNothing) {
  AdmissionControl admission(nullptr);
  admission.Release(SessionKind::kEgress, {"ghost", "live", "cam"});
  admission.Release(SessionKind::kIngest, {"ghost", "live", "cam"});
  EXPECT_EQ(admission.Counts("ghost").viewers, 0u);
  EXPECT_EQ(admission.Counts("ghost").publishers, 0u);
}

TEST(SessionRateLimiter, RefillsAtTheRate_AndSaysWhenToComeBack) {
  SessionRateLimiter limiter;
  const uint64_t t0 = 5000000;
  for (int i = 0; i < 2; ++i)
    EXPECT_TRUE(limiter.Take("acme", "1.2.3.4", 2, t0).allowed);
  const auto refused = limiter.Take("acme", "1.2.3.4", 2, t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_ms, 500u);
  EXPECT_FALSE(limiter.Take("acme", "1.2.3.4", 2, t0 + 400000).allowed);
  EXPECT_TRUE(limiter.Take("acme", "1.2.3.4", 2, t0 + 1000000).allowed);
}

TEST(SessionRateLimiter, MemoryIsBounded_LeastRecentlyUsedGoesFirst) {
  SessionRateLimiter limiter(3);
  for (int i = 0; i < 10; ++i)
    limiter.Take("acme", "10.0.0." + std::to_string(i), 1, 1000000);
  EXPECT_EQ(limiter.Size(), 3u);
  // 10.0.0.9 is remembered (empty bucket), 10.0.0.0 was forgotten (a full bucket again).
  EXPECT_FALSE(limiter.Take("acme", "10.0.0.9", 1, 1000000).allowed);
  EXPECT_TRUE(limiter.Take("acme", "10.0.0.0", 1, 1000000).allowed);
}

}  // namespace
}  // namespace tributary::http
