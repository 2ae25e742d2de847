#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/Endpoint.h"

namespace tributary::cluster {

// An IPv4 or IPv6 network, "10.1.0.0/16" or "2001:db8::/32". IPv4 addresses and their
// IPv4-mapped IPv6 form (::ffff:10.1.2.3, as a dual-stack socket reports them) are the same
// address here: an IPv4 block contains both, and so does an IPv6 block over ::ffff:0:0/96.
class CidrBlock {
 public:
  // nullopt for anything but address/prefix with the prefix in range (host bits are ignored:
  // the config loader refuses them).
  static std::optional<CidrBlock> Parse(std::string_view text);

  bool Contains(const net::Endpoint& address) const;
  uint8_t PrefixLength() const { return prefix_; }
  // The prefix length in IPv6 form (an IPv4 block's + 96): comparable across families.
  uint8_t MappedPrefixLength() const;
  bool IsIpv4() const { return ipv4_; }
  std::string ToString() const;

 private:
  std::array<uint8_t, 16> network_{};
  uint8_t prefix_ = 0;
  bool ipv4_ = false;
};

}  // namespace tributary::cluster
