#include "rtc/DtlsFingerprint.h"

#include <algorithm>
#include <cstring>

#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {

namespace {

struct AlgorithmInfo {
  DtlsFingerprint::Algorithm algorithm;
  std::string_view name;
  size_t size;
  DepOpenSsl::DigestAlgorithm digest;
};

constexpr std::array<AlgorithmInfo, 5> kAlgorithms{{
    {DtlsFingerprint::Algorithm::kSha1, "sha-1", 20, DepOpenSsl::DigestAlgorithm::kSha1},
    {DtlsFingerprint::Algorithm::kSha224, "sha-224", 28, DepOpenSsl::DigestAlgorithm::kSha224},
    {DtlsFingerprint::Algorithm::kSha256, "sha-256", 32, DepOpenSsl::DigestAlgorithm::kSha256},
    {DtlsFingerprint::Algorithm::kSha384, "sha-384", 48, DepOpenSsl::DigestAlgorithm::kSha384},
    {DtlsFingerprint::Algorithm::kSha512, "sha-512", 64, DepOpenSsl::DigestAlgorithm::kSha512},
}};

const AlgorithmInfo& Info(DtlsFingerprint::Algorithm algorithm) {
  for (const auto& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info;
  }
  return kAlgorithms[2];
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace

DtlsFingerprint::DtlsFingerprint(Algorithm algorithm, std::span<const uint8_t> bytes)
    : algorithm_(algorithm), size_(std::min(bytes.size(), bytes_.size())) {
  std::memcpy(bytes_.data(), bytes.data(), size_);
}

std::optional<DtlsFingerprint> DtlsFingerprint::Parse(std::string_view value) {
  value = Trim(value);
  const size_t space = value.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  const auto algorithm = ParseAlgorithm(value.substr(0, space));
  if (!algorithm) return std::nullopt;
  const std::string_view hex = Trim(value.substr(space + 1));

  // Exactly "XX" followed by (":XX")*, one pair per digest byte.
  const size_t expected = DigestSize(*algorithm);
  if (hex.size() != expected * 3 - 1) return std::nullopt;
  std::array<uint8_t, 64> bytes{};
  for (size_t i = 0; i < expected; ++i) {
    const size_t at = i * 3;
    if (i > 0 && hex[at - 1] != ':') return std::nullopt;
    const int high = HexDigit(hex[at]);
    const int low = HexDigit(hex[at + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<uint8_t>((high << 4) | low);
  }
  return DtlsFingerprint(*algorithm, std::span<const uint8_t>(bytes.data(), expected));
}

std::optional<DtlsFingerprint::Algorithm> DtlsFingerprint::ParseAlgorithm(std::string_view name) {
  for (const auto& info : kAlgorithms) {
    if (EqualsIgnoreCase(name, info.name)) return info.algorithm;
  }
  return std::nullopt;
}

std::string_view DtlsFingerprint::AlgorithmName(Algorithm algorithm) {
  return Info(algorithm).name;
}

size_t DtlsFingerprint::DigestSize(Algorithm algorithm) {
  return Info(algorithm).size;
}

DtlsFingerprint DtlsFingerprint::OfCertificate(Algorithm algorithm,
                                               std::span<const uint8_t> certificate_der) {
  const auto digest = DepOpenSsl::ComputeDigest(Info(algorithm).digest, certificate_der);
  return DtlsFingerprint(algorithm, digest.View());
}

std::string DtlsFingerprint::HexValue() const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(size_ * 3);
  for (size_t i = 0; i < size_; ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[bytes_[i] >> 4]);
    out.push_back(kHex[bytes_[i] & 0x0f]);
  }
  return out;
}

std::string DtlsFingerprint::ToString() const {
  return std::string(AlgorithmName(algorithm_)) + " " + HexValue();
}

bool DtlsFingerprint::Matches(std::span<const uint8_t> certificate_der) const {
  const auto actual = DepOpenSsl::ComputeDigest(Info(algorithm_).digest, certificate_der);
  return DepOpenSsl::ConstantTimeEqual(actual.View(), Bytes());
}

bool DtlsFingerprint::operator==(const DtlsFingerprint& other) const {
  return algorithm_ == other.algorithm_ && size_ == other.size_ &&
         std::memcmp(bytes_.data(), other.bytes_.data(), size_) == 0;
}

}  // namespace tributary::rtc
