#include "http/NodeApi.h"

#include "base/Clock.h"
#include "http/JsonResponse.h"
#include "http/RedactedConfig.h"

namespace tributary::http {

NodeApi::NodeApi(const config::NodeConfig& config, const VhostCatalog& vhosts,
                 metrics::Metrics& metrics)
    : config_(config), vhosts_(vhosts), metrics_(metrics), start_us_(base::NowUs()) {}

void NodeApi::AddRoutes(HttpRouter& router) {
  router.Add(net::HttpMethod::get, "/api/v1/health",
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               exchange.Respond(JsonResponse(net::HttpStatus::ok, Health()));
             });
  AddReadyRoute(router);
  router.Add(net::HttpMethod::get, "/api/v1/node",
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               exchange.Respond(
                   JsonResponse(net::HttpStatus::ok, RedactedConfig(config_, *vhosts_.Current())));
             });
  router.Add(
      net::HttpMethod::get, "/metrics",
      [this](const net::HttpExchange& exchange, const RouteParams&) { ServeMetrics(exchange); });
}

void NodeApi::AddMetricsRoutes(HttpRouter& router) {
  router.Add(
      net::HttpMethod::get, "/metrics",
      [this](const net::HttpExchange& exchange, const RouteParams&) { ServeMetrics(exchange); });
  router.Add(net::HttpMethod::get, "/api/v1/health",
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               exchange.Respond(JsonResponse(net::HttpStatus::ok, Health()));
             });
  AddReadyRoute(router);
}

void NodeApi::AddReadyRoute(HttpRouter& router) {
  router.Add(net::HttpMethod::get, "/api/v1/ready",
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               if (!Draining()) {
                 exchange.Respond(JsonResponse(net::HttpStatus::ok,
                                               {{"status", "ready"}, {"node", config_.id}}));
                 return;
               }
               exchange.Respond(JsonResponse(
                   net::HttpStatus::service_unavailable,
                   {{"status", "draining"},
                    {"node", config_.id},
                    {"reason", "the node is shutting down and admits no new sessions"}}));
             });
}

nlohmann::json NodeApi::Health() const {
  return {{"status", "ok"},
          {"node", config_.id},
          {"role", config::ToString(config_.role)},
          {"region", config_.region},
          {"uptime_seconds", static_cast<double>(base::NowUs() - start_us_) / 1e6},
          {"version", TRIBUTARY_VERSION},
          {"draining", Draining()}};
}

void NodeApi::ServeMetrics(const net::HttpExchange& exchange) {
  exchange.Respond(
      net::MakeResponse(net::HttpStatus::ok, metrics_.Serialize(), metrics::Metrics::kContentType));
}

}  // namespace tributary::http
