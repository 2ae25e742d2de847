#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/ClusterRoutes.h"
#include "cluster/EdgeRegistry.h"
#include "cluster/HeartbeatResponder.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginAdmission.h"
#include "cluster/RedirectGrant.h"
#include "cluster/StreamDirectory.h"
#include "cluster/ViewerRedirector.h"
#include "http/MediaService.h"
#include "http/NodeRunner.h"

namespace tributary::origin {

// The origin role: the cluster control plane of an origin (stream directory shared with the
// peers, edges known from their heartbeats, viewer redirects), its /cluster/v1/ routes and
// GET /api/v1/cluster; and WHIP/WHEP on its media workers (MediaService), under the cluster's
// rules (OriginAdmission: owner redirects, nearest-edge redirects, announces, 409s).
class OriginNode : public http::NodeRunner::Role, private cluster::StreamDirectory::Listener {
 public:
  explicit OriginNode(http::NodeRunner& runner);
  ~OriginNode() override;

  void Start() override;
  void Stop() override;
  size_t OpenSessions() const override { return media_->WhipWhep().Sessions().Size(); }

  cluster::StreamDirectory& Directory() { return directory_; }
  cluster::ViewerRedirector& Redirector() { return redirector_; }

  // GET /api/v1/cluster: {"node","role","region","peers":[...],"directory":{...},"edges":[...]}
  nlohmann::json ClusterView() const;

 private:
  // cluster::StreamDirectory::Listener
  void OnStreamAnnounced(const cluster::DirectoryEntry& entry) override;
  void OnStreamRemoved(const cluster::DirectoryEntry& entry,
                       cluster::StreamDirectory::RemovalReason reason) override;
  void OnLocalClaimLost(const sfu::StreamKey& key, const cluster::DirectoryEntry& winner) override;

  http::NodeRunner& runner_;
  cluster::NodeIdentity self_;
  cluster::ClusterAuth auth_;
  cluster::RedirectGrant grants_;
  cluster::ClusterRoutes routes_;
  cluster::StreamDirectory directory_;
  cluster::EdgeRegistry edges_;
  cluster::ViewerRedirector redirector_;
  cluster::HeartbeatResponder heartbeats_;
  std::unique_ptr<http::MediaService> media_;  // WHIP/WHEP and the media workers
  std::unique_ptr<cluster::OriginAdmission> admission_;
};

}  // namespace tributary::origin
