// tributary-whip: publishes a synthetic (or replayed) stream to a WHIP endpoint, the way an edge
// pushes a publisher upstream: a local stream whose producer is fed by a generator, a
// client-role EgressSession that sends it (ICE, DTLS, SRTP), NACKs answered from the producer's
// packet cache (RTX), PLI/FIR turned into keyframes.
//
//   tributary-whip URL [--token T] [--bitrate 1M] [--packet-size 1200] [--fps 30]
//                      [--duration 10s] [--keyframe-interval 2s] [--audio]
//                      [--replay FILE.pcap [--replay-ssrc N] [--replay-codec VP8]] [--json]
//
// The video is VP8 by its payload type and descriptor (keyframes carry a real VP8 key frame
// header), and each payload holds a probe (testmedia/ProbePayload.h: magic, publisher id,
// counter, send time) that tributary-whep measures loss and latency with. --duration 0 runs
// until SIGINT/SIGTERM; either way the resource is DELETEd on the way out. Exit status: 0 after
// a run, 1 when publishing failed (the reason on stderr, and in the JSON), 2 for bad arguments.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "base/Clock.h"
#include "base/Logging.h"
#include "base/Random.h"
#include "http/WhipClient.h"
#include "rtc/SdpTypes.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "sfu/EgressSession.h"
#include "sfu/Producer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpParameters.h"
#include "sfu/Stream.h"
#include "testmedia/ClientRuntime.h"
#include "testmedia/CommandLineValues.h"
#include "testmedia/PcapReplaySource.h"
#include "testmedia/SyntheticAudioSource.h"
#include "testmedia/SyntheticVideoSource.h"

namespace {

using namespace tributary;
using nlohmann::json;
using testmedia::SyntheticPacket;

struct Arguments {
  std::string url;
  std::string token;
  uint64_t bitrate = 1'000'000;
  size_t packet_size = 1200;
  double fps = 30;
  std::chrono::milliseconds duration{10'000};
  std::chrono::milliseconds keyframe_interval{2'000};
  bool audio = false;
  std::string replay;
  std::optional<uint32_t> replay_ssrc;
  std::string replay_codec = "VP8";
  bool json = false;
  bool insecure = false;
  std::string bind_ip = "127.0.0.1";
  std::string log_level = "warn";
};

struct VideoCodec {
  const char* name;
  rtc::codecs::CodecKind kind;
  uint8_t payload_type;
  uint8_t rtx_payload_type;
  const char* fmtp;
};
// The payload types of rtc::SdpOfferSection::Defaults.
constexpr VideoCodec kVideoCodecs[] = {
    {"VP8", rtc::codecs::CodecKind::kVp8, 96, 97, ""},
    {"VP9", rtc::codecs::CodecKind::kVp9, 98, 99, "profile-id=0"},
    {"H264", rtc::codecs::CodecKind::kH264, 102, 103,
     "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"},
    {"AV1", rtc::codecs::CodecKind::kAv1, 45, 46, "level-idx=5;profile=0;tier=0"},
};

sfu::ProducerParameters VideoParameters(const VideoCodec& codec, uint32_t ssrc, uint32_t rtx_ssrc) {
  sfu::ProducerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = "video";
  sfu::RtpCodecParameters c;
  c.codec = codec.kind;
  c.name = codec.name;
  c.payload_type = codec.payload_type;
  c.clock_rate = 90000;
  c.fmtp = codec.fmtp;
  c.rtx_payload_type = codec.rtx_payload_type;
  c.feedback.nack = true;
  c.feedback.nack_pli = true;
  c.feedback.ccm_fir = true;
  params.codecs = {c};
  params.ssrc = ssrc;
  params.rtx_ssrc = rtx_ssrc;
  params.cname = "tributary-whip";
  params.rtcp_ssrc = base::RandomU32();
  return params;
}

sfu::ProducerParameters AudioParameters(uint32_t ssrc) {
  sfu::ProducerParameters params;
  params.kind = rtc::MediaKind::kAudio;
  params.mid = "audio";
  sfu::RtpCodecParameters c;
  c.codec = rtc::codecs::CodecKind::kOpus;
  c.name = "opus";
  c.payload_type = 111;
  c.clock_rate = 48000;
  c.channels = 2;
  c.fmtp = "minptime=10;useinbandfec=1";
  params.codecs = {c};
  params.ssrc = ssrc;
  params.cname = "tributary-whip";
  params.rtcp_ssrc = base::RandomU32();
  return params;
}

double Ms(std::optional<std::chrono::microseconds> t) {
  return t ? static_cast<double>(t->count()) / 1000.0 : -1.0;
}

// The publishing side of the tool. Everything runs on the runtime's worker thread.
class Publisher : private sfu::RtcpSink {
 public:
  Publisher(testmedia::ClientRuntime& runtime, Arguments args)
      : runtime_(runtime), args_(std::move(args)), timer_(runtime.Io()), end_timer_(runtime.Io()) {}

  // Worker thread.
  void Start() {
    publisher_id_ = base::RandomU32();
    const uint32_t video_ssrc = base::RandomU32();
    const VideoCodec* codec = &kVideoCodecs[0];
    if (!args_.replay.empty()) {
      codec = nullptr;
      for (const VideoCodec& c : kVideoCodecs) {
        if (rtc::EqualsIgnoreCase(c.name, args_.replay_codec)) codec = &c;
      }
      if (codec == nullptr) return Fail("--replay-codec must be VP8, VP9, H264 or AV1", 2);
      std::string error;
      auto reader = testmedia::PcapReader::Open(args_.replay, error);
      if (!reader) return Fail(error, 2);
      testmedia::PcapReplayOptions options;
      options.source_ssrc = args_.replay_ssrc;
      options.payload_type = codec->payload_type;
      options.ssrc = video_ssrc;
      options.first_sequence_number = static_cast<uint16_t>(base::RandomU32());
      options.first_timestamp = base::RandomU32();
      auto replay = testmedia::PcapReplaySource::Load(*reader, options, error);
      if (!replay) return Fail(args_.replay + ": " + error, 2);
      replay_ = std::make_unique<testmedia::PcapReplaySource>(std::move(*replay));
    } else {
      testmedia::SyntheticVideoOptions options;
      options.bitrate_bps = args_.bitrate;
      options.packet_size = args_.packet_size;
      options.fps = args_.fps;
      options.keyframe_interval_ms = static_cast<uint64_t>(args_.keyframe_interval.count());
      options.ssrc = video_ssrc;
      options.publisher = publisher_id_;
      options.first_sequence_number = static_cast<uint16_t>(base::RandomU32());
      options.first_timestamp = base::RandomU32();
      try {
        video_ = std::make_unique<testmedia::SyntheticVideoSource>(options);
      } catch (const std::exception& e) {
        return Fail(e.what(), 2);
      }
    }
    if (args_.audio) {
      testmedia::SyntheticAudioOptions options;
      options.ssrc = base::RandomU32();
      options.publisher = publisher_id_;
      options.first_sequence_number = static_cast<uint16_t>(base::RandomU32());
      options.first_timestamp = base::RandomU32();
      audio_ = std::make_unique<testmedia::SyntheticAudioSource>(options);
    }

    // The local stream the session sends: a producer per track, fed by the generators.
    key_ = {"local", "whip", "source-" + base::RandomHex(4)};
    stream_ = &runtime_.Worker().GetRouter().GetOrCreateStream(key_);
    const uint64_t now_ms = base::NowMs();
    video_producer_ = &stream_->AttachSource(VideoParameters(*codec, video_ssrc, base::RandomU32()),
                                             this, now_ms);
    if (audio_) {
      audio_producer_ =
          &stream_->AttachSource(AudioParameters(audio_->GetOptions().ssrc), this, now_ms);
    }
    Generate();

    http::WhipClient::Options options;
    options.local_key = key_;
    options.signaling.bearer_token = args_.token;
    options.on_ended = [this](const http::ClientError& error) {
      error_ = error;
      Finish(1);
    };
    client_ = std::make_unique<http::WhipClient>(runtime_.Io(), runtime_.Http(), runtime_.Worker(),
                                                 runtime_.Dispatcher(), args_.url, options);
    client_->Start([this](const http::ClientError& error) {
      if (!error.Ok()) {
        error_ = error;
        return Finish(1);
      }
      connected_at_ = std::chrono::steady_clock::now();
      std::fprintf(stderr, "tributary-whip: publishing to %s (resource %s)\n", args_.url.c_str(),
                   client_->ResourceUrl().c_str());
      if (args_.duration.count() > 0) {
        end_timer_.expires_after(args_.duration);
        end_timer_.async_wait([this](boost::system::error_code ec) {
          if (!ec) Finish(0);
        });
      }
    });
  }

  // Worker thread: SIGINT/SIGTERM.
  void Interrupt() { Finish(connected_at_ ? 0 : 1); }

  // Worker thread, after Run() returned.
  void Stop() {
    timer_.cancel();
    end_timer_.cancel();
    client_.reset();
    if (stream_ != nullptr) {
      for (sfu::Producer* producer : {video_producer_, audio_producer_}) {
        if (producer != nullptr) stream_->DetachSource(*producer, base::NowMs());
      }
    }
  }

  int ExitCode() const { return exit_code_; }

 private:
  // sfu::RtcpSink: what the producers would send a publisher. PLI/FIR come from the viewers
  // (the server's consumer, through our session's consumer and the stream): a keyframe.
  void SendRtcp(std::span<const uint8_t> packet) override {
    rtc::rtcp::RtcpCompound compound(packet);
    while (auto p = compound.Next()) {
      if (p->Is(rtc::rtcp::RtcpType::kPayloadFeedback) && (p->Count() == 1 || p->Count() == 4)) {
        ++keyframe_requests_;
        if (video_) video_->RequestKeyframe();
      }
    }
  }

  void Generate() {
    const uint64_t now_us = base::NowUs();
    const uint64_t wall_us = base::WallClockUs();
    uint64_t next = UINT64_MAX;
    auto feed = [now_us](sfu::Producer* producer) {
      return [producer, now_us](const SyntheticPacket& packet) {
        producer->ReceiveRtpPacket(packet.rtp, now_us);
      };
    };
    if (video_) next = std::min(next, video_->Generate(now_us, wall_us, feed(video_producer_)));
    if (replay_) next = std::min(next, replay_->Generate(now_us, feed(video_producer_)));
    if (audio_) next = std::min(next, audio_->Generate(now_us, wall_us, feed(audio_producer_)));
    if (next == UINT64_MAX) return;  // a replay that ended
    timer_.expires_after(std::chrono::microseconds(next > now_us ? next - now_us : 0));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Generate();
    });
  }

  void Fail(const std::string& reason, int code) {
    error_ = http::ClientError::Make(http::ClientError::Kind::kSession, reason);
    Finish(code);
  }

  // Reports, then DELETEs the resource and ends the run.
  void Finish(int code) {
    if (finishing_) return;
    finishing_ = true;
    exit_code_ = code;
    timer_.cancel();
    end_timer_.cancel();
    Report();
    if (client_ && (client_->GetState() != http::MediaSessionClient::State::kIdle)) {
      client_->Close([this](const http::ClientError& error) {
        if (!error.Ok()) std::fprintf(stderr, "tributary-whip: %s\n", error.ToString().c_str());
        runtime_.Finish(exit_code_);
      });
    } else {
      runtime_.Finish(exit_code_);
    }
  }

  json SessionFeedback() {
    json out = {{"nack_packets", 0},
                {"nacked_packets", 0},
                {"retransmissions", 0},
                {"keyframe_requests", keyframe_requests_},
                {"receiver_reports", 0}};
    if (!client_) return out;
    auto* session =
        dynamic_cast<sfu::EgressSession*>(runtime_.Worker().FindSession(client_->SessionId()));
    if (session == nullptr) return out;
    uint64_t nack_packets = 0, nacked = 0, retransmissions = 0, reports = 0;
    for (size_t i = 0; i < session->TrackCount(); ++i) {
      const sfu::Consumer* consumer = session->ConsumerAt(i);
      if (consumer == nullptr) continue;
      const auto& c = consumer->GetCounters();
      nack_packets += c.nack_packets_in;
      nacked += c.nack_seqs_in;
      retransmissions += c.retransmissions;
      reports += c.receiver_reports_in;
    }
    out["nack_packets"] = nack_packets;
    out["nacked_packets"] = nacked;
    out["retransmissions"] = retransmissions;
    out["receiver_reports"] = reports;
    return out;
  }

  void Report() {
    const double seconds =
        connected_at_
            ? std::chrono::duration<double>(std::chrono::steady_clock::now() - *connected_at_)
                  .count()
            : 0.0;
    json out;
    out["url"] = args_.url;
    out["ok"] = exit_code_ == 0;
    out["error"] = error_.Ok() ? json(nullptr) : json(error_.ToString());
    out["error_kind"] =
        error_.Ok() ? json(nullptr) : json(std::string(http::ClientError::KindName(error_.kind)));
    out["status"] = error_.status;
    if (error_.retry_after) out["retry_after_ms"] = error_.retry_after->count();
    if (client_) {
      out["resource"] = client_->LastOffer().resource_url;
      out["redirects"] = client_->LastOffer().redirects;
      out["session"] = client_->SessionId();
      out["timing_ms"] = {{"answer", Ms(client_->GetTiming().answered)},
                          {"connected", Ms(client_->GetTiming().connected)}};
    }
    out["publisher_id"] = publisher_id_;
    out["seconds"] = seconds;
    if (video_) {
      const auto& c = video_->GetCounters();
      out["video"] = {{"packets", c.packets},
                      {"bytes", c.bytes},
                      {"frames", c.frames},
                      {"keyframes", c.keyframes},
                      {"keyframe_requests", c.keyframe_requests},
                      {"skipped_frames", c.skipped_frames},
                      {"bitrate_bps", seconds > 0 ? c.bytes * 8 / seconds : 0.0}};
    }
    if (replay_) {
      const auto& c = replay_->GetCounters();
      out["video"] = {{"replay", args_.replay},
                      {"source_ssrc", replay_->SourceSsrc()},
                      {"packets", c.packets},
                      {"bytes", c.bytes},
                      {"loops", c.loops}};
    }
    if (audio_) {
      const auto& c = audio_->GetCounters();
      out["audio"] = {{"packets", c.packets}, {"bytes", c.bytes}};
    }
    out["server_feedback"] = SessionFeedback();
    if (args_.json) {
      std::cout << out.dump(2) << std::endl;
      return;
    }
    if (!error_.Ok()) std::fprintf(stderr, "tributary-whip: %s\n", error_.ToString().c_str());
    if (!connected_at_) return;  // nothing was sent
    if (video_) {
      const auto& c = video_->GetCounters();
      std::fprintf(stderr,
                   "sent %llu video packets (%.2f Mbit/s) in %.1f s: %llu frames, %llu "
                   "keyframes (%llu asked for)\n",
                   static_cast<unsigned long long>(c.packets),
                   seconds > 0 ? static_cast<double>(c.bytes) * 8 / seconds / 1e6 : 0.0, seconds,
                   static_cast<unsigned long long>(c.frames),
                   static_cast<unsigned long long>(c.keyframes),
                   static_cast<unsigned long long>(c.keyframe_requests));
    }
    if (replay_) {
      std::fprintf(stderr, "replayed %llu packets of SSRC %u from %s\n",
                   static_cast<unsigned long long>(replay_->GetCounters().packets),
                   replay_->SourceSsrc(), args_.replay.c_str());
    }
    if (audio_) {
      std::fprintf(stderr, "sent %llu audio packets\n",
                   static_cast<unsigned long long>(audio_->GetCounters().packets));
    }
    const json feedback = out["server_feedback"];
    std::fprintf(stderr, "server feedback: %s\n", feedback.dump().c_str());
  }

  testmedia::ClientRuntime& runtime_;
  const Arguments args_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer end_timer_;
  uint32_t publisher_id_ = 0;
  std::unique_ptr<testmedia::SyntheticVideoSource> video_;
  std::unique_ptr<testmedia::PcapReplaySource> replay_;
  std::unique_ptr<testmedia::SyntheticAudioSource> audio_;
  sfu::StreamKey key_;
  sfu::Stream* stream_ = nullptr;
  sfu::Producer* video_producer_ = nullptr;
  sfu::Producer* audio_producer_ = nullptr;
  std::unique_ptr<http::WhipClient> client_;
  std::optional<std::chrono::steady_clock::time_point> connected_at_;
  uint64_t keyframe_requests_ = 0;
  http::ClientError error_;
  bool finishing_ = false;
  int exit_code_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  std::string bitrate = "1M", duration = "10s", keyframe_interval = "2s";
  CLI::App app{"tributary-whip: publish a synthetic or replayed stream to a WHIP endpoint"};
  app.add_option("url", args.url, "WHIP endpoint, e.g. http://127.0.0.1:8101/whip/live/cam")
      ->required();
  app.add_option("--token", args.token, "bearer token (Authorization: Bearer ...)");
  app.add_option("--bitrate", bitrate, "video bitrate: 1M, 800k... (default 1M)");
  app.add_option("--packet-size", args.packet_size, "RTP packet size in bytes (default 1200)");
  app.add_option("--fps", args.fps, "video frames per second (default 30)");
  app.add_option("--duration", duration, "how long to publish: 10s, 1m; 0: until a signal");
  app.add_option("--keyframe-interval", keyframe_interval,
                 "a keyframe this often (default 2s; 0: on request only)");
  app.add_flag("--audio", args.audio, "add an Opus-like audio track");
  app.add_option("--replay", args.replay, "send the RTP packets of this pcap/pcapng capture");
  app.add_option("--replay-ssrc", args.replay_ssrc,
                 "the capture's stream to send (default: the "
                 "largest)");
  app.add_option("--replay-codec", args.replay_codec, "codec of the replayed stream (default VP8)");
  app.add_flag("--json", args.json, "print the report as JSON on stdout");
  app.add_flag("--insecure", args.insecure, "https: do not verify the server's certificate");
  app.add_option("--bind", args.bind_ip, "local IP for the media socket (default 127.0.0.1)");
  app.add_option("--log-level", args.log_level, "trace, debug, info, warn (default), error");
  CLI11_PARSE(app, argc, argv);

  const auto parsed_bitrate = testmedia::ParseBitrate(bitrate);
  const auto parsed_duration = testmedia::ParseDuration(duration);
  const auto parsed_interval = testmedia::ParseDuration(keyframe_interval);
  if (!parsed_bitrate || !parsed_duration || !parsed_interval) {
    std::fprintf(stderr, "tributary-whip: %s\n",
                 !parsed_bitrate    ? "--bitrate: expected a rate such as 1M or 800k"
                 : !parsed_duration ? "--duration: expected a duration such as 10s or 500ms"
                                    : "--keyframe-interval: expected a duration such as 2s");
    return 2;
  }
  args.bitrate = *parsed_bitrate;
  args.duration = *parsed_duration;
  args.keyframe_interval = *parsed_interval;

  try {
    base::LogOptions log;
    log.level = args.log_level;
    base::SetupLogging(log);
    testmedia::ClientRuntimeOptions options;
    options.bind_ip = args.bind_ip;
    options.verify_tls = !args.insecure;
    testmedia::ClientRuntime runtime(options);
    return runtime.RunApp<Publisher>(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tributary-whip: %s\n", e.what());
    return 1;
  }
}
