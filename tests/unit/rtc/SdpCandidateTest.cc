#include "rtc/SdpCandidate.h"

#include <gtest/gtest.h>

namespace tributary::rtc {
namespace {

SdpCandidate MustParse(std::string_view value) {
  std::string error;
  auto c = SdpCandidate::Parse(value, error);
  EXPECT_TRUE(c.has_value()) << error << ": " << value;
  return c ? *c : SdpCandidate{};
}

std::string Error(std::string_view value) {
  std::string error;
  auto c = SdpCandidate::Parse(value, error);
  EXPECT_FALSE(c.has_value()) << value;
  return error;
}

TEST(SdpCandidate, ParsesRelayCandidate_WithEveryField) {
  SdpCandidate c = MustParse(
      "candidate:3745391413 2 UDP 41885695 198.51.100.9 3478 typ relay raddr 203.0.113.7 "
      "rport 54402 generation 3 ufrag EsAw network-id 2 network-cost 50 x-custom yes");
  EXPECT_EQ(c.foundation, "3745391413");
  EXPECT_EQ(c.component, 2);
  EXPECT_EQ(c.transport, "udp");
  EXPECT_EQ(c.priority, 41885695u);
  EXPECT_EQ(c.address, "198.51.100.9");
  EXPECT_EQ(c.port, 3478);
  EXPECT_EQ(c.type, "relay");
  EXPECT_EQ(c.related_address, "203.0.113.7");
  EXPECT_EQ(c.related_port, 54402);
  EXPECT_EQ(c.generation, 3u);
  EXPECT_EQ(c.ufrag, "EsAw");
  EXPECT_EQ(c.network_id, 2u);
  EXPECT_EQ(c.network_cost, 50u);
  ASSERT_EQ(c.extensions.size(), 1u);
  EXPECT_EQ(c.extensions[0], (std::pair<std::string, std::string>{"x-custom", "yes"}));
  EXPECT_EQ(c.ToAttributeValue(),
            "3745391413 2 udp 41885695 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport "
            "54402 generation 3 ufrag EsAw network-id 2 network-cost 50 x-custom yes");
  EXPECT_EQ(MustParse(c.ToAttributeValue()), c);
}

TEST(SdpCandidate, ParsesIpv6AndTcpAndMdns) {
  SdpCandidate v6 = MustParse("1 1 udp 2130706431 2001:db8::1%eth0 40000 typ host");
  EXPECT_EQ(v6.address, "2001:db8::1%eth0");
  SdpCandidate tcp = MustParse("2 1 TCP 1518280447 192.0.2.1 9 typ host tcptype active");
  EXPECT_EQ(tcp.transport, "tcp");
  EXPECT_EQ(tcp.tcp_type, "active");
  SdpCandidate so = MustParse(
      "3 1 tcp 1518280447 192.0.2.1 50000 typ srflx raddr 10.0.0.1 "
      "rport 50000 tcptype so");
  EXPECT_EQ(so.tcp_type, "so");
  SdpCandidate mdns =
      MustParse("4 1 udp 2113937151 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.local 58000 typ host");
  EXPECT_EQ(mdns.address, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.local");
  SdpCandidate plus = MustParse("a+b/c 256 udp 0 127.0.0.1 0 typ prflx");
  EXPECT_EQ(plus.foundation, "a+b/c");
  EXPECT_EQ(plus.component, 256);
}

TEST(SdpCandidate, RejectsMalformedCandidates_SayingWhy) {
  EXPECT_EQ(Error(""),
            "expected '<foundation> <component> <transport> <priority> <address> <port> typ "
            "<type>', got 0 fields");
  EXPECT_EQ(Error("abc;d 1 udp 1 127.0.0.1 1 typ host"),
            "foundation 'abc;d' has a character outside [A-Za-z0-9+/]");
  EXPECT_EQ(Error(std::string(33, 'f') + " 1 udp 1 127.0.0.1 1 typ host"),
            "foundation 'fffffffffffffffffffffffffffffffff' must be 1 to 32 characters");
  EXPECT_EQ(Error("1 0 udp 1 127.0.0.1 1 typ host"), "component id '0' is not a number in 1..256");
  EXPECT_EQ(Error("1 257 udp 1 127.0.0.1 1 typ host"),
            "component id '257' is not a number in 1..256");
  EXPECT_EQ(Error("1 1 u/dp 1 127.0.0.1 1 typ host"), "transport 'u/dp' is not a token (udp, tcp)");
  EXPECT_EQ(Error("1 1 udp 4294967296 127.0.0.1 1 typ host"),
            "priority '4294967296' is not a number in 0..4294967295");
  EXPECT_EQ(Error("1 1 udp 1 127.0.0.1/24 1 typ host"),
            "address '127.0.0.1/24' is neither an IP address nor a host name");
  EXPECT_EQ(Error("1 1 udp 1 127.0.0.1 65536 typ host"),
            "port '65536' is not a number in 0..65535");
  EXPECT_EQ(Error("1 1 udp 1 127.0.0.1 1 type host"), "expected 'typ' after the port, got 'type'");
  EXPECT_EQ(Error("1 1 udp 1 127.0.0.1 1 typ host rport x"), "rport 'x' is not valid");
  EXPECT_EQ(Error("1 1 udp 1 127.0.0.1 1 typ host generation -1"), "generation '-1' is not valid");
}

}  // namespace
}  // namespace tributary::rtc
