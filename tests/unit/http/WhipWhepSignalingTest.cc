#include "http/WhipWhepSignaling.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>

#include "net/HttpServer.h"
#include "net/IoThread.h"

namespace tributary::http {
namespace {

using namespace std::chrono_literals;
using Kind = ClientError::Kind;

constexpr const char* kOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
constexpr const char* kAnswer = "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

// A real HTTP server on loopback whose answers each test scripts by path; it records every
// request it got.
class WhipWhepSignalingTest : public ::testing::Test {
 protected:
  using Route = std::function<net::HttpResponse(const net::HttpRequest&)>;

  void SetUp() override {
    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    server_ = std::make_unique<net::HttpServer>(
        io_.Context(), settings, [this](net::HttpExchange exchange) {
          const net::HttpRequest& request = exchange.Request();
          Route route;
          {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            auto it = routes_.find(std::string(exchange.Target().Path()));
            if (it != routes_.end()) route = it->second;
          }
          exchange.Respond(route ? route(request)
                                 : net::MakeErrorResponse(net::HttpStatus::not_found, "no route"));
        });
    server_->Start();
    base_ = "http://127.0.0.1:" + std::to_string(server_->LocalAddress().Port());
    io_.Start();
    RunOnIo([this] { client_ = std::make_unique<net::HttpClient>(io_.Context()); });
  }

  void TearDown() override {
    RunOnIo([this] {
      signaling_.reset();
      client_.reset();
    });
    server_.reset();
    io_.Stop();
  }

  void RunOnIo(std::function<void()> f) {
    std::promise<void> done;
    boost::asio::post(io_.Context(), [&] {
      f();
      done.set_value();
    });
    done.get_future().get();
  }

  void SetRoute(const std::string& path, Route route) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(route);
  }

  static net::HttpResponse Created(const std::string& location, const std::string& etag = "") {
    auto response = net::MakeResponse(net::HttpStatus::created, kAnswer, "application/sdp");
    response.set("Location", location);
    if (!etag.empty()) response.set("ETag", etag);
    return response;
  }
  static net::HttpResponse Redirect(const std::string& location, int status = 307) {
    net::HttpResponse response{static_cast<net::HttpStatus>(status), 11};
    response.set("Location", location);
    response.prepare_payload();
    return response;
  }

  void Make(const std::string& path, WhipWhepSignaling::Options options = {}) {
    RunOnIo([&] {
      signaling_ = std::make_unique<WhipWhepSignaling>(*client_, base_ + path, std::move(options));
    });
  }

  WhipWhepSignaling::OfferResult Post(std::string sdp = kOffer) {
    std::promise<WhipWhepSignaling::OfferResult> promise;
    RunOnIo([&] {
      signaling_->PostOffer(std::move(sdp), [&](WhipWhepSignaling::OfferResult r) {
        promise.set_value(std::move(r));
      });
    });
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }

  WhipWhepSignaling::PatchResult Patch(std::string fragment) {
    std::promise<WhipWhepSignaling::PatchResult> promise;
    RunOnIo([&] {
      signaling_->Patch(std::move(fragment),
                        [&](WhipWhepSignaling::PatchResult r) { promise.set_value(std::move(r)); });
    });
    return promise.get_future().get();
  }

  WhipWhepSignaling::DeleteResult Delete() {
    std::promise<WhipWhepSignaling::DeleteResult> promise;
    RunOnIo([&] {
      signaling_->Delete([&](WhipWhepSignaling::DeleteResult r) { promise.set_value(r); });
    });
    return promise.get_future().get();
  }

  std::vector<net::HttpRequest> Requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  net::IoThread io_{"signaling-test"};
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<WhipWhepSignaling> signaling_;
  std::string base_;
  std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::vector<net::HttpRequest> requests_;
};

TEST_F(WhipWhepSignalingTest, PostsTheOfferWithItsHeaders_AndResolvesTheResource) {
  SetRoute("/whip/live/cam", [](const net::HttpRequest&) {
    auto response = Created("../resource/abc", "\"e1\"");
    response.insert("Link", "<stun:127.0.0.1:3478>; rel=\"ice-server\"");
    return response;
  });
  WhipWhepSignaling::Options options;
  options.bearer_token = "t0k";
  options.extra_headers = {{"X-Extra", "1"}};
  int signed_requests = 0;
  options.sign = [&](net::HttpClientRequest& request) {
    ++signed_requests;
    request.headers.emplace_back("X-Signed", request.url);
  };
  Make("/whip/live/cam", options);
  const auto result = Post();
  ASSERT_TRUE(result.error.Ok()) << result.error.ToString();
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.answer_sdp, kAnswer);
  EXPECT_EQ(result.resource_url, base_ + "/whip/resource/abc");
  EXPECT_EQ(result.etag, "\"e1\"");
  EXPECT_EQ(result.endpoint_url, base_ + "/whip/live/cam");
  ASSERT_EQ(result.links.size(), 1u);
  EXPECT_NE(result.links[0].find("ice-server"), std::string::npos);
  EXPECT_TRUE(result.redirects.empty());
  EXPECT_EQ(signed_requests, 1);

  const auto requests = Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method(), net::HttpMethod::post);
  EXPECT_EQ(requests[0].body(), kOffer);
  EXPECT_EQ(requests[0]["Content-Type"], "application/sdp");
  EXPECT_EQ(requests[0]["Authorization"], "Bearer t0k");
  EXPECT_EQ(requests[0]["X-Extra"], "1");
  EXPECT_EQ(requests[0]["X-Signed"], base_ + "/whip/live/cam");
  RunOnIo([&] {
    EXPECT_TRUE(signaling_->HasResource());
    EXPECT_EQ(signaling_->ETag(), "\"e1\"");
  });
}

TEST_F(WhipWhepSignalingTest, FollowsTemporaryAndPermanentRedirects_RepeatingThePost) {
  SetRoute("/whep/live/cam", [](const net::HttpRequest&) { return Redirect("/o2/whep/live/cam"); });
  SetRoute("/o2/whep/live/cam",
           [this](const net::HttpRequest&) { return Redirect(base_ + "/o3/whep/live/cam", 308); });
  SetRoute("/o3/whep/live/cam", [](const net::HttpRequest&) { return Created("res/9"); });
  WhipWhepSignaling::Options options;
  options.bearer_token = "t";
  int signed_requests = 0;
  options.sign = [&](net::HttpClientRequest&) { ++signed_requests; };
  Make("/whep/live/cam", options);
  const auto result = Post();
  ASSERT_TRUE(result.error.Ok()) << result.error.ToString();
  EXPECT_EQ(result.endpoint_url, base_ + "/o3/whep/live/cam");
  EXPECT_EQ(result.resource_url, base_ + "/o3/whep/live/res/9");  // against the answering URL
  EXPECT_EQ(result.redirects,
            (std::vector<std::string>{base_ + "/o2/whep/live/cam", base_ + "/o3/whep/live/cam"}));
  EXPECT_EQ(signed_requests, 3);
  const auto requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method(), net::HttpMethod::post);
    EXPECT_EQ(request.body(), kOffer);
    EXPECT_EQ(request["Authorization"], "Bearer t");
  }
}

TEST_F(WhipWhepSignalingTest, ReportsALoop_WhenARedirectComesBack) {
  SetRoute("/a", [](const net::HttpRequest&) { return Redirect("/b"); });
  SetRoute("/b", [](const net::HttpRequest&) { return Redirect("/a"); });
  Make("/a");
  const auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kRedirectLoop) << result.error.ToString();
  EXPECT_NE(result.error.reason.find(base_ + "/a"), std::string::npos);
  EXPECT_EQ(Requests().size(), 2u);
  RunOnIo([&] { EXPECT_FALSE(signaling_->HasResource()); });
}

TEST_F(WhipWhepSignalingTest, StopsAfterMaxRedirects) {
  for (int i = 0; i < 6; ++i) {
    SetRoute("/hop" + std::to_string(i),
             [i](const net::HttpRequest&) { return Redirect("/hop" + std::to_string(i + 1)); });
  }
  WhipWhepSignaling::Options options;
  options.max_redirects = 2;
  Make("/hop0", options);
  const auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kTooManyRedirects) << result.error.ToString();
  EXPECT_EQ(Requests().size(), 3u);  // the first request and two redirects
}

TEST_F(WhipWhepSignalingTest, RefusesOtherRedirects_WhichWouldTurnThePostIntoAGet) {
  SetRoute("/moved", [](const net::HttpRequest&) { return Redirect("/elsewhere", 302); });
  Make("/moved");
  const auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kHttpStatus) << result.error.ToString();
  EXPECT_EQ(result.error.status, 302);
}

TEST_F(WhipWhepSignalingTest, ReportsNotLiveWithTheDelay_On409RetryAfter) {
  SetRoute("/whep/live/none", [](const net::HttpRequest&) {
    auto response =
        net::MakeErrorResponse(net::HttpStatus::conflict, "stream live/none is not live");
    response.set("Retry-After", "2");
    return response;
  });
  Make("/whep/live/none");
  auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kNotLive) << result.error.ToString();
  EXPECT_EQ(result.error.status, 409);
  ASSERT_TRUE(result.error.retry_after);
  EXPECT_EQ(*result.error.retry_after, 2000ms);
  EXPECT_NE(result.error.reason.find("409 Conflict: stream live/none is not live"),
            std::string::npos)
      << result.error.reason;

  // The caller may post again (the same object): now the stream is live.
  SetRoute("/whep/live/none", [](const net::HttpRequest&) { return Created("/r/1"); });
  result = Post();
  EXPECT_TRUE(result.error.Ok()) << result.error.ToString();
}

TEST_F(WhipWhepSignalingTest, ReportsStatusAndTheServersReason_OnAnError) {
  SetRoute("/whip/live/cam", [](const net::HttpRequest&) {
    return net::MakeErrorResponse(net::HttpStatus::forbidden, "publish token refused");
  });
  SetRoute("/plain", [](const net::HttpRequest&) {
    return net::MakeResponse(net::HttpStatus::bad_request, "no video codec we can receive\nmore",
                             "text/plain");
  });
  SetRoute("/conflict", [](const net::HttpRequest&) {
    return net::MakeErrorResponse(net::HttpStatus::conflict, "published on o2");
  });
  Make("/whip/live/cam");
  auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kHttpStatus);
  EXPECT_EQ(result.error.status, 403);
  EXPECT_EQ(result.error.reason,
            "POST " + base_ + "/whip/live/cam: 403 Forbidden: publish token refused");
  Make("/plain");
  result = Post();
  EXPECT_EQ(result.error.reason,
            "POST " + base_ + "/plain: 400 Bad Request: no video codec we can receive");
  Make("/conflict");  // a 409 without Retry-After is a plain conflict
  result = Post();
  EXPECT_EQ(result.error.kind, Kind::kHttpStatus);
  EXPECT_EQ(result.error.status, 409);
}

TEST_F(WhipWhepSignalingTest, RefusesA201_WithoutLocationOrSdp) {
  SetRoute("/nolocation", [](const net::HttpRequest&) {
    return net::MakeResponse(net::HttpStatus::created, kAnswer, "application/sdp");
  });
  SetRoute("/json", [](const net::HttpRequest&) {
    auto response = net::MakeResponse(net::HttpStatus::created, "{}", "application/json");
    response.set("Location", "/r");
    return response;
  });
  Make("/nolocation");
  auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kBadResponse);
  EXPECT_NE(result.error.reason.find("without a Location"), std::string::npos);
  Make("/json");
  result = Post();
  EXPECT_EQ(result.error.kind, Kind::kBadResponse);
  EXPECT_NE(result.error.reason.find("not application/sdp"), std::string::npos);
}

TEST_F(WhipWhepSignalingTest, ReportsANetworkError_WhenNothingListens) {
  WhipWhepSignaling::Options options;
  options.request_timeout = 2s;
  RunOnIo([&] {
    signaling_ =
        std::make_unique<WhipWhepSignaling>(*client_, "http://127.0.0.1:1/whip/a/b", options);
  });
  const auto result = Post();
  EXPECT_EQ(result.error.kind, Kind::kNetwork);
  EXPECT_NE(result.error.reason.find("127.0.0.1:1"), std::string::npos) << result.error.reason;
}

TEST_F(WhipWhepSignalingTest, PatchesWithIfMatch_AndDeletesTheResource) {
  SetRoute("/whip/live/cam",
           [](const net::HttpRequest&) { return Created("/whip/res/1", "\"v1\""); });
  SetRoute("/whip/res/1", [](const net::HttpRequest& request) {
    if (request.method() == net::HttpMethod::patch) {
      auto response = net::MakeResponse(net::HttpStatus::ok, "a=ice-ufrag:new1\r\n",
                                        "application/trickle-ice-sdpfrag");
      response.set("ETag", "\"v2\"");
      return response;
    }
    return net::HttpResponse{net::HttpStatus::no_content, 11};
  });
  Make("/whip/live/cam");
  ASSERT_TRUE(Post().error.Ok());
  const auto patch = Patch("a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n");
  ASSERT_TRUE(patch.error.Ok()) << patch.error.ToString();
  EXPECT_EQ(patch.status, 200);
  EXPECT_EQ(patch.fragment, "a=ice-ufrag:new1\r\n");
  EXPECT_EQ(patch.etag, "\"v2\"");
  const auto deleted = Delete();
  EXPECT_TRUE(deleted.error.Ok()) << deleted.error.ToString();
  EXPECT_EQ(deleted.status, 204);
  RunOnIo([&] { EXPECT_FALSE(signaling_->HasResource()); });

  const auto requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].method(), net::HttpMethod::patch);
  EXPECT_EQ(requests[1]["Content-Type"], "application/trickle-ice-sdpfrag");
  EXPECT_EQ(requests[1]["If-Match"], "\"v1\"");
  EXPECT_EQ(requests[2].method(), net::HttpMethod::delete_);
  EXPECT_EQ(requests[2].target(), "/whip/res/1");
}

TEST_F(WhipWhepSignalingTest, TakesAMissingResourceAsDeleted_AndReportsOtherFailures) {
  SetRoute("/whip/live/cam", [](const net::HttpRequest&) { return Created("/gone"); });
  Make("/whip/live/cam");
  ASSERT_TRUE(Post().error.Ok());
  auto deleted = Delete();  // /gone has no route: 404
  EXPECT_TRUE(deleted.error.Ok());
  EXPECT_EQ(deleted.status, 404);

  SetRoute("/whip/live/cam2", [](const net::HttpRequest&) { return Created("/broken"); });
  SetRoute("/broken", [](const net::HttpRequest&) {
    return net::MakeErrorResponse(net::HttpStatus::internal_server_error, "boom");
  });
  Make("/whip/live/cam2");
  ASSERT_TRUE(Post().error.Ok());
  deleted = Delete();
  EXPECT_EQ(deleted.error.kind, Kind::kHttpStatus);
  EXPECT_EQ(deleted.status, 500);
}

TEST_F(WhipWhepSignalingTest, DropsCallbacks_WhenDestroyedWithARequestInFlight) {
  SetRoute("/slow", [&](const net::HttpRequest&) {
    std::this_thread::sleep_for(100ms);  // runs on the io thread: the destruction comes first
    return Created("/r");
  });
  Make("/slow");
  bool called = false;
  RunOnIo([&] {
    signaling_->PostOffer(kOffer, [&](WhipWhepSignaling::OfferResult) { called = true; });
    signaling_.reset();
  });
  std::this_thread::sleep_for(300ms);
  RunOnIo([&] { EXPECT_FALSE(called); });
}

TEST(WhipWhepSignaling, ResolvesReferences_AsRfc3986Says) {
  const auto base = *net::Url::Parse("http://a:8080/b/c/d;p?q");
  auto resolve = [&](std::string_view ref) {
    return WhipWhepSignaling::ResolveReference(base, ref).value_or("<none>");
  };
  // RFC 3986 5.4.1 (those an http URL can hold), with our port.
  EXPECT_EQ(resolve("g"), "http://a:8080/b/c/g");
  EXPECT_EQ(resolve("./g"), "http://a:8080/b/c/g");
  EXPECT_EQ(resolve("g/"), "http://a:8080/b/c/g/");
  EXPECT_EQ(resolve("/g"), "http://a:8080/g");
  EXPECT_EQ(resolve("//g"), "http://g/");
  EXPECT_EQ(resolve("?y"), "http://a:8080/b/c/d;p?y");
  EXPECT_EQ(resolve("g?y"), "http://a:8080/b/c/g?y");
  EXPECT_EQ(resolve("#s"), "http://a:8080/b/c/d;p?q");
  EXPECT_EQ(resolve("g#s"), "http://a:8080/b/c/g");
  EXPECT_EQ(resolve(""), "http://a:8080/b/c/d;p?q");
  EXPECT_EQ(resolve("."), "http://a:8080/b/c/");
  EXPECT_EQ(resolve(".."), "http://a:8080/b/");
  EXPECT_EQ(resolve("../g"), "http://a:8080/b/g");
  EXPECT_EQ(resolve("../.."), "http://a:8080/");
  EXPECT_EQ(resolve("../../../g"), "http://a:8080/g");
  EXPECT_EQ(resolve("/./g"), "http://a:8080/g");
  EXPECT_EQ(resolve("g/../h"), "http://a:8080/b/c/h");
  EXPECT_EQ(resolve("https://o2.example:8443/whep/x"), "https://o2.example:8443/whep/x");
  EXPECT_EQ(resolve("ftp://x/y"), "<none>");
  EXPECT_EQ(resolve("http://[::1]:9/r"), "http://[::1]:9/r");
  EXPECT_EQ(resolve("http://bad host/"), "<none>");
}

TEST(WhipWhepSignaling, ParsesRetryAfter_SecondsAndDates) {
  EXPECT_EQ(WhipWhepSignaling::ParseRetryAfter("3", 0), std::chrono::milliseconds(3000));
  EXPECT_EQ(WhipWhepSignaling::ParseRetryAfter(" 0 ", 0), std::chrono::milliseconds(0));
  // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
  EXPECT_EQ(WhipWhepSignaling::ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111770),
            std::chrono::milliseconds(7000));
  EXPECT_EQ(WhipWhepSignaling::ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111999),
            std::chrono::milliseconds(0));
  EXPECT_FALSE(WhipWhepSignaling::ParseRetryAfter("soon", 0));
  EXPECT_FALSE(WhipWhepSignaling::ParseRetryAfter("-1", 0));
  EXPECT_FALSE(WhipWhepSignaling::ParseRetryAfter("", 0));
  EXPECT_FALSE(WhipWhepSignaling::ParseRetryAfter("99999999999", 0));
}

}  // namespace
}  // namespace tributary::http
