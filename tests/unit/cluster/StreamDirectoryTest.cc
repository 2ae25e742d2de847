#include "cluster/StreamDirectory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "ClusterTestSupport.h"
#include "base/Clock.h"
#include "cluster/HeartbeatResponder.h"
#include "http/JsonResponse.h"

namespace tributary::cluster {
namespace {

using namespace std::chrono_literals;
using namespace testing;

const sfu::StreamKey kKey{"demo", "live", "cam"};

struct RecordingListener : StreamDirectory::Listener {
  void OnStreamAnnounced(const DirectoryEntry& entry) override { announced.push_back(entry); }
  void OnStreamRemoved(const DirectoryEntry& entry,
                       StreamDirectory::RemovalReason reason) override {
    removed.emplace_back(entry, reason);
  }
  void OnLocalClaimLost(const sfu::StreamKey& key, const DirectoryEntry& winner) override {
    lost.emplace_back(key, winner);
  }
  std::vector<DirectoryEntry> announced;
  std::vector<std::pair<DirectoryEntry, StreamDirectory::RemovalReason>> removed;
  std::vector<std::pair<sfu::StreamKey, DirectoryEntry>> lost;
};

// One in-process origin: its listener, identity, directory and the events it reported.
struct TestOrigin {
  std::unique_ptr<TestListener> net;
  NodeIdentity self;
  std::unique_ptr<HeartbeatResponder> heartbeats;
  metrics::Metrics metrics{"test", "origin"};
  RecordingListener events;
  std::unique_ptr<StreamDirectory> directory;
};

// A stand-in origin that speaks the protocol from the test: it answers heartbeats, serves the
// owned-streams list and the stream queries the test sets, and counts the queries.
struct FakePeer {
  std::unique_ptr<TestListener> net;
  NodeIdentity self;
  std::unique_ptr<HeartbeatResponder> heartbeats;
  std::vector<DirectoryEntry> owned;     // what GET directory lists
  std::optional<DirectoryEntry> answer;  // what GET streams/... answers (404 if none)
  bool silent = false;                   // queries are never answered
  std::optional<DirectoryEntry> winner;  // answers every announce 409 with this winner
  std::vector<std::string> received;     // "announce <stream>", "unannounce <stream>"
  std::vector<net::HttpExchange> held;
  int queries = 0;
};

class StreamDirectoryTest : public ::testing::Test {
 protected:
  void TearDown() override {
    RunOn(io_, [this] {
      origins_.clear();
      if (fake_) fake_->held.clear();
      fake_.reset();
    });
    io_.Stop();
  }

  // Heartbeats every 100 ms, dead after 2 missed, lookups wait 500 ms.
  static StreamDirectory::Options FastOptions() {
    StreamDirectory::Options options;
    options.heartbeat_ms = 100;
    options.dead_after = 2;
    options.lookup_timeout_ms = 500;
    return options;
  }

  // Origins `ids` meshed with each other (and with the fake peer, if made first), started.
  void StartOrigins(const std::vector<std::string>& ids,
                    StreamDirectory::Options options = FastOptions()) {
    for (const auto& id : ids) {
      auto origin = std::make_unique<TestOrigin>();
      origin->net = std::make_unique<TestListener>(io_, id);
      origin->self = {id, config::NodeRole::kOrigin, "eu", origin->net->Url(), "i-" + id};
      origins_[id] = std::move(origin);
    }
    for (auto& [id, origin] : origins_) {
      StreamDirectory::Options mine = options;
      for (auto& [peer_id, peer] : origins_) {
        if (peer_id != id) mine.peers.push_back({peer_id, peer->net->Url()});
      }
      if (fake_) mine.peers.push_back({fake_->self.id, fake_->net->Url()});
      origin->directory = std::make_unique<StreamDirectory>(
          io_.Context(), origin->self, origin->net->Auth(), net::HttpClient::Options(), mine,
          origin->metrics, origin->events);
      origin->heartbeats = std::make_unique<HeartbeatResponder>(origin->self, nullptr);
      origin->heartbeats->AddRoutes(origin->net->Routes());
      origin->directory->AddRoutes(origin->net->Routes());
      origin->directory->Start();
    }
    io_.Start();
  }

  void MakeFakePeer(const std::string& id) {
    fake_ = std::make_unique<FakePeer>();
    fake_->net = std::make_unique<TestListener>(io_, id);
    fake_->self = {id, config::NodeRole::kOrigin, "us", fake_->net->Url(), "i-fake"};
    fake_->heartbeats = std::make_unique<HeartbeatResponder>(fake_->self, nullptr);
    fake_->heartbeats->AddRoutes(fake_->net->Routes());
    FakePeer* fake = fake_.get();
    fake_->net->Routes().Add(
        net::HttpMethod::get, "directory",
        [fake](const net::HttpExchange& exchange, const http::RouteParams&, const std::string&) {
          nlohmann::json streams = nlohmann::json::array();
          for (const auto& entry : fake->owned)
            streams.push_back(entry.ToJson());
          exchange.Respond(http::JsonResponse(
              net::HttpStatus::ok,
              {{"node", fake->self.id}, {"version", 1000}, {"streams", streams}}));
        });
    for (const char* kind : {"announce", "unannounce"}) {
      fake_->net->Routes().Add(
          net::HttpMethod::post, kind,
          [fake, kind = std::string(kind)](const net::HttpExchange& exchange,
                                           const http::RouteParams&, const std::string&) {
            const auto body = nlohmann::json::parse(exchange.Request().body());
            fake->received.push_back(kind + " " + body.value("stream", ""));
            if (kind == "announce" && fake->winner) {
              exchange.Respond(
                  http::JsonResponse(net::HttpStatus::conflict,
                                     {{"error", "taken"}, {"winner", fake->winner->ToJson()}}));
              return;
            }
            exchange.Respond(http::JsonResponse(net::HttpStatus::ok, {{"accepted", true}}));
          });
    }
    fake_->net->Routes().Add(
        net::HttpMethod::get, "streams/{vhost}/{app}/{stream}",
        [fake](const net::HttpExchange& exchange, const http::RouteParams&, const std::string&) {
          ++fake->queries;
          if (fake->silent) {
            fake->held.push_back(exchange);
          } else if (fake->answer) {
            exchange.Respond(http::JsonResponse(net::HttpStatus::ok, fake->answer->ToJson()));
          } else {
            exchange.Respond(http::JsonError(net::HttpStatus::not_found, "unknown"));
          }
        });
  }

  DirectoryEntry FakeEntry(uint64_t version, uint64_t since_ms = 1) const {
    return {kKey, fake_->self.id, fake_->self.url, version, since_ms};
  }

  // POSTs a directory message to `origin` signed as the fake peer (or as `signer`).
  net::HttpClientResult Post(const std::string& origin, const std::string& route,
                             const nlohmann::json& body, const std::string& signer = "") {
    net::HttpClientRequest request;
    request.method = net::HttpMethod::post;
    request.url = origins_[origin]->net->Url() + "/cluster/v1/" + route;
    request.body = body.dump();
    return SignedFetch(std::move(request), signer.empty() ? fake_->self.id : signer);
  }

  StreamDirectory& Dir(const std::string& id) { return *origins_.at(id)->directory; }
  RecordingListener& Events(const std::string& id) { return origins_.at(id)->events; }

  std::optional<std::string> OwnerSeenBy(const std::string& id, const sfu::StreamKey& key) {
    return RunOn(io_, [&]() -> std::optional<std::string> {
      const auto entry = Dir(id).OwnerOf(key);
      if (!entry) return std::nullopt;
      return entry->owner;
    });
  }
  bool WaitOwner(const std::string& id, const std::optional<std::string>& owner,
                 std::chrono::milliseconds timeout = 1s) {
    return Eventually(
        io_,
        [&] {
          const auto entry = Dir(id).OwnerOf(kKey);
          return owner ? entry && entry->owner == *owner : !entry;
        },
        timeout);
  }
  bool WaitAllAlive(std::chrono::milliseconds timeout = 2s) {
    return Eventually(
        io_,
        [&] {
          for (auto& [id, origin] : origins_) {
            if (origin->directory->Peers().AliveCount() !=
                origin->directory->Peers().Peers().size())
              return false;
          }
          return true;
        },
        timeout);
  }
  std::optional<DirectoryEntry> LookupBlocking(const std::string& id, const sfu::StreamKey& key) {
    std::promise<std::optional<DirectoryEntry>> promise;
    RunOn(io_, [&] {
      Dir(id).Lookup(key, [&](std::optional<DirectoryEntry> entry) { promise.set_value(entry); });
    });
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(3s), std::future_status::ready);
    return future.get();
  }

  net::IoThread io_{"directory-test"};
  std::map<std::string, std::unique_ptr<TestOrigin>> origins_;
  std::unique_ptr<FakePeer> fake_;
};

TEST_F(StreamDirectoryTest, AnnounceReachesEveryPeer_AndUnannounceRemovesIt) {
  StartOrigins({"a", "b", "c"});
  ASSERT_TRUE(WaitAllAlive());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(RunOn(io_, [&] { return Dir("a").AnnounceLocal(kKey); }));
  ASSERT_TRUE(WaitOwner("b", "a"));
  ASSERT_TRUE(WaitOwner("c", "a"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  const auto entry = RunOn(io_, [&] { return Dir("c").OwnerOf(kKey); });
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->owner_url, origins_["a"]->net->Url());
  EXPECT_EQ(entry->WhepUrl(), origins_["a"]->net->Url() + "/whep/live/cam?vhost=demo");
  EXPECT_EQ(RunOn(io_, [&] { return Events("b").announced.size(); }), 1u);
  EXPECT_EQ(origins_["b"]->metrics.DirectoryStreams().Value(), 1);

  RunOn(io_, [&] { Dir("a").UnannounceLocal(kKey); });
  ASSERT_TRUE(WaitOwner("b", std::nullopt));
  ASSERT_TRUE(WaitOwner("c", std::nullopt));
  EXPECT_TRUE(RunOn(io_, [&] {
    return Events("c").removed.size() == 1 &&
           Events("c").removed[0].second == StreamDirectory::RemovalReason::kUnannounced;
  }));
  EXPECT_EQ(origins_["b"]->metrics.DirectoryStreams().Value(), 0);
}

TEST_F(StreamDirectoryTest, RefusesAClaim_OnAStreamAnotherOriginOwns) {
  StartOrigins({"a", "b"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  ASSERT_TRUE(WaitOwner("b", "a"));
  const auto owner = RunOn(io_, [&] { return Dir("b").AnnounceLocal(kKey); });
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->owner, "a");
  // Announcing our own stream again is fine.
  EXPECT_FALSE(RunOn(io_, [&] { return Dir("a").AnnounceLocal(kKey); }));
  // b sends viewers to a; a serves them.
  EXPECT_EQ(RunOn(io_, [&] { return Dir("b").RedirectToOwner(kKey); }),
            origins_["a"]->net->Url() + "/whep/live/cam?vhost=demo");
  EXPECT_FALSE(RunOn(io_, [&] { return Dir("a").RedirectToOwner(kKey); }));
  EXPECT_EQ(origins_["b"]->metrics.Redirects().Add({{"reason", "owner"}}).Value(), 1);
}

TEST_F(StreamDirectoryTest, PeersLearnStreamsAnnouncedBeforeTheyAnswered_ByTheirFirstSync) {
  StartOrigins({"a", "b", "c"});
  // Nobody has answered a heartbeat yet: the announce goes nowhere; the syncs that follow the
  // first answers bring it.
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  EXPECT_TRUE(WaitOwner("b", "a"));
  EXPECT_TRUE(WaitOwner("c", "a"));
}

TEST_F(StreamDirectoryTest, SimultaneousClaims_ResolveToTheEarliest_AndTheLoserIsTold) {
  StartOrigins({"a", "b", "c"});
  ASSERT_TRUE(WaitAllAlive());
  // Both claims are made before either origin hears of the other: "a" claims first (or in the
  // same millisecond, and wins on its id).
  RunOn(io_, [&] {
    EXPECT_FALSE(Dir("a").AnnounceLocal(kKey));
    EXPECT_FALSE(Dir("b").AnnounceLocal(kKey));
  });
  for (const char* id : {"a", "b", "c"})
    EXPECT_TRUE(WaitOwner(id, "a")) << id;
  EXPECT_TRUE(Eventually(
      io_, [&] { return Events("b").lost.size() == 1; }, 1s));
  RunOn(io_, [&] {
    ASSERT_EQ(Events("b").lost.size(), 1u);
    EXPECT_EQ(Events("b").lost[0].first, kKey);
    EXPECT_EQ(Events("b").lost[0].second.owner, "a");
    EXPECT_TRUE(Events("a").lost.empty());
  });
  // It stays that way.
  std::this_thread::sleep_for(300ms);
  for (const char* id : {"a", "b", "c"})
    EXPECT_EQ(OwnerSeenBy(id, kKey), "a") << id;
}

TEST_F(StreamDirectoryTest, DropsTheStreamsOfADeadPeer_AndCountsIt) {
  StartOrigins({"a", "b", "c"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { Dir("c").AnnounceLocal(kKey); });
  ASSERT_TRUE(WaitOwner("a", "c"));
  ASSERT_TRUE(WaitOwner("b", "c"));
  EXPECT_EQ(origins_["a"]->metrics.Peers(false).Value(), 0);
  EXPECT_EQ(origins_["a"]->metrics.Peers(true).Value(), 2);
  // c dies without a word.
  const auto start = std::chrono::steady_clock::now();
  RunOn(io_, [&] {
    Dir("c").Stop();
    origins_["c"]->net->Stop();
  });
  ASSERT_TRUE(WaitOwner("a", std::nullopt, 2s));
  ASSERT_TRUE(WaitOwner("b", std::nullopt, 2s));
  // Two heartbeats of 100 ms missed (about 200 ms), with room for a loaded machine.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(origins_["a"]->metrics.Peers(false).Value(), 1);
  EXPECT_EQ(origins_["a"]->metrics.Peers(true).Value(), 1);
  EXPECT_EQ(origins_["a"]->metrics.DirectoryStreams().Value(), 0);
  RunOn(io_, [&] {
    ASSERT_EQ(Events("a").removed.size(), 1u);
    EXPECT_EQ(Events("a").removed[0].second, StreamDirectory::RemovalReason::kOwnerDead);
    EXPECT_FALSE(Dir("a").Peers().IsAlive("c"));
    EXPECT_NE(Dir("a").Peers().Find("c")->last_error, "");
  });
}

TEST_F(StreamDirectoryTest, LookupAsksThePeers_OnceForConcurrentCallers_AndCachesTheAnswer) {
  MakeFakePeer("f");
  StartOrigins({"a", "b"});
  ASSERT_TRUE(WaitAllAlive());
  // f owns the stream but never announced it (and does not list it): only a query finds it.
  RunOn(io_, [&] { fake_->answer = FakeEntry(7); });
  std::promise<std::optional<DirectoryEntry>> first;
  std::promise<std::optional<DirectoryEntry>> second;
  RunOn(io_, [&] {
    Dir("a").Lookup(kKey, [&](auto entry) { first.set_value(entry); });
    Dir("a").Lookup(kKey, [&](auto entry) { second.set_value(entry); });
  });
  for (auto* promise : {&first, &second}) {
    auto future = promise->get_future();
    ASSERT_EQ(future.wait_for(2s), std::future_status::ready);
    const auto entry = future.get();
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->owner, "f");
    EXPECT_EQ(entry->version, 7u);
  }
  EXPECT_EQ(RunOn(io_, [&] { return fake_->queries; }), 1);
  // Cached: the table has it, no new query.
  EXPECT_EQ(OwnerSeenBy("a", kKey), "f");
  EXPECT_TRUE(LookupBlocking("a", kKey));
  EXPECT_EQ(RunOn(io_, [&] { return fake_->queries; }), 1);
}

TEST_F(StreamDirectoryTest, LookupAnswersNothing_AsSoonAsEveryPeerSaysSo) {
  MakeFakePeer("f");
  StartOrigins({"a", "b"});
  ASSERT_TRUE(WaitAllAlive());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(LookupBlocking("a", {"demo", "live", "nobody"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 400ms);  // the timeout is 500 ms
  // The local stream of the asking origin is answered from its table.
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  const auto own = LookupBlocking("a", kKey);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->owner, "a");
}

TEST_F(StreamDirectoryTest, LookupGivesUp_AfterItsTimeout_WhenAPeerDoesNotAnswer) {
  MakeFakePeer("f");
  StartOrigins({"a"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { fake_->silent = true; });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(LookupBlocking("a", kKey));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 450ms);
  EXPECT_LT(waited, 1500ms);
}

TEST_F(StreamDirectoryTest, FullSyncDropsAStream_WhoseUnannounceWasLost) {
  MakeFakePeer("f");
  StreamDirectory::Options options = FastOptions();
  options.full_sync_ms = 300;
  StartOrigins({"a"}, options);
  ASSERT_TRUE(WaitAllAlive());
  const auto announce = Post("a", "announce", FakeEntry(10).ToJson());
  ASSERT_TRUE(announce.Ok()) << announce.error;
  EXPECT_EQ(announce.status, 200) << announce.body;
  EXPECT_EQ(OwnerSeenBy("a", kKey), "f");
  // f's own list does not have it (its unannounce never came): the next sync drops it.
  ASSERT_TRUE(WaitOwner("a", std::nullopt, 1s));
  RunOn(io_, [&] {
    ASSERT_FALSE(Events("a").removed.empty());
    EXPECT_EQ(Events("a").removed.back().second, StreamDirectory::RemovalReason::kSynced);
  });
  // And a stream it lists is added back.
  RunOn(io_, [&] { fake_->owned = {FakeEntry(11)}; });
  EXPECT_TRUE(WaitOwner("a", "f", 1s));
}

TEST_F(StreamDirectoryTest, IgnoresAnAnnounceOlderThanItsUnannounce) {
  MakeFakePeer("f");
  StartOrigins({"a"});
  ASSERT_TRUE(WaitAllAlive());
  nlohmann::json unannounce = {
      {"owner", "f"}, {"vhost", "demo"}, {"app", "live"}, {"stream", "cam"}, {"version", 20}};
  auto result = Post("a", "unannounce", unannounce);
  EXPECT_EQ(result.status, 200) << result.body;
  result = Post("a", "announce", FakeEntry(19).ToJson());  // overtaken by the unannounce
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(nlohmann::json::parse(result.body)["accepted"], false);
  EXPECT_FALSE(OwnerSeenBy("a", kKey));
  result = Post("a", "announce", FakeEntry(21).ToJson());  // a new announce
  EXPECT_EQ(nlohmann::json::parse(result.body)["accepted"], true);
  EXPECT_EQ(OwnerSeenBy("a", kKey), "f");
  // An older announce never replaces a newer one.
  auto stale = FakeEntry(15);
  stale.owner_url = "http://127.0.0.1:1";
  result = Post("a", "announce", stale.ToJson());
  EXPECT_EQ(nlohmann::json::parse(result.body)["accepted"], false);
  EXPECT_EQ(RunOn(io_, [&] { return Dir("a").OwnerOf(kKey)->owner_url; }), fake_->self.url);
}

TEST_F(StreamDirectoryTest, AnswersAConflictingAnnounce_With409AndTheWinner) {
  MakeFakePeer("f");
  StartOrigins({"a"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  const uint64_t later = base::WallClockUs() / 1000 + 1000;
  const auto result = Post("a", "announce", FakeEntry(5, later).ToJson());
  EXPECT_EQ(result.status, 409) << result.body;
  const auto json = nlohmann::json::parse(result.body);
  EXPECT_EQ(json["winner"]["owner"], "a");
  EXPECT_EQ(OwnerSeenBy("a", kKey), "a");
  // An earlier claim wins over a's: a gives its own up and says so.
  const auto earlier = Post("a", "announce", FakeEntry(6, 1).ToJson());
  EXPECT_EQ(earlier.status, 200) << earlier.body;
  EXPECT_EQ(OwnerSeenBy("a", kKey), "f");
  RunOn(io_, [&] {
    ASSERT_EQ(Events("a").lost.size(), 1u);
    EXPECT_EQ(Events("a").lost[0].second.owner, "f");
  });
}

TEST_F(StreamDirectoryTest, GivesItsClaimUp_WhenAPeerAnswers409WithAnEarlierWinner) {
  MakeFakePeer("f");
  StartOrigins({"a"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { fake_->winner = FakeEntry(4, 1); });
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  ASSERT_TRUE(Eventually(
      io_, [&] { return fake_->received.size() >= 2; }, 1s));
  std::this_thread::sleep_for(200ms);  // nothing more comes
  RunOn(io_, [&] {
    // The announce once, then the unannounce of the claim a gave up.
    EXPECT_EQ(fake_->received, (std::vector<std::string>{"announce cam", "unannounce cam"}));
    ASSERT_EQ(Events("a").lost.size(), 1u);
    EXPECT_EQ(Events("a").lost[0].second.owner, "f");
    const auto entry = Dir("a").OwnerOf(kKey);
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->owner, "f");
  });
}

TEST_F(StreamDirectoryTest, RefusesMessagesFromNonPeers_AndForOtherOwners) {
  MakeFakePeer("f");
  StartOrigins({"a"});
  ASSERT_TRUE(WaitAllAlive());
  auto entry = FakeEntry(3);
  entry.owner = "stranger";
  auto result = Post("a", "announce", entry.ToJson(), "stranger");
  EXPECT_EQ(result.status, 403) << result.body;
  EXPECT_NE(result.body.find("not a peer"), std::string::npos) << result.body;
  entry.owner = "someone-else";
  result = Post("a", "announce", entry.ToJson());
  EXPECT_EQ(result.status, 403) << result.body;
  result = Post("a", "announce", {{"vhost", "demo"}});
  EXPECT_EQ(result.status, 400) << result.body;
  result = Post("a", "unannounce", {{"owner", "f"}});
  EXPECT_EQ(result.status, 400) << result.body;
  EXPECT_FALSE(OwnerSeenBy("a", kKey));
}

TEST_F(StreamDirectoryTest, ServesItsTableOverTheSignedRoutes) {
  StartOrigins({"a", "b"});
  ASSERT_TRUE(WaitAllAlive());
  RunOn(io_, [&] { Dir("a").AnnounceLocal(kKey); });
  ASSERT_TRUE(WaitOwner("b", "a"));
  net::HttpClientRequest request;
  request.url = origins_["b"]->net->Url() + "/cluster/v1/streams/demo/live/cam";
  auto result = SignedFetch(request, "tool");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(nlohmann::json::parse(result.body)["owner"], "a");
  request.url = origins_["b"]->net->Url() + "/cluster/v1/streams/demo/live/other";
  EXPECT_EQ(SignedFetch(request, "tool").status, 404);
  request.url = origins_["b"]->net->Url() + "/cluster/v1/directory";
  result = SignedFetch(request, "tool");
  ASSERT_EQ(result.status, 200) << result.body;
  auto json = nlohmann::json::parse(result.body);
  EXPECT_EQ(json["node"], "b");
  ASSERT_EQ(json["streams"].size(), 1u);
  request.url = origins_["b"]->net->Url() + "/cluster/v1/directory?owner=b";
  EXPECT_TRUE(nlohmann::json::parse(SignedFetch(request, "tool").body)["streams"].empty());
  EXPECT_EQ(net::HttpClient::Get(origins_["b"]->net->Url() + "/cluster/v1/directory").status, 401);
}

TEST_F(StreamDirectoryTest, TakesOverAClaimItsOwnerNoLongerConfirms_AndPeersDropItForGood) {
  MakeFakePeer("f1");
  const DirectoryEntry stale = FakeEntry(5, 1);  // the earliest claim: it wins any conflict
  fake_->owned = {stale};
  StartOrigins({"o1", "o2"});
  ASSERT_TRUE(WaitAllAlive());
  for (const char* id : {"o1", "o2"})
    ASSERT_EQ(Post(id, "announce", stale.ToJson()).status, 200);
  ASSERT_TRUE(WaitOwner("o1", "f1"));
  ASSERT_TRUE(WaitOwner("o2", "f1"));

  auto verify = [&] {
    std::promise<bool> confirmed;
    RunOn(io_, [&] {
      Dir("o1").VerifyOwner(stale, [&confirmed](bool ok) { confirmed.set_value(ok); });
    });
    return confirmed.get_future().get();
  };
  // The owner still names itself: confirmed, and nothing changes.
  RunOn(io_, [&] { fake_->answer = stale; });
  EXPECT_TRUE(verify());
  // It no longer does (404, as a restarted or dying owner answers): o1 takes the stream over,
  // and o2 drops the earlier claim for o1's because o1's announce says it replaces it.
  RunOn(io_, [&] { fake_->answer.reset(); });
  EXPECT_FALSE(verify());
  const auto refused = RunOn(io_, [&] {
    Dir("o1").Supersede(stale);
    return Dir("o1").AnnounceLocal(kKey);
  });
  EXPECT_FALSE(refused.has_value());
  EXPECT_TRUE(WaitOwner("o1", "o1"));
  EXPECT_TRUE(WaitOwner("o2", "o1"));
  // The stale owner's old messages do not bring its claim back.
  EXPECT_EQ(Post("o2", "announce", stale.ToJson()).status, 200);
  EXPECT_EQ(OwnerSeenBy("o2", kKey), "o1");
  EXPECT_EQ(OwnerSeenBy("o1", kKey), "o1");
}

}  // namespace
}  // namespace tributary::cluster
