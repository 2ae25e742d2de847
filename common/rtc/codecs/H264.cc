#include "rtc/codecs/H264.h"

#include "base/ByteIo.h"

namespace tributary::rtc::codecs {

namespace {

bool StartsKeyframe(uint8_t type) {
  return type == H264::kIdr || type == H264::kSps;
}

// The units of a STAP after its header (and DON, for STAP-B): 16-bit size, then the unit.
bool AggregateHasKeyframeUnit(std::span<const uint8_t> units) {
  const size_t size = units.size();
  size_t at = 0;
  bool keyframe = false;
  while (at < size) {
    if (size - at < 2) return false;
    const size_t unit_size = base::Read16(units.data() + at);
    at += 2;
    if (unit_size == 0 || size - at < unit_size) return false;
    keyframe = keyframe || StartsKeyframe(H264::NalUnitType(units[at]));
    at += unit_size;
  }
  return keyframe;
}

}  // namespace

bool H264::IsKeyframe(std::span<const uint8_t> payload) {
  if (payload.empty()) return false;
  const uint8_t type = NalUnitType(payload[0]);
  switch (type) {
    case kStapA:
      return AggregateHasKeyframeUnit(payload.subspan(1));
    case kStapB:
      return payload.size() >= 3 && AggregateHasKeyframeUnit(payload.subspan(3));
    case kFuA:
    case kFuB:
      // FU header: |S|E|R|Type|; only the start fragment begins the unit.
      return payload.size() >= 2 && (payload[1] & 0x80) != 0 &&
             StartsKeyframe(NalUnitType(payload[1]));
    default:
      return type >= 1 && type <= 23 && StartsKeyframe(type);
  }
}

}  // namespace tributary::rtc::codecs
