#pragma once

// WHIP (RFC 9725) and WHEP on a node's HTTP listener:
//
//   POST    /whip/{app}/{stream}        application/sdp offer -> 201 + answer, Location, ETag
//   POST    /whep/{app}/{stream}        the same to play; 409 + Retry-After while not live
//   DELETE  /whip|whep/resource/{id}    ends the session
//   PATCH   /whip|whep/resource/{id}    application/trickle-ice-sdpfrag: trickle (204) or an ICE
//                                       restart (200 + our fragment, new ETag); If-Match needed
//   OPTIONS on each of them             CORS preflight
//
// A request goes: name checks -> vhost (VhostResolver) -> credentials (Credentials) -> content
// type -> SDP parse (control thread) -> the stream's home worker, where SessionAnswerer makes
// the session and the answer in one step -> back on the control thread, the resource goes into
// the SessionTable and the client gets its 201. Every error has a JSON reason
// ({"error": "..."}); every response carries the CORS headers (CorsPolicy).
//
// Sessions that end on their own (consent expired, DTLS closed, source ended...) leave the
// table when their worker reports them closed (OnSessionClosed, control thread).
//
// A node role may add its own rules (OfferAdmission, set with SetAdmission): requests vouched
// for by a cluster signature or a redirect grant instead of the vhost's credentials, and a
// decision on each authorized offer (go on, 307 elsewhere, refuse) before the media worker sees
// it; it hears of every resource created and removed.
//
// Control thread only. The media plane is attached once it runs (Attach); before that, and
// after Detach, offers get 503.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/CorsPolicy.h"
#include "http/Credentials.h"
#include "http/HttpRouter.h"
#include "http/NodeRunner.h"
#include "http/OfferAdmission.h"
#include "http/SessionTable.h"
#include "net/HttpExchange.h"
#include "rtc/SessionDescription.h"
#include "sfu/MediaPlane.h"
#include "sfu/SessionAnswerer.h"

namespace tributary::http {

class WhipWhepService {
 public:
  static constexpr std::string_view kSdpType = "application/sdp";
  static constexpr std::string_view kFragmentType = "application/trickle-ice-sdpfrag";

  // Adds the routes to the runner's router.
  explicit WhipWhepService(NodeRunner& runner);

  void Attach(sfu::MediaPlane* plane) { plane_ = plane; }
  // The role's rules (nullable; it must outlive the service or be reset first).
  void SetAdmission(OfferAdmission* admission) { admission_ = admission; }
  // A worker reported the session closed.
  void OnSessionClosed(const std::string& id);
  // Ends the sessions of `key` of that kind (kicked, with `detail` in their close log line);
  // they leave the table when their worker reports them closed. Returns how many.
  size_t EndSessions(const sfu::StreamKey& key, sfu::SessionKind kind, std::string_view detail);

  const SessionTable& Sessions() const { return table_; }

  // [A-Za-z0-9_.-]{1,64}
  static bool ValidName(std::string_view name);

 private:
  void AddRoutes(HttpRouter& router, std::string_view prefix, StreamAction action);
  void HandleOffer(const net::HttpExchange& exchange, const RouteParams& params,
                   StreamAction action);
  // Authorized and parsed: to the stream's home worker.
  void AnswerOffer(const net::HttpExchange& exchange, StreamAction action, sfu::StreamKey key,
                   std::vector<std::string> allowed_codecs, rtc::SessionDescription offer,
                   std::string node);
  void RemoveResource(const std::string& id);
  void FinishOffer(const net::HttpExchange& exchange, StreamAction action,
                   const SessionResource& resource, const sfu::SessionAnswer& answer);
  void HandleDelete(const net::HttpExchange& exchange, const RouteParams& params,
                    sfu::SessionKind kind);
  void HandlePatch(const net::HttpExchange& exchange, const RouteParams& params,
                   sfu::SessionKind kind);

  void Respond(const net::HttpExchange& exchange, net::HttpResponse response) const;
  void RespondError(const net::HttpExchange& exchange, net::HttpStatus status,
                    std::string_view reason, int retry_after_s = 0) const;
  void AddIceServerLinks(net::HttpResponse& response) const;
  static std::string PathPrefix(sfu::SessionKind kind);

  NodeRunner& runner_;
  CorsPolicy cors_;
  SessionTable table_;
  sfu::MediaPlane* plane_ = nullptr;
  OfferAdmission* admission_ = nullptr;
};

}  // namespace tributary::http
