#include "testmedia/LossyUdpRelay.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "rtc/SdpParser.h"

namespace tributary::testmedia {
namespace {

using net::Endpoint;
using net::UdpSocket;

struct Collector : UdpSocket::Listener {
  void OnUdpPacket(UdpSocket&, std::span<const uint8_t> data, const Endpoint& from) override {
    packets.emplace_back(data.begin(), data.end());
    senders.push_back(from);
  }
  std::vector<std::vector<uint8_t>> packets;
  std::vector<Endpoint> senders;
};

struct RtpCounter : LossyUdpRelay::Listener {
  void OnRelayRtp(bool dropped) override { (dropped ? this->dropped : forwarded)++; }
  int dropped = 0;
  int forwarded = 0;
};

bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

const Endpoint kLoopback = *Endpoint::Parse("127.0.0.1", 0);

// What a server sends a viewer, by kind: STUN, DTLS, SRTP, SRTCP (first bytes per RFC 7983).
const std::vector<uint8_t> kStun = {0x01, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1,  2,
                                    3,    4,    5,    6,    7,    8,    9,    10,   11, 12};
const std::vector<uint8_t> kDtls = {22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
const std::vector<uint8_t> kRtp = {0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA, 0xBB};
const std::vector<uint8_t> kRtcp = {0x80, 201, 0, 1, 0, 0, 0, 9, 0xAA, 0xBB, 0xCC, 0xDD};

TEST(LossyUdpRelay, RelaysBothWays_AndDropsOnlyRtpFromTheServer) {
  boost::asio::io_context io;
  Collector client_sink, server_sink;
  UdpSocket client(io, kLoopback, client_sink);
  UdpSocket server(io, kLoopback, server_sink);
  RtpCounter counter;
  LossyUdpRelay relay(io, kLoopback, server.LocalEndpoint(), 1.0, &counter);

  client.Send(kStun, relay.LocalEndpoint());
  ASSERT_TRUE(RunUntil(io, [&] { return server_sink.packets.size() == 1; }));
  EXPECT_EQ(server_sink.senders[0], relay.LocalEndpoint());  // the server sees the relay
  EXPECT_EQ(server_sink.packets[0], kStun);

  for (const auto* datagram : {&kStun, &kDtls, &kRtp, &kRtcp, &kRtp}) {
    server.Send(*datagram, relay.LocalEndpoint());
  }
  ASSERT_TRUE(RunUntil(io, [&] { return client_sink.packets.size() == 3; }));
  RunUntil(io, [] { return false; });  // nothing more comes
  ASSERT_EQ(client_sink.packets.size(), 3u);
  EXPECT_EQ(client_sink.packets[0], kStun);
  EXPECT_EQ(client_sink.packets[1], kDtls);
  EXPECT_EQ(client_sink.packets[2], kRtcp);
  EXPECT_EQ(client_sink.senders[0], relay.LocalEndpoint());
  EXPECT_EQ(counter.dropped, 2);
  EXPECT_EQ(relay.GetCounters().dropped, 2u);
  EXPECT_EQ(relay.GetCounters().to_client, 3u);
}

TEST(LossyUdpRelay, DropsAboutTheShareAsked) {
  boost::asio::io_context io;
  Collector client_sink, server_sink;
  UdpSocket client(io, kLoopback, client_sink);
  UdpSocket server(io, kLoopback, server_sink);
  RtpCounter counter;
  LossyUdpRelay relay(io, kLoopback, server.LocalEndpoint(), 0.05, &counter);
  client.Send(kStun, relay.LocalEndpoint());
  ASSERT_TRUE(RunUntil(io, [&] { return server_sink.packets.size() == 1; }));
  constexpr int kPackets = 4000;
  for (int i = 0; i < kPackets; ++i) {
    server.Send(kRtp, relay.LocalEndpoint());
    if (i % 100 == 99) io.poll();
  }
  ASSERT_TRUE(RunUntil(io, [&] { return counter.dropped + counter.forwarded == kPackets; }));
  // 5% of 4000 is 200; the binomial's standard deviation is about 14.
  EXPECT_GT(counter.dropped, 120);
  EXPECT_LT(counter.dropped, 280);
  ASSERT_TRUE(RunUntil(
      io, [&] { return client_sink.packets.size() == static_cast<size_t>(counter.forwarded); }));
}

TEST(LossyUdpRelay, RedirectsTheAnswersCandidatesToTheRelay) {
  const std::string sdp =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
      "a=fingerprint:sha-256 "
      "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:"
      "88:99\r\n"
      "a=setup:passive\r\na=rtcp-mux\r\na=recvonly\r\na=rtpmap:111 opus/48000/2\r\n"
      "a=candidate:1 1 tcp 1 127.0.0.1 9 typ host tcptype passive\r\n"
      "a=candidate:2 1 udp 2130706431 127.0.0.1 40000 typ host\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=bundle-only\r\n"
      "a=recvonly\r\na=rtpmap:96 VP8/90000\r\n"
      "a=candidate:2 1 udp 2130706431 127.0.0.1 40000 typ host\r\n";
  std::string error;
  auto answer = rtc::SdpParser::Parse(sdp, error);
  ASSERT_TRUE(answer) << error;
  const auto relay = *Endpoint::Parse("127.0.0.1", 5555);
  const auto server = LossyUdpRelay::ServerCandidate(*answer);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->ToString(), "127.0.0.1:40000");  // the TCP one is skipped
  LossyUdpRelay::RedirectCandidates(*answer, relay);
  for (const auto& m : answer->media) {
    ASSERT_EQ(m.candidates.size(), 1u);
    EXPECT_EQ(m.candidates[0].port, 5555);
    EXPECT_EQ(m.candidates[0].transport, "udp");
  }
  rtc::SessionDescription none;
  none.media.emplace_back();
  EXPECT_FALSE(LossyUdpRelay::ServerCandidate(none));
}

}  // namespace
}  // namespace tributary::testmedia
