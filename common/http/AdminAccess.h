#pragma once

// Who may use the admin API (every /api/v1/ route but /api/v1/health and /api/v1/ready):
//
//   Authorization: Bearer <admin.token>         the global admin: every route, every vhost
//   Authorization: Bearer <a vhost's admin      that vhost's admin: the routes that are scoped
//   token> (admin.tokens of its file)           by vhost (sessions, vhosts, streams...), and in
//                                               them only its vhost's data; any other route 403
//   no Authorization, admin.token empty,        the global admin ("open on loopback": a node
//   the client on loopback (127.0.0.0/8, ::1)   without an admin token is administered from
//                                               its own machine only)
//   anything else                               401 with WWW-Authenticate: Bearer
//
// Tokens are compared in constant time, every one of them. NodeRunner applies the check to
// every request before routing it, so that a route added later is global-only unless it is
// declared vhost-scoped (NodeRunner::AddVhostScopedAdminRoute); handlers of scoped routes ask
// for the scope again (Check is a pure function of the request and the configuration) and show
// only what it covers.

#include <set>
#include <string>
#include <string_view>

#include "config/NodeConfig.h"
#include "config/VhostConfig.h"
#include "net/HttpExchange.h"

namespace tributary::http {

class AdminAccess {
 public:
  struct Scope {
    bool global = false;
    std::set<std::string> vhosts;  // a vhost admin's vhosts (one, unless a token is shared)

    bool Covers(const std::string& vhost) const { return global || vhosts.count(vhost) != 0; }
  };
  struct Result {
    int status = 401;  // 200, or 401 (no or unknown credential)
    std::string reason;
    Scope scope;
    bool Allowed() const { return status == 200; }
  };

  // Whether `path` is an admin route at all (under /api/v1/, not health or ready).
  static bool IsAdminPath(std::string_view path);
  static Result Check(const config::NodeConfig& config, const config::VhostSet& vhosts,
                      const net::HttpExchange& exchange);
};

}  // namespace tributary::http
