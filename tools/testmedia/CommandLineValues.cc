#include "testmedia/CommandLineValues.h"

#include <charconv>
#include <cmath>
#include <string>

namespace tributary::testmedia {

namespace {

// A non-negative decimal number at the start of `text`; `rest` gets what follows.
std::optional<double> LeadingNumber(std::string_view text, std::string_view& rest) {
  size_t end = 0;
  bool digits = false;
  bool dot = false;
  while (end < text.size()) {
    const char c = text[end];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++end;
  }
  if (!digits) return std::nullopt;
  double value = 0;
  const std::string number(text.substr(0, end));
  try {
    value = std::stod(number);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!std::isfinite(value)) return std::nullopt;
  rest = text.substr(end);
  return value;
}

}  // namespace

std::optional<uint64_t> ParseBitrate(std::string_view text) {
  std::string_view unit;
  const auto value = LeadingNumber(text, unit);
  if (!value) return std::nullopt;
  double scale = 1;
  if (unit == "k" || unit == "K") {
    scale = 1e3;
  } else if (unit == "M" || unit == "m") {
    scale = 1e6;
  } else if (unit == "G" || unit == "g") {
    scale = 1e9;
  } else if (!unit.empty()) {
    return std::nullopt;
  }
  const double bits = *value * scale;
  if (bits < 1 || bits > 1e12) return std::nullopt;
  return static_cast<uint64_t>(std::llround(bits));
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string_view unit;
  const auto value = LeadingNumber(text, unit);
  if (!value) return std::nullopt;
  double ms = 0;
  if (unit.empty() || unit == "s") {
    ms = *value * 1000;
  } else if (unit == "ms") {
    ms = *value;
  } else if (unit == "m") {
    ms = *value * 60'000;
  } else if (unit == "h") {
    ms = *value * 3'600'000;
  } else {
    return std::nullopt;
  }
  if (ms > 1e12) return std::nullopt;
  return std::chrono::milliseconds(std::llround(ms));
}

std::optional<double> ParsePercent(std::string_view text) {
  std::string_view unit;
  const auto value = LeadingNumber(text, unit);
  if (!value || !(unit.empty() || unit == "%") || *value > 100) return std::nullopt;
  return *value;
}

}  // namespace tributary::testmedia
