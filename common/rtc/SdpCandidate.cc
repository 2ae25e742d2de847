#include "rtc/SdpCandidate.h"

#include <charconv>

#include "rtc/SdpTypes.h"

namespace tributary::rtc {

namespace {

bool IsIceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

bool IsTokenChar(char c) {
  // RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsVisible(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// An IPv4 or IPv6 address or a host name: the characters they can hold, 1..255 of them.
bool IsAddress(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == ':' || c == '-' || c == '_' || c == '%';
    if (!ok) return false;
  }
  return true;
}

template <typename T>
bool ParseDecimal(std::string_view s, size_t max_digits, T& out) {
  if (s.empty() || s.size() > max_digits) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ')
      ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::optional<SdpCandidate> SdpCandidate::Parse(std::string_view value, std::string& error) {
  if (value.starts_with("candidate:")) value.remove_prefix(10);
  std::vector<std::string_view> f = SplitSpaces(value);
  if (f.size() < 8) {
    error =
        "expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>', "
        "got " +
        std::to_string(f.size()) + " fields";
    return std::nullopt;
  }
  SdpCandidate c;
  if (f[0].size() > 32 || f[0].empty()) {
    error = "foundation '" + std::string(f[0].substr(0, 40)) + "' must be 1 to 32 characters";
    return std::nullopt;
  }
  for (char ch : f[0]) {
    if (!IsIceChar(ch)) {
      error = "foundation '" + std::string(f[0]) + "' has a character outside [A-Za-z0-9+/]";
      return std::nullopt;
    }
  }
  c.foundation = std::string(f[0]);
  if (!ParseDecimal(f[1], 3, c.component) || c.component < 1 || c.component > 256) {
    error = "component id '" + std::string(f[1].substr(0, 16)) + "' is not a number in 1..256";
    return std::nullopt;
  }
  if (!IsToken(f[2])) {
    error = "transport '" + std::string(f[2].substr(0, 16)) + "' is not a token (udp, tcp)";
    return std::nullopt;
  }
  c.transport = ToLower(f[2]);
  if (!ParseDecimal(f[3], 10, c.priority)) {
    error = "priority '" + std::string(f[3].substr(0, 16)) + "' is not a number in 0..4294967295";
    return std::nullopt;
  }
  if (!IsAddress(f[4])) {
    error = "address '" + std::string(f[4].substr(0, 64)) +
            "' is neither an IP address nor a host name";
    return std::nullopt;
  }
  c.address = std::string(f[4]);
  if (!ParseDecimal(f[5], 5, c.port)) {
    error = "port '" + std::string(f[5].substr(0, 16)) + "' is not a number in 0..65535";
    return std::nullopt;
  }
  if (f[6] != "typ") {
    error = "expected 'typ' after the port, got '" + std::string(f[6].substr(0, 16)) + "'";
    return std::nullopt;
  }
  if (!IsToken(f[7])) {
    error = "candidate type '" + std::string(f[7].substr(0, 16)) + "' is not a token";
    return std::nullopt;
  }
  c.type = std::string(f[7]);
  size_t i = 8;
  if ((f.size() - i) % 2 != 0) {
    error = "extension '" + std::string(f.back().substr(0, 32)) + "' has no value";
    return std::nullopt;
  }
  for (; i + 1 < f.size(); i += 2) {
    std::string_view name = f[i];
    std::string_view val = f[i + 1];
    if (!IsToken(name) || !IsVisible(val)) {
      error = "extension '" + std::string(name.substr(0, 32)) + "' is not '<token> <value>'";
      return std::nullopt;
    }
    bool ok = true;
    if (name == "raddr") {
      ok = IsAddress(val);
      c.related_address = std::string(val);
    } else if (name == "rport") {
      uint16_t p = 0;
      ok = ParseDecimal(val, 5, p);
      c.related_port = p;
    } else if (name == "tcptype") {
      ok = IsToken(val);
      c.tcp_type = std::string(val);
    } else if (name == "generation") {
      uint32_t v = 0;
      ok = ParseDecimal(val, 10, v);
      c.generation = v;
    } else if (name == "ufrag") {
      c.ufrag = std::string(val);
    } else if (name == "network-id") {
      uint32_t v = 0;
      ok = ParseDecimal(val, 10, v);
      c.network_id = v;
    } else if (name == "network-cost") {
      uint32_t v = 0;
      ok = ParseDecimal(val, 10, v);
      c.network_cost = v;
    } else {
      c.extensions.emplace_back(std::string(name), std::string(val));
    }
    if (!ok) {
      error = std::string(name) + " '" + std::string(val.substr(0, 64)) + "' is not valid";
      return std::nullopt;
    }
  }
  if (c.transport == "tcp" && c.tcp_type.empty()) {
    error = "TCP candidate without tcptype (active, passive or so)";
    return std::nullopt;
  }
  return c;
}

std::string SdpCandidate::ToAttributeValue() const {
  std::string out;
  out.reserve(128);
  out += foundation;
  out += ' ';
  out += std::to_string(component);
  out += ' ';
  out += transport;
  out += ' ';
  out += std::to_string(priority);
  out += ' ';
  out += address;
  out += ' ';
  out += std::to_string(port);
  out += " typ ";
  out += type;
  if (!related_address.empty()) {
    out += " raddr ";
    out += related_address;
  }
  if (related_port) {
    out += " rport ";
    out += std::to_string(*related_port);
  }
  if (!tcp_type.empty()) {
    out += " tcptype ";
    out += tcp_type;
  }
  if (generation) {
    out += " generation ";
    out += std::to_string(*generation);
  }
  if (!ufrag.empty()) {
    out += " ufrag ";
    out += ufrag;
  }
  if (network_id) {
    out += " network-id ";
    out += std::to_string(*network_id);
  }
  if (network_cost) {
    out += " network-cost ";
    out += std::to_string(*network_cost);
  }
  for (const auto& [name, value] : extensions) {
    out += ' ';
    out += name;
    out += ' ';
    out += value;
  }
  return out;
}

}  // namespace tributary::rtc
