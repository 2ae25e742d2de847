#include "cluster/StreamDirectory.h"

#include <algorithm>
#include <tuple>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "http/JsonResponse.h"
#include "net/Url.h"

namespace tributary::cluster {

namespace {

using std::chrono::milliseconds;

nlohmann::json ParseBody(const net::HttpExchange& exchange) {
  return nlohmann::json::parse(exchange.Request().body(), nullptr, false);
}

uint64_t WallClockMs() {
  return base::WallClockUs() / 1000;
}

}  // namespace

const char* StreamDirectory::ToString(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::kUnannounced:
      return "unannounced";
    case RemovalReason::kOwnerDead:
      return "owner dead";
    case RemovalReason::kSynced:
      return "not in the owner's list";
    case RemovalReason::kConflict:
      return "an earlier claim won";
    case RemovalReason::kSuperseded:
      return "taken over from an owner that no longer answers";
  }
  return "?";
}

StreamDirectory::Options StreamDirectory::Options::FromConfig(const config::NodeConfig& config) {
  Options options;
  for (const config::ClusterNode* peer : config.Upstreams())
    options.peers.push_back({peer->id, peer->url});
  options.heartbeat_ms = config.cluster.heartbeat_ms;
  options.dead_after = config.cluster.peer_dead_after;
  options.full_sync_ms = config.cluster.full_sync_ms;
  options.lookup_timeout_ms = std::min<uint32_t>(1000, config.cluster.upstream_timeout_ms);
  return options;
}

StreamDirectory::StreamDirectory(boost::asio::io_context& io, const NodeIdentity& self,
                                 const ClusterAuth& auth, net::HttpClient::Options http,
                                 Options options, metrics::Metrics& metrics, Listener& listener)
    : io_(io),
      self_(self),
      options_(std::move(options)),
      metrics_(metrics),
      listener_(listener),
      client_(io, auth, std::move(http)),
      monitor_(
          io, client_, options_.peers, {options_.heartbeat_ms, options_.dead_after},
          [this] {
            Heartbeat heartbeat;
            heartbeat.from = self_;
            heartbeat.interval_ms = options_.heartbeat_ms;
            return heartbeat;
          },
          metrics, *this),
      // Larger than any version of this node's earlier runs (unless the clock went back).
      version_(base::WallClockUs()),
      sync_timer_(io) {
  options_.message_attempts = std::max<uint32_t>(options_.message_attempts, 1);
  for (const PeerMonitor::Target& peer : options_.peers) {
    auto outbox = std::make_unique<Outbox>();
    outbox->peer = peer.id;
    outbox->url = peer.url;
    outbox->retry = std::make_unique<boost::asio::steady_timer>(io);
    outboxes_.push_back(std::move(outbox));
  }
  UpdateGauge();
}

StreamDirectory::~StreamDirectory() {
  Stop();
}

void StreamDirectory::Start() {
  if (running_) return;
  running_ = true;
  monitor_.Start();
  ScheduleSync();
}

void StreamDirectory::Stop() {
  running_ = false;
  monitor_.Stop();
  sync_timer_.cancel();
  for (auto& outbox : outboxes_) {
    outbox->retry->cancel();
    outbox->queue.clear();
  }
  for (auto& [key, pending] : lookups_)
    pending.timer->cancel();
  lookups_.clear();
}

void StreamDirectory::AddRoutes(ClusterRoutes& routes) {
  routes.Add(net::HttpMethod::post, "announce",
             [this](const net::HttpExchange& exchange, const http::RouteParams&,
                    const std::string& sender) { HandleAnnounce(exchange, sender); });
  routes.Add(net::HttpMethod::post, "unannounce",
             [this](const net::HttpExchange& exchange, const http::RouteParams&,
                    const std::string& sender) { HandleUnannounce(exchange, sender); });
  routes.Add(net::HttpMethod::get, "streams/{vhost}/{app}/{stream}",
             [this](const net::HttpExchange& exchange, const http::RouteParams& params,
                    const std::string&) { HandleStream(exchange, params); });
  routes.Add(net::HttpMethod::get, "directory",
             [this](const net::HttpExchange& exchange, const http::RouteParams&,
                    const std::string&) { HandleDirectory(exchange); });
}

// --- the media layer's side ---

std::optional<DirectoryEntry> StreamDirectory::AnnounceLocal(const sfu::StreamKey& key) {
  if (const auto it = entries_.find(key); it != entries_.end()) {
    if (it->second.owner == self_.id) return std::nullopt;
    return it->second;
  }
  DirectoryEntry entry{key, self_.id, self_.url, NextVersion(), WallClockMs()};
  entries_.emplace(key, entry);
  std::optional<DirectoryEntry> replaces;
  if (const auto it = superseded_.find(key); it != superseded_.end()) {
    replaces = it->second;
    superseded_.erase(it);
  } else {
    tombstones_.erase(key);
  }
  UpdateGauge();
  if (replaces) {
    spdlog::info("directory: {} announced by this origin, replacing the claim of {}",
                 key.ToString(), replaces->owner);
  } else {
    spdlog::info("directory: {} announced by this origin", key.ToString());
  }
  Broadcast({true, entry, std::move(replaces)});
  FinishLookup(key);
  return std::nullopt;
}

void StreamDirectory::UnannounceLocal(const sfu::StreamKey& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.owner != self_.id) return;
  DirectoryEntry entry = it->second;
  entries_.erase(it);
  superseded_.erase(key);
  UpdateGauge();
  entry.version = NextVersion();
  spdlog::info("directory: {} unannounced by this origin", key.ToString());
  Broadcast({false, std::move(entry), std::nullopt});
}

void StreamDirectory::VerifyOwner(const DirectoryEntry& entry,
                                  std::function<void(bool confirmed)> callback) {
  const sfu::StreamKey& key = entry.key;
  const std::string path = "/cluster/v1/streams/" + net::Url::PercentEncode(key.vhost) + "/" +
                           net::Url::PercentEncode(key.app) + "/" +
                           net::Url::PercentEncode(key.stream);
  const std::string* url = PeerUrl(entry.owner);
  client_.Get((url != nullptr ? *url : entry.owner_url) + path,
              milliseconds(options_.lookup_timeout_ms),
              [owner = entry.owner, key, callback = std::move(callback),
               life = std::weak_ptr<int>(life_)](net::HttpClientResult result) {
                if (life.expired()) return;
                bool confirmed = false;
                if (result.Ok() && result.status == 200) {
                  const auto answer =
                      DirectoryEntry::FromJson(nlohmann::json::parse(result.body, nullptr, false));
                  confirmed = answer && answer->owner == owner;
                }
                spdlog::info("directory: origin {} {} its claim on {}{}", owner,
                             confirmed ? "confirms" : "does not confirm", key.ToString(),
                             result.Ok() ? " (HTTP " + std::to_string(result.status) + ")"
                                         : " (" + result.error + ")");
                callback(confirmed);
              });
}

void StreamDirectory::Supersede(const DirectoryEntry& stale) {
  const auto it = entries_.find(stale.key);
  if (it != entries_.end() && it->second.owner == stale.owner && it->second.owner != self_.id) {
    Remove(stale.key, RemovalReason::kSuperseded);
  }
  Tombstone& tomb = tombstones_[stale.key];
  tomb = {stale.owner, stale.version, base::NowMs() + 2ull * options_.full_sync_ms};
  superseded_[stale.key] = stale;
}

void StreamDirectory::DropReplaced(const DirectoryEntry& stale) {
  const auto it = entries_.find(stale.key);
  if (it == entries_.end() || it->second.owner != stale.owner ||
      it->second.version > stale.version) {
    return;
  }
  if (stale.owner == self_.id) return;  // our own claim is ours to give up
  Remove(stale.key, RemovalReason::kSuperseded);
  Tombstone& tomb = tombstones_[stale.key];
  if (tomb.owner != stale.owner || tomb.version < stale.version) {
    tomb = {stale.owner, stale.version, 0};
  }
  tomb.expires_ms = base::NowMs() + 2ull * options_.full_sync_ms;
}

void StreamDirectory::Lookup(const sfu::StreamKey& key, LookupCallback callback) {
  if (auto entry = OwnerOf(key)) {
    boost::asio::post(io_, [callback = std::move(callback), entry = std::move(*entry)]() mutable {
      callback(std::move(entry));
    });
    return;
  }
  if (const auto it = lookups_.find(key); it != lookups_.end()) {
    it->second.callbacks.push_back(std::move(callback));
    return;
  }
  std::vector<const Outbox*> alive;
  for (const auto& outbox : outboxes_) {
    if (monitor_.IsAlive(outbox->peer)) alive.push_back(outbox.get());
  }
  if (alive.empty() || !running_) {
    boost::asio::post(io_, [callback = std::move(callback)] { callback(std::nullopt); });
    return;
  }
  PendingLookup& pending = lookups_[key];
  pending.callbacks.push_back(std::move(callback));
  pending.outstanding = alive.size();
  pending.timer = std::make_unique<boost::asio::steady_timer>(io_);
  pending.timer->expires_after(milliseconds(options_.lookup_timeout_ms));
  pending.timer->async_wait(
      [this, key, life = std::weak_ptr<int>(life_)](boost::system::error_code ec) {
        if (ec || life.expired()) return;
        FinishLookup(key);
      });
  const std::string path = "/cluster/v1/streams/" + net::Url::PercentEncode(key.vhost) + "/" +
                           net::Url::PercentEncode(key.app) + "/" +
                           net::Url::PercentEncode(key.stream);
  for (const Outbox* peer : alive) {
    client_.Get(peer->url + path, milliseconds(options_.lookup_timeout_ms),
                [this, key, peer_id = peer->peer,
                 life = std::weak_ptr<int>(life_)](net::HttpClientResult result) {
                  if (life.expired()) return;
                  const auto it = lookups_.find(key);
                  if (it == lookups_.end()) return;  // answered or timed out already
                  const bool last = --it->second.outstanding == 0;
                  if (result.Ok() && result.status == 200) {
                    const auto entry = DirectoryEntry::FromJson(
                        nlohmann::json::parse(result.body, nullptr, false));
                    // Cache only what an alive peer of ours owns: nothing else would ever
                    // remove it.
                    if (entry && entry->key == key && monitor_.IsAlive(entry->owner)) {
                      ApplyRemote(*entry, nullptr);
                    } else if (entry) {
                      spdlog::debug("directory: {} answered {} owned by {}, not a live peer",
                                    peer_id, key.ToString(), entry->owner);
                    }
                  }
                  // ApplyRemote may have finished it already; FinishLookup is then a no-op.
                  if (last || entries_.count(key)) FinishLookup(key);
                });
  }
}

void StreamDirectory::FinishLookup(const sfu::StreamKey& key) {
  const auto it = lookups_.find(key);
  if (it == lookups_.end()) return;
  std::vector<LookupCallback> callbacks = std::move(it->second.callbacks);
  it->second.timer->cancel();
  lookups_.erase(it);
  const auto entry = OwnerOf(key);
  for (auto& callback : callbacks)
    callback(entry);
}

std::optional<DirectoryEntry> StreamDirectory::OwnerOf(const sfu::StreamKey& key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> StreamDirectory::RedirectToOwner(const sfu::StreamKey& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.owner == self_.id) return std::nullopt;
  metrics_.Redirects().Add({{"reason", "owner"}}).Increment();
  return it->second.WhepUrl();
}

// --- the table ---

StreamDirectory::Applied StreamDirectory::ApplyRemote(const DirectoryEntry& entry,
                                                      DirectoryEntry* winner) {
  if (entry.owner == self_.id) return Applied::kStale;  // our own claims are ours to state
  if (const auto tomb = tombstones_.find(entry.key); tomb != tombstones_.end() &&
                                                     tomb->second.owner == entry.owner &&
                                                     tomb->second.version >= entry.version) {
    return Applied::kStale;
  }
  const auto it = entries_.find(entry.key);
  if (it == entries_.end()) {
    entries_.emplace(entry.key, entry);
    UpdateGauge();
    spdlog::debug("directory: {} owned by {}", entry.key.ToString(), entry.owner);
    listener_.OnStreamAnnounced(entry);
    FinishLookup(entry.key);
    return Applied::kAccepted;
  }
  DirectoryEntry& current = it->second;
  if (current.owner == entry.owner) {
    if (entry.version < current.version) return Applied::kStale;
    current = entry;
    return Applied::kAccepted;
  }
  if (!entry.Beats(current)) {
    if (winner) *winner = current;
    return Applied::kRejected;
  }
  const DirectoryEntry previous = current;
  current = entry;
  if (previous.owner == self_.id) {
    LoseLocalClaim(entry.key, entry);
  } else {
    spdlog::info("directory: {} claimed by both {} and {}; {} claimed it first",
                 entry.key.ToString(), previous.owner, entry.owner, entry.owner);
    listener_.OnStreamRemoved(previous, RemovalReason::kConflict);
    listener_.OnStreamAnnounced(entry);
  }
  return Applied::kAccepted;
}

void StreamDirectory::LoseLocalClaim(const sfu::StreamKey& key, const DirectoryEntry& winner) {
  // The table already holds the winner (or will not, if the winner is not a live peer).
  const auto it = entries_.find(key);
  if (it != entries_.end() && it->second.owner == self_.id) {
    if (IsPeer(winner.owner)) {
      it->second = winner;
    } else {
      entries_.erase(it);
    }
  }
  UpdateGauge();
  spdlog::warn(
      "directory: {} is live on origin {} since an earlier claim; this origin gives "
      "its claim up",
      key.ToString(), winner.owner);
  // Peers that took our claim drop it (the winner's announce replaces it anyway).
  DirectoryEntry withdrawn{key, self_.id, self_.url, NextVersion(), 0};
  Broadcast({false, std::move(withdrawn), std::nullopt});
  listener_.OnLocalClaimLost(key, winner);
}

void StreamDirectory::Remove(const sfu::StreamKey& key, RemovalReason reason) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;
  const DirectoryEntry removed = std::move(it->second);
  entries_.erase(it);
  UpdateGauge();
  spdlog::debug("directory: {} of {} removed: {}", key.ToString(), removed.owner, ToString(reason));
  listener_.OnStreamRemoved(removed, reason);
}

void StreamDirectory::ApplySnapshot(const std::string& peer, uint64_t version,
                                    const std::vector<DirectoryEntry>& streams) {
  std::unordered_set<sfu::StreamKey> listed;
  for (const DirectoryEntry& entry : streams) {
    if (entry.owner != peer) continue;
    listed.insert(entry.key);
    ApplyRemote(entry, nullptr);
  }
  std::vector<sfu::StreamKey> gone;
  for (const auto& [key, entry] : entries_) {
    // An entry newer than the snapshot came after it: keep it.
    if (entry.owner == peer && !listed.count(key) && entry.version <= version) gone.push_back(key);
  }
  for (const auto& key : gone)
    Remove(key, RemovalReason::kSynced);
}

// --- peers ---

void StreamDirectory::OnPeerAlive(const std::string& id, bool restarted) {
  (void)restarted;  // either way its table of ours is rebuilt by its own sync; refresh ours
  SyncFrom(id);
}

void StreamDirectory::OnPeerDead(const std::string& id) {
  std::vector<sfu::StreamKey> gone;
  for (const auto& [key, entry] : entries_) {
    if (entry.owner == id) gone.push_back(key);
  }
  if (!gone.empty()) {
    spdlog::warn("directory: dropping {} stream(s) of dead origin {}", gone.size(), id);
  }
  for (const auto& key : gone)
    Remove(key, RemovalReason::kOwnerDead);
  for (auto& outbox : outboxes_) {
    if (outbox->peer != id) continue;
    outbox->queue.clear();  // it re-syncs from us when it is back
    outbox->attempts = 0;
    outbox->retry->cancel();
  }
}

void StreamDirectory::ScheduleSync() {
  sync_timer_.expires_after(milliseconds(options_.full_sync_ms));
  sync_timer_.async_wait([this, life = std::weak_ptr<int>(life_)](boost::system::error_code ec) {
    if (ec || life.expired() || !running_) return;
    const uint64_t now = base::NowMs();
    std::erase_if(tombstones_, [now](const auto& item) { return item.second.expires_ms < now; });
    SweepDeadOwners();
    for (const auto& outbox : outboxes_) {
      if (monitor_.IsAlive(outbox->peer)) SyncFrom(outbox->peer);
    }
    ScheduleSync();
  });
}

void StreamDirectory::SweepDeadOwners() {
  // Entries of peers that never answered a heartbeat (taken from their announces) would
  // otherwise stay: only a death removes a peer's entries.
  std::vector<sfu::StreamKey> gone;
  for (const auto& [key, entry] : entries_) {
    if (entry.owner != self_.id && !monitor_.IsAlive(entry.owner)) gone.push_back(key);
  }
  for (const auto& key : gone)
    Remove(key, RemovalReason::kOwnerDead);
}

void StreamDirectory::SyncFrom(const std::string& peer) {
  const std::string* url = PeerUrl(peer);
  if (!url || !running_ || syncing_.count(peer)) return;
  syncing_.insert(peer);
  client_.Get(
      *url + "/cluster/v1/directory?owner=" + net::Url::PercentEncode(peer),
      milliseconds(std::max<uint32_t>(options_.message_timeout_ms, options_.heartbeat_ms)),
      [this, peer, life = std::weak_ptr<int>(life_)](net::HttpClientResult result) {
        if (life.expired()) return;
        syncing_.erase(peer);
        if (!running_ || !monitor_.IsAlive(peer)) return;
        if (!result.Ok() || result.status != 200) {
          spdlog::debug("directory: sync from {} failed: {}", peer,
                        result.Ok() ? "HTTP " + std::to_string(result.status) : result.error);
          return;
        }
        const auto json = nlohmann::json::parse(result.body, nullptr, false);
        const auto streams = json.is_object() ? json.find("streams") : json.end();
        const auto version = json.is_object() ? json.find("version") : json.end();
        if (!json.is_object() || json.value("node", "") != peer || streams == json.end() ||
            !streams->is_array() || version == json.end() || !version->is_number_unsigned()) {
          spdlog::warn("directory: origin {} sent a malformed directory", peer);
          return;
        }
        std::vector<DirectoryEntry> entries;
        for (const auto& item : *streams) {
          if (auto entry = DirectoryEntry::FromJson(item)) entries.push_back(std::move(*entry));
        }
        ApplySnapshot(peer, version->get<uint64_t>(), entries);
      });
}

// --- outgoing messages ---

void StreamDirectory::Broadcast(const Message& message) {
  if (!running_) return;
  for (auto& outbox : outboxes_) {
    // A peer we think dead re-syncs from us when it answers again.
    if (!monitor_.IsAlive(outbox->peer)) continue;
    outbox->queue.push_back(message);
    Pump(*outbox);
  }
}

void StreamDirectory::Pump(Outbox& outbox) {
  if (outbox.in_flight || outbox.queue.empty() || !running_) return;
  const Message& message = outbox.queue.front();
  nlohmann::json body;
  if (message.announce) {
    body = message.entry.ToJson();
    if (message.replaces) {
      body["replaces"] = {{"owner", message.replaces->owner},
                          {"version", message.replaces->version}};
    }
  } else {
    body = {{"owner", message.entry.owner},
            {"vhost", message.entry.key.vhost},
            {"app", message.entry.key.app},
            {"stream", message.entry.key.stream},
            {"version", message.entry.version}};
  }
  outbox.in_flight = true;
  client_.PostJson(
      outbox.url + (message.announce ? "/cluster/v1/announce" : "/cluster/v1/unannounce"), body,
      milliseconds(options_.message_timeout_ms),
      [this, &outbox, life = std::weak_ptr<int>(life_)](net::HttpClientResult result) {
        if (life.expired()) return;
        OnMessageAnswer(outbox, result);
      });
}

void StreamDirectory::OnMessageAnswer(Outbox& outbox, const net::HttpClientResult& result) {
  outbox.in_flight = false;
  if (outbox.queue.empty() || !running_) return;  // cleared meanwhile (peer dead, stopped)
  const Message message = outbox.queue.front();
  const bool delivered = result.Ok() && result.status < 500 && result.status != 401;
  if (!delivered) {
    ++outbox.attempts;
    if (outbox.attempts < options_.message_attempts && monitor_.IsAlive(outbox.peer)) {
      outbox.retry->expires_after(milliseconds(100 * outbox.attempts * outbox.attempts));
      outbox.retry->async_wait(
          [this, &outbox, life = std::weak_ptr<int>(life_)](boost::system::error_code ec) {
            if (ec || life.expired()) return;
            Pump(outbox);
          });
      return;
    }
    spdlog::warn("directory: giving up telling {} that {} is {}: {} (the next sync heals it)",
                 outbox.peer, message.entry.key.ToString(),
                 message.announce ? "announced" : "unannounced",
                 result.Ok() ? "HTTP " + std::to_string(result.status) : result.error);
  }
  // Done with it before anything below queues more (losing a claim broadcasts an unannounce).
  outbox.attempts = 0;
  outbox.queue.pop_front();
  if (delivered && result.status == 409 && message.announce) {
    const auto json = nlohmann::json::parse(result.body, nullptr, false);
    const auto winner = json.is_object() && json.contains("winner")
                            ? DirectoryEntry::FromJson(json["winner"])
                            : std::nullopt;
    const auto it = entries_.find(message.entry.key);
    if (winner && it != entries_.end() && it->second.owner == self_.id &&
        it->second.version == message.entry.version && winner->Beats(it->second)) {
      LoseLocalClaim(message.entry.key, *winner);
    }
  } else if (delivered && result.status >= 400) {
    spdlog::warn("directory: {} refused {} {}: HTTP {} {}", outbox.peer,
                 message.announce ? "announce of" : "unannounce of", message.entry.key.ToString(),
                 result.status, result.body);
  }
  Pump(outbox);
}

// --- routes ---

void StreamDirectory::HandleAnnounce(const net::HttpExchange& exchange, const std::string& sender) {
  const auto entry = DirectoryEntry::FromJson(ParseBody(exchange));
  if (!entry) {
    exchange.Respond(http::JsonError(
        net::HttpStatus::bad_request,
        "an announce is "
        "{\"vhost\",\"app\",\"stream\",\"owner\",\"url\",\"version\",\"since_ms\"}"));
    return;
  }
  if (entry->owner != sender || !IsPeer(sender)) {
    exchange.Respond(http::JsonError(
        net::HttpStatus::forbidden,
        entry->owner != sender
            ? "announce for owner '" + entry->owner + "' signed by node '" + sender + "'"
            : "node '" + sender + "' is not a peer of origin '" + self_.id + "'"));
    return;
  }
  const auto body = ParseBody(exchange);
  if (const auto replaces = body.find("replaces");
      replaces != body.end() && replaces->is_object()) {
    const auto owner = replaces->find("owner");
    const auto version = replaces->find("version");
    if (owner != replaces->end() && owner->is_string() && version != replaces->end() &&
        version->is_number_unsigned()) {
      DirectoryEntry stale;
      stale.key = entry->key;
      stale.owner = owner->get<std::string>();
      stale.version = version->get<uint64_t>();
      spdlog::info("directory: {} taken over by {} from {}", entry->key.ToString(), sender,
                   stale.owner);
      DropReplaced(stale);
    }
  }
  DirectoryEntry winner;
  switch (ApplyRemote(*entry, &winner)) {
    case Applied::kAccepted:
      exchange.Respond(http::JsonResponse(net::HttpStatus::ok, {{"accepted", true}}));
      return;
    case Applied::kStale:
      exchange.Respond(http::JsonResponse(net::HttpStatus::ok, {{"accepted", false}}));
      return;
    case Applied::kRejected:
      spdlog::info("directory: {} claimed by {} but {} claimed it first", entry->key.ToString(),
                   sender, winner.owner);
      exchange.Respond(
          http::JsonResponse(net::HttpStatus::conflict,
                             {{"error", "stream " + entry->key.ToString() +
                                            " is already live on origin '" + winner.owner + "'"},
                              {"winner", winner.ToJson()}}));
      return;
  }
}

void StreamDirectory::HandleUnannounce(const net::HttpExchange& exchange,
                                       const std::string& sender) {
  const auto json = ParseBody(exchange);
  const auto key = DirectoryEntry::KeyFromJson(json);
  if (!key || !json["owner"].is_string() || !json["version"].is_number_unsigned()) {
    exchange.Respond(
        http::JsonError(net::HttpStatus::bad_request,
                        "an unannounce is {\"vhost\",\"app\",\"stream\",\"owner\",\"version\"}"));
    return;
  }
  const std::string owner = json["owner"].get<std::string>();
  const uint64_t version = json["version"].get<uint64_t>();
  if (owner != sender || !IsPeer(sender)) {
    exchange.Respond(http::JsonError(
        net::HttpStatus::forbidden,
        owner != sender ? "unannounce for owner '" + owner + "' signed by node '" + sender + "'"
                        : "node '" + sender + "' is not a peer of origin '" + self_.id + "'"));
    return;
  }
  Tombstone& tomb = tombstones_[*key];
  if (tomb.owner != owner || tomb.version < version) tomb = {owner, version, 0};
  tomb.expires_ms = base::NowMs() + 2ull * options_.full_sync_ms;
  const auto it = entries_.find(*key);
  const bool removed =
      it != entries_.end() && it->second.owner == owner && it->second.version <= version;
  if (removed) Remove(*key, RemovalReason::kUnannounced);
  exchange.Respond(http::JsonResponse(net::HttpStatus::ok, {{"removed", removed}}));
}

void StreamDirectory::HandleStream(const net::HttpExchange& exchange,
                                   const http::RouteParams& params) {
  const sfu::StreamKey key{params.Get("vhost"), params.Get("app"), params.Get("stream")};
  const auto it = entries_.find(key);
  if (it == entries_.end()) {
    exchange.Respond(
        http::JsonError(net::HttpStatus::not_found,
                        "origin '" + self_.id + "' knows no owner of " + key.ToString()));
    return;
  }
  exchange.Respond(http::JsonResponse(net::HttpStatus::ok, it->second.ToJson()));
}

void StreamDirectory::HandleDirectory(const net::HttpExchange& exchange) {
  const auto owner = exchange.Target().Param("owner");
  nlohmann::json streams = nlohmann::json::array();
  for (const auto& [key, entry] : entries_) {
    if (!owner || entry.owner == *owner) streams.push_back(entry.ToJson());
  }
  exchange.Respond(http::JsonResponse(
      net::HttpStatus::ok, {{"node", self_.id}, {"version", version_}, {"streams", streams}}));
}

// --- misc ---

bool StreamDirectory::IsPeer(const std::string& id) const {
  return PeerUrl(id) != nullptr;
}

const std::string* StreamDirectory::PeerUrl(const std::string& id) const {
  for (const auto& outbox : outboxes_) {
    if (outbox->peer == id) return &outbox->url;
  }
  return nullptr;
}

void StreamDirectory::UpdateGauge() {
  metrics_.DirectoryStreams().Set(static_cast<double>(entries_.size()));
}

nlohmann::json StreamDirectory::ToJson() const {
  std::vector<const DirectoryEntry*> sorted;
  for (const auto& [key, entry] : entries_)
    sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const DirectoryEntry* a, const DirectoryEntry* b) {
    return std::tie(a->key.vhost, a->key.app, a->key.stream) <
           std::tie(b->key.vhost, b->key.app, b->key.stream);
  });
  nlohmann::json streams = nlohmann::json::array();
  for (const DirectoryEntry* entry : sorted)
    streams.push_back(entry->ToJson());
  return {{"version", version_}, {"count", entries_.size()}, {"streams", std::move(streams)}};
}

}  // namespace tributary::cluster
