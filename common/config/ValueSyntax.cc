#include "config/ValueSyntax.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>

namespace tributary::config {

namespace {

bool IsLowerAlnumOrDash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool IsHostNameChar(char c) {
  return IsLowerAlnumOrDash(c) || (c >= 'A' && c <= 'Z');
}

std::string Quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
bool IsHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsHostNameChar(c)) return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string CheckPort(std::string_view text, uint32_t min) {
  uint64_t port = 0;
  if (!ParseUnsigned(text, port)) return "bad port " + Quoted(text) + ": expected a number";
  if (port < min || port > 65535) {
    return "port " + std::string(text) + " out of range " + std::to_string(min) + "..65535";
  }
  return {};
}

// "host[:port]" where host is a name, an IPv4 literal or a bracketed IPv6 literal.
std::string CheckAuthority(std::string_view authority) {
  if (authority.empty()) return "no host";
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return "unclosed '[' around an IPv6 address";
    host = authority.substr(1, close - 1);
    if (!IsIpv6Literal(host)) return Quoted(host) + " is not an IPv6 address";
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "unexpected " + Quoted(rest) + " after ']'";
      port = rest.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
      if (port.find(':') != std::string_view::npos) {
        return "an IPv6 address needs brackets, e.g. [::1]:8101";
      }
    }
    if (!IsHostName(host)) return Quoted(host) + " is not a host name or IP address";
  }
  if (has_port) return CheckPort(port, 1);
  return {};
}

}  // namespace

bool ParseUnsigned(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string CheckName(std::string_view name) {
  if (name.empty() || name.size() > 32) {
    return "bad name " + Quoted(name) + ": expected 1 to 32 characters of [a-z0-9-]";
  }
  for (char c : name) {
    if (!IsLowerAlnumOrDash(c)) {
      return "bad name " + Quoted(name) + ": expected only characters of [a-z0-9-]";
    }
  }
  return {};
}

bool IsIpv6Literal(std::string_view text) {
  std::array<uint8_t, 16> bytes;
  return inet_pton(AF_INET6, std::string(text).c_str(), bytes.data()) == 1;
}

bool IsIpLiteral(std::string_view text) {
  std::array<uint8_t, 4> bytes;
  return inet_pton(AF_INET, std::string(text).c_str(), bytes.data()) == 1 || IsIpv6Literal(text);
}

std::string CheckIpLiteral(std::string_view text) {
  if (IsIpLiteral(text)) return {};
  return Quoted(text) + " is not an IPv4 or IPv6 address";
}

bool IsWildcardIp(std::string_view text) {
  if (text == "0.0.0.0") return true;
  std::array<uint8_t, 16> bytes{};
  if (inet_pton(AF_INET6, std::string(text).c_str(), bytes.data()) != 1) return false;
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

std::string ParseListenAddress(std::string_view text, ListenAddress& out) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      return "bad listen address " + Quoted(text) + ": expected [IPv6]:port";
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!IsIpv6Literal(host)) return Quoted(host) + " is not an IPv6 address";
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return "bad listen address " + Quoted(text) + ": expected host:port, e.g. 127.0.0.1:8101";
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return "bad listen address " + Quoted(text) +
             ": an IPv6 address needs brackets, e.g. [::1]:" + std::string(port);
    }
    if (!IsIpLiteral(host)) {
      return "bad listen address " + Quoted(text) + ": host " + Quoted(host) +
             " is not an IP address (write 127.0.0.1, 0.0.0.0 or [::1])";
    }
  }
  if (std::string reason = CheckPort(port, 1); !reason.empty()) return reason;
  uint64_t number = 0;
  ParseUnsigned(port, number);
  out.host = std::string(host);
  out.port = static_cast<uint16_t>(number);
  return {};
}

std::string FormatHostPort(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string CheckHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return "bad URL " + Quoted(url) + ": expected http://host[:port] or https://host[:port]";
  }
  if (rest.find_first_of("?#@ ") != std::string_view::npos) {
    return "bad URL " + Quoted(url) + ": no user, query, fragment or space allowed";
  }
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (std::string reason = CheckAuthority(authority); !reason.empty()) {
    return "bad URL " + Quoted(url) + ": " + reason;
  }
  return {};
}

std::string CheckIceUrl(std::string_view url) {
  static constexpr std::string_view kSchemes[] = {"stun:", "stuns:", "turn:", "turns:"};
  std::string_view rest;
  bool is_turn = false;
  for (std::string_view scheme : kSchemes) {
    if (url.starts_with(scheme)) {
      rest = url.substr(scheme.size());
      is_turn = scheme.starts_with("turn");
      break;
    }
  }
  if (rest.empty()) {
    return "bad ICE server URL " + Quoted(url) +
           ": expected stun:host[:port], stuns:, turn:host[:port][?transport=udp|tcp] or turns:";
  }
  const size_t query = rest.find('?');
  if (query != std::string_view::npos) {
    const std::string_view params = rest.substr(query + 1);
    if (!is_turn || (params != "transport=udp" && params != "transport=tcp")) {
      return "bad ICE server URL " + Quoted(url) +
             ": only turn/turns URLs take a query, ?transport=udp or ?transport=tcp";
    }
    rest = rest.substr(0, query);
  }
  if (std::string reason = CheckAuthority(rest); !reason.empty()) {
    return "bad ICE server URL " + Quoted(url) + ": " + reason;
  }
  return {};
}

std::string CheckCidr(std::string_view cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return "bad CIDR " + Quoted(cidr) + ": expected address/prefix, e.g. 10.0.0.0/8";
  }
  const std::string address(cidr.substr(0, slash));
  std::array<uint8_t, 16> bytes{};
  size_t bits = 0;
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
    bits = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) {
    bits = 128;
  } else {
    return "bad CIDR " + Quoted(cidr) + ": " + Quoted(address) + " is not an IP address";
  }
  uint64_t prefix = 0;
  if (!ParseUnsigned(cidr.substr(slash + 1), prefix) || prefix > bits) {
    return "bad CIDR " + Quoted(cidr) + ": prefix length must be 0.." + std::to_string(bits);
  }
  for (size_t bit = prefix; bit < bits; ++bit) {
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) {
      return "bad CIDR " + Quoted(cidr) + ": host bits are set after the /" +
             std::to_string(prefix) + " prefix";
    }
  }
  return {};
}

std::string CheckDomain(std::string_view domain) {
  if (IsIpLiteral(domain)) return {};
  std::string_view name = domain;
  if (name.starts_with("*.")) name = name.substr(2);
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return "bad domain " + Quoted(domain) + ": write it in lowercase";
  }
  if (!IsHostName(name)) {
    return "bad domain " + Quoted(domain) + ": expected a host name, *.host.name or an IP address";
  }
  return {};
}

std::string ParseDurationMs(std::string_view text, uint64_t& out_ms) {
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}, {"", 1}};
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  const std::string_view unit = text.substr(digits);
  uint64_t number = 0;
  if (digits > 0 && digits <= 12 && ParseUnsigned(text.substr(0, digits), number)) {
    for (const auto& [name, scale] : kUnits) {
      if (unit == name) {
        out_ms = number * scale;
        return {};
      }
    }
  }
  return "bad duration " + Quoted(text) +
         ": expected milliseconds (1500) or a whole number with a unit (1500ms, 30s, 5m, 1h)";
}

}  // namespace tributary::config
