// Cross-worker fan-out on a real MediaPlane with two workers, over loopback UDP with real ICE,
// DTLS and SRTP (the sessions negotiated as in MediaWorkerTest, without HTTP):
//
//   synthetic source -> client-role EgressSession ("the publisher", client worker)
//     -> IngestSession on the stream's home worker -> Stream
//          -> EgressSession on the home worker                   -> viewer 0 (client worker)
//          -> MirrorRing -> mirror Stream on the other worker
//                        -> EgressSession on the other worker    -> viewer 1 (client worker)
//
// Both viewers must receive every packet, in order; a viewer on the other worker asking for a
// keyframe must reach the publisher; statistics count the stream once with every viewer; a
// mirror nobody watches goes away and unsubscribes.

#include "sfu/MediaPlane.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include "SfuTestSupport.h"
#include "WorkerTestSupport.h"
#include "base/ByteIo.h"
#include "base/Clock.h"
#include "rtc/SdpOfferer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"
#include "rtc/rtcp/Pli.h"
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

class Connections : public MediaWorker::Listener {
 public:
  void OnSessionConnected(MediaWorker& /*worker*/, Session& session) override {
    std::lock_guard lock(mutex_);
    connected_.push_back(session.Id());
  }
  void OnSessionClosed(MediaWorker& /*worker*/, Session& session) override {
    std::lock_guard lock(mutex_);
    closed_.push_back(session.Id());
  }
  bool Connected(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::find(connected_.begin(), connected_.end(), id) != connected_.end();
  }
  bool Closed(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::find(closed_.begin(), closed_.end(), id) != closed_.end();
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> connected_;
  std::vector<std::string> closed_;
};

class MediaPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::warn);
    MediaPlaneOptions options;
    options.workers = 2;
    options.worker.mirror_linger_ms = 200;
    plane_ = std::make_unique<MediaPlane>(options, &events_);
    home_ = MediaPlane::HomeWorkerIndex(key_, 2);
    other_ = 1 - home_;
    MediaWorkerOptions client;
    client.index = 7;
    client_ = std::make_unique<MediaWorker>(client, plane_->DtlsContext(), &events_);
    plane_->Start();
    client_->Start();
  }
  void TearDown() override {
    On(*client_, [&] {
      for (auto& [name, recorder] : recorders_)
        recorder->stream->DetachConsumer(*recorder->consumer);
      recorders_.clear();
    });
    client_->Stop();
    plane_->Stop();
    client_.reset();
    plane_.reset();
    spdlog::set_level(log_level_);
  }

  MediaWorker& Server(size_t index) { return plane_->Worker(index); }

  ::testing::AssertionResult Publish() {
    const std::string offer_sdp = On(*client_, [&] {
      Stream& local = client_->GetRouter().GetOrCreateStream(local_key_);
      source_.video = &local.AttachSource(testing::Vp8Producer(kVideoSsrc, kVideoRtxSsrc), nullptr,
                                          base::NowMs());
      source_.audio =
          &local.AttachSource(testing::OpusProducer(kAudioSsrc), nullptr, base::NowMs());
      EgressSession& session =
          client_->CreateEgressSession({"pub-client", local_key_}, Role::kClient);
      rtc::SdpOfferOptions options;
      session.FillOfferTransport(options);
      options.sections = session.OfferSections();
      offers_["pub-client"] = rtc::SdpOfferer::BuildOffer(options);
      return rtc::SdpWriter::Write(offers_["pub-client"]);
    });
    MediaWorker& home = Server(plane_->PlaceSession(key_, SessionKind::kIngest));
    const SessionAnswer answer = On(home, [&] {
      std::string error;
      auto offer = rtc::SdpParser::Parse(offer_sdp, error);
      return SessionAnswerer::AnswerPublish(home, {{"pub", key_}, *offer, {"opus", "vp8"}});
    });
    if (answer.status != SessionAnswer::Status::kCreated)
      return ::testing::AssertionFailure() << "publish refused: " << answer.reason;
    return Complete("pub-client", answer.answer_sdp, "pub");
  }

  // A viewer on server worker `worker`, prepared as the WHEP service does (PrepareStream, then
  // AnswerPlay on that worker).
  ::testing::AssertionResult Play(size_t worker, const std::string& server_id,
                                  const std::string& client_id, const StreamKey& view_key) {
    const std::string offer_sdp = On(*client_, [&] {
      IngestSession& session = client_->CreateIngestSession({client_id, view_key}, Role::kClient);
      rtc::SdpOfferOptions options;
      session.FillOfferTransport(options);
      options.sections = IngestSession::ReceiveOfferSections();
      offers_[client_id] = rtc::SdpOfferer::BuildOffer(options);
      return rtc::SdpWriter::Write(offers_[client_id]);
    });
    std::string error;
    const auto offer = rtc::SdpParser::Parse(offer_sdp, error);
    MediaWorker& server = Server(worker);
    std::promise<SessionAnswer> promise;
    server.Post([&] {
      server.PrepareStream(key_, [&] {
        promise.set_value(SessionAnswerer::AnswerPlay(server, {{server_id, key_}, *offer, {}}));
      });
    });
    const SessionAnswer answer = promise.get_future().get();
    if (answer.status != SessionAnswer::Status::kCreated)
      return ::testing::AssertionFailure() << "play refused: " << answer.reason;
    return Complete(client_id, answer.answer_sdp, server_id);
  }

  ::testing::AssertionResult Complete(const std::string& client_id, const std::string& answer_sdp,
                                      const std::string& server_id) {
    const std::string error = On(*client_, [&]() -> std::string {
      std::string error;
      auto answer = rtc::SdpParser::Parse(answer_sdp, error);
      if (!answer) return "answer: " + error;
      auto negotiation = rtc::SdpOfferer::ApplyAnswer(offers_[client_id], *answer, error);
      if (!negotiation) return "apply: " + error;
      if (!client_->FindSession(client_id)->Start(*negotiation, base::NowMs(), error))
        return "start: " + error;
      return {};
    });
    if (!error.empty()) return ::testing::AssertionFailure() << error;
    if (!WaitFor([&] { return events_.Connected(client_id) && events_.Connected(server_id); }))
      return ::testing::AssertionFailure() << client_id << " / " << server_id << " not connected";
    return ::testing::AssertionSuccess();
  }

  void Record(const StreamKey& view_key) {
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
        recorders_[view_key.app + "/" + std::string(rtc::ToString(producer.Kind()))] =
            std::move(recorder);
      }
    });
  }

  // The payloads viewer `view_key` received on `kind`.
  std::vector<std::vector<uint8_t>> Received(const StreamKey& view_key, rtc::MediaKind kind) {
    return On(*client_, [&] {
      std::vector<std::vector<uint8_t>> out;
      const auto it = recorders_.find(view_key.app + "/" + std::string(rtc::ToString(kind)));
      if (it == recorders_.end()) return out;
      for (const auto& packet : it->second->sender.packets) {
        const auto rtp = rtc::RtpPacket::Parse(packet);
        out.emplace_back(rtp->Payload().begin(), rtp->Payload().end());
      }
      return out;
    });
  }

  void Send(size_t count, std::vector<std::vector<uint8_t>>& video,
            std::vector<std::vector<uint8_t>>& audio) {
    source_.Send(*client_, count, video, audio);
  }

  // The PLIs the publisher's client session received for its video track.
  uint64_t PublisherPlis() {
    return On(*client_, [&] {
      const auto* session = static_cast<EgressSession*>(client_->FindSession("pub-client"));
      uint64_t plis = 0;
      for (size_t i = 0; i < session->TrackCount(); ++i) {
        const Consumer* consumer = session->ConsumerAt(i);
        if (consumer != nullptr && consumer->IsVideo()) plis += consumer->GetCounters().pli_in;
      }
      return plis;
    });
  }

  MediaStats PlaneStats() {
    boost::asio::io_context reply;
    MediaStats out;
    bool done = false;
    plane_->CollectStats(reply, [&](MediaStats stats) {
      out = std::move(stats);
      done = true;
    });
    while (!done) {
      reply.run_for(10ms);
      reply.restart();
    }
    return out;
  }

  static constexpr uint32_t kVideoSsrc = 0x11223344;
  static constexpr uint32_t kVideoRtxSsrc = 0x55667788;
  static constexpr uint32_t kAudioSsrc = 0x5ca1ab1e;

  spdlog::level::level_enum log_level_ = spdlog::level::info;
  Connections events_;
  std::unique_ptr<MediaPlane> plane_;
  std::unique_ptr<MediaWorker> client_;
  size_t home_ = 0;
  size_t other_ = 1;
  const StreamKey key_{"demo", "live", "cam"};
  const StreamKey local_key_{"local", "source", "cam"};
  const StreamKey view0_{"local", "viewer0", "cam"};
  const StreamKey view1_{"local", "viewer1", "cam"};
  std::map<std::string, rtc::SessionDescription> offers_;
  std::map<std::string, std::unique_ptr<Recorder>> recorders_;  // client worker's
  testing::NumberedSource source_;  // the local source's producers, on the client worker
};

TEST_F(MediaPlaneTest, ViewersOnBothWorkers_ReceiveEveryPacketInOrder) {
  ASSERT_TRUE(Publish());
  ASSERT_TRUE(On(Server(home_), [&] { return Server(home_).FindSession("pub") != nullptr; }));
  ASSERT_TRUE(Play(home_, "view0", "view0-client", view0_));
  ASSERT_TRUE(Play(other_, "view1", "view1-client", view1_));
  Record(view0_);
  Record(view1_);
  // The other worker mirrors the stream; the home worker copies into its ring.
  EXPECT_EQ(On(Server(other_), [&] { return Server(other_).MirrorCount(); }), 1u);
  EXPECT_EQ(
      On(Server(home_), [&] { return Server(home_).GetRouter().FindStream(key_)->MirrorCount(); }),
      1u);

  std::vector<std::vector<uint8_t>> video, audio;
  Send(300, video, audio);
  for (const StreamKey* view : {&view0_, &view1_}) {
    ASSERT_TRUE(WaitFor([&] {
      return Received(*view, rtc::MediaKind::kVideo).size() >= video.size() &&
             Received(*view, rtc::MediaKind::kAudio).size() >= audio.size();
    })) << view->app
        << ": video " << Received(*view, rtc::MediaKind::kVideo).size() << "/" << video.size()
        << ", audio " << Received(*view, rtc::MediaKind::kAudio).size() << "/" << audio.size();
    EXPECT_EQ(Received(*view, rtc::MediaKind::kVideo), video) << view->app;
    EXPECT_EQ(Received(*view, rtc::MediaKind::kAudio), audio) << view->app;
  }

  // One stream, its viewers summed over the workers (2 tracks x 2 viewers).
  const MediaStats stats = PlaneStats();
  EXPECT_EQ(stats.vhosts.at("demo").streams, 1u);
  EXPECT_EQ(stats.vhosts.at("demo").play_sessions, 2u);
  EXPECT_EQ(stats.vhosts.at("demo").publish_sessions, 1u);
  size_t rows = 0;
  for (const StreamSnapshot& stream : stats.streams) {
    if (!(stream.key == key_)) continue;
    ++rows;
    EXPECT_FALSE(stream.mirror);
    EXPECT_EQ(stream.consumers, 4u);
    EXPECT_EQ(stream.state, "live");
    EXPECT_GE(stream.packets_in, video.size() + audio.size());
  }
  EXPECT_EQ(rows, 1u);
  EXPECT_GE(stats.mirror_rings.packets, video.size() + audio.size());
  EXPECT_EQ(stats.mirror_rings.full, 0u);
  EXPECT_GE(stats.vhosts.at("demo").traffic.rtp_packets_out, 2 * (video.size() + audio.size()));
}

TEST_F(MediaPlaneTest, KeyframeRequestFromAViewerOnTheOtherWorker_ReachesThePublisher) {
  ASSERT_TRUE(Publish());
  ASSERT_TRUE(Play(other_, "view1", "view1-client", view1_));
  Record(view1_);
  std::vector<std::vector<uint8_t>> video, audio;
  Send(30, video, audio);
  ASSERT_TRUE(
      WaitFor([&] { return Received(view1_, rtc::MediaKind::kVideo).size() >= video.size(); }));
  // The join's own request (and its throttled trailer) has come and gone.
  std::this_thread::sleep_for(700ms);
  const uint64_t before = PublisherPlis();

  On(*client_, [&] {
    const Producer* producer =
        client_->GetRouter().FindStream(view1_)->FindProducer(rtc::MediaKind::kVideo);
    rtc::rtcp::Pli pli;
    pli.SetSenderSsrc(0x5eed);
    pli.SetMediaSsrc(producer->MediaSsrc());
    std::vector<uint8_t> packet(64);
    packet.resize(pli.Serialize(packet));
    ASSERT_TRUE(client_->FindSession("view1-client")->Transport().SendRtcpPacket(packet));
  });
  ASSERT_TRUE(WaitFor([&] { return PublisherPlis() > before; }))
      << "the publisher got " << PublisherPlis() << " PLIs, " << before << " before";
  // It went through the mirror: the viewer's consumer is on the other worker (its client asked
  // once more on its own when it started).
  EXPECT_GE(On(Server(other_),
               [&] { return Server(other_).FindSession("view1")->GetCounters().plis_in; }),
            1u);
  EXPECT_GE(
      On(Server(other_),
         [&] {
           return Server(other_).GetRouter().FindStream(key_)->GetCounters().keyframe_requests;
         }),
      2u);  // the join's and the viewer's
}

TEST_F(MediaPlaneTest, MirrorWithoutViewers_GoesAwayAndUnsubscribes) {
  ASSERT_TRUE(Publish());
  ASSERT_TRUE(Play(other_, "view1", "view1-client", view1_));
  On(Server(other_), [&] { Server(other_).CloseSession("view1", SessionCloseReason::kDeleted); });
  ASSERT_TRUE(WaitFor([&] { return events_.Closed("view1"); }));
  ASSERT_TRUE(WaitFor([&] {
    return On(Server(other_), [&] { return Server(other_).MirrorCount(); }) == 0 &&
           On(Server(home_),
              [&] { return Server(home_).GetRouter().FindStream(key_)->MirrorCount(); }) == 0;
  }));
  // A new viewer there subscribes again and gets media.
  ASSERT_TRUE(Play(other_, "view2", "view2-client", view0_));
  Record(view0_);
  std::vector<std::vector<uint8_t>> video, audio;
  Send(60, video, audio);
  ASSERT_TRUE(
      WaitFor([&] { return Received(view0_, rtc::MediaKind::kVideo).size() >= video.size(); }));
  EXPECT_EQ(Received(view0_, rtc::MediaKind::kVideo), video);
}

TEST_F(MediaPlaneTest, PlacesViewersOnTheLeastLoadedWorker_PublishersAtHome) {
  EXPECT_EQ(plane_->PlaceSession(key_, SessionKind::kIngest), home_);
  // Placements count until the worker takes them: four viewers spread two and two.
  std::vector<size_t> per_worker(2);
  for (int i = 0; i < 4; ++i)
    ++per_worker[plane_->PlaceSession(key_, SessionKind::kEgress)];
  EXPECT_EQ(per_worker[0], 2u);
  EXPECT_EQ(per_worker[1], 2u);
  for (size_t w = 0; w < 2; ++w) {
    EXPECT_EQ(Server(w).Load(), 2u);
    On(Server(w), [&] {
      Server(w).PlacementArrived();
      Server(w).PlacementArrived();
    });
    EXPECT_EQ(Server(w).Load(), 0u);
  }
}

}  // namespace
}  // namespace tributary::sfu
