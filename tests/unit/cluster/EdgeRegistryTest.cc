#include "cluster/EdgeRegistry.h"

#include <gtest/gtest.h>

namespace tributary::cluster {
namespace {

Heartbeat EdgeHeartbeat(const std::string& id, const std::string& region, uint64_t sessions,
                        uint64_t bitrate_bps = 0, bool draining = false) {
  Heartbeat heartbeat;
  heartbeat.from = {id, config::NodeRole::kEdge, region, "http://127.0.0.1:9/" + id, "i-" + id};
  heartbeat.interval_ms = 1000;
  heartbeat.load = {sessions, bitrate_bps};
  heartbeat.draining = draining;
  return heartbeat;
}

TEST(EdgeRegistry, ChoosesTheLeastLoadedEdge_OfTheRegion) {
  EdgeRegistry edges(3);
  edges.Record(EdgeHeartbeat("e1", "us", 40), 1000);
  edges.Record(EdgeHeartbeat("e2", "us", 10), 1000);
  edges.Record(EdgeHeartbeat("e3", "us", 25), 1000);
  edges.Record(EdgeHeartbeat("e4", "eu", 0), 1000);
  const auto us = edges.LeastLoaded("us", 1500);
  ASSERT_TRUE(us);
  EXPECT_EQ(us->id, "e2");
  EXPECT_EQ(us->url, "http://127.0.0.1:9/e2");
  EXPECT_EQ(edges.LeastLoaded("eu", 1500)->id, "e4");
  EXPECT_FALSE(edges.LeastLoaded("ap", 1500));
}

TEST(EdgeRegistry, BreaksTies_ByBitrateThenId) {
  EdgeRegistry edges(3);
  edges.Record(EdgeHeartbeat("e2", "us", 5, 9000), 0);
  edges.Record(EdgeHeartbeat("e3", "us", 5, 1000), 0);
  edges.Record(EdgeHeartbeat("e1", "us", 5, 1000), 0);
  EXPECT_EQ(edges.LeastLoaded("us", 0)->id, "e1");
}

TEST(EdgeRegistry, SkipsDrainingEdges) {
  EdgeRegistry edges(3);
  edges.Record(EdgeHeartbeat("e1", "us", 0, 0, true), 0);
  edges.Record(EdgeHeartbeat("e2", "us", 100), 0);
  EXPECT_EQ(edges.LeastLoaded("us", 0)->id, "e2");
  edges.Record(EdgeHeartbeat("e2", "us", 100, 0, true), 10);
  EXPECT_FALSE(edges.LeastLoaded("us", 10));
}

TEST(EdgeRegistry, DeclaresAnEdgeDead_AfterItMissesTheHeartbeats) {
  EdgeRegistry edges(3);
  edges.Record(EdgeHeartbeat("e1", "us", 0), 10'000);
  edges.Record(EdgeHeartbeat("e2", "us", 50), 10'000);
  EXPECT_EQ(edges.LeastLoaded("us", 13'000)->id, "e1");  // 3 intervals: still live
  edges.Record(EdgeHeartbeat("e2", "us", 50), 12'500);
  EXPECT_EQ(edges.LeastLoaded("us", 13'001)->id, "e2");  // e1 missed 3 heartbeats
  EXPECT_EQ(edges.ToJson(13'001)[0]["state"], "dead");
  EXPECT_EQ(edges.ToJson(13'001)[1]["state"], "alive");
  // It comes back with its next heartbeat.
  edges.Record(EdgeHeartbeat("e1", "us", 0), 14'000);
  EXPECT_EQ(edges.LeastLoaded("us", 14'000)->id, "e1");
  // Long dead edges are forgotten.
  edges.Prune(14'000 + 101 * 1000);
  EXPECT_EQ(edges.Size(), 0u);
}

TEST(EdgeRegistry, CountsViewersSentSinceTheLastHeartbeat) {
  EdgeRegistry edges(3);
  edges.Record(EdgeHeartbeat("e1", "us", 10), 0);
  edges.Record(EdgeHeartbeat("e2", "us", 12), 0);
  for (int i = 0; i < 3; ++i)
    edges.NoteRedirect("e1");
  EXPECT_EQ(edges.LeastLoaded("us", 0)->id, "e2");   // e1 is at 13 now
  edges.Record(EdgeHeartbeat("e1", "us", 11), 100);  // its own figure replaces the estimate
  EXPECT_EQ(edges.LeastLoaded("us", 100)->id, "e1");
}

}  // namespace
}  // namespace tributary::cluster
