#include "net/HttpServer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "RawHttpConnection.h"
#include "net/HttpClient.h"
#include "net/IoThread.h"

namespace tributary::net {
namespace {

using namespace std::chrono_literals;
using testing::RawHttpConnection;

config::HttpSettings LoopbackSettings() {
  config::HttpSettings settings;
  settings.listen.host = "127.0.0.1";
  settings.listen.port = 0;
  settings.max_body_bytes = 1024;
  settings.max_header_bytes = 2048;
  settings.request_timeout_ms = 300;
  settings.idle_timeout_ms = 400;
  return settings;
}

std::string Get(uint16_t port, const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
}

// A server on its own io thread. The handler runs on that thread; by default it echoes the
// method and target, and answers a target starting "/later/N" after N milliseconds.
class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(config::HttpSettings settings = LoopbackSettings()) {
    server_ = std::make_unique<HttpServer>(io_.Context(), std::move(settings),
                                           [this](HttpExchange exchange) { Handle(exchange); });
    server_->SetResponseObserver(
        [this](HttpStatus status) { statuses_.push_back(static_cast<int>(status)); });
    server_->Start();
    port_ = server_->LocalAddress().Port();
    io_.Start();
  }

  void TearDown() override {
    for (auto& thread : droppers_)
      thread.join();
    server_.reset();
    io_.Stop();
  }

  void Handle(HttpExchange exchange) {
    const std::string path = exchange.Target().Path();
    const std::string body = std::string(exchange.Request().method_string()) + " " + path +
                             " from " + exchange.Remote().AddressString();
    if (path.rfind("/later/", 0) == 0) {
      const int delay_ms = std::atoi(path.c_str() + 7);
      auto timer = std::make_shared<boost::asio::steady_timer>(io_.Context());
      timer->expires_after(std::chrono::milliseconds(delay_ms));
      timer->async_wait([timer, exchange, body](boost::system::error_code) {
        exchange.Respond(MakeResponse(HttpStatus::ok, body, "text/plain"));
      });
      return;
    }
    if (path == "/hold") {  // never answered until the test says so
      held_.push_back(exchange);
      return;
    }
    if (path == "/drop") return;      // forgotten: the server must answer 500 itself
    if (path == "/drop-elsewhere") {  // forgotten on another thread
      droppers_.emplace_back(
          [moved = std::move(exchange)]() mutable { HttpExchange last = std::move(moved); });
      return;
    }
    if (path == "/echo-body") {
      exchange.Respond(MakeResponse(HttpStatus::ok, exchange.Request().body(), "text/plain"));
      return;
    }
    exchange.Respond(MakeResponse(HttpStatus::ok, body, "text/plain"));
  }

  IoThread io_{"test-http"};
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::vector<HttpExchange> held_;  // io thread only
  std::vector<int> statuses_;       // io thread only
  std::vector<std::thread> droppers_;
};

TEST_F(HttpServerTest, AnswersARequest_WhenTheHandlerRespondsAtOnce) {
  StartServer();
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/hello?x=1");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "GET /hello from 127.0.0.1");
  EXPECT_EQ(result.Header("content-type"), "text/plain");
}

TEST_F(HttpServerTest, AnswersLater_WhenTheHandlerRespondsFromATimer) {
  StartServer();
  const auto start = std::chrono::steady_clock::now();
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/later/150");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 140ms);
}

TEST_F(HttpServerTest, KeepsTheConnectionAlive_ForTwoRequestsInARow) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send(Get(port_, "/one"));
  auto first = connection.ReadResponse();
  ASSERT_TRUE(first) << connection.Error().message();
  EXPECT_EQ(first->body(), "GET /one from 127.0.0.1");
  EXPECT_TRUE(first->keep_alive());
  connection.Send(Get(port_, "/two"));
  auto second = connection.ReadResponse();
  ASSERT_TRUE(second) << connection.Error().message();
  EXPECT_EQ(second->body(), "GET /two from 127.0.0.1");
}

TEST_F(HttpServerTest, AnswersInRequestOrder_WhenRequestsArePipelined) {
  StartServer();
  RawHttpConnection connection(port_);
  // The first answer is slow, the second immediate: the second must still come second.
  connection.Send(Get(port_, "/later/200") + Get(port_, "/fast"));
  auto first = connection.ReadResponse();
  auto second = connection.ReadResponse();
  ASSERT_TRUE(first && second) << connection.Error().message();
  EXPECT_EQ(first->body(), "GET /later/200 from 127.0.0.1");
  EXPECT_EQ(second->body(), "GET /fast from 127.0.0.1");
}

TEST_F(HttpServerTest, ClosesAfterTheAnswer_WhenTheClientAsksConnectionClose) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(connection.ClosedWithin(2s));
}

TEST_F(HttpServerTest, Answers413AndCloses_WhenTheBodyExceedsTheLimit) {
  StartServer();
  RawHttpConnection connection(port_);
  const std::string body(5000, 'x');
  connection.Send("POST /echo-body HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response) << connection.Error().message();
  EXPECT_EQ(response->result(), HttpStatus::payload_too_large);
  EXPECT_NE(response->body().find("\"error\":\"the request body exceeds 1024 bytes\""),
            std::string::npos)
      << response->body();
  EXPECT_TRUE(connection.ClosedWithin(2s));
}

TEST_F(HttpServerTest, AcceptsABody_WhenItIsWithinTheLimit) {
  StartServer();
  HttpClientRequest request;
  request.method = HttpMethod::post;
  request.url = "http://127.0.0.1:" + std::to_string(port_) + "/echo-body";
  request.body = std::string(1024, 'y');
  const auto result = HttpClient::Fetch(request);
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, request.body);
}

TEST_F(HttpServerTest, Answers431_WhenTheHeaderExceedsTheLimit) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response) << connection.Error().message();
  EXPECT_EQ(response->result(), HttpStatus::request_header_fields_too_large);
}

TEST_F(HttpServerTest, Answers400_WhenTheRequestIsMalformed) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send("NOT HTTP AT ALL\r\n\r\n");
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response) << connection.Error().message();
  EXPECT_EQ(response->result(), HttpStatus::bad_request);
  EXPECT_NE(response->body().find("\"error\""), std::string::npos);
}

TEST_F(HttpServerTest, Answers408AndCloses_WhenARequestDoesNotArriveWhole) {
  StartServer();  // request_timeout_ms = 300
  RawHttpConnection connection(port_);
  const auto start = std::chrono::steady_clock::now();
  connection.Send("GET /slow HTTP/1.1\r\nHost: x\r\n");  // the blank line never comes
  auto response = connection.ReadResponse(3s);
  ASSERT_TRUE(response) << connection.Error().message();
  EXPECT_EQ(response->result(), HttpStatus::request_timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_TRUE(connection.ClosedWithin(2s));
}

TEST_F(HttpServerTest, ServesOtherClients_WhileOneSendsHalfARequest) {
  StartServer();
  RawHttpConnection slow(port_);
  slow.Send("GET /slow HTTP/1.1\r\nHost: x\r\n");
  RawHttpConnection held(port_);
  held.Send(Get(port_, "/hold"));
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/other");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
}

TEST_F(HttpServerTest, ClosesAnIdleConnection_AfterTheIdleTimeout) {
  StartServer();  // idle_timeout_ms = 400
  RawHttpConnection connection(port_);
  connection.Send(Get(port_, "/one"));
  ASSERT_TRUE(connection.ReadResponse());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.ClosedWithin(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST_F(HttpServerTest, Answers500_WhenTheHandlerDropsTheRequest) {
  StartServer();
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/drop");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 500);
  EXPECT_NE(result.body.find("dropped"), std::string::npos);
}

TEST_F(HttpServerTest, Answers500_WhenAnotherThreadDropsTheRequest) {
  StartServer();
  const auto result =
      HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/drop-elsewhere");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 500);
}

TEST_F(HttpServerTest, AnswersHeadWithoutABody_AndKeepsTheConnectionUsable) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send("HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n" + Get(port_, "/next"));
  auto head = connection.ReadResponse(5s, true);
  ASSERT_TRUE(head) << connection.Error().message();
  EXPECT_EQ(head->result(), HttpStatus::ok);
  EXPECT_EQ((*head)[boost::beast::http::field::content_length],
            std::to_string(std::string("HEAD /page from 127.0.0.1").size()));
  // Had the body been sent, it would be read as the start of this response.
  auto next = connection.ReadResponse();
  ASSERT_TRUE(next) << connection.Error().message();
  EXPECT_EQ(next->body(), "GET /next from 127.0.0.1");
}

TEST_F(HttpServerTest, SendsContinue_WhenTheClientExpectsIt) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send(
      "POST /echo-body HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  auto interim = connection.ReadResponse();
  ASSERT_TRUE(interim) << connection.Error().message();
  EXPECT_EQ(interim->result(), HttpStatus::continue_);
  connection.Send("hello");
  auto final_response = connection.ReadResponse();
  ASSERT_TRUE(final_response) << connection.Error().message();
  EXPECT_EQ(final_response->body(), "hello");
}

TEST_F(HttpServerTest, Answers413WithoutContinue_WhenTheAnnouncedBodyIsTooLarge) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send(
      "POST /echo-body HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 100000\r\n\r\n");
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response) << connection.Error().message();
  EXPECT_EQ(response->result(), HttpStatus::payload_too_large);
}

TEST_F(HttpServerTest, DropsTheAnswerQuietly_WhenTheConnectionDiedMeanwhile) {
  StartServer();
  {
    RawHttpConnection connection(port_);
    connection.Send(Get(port_, "/hold"));
    // Wait until the server holds the exchange, then hang up.
    for (int i = 0; i < 200; ++i) {
      std::promise<size_t> held;
      boost::asio::post(io_.Context(), [&] { held.set_value(held_.size()); });
      if (held.get_future().get() == 1) break;
      std::this_thread::sleep_for(5ms);
    }
  }
  std::this_thread::sleep_for(50ms);
  std::promise<void> answered;
  boost::asio::post(io_.Context(), [&] {
    held_.front().Respond(MakeResponse(HttpStatus::ok, "late", "text/plain"));
    held_.front().Respond(MakeResponse(HttpStatus::ok, "twice", "text/plain"));  // ignored
    EXPECT_TRUE(held_.front().Responded());
    held_.clear();
    answered.set_value();
  });
  answered.get_future().get();
  // The server still serves.
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/after");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
}

TEST_F(HttpServerTest, AcceptsAnAnswerFromAnotherThread) {
  StartServer();
  std::thread answerer;
  std::promise<HttpExchange> got;
  server_.reset();  // replace the handler: hand the exchange to a thread of ours
  server_ = std::make_unique<HttpServer>(io_.Context(), LoopbackSettings(),
                                         [&](HttpExchange exchange) { got.set_value(exchange); });
  std::promise<uint16_t> port;
  boost::asio::post(io_.Context(), [&] {
    server_->Start();
    port.set_value(server_->LocalAddress().Port());
  });
  const uint16_t server_port = port.get_future().get();
  answerer = std::thread([&] {
    HttpExchange exchange = got.get_future().get();
    exchange.Respond(MakeResponse(HttpStatus::accepted, "from a thread", "text/plain"));
  });
  const auto result =
      HttpClient::Get("http://127.0.0.1:" + std::to_string(server_port) + "/threaded");
  answerer.join();
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 202);
  EXPECT_EQ(result.body, "from a thread");
}

TEST_F(HttpServerTest, ClosesConnectionsAndListener_WhenStopped) {
  StartServer();
  RawHttpConnection connection(port_);
  connection.Send(Get(port_, "/one"));
  ASSERT_TRUE(connection.ReadResponse());
  server_->Stop();  // from the test thread: waits for the io thread
  EXPECT_TRUE(connection.ClosedWithin(2s));
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/gone");
  EXPECT_FALSE(result.Ok());
}

TEST_F(HttpServerTest, ObservesEveryStatus_IncludingItsOwnErrors) {
  StartServer();
  HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/ok");
  RawHttpConnection connection(port_);
  connection.Send("GARBAGE\r\n\r\n");
  ASSERT_TRUE(connection.ReadResponse());
  std::promise<std::vector<int>> statuses;
  boost::asio::post(io_.Context(), [&] { statuses.set_value(statuses_); });
  EXPECT_EQ(statuses.get_future().get(), (std::vector<int>{200, 400}));
}

TEST_F(HttpServerTest, ThrowsANamedError_WhenThePortIsTaken) {
  StartServer();
  config::HttpSettings settings = LoopbackSettings();
  settings.listen.port = port_;
  boost::asio::io_context other;
  HttpServer second(other, settings, [](HttpExchange) {});
  try {
    second.Start();
    FAIL() << "a second server bound the same port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << e.what();
  }
}

TEST_F(HttpServerTest, ListensOnIpv6Loopback) {
  config::HttpSettings settings = LoopbackSettings();
  settings.listen.host = "::1";
  StartServer(settings);
  EXPECT_EQ(server_->LocalAddress().ToString(), "[::1]:" + std::to_string(port_));
  const auto result = HttpClient::Get("http://[::1]:" + std::to_string(port_) + "/v6");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.body, "GET /v6 from ::1");
}

TEST_F(HttpServerTest, ShowsIpv4Clients_OfADualStackListener) {
  config::HttpSettings settings = LoopbackSettings();
  settings.listen.host = "::";
  StartServer(settings);
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port_) + "/dual");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.body, "GET /dual from 127.0.0.1");
}

// --- TLS ---

class TlsFiles {
 public:
  TlsFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("tributary-tls-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
  }
  ~TlsFiles() { std::filesystem::remove_all(dir_); }

  // A self-signed P-256 certificate for 127.0.0.1 and localhost, made with the openssl CLI.
  bool Generate(const std::string& name) {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
        " -subj /CN=" +
        name +
        " -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
        " -keyout '" +
        Key() + "' -out '" + Cert() + "' 2>/dev/null";
    return std::system(command.c_str()) == 0;
  }
  std::string Cert() const { return (dir_ / "cert.pem").string(); }
  std::string Key() const { return (dir_ / "key.pem").string(); }

 private:
  std::filesystem::path dir_;
};

void CopyPair(const TlsFiles& from, const TlsFiles& to) {
  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(from.Cert(), to.Cert(), overwrite);
  std::filesystem::copy_file(from.Key(), to.Key(), overwrite);
}

TEST_F(HttpServerTest, ServesHttps_WhenTheClientTrustsTheCertificate) {
  TlsFiles original;
  ASSERT_TRUE(original.Generate("tributary-test"));
  TlsFiles served;  // the files the server reads
  CopyPair(original, served);
  config::HttpSettings settings = LoopbackSettings();
  settings.tls.cert = served.Cert();
  settings.tls.key = served.Key();
  StartServer(settings);

  HttpClientRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(port_) + "/secure";
  HttpClient::Options trusting;
  trusting.ca_file = original.Cert();
  const auto result = HttpClient::Fetch(request, trusting);
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "GET /secure from 127.0.0.1");

  // A client that does not trust it refuses the handshake.
  const auto refused = HttpClient::Fetch(request);
  EXPECT_FALSE(refused.Ok());
  EXPECT_NE(refused.error.find("TLS handshake failed"), std::string::npos) << refused.error;

  // Reloading a renewed certificate: new connections get it, so the old CA no longer verifies.
  TlsFiles renewed;
  ASSERT_TRUE(renewed.Generate("tributary-renewed"));
  CopyPair(renewed, served);
  std::promise<void> reloaded;
  boost::asio::post(io_.Context(), [&] {
    server_->ReloadCertificate();
    reloaded.set_value();
  });
  reloaded.get_future().get();
  EXPECT_FALSE(HttpClient::Fetch(request, trusting).Ok());
  HttpClient::Options trusting_renewed;
  trusting_renewed.ca_file = renewed.Cert();
  const auto after = HttpClient::Fetch(request, trusting_renewed);
  ASSERT_TRUE(after.Ok()) << after.error;
  EXPECT_EQ(after.status, 200);
}

TEST_F(HttpServerTest, FailsToStart_WhenTheCertificateIsMissing) {
  config::HttpSettings settings = LoopbackSettings();
  settings.tls.cert = "/nonexistent/cert.pem";
  settings.tls.key = "/nonexistent/key.pem";
  boost::asio::io_context io;
  HttpServer server(io, settings, [](HttpExchange) {});
  try {
    server.Start();
    FAIL() << "started without a certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cert.pem"), std::string::npos);
  }
}

}  // namespace
}  // namespace tributary::net
