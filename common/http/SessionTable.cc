#include "http/SessionTable.h"

namespace tributary::http {

bool SessionTable::Add(SessionResource resource) {
  std::string id = resource.id;
  return resources_.emplace(std::move(id), std::move(resource)).second;
}

const SessionResource* SessionTable::Find(const std::string& id) const {
  const auto it = resources_.find(id);
  return it != resources_.end() ? &it->second : nullptr;
}

SessionResource* SessionTable::Find(const std::string& id) {
  const auto it = resources_.find(id);
  return it != resources_.end() ? &it->second : nullptr;
}

bool SessionTable::Remove(const std::string& id) {
  return resources_.erase(id) != 0;
}

size_t SessionTable::Count(sfu::SessionKind kind) const {
  size_t count = 0;
  for (const auto& [id, resource] : resources_)
    count += resource.kind == kind ? 1 : 0;
  return count;
}

size_t SessionTable::Count(const sfu::StreamKey& key, sfu::SessionKind kind) const {
  size_t count = 0;
  for (const auto& [id, resource] : resources_)
    count += resource.kind == kind && resource.key == key ? 1 : 0;
  return count;
}

std::vector<SessionResource> SessionTable::Find(const sfu::StreamKey& key,
                                                sfu::SessionKind kind) const {
  std::vector<SessionResource> out;
  for (const auto& [id, resource] : resources_) {
    if (resource.kind == kind && resource.key == key) out.push_back(resource);
  }
  return out;
}

}  // namespace tributary::http
