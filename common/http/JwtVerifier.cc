#include "http/JwtVerifier.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/Clock.h"

namespace tributary::http {

namespace {

constexpr size_t kMaxTokenBytes = 8192;

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// base64url without padding (RFC 7515 section 2); nothing for a bad character or length.
std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const int value = Base64UrlValue(c);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

JwtVerifier::Result Fail(JwtVerifier::Error error, std::string reason) {
  JwtVerifier::Result result;
  result.error = error;
  result.reason = std::move(reason);
  return result;
}

// A JSON object from one base64url part; nothing when it is not one.
std::optional<nlohmann::json> DecodePart(std::string_view part) {
  const auto bytes = Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  auto json = nlohmann::json::parse(*bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

// A string claim of the (verified) payload; false with `error` when required and missing, or
// present with another type.
bool StringClaim(const nlohmann::json& payload, const char* name, bool required, std::string& out,
                 std::string& error) {
  const auto it = payload.find(name);
  if (it == payload.end()) {
    if (!required) return true;
    error = std::string("claim '") + name + "' is missing";
    return false;
  }
  if (!it->is_string()) {
    error = std::string("claim '") + name + "' is not a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// A NumericDate claim (RFC 7519 section 2): whole seconds here; a string, a fraction or a
// number out of range is refused rather than read as 0.
bool SecondsClaim(const nlohmann::json& payload, const char* name, bool required,
                  std::optional<int64_t>& out, std::string& error) {
  const auto it = payload.find(name);
  if (it == payload.end()) {
    if (!required) return true;
    error = std::string("claim '") + name + "' is missing";
    return false;
  }
  if (!it->is_number_integer()) {
    error = std::string("claim '") + name + "' is not a whole number of seconds";
    return false;
  }
  out = it->get<int64_t>();
  return true;
}

}  // namespace

bool JwtVerifier::GlobMatches(std::string_view glob, std::string_view name) {
  // Iterative matching with one backtrack point (the last '*'): linear in practice, no
  // recursion whatever the pattern.
  size_t g = 0;
  size_t n = 0;
  size_t star = std::string_view::npos;
  size_t resume = 0;
  while (n < name.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == name[n])) {
      ++g;
      ++n;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = n;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*')
    ++g;
  return g == glob.size();
}

JwtVerifier::Result JwtVerifier::Verify(std::string_view token, std::string_view secret,
                                        uint32_t clock_skew_s) {
  return Verify(token, secret, clock_skew_s, static_cast<int64_t>(base::WallClockUs() / 1000000));
}

JwtVerifier::Result JwtVerifier::Verify(std::string_view token, std::string_view secret,
                                        uint32_t clock_skew_s, int64_t now_unix_s) {
  if (token.size() > kMaxTokenBytes) {
    return Fail(Error::kMalformed,
                "malformed JWT: longer than " + std::to_string(kMaxTokenBytes) + " characters");
  }
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Fail(Error::kMalformed, "malformed JWT: expected three parts separated by '.'");
  }
  const auto header = DecodePart(token.substr(0, first));
  if (!header) {
    return Fail(Error::kMalformed, "malformed JWT: the header is not base64url-encoded JSON");
  }
  const auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) {
    return Fail(Error::kMalformed, "malformed JWT: the header has no \"alg\"");
  }
  if (alg->get<std::string>() != "HS256") {
    return Fail(Error::kAlgorithm, "JWT algorithm '" + alg->get<std::string>().substr(0, 16) +
                                       "' is not accepted: HS256 only");
  }
  const auto payload = DecodePart(token.substr(first + 1, second - first - 1));
  if (!payload) {
    return Fail(Error::kMalformed, "malformed JWT: the payload is not base64url-encoded JSON");
  }
  if (second + 1 == token.size() || !Base64UrlDecode(token.substr(second + 1))) {
    return Fail(Error::kMalformed, "malformed JWT: the signature is missing or not base64url");
  }
  if (secret.empty()) return Fail(Error::kBadSignature, "JWT signature does not verify");

  jwt_t* raw = nullptr;
  const std::string text(token);
  const int rc =
      jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(secret.data()),
                 static_cast<int>(secret.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt) {
    return Fail(Error::kBadSignature, "JWT signature does not verify (another key, or altered)");
  }
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {  // the header check above makes this certain
    return Fail(Error::kAlgorithm, "JWT algorithm is not accepted: HS256 only");
  }

  Result result;
  std::string error;
  std::optional<int64_t> exp;
  // The claims of the payload libjwt has just verified (the same bytes).
  if (!StringClaim(*payload, "vhost", true, result.claims.vhost, error) ||
      !StringClaim(*payload, "action", true, result.claims.action, error) ||
      !StringClaim(*payload, "app", false, result.claims.app, error) ||
      !StringClaim(*payload, "stream", false, result.claims.stream, error) ||
      !SecondsClaim(*payload, "exp", true, exp, error) ||
      !SecondsClaim(*payload, "nbf", false, result.claims.nbf, error)) {
    return Fail(Error::kMalformed, "malformed JWT: " + error);
  }
  if (result.claims.app.empty()) result.claims.app = "*";
  if (result.claims.stream.empty()) result.claims.stream = "*";
  result.claims.exp = *exp;
  const int64_t skew = clock_skew_s;
  int64_t ago = 0;  // how long ago it expired; saturated for an absurd exp
  if (__builtin_sub_overflow(now_unix_s, result.claims.exp, &ago)) ago = INT64_MAX;
  if (now_unix_s - skew >= result.claims.exp) {  // (no overflow whatever exp is)
    return Fail(Error::kExpired, "JWT expired " + std::to_string(ago) + " s ago (exp " +
                                     std::to_string(result.claims.exp) + ", clock skew allowed " +
                                     std::to_string(skew) + " s)");
  }
  if (result.claims.nbf && now_unix_s + skew < *result.claims.nbf) {
    return Fail(Error::kNotYetValid, "JWT not valid before " + std::to_string(*result.claims.nbf) +
                                         " (" + std::to_string(*result.claims.nbf - now_unix_s) +
                                         " s from now)");
  }
  result.error = Error::kNone;
  return result;
}

std::string JwtVerifier::Sign(const JwtClaims& claims, std::string_view secret) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  const std::string key(secret);
  int rc = jwt_add_grant(jwt.get(), "vhost", claims.vhost.c_str());
  if (rc == 0) rc = jwt_add_grant(jwt.get(), "action", claims.action.c_str());
  if (rc == 0 && !claims.app.empty()) rc = jwt_add_grant(jwt.get(), "app", claims.app.c_str());
  if (rc == 0 && !claims.stream.empty())
    rc = jwt_add_grant(jwt.get(), "stream", claims.stream.c_str());
  if (rc == 0) rc = jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(claims.exp));
  if (rc == 0 && claims.nbf)
    rc = jwt_add_grant_int(jwt.get(), "nbf", static_cast<long>(*claims.nbf));
  if (rc == 0) {
    rc = jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(key.data()),
                     static_cast<int>(key.size()));
  }
  if (rc != 0)
    throw std::runtime_error("libjwt: cannot build the token (" + std::to_string(rc) + ")");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) throw std::runtime_error("libjwt: cannot encode the token");
  std::string out(encoded);
  free(encoded);  // NOLINT: allocated by libjwt with malloc
  return out;
}

}  // namespace tributary::http
