#include "cluster/ViewerRedirector.h"

#include <spdlog/spdlog.h>

#include "base/Clock.h"
#include "cluster/ClusterAuth.h"
#include "cluster/DirectoryEntry.h"
#include "config/ValueSyntax.h"

namespace tributary::cluster {

ViewerRedirector::ViewerRedirector(RegionMap regions, EdgeRegistry& edges,
                                   const RedirectGrant& grants, metrics::Metrics& metrics)
    : regions_(std::move(regions)), edges_(edges), grants_(grants), metrics_(metrics) {}

std::optional<std::string> ViewerRedirector::RegionOf(
    const net::Endpoint& client, std::optional<std::string_view> region_hint) const {
  if (region_hint && config::CheckName(*region_hint).empty()) return std::string(*region_hint);
  return regions_.RegionOf(client);
}

std::optional<std::string> ViewerRedirector::RedirectFor(const net::HttpExchange& exchange,
                                                         const sfu::StreamKey& key) {
  if (!exchange.Request()[ClusterAuth::kSignatureHeader].empty()) return std::nullopt;
  const auto hint = exchange.Target().Param(kRegionParam);
  return RedirectFor(key, exchange.Remote(),
                     hint ? std::optional<std::string_view>(*hint) : std::nullopt);
}

std::optional<std::string> ViewerRedirector::RedirectFor(
    const sfu::StreamKey& key, const net::Endpoint& client,
    std::optional<std::string_view> region_hint) {
  return RedirectFor(key, client, region_hint, base::NowMs(), base::WallClockUs() / 1000);
}

std::optional<std::string> ViewerRedirector::RedirectFor(
    const sfu::StreamKey& key, const net::Endpoint& client,
    std::optional<std::string_view> region_hint, uint64_t now_ms, uint64_t now_unix_ms) {
  const auto region = RegionOf(client, region_hint);
  if (!region) return std::nullopt;
  const auto edge = edges_.LeastLoaded(*region, now_ms);
  if (!edge) return std::nullopt;
  edges_.NoteRedirect(edge->id);
  metrics_.Redirects().Add({{"reason", "nearest_edge"}}).Increment();
  spdlog::debug("viewer {} of {} (region {}) sent to edge {}", client.ToString(), key.ToString(),
                *region, edge->id);
  return WhepUrlOf(edge->url, key) + "&" + std::string(RedirectGrant::kQueryParam) + "=" +
         grants_.Issue(key, edge->id, now_unix_ms);
}

}  // namespace tributary::cluster
