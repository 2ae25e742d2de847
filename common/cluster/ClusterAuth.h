#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "net/HttpClient.h"
#include "net/HttpMessage.h"

namespace tributary::cluster {

// The cluster credential on node-to-node HTTP requests. The shared secret (cluster.secret) never
// crosses the wire: the sender signs the request with HMAC-SHA256 under a key derived from it,
// and puts the signature and what it covers in headers:
//
//   X-Tributary-Node       the sender's node id
//   X-Tributary-Timestamp  the sender's wall clock, Unix milliseconds
//   X-Tributary-Nonce      16 random hex characters (two identical requests sign differently)
//   X-Tributary-Signature  64 lowercase hex characters: HMAC-SHA256(key, canonical request)
//
// The canonical request is the lines
//   "TRIBUTARY-HMAC-SHA256", METHOD, target (path?query as on the request line), timestamp,
//   nonce, node, hex(SHA-256(body))
// joined with '\n', and key = HMAC-SHA256(secret, "tributary cluster request v1").
//
// Verify() accepts a request whose signature matches (compared in constant time), whose
// timestamp is within `max_skew_ms` of this node's clock, and whose signature it has not seen
// before (a replay cache keeps each accepted signature until its timestamp is out of the skew
// window, so it cannot be accepted twice). Everything else gets a reason for a 401.
//
// Not thread-safe: Verify() updates the replay cache. Use one instance on the control thread.
class ClusterAuth {
 public:
  static constexpr std::string_view kNodeHeader = "X-Tributary-Node";
  static constexpr std::string_view kTimestampHeader = "X-Tributary-Timestamp";
  static constexpr std::string_view kNonceHeader = "X-Tributary-Nonce";
  static constexpr std::string_view kSignatureHeader = "X-Tributary-Signature";
  // The auth-scheme named in WWW-Authenticate on a 401.
  static constexpr std::string_view kScheme = "Tributary-HMAC-SHA256";

  struct Options {
    uint64_t max_skew_ms = 30000;
    // Accepted signatures remembered at most; past it the oldest are forgotten first.
    size_t replay_capacity = 100000;
  };

  struct Verdict {
    bool ok = false;
    std::string node;    // the authenticated sender, when ok
    std::string reason;  // why not, for the 401 body and the logs
  };

  // `node_id` signs this node's requests.
  ClusterAuth(std::string_view secret, std::string node_id, Options options);
  ClusterAuth(std::string_view secret, std::string node_id)
      : ClusterAuth(secret, std::move(node_id), Options()) {}
  ~ClusterAuth();
  ClusterAuth(const ClusterAuth&) = delete;
  ClusterAuth& operator=(const ClusterAuth&) = delete;

  // The four headers for a request. `method` as on the request line ("POST").
  net::HttpHeaders Sign(std::string_view method, std::string_view target, std::string_view body,
                        uint64_t now_unix_ms) const;
  net::HttpHeaders Sign(std::string_view method, std::string_view target,
                        std::string_view body) const;
  // Adds the headers to a client request (its target taken from request.url).
  void SignRequest(net::HttpClientRequest& request) const;

  Verdict Verify(const net::HttpRequest& request, uint64_t now_unix_ms);
  Verdict Verify(const net::HttpRequest& request);

  const std::string& NodeId() const { return node_id_; }
  size_t ReplayCacheSize() const { return seen_.size(); }

 private:
  std::string Signature(std::string_view method, std::string_view target,
                        std::string_view timestamp, std::string_view nonce, std::string_view node,
                        std::string_view body) const;
  // Forgets signatures whose timestamps are out of the window.
  void PruneReplayCache(uint64_t now_unix_ms);

  std::array<uint8_t, 32> key_;
  std::string node_id_;
  Options options_;
  // Accepted signatures, and the same ordered by the time they may be forgotten.
  std::unordered_set<std::string> seen_;
  std::set<std::pair<uint64_t, std::string>> expiries_;
};

}  // namespace tributary::cluster
