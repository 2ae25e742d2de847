#include "cluster/RegionMap.h"

#include <gtest/gtest.h>

namespace tributary::cluster {
namespace {

net::Endpoint Ip(const char* text) {
  auto endpoint = net::Endpoint::Parse(text, 40000);
  EXPECT_TRUE(endpoint) << text;
  return endpoint.value_or(net::Endpoint());
}

TEST(RegionMap, PicksTheMostSpecificBlock_ThenTheFirstListed) {
  RegionMap map(std::vector<config::ClusterSettings::RegionRule>{{"10.0.0.0/8", "eu"},
                                                                 {"10.2.0.0/16", "us"},
                                                                 {"10.2.0.0/16", "ap"},
                                                                 {"2001:db8::/32", "us"},
                                                                 {"::ffff:10.3.0.0/112", "sa"}});
  EXPECT_EQ(map.RegionOf(Ip("10.1.1.1")), "eu");
  EXPECT_EQ(map.RegionOf(Ip("10.2.1.1")), "us");
  EXPECT_EQ(map.RegionOf(Ip("::ffff:10.2.1.1")), "us");
  EXPECT_EQ(map.RegionOf(Ip("10.3.0.9")), "sa");  // /112 in IPv6 form beats /8
  EXPECT_EQ(map.RegionOf(Ip("2001:db8:abcd::1")), "us");
  EXPECT_FALSE(map.RegionOf(Ip("192.0.2.1")));
  EXPECT_FALSE(map.RegionOf(Ip("2001:db9::1")));
  const std::vector<config::ClusterSettings::RegionRule> bad = {{"nonsense", "eu"}};
  EXPECT_THROW(RegionMap{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace tributary::cluster
