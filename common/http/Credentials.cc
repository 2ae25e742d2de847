#include "http/Credentials.h"

#include <algorithm>

#include "rtc/deps/DepOpenSsl.h"

namespace tributary::http {

namespace {

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

}  // namespace

std::string_view ToString(StreamAction action) {
  return action == StreamAction::kPublish ? "publish" : "play";
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

Credentials::Result Credentials::Check(const config::VhostConfig& vhost, StreamAction action,
                                       const sfu::StreamKey& key, std::string_view authorization) {
  const config::ActionAuth& auth = action == StreamAction::kPublish ? vhost.publish : vhost.play;
  if (auth.open) return {Verdict::kAllowed, {}};
  const auto token = BearerToken(authorization);
  if (!token) {
    return {Verdict::kMissing, std::string(ToString(action)) + " on vhost '" + vhost.name +
                                   "' needs an Authorization: Bearer token"};
  }
  bool match = false;
  for (const std::string& allowed : auth.tokens) {
    // Every token is compared, whatever matched before.
    match = rtc::DepOpenSsl::ConstantTimeEqual(*token, allowed) || match;
  }
  if (match) return {Verdict::kAllowed, {}};
  if (!vhost.jwt.secret.empty() && LooksLikeJwt(*token)) {
    return CheckJwt(vhost, action, key, *token);
  }
  return {Verdict::kInvalid, "the bearer token is not valid for " + std::string(ToString(action)) +
                                 " on vhost '" + vhost.name + "'"};
}

Credentials::Result Credentials::CheckJwt(const config::VhostConfig& vhost, StreamAction action,
                                          const sfu::StreamKey& /*key*/,
                                          std::string_view /*token*/) {
  // HS256 verification (signature, exp/nbf with jwt.clock_skew_s, vhost/app/stream/action
  // claims) is a later issue.
  return {Verdict::kInvalid, "JWTs are not accepted yet for " + std::string(ToString(action)) +
                                 " on vhost '" + vhost.name + "'"};
}

}  // namespace tributary::http
