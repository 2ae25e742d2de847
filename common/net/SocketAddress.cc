#include "net/SocketAddress.h"

namespace tributary::net {

namespace {

boost::asio::ip::address Unmapped(const boost::asio::ip::address& ip) {
  if (ip.is_v6() && ip.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
  }
  return ip;
}

}  // namespace

SocketAddress::SocketAddress(boost::asio::ip::address ip, uint16_t port)
    : ip_(Unmapped(ip)), port_(port) {}

SocketAddress::SocketAddress(const boost::asio::ip::tcp::endpoint& endpoint)
    : SocketAddress(endpoint.address(), endpoint.port()) {}

std::optional<SocketAddress> SocketAddress::Parse(std::string_view host, uint16_t port) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return SocketAddress(ip, port);
}

std::string SocketAddress::IpString() const {
  return ip_.to_string();
}

std::string SocketAddress::HostPort() const {
  return FormatHostPort(ip_.to_string(), port_);
}

std::string FormatHostPort(std::string_view host, uint16_t port) {
  const bool bracket = host.find(':') != std::string_view::npos && !host.starts_with('[');
  std::string out;
  out.reserve(host.size() + 8);
  if (bracket) out += '[';
  out += host;
  if (bracket) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

}  // namespace tributary::net
