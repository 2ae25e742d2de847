// libFuzzer target for the SDP code that takes untrusted input: SdpParser (offers and trickle
// fragments), SdpWriter (round trip), SdpAnswerer (answers to whatever parsed) and
// SdpOfferer::ApplyAnswer (our own answer must satisfy our own client).
//
// Seeds: tests/fuzz/corpus/SdpFuzz/ (real aiortc and browser offers, and inputs that found bugs);
// dictionary: tests/fuzz/rtc/SdpFuzz.dict. Until the fuzz CMake plumbing exists, by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Icommon
//     tests/fuzz/rtc/SdpFuzz.cc common/rtc/Sdp*.cc common/rtc/MediaDescription.cc
//     common/rtc/SessionDescription.cc common/base/Random.cc -o SdpFuzz
//   ./SdpFuzz -max_total_time=120 -dict=tests/fuzz/rtc/SdpFuzz.dict
//     corpus/ tests/fuzz/corpus/SdpFuzz

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rtc/SdpAnswerer.h"
#include "rtc/SdpOfferer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"

using namespace tributary::rtc;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// What the writer produces may be longer than its input (session-level attributes are repeated
// in every section), so it is read back with looser limits.
SdpLimits Relaxed() {
  SdpLimits limits;
  limits.max_total_size = 4 * 1024 * 1024;
  limits.max_line_length = 64 * 1024;
  return limits;
}

SdpAnswerOptions Options(SdpDirection direction) {
  SdpAnswerOptions o;
  o.direction = direction;
  o.session_id = "1";
  o.transport.ice_ufrag = "ufrag";
  o.transport.ice_pwd = "passwordpasswordpassword";
  o.transport.fingerprint = {"sha-256",
                             "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:"
                             "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB"};
  SdpCandidate c;
  c.foundation = "1";
  c.priority = 2130706431;
  c.address = "127.0.0.1";
  c.port = 40000;
  o.transport.candidates = {c};
  o.tracks = {{MediaKind::kAudio, 1111, 0, "cname", "stream", "audio"},
              {MediaKind::kVideo, 2222, 3333, "cname", "stream", "video"}};
  return o;
}

void Negotiate(const SessionDescription& offer, SdpDirection direction) {
  std::string error;
  auto result = SdpAnswerer::Answer(offer, Options(direction), error);
  if (!result) {
    Check(!error.empty());
    return;
  }
  Check(result->AcceptedCount() > 0);
  auto answer = SdpParser::Parse(result->local_sdp, error, Relaxed());
  Check(answer.has_value());
  Check(*answer == result->local);
  auto applied = SdpOfferer::ApplyAnswer(offer, *answer, error);
  Check(applied.has_value());
  Check(applied->AcceptedCount() == result->AcceptedCount());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto parsed = SdpParser::Parse(text, error);
  if (!parsed) {
    Check(!error.empty());
  } else {
    std::string written = SdpWriter::Write(*parsed);
    auto again = SdpParser::Parse(written, error, Relaxed());
    Check(again.has_value());
    Check(*again == *parsed);
    Check(SdpWriter::Write(*again) == written);
    Negotiate(*parsed, SdpDirection::kRecvOnly);
    Negotiate(*parsed, SdpDirection::kSendOnly);
  }
  auto fragment = SdpParser::ParseFragment(text, error);
  if (fragment) {
    std::string written = SdpWriter::WriteFragment(*fragment);
    auto again = SdpParser::ParseFragment(written, error, Relaxed());
    Check(again.has_value());
    Check(*again == *fragment);
  }
  return 0;
}
