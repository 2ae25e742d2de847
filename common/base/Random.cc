#include "base/Random.h"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace tributary::base {

void RandomBytes(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<size_t>(n);
  }
}

uint32_t RandomU32() {
  uint32_t v;
  RandomBytes({reinterpret_cast<uint8_t*>(&v), sizeof(v)});
  return v;
}

uint64_t RandomU64() {
  uint64_t v;
  RandomBytes({reinterpret_cast<uint8_t*>(&v), sizeof(v)});
  return v;
}

std::string RandomAlnum(size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr size_t kSize = sizeof(kAlphabet) - 1;  // 62
  std::string out;
  out.reserve(length);
  uint8_t chunk[64];
  while (out.size() < length) {
    RandomBytes(chunk);
    for (uint8_t b : chunk) {
      if (b >= 248) continue;  // 248 = 4 * 62: reject to keep the distribution uniform
      out.push_back(kAlphabet[b % kSize]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<uint8_t> raw(bytes);
  RandomBytes(raw);
  std::string out;
  out.reserve(bytes * 2);
  for (uint8_t b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace tributary::base
