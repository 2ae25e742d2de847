#include "cluster/OriginRing.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tributary::cluster {
namespace {

constexpr size_t kKeys = 10000;

sfu::StreamKey KeyNumber(size_t i) {
  return {i % 3 ? "demo" : "acme", "live", "stream-" + std::to_string(i)};
}

TEST(OriginRing, OrdersEveryOriginOnce_ForEachKey) {
  OriginRing ring({"o1", "o2", "o3"});
  for (size_t i = 0; i < 200; ++i) {
    const auto order = ring.Order(KeyNumber(i));
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(std::set<size_t>(order.begin(), order.end()).size(), 3u);
  }
}

TEST(OriginRing, IsDeterministic_AcrossInstancesAndConfigOrder) {
  OriginRing a({"o1", "o2", "o3"});
  OriginRing b({"o3", "o1", "o2"});
  for (size_t i = 0; i < 500; ++i) {
    const auto key = KeyNumber(i);
    const auto order_a = a.Order(key);
    const auto order_b = b.Order(key);
    for (size_t j = 0; j < 3; ++j)
      EXPECT_EQ(a.Ids()[order_a[j]], b.Ids()[order_b[j]]) << key;
  }
  // Fixed hash: SHA-256("") starts e3b0c44298fc1c14.
  EXPECT_EQ(OriginRing::Hash(""), 0xe3b0c44298fc1c14ull);
}

TEST(OriginRing, SpreadsTenThousandKeys_EvenlyOverThreeOrigins) {
  OriginRing ring({"o1", "o2", "o3"});
  std::map<size_t, size_t> first;
  for (size_t i = 0; i < kKeys; ++i)
    ++first[ring.Order(KeyNumber(i)).front()];
  ASSERT_EQ(first.size(), 3u);
  for (const auto& [origin, count] : first) {
    // A third each, within 10% (256 points an origin: about 6% here).
    EXPECT_GT(count, kKeys / 3 * 9 / 10) << ring.Ids()[origin];
    EXPECT_LT(count, kKeys / 3 * 11 / 10) << ring.Ids()[origin];
  }
}

TEST(OriginRing, RemovingAnOrigin_MovesOnlyItsKeys_ToTheirNextOrigin) {
  OriginRing full({"o1", "o2", "o3"});
  OriginRing without_o2({"o1", "o3"});
  size_t moved = 0;
  for (size_t i = 0; i < kKeys; ++i) {
    const auto key = KeyNumber(i);
    const auto order = full.Order(key);
    const std::string& before = full.Ids()[order[0]];
    const std::string& after = without_o2.Ids()[without_o2.Order(key).front()];
    if (before == "o2") {
      ++moved;
      EXPECT_EQ(after, full.Ids()[order[1]]) << key;  // the next origin of its walk
    } else {
      EXPECT_EQ(after, before) << key;
    }
  }
  EXPECT_GT(moved, kKeys / 4);
  EXPECT_LT(moved, kKeys / 2);
}

TEST(OriginRing, AddingAnOrigin_TakesKeysOnlyForItself) {
  OriginRing three({"o1", "o2", "o3"});
  OriginRing four({"o1", "o2", "o3", "o4"});
  size_t taken = 0;
  for (size_t i = 0; i < kKeys; ++i) {
    const auto key = KeyNumber(i);
    const std::string& before = three.Ids()[three.Order(key).front()];
    const std::string& after = four.Ids()[four.Order(key).front()];
    if (after != before) {
      EXPECT_EQ(after, "o4") << key;
      ++taken;
    }
  }
  EXPECT_GT(taken, kKeys / 4 * 8 / 10);
  EXPECT_LT(taken, kKeys / 4 * 12 / 10);
}

TEST(OriginRing, HashesNameBoundaries) {
  EXPECT_NE(OriginRing::HashKey({"demo", "ab", "c"}), OriginRing::HashKey({"demo", "a", "bc"}));
  EXPECT_TRUE(OriginRing({}).Order({"demo", "live", "cam"}).empty());
}

}  // namespace
}  // namespace tributary::cluster
