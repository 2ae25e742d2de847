#include "rtc/rtcp/ReportBlock.h"

#include <algorithm>

#include "base/ByteIo.h"

namespace tributary::rtc::rtcp {

std::optional<ReportBlock> ReportBlock::Parse(std::span<const uint8_t> bytes) {
  if (bytes.size() < kWireSize) return std::nullopt;
  return Read(bytes.data());
}

size_t ReportBlock::Serialize(std::span<uint8_t> out) const {
  if (out.size() < kWireSize) return 0;
  Write(out.data());
  return kWireSize;
}

ReportBlock ReportBlock::Read(const uint8_t* p) {
  ReportBlock block;
  block.ssrc = base::Read32(p);
  block.fraction_lost = p[4];
  const uint32_t lost = base::Read24(p + 5);
  block.cumulative_lost =
      (lost & 0x800000) != 0 ? static_cast<int32_t>(lost) - 0x1000000 : static_cast<int32_t>(lost);
  block.extended_highest_seq = base::Read32(p + 8);
  block.jitter = base::Read32(p + 12);
  block.last_sr = base::Read32(p + 16);
  block.delay_since_last_sr = base::Read32(p + 20);
  return block;
}

void ReportBlock::Write(uint8_t* p) const {
  base::Write32(p, ssrc);
  p[4] = fraction_lost;
  const int32_t lost = std::clamp(cumulative_lost, kMinCumulativeLost, kMaxCumulativeLost);
  base::Write24(p + 5, static_cast<uint32_t>(lost) & 0xFFFFFF);
  base::Write32(p + 8, extended_highest_seq);
  base::Write32(p + 12, jitter);
  base::Write32(p + 16, last_sr);
  base::Write32(p + 20, delay_since_last_sr);
}

}  // namespace tributary::rtc::rtcp
