// tributary-bench: a load generator for WHIP/WHEP servers (ours or any other), on the project's
// own client stack: publishers of a synthetic video stream (fixed bitrate and packet size, each
// payload a probe with a counter and the send time, testmedia::ProbePayload) and N viewers, each
// a real WebRTC session (ICE, DTLS, SRTP) on a socket of its own. It measures, per run:
//
//   join      how fast the viewers' sessions come up (WHEP POST to DTLS connected), sessions
//             per second, the server's CPU and resident memory spent on them (--server-pid);
//   window    over --duration, once every viewer joined and --warmup passed: packets delivered
//             to the viewers, loss (probe counters never received, after NACK recovery),
//             latency (arrival minus send time, same host clock) p50/p99/max, and the server's
//             CPU time (/proc/<pid>/stat utime + stime) per delivered packet;
//   per viewer the times from its POST to the DTLS connection, the first packet and the first
//             keyframe, summarized as percentiles.
//
// --sweep 50,100,200 runs once per viewer count (a child process each) and writes the results
// as JSON (--out) and a gnuplot PNG of CPU per packet and loss against viewers (--plot).
// --quick: a few viewers for a few seconds, for regression checks.
//
// The generator's own cost per packet is what a receiving client's must be: recvmmsg batches,
// SRTP unprotect, the ingest path (NACK, keyframe detection) and a probe read; no allocation per
// packet (the latency histogram has fixed buckets). On a machine with few cores, pin the server
// and the generator to different ones (taskset, or --cpu here).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sched.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "base/Clock.h"
#include "base/Logging.h"
#include "base/Random.h"
#include "http/WhepClient.h"
#include "http/WhipClient.h"
#include "rtc/RtpPacket.h"
#include "rtc/SrtpProfile.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "sfu/Consumer.h"
#include "sfu/IngestSession.h"
#include "sfu/Producer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpSender.h"
#include "sfu/Stream.h"
#include "testmedia/ClientRuntime.h"
#include "testmedia/CommandLineValues.h"
#include "testmedia/LatencyHistogram.h"
#include "testmedia/ProbePayload.h"
#include "testmedia/ProcStat.h"
#include "testmedia/SeenSet.h"
#include "testmedia/SyntheticVideoSource.h"

extern char** environ;

namespace {

using namespace tributary;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kDrain{500};
constexpr std::chrono::milliseconds kCloseTimeout{10'000};
constexpr std::chrono::milliseconds kTick{20};
// The probe block and what precedes it at most (VP8 descriptor, frame tag, keyframe header):
// the bench reads no further, so the filler is not checked byte by byte on every packet.
constexpr size_t kProbeBytes = testmedia::ProbePayload::MinVp8Payload(true, true);

struct Arguments {
  std::vector<std::string> whip_urls;
  std::vector<std::string> whep_urls;
  std::string publish_token;
  std::string play_token;
  size_t viewers = 10;
  uint64_t bitrate = 1'000'000;
  size_t packet_size = 1200;
  double fps = 30;
  std::chrono::milliseconds keyframe_interval{2000};
  std::chrono::milliseconds duration{10'000};
  std::chrono::milliseconds warmup{2000};
  size_t join_concurrency = 32;
  double join_rate = 0;
  std::vector<int> server_pids;
  std::string srtp = "any";
  bool json = false;
  bool quick = false;
  std::vector<size_t> sweep;
  std::string plot;
  std::string out;
  int cpu = -1;
  std::string bind_ip = "127.0.0.1";
  std::string log_level = "warn";
};

double UsToMs(uint64_t us) {
  return static_cast<double>(us) / 1000.0;
}

json SummaryJson(const testmedia::Summary& s) {
  return {{"count", s.count}, {"p50", s.p50}, {"p90", s.p90},
          {"p99", s.p99},     {"max", s.max}, {"mean", s.mean}};
}

// The servers' /proc figures, summed over --server-pid.
struct ServerSample {
  bool ok = true;
  double cpu_seconds = 0;
  uint64_t rss_kib = 0;
};

ServerSample SampleServers(const std::vector<int>& pids) {
  ServerSample sample;
  for (int pid : pids) {
    const auto s = testmedia::ProcStat::Read(pid);
    if (!s) {
      sample.ok = false;
      continue;
    }
    sample.cpu_seconds += s->cpu_seconds;
    sample.rss_kib += s->rss_kib;
  }
  return sample;
}

class Bench;

// One viewer: a WHEP client whose session feeds a local stream, and a consumer of that stream's
// video producer whose "transport" is the measurement (as tributary-whep's taps).
class BenchViewer final : private sfu::RtpSender, private sfu::RtcpSink {
 public:
  BenchViewer(Bench& bench, size_t index, std::string url) : bench_(bench), index_(index) {
    url_ = std::move(url);
  }
  ~BenchViewer() override { DetachTap(); }

  void Start(testmedia::ClientRuntime& runtime, const std::string& token);
  void Close(std::function<void()> done);
  void Tick(uint64_t now_ms) {
    if (consumer_) consumer_->Tick(now_ms);
  }
  void DetachTap() {
    if (consumer_ && stream_ != nullptr) stream_->DetachConsumer(*consumer_);
    consumer_.reset();
    stream_ = nullptr;
  }

  // The measured window.
  void BeginWindow() {
    window_open_ = true;
    window_first_ = counters_.Empty() ? std::nullopt : std::optional<int64_t>(counters_.Max() + 1);
    window_packets_start_ = packets_;
  }
  void EndWindow() {
    window_open_ = false;
    window_last_ = counters_.Empty() ? std::nullopt : std::optional<int64_t>(counters_.Max());
    window_packets_end_ = packets_;
  }
  uint64_t WindowPackets() const { return window_packets_end_ - window_packets_start_; }
  // Counters of the window never received (after the drain), and those expected.
  std::pair<uint64_t, uint64_t> WindowLoss() const {
    if (!window_first_ || !window_last_ || *window_last_ < *window_first_) return {0, 0};
    uint64_t lost = 0;
    for (int64_t n = *window_first_; n <= *window_last_; ++n) {
      if (!counters_.Contains(n)) ++lost;
    }
    return {lost, static_cast<uint64_t>(*window_last_ - *window_first_ + 1)};
  }

  bool Connected() const { return connected_; }
  bool Failed() const { return failed_; }
  bool HasMedia() const { return packets_ > 0; }
  const std::string& Error() const { return error_; }
  std::optional<double> JoinMs() const { return join_ms_; }
  std::optional<double> FirstPacketMs() const { return first_packet_ms_; }
  std::optional<double> FirstKeyframeMs() const { return first_keyframe_ms_; }
  std::string ProfileName() const { return profile_; }
  uint64_t OtherPublisherPackets() const { return other_publisher_; }

 private:
  void OnStarted(sfu::Session& session);

  std::span<uint8_t> PrepareSend() override { return buffer_; }
  bool CommitSend(size_t size) override;
  void SendRtcp(std::span<const uint8_t>) override {}

  Bench& bench_;
  const size_t index_;
  std::string url_;
  std::unique_ptr<http::WhepClient> client_;
  sfu::Stream* stream_ = nullptr;
  std::optional<sfu::Consumer> consumer_;
  std::array<uint8_t, 1500> buffer_{};
  uint64_t start_us_ = 0;
  bool connected_ = false;
  bool failed_ = false;
  std::string error_;
  std::string profile_;
  std::optional<double> join_ms_;
  std::optional<double> first_packet_ms_;
  std::optional<double> first_keyframe_ms_;
  uint64_t packets_ = 0;
  uint64_t other_publisher_ = 0;
  std::optional<uint32_t> publisher_;
  testmedia::SeenSet counters_;
  bool window_open_ = false;
  std::optional<int64_t> window_first_;
  std::optional<int64_t> window_last_;
  uint64_t window_packets_start_ = 0;
  uint64_t window_packets_end_ = 0;
};

// One publisher: a local stream with one VP8 producer fed by a SyntheticVideoSource, sent by a
// WHIP client; PLI/FIR from the server make the next frame a keyframe.
class BenchPublisher final : private sfu::RtcpSink {
 public:
  BenchPublisher(testmedia::ClientRuntime& runtime, const Arguments& args, std::string url)
      : runtime_(runtime), args_(args), url_(std::move(url)), timer_(runtime.Io()) {}
  ~BenchPublisher() override {
    timer_.cancel();
    client_.reset();
    if (stream_ != nullptr && producer_ != nullptr)
      stream_->DetachSource(*producer_, base::NowMs());
  }

  void Start(std::function<void(const http::ClientError&)> done) {
    const uint32_t ssrc = base::RandomU32();
    testmedia::SyntheticVideoOptions options;
    options.bitrate_bps = args_.bitrate;
    options.packet_size = args_.packet_size;
    options.fps = args_.fps;
    options.keyframe_interval_ms = static_cast<uint64_t>(args_.keyframe_interval.count());
    options.ssrc = ssrc;
    options.publisher = base::RandomU32();
    options.first_sequence_number = static_cast<uint16_t>(base::RandomU32());
    options.first_timestamp = base::RandomU32();
    video_ = std::make_unique<testmedia::SyntheticVideoSource>(options);

    sfu::ProducerParameters params;
    params.kind = rtc::MediaKind::kVideo;
    params.mid = "video";
    sfu::RtpCodecParameters c;
    c.codec = rtc::codecs::CodecKind::kVp8;
    c.name = "VP8";
    c.payload_type = 96;
    c.clock_rate = 90000;
    c.rtx_payload_type = 97;
    c.feedback.nack = true;
    c.feedback.nack_pli = true;
    c.feedback.ccm_fir = true;
    params.codecs = {c};
    params.ssrc = ssrc;
    params.rtx_ssrc = base::RandomU32();
    params.cname = "tributary-bench";
    params.rtcp_ssrc = base::RandomU32();
    const sfu::StreamKey key{"local", "bench", "source-" + base::RandomHex(4)};
    stream_ = &runtime_.Worker().GetRouter().GetOrCreateStream(key);
    producer_ = &stream_->AttachSource(params, this, base::NowMs());
    Generate();

    http::WhipClient::Options client_options;
    client_options.local_key = key;
    client_options.signaling.bearer_token = args_.publish_token;
    client_options.on_ended = [this](const http::ClientError& error) { ended_ = error.ToString(); };
    client_ = std::make_unique<http::WhipClient>(runtime_.Io(), runtime_.Http(), runtime_.Worker(),
                                                 runtime_.Dispatcher(), url_, client_options);
    client_->Start(std::move(done));
  }

  void Close(std::function<void()> done) {
    timer_.cancel();
    if (!client_ || client_->GetState() == http::MediaSessionClient::State::kIdle) return done();
    client_->Close([done = std::move(done)](const http::ClientError&) { done(); });
  }

  uint64_t Packets() const { return video_ ? video_->GetCounters().packets : 0; }
  json ToJson() const {
    json out = {{"url", url_}, {"ended", ended_.empty() ? json(nullptr) : json(ended_)}};
    if (video_) {
      const auto& c = video_->GetCounters();
      out["packets"] = c.packets;
      out["bytes"] = c.bytes;
      out["frames"] = c.frames;
      out["keyframes"] = c.keyframes;
      out["keyframe_requests"] = c.keyframe_requests;
      out["skipped_frames"] = c.skipped_frames;
    }
    if (client_) {
      if (client_->GetTiming().connected)
        out["connected_ms"] =
            UsToMs(static_cast<uint64_t>(client_->GetTiming().connected->count()));
      out["resource"] = client_->ResourceUrl();
    }
    return out;
  }

 private:
  void SendRtcp(std::span<const uint8_t> packet) override {
    rtc::rtcp::RtcpCompound compound(packet);
    while (auto p = compound.Next()) {
      if (p->Is(rtc::rtcp::RtcpType::kPayloadFeedback) && (p->Count() == 1 || p->Count() == 4)) {
        if (video_) video_->RequestKeyframe();
      }
    }
  }

  void Generate() {
    const uint64_t now_us = base::NowUs();
    const uint64_t next = video_->Generate(
        now_us, base::WallClockUs(),
        [&](const testmedia::SyntheticPacket& p) { producer_->ReceiveRtpPacket(p.rtp, now_us); });
    timer_.expires_after(std::chrono::microseconds(next > now_us ? next - now_us : 0));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Generate();
    });
  }

  testmedia::ClientRuntime& runtime_;
  const Arguments& args_;
  const std::string url_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<testmedia::SyntheticVideoSource> video_;
  sfu::Stream* stream_ = nullptr;
  sfu::Producer* producer_ = nullptr;
  std::unique_ptr<http::WhipClient> client_;
  std::string ended_;
};

// The run, on the runtime's worker thread: publishers, then the viewers' joins, a warmup, the
// measured window, a drain, the report, and every resource DELETEd.
class Bench {
 public:
  Bench(testmedia::ClientRuntime& runtime, Arguments args)
      : runtime_(runtime),
        args_(std::move(args)),
        timer_(runtime.Io()),
        join_timer_(runtime.Io()),
        tick_timer_(runtime.Io()) {}

  void Start() {
    run_start_ = Clock::now();
    for (const std::string& url : args_.whip_urls)
      publishers_.push_back(std::make_unique<BenchPublisher>(runtime_, args_, url));
    for (size_t i = 0; i < args_.viewers; ++i) {
      viewers_.push_back(
          std::make_unique<BenchViewer>(*this, i, args_.whep_urls[i % args_.whep_urls.size()]));
    }
    Tick();
    if (publishers_.empty()) return StartJoins();
    for (auto& publisher : publishers_) {
      publisher->Start([this](const http::ClientError& error) {
        if (!error.Ok()) return Fail("publisher: " + error.ToString());
        if (++publishers_connected_ < publishers_.size()) return;
        // The stream goes live on the server with its first packets.
        After(std::chrono::milliseconds(300), [this] { StartJoins(); });
      });
    }
  }

  void Interrupt() {
    if (phase_ == Phase::kWindow) return EndWindow();
    Fail("interrupted");
  }

  void Stop() {
    timer_.cancel();
    join_timer_.cancel();
    tick_timer_.cancel();
    for (auto& viewer : viewers_)
      viewer->DetachTap();
    viewers_.clear();
    publishers_.clear();
  }

  bool Recording() const { return phase_ == Phase::kWindow; }
  testmedia::LatencyHistogram& Latency() { return latency_; }
  const Arguments& Args() const { return args_; }

  // A viewer's start finished (connected or failed).
  void OnJoinDone() {
    --in_flight_;
    if (++joins_done_ == viewers_.size()) return JoinsDone();
    LaunchJoins();
  }

 private:
  enum class Phase { kPublishing, kJoining, kWarmup, kWindow, kDrain, kClosing, kDone };

  template <typename F>
  void After(std::chrono::milliseconds delay, F fn) {
    timer_.expires_after(delay);
    timer_.async_wait([fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  }

  void Tick() {
    const uint64_t now_ms = base::NowMs();
    for (auto& viewer : viewers_)
      viewer->Tick(now_ms);
    tick_timer_.expires_after(kTick);
    tick_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Tick();
    });
  }

  void StartJoins() {
    if (phase_ != Phase::kPublishing) return;
    phase_ = Phase::kJoining;
    join_before_ = SampleServers(args_.server_pids);
    join_start_ = Clock::now();
    if (viewers_.empty()) return JoinsDone();
    LaunchJoins();
  }

  void LaunchJoins() {
    if (phase_ != Phase::kJoining) return;
    size_t allowed = viewers_.size();
    if (args_.join_rate > 0) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - join_start_).count();
      allowed = std::min(allowed, static_cast<size_t>(args_.join_rate * elapsed) + 1);
    }
    while (next_viewer_ < allowed && in_flight_ < args_.join_concurrency) {
      ++in_flight_;
      viewers_[next_viewer_++]->Start(runtime_, args_.play_token);
    }
    if (next_viewer_ < viewers_.size() && args_.join_rate > 0 &&
        in_flight_ < args_.join_concurrency) {
      join_timer_.expires_after(std::chrono::milliseconds(5));
      join_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) LaunchJoins();
      });
    }
  }

  void JoinsDone() {
    if (phase_ != Phase::kJoining) return;
    join_end_ = Clock::now();
    join_after_ = SampleServers(args_.server_pids);
    phase_ = Phase::kWarmup;
    After(args_.warmup, [this] { BeginWindow(); });
  }

  void BeginWindow() {
    phase_ = Phase::kWindow;
    latency_.Clear();
    for (auto& viewer : viewers_)
      viewer->BeginWindow();
    publisher_packets_start_ = 0;
    for (auto& publisher : publishers_)
      publisher_packets_start_ += publisher->Packets();
    window_before_ = SampleServers(args_.server_pids);
    self_cpu_start_ = testmedia::ProcStat::SelfCpuSeconds();
    window_start_ = Clock::now();
    After(args_.duration, [this] { EndWindow(); });
  }

  void EndWindow() {
    if (phase_ != Phase::kWindow) return;
    window_end_ = Clock::now();
    window_after_ = SampleServers(args_.server_pids);
    self_cpu_end_ = testmedia::ProcStat::SelfCpuSeconds();
    phase_ = Phase::kDrain;
    for (auto& viewer : viewers_)
      viewer->EndWindow();
    publisher_packets_end_ = 0;
    for (auto& publisher : publishers_)
      publisher_packets_end_ += publisher->Packets();
    After(kDrain, [this] { Finish(0); });
  }

  void Fail(const std::string& reason) {
    if (error_.empty()) error_ = reason;
    Finish(1);
  }

  void Finish(int code) {
    if (phase_ == Phase::kClosing || phase_ == Phase::kDone) return;
    phase_ = Phase::kClosing;
    exit_code_ = code;
    timer_.cancel();
    join_timer_.cancel();
    Report();
    // DELETE every resource, a bounded number at a time, then end.
    pending_closes_ = viewers_.size() + publishers_.size();
    close_next_ = 0;
    After(kCloseTimeout, [this] { Done(); });
    if (pending_closes_ == 0) return Done();
    for (size_t i = 0; i < std::min<size_t>(args_.join_concurrency, viewers_.size()); ++i)
      CloseNextViewer();
    for (auto& publisher : publishers_)
      publisher->Close([this] { OnClosed(); });
  }

  void CloseNextViewer() {
    if (close_next_ >= viewers_.size()) return;
    viewers_[close_next_++]->Close([this] {
      OnClosed();
      CloseNextViewer();
    });
  }

  void OnClosed() {
    if (--pending_closes_ == 0) Done();
  }

  void Done() {
    if (phase_ == Phase::kDone) return;
    phase_ = Phase::kDone;
    timer_.cancel();
    runtime_.Finish(exit_code_);
  }

  void Report() {
    json out;
    const std::string profile = args_.srtp;
    out["ok"] = exit_code_ == 0;
    out["error"] = error_.empty() ? json(nullptr) : json(error_);
    out["config"] = {{"whip", args_.whip_urls},
                     {"whep", args_.whep_urls},
                     {"viewers", args_.viewers},
                     {"bitrate_bps", args_.bitrate},
                     {"packet_size", args_.packet_size},
                     {"fps", args_.fps},
                     {"duration_s", static_cast<double>(args_.duration.count()) / 1000.0},
                     {"warmup_s", static_cast<double>(args_.warmup.count()) / 1000.0},
                     {"join_concurrency", args_.join_concurrency},
                     {"join_rate", args_.join_rate},
                     {"srtp", args_.srtp},
                     {"server_pids", args_.server_pids}};
    json pubs = json::array();
    for (const auto& publisher : publishers_)
      pubs.push_back(publisher->ToJson());
    out["publishers"] = pubs;

    // Viewers: joins and first packets.
    std::vector<double> join, first_packet, first_keyframe;
    size_t connected = 0, failed = 0, with_media = 0;
    json errors = json::object();
    json profiles = json::object();
    for (const auto& viewer : viewers_) {
      if (viewer->Connected()) ++connected;
      if (viewer->Failed()) {
        ++failed;
        errors[viewer->Error()] = errors.value(viewer->Error(), 0) + 1;
      }
      if (viewer->HasMedia()) ++with_media;
      if (viewer->JoinMs()) join.push_back(*viewer->JoinMs());
      if (viewer->FirstPacketMs()) first_packet.push_back(*viewer->FirstPacketMs());
      if (viewer->FirstKeyframeMs()) first_keyframe.push_back(*viewer->FirstKeyframeMs());
      if (!viewer->ProfileName().empty())
        profiles[viewer->ProfileName()] = profiles.value(viewer->ProfileName(), 0) + 1;
    }
    out["viewers"] = {{"requested", viewers_.size()},
                      {"connected", connected},
                      {"failed", failed},
                      {"with_media", with_media},
                      {"errors", errors},
                      {"srtp_profiles", profiles},
                      {"join_ms", SummaryJson(testmedia::Summary::Of(join))},
                      {"first_packet_ms", SummaryJson(testmedia::Summary::Of(first_packet))},
                      {"first_keyframe_ms", SummaryJson(testmedia::Summary::Of(first_keyframe))}};

    // The join phase.
    const bool have_servers = !args_.server_pids.empty();
    if (join_end_ > join_start_) {
      const double seconds = std::chrono::duration<double>(join_end_ - join_start_).count();
      json phase = {{"seconds", seconds},
                    {"sessions", connected},
                    {"sessions_per_second", seconds > 0 ? connected / seconds : 0.0}};
      if (have_servers && join_before_.ok && join_after_.ok && connected > 0) {
        const double cpu = join_after_.cpu_seconds - join_before_.cpu_seconds;
        const double rss_delta =
            static_cast<double>(join_after_.rss_kib) - static_cast<double>(join_before_.rss_kib);
        phase["server_cpu_seconds"] = cpu;
        phase["server_cpu_ms_per_session"] = cpu * 1000.0 / static_cast<double>(connected);
        phase["sessions_per_server_cpu_second"] = cpu > 0 ? connected / cpu : 0.0;
        phase["server_rss_before_kib"] = join_before_.rss_kib;
        phase["server_rss_after_kib"] = join_after_.rss_kib;
        phase["server_rss_kib_per_session"] = rss_delta / static_cast<double>(connected);
      }
      out["join"] = phase;
    }

    // The measured window.
    if (window_end_ > window_start_) {
      const double seconds = std::chrono::duration<double>(window_end_ - window_start_).count();
      uint64_t delivered = 0, lost = 0, expected = 0, other = 0;
      size_t silent = 0;
      for (const auto& viewer : viewers_) {
        delivered += viewer->WindowPackets();
        const auto [l, e] = viewer->WindowLoss();
        lost += l;
        expected += e;
        other += viewer->OtherPublisherPackets();
        if (viewer->Connected() && viewer->WindowPackets() == 0) ++silent;
      }
      const uint64_t sent = publisher_packets_end_ - publisher_packets_start_;
      json window = {
          {"seconds", seconds},
          {"publisher_packets", sent},
          {"delivered_packets", delivered},
          {"delivered_pps", seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0},
          {"expected_packets", expected},
          {"lost_packets", lost},
          {"loss_ratio",
           expected > 0 ? static_cast<double>(lost) / static_cast<double>(expected) : 0.0},
          {"viewers_without_packets", silent},
          {"other_publisher_packets", other},
          {"latency_ms",
           {{"count", latency_.Count()},
            {"p50", UsToMs(latency_.PercentileUs(0.50))},
            {"p99", UsToMs(latency_.PercentileUs(0.99))},
            {"max", UsToMs(latency_.MaxUs())},
            {"mean", latency_.MeanUs() / 1000.0}}},
          {"bench_cpu_seconds", self_cpu_end_ - self_cpu_start_},
          {"bench_cpu_us_per_packet",
           delivered > 0 ? (self_cpu_end_ - self_cpu_start_) * 1e6 / static_cast<double>(delivered)
                         : 0.0}};
      if (have_servers && window_before_.ok && window_after_.ok) {
        const double cpu = window_after_.cpu_seconds - window_before_.cpu_seconds;
        window["server_cpu_seconds"] = cpu;
        window["server_cpu_utilization"] = seconds > 0 ? cpu / seconds : 0.0;
        window["server_cpu_us_per_packet"] =
            delivered > 0 ? cpu * 1e6 / static_cast<double>(delivered) : 0.0;
        window["server_rss_kib"] = window_after_.rss_kib;
        // Viewers of this stream one server core would carry at this cost per packet.
        if (delivered > 0 && cpu > 0 && !viewers_.empty()) {
          const double pps_per_viewer =
              static_cast<double>(delivered) / seconds / static_cast<double>(viewers_.size());
          const double us_per_packet = cpu * 1e6 / static_cast<double>(delivered);
          window["viewers_per_core_estimate"] = 1e6 / (us_per_packet * pps_per_viewer);
        }
      }
      out["window"] = window;
    }
    out["seconds_total"] = std::chrono::duration<double>(Clock::now() - run_start_).count();

    if (args_.json) {
      std::cout << out.dump(2) << std::endl;
    } else {
      std::fprintf(stderr, "%s\n", out.dump(2).c_str());
    }
  }

  testmedia::ClientRuntime& runtime_;
  const Arguments args_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer join_timer_;
  boost::asio::steady_timer tick_timer_;
  std::vector<std::unique_ptr<BenchPublisher>> publishers_;
  std::vector<std::unique_ptr<BenchViewer>> viewers_;
  testmedia::LatencyHistogram latency_;
  Phase phase_ = Phase::kPublishing;
  size_t publishers_connected_ = 0;
  size_t next_viewer_ = 0;
  size_t in_flight_ = 0;
  size_t joins_done_ = 0;
  size_t pending_closes_ = 0;
  size_t close_next_ = 0;
  Clock::time_point run_start_, join_start_, join_end_, window_start_, window_end_;
  ServerSample join_before_, join_after_, window_before_, window_after_;
  double self_cpu_start_ = 0, self_cpu_end_ = 0;
  uint64_t publisher_packets_start_ = 0, publisher_packets_end_ = 0;
  std::string error_;
  int exit_code_ = 0;
};

void BenchViewer::Start(testmedia::ClientRuntime& runtime, const std::string& token) {
  http::WhepClient::Options options;
  options.local_key = {"local", "bench", "viewer-" + std::to_string(index_)};
  options.signaling.bearer_token = token;
  options.audio = false;
  options.video = true;
  options.on_started = [this](sfu::Session& session) { OnStarted(session); };
  options.on_ended = [this](const http::ClientError& error) {
    if (error_.empty()) error_ = std::string(http::ClientError::KindName(error.kind));
  };
  client_ = std::make_unique<http::WhepClient>(runtime.Io(), runtime.Http(), runtime.Worker(),
                                               runtime.Dispatcher(), url_, options);
  start_us_ = base::NowUs();
  client_->Start([this, &runtime](const http::ClientError& error) {
    if (error.Ok()) {
      connected_ = true;
      if (client_->GetTiming().connected)
        join_ms_ = UsToMs(static_cast<uint64_t>(client_->GetTiming().connected->count()));
      if (auto* session = runtime.Worker().FindSession(client_->SessionId())) {
        profile_ = std::string(rtc::SrtpProfileName(session->Transport().GetSrtpProfile()));
      }
    } else {
      failed_ = true;
      error_ = std::string(http::ClientError::KindName(error.kind)) +
               (error.status != 0 ? " " + std::to_string(error.status) : "");
    }
    bench_.OnJoinDone();
  });
}

void BenchViewer::Close(std::function<void()> done) {
  DetachTap();
  if (!client_ || client_->GetState() == http::MediaSessionClient::State::kIdle ||
      client_->GetState() == http::MediaSessionClient::State::kClosing) {
    return done();
  }
  client_->Close([done = std::move(done)](const http::ClientError&) { done(); });
}

void BenchViewer::OnStarted(sfu::Session& session) {
  auto* ingest = dynamic_cast<sfu::IngestSession*>(&session);
  if (ingest == nullptr || ingest->GetStream() == nullptr) return;
  for (size_t i = 0; i < ingest->TrackCount(); ++i) {
    sfu::Producer& producer = ingest->TrackProducer(i);
    if (!producer.IsVideo() || consumer_) continue;
    sfu::ConsumerParameters params;
    params.kind = producer.Kind();
    params.mid = "tap";
    params.codecs = producer.Parameters().codecs;
    for (auto& codec : params.codecs)
      codec.rtx_payload_type.reset();
    params.ssrc = base::RandomU32();
    params.cname = "tributary-bench";
    stream_ = ingest->GetStream();
    consumer_.emplace(params, static_cast<sfu::RtpSender&>(*this),
                      static_cast<sfu::RtcpSink&>(*this), *stream_);
    stream_->AttachConsumer(producer, *consumer_, base::NowMs());
  }
}

bool BenchViewer::CommitSend(size_t size) {
  const auto packet = rtc::RtpPacket::Parse(std::span<const uint8_t>(buffer_.data(), size));
  if (!packet) return false;
  const auto payload = packet->Payload();
  const auto probe =
      testmedia::ProbePayload::ReadVp8(payload.first(std::min(payload.size(), kProbeBytes)));
  if (!probe) return true;
  if (!publisher_) publisher_ = probe->publisher;
  if (*publisher_ != probe->publisher) {
    ++other_publisher_;
    return true;
  }
  ++packets_;
  const uint64_t now_us = base::NowUs();
  if (!first_packet_ms_) first_packet_ms_ = UsToMs(now_us - start_us_);
  if (!first_keyframe_ms_ && probe->keyframe && probe->frame_start) {
    first_keyframe_ms_ = UsToMs(now_us - start_us_);
  }
  const auto inserted = counters_.Add(probe->counter);
  if (window_open_ && inserted == testmedia::SeenSet::Insert::kNew) {
    const uint64_t wall_us = base::WallClockUs();
    bench_.Latency().Record(wall_us > probe->send_time_us ? wall_us - probe->send_time_us : 0);
  }
  return true;
}

// --- sweep: one child process per viewer count, then the plot ---

std::optional<json> RunChild(const std::vector<std::string>& argv) {
  char path[] = "/tmp/tributary-bench-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fd);
  std::optional<json> result;
  if (rc == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    try {
      result = json::parse(text.str());
    } catch (const std::exception&) {
    }
  }
  unlink(path);
  return result;
}

bool WritePlot(const std::string& png, const json& points) {
  const std::string data = png + ".dat";
  {
    std::ofstream out(data);
    out << "# viewers server_cpu_us_per_packet loss_percent delivered_pps\n";
    for (const json& p : points) {
      const json& w = p.value("window", json::object());
      out << p["config"]["viewers"].get<size_t>() << ' ' << w.value("server_cpu_us_per_packet", 0.0)
          << ' ' << w.value("loss_ratio", 0.0) * 100.0 << ' ' << w.value("delivered_pps", 0.0)
          << '\n';
    }
  }
  const std::string script = png + ".gp";
  {
    std::ofstream out(script);
    out << "set terminal pngcairo size 900,520\n"
        << "set output '" << png << "'\n"
        << "set title 'tributary-bench: server CPU per delivered packet and loss'\n"
        << "set xlabel 'viewers'\nset ylabel 'server CPU per packet (us)'\n"
        << "set y2label 'loss (%)'\nset ytics nomirror\nset y2tics\nset grid\n"
        << "set yrange [0:*]\nset y2range [0:*]\nset key top left\n"
        << "plot '" << data << "' using 1:2 with linespoints lw 2 title 'CPU us/packet', '" << data
        << "' using 1:3 axes x1y2 with linespoints lw 2 title 'loss %'\n";
  }
  const std::string command = "gnuplot '" + script + "'";
  const int rc = std::system(command.c_str());
  std::remove(script.c_str());
  return rc == 0;
}

int RunSweep(const Arguments& args, const std::vector<std::string>& passthrough) {
  json points = json::array();
  for (size_t viewers : args.sweep) {
    std::vector<std::string> argv = passthrough;
    argv.push_back("--viewers");
    argv.push_back(std::to_string(viewers));
    argv.push_back("--json");
    std::fprintf(stderr, "tributary-bench: %zu viewers...\n", viewers);
    auto result = RunChild(argv);
    if (!result) {
      std::fprintf(stderr, "tributary-bench: the run with %zu viewers gave no report\n", viewers);
      continue;
    }
    const json& w = result->value("window", json::object());
    std::fprintf(stderr, "  delivered %.0f pps, loss %.4f%%, server %.3f us/packet, cpu %.2f\n",
                 w.value("delivered_pps", 0.0), w.value("loss_ratio", 0.0) * 100.0,
                 w.value("server_cpu_us_per_packet", 0.0), w.value("server_cpu_utilization", 0.0));
    points.push_back(std::move(*result));
  }
  json out = {{"sweep", points}};
  if (!args.out.empty()) {
    std::ofstream file(args.out);
    file << out.dump(2) << '\n';
  }
  if (args.json) std::cout << out.dump(2) << std::endl;
  if (!args.plot.empty() && !WritePlot(args.plot, points)) {
    std::fprintf(stderr, "tributary-bench: gnuplot failed for %s\n", args.plot.c_str());
    return 1;
  }
  return points.empty() ? 1 : 0;
}

std::optional<std::vector<size_t>> ParseCounts(const std::string& text) {
  std::vector<size_t> counts;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      const unsigned long value = std::stoul(item, &used);
      if (used != item.size() || value == 0) return std::nullopt;
      counts.push_back(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (counts.empty()) return std::nullopt;
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  std::string bitrate = "1M", duration = "10s", warmup = "2s", keyframe_interval = "2s", sweep;
  size_t viewers = 0;
  CLI::App app{"tributary-bench: publishers and many viewers over WHIP/WHEP, measured"};
  app.add_option("--whip", args.whip_urls, "WHIP endpoint to publish to (repeatable)");
  app.add_option("--whep", args.whep_urls, "WHEP endpoint the viewers play (repeatable)")
      ->required();
  app.add_option("--token", args.publish_token, "bearer token for WHIP");
  app.add_option("--play-token", args.play_token, "bearer token for WHEP");
  app.add_option("--viewers", viewers, "number of viewers (default 10)");
  app.add_option("--bitrate", bitrate, "publisher video bitrate (default 1M)");
  app.add_option("--packet-size", args.packet_size, "RTP packet size (default 1200)");
  app.add_option("--fps", args.fps, "frames per second (default 30)");
  app.add_option("--keyframe-interval", keyframe_interval, "keyframe period (default 2s)");
  app.add_option("--duration", duration, "measured window (default 10s)");
  app.add_option("--warmup", warmup, "wait after the joins (default 2s)");
  app.add_option("--join-concurrency", args.join_concurrency, "joins in flight (default 32)");
  app.add_option("--join-rate", args.join_rate, "joins started per second (default: no limit)");
  app.add_option("--server-pid", args.server_pids, "server process to measure (repeatable)");
  app.add_option("--srtp", args.srtp, "SRTP profile offered: gcm, aes-cm or any (default)");
  app.add_option("--sweep", sweep, "viewer counts to run, e.g. 50,100,200");
  app.add_option("--plot", args.plot, "sweep: write a gnuplot PNG here");
  app.add_option("--out", args.out, "sweep: write the JSON results here");
  app.add_option("--cpu", args.cpu, "pin this process to a CPU");
  app.add_flag("--quick", args.quick, "a short run: 8 viewers, 3 s (sweep: 4,16)");
  app.add_flag("--json", args.json, "print the report as JSON on stdout");
  app.add_option("--bind", args.bind_ip, "local IP for media sockets (default 127.0.0.1)");
  app.add_option("--log-level", args.log_level, "trace, debug, info, warn (default), error");
  CLI11_PARSE(app, argc, argv);

  if (args.quick) {
    duration = "3s";
    warmup = "1s";
    if (viewers == 0) viewers = 8;
    if (sweep.empty() && !args.plot.empty()) sweep = "4,16";
  }
  args.viewers = viewers == 0 ? 10 : viewers;
  const auto parsed_bitrate = testmedia::ParseBitrate(bitrate);
  const auto parsed_duration = testmedia::ParseDuration(duration);
  const auto parsed_warmup = testmedia::ParseDuration(warmup);
  const auto parsed_keyframe = testmedia::ParseDuration(keyframe_interval);
  std::optional<std::vector<size_t>> counts;
  if (!sweep.empty()) counts = ParseCounts(sweep);
  std::string bad;
  if (!parsed_bitrate)
    bad = "--bitrate: expected a bitrate such as 1M or 800k";
  else if (!parsed_duration || parsed_duration->count() == 0)
    bad = "--duration: expected a duration such as 10s";
  else if (!parsed_warmup)
    bad = "--warmup: expected a duration such as 2s";
  else if (!parsed_keyframe)
    bad = "--keyframe-interval: expected a duration such as 2s";
  else if (!sweep.empty() && !counts)
    bad = "--sweep: expected viewer counts such as 10,50,100";
  else if (args.srtp != "gcm" && args.srtp != "aes-cm" && args.srtp != "any")
    bad = "--srtp: expected gcm, aes-cm or any";
  else if (args.join_concurrency == 0)
    bad = "--join-concurrency must be at least 1";
  if (!bad.empty()) {
    std::fprintf(stderr, "tributary-bench: %s\n", bad.c_str());
    return 2;
  }
  args.bitrate = *parsed_bitrate;
  args.duration = *parsed_duration;
  args.warmup = *parsed_warmup;
  args.keyframe_interval = *parsed_keyframe;

  if (args.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(args.cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
      std::fprintf(stderr, "tributary-bench: cannot pin to CPU %d\n", args.cpu);
    }
  }

  if (counts) {
    args.sweep = *counts;
    // The children get every argument but those of the sweep itself.
    std::vector<std::string> passthrough{argv[0]};
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--sweep" || a == "--plot" || a == "--out" || a == "--viewers") {
        ++i;
        continue;
      }
      if (a.rfind("--sweep=", 0) == 0 || a.rfind("--plot=", 0) == 0 || a.rfind("--out=", 0) == 0 ||
          a.rfind("--viewers=", 0) == 0 || a == "--json") {
        continue;
      }
      passthrough.push_back(a);
    }
    return RunSweep(args, passthrough);
  }

  // One socket per viewer, plus HTTP connections.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }

  try {
    base::LogOptions log;
    log.level = args.log_level;
    base::SetupLogging(log);
    testmedia::ClientRuntimeOptions options;
    options.bind_ip = args.bind_ip;
    options.verify_tls = false;
    if (args.srtp == "gcm") options.srtp_profiles = {rtc::SrtpProfile::kAeadAes128Gcm};
    if (args.srtp == "aes-cm") options.srtp_profiles = {rtc::SrtpProfile::kAesCm128HmacSha1_80};
    options.connect_timeout_ms = 20000;
    testmedia::ClientRuntime runtime(options);
    return runtime.RunApp<Bench>(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tributary-bench: %s\n", e.what());
    return 1;
  }
}
