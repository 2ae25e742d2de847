#pragma once

// HS256 JSON Web Tokens (RFC 7519) of a vhost, through Debian's libjwt: the only file that
// includes <jwt.h>. A token is accepted when
//   - it has three base64url parts whose first two are JSON objects,
//   - its header's "alg" is exactly "HS256" (libjwt would also verify HS384/HS512 with the same
//     key, and "none" without one: both are refused here, before libjwt sees the token),
//   - libjwt verifies its signature with the vhost's jwt.secret,
//   - its claims have the right types: "vhost", "action" (strings) and "exp" (a whole number of
//     Unix seconds) are required; "app" and "stream" (strings, globs) and "nbf" (seconds) are
//     optional,
//   - it is within its validity, give or take the vhost's jwt.clock_skew_s:
//     now < exp + skew and now >= nbf - skew.
// What the claims allow (vhost, action, app, stream) is the caller's decision (Credentials).
//
// Stateless; any thread (libjwt's decode keeps no global state).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::http {

struct JwtClaims {
  std::string vhost;
  std::string action;  // "publish", "play" or "admin"
  std::string app;     // a glob; "*" when absent
  std::string stream;  // a glob; "*" when absent
  int64_t exp = 0;     // Unix seconds
  std::optional<int64_t> nbf;
};

class JwtVerifier {
 public:
  enum class Error {
    kNone,
    kMalformed,     // not a JWT, bad base64url or JSON, a claim missing or of the wrong type
    kAlgorithm,     // "alg" is not HS256 ("none", HS384, RS256...)
    kBadSignature,  // another key, or a changed header or payload
    kExpired,       // now >= exp + skew
    kNotYetValid,   // now < nbf - skew
  };
  struct Result {
    Error error = Error::kMalformed;
    std::string reason;  // for the client, when not kNone
    JwtClaims claims;    // when kNone
  };

  // `secret` must not be empty (an empty one verifies nothing: kBadSignature).
  static Result Verify(std::string_view token, std::string_view secret, uint32_t clock_skew_s,
                       int64_t now_unix_s);
  static Result Verify(std::string_view token, std::string_view secret, uint32_t clock_skew_s);

  // An HS256 token with these claims (an empty app/stream is left out, as is an absent nbf),
  // for tests and tools. Throws std::runtime_error if libjwt fails.
  static std::string Sign(const JwtClaims& claims, std::string_view secret);

  // Whether `name` matches `glob`: '*' any run of characters (also none), '?' one character,
  // anything else itself.
  static bool GlobMatches(std::string_view glob, std::string_view name);
};

}  // namespace tributary::http
