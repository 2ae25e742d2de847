// libFuzzer target: RTP parsing, extension walking, rebuilding, in-place mutation, RTX and
// keyframe detection. Whatever parses must describe the input exactly, survive a rebuild with
// the same extensions, and come back unchanged through RTX encapsulation.
//
// Built by tests/fuzz/CMakeLists.txt with -DTRIBUTARY_FUZZ=ON; by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
//     -Icommon tests/fuzz/rtc/RtpPacketFuzz.cc common/rtc/RtpPacket.cc
//     common/rtc/MutableRtpPacket.cc \
//     common/rtc/RtpHeaderExtensions.cc common/rtc/RtpPacketBuilder.cc common/rtc/RtxPacket.cc \
//     common/rtc/codecs/*.cc -o RtpPacketFuzz
//   ./RtpPacketFuzz -max_total_time=60 tests/fuzz/corpus/RtpPacketFuzz

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtc/MutableRtpPacket.h"
#include "rtc/RtpHeaderExtensions.h"
#include "rtc/RtpPacket.h"
#include "rtc/RtpPacketBuilder.h"
#include "rtc/RtxPacket.h"
#include "rtc/codecs/CodecKind.h"

namespace {

using namespace tributary::rtc;

#define FUZZ_CHECK(condition)                                                            \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

struct Element {
  uint8_t id;
  std::vector<uint8_t> value;
  bool operator==(const Element&) const = default;
};

std::vector<Element> Elements(const RtpHeaderExtensions& extensions) {
  std::vector<Element> elements;
  for (const RtpHeaderExtension& e : extensions) {
    elements.push_back({e.id, std::vector<uint8_t>(e.value.begin(), e.value.end())});
  }
  return elements;
}

bool SameBytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void CheckConsistent(const RtpPacket& packet, std::span<const uint8_t> bytes) {
  FUZZ_CHECK(packet.Size() == bytes.size());
  FUZZ_CHECK(packet.HeaderSize() + packet.Payload().size() + packet.PaddingSize() == bytes.size());
  FUZZ_CHECK(packet.HeaderSize() >= RtpPacket::kFixedHeaderSize + 4 * packet.CsrcCount());
  FUZZ_CHECK(packet.HasPadding() == (packet.PaddingSize() > 0));
  for (size_t i = 0; i < packet.CsrcCount(); ++i)
    (void)packet.Csrc(i);
  const uint8_t* header_end = bytes.data() + packet.HeaderSize();
  for (const RtpHeaderExtension& e : packet.Extensions()) {
    FUZZ_CHECK(e.id != 0);
    FUZZ_CHECK(e.value.data() >= bytes.data() + RtpPacket::kFixedHeaderSize);
    FUZZ_CHECK(e.value.data() + e.value.size() <= header_end);
    FUZZ_CHECK(packet.FindExtension(e.id).has_value());
  }
}

// Rebuilding with every extension kept gives the same fields, extensions and payload.
void CheckRebuild(const RtpPacket& packet) {
  RtpExtensionIdMap identity;
  for (size_t i = 0; i < identity.size(); ++i)
    identity[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> out(2 * packet.Size() + 64);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(packet);
  builder.CopyExtensions(packet, identity);
  const size_t size = builder.Finish(packet.Payload(), static_cast<uint8_t>(packet.PaddingSize()));
  FUZZ_CHECK(size != 0);
  const auto rebuilt = RtpPacket::Parse(std::span(out).first(size));
  FUZZ_CHECK(rebuilt);
  FUZZ_CHECK(rebuilt->Marker() == packet.Marker());
  FUZZ_CHECK(rebuilt->PayloadType() == packet.PayloadType());
  FUZZ_CHECK(rebuilt->SequenceNumber() == packet.SequenceNumber());
  FUZZ_CHECK(rebuilt->Timestamp() == packet.Timestamp());
  FUZZ_CHECK(rebuilt->Ssrc() == packet.Ssrc());
  FUZZ_CHECK(rebuilt->CsrcCount() == packet.CsrcCount());
  for (size_t i = 0; i < packet.CsrcCount(); ++i)
    FUZZ_CHECK(rebuilt->Csrc(i) == packet.Csrc(i));
  FUZZ_CHECK(rebuilt->PaddingSize() == packet.PaddingSize());
  FUZZ_CHECK(SameBytes(rebuilt->Payload(), packet.Payload()));
  FUZZ_CHECK(rebuilt->Extensions().WellFormed());
  FUZZ_CHECK(Elements(rebuilt->Extensions()) == Elements(packet.Extensions()));
}

// Rewriting the header and mapping ids in place keeps the size and the kept elements.
void CheckMutation(const RtpPacket& packet) {
  std::vector<uint8_t> buffer(packet.Size());
  auto mutable_packet = MutableRtpPacket::CopyFrom(packet, buffer);
  FUZZ_CHECK(mutable_packet);
  mutable_packet->SetSequenceNumber(static_cast<uint16_t>(packet.SequenceNumber() + 1));
  mutable_packet->SetPayloadType(static_cast<uint8_t>(packet.PayloadType() ^ 0x55));
  mutable_packet->SetMarker(!packet.Marker());
  RtpExtensionIdMap map{};
  for (size_t i = 1; i < map.size(); ++i)
    map[i] = (i % 2 == 0) ? static_cast<uint8_t>(i) : 0;
  mutable_packet->MapExtensionIds(map);
  const auto reparsed = RtpPacket::Parse(buffer);
  FUZZ_CHECK(reparsed);
  FUZZ_CHECK(reparsed->HeaderSize() == packet.HeaderSize());
  FUZZ_CHECK(reparsed->SequenceNumber() == static_cast<uint16_t>(packet.SequenceNumber() + 1));
  FUZZ_CHECK(reparsed->Marker() != packet.Marker());
  std::vector<Element> kept;
  for (const Element& e : Elements(packet.Extensions())) {
    if (e.id % 2 == 0) kept.push_back(e);
  }
  FUZZ_CHECK(Elements(reparsed->Extensions()) == kept);
  FUZZ_CHECK(SameBytes(reparsed->Payload(), packet.Payload()));
}

// RTX there and back gives the packet without its padding.
void CheckRtx(const RtpPacket& packet) {
  std::vector<uint8_t> rtx_bytes(packet.Size() + 2);
  const size_t rtx_size = RtxPacket::Encapsulate(packet, 97, 0x0badf00d, 7, rtx_bytes);
  FUZZ_CHECK(rtx_size == packet.HeaderSize() + 2 + packet.Payload().size());
  const auto rtx = RtpPacket::Parse(std::span(rtx_bytes).first(rtx_size));
  FUZZ_CHECK(rtx);
  FUZZ_CHECK(RtxPacket::OriginalSequenceNumber(*rtx) == packet.SequenceNumber());
  std::vector<uint8_t> back(packet.Size());
  const size_t size = RtxPacket::Decapsulate(*rtx, packet.PayloadType(), packet.Ssrc(), back);
  FUZZ_CHECK(size == packet.HeaderSize() + packet.Payload().size());
  FUZZ_CHECK((back[0] & ~0x20) == (packet.Data()[0] & ~0x20));
  FUZZ_CHECK(std::memcmp(back.data() + 1, packet.Data().data() + 1, size - 1) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  // The extension walker on its own, in both forms.
  for (const uint16_t profile : {RtpHeaderExtensions::kOneByteProfile, uint16_t{0x1000}}) {
    const RtpHeaderExtensions block(profile, bytes);
    size_t count = 0;
    std::array<const uint8_t*, 256> first_value{};  // Find must agree with iteration
    for (const RtpHeaderExtension& e : block) {
      FUZZ_CHECK(e.value.data() >= data && e.value.data() + e.value.size() <= data + size);
      if (first_value[e.id] == nullptr) first_value[e.id] = e.value.data();
      ++count;
    }
    FUZZ_CHECK(count <= size);
    for (size_t id = 1; id < first_value.size(); ++id) {
      const auto found = block.Find(static_cast<uint8_t>(id));
      FUZZ_CHECK(found.has_value() == (first_value[id] != nullptr));
      if (found) FUZZ_CHECK(found->value.data() == first_value[id]);
    }
    (void)block.WellFormed();
  }
  const auto packet = RtpPacket::Parse(bytes);
  if (!packet) return 0;
  CheckConsistent(*packet, bytes);
  CheckRebuild(*packet);
  CheckMutation(*packet);
  CheckRtx(*packet);
  for (const auto kind :
       {codecs::CodecKind::kOpus, codecs::CodecKind::kVp8, codecs::CodecKind::kVp9,
        codecs::CodecKind::kH264, codecs::CodecKind::kAv1}) {
    (void)codecs::IsKeyframe(kind, packet->Payload());
  }
  return 0;
}
