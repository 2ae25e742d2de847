#include "testmedia/LossyUdpRelay.h"

#include <algorithm>

#include "base/Random.h"
#include "rtc/RtpPacket.h"

namespace tributary::testmedia {

LossyUdpRelay::LossyUdpRelay(boost::asio::io_context& io, const net::Endpoint& bind,
                             const net::Endpoint& server, double drop_share, Listener* listener)
    : server_(server),
      drop_threshold_(static_cast<uint64_t>(std::clamp(drop_share, 0.0, 1.0) * 4294967296.0)),
      listener_(listener),
      random_state_(base::RandomU64() | 1),
      socket_(io, bind, *this) {}

bool LossyUdpRelay::Drop() {
  if (drop_threshold_ == 0) return false;
  // xorshift64*: plenty for picking packets to lose.
  random_state_ ^= random_state_ >> 12;
  random_state_ ^= random_state_ << 25;
  random_state_ ^= random_state_ >> 27;
  const uint64_t draw = (random_state_ * 2685821657736338717ull) >> 32;
  return draw < drop_threshold_;
}

void LossyUdpRelay::OnUdpPacket(net::UdpSocket& socket, std::span<const uint8_t> data,
                                const net::Endpoint& from) {
  if (from != server_) {
    client_ = from;
    ++counters_.to_server;
    socket.Send(data, server_);
    return;
  }
  const bool rtp = !data.empty() && data[0] >= 128 && data[0] <= 191 && rtc::RtpPacket::IsRtp(data);
  if (rtp) {
    ++counters_.rtp_from_server;
    const bool dropped = Drop();
    if (listener_ != nullptr) listener_->OnRelayRtp(dropped);
    if (dropped) {
      ++counters_.dropped;
      return;
    }
  }
  if (!client_.IsValid()) {
    ++counters_.no_client_yet;
    return;
  }
  ++counters_.to_client;
  socket.Send(data, client_);
}

std::optional<net::Endpoint> LossyUdpRelay::ServerCandidate(const rtc::SessionDescription& answer) {
  for (const rtc::MediaDescription& m : answer.media) {
    for (const rtc::SdpCandidate& c : m.candidates) {
      if (c.transport != "udp") continue;
      if (auto server = net::Endpoint::Parse(c.address, c.port)) return server;
    }
  }
  return std::nullopt;
}

void LossyUdpRelay::RedirectCandidates(rtc::SessionDescription& answer,
                                       const net::Endpoint& relay) {
  for (rtc::MediaDescription& m : answer.media) {
    if (m.candidates.empty()) continue;
    rtc::SdpCandidate candidate = m.candidates.front();
    candidate.transport = "udp";
    candidate.type = "host";
    candidate.address = relay.AddressString();
    candidate.port = relay.Port();
    candidate.related_address.clear();
    candidate.related_port.reset();
    candidate.tcp_type.clear();
    m.candidates = {candidate};
  }
}

}  // namespace tributary::testmedia
