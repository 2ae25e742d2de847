#include "sfu/KeyframeRequester.h"

namespace tributary::sfu {

std::string_view ToString(KeyframeRequestReason reason) {
  switch (reason) {
    case KeyframeRequestReason::kConsumerJoined:
      return "consumer-joined";
    case KeyframeRequestReason::kSourceSwitched:
      return "source-switched";
    case KeyframeRequestReason::kViewerPli:
      return "viewer-pli";
    case KeyframeRequestReason::kViewerFir:
      return "viewer-fir";
    case KeyframeRequestReason::kNackOverflow:
      return "nack-overflow";
    case KeyframeRequestReason::kOther:
      return "other";
  }
  return "other";
}

bool KeyframeRequester::Send(uint64_t now_ms) {
  last_sent_ms_ = now_ms;
  pending_ = false;
  ++fir_seq_nr_;
  ++counters_.sent;
  return true;
}

bool KeyframeRequester::Request(KeyframeRequestReason reason, uint64_t now_ms) {
  ++counters_.requests[static_cast<size_t>(reason)];
  if (method_ == Method::kNone) {
    ++counters_.unsupported;
    return false;
  }
  if (!last_sent_ms_ || now_ms >= *last_sent_ms_ + throttle_ms_) return Send(now_ms);
  ++counters_.deferred;
  pending_ = true;
  return false;
}

bool KeyframeRequester::Poll(uint64_t now_ms) {
  if (!pending_ || !last_sent_ms_ || now_ms < *last_sent_ms_ + throttle_ms_) return false;
  return Send(now_ms);
}

void KeyframeRequester::OnKeyframeReceived() {
  ++counters_.keyframes;
  if (pending_) {
    pending_ = false;
    ++counters_.satisfied;
  }
}

void KeyframeRequester::Reset(Method method) {
  method_ = method;
  last_sent_ms_.reset();
  pending_ = false;
}

}  // namespace tributary::sfu
