#include "cluster/CidrBlock.h"

#include <gtest/gtest.h>

namespace tributary::cluster {
namespace {

net::Endpoint Ip(const char* text) {
  auto endpoint = net::Endpoint::Parse(text, 40000);
  EXPECT_TRUE(endpoint) << text;
  return endpoint.value_or(net::Endpoint());
}

TEST(CidrBlock, MatchesIpv4Prefixes_IncludingPartialBytes) {
  const auto block = CidrBlock::Parse("10.1.0.0/16");
  ASSERT_TRUE(block);
  EXPECT_TRUE(block->Contains(Ip("10.1.0.0")));
  EXPECT_TRUE(block->Contains(Ip("10.1.255.255")));
  EXPECT_FALSE(block->Contains(Ip("10.2.0.1")));
  EXPECT_FALSE(block->Contains(Ip("11.1.0.1")));
  const auto odd = CidrBlock::Parse("192.168.4.0/22");  // 192.168.4.0 - 192.168.7.255
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->Contains(Ip("192.168.7.200")));
  EXPECT_FALSE(odd->Contains(Ip("192.168.8.1")));
  EXPECT_FALSE(odd->Contains(Ip("192.168.3.255")));
  EXPECT_EQ(odd->ToString(), "192.168.4.0/22");
}

TEST(CidrBlock, MatchesIpv6Prefixes) {
  const auto block = CidrBlock::Parse("2001:db8:1::/48");
  ASSERT_TRUE(block);
  EXPECT_TRUE(block->Contains(Ip("2001:db8:1::1")));
  EXPECT_TRUE(block->Contains(Ip("2001:db8:1:ffff::7")));
  EXPECT_FALSE(block->Contains(Ip("2001:db8:2::1")));
  EXPECT_FALSE(block->Contains(Ip("10.0.0.1")));
  const auto nibble = CidrBlock::Parse("fd00::/7");
  ASSERT_TRUE(nibble);
  EXPECT_TRUE(nibble->Contains(Ip("fdff::1")));
  EXPECT_TRUE(nibble->Contains(Ip("fc00::1")));
  EXPECT_FALSE(nibble->Contains(Ip("fe80::1")));
}

TEST(CidrBlock, TreatsIpv4MappedAddresses_AsIpv4) {
  const auto block = CidrBlock::Parse("10.1.0.0/16");
  ASSERT_TRUE(block);
  EXPECT_TRUE(block->Contains(Ip("::ffff:10.1.2.3")));
  EXPECT_FALSE(block->Contains(Ip("::ffff:10.2.2.3")));
  EXPECT_FALSE(block->Contains(Ip("::10.1.2.3")));  // IPv4-compatible, not mapped
  const auto mapped_block = CidrBlock::Parse("::ffff:10.1.0.0/112");
  ASSERT_TRUE(mapped_block);
  EXPECT_TRUE(mapped_block->Contains(Ip("10.1.9.9")));
}

TEST(CidrBlock, MatchesEverything_WithPrefixZero_OfItsFamily) {
  const auto v4 = CidrBlock::Parse("0.0.0.0/0");
  const auto v6 = CidrBlock::Parse("::/0");
  ASSERT_TRUE(v4 && v6);
  EXPECT_TRUE(v4->Contains(Ip("203.0.113.9")));
  EXPECT_FALSE(v4->Contains(Ip("2001:db8::1")));
  EXPECT_TRUE(v6->Contains(Ip("2001:db8::1")));
  EXPECT_FALSE(v4->Contains(net::Endpoint()));
}

TEST(CidrBlock, RefusesMalformedText) {
  for (const char* bad :
       {"10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "host.example/8",
        "10.0.0.0/-1", "10.0.0.0/1a", "10.0.0.0/99999999999", "fe80::1%eth0/64"}) {
    EXPECT_FALSE(CidrBlock::Parse(bad)) << bad;
  }
  // Leading zeros, as the config loader accepts them.
  const auto padded = CidrBlock::Parse("10.0.0.0/0008");
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->PrefixLength(), 8);
}

}  // namespace
}  // namespace tributary::cluster
