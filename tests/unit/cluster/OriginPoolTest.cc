#include "cluster/OriginPool.h"

#include <gtest/gtest.h>

#include <map>

#include "ClusterTestSupport.h"
#include "cluster/HeartbeatResponder.h"

namespace tributary::cluster {
namespace {

using namespace std::chrono_literals;
using namespace testing;

struct HealthEvents : OriginPool::Listener {
  void OnOriginHealthChanged(const std::string& id, bool healthy) override {
    events.emplace_back(id, healthy);
  }
  std::vector<std::pair<std::string, bool>> events;
};

// An in-process origin that answers heartbeats and keeps the last one it got.
struct TestOrigin {
  TestOrigin(net::IoThread& io, const std::string& id, uint16_t port = 0)
      : net(std::make_unique<TestListener>(io, id, port)),
        self{id, config::NodeRole::kOrigin, "eu", net->Url(), "i-" + id},
        heartbeats(self, [this](const Heartbeat& heartbeat) {
          last = heartbeat;
          ++received;
        }) {
    heartbeats.AddRoutes(net->Routes());
  }
  std::unique_ptr<TestListener> net;
  NodeIdentity self;
  HeartbeatResponder heartbeats;
  std::optional<Heartbeat> last;
  int received = 0;
};

class OriginPoolTest : public ::testing::Test {
 protected:
  void TearDown() override {
    RunOn(io_, [this] {
      pool_.reset();
      origins_.clear();
    });
    io_.Stop();
  }

  // Origins o1..oN on loopback; those in `absent` have a port but nothing listening there.
  void StartPool(size_t count, config::OriginPolicy policy,
                 const std::vector<std::string>& absent = {}) {
    OriginPool::Options options;
    options.policy = policy;
    options.heartbeat_ms = 100;
    options.dead_after = 2;
    for (size_t i = 1; i <= count; ++i) {
      const std::string id = "o" + std::to_string(i);
      if (std::find(absent.begin(), absent.end(), id) != absent.end()) {
        absent_ports_[id] = FreeLoopbackPort();
        options.origins.push_back({id, "http://127.0.0.1:" + std::to_string(absent_ports_[id])});
        continue;
      }
      auto origin = std::make_unique<TestOrigin>(io_, id);
      options.origins.push_back({id, origin->net->Url()});
      origins_[id] = std::move(origin);
    }
    self_ = {"e1", config::NodeRole::kEdge, "us", "http://127.0.0.1:8201", "i-e1"};
    pool_ = std::make_unique<OriginPool>(io_.Context(), self_, auth_, net::HttpClient::Options(),
                                         options, metrics_, events_);
    pool_->Start();
    io_.Start();
  }

  std::vector<std::string> Pick(const sfu::StreamKey& key = {"demo", "live", "cam"}) {
    return RunOn(io_, [&] {
      std::vector<std::string> ids;
      for (const auto& candidate : pool_->PickFor(key))
        ids.push_back(candidate.id);
      return ids;
    });
  }
  bool WaitPick(const std::vector<std::string>& expected, std::chrono::milliseconds timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (Pick() != expected) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }
  bool WaitHealthy(size_t count) {
    return Eventually(
        io_, [&] { return metrics_.Peers(true).Value() == static_cast<double>(count); }, 2s);
  }
  void Kill(const std::string& id) {
    RunOn(io_, [&] { origins_.at(id)->net->Stop(); });
  }

  net::IoThread io_{"origin-pool-test"};
  ClusterAuth auth_{kSecret, "e1"};
  metrics::Metrics metrics_{"test", "edge"};
  NodeIdentity self_;
  HealthEvents events_;
  std::map<std::string, std::unique_ptr<TestOrigin>> origins_;
  std::map<std::string, uint16_t> absent_ports_;
  std::unique_ptr<OriginPool> pool_;
};

TEST_F(OriginPoolTest, HeartbeatsCarryTheEdgesIdentityLoadAndDrainingFlag) {
  StartPool(2, config::OriginPolicy::kFailover);
  RunOn(io_, [&] {
    pool_->SetLoadSource([] { return NodeLoad{12, 3'400'000}; });
    pool_->SetDraining(true);
  });
  ASSERT_TRUE(Eventually(
      io_,
      [&] {
        for (auto& [id, origin] : origins_) {
          if (!origin->last || !origin->last->draining) return false;
        }
        return true;
      },
      2s));
  RunOn(io_, [&] {
    const Heartbeat& heartbeat = *origins_["o2"]->last;
    EXPECT_EQ(heartbeat.from.id, "e1");
    EXPECT_EQ(heartbeat.from.role, config::NodeRole::kEdge);
    EXPECT_EQ(heartbeat.from.region, "us");
    EXPECT_EQ(heartbeat.from.url, "http://127.0.0.1:8201");
    EXPECT_EQ(heartbeat.interval_ms, 100u);
    EXPECT_EQ(heartbeat.load.sessions, 12u);
    EXPECT_EQ(heartbeat.load.bitrate_bps, 3'400'000u);
  });
}

TEST_F(OriginPoolTest, ReportsZeroLoad_UntilTheMediaLayerGivesASource) {
  StartPool(1, config::OriginPolicy::kFailover);
  ASSERT_TRUE(Eventually(
      io_, [&] { return origins_["o1"]->last.has_value(); }, 2s));
  RunOn(io_, [&] {
    EXPECT_EQ(origins_["o1"]->last->load.sessions, 0u);
    EXPECT_EQ(origins_["o1"]->last->load.bitrate_bps, 0u);
    EXPECT_FALSE(origins_["o1"]->last->draining);
  });
}

TEST_F(OriginPoolTest, FailoverPicksInConfigOrder_AndSkipsADeadOrigin) {
  StartPool(3, config::OriginPolicy::kFailover);
  ASSERT_TRUE(WaitHealthy(3));
  EXPECT_EQ(Pick(), (std::vector<std::string>{"o1", "o2", "o3"}));
  Kill("o1");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitPick({"o2", "o3", "o1"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);  // 2 missed heartbeats of 100 ms
  EXPECT_EQ(metrics_.Peers(true).Value(), 2);
  EXPECT_EQ(metrics_.Peers(false).Value(), 1);
  RunOn(io_, [&] {
    EXPECT_FALSE(pool_->IsHealthy("o1"));
    ASSERT_FALSE(events_.events.empty());
    EXPECT_EQ(events_.events.back(), std::make_pair(std::string("o1"), false));
    const auto candidates = pool_->PickFor({"demo", "live", "cam"});
    EXPECT_TRUE(candidates[0].healthy);
    EXPECT_FALSE(candidates[2].healthy);
    EXPECT_EQ(candidates[0].url, origins_["o2"]->net->Url());
    // The media layer moves its link and says so.
    pool_->RecordFailover({"demo", "live", "cam"}, "o1", "o2");
  });
  EXPECT_EQ(metrics_.Failovers().Value(), 1);
}

TEST_F(OriginPoolTest, UsesTheNextOrigin_WhenTheFirstIsDownAtStart_AndTheFirstOnceItAnswers) {
  StartPool(2, config::OriginPolicy::kFailover, {"o1"});
  ASSERT_TRUE(WaitPick({"o2", "o1"}));
  // o1 starts now, on its configured port.
  RunOn(io_,
        [&] { origins_["o1"] = std::make_unique<TestOrigin>(io_, "o1", absent_ports_["o1"]); });
  EXPECT_TRUE(WaitPick({"o1", "o2"}));
  EXPECT_TRUE(RunOn(io_, [&] {
    return !events_.events.empty() &&
           events_.events.back() == std::make_pair(std::string("o1"), true);
  }));
}

TEST_F(OriginPoolTest, HashPolicySpreadsKeys_AndMovesOnlyTheDeadOriginsKeys) {
  StartPool(3, config::OriginPolicy::kHash);
  ASSERT_TRUE(WaitHealthy(3));
  std::vector<sfu::StreamKey> keys;
  for (int i = 0; i < 300; ++i)
    keys.push_back({"demo", "live", "s" + std::to_string(i)});
  std::vector<std::vector<std::string>> before;
  std::map<std::string, int> spread;
  for (const auto& key : keys) {
    before.push_back(Pick(key));
    ++spread[before.back()[0]];
  }
  EXPECT_EQ(spread.size(), 3u);
  for (const auto& [id, count] : spread)
    EXPECT_GT(count, 50) << id;
  Kill("o2");
  ASSERT_TRUE(Eventually(
      io_, [&] { return !pool_->IsHealthy("o2"); }, 2s));
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto after = Pick(keys[i]);
    if (before[i][0] == "o2") {
      // Its next origin on the ring, and o2 last.
      EXPECT_EQ(after[0], before[i][1]) << keys[i];
      EXPECT_EQ(after.back(), "o2");
    } else {
      EXPECT_EQ(after[0], before[i][0]) << keys[i];
    }
  }
}

TEST_F(OriginPoolTest, DescribesItsOriginsAsJson) {
  StartPool(2, config::OriginPolicy::kHash, {"o2"});
  ASSERT_TRUE(WaitHealthy(1));
  ASSERT_TRUE(Eventually(
      io_, [&] { return pool_->ToJson()["origins"][1]["misses"].get<uint32_t>() >= 2; }, 2s));
  const auto json = RunOn(io_, [&] { return pool_->ToJson(); });
  EXPECT_EQ(json["policy"], "hash");
  EXPECT_EQ(json["origins"][0]["id"], "o1");
  EXPECT_EQ(json["origins"][0]["state"], "alive");
  EXPECT_EQ(json["origins"][1]["state"], "dead");
  EXPECT_NE(json["origins"][1]["last_error"], "");
}

}  // namespace
}  // namespace tributary::cluster
