#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tributary::net {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// An http:// or https:// URL (absolute form, for the client) or a request target (origin form,
// "/path?query", for the server). Path and query stay percent-encoded as received; query
// parameters and path segments are decoded on request.
class Url {
 public:
  // "scheme://host[:port][/path][?query][#fragment]". The scheme is lowercased; the port
  // defaults to 80/443 for http/https and is required for other schemes; an IPv6 host is
  // bracketed ("http://[::1]:8080/"). User info, spaces and control characters are refused.
  static std::optional<Url> Parse(std::string_view text);
  // "/path[?query]" as found in an HTTP request line.
  static std::optional<Url> ParseTarget(std::string_view target);

  const std::string& Scheme() const { return scheme_; }
  const std::string& Host() const { return host_; }  // without brackets
  uint16_t Port() const { return port_; }
  bool Tls() const { return scheme_ == "https"; }
  const std::string& Path() const { return path_; }    // "/" when the URL had none
  const std::string& Query() const { return query_; }  // without '?'; may be empty
  std::string Target() const;                          // path[?query], for a request line
  std::string HostHeader() const;  // host[:port] as a Host header carries it (port if not default)
  std::string ToString() const;

  QueryParams Params() const { return ParseQuery(query_); }
  // The first value of the named parameter, decoded; nullopt when absent.
  std::optional<std::string> Param(std::string_view name) const;

  // Decodes %XX escapes (and '+' as a space when asked: form and query encoding). nullopt for a
  // truncated or non-hex escape.
  static std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space = false);
  // Encodes everything but RFC 3986 unreserved characters.
  static std::string PercentEncode(std::string_view in);
  // "a=1&b=x%20y&flag" -> {{"a","1"},{"b","x y"},{"flag",""}}; pairs that do not decode are
  // skipped, empty pieces ignored.
  static QueryParams ParseQuery(std::string_view query);

 private:
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
  std::string path_ = "/";
  std::string query_;
};

}  // namespace tributary::net
