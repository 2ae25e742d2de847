#pragma once

// One received RTP packet, copied once into a pooled buffer, parsed once, and shared by value:
// a MediaPacket is a buffer reference plus the parsed view into that buffer and what the
// producer learned about the packet. Copying it costs one atomic increment; the packet cache and
// every consumer hold copies of the same bytes. The bytes are never written after the producer
// hands the packet on.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/PacketBufferPool.h"
#include "base/PacketRef.h"
#include "rtc/RtpPacket.h"

namespace tributary::sfu {

class MediaPacket {
 public:
  enum class Error : uint8_t { kNone, kPoolExhausted, kTooLarge, kMalformed };

  MediaPacket() = default;

  // Copies `packet` into a buffer from `pool` (the only copy of the payload on the receive path).
  // Empty, with `error` set, when the pool is exhausted or the packet exceeds its buffers.
  static MediaPacket CopyFrom(base::PacketBufferPool& pool, const rtc::RtpPacket& packet,
                              uint64_t arrival_us, Error* error = nullptr);
  // Takes a buffer whose first `size` bytes were written with an RTP packet (RTX decapsulation
  // writes straight into a pooled buffer) and parses them. Empty when they are malformed.
  static MediaPacket Adopt(base::PacketRef buffer, size_t size, uint64_t arrival_us,
                           Error* error = nullptr);

  explicit operator bool() const { return rtp_.has_value(); }

  // Valid while the packet is non-empty.
  const rtc::RtpPacket& Rtp() const { return *rtp_; }
  std::span<const uint8_t> Data() const { return rtp_->Data(); }
  size_t Size() const { return rtp_->Size(); }
  // No payload: a padding packet (bandwidth probing) or an empty one.
  bool IsPaddingOnly() const { return rtp_->Payload().empty(); }
  const base::PacketRef& Buffer() const { return buffer_; }

  // Monotonic microseconds (base::NowUs()) when the datagram arrived.
  uint64_t ArrivalUs() const { return arrival_us_; }
  // The sequence number unwrapped by the producer, within the source epoch.
  int64_t ExtendedSeq() const { return extended_seq_; }
  // The first packet of a frame that decodes on its own (every audio packet).
  bool IsKeyframe() const { return keyframe_; }
  // Recovered through RTX (it arrives late, out of order).
  bool IsRecovered() const { return recovered_; }
  // The producer's source epoch when it arrived: a new value means a new source (publisher
  // reconnect, upstream failover, sequence restart) whose numbering has nothing to do with the
  // previous one.
  uint32_t SourceEpoch() const { return source_epoch_; }

  // Set by the producer before sharing the packet.
  void SetExtendedSeq(int64_t seq) { extended_seq_ = seq; }
  void SetKeyframe(bool keyframe) { keyframe_ = keyframe; }
  void SetRecovered(bool recovered) { recovered_ = recovered; }
  void SetSourceEpoch(uint32_t epoch) { source_epoch_ = epoch; }

 private:
  base::PacketRef buffer_;
  std::optional<rtc::RtpPacket> rtp_;  // views buffer_'s bytes
  uint64_t arrival_us_ = 0;
  int64_t extended_seq_ = 0;
  uint32_t source_epoch_ = 0;
  bool keyframe_ = false;
  bool recovered_ = false;
};

}  // namespace tributary::sfu
