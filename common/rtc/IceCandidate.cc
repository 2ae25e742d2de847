#include "rtc/IceCandidate.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace tributary::rtc {

namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// Splits on spaces; returns the number of fields (at most N, the rest is ignored).
template <size_t N>
size_t Split(std::string_view text, std::array<std::string_view, N>& fields) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size() && count < N) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    if (i == text.size()) break;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    fields[count++] = text.substr(start, i - start);
  }
  return count;
}

}  // namespace

std::optional<IceCandidate> IceCandidate::Parse(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  if (line.starts_with("a=")) line.remove_prefix(2);
  if (!line.starts_with("candidate:")) return std::nullopt;
  line.remove_prefix(10);

  std::array<std::string_view, 8> f;
  if (Split(line, f) < 8) return std::nullopt;
  IceCandidate c;
  if (f[0].empty() || f[0].size() > 32) return std::nullopt;
  c.foundation = std::string(f[0]);
  if (!ParseNumber(f[1], c.component) || c.component < 1 || c.component > 256) {
    return std::nullopt;
  }
  if (EqualsNoCase(f[2], "udp")) {
    c.transport = Transport::kUdp;
  } else if (EqualsNoCase(f[2], "tcp")) {
    c.transport = Transport::kTcp;
  } else {
    return std::nullopt;
  }
  if (!ParseNumber(f[3], c.priority)) return std::nullopt;
  uint16_t port = 0;
  if (!ParseNumber(f[5], port)) return std::nullopt;
  auto endpoint = net::Endpoint::Parse(f[4], port);
  if (!endpoint) return std::nullopt;
  c.endpoint = *endpoint;
  if (f[6] != "typ") return std::nullopt;
  if (f[7] == "host") {
    c.type = Type::kHost;
  } else if (f[7] == "srflx") {
    c.type = Type::kServerReflexive;
  } else if (f[7] == "prflx") {
    c.type = Type::kPeerReflexive;
  } else if (f[7] == "relay") {
    c.type = Type::kRelay;
  } else {
    return std::nullopt;
  }
  return c;
}

std::string IceCandidate::ToString() const {
  static constexpr const char* kTypes[] = {"host", "srflx", "prflx", "relay"};
  return "candidate:" + foundation + " " + std::to_string(component) + " " +
         (transport == Transport::kUdp ? "udp" : "tcp") + " " + std::to_string(priority) + " " +
         endpoint.AddressString() + " " + std::to_string(endpoint.Port()) + " typ " +
         kTypes[static_cast<int>(type)];
}

uint8_t IceCandidate::TypePreference(Type type) {
  switch (type) {
    case Type::kHost:
      return 126;
    case Type::kPeerReflexive:
      return 110;
    case Type::kServerReflexive:
      return 100;
    case Type::kRelay:
      return 0;
  }
  return 0;
}

uint32_t IceCandidate::ComputePriority(Type type, uint16_t local_preference, uint32_t component) {
  return (static_cast<uint32_t>(TypePreference(type)) << 24) |
         (static_cast<uint32_t>(local_preference) << 8) | (256u - std::clamp(component, 1u, 256u));
}

}  // namespace tributary::rtc
