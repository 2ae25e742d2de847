#include "http/VhostCatalog.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

config::VhostSet SetOf(const std::string& name) {
  config::VhostSet set;
  set.vhosts.push_back({});
  set.vhosts.back().name = name;
  return set;
}

TEST(VhostCatalog, KeepsASnapshotUnchanged_WhenTheSetIsReplaced) {
  VhostCatalog catalog(SetOf("first"));
  EXPECT_EQ(catalog.Generation(), 0u);
  const auto snapshot = catalog.Current();
  catalog.Replace(SetOf("second"));
  EXPECT_EQ(snapshot->vhosts.front().name, "first");
  EXPECT_EQ(catalog.Current()->vhosts.front().name, "second");
  EXPECT_EQ(catalog.Generation(), 1u);
}

}  // namespace
}  // namespace tributary::http
