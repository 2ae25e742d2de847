#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>

#include "net/Endpoint.h"
#include "net/HttpMessage.h"
#include "net/Url.h"

namespace tributary::net {

// One request received by HttpServer and the means to answer it. A cheap copyable handle: the
// handler may answer at once or keep a copy and answer later (after an upstream call, a timer),
// from the server's io_context or from any other thread.
//
// Respond() takes effect once; later calls are ignored. Responses leave each connection in
// request order. If the connection died meanwhile the response is dropped quietly. If every copy
// is dropped without an answer the client gets a 500, so that a forgotten request never stalls
// its connection. Copies must not outlive the io_context (drop them before destroying it).
class HttpExchange {
 public:
  // Where the answer goes: implemented by the server's connection.
  class ResponseSink {
   public:
    virtual ~ResponseSink() = default;
    virtual void Deliver(uint64_t sequence, HttpResponse response) = 0;
  };

  struct Origin {
    Endpoint remote;  // IPv4-mapped IPv6 addresses are shown as IPv4
    Endpoint local;
    bool secure = false;  // arrived over TLS
  };

  HttpExchange(HttpRequest request, Url target, Origin origin, uint64_t sequence,
               std::weak_ptr<ResponseSink> sink, boost::asio::io_context::executor_type executor);

  const HttpRequest& Request() const { return state_->request; }
  HttpMethod Method() const { return state_->request.method(); }
  // The request target, parsed: Path() (percent-encoded as received), Query(), Param(name).
  const Url& Target() const { return state_->target; }
  const Endpoint& Remote() const { return state_->origin.remote; }
  const Endpoint& Local() const { return state_->origin.local; }
  bool Secure() const { return state_->origin.secure; }

  void Respond(HttpResponse response) const;
  bool Responded() const { return state_->responded.load(); }

 private:
  struct State {
    ~State();
    HttpRequest request;
    Url target;
    Origin origin;
    uint64_t sequence = 0;
    std::weak_ptr<ResponseSink> sink;  // the connection keeps itself alive until answered
    std::optional<boost::asio::io_context::executor_type> executor;
    std::atomic<bool> responded{false};
  };
  std::shared_ptr<State> state_;
};

}  // namespace tributary::net
