#include "sfu/StreamKey.h"

#include <gtest/gtest.h>

#include <sstream>
#include <unordered_set>

namespace tributary::sfu {
namespace {

TEST(StreamKey, PrintsVhostAppStream) {
  const StreamKey key{"example.com", "live", "cam1"};
  EXPECT_EQ(key.ToString(), "example.com/live/cam1");
  std::ostringstream out;
  out << key;
  EXPECT_EQ(out.str(), "example.com/live/cam1");
}

TEST(StreamKey, KeepsKeysApart_ThatPrintTheSameOrDifferOnlyInTheVhost) {
  std::unordered_set<StreamKey> keys;
  keys.insert({"a", "live", "x"});
  keys.insert({"b", "live", "x"});
  keys.insert({"a", "live", "x"});
  keys.insert({"a/live", "x", ""});  // same text when printed, another key
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_NE(StreamKey::Hash{}({"a", "live", "x"}), StreamKey::Hash{}({"b", "live", "x"}));
  EXPECT_TRUE(keys.count({"b", "live", "x"}));
  EXPECT_FALSE(keys.count({"a", "live", "y"}));
}

}  // namespace
}  // namespace tributary::sfu
