#include "cluster/ClusterAuth.h"

#include "base/Clock.h"
#include "base/Random.h"
#include "net/Url.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::cluster {

namespace {

using rtc::AsBytes;
using rtc::DepOpenSsl;

constexpr std::string_view kKeyLabel = "tributary cluster request v1";
constexpr std::string_view kAlgorithm = "TRIBUTARY-HMAC-SHA256";
constexpr size_t kNonceBytes = 8;
constexpr size_t kMaxNodeIdLength = 64;

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

bool ParseMillis(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 15) return false;  // 15 digits: past the year 30000
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string MissingHeader(std::string_view name) {
  return "missing " + std::string(name) + " header (node-to-node requests must be signed)";
}

}  // namespace

ClusterAuth::ClusterAuth(std::string_view secret, std::string node_id, Options options)
    : key_(DepOpenSsl::HmacSha256(AsBytes(secret), {AsBytes(kKeyLabel)})),
      node_id_(std::move(node_id)),
      options_(options) {}

ClusterAuth::~ClusterAuth() {
  DepOpenSsl::Cleanse(key_);
}

std::string ClusterAuth::Signature(std::string_view method, std::string_view target,
                                   std::string_view timestamp, std::string_view nonce,
                                   std::string_view node, std::string_view body) const {
  const auto body_digest = Hex(DepOpenSsl::Sha256(AsBytes(body)));
  const std::string_view newline = "\n";
  const auto mac = DepOpenSsl::HmacSha256(
      key_,
      {AsBytes(kAlgorithm), AsBytes(newline), AsBytes(method), AsBytes(newline), AsBytes(target),
       AsBytes(newline), AsBytes(timestamp), AsBytes(newline), AsBytes(nonce), AsBytes(newline),
       AsBytes(node), AsBytes(newline), AsBytes(body_digest)});
  return Hex(mac);
}

net::HttpHeaders ClusterAuth::Sign(std::string_view method, std::string_view target,
                                   std::string_view body, uint64_t now_unix_ms) const {
  const std::string timestamp = std::to_string(now_unix_ms);
  std::string nonce = base::RandomHex(kNonceBytes);
  std::string signature = Signature(method, target, timestamp, nonce, node_id_, body);
  return {{std::string(kNodeHeader), node_id_},
          {std::string(kTimestampHeader), timestamp},
          {std::string(kNonceHeader), std::move(nonce)},
          {std::string(kSignatureHeader), std::move(signature)}};
}

net::HttpHeaders ClusterAuth::Sign(std::string_view method, std::string_view target,
                                   std::string_view body) const {
  return Sign(method, target, body, base::WallClockUs() / 1000);
}

void ClusterAuth::SignRequest(net::HttpClientRequest& request) const {
  const auto url = net::Url::Parse(request.url);
  // An unparsable URL is signed as is: the client refuses it before anything is sent.
  const std::string target = url ? url->Target() : request.url;
  const std::string method(boost::beast::http::to_string(request.method));
  for (auto& header : Sign(method, target, request.body))
    request.headers.push_back(std::move(header));
}

ClusterAuth::Verdict ClusterAuth::Verify(const net::HttpRequest& request) {
  return Verify(request, base::WallClockUs() / 1000);
}

ClusterAuth::Verdict ClusterAuth::Verify(const net::HttpRequest& request, uint64_t now_unix_ms) {
  PruneReplayCache(now_unix_ms);
  Verdict verdict;
  const std::string_view node = request[kNodeHeader];
  const std::string_view timestamp = request[kTimestampHeader];
  const std::string_view nonce = request[kNonceHeader];
  const std::string_view signature = request[kSignatureHeader];
  for (auto [name, value] : {std::pair{kSignatureHeader, signature},
                             {kNodeHeader, node},
                             {kTimestampHeader, timestamp},
                             {kNonceHeader, nonce}}) {
    if (value.empty()) {
      verdict.reason = MissingHeader(name);
      return verdict;
    }
  }
  if (node.size() > kMaxNodeIdLength) {
    verdict.reason = "node id in " + std::string(kNodeHeader) + " is too long";
    return verdict;
  }
  uint64_t sent_ms = 0;
  if (!ParseMillis(timestamp, sent_ms)) {
    verdict.reason = std::string(kTimestampHeader) + " is not Unix milliseconds";
    return verdict;
  }
  const uint64_t skew = sent_ms > now_unix_ms ? sent_ms - now_unix_ms : now_unix_ms - sent_ms;
  if (skew > options_.max_skew_ms) {
    verdict.reason = "request timestamp is " + std::to_string(skew / 1000) +
                     " s away from this node's clock (at most " +
                     std::to_string(options_.max_skew_ms / 1000) +
                     " s allowed): check the clocks, or this is a replay";
    return verdict;
  }
  if (signature.size() != 64 || !IsLowerHex(signature)) {
    verdict.reason = std::string(kSignatureHeader) + " is not 64 lowercase hex digits";
    return verdict;
  }
  const std::string expected =
      Signature(request.method_string(), request.target(), timestamp, nonce, node, request.body());
  if (!DepOpenSsl::ConstantTimeEqual(expected, signature)) {
    verdict.reason = "bad signature (is cluster.secret the same on every node?)";
    return verdict;
  }
  std::string seen(signature);
  if (seen_.count(seen)) {
    verdict.reason = "replayed request (this signature was already accepted)";
    return verdict;
  }
  while (!expiries_.empty() && seen_.size() >= options_.replay_capacity) {
    seen_.erase(expiries_.begin()->second);
    expiries_.erase(expiries_.begin());
  }
  seen_.insert(seen);
  expiries_.emplace(sent_ms + options_.max_skew_ms, std::move(seen));
  verdict.ok = true;
  verdict.node = std::string(node);
  return verdict;
}

void ClusterAuth::PruneReplayCache(uint64_t now_unix_ms) {
  while (!expiries_.empty() && expiries_.begin()->first < now_unix_ms) {
    seen_.erase(expiries_.begin()->second);
    expiries_.erase(expiries_.begin());
  }
}

}  // namespace tributary::cluster
