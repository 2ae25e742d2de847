#include "sfu/Router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "SfuTestSupport.h"

namespace tributary::sfu {
namespace {

using namespace testing;

class RouterEvents : public Router::Listener {
 public:
  void OnStreamLive(Stream& stream) override {
    events.push_back("live " + stream.Key().ToString());
  }
  void OnStreamSourceLost(Stream& stream) override {
    events.push_back("source-lost " + stream.Key().ToString());
  }
  void OnStreamEnded(Stream& stream) override {
    events.push_back("ended " + stream.Key().ToString());
  }
  void OnStreamConsumerCountChanged(Stream&, size_t) override {}
  void OnStreamRemoved(Stream& stream) override {
    events.push_back("removed " + stream.Key().ToString());
  }
  std::vector<std::string> events;
};

TEST(Router, CreatesOneStreamPerKey_OnDemand) {
  base::PacketBufferPool pool;
  RouterEvents events;
  Router router(pool, events);
  Stream& first = router.GetOrCreateStream({"a.com", "live", "x"});
  EXPECT_EQ(&router.GetOrCreateStream({"a.com", "live", "x"}), &first);
  Stream& other_tenant = router.GetOrCreateStream({"b.com", "live", "x"});
  EXPECT_NE(&other_tenant, &first);
  EXPECT_EQ(router.StreamCount(), 2u);
  EXPECT_EQ(router.FindStream({"b.com", "live", "x"}), &other_tenant);
  EXPECT_EQ(router.FindStream({"c.com", "live", "x"}), nullptr);
}

TEST(Router, RemovesStreamsThatNothingHolds_AndKeepsLiveOnes) {
  base::PacketBufferPool pool;
  RouterEvents events;
  StreamOptions options;
  options.publisher_grace_ms = 1000;
  Router router(pool, events, options);
  router.GetOrCreateStream({"v", "live", "unused"});
  Stream& live = router.GetOrCreateStream({"v", "live", "cam"});
  Producer& producer = live.AttachSource(Vp8Producer(), nullptr, 0);
  router.Tick(10);
  EXPECT_EQ(router.StreamCount(), 1u);
  EXPECT_EQ(router.FindStream({"v", "live", "unused"}), nullptr);
  live.DetachSource(producer, 20);
  router.Tick(1019);
  EXPECT_EQ(router.StreamCount(), 1u);  // in grace
  router.Tick(1020);
  EXPECT_EQ(router.StreamCount(), 0u);  // ended, no viewer: gone
  EXPECT_EQ(events.events, (std::vector<std::string>{"live v/live/cam", "removed v/live/unused",
                                                     "source-lost v/live/cam", "ended v/live/cam",
                                                     "removed v/live/cam"}));
}

}  // namespace
}  // namespace tributary::sfu
