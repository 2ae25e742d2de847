#include "config/ValueSyntax.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tributary::config {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ValueSyntax, ParsesListenAddresses_IPv4AndBracketedIPv6) {
  ListenAddress address;
  EXPECT_THAT(ParseListenAddress("127.0.0.1:8101", address), IsEmpty());
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 8101);
  EXPECT_THAT(ParseListenAddress("[::1]:65535", address), IsEmpty());
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 65535);
  EXPECT_EQ(FormatHostPort("::1", 80), "[::1]:80");
  EXPECT_EQ(FormatHostPort("10.0.0.1", 80), "10.0.0.1:80");
}

TEST(ValueSyntax, RejectsListenAddresses_WithBadHostOrPort) {
  ListenAddress address;
  EXPECT_THAT(ParseListenAddress("127.0.0.1:0", address), HasSubstr("out of range 1..65535"));
  EXPECT_THAT(ParseListenAddress("127.0.0.1:65536", address), HasSubstr("out of range"));
  EXPECT_THAT(ParseListenAddress("127.0.0.1:99999999999999999999", address), HasSubstr("bad port"));
  EXPECT_THAT(ParseListenAddress("127.0.0.1:-1", address), HasSubstr("bad port"));
  EXPECT_THAT(ParseListenAddress("127.0.0.1:", address), HasSubstr("bad port"));
  EXPECT_THAT(ParseListenAddress(":8101", address), HasSubstr("not an IP address"));
  EXPECT_THAT(ParseListenAddress("256.0.0.1:80", address), HasSubstr("not an IP address"));
  EXPECT_THAT(ParseListenAddress("::1:80", address), HasSubstr("needs brackets"));
  EXPECT_THAT(ParseListenAddress("[::1]80", address), HasSubstr("expected [IPv6]:port"));
  EXPECT_THAT(ParseListenAddress("[1.2.3.4]:80", address), HasSubstr("not an IPv6 address"));
  EXPECT_THAT(ParseListenAddress("", address), HasSubstr("expected host:port"));
}

TEST(ValueSyntax, ChecksNames) {
  EXPECT_THAT(CheckName("o1"), IsEmpty());
  EXPECT_THAT(CheckName("us-west-2"), IsEmpty());
  EXPECT_THAT(CheckName(std::string(32, 'a')), IsEmpty());
  EXPECT_THAT(CheckName(std::string(33, 'a')), HasSubstr("1 to 32"));
  EXPECT_THAT(CheckName(""), HasSubstr("1 to 32"));
  EXPECT_THAT(CheckName("O1"), HasSubstr("[a-z0-9-]"));
  EXPECT_THAT(CheckName("o_1"), HasSubstr("[a-z0-9-]"));
}

TEST(ValueSyntax, ChecksHttpUrls) {
  EXPECT_THAT(CheckHttpUrl("http://127.0.0.1:8101"), IsEmpty());
  EXPECT_THAT(CheckHttpUrl("https://origin-1.example.com/base"), IsEmpty());
  EXPECT_THAT(CheckHttpUrl("http://[::1]:8101/"), IsEmpty());
  EXPECT_THAT(CheckHttpUrl("ftp://x"), HasSubstr("expected http://"));
  EXPECT_THAT(CheckHttpUrl("http://"), HasSubstr("no host"));
  EXPECT_THAT(CheckHttpUrl("http://a:0"), HasSubstr("port 0 out of range"));
  EXPECT_THAT(CheckHttpUrl("http://a:b"), HasSubstr("bad port"));
  EXPECT_THAT(CheckHttpUrl("http://u@a"), HasSubstr("no user"));
  EXPECT_THAT(CheckHttpUrl("http://a/?q"), HasSubstr("query"));
  EXPECT_THAT(CheckHttpUrl("http://-a-/"), HasSubstr("not a host name"));
  EXPECT_THAT(CheckHttpUrl("http://[::1"), HasSubstr("unclosed"));
  EXPECT_THAT(CheckHttpUrl("http://::1:80"), HasSubstr("needs brackets"));
}

TEST(ValueSyntax, ChecksIceUrls) {
  EXPECT_THAT(CheckIceUrl("stun:stun.l.google.com:19302"), IsEmpty());
  EXPECT_THAT(CheckIceUrl("turns:turn.example.com"), IsEmpty());
  EXPECT_THAT(CheckIceUrl("turn:[2001:db8::1]:3478?transport=udp"), IsEmpty());
  EXPECT_THAT(CheckIceUrl("stun:x?transport=udp"), HasSubstr("only turn/turns"));
  EXPECT_THAT(CheckIceUrl("turn:x?transport=sctp"), HasSubstr("transport=udp"));
  EXPECT_THAT(CheckIceUrl("stun:"), HasSubstr("expected stun:host"));
  EXPECT_THAT(CheckIceUrl("stun://x"), HasSubstr("not a host name"));
}

TEST(ValueSyntax, ChecksCidrs) {
  EXPECT_THAT(CheckCidr("10.0.0.0/8"), IsEmpty());
  EXPECT_THAT(CheckCidr("0.0.0.0/0"), IsEmpty());
  EXPECT_THAT(CheckCidr("192.0.2.7/32"), IsEmpty());
  EXPECT_THAT(CheckCidr("2001:db8::/32"), IsEmpty());
  EXPECT_THAT(CheckCidr("::/0"), IsEmpty());
  EXPECT_THAT(CheckCidr("10.0.0.0"), HasSubstr("expected address/prefix"));
  EXPECT_THAT(CheckCidr("10.0.0.0/33"), HasSubstr("0..32"));
  EXPECT_THAT(CheckCidr("fd00::/129"), HasSubstr("0..128"));
  EXPECT_THAT(CheckCidr("10.0.0.0/"), HasSubstr("0..32"));
  EXPECT_THAT(CheckCidr("10.0.0.1/8"), HasSubstr("host bits"));
  EXPECT_THAT(CheckCidr("10.0.0.0/x"), HasSubstr("prefix length"));
  EXPECT_THAT(CheckCidr("10.0.0/8"), HasSubstr("not an IP address"));
}

TEST(ValueSyntax, ChecksDomains) {
  EXPECT_THAT(CheckDomain("localhost"), IsEmpty());
  EXPECT_THAT(CheckDomain("*.example.com"), IsEmpty());
  EXPECT_THAT(CheckDomain("127.0.0.1"), IsEmpty());
  EXPECT_THAT(CheckDomain("::1"), IsEmpty());
  EXPECT_THAT(CheckDomain("Example.com"), HasSubstr("lowercase"));
  EXPECT_THAT(CheckDomain("*"), HasSubstr("expected a host name"));
  EXPECT_THAT(CheckDomain("a.*.com"), HasSubstr("expected a host name"));
  EXPECT_THAT(CheckDomain("a b"), HasSubstr("expected a host name"));
  EXPECT_THAT(CheckDomain(""), HasSubstr("expected a host name"));
}

TEST(ValueSyntax, ParsesDurations_WithAndWithoutUnit) {
  uint64_t ms = 0;
  EXPECT_THAT(ParseDurationMs("1500", ms), IsEmpty());
  EXPECT_EQ(ms, 1500u);
  EXPECT_THAT(ParseDurationMs("1500ms", ms), IsEmpty());
  EXPECT_EQ(ms, 1500u);
  EXPECT_THAT(ParseDurationMs("30s", ms), IsEmpty());
  EXPECT_EQ(ms, 30000u);
  EXPECT_THAT(ParseDurationMs("5m", ms), IsEmpty());
  EXPECT_EQ(ms, 300000u);
  EXPECT_THAT(ParseDurationMs("1h", ms), IsEmpty());
  EXPECT_EQ(ms, 3600000u);
  for (const char* bad : {"", "s", "1.5s", "-1", "10 s", "10sec", "1e3", "9999999999999s"}) {
    EXPECT_THAT(ParseDurationMs(bad, ms), HasSubstr("bad duration")) << bad;
  }
}

TEST(ValueSyntax, RecognizesIpLiterals) {
  EXPECT_TRUE(IsIpLiteral("127.0.0.1"));
  EXPECT_TRUE(IsIpLiteral("::1"));
  EXPECT_FALSE(IsIpLiteral("localhost"));
  EXPECT_FALSE(IsIpLiteral("[::1]"));
  EXPECT_TRUE(IsWildcardIp("0.0.0.0"));
  EXPECT_TRUE(IsWildcardIp("::"));
  EXPECT_TRUE(IsWildcardIp("0:0::0"));
  EXPECT_FALSE(IsWildcardIp("127.0.0.1"));
}

}  // namespace
}  // namespace tributary::config
