#pragma once

// Shared by the tests that drive real MediaWorkers from the test thread (MediaWorkerTest,
// MediaPlaneTest, MediaSessionClientTest): running a function on a worker's thread and waiting
// for its result, polling for a condition, numbered payloads, the viewer's recording end, and a
// synthetic publisher feeding numbered VP8 and Opus into a client worker's producers.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include "SfuTestSupport.h"
#include "base/ByteIo.h"
#include "base/Clock.h"
#include "sfu/Consumer.h"
#include "sfu/MediaWorker.h"
#include "sfu/Producer.h"
#include "sfu/Stream.h"

namespace tributary::sfu::testing {

// Runs `fn` on the worker's thread and returns what it returns; an exception it throws is
// rethrown on the calling thread.
template <typename F>
auto On(MediaWorker& worker, F&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  std::promise<R> promise;
  worker.Post([&] {
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
        promise.set_value();
      } else {
        promise.set_value(fn());
      }
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  });
  return promise.get_future().get();
}

// Polls `done` every 5 ms; false when `limit` passed first.
inline bool WaitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A payload that the receiver can recognise: a captured one, then a 4-byte serial number.
inline std::vector<uint8_t> Numbered(std::span<const uint8_t> capture, uint32_t serial) {
  std::vector<uint8_t> out(capture.begin(), capture.end());
  out.resize(out.size() + 4);
  base::Write32(out.data() + capture.size(), serial);
  return out;
}

// The viewer's end: a consumer of one of its producers that keeps what it sends.
struct Recorder {
  RecordingRtpSender sender;
  RecordingRtcpSink rtcp;
  std::unique_ptr<Consumer> consumer;
  Stream* stream = nullptr;
};

// The publisher's source: numbered VP8 (a keyframe every 30 packets, a frame every 3) and Opus,
// fed into the producers of a client worker's local stream, in bursts of 8 packets of each.
struct NumberedSource {
  static constexpr uint32_t kVideoSsrc = 0x11223344;
  static constexpr uint32_t kAudioSsrc = 0x5ca1ab1e;

  Producer* video = nullptr;  // the client worker's, set once the local stream has them
  Producer* audio = nullptr;
  uint16_t video_seq = 1000;
  uint16_t audio_seq = 5000;
  uint32_t serial = 0;

  // Sends `count` packets of each kind; what was sent is appended to `video_out`/`audio_out`.
  void Send(MediaWorker& worker, size_t count, std::vector<std::vector<uint8_t>>& video_out,
            std::vector<std::vector<uint8_t>>& audio_out) {
    constexpr size_t kBurst = 8;
    for (size_t start = 0; start < count; start += kBurst) {
      On(worker, [&] {
        for (size_t i = start; i < std::min(count, start + kBurst); ++i)
          SendOne(i, video_out, audio_out);
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

 private:
  void SendOne(size_t i, std::vector<std::vector<uint8_t>>& video_out,
               std::vector<std::vector<uint8_t>>& audio_out) {
    RtpSpec spec;
    spec.ssrc = kVideoSsrc;
    spec.payload_type = 96;
    spec.seq = video_seq++;
    spec.timestamp = 3000 * static_cast<uint32_t>(video_seq / 3);
    spec.mid = "0";
    spec.marker = i % 3 == 2;
    auto payload = Numbered(i % 30 == 0 ? Vp8KeyframePayload() : Vp8DeltaPayload(), serial++);
    video->ReceiveRtpPacket(BuildRtp(spec, payload), base::NowUs());
    video_out.push_back(payload);

    RtpSpec opus;
    opus.ssrc = kAudioSsrc;
    opus.payload_type = 111;
    opus.seq = audio_seq++;
    opus.timestamp = 960 * static_cast<uint32_t>(audio_seq);
    opus.mid = "1";
    auto audio_payload = Numbered(OpusPayload(), serial++);
    audio->ReceiveRtpPacket(BuildRtp(opus, audio_payload), base::NowUs());
    audio_out.push_back(audio_payload);
  }
};

}  // namespace tributary::sfu::testing
