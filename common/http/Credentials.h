#pragma once

// Who may publish or play on a vhost: the Authorization header of a WHIP/WHEP request against
// the vhost's ActionAuth (`open`, or one of its static bearer tokens). Tokens are compared in
// constant time (rtc::DepOpenSsl::ConstantTimeEqual), each of them, so that neither the match
// nor its position shows in the timing.
//
// JWTs (HS256 tokens scoped to vhost, app, stream and action) come with a later issue: a
// bearer token shaped like a JWT on a vhost with a jwt.secret goes to CheckJwt, which refuses
// every token for now. That is the seam.

#include <optional>
#include <string>
#include <string_view>

#include "config/VhostConfig.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

enum class StreamAction { kPublish, kPlay };
std::string_view ToString(StreamAction action);

class Credentials {
 public:
  enum class Verdict { kAllowed, kMissing, kInvalid };
  struct Result {
    Verdict verdict = Verdict::kInvalid;
    std::string reason;  // for the client, when not allowed
  };

  static Result Check(const config::VhostConfig& vhost, StreamAction action,
                      const sfu::StreamKey& key, std::string_view authorization);

  // The token of "Bearer <token>" (scheme case-insensitive); nothing for another scheme or an
  // empty token.
  static std::optional<std::string_view> BearerToken(std::string_view authorization);

 private:
  static Result CheckJwt(const config::VhostConfig& vhost, StreamAction action,
                         const sfu::StreamKey& key, std::string_view token);
};

}  // namespace tributary::http
