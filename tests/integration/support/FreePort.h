#pragma once

#include <cstdint>

namespace tributary::testing {

// A loopback TCP port that was free a moment ago (the kernel's pick for port 0). Ports already
// handed out by this process are not handed out again, so one test can take several.
uint16_t FreeTcpPort();

}  // namespace tributary::testing
