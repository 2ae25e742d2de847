#include "http/ConsoleRoutes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "http/ConsoleFiles.h"
#include "net/HttpClient.h"
#include "net/HttpServer.h"
#include "net/IoThread.h"

namespace tributary::http {
namespace {

std::string ConsoleDir() {
  return std::string(TRIBUTARY_SOURCE_DIR) + "/common/http/console";
}

std::string ReadSource(const std::string& name) {
  std::ifstream in(ConsoleDir() + "/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The console's routes behind a real server on loopback, asked by a real client.
class ConsoleRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    console_.AddRoutes(router_);
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

  net::HttpClientResult Call(net::HttpMethod method, const std::string& path,
                             net::HttpHeaders headers = {}) {
    net::HttpClientRequest request;
    request.method = method;
    request.url = base_ + path;
    request.headers = std::move(headers);
    return net::HttpClient::Fetch(request);
  }

  ConsoleRoutes console_;
  HttpRouter router_;
  net::IoThread io_{"test-console"};
  std::unique_ptr<net::HttpServer> server_;
  std::string base_;
};

TEST(ConsoleFiles, EmbedsEveryFileOfTheConsoleFolder_ByteForByte) {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(ConsoleDir()))
    on_disk.insert(entry.path().filename().string());
  std::set<std::string> embedded;
  for (const EmbeddedFile& file : ConsoleFiles()) {
    embedded.insert(std::string(file.name));
    EXPECT_EQ(file.bytes, ReadSource(std::string(file.name))) << file.name;
  }
  EXPECT_EQ(embedded, on_disk);
  EXPECT_TRUE(embedded.count("index.html"));
  EXPECT_TRUE(embedded.count("console.js"));
  EXPECT_TRUE(embedded.count("console.css"));
}

TEST_F(ConsoleRoutesTest, ServesThePage_WithTypeCacheControlAndStrictCsp) {
  const auto page = Call(net::HttpMethod::get, "/");
  ASSERT_TRUE(page.Ok()) << page.error;
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, ReadSource("index.html"));
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("cache-control"), "no-cache");
  EXPECT_EQ(page.Header("content-security-policy"),
            std::string(ConsoleRoutes::kContentSecurityPolicy));
  EXPECT_EQ(page.Header("x-content-type-options"), "nosniff");
  ASSERT_TRUE(page.Header("etag"));
  EXPECT_EQ(page.Header("etag")->front(), '"');

  // The page loads its script and style from this node, and nothing from elsewhere.
  EXPECT_NE(page.body.find("src=\"/console/console.js\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/console/console.css\""), std::string::npos);
  for (const char* name : {"index.html", "console.js", "console.css"}) {
    const std::string source = ReadSource(name);
    EXPECT_EQ(source.find("http://"), std::string::npos) << name;
    EXPECT_EQ(source.find("https://"), std::string::npos) << name;
  }

  const auto script = Call(net::HttpMethod::get, "/console/console.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, ReadSource("console.js"));
  EXPECT_EQ(script.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header("cache-control"), "no-cache");
  const auto style = Call(net::HttpMethod::get, "/console/console.css");
  EXPECT_EQ(style.status, 200);
  EXPECT_EQ(style.Header("content-type"), "text/css; charset=utf-8");
}

TEST_F(ConsoleRoutesTest, Answers304_WhenIfNoneMatchNamesTheEtag) {
  const auto first = Call(net::HttpMethod::get, "/console/console.js");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.Header("etag").value_or("");
  ASSERT_FALSE(etag.empty());
  const auto again = Call(net::HttpMethod::get, "/console/console.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("etag"), etag);
  EXPECT_EQ(again.Header("cache-control"), "no-cache");
  const auto weak =
      Call(net::HttpMethod::get, "/console/console.js", {{"If-None-Match", "W/" + etag}});
  EXPECT_EQ(weak.status, 304);
  // Another file's tag, or a stale one, gets the file.
  const auto other = Call(net::HttpMethod::get, "/", {{"If-None-Match", etag}});
  EXPECT_EQ(other.status, 200);
  const auto stale = Call(net::HttpMethod::get, "/", {{"If-None-Match", "\"0000000000000000\""}});
  EXPECT_EQ(stale.status, 200);
}

TEST_F(ConsoleRoutesTest, Answers404_ForFilesItDoesNotHave) {
  for (const char* path : {"/console/nope.js", "/console/index.html", "/console/..%2Fsecret",
                           "/console", "/index.html"}) {
    const auto result = Call(net::HttpMethod::get, path);
    ASSERT_TRUE(result.Ok()) << result.error;
    EXPECT_EQ(result.status, 404) << path;
  }
}

TEST_F(ConsoleRoutesTest, AnswersHead_WithoutABody) {
  const auto head = Call(net::HttpMethod::head, "/");
  ASSERT_TRUE(head.Ok()) << head.error;
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("content-type"), "text/html; charset=utf-8");
}

TEST(ConsoleRoutes, NamesContentTypesByExtension) {
  EXPECT_EQ(ConsoleRoutes::ContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ConsoleRoutes::ContentType("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ConsoleRoutes::ContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ConsoleRoutes::ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(ConsoleRoutes::ContentType("a.bin"), "application/octet-stream");
  EXPECT_EQ(ConsoleRoutes::ContentType("js"), "application/octet-stream");
}

}  // namespace
}  // namespace tributary::http
