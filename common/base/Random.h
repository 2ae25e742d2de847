#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace tributary::base {

// Cryptographically strong randomness from the kernel (getrandom), for ICE credentials,
// session ids and SSRCs. Throws std::runtime_error only if the kernel refuses.
void RandomBytes(std::span<uint8_t> out);
uint32_t RandomU32();
uint64_t RandomU64();
// Characters from [A-Za-z0-9], suitable for ICE ufrag/pwd (RFC 8839 ice-char minus '+' '/').
std::string RandomAlnum(size_t length);
// Lowercase hex, 2 characters per byte.
std::string RandomHex(size_t bytes);

}  // namespace tributary::base
