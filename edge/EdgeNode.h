#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/EdgeAdmission.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginPool.h"
#include "cluster/RedirectGrant.h"
#include "cluster/UpstreamLinks.h"
#include "http/MediaService.h"
#include "http/NodeRunner.h"

namespace tributary::edge {

// The edge role: the pool of origins it heartbeats (with its load) and picks from (OriginPool),
// GET /api/v1/cluster; WHIP/WHEP on its media workers (MediaService) under the cluster's rules
// (EdgeAdmission: grants, pulls for viewers, pushes for publishers), and the upstream links
// (UpstreamLinks).
class EdgeNode : public http::NodeRunner::Role, private cluster::OriginPool::Listener {
 public:
  explicit EdgeNode(http::NodeRunner& runner);
  ~EdgeNode() override;

  void Start() override;
  void Stop() override;
  // The heartbeats say "draining": the origins send this edge no new viewers.
  void Drain() override { pool_.SetDraining(true); }
  size_t OpenSessions() const override { return media_->WhipWhep().Sessions().Size(); }

  cluster::OriginPool& Origins() { return pool_; }
  const cluster::RedirectGrant& Grants() const { return grants_; }

  // GET /api/v1/cluster: {"node","role","region","policy","origins":[...]} and, with
  // ?vhost=&app=&stream=, "pick": the origin order for that stream.
  nlohmann::json ClusterView(const net::HttpExchange& exchange) const;

 private:
  // cluster::OriginPool::Listener
  void OnOriginHealthChanged(const std::string& id, bool healthy) override;

  http::NodeRunner& runner_;
  cluster::NodeIdentity self_;
  cluster::ClusterAuth auth_;
  cluster::RedirectGrant grants_;
  cluster::OriginPool pool_;
  std::unique_ptr<http::MediaService> media_;  // WHIP/WHEP and the media workers
  std::unique_ptr<cluster::UpstreamLinks> links_;
  std::unique_ptr<cluster::EdgeAdmission> admission_;
};

}  // namespace tributary::edge
