#include "sfu/SessionCounters.h"

namespace tributary::sfu {

std::string_view DropReasonLabel(DropReason reason) {
  switch (reason) {
    case DropReason::kMalformed:
      return "malformed";
    case DropReason::kUnknownSsrc:
      return "unknown_ssrc";
    case DropReason::kSrtp:
      return "srtp";
    case DropReason::kQueueFull:
      return "queue_full";
    case DropReason::kLimit:
      return "limit";
    case DropReason::kUnknownAddress:
      return "unknown_address";
    case DropReason::kNotConnected:
      return "not_connected";
    case DropReason::kUnknownPayloadType:
      return "unknown_payload_type";
    case DropReason::kKeyframeWait:
      return "keyframe_wait";
    case DropReason::kDuplicate:
      return "duplicate";
    case DropReason::kTooOld:
      return "too_old";
    case DropReason::kUnsupportedCodec:
      return "unsupported_codec";
    case DropReason::kStunIntegrity:
      return "stun_integrity";
    case DropReason::kOther:
      return "other";
  }
  return "other";
}

uint64_t SessionCounters::TotalDrops() const {
  uint64_t total = 0;
  for (uint64_t count : drops)
    total += count;
  return total;
}

SessionCounters& SessionCounters::operator+=(const SessionCounters& other) {
  rtp_packets_in += other.rtp_packets_in;
  rtp_bytes_in += other.rtp_bytes_in;
  rtp_packets_out += other.rtp_packets_out;
  rtp_bytes_out += other.rtp_bytes_out;
  rtcp_packets_in += other.rtcp_packets_in;
  rtcp_packets_out += other.rtcp_packets_out;
  nacks_in += other.nacks_in;
  nacks_out += other.nacks_out;
  retransmissions += other.retransmissions;
  keyframe_requests += other.keyframe_requests;
  plis_in += other.plis_in;
  remb_in += other.remb_in;
  transport_cc_in += other.transport_cc_in;
  for (size_t i = 0; i < kDropReasonCount; ++i)
    drops[i] += other.drops[i];
  return *this;
}

}  // namespace tributary::sfu
