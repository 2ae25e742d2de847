// libFuzzer target: walks a compound RTCP datagram and parses each packet as every type that
// claims it. Whatever parses is serialized, parsed again and serialized again: the second parse
// must read the same fields and the two serializations must be identical. Everything parsed
// is also appended into one RtcpWriter compound, which must walk cleanly, and transport-wide
// feedback is rebuilt from its arrival times with TransportFeedbackBuilder.
//
// Built by tests/fuzz/CMakeLists.txt with -DTRIBUTARY_FUZZ=ON; by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
//     -Icommon tests/fuzz/rtc/RtcpCompoundFuzz.cc common/rtc/rtcp/*.cc -o RtcpCompoundFuzz
//   ./RtcpCompoundFuzz -max_total_time=60 tests/fuzz/corpus/RtcpCompoundFuzz

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "rtc/rtcp/Bye.h"
#include "rtc/rtcp/Fir.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/Pli.h"
#include "rtc/rtcp/ReceiverReport.h"
#include "rtc/rtcp/Remb.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/RtcpWriter.h"
#include "rtc/rtcp/Sdes.h"
#include "rtc/rtcp/SenderReport.h"
#include "rtc/rtcp/TransportFeedback.h"
#include "rtc/rtcp/TransportFeedbackBuilder.h"

namespace {

using namespace tributary::rtc::rtcp;

#define FUZZ_CHECK(condition)                                                            \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

// What each type reads, as a comparable value.
std::vector<uint64_t> Fields(const SenderReport& p) {
  std::vector<uint64_t> f = {p.SenderSsrc(), p.NtpTimestamp(), p.RtpTimestamp(), p.PacketCount(),
                             p.OctetCount()};
  for (const ReportBlock b : p.ReportBlocks()) {
    f.insert(f.end(), {b.ssrc, b.fraction_lost, static_cast<uint64_t>(b.cumulative_lost),
                       b.extended_highest_seq, b.jitter, b.last_sr, b.delay_since_last_sr});
  }
  return f;
}
std::vector<uint64_t> Fields(const ReceiverReport& p) {
  std::vector<uint64_t> f = {p.SenderSsrc()};
  for (const ReportBlock b : p.ReportBlocks()) {
    f.insert(f.end(), {b.ssrc, b.fraction_lost, static_cast<uint64_t>(b.cumulative_lost),
                       b.extended_highest_seq, b.jitter, b.last_sr, b.delay_since_last_sr});
  }
  return f;
}
std::vector<uint64_t> Fields(const Sdes& p) {
  std::vector<uint64_t> f = {p.ChunkCount()};
  p.ForEachChunk([&](const SdesChunk& c) {
    f.push_back(c.ssrc);
    for (const char ch : c.cname)
      f.push_back(static_cast<uint8_t>(ch));
    f.push_back(~0ull);
  });
  return f;
}
std::vector<uint64_t> Fields(const Bye& p) {
  std::vector<uint64_t> f(p.Ssrcs().begin(), p.Ssrcs().end());
  for (const char ch : p.Reason())
    f.push_back(static_cast<uint8_t>(ch));
  return f;
}
std::vector<uint64_t> Fields(const Nack& p) {
  std::vector<uint64_t> f = {p.SenderSsrc(), p.MediaSsrc()};
  p.ForEachLostSequence([&](uint16_t seq) { f.push_back(seq); });
  return f;
}
std::vector<uint64_t> Fields(const Pli& p) {
  return {p.SenderSsrc(), p.MediaSsrc()};
}
std::vector<uint64_t> Fields(const Fir& p) {
  std::vector<uint64_t> f = {p.SenderSsrc(), p.MediaSsrc()};
  for (const FirEntry e : p.Entries())
    f.insert(f.end(), {e.ssrc, e.seq_nr});
  return f;
}
std::vector<uint64_t> Fields(const Remb& p) {
  std::vector<uint64_t> f = {p.SenderSsrc(), p.MediaSsrc(), p.Exponent(), p.Mantissa(),
                             p.Bitrate()};
  f.insert(f.end(), p.Ssrcs().begin(), p.Ssrcs().end());
  return f;
}
std::vector<uint64_t> Fields(const TransportFeedback& p) {
  std::vector<uint64_t> f = {p.SenderSsrc(),        p.MediaSsrc(),     p.BaseSequenceNumber(),
                             p.PacketStatusCount(), p.ReferenceTime(), p.FeedbackPacketCount(),
                             p.ReceivedCount()};
  size_t count = 0;
  size_t received = 0;
  p.ForEachPacket([&](const TransportFeedbackStatus& s) {
    FUZZ_CHECK(s.seq == static_cast<uint16_t>(p.BaseSequenceNumber() + count));
    ++count;
    received += s.received ? 1 : 0;
    f.insert(f.end(), {s.seq, s.received, static_cast<uint64_t>(s.delta_ticks)});
  });
  FUZZ_CHECK(count == p.PacketStatusCount());
  FUZZ_CHECK(received == p.ReceivedCount());
  return f;
}

// Serialize, parse, serialize: same fields, same bytes.
template <typename Packet>
void CheckRoundTrip(const Packet& packet, RtcpWriter& writer) {
  std::vector<uint8_t> first(packet.SerializedSize());
  const size_t size = packet.Serialize(first);
  FUZZ_CHECK(size == first.size());
  FUZZ_CHECK(size % 4 == 0);
  const auto reparsed = Packet::Parse(first);
  FUZZ_CHECK(reparsed);
  FUZZ_CHECK(Fields(*reparsed) == Fields(packet));
  std::vector<uint8_t> second(reparsed->SerializedSize());
  FUZZ_CHECK(reparsed->Serialize(second) == second.size());
  FUZZ_CHECK(first == second);
  writer.Append(packet);
}

// Rebuild feedback from the arrival times it reports; every arrival comes back, in order,
// equal modulo the 2^24 x 64 ms period of the reference time.
void CheckFeedbackRebuild(const TransportFeedback& feedback) {
  std::vector<std::pair<uint16_t, int64_t>> arrivals;
  int64_t ticks = static_cast<int64_t>(feedback.ReferenceTime()) * 256;
  feedback.ForEachPacket([&](const TransportFeedbackStatus& s) {
    if (!s.received) return;
    ticks += s.delta_ticks;
    arrivals.emplace_back(s.seq, ticks);
  });
  std::vector<std::pair<uint16_t, int64_t>> recovered;
  TransportFeedbackBuilder builder(feedback.SenderSsrc(), feedback.MediaSsrc(), 0);
  std::vector<uint8_t> out(TransportFeedbackBuilder::kMaxPacketSize);
  auto flush = [&] {
    const size_t size = builder.Serialize(out);
    FUZZ_CHECK(size != 0);
    const auto rebuilt = TransportFeedback::Parse(std::span(out).first(size));
    FUZZ_CHECK(rebuilt);
    int64_t t = static_cast<int64_t>(rebuilt->ReferenceTime()) * 256;
    rebuilt->ForEachPacket([&](const TransportFeedbackStatus& s) {
      if (!s.received) return;
      t += s.delta_ticks;
      recovered.emplace_back(s.seq, t);
    });
    builder.Reset(0);
  };
  for (const auto& [seq, t] : arrivals) {
    if (builder.AddReceivedPacket(seq, t * 250)) continue;
    flush();
    FUZZ_CHECK(builder.AddReceivedPacket(seq, t * 250));
  }
  if (!builder.Empty()) flush();
  FUZZ_CHECK(recovered.size() == arrivals.size());
  for (size_t i = 0; i < arrivals.size(); ++i) {
    FUZZ_CHECK(recovered[i].first == arrivals[i].first);
    FUZZ_CHECK(((recovered[i].second - arrivals[i].second) & 0xFFFFFFFF) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> datagram(data, size);
  std::vector<uint8_t> written(2 * size + 64);
  RtcpWriter writer(written);
  RtcpCompound compound(datagram);
  size_t walked = 0;
  while (const auto packet = compound.Next()) {
    FUZZ_CHECK(packet->Data().data() == data + walked);
    walked += packet->Data().size();
    FUZZ_CHECK(walked <= size);
    FUZZ_CHECK(packet->Body().size() + RtcpPacket::kHeaderSize <= packet->Data().size());
    const auto bytes = packet->Data();
    if (auto p = SenderReport::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = ReceiverReport::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Sdes::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Bye::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Nack::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Pli::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Fir::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = Remb::Parse(bytes)) CheckRoundTrip(*p, writer);
    if (auto p = TransportFeedback::Parse(bytes)) {
      CheckRoundTrip(*p, writer);
      CheckFeedbackRebuild(*p);
    }
  }
  FUZZ_CHECK(compound.Offset() == walked);
  FUZZ_CHECK((compound.Error() == RtcpError::kNone) == (walked == size));
  RtcpCompound rewalk(writer.Data());
  size_t rewalked = 0;
  while (const auto packet = rewalk.Next())
    rewalked += packet->Data().size();
  FUZZ_CHECK(rewalk.Error() == RtcpError::kNone);
  FUZZ_CHECK(rewalked == writer.Size());
  return 0;
}
