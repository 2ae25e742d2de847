#include "cluster/CidrBlock.h"

#include <algorithm>

namespace tributary::cluster {

namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool PrefixMatches(std::span<const uint8_t> network, std::span<const uint8_t> address,
                   uint8_t prefix) {
  const size_t whole = prefix / 8;
  if (!std::equal(network.begin(), network.begin() + static_cast<ptrdiff_t>(whole),
                  address.begin())) {
    return false;
  }
  const uint8_t rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (network[whole] & mask) == (address[whole] & mask);
}

std::array<uint8_t, 16> Mapped(std::span<const uint8_t> address) {
  std::array<uint8_t, 16> out{};
  if (address.size() == 4) {
    std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), out.begin());
    std::copy(address.begin(), address.end(), out.begin() + 12);
  } else {
    std::copy(address.begin(), address.end(), out.begin());
  }
  return out;
}

}  // namespace

std::optional<CidrBlock> CidrBlock::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = net::Endpoint::Parse(text.substr(0, slash), 0);
  const std::string_view digits = text.substr(slash + 1);
  // Leading zeros are fine (the config loader takes them); ten digits cannot overflow.
  if (!address || digits.empty() || digits.size() > 10) return std::nullopt;
  uint64_t prefix = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + static_cast<uint64_t>(c - '0');
  }
  CidrBlock block;
  block.ipv4_ = address->IsIpv4();
  if (prefix > (block.ipv4_ ? 32u : 128u)) return std::nullopt;
  block.prefix_ = static_cast<uint8_t>(prefix);
  const auto bytes = address->AddressBytes();
  std::copy(bytes.begin(), bytes.end(), block.network_.begin());
  return block;
}

bool CidrBlock::Contains(const net::Endpoint& address) const {
  if (!address.IsValid()) return false;
  // Both sides in IPv6 form: IPv4 as IPv4-mapped (::ffff:a.b.c.d), its prefix 96 longer.
  const std::array<uint8_t, 16> mapped_address = Mapped(address.AddressBytes());
  const std::array<uint8_t, 16> mapped_network =
      ipv4_ ? Mapped(std::span<const uint8_t>(network_.data(), 4)) : network_;
  return PrefixMatches(mapped_network, mapped_address, MappedPrefixLength());
}

uint8_t CidrBlock::MappedPrefixLength() const {
  return static_cast<uint8_t>(ipv4_ ? prefix_ + 96 : prefix_);
}

std::string CidrBlock::ToString() const {
  const auto endpoint =
      ipv4_ ? net::Endpoint::Ipv4(std::span<const uint8_t, 4>(network_.data(), 4), 0)
            : net::Endpoint::Ipv6(std::span<const uint8_t, 16>(network_.data(), 16), 0);
  return endpoint.AddressString() + "/" + std::to_string(prefix_);
}

}  // namespace tributary::cluster
