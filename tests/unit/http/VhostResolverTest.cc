#include "http/VhostResolver.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

config::VhostSet Vhosts() {
  config::VhostSet set;
  config::VhostConfig demo;
  demo.name = "demo";
  demo.is_default = true;
  demo.domains = {"localhost"};
  config::VhostConfig acme;
  acme.name = "acme";
  acme.domains = {"acme.test", "*.acme.test"};
  acme.allow_query_vhost = true;
  config::VhostConfig exact;
  exact.name = "exact";
  exact.domains = {"eu.acme.test"};  // an exact name beats acme's wildcard
  set.vhosts = {demo, acme, exact};
  return set;
}

std::string Name(const VhostResolver::Result& result) {
  return result.vhost != nullptr ? result.vhost->name : "<" + result.error + ">";
}

TEST(VhostResolver, PicksByHost_ExactBeforeWildcard_PortAndCaseIgnored) {
  const auto set = Vhosts();
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "acme.test", std::nullopt)), "acme");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "ACME.test:8080", std::nullopt)), "acme");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "us.acme.test", std::nullopt)), "acme");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "eu.acme.test", std::nullopt)), "exact");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "localhost:8101", std::nullopt)), "demo");
}

TEST(VhostResolver, FallsBackToTheDefault_WhenNoDomainMatches) {
  const auto set = Vhosts();
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "127.0.0.1:8101", std::nullopt)), "demo");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "[::1]:8101", std::nullopt)), "demo");
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "", std::nullopt)), "demo");
  // "*.acme.test" does not cover acme.test's look-alikes.
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "evilacme.test", std::nullopt)), "demo");
}

TEST(VhostResolver, QueryVhost_OnlyWhereAllowed_ElseUnknown) {
  const auto set = Vhosts();
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "localhost", std::string("acme"))), "acme");
  const auto refused = VhostResolver::Resolve(set, "localhost", std::string("exact"));
  EXPECT_EQ(refused.vhost, nullptr);
  EXPECT_EQ(refused.error, "unknown vhost 'exact'");
  EXPECT_EQ(VhostResolver::Resolve(set, "localhost", std::string("nope")).vhost, nullptr);
}

TEST(VhostResolver, AnyQuery_ResolvesEveryKnownVhost_ForTheCallerToDecide) {
  const auto set = Vhosts();
  EXPECT_EQ(Name(VhostResolver::Resolve(set, "localhost", std::string("exact"), true)), "exact");
  const auto unknown = VhostResolver::Resolve(set, "localhost", std::string("nope"), true);
  EXPECT_EQ(unknown.vhost, nullptr);
  EXPECT_EQ(unknown.error, "unknown vhost 'nope'");
}

TEST(VhostResolver, UnknownHost_WithoutADefault) {
  auto set = Vhosts();
  set.vhosts[0].is_default = false;
  const auto result = VhostResolver::Resolve(set, "other.example:80", std::nullopt);
  EXPECT_EQ(result.vhost, nullptr);
  EXPECT_NE(result.error.find("other.example"), std::string::npos) << result.error;
}

TEST(VhostResolver, HostName_StripsPortBracketsAndTrailingDot) {
  EXPECT_EQ(VhostResolver::HostName(" Example.COM.:443 "), "example.com");
  EXPECT_EQ(VhostResolver::HostName("[::1]:8080"), "::1");
  EXPECT_EQ(VhostResolver::HostName("[::1"), "::1");
}

}  // namespace
}  // namespace tributary::http
