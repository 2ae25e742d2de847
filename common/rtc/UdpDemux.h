#pragma once

// Routes the datagrams of one worker's UDP socket to the WebRtcTransports that share it
// (docs/media-plane.md): STUN Binding requests by the local ufrag in USERNAME (RFC 8445 7.3:
// "<our ufrag>:<theirs>"), everything else by the remote endpoint of a tuple some transport
// holds (one ICE has validated or selected, or one a client transport sends checks to). One
// UdpDemux per socket; it is the socket's Listener.
//
// The demux owns nothing but two maps of pointers. Transports register and unregister
// themselves as their ufrags and tuples change, and unregister everything when they close or are
// destroyed, so no pointer outlives its transport. The demux must outlive its transports.
//
// Unroutable datagrams are dropped and counted by reason; nothing is logged per packet.
//
// Two transports cannot share a remote endpoint on one socket: the 5-tuple would not tell
// their packets apart. The last registration wins (counted in remote_takeovers): a server
// transport registers an endpoint only after a check authenticated with its own credentials
// came from it. Client transports that talk to the same remote endpoint (several upstream links
// to one origin port) therefore need sockets of their own.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/Endpoint.h"
#include "net/UdpSocket.h"

namespace tributary::rtc {

class WebRtcTransport;

class UdpDemux final : public net::UdpSocket::Listener {
 public:
  struct Counters {
    uint64_t routed_by_ufrag = 0;  // Binding requests handed to a transport
    uint64_t routed_by_tuple = 0;  // other datagrams handed to a transport
    // Dropped:
    uint64_t garbage = 0;            // first byte outside every RFC 7983 range, bad STUN
    uint64_t unknown_ufrag = 0;      // a Binding request for no registered ufrag
    uint64_t unknown_tuple = 0;      // other STUN from an endpoint no transport holds
    uint64_t not_stun_no_tuple = 0;  // DTLS or SRTP from an endpoint no transport holds
    uint64_t remote_takeovers = 0;   // an endpoint moved from one transport to another
  };

  UdpDemux() = default;
  UdpDemux(const UdpDemux&) = delete;
  UdpDemux& operator=(const UdpDemux&) = delete;

  // net::UdpSocket::Listener. The datagram is unprotected in place in the socket's receive
  // buffer (the socket lends its own, writable slot).
  void OnUdpPacket(net::UdpSocket& socket, std::span<const uint8_t> data,
                   const net::Endpoint& from) override;

  // False (and nothing changes) when another transport holds the ufrag.
  bool RegisterUfrag(std::string_view ufrag, WebRtcTransport& transport);
  // Only if `transport` holds it.
  void UnregisterUfrag(std::string_view ufrag, const WebRtcTransport& transport);
  // Takes the endpoint over from any other transport (counted).
  void RegisterRemote(const net::Endpoint& remote, WebRtcTransport& transport);
  // Only if `transport` holds it.
  void UnregisterRemote(const net::Endpoint& remote, const WebRtcTransport& transport);

  // nullptr when none.
  WebRtcTransport* FindByUfrag(std::string_view ufrag) const;
  WebRtcTransport* FindByRemote(const net::Endpoint& remote) const;
  size_t UfragCount() const { return by_ufrag_.size(); }
  size_t RemoteCount() const { return by_remote_.size(); }
  const Counters& GetCounters() const { return counters_; }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::unordered_map<std::string, WebRtcTransport*, StringHash, std::equal_to<>> by_ufrag_;
  std::unordered_map<net::Endpoint, WebRtcTransport*, net::EndpointHash> by_remote_;
  Counters counters_;
};

}  // namespace tributary::rtc
