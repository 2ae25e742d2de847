#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace tributary::net {

// An IP address and a port, printed the way URLs and logs want them: "127.0.0.1:80",
// "[::1]:80". IPv4-mapped IPv6 addresses (what a dual-stack socket reports) print as IPv4.
class SocketAddress {
 public:
  SocketAddress() = default;
  SocketAddress(boost::asio::ip::address ip, uint16_t port);
  explicit SocketAddress(const boost::asio::ip::tcp::endpoint& endpoint);

  // Parses an IPv4 or IPv6 literal (brackets allowed around IPv6); nullopt for anything else.
  static std::optional<SocketAddress> Parse(std::string_view host, uint16_t port);

  const boost::asio::ip::address& Ip() const { return ip_; }
  uint16_t Port() const { return port_; }
  std::string IpString() const;  // without brackets
  std::string HostPort() const;  // "1.2.3.4:80" or "[::1]:80"
  boost::asio::ip::tcp::endpoint TcpEndpoint() const { return {ip_, port_}; }

  bool operator==(const SocketAddress& other) const = default;

 private:
  boost::asio::ip::address ip_;
  uint16_t port_ = 0;
};

// "host:port" with brackets around an IPv6 literal, for URLs.
std::string FormatHostPort(std::string_view host, uint16_t port);

}  // namespace tributary::net
