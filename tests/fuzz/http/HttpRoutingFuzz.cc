// libFuzzer target for what a node does with an HTTP request before any service logic: the
// request bytes through Boost.Beast's parser (as HttpServer reads them), the request target
// through Url::ParseTarget, the method and path through an HttpRouter carrying the node's real
// route patterns (WHIP/WHEP endpoints and resources, the API, the console), the Host header and
// `?vhost=` through VhostResolver over a set of vhosts with exact and wildcard domains, and the
// Authorization header through Credentials.
//
// Invariants checked (abort on violation): every request gets exactly one answer with a valid
// status, and a JSON body that is valid JSON (UTF-8, whatever the request echoed into it); a route
// handler only ever sees its pattern's parameters, non-empty and decoded; a resolved vhost is one
// of the set; an unresolved one says why; HostName is idempotent and lowercase.
//
// Seeds: tests/fuzz/corpus/HttpRoutingFuzz/ (real requests of tributary-whip/whep, curl and a
// browser); dictionary: tests/fuzz/http/HttpRoutingFuzz.dict.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <nlohmann/json.hpp>

#include "http/Credentials.h"
#include "http/HttpRouter.h"
#include "http/JsonResponse.h"
#include "http/VhostResolver.h"
#include "net/HttpExchange.h"
#include "net/Url.h"

using namespace tributary;
namespace bhttp = boost::beast::http;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

class CountingSink : public net::HttpExchange::ResponseSink {
 public:
  void Deliver(uint64_t, net::HttpResponse response) override {
    ++answers;
    status = static_cast<int>(response.result_int());
    // A JSON body is JSON: UTF-8 (RFC 8259), whatever bytes the request echoed into it.
    if (response[bhttp::field::content_type] == "application/json") {
      Check(nlohmann::json::accept(response.body()));
    }
  }
  int answers = 0;
  int status = 0;
};

config::VhostSet MakeVhosts() {
  config::VhostSet set;
  config::VhostConfig demo;
  demo.name = "demo";
  demo.is_default = true;
  demo.domains = {"localhost", "127.0.0.1", "::1"};
  demo.allow_query_vhost = true;
  demo.publish.tokens = {"demo-token"};
  demo.play.open = true;
  config::VhostConfig acme;
  acme.name = "acme";
  acme.domains = {"live.acme.test", "*.acme.test"};
  acme.publish.tokens = {"acme-secret", "second"};
  acme.jwt.secret = "jwt-secret-jwt-secret-jwt-secret";
  config::VhostConfig closed;
  closed.name = "closed";
  closed.domains = {"*.closed.example"};
  closed.allow_query_vhost = false;
  set.vhosts = {demo, acme, closed};
  return set;
}

struct Fixture {
  Fixture() : vhosts(MakeVhosts()) {
    auto check_params = [](const http::RouteParams& params, size_t expected) {
      Check(params.Size() == expected);
    };
    const char* names[] = {"/whip", "/whep"};
    for (const char* base : names) {
      const std::string b(base);
      for (auto method :
           {net::HttpMethod::delete_, net::HttpMethod::patch, net::HttpMethod::options}) {
        router.Add(method, b + "/resource/{id}",
                   [=](const net::HttpExchange& e, const http::RouteParams& p) {
                     check_params(p, 1);
                     CheckValue(p.Get("id"));
                     e.Respond(net::MakeResponse(net::HttpStatus::no_content, "", "text/plain"));
                   });
      }
      for (auto method : {net::HttpMethod::post, net::HttpMethod::options}) {
        router.Add(method, b + "/{app}/{stream}",
                   [=, this](const net::HttpExchange& e, const http::RouteParams& p) {
                     check_params(p, 2);
                     CheckValue(p.Get("app"));
                     CheckValue(p.Get("stream"));
                     Check(p.Get("missing").empty());
                     Resolve(e, p);
                   });
      }
    }
    for (const char* path : {"/api/v1/health", "/api/v1/ready", "/api/v1/node", "/metrics", "/",
                             "/api/v1/streams", "/api/v1/sessions"}) {
      router.Add(net::HttpMethod::get, path,
                 [=](const net::HttpExchange& e, const http::RouteParams& p) {
                   check_params(p, 0);
                   e.Respond(net::MakeResponse(net::HttpStatus::ok, "{}", "application/json"));
                 });
    }
    router.Add(net::HttpMethod::get, "/console/{file}",
               [=](const net::HttpExchange& e, const http::RouteParams& p) {
                 check_params(p, 1);
                 CheckValue(p.Get("file"));
                 e.Respond(net::MakeResponse(net::HttpStatus::ok, "", "text/plain"));
               });
    router.Add(net::HttpMethod::delete_, "/api/v1/sessions/{id}",
               [=](const net::HttpExchange& e, const http::RouteParams& p) {
                 check_params(p, 1);
                 CheckValue(p.Get("id"));
                 e.Respond(net::MakeResponse(net::HttpStatus::no_content, "", "text/plain"));
               });
    router.Add(net::HttpMethod::get, "/api/v1/cluster/streams/{vhost}/{app}/{stream}",
               [=](const net::HttpExchange& e, const http::RouteParams& p) {
                 check_params(p, 3);
                 e.Respond(net::MakeResponse(net::HttpStatus::ok, "{}", "application/json"));
               });
  }

  static void CheckValue(const std::string& value) {
    Check(!value.empty());  // (a decoded value may hold '/', from %2F)
  }

  void Resolve(const net::HttpExchange& e, const http::RouteParams& p) const {
    const auto host = e.Request()[bhttp::field::host];
    auto result = http::VhostResolver::Resolve(vhosts, host, e.Target().Param("vhost"));
    if (result.vhost == nullptr) {
      Check(!result.error.empty());
      e.Respond(http::JsonError(net::HttpStatus::not_found, result.error));
      return;
    }
    Check(result.vhost == vhosts.Find(result.vhost->name));
    const auto authorization = e.Request()[bhttp::field::authorization];
    sfu::StreamKey key{result.vhost->name, p.Get("app"), p.Get("stream")};
    for (auto action : {http::StreamAction::kPublish, http::StreamAction::kPlay}) {
      auto verdict = http::Credentials::Check(*result.vhost, action, key, authorization);
      if (verdict.verdict != http::Credentials::Verdict::kAllowed) Check(!verdict.reason.empty());
    }
    e.Respond(net::MakeResponse(net::HttpStatus::created, "", "application/sdp"));
  }

  config::VhostSet vhosts;
  http::HttpRouter router;
  boost::asio::io_context io;
};

Fixture& TheFixture() {
  static Fixture* fixture = new Fixture();  // never destroyed: libFuzzer exits from anywhere
  return *fixture;
}

void CheckHostName(std::string_view host_header) {
  const std::string name = http::VhostResolver::HostName(host_header);
  Check(name.size() <= host_header.size());
  for (char c : name)
    Check(!(c >= 'A' && c <= 'Z'));
  // A name in brackets is that name (how an IPv6 host arrives).
  if (name.find(']') == std::string::npos) {
    Check(http::VhostResolver::HostName("[" + name + "]") == name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = TheFixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // The raw bytes as a request, the way HttpServer reads one.
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(text.data(), text.size()), ec);
  if (ec || !parser.is_header_done()) {
    // Not a request: still exercise the pieces on the raw text.
    CheckHostName(text);
    (void)net::Url::ParseTarget(text);
    (void)net::Url::Parse(text);
    (void)http::Credentials::BearerToken(text);
    return 0;
  }
  net::HttpRequest request = parser.release();
  CheckHostName(request[bhttp::field::host]);
  auto target = net::Url::ParseTarget(request.target());
  if (!target) return 0;  // the server answers 400 itself
  Check(!target->Path().empty() && target->Path().front() == '/');

  auto sink = std::make_shared<CountingSink>();
  {
    net::HttpExchange exchange(std::move(request), std::move(*target), {}, 1, sink,
                               f.io.get_executor());
    f.router.Dispatch(exchange);
  }
  f.io.restart();
  f.io.poll();
  Check(sink->answers == 1);
  Check(sink->status >= 100 && sink->status <= 599);
  return 0;
}
