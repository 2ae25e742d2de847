#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "config/NodeConfig.h"
#include "net/Endpoint.h"
#include "net/HttpExchange.h"

namespace tributary::net {

// An HTTP/1.1 server (Boost.Beast) on one io_context: plain or TLS, keep-alive, requests
// answered in order per connection (pipelining safe: the next request is read only once the
// previous one is answered). Limits come from config::HttpSettings:
//   max_header_bytes -> 431, max_body_bytes -> 413 (checked against Content-Length before the
//   body is read), request_timeout_ms (first byte to whole request) -> 408, idle_timeout_ms
//   (keep-alive connection waiting for its next request) -> close, malformed request -> 400.
// Each of those errors closes the connection; every one carries a JSON body {"error": reason}.
//
// Threading: construct, Start(), ReloadCertificate() and ConnectionCount() on the io thread (or
// before the io_context runs). Stop() and the destructor may also be called from another thread
// while the io thread runs: they then wait for the io thread to do the work.
class HttpServer {
 public:
  using Handler = std::function<void(HttpExchange)>;
  // Sees the status of every response the server writes (the handler's and its own errors).
  using ResponseObserver = std::function<void(HttpStatus status)>;

  HttpServer(boost::asio::io_context& io, config::HttpSettings settings, Handler handler,
             std::string name = "http");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void SetResponseObserver(ResponseObserver observer);

  // Binds, listens and starts accepting. Throws std::runtime_error naming the address (or the
  // certificate file) on failure.
  void Start();
  // Closes the listener and every connection; a later Respond() on their exchanges is dropped.
  void Stop();
  // Loads the certificate and key again (TlsFiles of the settings); new connections use them,
  // established ones keep theirs. Throws std::runtime_error and keeps the old ones on failure.
  void ReloadCertificate();

  // The bound address: with port 0 in the settings, the port the kernel picked.
  Endpoint LocalAddress() const;
  size_t ConnectionCount() const;
  const config::HttpSettings& Settings() const;

  struct Shared;  // state shared with the connections, which may outlive the server

 private:
  void StopOnIoThread();
  static void StopShared(Shared& shared);

  boost::asio::io_context& io_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace tributary::net
