#pragma once

// A UDP relay between one client and one server, dropping a share of the RTP datagrams the
// server sends: a lossy network inside the viewer's process, so that everything behind it
// (ICE, DTLS, SRTP, NACK, RTX) meets real loss. tributary-whep puts it in front of its session
// with --drop-percent: the relay forwards to the answer's candidate (ServerCandidate), whose
// place the relay's address takes (RedirectCandidates), so the client's checks reach the server
// through it and the ICE-lite server answers to the relay.
//
// Datagrams from the server go to the client (the last other address that sent something);
// datagrams from anyone else go to the server. Only RTP from the server may be dropped (first
// byte 128..191 and not RTCP, RFC 7983 / RFC 5761: SRTP keeps the header in the clear), never
// STUN, DTLS or RTCP. One thread (the io_context's); nothing is allocated per datagram.

#include <cstdint>
#include <optional>
#include <span>

#include <boost/asio/io_context.hpp>

#include "net/Endpoint.h"
#include "net/UdpSocket.h"
#include "rtc/SessionDescription.h"

namespace tributary::testmedia {

class LossyUdpRelay final : private net::UdpSocket::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // An RTP datagram from the server, forwarded or (`dropped`) not.
    virtual void OnRelayRtp(bool dropped) = 0;
  };

  struct Counters {
    uint64_t to_server = 0;
    uint64_t to_client = 0;
    uint64_t rtp_from_server = 0;
    uint64_t dropped = 0;
    uint64_t no_client_yet = 0;  // from the server before the client spoke
  };

  // `drop_share` 0..1. Binds on `bind` (port 0: any); throws std::system_error on failure.
  // `listener` (nullable) must outlive the relay.
  LossyUdpRelay(boost::asio::io_context& io, const net::Endpoint& bind, const net::Endpoint& server,
                double drop_share, Listener* listener = nullptr);

  const net::Endpoint& LocalEndpoint() const { return socket_.LocalEndpoint(); }
  const net::Endpoint& Server() const { return server_; }
  const Counters& GetCounters() const { return counters_; }

  // The server's address in an answer: the first UDP candidate, of the first section that has
  // one, whose address is an IP literal. Nothing when there is none.
  static std::optional<net::Endpoint> ServerCandidate(const rtc::SessionDescription& answer);
  // Replaces every section's candidates by one host candidate on `relay`.
  static void RedirectCandidates(rtc::SessionDescription& answer, const net::Endpoint& relay);

 private:
  void OnUdpPacket(net::UdpSocket& socket, std::span<const uint8_t> data,
                   const net::Endpoint& from) override;
  bool Drop();

  const net::Endpoint server_;
  const uint64_t drop_threshold_;  // of a 32-bit draw
  Listener* listener_;
  net::Endpoint client_;
  uint64_t random_state_;
  Counters counters_;
  net::UdpSocket socket_;  // last: its handlers may run into the members above
};

}  // namespace tributary::testmedia
