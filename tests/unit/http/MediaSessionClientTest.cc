// WhipClient and WhepClient against a WHIP/WHEP server made for the test from the real parts:
// an HttpServer whose routes answer offers with sfu::SessionAnswerer on a server MediaWorker
// (as the node's routes do), 201 + Location + ETag, 409 + Retry-After when nothing is live,
// DELETE and PATCH on the resource. The clients run on a client MediaWorker over loopback UDP
// with real ICE, DTLS and SRTP:
//
//   synthetic VP8 source -> local stream -> WhipClient (client egress) -> server ingest
//     -> server stream -> server egress -> WhepClient (client ingest) -> local stream
//     -> recording consumer

#include "http/WhepClient.h"
#include "http/WhipClient.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "../sfu/SfuTestSupport.h"
#include "../sfu/WorkerTestSupport.h"
#include "base/Clock.h"
#include "net/HttpServer.h"
#include "net/IoThread.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/SdpParser.h"
#include "sfu/Consumer.h"
#include "sfu/IngestSession.h"
#include "sfu/SessionAnswerer.h"
#include "testmedia/ProbePayload.h"
#include "testmedia/SyntheticVideoSource.h"

namespace tributary::http {
namespace {

using namespace std::chrono_literals;
using Kind = ClientError::Kind;
using State = MediaSessionClient::State;

using sfu::testing::On;
using sfu::testing::WaitFor;

// Session events of the server worker, for the test thread.
class ServerEvents : public sfu::MediaWorker::Listener {
 public:
  void OnSessionConnected(sfu::MediaWorker&, sfu::Session& session) override {
    std::lock_guard lock(mutex_);
    connected_.push_back(session.Id());
  }
  void OnSessionClosed(sfu::MediaWorker&, sfu::Session& session) override {
    std::lock_guard lock(mutex_);
    closed_[session.Id()] = session.GetCloseReason();
  }
  bool Connected(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::find(connected_.begin(), connected_.end(), id) != connected_.end();
  }
  std::optional<sfu::SessionCloseReason> Closed(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = closed_.find(id);
    return it == closed_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> connected_;
  std::map<std::string, sfu::SessionCloseReason> closed_;
};

// What the server saw: method and target of every request.
struct SeenRequest {
  net::HttpMethod method;
  std::string target;
  std::string if_match;
  std::string authorization;
};

class MediaSessionClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificate_ = new rtc::DtlsCertificate(rtc::DtlsCertificate::Generate());
  }
  static void TearDownTestSuite() { delete certificate_; }

  void SetUp() override {
    log_level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::warn);
    dtls_ = std::make_unique<rtc::DtlsTransport::Context>(*certificate_);
    sfu::MediaWorkerOptions server_options;
    server_ = std::make_unique<sfu::MediaWorker>(server_options, *dtls_, &server_events_);
    sfu::MediaWorkerOptions client_options;
    client_options.index = 1;
    client_options.session.transport.connect_timeout_ms = 5000;
    client_ = std::make_unique<sfu::MediaWorker>(client_options, *dtls_, &dispatcher_);
    server_->Start();
    client_->Start();

    config::HttpSettings settings;
    settings.listen.host = "127.0.0.1";
    http_server_ = std::make_unique<net::HttpServer>(
        http_io_.Context(), settings, [this](net::HttpExchange exchange) { Serve(exchange); });
    http_server_->Start();
    base_ = "http://127.0.0.1:" + std::to_string(http_server_->LocalAddress().Port());
    http_io_.Start();
    On(*client_, [&] { http_client_ = std::make_unique<net::HttpClient>(client_->Context()); });
  }

  void TearDown() override {
    On(*client_, [&] {
      for (auto& recorder : recorders_)
        recorder.stream->DetachConsumer(*recorder.consumer);
      recorders_.clear();
      whip_.reset();
      whep_.reset();
      source_timer_.reset();
      if (local_stream_ != nullptr && video_ != nullptr) {
        local_stream_->DetachSource(*video_, base::NowMs());
      }
      http_client_.reset();
    });
    client_->Stop();
    server_->Stop();
    http_server_.reset();
    http_io_.Stop();
    spdlog::set_level(log_level_);
  }

  // ---- the server ----

  void Serve(net::HttpExchange exchange) {
    const net::HttpRequest& request = exchange.Request();
    const std::string path(exchange.Target().Path());
    {
      std::lock_guard lock(mutex_);
      seen_.push_back({request.method(), std::string(request.target()),
                       std::string(request["If-Match"]), std::string(request["Authorization"])});
      const auto canned = canned_.find(path);
      if (canned != canned_.end()) return exchange.Respond(canned->second(request));
    }
    const bool whip = path.rfind("/whip/live/", 0) == 0;
    const bool whep = path.rfind("/whep/live/", 0) == 0;
    if (request.method() == net::HttpMethod::post && (whip || whep)) {
      std::string error;
      auto offer = rtc::SdpParser::Parse(request.body(), error);
      if (!offer) {
        return exchange.Respond(net::MakeErrorResponse(net::HttpStatus::bad_request, error));
      }
      const std::string id = (whip ? "pub-" : "view-") + std::to_string(++next_id_);
      sfu::SessionAnswerRequest answer_request{{id, key_}, std::move(*offer), {}};
      server_->Post([this, exchange, whip, id, answer_request = std::move(answer_request)] {
        const sfu::SessionAnswer answer =
            whip ? sfu::SessionAnswerer::AnswerPublish(*server_, answer_request)
                 : sfu::SessionAnswerer::AnswerPlay(*server_, answer_request);
        switch (answer.status) {
          case sfu::SessionAnswer::Status::kCreated: {
            auto response =
                net::MakeResponse(net::HttpStatus::created, answer.answer_sdp, "application/sdp");
            response.set("Location", "../resource/" + id);
            response.set("ETag", "\"" + answer.ice_ufrag + "\"");
            return exchange.Respond(std::move(response));
          }
          case sfu::SessionAnswer::Status::kNotLive: {
            auto response = net::MakeErrorResponse(net::HttpStatus::conflict, answer.reason);
            response.set("Retry-After", "1");
            return exchange.Respond(std::move(response));
          }
          case sfu::SessionAnswer::Status::kConflict:
            return exchange.Respond(
                net::MakeErrorResponse(net::HttpStatus::conflict, answer.reason));
          default:
            return exchange.Respond(
                net::MakeErrorResponse(net::HttpStatus::bad_request, answer.reason));
        }
      });
      return;
    }
    if (path.rfind("/whip/resource/", 0) == 0 || path.rfind("/whep/resource/", 0) == 0) {
      const std::string id = path.substr(path.rfind('/') + 1);
      if (request.method() == net::HttpMethod::delete_) {
        server_->Post([this, exchange, id] {
          const bool closed = server_->CloseSession(id, sfu::SessionCloseReason::kDeleted);
          exchange.Respond(closed ? net::HttpResponse{net::HttpStatus::no_content, 11}
                                  : net::MakeErrorResponse(net::HttpStatus::not_found, id));
        });
        return;
      }
      if (request.method() == net::HttpMethod::patch) {
        std::string error;
        auto fragment = rtc::SdpParser::ParseFragment(request.body(), error);
        server_->Post([this, exchange, id, fragment, error]() mutable {
          sfu::Session* session = server_->FindSession(id);
          if (session == nullptr || !fragment) {
            return exchange.Respond(net::MakeErrorResponse(net::HttpStatus::bad_request, error));
          }
          auto answer = session->RestartIce(*fragment, error);
          if (!answer) {
            return exchange.Respond(net::MakeErrorResponse(net::HttpStatus::bad_request, error));
          }
          auto response =
              net::MakeResponse(net::HttpStatus::ok, *answer, "application/trickle-ice-sdpfrag");
          response.set("ETag", "\"" + session->LocalUfrag() + "\"");
          exchange.Respond(std::move(response));
        });
        return;
      }
    }
    exchange.Respond(net::MakeErrorResponse(net::HttpStatus::not_found, path));
  }

  void Script(const std::string& path,
              std::function<net::HttpResponse(const net::HttpRequest&)> f) {
    std::lock_guard lock(mutex_);
    canned_[path] = std::move(f);
  }

  std::vector<SeenRequest> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

  sfu::MediaStats ServerStats() {
    return On(*server_, [&] { return server_->CollectStats(); });
  }
  uint64_t ServerSessions() {
    return On(*server_, [&] { return server_->SessionCount(); });
  }

  // ---- the clients ----

  // A local stream with a synthetic VP8 track, fed every 5 ms from the client worker.
  void StartSource() {
    On(*client_, [&] {
      local_stream_ = &client_->GetRouter().GetOrCreateStream(local_key_);
      video_ = &local_stream_->AttachSource(sfu::testing::Vp8Producer(kSsrc, kRtxSsrc),
                                            &source_rtcp_, base::NowMs());
      testmedia::SyntheticVideoOptions options;
      options.ssrc = kSsrc;
      options.publisher = 0xC0FFEE;
      options.keyframe_interval_ms = 500;
      options.bitrate_bps = 500'000;
      source_ = std::make_unique<testmedia::SyntheticVideoSource>(options);
      source_timer_ = std::make_unique<boost::asio::steady_timer>(client_->Context());
      Feed();
    });
  }
  void Feed() {
    // A wait that had completed when TearDown reset the timer still runs its handler.
    if (!source_timer_) return;
    const uint64_t now = base::NowUs();
    source_->Generate(now, base::WallClockUs(), [&](const testmedia::SyntheticPacket& p) {
      video_->ReceiveRtpPacket(p.rtp, now);
    });
    // A PLI from the server (through the session's consumer): the next frame is a keyframe.
    if (source_rtcp_.datagrams.size() > rtcp_seen_) {
      for (size_t i = rtcp_seen_; i < source_rtcp_.datagrams.size(); ++i) {
        if (!sfu::testing::ParseRtcp(source_rtcp_.datagrams[i]).pli.empty()) {
          source_->RequestKeyframe();
        }
      }
      rtcp_seen_ = source_rtcp_.datagrams.size();
    }
    source_timer_->expires_after(5ms);
    source_timer_->async_wait([this](boost::system::error_code ec) {
      if (!ec) Feed();
    });
  }

  MediaSessionClient::Options Options(const sfu::StreamKey& key) {
    MediaSessionClient::Options options;
    options.local_key = key;
    options.signaling.bearer_token = "secret";
    options.connect_timeout = 5s;
    return options;
  }

  // Starts `client` on the client worker; waits for its first callback.
  ClientError StartClient(MediaSessionClient& client) {
    std::promise<ClientError> done;
    On(*client_, [&] { client.Start([&](const ClientError& error) { done.set_value(error); }); });
    auto future = done.get_future();
    if (future.wait_for(15s) != std::future_status::ready) {
      return ClientError::Make(Kind::kCancelled, "the start callback never came");
    }
    return future.get();
  }
  ClientError CloseClient(MediaSessionClient& client) {
    std::promise<ClientError> done;
    On(*client_, [&] { client.Close([&](const ClientError& error) { done.set_value(error); }); });
    return done.get_future().get();
  }

  std::unique_ptr<WhipClient> MakeWhip(const std::string& path,
                                       MediaSessionClient::Options options) {
    return On(*client_, [&] {
      return std::make_unique<WhipClient>(client_->Context(), *http_client_, *client_, dispatcher_,
                                          base_ + path, std::move(options));
    });
  }
  std::unique_ptr<WhepClient> MakeWhep(const std::string& path,
                                       MediaSessionClient::Options options) {
    options.on_started = [this](sfu::Session& session) { Record(session); };
    return On(*client_, [&] {
      return std::make_unique<WhepClient>(client_->Context(), *http_client_, *client_, dispatcher_,
                                          base_ + path, std::move(options));
    });
  }

  // Worker thread: a recording consumer on each track the viewer session feeds.
  void Record(sfu::Session& session) {
    auto& ingest = dynamic_cast<sfu::IngestSession&>(session);
    for (size_t i = 0; i < ingest.TrackCount(); ++i) {
      sfu::Producer& producer = ingest.TrackProducer(i);
      sfu::ConsumerParameters params;
      params.kind = producer.Kind();
      params.codecs = producer.Parameters().codecs;
      params.ssrc = 7000 + static_cast<uint32_t>(i);
      Recorder& recorder = recorders_.emplace_back();
      recorder.stream = ingest.GetStream();
      recorder.consumer =
          std::make_unique<sfu::Consumer>(params, recorder.sender, recorder.rtcp, *recorder.stream);
      recorder.stream->AttachConsumer(producer, *recorder.consumer, base::NowMs());
    }
  }
  // The probe counters the viewer received so far.
  std::vector<uint32_t> ReceivedCounters() {
    return On(*client_, [&] {
      std::vector<uint32_t> out;
      for (const Recorder& recorder : recorders_) {
        for (size_t i = 0; i < recorder.sender.packets.size(); ++i) {
          const auto probe = testmedia::ProbePayload::ReadVp8(recorder.sender.Packet(i).Payload());
          if (probe) out.push_back(probe->counter);
        }
      }
      return out;
    });
  }

  // Publishes the local source through WHIP; asserts it connected.
  void Publish() {
    StartSource();
    whip_ = MakeWhip("/whip/live/cam", Options(local_key_));
    const ClientError error = StartClient(*whip_);
    ASSERT_TRUE(error.Ok()) << error.ToString();
  }

  struct Recorder {
    sfu::testing::RecordingRtpSender sender;
    sfu::testing::RecordingRtcpSink rtcp;
    std::unique_ptr<sfu::Consumer> consumer;
    sfu::Stream* stream = nullptr;
  };

  static constexpr uint32_t kSsrc = 0x0A0B0C0D;
  static constexpr uint32_t kRtxSsrc = 0x0E0F1011;
  static rtc::DtlsCertificate* certificate_;
  spdlog::level::level_enum log_level_ = spdlog::level::info;
  std::unique_ptr<rtc::DtlsTransport::Context> dtls_;
  ServerEvents server_events_;
  ServerEvents other_client_events_;  // what the dispatcher passes on
  ClientSessionDispatcher dispatcher_{&other_client_events_};
  std::unique_ptr<sfu::MediaWorker> server_;
  std::unique_ptr<sfu::MediaWorker> client_;
  net::IoThread http_io_{"whip-whep-server"};
  std::unique_ptr<net::HttpServer> http_server_;
  std::string base_;
  std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  std::map<std::string, std::function<net::HttpResponse(const net::HttpRequest&)>> canned_;
  std::atomic<int> next_id_{0};
  const sfu::StreamKey key_{"demo", "live", "cam"};
  const sfu::StreamKey local_key_{"local", "source", "cam"};
  const sfu::StreamKey view_key_{"local", "viewer", "cam"};

  // Client worker's.
  std::unique_ptr<net::HttpClient> http_client_;
  sfu::Stream* local_stream_ = nullptr;
  sfu::Producer* video_ = nullptr;
  sfu::testing::RecordingRtcpSink source_rtcp_;
  size_t rtcp_seen_ = 0;
  std::unique_ptr<testmedia::SyntheticVideoSource> source_;
  std::unique_ptr<boost::asio::steady_timer> source_timer_;
  std::unique_ptr<WhipClient> whip_;
  std::unique_ptr<WhepClient> whep_;
  std::vector<Recorder> recorders_;
};

rtc::DtlsCertificate* MediaSessionClientTest::certificate_ = nullptr;

TEST_F(MediaSessionClientTest, PublishesAndPlaysThroughWhipAndWhep_ThenDeletesBoth) {
  ASSERT_NO_FATAL_FAILURE(Publish());
  EXPECT_EQ(On(*client_, [&] { return whip_->GetState(); }), State::kConnected);
  const std::string resource = On(*client_, [&] { return whip_->ResourceUrl(); });
  EXPECT_EQ(resource, base_ + "/whip/resource/pub-1");
  ASSERT_TRUE(WaitFor([&] { return server_events_.Connected("pub-1"); }));

  whep_ = MakeWhep("/whep/live/cam", Options(view_key_));
  const ClientError played = StartClient(*whep_);
  ASSERT_TRUE(played.Ok()) << played.ToString();
  ASSERT_TRUE(WaitFor([&] { return ReceivedCounters().size() >= 60; }))
      << ReceivedCounters().size() << " packets";

  // From the first keyframe the viewer got, every counter in order and none missing.
  const auto counters = ReceivedCounters();
  for (size_t i = 1; i < counters.size(); ++i)
    ASSERT_EQ(counters[i], counters[i - 1] + 1) << i;
  const auto timing = On(*client_, [&] { return whep_->GetTiming(); });
  ASSERT_TRUE(timing.answered && timing.connected);
  EXPECT_LE(*timing.answered, *timing.connected);

  const sfu::MediaStats stats = ServerStats();
  EXPECT_EQ(stats.vhosts.at("demo").publish_sessions, 1u);
  EXPECT_EQ(stats.vhosts.at("demo").play_sessions, 1u);

  EXPECT_TRUE(CloseClient(*whep_).Ok());
  EXPECT_TRUE(CloseClient(*whip_).Ok());
  EXPECT_EQ(On(*client_, [&] { return whip_->GetState(); }), State::kClosed);
  ASSERT_TRUE(WaitFor([&] { return ServerSessions() == 0; }));
  EXPECT_EQ(*server_events_.Closed("pub-1"), sfu::SessionCloseReason::kDeleted);
  EXPECT_EQ(*server_events_.Closed("view-2"), sfu::SessionCloseReason::kDeleted);
  ASSERT_TRUE(WaitFor([&] { return On(*client_, [&] { return client_->SessionCount(); }) == 0; }));
  EXPECT_EQ(dispatcher_.RegisteredCount(), 0u);
  // The clients' sessions were theirs: nothing reached the listener behind the dispatcher.
  const std::string whip_id = On(*client_, [&] { return whip_->SessionId(); });
  EXPECT_FALSE(other_client_events_.Connected(whip_id));
  EXPECT_FALSE(other_client_events_.Closed(whip_id));

  const auto seen = Seen();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].authorization, "Bearer secret");
  EXPECT_EQ(seen[2].method, net::HttpMethod::delete_);
  EXPECT_EQ(seen[2].target, "/whep/resource/view-2");
  EXPECT_EQ(seen[3].target, "/whip/resource/pub-1");
}

TEST_F(MediaSessionClientTest, DispatcherPassesOtherSessionsToTheNextListener) {
  On(*client_, [&] {
    client_->CreateIngestSession({"someone-else", view_key_}, sfu::Session::Role::kClient);
    client_->CloseSession("someone-else", sfu::SessionCloseReason::kKicked);
  });
  ASSERT_TRUE(WaitFor([&] { return other_client_events_.Closed("someone-else").has_value(); }));
  EXPECT_EQ(*other_client_events_.Closed("someone-else"), sfu::SessionCloseReason::kKicked);
  EXPECT_EQ(dispatcher_.RegisteredCount(), 0u);
}

TEST_F(MediaSessionClientTest, ReportsNotLive_WhenPlayingBeforeAnyonePublishes_ThenPlays) {
  whep_ = MakeWhep("/whep/live/cam", Options(view_key_));
  ClientError error = StartClient(*whep_);
  EXPECT_EQ(error.kind, Kind::kNotLive) << error.ToString();
  EXPECT_EQ(error.status, 409);
  ASSERT_TRUE(error.retry_after);
  EXPECT_EQ(*error.retry_after, 1000ms);
  EXPECT_EQ(On(*client_, [&] { return whep_->GetState(); }), State::kFailed);
  // The client's session went with the failure.
  ASSERT_TRUE(WaitFor([&] { return On(*client_, [&] { return client_->SessionCount(); }) == 0; }));
  EXPECT_EQ(dispatcher_.RegisteredCount(), 0u);

  // The publisher arrives; the same client starts again and plays.
  ASSERT_NO_FATAL_FAILURE(Publish());
  error = StartClient(*whep_);
  ASSERT_TRUE(error.Ok()) << error.ToString();
  ASSERT_TRUE(WaitFor([&] { return ReceivedCounters().size() >= 10; }));
}

TEST_F(MediaSessionClientTest, FollowsARedirectToWhereTheStreamIs) {
  Script("/whip/elsewhere/cam", [](const net::HttpRequest&) {
    net::HttpResponse response{net::HttpStatus::temporary_redirect, 11};
    response.set("Location", "/whip/live/cam");
    response.prepare_payload();
    return response;
  });
  StartSource();
  whip_ = MakeWhip("/whip/elsewhere/cam", Options(local_key_));
  const ClientError error = StartClient(*whip_);
  ASSERT_TRUE(error.Ok()) << error.ToString();
  const auto offer = On(*client_, [&] { return whip_->LastOffer(); });
  EXPECT_EQ(offer.redirects, std::vector<std::string>{base_ + "/whip/live/cam"});
  EXPECT_EQ(offer.resource_url, base_ + "/whip/resource/pub-1");
}

TEST_F(MediaSessionClientTest, ReportsTheServersRefusal_AndLeavesNoSessionBehind) {
  Script("/whip/live/forbidden", [](const net::HttpRequest&) {
    return net::MakeErrorResponse(net::HttpStatus::unauthorized, "bad publish token");
  });
  StartSource();
  whip_ = MakeWhip("/whip/live/forbidden", Options(local_key_));
  const ClientError error = StartClient(*whip_);
  EXPECT_EQ(error.kind, Kind::kHttpStatus);
  EXPECT_EQ(error.status, 401);
  EXPECT_NE(error.reason.find("401 Unauthorized: bad publish token"), std::string::npos)
      << error.reason;
  ASSERT_TRUE(WaitFor([&] { return On(*client_, [&] { return client_->SessionCount(); }) == 0; }));
}

TEST_F(MediaSessionClientTest, RejectsAnAnswerThatDoesNotFitTheOffer_AndDeletesTheResource) {
  Script("/whep/live/odd", [](const net::HttpRequest&) {
    auto response = net::MakeResponse(
        net::HttpStatus::created,
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP "
        "webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n",
        "application/sdp");
    response.set("Location", "/whep/resource/odd");
    return response;
  });
  whep_ = MakeWhep("/whep/live/odd", Options(view_key_));
  const ClientError error = StartClient(*whep_);
  EXPECT_EQ(error.kind, Kind::kSdpRejected) << error.ToString();
  EXPECT_NE(error.reason.find("does not fit our offer"), std::string::npos) << error.reason;
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& seen : Seen()) {
      if (seen.method == net::HttpMethod::delete_ && seen.target == "/whep/resource/odd")
        return true;
    }
    return false;
  }));
}

TEST_F(MediaSessionClientTest, ReportsATransportFailure_WhenTheServerIsUnreachable) {
  StartSource();
  MediaSessionClient::Options options = Options(local_key_);
  options.connect_timeout = 1500ms;
  // The answer's candidates point at a port where nothing listens.
  options.answer_filter = [](rtc::SessionDescription& answer) {
    for (auto& m : answer.media) {
      for (auto& c : m.candidates)
        c.port = 9;
    }
  };
  whip_ = MakeWhip("/whip/live/cam", options);
  const ClientError error = StartClient(*whip_);
  EXPECT_EQ(error.kind, Kind::kTransport) << error.ToString();
  // The server's session goes with the resource.
  ASSERT_TRUE(WaitFor([&] { return ServerSessions() == 0; }));
  EXPECT_EQ(*server_events_.Closed("pub-1"), sfu::SessionCloseReason::kDeleted);
}

TEST_F(MediaSessionClientTest, TellsWhenTheServerEndsTheSession) {
  StartSource();
  std::promise<ClientError> ended;
  MediaSessionClient::Options options = Options(local_key_);
  options.on_ended = [&](const ClientError& error) { ended.set_value(error); };
  whip_ = MakeWhip("/whip/live/cam", options);
  ASSERT_TRUE(StartClient(*whip_).Ok());
  ASSERT_TRUE(WaitFor([&] { return server_events_.Connected("pub-1"); }));
  On(*server_, [&] { server_->CloseSession("pub-1", sfu::SessionCloseReason::kKicked); });
  auto future = ended.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  const ClientError error = future.get();
  EXPECT_EQ(error.kind, Kind::kClosed);
  EXPECT_NE(error.reason.find("DTLS"), std::string::npos) << error.reason;  // close_notify
  EXPECT_EQ(On(*client_, [&] { return whip_->GetState(); }), State::kClosed);
  // The client deletes the resource anyway (the server may not have).
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& seen : Seen()) {
      if (seen.method == net::HttpMethod::delete_) return true;
    }
    return false;
  }));
}

TEST_F(MediaSessionClientTest, RestartsIce_WithIfMatch_AndMediaKeepsFlowing) {
  ASSERT_NO_FATAL_FAILURE(Publish());
  ASSERT_TRUE(WaitFor([&] { return server_events_.Connected("pub-1"); }));
  const std::string ufrag_before =
      On(*server_, [&] { return server_->FindSession("pub-1")->LocalUfrag(); });
  std::promise<ClientError> done;
  On(*client_, [&] { whip_->RestartIce([&](const ClientError& e) { done.set_value(e); }); });
  const ClientError error = done.get_future().get();
  ASSERT_TRUE(error.Ok()) << error.ToString();
  const auto seen = Seen();
  ASSERT_EQ(seen.back().method, net::HttpMethod::patch);
  EXPECT_EQ(seen.back().target, "/whip/resource/pub-1");
  EXPECT_FALSE(seen.back().if_match.empty());
  const std::string ufrag_after =
      On(*server_, [&] { return server_->FindSession("pub-1")->LocalUfrag(); });
  EXPECT_NE(ufrag_after, ufrag_before);

  // Media goes on over the restarted ICE (checks with the new credentials).
  const uint64_t before = ServerStats().Total().rtp_packets_in;
  ASSERT_TRUE(WaitFor([&] { return ServerStats().Total().rtp_packets_in > before + 50; }));
  EXPECT_EQ(On(*client_, [&] { return whip_->GetState(); }), State::kConnected);
}

}  // namespace
}  // namespace tributary::http
