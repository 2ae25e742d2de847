#include "support/FreePort.h"

#include <mutex>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace tributary::testing {

uint16_t FreeTcpPort() {
  static std::mutex mutex;
  static std::set<uint16_t> given;
  std::lock_guard lock(mutex);
  boost::asio::io_context io;
  for (;;) {
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const uint16_t port = probe.local_endpoint().port();
    if (given.insert(port).second) return port;
  }
}

}  // namespace tributary::testing
