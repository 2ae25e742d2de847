#include "net/Url.h"

#include <gtest/gtest.h>

namespace tributary::net {
namespace {

TEST(Url, ParsesEveryPart_OfAnAbsoluteUrl) {
  const auto url = Url::Parse("HTTPS://Media.Example.com:8443/whep/live/cam?vhost=acme&x=1#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->Scheme(), "https");
  EXPECT_EQ(url->Host(), "Media.Example.com");
  EXPECT_EQ(url->Port(), 8443);
  EXPECT_TRUE(url->Tls());
  EXPECT_EQ(url->Path(), "/whep/live/cam");
  EXPECT_EQ(url->Query(), "vhost=acme&x=1");
  EXPECT_EQ(url->Target(), "/whep/live/cam?vhost=acme&x=1");
  EXPECT_EQ(url->HostHeader(), "Media.Example.com:8443");
  EXPECT_EQ(url->Param("vhost"), "acme");
}

TEST(Url, DefaultsThePortAndPath_ByScheme) {
  const auto http = Url::Parse("http://example.com");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->Port(), 80);
  EXPECT_EQ(http->Path(), "/");
  EXPECT_EQ(http->HostHeader(), "example.com");
  EXPECT_EQ(http->ToString(), "http://example.com/");
  const auto https = Url::Parse("https://example.com?x=1");
  ASSERT_TRUE(https);
  EXPECT_EQ(https->Port(), 443);
  EXPECT_EQ(https->Target(), "/?x=1");
}

TEST(Url, ParsesBracketedIpv6Hosts) {
  const auto url = Url::Parse("http://[::1]:8101/api/v1/health");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->Host(), "::1");
  EXPECT_EQ(url->Port(), 8101);
  EXPECT_EQ(url->HostHeader(), "[::1]:8101");
  EXPECT_EQ(url->ToString(), "http://[::1]:8101/api/v1/health");
}

TEST(Url, RefusesMalformedUrls) {
  for (const char* bad :
       {"", "example.com/x", "http://", "http:///x", "http://host:0/", "http://host:65536/",
        "http://host:12a/", "http://user@host/", "http://[::1/", "http://[]:80/", "http://::1:80/",
        "http://host /x", "http://ho\nst/", "rtsp://host/x", "1http://h/", "http://host:/"}) {
    EXPECT_FALSE(Url::Parse(bad)) << bad;
  }
  EXPECT_TRUE(Url::Parse("rtsp://host:554/x"));  // other schemes need an explicit port
}

TEST(Url, ParsesARequestTarget) {
  const auto target = Url::ParseTarget("/whip/live/my%20cam?token=a%2Bb&empty=&flag");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->Path(), "/whip/live/my%20cam");
  EXPECT_TRUE(target->Scheme().empty());
  EXPECT_EQ(target->Param("token"), "a+b");
  EXPECT_EQ(target->Param("empty"), "");
  EXPECT_EQ(target->Param("flag"), "");
  EXPECT_FALSE(target->Param("missing"));
  EXPECT_FALSE(Url::ParseTarget("relative/path"));
  EXPECT_FALSE(Url::ParseTarget("*"));
  EXPECT_FALSE(Url::ParseTarget(""));
}

TEST(Url, DecodesPercentEscapes_AndRefusesBrokenOnes) {
  EXPECT_EQ(Url::PercentDecode("a%20b%2fc%C3%A9"), "a b/c\xC3\xA9");
  EXPECT_EQ(Url::PercentDecode("a+b"), "a+b");
  EXPECT_EQ(Url::PercentDecode("a+b", true), "a b");
  EXPECT_FALSE(Url::PercentDecode("%"));
  EXPECT_FALSE(Url::PercentDecode("abc%2"));
  EXPECT_FALSE(Url::PercentDecode("%zz"));
  EXPECT_EQ(Url::PercentEncode("a b/c~"), "a%20b%2Fc~");
  EXPECT_EQ(Url::PercentDecode(Url::PercentEncode("x=1&y=\xff")), "x=1&y=\xff");
}

TEST(Url, SplitsQueryParameters_InOrder) {
  const auto params = Url::ParseQuery("a=1&&b=x%20y&a=2&bad=%zz&=novalue&flag");
  const QueryParams expected = {{"a", "1"}, {"b", "x y"}, {"a", "2"}, {"flag", ""}};
  EXPECT_EQ(params, expected);
}

}  // namespace
}  // namespace tributary::net
