#include "http/HttpRouter.h"

#include <stdexcept>

#include <boost/beast/http/field.hpp>

namespace tributary::http {

namespace {

// "/a/b/c" -> {"a", "b", "c"}; "/" -> {}. Empty segments ("//", trailing '/') are kept so
// that they do not match a pattern without them.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") return segments;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

void RouteParams::Set(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

const std::string& RouteParams::Get(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  return kEmpty;
}

void HttpRouter::Add(net::HttpMethod method, std::string_view pattern, RouteHandler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern '" + std::string(pattern) + "' must start with /");
  }
  Route route{method, std::string(pattern), {}, std::move(handler)};
  for (std::string_view segment : SplitPath(pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      route.segments.push_back({std::string(segment.substr(1, segment.size() - 2)), true});
    } else if (segment.find_first_of("{}") != std::string_view::npos || segment.empty()) {
      throw std::invalid_argument("route pattern '" + std::string(pattern) +
                                  "' has a malformed segment '" + std::string(segment) + "'");
    } else {
      route.segments.push_back({std::string(segment), false});
    }
  }
  routes_.push_back(std::move(route));
}

HttpRouter::MatchResult HttpRouter::Match(const Route& route,
                                          const std::vector<std::string_view>& path,
                                          RouteParams& params) {
  if (route.segments.size() != path.size()) return MatchResult::kNo;
  for (size_t i = 0; i < path.size(); ++i) {
    const Segment& segment = route.segments[i];
    if (!segment.parameter) {
      if (segment.text != path[i]) return MatchResult::kNo;
      continue;
    }
    if (path[i].empty()) return MatchResult::kNo;
    auto value = net::Url::PercentDecode(path[i]);
    if (!value) return MatchResult::kBadEncoding;
    params.Set(segment.text, std::move(*value));
  }
  return MatchResult::kYes;
}

void HttpRouter::Dispatch(const net::HttpExchange& exchange) const {
  const std::string& path = exchange.Target().Path();
  const auto segments = SplitPath(path);
  std::string allowed;
  for (const Route& route : routes_) {
    RouteParams params;
    const MatchResult result = Match(route, segments, params);
    if (result == MatchResult::kBadEncoding) {
      exchange.Respond(net::MakeErrorResponse(net::HttpStatus::bad_request,
                                              "malformed percent-encoding in '" + path + "'"));
      return;
    }
    if (result == MatchResult::kNo) continue;
    if (route.method == exchange.Method()) {
      route.handler(exchange, params);
      return;
    }
    const std::string name(boost::beast::http::to_string(route.method));
    if (allowed.find(name) == std::string::npos) {
      if (!allowed.empty()) allowed += ", ";
      allowed += name;
    }
  }
  if (allowed.empty()) {
    exchange.Respond(
        net::MakeErrorResponse(net::HttpStatus::not_found, "no resource at '" + path + "'"));
    return;
  }
  auto response =
      net::MakeErrorResponse(net::HttpStatus::method_not_allowed,
                             "method " + std::string(exchange.Request().method_string()) +
                                 " is not allowed on '" + path + "' (allowed: " + allowed + ")");
  response.set(boost::beast::http::field::allow, allowed);
  exchange.Respond(std::move(response));
}

}  // namespace tributary::http
