#pragma once

// Aggregates the reasons to ask one publisher for a keyframe (a viewer joined, a viewer sent
// PLI or FIR, the NACK list overflowed, the source switched) into at most one request per
// `throttle_ms` (media.keyframe_throttle_ms, 500 ms). A request inside the window is not lost:
// one trailing request goes out when the window ends, unless a keyframe arrived in between
// (every viewer waiting then has one). The method follows the publisher's negotiation: PLI
// (RFC 4585) when it offered "nack pli", otherwise FIR (RFC 5104) when it offered "ccm fir",
// with a command sequence number that advances with each new request; none otherwise.
//
//   if (requester.Request(reason, now_ms)) send PLI/FIR now;
//   Tick: if (requester.Poll(now_ms)) send PLI/FIR now;
//   keyframe packet: requester.OnKeyframeReceived();
//
// One thread; times are monotonic milliseconds.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::sfu {

enum class KeyframeRequestReason : uint8_t {
  kConsumerJoined,
  kSourceSwitched,
  kViewerPli,
  kViewerFir,
  kNackOverflow,
  kOther,
};
inline constexpr size_t kKeyframeRequestReasonCount = 6;
std::string_view ToString(KeyframeRequestReason reason);

class KeyframeRequester {
 public:
  enum class Method : uint8_t { kNone, kPli, kFir };

  struct Counters {
    std::array<uint64_t, kKeyframeRequestReasonCount> requests{};  // by reason
    uint64_t sent = 0;                                             // PLI or FIR sent upstream
    uint64_t deferred = 0;     // requests folded into a trailing one
    uint64_t satisfied = 0;    // trailing requests a keyframe made unnecessary
    uint64_t unsupported = 0;  // requests with no method negotiated
    uint64_t keyframes = 0;    // keyframes received
  };

  explicit KeyframeRequester(Method method = Method::kNone, uint64_t throttle_ms = 500)
      : method_(method), throttle_ms_(throttle_ms) {}

  // True when a request should go out now (then FirSeqNr() is its sequence number).
  bool Request(KeyframeRequestReason reason, uint64_t now_ms);
  // True when the trailing request is due now.
  bool Poll(uint64_t now_ms);
  void OnKeyframeReceived();

  Method GetMethod() const { return method_; }
  // A new source: its method, no pending request, a window that starts afresh.
  void Reset(Method method);
  bool Pending() const { return pending_; }
  uint8_t FirSeqNr() const { return fir_seq_nr_; }
  const Counters& GetCounters() const { return counters_; }

 private:
  bool Send(uint64_t now_ms);

  Method method_;
  uint64_t throttle_ms_;
  std::optional<uint64_t> last_sent_ms_;
  bool pending_ = false;
  uint8_t fir_seq_nr_ = 0;
  Counters counters_;
};

}  // namespace tributary::sfu
