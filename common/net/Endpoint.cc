#include "net/Endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace tributary::net {

Endpoint Endpoint::Ipv4(std::span<const uint8_t, 4> address, uint16_t port) {
  Endpoint e;
  e.family_ = Family::kIpv4;
  e.port_ = port;
  std::memcpy(e.address_.data(), address.data(), 4);
  return e;
}

Endpoint Endpoint::Ipv6(std::span<const uint8_t, 16> address, uint16_t port) {
  Endpoint e;
  e.family_ = Family::kIpv6;
  e.port_ = port;
  std::memcpy(e.address_.data(), address.data(), 16);
  return e;
}

std::optional<Endpoint> Endpoint::Parse(std::string_view ip, uint16_t port) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  char text[INET6_ADDRSTRLEN + 1];
  if (ip.empty() || ip.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  uint8_t bytes[16];
  if (inet_pton(AF_INET, text, bytes) == 1) {
    return Ipv4(std::span<const uint8_t, 4>(bytes, 4), port);
  }
  if (inet_pton(AF_INET6, text, bytes) == 1) {
    return Ipv6(std::span<const uint8_t, 16>(bytes, 16), port);
  }
  return std::nullopt;
}

std::optional<Endpoint> Endpoint::ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.find(':') != std::string_view::npos &&
      !(host.size() >= 2 && host.front() == '[' && host.back() == ']')) {
    return std::nullopt;  // a bare IPv6 literal needs brackets to carry a port
  }
  uint32_t port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  return Parse(host, static_cast<uint16_t>(port));
}

Endpoint Endpoint::FromSockaddr(const sockaddr* address, socklen_t length) {
  if (address == nullptr) return {};
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in4;
    std::memcpy(&in4, address, sizeof(in4));
    return Ipv4(std::span<const uint8_t, 4>(reinterpret_cast<const uint8_t*>(&in4.sin_addr), 4),
                ntohs(in4.sin_port));
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof(in6));
    return Ipv6(std::span<const uint8_t, 16>(reinterpret_cast<const uint8_t*>(&in6.sin6_addr), 16),
                ntohs(in6.sin6_port));
  }
  return {};
}

socklen_t Endpoint::ToSockaddr(sockaddr_storage& out) const {
  std::memset(&out, 0, sizeof(out));
  if (family_ == Family::kIpv4) {
    sockaddr_in in4{};
    in4.sin_family = AF_INET;
    in4.sin_port = htons(port_);
    std::memcpy(&in4.sin_addr, address_.data(), 4);
    std::memcpy(&out, &in4, sizeof(in4));
    return sizeof(in4);
  }
  if (family_ == Family::kIpv6) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port_);
    std::memcpy(&in6.sin6_addr, address_.data(), 16);
    std::memcpy(&out, &in6, sizeof(in6));
    return sizeof(in6);
  }
  return 0;
}

std::span<const uint8_t> Endpoint::AddressBytes() const {
  switch (family_) {
    case Family::kIpv4:
      return {address_.data(), 4};
    case Family::kIpv6:
      return {address_.data(), 16};
    case Family::kNone:
      break;
  }
  return {};
}

bool Endpoint::IsLoopback() const {
  if (family_ == Family::kIpv4) return address_[0] == 127;
  if (family_ == Family::kIpv6) {
    static constexpr std::array<uint8_t, 16> kLoopback6{0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
    return address_ == kLoopback6;
  }
  return false;
}

std::string Endpoint::AddressString() const {
  char text[INET6_ADDRSTRLEN] = "-";
  if (family_ == Family::kIpv4) inet_ntop(AF_INET, address_.data(), text, sizeof(text));
  if (family_ == Family::kIpv6) inet_ntop(AF_INET6, address_.data(), text, sizeof(text));
  return text;
}

std::string Endpoint::ToString() const {
  if (family_ == Family::kNone) return "-";
  if (family_ == Family::kIpv6) return "[" + AddressString() + "]:" + std::to_string(port_);
  return AddressString() + ":" + std::to_string(port_);
}

namespace {

// FNV-1a over the bytes that matter, then a final mix: endpoints are attacker-chosen, but a
// per-worker map of a few thousand tuples gains nothing from a keyed hash here.
inline uint64_t Mix(uint64_t h, uint8_t b) {
  return (h ^ b) * 0x100000001b3ull;
}

uint64_t HashInto(uint64_t h, const Endpoint& e) {
  h = Mix(h, static_cast<uint8_t>(e.GetFamily()));
  h = Mix(h, static_cast<uint8_t>(e.Port() >> 8));
  h = Mix(h, static_cast<uint8_t>(e.Port()));
  for (uint8_t b : e.AddressBytes())
    h = Mix(h, b);
  return h;
}

inline size_t Finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<size_t>(h);
}

}  // namespace

size_t Endpoint::Hash() const {
  return Finish(HashInto(0xcbf29ce484222325ull, *this));
}

size_t FiveTuple::Hash() const {
  return Finish(HashInto(HashInto(0xcbf29ce484222325ull, local), remote));
}

std::string FiveTuple::ToString() const {
  return "udp " + local.ToString() + " <-> " + remote.ToString();
}

}  // namespace tributary::net
