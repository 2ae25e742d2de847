#pragma once

// A reception report block (RFC 3550 6.4.1), carried by sender and receiver reports.
//
//   |                              SSRC                             |
//   | fraction lost |       cumulative number of packets lost       |
//   |           extended highest sequence number received           |
//   |                      interarrival jitter                      |
//   |                         last SR (LSR)                         |
//   |                   delay since last SR (DLSR)                  |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::rtcp {

struct ReportBlock {
  static constexpr size_t kWireSize = 24;
  // Cumulative loss is a signed 24-bit field (duplicates can make it negative).
  static constexpr int32_t kMaxCumulativeLost = 0x7FFFFF;
  static constexpr int32_t kMinCumulativeLost = -0x800000;

  uint32_t ssrc = 0;
  uint8_t fraction_lost = 0;  // fixed point, /256
  int32_t cumulative_lost = 0;
  uint32_t extended_highest_seq = 0;
  uint32_t jitter = 0;               // RTP timestamp units
  uint32_t last_sr = 0;              // middle 32 bits of the NTP timestamp of the last SR received
  uint32_t delay_since_last_sr = 0;  // 1/65536 s

  // `bytes` must hold at least kWireSize bytes; more are ignored.
  static std::optional<ReportBlock> Parse(std::span<const uint8_t> bytes);
  size_t Serialize(std::span<uint8_t> out) const;

  // Unchecked: the caller proved kWireSize bytes are there. cumulative_lost is clamped to the
  // field's range when written.
  static ReportBlock Read(const uint8_t* p);
  void Write(uint8_t* p) const;

  bool operator==(const ReportBlock&) const = default;
};

}  // namespace tributary::rtc::rtcp
