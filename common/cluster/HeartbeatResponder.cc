#include "cluster/HeartbeatResponder.h"

#include "http/JsonResponse.h"

namespace tributary::cluster {

HeartbeatResponder::HeartbeatResponder(const NodeIdentity& self, HeartbeatHandler on_heartbeat)
    : self_(self), on_heartbeat_(std::move(on_heartbeat)) {}

void HeartbeatResponder::AddRoutes(ClusterRoutes& routes) {
  routes.Add(net::HttpMethod::post, "heartbeat",
             [this](const net::HttpExchange& exchange, const http::RouteParams&,
                    const std::string& sender) { Handle(exchange, sender); });
}

void HeartbeatResponder::Handle(const net::HttpExchange& exchange, const std::string& sender) {
  const auto body = nlohmann::json::parse(exchange.Request().body(), nullptr, false);
  std::string error = "the body is not JSON";
  std::optional<Heartbeat> heartbeat;
  if (!body.is_discarded()) heartbeat = Heartbeat::FromJson(body, error);
  if (!heartbeat) {
    exchange.Respond(http::JsonError(net::HttpStatus::bad_request, "bad heartbeat: " + error));
    return;
  }
  if (heartbeat->from.id != sender) {
    exchange.Respond(http::JsonError(
        net::HttpStatus::forbidden,
        "heartbeat of node '" + heartbeat->from.id + "' signed by node '" + sender + "'"));
    return;
  }
  if (on_heartbeat_) on_heartbeat_(*heartbeat);
  exchange.Respond(http::JsonResponse(net::HttpStatus::ok, Heartbeat::IdentityJson(self_)));
}

}  // namespace tributary::cluster
