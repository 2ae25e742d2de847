#include "http/CorsPolicy.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

namespace field = boost::beast::http;

net::HttpRequest Request(std::string origin) {
  net::HttpRequest request{net::HttpMethod::post, "/whip/live/cam", 11};
  if (!origin.empty()) request.set(field::field::origin, origin);
  return request;
}

TEST(CorsPolicy, AnyOrigin_AllowsAndExposesTheWhipHeaders) {
  const CorsPolicy cors({"*"});
  net::HttpResponse response{net::HttpStatus::created, 11};
  cors.Apply(Request("https://app.example"), response);
  EXPECT_EQ(response[field::field::access_control_allow_origin], "*");
  EXPECT_EQ(response[field::field::access_control_expose_headers],
            "Location, ETag, Link, Accept-Patch");
}

TEST(CorsPolicy, ListedOrigins_AreEchoed_OthersGetNothing) {
  const CorsPolicy cors({"https://app.example"});
  net::HttpResponse allowed{net::HttpStatus::created, 11};
  cors.Apply(Request("https://app.example"), allowed);
  EXPECT_EQ(allowed[field::field::access_control_allow_origin], "https://app.example");
  EXPECT_EQ(allowed[field::field::vary], "Origin");
  net::HttpResponse refused{net::HttpStatus::created, 11};
  cors.Apply(Request("https://evil.example"), refused);
  EXPECT_EQ(refused.count(field::field::access_control_allow_origin), 0u);
}

TEST(CorsPolicy, Preflight_Is204WithMethodsAndHeaders) {
  const CorsPolicy cors({"*"});
  const auto response = cors.Preflight(Request("https://app.example"), "POST, OPTIONS");
  EXPECT_EQ(response.result(), net::HttpStatus::no_content);
  EXPECT_EQ(response[field::field::access_control_allow_methods], "POST, OPTIONS");
  EXPECT_NE(response[field::field::access_control_allow_headers].find("Authorization"),
            std::string::npos);
  EXPECT_NE(response[field::field::access_control_allow_headers].find("If-Match"),
            std::string::npos);
}

}  // namespace
}  // namespace tributary::http
