#pragma once

// A test-side HTTP connection over a plain socket, byte by byte under the test's control (half
// requests, pipelining, oversized bodies), every wait bounded so that a broken server fails the
// test instead of hanging it.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/HttpMessage.h"

namespace tributary::net::testing {

class RawHttpConnection {
 public:
  explicit RawHttpConnection(uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  void Send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }

  // The next response, or nullopt (with Error() set) on close, error or timeout. A response to
  // HEAD has no body whatever its Content-Length says: say so with `to_head`.
  std::optional<HttpResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::seconds(5), bool to_head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.skip(to_head);
    bool done = false;
    boost::beast::http::async_read(socket_, buffer_, parser,
                                   [&](boost::system::error_code ec, size_t) {
                                     error_ = ec;
                                     done = true;
                                   });
    Run(done, timeout);
    if (!done || error_) return std::nullopt;
    return parser.release();
  }

  // True if the server closes the connection (EOF or reset) within the timeout.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    char byte;
    bool done = false;
    socket_.async_read_some(boost::asio::buffer(&byte, 1),
                            [&](boost::system::error_code ec, size_t) {
                              error_ = ec;
                              done = true;
                            });
    Run(done, timeout);
    return done && error_;
  }

  const boost::system::error_code& Error() const { return error_; }

 private:
  void Run(bool& done, std::chrono::milliseconds timeout) {
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      io_.restart();
      io_.run();
      done = false;
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code error_;
};

}  // namespace tributary::net::testing
