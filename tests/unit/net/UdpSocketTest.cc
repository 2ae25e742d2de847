#include "net/UdpSocket.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/ByteIo.h"
#include "base/Clock.h"
#include "rtc/IceClient.h"
#include "rtc/IceServer.h"
#include "rtc/StunMessage.h"

namespace tributary::net {
namespace {

struct Collector : UdpSocket::Listener {
  void OnUdpPacket(UdpSocket&, std::span<const uint8_t> data, const Endpoint& from) override {
    packets.emplace_back(data.begin(), data.end());
    senders.push_back(from);
    if (on_packet) on_packet(data, from);
  }
  std::vector<std::vector<uint8_t>> packets;
  std::vector<Endpoint> senders;
  std::function<void(std::span<const uint8_t>, const Endpoint&)> on_packet;
};

// Runs the io_context until `done` or the deadline.
bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

bool Ipv6LoopbackAvailable() {
  boost::asio::io_context io;
  Collector sink;
  try {
    UdpSocket socket(io, *Endpoint::Parse("::1", 0), sink);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void ExchangeABurst(const char* loopback) {
  boost::asio::io_context io;
  Collector receiver_sink, sender_sink;
  UdpSocket receiver(io, *Endpoint::Parse(loopback, 0), receiver_sink);
  UdpSocket sender(io, *Endpoint::Parse(loopback, 0), sender_sink);
  ASSERT_NE(receiver.LocalEndpoint().Port(), 0);
  EXPECT_TRUE(receiver.LocalEndpoint().IsLoopback());

  constexpr uint32_t kCount = 1000;
  std::vector<uint8_t> payload(1200);
  for (uint32_t i = 0; i < kCount; ++i) {
    base::Write32(payload.data(), i);
    payload[4] = static_cast<uint8_t>(i * 7);
    payload.back() = static_cast<uint8_t>(i);
    ASSERT_TRUE(sender.Send(payload, receiver.LocalEndpoint()));
  }
  sender.Flush();
  EXPECT_EQ(sender.QueuedDatagrams(), 0u);
  EXPECT_EQ(sender.GetCounters().packets_out, kCount);
  EXPECT_EQ(sender.GetCounters().bytes_out, kCount * payload.size());
  // Batches of 32: 1000 datagrams in ceil(1000 / 32) = 32 sendmmsg calls.
  EXPECT_EQ(sender.GetCounters().send_batches, (kCount + 31) / 32);

  ASSERT_TRUE(RunUntil(io, [&] { return receiver_sink.packets.size() >= kCount; }))
      << "received " << receiver_sink.packets.size() << ", kernel drops "
      << receiver.GetCounters().receive_drops;
  for (uint32_t i = 0; i < kCount; ++i) {
    const auto& p = receiver_sink.packets[i];
    ASSERT_EQ(p.size(), payload.size());
    EXPECT_EQ(base::Read32(p.data()), i);  // in order, none lost
    EXPECT_EQ(p[4], static_cast<uint8_t>(i * 7));
    EXPECT_EQ(p.back(), static_cast<uint8_t>(i));
    EXPECT_EQ(receiver_sink.senders[i], sender.LocalEndpoint());
  }
  const auto& in = receiver.GetCounters();
  EXPECT_EQ(in.packets_in, kCount);
  EXPECT_EQ(in.bytes_in, kCount * payload.size());
  EXPECT_EQ(in.receive_drops, 0u);
  // Read in batches: far fewer recvmmsg calls than datagrams.
  EXPECT_LE(in.receive_batches, kCount / 8);
}

TEST(UdpSocket, ExchangesABurstOf1000Datagrams_OverIpv4Loopback) {
  ExchangeABurst("127.0.0.1");
}

TEST(UdpSocket, ExchangesABurstOf1000Datagrams_OverIpv6Loopback) {
  if (!Ipv6LoopbackAvailable()) GTEST_SKIP() << "no ::1 on this machine";
  ExchangeABurst("::1");
}

TEST(UdpSocket, EnlargesItsBuffers) {
  boost::asio::io_context io;
  Collector sink;
  UdpSocket socket(io, *Endpoint::Parse("127.0.0.1", 0), sink,
                   {.receive_buffer_bytes = 1 << 20, .send_buffer_bytes = 1 << 20});
  // The kernel reports twice what it granted; it grants at least the sysctl cap.
  EXPECT_GE(socket.ReceiveBufferBytes(), std::min(1 << 20, 208 * 1024));
  EXPECT_GE(socket.SendBufferBytes(), std::min(1 << 20, 208 * 1024));
}

TEST(UdpSocket, FlushesByItself_ShortlyAfterASend) {
  boost::asio::io_context io;
  Collector a_sink, b_sink;
  UdpSocket a(io, *Endpoint::Parse("127.0.0.1", 0), a_sink);
  UdpSocket b(io, *Endpoint::Parse("127.0.0.1", 0), b_sink);
  const uint8_t ping[] = {'p', 'i', 'n', 'g'};
  b_sink.on_packet = [&](std::span<const uint8_t> data, const Endpoint& from) {
    b.Send(data, from);  // echo, no explicit Flush: the posted one sends it
  };
  ASSERT_TRUE(a.Send(ping, b.LocalEndpoint()));
  EXPECT_EQ(a.QueuedDatagrams(), 1u);
  ASSERT_TRUE(RunUntil(io, [&] { return !a_sink.packets.empty(); }));
  EXPECT_EQ(a_sink.packets[0], std::vector<uint8_t>(std::begin(ping), std::end(ping)));
  EXPECT_EQ(a_sink.senders[0], b.LocalEndpoint());
}

TEST(UdpSocket, CountsOversizedTruncatedAndRefusedDatagrams) {
  boost::asio::io_context io;
  Collector small_sink, big_sink;
  UdpSocket small(io, *Endpoint::Parse("127.0.0.1", 0), small_sink, {.max_datagram_size = 100});
  UdpSocket big(io, *Endpoint::Parse("127.0.0.1", 0), big_sink);
  std::vector<uint8_t> datagram(500, 0xab);
  EXPECT_FALSE(small.Send(datagram, big.LocalEndpoint()));  // larger than a slot
  EXPECT_EQ(small.GetCounters().send_drops, 1u);
  EXPECT_FALSE(small.Send(std::span<const uint8_t>(datagram.data(), 10), Endpoint()));
  EXPECT_EQ(small.GetCounters().send_drops, 2u);

  // An IPv6 destination from an IPv4 socket: the kernel refuses it; the next one still goes.
  ASSERT_TRUE(big.Send(datagram, *Endpoint::Parse("::1", 9)));
  ASSERT_TRUE(big.Send(datagram, small.LocalEndpoint()));  // 500 bytes into 100-byte slots
  ASSERT_TRUE(big.Send(std::span<const uint8_t>(datagram.data(), 50), small.LocalEndpoint()));
  big.Flush();
  EXPECT_EQ(big.GetCounters().send_errors, 1u);
  EXPECT_EQ(big.GetCounters().packets_out, 2u);
  ASSERT_TRUE(RunUntil(io, [&] { return !small_sink.packets.empty(); }));
  EXPECT_EQ(small.GetCounters().truncated_in, 1u);
  EXPECT_EQ(small_sink.packets.size(), 1u);
  EXPECT_EQ(small_sink.packets[0].size(), 50u);
}

TEST(UdpSocket, SendsADatagramBuiltInPlace_InALentSlot) {
  boost::asio::io_context io;
  Collector a_sink, b_sink;
  UdpSocket a(io, *Endpoint::Parse("127.0.0.1", 0), a_sink, {.max_datagram_size = 1500});
  UdpSocket b(io, *Endpoint::Parse("127.0.0.1", 0), b_sink);
  for (uint8_t i = 0; i < 3; ++i) {
    const std::span<uint8_t> slot = a.PrepareSend();
    ASSERT_EQ(slot.size(), 1500u);
    for (size_t k = 0; k < 100; ++k)
      slot[k] = static_cast<uint8_t>(i + k);
    ASSERT_TRUE(a.CommitSend(100, b.LocalEndpoint()));
  }
  EXPECT_FALSE(a.CommitSend(1501, b.LocalEndpoint()));
  a.Flush();
  ASSERT_TRUE(RunUntil(io, [&] { return b_sink.packets.size() == 3; }));
  for (uint8_t i = 0; i < 3; ++i) {
    ASSERT_EQ(b_sink.packets[i].size(), 100u);
    EXPECT_EQ(b_sink.packets[i][0], i);
    EXPECT_EQ(b_sink.packets[i][99], static_cast<uint8_t>(i + 99));
  }
}

TEST(UdpSocket, CountsKernelReceiveDrops_WhenTheReceiveBufferOverflows) {
  boost::asio::io_context io;
  Collector a_sink, b_sink;
  UdpSocket a(io, *Endpoint::Parse("127.0.0.1", 0), a_sink);
  // A small receive buffer that the burst overflows before b gets to read.
  UdpSocket b(io, *Endpoint::Parse("127.0.0.1", 0), b_sink, {.receive_buffer_bytes = 16384});
  std::vector<uint8_t> datagram(1000, 1);
  constexpr uint64_t kBurst = 500;
  for (uint64_t i = 0; i < kBurst; ++i)
    ASSERT_TRUE(a.Send(datagram, b.LocalEndpoint()));
  a.Flush();
  EXPECT_EQ(a.GetCounters().packets_out, kBurst);
  RunUntil(
      io, [] { return false; }, std::chrono::milliseconds(50));  // b drains its queue
  const uint64_t received = b_sink.packets.size();
  EXPECT_GT(received, 0u);
  EXPECT_LT(received, kBurst);
  // The kernel stamps its drop count on the datagrams queued after the drops: send one more.
  ASSERT_TRUE(a.Send(datagram, b.LocalEndpoint()));
  a.Flush();
  ASSERT_TRUE(RunUntil(io, [&] { return b_sink.packets.size() == received + 1; }));
  EXPECT_EQ(b.GetCounters().receive_drops, kBurst - received);
  EXPECT_EQ(b.GetCounters().packets_in + b.GetCounters().receive_drops, kBurst + 1);
}

TEST(UdpSocket, PendingHandlersAreHarmless_AfterDestruction) {
  boost::asio::io_context io;
  Collector sink;
  auto socket = std::make_unique<UdpSocket>(io, *Endpoint::Parse("127.0.0.1", 0), sink);
  const uint8_t byte = 1;
  socket->Send({&byte, 1}, *Endpoint::Parse("127.0.0.1", 9));  // posts a flush
  socket.reset();
  io.run_for(std::chrono::milliseconds(20));  // the posted flush and the read wait run: no-ops
  SUCCEED();
}

// An IceClient and an IceServer connect over real loopback UDP, each on its own UdpSocket,
// ticked by a timer: what an upstream link and a WebRtcTransport do.
class IcePeer : public UdpSocket::Listener,
                public rtc::IceClient::Listener,
                public rtc::IceServer::Listener {
 public:
  UdpSocket* socket = nullptr;
  rtc::IceClient* client = nullptr;
  rtc::IceServer* server = nullptr;
  std::vector<Endpoint> connected;
  int disconnected = 0;
  std::vector<std::vector<uint8_t>> media;

  void OnUdpPacket(UdpSocket& s, std::span<const uint8_t> data, const Endpoint& from) override {
    if (!rtc::StunMessage::IsStun(data)) {
      media.emplace_back(data.begin(), data.end());
      return;
    }
    if (client) client->ProcessStunPacket(data, from, base::NowMs());
    if (server) server->ProcessStunPacket(data, FiveTuple{s.LocalEndpoint(), from}, base::NowMs());
    s.Flush();
  }
  void OnIceClientSendStunPacket(const rtc::IceClient&, std::span<const uint8_t> bytes,
                                 const Endpoint& to) override {
    socket->Send(bytes, to);
  }
  void OnIceClientConnected(rtc::IceClient&, const Endpoint& remote) override {
    connected.push_back(remote);
  }
  void OnIceClientDisconnected(rtc::IceClient&) override { ++disconnected; }
  void OnIceClientFailed(rtc::IceClient&) override { ++disconnected; }
  void OnIceServerSendStunPacket(const rtc::IceServer&, std::span<const uint8_t> bytes,
                                 const Endpoint& to) override {
    socket->Send(bytes, to);
  }
  void OnIceServerSelectedTuple(rtc::IceServer&, const FiveTuple& tuple) override {
    connected.push_back(tuple.remote);
  }
  void OnIceServerConnected(rtc::IceServer&) override {}
  void OnIceServerDisconnected(rtc::IceServer&) override { ++disconnected; }
};

void ConnectOverLoopback(const char* loopback) {
  boost::asio::io_context io;
  IcePeer client_peer, server_peer;
  UdpSocket client_socket(io, *Endpoint::Parse(loopback, 0), client_peer);
  UdpSocket server_socket(io, *Endpoint::Parse(loopback, 0), server_peer);
  rtc::IceServer server(server_peer, "srvUfrag", "srvPassword0123456789abc");
  rtc::IceClient client(client_peer, "cliUfrag", "cliPassword0123456789abc");
  client_peer.socket = &client_socket;
  client_peer.client = &client;
  server_peer.socket = &server_socket;
  server_peer.server = &server;

  client.SetRemoteCredentials("srvUfrag", "srvPassword0123456789abc");
  rtc::IceCandidate candidate;
  candidate.foundation = "1";
  candidate.priority = 2130706431;
  candidate.endpoint = server_socket.LocalEndpoint();
  ASSERT_TRUE(client.AddRemoteCandidate(candidate));

  boost::asio::steady_timer timer(io);
  std::function<void()> tick = [&] {
    client.Tick(base::NowMs());
    server.Tick(base::NowMs());
    client_socket.Flush();
    timer.expires_after(std::chrono::milliseconds(10));
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) tick();
    });
  };
  client.Start(base::NowMs());
  client_socket.Flush();
  tick();
  ASSERT_TRUE(RunUntil(
      io, [&] { return !client_peer.connected.empty() && !server_peer.connected.empty(); }));
  EXPECT_EQ(client_peer.connected[0], server_socket.LocalEndpoint());
  EXPECT_EQ(server_peer.connected[0], client_socket.LocalEndpoint());
  EXPECT_TRUE(server.IsValidTuple({server_socket.LocalEndpoint(), client_socket.LocalEndpoint()}));

  // Media on the selected pair reaches the server, which knows the tuple.
  const uint8_t rtp[] = {0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  client_socket.Send(rtp, *client.SelectedRemote());
  client_socket.Flush();
  ASSERT_TRUE(RunUntil(io, [&] { return !server_peer.media.empty(); }));
  EXPECT_EQ(client_peer.disconnected + server_peer.disconnected, 0);
  timer.cancel();
}

TEST(UdpSocketIce, IceClientConnectsToIceServer_OverIpv4Loopback) {
  ConnectOverLoopback("127.0.0.1");
}

TEST(UdpSocketIce, IceClientConnectsToIceServer_OverIpv6Loopback) {
  if (!Ipv6LoopbackAvailable()) GTEST_SKIP() << "no ::1 on this machine";
  ConnectOverLoopback("::1");
}

}  // namespace
}  // namespace tributary::net
