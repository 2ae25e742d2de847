#pragma once

// The HTTP half of one WHIP (RFC 9725) or WHEP session, client side: POST the SDP offer to the
// endpoint, then PATCH (ICE restart, trickle) and DELETE the resource the server created. WHIP
// and WHEP speak the same HTTP; only the SDP differs, and that is the caller's (WhipClient,
// WhepClient).
//
//   POST endpoint   Content-Type: application/sdp, Accept: application/sdp,
//                   Authorization: Bearer <token> (when given), the extra headers, then the
//                   sign hook (cluster credentials) on every request it sends.
//     307/308       Location resolved against the request URL, the POST repeated there (the
//                   same body and headers): at most max_redirects hops; a URL visited twice is a
//                   loop. Other 3xx are errors (they would turn the POST into a GET).
//     201 Created   the answer (application/sdp), Location (required, resolved against the URL
//                   that answered: the resource URL), ETag (optional), Link headers (ICE servers).
//     409 + Retry-After   kNotLive with the delay: a WHEP request for a stream nobody publishes
//                   (yet); the caller decides whether to try again.
//     other         kHttpStatus with the status and the server's reason (the "error" member of
//                   a JSON body, or the start of a text body).
//   PATCH resource  Content-Type: application/trickle-ice-sdpfrag, If-Match: the ETag ("*"
//                   when the server sent none). 200 (with a fragment: an ICE restart's answer,
//                   and a new ETag) or 204.
//   DELETE resource 200/204; 404 and 410 mean it is gone already (not an error).
//
// Asynchronous on the HttpClient's io_context: every callback runs there, once, never inside
// the call that started the operation; none runs after the signaling object is destroyed (its
// requests are abandoned; the server's resource then times out). One io thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/ClientError.h"
#include "net/HttpClient.h"
#include "net/Url.h"

namespace tributary::http {

struct WhipWhepSignalingOptions {
  std::string bearer_token;        // Authorization: Bearer <token>; empty: none
  net::HttpHeaders extra_headers;  // added to every request
  // Called for every request just before it goes out (redirected POSTs, PATCH and DELETE
  // included), to add headers that depend on the request (cluster signing). May be empty.
  std::function<void(net::HttpClientRequest&)> sign;
  size_t max_redirects = 4;
  std::chrono::milliseconds request_timeout{5000};  // each request, connect to last byte
};

class WhipWhepSignaling {
 public:
  using Options = WhipWhepSignalingOptions;

  struct OfferResult {
    ClientError error;
    int status = 0;                        // of the last response
    std::string answer_sdp;                // 201's body
    std::string resource_url;              // absolute
    std::string etag;                      // empty when the server sent none
    std::string endpoint_url;              // the URL that answered (after redirects)
    std::vector<std::string> redirects;    // the URLs redirected to, in order
    std::vector<std::string> links;        // Link header values (ICE servers, RFC 9725 4.6)
    std::chrono::milliseconds elapsed{0};  // first request to answer
  };
  struct PatchResult {
    ClientError error;
    int status = 0;
    std::string fragment;  // 200's body (an ICE restart's answer); empty for 204
    std::string etag;      // the new ETag, when sent
  };
  struct DeleteResult {
    ClientError error;
    int status = 0;
  };
  using OfferCallback = std::function<void(OfferResult)>;
  using PatchCallback = std::function<void(PatchResult)>;
  using DeleteCallback = std::function<void(DeleteResult)>;

  // `client` must outlive this object. `endpoint_url` is the WHIP/WHEP endpoint (an http:// or
  // https:// URL); a bad one fails the first PostOffer.
  WhipWhepSignaling(net::HttpClient& client, std::string endpoint_url, Options options = {});
  ~WhipWhepSignaling();
  WhipWhepSignaling(const WhipWhepSignaling&) = delete;
  WhipWhepSignaling& operator=(const WhipWhepSignaling&) = delete;

  // While no resource exists and no offer is in flight (a failed offer may be posted again,
  // e.g. after a 409); otherwise throws std::logic_error.
  void PostOffer(std::string sdp, OfferCallback callback);
  // Needs a resource (after a successful PostOffer), else throws std::logic_error. Updates
  // ETag() from the answer.
  void Patch(std::string fragment, PatchCallback callback);
  // Needs a resource, else throws std::logic_error; forgets it once the request is answered
  // (whatever the answer: a failed DELETE is not retried).
  void Delete(DeleteCallback callback);

  const std::string& EndpointUrl() const { return endpoint_url_; }
  bool HasResource() const { return !resource_url_.empty(); }
  const std::string& ResourceUrl() const { return resource_url_; }
  const std::string& ETag() const { return etag_; }

  // RFC 3986 5.2: `reference` (absolute, "//host/..", "/path", "path", "?query", "") resolved
  // against `base`; the fragment is dropped. nullopt when the result is no http(s) URL.
  static std::optional<std::string> ResolveReference(const net::Url& base,
                                                     std::string_view reference);
  // Retry-After (RFC 9110 10.2.3): delta-seconds or an IMF-fixdate, relative to `now_unix_s`.
  // nullopt for anything else.
  static std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                                  int64_t now_unix_s);
  // "403 Forbidden: <reason the body gives>", for messages.
  static std::string DescribeResponse(const net::HttpClientResult& result);

 private:
  struct PostState;

  net::HttpClientRequest MakeRequest(net::HttpMethod method, const std::string& url,
                                     std::string body, std::string_view content_type) const;
  void SendPost(std::shared_ptr<PostState> state);
  void OnPostResponse(std::shared_ptr<PostState> state, net::HttpClientResult result);

  net::HttpClient& client_;
  std::string endpoint_url_;
  Options options_;
  std::string resource_url_;
  std::string etag_;
  bool offer_in_flight_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tributary::http
