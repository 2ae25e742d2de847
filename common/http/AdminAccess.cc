#include "http/AdminAccess.h"

#include <boost/beast/http/field.hpp>

#include "http/Credentials.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::http {

bool AdminAccess::IsAdminPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/api/v1/";
  if (!path.starts_with(kPrefix)) return false;
  return path != "/api/v1/health" && path != "/api/v1/ready";
}

AdminAccess::Result AdminAccess::Check(const config::NodeConfig& config,
                                       const config::VhostSet& vhosts,
                                       const net::HttpExchange& exchange) {
  Result result;
  const auto authorization = exchange.Request()[boost::beast::http::field::authorization];
  const auto token = Credentials::BearerToken(authorization);
  if (!token) {
    if (config.admin_token.empty() && authorization.empty() && exchange.Remote().IsLoopback()) {
      result.status = 200;
      result.scope.global = true;
      return result;
    }
    result.reason = config.admin_token.empty()
                        ? "the admin API needs an Authorization: Bearer token (admin.token is not "
                          "set: without a token it answers only on loopback)"
                        : "the admin API needs an Authorization: Bearer token";
    return result;
  }
  // Every token is compared, the global one and every vhost's, whatever matched.
  const bool global =
      !config.admin_token.empty() && rtc::DepOpenSsl::ConstantTimeEqual(*token, config.admin_token);
  for (const auto& vhost : vhosts.vhosts) {
    if (Credentials::TokenListed(*token, vhost.admin.tokens))
      result.scope.vhosts.insert(vhost.name);
  }
  if (global) {
    result.scope.global = true;
    result.scope.vhosts.clear();
  }
  if (!result.scope.global && result.scope.vhosts.empty()) {
    result.reason = "the bearer token is not an admin token of this node or of any vhost";
    return result;
  }
  result.status = 200;
  return result;
}

}  // namespace tributary::http
