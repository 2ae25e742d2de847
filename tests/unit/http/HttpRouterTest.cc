#include "http/HttpRouter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/JsonResponse.h"
#include "net/HttpClient.h"
#include "net/HttpServer.h"
#include "net/IoThread.h"

namespace tributary::http {
namespace {

// A router behind a real server on loopback, asked by a real client.
class HttpRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(net::HttpMethod::get, "/api/v1/health",
                [](const net::HttpExchange& exchange, const RouteParams&) {
                  exchange.Respond(JsonResponse(net::HttpStatus::ok, {{"status", "ok"}}));
                });
    router_.Add(net::HttpMethod::post, "/whip/{app}/{stream}",
                [](const net::HttpExchange& exchange, const RouteParams& params) {
                  exchange.Respond(
                      JsonResponse(net::HttpStatus::created,
                                   {{"app", params.Get("app")}, {"stream", params.Get("stream")}}));
                });
    router_.Add(net::HttpMethod::delete_, "/whip/{app}/{stream}",
                [](const net::HttpExchange& exchange, const RouteParams&) {
                  exchange.Respond(JsonResponse(net::HttpStatus::ok, nlohmann::json::object()));
                });
    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    server_ = std::make_unique<net::HttpServer>(
        io_.Context(), settings,
        [this](net::HttpExchange exchange) { router_.Dispatch(exchange); });
    server_->Start();
    base_ = "http://127.0.0.1:" + std::to_string(server_->LocalAddress().Port());
    io_.Start();
  }
  void TearDown() override {
    server_.reset();
    io_.Stop();
  }

  net::HttpClientResult Call(net::HttpMethod method, const std::string& path) {
    net::HttpClientRequest request;
    request.method = method;
    request.url = base_ + path;
    return net::HttpClient::Fetch(request);
  }

  HttpRouter router_;
  net::IoThread io_{"test-router"};
  std::unique_ptr<net::HttpServer> server_;
  std::string base_;
};

TEST_F(HttpRouterTest, CallsTheRouteOfMethodAndPath_WithDecodedParameters) {
  const auto result = Call(net::HttpMethod::post, "/whip/live/my%20cam?vhost=x");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 201);
  const auto body = nlohmann::json::parse(result.body);
  EXPECT_EQ(body["app"], "live");
  EXPECT_EQ(body["stream"], "my cam");
  EXPECT_EQ(Call(net::HttpMethod::get, "/api/v1/health").status, 200);
}

TEST_F(HttpRouterTest, Answers404WithAReason_WhenNoPatternMatches) {
  for (const char* path :
       {"/nope", "/api/v1/health/", "/whip/live", "/whip/live/cam/extra", "/whip//cam", "/"}) {
    const auto result = Call(net::HttpMethod::get, path);
    ASSERT_TRUE(result.Ok()) << result.error;
    EXPECT_EQ(result.status, 404) << path;
    EXPECT_EQ(result.Header("content-type"), "application/json");
    const auto body = nlohmann::json::parse(result.body);
    EXPECT_NE(body["error"].get<std::string>().find(path), std::string::npos) << result.body;
  }
}

TEST_F(HttpRouterTest, Answers405WithAllow_WhenOnlyTheMethodIsWrong) {
  const auto result = Call(net::HttpMethod::put, "/whip/live/cam");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 405);
  EXPECT_EQ(result.Header("Allow"), "POST, DELETE");
  EXPECT_NE(nlohmann::json::parse(result.body)["error"].get<std::string>().find("PUT"),
            std::string::npos);
  EXPECT_EQ(Call(net::HttpMethod::post, "/api/v1/health").Header("allow"), "GET");
}

TEST_F(HttpRouterTest, Answers400_WhenAParameterIsBadlyEncoded) {
  const auto result = Call(net::HttpMethod::post, "/whip/live/bad%zz");
  ASSERT_TRUE(result.Ok()) << result.error;
  EXPECT_EQ(result.status, 400);
}

TEST(HttpRouterPatterns, RefusesMalformedPatterns) {
  HttpRouter router;
  auto noop = [](const net::HttpExchange&, const RouteParams&) {};
  EXPECT_THROW(router.Add(net::HttpMethod::get, "relative", noop), std::invalid_argument);
  EXPECT_THROW(router.Add(net::HttpMethod::get, "/a/{open", noop), std::invalid_argument);
  EXPECT_THROW(router.Add(net::HttpMethod::get, "/a//b", noop), std::invalid_argument);
  EXPECT_NO_THROW(router.Add(net::HttpMethod::get, "/", noop));
}

}  // namespace
}  // namespace tributary::http
