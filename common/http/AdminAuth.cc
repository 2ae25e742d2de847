#include "http/AdminAuth.h"

#include "http/Credentials.h"
#include "http/JsonResponse.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::http {

namespace beast_http = boost::beast::http;

AdminAuth::Result AdminAuth::Check(std::string_view admin_token, const config::VhostSet& vhosts,
                                   const net::HttpExchange& exchange) {
  const std::string_view authorization = exchange.Request()[beast_http::field::authorization];
  const auto token = Credentials::BearerToken(authorization);
  if (!token) {
    if (!authorization.empty()) {
      return {Verdict::kInvalid, "the admin API takes an Authorization: Bearer token", {}};
    }
    if (!admin_token.empty()) {
      return {Verdict::kMissing, "the admin API needs an Authorization: Bearer token", {}};
    }
    if (exchange.Remote().IsLoopback()) return {Verdict::kAllowed, {}, {}};
    return {Verdict::kForbidden,
            "the admin API answers on loopback only (no admin.token is configured); use a "
            "vhost admin token from elsewhere",
            {}};
  }
  // Every token is compared, whatever matched before.
  bool global = !admin_token.empty() && rtc::DepOpenSsl::ConstantTimeEqual(*token, admin_token);
  const config::VhostConfig* scoped = nullptr;
  for (const config::VhostConfig& vhost : vhosts.vhosts) {
    for (const std::string& allowed : vhost.admin.tokens) {
      if (rtc::DepOpenSsl::ConstantTimeEqual(*token, allowed) && scoped == nullptr) {
        scoped = &vhost;
      }
    }
  }
  if (global) return {Verdict::kAllowed, {}, {}};
  if (scoped != nullptr) return {Verdict::kAllowed, {}, scoped->name};
  return {
      Verdict::kInvalid, "the bearer token is not an admin token of this node or of a vhost", {}};
}

net::HttpResponse AdminAuth::Refusal(const Result& result) {
  if (result.verdict == Verdict::kForbidden) {
    return JsonError(net::HttpStatus::forbidden, result.reason);
  }
  net::HttpResponse response = JsonError(net::HttpStatus::unauthorized, result.reason);
  response.set(beast_http::field::www_authenticate,
               result.verdict == Verdict::kMissing
                   ? "Bearer realm=\"tributary-admin\""
                   : "Bearer realm=\"tributary-admin\", error=\"invalid_token\"");
  return response;
}

}  // namespace tributary::http
