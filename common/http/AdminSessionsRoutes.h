#pragma once

// The admin API's media routes (docs/api.md, "Admin API"), behind AdminAuth:
//
//   GET    /api/v1/sessions[?vhost=&app=&stream=&kind=publish|play]
//            every media session of the node's workers (WHIP/WHEP clients and upstream links):
//            {"node", "sessions": [{id, vhost, app, stream, kind, role, state, remote,
//            bitrate_bps, loss, rtt_ms, ...}]}
//   DELETE /api/v1/sessions/{id}[?reason=text]
//            ends the session like a WHIP/WHEP DELETE; its close log line says
//            reason="kicked" with who asked and why; 404 when no worker has it
//   GET    /api/v1/upstreams[?vhost=]
//            {"node", "upstreams": [{vhost, app, stream, kind, node, state, ...}]}: what the
//            registered sources report (the cluster's pull and push links, AddUpstreamSource);
//            an empty list without them
//
// A vhost admin token sees and kicks its own vhost's sessions only (another vhost's session is
// 404, as if it did not exist).
//
// The sessions are read on their workers (sfu::SessionSnapshot) when asked, never per packet.
// Bitrates are measured between two requests for the same session (at least
// kMinRateWindowMs apart; until then, the average since the session connected).
//
// Control thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/AdminAuth.h"
#include "http/HttpRouter.h"
#include "http/NodeRunner.h"
#include "sfu/MediaPlane.h"
#include "sfu/SessionSnapshot.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

class AdminSessionsRoutes {
 public:
  // The running media plane; nullptr while it is not running.
  using PlaneSource = std::function<sfu::MediaPlane*()>;
  // The node's upstream links, by stream: each a JSON object (docs/api.md names the fields; the
  // shape of the cluster's UpstreamLink::ToJson). Control thread.
  using UpstreamSource = std::function<std::vector<std::pair<sfu::StreamKey, nlohmann::json>>()>;

  static constexpr uint64_t kMinRateWindowMs = 500;

  // Adds the routes to the runner's router.
  AdminSessionsRoutes(NodeRunner& runner, PlaneSource plane);
  AdminSessionsRoutes(const AdminSessionsRoutes&) = delete;
  AdminSessionsRoutes& operator=(const AdminSessionsRoutes&) = delete;

  void AddUpstreamSource(UpstreamSource source);

  // One session as GET /api/v1/sessions shows it.
  static nlohmann::json SessionJson(const sfu::SessionSnapshot& session, uint64_t now_ms,
                                    double bitrate_in_bps, double bitrate_out_bps);

 private:
  struct RateSample {
    uint64_t at_ms = 0;
    uint64_t bytes_in = 0;
    uint64_t bytes_out = 0;
    double in_bps = 0.0;
    double out_bps = 0.0;
    bool measured = false;  // the rates come from two samples
  };

  // The caller's rights; answers the refusal itself and returns nothing when refused.
  std::optional<AdminAuth::Result> Authorize(const net::HttpExchange& exchange) const;
  void HandleList(const net::HttpExchange& exchange);
  void HandleKick(const net::HttpExchange& exchange, const RouteParams& params);
  void HandleUpstreams(const net::HttpExchange& exchange);
  void RespondSessions(const net::HttpExchange& exchange, const AdminAuth::Result& rights,
                       std::vector<sfu::SessionSnapshot> sessions);
  // The rates of `session` now (updates its sample).
  std::pair<double, double> Rates(const sfu::SessionSnapshot& session, uint64_t now_ms);

  NodeRunner& runner_;
  PlaneSource plane_;
  std::vector<UpstreamSource> upstream_sources_;
  std::unordered_map<std::string, RateSample> rates_;  // by session id
};

}  // namespace tributary::http
