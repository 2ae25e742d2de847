#pragma once

#include <functional>

#include "cluster/ClusterRoutes.h"
#include "cluster/Heartbeat.h"
#include "cluster/NodeIdentity.h"

namespace tributary::cluster {

// Serves POST /cluster/v1/heartbeat on an origin: answers every signed heartbeat with this
// node's identity (which is what tells the sender we are alive) and hands the heartbeat to
// `on_heartbeat` (an edge's load and region for the EdgeRegistry). A heartbeat whose "node" is
// not the node that signed it gets 403; a malformed one 400.
class HeartbeatResponder {
 public:
  using HeartbeatHandler = std::function<void(const Heartbeat&)>;

  // `self` outlives this object.
  HeartbeatResponder(const NodeIdentity& self, HeartbeatHandler on_heartbeat);

  void AddRoutes(ClusterRoutes& routes);

 private:
  void Handle(const net::HttpExchange& exchange, const std::string& sender);

  const NodeIdentity& self_;
  HeartbeatHandler on_heartbeat_;
};

}  // namespace tributary::cluster
