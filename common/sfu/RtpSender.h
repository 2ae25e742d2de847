#pragma once

// Where a consumer's RTP goes, built in place: PrepareSend() lends storage for one plain RTP
// packet (the transport's send slot, room for the SRTP trailer kept back), the consumer writes
// the rewritten packet into it, and CommitSend(size) protects and queues its first `size` bytes.
// Writing into the slot is the only copy of the payload on the way out. The session layer adapts
// WebRtcTransport::PrepareSend / CommitRtpPacket to it.
//
// PrepareSend() returns an empty span when nothing can be sent now (not connected, send queue
// full); the consumer then drops the packet (the viewer NACKs it). A lent slot that is not
// committed is simply not sent; nothing else may be sent between the two calls.

#include <cstddef>
#include <cstdint>
#include <span>

namespace tributary::sfu {

class RtpSender {
 public:
  virtual ~RtpSender() = default;
  virtual std::span<uint8_t> PrepareSend() = 0;
  // False when the transport refused the packet (counted by the consumer as a send failure).
  virtual bool CommitSend(size_t size) = 0;
};

}  // namespace tributary::sfu
