#pragma once

// In-process cluster nodes for the cluster tests: real HttpServers on loopback ports, real
// routers and signed requests, all on one io thread (each object is still used from that thread
// only, as in a node).

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/ClusterRoutes.h"
#include "http/HttpRouter.h"
#include "net/HttpClient.h"
#include "net/HttpServer.h"
#include "net/IoThread.h"

namespace tributary::cluster::testing {

inline constexpr const char* kSecret = "unit-test-cluster-secret-0123";

// Runs `fn` on the io thread and returns what it returns.
template <typename Fn>
auto RunOn(net::IoThread& io, Fn&& fn) -> std::invoke_result_t<Fn> {
  using Result = std::invoke_result_t<Fn>;
  std::promise<Result> promise;
  boost::asio::post(io.Context(), [&] {
    if constexpr (std::is_void_v<Result>) {
      fn();
      promise.set_value();
    } else {
      promise.set_value(fn());
    }
  });
  return promise.get_future().get();
}

// Polls `condition` (on the io thread) until it holds; false after `timeout`.
inline bool Eventually(net::IoThread& io, const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (RunOn(io, condition)) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// A loopback TCP port that was free a moment ago (nothing listens on it).
inline uint16_t FreeLoopbackPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// A blocking request signed as `node` with `secret`.
inline net::HttpClientResult SignedFetch(net::HttpClientRequest request, const std::string& node,
                                         const std::string& secret = kSecret) {
  ClusterAuth auth(secret, node);
  auth.SignRequest(request);
  return net::HttpClient::Fetch(std::move(request));
}

// The listener of one in-process node: a router behind an HttpServer on a free loopback port
// and the /cluster/v1/ routes behind this node's ClusterAuth. Construct and add routes before
// the io thread runs, or on it.
class TestListener {
 public:
  // Port 0: any free port.
  TestListener(net::IoThread& io, const std::string& node_id, uint16_t port = 0)
      : auth_(kSecret, node_id), routes_(router_, auth_) {
    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    settings.listen.port = port;
    server_ = std::make_unique<net::HttpServer>(
        io.Context(), settings, [this](net::HttpExchange exchange) { router_.Dispatch(exchange); });
    server_->Start();
    url_ = "http://127.0.0.1:" + std::to_string(server_->LocalAddress().Port());
  }

  // Closes the listener and its connections (io thread): the node looks dead to the others.
  void Stop() { server_->Stop(); }

  const std::string& Url() const { return url_; }
  uint16_t Port() const { return server_->LocalAddress().Port(); }
  http::HttpRouter& Router() { return router_; }
  ClusterRoutes& Routes() { return routes_; }
  ClusterAuth& Auth() { return auth_; }

 private:
  ClusterAuth auth_;
  http::HttpRouter router_;
  ClusterRoutes routes_;
  std::unique_ptr<net::HttpServer> server_;
  std::string url_;
};

}  // namespace tributary::cluster::testing
