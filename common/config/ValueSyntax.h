#pragma once

// Syntax of the values a configuration holds: identifiers, IP literals, listen addresses, URLs,
// CIDRs, vhost domains and durations. Each check returns an empty string for a good value and
// otherwise the reason, phrased to follow "key 'a.b': " in a ConfigError.

#include <cstdint>
#include <string>
#include <string_view>

#include "config/NodeConfig.h"

namespace tributary::config {

// Node ids, vhost names, regions: [a-z0-9-]{1,32}.
std::string CheckName(std::string_view name);

// An IPv4 or IPv6 literal, without brackets.
bool IsIpLiteral(std::string_view text);
bool IsIpv6Literal(std::string_view text);
std::string CheckIpLiteral(std::string_view text);
// 0.0.0.0 or ::, which binds everything and cannot be announced to anybody.
bool IsWildcardIp(std::string_view text);

// "host:port" with an IPv4 host or "[v6]:port"; port 1..65535.
std::string ParseListenAddress(std::string_view text, ListenAddress& out);
// The inverse: "127.0.0.1:8101", "[::1]:8101".
std::string FormatHostPort(const std::string& host, uint16_t port);

// http://host[:port][/path] or https://...; host a name, an IPv4 or a [v6] literal.
std::string CheckHttpUrl(std::string_view url);
// stun:host[:port], stuns:, turn:host[:port][?transport=udp|tcp], turns: (RFC 7064, RFC 7065).
std::string CheckIceUrl(std::string_view url);
// 10.0.0.0/8, fd00::/8: a prefix length in range and no host bits set.
std::string CheckCidr(std::string_view cidr);
// A vhost domain: an exact host name ("localhost", "live.example.com"), a wildcard
// ("*.example.com") or an IP literal. Lowercase.
std::string CheckDomain(std::string_view domain);

// Milliseconds: "1500" or a whole number with a unit: "1500ms", "30s", "5m", "1h".
std::string ParseDurationMs(std::string_view text, uint64_t& out_ms);

// Digits only, no sign, no base prefix; false on overflow of uint64_t.
bool ParseUnsigned(std::string_view text, uint64_t& out);

}  // namespace tributary::config
