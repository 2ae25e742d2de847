#pragma once

// Writes session descriptions and trickle-ice-sdpfrag bodies, CRLF line endings. What
// SdpParser reads back from the output equals what was written (parse(write(x)) == x for every
// x that SdpParser produced).

#include <string>

#include "rtc/SdpFragment.h"
#include "rtc/SessionDescription.h"

namespace tributary::rtc {

class SdpWriter {
 public:
  static std::string Write(const SessionDescription& description);
  static std::string WriteFragment(const SdpFragment& fragment);
};

}  // namespace tributary::rtc
