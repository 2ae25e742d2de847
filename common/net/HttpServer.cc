#include "net/HttpServer.h"

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace tributary::net {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

namespace {

constexpr size_t kFirstReadBytes = 4096;
constexpr uint32_t kLingerMs = 1000;             // reading what a client still sends after an error
constexpr size_t kLingerMaxBytes = 1024 * 1024;  // ... at most this much

std::shared_ptr<asio::ssl::context> MakeTlsContext(const config::TlsFiles& files) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(files.cert, ec);
  if (ec) {
    throw std::runtime_error("TLS certificate '" + files.cert + "': " + ec.message());
  }
  context->use_private_key_file(files.key, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("TLS private key '" + files.key + "': " + ec.message());
  return context;
}

// The kernel's address as an Endpoint; an IPv4-mapped IPv6 address (a dual-stack listener)
// becomes the IPv4 address it carries.
Endpoint ToEndpoint(const tcp::endpoint& endpoint) {
  const Endpoint converted =
      Endpoint::FromSockaddr(endpoint.data(), static_cast<socklen_t>(endpoint.size()));
  if (converted.IsIpv6() && endpoint.address().to_v6().is_v4_mapped()) {
    const auto bytes = converted.AddressBytes();
    return Endpoint::Ipv4(bytes.subspan<12, 4>(), converted.Port());
  }
  return converted;
}

bool IsHttpParseError(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

class ServerConnection : public HttpExchange::ResponseSink {
 public:
  virtual void Start() = 0;
  virtual void Close() = 0;
};

}  // namespace

struct HttpServer::Shared {
  Shared(asio::io_context& io, config::HttpSettings settings, Handler handler, std::string name)
      : io(io),
        settings(std::move(settings)),
        handler(std::move(handler)),
        name(std::move(name)),
        acceptor(io),
        accept_retry(io) {}

  asio::io_context& io;
  config::HttpSettings settings;
  Handler handler;
  ResponseObserver observer;
  std::string name;
  std::shared_ptr<asio::ssl::context> tls;  // null: plain HTTP
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  Endpoint local;
  bool running = false;
  std::atomic<bool> started{false};  // Start() succeeded once: Stop() has work to do
  std::unordered_map<ServerConnection*, std::weak_ptr<ServerConnection>> connections;
};

namespace {

template <class Stream>
class Connection final : public ServerConnection,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Connection(std::shared_ptr<HttpServer::Shared> shared, Stream stream,
             std::shared_ptr<asio::ssl::context> tls, HttpExchange::Origin origin)
      : shared_(std::move(shared)),
        tls_(std::move(tls)),
        stream_(std::move(stream)),
        timer_(shared_->io),
        origin_(std::move(origin)) {}

  ~Connection() override { shared_->connections.erase(this); }

  void Start() override {
    shared_->connections.emplace(this, this->weak_from_this());
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      ArmTimer(shared_->settings.request_timeout_ms);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](
                                                                  boost::system::error_code ec) {
        self->CancelTimer();
        if (ec || self->closed_) {
          spdlog::debug("{}: TLS handshake with {} failed: {}", self->shared_->name,
                        self->origin_.remote.ToString(), ec.message());
          self->Close();
          return;
        }
        self->ReadNext();
      });
    } else {
      ReadNext();
    }
  }

  void Close() override {
    if (closed_) return;
    auto keep = std::move(self_);  // `this` may go when this function returns
    closed_ = true;
    CancelTimer();
    boost::system::error_code ignored;
    Socket().shutdown(tcp::socket::shutdown_both, ignored);
    Socket().close(ignored);
  }

  void Deliver(uint64_t sequence, HttpResponse response) override {
    if (closed_ || phase_ != Phase::kHandling || sequence != sequence_) return;
    const bool close_after = !keep_alive_ || !response.keep_alive() || !shared_->running;
    Write(std::move(response), close_after);
  }

 private:
  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  enum class Phase { kHandshake, kIdle, kReading, kHandling, kWriting, kLingering };

  void ReadNext() {
    if (closed_) return;
    if (buffer_.size() > 0) {  // a pipelined request is already here
      ReadRequest();
      return;
    }
    phase_ = Phase::kIdle;
    ArmTimer(shared_->settings.idle_timeout_ms);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        [self = this->shared_from_this()](boost::system::error_code ec, size_t bytes) {
          self->CancelTimer();
          if (ec || self->closed_) {
            self->Close();
            return;
          }
          self->buffer_.commit(bytes);
          self->ReadRequest();
        });
  }

  void ReadRequest() {
    phase_ = Phase::kReading;
    ArmTimer(shared_->settings.request_timeout_ms);
    parser_.emplace();
    parser_->header_limit(shared_->settings.max_header_bytes);
    parser_->body_limit(shared_->settings.max_body_bytes);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
          if (ec || self->closed_ || self->parser_->is_done()) return self->OnRequest(ec);
          if (ExpectsContinue(self->parser_->get())) return self->SendContinue();
          self->ReadBody();
        });
  }

  // "Expect: 100-continue" (curl sends it for bodies over 1 KiB): the body comes once we say
  // so, and only if its announced length is within the limit (checked with the header).
  static bool ExpectsContinue(const HttpRequest& request) {
    const auto expect = request[bhttp::field::expect];
    return expect.size() == 12 && boost::beast::iequals(expect, "100-continue");
  }

  void SendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        if (ec || self->closed_) return self->OnRequest(ec);
                        self->ReadBody();
                      });
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        self->OnRequest(ec);
                      });
  }

  void OnRequest(boost::system::error_code ec) {
    CancelTimer();
    if (closed_) return;
    const auto& settings = shared_->settings;
    if (timed_out_) {
      SendError(HttpStatus::request_timeout, "the request did not arrive whole within " +
                                                 std::to_string(settings.request_timeout_ms) +
                                                 " ms");
      return;
    }
    if (ec == bhttp::error::body_limit) {
      SendError(HttpStatus::payload_too_large,
                "the request body exceeds " + std::to_string(settings.max_body_bytes) + " bytes");
      return;
    }
    if (ec == bhttp::error::header_limit) {
      SendError(
          HttpStatus::request_header_fields_too_large,
          "the request header exceeds " + std::to_string(settings.max_header_bytes) + " bytes");
      return;
    }
    if (ec && ec != bhttp::error::end_of_stream && IsHttpParseError(ec)) {
      SendError(HttpStatus::bad_request, "malformed HTTP request: " + ec.message());
      return;
    }
    if (ec) {  // the peer closed or reset: nothing to answer
      Close();
      return;
    }
    HttpRequest request = parser_->release();
    parser_.reset();
    auto target = Url::ParseTarget(request.target());
    if (!target) {
      SendError(HttpStatus::bad_request,
                "malformed request target '" + std::string(request.target()) + "'");
      return;
    }
    phase_ = Phase::kHandling;
    keep_alive_ = request.keep_alive();
    head_ = request.method() == HttpMethod::head;
    ++sequence_;
    self_ = this->shared_from_this();  // alive until answered or closed
    HttpExchange exchange(std::move(request), std::move(*target), origin_, sequence_, self_,
                          shared_->io.get_executor());
    try {
      shared_->handler(std::move(exchange));
    } catch (const std::exception& e) {
      // The exchange is gone unanswered: its last copy answers 500.
      spdlog::error("{}: request handler threw: {}", shared_->name, e.what());
    }
  }

  void SendError(HttpStatus status, const std::string& reason) {
    spdlog::debug("{}: {} from {}: {}", shared_->name, static_cast<int>(status),
                  origin_.remote.ToString(), reason);
    phase_ = Phase::kHandling;
    head_ = false;
    ++sequence_;
    Write(MakeErrorResponse(status, reason), true);
  }

  void Write(HttpResponse response, bool close_after) {
    phase_ = Phase::kWriting;
    close_after_ = close_after;
    response.keep_alive(!close_after);
    if (response[bhttp::field::server].empty()) {
      response.set(bhttp::field::server, "tributary/" TRIBUTARY_VERSION);
    }
    if (head_) {
      // What a GET would carry, without the body (RFC 9110 9.3.2).
      if (response[bhttp::field::content_length].empty()) response.prepare_payload();
      response.body().clear();
    } else {
      response.prepare_payload();
    }
    if (shared_->observer) shared_->observer(response.result());
    response_ = std::make_unique<HttpResponse>(std::move(response));
    ArmTimer(shared_->settings.request_timeout_ms);
    bhttp::async_write(stream_, *response_,
                       [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                         self->OnWritten(ec);
                       });
    self_.reset();  // the pending write holds the connection now
  }

  void OnWritten(boost::system::error_code ec) {
    CancelTimer();
    response_.reset();
    if (ec || closed_) {
      Close();
      return;
    }
    if (close_after_) {
      Linger();
      return;
    }
    ReadNext();
  }

  // After an answer that closes the connection: stop sending, then read (and drop) what the
  // client may still be sending for a moment, so that the kernel does not reset the connection
  // before the client has read the answer (an oversized body is the usual case).
  void Linger() {
    phase_ = Phase::kLingering;
    boost::system::error_code ignored;
    Socket().shutdown(tcp::socket::shutdown_send, ignored);
    ArmTimer(kLingerMs);
    DrainSome();
  }

  void DrainSome() {
    Socket().async_read_some(asio::buffer(drain_), [self = this->shared_from_this()](
                                                       boost::system::error_code ec, size_t bytes) {
      self->drained_ += bytes;
      if (ec || self->closed_ || self->drained_ > kLingerMaxBytes) {
        self->Close();
        return;
      }
      self->DrainSome();
    });
  }

  void ArmTimer(uint32_t ms) {
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(std::chrono::milliseconds(ms));
    timer_.async_wait([weak = this->weak_from_this(), generation](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->timer_generation_ != generation) return;
      self->OnTimeout();
    });
  }

  void CancelTimer() {
    ++timer_generation_;
    timer_.cancel();
  }

  void OnTimeout() {
    timed_out_ = true;
    if (phase_ == Phase::kReading) {
      // Stop the read; OnRequest answers 408.
      boost::system::error_code ignored;
      Socket().cancel(ignored);
      return;
    }
    Close();
  }

  std::shared_ptr<HttpServer::Shared> shared_;
  std::shared_ptr<asio::ssl::context> tls_;  // outlives stream_ (declared before it)
  Stream stream_;
  asio::steady_timer timer_;
  HttpExchange::Origin origin_;
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::unique_ptr<HttpResponse> response_;
  std::shared_ptr<Connection> self_;
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;
  Phase phase_ = Phase::kIdle;
  uint64_t sequence_ = 0;
  uint64_t timer_generation_ = 0;
  bool keep_alive_ = true;
  bool head_ = false;
  bool close_after_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
};

void Accept(const std::shared_ptr<HttpServer::Shared>& shared) {
  shared->acceptor.async_accept([shared](boost::system::error_code ec, tcp::socket socket) {
    if (!shared->running) return;
    if (ec) {
      // Out of descriptors and the like: try again shortly rather than spin.
      spdlog::warn("{}: accept failed: {}", shared->name, ec.message());
      shared->accept_retry.expires_after(std::chrono::milliseconds(100));
      shared->accept_retry.async_wait([shared](boost::system::error_code wait_ec) {
        if (!wait_ec && shared->running) Accept(shared);
      });
      return;
    }
    boost::system::error_code option_ec;
    socket.set_option(tcp::no_delay(true), option_ec);
    HttpExchange::Origin origin;
    origin.remote = ToEndpoint(socket.remote_endpoint(option_ec));
    origin.local = ToEndpoint(socket.local_endpoint(option_ec));
    std::shared_ptr<ServerConnection> connection;
    if (shared->tls) {
      origin.secure = true;
      connection = std::make_shared<Connection<TlsStream>>(
          shared, TlsStream(std::move(socket), *shared->tls), shared->tls, origin);
    } else {
      connection =
          std::make_shared<Connection<tcp::socket>>(shared, std::move(socket), nullptr, origin);
    }
    connection->Start();
    Accept(shared);
  });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, config::HttpSettings settings, Handler handler,
                       std::string name)
    : io_(io),
      shared_(
          std::make_shared<Shared>(io, std::move(settings), std::move(handler), std::move(name))) {}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::SetResponseObserver(ResponseObserver observer) {
  shared_->observer = std::move(observer);
}

void HttpServer::Start() {
  if (shared_->running) return;
  const auto& listen = shared_->settings.listen;
  const auto address = Endpoint::Parse(listen.host, listen.port);
  if (!address) {
    throw std::runtime_error(shared_->name + ": listen address '" + listen.host +
                             "' is not an IPv4 or IPv6 address");
  }
  if (shared_->settings.tls.Enabled()) shared_->tls = MakeTlsContext(shared_->settings.tls);
  const tcp::endpoint endpoint(asio::ip::make_address(address->AddressString()), address->Port());
  auto& acceptor = shared_->acceptor;
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) shared_->local = ToEndpoint(acceptor.local_endpoint(ec));
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    throw std::runtime_error(shared_->name + ": cannot listen on " + address->ToString() + ": " +
                             ec.message());
  }
  shared_->running = true;
  shared_->started = true;
  Accept(shared_);
}

void HttpServer::Stop() {
  if (!shared_->started) return;
  if (io_.get_executor().running_in_this_thread() || io_.stopped()) {
    StopOnIoThread();
    return;
  }
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  asio::post(io_, [shared = shared_, done] {
    StopShared(*shared);
    done->set_value();
  });
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    spdlog::error("{}: stop timed out: is the io thread running?", shared_->name);
  }
}

void HttpServer::StopOnIoThread() {
  StopShared(*shared_);
}

void HttpServer::StopShared(Shared& shared) {
  shared.running = false;
  boost::system::error_code ignored;
  shared.acceptor.close(ignored);
  shared.accept_retry.cancel();
  std::vector<std::shared_ptr<ServerConnection>> open;
  for (auto& [raw, weak] : shared.connections) {
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  for (auto& connection : open)
    connection->Close();
}

void HttpServer::ReloadCertificate() {
  if (!shared_->settings.tls.Enabled()) return;
  shared_->tls = MakeTlsContext(shared_->settings.tls);
}

Endpoint HttpServer::LocalAddress() const {
  return shared_->local;
}

size_t HttpServer::ConnectionCount() const {
  return shared_->connections.size();
}

const config::HttpSettings& HttpServer::Settings() const {
  return shared_->settings;
}

}  // namespace tributary::net
