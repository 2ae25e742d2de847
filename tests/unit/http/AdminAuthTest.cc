#include "http/AdminAuth.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

namespace tributary::http {
namespace {

namespace beast_http = boost::beast::http;

class AdminAuthTest : public ::testing::Test {
 protected:
  AdminAuthTest() {
    config::VhostConfig demo;
    demo.name = "demo";
    config::VhostConfig acme;
    acme.name = "acme";
    acme.admin.tokens = {"acme-admin"};
    vhosts_.vhosts = {demo, acme};
  }

  // A request as the HTTP server hands it over, from `remote_ip`.
  net::HttpExchange Exchange(const std::string& remote_ip, const std::string& authorization) {
    net::HttpRequest request(beast_http::verb::get, "/api/v1/sessions", 11);
    if (!authorization.empty()) request.set(beast_http::field::authorization, authorization);
    net::HttpExchange::Origin origin;
    origin.remote = *net::Endpoint::Parse(remote_ip, 40000);
    origin.local = *net::Endpoint::Parse("127.0.0.1", 8101);
    return net::HttpExchange(std::move(request), *net::Url::ParseTarget("/api/v1/sessions"), origin,
                             0, {}, io_.get_executor());
  }

  AdminAuth::Result Check(std::string_view admin_token, const std::string& remote_ip,
                          const std::string& authorization) {
    return AdminAuth::Check(admin_token, vhosts_, Exchange(remote_ip, authorization));
  }

  boost::asio::io_context io_;
  config::VhostSet vhosts_;
};

TEST_F(AdminAuthTest, NoAdminToken_LoopbackWithoutTokenMayDoEverything) {
  for (const char* ip : {"127.0.0.1", "127.9.8.7", "::1"}) {
    const auto result = Check("", ip, "");
    EXPECT_TRUE(result.Allowed()) << ip << ": " << result.reason;
    EXPECT_EQ(result.vhost, "");
    EXPECT_TRUE(result.Covers("demo"));
  }
}

TEST_F(AdminAuthTest, NoAdminToken_ElsewhereWithoutTokenIsForbidden) {
  const auto result = Check("", "192.0.2.10", "");
  EXPECT_EQ(result.verdict, AdminAuth::Verdict::kForbidden);
  EXPECT_NE(result.reason.find("loopback"), std::string::npos) << result.reason;
  const net::HttpResponse response = AdminAuth::Refusal(result);
  EXPECT_EQ(response.result(), net::HttpStatus::forbidden);
  EXPECT_EQ(nlohmann::json::parse(response.body())["error"], result.reason);
}

TEST_F(AdminAuthTest, AdminToken_IsNeededEvenOnLoopback) {
  const auto missing = Check("root-token", "127.0.0.1", "");
  EXPECT_EQ(missing.verdict, AdminAuth::Verdict::kMissing);
  const net::HttpResponse response = AdminAuth::Refusal(missing);
  EXPECT_EQ(response.result(), net::HttpStatus::unauthorized);
  EXPECT_EQ(response[beast_http::field::www_authenticate], "Bearer realm=\"tributary-admin\"");

  const auto wrong = Check("root-token", "127.0.0.1", "Bearer root-tokeN");
  EXPECT_EQ(wrong.verdict, AdminAuth::Verdict::kInvalid);
  EXPECT_NE(std::string(AdminAuth::Refusal(wrong)[beast_http::field::www_authenticate])
                .find("invalid_token"),
            std::string::npos);

  const auto other_scheme = Check("root-token", "127.0.0.1", "Basic cm9vdDp0b2tlbg==");
  EXPECT_EQ(other_scheme.verdict, AdminAuth::Verdict::kInvalid);

  const auto right = Check("root-token", "192.0.2.10", "bearer root-token");
  EXPECT_TRUE(right.Allowed());
  EXPECT_EQ(right.vhost, "");
}

TEST_F(AdminAuthTest, VhostAdminToken_CoversItsOwnVhostOnly) {
  for (std::string_view admin_token : {"", "root-token"}) {
    const auto result = Check(admin_token, "192.0.2.10", "Bearer acme-admin");
    ASSERT_TRUE(result.Allowed()) << result.reason;
    EXPECT_EQ(result.vhost, "acme");
    EXPECT_TRUE(result.Covers("acme"));
    EXPECT_FALSE(result.Covers("demo"));
  }
}

TEST_F(AdminAuthTest, UnknownToken_IsRefusedWhateverTheAddress) {
  EXPECT_EQ(Check("", "127.0.0.1", "Bearer guess").verdict, AdminAuth::Verdict::kInvalid);
  EXPECT_EQ(Check("", "192.0.2.10", "Bearer guess").verdict, AdminAuth::Verdict::kInvalid);
}

}  // namespace
}  // namespace tributary::http
