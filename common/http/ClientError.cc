#include "http/ClientError.h"

namespace tributary::http {

std::string_view ClientError::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNone:
      return "ok";
    case Kind::kNetwork:
      return "network";
    case Kind::kHttpStatus:
      return "http-status";
    case Kind::kNotLive:
      return "not-live";
    case Kind::kTooManyRedirects:
      return "too-many-redirects";
    case Kind::kRedirectLoop:
      return "redirect-loop";
    case Kind::kBadResponse:
      return "bad-response";
    case Kind::kSdpRejected:
      return "sdp-rejected";
    case Kind::kSession:
      return "session";
    case Kind::kTransport:
      return "transport";
    case Kind::kClosed:
      return "closed";
    case Kind::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string ClientError::ToString() const {
  if (Ok()) return "ok";
  std::string out(KindName(kind));
  out += ": ";
  out += reason;
  if (retry_after) out += " (retry after " + std::to_string(retry_after->count()) + " ms)";
  return out;
}

}  // namespace tributary::http
