// Two DtlsTransports, a server and a client, wired back to back in memory: every datagram one
// sends is fed to the other (unless the test drops it), timers run on the real clock.
//
// With TRIBUTARY_DTLS_CORPUS_DIR set, the datagrams of these handshakes are written there: that
// is how tests/fuzz/corpus/DtlsRecordFuzz/ was made.

#include "rtc/DtlsTransport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "TestSupport.h"
#include "rtc/DtlsRecord.h"

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;
using Role = DtlsTransport::Role;
using State = DtlsTransport::State;

Bytes ToBytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

struct Endpoint : DtlsTransport::Listener {
  std::string name;
  std::unique_ptr<DtlsTransport> transport;
  std::deque<Bytes> outbox;  // sent, not yet delivered
  std::vector<Bytes> sent;   // everything ever sent
  bool connected = false;
  SrtpProfile profile = SrtpProfile::kNone;
  Bytes local_keying_material;
  Bytes remote_keying_material;
  std::vector<Bytes> received;
  bool closed = false;
  std::string failure;
  std::function<void(DtlsTransport&)> on_send;  // a listener that reacts from the callback

  explicit Endpoint(std::string n) : name(std::move(n)) {}

  void OnDtlsSendData(DtlsTransport& t, std::span<const uint8_t> datagram) override {
    outbox.emplace_back(datagram.begin(), datagram.end());
    sent.emplace_back(datagram.begin(), datagram.end());
    if (on_send) on_send(t);
  }
  void OnDtlsConnected(DtlsTransport&, SrtpProfile p, std::span<const uint8_t> local,
                       std::span<const uint8_t> remote) override {
    connected = true;
    profile = p;
    local_keying_material.assign(local.begin(), local.end());
    remote_keying_material.assign(remote.begin(), remote.end());
  }
  void OnDtlsApplicationData(DtlsTransport&, std::span<const uint8_t> data) override {
    received.emplace_back(data.begin(), data.end());
  }
  void OnDtlsClosed(DtlsTransport&) override { closed = true; }
  void OnDtlsFailed(DtlsTransport&, std::string_view reason) override {
    failure = std::string(reason);
  }

  bool Done() const {
    const State state = transport->GetState();
    return state == State::kConnected || state == State::kFailed || state == State::kClosed;
  }
};

// Decides whether the n-th datagram (0-based, per sender) from `from` is lost.
using DropRule = std::function<bool(const Endpoint& from, size_t index, const Bytes& datagram)>;

class Link {
 public:
  Link(DtlsTransport::Context& server_context, DtlsTransport::Context& client_context,
       DtlsTransport::Settings settings = {})
      : server("server"), client("client") {
    server.transport = std::make_unique<DtlsTransport>(server_context, server, settings);
    client.transport = std::make_unique<DtlsTransport>(client_context, client, settings);
    server_fingerprint = client_context.LocalFingerprint();  // placeholder, replaced below
    server_fingerprint = server_context.LocalFingerprint();
    client_fingerprint = client_context.LocalFingerprint();
  }

  void Start() { Start(client_fingerprint, server_fingerprint); }
  // `expected_by_server` is what the server checks the client's certificate against, and so on.
  void Start(const DtlsFingerprint& expected_by_server, const DtlsFingerprint& expected_by_client) {
    server.transport->Start(Role::kServer, expected_by_server);
    client.transport->Start(Role::kClient, expected_by_client);
  }

  // Delivers datagrams both ways and runs the timers until both ends are done (or `limit`).
  void Run(DropRule drop = nullptr, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      // Both ways each round (no short circuit).
      const bool to_server = Deliver(client, server, drop);
      const bool to_client = Deliver(server, client, drop);
      if (to_server || to_client) continue;
      if (server.Done() && client.Done()) return;
      // Idle: wait for the earliest retransmission timer.
      std::optional<uint64_t> wait;
      for (Endpoint* e : {&server, &client}) {
        if (auto t = e->transport->NextTimeoutMs()) wait = std::min(wait.value_or(*t), *t);
      }
      if (!wait) return;  // nothing will ever happen
      std::this_thread::sleep_for(std::chrono::milliseconds(*wait));
      server.transport->HandleTimeout();
      client.transport->HandleTimeout();
    }
  }

  // Delivers whatever is queued (no timers), e.g. after Close() or SendApplicationData().
  void Flush() {
    for (bool moved = true; moved;) {
      const bool to_server = Deliver(client, server, nullptr);
      const bool to_client = Deliver(server, client, nullptr);
      moved = to_server || to_client;
    }
  }

  Endpoint server;
  Endpoint client;
  DtlsFingerprint server_fingerprint = DtlsCertificate::Generate().Sha256Fingerprint();
  DtlsFingerprint client_fingerprint = server_fingerprint;

 private:
  bool Deliver(Endpoint& from, Endpoint& to, const DropRule& drop) {
    bool moved = false;
    while (!from.outbox.empty()) {
      Bytes datagram = std::move(from.outbox.front());
      from.outbox.pop_front();
      const size_t index = from_counts_[&from]++;
      moved = true;
      if (drop && drop(from, index, datagram)) continue;
      to.transport->ProcessDtlsData(datagram);
    }
    return moved;
  }
  std::map<const Endpoint*, size_t> from_counts_;
};

// Writes each datagram to TRIBUTARY_DTLS_CORPUS_DIR/<prefix>-<n>, when that is set.
void SaveCorpus(const std::string& prefix, const std::vector<Bytes>& datagrams) {
  const char* dir = std::getenv("TRIBUTARY_DTLS_CORPUS_DIR");
  if (dir == nullptr) return;
  for (size_t i = 0; i < datagrams.size(); ++i) {
    std::ofstream out(std::string(dir) + "/" + prefix + "-" + std::to_string(i), std::ios::binary);
    out.write(reinterpret_cast<const char*>(datagrams[i].data()),
              static_cast<std::streamsize>(datagrams[i].size()));
  }
}

std::optional<DtlsRecord::HandshakeType> FirstHandshakeType(const Bytes& datagram) {
  const auto record = DtlsRecord::Parse(datagram);
  return record ? record->GetHandshakeType() : std::nullopt;
}

bool ContainsRecordOfType(const Bytes& datagram, DtlsRecord::ContentType type) {
  DtlsRecord::Reader reader(datagram);
  while (auto record = reader.Next()) {
    if (record->GetContentType() == type) return true;
  }
  return false;
}

class DtlsTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_certificate_ = new DtlsCertificate(DtlsCertificate::Generate());
    client_certificate_ = new DtlsCertificate(DtlsCertificate::Generate());
  }
  static void TearDownTestSuite() {
    delete server_certificate_;
    delete client_certificate_;
  }

  static DtlsCertificate* server_certificate_;
  static DtlsCertificate* client_certificate_;
  DtlsTransport::Context server_context_{*server_certificate_};
  DtlsTransport::Context client_context_{*client_certificate_};
};
DtlsCertificate* DtlsTransportTest::server_certificate_ = nullptr;
DtlsCertificate* DtlsTransportTest::client_certificate_ = nullptr;

TEST_F(DtlsTransportTest, Handshake_NegotiatesGcm_AndBothSidesDeriveMatchingKeys) {
  Link link(server_context_, client_context_);
  link.Start();
  link.Run();

  ASSERT_TRUE(link.server.connected) << link.server.failure;
  ASSERT_TRUE(link.client.connected) << link.client.failure;
  EXPECT_EQ(link.server.transport->GetState(), State::kConnected);
  EXPECT_EQ(link.server.profile, SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(link.client.profile, SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(link.client.transport->GetSrtpProfile(), SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(link.client.local_keying_material.size(), 28u);  // 16-byte key + 12-byte salt
  EXPECT_EQ(link.client.local_keying_material, link.server.remote_keying_material);
  EXPECT_EQ(link.client.remote_keying_material, link.server.local_keying_material);
  EXPECT_NE(link.client.local_keying_material, link.client.remote_keying_material);
  EXPECT_EQ(link.server.transport->NextTimeoutMs(), std::nullopt);
  EXPECT_EQ(link.client.transport->NextTimeoutMs(), std::nullopt);
  EXPECT_EQ(link.server.transport->Retransmissions(), 0u);

  // The first flight is the client's ClientHello; the server answers with a ServerHello.
  ASSERT_FALSE(link.client.sent.empty());
  ASSERT_FALSE(link.server.sent.empty());
  EXPECT_EQ(FirstHandshakeType(link.client.sent[0]), DtlsRecord::HandshakeType::kClientHello);
  EXPECT_EQ(FirstHandshakeType(link.server.sent[0]), DtlsRecord::HandshakeType::kServerHello);
  for (const auto* e : {&link.server, &link.client}) {
    for (const Bytes& datagram : e->sent) {
      EXPECT_LE(datagram.size(), 1200u);
      EXPECT_TRUE(DtlsRecord::IsWellFormedDatagram(datagram));
    }
  }

  // Keep the handshake for the DtlsRecord fuzzer's corpus, plus data and close_notify records.
  link.client.transport->SendApplicationData(ToBytes("sctp-init"));
  link.client.transport->Close();
  link.Flush();
  SaveCorpus("handshake-gcm-client", link.client.sent);
  SaveCorpus("handshake-gcm-server", link.server.sent);
}

TEST_F(DtlsTransportTest, Handshake_NegotiatesAesCm_WhenTheClientOffersOnlyThat) {
  DtlsTransport::Context::Options options;
  options.srtp_profiles = {SrtpProfile::kAesCm128HmacSha1_80};
  DtlsTransport::Context aes_cm_client(*client_certificate_, options);
  Link link(server_context_, aes_cm_client);
  link.Start();
  link.Run();

  ASSERT_TRUE(link.server.connected) << link.server.failure;
  ASSERT_TRUE(link.client.connected) << link.client.failure;
  EXPECT_EQ(link.server.profile, SrtpProfile::kAesCm128HmacSha1_80);
  EXPECT_EQ(link.client.profile, SrtpProfile::kAesCm128HmacSha1_80);
  EXPECT_EQ(link.client.local_keying_material.size(), 30u);  // 16-byte key + 14-byte salt
  EXPECT_EQ(link.client.local_keying_material, link.server.remote_keying_material);
  EXPECT_EQ(link.client.remote_keying_material, link.server.local_keying_material);
}

TEST_F(DtlsTransportTest, Handshake_FollowsServerPreference_OverClientOrder) {
  DtlsTransport::Context::Options options;
  options.srtp_profiles = {SrtpProfile::kAesCm128HmacSha1_80, SrtpProfile::kAeadAes256Gcm,
                           SrtpProfile::kAeadAes128Gcm};
  DtlsTransport::Context client(*client_certificate_, options);
  Link link(server_context_, client);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.client.connected) << link.client.failure;
  EXPECT_EQ(link.client.profile, SrtpProfile::kAeadAes128Gcm);
}

TEST_F(DtlsTransportTest, Handshake_Fails_WhenNoSrtpProfileIsShared) {
  DtlsTransport::Context::Options options;
  options.srtp_profiles = {SrtpProfile::kAesCm128HmacSha1_32};
  DtlsTransport::Context client(*client_certificate_, options);
  Link link(server_context_, client);
  link.Start();
  link.Run();
  EXPECT_EQ(link.server.transport->GetState(), State::kFailed);
  EXPECT_EQ(link.client.transport->GetState(), State::kFailed);
  EXPECT_NE(link.server.failure.find("no SRTP profile in common"), std::string::npos)
      << link.server.failure;
  EXPECT_FALSE(link.server.connected);
  EXPECT_FALSE(link.client.connected);
}

TEST_F(DtlsTransportTest, ApplicationData_FlowsBothWays) {
  Link link(server_context_, client_context_);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.client.connected);

  Bytes big(1100);
  for (size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<uint8_t>(i);
  EXPECT_TRUE(link.client.transport->SendApplicationData(ToBytes("hello server")));
  EXPECT_TRUE(link.client.transport->SendApplicationData(big));
  EXPECT_TRUE(link.server.transport->SendApplicationData(ToBytes("hello client")));
  link.Flush();
  ASSERT_EQ(link.server.received.size(), 2u);
  EXPECT_EQ(link.server.received[0], ToBytes("hello server"));
  EXPECT_EQ(link.server.received[1], big);
  ASSERT_EQ(link.client.received.size(), 1u);
  EXPECT_EQ(link.client.received[0], ToBytes("hello client"));
  // Application data is encrypted on the wire.
  const Bytes& record = link.client.sent.back();
  EXPECT_TRUE(ContainsRecordOfType(record, DtlsRecord::ContentType::kApplicationData));
  EXPECT_EQ(std::search(record.begin(), record.end(), big.begin(), big.begin() + 32), record.end());

  EXPECT_FALSE(link.client.transport->SendApplicationData(Bytes(16385)));
  EXPECT_FALSE(link.client.transport->SendApplicationData({}));
}

// A keyed session holds no OpenSSL record buffers between records (docs/performance.md,
// memory per session), and gets them back for each record in or out.
TEST_F(DtlsTransportTest, RecordBuffers_AreReleasedBetweenRecords) {
  Link link(server_context_, client_context_);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.client.connected);
  ASSERT_TRUE(link.server.connected);
  EXPECT_TRUE(link.client.transport->RecordBuffersReleased());
  EXPECT_TRUE(link.server.transport->RecordBuffersReleased());

  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(link.client.transport->SendApplicationData(ToBytes("ping")));
    EXPECT_TRUE(link.server.transport->SendApplicationData(ToBytes("pong")));
    link.Flush();
    EXPECT_TRUE(link.client.transport->RecordBuffersReleased());
    EXPECT_TRUE(link.server.transport->RecordBuffersReleased());
  }
  EXPECT_EQ(link.server.received.size(), 3u);
  EXPECT_EQ(link.client.received.size(), 3u);

  // close_notify still goes out and is answered.
  link.client.transport->Close();
  link.Flush();
  EXPECT_EQ(link.server.transport->GetState(), State::kClosed);
}

TEST_F(DtlsTransportTest, ApplicationData_SentFromOnDtlsSendData_GoesOutOnceInOrder) {
  Link link(server_context_, client_context_);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.client.connected);
  int extra = 2;
  link.client.on_send = [&](DtlsTransport& transport) {
    if (extra-- > 0) {
      EXPECT_TRUE(transport.SendApplicationData(ToBytes("extra")));
    }
  };
  const size_t before = link.client.sent.size();
  EXPECT_TRUE(link.client.transport->SendApplicationData(ToBytes("first")));
  EXPECT_EQ(link.client.sent.size(), before + 3);
  link.Flush();
  ASSERT_EQ(link.server.received.size(), 3u);
  EXPECT_EQ(link.server.received[0], ToBytes("first"));
  EXPECT_EQ(link.server.received[2], ToBytes("extra"));
}

TEST_F(DtlsTransportTest, SendApplicationData_Refuses_BeforeConnected) {
  Link link(server_context_, client_context_);
  EXPECT_FALSE(link.client.transport->SendApplicationData(ToBytes("early")));
  link.Start();
  EXPECT_FALSE(link.client.transport->SendApplicationData(ToBytes("early")));
}

TEST_F(DtlsTransportTest, CloseNotify_ClosesTheOtherSide_WhichAnswersInKind) {
  for (bool client_closes : {true, false}) {
    Link link(server_context_, client_context_);
    link.Start();
    link.Run();
    ASSERT_TRUE(link.client.connected);
    Endpoint& closer = client_closes ? link.client : link.server;
    Endpoint& other = client_closes ? link.server : link.client;

    const size_t other_sent_before = other.sent.size();
    closer.transport->Close();
    EXPECT_EQ(closer.transport->GetState(), State::kClosed);
    ASSERT_FALSE(closer.outbox.empty()) << "close_notify was not sent";
    EXPECT_TRUE(ContainsRecordOfType(closer.outbox.back(), DtlsRecord::ContentType::kAlert));
    link.Flush();

    EXPECT_TRUE(other.closed);
    EXPECT_FALSE(closer.closed) << "Close() itself reports nothing";
    EXPECT_EQ(other.transport->GetState(), State::kClosed);
    ASSERT_EQ(other.sent.size(), other_sent_before + 1) << "no close_notify in answer";
    EXPECT_TRUE(ContainsRecordOfType(other.sent.back(), DtlsRecord::ContentType::kAlert));
    EXPECT_TRUE(other.failure.empty()) << other.failure;
    EXPECT_FALSE(other.transport->SendApplicationData(ToBytes("late")));
  }
}

TEST_F(DtlsTransportTest, Handshake_Fails_WhenTheClientCertificateDoesNotMatchTheSdp) {
  Link link(server_context_, client_context_);
  const auto stranger = DtlsCertificate::Generate();
  link.Start(stranger.Sha256Fingerprint(), link.server_fingerprint);
  link.Run();

  EXPECT_EQ(link.server.transport->GetState(), State::kFailed);
  EXPECT_NE(link.server.failure.find("peer certificate does not match the remote SDP "
                                     "fingerprint (expected " +
                                     stranger.SdpFingerprint() + ", got " +
                                     client_certificate_->SdpFingerprint() + ")"),
            std::string::npos)
      << link.server.failure;
  EXPECT_EQ(link.client.transport->GetState(), State::kFailed);
  EXPECT_NE(link.client.failure.find("received fatal alert \"bad certificate\""), std::string::npos)
      << link.client.failure;
  EXPECT_FALSE(link.server.connected);
  EXPECT_FALSE(link.client.connected);
  EXPECT_EQ(link.server.transport->GetSrtpProfile(), SrtpProfile::kNone);
}

TEST_F(DtlsTransportTest, Handshake_Fails_WhenTheServerCertificateDoesNotMatchTheSdp) {
  Link link(server_context_, client_context_);
  auto wrong = DtlsFingerprint::Parse(link.server_fingerprint.ToString());
  ASSERT_TRUE(wrong.has_value());
  std::string text = wrong->ToString();
  text.back() = text.back() == '0' ? '1' : '0';  // one bit off
  link.Start(link.client_fingerprint, *DtlsFingerprint::Parse(text));
  link.Run();

  EXPECT_EQ(link.client.transport->GetState(), State::kFailed);
  EXPECT_NE(link.client.failure.find("peer certificate does not match"), std::string::npos)
      << link.client.failure;
  EXPECT_EQ(link.server.transport->GetState(), State::kFailed);
  EXPECT_NE(link.server.failure.find("bad certificate"), std::string::npos) << link.server.failure;
}

TEST_F(DtlsTransportTest, Handshake_AcceptsFingerprintsInEveryHashAlgorithm) {
  for (auto algorithm :
       {DtlsFingerprint::Algorithm::kSha1, DtlsFingerprint::Algorithm::kSha224,
        DtlsFingerprint::Algorithm::kSha384, DtlsFingerprint::Algorithm::kSha512}) {
    Link link(server_context_, client_context_);
    link.Start(client_certificate_->Fingerprint(algorithm),
               server_certificate_->Fingerprint(algorithm));
    link.Run();
    EXPECT_TRUE(link.server.connected)
        << DtlsFingerprint::AlgorithmName(algorithm) << ": " << link.server.failure;
    EXPECT_TRUE(link.client.connected) << link.client.failure;
  }
}

// Loses datagrams, each once, and checks that the retransmission timers recover.
TEST_F(DtlsTransportTest, Handshake_RecoversFromLostFlights) {
  DtlsTransport::Settings settings;
  settings.initial_retransmit_ms = 50;
  struct Case {
    const char* what;
    DropRule drop;
  };
  const std::vector<Case> cases = {
      {"the ClientHello", [](const Endpoint& from, size_t index,
                             const Bytes&) { return from.name == "client" && index == 0; }},
      {"the server's ServerHello",
       [dropped = std::make_shared<bool>(false)](const Endpoint& from, size_t,
                                                 const Bytes& datagram) {
         if (from.name != "server" || *dropped) return false;
         return *dropped = FirstHandshakeType(datagram) == DtlsRecord::HandshakeType::kServerHello;
       }},
      {"the server's first flight and its first retransmission",
       [](const Endpoint& from, size_t index, const Bytes&) {
         return from.name == "server" && index < 2;
       }},
      {"the client's Certificate",
       [dropped = std::make_shared<bool>(false)](const Endpoint& from, size_t,
                                                 const Bytes& datagram) {
         if (from.name != "client" || *dropped) return false;
         return *dropped = FirstHandshakeType(datagram) == DtlsRecord::HandshakeType::kCertificate;
       }},
      {"the server's ChangeCipherSpec+Finished",
       [dropped = std::make_shared<bool>(false)](const Endpoint& from, size_t,
                                                 const Bytes& datagram) {
         if (from.name != "server" || *dropped) return false;
         if (ContainsRecordOfType(datagram, DtlsRecord::ContentType::kChangeCipherSpec)) {
           *dropped = true;
           return true;
         }
         return false;
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Link link(server_context_, client_context_, settings);
    link.Start();
    size_t drops = 0;
    link.Run([&](const Endpoint& from, size_t index, const Bytes& datagram) {
      const bool drop = c.drop(from, index, datagram);
      drops += drop;
      return drop;
    });
    EXPECT_GE(drops, 1u);
    ASSERT_TRUE(link.server.connected) << link.server.failure;
    ASSERT_TRUE(link.client.connected) << link.client.failure;
    EXPECT_EQ(link.client.local_keying_material, link.server.remote_keying_material);
    EXPECT_GE(link.client.transport->Retransmissions() + link.server.transport->Retransmissions(),
              1u);
  }
}

TEST_F(DtlsTransportTest, NextTimeoutMs_FollowsTheSettings) {
  DtlsTransport::Settings settings;
  settings.initial_retransmit_ms = 300;
  Link link(server_context_, client_context_, settings);
  EXPECT_EQ(link.client.transport->NextTimeoutMs(), std::nullopt);
  link.Start();
  const auto timeout = link.client.transport->NextTimeoutMs();
  ASSERT_TRUE(timeout.has_value());
  EXPECT_GT(*timeout, 250u);
  EXPECT_LE(*timeout, 300u);
  // Early calls do nothing.
  link.client.outbox.clear();
  link.client.transport->HandleTimeout();
  EXPECT_TRUE(link.client.outbox.empty());
  EXPECT_EQ(link.client.transport->Retransmissions(), 0u);
  // The server has no timer until it has sent a flight.
  EXPECT_EQ(link.server.transport->NextTimeoutMs(), std::nullopt);
}

TEST_F(DtlsTransportTest, Handshake_TimesOut_WhenThePeerNeverAnswers) {
  DtlsTransport::Settings settings;
  settings.initial_retransmit_ms = 20;
  settings.max_retransmit_ms = 20;
  Link link(server_context_, client_context_, settings);
  link.Start();
  // Everything the client sends is lost.
  link.Run([](const Endpoint& from, size_t, const Bytes&) { return from.name == "client"; });
  EXPECT_EQ(link.client.transport->GetState(), State::kFailed);
  EXPECT_EQ(link.client.failure, "DTLS handshake timed out after 12 retransmissions");
  EXPECT_EQ(link.client.sent.size(), 13u);  // the ClientHello, then 12 copies
  EXPECT_EQ(link.server.transport->GetState(), State::kConnecting);
}

TEST_F(DtlsTransportTest, Handshake_FragmentsFlightsToTheMtu) {
  // A 2048-bit RSA certificate makes the Certificate message larger than the MTU.
  test::TempDirectory dir;
  if (!test::HaveOpenSslTool()) GTEST_SKIP() << "the openssl command is not installed";
  ASSERT_EQ(test::RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=rsa -days 2 "
                             "-keyout '" +
                             dir.File("k.pem") + "' -out '" + dir.File("c.pem") + "' 2>/dev/null")
                .exit_code,
            0);
  const auto rsa = DtlsCertificate::LoadPemFiles(dir.File("c.pem"), dir.File("k.pem"));
  DtlsTransport::Context rsa_context(rsa);
  DtlsTransport::Settings settings;
  settings.mtu = 300;
  Link link(rsa_context, client_context_, settings);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.server.connected) << link.server.failure;
  ASSERT_TRUE(link.client.connected) << link.client.failure;
  size_t certificate_fragments = 0;
  for (const Bytes& datagram : link.server.sent) {
    EXPECT_LE(datagram.size(), 300u);
    if (FirstHandshakeType(datagram) == DtlsRecord::HandshakeType::kCertificate) {
      ++certificate_fragments;
    }
  }
  EXPECT_GE(certificate_fragments, 3u);
  SaveCorpus("handshake-rsa-mtu300-server", link.server.sent);
  SaveCorpus("handshake-rsa-mtu300-client", link.client.sent);

  EXPECT_THROW(DtlsTransport(rsa_context, link.server, DtlsTransport::Settings{.mtu = 100}),
               std::invalid_argument);
}

TEST_F(DtlsTransportTest, Handshake_WorksWithCertificatesLoadedFromFiles) {
  test::TempDirectory dir;
  const auto generated = DtlsCertificate::Generate();
  const auto loaded = DtlsCertificate::LoadPemFiles(dir.Write("c.pem", generated.CertificatePem()),
                                                    dir.Write("k.pem", generated.PrivateKeyPem()));
  DtlsTransport::Context loaded_context(loaded);
  Link link(loaded_context, client_context_);
  link.Start();
  link.Run();
  ASSERT_TRUE(link.server.connected) << link.server.failure;
  ASSERT_TRUE(link.client.connected) << link.client.failure;
  EXPECT_EQ(loaded_context.LocalFingerprint(), generated.Sha256Fingerprint());
}

TEST_F(DtlsTransportTest, ProcessDtlsData_DropsMalformedDatagrams) {
  Link link(server_context_, client_context_);
  link.Start();
  // Before any real traffic: junk that passes RFC 7983's first-byte test but is no DTLS.
  const Bytes junk = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 1, 2, 3};
  link.server.transport->ProcessDtlsData(junk);
  link.server.transport->ProcessDtlsData({});
  EXPECT_EQ(link.server.transport->MalformedDatagrams(), 2u);
  EXPECT_TRUE(link.server.outbox.empty());
  link.Run();
  ASSERT_TRUE(link.server.connected);

  // A truncated copy of a real record, once connected.
  EXPECT_TRUE(link.client.transport->SendApplicationData(ToBytes("payload")));
  Bytes truncated = link.client.outbox.back();
  link.client.outbox.clear();
  truncated.pop_back();
  link.server.transport->ProcessDtlsData(truncated);
  EXPECT_EQ(link.server.transport->MalformedDatagrams(), 3u);
  EXPECT_TRUE(link.server.received.empty());
  EXPECT_EQ(link.server.transport->GetState(), State::kConnected);

  // A well-formed record that fails authentication is dropped by DTLS, silently.
  EXPECT_TRUE(link.client.transport->SendApplicationData(ToBytes("payload")));
  Bytes forged = link.client.outbox.back();
  link.client.outbox.clear();
  forged[forged.size() - 1] ^= 1;
  link.server.transport->ProcessDtlsData(forged);
  EXPECT_TRUE(link.server.received.empty());
  EXPECT_EQ(link.server.transport->GetState(), State::kConnected);
}

TEST_F(DtlsTransportTest, ProcessDtlsData_IgnoresDatagrams_BeforeStart) {
  Link link(server_context_, client_context_);
  link.client.transport->Start(Role::kClient, link.server_fingerprint);
  const Bytes hello = link.client.outbox.front();
  link.server.transport->ProcessDtlsData(hello);
  EXPECT_TRUE(link.server.outbox.empty());
  EXPECT_EQ(link.server.transport->GetState(), State::kNew);
}

TEST(DtlsTransportContext, Rejects_AnEmptyProfileList) {
  const auto certificate = DtlsCertificate::Generate();
  DtlsTransport::Context::Options options;
  options.srtp_profiles = {};
  EXPECT_THROW(DtlsTransport::Context(certificate, options), std::runtime_error);
}

}  // namespace
}  // namespace tributary::rtc
