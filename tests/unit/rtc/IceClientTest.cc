#include "rtc/IceClient.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "IceWire.h"
#include "rtc/IceServer.h"
#include "rtc/StunMessage.h"

namespace tributary::rtc {
namespace {

using testing::HostCandidate;
using testing::IceWire;

const net::Endpoint kClient = *net::Endpoint::ParseHostPort("127.0.0.1:40000");
const net::Endpoint kServer = *net::Endpoint::ParseHostPort("127.0.0.1:50000");
const net::Endpoint kServer6 = *net::Endpoint::ParseHostPort("[::1]:50000");
constexpr const char* kServerUfrag = "srvUfrag";
constexpr const char* kServerPassword = "srvPassword0123456789abc";
constexpr const char* kClientUfrag = "cliUfrag";
constexpr const char* kClientPassword = "cliPassword0123456789abc";

class IceClientTest : public ::testing::Test {
 protected:
  IceClientTest()
      : wire_(kClient),
        server_(wire_, kServerUfrag, kServerPassword),
        client_(wire_, kClientUfrag, kClientPassword) {
    wire_.SetServer(&server_, {kServer, kServer6});
    wire_.SetClient(&client_);
    client_.SetRemoteCredentials(kServerUfrag, kServerPassword);
  }

  // Runs Tick at every NextTickMs() (or every 1 ms with `step`) until `until`.
  void RunUntil(uint64_t until) {
    while (true) {
      const uint64_t next = client_.NextTickMs();
      if (next > until) break;
      now_ = std::max(now_, next);
      client_.Tick(now_);
      wire_.Pump(now_);
    }
    now_ = until;
  }

  std::vector<StunMessage> SentRequests() {
    std::vector<StunMessage> out;
    for (const auto& d : wire_.client_sent)
      out.push_back(*StunMessage::Parse(d.bytes));
    return out;
  }

  IceWire wire_;
  IceServer server_;
  IceClient client_;
  uint64_t now_ = 0;
};

TEST_F(IceClientTest, ChecksCarryTheIceAttributes_AndConnect) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  client_.Start(0);
  ASSERT_EQ(wire_.client_sent.size(), 1u);
  auto request = StunMessage::Parse(wire_.client_sent[0].bytes);
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->IsBindingRequest());
  EXPECT_EQ(request->Username(), "srvUfrag:cliUfrag");
  EXPECT_EQ(request->Priority(), IceClient::CheckPriority());
  EXPECT_EQ(request->Priority(), (110u << 24) | (65535u << 8) | 255u);
  EXPECT_EQ(request->IceControlling(), client_.TieBreaker());
  EXPECT_TRUE(request->HasUseCandidate());
  EXPECT_TRUE(request->CheckIntegrity(std::string_view(kServerPassword)));
  EXPECT_TRUE(request->CheckFingerprint());
  EXPECT_EQ(client_.GetState(), IceClient::State::kChecking);

  wire_.Pump(5);
  ASSERT_EQ(wire_.client_connected.size(), 1u);
  EXPECT_EQ(wire_.client_connected[0], kServer);
  EXPECT_EQ(client_.GetState(), IceClient::State::kConnected);
  EXPECT_EQ(client_.SelectedRemote(), kServer);
  EXPECT_EQ(client_.GetCounters().success_responses, 1u);
}

TEST_F(IceClientTest, RetransmitsWithDoublingRto_ThenFails) {
  wire_.drop = [](const testing::Datagram&) { return true; };
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  client_.Start(0);
  std::vector<uint64_t> send_times = {0};
  size_t seen = 1;
  for (uint64_t t = 1; t <= 10000 && wire_.client_failed == 0; ++t) {
    client_.Tick(t);
    wire_.Pump(t);
    while (seen < wire_.client_sent.size()) {
      send_times.push_back(t);
      ++seen;
    }
    if (wire_.client_failed != 0) {
      EXPECT_EQ(t, 6300u) << "failure time";
    }
  }
  // RTO 100 ms doubling, capped at 1600 ms; 7 transmissions; then 1600 ms for the last answer.
  EXPECT_EQ(send_times, (std::vector<uint64_t>{0, 100, 300, 700, 1500, 3100, 4700}));
  EXPECT_EQ(wire_.client_failed, 1);
  EXPECT_EQ(client_.GetState(), IceClient::State::kFailed);
  EXPECT_EQ(client_.GetCounters().retransmissions, 6u);
  // Retransmissions reuse the transaction id (RFC 8489 6.2.1).
  const auto requests = SentRequests();
  for (const auto& r : requests) {
    EXPECT_TRUE(std::equal(r.TransactionId().begin(), r.TransactionId().end(),
                           requests[0].TransactionId().begin()));
  }
  EXPECT_EQ(client_.NextTickMs(), UINT64_MAX);
}

TEST_F(IceClientTest, ConnectsAfterALostCheck_OnTheRetransmission) {
  int to_drop = 1;
  wire_.drop = [&](const testing::Datagram& d) { return d.to_server && to_drop-- > 0; };
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  client_.Start(0);
  wire_.Pump(0);
  EXPECT_TRUE(wire_.client_connected.empty());
  RunUntil(100);
  ASSERT_EQ(wire_.client_connected.size(), 1u);
  EXPECT_EQ(client_.GetCounters().retransmissions, 1u);
}

TEST_F(IceClientTest, PacesChecksInPriorityOrder_AndFallsBackToAWorkingCandidate) {
  // Highest priority first: a dead address, then IPv6, then IPv4.
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000", 100)));
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.9:9", 300)));
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("[::1]:50000", 200)));
  wire_.drop = [](const testing::Datagram& d) { return d.to == kServer6; };  // v6 blackholed
  client_.Start(0);
  RunUntil(100);
  // First checks 50 ms apart (Ta), in priority order; retransmissions interleave.
  std::vector<net::Endpoint> order;
  for (const auto& d : wire_.client_sent) {
    if (std::find(order.begin(), order.end(), d.to) == order.end()) order.push_back(d.to);
  }
  EXPECT_EQ(order, (std::vector<net::Endpoint>{*net::Endpoint::ParseHostPort("127.0.0.9:9"),
                                               kServer6, kServer}));
  EXPECT_EQ(client_.GetCounters().checks_sent, 3u);
  EXPECT_EQ(client_.GetCounters().retransmissions, 1u);  // the dead one's, at 100 ms
  ASSERT_EQ(wire_.client_connected.size(), 1u);
  EXPECT_EQ(wire_.client_connected[0], kServer);
  EXPECT_EQ(server_.SelectedTuple()->remote, kClient);
  // Nothing more goes to the other candidates once connected.
  const size_t sent = wire_.client_sent.size();
  RunUntil(3000);
  EXPECT_EQ(wire_.client_sent.size(), sent);
}

TEST_F(IceClientTest, ConnectsOverIpv6) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("[::1]:50000")));
  client_.Start(0);
  wire_.Pump(0);
  ASSERT_EQ(wire_.client_connected.size(), 1u);
  EXPECT_EQ(wire_.client_connected[0], kServer6);
}

TEST_F(IceClientTest, IgnoresTcpCandidates_OtherComponents_AndDisabledFamilies) {
  auto tcp = HostCandidate("127.0.0.1:50000");
  tcp.transport = IceCandidate::Transport::kTcp;
  EXPECT_FALSE(client_.AddRemoteCandidate(tcp));
  auto rtcp = HostCandidate("127.0.0.1:50001");
  rtcp.component = 2;
  EXPECT_FALSE(client_.AddRemoteCandidate(rtcp));
  EXPECT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  EXPECT_FALSE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));  // duplicate

  IceClient v4_only(wire_, "a", "b", {.ipv6 = false});
  EXPECT_FALSE(v4_only.AddRemoteCandidate(HostCandidate("[::1]:50000")));
  EXPECT_TRUE(v4_only.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
}

TEST_F(IceClientTest, FailsAtOnce_WithoutCandidates) {
  client_.Start(0);
  EXPECT_EQ(wire_.client_failed, 1);
  EXPECT_EQ(client_.GetState(), IceClient::State::kFailed);
}

TEST_F(IceClientTest, DropsResponses_WithBadIntegrityOrAnUnknownTransaction) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  wire_.drop = [](const testing::Datagram& d) { return d.to_server; };
  client_.Start(0);
  wire_.Pump(0);
  const auto request = *StunMessage::Parse(wire_.client_sent[0].bytes);

  std::array<uint8_t, 128> buf{};
  auto respond = [&](std::span<const uint8_t, 12> tid, std::string_view password) {
    const size_t n = StunMessageBuilder(buf, StunClass::kSuccessResponse, kStunMethodBinding, tid)
                         .AddXorMappedAddress(kClient)
                         .AddMessageIntegrity(password)
                         .AddFingerprint()
                         .Finish();
    wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
    wire_.Pump(1);
  };
  respond(request.TransactionId(), "not-the-password");
  EXPECT_EQ(client_.GetCounters().bad_integrity, 1u);
  StunTransactionId other{};
  respond(other, kServerPassword);
  EXPECT_EQ(client_.GetCounters().unknown_transaction, 1u);
  EXPECT_TRUE(wire_.client_connected.empty());
  respond(request.TransactionId(), kServerPassword);
  EXPECT_EQ(wire_.client_connected.size(), 1u);
}

TEST_F(IceClientTest, AnswersThePeersChecks) {
  // What a full agent on the other side (aioice, a browser) sends: "<our ufrag>:<theirs>",
  // signed with our password.
  std::array<uint8_t, 256> buf{};
  StunTransactionId tid;
  tid.fill(3);
  const size_t n = StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                       .AddUsername("cliUfrag:srvUfrag")
                       .AddPriority(12345)
                       .AddIceControlled(7)
                       .AddMessageIntegrity(std::string_view(kClientPassword))
                       .AddFingerprint()
                       .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(0);
  ASSERT_EQ(wire_.client_sent.size(), 1u);
  auto response = StunMessage::Parse(wire_.client_sent[0].bytes);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Class(), StunClass::kSuccessResponse);
  EXPECT_EQ(response->TransactionId()[0], 3);
  EXPECT_EQ(response->XorMappedAddress(), kServer);
  EXPECT_TRUE(response->CheckIntegrity(std::string_view(kClientPassword)));
  EXPECT_TRUE(response->CheckFingerprint());
  EXPECT_EQ(client_.GetCounters().requests_received, 1u);

  // Signed with the wrong password: dropped.
  const size_t m = StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
                       .AddUsername("cliUfrag:srvUfrag")
                       .AddIceControlled(7)
                       .AddMessageIntegrity(std::string_view(kServerPassword))
                       .AddFingerprint()
                       .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), m));
  wire_.Pump(0);
  EXPECT_EQ(client_.GetCounters().bad_integrity, 1u);
  EXPECT_EQ(wire_.client_sent.size(), 1u);
}

TEST_F(IceClientTest, SwitchesToControlled_OnRoleConflict_AndWaitsForTheNomination) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  wire_.drop = [](const testing::Datagram& d) { return d.to_server; };
  client_.Start(0);
  wire_.Pump(0);
  const auto request = *StunMessage::Parse(wire_.client_sent[0].bytes);

  // The peer answers 487: it is controlling and won.
  std::array<uint8_t, 256> buf{};
  size_t n = StunMessageBuilder(buf, StunClass::kErrorResponse, kStunMethodBinding,
                                request.TransactionId())
                 .AddErrorCode(487, "Role Conflict")
                 .AddMessageIntegrity(std::string_view(kServerPassword))
                 .AddFingerprint()
                 .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(1);
  EXPECT_FALSE(client_.IsControlling());
  ASSERT_EQ(wire_.client_sent.size(), 2u);
  const auto recheck = *StunMessage::Parse(wire_.client_sent[1].bytes);
  EXPECT_TRUE(recheck.IceControlled());
  EXPECT_FALSE(recheck.HasUseCandidate());

  // Our check succeeds, but only the peer's nomination selects the pair.
  n = StunMessageBuilder(buf, StunClass::kSuccessResponse, kStunMethodBinding,
                         recheck.TransactionId())
          .AddXorMappedAddress(kClient)
          .AddMessageIntegrity(std::string_view(kServerPassword))
          .AddFingerprint()
          .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(2);
  EXPECT_TRUE(wire_.client_connected.empty());
  StunTransactionId tid;
  tid.fill(9);
  n = StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, tid)
          .AddUsername("cliUfrag:srvUfrag")
          .AddIceControlling(1)
          .AddUseCandidate()
          .AddMessageIntegrity(std::string_view(kClientPassword))
          .AddFingerprint()
          .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(3);
  ASSERT_EQ(wire_.client_connected.size(), 1u);
  EXPECT_EQ(wire_.client_connected[0], kServer);
}

TEST_F(IceClientTest, GivesUp_WhenThePeerAnswersRoleConflictToEveryRole) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  wire_.drop = [](const testing::Datagram& d) { return d.to_server; };
  client_.Start(0);
  wire_.Pump(0);
  std::array<uint8_t, 256> buf{};
  for (int i = 0; i < 20 && client_.GetState() == IceClient::State::kChecking; ++i) {
    const auto last = *StunMessage::Parse(wire_.client_sent.back().bytes);
    const size_t n =
        StunMessageBuilder(buf, StunClass::kErrorResponse, kStunMethodBinding, last.TransactionId())
            .AddErrorCode(487, "Role Conflict")
            .AddMessageIntegrity(std::string_view(kServerPassword))
            .AddFingerprint()
            .Finish();
    wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
    wire_.Pump(1);
  }
  EXPECT_EQ(client_.GetState(), IceClient::State::kFailed);
  EXPECT_EQ(wire_.client_failed, 1);
  EXPECT_EQ(client_.GetCounters().role_conflicts, 8u);
}

TEST_F(IceClientTest, KeepsItsRole_WhenItsTieBreakerIsLarger) {
  IceClient client(wire_, kClientUfrag, kClientPassword, {}, /*tie_breaker=*/1000);
  wire_.SetClient(&client);
  std::array<uint8_t, 256> buf{};
  const size_t n =
      StunMessageBuilder(buf, StunClass::kRequest, kStunMethodBinding, StunTransactionId{})
          .AddUsername("cliUfrag:x")
          .AddIceControlling(999)
          .AddMessageIntegrity(std::string_view(kClientPassword))
          .AddFingerprint()
          .Finish();
  wire_.InjectToClient(kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(0);
  ASSERT_EQ(wire_.client_sent.size(), 1u);
  auto response = StunMessage::Parse(wire_.client_sent[0].bytes);
  ASSERT_TRUE(response && response->ErrorCode());
  EXPECT_EQ(response->ErrorCode()->code, 487);
  EXPECT_TRUE(client.IsControlling());
}

TEST_F(IceClientTest, SendsConsentChecksEveryFourToSixSeconds_AndDisconnectsWithoutAnswers) {
  ASSERT_TRUE(client_.AddRemoteCandidate(HostCandidate("127.0.0.1:50000")));
  client_.Start(0);
  wire_.Pump(0);
  ASSERT_EQ(client_.GetState(), IceClient::State::kConnected);
  const size_t before = wire_.client_sent.size();
  std::vector<uint64_t> times;
  for (uint64_t t = 1; t <= 60000; ++t) {
    client_.Tick(t);
    wire_.Pump(t);
    if (wire_.client_sent.size() > before + times.size()) times.push_back(t);
  }
  ASSERT_GE(times.size(), 10u);
  uint64_t previous = 0;
  for (uint64_t t : times) {
    EXPECT_GE(t - previous, 4000u);
    EXPECT_LE(t - previous, 6000u);
    previous = t;
  }
  // Consent checks are fresh transactions, never retransmitted.
  EXPECT_EQ(client_.GetCounters().retransmissions, 0u);
  EXPECT_EQ(client_.GetCounters().consent_checks_sent, times.size());

  wire_.drop = [](const testing::Datagram& d) { return !d.to_server; };  // answers are lost
  const uint64_t last_ok = 60000;
  uint64_t disconnected_at = 0;
  for (uint64_t t = 60001; t <= 100000 && disconnected_at == 0; ++t) {
    client_.Tick(t);
    wire_.Pump(t);
    if (wire_.client_disconnected) disconnected_at = t;
  }
  // The last answered consent check was at most 6 s before the answers stopped.
  EXPECT_GT(disconnected_at, last_ok + 30000 - 6000);
  EXPECT_LE(disconnected_at, last_ok + 30000);
  EXPECT_EQ(client_.GetState(), IceClient::State::kDisconnected);
}

}  // namespace
}  // namespace tributary::rtc
