#pragma once

// Who may use the admin API (/api/v1/sessions, /api/v1/upstreams, kick, reload), from the
// request's Authorization header and its remote address:
//   - `admin.token` of the node's config set: "Bearer <that token>" may do everything;
//   - `admin.token` empty: requests from loopback (127.0.0.0/8, ::1) may do everything without
//     a token; from elsewhere the admin API is closed (403);
//   - one of a vhost's `admin.tokens`: everything within that vhost only (Scope::vhost).
// Tokens are compared in constant time, each of them. A token that matches nothing is 401,
// whatever the address.
//
// Control thread (reads the current VhostSet snapshot it is given).

#include <string>
#include <string_view>

#include "config/VhostConfig.h"
#include "net/HttpExchange.h"
#include "net/HttpMessage.h"

namespace tributary::http {

class AdminAuth {
 public:
  enum class Verdict { kAllowed, kMissing, kInvalid, kForbidden };
  struct Result {
    Verdict verdict = Verdict::kForbidden;
    std::string reason;  // for the client, when not allowed
    std::string vhost;   // allowed for this vhost only; empty: every vhost
    bool Allowed() const { return verdict == Verdict::kAllowed; }
    // Whether the caller may act on `name`'s sessions and streams.
    bool Covers(std::string_view name) const { return vhost.empty() || vhost == name; }
  };

  // `admin_token`: the node's `admin.token` ("" when unset).
  static Result Check(std::string_view admin_token, const config::VhostSet& vhosts,
                      const net::HttpExchange& exchange);
  // The answer for a refused request: 401 with WWW-Authenticate (missing or wrong token) or
  // 403, each with {"error": reason}.
  static net::HttpResponse Refusal(const Result& result);
};

}  // namespace tributary::http
