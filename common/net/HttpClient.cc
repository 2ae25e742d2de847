#include "net/HttpClient.h"

#include <stdexcept>
#include <unordered_map>

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "net/Endpoint.h"
#include "net/Url.h"

namespace tributary::net {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr uint32_t kMaxResponseHeaderBytes = 64 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

class ClientCall;

}  // namespace

struct HttpClient::Shared {
  Shared(asio::io_context& io, Options options) : io(io), options(std::move(options)) {}
  asio::io_context& io;
  Options options;
  std::unique_ptr<asio::ssl::context> tls;
  bool alive = true;
  std::unordered_map<ClientCall*, std::weak_ptr<ClientCall>> calls;
};

namespace {

// One request: resolve, connect, (TLS handshake), write, read, close.
class ClientCall : public std::enable_shared_from_this<ClientCall> {
 public:
  ClientCall(std::shared_ptr<HttpClient::Shared> shared, Url url, HttpClientRequest request,
             HttpClient::Callback callback)
      : shared_(std::move(shared)),
        url_(std::move(url)),
        request_(std::move(request)),
        callback_(std::move(callback)),
        resolver_(shared_->io),
        socket_(shared_->io),
        timer_(shared_->io) {}

  ~ClientCall() { shared_->calls.erase(this); }

  void Start() {
    shared_->calls.emplace(this, weak_from_this());
    timer_.expires_after(request_.timeout);
    timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->Fail("timed out after " + std::to_string(self->request_.timeout.count()) + " ms");
    });
    resolver_.async_resolve(
        url_.Host(), std::to_string(url_.Port()),
        [self = shared_from_this()](boost::system::error_code ec,
                                    tcp::resolver::results_type results) {
          if (self->done_) return;
          if (ec) return self->Fail("cannot resolve '" + self->url_.Host() + "': " + ec.message());
          self->Connect(results);
        });
  }

  // Ends the call without an answer (client destroyed, timeout, error).
  void Fail(const std::string& error) {
    HttpClientResult result;
    result.error = url_.ToString() + ": " + error;
    Finish(std::move(result));
  }

 private:
  void Connect(const tcp::resolver::results_type& results) {
    asio::async_connect(
        socket_, results,
        [self = shared_from_this()](boost::system::error_code ec, const tcp::endpoint&) {
          if (self->done_) return;
          if (ec) return self->Fail("cannot connect: " + ec.message());
          boost::system::error_code ignored;
          self->socket_.set_option(tcp::no_delay(true), ignored);
          if (self->url_.Tls()) {
            self->Handshake();
          } else {
            self->Exchange(self->socket_);
          }
        });
  }

  void Handshake() {
    if (!shared_->tls) return Fail("https is not available: no TLS context");
    tls_.emplace(std::move(socket_), *shared_->tls);
    const std::string& host = url_.Host();
    if (!Endpoint::Parse(host, 0)) {  // SNI carries names only, never addresses
      SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
    }
    if (shared_->options.verify_peer) {
      tls_->set_verify_mode(asio::ssl::verify_peer);
      tls_->set_verify_callback(asio::ssl::host_name_verification(host));
    } else {
      tls_->set_verify_mode(asio::ssl::verify_none);
    }
    tls_->async_handshake(asio::ssl::stream_base::client,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            if (self->done_) return;
                            if (ec) return self->Fail("TLS handshake failed: " + ec.message());
                            self->Exchange(*self->tls_);
                          });
  }

  template <class Stream>
  void Exchange(Stream& stream) {
    message_.method(request_.method);
    message_.target(url_.Target());
    message_.version(11);
    message_.set(bhttp::field::host, url_.HostHeader());
    message_.set(bhttp::field::user_agent, "tributary/" TRIBUTARY_VERSION);
    for (const auto& [name, value] : request_.headers)
      message_.set(name, value);
    message_.body() = std::move(request_.body);
    message_.keep_alive(false);
    message_.prepare_payload();
    bhttp::async_write(stream, message_,
                       [self = shared_from_this(), &stream](boost::system::error_code ec, size_t) {
                         if (self->done_) return;
                         if (ec) return self->Fail("cannot send the request: " + ec.message());
                         self->Read(stream);
                       });
  }

  template <class Stream>
  void Read(Stream& stream) {
    parser_.header_limit(kMaxResponseHeaderBytes);
    parser_.body_limit(shared_->options.max_body_bytes);
    if (request_.method == HttpMethod::head) parser_.skip(true);
    bhttp::async_read(stream, buffer_, parser_,
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        if (self->done_) return;
                        if (ec) return self->Fail("bad or missing response: " + ec.message());
                        self->Succeed();
                      });
  }

  void Succeed() {
    auto response = parser_.release();
    HttpClientResult result;
    result.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    result.body = std::move(response.body());
    Finish(std::move(result));
  }

  void Finish(HttpClientResult result) {
    if (done_) return;
    done_ = true;
    timer_.cancel();
    resolver_.cancel();
    boost::system::error_code ignored;
    if (tls_) {
      tls_->lowest_layer().close(ignored);
    } else {
      socket_.close(ignored);
    }
    if (!shared_->alive) return;
    auto callback = std::move(callback_);
    // Never inside Request(): every path here is a completion handler, or a post() below.
    callback(std::move(result));
  }

  std::shared_ptr<HttpClient::Shared> shared_;
  Url url_;
  HttpClientRequest request_;
  HttpClient::Callback callback_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  std::optional<asio::ssl::stream<tcp::socket>> tls_;
  asio::steady_timer timer_;
  HttpRequest message_;
  boost::beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  bool done_ = false;
};

}  // namespace

std::optional<std::string> HttpClientResult::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

HttpClient::HttpClient(asio::io_context& io, Options options)
    : io_(io), shared_(std::make_shared<Shared>(io, std::move(options))) {
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (!shared_->options.ca_file.empty()) {
    tls->load_verify_file(shared_->options.ca_file, ec);
    if (ec) {
      throw std::runtime_error("CA file '" + shared_->options.ca_file + "': " + ec.message());
    }
  } else {
    tls->set_default_verify_paths(ec);  // no system CAs is not fatal: http:// still works
  }
  shared_->tls = std::move(tls);
}

HttpClient::~HttpClient() {
  shared_->alive = false;
  std::vector<std::shared_ptr<ClientCall>> calls;
  for (auto& [raw, weak] : shared_->calls) {
    if (auto call = weak.lock()) calls.push_back(std::move(call));
  }
  for (auto& call : calls)
    call->Fail("client destroyed");
}

void HttpClient::Request(HttpClientRequest request, Callback callback) {
  auto url = Url::Parse(request.url);
  if (!url || (url->Scheme() != "http" && url->Scheme() != "https")) {
    HttpClientResult result;
    result.error = "'" + request.url + "' is not an http:// or https:// URL";
    asio::post(io_, [shared = shared_, callback = std::move(callback),
                     result = std::move(result)]() mutable {
      if (shared->alive) callback(std::move(result));
    });
    return;
  }
  auto call = std::make_shared<ClientCall>(shared_, std::move(*url), std::move(request),
                                           std::move(callback));
  call->Start();
}

size_t HttpClient::Pending() const {
  return shared_->calls.size();
}

HttpClientResult HttpClient::Fetch(HttpClientRequest request, Options options) {
  asio::io_context io;
  HttpClientResult out;
  try {
    HttpClient client(io, std::move(options));
    client.Request(std::move(request),
                   [&out](HttpClientResult result) { out = std::move(result); });
    io.run();
  } catch (const std::exception& e) {
    out = HttpClientResult();
    out.error = e.what();
  }
  return out;
}

}  // namespace tributary::net
