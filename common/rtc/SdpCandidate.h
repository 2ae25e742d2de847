#pragma once

// One ICE candidate as SDP carries it: a=candidate:<value> (RFC 8839 section 5.1, with the TCP
// candidates of RFC 6544 and the extensions browsers add: generation, ufrag, network-id,
// network-cost).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tributary::rtc {

struct SdpCandidate {
  std::string foundation;         // 1..32 ice-chars
  uint16_t component = 1;         // 1 (RTP) .. 256
  std::string transport = "udp";  // stored lowercase
  uint32_t priority = 0;
  std::string address;  // IPv4, IPv6 or a host name (mDNS "<uuid>.local")
  uint16_t port = 0;
  std::string type = "host";    // host, srflx, prflx, relay or an extension token
  std::string related_address;  // raddr, empty when absent
  std::optional<uint16_t> related_port;
  std::string tcp_type;  // active, passive, so; empty for UDP
  std::optional<uint32_t> generation;
  std::string ufrag;
  std::optional<uint32_t> network_id;
  std::optional<uint32_t> network_cost;
  // Other extensions, name and value, in the order given.
  std::vector<std::pair<std::string, std::string>> extensions;

  bool operator==(const SdpCandidate&) const = default;

  // Parses the value of a=candidate (what follows "a=candidate:"); a leading "candidate:" is
  // accepted too, the form the JavaScript API uses. On failure returns nothing and says why in
  // `error` (without a line number: the caller knows it).
  static std::optional<SdpCandidate> Parse(std::string_view value, std::string& error);
  // The value of a=candidate, without the "candidate:" prefix.
  std::string ToAttributeValue() const;
};

}  // namespace tributary::rtc
