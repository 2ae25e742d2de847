#include "net/HttpClient.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "net/HttpServer.h"
#include "net/IoThread.h"

namespace tributary::net {
namespace {

using namespace std::chrono_literals;

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    server_ = std::make_unique<HttpServer>(io_.Context(), settings, [this](HttpExchange exchange) {
      if (exchange.Target().Path() == "/silent") {
        held_.push_back(exchange);  // never answered
        return;
      }
      auto response = MakeResponse(HttpStatus::created, exchange.Request().body(), "text/plain");
      response.set("X-Method", exchange.Request().method_string());
      response.set("X-Token", exchange.Request()["Authorization"]);
      response.set("X-Host", exchange.Request()["Host"]);
      response.set("X-Query", exchange.Target().Param("q").value_or("-"));
      exchange.Respond(std::move(response));
    });
    server_->Start();
    base_ = "http://127.0.0.1:" + std::to_string(server_->LocalAddress().Port());
    io_.Start();
  }
  void TearDown() override {
    std::promise<void> cleared;
    boost::asio::post(io_.Context(), [&] {
      held_.clear();
      cleared.set_value();
    });
    cleared.get_future().get();
    server_.reset();
    io_.Stop();
  }

  IoThread io_{"test-client"};
  std::unique_ptr<HttpServer> server_;
  std::vector<HttpExchange> held_;
  std::string base_;
};

TEST_F(HttpClientTest, SendsMethodHeadersAndBody_AndReturnsTheResponse) {
  HttpClientRequest request;
  request.method = HttpMethod::post;
  request.url = base_ + "/whip/live/cam?q=a%20b";
  request.headers = {{"Authorization", "Bearer t0k"}, {"Content-Type", "application/sdp"}};
  request.body = "v=0\r\n";
  const auto result = HttpClient::Fetch(request);
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.body, "v=0\r\n");
  EXPECT_EQ(result.Header("x-method"), "POST");
  EXPECT_EQ(result.Header("X-Token"), "Bearer t0k");
  EXPECT_EQ(result.Header("X-Host"), "127.0.0.1:" + std::to_string(server_->LocalAddress().Port()));
  EXPECT_EQ(result.Header("X-Query"), "a b");
  EXPECT_FALSE(result.Header("X-Absent"));
}

TEST_F(HttpClientTest, ReportsATimeout_WhenTheServerNeverAnswers) {
  HttpClientRequest request;
  request.url = base_ + "/silent";
  request.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  const auto result = HttpClient::Fetch(request);
  EXPECT_FALSE(result.Ok());
  EXPECT_NE(result.error.find("timed out after 200 ms"), std::string::npos) << result.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(HttpClientTest, ReportsAnError_WhenNothingListens) {
  // A port that was just free: bind, read it, close.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = probe.local_endpoint().port();
  probe.close();
  const auto result = HttpClient::Get("http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_FALSE(result.Ok());
  EXPECT_NE(result.error.find("cannot connect"), std::string::npos) << result.error;
}

TEST_F(HttpClientTest, RefusesAUrlItCannotUse) {
  EXPECT_NE(HttpClient::Get("ftp://127.0.0.1/x").error.find("not an http"), std::string::npos);
  EXPECT_NE(HttpClient::Get("not a url").error.find("not an http"), std::string::npos);
}

TEST_F(HttpClientTest, RunsCallbacksOnItsIoThread_ForConcurrentRequests) {
  std::promise<std::vector<int>> statuses;
  boost::asio::post(io_.Context(), [&] {
    auto client = std::make_shared<HttpClient>(io_.Context());
    auto results = std::make_shared<std::vector<int>>();
    for (int i = 0; i < 3; ++i) {
      HttpClientRequest request;
      request.url = base_ + "/n" + std::to_string(i);
      client->Request(request, [&, client, results](HttpClientResult result) {
        EXPECT_TRUE(io_.InThread());
        results->push_back(result.status);
        if (results->size() == 3) statuses.set_value(*results);
      });
    }
    EXPECT_EQ(client->Pending(), 3u);
  });
  auto future = statuses.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get(), (std::vector<int>{201, 201, 201}));
}

TEST_F(HttpClientTest, DropsCallbacks_WhenDestroyedWithRequestsInFlight) {
  std::promise<void> done;
  bool called = false;
  boost::asio::post(io_.Context(), [&] {
    {
      HttpClient client(io_.Context());
      HttpClientRequest request;
      request.url = base_ + "/silent";
      client.Request(request, [&](HttpClientResult) { called = true; });
    }
    done.set_value();
  });
  done.get_future().get();
  std::this_thread::sleep_for(100ms);
  std::promise<bool> seen;
  boost::asio::post(io_.Context(), [&] { seen.set_value(called); });
  EXPECT_FALSE(seen.get_future().get());
}

TEST(HttpClientOptionsTest, ReportsAMissingCaFile) {
  HttpClientRequest request;
  request.url = "https://127.0.0.1:1/";
  HttpClient::Options options;
  options.ca_file = "/nonexistent/ca.pem";
  const auto result = HttpClient::Fetch(request, options);
  EXPECT_NE(result.error.find("/nonexistent/ca.pem"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace tributary::net
