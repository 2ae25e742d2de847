// Sessions on real media workers over loopback UDP with real ICE, DTLS and SRTP, negotiated
// with SdpOfferer/SdpAnswerer as the WHIP/WHEP service and the client tools do (no HTTP):
//
//   synthetic source -> client-role EgressSession ("the publisher", client worker)
//     -> server-role IngestSession -> Stream -> server-role EgressSession (server worker)
//     -> client-role IngestSession ("the viewer", client worker) -> recording consumers
//
// Every packet the source sends must come out of the viewer, complete and in order; the
// counters, the stream's life (grace, rebind, end) and the session lifecycle follow.

#include "sfu/MediaWorker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "SfuTestSupport.h"
#include "WorkerTestSupport.h"
#include "base/ByteIo.h"
#include "base/Clock.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/SdpOfferer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/Pli.h"
#include "sfu/MediaPlane.h"
#include "sfu/SessionAnswerer.h"

namespace tributary::sfu {
namespace {

using namespace std::chrono_literals;
using testing::BuildRtp;
using testing::Numbered;
using testing::On;
using testing::Recorder;
using testing::RecordingRtcpSink;
using testing::RecordingRtpSender;
using testing::RtpSpec;
using testing::WaitFor;
using Role = Session::Role;

// Records the workers' session events (worker threads) for the test thread.
class EventLog : public MediaWorker::Listener {
 public:
  void OnSessionConnected(MediaWorker& /*worker*/, Session& session) override {
    std::lock_guard lock(mutex_);
    connected_.push_back(session.Id());
  }
  void OnSessionClosed(MediaWorker& /*worker*/, Session& session) override {
    std::lock_guard lock(mutex_);
    closed_.emplace_back(session.Id(), session.GetCloseReason());
  }
  bool Connected(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::find(connected_.begin(), connected_.end(), id) != connected_.end();
  }
  std::optional<SessionCloseReason> Closed(const std::string& id) {
    std::lock_guard lock(mutex_);
    for (const auto& [closed_id, reason] : closed_) {
      if (closed_id == id) return reason;
    }
    return std::nullopt;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> connected_;
  std::vector<std::pair<std::string, SessionCloseReason>> closed_;
};

// Runs `fn` on the worker's thread and returns its result.
std::vector<uint8_t> PayloadOf(const std::vector<uint8_t>& packet) {
  const auto rtp = rtc::RtpPacket::Parse(packet);
  return {rtp->Payload().begin(), rtp->Payload().end()};
}

class MediaWorkerTest : public ::testing::Test {
 protected:
  MediaWorkerTest() { server_options_.stream.publisher_grace_ms = 1000; }

  static void SetUpTestSuite() {
    certificate_ = new rtc::DtlsCertificate(rtc::DtlsCertificate::Generate());
  }
  static void TearDownTestSuite() { delete certificate_; }

  void SetUp() override {
    log_level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::warn);
    dtls_ = std::make_unique<rtc::DtlsTransport::Context>(*certificate_);
    server_ = MakeWorker(0, server_options_);
    client_ = MakeWorker(1, {});
    server_->Start();
    client_->Start();
  }
  void TearDown() override {
    On(*client_, [&] {
      for (auto& [kind, recorder] : recorders_)
        recorder->stream->DetachConsumer(*recorder->consumer);
      recorders_.clear();
    });
    client_->Stop();
    server_->Stop();
    client_.reset();
    server_.reset();
    spdlog::set_level(log_level_);
  }

  std::unique_ptr<MediaWorker> MakeWorker(size_t index, MediaWorkerOptions options) {
    options.index = index;
    return std::make_unique<MediaWorker>(options, *dtls_, &events_);
  }

  // The publisher: a local stream with a VP8 and an Opus track on the client worker, and a
  // client-role egress session sending it to the server, which answers as WHIP does.
  ::testing::AssertionResult Publish(const std::string& server_id, const std::string& client_id,
                                     SessionAnswer* answer_out = nullptr,
                                     bool announce_ssrcs = true) {
    const std::string offer_sdp = On(*client_, [&] {
      Stream& local = client_->GetRouter().GetOrCreateStream(local_key_);
      if (local.ProducerCount() == 0) {
        source_.video = &local.AttachSource(testing::Vp8Producer(kVideoSsrc, kVideoRtxSsrc),
                                            nullptr, base::NowMs());
        source_.audio =
            &local.AttachSource(testing::OpusProducer(kAudioSsrc), nullptr, base::NowMs());
      }
      EgressSession& session = client_->CreateEgressSession({client_id, local_key_}, Role::kClient);
      rtc::SdpOfferOptions options;
      session.FillOfferTransport(options);
      options.sections = session.OfferSections();
      if (!announce_ssrcs) {
        for (auto& section : options.sections)
          section.ssrc = section.rtx_ssrc = 0;  // no a=ssrc: the server goes by MID
      }
      offers_[client_id] = rtc::SdpOfferer::BuildOffer(options);
      return rtc::SdpWriter::Write(offers_[client_id]);
    });
    const SessionAnswer answer = On(*server_, [&] {
      std::string error;
      auto offer = rtc::SdpParser::Parse(offer_sdp, error);
      SessionAnswerRequest request{{server_id, key_}, *offer, {"opus", "vp8"}};
      return SessionAnswerer::AnswerPublish(*server_, request);
    });
    if (answer_out != nullptr) *answer_out = answer;
    if (answer.status != SessionAnswer::Status::kCreated) {
      On(*client_, [&] { client_->DiscardSession(client_id); });
      return ::testing::AssertionFailure() << "publish refused: " << answer.reason;
    }
    return Complete(client_id, answer.answer_sdp, server_id);
  }

  // The viewer: a client-role ingest session on the client worker that plays the stream, the
  // server answering as WHEP does.
  ::testing::AssertionResult Play(const std::string& server_id, const std::string& client_id,
                                  const StreamKey& view_key, SessionAnswer* answer_out = nullptr) {
    const std::string offer_sdp = On(*client_, [&] {
      IngestSession& session = client_->CreateIngestSession({client_id, view_key}, Role::kClient);
      rtc::SdpOfferOptions options;
      session.FillOfferTransport(options);
      options.sections = IngestSession::ReceiveOfferSections();
      offers_[client_id] = rtc::SdpOfferer::BuildOffer(options);
      return rtc::SdpWriter::Write(offers_[client_id]);
    });
    const SessionAnswer answer = On(*server_, [&] {
      std::string error;
      auto offer = rtc::SdpParser::Parse(offer_sdp, error);
      return SessionAnswerer::AnswerPlay(*server_, {{server_id, key_}, *offer, {}});
    });
    if (answer_out != nullptr) *answer_out = answer;
    if (answer.status != SessionAnswer::Status::kCreated) {
      On(*client_, [&] { client_->DiscardSession(client_id); });
      return ::testing::AssertionFailure() << "play refused: " << answer.reason;
    }
    return Complete(client_id, answer.answer_sdp, server_id);
  }

  // The client applies the answer and both ends connect.
  ::testing::AssertionResult Complete(const std::string& client_id, const std::string& answer_sdp,
                                      const std::string& server_id) {
    const std::string error = On(*client_, [&]() -> std::string {
      std::string error;
      auto answer = rtc::SdpParser::Parse(answer_sdp, error);
      if (!answer) return "answer: " + error;
      auto negotiation = rtc::SdpOfferer::ApplyAnswer(offers_[client_id], *answer, error);
      if (!negotiation) return "apply: " + error;
      Session* session = client_->FindSession(client_id);
      if (!session->Start(*negotiation, base::NowMs(), error)) return "start: " + error;
      return {};
    });
    if (!error.empty()) return ::testing::AssertionFailure() << error;
    if (!WaitFor([&] { return events_.Connected(client_id) && events_.Connected(server_id); })) {
      return ::testing::AssertionFailure() << client_id << " / " << server_id << " not connected";
    }
    return ::testing::AssertionSuccess();
  }

  // Recording consumers on every track the viewer session `view_key` receives.
  void RecordViewer(const StreamKey& view_key) {
    On(*client_, [&] {
      Stream* stream = client_->GetRouter().FindStream(view_key);
      ASSERT_NE(stream, nullptr);
      for (size_t i = 0; i < stream->ProducerCount(); ++i) {
        Producer& producer = stream->ProducerAt(i);
        ConsumerParameters params;
        params.kind = producer.Kind();
        params.codecs = producer.Parameters().codecs;
        params.ssrc = 1000 + static_cast<uint32_t>(i);
        auto recorder = std::make_unique<Recorder>();
        recorder->consumer =
            std::make_unique<Consumer>(params, recorder->sender, recorder->rtcp, *stream);
        stream->AttachConsumer(producer, *recorder->consumer, base::NowMs());
        recorder->stream = stream;
        recorders_[producer.Kind()] = std::move(recorder);
      }
    });
  }

  // What the viewer received on `kind` so far (payloads).
  std::vector<std::vector<uint8_t>> Received(rtc::MediaKind kind) {
    return On(*client_, [&] {
      std::vector<std::vector<uint8_t>> out;
      const auto it = recorders_.find(kind);
      if (it == recorders_.end()) return out;
      for (const auto& packet : it->second->sender.packets)
        out.push_back(PayloadOf(packet));
      return out;
    });
  }

  // Sends `count` video packets (a keyframe every 30, starting with one) and as many audio
  // packets from the local source, paced in bursts; returns the payloads in order.
  void Send(size_t count, std::vector<std::vector<uint8_t>>& video,
            std::vector<std::vector<uint8_t>>& audio) {
    source_.Send(*client_, count, video, audio);
  }

  MediaStats ServerStats() {
    return On(*server_, [&] { return server_->CollectStats(); });
  }

  static constexpr uint32_t kVideoSsrc = 0x11223344;
  static constexpr uint32_t kVideoRtxSsrc = 0x55667788;
  static constexpr uint32_t kAudioSsrc = 0x5ca1ab1e;

  static rtc::DtlsCertificate* certificate_;
  spdlog::level::level_enum log_level_ = spdlog::level::info;
  std::unique_ptr<rtc::DtlsTransport::Context> dtls_;
  MediaWorkerOptions server_options_;
  EventLog events_;
  std::unique_ptr<MediaWorker> server_;
  std::unique_ptr<MediaWorker> client_;
  const StreamKey key_{"demo", "live", "cam"};
  const StreamKey local_key_{"local", "source", "cam"};
  std::map<std::string, rtc::SessionDescription> offers_;
  std::map<rtc::MediaKind, std::unique_ptr<Recorder>> recorders_;  // client worker's
  testing::NumberedSource source_;  // the local source's producers, on the client worker
};

rtc::DtlsCertificate* MediaWorkerTest::certificate_ = nullptr;

TEST_F(MediaWorkerTest, PublishedPacketsReachTheViewerCompleteAndInOrder) {
  ASSERT_TRUE(Publish("pub", "pub-client"));
  const StreamKey view_key{"local", "viewer", "cam"};
  ASSERT_TRUE(Play("view", "view-client", view_key));
  RecordViewer(view_key);

  std::vector<std::vector<uint8_t>> video, audio;
  Send(300, video, audio);
  ASSERT_TRUE(WaitFor([&] {
    return Received(rtc::MediaKind::kVideo).size() >= video.size() &&
           Received(rtc::MediaKind::kAudio).size() >= audio.size();
  })) << "video "
      << Received(rtc::MediaKind::kVideo).size() << "/" << video.size() << ", audio "
      << Received(rtc::MediaKind::kAudio).size() << "/" << audio.size();
  EXPECT_EQ(Received(rtc::MediaKind::kVideo), video);
  EXPECT_EQ(Received(rtc::MediaKind::kAudio), audio);

  const MediaStats stats = ServerStats();
  ASSERT_EQ(stats.vhosts.count("demo"), 1u);
  const VhostMediaStats& demo = stats.vhosts.at("demo");
  EXPECT_EQ(demo.publish_sessions, 1u);
  EXPECT_EQ(demo.play_sessions, 1u);
  EXPECT_EQ(demo.streams, 1u);
  EXPECT_GE(demo.traffic.rtp_packets_in, video.size() + audio.size());
  EXPECT_GE(demo.traffic.rtp_packets_out, video.size() + audio.size());
  // SRTP adds its tag to every packet on the wire.
  EXPECT_GT(demo.traffic.rtp_bytes_in, demo.traffic.rtp_packets_in * 100);
  EXPECT_EQ(demo.traffic.Drops(DropReason::kSrtp), 0u);
  EXPECT_EQ(demo.traffic.Drops(DropReason::kUnknownSsrc), 0u);

  // The viewer leaves (DELETE): its session ends, the publisher's stays.
  On(*server_, [&] { EXPECT_TRUE(server_->CloseSession("view", SessionCloseReason::kDeleted)); });
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("view").has_value(); }));
  EXPECT_EQ(*events_.Closed("view"), SessionCloseReason::kDeleted);
  // The client hears the close_notify.
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("view-client").has_value(); }));
  EXPECT_EQ(*events_.Closed("view-client"), SessionCloseReason::kDtlsClosed);
  const MediaStats after = ServerStats();
  EXPECT_EQ(after.vhosts.at("demo").play_sessions, 0u);
  EXPECT_EQ(after.vhosts.at("demo").publish_sessions, 1u);
  // Closed sessions' counts stay in the totals.
  EXPECT_GE(after.vhosts.at("demo").traffic.rtp_packets_out, demo.traffic.rtp_packets_out);
}

TEST_F(MediaWorkerTest, RoutesByMid_WhenTheOfferAnnouncesNoSsrc) {
  SessionAnswer answer;
  ASSERT_TRUE(Publish("pub", "pub-client", &answer, /*announce_ssrcs=*/false));
  ASSERT_EQ(rtc::SdpWriter::Write(offers_["pub-client"]).find("a=ssrc"), std::string::npos);
  const StreamKey view_key{"local", "viewer", "cam"};
  ASSERT_TRUE(Play("view", "view-client", view_key));
  RecordViewer(view_key);
  std::vector<std::vector<uint8_t>> video, audio;
  Send(90, video, audio);
  ASSERT_TRUE(WaitFor([&] {
    return Received(rtc::MediaKind::kVideo).size() >= video.size() &&
           Received(rtc::MediaKind::kAudio).size() >= audio.size();
  }));
  EXPECT_EQ(Received(rtc::MediaKind::kVideo), video);
  EXPECT_EQ(Received(rtc::MediaKind::kAudio), audio);
  EXPECT_EQ(ServerStats().vhosts["demo"].traffic.Drops(DropReason::kUnknownSsrc), 0u);
}

TEST_F(MediaWorkerTest, MediaFlowsOn_AfterAnIceRestartBothWays) {
  ASSERT_TRUE(Publish("pub", "pub-client"));
  const StreamKey view_key{"local", "viewer", "cam"};
  ASSERT_TRUE(Play("view", "view-client", view_key));
  RecordViewer(view_key);
  // The viewer's client asks for a restart, the server answers it (what a PATCH carries).
  // (named, not a structured binding: clang 14 cannot capture one in the lambdas below)
  const auto restart = On(*client_, [&] {
    Session* session = client_->FindSession("view-client");
    std::string error;
    auto offer = session->RequestIceRestart(error);
    EXPECT_TRUE(offer) << error;
    return std::pair{session->RemoteUfrag(), offer.value_or("")};
  });
  const std::string& old_ufrag = restart.first;
  const std::string& fragment = restart.second;
  const std::string answer = On(*server_, [&] {
    std::string error;
    auto parsed = rtc::SdpParser::ParseFragment(fragment, error);
    EXPECT_TRUE(parsed) << error;
    Session* session = server_->FindSession("view");
    EXPECT_TRUE(parsed->RestartsIce(session->RemoteUfrag()));
    auto reply = session->RestartIce(*parsed, error);
    EXPECT_TRUE(reply) << error;
    return reply.value_or("");
  });
  On(*client_, [&] {
    std::string error;
    auto parsed = rtc::SdpParser::ParseFragment(answer, error);
    ASSERT_TRUE(parsed) << error;
    Session* session = client_->FindSession("view-client");
    EXPECT_TRUE(session->ApplyIceRestartAnswer(*parsed, error)) << error;
    EXPECT_NE(session->RemoteUfrag(), old_ufrag);
  });
  // The new checks (with the new credentials on both sides) succeed.
  ASSERT_TRUE(WaitFor([&] {
    return On(*client_, [&] {
      const auto* ice = client_->FindSession("view-client")->Transport().GetIceClient();
      return ice != nullptr && ice->GetState() == rtc::IceClient::State::kConnected;
    });
  }));
  std::vector<std::vector<uint8_t>> video, audio;
  Send(90, video, audio);
  ASSERT_TRUE(WaitFor([&] {
    return Received(rtc::MediaKind::kVideo).size() >= video.size() &&
           Received(rtc::MediaKind::kAudio).size() >= audio.size();
  }));
  EXPECT_EQ(Received(rtc::MediaKind::kVideo), video);
  EXPECT_EQ(Received(rtc::MediaKind::kAudio), audio);
  EXPECT_FALSE(events_.Closed("view").has_value());
  EXPECT_FALSE(events_.Closed("view-client").has_value());
}

// A viewer's NACK and PLI, sent as real SRTCP by the viewer's client session, go to the consumer
// of their media SSRC: the NACK is answered with an RTX packet on the RTX SSRC the answer
// announced, and picture loss reaches the publisher as PLI; the publisher's sender reports reach
// the producers.
TEST_F(MediaWorkerTest, ViewerFeedback_ReachesItsConsumer_AndThePublisher) {
  ASSERT_TRUE(Publish("pub", "pub-client"));
  const StreamKey view_key{"local", "viewer", "cam"};
  ASSERT_TRUE(Play("view", "view-client", view_key));
  RecordViewer(view_key);
  std::vector<std::vector<uint8_t>> video, audio;
  Send(30, video, audio);
  ASSERT_TRUE(WaitFor([&] { return Received(rtc::MediaKind::kVideo).size() >= video.size(); }));

  On(*client_, [&] {
    const Producer* producer =
        client_->GetRouter().FindStream(view_key)->FindProducer(rtc::MediaKind::kVideo);
    const uint32_t ssrc = producer->MediaSsrc();
    const rtc::rtcp::NackItem item{
        static_cast<uint16_t>(producer->Receiver()->ExtendedHighestSeq() - 3), 0};
    rtc::rtcp::Nack nack;
    nack.SetSenderSsrc(0x5eed);
    nack.SetMediaSsrc(ssrc);
    nack.SetItems({&item, 1});
    rtc::rtcp::Pli pli;
    pli.SetSenderSsrc(0x5eed);
    pli.SetMediaSsrc(ssrc);
    std::vector<uint8_t> compound(200);
    size_t size = nack.Serialize(compound);
    size += pli.Serialize(std::span(compound).subspan(size));
    compound.resize(size);
    ASSERT_TRUE(client_->FindSession("view-client")->Transport().SendRtcpPacket(compound));
  });

  ASSERT_TRUE(WaitFor([&] {
    const SessionCounters viewer =
        On(*server_, [&] { return server_->FindSession("view")->GetCounters(); });
    return viewer.nacks_in == 1 && viewer.plis_in >= 1 && viewer.retransmissions == 1;
  })) <<
      [&] {
        const SessionCounters viewer =
            On(*server_, [&] { return server_->FindSession("view")->GetCounters(); });
        return "nacks_in " + std::to_string(viewer.nacks_in) + " plis_in " +
               std::to_string(viewer.plis_in) + " retransmissions " +
               std::to_string(viewer.retransmissions) + " rtcp_in " +
               std::to_string(viewer.rtcp_packets_in);
      }();
  // The retransmission came as RTX, on the RTX SSRC of the answer's FID group.
  ASSERT_TRUE(WaitFor([&] {
    return On(*client_, [&] {
      const Producer* producer =
          client_->GetRouter().FindStream(view_key)->FindProducer(rtc::MediaKind::kVideo);
      return producer->GetCounters().rtx_packets_in == 1 &&
             producer->GetCounters().drops.duplicate == 1;
    });
  }));
  // The publisher's sender reports reach the producer of their SSRC.
  ASSERT_TRUE(WaitFor([&] {
    return On(*server_, [&] {
      const auto* session = static_cast<IngestSession*>(server_->FindSession("pub"));
      for (size_t i = 0; i < session->TrackCount(); ++i) {
        if (session->TrackProducer(i).GetCounters().sender_reports_in == 0) return false;
      }
      return session->TrackCount() == 2;
    });
  }));
  // Picture loss travels on to the publisher.
  ASSERT_TRUE(WaitFor([&] {
    return On(*client_, [&] {
      const auto* session = static_cast<EgressSession*>(client_->FindSession("pub-client"));
      for (size_t i = 0; i < session->TrackCount(); ++i) {
        const Consumer* consumer = session->ConsumerAt(i);
        if (consumer != nullptr && consumer->IsVideo() && consumer->GetCounters().pli_in > 0) {
          return true;
        }
      }
      return false;
    });
  }));
}

TEST_F(MediaWorkerTest, PlayWaitsForALiveStream_AndASecondPublisherConflicts) {
  SessionAnswer answer;
  EXPECT_FALSE(Play("early", "early-client", {"local", "viewer", "cam"}, &answer));
  EXPECT_EQ(answer.status, SessionAnswer::Status::kNotLive);
  EXPECT_NE(answer.reason.find("not live"), std::string::npos) << answer.reason;

  ASSERT_TRUE(Publish("pub", "pub-client"));
  EXPECT_FALSE(Publish("pub2", "pub2-client", &answer));
  EXPECT_EQ(answer.status, SessionAnswer::Status::kConflict);
  EXPECT_NE(answer.reason.find("already being published"), std::string::npos) << answer.reason;

  // An offer without a codec we take: the negotiator's reason, and no session is left behind.
  const SessionAnswer bad = On(*server_, [&] {
    std::string offer_text = rtc::SdpWriter::Write(offers_["pub-client"]);
    for (const std::string codec : {"VP8/90000", "opus/48000/2"}) {
      for (size_t at = offer_text.find(codec); at != std::string::npos;
           at = offer_text.find(codec)) {
        offer_text.replace(at, codec.size(), "theora/90000");
      }
    }
    std::string error;
    auto offer = rtc::SdpParser::Parse(offer_text, error);
    return SessionAnswerer::AnswerPublish(*server_,
                                          {{"bad", {"demo", "live", "other"}}, *offer, {}});
  });
  EXPECT_EQ(bad.status, SessionAnswer::Status::kBadOffer);
  EXPECT_NE(bad.reason.find("codec"), std::string::npos) << bad.reason;
  EXPECT_EQ(On(*server_, [&] { return server_->FindSession("bad"); }), nullptr);
  EXPECT_EQ(ServerStats().vhosts["demo"].publish_sessions, 1u);
}

TEST_F(MediaWorkerTest, ViewerResumes_WhenThePublisherReturnsWithinGrace) {
  ASSERT_TRUE(Publish("pub", "pub-client"));
  const StreamKey view_key{"local", "viewer", "cam"};
  ASSERT_TRUE(Play("view", "view-client", view_key));
  RecordViewer(view_key);
  std::vector<std::vector<uint8_t>> video, audio;
  Send(60, video, audio);
  ASSERT_TRUE(WaitFor([&] { return Received(rtc::MediaKind::kVideo).size() >= video.size(); }));

  // The publisher drops; within the grace period another one publishes the same stream.
  On(*server_, [&] { server_->CloseSession("pub", SessionCloseReason::kConsentExpired); });
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("pub-client").has_value(); }));
  ASSERT_TRUE(Publish("pub-again", "pub-again-client"));
  Send(60, video, audio);
  ASSERT_TRUE(WaitFor([&] {
    return Received(rtc::MediaKind::kVideo).size() >= video.size() &&
           Received(rtc::MediaKind::kAudio).size() >= audio.size();
  })) << "video "
      << Received(rtc::MediaKind::kVideo).size() << "/" << video.size();
  EXPECT_EQ(Received(rtc::MediaKind::kVideo), video);
  EXPECT_EQ(Received(rtc::MediaKind::kAudio), audio);
  EXPECT_FALSE(events_.Closed("view").has_value());
  // The viewer saw one continuous stream: its producer never restarted.
  On(*client_, [&] {
    const Producer* producer =
        client_->GetRouter().FindStream(view_key)->FindProducer(rtc::MediaKind::kVideo);
    EXPECT_EQ(producer->GetCounters().restarts, 0u);
    EXPECT_EQ(producer->GetCounters().drops.sequence_jump, 0u);
  });
}

TEST_F(MediaWorkerTest, ViewersEndWithTheSource_WhenGraceExpires) {
  ASSERT_TRUE(Publish("pub", "pub-client"));
  ASSERT_TRUE(Play("view", "view-client", {"local", "viewer", "cam"}));
  On(*server_, [&] { server_->CloseSession("pub", SessionCloseReason::kDeleted); });
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("view").has_value(); }, 3s));
  EXPECT_EQ(*events_.Closed("view"), SessionCloseReason::kSourceEnded);
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("view-client").has_value(); }));
  ASSERT_TRUE(WaitFor([&] { return ServerStats().vhosts["demo"].streams == 0; }));
  const MediaStats stats = ServerStats();
  EXPECT_EQ(stats.vhosts.at("demo").play_sessions, 0u);
  EXPECT_EQ(stats.vhosts.at("demo").publish_sessions, 0u);
}

}  // namespace
}  // namespace tributary::sfu
