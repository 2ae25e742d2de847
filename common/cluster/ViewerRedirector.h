#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cluster/EdgeRegistry.h"
#include "cluster/RedirectGrant.h"
#include "cluster/RegionMap.h"
#include "metrics/Metrics.h"
#include "net/Endpoint.h"
#include "net/HttpExchange.h"
#include "sfu/StreamKey.h"

namespace tributary::cluster {

// Sends a viewer who asked an origin for a stream to the nearest edge instead. The viewer's
// region is `?region=` when the request has a valid one, else the region_map block holding the
// client address; the least-loaded live, non-draining edge of that region (EdgeRegistry) gets
// the viewer: the answer is the Location of a 307 to that edge's WHEP URL for the same vhost,
// app and stream, with a RedirectGrant (?grant=) so that the edge admits the viewer even when
// the browser drops the Authorization header on the way. No region, or no such edge: nullopt,
// and the origin serves the viewer itself. Counts tributary_redirects_total{reason=
// "nearest_edge"}. Control thread only (the registry is).
class ViewerRedirector {
 public:
  static constexpr std::string_view kRegionParam = "region";

  // `edges`, `grants` and `metrics` outlive the redirector.
  ViewerRedirector(RegionMap regions, EdgeRegistry& edges, const RedirectGrant& grants,
                   metrics::Metrics& metrics);

  // For a WHEP request: nullopt for a request that carries the cluster credential (an edge
  // pulling the stream is never redirected to an edge), else as below with its ?region= and
  // remote address. The WHEP handler calls it once the viewer is authorized.
  std::optional<std::string> RedirectFor(const net::HttpExchange& exchange,
                                         const sfu::StreamKey& key);
  std::optional<std::string> RedirectFor(const sfu::StreamKey& key, const net::Endpoint& client,
                                         std::optional<std::string_view> region_hint);
  // The same at given clocks: monotonic for the registry, Unix for the grant.
  std::optional<std::string> RedirectFor(const sfu::StreamKey& key, const net::Endpoint& client,
                                         std::optional<std::string_view> region_hint,
                                         uint64_t now_ms, uint64_t now_unix_ms);

  // The hint when it is a valid region name, else the region of the address, else nullopt.
  std::optional<std::string> RegionOf(const net::Endpoint& client,
                                      std::optional<std::string_view> region_hint) const;

 private:
  RegionMap regions_;
  EdgeRegistry& edges_;
  const RedirectGrant& grants_;
  metrics::Metrics& metrics_;
};

}  // namespace tributary::cluster
