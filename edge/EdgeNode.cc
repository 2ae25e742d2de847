#include "edge/EdgeNode.h"

#include <spdlog/spdlog.h>

#include "http/JsonResponse.h"

namespace tributary::edge {

namespace {

net::HttpClient::Options ClientOptions(const config::NodeConfig& config) {
  net::HttpClient::Options options;
  options.ca_file = config.cluster.ca_file;
  return options;
}

}  // namespace

EdgeNode::EdgeNode(http::NodeRunner& runner)
    : runner_(runner),
      self_(cluster::NodeIdentity::FromConfig(runner.Config())),
      auth_(runner.Config().cluster.secret, self_.id),
      grants_(runner.Config().cluster.secret),
      pool_(runner.Io(), self_, auth_, ClientOptions(runner.Config()),
            cluster::OriginPool::Options::FromConfig(runner.Config()), runner.Metrics(), *this),
      media_(std::make_unique<http::MediaService>(runner)),
      links_(std::make_unique<cluster::UpstreamLinks>(
          runner.Io(), auth_, ClientOptions(runner.Config()), pool_, *media_, runner.Metrics(),
          cluster::UpstreamLinks::Settings::FromConfig(runner.Config().cluster))),
      admission_(std::make_unique<cluster::EdgeAdmission>(
          auth_, grants_, self_, runner.Io(), ClientOptions(runner.Config()), pool_, *links_,
          media_->WhipWhep(), runner.Config().cluster.upstream_timeout_ms)) {
  media_->WhipWhep().SetAdmission(admission_.get());
  pool_.SetPinning(cluster::OriginPinning(runner.Vhosts()));
  media_->SetUpstreamListing([this] { return links_->Listing(); });
  media_->Admin().AddUpstreamSource([this] { return links_->Listing(); });
  pool_.SetLoadSource([this] {
    const http::MediaService::Load& load = media_->CurrentLoad();
    return cluster::NodeLoad{load.sessions, load.bitrate_bps};
  });
  runner.Router().Add(
      net::HttpMethod::get, "/api/v1/cluster",
      [this](const net::HttpExchange& exchange, const http::RouteParams&) {
        exchange.Respond(http::JsonResponse(net::HttpStatus::ok, ClusterView(exchange)));
      });
}

EdgeNode::~EdgeNode() {
  media_->WhipWhep().SetAdmission(nullptr);
  media_->SetUpstreamListing(nullptr);
  pool_.SetLoadSource(nullptr);
}

void EdgeNode::Start() {
  spdlog::info("edge {}: {} origin(s), policy {}", self_.id, runner_.Config().Upstreams().size(),
               config::ToString(pool_.Policy()));
  media_->Start();
  links_->Start();
  pool_.Start();
}

void EdgeNode::Stop() {
  links_->Stop();  // before the media workers: the links' sessions live there
  media_->Stop();
  pool_.Stop();
}

nlohmann::json EdgeNode::ClusterView(const net::HttpExchange& exchange) const {
  nlohmann::json view = pool_.ToJson();
  view["node"] = self_.id;
  view["role"] = "edge";
  view["region"] = self_.region;
  view["instance"] = self_.instance;
  // The order a stream would try the origins in (with the failover policy, every stream the
  // same; with hash, name the stream with ?vhost=&app=&stream=).
  const sfu::StreamKey key{exchange.Target().Param("vhost").value_or(""),
                           exchange.Target().Param("app").value_or(""),
                           exchange.Target().Param("stream").value_or("")};
  nlohmann::json pick = nlohmann::json::array();
  for (const auto& candidate : pool_.PickFor(key))
    pick.push_back(candidate.id);
  view["pick"] = std::move(pick);
  return view;
}

void EdgeNode::OnOriginHealthChanged(const std::string& id, bool healthy) {
  spdlog::info("edge: origin {} is {}", id, healthy ? "up" : "down");
  links_->OnOriginHealthChanged(id, healthy);
}

}  // namespace tributary::edge
