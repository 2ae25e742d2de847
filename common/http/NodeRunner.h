#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/NodeConfig.h"
#include "config/VhostConfig.h"
#include "http/AdminAuth.h"
#include "http/ConsoleRoutes.h"
#include "http/HttpRouter.h"
#include "http/NodeApi.h"
#include "http/VhostCatalog.h"
#include "metrics/Metrics.h"
#include "net/HttpClient.h"
#include "net/HttpServer.h"

namespace tributary::http {

// The life of a node process, shared by both roles: the control io_context (run by the thread
// that calls Run()), the HTTP listener and the optional metrics listener, the routes every node
// has (NodeApi, the web console of ConsoleRoutes), metrics, the current vhosts, and signals:
//   SIGTERM          drain (node.drain_seconds > 0): admit no new session (Draining(): the
//                    WHIP/WHEP offers get 503, /api/v1/ready 503, the role's Drain() tells the
//                    cluster), serve the open ones until none is left or the period ends, then
//                    stop; a second SIGTERM stops at once. With drain_seconds 0, stop.
//   SIGINT           stop: the role, then the listeners; Run() returns 0
//   SIGHUP           reload the vhosts (the old set stays when the new one fails) and the TLS
//                    certificate of every listener; POST /api/v1/reload (global admin) does
//                    the same
// Every /api/v1/ request but health and ready passes the admin check (AdminAuth) before it is
// routed: without an admin credential 401; with a vhost's admin token, 403 unless the route was
// declared vhost-scoped (AddVhostScopedAdminRoute), whose handler then filters by AdminScope().
// The role (origin, edge) is built by a factory once the runner exists, adds its routes to
// Router() in its constructor and is told of start, stop and reloads on the control thread.
class NodeRunner {
 public:
  class Role {
   public:
    virtual ~Role() = default;
    // Before the listeners accept: timers, upstream links.
    virtual void Start() {}
    // On the way out, before the listeners close.
    virtual void Stop() {}
    // After a successful vhost reload; Vhosts().Current() is the new set.
    virtual void OnVhostsReloaded() {}
    // The node started draining (SIGTERM): tell whoever sends it clients. Draining() is true.
    virtual void Drain() {}
    // Sessions the node still serves; the drain ends early when none is left.
    virtual size_t OpenSessions() const { return 0; }
  };
  using RoleFactory = std::function<std::unique_ptr<Role>(NodeRunner&)>;

  NodeRunner(config::NodeConfig config, config::VhostSet vhosts);
  ~NodeRunner();
  NodeRunner(const NodeRunner&) = delete;
  NodeRunner& operator=(const NodeRunner&) = delete;

  // Builds the role, starts listening and serves until a stop signal or RequestStop(). Returns
  // the process exit code: 0 after a clean stop, 1 when a listener could not start.
  int Run(const RoleFactory& make_role);
  // Any thread.
  void RequestStop();
  // Starts draining as a SIGTERM does (stops at once when drain_seconds is 0). Any thread.
  void RequestDrain();
  // The node admits no new session. Any thread.
  bool Draining() const { return api_.Draining(); }
  // Loads the vhost directory again; on failure logs the error and keeps the current set.
  // Returns whether the new set is in place (`error` says why not). Control thread.
  bool ReloadVhosts(std::string* error = nullptr);
  // What SIGHUP does: the vhosts (then the role's OnVhostsReloaded) and the TLS certificates.
  // Returns whether the vhosts were reloaded; `error` says why not.
  bool Reload(std::string* error = nullptr);

  // An admin route (a path, or a prefix of paths: "/api/v1/sessions" covers
  // "/api/v1/sessions/{id}") that a vhost's admin token may use; its handler must show only
  // what AdminScope(exchange) covers. Every other admin route needs the global token.
  void AddVhostScopedAdminRoute(std::string path);
  // Who the request's admin credential is (AdminAuth::Check against the current vhosts): a
  // handler of a vhost-scoped route shows only what it Covers().
  AdminAuth::Result AdminScope(const net::HttpExchange& exchange) const;
  // Whether `path` is an admin route (under /api/v1/, but health and ready).
  static bool IsAdminPath(std::string_view path);

  boost::asio::io_context& Io() { return io_; }
  const config::NodeConfig& Config() const { return config_; }
  HttpRouter& Router() { return router_; }
  VhostCatalog& Vhosts() { return vhosts_; }
  metrics::Metrics& Metrics() { return metrics_; }
  net::HttpClient& Client() { return *client_; }
  // Where this node's main listener is reachable (bound address; valid once Run() started).
  std::string LocalUrl() const;

 private:
  void StartListeners();
  void WaitForSignal();
  void Stop();
  void BeginDrain();
  void CheckDrain();
  void HandleRequest(const net::HttpExchange& exchange);
  // False (and answered) when an admin route refuses the request.
  bool CheckAdmin(const net::HttpExchange& exchange) const;
  bool IsVhostScoped(std::string_view path) const;
  void ReloadCertificates();

  config::NodeConfig config_;
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_;
  VhostCatalog vhosts_;
  metrics::Metrics metrics_;
  HttpRouter router_;
  HttpRouter metrics_router_;
  NodeApi api_;
  ConsoleRoutes console_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpServer> metrics_server_;
  std::unique_ptr<Role> role_;
  std::vector<std::string> vhost_scoped_admin_;
  boost::asio::steady_timer drain_timer_;
  uint64_t drain_deadline_ms_ = 0;
  bool stopping_ = false;
};

}  // namespace tributary::http
