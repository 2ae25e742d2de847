#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/HttpExchange.h"

namespace tributary::http {

// Values of the {name} segments of a matched pattern, percent-decoded.
class RouteParams {
 public:
  void Set(std::string name, std::string value);
  // The value of a parameter of the pattern; empty for a name the pattern does not have.
  const std::string& Get(std::string_view name) const;
  size_t Size() const { return values_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Maps method + path pattern to a handler. Patterns are absolute paths whose segments are
// literals or {name} (one whole segment, any non-empty value): "/whip/{app}/{stream}". Routes
// are tried in the order they were added; the first whose pattern and method match takes the
// request. A path some pattern matches with another method gets 405 with an Allow header; no
// match at all gets 404; both with a JSON reason.
class HttpRouter {
 public:
  using RouteHandler = std::function<void(const net::HttpExchange&, const RouteParams&)>;

  // Throws std::invalid_argument for a malformed pattern.
  void Add(net::HttpMethod method, std::string_view pattern, RouteHandler handler);
  void Dispatch(const net::HttpExchange& exchange) const;

 private:
  struct Segment {
    std::string text;  // literal, or the parameter's name
    bool parameter = false;
  };
  struct Route {
    net::HttpMethod method;
    std::string pattern;
    std::vector<Segment> segments;
    RouteHandler handler;
  };
  enum class MatchResult { kNo, kYes, kBadEncoding };
  static MatchResult Match(const Route& route, const std::vector<std::string_view>& path,
                           RouteParams& params);

  std::vector<Route> routes_;
};

}  // namespace tributary::http
