#pragma once

// An ICE candidate as SDP carries it (RFC 8839 5.1):
//   candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
// Only what ICE over UDP needs is kept. Host names (mDNS ".local" included) are not resolved:
// they do not parse, and the caller skips them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/Endpoint.h"

namespace tributary::rtc {

struct IceCandidate {
  enum class Transport { kUdp, kTcp };
  enum class Type { kHost, kServerReflexive, kPeerReflexive, kRelay };

  std::string foundation;
  uint32_t component = 1;
  Transport transport = Transport::kUdp;
  uint32_t priority = 0;
  net::Endpoint endpoint;
  Type type = Type::kHost;

  // Accepts "candidate:..." with or without a leading "a=", and trailing extensions (raddr, rport,
  // generation, tcptype, ...). nullopt for anything malformed or a non-IP address.
  static std::optional<IceCandidate> Parse(std::string_view line);
  // "candidate:<foundation> 1 udp <priority> <address> <port> typ host" (no "a=").
  std::string ToString() const;

  // RFC 8445 5.1.2.1: (2^24) type preference + (2^8) local preference + (256 - component).
  static uint32_t ComputePriority(Type type, uint16_t local_preference, uint32_t component);
  static uint8_t TypePreference(Type type);
};

}  // namespace tributary::rtc
