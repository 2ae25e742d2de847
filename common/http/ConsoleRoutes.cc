#include "http/ConsoleRoutes.h"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include <boost/beast/http/field.hpp>

#include "http/ConsoleFiles.h"

namespace tributary::http {

namespace {

namespace bhttp = boost::beast::http;

// FNV-1a, 64 bits: enough to tell two builds of a file apart.
std::string Etag(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof(text), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// True when an If-None-Match value ("*", or a list of entity tags, weak or strong) names `etag`
// (a quoted tag, so that a substring match is a match of a whole tag).
bool MatchesEtag(std::string_view if_none_match, std::string_view etag) {
  const auto first = if_none_match.find_first_not_of(" \t");
  if (first != std::string_view::npos && if_none_match.substr(first, 1) == "*") return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

}  // namespace

ConsoleRoutes::ConsoleRoutes() {
  for (const EmbeddedFile& file : ConsoleFiles()) {
    assets_.emplace(std::string(file.name),
                    Asset{file.bytes, ContentType(file.name), Etag(file.bytes)});
  }
  if (assets_.find("index.html") == assets_.end()) {
    throw std::logic_error("the embedded web console has no index.html");
  }
}

std::string_view ConsoleRoutes::ContentType(std::string_view file_name) {
  if (EndsWith(file_name, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(file_name, ".js")) return "text/javascript; charset=utf-8";
  if (EndsWith(file_name, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(file_name, ".svg")) return "image/svg+xml";
  if (EndsWith(file_name, ".png")) return "image/png";
  return "application/octet-stream";
}

void ConsoleRoutes::AddRoutes(HttpRouter& router) const {
  const Asset& index = assets_.find("index.html")->second;
  for (const auto method : {net::HttpMethod::get, net::HttpMethod::head}) {
    router.Add(method, "/", [this, &index](const net::HttpExchange& exchange, const RouteParams&) {
      Serve(exchange, index);
    });
    router.Add(method, "/console/{file}",
               [this](const net::HttpExchange& exchange, const RouteParams& params) {
                 const std::string& name = params.Get("file");
                 const auto found = assets_.find(name);
                 if (found == assets_.end() || name == "index.html") {
                   exchange.Respond(net::MakeErrorResponse(
                       net::HttpStatus::not_found, "the console has no file '" + name + "'"));
                   return;
                 }
                 Serve(exchange, found->second);
               });
  }
}

void ConsoleRoutes::Serve(const net::HttpExchange& exchange, const Asset& asset) const {
  const auto if_none_match = exchange.Request()[bhttp::field::if_none_match];
  const bool not_modified = !if_none_match.empty() && MatchesEtag(if_none_match, asset.etag);
  net::HttpResponse response =
      not_modified
          ? net::HttpResponse{net::HttpStatus::not_modified, 11}
          : net::MakeResponse(net::HttpStatus::ok, std::string(asset.body), asset.content_type);
  response.set(bhttp::field::cache_control, "no-cache");
  response.set(bhttp::field::etag, asset.etag);
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
  response.set("Permissions-Policy", "camera=(self), microphone=(self)");
  if (not_modified) response.prepare_payload();
  exchange.Respond(std::move(response));
}

}  // namespace tributary::http
