#include "cluster/RedirectGrant.h"

#include <vector>

#include "base/Clock.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::cluster {

namespace {

using rtc::AsBytes;
using rtc::DepOpenSsl;

constexpr std::string_view kKeyLabel = "tributary redirect grant v1";
constexpr std::string_view kVersion = "1";
constexpr std::string_view kAction = "play";

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

// "<length>:<value>" for each field, so that field boundaries are part of what is signed.
std::string LengthPrefixed(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (std::string_view field : fields) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
  }
  return out;
}

bool ParseDigits(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 15) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

// Splits on '.'; the edge id (name syntax) and the hex digits hold no dots.
std::vector<std::string_view> SplitDots(std::string_view token) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t dot = token.find('.');
    parts.push_back(token.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    token.remove_prefix(dot + 1);
  }
}

}  // namespace

const char* RedirectGrant::ToString(Check check) {
  switch (check) {
    case Check::kOk:
      return "ok";
    case Check::kMalformed:
      return "malformed grant";
    case Check::kWrongEdge:
      return "grant issued for another edge";
    case Check::kBadSignature:
      return "grant signature does not match this stream";
    case Check::kExpired:
      return "grant expired";
  }
  return "?";
}

RedirectGrant::RedirectGrant(std::string_view secret)
    : key_(DepOpenSsl::HmacSha256(AsBytes(secret), {AsBytes(kKeyLabel)})) {}

RedirectGrant::~RedirectGrant() {
  DepOpenSsl::Cleanse(key_);
}

std::string RedirectGrant::Mac(const sfu::StreamKey& key, std::string_view expiry,
                               std::string_view edge_id) const {
  const std::string message =
      LengthPrefixed({kVersion, key.vhost, key.app, key.stream, kAction, expiry, edge_id});
  return Hex(DepOpenSsl::HmacSha256(key_, {AsBytes(message)}));
}

std::string RedirectGrant::Issue(const sfu::StreamKey& key, std::string_view edge_id,
                                 uint64_t now_unix_ms, uint64_t lifetime_ms) const {
  const std::string expiry = std::to_string(now_unix_ms + lifetime_ms);
  std::string token(kVersion);
  token.append(".").append(expiry).append(".").append(edge_id).append(".");
  token += Mac(key, expiry, edge_id);
  return token;
}

std::string RedirectGrant::Issue(const sfu::StreamKey& key, std::string_view edge_id) const {
  return Issue(key, edge_id, base::WallClockUs() / 1000);
}

RedirectGrant::Check RedirectGrant::Verify(std::string_view token, const sfu::StreamKey& key,
                                           std::string_view self_edge_id,
                                           uint64_t now_unix_ms) const {
  if (token.size() > 256) return Check::kMalformed;
  const auto parts = SplitDots(token);
  uint64_t expiry = 0;
  if (parts.size() != 4 || parts[0] != kVersion || !ParseDigits(parts[1], expiry) ||
      parts[2].empty() || parts[3].size() != 64) {
    return Check::kMalformed;
  }
  if (parts[2] != self_edge_id) return Check::kWrongEdge;
  if (!DepOpenSsl::ConstantTimeEqual(Mac(key, parts[1], parts[2]), parts[3])) {
    return Check::kBadSignature;
  }
  if (now_unix_ms > expiry) return Check::kExpired;
  return Check::kOk;
}

RedirectGrant::Check RedirectGrant::Verify(std::string_view token, const sfu::StreamKey& key,
                                           std::string_view self_edge_id) const {
  return Verify(token, key, self_edge_id, base::WallClockUs() / 1000);
}

}  // namespace tributary::cluster
