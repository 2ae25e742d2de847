#pragma once

// Why a WHIP/WHEP client operation failed, in a form a caller can act on (retry later, give
// up, tell the operator) and a person can read. Every failure of WhipWhepSignaling, WhipClient
// and WhepClient is one of these.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tributary::http {

struct ClientError {
  enum class Kind {
    kNone,
    kNetwork,           // no HTTP answer: resolve, connect, TLS, timeout
    kHttpStatus,        // an answer with a status we do not accept (4xx/5xx, unexpected 2xx/3xx)
    kNotLive,           // WHEP 409 + Retry-After: the stream has no publisher (yet)
    kTooManyRedirects,  // more 307/308 hops than allowed
    kRedirectLoop,      // a redirect back to a URL already visited
    kBadResponse,       // 201 without Location or SDP, a Location that does not resolve...
    kSdpRejected,       // the answer does not parse or does not fit the offer
    kSession,           // the local session could not be created from the negotiation
    kTransport,         // ICE or DTLS failed, or the connection did not come up in time
    kClosed,            // the session ended after it was up (consent lost, peer closed)
    kCancelled,         // the client was closed before the operation finished
  };

  Kind kind = Kind::kNone;
  int status = 0;      // the HTTP status, when there was one
  std::string reason;  // what went wrong, for people: "POST http://...: 403 Forbidden: bad token"
  // When the server said when to try again (409/503 + Retry-After).
  std::optional<std::chrono::milliseconds> retry_after;

  bool Ok() const { return kind == Kind::kNone; }
  explicit operator bool() const { return !Ok(); }  // true when there is an error

  // "<kind>: <reason>".
  std::string ToString() const;
  static std::string_view KindName(Kind kind);

  static ClientError Make(Kind kind, std::string reason, int status = 0) {
    ClientError error;
    error.kind = kind;
    error.reason = std::move(reason);
    error.status = status;
    return error;
  }
};

}  // namespace tributary::http
