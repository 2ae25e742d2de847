#include "http/AdminSessionsRoutes.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <tuple>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "http/JsonResponse.h"

namespace tributary::http {

namespace {

constexpr size_t kMaxKickReason = 200;

// Runs `ask(worker)` on every worker of `plane`, then `done(answers)` on `reply_to` once all of
// them answered (never if a worker stops first).
template <typename T, typename Ask, typename Done>
void AskEveryWorker(sfu::MediaPlane& plane, boost::asio::io_context& reply_to, Ask ask, Done done) {
  struct Gather {
    std::vector<T> answers;
    size_t waiting = 0;
    Done done;
  };
  auto gather = std::make_shared<Gather>(Gather{{}, plane.WorkerCount(), std::move(done)});
  if (gather->waiting == 0) {
    boost::asio::post(reply_to, [gather] { gather->done(std::move(gather->answers)); });
    return;
  }
  for (size_t i = 0; i < plane.WorkerCount(); ++i) {
    sfu::MediaWorker* worker = &plane.Worker(i);
    worker->Post([worker, ask, gather, &reply_to] {
      T answer = ask(*worker);
      boost::asio::post(reply_to, [gather, answer = std::move(answer)]() mutable {
        gather->answers.push_back(std::move(answer));
        if (--gather->waiting == 0) gather->done(std::move(gather->answers));
      });
    });
  }
}

// The operator's words, safe inside a log line's quotes.
std::string CleanReason(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxKickReason)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += '\'';
    } else {
      out += (u < 0x20 || c == '\\' || u == 0x7f) ? ' ' : c;
    }
  }
  return out;
}

bool Matches(const net::Url& target, const char* name, const std::string& value) {
  const auto wanted = target.Param(name);
  return !wanted || wanted->empty() || *wanted == value;
}

}  // namespace

AdminSessionsRoutes::AdminSessionsRoutes(NodeRunner& runner, PlaneSource plane)
    : runner_(runner), plane_(std::move(plane)) {
  HttpRouter& router = runner.Router();
  router.Add(
      net::HttpMethod::get, "/api/v1/sessions",
      [this](const net::HttpExchange& exchange, const RouteParams&) { HandleList(exchange); });
  router.Add(net::HttpMethod::delete_, "/api/v1/sessions/{id}",
             [this](const net::HttpExchange& exchange, const RouteParams& params) {
               HandleKick(exchange, params);
             });
  router.Add(
      net::HttpMethod::get, "/api/v1/upstreams",
      [this](const net::HttpExchange& exchange, const RouteParams&) { HandleUpstreams(exchange); });
}

void AdminSessionsRoutes::AddUpstreamSource(UpstreamSource source) {
  upstream_sources_.push_back(std::move(source));
}

std::optional<AdminAuth::Result> AdminSessionsRoutes::Authorize(
    const net::HttpExchange& exchange) const {
  AdminAuth::Result rights =
      AdminAuth::Check(runner_.Config().admin_token, *runner_.Vhosts().Current(), exchange);
  if (!rights.Allowed()) {
    exchange.Respond(AdminAuth::Refusal(rights));
    return std::nullopt;
  }
  return rights;
}

void AdminSessionsRoutes::HandleList(const net::HttpExchange& exchange) {
  auto rights = Authorize(exchange);
  if (!rights) return;
  sfu::MediaPlane* plane = plane_();
  if (plane == nullptr) {
    RespondSessions(exchange, *rights, {});
    return;
  }
  using Snapshots = std::vector<sfu::SessionSnapshot>;
  AskEveryWorker<Snapshots>(
      *plane, runner_.Io(),
      [](sfu::MediaWorker& worker) {
        Snapshots out;
        out.reserve(worker.SessionCount());
        worker.ForEachSession([&](const sfu::Session& session) {
          if (!session.IsClosed()) out.push_back(sfu::SessionSnapshot::Of(session, worker.Index()));
        });
        return out;
      },
      [this, exchange, rights = *rights](std::vector<Snapshots> answers) {
        Snapshots all;
        for (auto& answer : answers) {
          std::move(answer.begin(), answer.end(), std::back_inserter(all));
        }
        RespondSessions(exchange, rights, std::move(all));
      });
}

void AdminSessionsRoutes::RespondSessions(const net::HttpExchange& exchange,
                                          const AdminAuth::Result& rights,
                                          std::vector<sfu::SessionSnapshot> sessions) {
  const uint64_t now_ms = base::NowMs();
  std::sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.key.vhost, a.key.app, a.key.stream, a.kind, a.created_ms, a.id) <
           std::tie(b.key.vhost, b.key.app, b.key.stream, b.kind, b.created_ms, b.id);
  });
  const net::Url& target = exchange.Target();
  const auto kind = target.Param("kind");
  nlohmann::json list = nlohmann::json::array();
  std::unordered_map<std::string, RateSample> kept;
  for (const sfu::SessionSnapshot& session : sessions) {
    const auto [in_bps, out_bps] = Rates(session, now_ms);
    kept.emplace(session.id, rates_[session.id]);
    if (!rights.Covers(session.key.vhost)) continue;
    if (!Matches(target, "vhost", session.key.vhost) || !Matches(target, "app", session.key.app) ||
        !Matches(target, "stream", session.key.stream)) {
      continue;
    }
    if (kind && !kind->empty() && *kind != sfu::SessionKindLabel(session.kind)) continue;
    list.push_back(SessionJson(session, now_ms, in_bps, out_bps));
  }
  rates_ = std::move(kept);  // forget the sessions that ended
  exchange.Respond(
      JsonResponse(net::HttpStatus::ok, {{"node", runner_.Config().id}, {"sessions", list}}));
}

std::pair<double, double> AdminSessionsRoutes::Rates(const sfu::SessionSnapshot& session,
                                                     uint64_t now_ms) {
  auto [it, fresh] = rates_.try_emplace(session.id);
  RateSample& sample = it->second;
  if (!fresh && now_ms >= sample.at_ms + kMinRateWindowMs) {
    const double seconds = static_cast<double>(now_ms - sample.at_ms) / 1000.0;
    sample.in_bps = static_cast<double>(session.rtp_bytes_in - sample.bytes_in) * 8.0 / seconds;
    sample.out_bps = static_cast<double>(session.rtp_bytes_out - sample.bytes_out) * 8.0 / seconds;
    sample.measured = true;
  } else if (!fresh) {
    if (!sample.measured && session.connected_ms != 0 && now_ms > session.connected_ms) {
      const double seconds = static_cast<double>(now_ms - session.connected_ms) / 1000.0;
      return {static_cast<double>(session.rtp_bytes_in) * 8.0 / seconds,
              static_cast<double>(session.rtp_bytes_out) * 8.0 / seconds};
    }
    return {sample.in_bps, sample.out_bps};  // too soon for a new measure
  } else if (session.connected_ms != 0 && now_ms > session.connected_ms) {
    // First sight: the average since the session connected.
    const double seconds = static_cast<double>(now_ms - session.connected_ms) / 1000.0;
    sample.in_bps = static_cast<double>(session.rtp_bytes_in) * 8.0 / seconds;
    sample.out_bps = static_cast<double>(session.rtp_bytes_out) * 8.0 / seconds;
  }
  sample.at_ms = now_ms;
  sample.bytes_in = session.rtp_bytes_in;
  sample.bytes_out = session.rtp_bytes_out;
  return {sample.in_bps, sample.out_bps};
}

nlohmann::json AdminSessionsRoutes::SessionJson(const sfu::SessionSnapshot& session,
                                                uint64_t now_ms, double bitrate_in_bps,
                                                double bitrate_out_bps) {
  const bool publish = session.kind == sfu::SessionKind::kIngest;
  nlohmann::json out = {
      {"id", session.id},
      {"vhost", session.key.vhost},
      {"app", session.key.app},
      {"stream", session.key.stream},
      {"kind", sfu::SessionKindLabel(session.kind)},
      {"role", sfu::ToString(session.role)},
      {"state", sfu::ToString(session.state)},
      {"remote", session.remote},
      {"worker", session.worker},
      {"tracks", session.tracks},
      {"age_seconds", static_cast<double>(now_ms - std::min(now_ms, session.created_ms)) / 1e3},
      {"age_ms", now_ms - std::min(now_ms, session.created_ms)},
      {"setup_ms", nullptr},
      {"bitrate_bps", std::llround(publish ? bitrate_in_bps : bitrate_out_bps)},
      {"bitrate_in_bps", std::llround(bitrate_in_bps)},
      {"bitrate_out_bps", std::llround(bitrate_out_bps)},
      {"rtp_packets_in", session.rtp_packets_in},
      {"rtp_bytes_in", session.rtp_bytes_in},
      {"rtp_packets_out", session.rtp_packets_out},
      {"rtp_bytes_out", session.rtp_bytes_out},
      {"packets_lost", session.packets_lost},
      {"loss", session.loss_fraction},
      {"rtt_ms", nullptr},
  };
  if (session.connected_ms != 0) out["setup_ms"] = session.connected_ms - session.created_ms;
  if (session.rtt_ms) out["rtt_ms"] = *session.rtt_ms;
  return out;
}

void AdminSessionsRoutes::HandleKick(const net::HttpExchange& exchange, const RouteParams& params) {
  auto rights = Authorize(exchange);
  if (!rights) return;
  const std::string id = params.Get("id");
  sfu::MediaPlane* plane = plane_();
  if (plane == nullptr) {
    exchange.Respond(JsonError(net::HttpStatus::not_found, "no session '" + id + "'"));
    return;
  }
  std::string detail = "by the admin API from " + exchange.Remote().ToString();
  if (const auto reason = exchange.Target().Param("reason"); reason && !reason->empty()) {
    detail += ": " + CleanReason(*reason);
  }
  struct Kicked {
    bool found = false;
    std::string vhost;
  };
  AskEveryWorker<Kicked>(
      *plane, runner_.Io(),
      [id, detail, scope = rights->vhost](sfu::MediaWorker& worker) {
        Kicked out;
        sfu::Session* session = worker.FindSession(id);
        if (session == nullptr || session->IsClosed()) return out;
        out.vhost = session->Key().vhost;
        if (!scope.empty() && scope != out.vhost) return out;  // not this caller's: unseen
        out.found = worker.CloseSession(id, sfu::SessionCloseReason::kKicked, detail);
        return out;
      },
      [exchange, id, detail](std::vector<Kicked> answers) {
        for (const Kicked& answer : answers) {
          if (!answer.found) continue;
          spdlog::info("admin: kicked session {} (vhost {}) {}", id, answer.vhost, detail);
          exchange.Respond(
              JsonResponse(net::HttpStatus::ok, {{"kicked", id}, {"vhost", answer.vhost}}));
          return;
        }
        exchange.Respond(JsonError(net::HttpStatus::not_found, "no session '" + id + "'"));
      });
}

void AdminSessionsRoutes::HandleUpstreams(const net::HttpExchange& exchange) {
  auto rights = Authorize(exchange);
  if (!rights) return;
  const auto vhost = exchange.Target().Param("vhost");
  nlohmann::json list = nlohmann::json::array();
  for (const UpstreamSource& source : upstream_sources_) {
    for (auto& [key, link] : source()) {
      if (!rights->Covers(key.vhost)) continue;
      if (vhost && !vhost->empty() && *vhost != key.vhost) continue;
      nlohmann::json row = {{"vhost", key.vhost}, {"app", key.app}, {"stream", key.stream}};
      if (link.is_object()) row.update(link);
      list.push_back(std::move(row));
    }
  }
  exchange.Respond(
      JsonResponse(net::HttpStatus::ok, {{"node", runner_.Config().id}, {"upstreams", list}}));
}

}  // namespace tributary::http
