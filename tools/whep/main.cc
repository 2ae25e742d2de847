// tributary-whep: plays a stream from a WHEP endpoint, the way an edge pulls one from an origin,
// and measures what arrives: a client-role IngestSession feeds a local stream whose producers
// send NACKs and receiver reports to the server (and recover its retransmissions), and a local
// consumer per track hands every delivered packet to the statistics (testmedia::ViewerStats).
//
//   tributary-whep URL [--token T] [--duration 10s] [--drop-percent P] [--wait-live 10s]
//                      [--json] [--no-audio] [--no-video]
//
// --drop-percent P puts a lossy relay in front of the session (testmedia::LossyUdpRelay): P% of
// the RTP datagrams the server sends are thrown away before our transport sees them, so NACK
// and retransmission must recover them. --wait-live T retries a 409 (no publisher yet) as the
// server's Retry-After says, for up to T. At the end of --duration the measured window closes,
// retransmissions still on their way get 500 ms, the report is printed and the resource
// DELETEd.
//
// Report (stderr, or JSON on stdout with --json): RTP packets received, per track the packets
// delivered, unique probe counters, lost (missing counters after recovery), recovered by
// retransmission, reordered, duplicates, sequence gaps and restarts, latency percentiles from the
// embedded send time, and the times from the POST to the first packet and the first keyframe.
// Exit status: 0 when media arrived, 3 when the session came up but nothing arrived, 1 when it
// could not be played (the reason on stderr and in the JSON), 2 for bad arguments.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "base/Clock.h"
#include "base/Logging.h"
#include "base/Random.h"
#include "http/WhepClient.h"
#include "rtc/RtpPacket.h"
#include "rtc/codecs/CodecKind.h"
#include "sfu/Consumer.h"
#include "sfu/IngestSession.h"
#include "sfu/Producer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpSender.h"
#include "sfu/SeqUnwrapper.h"
#include "sfu/Stream.h"
#include "testmedia/ClientRuntime.h"
#include "testmedia/CommandLineValues.h"
#include "testmedia/LossyUdpRelay.h"
#include "testmedia/ViewerStats.h"

namespace {

using namespace tributary;
using nlohmann::json;
using Track = testmedia::ViewerStats::Track;

constexpr std::chrono::milliseconds kDrain{500};
constexpr std::chrono::milliseconds kMinRetry{100};

struct Arguments {
  std::string url;
  std::string token;
  std::chrono::milliseconds duration{10'000};
  double drop_percent = 0;
  std::chrono::milliseconds wait_live{0};
  bool json = false;
  bool audio = true;
  bool video = true;
  bool insecure = false;
  std::string bind_ip = "127.0.0.1";
  std::string log_level = "warn";
};

double Ms(std::optional<std::chrono::microseconds> t) {
  return t ? static_cast<double>(t->count()) / 1000.0 : -1.0;
}

// A local viewer of one track of the stream the session feeds: a Consumer whose "transport" is
// the statistics. It sees every packet the producer delivers (after the keyframe it waits for,
// like any viewer), recoveries included, with the producer's sequence numbers.
class Tap final : private sfu::RtpSender, private sfu::RtcpSink {
 public:
  Tap(sfu::Stream& stream, sfu::Producer& producer, testmedia::ViewerStats& stats)
      : stream_(stream),
        producer_(producer),
        stats_(stats),
        track_(producer.IsVideo() ? Track::kVideo : Track::kAudio),
        codec_(producer.Parameters().codecs.empty() ? rtc::codecs::CodecKind::kUnknown
                                                    : producer.Parameters().codecs[0].codec),
        consumer_(Parameters(producer), *this, *this, stream) {
    stream_.AttachConsumer(producer_, consumer_, base::NowMs());
  }
  ~Tap() override { stream_.DetachConsumer(consumer_); }

  sfu::Producer& GetProducer() const { return producer_; }
  void Tick(uint64_t now_ms) { consumer_.Tick(now_ms); }

 private:
  static sfu::ConsumerParameters Parameters(const sfu::Producer& producer) {
    sfu::ConsumerParameters params;
    params.kind = producer.Kind();
    params.mid = "tap";
    params.codecs = producer.Parameters().codecs;
    for (auto& codec : params.codecs)
      codec.rtx_payload_type.reset();
    params.ssrc = base::RandomU32();
    params.cname = "tributary-whep";
    return params;
  }

  std::span<uint8_t> PrepareSend() override { return buffer_; }
  bool CommitSend(size_t size) override {
    const auto packet = rtc::RtpPacket::Parse(std::span<const uint8_t>(buffer_.data(), size));
    if (!packet) return false;
    const int64_t seq = unwrapper_.Unwrap(packet->SequenceNumber());
    const bool keyframe =
        track_ == Track::kVideo && rtc::codecs::IsKeyframe(codec_, packet->Payload());
    stats_.OnMediaPacket(track_, seq, keyframe, packet->Payload(), base::NowUs(),
                         base::WallClockUs());
    return true;
  }
  void SendRtcp(std::span<const uint8_t>) override {}  // our own sender reports: nobody to tell

  sfu::Stream& stream_;
  sfu::Producer& producer_;
  testmedia::ViewerStats& stats_;
  const Track track_;
  const rtc::codecs::CodecKind codec_;
  sfu::SeqUnwrapper unwrapper_;
  std::array<uint8_t, 1500> buffer_{};
  sfu::Consumer consumer_;
};

// The playing side of the tool. Everything runs on the runtime's worker thread.
class Viewer final : public testmedia::LossyUdpRelay::Listener {
 public:
  Viewer(testmedia::ClientRuntime& runtime, Arguments args)
      : runtime_(runtime),
        args_(std::move(args)),
        retry_timer_(runtime.Io()),
        end_timer_(runtime.Io()),
        tick_timer_(runtime.Io()) {}

  void Start() {
    first_start_ = std::chrono::steady_clock::now();
    http::WhepClient::Options options;
    options.local_key = {"local", "whep", "sink-" + base::RandomHex(4)};
    options.signaling.bearer_token = args_.token;
    options.audio = args_.audio;
    options.video = args_.video;
    if (args_.drop_percent > 0) {
      options.answer_filter = [this](rtc::SessionDescription& answer) { InsertRelay(answer); };
    }
    options.on_started = [this](sfu::Session& session) { AttachTaps(session); };
    options.on_ended = [this](const http::ClientError& error) {
      error_ = error;
      Finish(stats_.MediaPackets() > 0 ? 0 : 1);
    };
    client_ = std::make_unique<http::WhepClient>(runtime_.Io(), runtime_.Http(), runtime_.Worker(),
                                                 runtime_.Dispatcher(), args_.url, options);
    Attempt();
    Tick();
  }

  void Interrupt() {
    if (connected_) return EndOfRun();
    Finish(1);
  }

  void Stop() {
    retry_timer_.cancel();
    end_timer_.cancel();
    tick_timer_.cancel();
    taps_.clear();
    client_.reset();
    relay_.reset();
  }

 private:
  void Attempt() {
    stats_.SetStart(base::NowUs());
    client_->Start([this](const http::ClientError& error) {
      if (error.Ok()) return OnConnected();
      const auto waited = std::chrono::steady_clock::now() - first_start_;
      if (error.kind == http::ClientError::Kind::kNotLive && waited < args_.wait_live) {
        auto delay = std::max<std::chrono::milliseconds>(
            kMinRetry, error.retry_after.value_or(std::chrono::milliseconds(1000)));
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(args_.wait_live - waited);
        delay = std::min(delay, left);
        ++not_live_answers_;
        std::fprintf(stderr, "tributary-whep: not live yet (%d), trying again in %lld ms\n",
                     error.status, static_cast<long long>(delay.count()));
        retry_timer_.expires_after(delay);
        retry_timer_.async_wait([this](boost::system::error_code ec) {
          if (!ec && !finishing_) Attempt();
        });
        return;
      }
      error_ = error;
      Finish(1);
    });
  }

  void OnConnected() {
    connected_ = true;
    waited_ = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - first_start_);
    std::fprintf(stderr, "tributary-whep: playing %s (resource %s)\n", args_.url.c_str(),
                 client_->ResourceUrl().c_str());
    if (args_.duration.count() > 0) {
      end_timer_.expires_after(args_.duration);
      end_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) EndOfRun();
      });
    }
  }

  // The measured window closes; late retransmissions get kDrain, then the report.
  void EndOfRun() {
    if (draining_ || finishing_) return;
    draining_ = true;
    stats_.Freeze();
    end_timer_.expires_after(kDrain);
    end_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      Finish(stats_.MediaPackets() > 0 ? 0 : 3);
    });
  }

  // The consumers' timers (keyframe retries while waiting, sender reports).
  void Tick() {
    const uint64_t now_ms = base::NowMs();
    for (auto& tap : taps_)
      tap->Tick(now_ms);
    tick_timer_.expires_after(std::chrono::milliseconds(10));
    tick_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Tick();
    });
  }

  void InsertRelay(rtc::SessionDescription& answer) {
    const auto server = testmedia::LossyUdpRelay::ServerCandidate(answer);
    if (!server) return;  // no usable candidate: the session will fail and say so
    const auto bind = net::Endpoint::Parse(server->IsIpv6() ? "::1" : args_.bind_ip, 0);
    relay_.reset();
    relay_ = std::make_unique<testmedia::LossyUdpRelay>(runtime_.Io(), *bind, *server,
                                                        args_.drop_percent / 100.0, this);
    testmedia::LossyUdpRelay::RedirectCandidates(answer, relay_->LocalEndpoint());
  }

  void OnRelayRtp(bool dropped) override { stats_.OnRtpArrived(base::NowUs(), dropped); }

  void AttachTaps(sfu::Session& session) {
    auto* ingest = dynamic_cast<sfu::IngestSession*>(&session);
    if (ingest == nullptr || ingest->GetStream() == nullptr) return;
    for (size_t i = 0; i < ingest->TrackCount(); ++i) {
      sfu::Producer& producer = ingest->TrackProducer(i);
      const bool tapped = std::any_of(taps_.begin(), taps_.end(), [&](const auto& tap) {
        return &tap->GetProducer() == &producer;
      });
      if (!tapped) taps_.push_back(std::make_unique<Tap>(*ingest->GetStream(), producer, stats_));
    }
  }

  // What the ingest path counted: the session's transport and the producers.
  json IngestJson() {
    json out = json::object();
    if (!client_) return out;
    auto* session =
        dynamic_cast<sfu::IngestSession*>(runtime_.Worker().FindSession(client_->SessionId()));
    if (session != nullptr) {
      const sfu::SessionCounters counters = session->GetCounters();
      out["rtp_packets"] = counters.rtp_packets_in;
      out["rtp_bytes"] = counters.rtp_bytes_in;
      out["rtcp_packets_out"] = counters.rtcp_packets_out;
      out["nack_packets_out"] = counters.nacks_out;
      out["keyframe_requests_out"] = counters.keyframe_requests;
      json drops = json::object();
      for (size_t i = 0; i < sfu::kDropReasonCount; ++i) {
        const auto reason = static_cast<sfu::DropReason>(i);
        if (counters.Drops(reason) > 0) {
          drops[std::string(sfu::DropReasonLabel(reason))] = counters.Drops(reason);
        }
      }
      out["drops"] = drops;
    }
    for (const auto& tap : taps_) {
      const sfu::Producer& producer = tap->GetProducer();
      const auto& c = producer.GetCounters();
      const auto& n = producer.Nacks().GetCounters();
      json track = {{"rtp_packets", c.rtp_packets_in},
                    {"rtx_packets", c.rtx_packets_in},
                    {"recovered", c.recovered_packets},
                    {"keyframes", c.keyframes},
                    {"restarts", c.restarts},
                    {"duplicates_dropped", c.drops.duplicate},
                    {"too_old_dropped", c.drops.too_old},
                    {"nack_packets", c.nack_packets_out},
                    {"nacked_seqs", c.nack_seqs_out},
                    {"nack_missing", n.missing},
                    {"nack_given_up", n.given_up},
                    {"nack_expired", n.expired},
                    {"pli", c.pli_out},
                    {"fir", c.fir_out},
                    {"receiver_reports", c.rr_out}};
      out[producer.IsVideo() ? "video" : "audio"] = track;
    }
    return out;
  }

  void Finish(int code) {
    if (finishing_) return;
    finishing_ = true;
    exit_code_ = code;
    retry_timer_.cancel();
    end_timer_.cancel();
    Report();
    if (client_ && client_->GetState() != http::MediaSessionClient::State::kIdle &&
        client_->GetState() != http::MediaSessionClient::State::kClosing) {
      client_->Close([this](const http::ClientError& error) {
        if (!error.Ok()) std::fprintf(stderr, "tributary-whep: %s\n", error.ToString().c_str());
        runtime_.Finish(exit_code_);
      });
    } else {
      runtime_.Finish(exit_code_);
    }
  }

  void Report() {
    json out = stats_.ToJson();
    // What arrived on the wire is only seen through the relay.
    for (const char* key : {"rtp_arrived", "rtp_dropped", "first_rtp_ms"})
      out.erase(key);
    const json ingest = IngestJson();
    uint64_t packets = 0, unique = 0, lost = 0, late = 0, recovered = 0, duplicates = 0, gaps = 0,
             restarts = 0;
    for (const char* kind : {"video", "audio"}) {
      if (!out.contains(kind)) continue;
      json& track = out[kind];
      const uint64_t track_recovered =
          ingest.contains(kind) ? ingest[kind]["recovered"].get<uint64_t>() : 0;
      const uint64_t track_late = track["late"].get<uint64_t>();
      track["recovered"] = track_recovered;
      track["reordered"] = track_late > track_recovered ? track_late - track_recovered : 0;
      track["seq"]["restarts"] = ingest.contains(kind) ? ingest[kind]["restarts"] : json(0);
      packets += track["packets"].get<uint64_t>();
      unique += track["unique"].get<uint64_t>();
      lost += track["lost"].get<uint64_t>();
      late += track_late;
      recovered += track_recovered;
      duplicates += track["duplicates"].get<uint64_t>();
      gaps += track["seq"]["gaps"].get<uint64_t>();
      restarts += track["seq"]["restarts"].get<uint64_t>();
    }
    const uint64_t expected = unique + lost;
    out["totals"] = {
        {"packets", packets},
        {"unique", unique},
        {"lost", lost},
        {"recovered", recovered},
        {"late", late},
        {"duplicates", duplicates},
        {"seq_gaps", gaps},
        {"seq_restarts", restarts},
        {"loss_ratio",
         expected > 0 ? static_cast<double>(lost) / static_cast<double>(expected) : 0.0},
    };
    out["ingest"] = ingest;
    out["url"] = args_.url;
    out["ok"] = exit_code_ == 0;
    out["error"] = error_.Ok() ? json(nullptr) : json(error_.ToString());
    out["error_kind"] =
        error_.Ok() ? json(nullptr) : json(std::string(http::ClientError::KindName(error_.kind)));
    out["status"] = error_.status;
    if (error_.retry_after) out["retry_after_ms"] = error_.retry_after->count();
    out["drop_percent"] = args_.drop_percent;
    out["not_live_answers"] = not_live_answers_;
    json timing = {{"waited", connected_ ? static_cast<double>(waited_.count()) : -1.0}};
    if (client_) {
      out["resource"] = client_->LastOffer().resource_url;
      out["redirects"] = client_->LastOffer().redirects;
      out["session"] = client_->SessionId();
      timing["answer"] = Ms(client_->GetTiming().answered);
      timing["connected"] = Ms(client_->GetTiming().connected);
    }
    std::optional<double> first_packet;
    for (const char* kind : {"video", "audio"}) {
      if (out.contains(kind) && out[kind]["first_packet_ms"].is_number()) {
        const double t = out[kind]["first_packet_ms"].get<double>();
        first_packet = first_packet ? std::min(*first_packet, t) : t;
      }
    }
    timing["first_packet"] = first_packet ? json(*first_packet) : json(nullptr);
    timing["first_keyframe"] =
        out.contains("video") ? out["video"]["first_keyframe_ms"] : json(nullptr);
    out["timing_ms"] = timing;
    if (relay_) {
      const auto& r = relay_->GetCounters();
      out["relay"] = {{"rtp_from_server", r.rtp_from_server},
                      {"dropped", r.dropped},
                      {"first_rtp_ms", stats_.FirstRtpMs() ? json(*stats_.FirstRtpMs()) : json()},
                      {"to_client", r.to_client},
                      {"to_server", r.to_server}};
    }

    if (args_.json) {
      std::cout << out.dump(2) << std::endl;
      return;
    }
    if (!error_.Ok()) std::fprintf(stderr, "tributary-whep: %s\n", error_.ToString().c_str());
    if (!connected_) return;  // nothing was played
    std::fprintf(
        stderr, "received %s RTP packets%s\n",
        ingest.contains("rtp_packets") ? ingest["rtp_packets"].dump().c_str() : "?",
        relay_
            ? (", " + std::to_string(relay_->GetCounters().dropped) + " dropped on purpose").c_str()
            : "");
    for (const char* kind : {"video", "audio"}) {
      if (!out.contains(kind)) continue;
      const json& t = out[kind];
      std::fprintf(stderr,
                   "%s: %s packets, %s unique, %s lost, %s recovered, %s reordered, %s "
                   "duplicates, %s seq gaps; latency p50 %s ms, p99 %s ms, max %s ms\n",
                   kind, t["packets"].dump().c_str(), t["unique"].dump().c_str(),
                   t["lost"].dump().c_str(), t["recovered"].dump().c_str(),
                   t["reordered"].dump().c_str(), t["duplicates"].dump().c_str(),
                   t["seq"]["gaps"].dump().c_str(), t["latency_ms"]["p50"].dump().c_str(),
                   t["latency_ms"]["p99"].dump().c_str(), t["latency_ms"]["max"].dump().c_str());
    }
    std::fprintf(stderr, "timing (ms): %s\n", timing.dump().c_str());
  }

  testmedia::ClientRuntime& runtime_;
  const Arguments args_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer end_timer_;
  boost::asio::steady_timer tick_timer_;
  testmedia::ViewerStats stats_;
  std::unique_ptr<testmedia::LossyUdpRelay> relay_;
  std::unique_ptr<http::WhepClient> client_;
  std::vector<std::unique_ptr<Tap>> taps_;  // after the client: destroyed first
  std::chrono::steady_clock::time_point first_start_;
  std::chrono::milliseconds waited_{0};
  uint64_t not_live_answers_ = 0;
  bool connected_ = false;
  bool draining_ = false;
  bool finishing_ = false;
  http::ClientError error_;
  int exit_code_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  std::string duration = "10s", drop = "0", wait_live = "0";
  bool no_audio = false, no_video = false;
  CLI::App app{"tributary-whep: play a stream from a WHEP endpoint and measure what arrives"};
  app.add_option("url", args.url, "WHEP endpoint, e.g. http://127.0.0.1:8101/whep/live/cam")
      ->required();
  app.add_option("--token", args.token, "bearer token (Authorization: Bearer ...)");
  app.add_option("--duration", duration, "how long to play: 10s, 1m; 0: until a signal");
  app.add_option("--drop-percent", drop, "drop this share of incoming RTP packets (0..100)");
  app.add_option("--wait-live", wait_live, "retry a 409 (not live yet) for this long");
  app.add_flag("--json", args.json, "print the report as JSON on stdout");
  app.add_flag("--no-audio", no_audio, "do not ask for audio");
  app.add_flag("--no-video", no_video, "do not ask for video");
  app.add_flag("--insecure", args.insecure, "https: do not verify the server's certificate");
  app.add_option("--bind", args.bind_ip, "local IP for the media socket (default 127.0.0.1)");
  app.add_option("--log-level", args.log_level, "trace, debug, info, warn (default), error");
  CLI11_PARSE(app, argc, argv);

  const auto parsed_duration = testmedia::ParseDuration(duration);
  const auto parsed_drop = testmedia::ParsePercent(drop);
  const auto parsed_wait = testmedia::ParseDuration(wait_live);
  if (!parsed_duration || !parsed_drop || !parsed_wait || (no_audio && no_video)) {
    std::fprintf(stderr, "tributary-whep: %s\n",
                 !parsed_duration ? "--duration: expected a duration such as 10s or 500ms"
                 : !parsed_drop   ? "--drop-percent: expected a percentage 0..100"
                 : !parsed_wait   ? "--wait-live: expected a duration such as 10s"
                                  : "--no-audio and --no-video leave nothing to play");
    return 2;
  }
  args.duration = *parsed_duration;
  args.drop_percent = *parsed_drop;
  args.wait_live = *parsed_wait;
  args.audio = !no_audio;
  args.video = !no_video;

  try {
    base::LogOptions log;
    log.level = args.log_level;
    base::SetupLogging(log);
    testmedia::ClientRuntimeOptions options;
    options.bind_ip = args.bind_ip;
    options.verify_tls = !args.insecure;
    testmedia::ClientRuntime runtime(options);
    return runtime.RunApp<Viewer>(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tributary-whep: %s\n", e.what());
    return 1;
  }
}
