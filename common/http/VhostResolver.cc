#include "http/VhostResolver.h"

#include <algorithm>
#include <cctype>

namespace tributary::http {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string VhostResolver::HostName(std::string_view host) {
  while (!host.empty() && (host.front() == ' ' || host.front() == '\t'))
    host.remove_prefix(1);
  while (!host.empty() && (host.back() == ' ' || host.back() == '\t'))
    host.remove_suffix(1);
  if (!host.empty() && host.front() == '[') {
    const size_t end = host.find(']');
    return Lower(end == std::string_view::npos ? host.substr(1) : host.substr(1, end - 1));
  }
  const size_t colon = host.find(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // "example.com."
  return Lower(host);
}

bool VhostResolver::DomainMatches(std::string_view domain, std::string_view host) {
  const std::string pattern = Lower(domain);
  if (pattern.starts_with("*.")) {
    const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.com"
    return host.size() > suffix.size() && host.ends_with(suffix);
  }
  return pattern == host;
}

VhostResolver::Result VhostResolver::Resolve(const config::VhostSet& vhosts,
                                             std::string_view host_header,
                                             const std::optional<std::string>& query_vhost,
                                             bool any_query) {
  Result result;
  if (query_vhost) {
    const config::VhostConfig* vhost = vhosts.Find(*query_vhost);
    if (vhost == nullptr || (!vhost->allow_query_vhost && !any_query)) {
      result.error = "unknown vhost '" + *query_vhost + "'";
      return result;
    }
    result.vhost = vhost;
    return result;
  }
  const std::string host = HostName(host_header);
  if (!host.empty()) {
    for (const auto& vhost : vhosts.vhosts) {
      for (const auto& domain : vhost.domains) {
        if (!domain.starts_with("*.") && DomainMatches(domain, host)) {
          result.vhost = &vhost;
          return result;
        }
      }
    }
    for (const auto& vhost : vhosts.vhosts) {
      for (const auto& domain : vhost.domains) {
        if (domain.starts_with("*.") && DomainMatches(domain, host)) {
          result.vhost = &vhost;
          return result;
        }
      }
    }
  }
  result.vhost = vhosts.Default();
  if (result.vhost == nullptr) {
    result.error = "no vhost serves host '" + host + "' and there is no default vhost";
  }
  return result;
}

}  // namespace tributary::http
