#pragma once

#include <map>
#include <string>
#include <string_view>

#include "http/HttpRouter.h"

namespace tributary::http {

// The web console, served by every node from files compiled into the binary
// (common/http/console/, see ConsoleFiles.h): no CDN, no build step, nothing fetched from
// elsewhere, so that it works on a machine without internet.
//   GET|HEAD /                 index.html
//   GET|HEAD /console/{file}   console.js, console.css (any other name: 404)
// Every answer has Cache-Control: no-cache with an ETag (If-None-Match that matches: 304), and a
// Content-Security-Policy that lets the page load only itself and talk only to its own node.
class ConsoleRoutes {
 public:
  static constexpr std::string_view kContentSecurityPolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "media-src 'self' blob: mediastream:; connect-src 'self'; base-uri 'none'; "
      "form-action 'none'; frame-ancestors 'none'";

  // Reads the embedded files; throws std::logic_error if index.html is not among them.
  ConsoleRoutes();

  void AddRoutes(HttpRouter& router) const;

  // The Content-Type of a console file, by its extension; application/octet-stream if unknown.
  static std::string_view ContentType(std::string_view file_name);

 private:
  struct Asset {
    std::string_view body;
    std::string_view content_type;
    std::string etag;  // quoted, from a hash of the bytes
  };

  void Serve(const net::HttpExchange& exchange, const Asset& asset) const;

  std::map<std::string, Asset, std::less<>> assets_;
};

}  // namespace tributary::http
