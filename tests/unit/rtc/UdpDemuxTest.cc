// UdpDemux's routing rules and bookkeeping, with real transports on a real socket (no peer:
// nothing here needs a handshake). End-to-end routing is in WebRtcTransportTest.

#include "rtc/UdpDemux.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "base/Random.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/StunMessage.h"
#include "rtc/WebRtcTransport.h"

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;

struct NullListener : WebRtcTransport::Listener {
  void OnTransportIceConnected(WebRtcTransport&) override {}
  void OnTransportConnected(WebRtcTransport&) override {}
  void OnTransportClosed(WebRtcTransport&, WebRtcTransport::CloseReason,
                         std::string_view) override {}
  void OnTransportRtpPacket(WebRtcTransport&, std::span<uint8_t>) override {}
  void OnTransportRtcpPacket(WebRtcTransport&, std::span<uint8_t>) override {}
};

class UdpDemuxTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebRtcTransport> MakeTransport() {
    return std::make_unique<WebRtcTransport>(WebRtcTransport::Role::kServer, socket_, demux_,
                                             context_, listener_);
  }
  // A Binding request carrying USERNAME `username`, signed with `password`.
  static Bytes BindingRequest(std::string_view username, std::string_view password) {
    StunTransactionId tid{};
    base::RandomBytes(tid);
    std::array<uint8_t, 256> buffer{};
    const size_t size = StunMessageBuilder(buffer, StunClass::kRequest, kStunMethodBinding, tid)
                            .AddUsername(username)
                            .AddIceControlling(1)
                            .AddMessageIntegrity(password)
                            .AddFingerprint()
                            .Finish();
    return Bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
  }
  void Deliver(const Bytes& datagram, const net::Endpoint& from) {
    Bytes copy = datagram;  // unprotected in place, like the socket's own buffer
    demux_.OnUdpPacket(socket_, copy, from);
  }

  boost::asio::io_context io_;
  UdpDemux demux_;
  net::UdpSocket socket_{io_, *net::Endpoint::Parse("127.0.0.1", 0), demux_};
  DtlsCertificate certificate_ = DtlsCertificate::Generate();
  DtlsTransport::Context context_{certificate_};
  NullListener listener_;
  net::Endpoint peer_ = *net::Endpoint::Parse("127.0.0.1", 40000);
};

TEST_F(UdpDemuxTest, Ufrags_BelongToOneTransport_AndOnlyItsOwnerUnregistersThem) {
  auto a = MakeTransport();
  auto b = MakeTransport();
  const std::string ufrag_a = a->LocalIceParameters().ufrag;
  EXPECT_EQ(demux_.FindByUfrag(ufrag_a), a.get());
  EXPECT_FALSE(demux_.RegisterUfrag(ufrag_a, *b));
  EXPECT_TRUE(demux_.RegisterUfrag(ufrag_a, *a));  // idempotent for the owner
  demux_.UnregisterUfrag(ufrag_a, *b);
  EXPECT_EQ(demux_.FindByUfrag(ufrag_a), a.get());
  EXPECT_FALSE(demux_.RegisterUfrag("", *a));
  EXPECT_EQ(demux_.UfragCount(), 2u);
  a.reset();
  EXPECT_EQ(demux_.FindByUfrag(ufrag_a), nullptr);
  EXPECT_EQ(demux_.UfragCount(), 1u);
}

TEST_F(UdpDemuxTest, RemoteEndpoints_LastRegistrationWins_AndIsCounted) {
  auto a = MakeTransport();
  auto b = MakeTransport();
  demux_.RegisterRemote(peer_, *a);
  demux_.RegisterRemote(peer_, *a);
  EXPECT_EQ(demux_.GetCounters().remote_takeovers, 0u);
  demux_.RegisterRemote(peer_, *b);
  EXPECT_EQ(demux_.FindByRemote(peer_), b.get());
  EXPECT_EQ(demux_.GetCounters().remote_takeovers, 1u);
  demux_.UnregisterRemote(peer_, *a);  // not a's any more: no effect
  EXPECT_EQ(demux_.FindByRemote(peer_), b.get());
  demux_.UnregisterRemote(peer_, *b);
  EXPECT_EQ(demux_.FindByRemote(peer_), nullptr);
}

TEST_F(UdpDemuxTest, BindingRequests_GoToTheTransportOfTheirUfrag_WhichRegistersTheTuple) {
  auto a = MakeTransport();
  auto b = MakeTransport();
  const auto& ice = b->LocalIceParameters();
  Deliver(BindingRequest(ice.ufrag + ":remote", ice.password), peer_);
  EXPECT_EQ(demux_.GetCounters().routed_by_ufrag, 1u);
  EXPECT_EQ(b->GetIceServer()->GetCounters().responses_sent, 1u);
  EXPECT_EQ(a->GetIceServer()->GetCounters().requests, 0u);
  // The authenticated check made the tuple b's: what comes from it now goes to b.
  EXPECT_EQ(demux_.FindByRemote(peer_), b.get());
  Deliver(Bytes{0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, peer_);
  EXPECT_EQ(demux_.GetCounters().routed_by_tuple, 1u);
  EXPECT_EQ(b->GetCounters().drops.not_connected, 1u);  // SRTP before DTLS: counted by b

  // A forged check for b's ufrag is routed to b, which refuses it.
  Deliver(BindingRequest(ice.ufrag + ":remote", "wrong-password-wrong-pw"), peer_);
  EXPECT_EQ(b->GetIceServer()->GetCounters().bad_integrity, 1u);
  // A ufrag nobody has, a USERNAME without a colon.
  Deliver(BindingRequest("nobody:remote", ice.password), peer_);
  Deliver(BindingRequest(ice.ufrag, ice.password), peer_);
  EXPECT_EQ(demux_.GetCounters().unknown_ufrag, 2u);
}

TEST_F(UdpDemuxTest, Unroutable_Datagrams_AreCountedByReason) {
  auto a = MakeTransport();
  const auto stranger = *net::Endpoint::Parse("127.0.0.1", 40001);
  Deliver(Bytes{}, stranger);                                              // empty
  Deliver(Bytes{0x70, 1, 2, 3}, stranger);                                 // no RFC 7983 range
  Deliver(Bytes{0xC0, 1, 2, 3}, stranger);                                 // 192..255: nothing
  Deliver(Bytes(20, 0x00), stranger);                                      // STUN range, no cookie
  Deliver(Bytes{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, stranger);  // DTLS
  Deliver(Bytes{0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, stranger);        // RTP
  // A STUN response (not a request) from an endpoint nobody holds.
  Bytes response = BindingRequest("x:y", "password");
  response[0] = 0x01;  // Binding success response
  response[1] = 0x01;
  Deliver(response, stranger);
  const auto& c = demux_.GetCounters();
  EXPECT_EQ(c.garbage, 4u);
  EXPECT_EQ(c.not_stun_no_tuple, 2u);
  EXPECT_EQ(c.unknown_tuple, 1u);
  EXPECT_EQ(c.routed_by_tuple + c.routed_by_ufrag, 0u);
  EXPECT_EQ(a->GetCounters().packets_in, 0u);
}

}  // namespace
}  // namespace tributary::rtc
