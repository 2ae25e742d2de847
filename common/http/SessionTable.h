#pragma once

// The WHIP/WHEP resources this node serves: resource id -> the session's worker, kind, stream
// and current ETag. The control thread's view, kept in step with the workers by the service
// (added when a session is created, removed on DELETE or when its worker reports it closed).

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

struct SessionResource {
  std::string id;
  sfu::SessionKind kind = sfu::SessionKind::kIngest;
  size_t worker = 0;
  sfu::StreamKey key;
  std::string etag;  // quoted, as sent in the ETag header
  std::string node;  // the cluster node that made the session (a signed request); else empty
};

class SessionTable {
 public:
  // False when the id is taken.
  bool Add(SessionResource resource);
  const SessionResource* Find(const std::string& id) const;
  SessionResource* Find(const std::string& id);
  bool Remove(const std::string& id);
  size_t Size() const { return resources_.size(); }
  size_t Count(sfu::SessionKind kind) const;
  size_t Count(const sfu::StreamKey& key, sfu::SessionKind kind) const;
  // The resources of `key` of that kind (copies).
  std::vector<SessionResource> Find(const sfu::StreamKey& key, sfu::SessionKind kind) const;

  template <typename F>
  void ForEach(F&& fn) const {
    for (const auto& [id, resource] : resources_)
      fn(resource);
  }

 private:
  std::unordered_map<std::string, SessionResource> resources_;
};

}  // namespace tributary::http
