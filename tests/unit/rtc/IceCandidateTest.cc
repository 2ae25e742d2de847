#include "rtc/IceCandidate.h"

#include <gtest/gtest.h>

namespace tributary::rtc {
namespace {

TEST(IceCandidate, ParsesHostUdpCandidates_FromAiortcAndChromium) {
  // aiortc 1.4 (aioice) and Chromium forms.
  auto c =
      IceCandidate::Parse("a=candidate:0e3d0e8a1f7f3a0a 1 udp 2130706431 127.0.0.1 41234 typ host");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->foundation, "0e3d0e8a1f7f3a0a");
  EXPECT_EQ(c->component, 1u);
  EXPECT_EQ(c->transport, IceCandidate::Transport::kUdp);
  EXPECT_EQ(c->priority, 2130706431u);
  EXPECT_EQ(c->endpoint, *net::Endpoint::Parse("127.0.0.1", 41234));
  EXPECT_EQ(c->type, IceCandidate::Type::kHost);

  c = IceCandidate::Parse(
      "candidate:842163049 1 UDP 1677729535 ::1 3478 typ srflx raddr 0.0.0.0 rport 0 "
      "generation 0 ufrag EsAw network-cost 999\r\n");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->endpoint.IsIpv6());
  EXPECT_EQ(c->type, IceCandidate::Type::kServerReflexive);

  c = IceCandidate::Parse("candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->transport, IceCandidate::Transport::kTcp);
}

TEST(IceCandidate, RejectsMalformedLines_AndHostNames) {
  EXPECT_FALSE(IceCandidate::Parse(""));
  EXPECT_FALSE(IceCandidate::Parse("candidate:"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 1 udp 1 127.0.0.1 70000 typ host"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 0 udp 1 127.0.0.1 1 typ host"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 1 sctp 1 127.0.0.1 1 typ host"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 1 udp x 127.0.0.1 1 typ host"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 1 udp 1 127.0.0.1 1 type host"));
  EXPECT_FALSE(IceCandidate::Parse("candidate:1 1 udp 1 127.0.0.1 1 typ nothing"));
  EXPECT_FALSE(IceCandidate::Parse(
      "candidate:1 1 udp 1 2d3c5f0e-7a3b-4b6e-9d1e-1c2b3a4d5e6f.local 1 typ host"));
}

TEST(IceCandidate, FormatsAndComputesPriorities) {
  IceCandidate c;
  c.foundation = "1";
  c.priority = IceCandidate::ComputePriority(IceCandidate::Type::kHost, 65535, 1);
  EXPECT_EQ(c.priority, 2130706431u);
  c.endpoint = *net::Endpoint::Parse("::1", 5000);
  EXPECT_EQ(c.ToString(), "candidate:1 1 udp 2130706431 ::1 5000 typ host");
  auto back = IceCandidate::Parse(c.ToString());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->endpoint, c.endpoint);
  EXPECT_EQ(IceCandidate::ComputePriority(IceCandidate::Type::kRelay, 0, 256), 0u);
}

}  // namespace
}  // namespace tributary::rtc
