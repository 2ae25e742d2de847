#pragma once

// What one media session counts, in the shape the metrics need: RTP packets and bytes each way
// (bytes as on the wire, SRTP included), RTCP feedback, retransmissions, keyframe requests, and
// packets dropped by reason (the transport's, the session's, its producers' or consumers').
// Sessions fill it on demand (Session::GetCounters); workers add them up per vhost
// (MediaStats). Plain integers: nothing here is touched per packet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tributary::sfu {

// The `reason` label of tributary_dropped_packets_total. The first five are the ones
// metrics::Metrics creates at zero.
enum class DropReason : uint8_t {
  kMalformed,           // does not parse (bad RTP/RTCP/STUN, garbage on the port)
  kUnknownSsrc,         // RTP for no track of the session
  kSrtp,                // SRTP authentication or replay failure, or our own protect failure
  kQueueFull,           // the socket's send queue (or the kernel's buffer) was full
  kLimit,               // larger than a buffer, buffer pool exhausted
  kUnknownAddress,      // from an address no ICE check validated
  kNotConnected,        // media before DTLS was connected
  kUnknownPayloadType,  // a payload type that was not negotiated
  kKeyframeWait,        // video for a viewer still waiting for a keyframe
  kDuplicate,           // received twice
  kTooOld,              // older than the packet cache's window
  kUnsupportedCodec,    // a codec the viewer did not negotiate
  kStunIntegrity,       // a STUN request whose MESSAGE-INTEGRITY does not verify
  kOther,
};
inline constexpr size_t kDropReasonCount = 14;
std::string_view DropReasonLabel(DropReason reason);

struct SessionCounters {
  uint64_t rtp_packets_in = 0;
  uint64_t rtp_bytes_in = 0;
  uint64_t rtp_packets_out = 0;  // media and retransmissions
  uint64_t rtp_bytes_out = 0;
  uint64_t rtcp_packets_in = 0;
  uint64_t rtcp_packets_out = 0;
  uint64_t nacks_in = 0;           // RTCP NACK packets from a viewer
  uint64_t nacks_out = 0;          // RTCP NACK packets to a publisher
  uint64_t retransmissions = 0;    // packets resent to a viewer from the cache
  uint64_t keyframe_requests = 0;  // PLI/FIR sent to a publisher
  uint64_t plis_in = 0;            // PLI/FIR from a viewer
  uint64_t remb_in = 0;            // REMB from a viewer: ignored, counted
  uint64_t transport_cc_in = 0;    // transport-wide feedback from a viewer: ignored, counted
  std::array<uint64_t, kDropReasonCount> drops{};

  void AddDrops(DropReason reason, uint64_t count) { drops[static_cast<size_t>(reason)] += count; }
  uint64_t Drops(DropReason reason) const { return drops[static_cast<size_t>(reason)]; }
  uint64_t TotalDrops() const;
  SessionCounters& operator+=(const SessionCounters& other);
};

}  // namespace tributary::sfu
