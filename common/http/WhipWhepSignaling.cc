#include "http/WhipWhepSignaling.h"

#include <ctime>
#include <stdexcept>
#include <utility>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>

namespace tributary::http {

namespace {

constexpr size_t kMaxReasonLength = 200;
constexpr std::string_view kSdpType = "application/sdp";
constexpr std::string_view kFragmentType = "application/trickle-ice-sdpfrag";

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// RFC 3986 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const size_t slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t next = in.find('/', in.front() == '/' ? 1 : 0);
      const size_t length = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, length));
      in.remove_prefix(length);
    }
  }
  return out;
}

bool HasScheme(std::string_view reference) {
  if (reference.empty() || !std::isalpha(static_cast<unsigned char>(reference[0]))) return false;
  for (size_t i = 1; i < reference.size(); ++i) {
    const char c = reference[i];
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

ClientError FromResponse(const std::string& what, const net::HttpClientResult& result) {
  return ClientError::Make(ClientError::Kind::kHttpStatus,
                           what + ": " + WhipWhepSignaling::DescribeResponse(result),
                           result.status);
}

int64_t NowUnixSeconds() {
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace

struct WhipWhepSignaling::PostState {
  std::string sdp;
  OfferCallback callback;
  std::string url;  // the one being asked
  std::vector<std::string> visited;
  OfferResult result;
  std::chrono::steady_clock::time_point start;
};

WhipWhepSignaling::WhipWhepSignaling(net::HttpClient& client, std::string endpoint_url,
                                     Options options)
    : client_(client), endpoint_url_(std::move(endpoint_url)), options_(std::move(options)) {}

WhipWhepSignaling::~WhipWhepSignaling() {
  *alive_ = false;
}

net::HttpClientRequest WhipWhepSignaling::MakeRequest(net::HttpMethod method,
                                                      const std::string& url, std::string body,
                                                      std::string_view content_type) const {
  net::HttpClientRequest request;
  request.method = method;
  request.url = url;
  request.body = std::move(body);
  request.timeout = options_.request_timeout;
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  if (!options_.bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + options_.bearer_token);
  }
  for (const auto& header : options_.extra_headers)
    request.headers.push_back(header);
  if (options_.sign) options_.sign(request);
  return request;
}

void WhipWhepSignaling::PostOffer(std::string sdp, OfferCallback callback) {
  if (offer_in_flight_ || HasResource()) {
    throw std::logic_error("WhipWhepSignaling::PostOffer: an offer is in flight or accepted");
  }
  offer_in_flight_ = true;
  auto state = std::make_shared<PostState>();
  state->sdp = std::move(sdp);
  state->callback = std::move(callback);
  state->url = endpoint_url_;
  state->start = std::chrono::steady_clock::now();
  SendPost(std::move(state));
}

void WhipWhepSignaling::SendPost(std::shared_ptr<PostState> state) {
  state->visited.push_back(state->url);
  net::HttpClientRequest request =
      MakeRequest(net::HttpMethod::post, state->url, state->sdp, kSdpType);
  request.headers.emplace_back("Accept", kSdpType);
  std::weak_ptr<bool> alive = alive_;
  client_.Request(std::move(request), [this, alive, state](net::HttpClientResult result) mutable {
    if (alive.expired()) return;
    OnPostResponse(std::move(state), std::move(result));
  });
}

void WhipWhepSignaling::OnPostResponse(std::shared_ptr<PostState> state,
                                       net::HttpClientResult response) {
  OfferResult& out = state->result;
  out.status = response.status;
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - state->start);
  const std::string what = "POST " + state->url;
  auto finish = [&](ClientError error) {
    out.error = std::move(error);
    offer_in_flight_ = false;
    if (out.error.Ok()) {
      resource_url_ = out.resource_url;
      etag_ = out.etag;
    }
    OfferCallback callback = std::move(state->callback);
    callback(std::move(out));
  };

  if (!response.Ok()) {
    return finish(ClientError::Make(ClientError::Kind::kNetwork, "POST " + response.error));
  }
  const int status = response.status;
  if (status == 307 || status == 308) {
    const auto location = response.Header("location");
    const auto base = net::Url::Parse(state->url);
    std::optional<std::string> next;
    if (location && base) next = ResolveReference(*base, Trim(*location));
    if (!next) {
      return finish(ClientError::Make(
          ClientError::Kind::kBadResponse,
          what + ": " + std::to_string(status) + " redirect without a usable Location (" +
              (location ? "'" + *location + "'" : std::string("none")) + ")",
          status));
    }
    for (const std::string& seen : state->visited) {
      if (seen == *next) {
        return finish(ClientError::Make(ClientError::Kind::kRedirectLoop,
                                        what + ": redirected back to " + *next +
                                            ", visited already (" +
                                            std::to_string(state->visited.size()) + " hops)",
                                        status));
      }
    }
    if (out.redirects.size() >= options_.max_redirects) {
      return finish(ClientError::Make(
          ClientError::Kind::kTooManyRedirects,
          what + ": redirected to " + *next + " after " + std::to_string(out.redirects.size()) +
              " redirects already (at most " + std::to_string(options_.max_redirects) + ")",
          status));
    }
    out.redirects.push_back(*next);
    state->url = std::move(*next);
    return SendPost(std::move(state));
  }
  if (status == 409) {
    if (const auto retry = response.Header("retry-after")) {
      if (auto delay = ParseRetryAfter(*retry, NowUnixSeconds())) {
        ClientError error = ClientError::Make(ClientError::Kind::kNotLive,
                                              what + ": " + DescribeResponse(response), status);
        error.retry_after = delay;
        return finish(std::move(error));
      }
    }
    return finish(FromResponse(what, response));
  }
  if (status != 201) {
    ClientError error = FromResponse(what, response);
    if (status == 503 || status == 429) {
      if (const auto retry = response.Header("retry-after")) {
        error.retry_after = ParseRetryAfter(*retry, NowUnixSeconds());
      }
    }
    if (status >= 200 && status < 300) {
      error.kind = ClientError::Kind::kBadResponse;
      error.reason = what + ": " + std::to_string(status) + " where 201 Created was expected";
    }
    return finish(std::move(error));
  }

  // 201 Created.
  out.endpoint_url = state->url;
  const auto content_type = response.Header("content-type");
  if (!content_type || !StartsWithIgnoreCase(Trim(*content_type), kSdpType)) {
    return finish(ClientError::Make(
        ClientError::Kind::kBadResponse,
        what + ": 201 with Content-Type '" + content_type.value_or("") + "', not application/sdp",
        status));
  }
  if (response.body.empty()) {
    return finish(ClientError::Make(ClientError::Kind::kBadResponse,
                                    what + ": 201 without an SDP answer", status));
  }
  const auto location = response.Header("location");
  if (!location || Trim(*location).empty()) {
    return finish(ClientError::Make(ClientError::Kind::kBadResponse,
                                    what + ": 201 without a Location header", status));
  }
  const auto base = net::Url::Parse(state->url);
  auto resource = base ? ResolveReference(*base, Trim(*location)) : std::nullopt;
  if (!resource) {
    return finish(ClientError::Make(
        ClientError::Kind::kBadResponse,
        what + ": 201 with a Location that does not resolve: '" + *location + "'", status));
  }
  out.resource_url = std::move(*resource);
  out.etag = std::string(Trim(response.Header("etag").value_or("")));
  for (const auto& [name, value] : response.headers) {
    if (StartsWithIgnoreCase(name, "link") && name.size() == 4) out.links.push_back(value);
  }
  out.answer_sdp = std::move(response.body);
  finish(ClientError());
}

void WhipWhepSignaling::Patch(std::string fragment, PatchCallback callback) {
  if (!HasResource()) throw std::logic_error("WhipWhepSignaling::Patch: no resource");
  net::HttpClientRequest request =
      MakeRequest(net::HttpMethod::patch, resource_url_, std::move(fragment), kFragmentType);
  request.headers.emplace_back("If-Match", etag_.empty() ? std::string("*") : etag_);
  std::weak_ptr<bool> alive = alive_;
  const std::string what = "PATCH " + resource_url_;
  client_.Request(std::move(request), [this, alive, what,
                                       callback = std::move(callback)](net::HttpClientResult r) {
    if (alive.expired()) return;
    PatchResult out;
    out.status = r.status;
    if (!r.Ok()) {
      out.error = ClientError::Make(ClientError::Kind::kNetwork, "PATCH " + r.error);
    } else if (r.status == 200 || r.status == 204) {
      if (const auto etag = r.Header("etag")) {
        out.etag = std::string(Trim(*etag));
        if (!out.etag.empty()) etag_ = out.etag;
      }
      if (r.status == 200) {
        const auto content_type = r.Header("content-type");
        if (!r.body.empty() &&
            (!content_type || !StartsWithIgnoreCase(Trim(*content_type), kFragmentType))) {
          out.error =
              ClientError::Make(ClientError::Kind::kBadResponse,
                                what + ": 200 with Content-Type '" + content_type.value_or("") +
                                    "', not application/trickle-ice-sdpfrag",
                                r.status);
        }
        out.fragment = std::move(r.body);
      }
    } else {
      out.error = FromResponse(what, r);
    }
    callback(std::move(out));
  });
}

void WhipWhepSignaling::Delete(DeleteCallback callback) {
  if (!HasResource()) throw std::logic_error("WhipWhepSignaling::Delete: no resource");
  net::HttpClientRequest request = MakeRequest(net::HttpMethod::delete_, resource_url_, "", "");
  const std::string what = "DELETE " + resource_url_;
  resource_url_.clear();
  etag_.clear();
  std::weak_ptr<bool> alive = alive_;
  client_.Request(
      std::move(request), [alive, what, callback = std::move(callback)](net::HttpClientResult r) {
        if (alive.expired()) return;
        DeleteResult out;
        out.status = r.status;
        if (!r.Ok()) {
          out.error = ClientError::Make(ClientError::Kind::kNetwork, "DELETE " + r.error);
        } else if (!(r.status >= 200 && r.status < 300) && r.status != 404 && r.status != 410) {
          out.error = FromResponse(what, r);
        }
        callback(std::move(out));
      });
}

std::optional<std::string> WhipWhepSignaling::ResolveReference(const net::Url& base,
                                                               std::string_view reference) {
  if (const size_t hash = reference.find('#'); hash != std::string_view::npos) {
    reference = reference.substr(0, hash);
  }
  std::string target;
  if (HasScheme(reference)) {
    target = std::string(reference);
  } else if (reference.starts_with("//")) {
    target = base.Scheme() + ":" + std::string(reference);
  } else {
    std::string_view path = reference;
    std::string_view query;
    bool has_query = false;
    if (const size_t q = reference.find('?'); q != std::string_view::npos) {
      path = reference.substr(0, q);
      query = reference.substr(q + 1);
      has_query = true;
    }
    std::string merged;
    if (path.empty()) {
      merged = base.Path();
      if (!has_query && !base.Query().empty()) {
        query = base.Query();
        has_query = true;
      }
    } else if (path.front() == '/') {
      merged = RemoveDotSegments(path);
    } else {
      const std::string& base_path = base.Path();
      const size_t slash = base_path.rfind('/');
      merged = RemoveDotSegments(
          (slash == std::string::npos ? std::string("/") : base_path.substr(0, slash + 1)) +
          std::string(path));
    }
    if (merged.empty() || merged.front() != '/') merged.insert(merged.begin(), '/');
    target = base.Scheme() + "://" + base.HostHeader() + merged;
    if (has_query) target += "?" + std::string(query);
  }
  const auto url = net::Url::Parse(target);
  if (!url || (url->Scheme() != "http" && url->Scheme() != "https")) return std::nullopt;
  return url->ToString();
}

std::optional<std::chrono::milliseconds> WhipWhepSignaling::ParseRetryAfter(std::string_view value,
                                                                            int64_t now_unix_s) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (const char c : value)
    digits = digits && c >= '0' && c <= '9';
  if (digits) {
    if (value.size() > 9) return std::nullopt;  // more than 30 years: nonsense
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const int64_t at = static_cast<int64_t>(timegm(&tm));
  return std::chrono::seconds(at > now_unix_s ? at - now_unix_s : 0);
}

std::string WhipWhepSignaling::DescribeResponse(const net::HttpClientResult& result) {
  std::string out = std::to_string(result.status);
  const std::string_view phrase =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(result.status));
  if (!phrase.empty() && phrase != "<unknown-status>") out += " " + std::string(phrase);
  std::string reason;
  const auto content_type = result.Header("content-type").value_or("");
  if (content_type.find("json") != std::string::npos) {
    const auto json = nlohmann::json::parse(result.body, nullptr, false);
    if (json.is_object() && json.contains("error") && json["error"].is_string()) {
      reason = json["error"].get<std::string>();
    }
  }
  if (reason.empty() && !result.body.empty() && content_type.find("sdp") == std::string::npos) {
    const std::string_view body = result.body;
    reason = std::string(Trim(body.substr(0, body.find('\n'))));
  }
  if (reason.size() > kMaxReasonLength) reason = reason.substr(0, kMaxReasonLength) + "...";
  if (!reason.empty()) out += ": " + reason;
  return out;
}

}  // namespace tributary::http
