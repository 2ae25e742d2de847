#include "rtc/IceServer.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "IceWire.h"
#include "rtc/IceClient.h"
#include "rtc/StunMessage.h"

namespace tributary::rtc {
namespace {

using testing::IceWire;

const net::Endpoint kClient = *net::Endpoint::ParseHostPort("127.0.0.1:40000");
const net::Endpoint kClient2 = *net::Endpoint::ParseHostPort("127.0.0.1:40002");
const net::Endpoint kServer = *net::Endpoint::ParseHostPort("127.0.0.1:50000");
constexpr const char* kUfrag = "srvUfrag";
constexpr const char* kPassword = "srvPassword0123456789abc";

struct RequestSpec {
  std::string username = std::string(kUfrag) + ":cli";
  std::string password = kPassword;
  bool use_candidate = false;
  bool controlled = false;  // ICE-CONTROLLED instead of ICE-CONTROLLING
  bool fingerprint = true;
  uint16_t extra_attribute = 0;  // appended before MESSAGE-INTEGRITY when non-zero
  uint8_t tid_seed = 1;
};

std::vector<uint8_t> BuildRequest(const RequestSpec& spec) {
  std::array<uint8_t, 256> buf{};
  StunTransactionId tid;
  tid.fill(spec.tid_seed);
  StunMessageBuilder b(buf, StunClass::kRequest, kStunMethodBinding, tid);
  b.AddUsername(spec.username).AddPriority(0x6e7fffff);
  if (spec.controlled) {
    b.AddIceControlled(42);
  } else {
    b.AddIceControlling(42);
  }
  if (spec.use_candidate) b.AddUseCandidate();
  if (spec.extra_attribute != 0) b.AddAttribute(spec.extra_attribute, {});
  b.AddMessageIntegrity(std::string_view(spec.password));
  if (spec.fingerprint) b.AddFingerprint();
  const size_t n = b.Finish();
  return {buf.begin(), buf.begin() + static_cast<long>(n)};
}

class IceServerTest : public ::testing::Test {
 protected:
  IceServerTest() : wire_(kClient), server_(wire_, kUfrag, kPassword) {
    wire_.SetServer(&server_, {kServer});
  }
  void Send(const RequestSpec& spec, const net::Endpoint& from = kClient, uint64_t now = 0) {
    wire_.InjectToServer(from, kServer, BuildRequest(spec));
    // The client side of this wire has no agent: responses are only recorded.
    wire_.Pump(now);
  }
  std::optional<StunMessage> LastResponse() {
    if (wire_.server_sent.empty()) return std::nullopt;
    return StunMessage::Parse(wire_.server_sent.back().bytes);
  }

  IceWire wire_;
  IceServer server_;
};

TEST_F(IceServerTest, AnswersAValidCheck_WithXorMappedAddressIntegrityAndFingerprint) {
  Send({.tid_seed = 7});
  ASSERT_EQ(wire_.server_sent.size(), 1u);
  EXPECT_EQ(wire_.server_sent[0].to, kClient);
  auto response = LastResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Class(), StunClass::kSuccessResponse);
  EXPECT_EQ(response->TransactionId()[0], 7);
  EXPECT_EQ(response->XorMappedAddress(), kClient);
  EXPECT_TRUE(response->CheckIntegrity(std::string_view(kPassword)));
  EXPECT_TRUE(response->CheckFingerprint());
  EXPECT_EQ(server_.GetCounters().requests, 1u);
  EXPECT_EQ(server_.GetCounters().responses_sent, 1u);
}

TEST_F(IceServerTest, AnswersTheAioiceCapture) {
  // The Binding request captured from aioice (see StunMessageTest.cc), from 127.0.0.1:59896.
  const std::vector<uint8_t> capture = {
      0x00, 0x01, 0x00, 0x4c, 0x21, 0x12, 0xa4, 0x42, 0x9b, 0xfe, 0x30, 0xd0, 0x3f, 0xc1,
      0xea, 0xad, 0x25, 0x7a, 0x39, 0x7b, 0x00, 0x06, 0x00, 0x0d, 0x73, 0x72, 0x76, 0x55,
      0x66, 0x72, 0x61, 0x67, 0x3a, 0x36, 0x6f, 0x77, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x24,
      0x00, 0x04, 0x6e, 0xff, 0xff, 0xff, 0x80, 0x2a, 0x00, 0x08, 0x4d, 0x12, 0x69, 0x05,
      0xcb, 0xda, 0x9a, 0x86, 0x00, 0x25, 0x00, 0x00, 0x00, 0x08, 0x00, 0x14, 0x73, 0xbf,
      0xc4, 0xf1, 0x68, 0x56, 0x83, 0x5d, 0x04, 0x4d, 0x75, 0xe3, 0x80, 0x5f, 0xc5, 0x14,
      0x6b, 0xd6, 0x29, 0x2d, 0x80, 0x28, 0x00, 0x04, 0x66, 0x24, 0x01, 0xe5};
  const auto aioice = *net::Endpoint::ParseHostPort("127.0.0.1:59896");
  wire_.InjectToServer(aioice, kServer, capture);
  wire_.Pump(0);
  auto response = LastResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->XorMappedAddress(), aioice);
  EXPECT_TRUE(
      std::equal(capture.begin() + 8, capture.begin() + 20, response->TransactionId().begin()));
  EXPECT_EQ(server_.GetState(), IceServer::State::kCompleted);  // it carried USE-CANDIDATE
  ASSERT_NE(server_.SelectedTuple(), nullptr);
  EXPECT_EQ(server_.SelectedTuple()->remote, aioice);
}

TEST_F(IceServerTest, DropsAndCountsEachKindOfBadRequest) {
  Send({.password = "wrong-password"});
  Send({.username = "otherUfrag:cli"});
  Send({.username = std::string(kUfrag) + ":"});  // no remote part
  Send({.username = kUfrag});                     // no colon
  Send({.fingerprint = false});
  auto corrupted = BuildRequest({});
  corrupted.back() ^= 1;  // FINGERPRINT value
  wire_.InjectToServer(kClient, kServer, corrupted);
  auto truncated = BuildRequest({});
  truncated.resize(truncated.size() - 4);
  wire_.InjectToServer(kClient, kServer, truncated);
  wire_.Pump(0);

  const auto& c = server_.GetCounters();
  EXPECT_EQ(c.bad_integrity, 1u);
  EXPECT_EQ(c.unknown_username, 3u);
  EXPECT_EQ(c.bad_fingerprint, 2u);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.requests, 0u);
  EXPECT_TRUE(wire_.server_sent.empty());  // nothing answered, nothing reflected
  EXPECT_EQ(server_.GetState(), IceServer::State::kNew);
  EXPECT_EQ(wire_.server_connected, 0);
}

TEST_F(IceServerTest, SelectsTheFirstValidCheck_ThenTheNominatedTuple) {
  Send({}, kClient, 0);
  EXPECT_EQ(server_.GetState(), IceServer::State::kConnected);
  ASSERT_EQ(wire_.server_selected.size(), 1u);
  EXPECT_EQ(wire_.server_selected[0], (net::FiveTuple{kServer, kClient}));
  EXPECT_EQ(wire_.server_connected, 1);

  Send({}, kClient2, 10);  // a second candidate pair, not nominated: no change
  EXPECT_EQ(wire_.server_selected.size(), 1u);
  EXPECT_TRUE(server_.IsValidTuple({kServer, kClient2}));

  Send({.use_candidate = true}, kClient2, 20);  // nominated
  EXPECT_EQ(server_.GetState(), IceServer::State::kCompleted);
  ASSERT_EQ(wire_.server_selected.size(), 2u);
  EXPECT_EQ(wire_.server_selected[1], (net::FiveTuple{kServer, kClient2}));
  EXPECT_EQ(wire_.server_connected, 1);  // connected once

  Send({}, kClient, 30);  // checks without USE-CANDIDATE do not steal a nomination
  EXPECT_EQ(server_.SelectedTuple()->remote, kClient2);
  EXPECT_FALSE(server_.IsValidTuple({kServer, *net::Endpoint::ParseHostPort("127.0.0.1:1")}));
}

TEST_F(IceServerTest, DeclaresDisconnected_WhenConsentIsNotRefreshed) {
  Send({.use_candidate = true}, kClient, 1000);
  ASSERT_TRUE(server_.IsConnected());
  server_.Tick(30999);
  EXPECT_EQ(wire_.server_disconnected, 0);
  Send({}, kClient, 20000);  // a consent check refreshes
  server_.Tick(49999);
  EXPECT_EQ(wire_.server_disconnected, 0);
  server_.Tick(50000);
  EXPECT_EQ(wire_.server_disconnected, 1);
  EXPECT_EQ(server_.GetState(), IceServer::State::kDisconnected);
  EXPECT_EQ(server_.SelectedTuple(), nullptr);
  EXPECT_FALSE(server_.IsValidTuple({kServer, kClient}));
  server_.Tick(60000);
  EXPECT_EQ(wire_.server_disconnected, 1);  // once
}

TEST_F(IceServerTest, ConsentTimeoutIsConfigurable) {
  IceServer server(wire_, kUfrag, kPassword, {.consent_timeout_ms = 5000});
  wire_.SetServer(&server, {kServer});
  Send({.use_candidate = true}, kClient, 0);
  server.Tick(4999);
  EXPECT_TRUE(server.IsConnected());
  server.Tick(5000);
  EXPECT_FALSE(server.IsConnected());
}

TEST_F(IceServerTest, RestartIce_KeepsOldCredentialsUntilTheNewOnesAreUsed) {
  Send({.use_candidate = true}, kClient, 0);
  server_.RestartIce("newUfrag", "newPassword0123456789abc");
  EXPECT_EQ(server_.LocalUfrag(), "newUfrag");
  Send({}, kClient, 10);  // old credentials: still answered
  EXPECT_EQ(server_.GetCounters().requests, 2u);
  Send({.username = "newUfrag:cli2", .password = "newPassword0123456789abc"}, kClient, 20);
  EXPECT_EQ(server_.GetCounters().requests, 3u);
  auto response = LastResponse();
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->CheckIntegrity(std::string_view("newPassword0123456789abc")));
  Send({}, kClient, 30);  // old credentials: no longer
  EXPECT_EQ(server_.GetCounters().requests, 3u);
  EXPECT_EQ(server_.GetCounters().unknown_username, 1u);
  EXPECT_TRUE(server_.IsConnected());  // the selected tuple survived the restart
}

TEST_F(IceServerTest, AnswersRoleConflict_WhenThePeerIsControlledToo) {
  Send({.controlled = true});
  auto response = LastResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Class(), StunClass::kErrorResponse);
  ASSERT_TRUE(response->ErrorCode());
  EXPECT_EQ(response->ErrorCode()->code, 487);
  EXPECT_TRUE(response->CheckIntegrity(std::string_view(kPassword)));
  EXPECT_TRUE(response->CheckFingerprint());
  EXPECT_EQ(server_.GetCounters().role_conflicts, 1u);
  EXPECT_FALSE(server_.IsConnected());
}

TEST_F(IceServerTest, Answers420_ForUnknownComprehensionRequiredAttributes) {
  Send({.extra_attribute = 0x7001});
  auto response = LastResponse();
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->ErrorCode());
  EXPECT_EQ(response->ErrorCode()->code, 420);
  bool listed = false;
  response->ForEachAttribute([&](const StunAttribute& a) {
    if (a.type == static_cast<uint16_t>(StunAttr::kUnknownAttributes)) {
      listed = a.value.size() == 2 && a.value[0] == 0x70 && a.value[1] == 0x01;
    }
  });
  EXPECT_TRUE(listed);
  EXPECT_EQ(server_.GetCounters().unknown_attributes, 1u);
  // A comprehension-optional unknown attribute is fine.
  Send({.extra_attribute = 0xC057});
  EXPECT_EQ(LastResponse()->Class(), StunClass::kSuccessResponse);
}

TEST_F(IceServerTest, IgnoresIndicationsAndResponses) {
  std::array<uint8_t, 64> buf{};
  const size_t n =
      StunMessageBuilder(buf, StunClass::kIndication, kStunMethodBinding, StunTransactionId{})
          .AddFingerprint()
          .Finish();
  wire_.InjectToServer(kClient, kServer, std::span<const uint8_t>(buf.data(), n));
  wire_.Pump(0);
  EXPECT_EQ(server_.GetCounters().ignored, 1u);
  EXPECT_TRUE(wire_.server_sent.empty());
}

TEST_F(IceServerTest, BoundsTheCandidateTuples_NeverEvictingTheSelectedOne) {
  Send({.use_candidate = true}, kClient, 0);
  for (uint16_t port = 1; port <= 2 * IceServer::kMaxTuples; ++port) {
    Send({}, *net::Endpoint::Parse("127.0.0.2", port), port);
  }
  EXPECT_EQ(server_.GetCounters().tuples_evicted, IceServer::kMaxTuples + 1);
  EXPECT_TRUE(server_.IsValidTuple({kServer, kClient}));
  EXPECT_EQ(server_.SelectedTuple()->remote, kClient);
}

TEST(IceServer, LocalUfragOf_SplitsTheUsername) {
  EXPECT_EQ(IceServer::LocalUfragOf("abc:def"), "abc");
  EXPECT_EQ(IceServer::LocalUfragOf("abc:"), "abc");
  EXPECT_EQ(IceServer::LocalUfragOf("abc"), "");
}

// An IceClient and an IceServer back to back: real STUN both ways.
TEST(IceServerWithClient, ConnectsBothSides_AndKeepsConsentAlive) {
  IceWire wire(kClient);
  IceServer server(wire, kUfrag, kPassword);
  IceClient client(wire, "cliUfrag", "cliPassword0123456789abc");
  wire.SetServer(&server, {kServer});
  wire.SetClient(&client);
  client.SetRemoteCredentials(kUfrag, kPassword);
  ASSERT_TRUE(client.AddRemoteCandidate(testing::HostCandidate("127.0.0.1:50000")));
  client.Start(0);
  wire.Pump(0);
  ASSERT_EQ(wire.client_connected.size(), 1u);
  EXPECT_EQ(wire.client_connected[0], kServer);
  EXPECT_EQ(wire.server_connected, 1);
  EXPECT_EQ(server.GetState(), IceServer::State::kCompleted);

  // Two minutes of consent checks, 10 ms ticks.
  for (uint64_t now = 10; now <= 120000; now += 10) {
    client.Tick(now);
    server.Tick(now);
    wire.Pump(now);
  }
  EXPECT_EQ(wire.client_disconnected, 0);
  EXPECT_EQ(wire.server_disconnected, 0);
  // 120 s / (4..6 s) consent checks.
  EXPECT_GE(client.GetCounters().consent_checks_sent, 20u);
  EXPECT_LE(client.GetCounters().consent_checks_sent, 30u);
  EXPECT_EQ(server.GetCounters().requests, 1 + client.GetCounters().consent_checks_sent);

  // The path goes dark: both sides notice within the consent timeout.
  wire.drop = [](const testing::Datagram&) { return true; };
  for (uint64_t now = 120010; now <= 160000; now += 10) {
    client.Tick(now);
    server.Tick(now);
    wire.Pump(now);
  }
  EXPECT_EQ(wire.client_disconnected, 1);
  EXPECT_EQ(wire.server_disconnected, 1);
}

}  // namespace
}  // namespace tributary::rtc
