#include "rtc/UdpDemux.h"

#include "rtc/IceServer.h"
#include "rtc/StunMessage.h"
#include "rtc/WebRtcTransport.h"

namespace tributary::rtc {

void UdpDemux::OnUdpPacket(net::UdpSocket& /*socket*/, std::span<const uint8_t> data,
                           const net::Endpoint& from) {
  if (data.empty()) {
    ++counters_.garbage;
    return;
  }
  const uint8_t first = data[0];
  if (first <= 3) {  // RFC 7983: STUN
    const auto message = StunMessage::IsStun(data) ? StunMessage::Parse(data) : std::nullopt;
    if (!message) {
      ++counters_.garbage;
      return;
    }
    WebRtcTransport* transport = nullptr;
    if (message->IsBindingRequest()) {
      const auto username = message->Username();
      if (username) transport = FindByUfrag(IceServer::LocalUfragOf(*username));
      if (transport == nullptr) {
        ++counters_.unknown_ufrag;
        return;
      }
      ++counters_.routed_by_ufrag;
    } else {
      transport = FindByRemote(from);
      if (transport == nullptr) {
        ++counters_.unknown_tuple;
        return;
      }
      ++counters_.routed_by_tuple;
    }
    transport->ReceiveStunMessage(*message, from);
    return;
  }
  const bool dtls = first >= 20 && first <= 63;
  const bool srtp = first >= 128 && first <= 191;
  if (!dtls && !srtp) {
    ++counters_.garbage;
    return;
  }
  const auto it = by_remote_.find(from);
  if (it == by_remote_.end()) {
    ++counters_.not_stun_no_tuple;
    return;
  }
  ++counters_.routed_by_tuple;
  // The socket lends its own receive slot (a mutable buffer) for the duration of the call:
  // SRTP is unprotected there, in place, as docs/media-plane.md describes.
  it->second->ReceivePacket(std::span<uint8_t>(const_cast<uint8_t*>(data.data()), data.size()),
                            from);
}

bool UdpDemux::RegisterUfrag(std::string_view ufrag, WebRtcTransport& transport) {
  if (ufrag.empty()) return false;
  const auto it = by_ufrag_.find(ufrag);
  if (it != by_ufrag_.end()) return it->second == &transport;
  by_ufrag_.emplace(std::string(ufrag), &transport);
  return true;
}

void UdpDemux::UnregisterUfrag(std::string_view ufrag, const WebRtcTransport& transport) {
  const auto it = by_ufrag_.find(ufrag);
  if (it != by_ufrag_.end() && it->second == &transport) by_ufrag_.erase(it);
}

void UdpDemux::RegisterRemote(const net::Endpoint& remote, WebRtcTransport& transport) {
  auto [it, inserted] = by_remote_.try_emplace(remote, &transport);
  if (!inserted && it->second != &transport) {
    ++counters_.remote_takeovers;
    it->second = &transport;
  }
}

void UdpDemux::UnregisterRemote(const net::Endpoint& remote, const WebRtcTransport& transport) {
  const auto it = by_remote_.find(remote);
  if (it != by_remote_.end() && it->second == &transport) by_remote_.erase(it);
}

WebRtcTransport* UdpDemux::FindByUfrag(std::string_view ufrag) const {
  if (ufrag.empty()) return nullptr;
  const auto it = by_ufrag_.find(ufrag);
  return it == by_ufrag_.end() ? nullptr : it->second;
}

WebRtcTransport* UdpDemux::FindByRemote(const net::Endpoint& remote) const {
  const auto it = by_remote_.find(remote);
  return it == by_remote_.end() ? nullptr : it->second;
}

}  // namespace tributary::rtc
