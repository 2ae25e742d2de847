#pragma once

#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginPool.h"
#include "cluster/RedirectGrant.h"
#include "http/NodeRunner.h"

namespace tributary::edge {

// The edge role: the pool of origins it heartbeats and picks from (OriginPool) and the
// RedirectGrant check for viewers an origin sent here, plus GET /api/v1/cluster. The media
// layer (upstream links, WHEP) reaches them through the accessors.
class EdgeNode : public http::NodeRunner::Role, private cluster::OriginPool::Listener {
 public:
  explicit EdgeNode(http::NodeRunner& runner);

  void Start() override;
  void Stop() override;

  cluster::OriginPool& Origins() { return pool_; }
  const cluster::RedirectGrant& Grants() const { return grants_; }

  // GET /api/v1/cluster: {"node","role","region","policy","origins":[...]} and, with
  // ?vhost=&app=&stream=, "pick": the origin order for that stream.
  nlohmann::json ClusterView(const net::HttpExchange& exchange) const;

 private:
  // cluster::OriginPool::Listener (logged; upstream links take it over when wired).
  void OnOriginHealthChanged(const std::string& id, bool healthy) override;

  http::NodeRunner& runner_;
  cluster::NodeIdentity self_;
  cluster::ClusterAuth auth_;
  cluster::RedirectGrant grants_;
  cluster::OriginPool pool_;
};

}  // namespace tributary::edge
