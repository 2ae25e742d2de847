#include "http/CorsPolicy.h"

#include <algorithm>

namespace tributary::http {

namespace http = boost::beast::http;

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool CorsPolicy::AllowsOrigin(std::string_view origin) const {
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void CorsPolicy::Apply(const net::HttpRequest& request, net::HttpResponse& response) const {
  const auto origin = request.find(http::field::origin);
  if (any_) {
    response.set(http::field::access_control_allow_origin, "*");
  } else if (origin != request.end() && AllowsOrigin(origin->value())) {
    response.set(http::field::access_control_allow_origin, origin->value());
    response.set(http::field::vary, "Origin");
  } else {
    return;
  }
  response.set(http::field::access_control_expose_headers, kExposedHeaders);
}

net::HttpResponse CorsPolicy::Preflight(const net::HttpRequest& request,
                                        std::string_view methods) const {
  net::HttpResponse response{net::HttpStatus::no_content, request.version()};
  response.set(http::field::allow, methods);
  response.set(http::field::access_control_allow_methods, methods);
  response.set(http::field::access_control_allow_headers, kAllowedHeaders);
  response.set(http::field::access_control_max_age, "86400");
  Apply(request, response);
  return response;
}

}  // namespace tributary::http
