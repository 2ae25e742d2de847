#include "cluster/ClusterRoutes.h"

#include <spdlog/spdlog.h>

#include "http/JsonResponse.h"

namespace tributary::cluster {

ClusterRoutes::ClusterRoutes(http::HttpRouter& router, ClusterAuth& auth)
    : router_(router), auth_(auth) {}

void ClusterRoutes::Add(net::HttpMethod method, std::string_view pattern, Handler handler) {
  router_.Add(method, std::string(kPrefix) + std::string(pattern),
              [this, handler = std::move(handler)](const net::HttpExchange& exchange,
                                                   const http::RouteParams& params) {
                ClusterAuth::Verdict verdict = auth_.Verify(exchange.Request());
                if (!verdict.ok) {
                  // Debug only: anybody can send these, and a log line each would let them
                  // flood the logs. Senders log their own 401s.
                  spdlog::debug("cluster request {} {} from {} refused: {}",
                                exchange.Request().method_string(), exchange.Request().target(),
                                exchange.Remote().ToString(), verdict.reason);
                  auto response = http::JsonError(net::HttpStatus::unauthorized,
                                                  "cluster credential: " + verdict.reason);
                  response.set(boost::beast::http::field::www_authenticate, ClusterAuth::kScheme);
                  exchange.Respond(std::move(response));
                  return;
                }
                handler(exchange, params, verdict.node);
              });
}

}  // namespace tributary::cluster
