#include "sfu/Consumer.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "../rtc/TestBytes.h"
#include "SfuTestSupport.h"
#include "sfu/Producer.h"

namespace tributary::sfu {
namespace {

using namespace testing;
using rtc::testing::Bytes;
using Reason = KeyframeRequestReason;

// The stream's part, for a unit test: fan the producer's packets out, note keyframe requests.
class FanOut : public Producer::Listener, public Consumer::Listener {
 public:
  void OnProducerRtpPacket(Producer&, const MediaPacket& packet) override {
    for (Consumer* consumer : consumers)
      consumer->SendRtpPacket(packet);
  }
  void OnConsumerKeyframeRequest(Consumer&, Reason reason, uint64_t) override {
    requests.push_back(reason);
  }
  std::vector<Consumer*> consumers;
  std::vector<Reason> requests;
};

// The viewer of most tests: VP8 as PT 100 (RTX 101 when `rtx`), its own extension ids.
inline constexpr uint8_t kViewerMidId = 4;
inline constexpr uint8_t kViewerAbsSendTimeId = 9;
inline constexpr uint8_t kViewerOrientationId = 5;

ConsumerParameters Vp8Viewer(bool rtx) {
  ConsumerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = "v1";
  params.codecs.push_back(Vp8Codec(100, rtx ? std::optional<uint8_t>(101) : std::nullopt));
  params.ssrc = 0xC0FFEE01;
  params.rtx_ssrc = rtx ? 0xC0FFEE02 : 0;
  params.extensions = {Extension(kViewerMidId, rtc::RtpExtensionKind::kMid),
                       Extension(kViewerAbsSendTimeId, rtc::RtpExtensionKind::kAbsSendTime),
                       {kViewerOrientationId, std::string(kVideoOrientationUri)}};
  params.cname = "tributary";
  return params;
}

uint64_t g_ntp = 0;
uint64_t FixedNtp() {
  return g_ntp;
}

class ConsumerTest : public ::testing::Test {
 protected:
  void MakeProducer(ProducerParameters params = Vp8Producer()) {
    producer_ = std::make_unique<Producer>(std::move(params), &producer_rtcp_, pool_, fan_out_);
  }
  Consumer& Attach(ConsumerParameters params, uint64_t now_ms = 0, ConsumerOptions options = {}) {
    consumer_ = std::make_unique<Consumer>(std::move(params), sender_, rtcp_, fan_out_, options);
    fan_out_.consumers.push_back(consumer_.get());
    consumer_->SetProducer(producer_.get(), now_ms);
    return *consumer_;
  }
  std::vector<uint8_t> Vp8(uint16_t seq, bool keyframe = false) {
    RtpSpec spec;
    spec.seq = seq;
    spec.timestamp = 3'000'000 + seq * 3000u;
    spec.marker = true;
    spec.abs_send_time = 0x123456;
    spec.transport_seq = static_cast<uint16_t>(seq + 7);
    spec.video_orientation = 3;
    return BuildRtp(spec, keyframe ? Vp8KeyframePayload() : Vp8DeltaPayload());
  }
  void Publish(const std::vector<uint8_t>& bytes, uint64_t arrival_us) {
    ASSERT_TRUE(producer_->ReceiveRtpPacket(std::span<const uint8_t>(bytes), arrival_us));
  }
  rtc::rtcp::Nack NackFor(std::vector<uint16_t> lost) {
    nack_items_.resize(lost.size());
    nack_items_.resize(rtc::rtcp::Nack::PackLostSequences(lost, nack_items_));
    rtc::rtcp::Nack nack;
    nack.SetSenderSsrc(0xBEEF);
    nack.SetMediaSsrc(0xC0FFEE01);
    nack.SetItems(nack_items_);
    return nack;
  }
  std::vector<uint16_t> SentSeqs() const {
    std::vector<uint16_t> out;
    for (size_t i = 0; i < sender_.packets.size(); ++i)
      out.push_back(sender_.Packet(i).SequenceNumber());
    return out;
  }

  base::PacketBufferPool pool_;
  FanOut fan_out_;
  RecordingRtcpSink producer_rtcp_;
  RecordingRtpSender sender_;
  RecordingRtcpSink rtcp_;
  std::unique_ptr<Producer> producer_;
  std::unique_ptr<Consumer> consumer_;
  std::vector<rtc::rtcp::NackItem> nack_items_;
};

using Seqs = std::vector<uint16_t>;

TEST_F(ConsumerTest, RewritesTheHeaderForTheViewer_AndCopiesThePayloadUntouched) {
  MakeProducer();
  Attach(Vp8Viewer(false));
  const auto source = Vp8(1000, true);
  Publish(source, 5'000'000);
  ASSERT_EQ(sender_.packets.size(), 1u);
  const auto in = rtc::RtpPacket::Parse(source);
  const rtc::RtpPacket out = sender_.Packet(0);
  EXPECT_EQ(out.PayloadType(), 100);
  EXPECT_EQ(out.Ssrc(), 0xC0FFEE01u);
  EXPECT_EQ(out.SequenceNumber(), 1000);  // the first source keeps its numbers
  EXPECT_EQ(out.Timestamp(), in->Timestamp());
  EXPECT_TRUE(out.Marker());
  EXPECT_EQ(Bytes(out.Payload()), Bytes(in->Payload()));
  // Our mid, our send time, the orientation under the viewer's id; nothing else.
  const auto mid = out.FindExtension(kViewerMidId);
  ASSERT_TRUE(mid);
  EXPECT_EQ(rtc::RtpExtensionValue::ReadSdesString(mid->value), "v1");
  const auto abs = out.FindExtension(kViewerAbsSendTimeId);
  ASSERT_TRUE(abs);
  EXPECT_EQ(rtc::RtpExtensionValue::ReadAbsSendTime(abs->value),
            rtc::RtpExtensionValue::AbsSendTimeFromUs(5'000'000));
  const auto orientation = out.FindExtension(kViewerOrientationId);
  ASSERT_TRUE(orientation);
  EXPECT_EQ(Bytes(orientation->value), (std::vector<uint8_t>{3}));
  size_t count = 0;
  for (const auto& element : out.Extensions()) {
    (void)element;
    ++count;
  }
  EXPECT_EQ(count, 3u);  // transport-cc and the publisher's ids are gone
  EXPECT_EQ(consumer_->GetCounters().rtp_packets_out, 1u);
  EXPECT_EQ(consumer_->GetCounters().rtp_bytes_out, sender_.packets[0].size());
}

TEST_F(ConsumerTest, WaitsForAKeyframeAfterJoining_AndAsksForOneAtOnceAndAgainWhileWaiting) {
  MakeProducer();
  Attach(Vp8Viewer(false), 1000);
  EXPECT_EQ(fan_out_.requests, (std::vector<Reason>{Reason::kConsumerJoined}));
  EXPECT_TRUE(consumer_->WaitingForKeyframe());
  for (uint16_t seq = 1; seq <= 3; ++seq)
    Publish(Vp8(seq), 1'000'000 + seq * 1000u);
  EXPECT_TRUE(sender_.packets.empty());
  EXPECT_EQ(consumer_->GetCounters().drops.keyframe_wait, 3u);
  consumer_->Tick(1999);
  EXPECT_EQ(fan_out_.requests.size(), 1u);
  consumer_->Tick(2000);
  EXPECT_EQ(fan_out_.requests.size(), 2u);  // asked again
  Publish(Vp8(4, true), 2'100'000);
  Publish(Vp8(5), 2'110'000);
  EXPECT_EQ(SentSeqs(), (Seqs{4, 5}));
  EXPECT_FALSE(consumer_->WaitingForKeyframe());
  consumer_->Tick(4000);
  EXPECT_EQ(fan_out_.requests.size(), 2u);
}

TEST_F(ConsumerTest, AnswersNacksFromTheCache_WithThePacketItSentBefore) {
  MakeProducer();
  Attach(Vp8Viewer(false));
  for (uint16_t seq = 10; seq < 14; ++seq)
    Publish(Vp8(seq, seq == 10), 1'000'000 + seq * 1000u);
  ASSERT_EQ(sender_.packets.size(), 4u);
  consumer_->ReceiveNack(NackFor({11, 12, 500}), 2000);
  ASSERT_EQ(sender_.packets.size(), 6u);
  for (size_t i = 0; i < 2; ++i) {
    const rtc::RtpPacket original = sender_.Packet(1 + i);
    const rtc::RtpPacket again = sender_.Packet(4 + i);
    EXPECT_EQ(again.SequenceNumber(), original.SequenceNumber());
    EXPECT_EQ(again.Timestamp(), original.Timestamp());
    EXPECT_EQ(again.Ssrc(), original.Ssrc());
    EXPECT_EQ(again.PayloadType(), original.PayloadType());
    EXPECT_EQ(Bytes(again.Payload()), Bytes(original.Payload()));
  }
  EXPECT_EQ(consumer_->GetCounters().retransmissions, 2u);
  EXPECT_EQ(consumer_->GetCounters().nack_misses, 1u);  // 500 was never sent
  consumer_->ReceiveNack(NackFor({11}), 2010);          // again within the minimum interval
  EXPECT_EQ(sender_.packets.size(), 6u);
  EXPECT_EQ(consumer_->GetCounters().nack_throttled, 1u);
  consumer_->ReceiveNack(NackFor({11}), 2020);
  EXPECT_EQ(sender_.packets.size(), 7u);
}

TEST_F(ConsumerTest, AnswersNacksWithRtx_WhenTheViewerNegotiatedIt) {
  MakeProducer();
  Attach(Vp8Viewer(true));
  for (uint16_t seq = 10; seq < 14; ++seq)
    Publish(Vp8(seq, seq == 10), 1'000'000 + seq * 1000u);
  consumer_->ReceiveNack(NackFor({11, 13}), 2000);
  ASSERT_EQ(sender_.packets.size(), 6u);
  const rtc::RtpPacket first = sender_.Packet(4);
  const rtc::RtpPacket second = sender_.Packet(5);
  EXPECT_EQ(first.PayloadType(), 101);
  EXPECT_EQ(first.Ssrc(), 0xC0FFEE02u);
  EXPECT_EQ(rtc::RtxPacket::OriginalSequenceNumber(first), 11);
  EXPECT_EQ(rtc::RtxPacket::OriginalSequenceNumber(second), 13);
  EXPECT_EQ(second.SequenceNumber(), static_cast<uint16_t>(first.SequenceNumber() + 1));
  // Unwrapped, it is the packet the viewer missed (but for the send time in abs-send-time).
  std::vector<uint8_t> unwrapped(1500);
  unwrapped.resize(rtc::RtxPacket::Decapsulate(first, 100, 0xC0FFEE01, unwrapped));
  const auto original = rtc::RtpPacket::Parse(unwrapped);
  ASSERT_TRUE(original);
  const rtc::RtpPacket sent = sender_.Packet(1);
  EXPECT_EQ(original->SequenceNumber(), sent.SequenceNumber());
  EXPECT_EQ(original->Timestamp(), sent.Timestamp());
  EXPECT_EQ(original->HeaderSize(), sent.HeaderSize());
  EXPECT_EQ(Bytes(original->Payload()), Bytes(sent.Payload()));
  EXPECT_EQ(rtc::RtpExtensionValue::ReadSdesString(original->FindExtension(kViewerMidId)->value),
            "v1");
}

TEST_F(ConsumerTest, KeepsNumbersAndTimestampsContinuous_WhenTheSourceSwitches) {
  MakeProducer();
  Attach(Vp8Viewer(false));
  for (uint16_t seq = 10; seq < 15; ++seq)
    Publish(Vp8(seq, seq == 10), 1'000'000 + (seq - 10) * 33'333u);
  const rtc::RtpPacket last = sender_.Packet(4);
  // The publisher reconnects: new SSRC, payload type, numbering and timestamps.
  ProducerParameters next = Vp8Producer(0x0D0D0D0D, 0);
  next.codecs[0].payload_type = 120;
  next.codecs[0].rtx_payload_type.reset();
  ASSERT_TRUE(producer_->Rebind(next, &producer_rtcp_));
  const auto packet = [](uint16_t seq, bool keyframe) {
    RtpSpec spec;
    spec.payload_type = 120;
    spec.ssrc = 0x0D0D0D0D;
    spec.seq = seq;
    spec.timestamp = 777 + (seq - 5000u) * 3000u;
    return BuildRtp(spec, keyframe ? Vp8KeyframePayload() : Vp8DeltaPayload());
  };
  fan_out_.requests.clear();
  Publish(packet(4999, false), 2'000'000);  // not a keyframe: the viewer waits
  EXPECT_EQ(fan_out_.requests, (std::vector<Reason>{Reason::kSourceSwitched}));
  Publish(packet(5000, true), 2'133'332);
  Publish(packet(5001, false), 2'166'665);
  ASSERT_EQ(sender_.packets.size(), 7u);
  const rtc::RtpPacket first = sender_.Packet(5);
  const rtc::RtpPacket second = sender_.Packet(6);
  EXPECT_EQ(first.SequenceNumber(), last.SequenceNumber() + 1);
  EXPECT_EQ(second.SequenceNumber(), last.SequenceNumber() + 2);
  EXPECT_EQ(first.PayloadType(), 100);
  EXPECT_EQ(first.Ssrc(), 0xC0FFEE01u);
  // 2'133'332 - 1'133'332 (when the last timestamp went out) = 1 s: 90000 ticks.
  EXPECT_EQ(first.Timestamp(), last.Timestamp() + 90000);
  EXPECT_EQ(second.Timestamp(), first.Timestamp() + 3000);
  EXPECT_EQ(consumer_->GetCounters().source_switches, 1u);
  // NACKs map into the new source.
  consumer_->ReceiveNack(NackFor({second.SequenceNumber()}), 3000);
  ASSERT_EQ(sender_.packets.size(), 8u);
  EXPECT_EQ(Bytes(sender_.Packet(7).Payload()), Bytes(second.Payload()));
}

TEST_F(ConsumerTest, SkipsPaddingAndPacketsOfCodecsTheViewerLacks_WithoutLeavingGaps) {
  ProducerParameters params = Vp8Producer();
  RtpCodecParameters h264;
  h264.codec = rtc::codecs::CodecKind::kH264;
  h264.name = "H264";
  h264.payload_type = 98;
  h264.clock_rate = 90000;
  h264.fmtp = "packetization-mode=1;profile-level-id=42e01f";
  params.codecs.push_back(h264);
  MakeProducer(params);
  Attach(Vp8Viewer(false));
  Publish(Vp8(10, true), 1'000'000);
  RtpSpec padding;
  padding.seq = 11;
  padding.timestamp = 3'033'000;
  padding.padding = 200;
  Publish(BuildRtp(padding, {}), 1'001'000);
  RtpSpec other_codec;
  other_codec.payload_type = 98;
  other_codec.seq = 12;
  Publish(BuildRtp(other_codec, rtc::captures::kH264DeltaFrame), 1'002'000);
  Publish(Vp8(13), 1'003'000);
  EXPECT_EQ(SentSeqs(), (Seqs{10, 11}));
  EXPECT_EQ(consumer_->GetCounters().drops.padding, 1u);
  EXPECT_EQ(consumer_->GetCounters().drops.unsupported_codec, 1u);
  consumer_->ReceiveNack(NackFor({11}), 2000);
  ASSERT_EQ(sender_.packets.size(), 3u);
  EXPECT_EQ(Bytes(sender_.Packet(2).Payload()), Bytes(Vp8DeltaPayload()));  // source 13
}

TEST_F(ConsumerTest, LetsTheViewerNackAPacket_ThatTheTransportCouldNotTake) {
  MakeProducer();
  Attach(Vp8Viewer(false));
  Publish(Vp8(10, true), 1'000'000);
  sender_.available = false;
  Publish(Vp8(11), 1'001'000);
  sender_.available = true;
  Publish(Vp8(12), 1'002'000);
  EXPECT_EQ(SentSeqs(), (Seqs{10, 12}));
  EXPECT_EQ(consumer_->GetCounters().drops.send_unavailable, 1u);
  consumer_->ReceiveNack(NackFor({11}), 2000);
  EXPECT_EQ(SentSeqs(), (Seqs{10, 12, 11}));
}

TEST_F(ConsumerTest, PassesPliAndNewFirRequestsUp_AndIgnoresRepeatedFirs) {
  MakeProducer();
  Attach(Vp8Viewer(false));
  fan_out_.requests.clear();
  consumer_->ReceivePli(100);
  std::vector<rtc::rtcp::FirEntry> entries = {{0xC0FFEE01, 1}, {0x999, 7}};
  rtc::rtcp::Fir fir;
  fir.SetEntries(entries);
  consumer_->ReceiveFir(fir, 200);
  consumer_->ReceiveFir(fir, 300);  // the same request repeated
  entries[0].seq_nr = 2;
  consumer_->ReceiveFir(fir, 400);
  EXPECT_EQ(fan_out_.requests,
            (std::vector<Reason>{Reason::kViewerPli, Reason::kViewerFir, Reason::kViewerFir}));
  EXPECT_EQ(consumer_->GetCounters().fir_in, 3u);
}

TEST_F(ConsumerTest, SendsSenderReportsWithSdes_AndLearnsTheRttFromTheViewersReports) {
  MakeProducer();
  ConsumerOptions options;
  options.ntp_clock = &FixedNtp;
  Attach(Vp8Viewer(false), 0, options);
  consumer_->Tick(500);
  EXPECT_TRUE(rtcp_.datagrams.empty());  // nothing sent yet, nothing to report
  Publish(Vp8(10, true), 1'000'000);
  Publish(Vp8(11), 1'033'000);
  Publish(Vp8(12), 1'066'000);
  g_ntp = 0xE8D4A51000000000ull;
  consumer_->Tick(1566);  // 0.5 s after the last packet
  ASSERT_EQ(rtcp_.datagrams.size(), 1u);
  const ParsedRtcp parsed = ParseRtcp(rtcp_.datagrams[0]);
  ASSERT_TRUE(parsed.ok);
  ASSERT_EQ(parsed.sr.size(), 1u);
  ASSERT_EQ(parsed.sdes.size(), 1u);
  EXPECT_EQ(parsed.types[0], 200);
  const auto& sr = parsed.sr[0];
  EXPECT_EQ(sr.SenderSsrc(), 0xC0FFEE01u);
  EXPECT_EQ(sr.NtpTimestamp(), g_ntp);
  EXPECT_EQ(sr.PacketCount(), 3u);
  EXPECT_EQ(sr.OctetCount(), Vp8KeyframePayload().size() + 2 * Vp8DeltaPayload().size());
  EXPECT_EQ(sr.RtpTimestamp(), sender_.Packet(2).Timestamp() + 45000);
  EXPECT_EQ(parsed.sdes[0].CnameOf(0xC0FFEE01u), "tributary");
  consumer_->Tick(2000);
  EXPECT_EQ(rtcp_.datagrams.size(), 1u);  // next one at 2566
  // The viewer's RR: it held the SR 0.5 s and answers 0.75 s after it left.
  rtc::rtcp::ReportBlock block;
  block.ssrc = 0xC0FFEE01;
  block.last_sr = base::NtpCompact(g_ntp);
  block.delay_since_last_sr = 0x8000;
  g_ntp += 3ull << 30;
  consumer_->ReceiveReceiverReport(block, 2316);
  ASSERT_TRUE(consumer_->StreamStats().RttUs());
  EXPECT_EQ(*consumer_->StreamStats().RttUs(), 250000u);
}

TEST_F(ConsumerTest, ForwardsAudioWithoutWaiting_AndMapsTheAudioLevelById) {
  MakeProducer(OpusProducer());
  ConsumerParameters viewer;
  viewer.kind = rtc::MediaKind::kAudio;
  viewer.mid = "0";
  viewer.codecs.push_back(OpusCodec(109));
  viewer.ssrc = 0xA0D10;
  viewer.extensions = {Extension(3, rtc::RtpExtensionKind::kMid),
                       Extension(7, rtc::RtpExtensionKind::kAudioLevel)};
  Attach(viewer);
  EXPECT_TRUE(fan_out_.requests.empty());
  Publish(Bytes(rtc::captures::kAiortcOpus), 1'000'000);
  ASSERT_EQ(sender_.packets.size(), 1u);
  const rtc::RtpPacket out = sender_.Packet(0);
  const auto in = rtc::RtpPacket::Parse(rtc::captures::kAiortcOpus);
  EXPECT_EQ(out.PayloadType(), 109);
  EXPECT_EQ(out.SequenceNumber(), 0xfffe);
  EXPECT_EQ(rtc::RtpExtensionValue::ReadSdesString(out.FindExtension(3)->value), "0");
  EXPECT_EQ(Bytes(out.FindExtension(7)->value), Bytes(in->FindExtension(kAudioLevelId)->value));
  EXPECT_FALSE(out.FindExtension(kAbsSendTimeId));
  EXPECT_EQ(Bytes(out.Payload()), Bytes(in->Payload()));
}

}  // namespace
}  // namespace tributary::sfu
