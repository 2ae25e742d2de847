#pragma once

// Who may publish, play or administer on a vhost: the Authorization header of a request against
// the vhost's credentials.
//
//   open action (publish.open / play.open)   allowed without a credential
//   no "Authorization: Bearer <token>"       401 (kMissing)
//   a static token of the vhost:
//     listed for this action                 allowed
//     listed for another action only         403 (kForbidden: "valid for play, not publish")
//   a JWT (three dot-separated parts) on a vhost with jwt.secret, verified by JwtVerifier:
//     malformed, not HS256, bad signature,   401 (kInvalid) with JwtVerifier's reason
//     expired, not yet valid
//     valid, but its vhost, action, app or   403 (kForbidden)
//     stream claim does not cover the request (app and stream are globs)
//   anything else (a token of another vhost, a typo, a JWT on a vhost without jwt.secret)
//                                            401 (kInvalid)
// Static tokens are compared in constant time (rtc::DepOpenSsl::ConstantTimeEqual), every token
// of every action, so that neither a match nor its position shows in the timing. A vhost never
// learns of another vhost's tokens: a token of `demo` sent to `acme` is simply unknown (401).
//
// Reasons never echo the token. Stateless: the caller passes the vhost snapshot it resolved,
// so a reload (new tokens) applies to the next request and never to a session already made.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/VhostConfig.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

// kAdmin: the vhost's part of the admin API (admin.tokens, or a JWT with "action": "admin").
enum class StreamAction { kPublish, kPlay, kAdmin };
std::string_view ToString(StreamAction action);

class Credentials {
 public:
  enum class Verdict { kAllowed, kMissing, kInvalid, kForbidden };
  struct Result {
    Verdict verdict = Verdict::kInvalid;
    std::string reason;  // for the client, when not allowed

    bool Allowed() const { return verdict == Verdict::kAllowed; }
    // 401 (missing or invalid) or 403 (forbidden); 200 when allowed.
    int HttpStatus() const;
  };

  // `key` names the stream (vhost, app, stream) of the request; for kAdmin only its vhost
  // matters. `now_unix_s` checks JWT validity (the wall clock by default).
  static Result Check(const config::VhostConfig& vhost, StreamAction action,
                      const sfu::StreamKey& key, std::string_view authorization);
  static Result Check(const config::VhostConfig& vhost, StreamAction action,
                      const sfu::StreamKey& key, std::string_view authorization,
                      int64_t now_unix_s);

  // The token of "Bearer <token>" (scheme case-insensitive); nothing for another scheme or an
  // empty token.
  static std::optional<std::string_view> BearerToken(std::string_view authorization);
  // Whether `token` is one of `tokens`, every one compared in constant time.
  static bool TokenListed(std::string_view token, const std::vector<std::string>& tokens);
  static bool LooksLikeJwt(std::string_view token);

 private:
  static Result CheckJwt(const config::VhostConfig& vhost, StreamAction action,
                         const sfu::StreamKey& key, std::string_view token, int64_t now_unix_s);
};

}  // namespace tributary::http
