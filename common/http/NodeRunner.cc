#include "http/NodeRunner.h"

#include <csignal>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "config/ConfigLoader.h"
#include "http/JsonResponse.h"
#include "http/RedactedConfig.h"

namespace tributary::http {

namespace {

// How often a draining node looks whether its sessions are gone.
constexpr int kDrainCheckMs = 200;

void LogWarnings(const config::VhostSet& set) {
  for (const auto& warning : set.warnings)
    spdlog::warn("{}", warning);
}

std::string VhostNames(const config::VhostSet& set) {
  std::string names;
  for (const auto& vhost : set.vhosts) {
    if (!names.empty()) names += ", ";
    names += vhost.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

NodeRunner::NodeRunner(config::NodeConfig config, config::VhostSet vhosts)
    : config_(std::move(config)),
      signals_(io_),
      vhosts_(std::move(vhosts)),
      metrics_(TRIBUTARY_VERSION, config::ToString(config_.role)),
      api_(config_, vhosts_, metrics_),
      drain_timer_(io_) {
  net::HttpClient::Options client_options;
  client_options.ca_file = config_.cluster.ca_file;
  client_ = std::make_unique<net::HttpClient>(io_, std::move(client_options));
  for (const auto& vhost : vhosts_.Current()->vhosts)
    metrics_.AddVhost(vhost.name);
  api_.AddRoutes(router_);
  console_.AddRoutes(router_);
  api_.AddMetricsRoutes(metrics_router_);
  AddVhostScopedAdminRoute("/api/v1/vhosts");
  router_.Add(net::HttpMethod::get, "/api/v1/vhosts",
              [this](const net::HttpExchange& exchange, const RouteParams&) {
                const auto rights = AdminScope(exchange);
                nlohmann::json list = nlohmann::json::array();
                for (const auto& vhost : vhosts_.Current()->vhosts) {
                  if (rights.Covers(vhost.name)) list.push_back(RedactedVhost(vhost));
                }
                exchange.Respond(JsonResponse(net::HttpStatus::ok, {{"vhosts", std::move(list)}}));
              });
  router_.Add(net::HttpMethod::post, "/api/v1/reload",
              [this](const net::HttpExchange& exchange, const RouteParams&) {
                std::string error;
                if (!Reload(&error)) {
                  exchange.Respond(JsonError(net::HttpStatus::unprocessable_entity,
                                             "reload failed, the current vhosts stay: " + error));
                  return;
                }
                nlohmann::json names = nlohmann::json::array();
                for (const auto& vhost : vhosts_.Current()->vhosts)
                  names.push_back(vhost.name);
                exchange.Respond(JsonResponse(
                    net::HttpStatus::ok,
                    {{"vhosts", std::move(names)}, {"generation", vhosts_.Generation()}}));
              });
}

NodeRunner::~NodeRunner() {
  // Close sockets before the io_context goes; their pending handlers are then dropped with it.
  role_.reset();
  metrics_server_.reset();
  server_.reset();
  client_.reset();
}

std::string NodeRunner::LocalUrl() const {
  if (!server_) return {};
  return std::string(config_.http.tls.Enabled() ? "https://" : "http://") +
         server_->LocalAddress().ToString();
}

int NodeRunner::Run(const RoleFactory& make_role) {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  role_ = make_role(*this);
  try {
    role_->Start();
    StartListeners();
  } catch (const std::exception& e) {
    spdlog::critical("node {} cannot start: {}", config_.id, e.what());
    io_.stop();  // nothing runs it: what started is torn down on this thread
    return 1;
  }
  WaitForSignal();

  std::string metrics_url;
  if (metrics_server_)
    metrics_url = ", metrics http://" + metrics_server_->LocalAddress().ToString();
  const std::string public_url =
      config_.http.public_url.empty() ? LocalUrl() : config_.http.public_url;
  spdlog::info("node {} started: role {}, region {}, listening on {} (public {}){}, vhosts: {}",
               config_.id, config::ToString(config_.role),
               config_.region.empty() ? "-" : config_.region, LocalUrl(), public_url, metrics_url,
               VhostNames(*vhosts_.Current()));
  LogWarnings(*vhosts_.Current());

  for (;;) {
    try {
      io_.run();
      break;
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception on the control thread: {}", e.what());
    }
  }
  spdlog::info("node {} stopped", config_.id);
  return 0;
}

void NodeRunner::StartListeners() {
  server_ = std::make_unique<net::HttpServer>(
      io_, config_.http, [this](net::HttpExchange exchange) { HandleRequest(exchange); }, "http");
  server_->SetResponseObserver(
      [this](net::HttpStatus status) { metrics_.CountHttpResponse(static_cast<int>(status)); });
  server_->Start();
  if (config_.metrics.listen) {
    config::HttpSettings settings;  // default limits; HTTPS when the main listener is
    settings.listen = *config_.metrics.listen;
    settings.tls = config_.http.tls;
    metrics_server_ = std::make_unique<net::HttpServer>(
        io_, settings, [this](net::HttpExchange exchange) { metrics_router_.Dispatch(exchange); },
        "metrics");
    metrics_server_->Start();
  }
}

void NodeRunner::HandleRequest(const net::HttpExchange& exchange) {
  spdlog::debug("{} {} from {}", exchange.Request().method_string(), exchange.Request().target(),
                exchange.Remote().ToString());
  if (IsAdminPath(exchange.Target().Path()) && !CheckAdmin(exchange)) return;
  router_.Dispatch(exchange);
}

void NodeRunner::AddVhostScopedAdminRoute(std::string path) {
  vhost_scoped_admin_.push_back(std::move(path));
}

bool NodeRunner::IsVhostScoped(std::string_view path) const {
  for (const std::string& scoped : vhost_scoped_admin_) {
    if (path == scoped || (path.starts_with(scoped) && path[scoped.size()] == '/')) return true;
  }
  return false;
}

bool NodeRunner::CheckAdmin(const net::HttpExchange& exchange) const {
  const AdminAuth::Result rights = AdminScope(exchange);
  if (!rights.Allowed()) {
    exchange.Respond(AdminAuth::Refusal(rights));
    return false;
  }
  if (!rights.vhost.empty() && !IsVhostScoped(exchange.Target().Path())) {
    exchange.Respond(JsonError(net::HttpStatus::forbidden,
                               "'" + exchange.Target().Path() +
                                   "' needs the global admin token (admin.token); a vhost's "
                                   "admin token reaches only its vhost's routes"));
    return false;
  }
  return true;
}

AdminAuth::Result NodeRunner::AdminScope(const net::HttpExchange& exchange) const {
  return AdminAuth::Check(config_.admin_token, *vhosts_.Current(), exchange);
}

bool NodeRunner::IsAdminPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/api/v1/";
  if (!path.starts_with(kPrefix)) return false;
  return path != "/api/v1/health" && path != "/api/v1/ready";
}

void NodeRunner::WaitForSignal() {
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP: reloading vhosts from {}", config_.vhosts_dir);
      Reload();
      WaitForSignal();
      return;
    }
    if (signal == SIGTERM && !Draining() && config_.drain_seconds > 0) {
      BeginDrain();
      WaitForSignal();
      return;
    }
    spdlog::info("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    Stop();
  });
}

bool NodeRunner::Reload(std::string* error) {
  const bool reloaded = ReloadVhosts(error);
  if (reloaded && role_) role_->OnVhostsReloaded();
  ReloadCertificates();
  return reloaded;
}

void NodeRunner::ReloadCertificates() {
  if (!config_.http.tls.Enabled()) return;
  for (net::HttpServer* server : {server_.get(), metrics_server_.get()}) {
    if (server == nullptr) continue;
    try {
      server->ReloadCertificate();
      spdlog::info("TLS certificate of the {} listener reloaded from {}",
                   server == server_.get() ? "http" : "metrics", config_.http.tls.cert);
    } catch (const std::exception& e) {
      spdlog::error("TLS certificate reload failed, keeping the current one: {}", e.what());
    }
  }
}

bool NodeRunner::ReloadVhosts(std::string* error) {
  try {
    config::VhostSet next = config::LoadVhosts(config_.vhosts_dir);
    config::CheckVhostOrigins(config_, next);
    for (const auto& vhost : next.vhosts)
      metrics_.AddVhost(vhost.name);
    const std::string names = VhostNames(next);
    vhosts_.Replace(std::move(next));
    spdlog::info("vhosts reloaded: {}", names);
    LogWarnings(*vhosts_.Current());
    return true;
  } catch (const std::exception& e) {
    spdlog::error("vhost reload failed, keeping the current vhosts: {}", e.what());
    if (error != nullptr) *error = e.what();
  }
  return false;
}

void NodeRunner::RequestStop() {
  boost::asio::post(io_, [this] { Stop(); });
}

void NodeRunner::RequestDrain() {
  boost::asio::post(io_, [this] {
    if (config_.drain_seconds == 0) {
      Stop();
    } else if (!Draining()) {
      BeginDrain();
    }
  });
}

void NodeRunner::BeginDrain() {
  if (stopping_) return;
  api_.SetDraining(true);
  drain_deadline_ms_ = base::NowMs() + uint64_t{config_.drain_seconds} * 1000;
  const size_t open = role_ ? role_->OpenSessions() : 0;
  spdlog::info(
      "SIGTERM: draining: no new sessions; serving {} open session(s) for up to {} s "
      "(a second SIGTERM stops at once)",
      open, config_.drain_seconds);
  if (role_) role_->Drain();
  CheckDrain();
}

void NodeRunner::CheckDrain() {
  if (stopping_) return;
  const size_t open = role_ ? role_->OpenSessions() : 0;
  if (open == 0) {
    spdlog::info("drained: no session left, stopping");
    Stop();
    return;
  }
  if (base::NowMs() >= drain_deadline_ms_) {
    spdlog::info("drain period of {} s over with {} session(s) open, stopping",
                 config_.drain_seconds, open);
    Stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(kDrainCheckMs));
  drain_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) CheckDrain();
  });
}

void NodeRunner::Stop() {
  if (stopping_) return;
  stopping_ = true;
  drain_timer_.cancel();
  if (role_) role_->Stop();
  if (server_) server_->Stop();
  if (metrics_server_) metrics_server_->Stop();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  // Whatever is still pending (client calls, timers of the role) is dropped.
  io_.stop();
}

}  // namespace tributary::http
