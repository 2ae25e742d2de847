#pragma once

// Where the media layer's RTCP goes: one plain (unprotected) compound or reduced-size RTCP
// packet per call, valid during the call only. The session layer adapts its transport to it
// (WebRtcTransport::SendRtcpPacket protects and queues it); tests collect the bytes.

#include <cstdint>
#include <span>

namespace tributary::sfu {

class RtcpSink {
 public:
  virtual ~RtcpSink() = default;
  virtual void SendRtcp(std::span<const uint8_t> packet) = 0;
};

}  // namespace tributary::sfu
