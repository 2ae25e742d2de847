#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "net/HttpMessage.h"

namespace tributary::net {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpClientRequest {
  HttpMethod method = HttpMethod::get;
  std::string url;      // http://host:port/path?query or https://...
  HttpHeaders headers;  // Host, User-Agent and Content-Length are set unless given here
  std::string body;
  std::chrono::milliseconds timeout{5000};  // the whole exchange: resolve to last body byte
};

struct HttpClientResult {
  std::string error;  // empty when a response arrived (whatever its status)
  int status = 0;
  HttpHeaders headers;
  std::string body;

  bool Ok() const { return error.empty(); }
  // The first header of that name (case-insensitive); nullopt when absent.
  std::optional<std::string> Header(std::string_view name) const;
};

// An asynchronous HTTP/1.1 client on one io_context, for node-to-node calls and tools: one
// connection per request (closed after it), http:// and https:// (the peer's certificate is
// verified against the CA file, or the system's CAs, and its name against the URL's host).
//
// The callback runs on the io thread exactly once, never inside Request() itself; it is not
// called at all once the client is destroyed. Use the client from its io thread only.
class HttpClient {
 public:
  struct Options {
    std::string ca_file;      // PEM; empty: the system's default CAs
    bool verify_peer = true;  // false only in tests and tools that say so
    uint32_t max_body_bytes = 16 * 1024 * 1024;
  };
  using Callback = std::function<void(HttpClientResult)>;

  // Throws std::runtime_error when the CA file cannot be read.
  explicit HttpClient(boost::asio::io_context& io, Options options);
  explicit HttpClient(boost::asio::io_context& io) : HttpClient(io, Options()) {}
  ~HttpClient();  // cancels what is in flight; their callbacks are dropped
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void Request(HttpClientRequest request, Callback callback);
  // Requests in flight.
  size_t Pending() const;

  // Blocking: runs its own io_context until the answer (for command-line tools and tests).
  static HttpClientResult Fetch(HttpClientRequest request, Options options);
  static HttpClientResult Fetch(HttpClientRequest request) {
    return Fetch(std::move(request), Options());
  }
  static HttpClientResult Get(const std::string& url) {
    HttpClientRequest request;
    request.url = url;
    return Fetch(std::move(request));
  }

  struct Shared;  // state shared with the calls in flight

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace tributary::net
