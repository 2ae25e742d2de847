#include "origin/OriginNode.h"

#include <spdlog/spdlog.h>

#include "base/Clock.h"
#include "http/JsonResponse.h"

namespace tributary::origin {

namespace {

net::HttpClient::Options ClientOptions(const config::NodeConfig& config) {
  net::HttpClient::Options options;
  options.ca_file = config.cluster.ca_file;
  return options;
}

}  // namespace

OriginNode::OriginNode(http::NodeRunner& runner)
    : runner_(runner),
      self_(cluster::NodeIdentity::FromConfig(runner.Config())),
      auth_(runner.Config().cluster.secret, self_.id),
      grants_(runner.Config().cluster.secret),
      routes_(runner.Router(), auth_),
      directory_(runner.Io(), self_, auth_, ClientOptions(runner.Config()),
                 cluster::StreamDirectory::Options::FromConfig(runner.Config()), runner.Metrics(),
                 *this),
      edges_(runner.Config().cluster.peer_dead_after),
      redirector_(cluster::RegionMap(runner.Config().cluster.region_map), edges_, grants_,
                  runner.Metrics()),
      heartbeats_(self_,
                  [this](const cluster::Heartbeat& heartbeat) {
                    if (heartbeat.from.role == config::NodeRole::kEdge)
                      edges_.Record(heartbeat, base::NowMs());
                  }),
      media_(std::make_unique<http::MediaService>(runner)),
      admission_(std::make_unique<cluster::OriginAdmission>(auth_, grants_, self_, directory_,
                                                            redirector_, media_->WhipWhep())) {
  media_->WhipWhep().SetAdmission(admission_.get());
  admission_->SetPinning(cluster::OriginPinning(runner.Vhosts()));
  heartbeats_.AddRoutes(routes_);
  directory_.AddRoutes(routes_);
  runner.Router().Add(net::HttpMethod::get, "/api/v1/cluster",
                      [this](const net::HttpExchange& exchange, const http::RouteParams&) {
                        exchange.Respond(http::JsonResponse(net::HttpStatus::ok, ClusterView()));
                      });
}

OriginNode::~OriginNode() {
  media_->WhipWhep().SetAdmission(nullptr);
}

void OriginNode::Start() {
  spdlog::info("origin {}: {} peer(s), {} region rule(s)", self_.id,
               runner_.Config().Upstreams().size(), runner_.Config().cluster.region_map.size());
  media_->Start();
  directory_.Start();
}

void OriginNode::Stop() {
  media_->Stop();
  directory_.Stop();
}

nlohmann::json OriginNode::ClusterView() const {
  return {{"node", self_.id},
          {"role", "origin"},
          {"region", self_.region},
          {"instance", self_.instance},
          {"peers", directory_.Peers().ToJson()},
          {"directory", directory_.ToJson()},
          {"edges", edges_.ToJson(base::NowMs())}};
}

void OriginNode::OnStreamAnnounced(const cluster::DirectoryEntry& entry) {
  spdlog::debug("origin: {} is live on origin {}", entry.key.ToString(), entry.owner);
}

void OriginNode::OnStreamRemoved(const cluster::DirectoryEntry& entry,
                                 cluster::StreamDirectory::RemovalReason reason) {
  spdlog::debug("origin: {} of origin {} is gone ({})", entry.key.ToString(), entry.owner,
                cluster::StreamDirectory::ToString(reason));
}

void OriginNode::OnLocalClaimLost(const sfu::StreamKey& key,
                                  const cluster::DirectoryEntry& winner) {
  admission_->OnLocalClaimLost(key, winner);
}

}  // namespace tributary::origin
