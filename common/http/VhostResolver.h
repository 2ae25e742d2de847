#pragma once

// Which vhost a WHIP/WHEP request is for:
//   1. `?vhost=NAME`, when that vhost allows it (allow_query_vhost), or whatever the vhost
//      allows when the caller vouches for the request (`any_query`: a cluster-signed request
//      or a redirect grant, which always name the vhost in the query);
//   2. the Host header (its port ignored, case-insensitive) against each vhost's domains:
//      exact names first, then "*.example.com" wildcards (any name ending in ".example.com");
//   3. the default vhost.
// A `?vhost=` naming a vhost that does not exist or does not allow it is an unknown vhost (the
// request does not silently land on another tenant); so is a host no vhost serves when there is
// no default.

#include <optional>
#include <string>
#include <string_view>

#include "config/VhostConfig.h"

namespace tributary::http {

class VhostResolver {
 public:
  struct Result {
    const config::VhostConfig* vhost = nullptr;  // nullptr: unknown (404), `error` says why
    std::string error;
  };

  static Result Resolve(const config::VhostSet& vhosts, std::string_view host_header,
                        const std::optional<std::string>& query_vhost, bool any_query = false);

  // The host name of a Host header: lowercase, without the port, IPv6 without brackets.
  static std::string HostName(std::string_view host_header);
  // Whether `domain` (an exact name or "*.suffix") covers `host` (already a HostName).
  static bool DomainMatches(std::string_view domain, std::string_view host);
};

}  // namespace tributary::http
