// The cluster control plane across real node processes on loopback: three origins and an edge
// from temp configs, plus a fourth origin run inside the test (a real StreamDirectory behind a
// real HttpServer, so that the test can publish a stream into the mesh before the media layer
// can). Heartbeats every second, dead after 3 missed: the defaults.

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/ClusterRoutes.h"
#include "cluster/HeartbeatResponder.h"
#include "cluster/StreamDirectory.h"
#include "http/HttpRouter.h"
#include "metrics/Metrics.h"
#include "net/HttpClient.h"
#include "net/HttpServer.h"
#include "net/IoThread.h"
#include "support/FreePort.h"
#include "support/NodeProcess.h"
#include "support/TempDir.h"
#include "support/TestConfig.h"

namespace tributary::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "integration-cluster-secret-77";
const sfu::StreamKey kKey{"demo", "live", "cam"};

std::string Url(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

// A GET signed with the cluster secret, as a member of the cluster named "tester".
net::HttpClientResult SignedGet(const std::string& url, const std::string& secret = kSecret) {
  net::HttpClientRequest request;
  request.url = url;
  request.timeout = 2s;
  cluster::ClusterAuth(secret, "tester").SignRequest(request);
  return net::HttpClient::Fetch(std::move(request));
}

nlohmann::json GetJson(const std::string& url) {
  const auto result = net::HttpClient::Get(url);
  if (!result.Ok() || result.status != 200) return nullptr;
  return nlohmann::json::parse(result.body, nullptr, false);
}

// The value of `sample` ("name{labels}") in a node's /metrics; -1 when absent.
double Metric(const std::string& base_url, const std::string& sample) {
  const auto result = net::HttpClient::Get(base_url + "/metrics");
  const auto at = result.body.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(result.body.substr(at + sample.size() + 2));
}

// The "state" of peer `id` in an origin's /api/v1/cluster ("" when not listed).
std::string PeerState(const std::string& base_url, const std::string& id) {
  const auto view = GetJson(base_url + "/api/v1/cluster");
  if (!view.is_object()) return "";
  for (const auto& peer : view["peers"]) {
    if (peer["id"] == id) return peer["state"];
  }
  return "";
}

// The edge's pick order, from its /api/v1/cluster.
std::vector<std::string> EdgePick(const std::string& edge_url) {
  const auto view = GetJson(edge_url + "/api/v1/cluster");
  if (!view.is_object()) return {};
  return view["pick"].get<std::vector<std::string>>();
}

// The owner origin of kKey according to an origin's signed stream query ("" for 404).
std::string OwnerSeenBy(const std::string& base_url) {
  const auto result = SignedGet(base_url + "/cluster/v1/streams/demo/live/cam");
  if (!result.Ok() || result.status != 200) return "";
  return nlohmann::json::parse(result.body, nullptr, false).value("owner", "");
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

// Origin "o4", inside the test: the library's StreamDirectory, heartbeats and /cluster/v1/
// routes behind a real HttpServer on its configured port.
class InProcessOrigin : private cluster::StreamDirectory::Listener {
 public:
  InProcessOrigin(uint16_t port, std::vector<cluster::PeerMonitor::Target> peers)
      : self_{"o4", config::NodeRole::kOrigin, "eu", Url(port), "test-" + std::to_string(port)},
        auth_(kSecret, "o4"),
        routes_(router_, auth_),
        heartbeats_(self_, nullptr) {
    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    settings.listen.port = port;
    server_ = std::make_unique<net::HttpServer>(
        io_.Context(), settings,
        [this](net::HttpExchange exchange) { router_.Dispatch(exchange); });
    cluster::StreamDirectory::Options options;
    options.peers = std::move(peers);
    directory_ = std::make_unique<cluster::StreamDirectory>(
        io_.Context(), self_, auth_, net::HttpClient::Options(), options, metrics_,
        static_cast<cluster::StreamDirectory::Listener&>(*this));
    heartbeats_.AddRoutes(routes_);
    directory_->AddRoutes(routes_);
    server_->Start();
    directory_->Start();
    io_.Start();
  }
  // Dies without a word: no unannounce, no more heartbeats or answers.
  ~InProcessOrigin() override {
    Run([this] {
      directory_.reset();
      server_.reset();
    });
    io_.Stop();
  }

  void Announce(const sfu::StreamKey& key) {
    Run([&] { directory_->AnnounceLocal(key); });
  }

 private:
  void OnStreamAnnounced(const cluster::DirectoryEntry&) override {}
  void OnStreamRemoved(const cluster::DirectoryEntry&,
                       cluster::StreamDirectory::RemovalReason) override {}
  void OnLocalClaimLost(const sfu::StreamKey&, const cluster::DirectoryEntry&) override {}

  template <typename Fn>
  void Run(Fn&& fn) {
    std::promise<void> done;
    boost::asio::post(io_.Context(), [&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  net::IoThread io_{"o4"};
  cluster::NodeIdentity self_;
  cluster::ClusterAuth auth_;
  http::HttpRouter router_;
  cluster::ClusterRoutes routes_;
  cluster::HeartbeatResponder heartbeats_;
  metrics::Metrics metrics_{"test", "origin"};
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<cluster::StreamDirectory> directory_;
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"o1", "o2", "o3", "o4", "e1"})
      ports_[id] = FreeTcpPort();
    TestVhost demo;
    dir_.Write("vhosts/demo.yaml", demo.ToYaml());
  }

  // The config of node `id`: every node of the cluster in its directory.
  std::string WriteConfig(const std::string& id) {
    TestNode node;
    node.id = id;
    node.role = id[0] == 'e' ? "edge" : "origin";
    node.region = id == "e1" ? "us" : "eu";
    node.http_port = ports_[id];
    node.secret = kSecret;
    for (const auto& [other, port] : ports_) {
      if (other == id) continue;
      node.others.push_back(
          {other, other[0] == 'e' ? "edge" : "origin", Url(port), other == "e1" ? "us" : "eu"});
    }
    if (node.role == "edge") node.origins = {"o1", "o2"};
    if (id == "o2") node.cluster_yaml = "  region_map:\n    - {cidr: 10.2.0.0/16, region: us}\n";
    return dir_.Write(id + ".yaml", node.ToYaml());
  }

  std::unique_ptr<NodeProcess> StartNode(const std::string& id) {
    const std::string binary = id[0] == 'e' ? "tributary-edge" : "tributary-origin";
    auto process = std::make_unique<NodeProcess>(
        NodeProcess::BinaryPath(binary), std::vector<std::string>{"--config", configs_[id]});
    EXPECT_TRUE(process->WaitHealthy(Url(ports_[id]))) << process->Describe();
    return process;
  }

  std::unique_ptr<InProcessOrigin> StartO4() {
    std::vector<cluster::PeerMonitor::Target> peers;
    for (const char* id : {"o1", "o2", "o3"})
      peers.push_back({id, Url(ports_[id])});
    return std::make_unique<InProcessOrigin>(ports_["o4"], peers);
  }

  std::string U(const std::string& id) { return Url(ports_[id]); }

  TempDir dir_;
  std::map<std::string, uint16_t> ports_;
  std::map<std::string, std::string> configs_;
};

TEST_F(ClusterTest, MeshSharesStreams_DetectsDeathAndReturn_AndTheEdgeFailsOver) {
  for (const char* id : {"o1", "o2", "o3", "e1"})
    configs_[id] = WriteConfig(id);
  auto o4 = StartO4();
  auto o2 = StartNode("o2");
  auto o3 = StartNode("o3");
  // The edge starts while its first origin is down: it picks the second.
  auto e1 = StartNode("e1");
  ASSERT_TRUE(WaitUntil(
      [&] {
        return EdgePick(U("e1")) == std::vector<std::string>{"o2", "o1"};
      },
      3s))
      << e1->Describe();
  auto o1 = StartNode("o1");
  ASSERT_TRUE(WaitUntil(
      [&] {
        return EdgePick(U("e1")) == std::vector<std::string>{"o1", "o2"};
      },
      3s))
      << e1->Describe();
  const auto edge_view = GetJson(U("e1") + "/api/v1/cluster");
  EXPECT_EQ(edge_view["policy"], "failover");
  EXPECT_EQ(edge_view["origins"][0]["id"], "o1");
  EXPECT_EQ(edge_view["origins"][0]["state"], "alive");
  EXPECT_EQ(Metric(U("e1"), "tributary_peers{state=\"alive\"}"), 2);

  // Node-to-node routes want the cluster credential.
  const std::string directory = U("o1") + "/cluster/v1/directory";
  const auto unsigned_result = net::HttpClient::Get(directory);
  EXPECT_EQ(unsigned_result.status, 401) << unsigned_result.body;
  EXPECT_NE(nlohmann::json::parse(unsigned_result.body, nullptr, false).value("error", ""), "");
  const auto wrong_secret = SignedGet(directory, "not-the-cluster-secret-at-all");
  EXPECT_EQ(wrong_secret.status, 401) << wrong_secret.body;
  net::HttpClientRequest tampered;
  tampered.method = net::HttpMethod::post;
  tampered.url = U("o1") + "/cluster/v1/heartbeat";
  tampered.body = R"({"node":"tester"})";
  cluster::ClusterAuth(kSecret, "tester").SignRequest(tampered);
  tampered.body = R"({"node":"o2"})";
  EXPECT_EQ(net::HttpClient::Fetch(tampered).status, 401);
  EXPECT_EQ(SignedGet(directory).status, 200);

  // The mesh is up: every origin sees the three others.
  for (const char* origin : {"o1", "o2", "o3"}) {
    for (const char* peer : {"o1", "o2", "o3", "o4"}) {
      if (std::string(origin) == peer) continue;
      ASSERT_TRUE(WaitUntil([&] { return PeerState(U(origin), peer) == "alive"; }, 3s))
          << origin << " does not see " << peer;
    }
  }
  // The origins know the edge from its heartbeats.
  const auto origin_view = GetJson(U("o2") + "/api/v1/cluster");
  ASSERT_EQ(origin_view["edges"].size(), 1u) << origin_view.dump();
  EXPECT_EQ(origin_view["edges"][0]["id"], "e1");
  EXPECT_EQ(origin_view["edges"][0]["region"], "us");
  EXPECT_EQ(origin_view["edges"][0]["url"], U("e1"));
  EXPECT_EQ(origin_view["edges"][0]["state"], "alive");

  // o4 publishes: every other origin lists the stream within a second.
  auto start = std::chrono::steady_clock::now();
  o4->Announce(kKey);
  for (const char* origin : {"o1", "o2", "o3"}) {
    EXPECT_TRUE(WaitUntil([&] { return OwnerSeenBy(U(origin)) == "o4"; }, 1s)) << origin;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_EQ(Metric(U("o3"), "tributary_directory_streams"), 1);
  const auto listed = GetJson(U("o3") + "/api/v1/cluster")["directory"]["streams"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["url"], U("o4"));

  // o4 dies silently and o1 is SIGKILLed: the others drop o4's stream, count both dead, and
  // the edge fails over to o2, all within about three heartbeats.
  start = std::chrono::steady_clock::now();
  o4.reset();
  o1->Signal(SIGKILL);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return OwnerSeenBy(U("o2")).empty() && OwnerSeenBy(U("o3")).empty() &&
               Metric(U("o2"), "tributary_peers{state=\"dead\"}") == 2 &&
               Metric(U("o3"), "tributary_peers{state=\"dead\"}") == 2 &&
               EdgePick(U("e1")) == std::vector<std::string>{"o2", "o1"};
      },
      5s));
  const auto detected = std::chrono::steady_clock::now() - start;
  EXPECT_LT(detected, 4s) << "took "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(detected).count()
                          << " ms";
  EXPECT_EQ(PeerState(U("o2"), "o1"), "dead");
  EXPECT_EQ(PeerState(U("o3"), "o4"), "dead");
  EXPECT_EQ(Metric(U("o2"), "tributary_directory_streams"), 0);
  EXPECT_EQ(Metric(U("e1"), "tributary_peers{state=\"dead\"}"), 1);

  // Both come back; o4 publishes again before anyone sees it: the syncs that follow their
  // first answers bring the stream to every origin, the restarted o1 included.
  o1 = StartNode("o1");
  o4 = StartO4();
  o4->Announce(kKey);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return PeerState(U("o2"), "o1") == "alive" && PeerState(U("o3"), "o4") == "alive" &&
               Metric(U("o2"), "tributary_peers{state=\"dead\"}") == 0 &&
               OwnerSeenBy(U("o1")) == "o4" && OwnerSeenBy(U("o2")) == "o4" &&
               OwnerSeenBy(U("o3")) == "o4" &&
               EdgePick(U("e1")) == std::vector<std::string>{"o1", "o2"};
      },
      4s));
}

}  // namespace
}  // namespace tributary::testing
