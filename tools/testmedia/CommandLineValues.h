#pragma once

// Values the media tools take on their command lines, parsed strictly (the whole text, no
// trailing junk, no negative numbers):
//   bitrate   "1M", "2.5M", "800k", "64000" (bits per second; k/M/G are powers of 1000)
//   duration  "10s", "500ms", "1.5s", "2m", "1h", or a bare number of seconds ("10")
//   share     "5", "0.5", "5%": a percentage 0..100

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::testmedia {

std::optional<uint64_t> ParseBitrate(std::string_view text);
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);
std::optional<double> ParsePercent(std::string_view text);

}  // namespace tributary::testmedia
