#pragma once

// CORS for the WHIP/WHEP endpoints (browsers publish and play from pages of other origins),
// from http.cors_origins: "*" allows any origin; otherwise a request's Origin must be listed.
// Every response gets Access-Control-Allow-Origin when allowed, and exposes the headers a
// WHIP/WHEP client reads (Location, ETag, Link, Accept-Patch). OPTIONS preflights are answered
// with 204, the allowed methods and request headers.

#include <string>
#include <string_view>
#include <vector>

#include "net/HttpMessage.h"

namespace tributary::http {

class CorsPolicy {
 public:
  static constexpr std::string_view kExposedHeaders = "Location, ETag, Link, Accept-Patch";
  static constexpr std::string_view kAllowedHeaders =
      "Authorization, Content-Type, If-Match, If-None-Match";

  explicit CorsPolicy(std::vector<std::string> origins);

  // Adds the CORS headers of the answer to `request` to `response`.
  void Apply(const net::HttpRequest& request, net::HttpResponse& response) const;
  // 204 for an OPTIONS request, `methods` as Allow and Access-Control-Allow-Methods.
  net::HttpResponse Preflight(const net::HttpRequest& request, std::string_view methods) const;

  bool AllowsOrigin(std::string_view origin) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace tributary::http
