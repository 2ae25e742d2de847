#include "sfu/Producer.h"

#include <gtest/gtest.h>

#include <vector>

#include "../rtc/TestBytes.h"
#include "SfuTestSupport.h"

namespace tributary::sfu {
namespace {

using namespace testing;
using rtc::testing::Bytes;

class PacketCollector : public Producer::Listener {
 public:
  void OnProducerRtpPacket(Producer&, const MediaPacket& packet) override {
    packets.push_back(packet);
  }
  std::vector<uint16_t> Seqs() const {
    std::vector<uint16_t> out;
    for (const auto& p : packets)
      out.push_back(p.Rtp().SequenceNumber());
    return out;
  }
  std::vector<MediaPacket> packets;
};

using Seqs = std::vector<uint16_t>;

class ProducerTest : public ::testing::Test {
 protected:
  void Make(ProducerParameters params, ProducerOptions options = {}) {
    producer_ = std::make_unique<Producer>(std::move(params), &sink_, pool_, collector_, options);
  }
  // A VP8 packet of the publisher's media SSRC; the first of a frame is a keyframe when asked.
  std::vector<uint8_t> Vp8(uint16_t seq, bool keyframe = false, uint32_t ssrc = 0x11223344,
                           uint8_t pt = 96) {
    RtpSpec spec;
    spec.payload_type = pt;
    spec.seq = seq;
    spec.timestamp = seq * 3000u;
    spec.ssrc = ssrc;
    spec.transport_seq = seq;
    return BuildRtp(spec, keyframe ? Vp8KeyframePayload() : Vp8DeltaPayload());
  }
  bool Receive(const std::vector<uint8_t>& bytes, uint64_t arrival_ms) {
    return producer_->ReceiveRtpPacket(std::span<const uint8_t>(bytes), arrival_ms * 1000);
  }
  std::vector<ParsedRtcp> Rtcp() const {
    std::vector<ParsedRtcp> out;
    for (const auto& datagram : sink_.datagrams) {
      out.push_back(ParseRtcp(datagram));
      EXPECT_TRUE(out.back().ok);
    }
    return out;
  }

  base::PacketBufferPool pool_;
  PacketCollector collector_;
  RecordingRtcpSink sink_;
  std::unique_ptr<Producer> producer_;
};

TEST_F(ProducerTest, DeliversEachPacketParsedOnce_WithItsKeyframeFlagEpochAndUnwrappedNumber) {
  Make(Vp8Producer());
  const auto key = Vp8(65534, true);
  ASSERT_TRUE(Receive(key, 1000));
  for (uint16_t seq : {uint16_t{65535}, uint16_t{0}, uint16_t{1}})
    ASSERT_TRUE(Receive(Vp8(seq), 1010));
  ASSERT_EQ(collector_.packets.size(), 4u);
  EXPECT_EQ(Bytes(collector_.packets[0].Data()), key);
  EXPECT_TRUE(collector_.packets[0].IsKeyframe());
  EXPECT_FALSE(collector_.packets[1].IsKeyframe());
  EXPECT_EQ(collector_.packets[0].ExtendedSeq(), 65534);
  EXPECT_EQ(collector_.packets[3].ExtendedSeq(), 65537);
  EXPECT_EQ(collector_.packets[3].SourceEpoch(), producer_->SourceEpoch());
  EXPECT_EQ(collector_.packets[0].ArrivalUs(), 1'000'000u);
  EXPECT_NE(producer_->Cache().Get(65536), nullptr);
  EXPECT_EQ(producer_->GetCounters().keyframes, 1u);
  EXPECT_EQ(producer_->GetCounters().rtp_packets_in, 4u);
  EXPECT_EQ(pool_.InUse(), 4u);  // the cache and the collector share the four buffers
}

TEST_F(ProducerTest, NacksAGapAtOnce_ThenRetriesEveryRttOnTick) {
  Make(Vp8Producer());
  Receive(Vp8(10, true), 1000);
  Receive(Vp8(11), 1001);
  Receive(Vp8(14), 1002);
  const auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 1u);  // sent from inside the receive call
  ASSERT_EQ(rtcp[0].nack.size(), 1u);
  EXPECT_TRUE(rtcp[0].rr.empty());  // rtcp-rsize: feedback alone
  EXPECT_EQ(rtcp[0].nack[0].SenderSsrc(), 0xAAAA0001u);
  EXPECT_EQ(rtcp[0].nack[0].MediaSsrc(), 0x11223344u);
  EXPECT_EQ(LostSeqs(rtcp[0].nack[0]), (Seqs{12, 13}));
  sink_.datagrams.clear();
  producer_->Tick(1050);  // an RR (the first tick), no NACK yet
  EXPECT_TRUE(NackedSeqs(sink_.datagrams).empty());
  producer_->Tick(1102);  // 100 ms (the default RTT) after the first request
  EXPECT_EQ(NackedSeqs(sink_.datagrams), (Seqs{12, 13}));
  Receive(Vp8(13), 1110);  // 13 arrives late
  sink_.datagrams.clear();
  producer_->Tick(1202);
  EXPECT_EQ(NackedSeqs(sink_.datagrams), (Seqs{12}));
  EXPECT_EQ(producer_->GetCounters().nack_seqs_out, 5u);
}

TEST_F(ProducerTest, PutsAReceiverReportFirst_WhenThePublisherDidNotNegotiateReducedSize) {
  ProducerParameters params = Vp8Producer();
  params.rtcp_reduced_size = false;
  Make(params);
  Receive(Vp8(10, true), 1000);
  Receive(Vp8(12), 1001);
  const auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 1u);
  ASSERT_EQ(rtcp[0].types.size(), 2u);
  EXPECT_EQ(rtcp[0].types[0], 201);  // RR
  EXPECT_EQ(rtcp[0].types[1], 205);  // RTPFB NACK
  EXPECT_EQ(rtcp[0].rr[0].ReportBlocks()[0].ssrc, 0x11223344u);
}

TEST_F(ProducerTest, RecoversALostPacketFromRtx_ByteForByte) {
  Make(Vp8Producer());
  const auto original = Vp8(11);
  Receive(Vp8(10, true), 1000);
  Receive(Vp8(12), 1001);
  EXPECT_EQ(NackedSeqs(sink_.datagrams), (Seqs{11}));
  const auto rtx = BuildRtx(original, 97, 0x55667788, 500);
  ASSERT_TRUE(Receive(rtx, 1030));
  ASSERT_EQ(collector_.Seqs(), (Seqs{10, 12, 11}));
  const MediaPacket& recovered = collector_.packets[2];
  EXPECT_EQ(Bytes(recovered.Data()), original);
  EXPECT_TRUE(recovered.IsRecovered());
  EXPECT_EQ(recovered.ExtendedSeq(), 11);
  EXPECT_EQ(producer_->Nacks().Size(), 0u);
  EXPECT_EQ(producer_->GetCounters().recovered_packets, 1u);
  EXPECT_EQ(producer_->Receiver()->CumulativeLost(), 0);
  // The same retransmission again, and a padding-only RTX probe: both dropped.
  EXPECT_FALSE(Receive(BuildRtx(original, 97, 0x55667788, 501), 1040));
  RtpSpec probe;
  probe.payload_type = 97;
  probe.ssrc = 0x55667788;
  probe.seq = 502;
  probe.padding = 200;
  EXPECT_FALSE(Receive(BuildRtp(probe, {}), 1050));
  EXPECT_EQ(producer_->GetCounters().drops.duplicate, 1u);
  EXPECT_EQ(producer_->GetCounters().drops.rtx_padding, 1u);
  EXPECT_EQ(producer_->GetCounters().rtx_packets_in, 3u);
  producer_->Tick(1200);
  EXPECT_EQ(NackedSeqs(sink_.datagrams), (Seqs{11}));  // never asked again
}

TEST_F(ProducerTest, DropsARetransmission_ThatComesBackAfterTheCacheHorizon) {
  Make(Vp8Producer());
  const auto lost = Vp8(11);
  Receive(Vp8(10, true), 1000);
  Receive(Vp8(12), 1001);
  Receive(Vp8(13), 2500);  // 10 and 12 leave the cache: the window starts after 12
  EXPECT_FALSE(Receive(BuildRtx(lost, 97, 0x55667788, 1), 2600));
  EXPECT_EQ(collector_.Seqs(), (Seqs{10, 12, 13}));
  EXPECT_EQ(producer_->GetCounters().drops.too_old, 1u);
}

TEST_F(ProducerTest, DeliversReorderedPacketsOnce_AndDropsDuplicates) {
  Make(Vp8Producer());
  Receive(Vp8(10, true), 1000);
  Receive(Vp8(12), 1001);
  Receive(Vp8(11), 1002);
  EXPECT_FALSE(Receive(Vp8(11), 1003));
  EXPECT_FALSE(Receive(Vp8(12), 1004));
  EXPECT_EQ(collector_.Seqs(), (Seqs{10, 12, 11}));
  EXPECT_EQ(producer_->GetCounters().drops.duplicate, 2u);
}

TEST_F(ProducerTest, LatchesItsSsrcsFromTheMid_WhenTheOfferHadNone) {
  Make(Vp8Producer(0, 0));
  RtpSpec other;
  other.mid = "7";
  other.ssrc = 0x99;
  EXPECT_FALSE(Receive(BuildRtp(other, Vp8DeltaPayload()), 1000));
  EXPECT_EQ(producer_->GetCounters().drops.unknown_ssrc, 1u);
  RtpSpec media;  // mid "0", PT 96
  media.ssrc = 0x1234;
  media.seq = 5;
  EXPECT_TRUE(Receive(BuildRtp(media, Vp8KeyframePayload()), 1001));
  EXPECT_TRUE(producer_->HasMediaSsrc());
  EXPECT_EQ(producer_->MediaSsrc(), 0x1234u);
  media.seq = 7;
  media.mid = "";  // later packets may omit the mid
  EXPECT_TRUE(Receive(BuildRtp(media, Vp8DeltaPayload()), 1002));
  // RTX latches on its payload type.
  media.seq = 6;
  media.mid = "0";
  const auto rtx = BuildRtx(BuildRtp(media, Vp8DeltaPayload()), 97, 0x4321, 1);
  EXPECT_TRUE(Receive(rtx, 1003));
  EXPECT_EQ(producer_->RtxSsrc(), 0x4321u);
  EXPECT_EQ(collector_.Seqs(), (Seqs{5, 7, 6}));
}

TEST_F(ProducerTest, SendsReceiverReportsWithRemb_OnItsInterval) {
  ProducerParameters params = Vp8Producer();
  params.codecs[0].feedback.nack = false;  // only reports in the sink
  Make(params);
  for (uint16_t seq = 0; seq < 10; ++seq) {
    if (seq == 3 || seq == 4) continue;
    Receive(Vp8(seq, seq == 0), 1000 + seq);
  }
  const auto sr = rtc::rtcp::SenderReport::Parse(rtc::captures::kAiortcSenderReport);
  rtc::rtcp::SenderReport report = *sr;
  report.SetSenderSsrc(0x11223344);
  producer_->ReceiveSenderReport(report, 1'020'000);
  producer_->SetMaxBitrate(1'500'000);
  sink_.datagrams.clear();
  producer_->Tick(1520);
  auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 1u);
  ASSERT_EQ(rtcp[0].rr.size(), 1u);
  EXPECT_EQ(rtcp[0].rr[0].SenderSsrc(), 0xAAAA0001u);
  const auto block = rtcp[0].rr[0].ReportBlocks()[0];
  EXPECT_EQ(block.ssrc, 0x11223344u);
  EXPECT_EQ(block.extended_highest_seq, 9u);
  EXPECT_EQ(block.cumulative_lost, 2);
  EXPECT_EQ(block.fraction_lost, 51);
  EXPECT_EQ(block.last_sr, 0xa5101234u);
  EXPECT_EQ(block.delay_since_last_sr, 65536u / 2);  // 0.5 s
  ASSERT_EQ(rtcp[0].remb.size(), 1u);
  EXPECT_EQ(rtcp[0].remb[0].Bitrate(), 1'500'000u);
  EXPECT_EQ(rtcp[0].remb[0].Ssrcs()[0], 0x11223344u);
  sink_.datagrams.clear();
  producer_->Tick(2000);
  EXPECT_TRUE(sink_.datagrams.empty());  // the next one is due at 2520
  producer_->Tick(2520);
  EXPECT_EQ(sink_.datagrams.size(), 1u);
}

TEST_F(ProducerTest, AsksForKeyframesWithPli_AtMostOncePerThrottleWindow) {
  Make(Vp8Producer());
  Receive(Vp8(1, true), 1000);
  sink_.datagrams.clear();
  producer_->RequestKeyframe(KeyframeRequestReason::kConsumerJoined, 2000);
  producer_->RequestKeyframe(KeyframeRequestReason::kViewerPli, 2100);
  producer_->RequestKeyframe(KeyframeRequestReason::kViewerPli, 2200);
  auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 1u);
  ASSERT_EQ(rtcp[0].pli.size(), 1u);
  EXPECT_EQ(rtcp[0].pli[0].SenderSsrc(), 0xAAAA0001u);
  EXPECT_EQ(rtcp[0].pli[0].MediaSsrc(), 0x11223344u);
  producer_->Tick(2499);
  size_t plis = 0;
  for (const auto& parsed : Rtcp())
    plis += parsed.pli.size();
  EXPECT_EQ(plis, 1u);
  producer_->Tick(2500);  // the trailing one
  plis = 0;
  for (const auto& parsed : Rtcp())
    plis += parsed.pli.size();
  EXPECT_EQ(plis, 2u);
  EXPECT_EQ(producer_->GetCounters().pli_out, 2u);
}

TEST_F(ProducerTest, AsksWithFir_WhenThePublisherOnlyNegotiatedCcmFir) {
  ProducerParameters params = Vp8Producer();
  params.codecs[0].feedback.nack_pli = false;
  Make(params);
  Receive(Vp8(1, true), 1000);
  sink_.datagrams.clear();
  producer_->RequestKeyframe(KeyframeRequestReason::kConsumerJoined, 2000);
  producer_->RequestKeyframe(KeyframeRequestReason::kConsumerJoined, 3000);
  const auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 2u);
  ASSERT_EQ(rtcp[0].fir.size(), 1u);
  const auto first = rtcp[0].fir[0].Entries()[0];
  const auto second = rtcp[1].fir[0].Entries()[0];
  EXPECT_EQ(first.ssrc, 0x11223344u);
  EXPECT_EQ(second.seq_nr, static_cast<uint8_t>(first.seq_nr + 1));
  EXPECT_TRUE(rtcp[0].pli.empty());
}

TEST_F(ProducerTest, AsksForAKeyframe_WhenTheNackListOverflows) {
  ProducerOptions options;
  options.nack.max_entries = 10;
  Make(Vp8Producer(), options);
  Receive(Vp8(1, true), 1000);
  sink_.datagrams.clear();
  Receive(Vp8(40), 1001);
  const auto rtcp = Rtcp();
  ASSERT_EQ(rtcp.size(), 1u);
  EXPECT_EQ(rtcp[0].pli.size(), 1u);
  EXPECT_TRUE(rtcp[0].nack.empty());
  EXPECT_EQ(producer_->Keyframes()
                .GetCounters()
                .requests[static_cast<size_t>(KeyframeRequestReason::kNackOverflow)],
            1u);
}

TEST_F(ProducerTest, ForwardsAudioWithoutNacks_WhenTheCodecHasNoNackFeedback) {
  Make(OpusProducer());
  ASSERT_TRUE(
      producer_->ReceiveRtpPacket(std::span<const uint8_t>(rtc::captures::kAiortcOpus), 1'000'000));
  RtpSpec spec;
  spec.payload_type = 111;
  spec.ssrc = 0x5ca1ab1e;
  spec.seq = 5;  // a gap
  spec.mid = "1";
  ASSERT_TRUE(Receive(BuildRtp(spec, OpusPayload()), 1020));
  EXPECT_TRUE(sink_.datagrams.empty());
  EXPECT_TRUE(collector_.packets[0].IsKeyframe());  // every Opus packet decodes on its own
  producer_->RequestKeyframe(KeyframeRequestReason::kConsumerJoined, 2000);
  EXPECT_TRUE(sink_.datagrams.empty());
}

TEST_F(ProducerTest, StartsANewEpoch_WhenRebound) {
  Make(Vp8Producer());
  Receive(Vp8(100, true), 1000);
  Receive(Vp8(101), 1001);
  const uint32_t first_epoch = producer_->SourceEpoch();
  ProducerParameters next = Vp8Producer(0xABCDEF01, 0xABCDEF02);
  next.codecs[0].payload_type = 120;
  next.codecs[0].rtx_payload_type = 121;
  RecordingRtcpSink next_sink;
  ASSERT_TRUE(producer_->Rebind(next, &next_sink));
  EXPECT_EQ(producer_->SourceEpoch(), first_epoch + 1);
  EXPECT_EQ(producer_->Cache().Size(), 0u);
  EXPECT_FALSE(Receive(Vp8(102), 1002));  // the old SSRC is gone
  ASSERT_TRUE(Receive(Vp8(7, true, 0xABCDEF01, 120), 1003));
  EXPECT_EQ(collector_.packets.back().SourceEpoch(), first_epoch + 1);
  EXPECT_EQ(collector_.packets.back().ExtendedSeq(), 7);
  Receive(Vp8(9, false, 0xABCDEF01, 120), 1004);
  EXPECT_EQ(NackedSeqs(next_sink.datagrams), (Seqs{8}));        // RTCP goes to the new sink
  EXPECT_FALSE(producer_->Rebind(OpusProducer(), &next_sink));  // another kind
  producer_->Unbind();
  EXPECT_FALSE(Receive(Vp8(10, false, 0xABCDEF01, 120), 1005));
  EXPECT_EQ(producer_->GetCounters().drops.unbound, 1u);
}

TEST_F(ProducerTest, HoldsBackAJump_AndStartsANewEpochWhenTheNextPacketFollowsIt) {
  Make(Vp8Producer());
  for (uint16_t seq = 100; seq < 105; ++seq)
    Receive(Vp8(seq, seq == 100), 1000 + seq);
  EXPECT_FALSE(Receive(Vp8(30000, true), 1200));  // held
  EXPECT_EQ(collector_.packets.size(), 5u);
  EXPECT_TRUE(Receive(Vp8(30001), 1201));
  EXPECT_EQ(collector_.Seqs(), (Seqs{100, 101, 102, 103, 104, 30000, 30001}));
  EXPECT_EQ(collector_.packets[5].SourceEpoch(), collector_.packets[4].SourceEpoch() + 1);
  EXPECT_TRUE(collector_.packets[5].IsKeyframe());
  EXPECT_EQ(producer_->GetCounters().restarts, 1u);
  EXPECT_EQ(producer_->GetCounters().drops.sequence_jump, 0u);
  EXPECT_TRUE(NackedSeqs(sink_.datagrams).empty());  // no NACK storm over the jump
}

// A link that holds a few packets back for more than a second (NetworkFaultTest's reordering,
// on a loaded machine): the viewer NACKs 150 and 151, gets them through RTX, and then the two
// originals come, 150 packets late, one after the other. RFC 3550's validation alone takes the
// first for a jump and the second, which follows it, for a restart: a new epoch, the cache and
// the NACK list cleared, both packets delivered again and the gap still open (152) never asked
// for. They are late packets of the same sequence: dropped as duplicates, nothing restarts.
TEST_F(ProducerTest, DropsOriginalsThatComeLongAfterTheirRtxCopies_WithoutRestarting) {
  Make(Vp8Producer());
  std::vector<std::vector<uint8_t>> sent;
  for (uint16_t seq = 0; seq < 320; ++seq)
    sent.push_back(Vp8(seq, seq == 0));
  uint16_t rtx_seq = 1;
  for (uint16_t seq = 0; seq < 300; ++seq) {
    if (seq == 150 || seq == 151 || seq == 152) continue;  // held back by the link
    ASSERT_TRUE(Receive(sent[seq], 1000 + seq * 3));
    if (seq == 160) {  // the answers to the NACKs of 150 and 151 (152's is lost on the way)
      ASSERT_TRUE(Receive(BuildRtx(sent[150], 97, 0x55667788, rtx_seq++), 1000 + seq * 3));
      ASSERT_TRUE(Receive(BuildRtx(sent[151], 97, 0x55667788, rtx_seq++), 1000 + seq * 3));
    }
  }
  // 150 packets later, well past MAX_MISORDER: the originals, then 152 (never recovered).
  EXPECT_FALSE(Receive(sent[150], 1900));
  EXPECT_FALSE(Receive(sent[151], 1901));
  EXPECT_TRUE(Receive(sent[152], 1902));
  for (uint16_t seq = 300; seq < 320; ++seq)
    ASSERT_TRUE(Receive(sent[seq], 1903 + seq - 300));

  std::vector<int> deliveries(320, 0);
  for (const MediaPacket& p : collector_.packets) {
    ASSERT_LT(p.ExtendedSeq(), 320);
    ++deliveries[static_cast<size_t>(p.ExtendedSeq())];
    EXPECT_EQ(p.SourceEpoch(), collector_.packets[0].SourceEpoch()) << p.ExtendedSeq();
  }
  for (size_t seq = 0; seq < deliveries.size(); ++seq)
    EXPECT_EQ(deliveries[seq], 1) << "packet " << seq;
  EXPECT_EQ(producer_->GetCounters().restarts, 0u);
  EXPECT_EQ(producer_->GetCounters().drops.duplicate, 2u);
  EXPECT_EQ(producer_->GetCounters().drops.sequence_jump, 0u);
  // Each number counted once: the originals of recovered packets are not received twice.
  EXPECT_EQ(producer_->Receiver()->CumulativeLost(), 0);
  EXPECT_EQ(producer_->Nacks().Size(), 0u);
}

// Later still: two consecutive originals come after the cache's window (1 s) has passed them,
// never recovered. Too old to be of use, they are dropped; they are no restart either (their
// timestamps are seconds behind the newest, not from anywhere), so nothing else is lost.
TEST_F(ProducerTest, DropsOriginalsOlderThanTheCacheWindow_WithoutRestarting) {
  Make(Vp8Producer());
  std::vector<std::vector<uint8_t>> sent;
  for (uint16_t seq = 0; seq < 620; ++seq)
    sent.push_back(Vp8(seq, seq == 0));
  for (uint16_t seq = 0; seq < 600; ++seq) {
    if (seq == 100 || seq == 101 || seq == 590) continue;
    ASSERT_TRUE(Receive(sent[seq], 1000 + seq * 5));
  }
  // 2.5 s later than their neighbours, 500 numbers behind: below the window (the cache holds
  // the last second: numbers 400 and up).
  EXPECT_FALSE(Receive(sent[100], 4000));
  EXPECT_FALSE(Receive(sent[101], 4001));
  EXPECT_TRUE(Receive(sent[590], 4002));  // a late one inside the window: delivered
  for (uint16_t seq = 600; seq < 620; ++seq)
    ASSERT_TRUE(Receive(sent[seq], 4003 + seq - 600));
  EXPECT_EQ(producer_->GetCounters().restarts, 0u);
  EXPECT_EQ(producer_->GetCounters().drops.too_old, 2u);
  EXPECT_EQ(producer_->GetCounters().drops.sequence_jump, 0u);
  EXPECT_EQ(collector_.packets.size(), 618u);  // 597 in time, 590, 600..619
  for (const MediaPacket& p : collector_.packets)
    EXPECT_EQ(p.SourceEpoch(), collector_.packets[0].SourceEpoch()) << p.ExtendedSeq();
}

// A real restart (same SSRC, numbering from elsewhere) is still one, though.
TEST_F(ProducerTest, StillRestarts_WhenAJumpLandsOutsideTheCacheWindow) {
  Make(Vp8Producer());
  for (uint16_t seq = 5000; seq < 5300; ++seq)
    Receive(Vp8(seq, seq == 5000), 1000 + (seq - 5000) * 3);
  EXPECT_FALSE(Receive(Vp8(200, true), 1900));  // far behind, below the window: held
  EXPECT_TRUE(Receive(Vp8(201), 1901));
  EXPECT_EQ(producer_->GetCounters().restarts, 1u);
  EXPECT_EQ(collector_.packets.back().SourceEpoch(), collector_.packets[0].SourceEpoch() + 1);
}

TEST_F(ProducerTest, CountsAndDropsPackets_ItCannotTake) {
  base::PacketBufferPool::Options tiny;
  tiny.initial_buffers = 1;
  tiny.max_buffers = 1;
  base::PacketBufferPool small_pool(tiny);
  Producer producer(Vp8Producer(), &sink_, small_pool, collector_);
  EXPECT_TRUE(producer.ReceiveRtpPacket(std::span<const uint8_t>(Vp8(1, true)), 0));
  EXPECT_FALSE(producer.ReceiveRtpPacket(std::span<const uint8_t>(Vp8(2)), 0));  // pool empty
  EXPECT_FALSE(producer.ReceiveRtpPacket(std::span<const uint8_t>(Vp8(3, false, 0x11223344, 100)),
                                         0));  // unknown payload type
  const uint8_t garbage[] = {0x80, 0x60};
  EXPECT_FALSE(producer.ReceiveRtpPacket(std::span<const uint8_t>(garbage), 0));
  EXPECT_EQ(producer.GetCounters().drops.pool_exhausted, 1u);
  EXPECT_EQ(producer.GetCounters().drops.unknown_payload_type, 1u);
  EXPECT_EQ(producer.GetCounters().drops.malformed, 1u);
  collector_.packets.clear();
}

}  // namespace
}  // namespace tributary::sfu
