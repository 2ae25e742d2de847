#pragma once

// Generic NACK (RFC 4585 6.2.1), RTPFB FMT 1. Each item names a lost packet (PID) and, in a
// bitmask (BLP), which of the 16 following ones are lost too.
//
//   |            PID                |             BLP               |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

struct NackItem {
  static constexpr size_t kWireSize = 4;
  uint16_t pid = 0;
  uint16_t blp = 0;  // bit i set: pid + i + 1 is lost too

  static NackItem Read(const uint8_t* p) { return {base::Read16(p), base::Read16(p + 2)}; }
  void Write(uint8_t* p) const {
    base::Write16(p, pid);
    base::Write16(p + 2, blp);
  }
  bool operator==(const NackItem&) const = default;
};

class Nack {
 public:
  static constexpr uint8_t kFormat = 1;

  static std::optional<Nack> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint32_t MediaSsrc() const { return media_ssrc_; }
  const RtcpList<NackItem>& Items() const { return items_; }

  // Calls `f(uint16_t seq)` for every sequence number reported lost, item by item, each PID
  // followed by its BLP bits in increasing order (so seqs wrap from 65535 to 0 naturally).
  template <typename F>
  void ForEachLostSequence(F&& f) const {
    for (const NackItem item : items_) {
      f(item.pid);
      for (uint16_t bit = 0; bit < 16; ++bit) {
        if ((item.blp >> bit) & 1) f(static_cast<uint16_t>(item.pid + bit + 1));
      }
    }
  }

  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  // An SFU rewrites this when it relays a consumer's NACK towards the producer.
  void SetMediaSsrc(uint32_t ssrc) { media_ssrc_ = ssrc; }
  // At least one item (else Serialize returns 0). The items must outlive this object.
  void SetItems(std::span<const NackItem> items) { items_ = RtcpList<NackItem>(items); }

  // Packs lost sequence numbers, oldest first in wraparound order (65534, 65535, 0, 1, ...),
  // into items. Duplicates are skipped; a number older than the current item's PID starts a new
  // item. Returns the number of items written, 0 when `items` is too small (lost.size() items
  // are always enough).
  static size_t PackLostSequences(std::span<const uint16_t> lost, std::span<NackItem> items);

 private:
  uint32_t sender_ssrc_ = 0;
  uint32_t media_ssrc_ = 0;
  RtcpList<NackItem> items_;
};

}  // namespace tributary::rtc::rtcp
