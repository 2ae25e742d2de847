#pragma once

// A UDP endpoint (IPv4 or IPv6 address + port) as a small value type: trivially copyable,
// comparable and hashable, so that it can key the 5-tuple maps of the hot path without the weight
// of Asio's headers. UdpSocket converts to and from sockaddr.

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sockaddr;
struct sockaddr_storage;

namespace tributary::net {

class Endpoint {
 public:
  enum class Family : uint8_t { kNone, kIpv4, kIpv6 };

  // The unspecified endpoint (Family::kNone); IsValid() is false.
  Endpoint() = default;
  static Endpoint Ipv4(std::span<const uint8_t, 4> address, uint16_t port);
  static Endpoint Ipv6(std::span<const uint8_t, 16> address, uint16_t port);
  // "127.0.0.1" or "::1" (an IPv6 literal may be written in brackets); nullopt for anything else
  // (host names included: nothing here resolves names).
  static std::optional<Endpoint> Parse(std::string_view ip, uint16_t port);
  // "127.0.0.1:5000" or "[::1]:5000".
  static std::optional<Endpoint> ParseHostPort(std::string_view text);
  // From a kernel address; Family::kNone for an unsupported family or short length.
  static Endpoint FromSockaddr(const sockaddr* address, socklen_t length);

  // Writes a sockaddr_in / sockaddr_in6; returns its length (0 for Family::kNone).
  socklen_t ToSockaddr(sockaddr_storage& out) const;

  Family GetFamily() const { return family_; }
  bool IsValid() const { return family_ != Family::kNone; }
  bool IsIpv4() const { return family_ == Family::kIpv4; }
  bool IsIpv6() const { return family_ == Family::kIpv6; }
  uint16_t Port() const { return port_; }
  // 4 bytes for IPv4, 16 for IPv6, empty for kNone.
  std::span<const uint8_t> AddressBytes() const;
  bool IsLoopback() const;

  // "127.0.0.1:5000", "[::1]:5000", "-" for kNone. Allocates: not for the per-packet path.
  std::string ToString() const;
  std::string AddressString() const;

  bool operator==(const Endpoint&) const = default;
  size_t Hash() const;

 private:
  Family family_ = Family::kNone;
  uint16_t port_ = 0;
  std::array<uint8_t, 16> address_{};
};

// A UDP 5-tuple seen from one of our sockets (the protocol is always UDP).
struct FiveTuple {
  Endpoint local;
  Endpoint remote;

  bool operator==(const FiveTuple&) const = default;
  size_t Hash() const;
  std::string ToString() const;
};

struct EndpointHash {
  size_t operator()(const Endpoint& e) const { return e.Hash(); }
};
struct FiveTupleHash {
  size_t operator()(const FiveTuple& t) const { return t.Hash(); }
};

}  // namespace tributary::net

template <>
struct std::hash<tributary::net::Endpoint> {
  size_t operator()(const tributary::net::Endpoint& e) const { return e.Hash(); }
};
template <>
struct std::hash<tributary::net::FiveTuple> {
  size_t operator()(const tributary::net::FiveTuple& t) const { return t.Hash(); }
};
