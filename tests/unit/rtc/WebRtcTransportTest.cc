// WebRtcTransport and UdpDemux over real loopback UDP sockets: real ICE (our IceClient against
// our ICE-lite IceServer), real DTLS with fingerprint verification, real SRTP. Each side has a
// UdpSocket whose listener is a UdpDemux (through a tap that can copy what arrives); the
// transports are wired with each other's parameters as SDP would carry them (the text forms of
// ufrag, pwd, fingerprint and candidates). One io_context on this thread runs everything, and
// the harness ticks the transports every 10 ms, as a worker does.

#include "rtc/WebRtcTransport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "base/ByteIo.h"
#include "base/Clock.h"
#include "base/Random.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/StunMessage.h"
#include "rtc/UdpDemux.h"

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;
using CloseReason = WebRtcTransport::CloseReason;
using Role = WebRtcTransport::Role;

net::Endpoint Loopback() {
  return *net::Endpoint::Parse("127.0.0.1", 0);
}

// An RTP packet (RFC 3550 5.1): V=2, PT 96, the given SSRC and sequence number, random payload.
Bytes MakeRtp(uint32_t ssrc, uint16_t seq, size_t size = 1200) {
  Bytes packet(size);
  base::RandomBytes(packet);
  packet[0] = 0x80;
  packet[1] = 96;
  base::Write16(packet.data() + 2, seq);
  base::Write32(packet.data() + 4, seq * 3000u);
  base::Write32(packet.data() + 8, ssrc);
  return packet;
}

// A sender report (RFC 3550 6.4.1) without report blocks: PT 200, length 6 (28 bytes).
Bytes MakeSenderReport(uint32_t ssrc, uint32_t packets) {
  Bytes packet(28);
  base::RandomBytes(packet);
  packet[0] = 0x80;
  packet[1] = 200;
  base::Write16(packet.data() + 2, 6);
  base::Write32(packet.data() + 4, ssrc);
  base::Write32(packet.data() + 20, packets);
  return packet;
}

uint32_t SsrcOf(const Bytes& rtp) {
  return base::Read32(rtp.data() + 8);
}

// The socket's listener: hands every datagram to the demux, after showing it to `on_packet`
// (which sees it before it is unprotected in place).
struct Tap : net::UdpSocket::Listener {
  UdpDemux demux;
  std::function<void(std::span<const uint8_t>, const net::Endpoint&)> on_packet;
  void OnUdpPacket(net::UdpSocket& socket, std::span<const uint8_t> data,
                   const net::Endpoint& from) override {
    if (on_packet) on_packet(data, from);
    demux.OnUdpPacket(socket, data, from);
  }
};

// One socket with its demux, as a worker has.
struct Node {
  Tap tap;
  std::unique_ptr<net::UdpSocket> socket;
  Node(boost::asio::io_context& io, net::UdpSocket::Options options = {})
      : socket(std::make_unique<net::UdpSocket>(io, Loopback(), tap, options)) {}
  UdpDemux& Demux() { return tap.demux; }
  const net::Endpoint& Address() const { return socket->LocalEndpoint(); }
};

// A listener that records everything its transport reports.
struct Peer : WebRtcTransport::Listener {
  std::unique_ptr<WebRtcTransport> transport;
  bool ticking = true;  // false: the owner stops driving its timers (the client "goes silent")
  int ice_connected = 0;
  int connected = 0;
  int closed = 0;
  CloseReason close_reason = CloseReason::kNone;
  std::string close_detail;
  std::vector<Bytes> rtp;
  std::vector<Bytes> rtcp;
  std::function<void(WebRtcTransport&, std::span<uint8_t>)> on_rtp;

  void OnTransportIceConnected(WebRtcTransport&) override { ++ice_connected; }
  void OnTransportConnected(WebRtcTransport&) override { ++connected; }
  void OnTransportClosed(WebRtcTransport&, CloseReason reason, std::string_view detail) override {
    ++closed;
    close_reason = reason;
    close_detail = std::string(detail);
  }
  void OnTransportRtpPacket(WebRtcTransport& t, std::span<uint8_t> packet) override {
    rtp.emplace_back(packet.begin(), packet.end());
    if (on_rtp) on_rtp(t, packet);
  }
  void OnTransportRtcpPacket(WebRtcTransport&, std::span<uint8_t> packet) override {
    rtcp.emplace_back(packet.begin(), packet.end());
  }

  WebRtcTransport& T() { return *transport; }
  const WebRtcTransport::Counters::Drops& Drops() const { return transport->GetCounters().drops; }
};

// What the offer/answer would carry from `from` to `to`, through the SDP text forms.
void GiveRemoteParameters(WebRtcTransport& from, WebRtcTransport& to,
                          std::optional<DtlsFingerprint> fingerprint_override = std::nullopt) {
  const auto fingerprint = DtlsFingerprint::Parse(
      (fingerprint_override ? *fingerprint_override : from.LocalFingerprint()).ToString());
  ASSERT_TRUE(fingerprint);
  std::vector<IceCandidate> candidates;
  for (const auto& candidate : from.LocalCandidates()) {
    const auto parsed = IceCandidate::Parse("a=" + candidate.ToString());
    ASSERT_TRUE(parsed) << candidate.ToString();
    candidates.push_back(*parsed);
  }
  to.SetRemoteDtlsParameters(to.DefaultDtlsRole(), *fingerprint);
  to.SetRemoteIceParameters(from.LocalIceParameters(), candidates);
}

class WebRtcTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_certificate_ = new DtlsCertificate(DtlsCertificate::Generate());
    client_certificate_ = new DtlsCertificate(DtlsCertificate::Generate());
  }
  static void TearDownTestSuite() {
    delete server_certificate_;
    delete client_certificate_;
  }
  void SetUp() override {
    log_level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::warn);
  }
  void TearDown() override { spdlog::set_level(log_level_); }

  std::unique_ptr<DtlsTransport::Context> MakeContext(const DtlsCertificate& certificate,
                                                      std::vector<SrtpProfile> profiles = {
                                                          SrtpProfile::kAeadAes128Gcm,
                                                          SrtpProfile::kAesCm128HmacSha1_80}) {
    DtlsTransport::Context::Options options;
    options.srtp_profiles = std::move(profiles);
    return std::make_unique<DtlsTransport::Context>(certificate, options);
  }

  void Create(Peer& peer, Role role, Node& node, DtlsTransport::Context& context,
              WebRtcTransport::Options options = {}) {
    peer.transport =
        std::make_unique<WebRtcTransport>(role, *node.socket, node.Demux(), context, peer, options);
    peers_.push_back(&peer);
  }

  // Wires a client and a server as WHEP/WHIP would, and runs until both are connected.
  ::testing::AssertionResult Connect(Peer& client, Peer& server,
                                     std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    GiveRemoteParameters(client.T(), server.T());  // the offer
    GiveRemoteParameters(server.T(), client.T());  // the answer
    if (!RunUntil([&] { return client.T().IsConnected() && server.T().IsConnected(); }, limit)) {
      return ::testing::AssertionFailure()
             << "not connected: client " << WebRtcTransport::StateName(client.T().GetState())
             << " (" << client.close_detail << "), server "
             << WebRtcTransport::StateName(server.T().GetState()) << " (" << server.close_detail
             << ")";
    }
    return ::testing::AssertionSuccess();
  }

  // Runs the io_context and ticks every transport every 10 ms until `done` or `limit`.
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io_.run_for(std::chrono::milliseconds(1));
      if (io_.stopped()) io_.restart();
      const uint64_t now = base::NowMs();
      if (now >= next_tick_ms_) {
        next_tick_ms_ = now + 10;
        for (Peer* peer : peers_) {
          if (peer->transport && peer->ticking) peer->transport->Tick(now);
        }
      }
    }
    return true;
  }
  void RunFor(std::chrono::milliseconds duration) {
    RunUntil([] { return false; }, duration);
  }

  // Sends `count` RTP packets each way in bursts (every other one through the in-place path) and
  // checks that each side received exactly what the other sent.
  void ExchangeRtp(Peer& a, Peer& b, size_t count, uint32_t ssrc_a, uint32_t ssrc_b) {
    std::vector<Bytes> sent_by_a, sent_by_b;
    const size_t a_received_before = a.rtp.size();
    const size_t b_received_before = b.rtp.size();
    constexpr size_t kBurst = 50;
    auto send = [](Peer& peer, const Bytes& packet, bool in_place) {
      if (!in_place) return peer.T().SendRtpPacket(packet);
      const std::span<uint8_t> slot = peer.T().PrepareSend();
      if (slot.size() < packet.size()) return false;
      std::memcpy(slot.data(), packet.data(), packet.size());
      return peer.T().CommitRtpPacket(packet.size());
    };
    for (size_t i = 0; i < count; ++i) {
      const Bytes from_a = MakeRtp(ssrc_a, static_cast<uint16_t>(seq_++), 200 + i % 1000);
      const Bytes from_b = MakeRtp(ssrc_b, static_cast<uint16_t>(seq_++), 1200 - i % 1000);
      ASSERT_TRUE(send(a, from_a, i % 2 == 0));
      ASSERT_TRUE(send(b, from_b, i % 2 == 1));
      sent_by_a.push_back(from_a);
      sent_by_b.push_back(from_b);
      if (sent_by_a.size() % kBurst == 0 || i + 1 == count) {
        ASSERT_TRUE(RunUntil([&] {
          return b.rtp.size() - b_received_before == sent_by_a.size() &&
                 a.rtp.size() - a_received_before == sent_by_b.size();
        })) << "a received "
            << a.rtp.size() - a_received_before << "/" << sent_by_b.size() << ", b received "
            << b.rtp.size() - b_received_before << "/" << sent_by_a.size();
      }
    }
    for (size_t i = 0; i < count; ++i) {
      ASSERT_EQ(b.rtp[b_received_before + i], sent_by_a[i]) << "packet " << i << " a -> b";
      ASSERT_EQ(a.rtp[a_received_before + i], sent_by_b[i]) << "packet " << i << " b -> a";
    }
  }

  static DtlsCertificate* server_certificate_;
  static DtlsCertificate* client_certificate_;
  boost::asio::io_context io_;
  std::vector<Peer*> peers_;
  uint64_t next_tick_ms_ = 0;
  uint32_t seq_ = 1;
  spdlog::level::level_enum log_level_ = spdlog::level::info;
};
DtlsCertificate* WebRtcTransportTest::server_certificate_ = nullptr;
DtlsCertificate* WebRtcTransportTest::client_certificate_ = nullptr;

void ExpectNoDrops(const Peer& peer) {
  const auto& d = peer.Drops();
  EXPECT_EQ(d.srtp_auth, 0u);
  EXPECT_EQ(d.srtp_replay, 0u);
  EXPECT_EQ(d.dtls_unknown_address, 0u);
  EXPECT_EQ(d.rtp_unknown_address, 0u);
  EXPECT_EQ(d.malformed, 0u);
  EXPECT_EQ(d.srtp_protect, 0u);
  EXPECT_EQ(d.send_failed, 0u);
}

// ---------------------------------------------------------------------------------------------

class WebRtcTransportProfileTest : public WebRtcTransportTest,
                                   public ::testing::WithParamInterface<SrtpProfile> {};

TEST_P(WebRtcTransportProfileTest, ConnectsAndExchangesMedia_BothWaysWithoutLoss) {
  const SrtpProfile profile = GetParam();
  auto server_context = MakeContext(*server_certificate_, {profile});
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);

  // Local parameters as the SDP needs them.
  EXPECT_EQ(server.T().LocalIceParameters().ufrag.size(), WebRtcTransport::kUfragLength);
  EXPECT_EQ(server.T().LocalIceParameters().password.size(), WebRtcTransport::kPasswordLength);
  EXPECT_NE(server.T().LocalIceParameters().ufrag, client.T().LocalIceParameters().ufrag);
  EXPECT_EQ(server.T().LocalFingerprint(), server_certificate_->Sha256Fingerprint());
  ASSERT_EQ(server.T().LocalCandidates().size(), 1u);
  EXPECT_EQ(server.T().LocalCandidates()[0].endpoint, server_node.Address());
  EXPECT_EQ(server.T().DefaultDtlsRole(), DtlsTransport::Role::kServer);
  EXPECT_EQ(client.T().DefaultDtlsRole(), DtlsTransport::Role::kClient);

  ASSERT_TRUE(Connect(client, server));
  EXPECT_EQ(server.ice_connected, 1);
  EXPECT_EQ(client.ice_connected, 1);
  EXPECT_EQ(server.connected, 1);
  EXPECT_EQ(client.connected, 1);
  EXPECT_EQ(server.T().GetSrtpProfile(), profile);
  EXPECT_EQ(client.T().GetSrtpProfile(), profile);
  EXPECT_EQ(server.T().SelectedRemote(), client_node.Address());
  EXPECT_EQ(client.T().SelectedRemote(), server_node.Address());

  ExchangeRtp(client, server, 1000, 0x1111, 0x2222);

  // Some RTCP both ways.
  std::vector<Bytes> rtcp_to_server, rtcp_to_client;
  for (uint32_t i = 0; i < 20; ++i) {
    rtcp_to_server.push_back(MakeSenderReport(0x1111, i));
    rtcp_to_client.push_back(MakeSenderReport(0x2222, i));
    ASSERT_TRUE(client.T().SendRtcpPacket(rtcp_to_server.back()));
    const auto slot = server.T().PrepareSend();
    ASSERT_GE(slot.size(), rtcp_to_client.back().size());
    std::memcpy(slot.data(), rtcp_to_client.back().data(), rtcp_to_client.back().size());
    ASSERT_TRUE(server.T().CommitRtcpPacket(rtcp_to_client.back().size()));
  }
  ASSERT_TRUE(RunUntil([&] { return server.rtcp.size() == 20 && client.rtcp.size() == 20; }));
  EXPECT_EQ(server.rtcp, rtcp_to_server);
  EXPECT_EQ(client.rtcp, rtcp_to_client);
  EXPECT_TRUE(server.rtp.size() == 1000 && client.rtp.size() == 1000);

  const auto& counters = server.T().GetCounters();
  EXPECT_EQ(counters.rtp_packets_in, 1000u);
  EXPECT_EQ(counters.rtcp_packets_in, 20u);
  EXPECT_EQ(counters.rtp_packets_out, 1000u);
  EXPECT_EQ(counters.rtcp_packets_out, 20u);
  ExpectNoDrops(server);
  ExpectNoDrops(client);
  EXPECT_EQ(server.T().GetCounters().drops.not_connected, 0u);
  EXPECT_EQ(server.closed + client.closed, 0);

  // The demux routed everything: nothing dropped there.
  for (Node* node : {&server_node, &client_node}) {
    const auto& demux = node->Demux().GetCounters();
    EXPECT_EQ(demux.garbage + demux.unknown_ufrag + demux.unknown_tuple + demux.not_stun_no_tuple,
              0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, WebRtcTransportProfileTest,
                         ::testing::Values(SrtpProfile::kAeadAes128Gcm,
                                           SrtpProfile::kAesCm128HmacSha1_80),
                         [](const auto& info) {
                           return std::string(info.param == SrtpProfile::kAeadAes128Gcm
                                                  ? "AeadAes128Gcm"
                                                  : "AesCm128HmacSha1_80");
                         });

// ---------------------------------------------------------------------------------------------

TEST_F(WebRtcTransportTest, Send_IsDroppedAndCounted_BeforeDtlsIsConnected) {
  auto context = MakeContext(*server_certificate_);
  Node node(io_);
  Peer server;
  Create(server, Role::kServer, node, *context);
  EXPECT_FALSE(server.T().SendRtpPacket(MakeRtp(1, 1)));
  EXPECT_FALSE(server.T().SendRtcpPacket(MakeSenderReport(1, 1)));
  EXPECT_TRUE(server.T().PrepareSend().empty());
  EXPECT_FALSE(server.T().CommitRtpPacket(100));
  EXPECT_EQ(server.Drops().not_connected, 4u);
  EXPECT_EQ(server.T().GetCounters().packets_out, 0u);
  EXPECT_EQ(node.socket->GetCounters().packets_out, 0u);
  EXPECT_EQ(server.T().GetState(), WebRtcTransport::State::kNew);
}

TEST_F(WebRtcTransportTest, DtlsRoles_MayBeSwapped_WhenTheSdpSaysSo) {
  // An offer with a=setup:passive: the ICE-lite server is the DTLS client.
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);
  server.T().SetRemoteIceParameters(client.T().LocalIceParameters());
  server.T().SetRemoteDtlsParameters(DtlsTransport::Role::kClient, client.T().LocalFingerprint());
  client.T().SetRemoteDtlsParameters(DtlsTransport::Role::kServer, server.T().LocalFingerprint());
  client.T().SetRemoteIceParameters(server.T().LocalIceParameters(), server.T().LocalCandidates());
  ASSERT_TRUE(RunUntil([&] { return client.T().IsConnected() && server.T().IsConnected(); }))
      << server.close_detail << " / " << client.close_detail;
  EXPECT_EQ(server.T().GetDtlsTransport().GetRole(), DtlsTransport::Role::kClient);
  EXPECT_EQ(client.T().GetDtlsTransport().GetRole(), DtlsTransport::Role::kServer);
  ExchangeRtp(client, server, 20, 0x5, 0x6);
  ExpectNoDrops(server);
  ExpectNoDrops(client);
}

TEST_F(WebRtcTransportTest, ConsentExpiry_ClosesTheServer_WhenTheClientGoesSilent) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  WebRtcTransport::Options server_options;
  server_options.consent_timeout_ms = 300;
  WebRtcTransport::Options client_options;
  client_options.ice_client.consent_interval_ms = 80;
  Create(server, Role::kServer, server_node, *server_context, server_options);
  Create(client, Role::kClient, client_node, *client_context, client_options);
  ASSERT_TRUE(Connect(client, server));

  // Consent checks every ~80 ms keep it alive well past the 300 ms timeout.
  RunFor(std::chrono::milliseconds(500));
  ASSERT_FALSE(server.T().IsClosed()) << server.close_detail;
  EXPECT_GE(client.T().GetIceClient()->GetCounters().consent_checks_sent, 4u);

  client.ticking = false;  // no more consent checks
  const uint64_t silent_since = base::NowMs();
  ASSERT_TRUE(RunUntil([&] { return server.closed > 0; }, std::chrono::seconds(3)));
  const uint64_t waited = base::NowMs() - silent_since;
  EXPECT_EQ(server.close_reason, CloseReason::kConsentExpired);
  EXPECT_EQ(server.closed, 1);
  EXPECT_GE(waited, 200u);  // the last check came at most ~100 ms before the silence
  EXPECT_LE(waited, 1000u);
  EXPECT_FALSE(server.T().IsConnected());
  // Closed transports leave the demux.
  EXPECT_EQ(server_node.Demux().UfragCount(), 0u);
  EXPECT_EQ(server_node.Demux().RemoteCount(), 0u);
  // ... and told the peer with close_notify.
  client.ticking = true;
  ASSERT_TRUE(RunUntil([&] { return client.closed > 0; }, std::chrono::seconds(1)));
  EXPECT_EQ(client.close_reason, CloseReason::kDtlsClosed);
}

TEST_F(WebRtcTransportTest, ConsentExpiry_ClosesTheClient_WhenTheServerGoesAway) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  WebRtcTransport::Options client_options;
  client_options.consent_timeout_ms = 300;
  client_options.ice_client.consent_interval_ms = 80;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context, client_options);
  ASSERT_TRUE(Connect(client, server));
  server.transport.reset();  // gone without a word: its socket stays, answers nothing
  ASSERT_TRUE(RunUntil([&] { return client.closed > 0; }, std::chrono::seconds(3)));
  EXPECT_EQ(client.close_reason, CloseReason::kConsentExpired);
  EXPECT_GT(server_node.Demux().GetCounters().unknown_ufrag, 0u);  // the unanswered checks
}

TEST_F(WebRtcTransportTest, CloseNotify_ClosesTheOtherSide) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  for (const bool client_closes : {true, false}) {
    SCOPED_TRACE(client_closes ? "client closes" : "server closes");
    Peer server, client;
    Create(server, Role::kServer, server_node, *server_context);
    Create(client, Role::kClient, client_node, *client_context);
    ASSERT_TRUE(Connect(client, server));
    Peer& closer = client_closes ? client : server;
    Peer& other = client_closes ? server : client;
    closer.T().Close();
    EXPECT_TRUE(closer.T().IsClosed());
    EXPECT_EQ(closer.T().GetCloseReason(), CloseReason::kLocal);
    EXPECT_EQ(closer.closed, 0);  // no callback for the owner's own Close()
    ASSERT_TRUE(RunUntil([&] { return other.closed > 0; }, std::chrono::seconds(2)));
    EXPECT_EQ(other.close_reason, CloseReason::kDtlsClosed);
    EXPECT_FALSE(other.T().SendRtpPacket(MakeRtp(1, 1)));
    EXPECT_FALSE(closer.T().SendRtpPacket(MakeRtp(1, 1)));
    peers_.clear();
    server.transport.reset();
    client.transport.reset();
    EXPECT_EQ(server_node.Demux().UfragCount() + client_node.Demux().UfragCount(), 0u);
    EXPECT_EQ(server_node.Demux().RemoteCount() + client_node.Demux().RemoteCount(), 0u);
  }
}

TEST_F(WebRtcTransportTest, WrongFingerprint_FailsBothSides_WithTheReason) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);
  const DtlsCertificate impostor = DtlsCertificate::Generate();
  GiveRemoteParameters(client.T(), server.T());
  GiveRemoteParameters(server.T(), client.T(), impostor.Sha256Fingerprint());
  ASSERT_TRUE(RunUntil([&] { return client.closed > 0 && server.closed > 0; }));
  EXPECT_EQ(client.close_reason, CloseReason::kDtlsFailed);
  EXPECT_NE(client.close_detail.find("does not match the remote SDP fingerprint"),
            std::string::npos)
      << client.close_detail;
  EXPECT_NE(client.close_detail.find(impostor.SdpFingerprint()), std::string::npos);
  EXPECT_EQ(server.close_reason, CloseReason::kDtlsFailed);
  EXPECT_NE(server.close_detail.find("alert"), std::string::npos) << server.close_detail;
  EXPECT_EQ(client.connected + server.connected, 0);
  EXPECT_EQ(client.ice_connected, 1);  // ICE itself was fine
}

TEST_F(WebRtcTransportTest, IceFailure_ClosesTheClient_WhenNoCandidateAnswers) {
  auto client_context = MakeContext(*client_certificate_);
  Node client_node(io_);
  Node deaf_node(io_);  // a socket whose demux knows no transport: it answers nothing
  Peer client;
  WebRtcTransport::Options options;
  options.ice_client.initial_rto_ms = 20;
  options.ice_client.max_transmissions = 3;
  options.ice_client.final_wait_ms = 60;
  Create(client, Role::kClient, client_node, *client_context, options);
  IceCandidate candidate;
  candidate.foundation = "1";
  candidate.priority = 1;
  candidate.endpoint = deaf_node.Address();
  client.T().SetRemoteDtlsParameters(DtlsTransport::Role::kClient,
                                     server_certificate_->Sha256Fingerprint());
  client.T().SetRemoteIceParameters({"abcd", "0123456789012345678901"},
                                    std::span<const IceCandidate>(&candidate, 1));
  ASSERT_TRUE(RunUntil([&] { return client.closed > 0; }, std::chrono::seconds(2)));
  EXPECT_EQ(client.close_reason, CloseReason::kIceFailed);
  EXPECT_EQ(deaf_node.Demux().GetCounters().unknown_ufrag, 3u);
  EXPECT_EQ(client.ice_connected, 0);
}

TEST_F(WebRtcTransportTest, ConnectTimeout_ClosesAServerNobodyConnectsTo) {
  auto context = MakeContext(*server_certificate_);
  Node node(io_);
  Peer server;
  WebRtcTransport::Options options;
  options.connect_timeout_ms = 100;
  Create(server, Role::kServer, node, *context, options);
  ASSERT_TRUE(RunUntil([&] { return server.closed > 0; }, std::chrono::seconds(1)));
  EXPECT_EQ(server.close_reason, CloseReason::kConnectTimeout);
}

TEST_F(WebRtcTransportTest, Garbage_ForgedStun_StrayDtls_BadSrtp_AreDroppedAndCounted) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_), rogue_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);
  ASSERT_TRUE(Connect(client, server));
  ExchangeRtp(client, server, 10, 0xC1, 0x5E);

  // Capture the next protected packet from the client as it arrives at the server.
  Bytes captured;
  server_node.tap.on_packet = [&](std::span<const uint8_t> data, const net::Endpoint&) {
    if (captured.empty() && data[0] >= 128 && data[0] <= 191 && (data[1] & 0x7f) == 96) {
      captured.assign(data.begin(), data.end());
    }
  };
  ExchangeRtp(client, server, 1, 0xC1, 0x5E);
  server_node.tap.on_packet = nullptr;
  ASSERT_FALSE(captured.empty());

  const auto server_address = server_node.Address();
  const auto& demux = server_node.Demux().GetCounters();
  const auto& ice = server.T().GetIceServer()->GetCounters();
  const uint64_t responses_before = ice.responses_sent;

  // 1. Garbage from a stranger: first byte in no RFC 7983 range.
  rogue_node.socket->Send(Bytes{0x70, 1, 2, 3, 4, 5, 6, 7}, server_address);
  // 2. A forged Binding request: the server's ufrag, but not its password.
  StunTransactionId tid{};
  base::RandomBytes(tid);
  std::array<uint8_t, 256> stun{};
  const size_t stun_size = StunMessageBuilder(stun, StunClass::kRequest, kStunMethodBinding, tid)
                               .AddUsername(server.T().LocalIceParameters().ufrag + ":" + "evil")
                               .AddPriority(IceClient::CheckPriority())
                               .AddIceControlling(42)
                               .AddUseCandidate()
                               .AddMessageIntegrity(std::string_view("not-the-password-at-all"))
                               .AddFingerprint()
                               .Finish();
  ASSERT_GT(stun_size, 0u);
  rogue_node.socket->Send(std::span<const uint8_t>(stun.data(), stun_size), server_address);
  // 3. DTLS from an address ICE never validated: the demux knows no such tuple ...
  const Bytes dtls_record = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0};
  rogue_node.socket->Send(dtls_record, server_address);
  // 4. SRTP from the selected tuple with a broken tag, then a replay of a real packet.
  // (libsrtp checks the replay window before the tag, so the forgery claims an unseen index.)
  Bytes tampered = captured;
  base::Write16(tampered.data() + 2,
                static_cast<uint16_t>(base::Read16(captured.data() + 2) + 100));
  client_node.socket->Send(tampered, server_address);
  client_node.socket->Send(captured, server_address);
  // 5. Too short to be RTP, from the selected tuple.
  client_node.socket->Send(Bytes{0x80, 96, 0, 1, 0}, server_address);

  ASSERT_TRUE(RunUntil([&] {
    return demux.garbage == 1 && ice.bad_integrity == 1 && demux.not_stun_no_tuple == 1 &&
           server.Drops().srtp_auth == 1 && server.Drops().srtp_replay == 1 &&
           server.Drops().malformed == 1;
  })) << "garbage "
      << demux.garbage << ", bad_integrity " << ice.bad_integrity << ", not_stun_no_tuple "
      << demux.not_stun_no_tuple << ", srtp_auth " << server.Drops().srtp_auth << ", srtp_replay "
      << server.Drops().srtp_replay << ", malformed " << server.Drops().malformed;
  // ... and handed to the transport directly it is refused there too.
  Bytes stray = dtls_record;
  server.T().ReceivePacket(stray, rogue_node.Address());
  EXPECT_EQ(server.Drops().dtls_unknown_address, 1u);
  // SRTP from another address than the selected tuple.
  Bytes stray_srtp = captured;
  server.T().ReceivePacket(stray_srtp, rogue_node.Address());
  EXPECT_EQ(server.Drops().rtp_unknown_address, 1u);

  RunFor(std::chrono::milliseconds(50));
  EXPECT_EQ(ice.responses_sent, responses_before);  // nothing answered to the forgery
  EXPECT_EQ(rogue_node.socket->GetCounters().packets_in, 0u);
  EXPECT_EQ(server.rtp.size(), 11u);  // none of it reached the listener

  // The session goes on undisturbed.
  EXPECT_TRUE(server.T().IsConnected());
  EXPECT_TRUE(client.T().IsConnected());
  ExchangeRtp(client, server, 100, 0xC1, 0x5E);
  EXPECT_EQ(server.closed + client.closed, 0);
  EXPECT_EQ(client.Drops().srtp_auth + client.Drops().srtp_replay, 0u);
}

TEST_F(WebRtcTransportTest, Listener_MayCloseFromACallback_AndTheOwnerDestroysLater) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);
  ASSERT_TRUE(Connect(client, server));

  // The server's listener closes its transport on the third packet and defers destruction.
  bool destroyed = false;
  server.on_rtp = [&](WebRtcTransport& transport, std::span<uint8_t>) {
    if (server.rtp.size() != 3) return;
    transport.Close();
    EXPECT_FALSE(transport.SendRtpPacket(MakeRtp(9, 9)));  // refused, not a crash
    boost::asio::post(io_, [&] {
      server.transport.reset();
      destroyed = true;
    });
  };
  for (uint16_t seq = 0; seq < 10; ++seq)
    ASSERT_TRUE(client.T().SendRtpPacket(MakeRtp(7, seq)));  // one burst: arrives in one batch
  ASSERT_TRUE(RunUntil([&] { return destroyed && client.closed > 0; }, std::chrono::seconds(2)));
  EXPECT_EQ(server.rtp.size(), 3u);
  EXPECT_EQ(client.close_reason, CloseReason::kDtlsClosed);
  // The rest of the burst (and the client's answering close_notify) found no transport.
  EXPECT_GE(server_node.Demux().GetCounters().not_stun_no_tuple, 7u);
  EXPECT_EQ(server_node.Demux().UfragCount(), 0u);
  EXPECT_EQ(server_node.Demux().RemoteCount(), 0u);
}

TEST_F(WebRtcTransportTest, IceRestart_KeepsTheMediaFlowing) {
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_), client_node(io_);
  Peer server, client;
  Create(server, Role::kServer, server_node, *server_context);
  Create(client, Role::kClient, client_node, *client_context);
  ASSERT_TRUE(Connect(client, server));
  const IceParameters old_server_ice = server.T().LocalIceParameters();
  const IceParameters old_client_ice = client.T().LocalIceParameters();
  const auto checks_before = server.T().GetIceServer()->GetCounters().requests;

  // Media flows while the offer/answer of the restart goes back and forth.
  size_t sent = 0;
  auto send_some = [&](size_t n) {
    for (size_t i = 0; i < n; ++i, ++sent) {
      ASSERT_TRUE(client.T().SendRtpPacket(MakeRtp(0xAA, static_cast<uint16_t>(sent))));
      ASSERT_TRUE(server.T().SendRtpPacket(MakeRtp(0xBB, static_cast<uint16_t>(sent))));
    }
    RunFor(std::chrono::milliseconds(5));
  };
  send_some(20);
  const IceParameters new_client_ice = client.T().RestartIce();  // the new offer
  send_some(20);
  const IceParameters new_server_ice = server.T().RestartIce();  // the new answer
  EXPECT_NE(new_client_ice.ufrag, old_client_ice.ufrag);
  EXPECT_NE(new_server_ice.ufrag, old_server_ice.ufrag);
  EXPECT_NE(new_server_ice.password, old_server_ice.password);
  server.T().SetRemoteIceParameters(new_client_ice);
  send_some(20);
  client.T().SetRemoteIceParameters(new_server_ice, server.T().LocalCandidates());
  for (int i = 0; i < 10; ++i)
    send_some(10);
  ASSERT_TRUE(RunUntil([&] {
    return client.T().GetIceClient()->GetState() == IceClient::State::kConnected &&
           server_node.Demux().FindByUfrag(old_server_ice.ufrag) == nullptr;
  }));
  send_some(20);
  ASSERT_TRUE(RunUntil([&] { return server.rtp.size() == sent && client.rtp.size() == sent; }))
      << server.rtp.size() << " and " << client.rtp.size() << " of " << sent;

  EXPECT_GT(server.T().GetIceServer()->GetCounters().requests, checks_before);
  EXPECT_EQ(server_node.Demux().FindByUfrag(new_server_ice.ufrag), server.transport.get());
  EXPECT_EQ(client_node.Demux().FindByUfrag(old_client_ice.ufrag), nullptr);
  EXPECT_EQ(client_node.Demux().FindByUfrag(new_client_ice.ufrag), client.transport.get());
  EXPECT_TRUE(server.T().IsConnected());
  EXPECT_TRUE(client.T().IsConnected());
  EXPECT_EQ(server.connected, 1);  // the same DTLS association throughout
  EXPECT_EQ(client.connected, 1);
  ExpectNoDrops(server);
  ExpectNoDrops(client);
}

TEST_F(WebRtcTransportTest, HundredClients_OnOneServerSocket_AreDemultiplexed) {
  constexpr size_t kClients = 100;
  constexpr size_t kPackets = 5;
  auto server_context = MakeContext(*server_certificate_);
  auto client_context = MakeContext(*client_certificate_);
  Node server_node(io_);
  net::UdpSocket::Options small;
  small.batch_size = 8;
  small.send_queue_size = 32;
  small.receive_buffer_bytes = 256 << 10;
  small.send_buffer_bytes = 256 << 10;
  std::vector<std::unique_ptr<Node>> client_nodes;
  std::vector<std::unique_ptr<Peer>> servers, clients;
  for (size_t i = 0; i < kClients; ++i) {
    client_nodes.push_back(std::make_unique<Node>(io_, small));
    servers.push_back(std::make_unique<Peer>());
    clients.push_back(std::make_unique<Peer>());
    Create(*servers[i], Role::kServer, server_node, *server_context);
    Create(*clients[i], Role::kClient, *client_nodes[i], *client_context);
    GiveRemoteParameters(clients[i]->T(), servers[i]->T());
    GiveRemoteParameters(servers[i]->T(), clients[i]->T());
  }
  EXPECT_EQ(server_node.Demux().UfragCount(), kClients);
  ASSERT_TRUE(RunUntil(
      [&] {
        for (size_t i = 0; i < kClients; ++i) {
          if (!servers[i]->T().IsConnected() || !clients[i]->T().IsConnected()) return false;
        }
        return true;
      },
      std::chrono::seconds(20)));
  EXPECT_EQ(server_node.Demux().RemoteCount(), kClients);

  for (size_t i = 0; i < kClients; ++i) {
    for (size_t n = 0; n < kPackets; ++n) {
      ASSERT_TRUE(clients[i]->T().SendRtpPacket(
          MakeRtp(static_cast<uint32_t>(i + 1), static_cast<uint16_t>(n))));
      ASSERT_TRUE(servers[i]->T().SendRtpPacket(
          MakeRtp(static_cast<uint32_t>(1000 + i), static_cast<uint16_t>(n))));
    }
    if (i % 10 == 9) RunFor(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(RunUntil([&] {
    for (size_t i = 0; i < kClients; ++i) {
      if (servers[i]->rtp.size() < kPackets || clients[i]->rtp.size() < kPackets) return false;
    }
    return true;
  }));
  RunFor(std::chrono::milliseconds(20));
  for (size_t i = 0; i < kClients; ++i) {
    ASSERT_EQ(servers[i]->rtp.size(), kPackets) << i;
    ASSERT_EQ(clients[i]->rtp.size(), kPackets) << i;
    for (const auto& packet : servers[i]->rtp)
      ASSERT_EQ(SsrcOf(packet), i + 1) << "server transport " << i << " got another's packet";
    for (const auto& packet : clients[i]->rtp)
      ASSERT_EQ(SsrcOf(packet), 1000 + i) << "client " << i << " got another's packet";
    ExpectNoDrops(*servers[i]);
  }
  const auto& demux = server_node.Demux().GetCounters();
  EXPECT_EQ(demux.garbage + demux.unknown_ufrag + demux.unknown_tuple + demux.not_stun_no_tuple +
                demux.remote_takeovers,
            0u);

  // Destroying the transports leaves nothing behind in the demux.
  peers_.clear();
  servers.clear();
  EXPECT_EQ(server_node.Demux().UfragCount(), 0u);
  EXPECT_EQ(server_node.Demux().RemoteCount(), 0u);
}

TEST(WebRtcTransportOptions, RejectsAnAnnouncedIpThatIsNoAddress) {
  boost::asio::io_context io;
  Tap tap;
  net::UdpSocket socket(io, Loopback(), tap);
  const auto certificate = DtlsCertificate::Generate();
  DtlsTransport::Context context(certificate);
  struct : WebRtcTransport::Listener {
    void OnTransportIceConnected(WebRtcTransport&) override {}
    void OnTransportConnected(WebRtcTransport&) override {}
    void OnTransportClosed(WebRtcTransport&, CloseReason, std::string_view) override {}
    void OnTransportRtpPacket(WebRtcTransport&, std::span<uint8_t>) override {}
    void OnTransportRtcpPacket(WebRtcTransport&, std::span<uint8_t>) override {}
  } listener;
  WebRtcTransport::Options options;
  options.announced_ips = {"media.example.com"};
  EXPECT_THROW(WebRtcTransport(WebRtcTransport::Role::kServer, socket, tap.demux, context, listener,
                               options),
               std::invalid_argument);
  EXPECT_EQ(tap.demux.UfragCount(), 0u);

  options.announced_ips = {"192.0.2.10", "2001:db8::1"};
  WebRtcTransport transport(WebRtcTransport::Role::kServer, socket, tap.demux, context, listener,
                            options);
  ASSERT_EQ(transport.LocalCandidates().size(), 2u);
  EXPECT_EQ(transport.LocalCandidates()[0].endpoint.AddressString(), "192.0.2.10");
  EXPECT_EQ(transport.LocalCandidates()[0].endpoint.Port(), socket.LocalEndpoint().Port());
  EXPECT_EQ(transport.LocalCandidates()[1].endpoint.AddressString(), "2001:db8::1");
  EXPECT_GT(transport.LocalCandidates()[0].priority, transport.LocalCandidates()[1].priority);
  EXPECT_NE(transport.LocalCandidates()[0].foundation, transport.LocalCandidates()[1].foundation);
  EXPECT_EQ(tap.demux.FindByUfrag(transport.LocalIceParameters().ufrag), &transport);
}

}  // namespace
}  // namespace tributary::rtc
