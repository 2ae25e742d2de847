#include "http/WhipWhepService.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "base/Random.h"
#include "http/JsonResponse.h"
#include "http/VhostResolver.h"
#include "rtc/SdpParser.h"

namespace tributary::http {

namespace beast_http = boost::beast::http;

namespace {

constexpr int kRetryNotLiveS = 1;
constexpr int kRetryUnavailableS = 5;
constexpr int kRetryDrainingS = 2;
constexpr size_t kMaxNameLength = 64;
// The auth-scheme of a 401 for a cluster signature that does not verify (docs/cluster.md).
constexpr const char* kClusterScheme = "Tributary-HMAC-SHA256";

// "application/sdp; charset=utf-8" -> "application/sdp"
std::string MediaType(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  if (semicolon != std::string_view::npos) content_type = content_type.substr(0, semicolon);
  while (!content_type.empty() && content_type.back() == ' ')
    content_type.remove_suffix(1);
  while (!content_type.empty() && content_type.front() == ' ')
    content_type.remove_prefix(1);
  std::string out(content_type);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Whether an If-Match value ("*", or a list of entity-tags) names `etag`.
bool IfMatchAccepts(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::string NewEtag() {
  return "\"" + base::RandomHex(8) + "\"";
}

std::string LinkValue(const std::string& url, const config::IceServer& server) {
  std::string value = "<" + url + ">; rel=\"ice-server\"";
  if (!server.username.empty()) {
    value += "; username=\"" + server.username + "\"; credential=\"" + server.credential +
             "\"; credential-type=\"password\"";
  }
  return value;
}

// The lifecycle line of an offer that got no session (docs/api.md, "Logs").
void LogRefusedOffer(const SessionResource& resource, const sfu::SessionAnswer& answer) {
  std::string error = answer.reason;
  std::replace(error.begin(), error.end(), '"', '\'');
  spdlog::info(
      "session failed: vhost={} app={} stream={} session={} kind={} role=server "
      "error=\"{}\"",
      resource.key.vhost, resource.key.app, resource.key.stream, resource.id,
      sfu::SessionKindLabel(resource.kind), error);
}

}  // namespace

WhipWhepService::WhipWhepService(NodeRunner& runner)
    : runner_(runner), cors_(runner.Config().http.cors_origins), limits_(&runner.Metrics()) {
  AddRoutes(runner.Router(), "/whip", StreamAction::kPublish);
  AddRoutes(runner.Router(), "/whep", StreamAction::kPlay);
}

bool WhipWhepService::ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-';
  });
}

std::string WhipWhepService::PathPrefix(sfu::SessionKind kind) {
  return kind == sfu::SessionKind::kIngest ? "/whip" : "/whep";
}

void WhipWhepService::AddRoutes(HttpRouter& router, std::string_view prefix, StreamAction action) {
  const std::string base(prefix);
  const auto kind =
      action == StreamAction::kPublish ? sfu::SessionKind::kIngest : sfu::SessionKind::kEgress;
  // The resource routes first: "/whip/resource/x" also fits "/whip/{app}/{stream}".
  const std::string resource = base + "/resource/{id}";
  router.Add(net::HttpMethod::delete_, resource,
             [this, kind](const net::HttpExchange& exchange, const RouteParams& params) {
               HandleDelete(exchange, params, kind);
             });
  router.Add(net::HttpMethod::patch, resource,
             [this, kind](const net::HttpExchange& exchange, const RouteParams& params) {
               HandlePatch(exchange, params, kind);
             });
  router.Add(net::HttpMethod::options, resource,
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               net::HttpResponse response =
                   cors_.Preflight(exchange.Request(), "DELETE, PATCH, OPTIONS");
               response.set(beast_http::field::accept_patch, kFragmentType);
               exchange.Respond(std::move(response));
             });
  const std::string endpoint = base + "/{app}/{stream}";
  router.Add(net::HttpMethod::post, endpoint,
             [this, action](const net::HttpExchange& exchange, const RouteParams& params) {
               HandleOffer(exchange, params, action);
             });
  router.Add(net::HttpMethod::options, endpoint,
             [this](const net::HttpExchange& exchange, const RouteParams&) {
               net::HttpResponse response = cors_.Preflight(exchange.Request(), "POST, OPTIONS");
               response.set("Accept-Post", kSdpType);
               AddIceServerLinks(response);
               exchange.Respond(std::move(response));
             });
}

void WhipWhepService::Respond(const net::HttpExchange& exchange, net::HttpResponse response) const {
  cors_.Apply(exchange.Request(), response);
  exchange.Respond(std::move(response));
}

void WhipWhepService::RespondError(const net::HttpExchange& exchange, net::HttpStatus status,
                                   std::string_view reason, int retry_after_s) const {
  net::HttpResponse response = JsonError(status, reason);
  if (retry_after_s > 0)
    response.set(beast_http::field::retry_after, std::to_string(retry_after_s));
  if (status == net::HttpStatus::unauthorized) {
    response.set(beast_http::field::www_authenticate, "Bearer realm=\"tributary\"");
  }
  Respond(exchange, std::move(response));
}

void WhipWhepService::AddIceServerLinks(net::HttpResponse& response) const {
  for (const auto& server : runner_.Config().media.ice_servers) {
    for (const auto& url : server.urls)
      response.insert(beast_http::field::link, LinkValue(url, server));
  }
}

// ---------------------------------------------------------------------------------------------
// POST: publish or play

std::optional<WhipWhepService::Admitted> WhipWhepService::Admit(const net::HttpExchange& exchange,
                                                                const RouteParams& params,
                                                                StreamAction action) {
  const net::HttpRequest& request = exchange.Request();
  const std::string& app = params.Get("app");
  const std::string& stream = params.Get("stream");
  if (app == "resource") {
    RespondError(exchange, net::HttpStatus::method_not_allowed,
                 "a session resource takes DELETE, PATCH and OPTIONS; offers go to " +
                     PathPrefix(action == StreamAction::kPublish ? sfu::SessionKind::kIngest
                                                                 : sfu::SessionKind::kEgress) +
                     "/{app}/{stream}");
    return std::nullopt;
  }
  if (runner_.Draining()) {
    // Another node (or this one's successor) takes the client: a short Retry-After.
    RespondError(
        exchange, net::HttpStatus::service_unavailable,
        "node " + runner_.Config().id + " is draining (shutting down) and admits no new sessions",
        kRetryDrainingS);
    return std::nullopt;
  }
  for (const auto& [what, name] : {std::pair{"app", &app}, std::pair{"stream", &stream}}) {
    if (!ValidName(*name)) {
      RespondError(exchange, net::HttpStatus::bad_request,
                   std::string("invalid ") + what + " name '" + name->substr(0, 80) +
                       "': 1 to 64 characters of A-Z a-z 0-9 _ . -");
      return std::nullopt;
    }
  }
  Admitted admitted;
  admitted.vhosts = runner_.Vhosts().Current();
  const auto query_vhost = exchange.Target().Param("vhost");
  // Any ?vhost= resolves here; whether it may be used is decided once we know who vouches.
  const auto resolved = VhostResolver::Resolve(*admitted.vhosts, request[beast_http::field::host],
                                               query_vhost, /*any_query=*/true);
  if (resolved.vhost == nullptr) {
    RespondError(exchange, net::HttpStatus::not_found, resolved.error);
    return std::nullopt;
  }
  admitted.vhost = resolved.vhost;
  const config::VhostConfig& vhost = *resolved.vhost;
  admitted.key = sfu::StreamKey{vhost.name, app, stream};
  // 1. Cluster trust: a cluster node's signature or a viewer's redirect grant (the role's
  // OfferAdmission); such a request may name any vhost in the query.
  if (admission_ != nullptr) admitted.trust = admission_->TrustOf(exchange, action, admitted.key);
  if (admitted.trust.kind == OfferTrust::Kind::kRejected) {
    CountAuthRejection(vhost.name, 401);
    net::HttpResponse response = JsonError(net::HttpStatus::unauthorized, admitted.trust.reason);
    response.set(beast_http::field::www_authenticate, kClusterScheme);
    Respond(exchange, std::move(response));
    return std::nullopt;
  }
  if (query_vhost && !vhost.allow_query_vhost && !admitted.trust.Trusted()) {
    RespondError(exchange, net::HttpStatus::not_found, "unknown vhost '" + *query_vhost + "'");
    return std::nullopt;
  }
  // 2. The vhost's credentials, unless the cluster vouches for the request.
  if (!admitted.trust.Trusted()) {
    const auto auth =
        Credentials::Check(vhost, action, admitted.key, request[beast_http::field::authorization]);
    if (!auth.Allowed()) {
      CountAuthRejection(vhost.name, auth.HttpStatus());
      const bool forbidden = auth.verdict == Credentials::Verdict::kForbidden;
      std::string reason = auth.reason;
      if (!admitted.trust.reason.empty()) reason += " (" + admitted.trust.reason + ")";
      net::HttpResponse response =
          JsonError(forbidden ? net::HttpStatus::forbidden : net::HttpStatus::unauthorized, reason);
      if (!forbidden) {
        response.set(beast_http::field::www_authenticate,
                     auth.verdict == Credentials::Verdict::kMissing
                         ? "Bearer realm=\"tributary\""
                         : "Bearer realm=\"tributary\", error=\"invalid_token\"");
      }
      Respond(exchange, std::move(response));
      return std::nullopt;
    }
  }
  // 3. The vhost's limits: session creations per address (a cluster node speaks for many
  // clients and is exempt; it still counts in the session limits, HandleOffer's Reserve).
  if (admitted.trust.kind != OfferTrust::Kind::kNode) {
    const auto rate = limits_.CheckRate(vhost, exchange.Remote().AddressString(), base::NowUs());
    if (!rate.admitted) {
      RespondError(exchange, net::HttpStatus::service_unavailable, rate.reason, rate.retry_after_s);
      return std::nullopt;
    }
  }
  return admitted;
}

void WhipWhepService::CountAuthRejection(const std::string& vhost, int status) {
  runner_.Metrics()
      .AuthRejections()
      .Add({{"vhost", vhost}, {"code", std::to_string(status)}})
      .Increment();
}

void WhipWhepService::HandleOffer(const net::HttpExchange& exchange, const RouteParams& params,
                                  StreamAction action) {
  const net::HttpRequest& request = exchange.Request();
  auto admitted = Admit(exchange, params, action);
  if (!admitted) return;
  const config::VhostConfig& vhost = *admitted->vhost;
  sfu::StreamKey key = admitted->key;
  const std::string type = MediaType(request[beast_http::field::content_type]);
  if (type != kSdpType) {
    RespondError(exchange, net::HttpStatus::unsupported_media_type,
                 "the offer must be sent as Content-Type: application/sdp (got '" +
                     std::string(request[beast_http::field::content_type]) + "')");
    return;
  }
  if (request.body().empty()) {
    RespondError(exchange, net::HttpStatus::bad_request, "the request carries no SDP offer");
    return;
  }
  if (plane_ == nullptr) {
    RespondError(exchange, net::HttpStatus::service_unavailable, "the media plane is not running",
                 kRetryUnavailableS);
    return;
  }
  std::string error;
  auto offer = rtc::SdpParser::Parse(request.body(), error);
  if (!offer) {
    RespondError(exchange, net::HttpStatus::bad_request, "malformed SDP offer: " + error);
    return;
  }
  // 3. The vhost's session limits (publishers, viewers, per stream), cluster nodes' too.
  const sfu::SessionKind kind =
      action == StreamAction::kPublish ? sfu::SessionKind::kIngest : sfu::SessionKind::kEgress;
  const auto reserved = limits_.Reserve(vhost, kind, key);
  if (!reserved.admitted) {
    RespondError(exchange, net::HttpStatus::service_unavailable, reserved.reason,
                 reserved.retry_after_s);
    return;
  }
  OfferPlan plan;
  if (action == StreamAction::kPublish) plan.allowed_codecs = vhost.codecs;
  // A cluster node's push carries what the edge already held to the limit.
  if (action == StreamAction::kPublish && admitted->trust.kind != OfferTrust::Kind::kNode)
    plan.max_bitrate_bps = uint64_t{vhost.limits.bitrate_kbps} * 1000;
  plan.node = admitted->trust.kind == OfferTrust::Kind::kNode ? admitted->trust.node : "";
  if (admission_ == nullptr) {
    AnswerOffer(exchange, action, std::move(key), std::move(plan), std::move(*offer));
    return;
  }
  // 4. Cluster admission: go on, redirect (307) or refuse; what was reserved is given back
  // unless a session is made.
  OfferContext context{exchange, action, key, admitted->trust};
  admission_->Admit(context, [this, exchange, action, kind, key, plan = std::move(plan),
                              offer = std::move(*offer)](Admission admission) mutable {
    if (admission.verdict != Admission::Verdict::kProceed) limits_.Release(kind, key);
    switch (admission.verdict) {
      case Admission::Verdict::kProceed:
        AnswerOffer(exchange, action, std::move(key), std::move(plan), std::move(offer));
        return;
      case Admission::Verdict::kRedirect: {
        net::HttpResponse response =
            JsonResponse(net::HttpStatus::temporary_redirect, {{"location", admission.location}});
        response.set(beast_http::field::location, admission.location);
        Respond(exchange, std::move(response));
        return;
      }
      case Admission::Verdict::kRefuse:
        RespondError(exchange, admission.status, admission.reason, admission.retry_after_s);
        return;
    }
  });
}

void WhipWhepService::AnswerOffer(const net::HttpExchange& exchange, StreamAction action,
                                  sfu::StreamKey key, OfferPlan plan,
                                  rtc::SessionDescription offer) {
  if (plane_ == nullptr) {
    limits_.Release(
        action == StreamAction::kPublish ? sfu::SessionKind::kIngest : sfu::SessionKind::kEgress,
        key);
    RespondError(exchange, net::HttpStatus::service_unavailable, "the media plane is not running",
                 kRetryUnavailableS);
    return;
  }
  SessionResource resource;
  resource.id = base::RandomHex(16);
  resource.kind =
      action == StreamAction::kPublish ? sfu::SessionKind::kIngest : sfu::SessionKind::kEgress;
  resource.worker = plane_->PlaceSession(key, resource.kind);
  resource.key = key;
  resource.remote = exchange.Remote().AddressString();
  resource.created_ms = base::NowMs();
  resource.counted = true;  // HandleOffer reserved it
  resource.node = std::move(plan.node);
  sfu::SessionAnswerRequest answer_request;
  answer_request.info = {resource.id, std::move(key)};
  answer_request.offer = std::move(offer);
  answer_request.allowed_codecs = std::move(plan.allowed_codecs);
  answer_request.max_bitrate_bps = plan.max_bitrate_bps;
  const auto& announced = runner_.Config().media.announced_ips;
  if (!announced.empty()) answer_request.origin_address = announced.front();

  sfu::MediaWorker& worker = plane_->Worker(resource.worker);
  if (action == StreamAction::kPublish) {
    worker.Post([this, &worker, exchange, action, resource = std::move(resource),
                 answer_request = std::move(answer_request)]() mutable {
      sfu::SessionAnswer answer = sfu::SessionAnswerer::AnswerPublish(worker, answer_request);
      boost::asio::post(runner_.Io(), [this, exchange, action, resource = std::move(resource),
                                       answer = std::move(answer)] {
        FinishOffer(exchange, action, resource, answer);
      });
    });
    return;
  }
  // A viewer may be placed on a worker other than the stream's home: that worker mirrors the
  // stream first (PrepareStream), then answers.
  struct Pending {
    SessionResource resource;
    sfu::SessionAnswerRequest request;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(resource), std::move(answer_request)});
  worker.Post([this, &worker, exchange, action, pending] {
    worker.PlacementArrived();
    worker.PrepareStream(pending->request.info.key, [this, &worker, exchange, action, pending] {
      sfu::SessionAnswer answer = sfu::SessionAnswerer::AnswerPlay(worker, pending->request);
      boost::asio::post(runner_.Io(),
                        [this, exchange, action, pending, answer = std::move(answer)] {
                          FinishOffer(exchange, action, pending->resource, answer);
                        });
    });
  });
}

void WhipWhepService::FinishOffer(const net::HttpExchange& exchange, StreamAction action,
                                  const SessionResource& created,
                                  const sfu::SessionAnswer& answer) {
  using Status = sfu::SessionAnswer::Status;
  if (answer.status != Status::kCreated) {
    if (created.counted) limits_.Release(created.kind, created.key);
    LogRefusedOffer(created, answer);
  }
  switch (answer.status) {
    case Status::kCreated:
      break;
    case Status::kBadOffer:
      RespondError(exchange, net::HttpStatus::bad_request, answer.reason);
      return;
    case Status::kConflict:
      RespondError(exchange, net::HttpStatus::conflict, answer.reason);
      return;
    case Status::kNotLive:
      RespondError(exchange, net::HttpStatus::conflict, answer.reason, kRetryNotLiveS);
      return;
    case Status::kUnavailable:
      RespondError(exchange, net::HttpStatus::service_unavailable, answer.reason,
                   kRetryUnavailableS);
      return;
  }
  SessionResource resource = created;
  resource.etag = NewEtag();
  const std::string location = PathPrefix(resource.kind) + "/resource/" + resource.id;
  net::HttpResponse response =
      net::MakeResponse(net::HttpStatus::created, answer.answer_sdp, kSdpType);
  response.set(beast_http::field::location, location);
  response.set(beast_http::field::etag, resource.etag);
  response.set(beast_http::field::accept_patch, kFragmentType);
  AddIceServerLinks(response);
  spdlog::debug("{} {} -> {}", ToString(action), resource.key.ToString(), location);
  Respond(exchange, std::move(response));
  table_.Add(resource);
  if (admission_ != nullptr) admission_->OnResourceAdded(resource);
}

// ---------------------------------------------------------------------------------------------
// The resource: DELETE, PATCH

void WhipWhepService::HandleDelete(const net::HttpExchange& exchange, const RouteParams& params,
                                   sfu::SessionKind kind) {
  const std::string& id = params.Get("id");
  const SessionResource* resource = table_.Find(id);
  if (resource == nullptr || resource->kind != kind || plane_ == nullptr) {
    RespondError(exchange, net::HttpStatus::not_found, "no session resource '" + id + "'");
    return;
  }
  sfu::MediaWorker& worker = plane_->Worker(resource->worker);
  worker.Post([&worker, id] { worker.CloseSession(id, sfu::SessionCloseReason::kDeleted); });
  RemoveResource(id);
  Respond(exchange, net::MakeResponse(net::HttpStatus::ok, "", "text/plain"));
}

void WhipWhepService::RemoveResource(const std::string& id) {
  const SessionResource* found = table_.Find(id);
  if (found == nullptr) return;
  const SessionResource resource = *found;
  table_.Remove(id);
  if (resource.counted) limits_.Release(resource.kind, resource.key);
  if (admission_ != nullptr) admission_->OnResourceRemoved(resource);
}

void WhipWhepService::HandlePatch(const net::HttpExchange& exchange, const RouteParams& params,
                                  sfu::SessionKind kind) {
  const net::HttpRequest& request = exchange.Request();
  const std::string& id = params.Get("id");
  SessionResource* resource = table_.Find(id);
  if (resource == nullptr || resource->kind != kind || plane_ == nullptr) {
    RespondError(exchange, net::HttpStatus::not_found, "no session resource '" + id + "'");
    return;
  }
  if (MediaType(request[beast_http::field::content_type]) != kFragmentType) {
    RespondError(exchange, net::HttpStatus::unsupported_media_type,
                 "a PATCH must be sent as Content-Type: application/trickle-ice-sdpfrag (got '" +
                     std::string(request[beast_http::field::content_type]) + "')");
    return;
  }
  const auto if_match = request.find(beast_http::field::if_match);
  if (if_match == request.end()) {
    RespondError(exchange, net::HttpStatus::precondition_failed,
                 "a PATCH needs If-Match with the resource's ETag (" + resource->etag + ")");
    return;
  }
  if (!IfMatchAccepts(if_match->value(), resource->etag)) {
    RespondError(exchange, net::HttpStatus::precondition_failed,
                 "If-Match " + std::string(if_match->value()) +
                     " does not match the resource's ETag " + resource->etag);
    return;
  }
  std::string error;
  auto fragment = rtc::SdpParser::ParseFragment(request.body(), error);
  if (!fragment) {
    RespondError(exchange, net::HttpStatus::bad_request, "malformed SDP fragment: " + error);
    return;
  }
  struct Outcome {
    bool found = false;
    bool restarted = false;
    std::string answer;  // our fragment, after a restart
    std::string error;
  };
  sfu::MediaWorker& worker = plane_->Worker(resource->worker);
  worker.Post([this, &worker, exchange, id, fragment = std::move(*fragment)] {
    Outcome outcome;
    if (sfu::Session* session = worker.FindSession(id)) {
      outcome.found = true;
      if (fragment.RestartsIce(session->RemoteUfrag())) {
        auto answer = session->RestartIce(fragment, outcome.error);
        outcome.restarted = answer.has_value();
        if (answer) outcome.answer = std::move(*answer);
      } else {
        session->AddRemoteCandidates(fragment);
      }
    }
    boost::asio::post(runner_.Io(), [this, exchange, id, outcome = std::move(outcome)] {
      SessionResource* resource = table_.Find(id);
      if (!outcome.found || resource == nullptr) {
        RespondError(exchange, net::HttpStatus::not_found, "no session resource '" + id + "'");
      } else if (!outcome.error.empty()) {
        RespondError(exchange, net::HttpStatus::bad_request, outcome.error);
      } else if (outcome.restarted) {
        resource->etag = NewEtag();
        net::HttpResponse response =
            net::MakeResponse(net::HttpStatus::ok, outcome.answer, kFragmentType);
        response.set(beast_http::field::etag, resource->etag);
        Respond(exchange, std::move(response));
      } else {
        net::HttpResponse response{net::HttpStatus::no_content, 11};
        Respond(exchange, std::move(response));
      }
    });
  });
}

void WhipWhepService::OnSessionClosed(const std::string& id) {
  RemoveResource(id);
}

size_t WhipWhepService::EndSessions(const sfu::StreamKey& key, sfu::SessionKind kind,
                                    std::string_view detail) {
  if (plane_ == nullptr) return 0;
  const auto resources = table_.Find(key, kind);
  for (const SessionResource& resource : resources) {
    sfu::MediaWorker& worker = plane_->Worker(resource.worker);
    worker.Post([&worker, id = resource.id, detail = std::string(detail)] {
      worker.CloseSession(id, sfu::SessionCloseReason::kKicked, detail);
    });
  }
  return resources.size();
}

}  // namespace tributary::http
