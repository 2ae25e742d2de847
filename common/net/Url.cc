#include "net/Url.h"

#include <charconv>

namespace tributary::net {

namespace {

bool HasForbiddenCharacter(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

uint16_t DefaultPort(const std::string& scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

bool ValidScheme(std::string_view scheme) {
  if (scheme.empty()) return false;
  for (char c : scheme) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
      return false;
    }
  }
  return scheme.front() >= 'a' && scheme.front() <= 'z';
}

// Splits "path?query#fragment" into the Url's path and query.
bool SplitPathAndQuery(std::string_view rest, std::string& path, std::string& query) {
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto question = rest.find('?');
  std::string_view path_part = rest.substr(0, question);
  if (question != std::string_view::npos) query = std::string(rest.substr(question + 1));
  if (path_part.empty()) {
    path = "/";
  } else if (path_part.front() != '/') {
    return false;
  } else {
    path = std::string(path_part);
  }
  return true;
}

}  // namespace

std::optional<Url> Url::Parse(std::string_view text) {
  if (text.empty() || HasForbiddenCharacter(text)) return std::nullopt;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme_.reserve(scheme_end);
  for (char c : text.substr(0, scheme_end)) {
    url.scheme_ += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!ValidScheme(url.scheme_)) return std::nullopt;

  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.find(':') != std::string_view::npos || host.find('[') != std::string_view::npos ||
        host.find(']') != std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (host.empty()) return std::nullopt;
  url.host_ = std::string(host);
  if (has_port) {
    const auto port = ParsePort(port_text);
    if (!port) return std::nullopt;
    url.port_ = *port;
  } else {
    url.port_ = DefaultPort(url.scheme_);
    if (url.port_ == 0) return std::nullopt;
  }
  if (!SplitPathAndQuery(rest, url.path_, url.query_)) return std::nullopt;
  return url;
}

std::optional<Url> Url::ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/' || HasForbiddenCharacter(target)) {
    return std::nullopt;
  }
  Url url;
  if (!SplitPathAndQuery(target, url.path_, url.query_)) return std::nullopt;
  return url;
}

std::string Url::Target() const {
  return query_.empty() ? path_ : path_ + "?" + query_;
}

std::string Url::HostHeader() const {
  const bool bracket = host_.find(':') != std::string::npos;
  std::string out = bracket ? "[" + host_ + "]" : host_;
  if (port_ != DefaultPort(scheme_)) out += ":" + std::to_string(port_);
  return out;
}

std::string Url::ToString() const {
  if (scheme_.empty()) return Target();
  return scheme_ + "://" + HostHeader() + Target();
}

std::optional<std::string> Url::Param(std::string_view name) const {
  for (auto& [key, value] : ParseQuery(query_)) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

std::optional<std::string> Url::PercentDecode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return std::nullopt;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>((hi << 4) | lo);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Url::PercentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
}

QueryParams Url::ParseQuery(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    auto key = PercentDecode(piece.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>(std::string())
                                              : PercentDecode(piece.substr(eq + 1), true);
    if (!key || !value || key->empty()) continue;
    params.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

}  // namespace tributary::net
