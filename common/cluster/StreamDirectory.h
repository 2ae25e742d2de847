#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterClient.h"
#include "cluster/ClusterRoutes.h"
#include "cluster/DirectoryEntry.h"
#include "cluster/NodeIdentity.h"
#include "cluster/PeerMonitor.h"
#include "config/NodeConfig.h"
#include "metrics/Metrics.h"

namespace tributary::cluster {

// An origin's view of the stream directory: (vhost, app, stream) -> the origin that owns the
// stream. The protocol (docs/cluster.md), over signed /cluster/v1/ requests between peers:
//   - the owner announces a stream to every alive peer at once, and unannounces it the same way
//     (in order per peer, each message retried a few times);
//   - a node missing a key asks its alive peers in parallel (Lookup) and caches the answer;
//   - every full_sync_ms, and whenever a peer becomes alive (or restarted), it fetches the
//     streams that peer owns and replaces its entries of that peer (heals lost messages);
//   - a peer that misses peer_dead_after heartbeats (PeerMonitor) is dead: its streams are
//     dropped;
//   - two origins claiming one key: the earliest claim wins, then the smaller node id; every
//     node applies the same rule, an announce that loses gets 409 with the winner, and the
//     losing origin gives up its claim and tells its Listener (its publisher gets 409).
// Entries carry the owner's version so that stale messages (an announce overtaken by its
// unannounce, a snapshot older than a message) never undo newer ones.
//
// Control thread only (the node's io_context): the media layer posts to it.
class StreamDirectory : public PeerMonitor::Listener {
 public:
  enum class RemovalReason {
    kUnannounced,  // the owner said so
    kOwnerDead,    // the owner stopped answering heartbeats
    kSynced,       // the owner's list no longer has it (a lost unannounce)
    kConflict,     // another origin's earlier claim replaced it
    kSuperseded,   // its owner no longer confirmed it and another origin took the stream over
  };
  static const char* ToString(RemovalReason reason);

  // Events for the media layer (upstream links, pending viewers, publishers).
  class Listener {
   public:
    virtual ~Listener() = default;
    // Another origin now owns `entry.key` (announced, synced or looked up).
    virtual void OnStreamAnnounced(const DirectoryEntry& entry) = 0;
    // A stream of another origin left the directory.
    virtual void OnStreamRemoved(const DirectoryEntry& entry, RemovalReason reason) = 0;
    // This origin's claim on `key` lost to `winner`, an earlier claim of another origin: the
    // local publisher should get 409 (or be ended). The key is no longer announced as ours.
    virtual void OnLocalClaimLost(const sfu::StreamKey& key, const DirectoryEntry& winner) = 0;
  };

  struct Options {
    std::vector<PeerMonitor::Target> peers;
    uint32_t heartbeat_ms = 1000;
    uint32_t dead_after = 3;
    uint32_t full_sync_ms = 10000;
    uint32_t lookup_timeout_ms = 1000;   // a Lookup miss waits this long for the peers
    uint32_t message_timeout_ms = 2000;  // per announce/unannounce attempt
    uint32_t message_attempts = 3;

    // From cluster.{peers, heartbeat_ms, peer_dead_after, full_sync_ms, upstream_timeout_ms}.
    static Options FromConfig(const config::NodeConfig& config);
  };

  using LookupCallback = std::function<void(std::optional<DirectoryEntry>)>;

  // `self`, `auth`, `metrics` and `listener` outlive the directory.
  StreamDirectory(boost::asio::io_context& io, const NodeIdentity& self, const ClusterAuth& auth,
                  net::HttpClient::Options http, Options options, metrics::Metrics& metrics,
                  Listener& listener);
  ~StreamDirectory() override;
  StreamDirectory(const StreamDirectory&) = delete;
  StreamDirectory& operator=(const StreamDirectory&) = delete;

  // Heartbeats and periodic syncs start.
  void Start();
  // Everything stops; nothing more is sent (peers see this origin die).
  void Stop();
  // POST announce, POST unannounce, GET streams/{vhost}/{app}/{stream}, GET directory.
  void AddRoutes(ClusterRoutes& routes);

  // --- for the media layer ---
  // Claims `key` for this origin and announces it. Returns the entry of the other origin that
  // already owns it, if the directory knows one (nothing is claimed then: answer 409); nullopt
  // when the claim is made (or was already ours). A claim can still lose later to an earlier
  // claim that had not arrived yet: Listener::OnLocalClaimLost.
  std::optional<DirectoryEntry> AnnounceLocal(const sfu::StreamKey& key);
  // Withdraws this origin's claim on `key` and tells the peers. No-op if it is not ours.
  void UnannounceLocal(const sfu::StreamKey& key);
  // The owner of `key`: from the table at once when known; otherwise the alive peers are asked
  // in parallel (one query per key however many callers wait) and the first answer naming an
  // owner is cached and returned; nullopt when none knows it within lookup_timeout_ms. The
  // callback always runs later on the control thread, never inside Lookup().
  void Lookup(const sfu::StreamKey& key, LookupCallback callback);
  // The table only: this origin, another, or nobody known.
  std::optional<DirectoryEntry> OwnerOf(const sfu::StreamKey& key) const;
  // The Location for a viewer of `key` when another origin owns it (its WHEP URL), counting
  // tributary_redirects_total{reason="owner"}; nullopt when this origin owns it or nobody is
  // known to.
  std::optional<std::string> RedirectToOwner(const sfu::StreamKey& key);

  // Takeover of a stream whose owner died before the mesh noticed (an edge re-pushing it here
  // after that origin was killed): VerifyOwner asks the owner of `entry` directly (GET
  // streams/..., lookup_timeout_ms); `callback(true)` when it answers naming itself the owner,
  // false when it does not answer, answers 404 or names another. Always later, on the control
  // thread.
  void VerifyOwner(const DirectoryEntry& entry, std::function<void(bool confirmed)> callback);
  // Drops `stale` (a claim its owner did not confirm) so that this origin may claim the stream:
  // the next AnnounceLocal of the key says it replaces that claim (owner and version), and
  // peers drop it too, earlier though it is, and ignore its older messages.
  void Supersede(const DirectoryEntry& stale);

  size_t Size() const { return entries_.size(); }
  const PeerMonitor& Peers() const { return monitor_; }
  // {"version", "count", "streams": [entries]}
  nlohmann::json ToJson() const;

  // PeerMonitor::Listener
  void OnPeerAlive(const std::string& id, bool restarted) override;
  void OnPeerDead(const std::string& id) override;

 private:
  struct Message {
    bool announce = true;
    DirectoryEntry entry;                    // unannounce: key, owner and version only
    std::optional<DirectoryEntry> replaces;  // announce: the stale claim it supersedes
  };
  struct Outbox {
    std::string peer;
    std::string url;
    std::deque<Message> queue;
    bool in_flight = false;
    uint32_t attempts = 0;
    std::unique_ptr<boost::asio::steady_timer> retry;
  };
  struct PendingLookup {
    std::vector<LookupCallback> callbacks;
    size_t outstanding = 0;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  struct Tombstone {
    std::string owner;
    uint64_t version = 0;
    uint64_t expires_ms = 0;  // base::NowMs()
  };
  enum class Applied { kAccepted, kStale, kRejected };

  // Applies another origin's claim. kRejected sets `winner` to the claim that beats it.
  Applied ApplyRemote(const DirectoryEntry& entry, DirectoryEntry* winner);
  void Remove(const sfu::StreamKey& key, RemovalReason reason);
  // A peer's announce that replaces `stale`: drops it when it is what the table holds.
  void DropReplaced(const DirectoryEntry& stale);
  void LoseLocalClaim(const sfu::StreamKey& key, const DirectoryEntry& winner);
  void ApplySnapshot(const std::string& peer, uint64_t version,
                     const std::vector<DirectoryEntry>& streams);

  void Broadcast(const Message& message);
  void Pump(Outbox& outbox);
  void OnMessageAnswer(Outbox& outbox, const net::HttpClientResult& result);

  void ScheduleSync();
  void SyncFrom(const std::string& peer);
  void SweepDeadOwners();
  void FinishLookup(const sfu::StreamKey& key);

  void HandleAnnounce(const net::HttpExchange& exchange, const std::string& sender);
  void HandleUnannounce(const net::HttpExchange& exchange, const std::string& sender);
  void HandleStream(const net::HttpExchange& exchange, const http::RouteParams& params);
  void HandleDirectory(const net::HttpExchange& exchange);

  bool IsPeer(const std::string& id) const;
  const std::string* PeerUrl(const std::string& id) const;
  void UpdateGauge();
  uint64_t NextVersion() { return ++version_; }

  boost::asio::io_context& io_;
  const NodeIdentity& self_;
  Options options_;
  metrics::Metrics& metrics_;
  Listener& listener_;
  ClusterClient client_;
  PeerMonitor monitor_;

  std::unordered_map<sfu::StreamKey, DirectoryEntry> entries_;
  std::unordered_map<sfu::StreamKey, Tombstone> tombstones_;
  std::unordered_map<sfu::StreamKey, PendingLookup> lookups_;
  std::unordered_map<sfu::StreamKey, DirectoryEntry> superseded_;  // until our announce
  std::vector<std::unique_ptr<Outbox>> outboxes_;                  // one per peer, in peer order
  std::unordered_set<std::string> syncing_;  // peers whose snapshot is in flight
  uint64_t version_;                         // this node's event counter
  boost::asio::steady_timer sync_timer_;
  bool running_ = false;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);  // callbacks hold a weak_ptr
};

}  // namespace tributary::cluster
