// libFuzzer target for StunMessage: parse, walk the attributes, check integrity with a fixed
// password and the fingerprint, then re-serialize what was honoured with the builder and check
// that the copy parses back with the same view of the message.
//
// Seeds: tests/fuzz/corpus/StunMessageFuzz/ (RFC 5769 vectors, aioice captures, our own
// requests and responses). Build by hand until the fuzz CMake plumbing lands:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Icommon \
//     tests/fuzz/rtc/StunMessageFuzz.cc common/rtc/StunMessage.cc common/rtc/Crc32.cc \
//     common/rtc/deps/DepOpenSsl.cc common/net/Endpoint.cc -lssl -lcrypto -o StunMessageFuzz

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "rtc/StunMessage.h"

using tributary::rtc::StunAttr;
using tributary::rtc::StunAttribute;
using tributary::rtc::StunMessage;
using tributary::rtc::StunMessageBuilder;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  const bool is_stun = StunMessage::IsStun(input);
  const auto message = StunMessage::Parse(input);
  if (!message) return 0;
  Check(is_stun || input[0] >= 4 || size < 20);  // IsStun only looks at the header
  Check(message->Bytes().size() == size);

  // Every accessor, so that the sanitizers see every read.
  size_t text = 0;
  if (auto u = message->Username()) text += u->size();
  if (auto s = message->Software()) text += s->size();
  if (auto r = message->Realm()) text += r->size();
  if (auto n = message->Nonce()) text += n->size();
  if (auto e = message->ErrorCode()) {
    Check(e->code >= 300 && e->code <= 699);
    text += e->reason.size();
  }
  Check(text <= size);
  (void)message->Priority();
  (void)message->IceControlling();
  (void)message->IceControlled();
  (void)message->XorMappedAddress();
  (void)message->MappedAddress();
  const bool integrity = message->CheckIntegrity(std::string_view("VOkJxbRl1RmTxUk/WvJxBt"));
  const bool fingerprint = message->CheckFingerprint();
  Check(!integrity || message->HasMessageIntegrity());
  Check(!fingerprint || message->HasFingerprint());

  // Re-serialize the honoured attributes (MESSAGE-INTEGRITY and FINGERPRINT recomputed).
  static std::array<uint8_t, 65536 + 64> out;
  StunMessageBuilder builder(out, message->Class(), message->Method(), message->TransactionId());
  size_t copied = 0;
  message->ForEachAttribute([&](const StunAttribute& a) {
    if (a.type == static_cast<uint16_t>(StunAttr::kMessageIntegrity) ||
        a.type == static_cast<uint16_t>(StunAttr::kMessageIntegritySha256) ||
        a.type == static_cast<uint16_t>(StunAttr::kFingerprint)) {
      return;
    }
    builder.AddAttribute(a.type, a.value);
    ++copied;
  });
  builder.AddMessageIntegrity(std::string_view("fuzz-password")).AddFingerprint();
  const size_t written = builder.Finish();
  if (written == 0) return 0;  // the copy plus MI and FP may exceed STUN's 64 KiB
  const auto copy = StunMessage::Parse(std::span<const uint8_t>(out.data(), written));
  Check(copy.has_value());
  Check(copy->CheckIntegrity(std::string_view("fuzz-password")));
  Check(copy->CheckFingerprint());
  Check(copy->Method() == message->Method() && copy->Class() == message->Class());
  Check(copy->Username() == message->Username());
  Check(copy->Priority() == message->Priority());
  Check(copy->IceControlling() == message->IceControlling());
  Check(copy->XorMappedAddress() == message->XorMappedAddress());
  Check(copy->HasUseCandidate() == message->HasUseCandidate());
  Check(copy->UnknownRequiredAttributes().size() == message->UnknownRequiredAttributes().size());
  size_t recopied = 0;
  copy->ForEachAttribute([&](const StunAttribute&) { ++recopied; });
  Check(recopied == copied + 2);
  return 0;
}
