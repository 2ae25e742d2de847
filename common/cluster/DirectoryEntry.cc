#include "cluster/DirectoryEntry.h"

#include <tuple>

#include "net/Url.h"

namespace tributary::cluster {

namespace {

constexpr size_t kMaxNameBytes = 256;

bool ReadName(const nlohmann::json& json, const char* key, std::string& out) {
  const auto it = json.find(key);
  if (it == json.end() || !it->is_string()) return false;
  const auto& value = it->get_ref<const std::string&>();
  if (value.empty() || value.size() > kMaxNameBytes) return false;
  out = value;
  return true;
}

bool ReadNumber(const nlohmann::json& json, const char* key, uint64_t& out) {
  const auto it = json.find(key);
  if (it == json.end() || !it->is_number_unsigned()) return false;
  out = it->get<uint64_t>();
  return true;
}

}  // namespace

bool DirectoryEntry::Beats(const DirectoryEntry& other) const {
  return std::tie(since_ms, owner) < std::tie(other.since_ms, other.owner);
}

std::string WhepUrlOf(const std::string& base_url, const sfu::StreamKey& key) {
  return base_url + "/whep/" + net::Url::PercentEncode(key.app) + "/" +
         net::Url::PercentEncode(key.stream) + "?vhost=" + net::Url::PercentEncode(key.vhost);
}

std::string DirectoryEntry::WhepUrl() const {
  return WhepUrlOf(owner_url, key);
}

nlohmann::json DirectoryEntry::ToJson() const {
  return {{"vhost", key.vhost}, {"app", key.app},     {"stream", key.stream}, {"owner", owner},
          {"url", owner_url},   {"version", version}, {"since_ms", since_ms}};
}

std::optional<sfu::StreamKey> DirectoryEntry::KeyFromJson(const nlohmann::json& json) {
  sfu::StreamKey key;
  if (!json.is_object() || !ReadName(json, "vhost", key.vhost) || !ReadName(json, "app", key.app) ||
      !ReadName(json, "stream", key.stream)) {
    return std::nullopt;
  }
  return key;
}

std::optional<DirectoryEntry> DirectoryEntry::FromJson(const nlohmann::json& json) {
  auto key = KeyFromJson(json);
  if (!key) return std::nullopt;
  DirectoryEntry entry;
  entry.key = std::move(*key);
  if (!ReadName(json, "owner", entry.owner) || !ReadName(json, "url", entry.owner_url) ||
      !ReadNumber(json, "version", entry.version) ||
      !ReadNumber(json, "since_ms", entry.since_ms)) {
    return std::nullopt;
  }
  return entry;
}

}  // namespace tributary::cluster
