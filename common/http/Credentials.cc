#include "http/Credentials.h"

#include <algorithm>

#include "base/Clock.h"
#include "http/JwtVerifier.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::http {

namespace {

const config::ActionAuth& AuthOf(const config::VhostConfig& vhost, StreamAction action) {
  switch (action) {
    case StreamAction::kPublish:
      return vhost.publish;
    case StreamAction::kPlay:
      return vhost.play;
    case StreamAction::kAdmin:
      break;
  }
  return vhost.admin;
}

std::string On(StreamAction action, const config::VhostConfig& vhost) {
  return std::string(ToString(action)) + " on vhost '" + vhost.name + "'";
}

}  // namespace

std::string_view ToString(StreamAction action) {
  switch (action) {
    case StreamAction::kPublish:
      return "publish";
    case StreamAction::kPlay:
      return "play";
    case StreamAction::kAdmin:
      break;
  }
  return "admin";
}

int Credentials::Result::HttpStatus() const {
  switch (verdict) {
    case Verdict::kAllowed:
      return 200;
    case Verdict::kForbidden:
      return 403;
    case Verdict::kMissing:
    case Verdict::kInvalid:
      break;
  }
  return 401;
}

bool Credentials::LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

std::optional<std::string_view> Credentials::BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  while (!authorization.empty() && authorization.front() == ' ')
    authorization.remove_prefix(1);
  if (authorization.size() <= kScheme.size() || authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if (static_cast<char>(c | 0x20) != kScheme[i]) return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
    token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

bool Credentials::TokenListed(std::string_view token, const std::vector<std::string>& tokens) {
  bool match = false;
  for (const std::string& allowed : tokens) {
    // Every token is compared, whatever matched before.
    match = rtc::DepOpenSsl::ConstantTimeEqual(token, allowed) || match;
  }
  return match;
}

Credentials::Result Credentials::Check(const config::VhostConfig& vhost, StreamAction action,
                                       const sfu::StreamKey& key, std::string_view authorization) {
  return Check(vhost, action, key, authorization,
               static_cast<int64_t>(base::WallClockUs() / 1000000));
}

Credentials::Result Credentials::Check(const config::VhostConfig& vhost, StreamAction action,
                                       const sfu::StreamKey& key, std::string_view authorization,
                                       int64_t now_unix_s) {
  const config::ActionAuth& auth = AuthOf(vhost, action);
  if (auth.open && action != StreamAction::kAdmin) return {Verdict::kAllowed, {}};
  const auto token = BearerToken(authorization);
  if (!token) {
    return {Verdict::kMissing, On(action, vhost) + " needs an Authorization: Bearer token"};
  }
  // Every list is scanned, so that the time does not tell which one holds the token.
  bool listed[3] = {TokenListed(*token, vhost.publish.tokens),
                    TokenListed(*token, vhost.play.tokens),
                    TokenListed(*token, vhost.admin.tokens)};
  if (listed[static_cast<size_t>(action)]) return {Verdict::kAllowed, {}};
  for (const StreamAction other :
       {StreamAction::kPublish, StreamAction::kPlay, StreamAction::kAdmin}) {
    if (listed[static_cast<size_t>(other)]) {
      return {Verdict::kForbidden, "the bearer token is valid for " + On(other, vhost) + ", not " +
                                       std::string(ToString(action))};
    }
  }
  if (LooksLikeJwt(*token)) {
    if (vhost.jwt.secret.empty()) {
      return {Verdict::kInvalid,
              "vhost '" + vhost.name + "' accepts no JWTs (it has no jwt.secret)"};
    }
    return CheckJwt(vhost, action, key, *token, now_unix_s);
  }
  return {Verdict::kInvalid, "the bearer token is not valid for " + On(action, vhost)};
}

Credentials::Result Credentials::CheckJwt(const config::VhostConfig& vhost, StreamAction action,
                                          const sfu::StreamKey& key, std::string_view token,
                                          int64_t now_unix_s) {
  const auto verified =
      JwtVerifier::Verify(token, vhost.jwt.secret, vhost.jwt.clock_skew_s, now_unix_s);
  if (verified.error != JwtVerifier::Error::kNone) {
    return {Verdict::kInvalid, verified.reason + " (" + On(action, vhost) + ")"};
  }
  const JwtClaims& claims = verified.claims;
  if (claims.vhost != vhost.name) {
    return {Verdict::kForbidden,
            "the JWT is for vhost '" + claims.vhost.substr(0, 64) + "', not '" + vhost.name + "'"};
  }
  if (claims.action != ToString(action)) {
    return {Verdict::kForbidden, "the JWT allows action '" + claims.action.substr(0, 16) +
                                     "', not " + std::string(ToString(action))};
  }
  if (action == StreamAction::kAdmin) return {Verdict::kAllowed, {}};
  if (!JwtVerifier::GlobMatches(claims.app, key.app)) {
    return {Verdict::kForbidden,
            "the JWT covers app '" + claims.app.substr(0, 64) + "', not '" + key.app + "'"};
  }
  if (!JwtVerifier::GlobMatches(claims.stream, key.stream)) {
    return {Verdict::kForbidden, "the JWT covers stream '" + claims.stream.substr(0, 64) +
                                     "', not '" + key.stream + "'"};
  }
  return {Verdict::kAllowed, {}};
}

}  // namespace tributary::http
