#pragma once

#include <atomic>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "config/NodeConfig.h"
#include "http/HttpRouter.h"
#include "http/VhostCatalog.h"
#include "metrics/Metrics.h"

namespace tributary::http {

// The routes every node serves, whatever its role:
//   GET /api/v1/health  200 {"status":"ok","node","role","region","uptime_seconds","version",
//                       "draining"}: the process is alive (a liveness probe)
//   GET /api/v1/ready   200 {"status":"ready","node"} while the node admits sessions, 503
//                       {"status":"draining","node","reason"} once it drains (a readiness probe)
//   GET /api/v1/node    the effective configuration, secrets redacted (RedactedConfig)
//   GET /metrics        Prometheus text format
// Reads the config and the metrics it is given; both outlive it.
class NodeApi {
 public:
  NodeApi(const config::NodeConfig& config, const VhostCatalog& vhosts, metrics::Metrics& metrics);

  // All four routes, for the node's main listener.
  void AddRoutes(HttpRouter& router);
  // GET /metrics (and the health and readiness checks), for the separate metrics listener.
  void AddMetricsRoutes(HttpRouter& router);

  nlohmann::json Health() const;

  // The node stopped admitting sessions (SIGTERM): /api/v1/ready answers 503. Any thread.
  void SetDraining(bool draining) { draining_.store(draining); }
  bool Draining() const { return draining_.load(); }

 private:
  void AddReadyRoute(HttpRouter& router);
  void ServeMetrics(const net::HttpExchange& exchange);

  const config::NodeConfig& config_;
  const VhostCatalog& vhosts_;
  metrics::Metrics& metrics_;
  uint64_t start_us_;
  std::atomic<bool> draining_{false};
};

}  // namespace tributary::http
