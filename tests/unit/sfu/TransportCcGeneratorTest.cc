#include "sfu/TransportCcGenerator.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "SfuTestSupport.h"

namespace tributary::sfu {
namespace {

using namespace testing;

// What a feedback packet says, read back with the rtc parser: seq -> arrival time in
// microseconds (reference time + cumulative deltas), or -1 when reported lost.
std::map<uint16_t, int64_t> Statuses(const rtc::rtcp::TransportFeedback& feedback) {
  std::map<uint16_t, int64_t> out;
  int64_t time_us = feedback.ReferenceTimeUs();
  feedback.ForEachPacket([&](const rtc::rtcp::TransportFeedbackStatus& status) {
    if (!status.received) {
      out[status.seq] = -1;
      return;
    }
    time_us += status.DeltaUs();
    out[status.seq] = time_us;
  });
  return out;
}

class TransportCcGeneratorTest : public ::testing::Test {
 protected:
  TransportCcGeneratorTest() : generator_(sink_, 0xAAAA0001) {
    generator_.SetExtensionId(kTransportCcId);
    generator_.SetMediaSsrc(0x11223344);
  }

  void Receive(uint16_t transport_seq, uint64_t arrival_us) {
    RtpSpec spec;
    spec.seq = transport_seq;  // any
    spec.transport_seq = transport_seq;
    const auto bytes = BuildRtp(spec, Vp8DeltaPayload());
    generator_.ReceiveRtpPacket(*rtc::RtpPacket::Parse(bytes), arrival_us);
  }

  std::vector<rtc::rtcp::TransportFeedback> Feedback() const {
    std::vector<rtc::rtcp::TransportFeedback> out;
    for (const auto& datagram : sink_.datagrams) {
      const ParsedRtcp parsed = ParseRtcp(datagram);
      EXPECT_TRUE(parsed.ok);
      for (const auto& feedback : parsed.feedback)
        out.push_back(feedback);
    }
    return out;
  }

  RecordingRtcpSink sink_;
  TransportCcGenerator generator_;
};

TEST_F(TransportCcGeneratorTest, ReportsArrivalsAndLosses_EveryHundredMilliseconds) {
  generator_.Tick(1000);
  for (uint16_t seq = 100; seq < 110; ++seq) {
    if (seq == 104) continue;
    Receive(seq, 1'000'000 + (seq - 100) * 5'000u);
  }
  RtpSpec no_extension;
  generator_.ReceiveRtpPacket(*rtc::RtpPacket::Parse(BuildRtp(no_extension, Vp8DeltaPayload())),
                              1'050'000);
  EXPECT_EQ(generator_.GetCounters().no_extension, 1u);
  generator_.Tick(1099);
  EXPECT_TRUE(sink_.datagrams.empty());
  generator_.Tick(1100);
  const auto feedback = Feedback();
  ASSERT_EQ(feedback.size(), 1u);
  EXPECT_EQ(feedback[0].SenderSsrc(), 0xAAAA0001u);
  EXPECT_EQ(feedback[0].MediaSsrc(), 0x11223344u);
  EXPECT_EQ(feedback[0].BaseSequenceNumber(), 100);
  EXPECT_EQ(feedback[0].PacketStatusCount(), 10);
  EXPECT_EQ(feedback[0].ReceivedCount(), 9u);
  const auto statuses = Statuses(feedback[0]);
  for (uint16_t seq = 100; seq < 110; ++seq) {
    const int64_t expected = seq == 104 ? -1 : 1'000'000 + (seq - 100) * 5'000;
    EXPECT_EQ(statuses.at(seq), expected) << seq;
  }
  EXPECT_EQ(generator_.Pending(), 0u);
}

TEST_F(TransportCcGeneratorTest, RepeatsThePreviousLastPacket_WhenTheNextRunStartsWithALoss) {
  Receive(1, 1'000'000);
  Receive(2, 1'001'000);
  generator_.Flush();
  Receive(4, 1'003'000);  // 3 lost
  generator_.Flush();
  const auto feedback = Feedback();
  ASSERT_EQ(feedback.size(), 2u);
  EXPECT_EQ(feedback[1].BaseSequenceNumber(), 2);
  const auto statuses = Statuses(feedback[1]);
  EXPECT_EQ(statuses.at(2), 1'001'000);
  EXPECT_EQ(statuses.at(3), -1);
  EXPECT_EQ(statuses.at(4), 1'003'000);
  EXPECT_EQ(feedback[1].FeedbackPacketCount(), feedback[0].FeedbackPacketCount() + 1);
}

TEST_F(TransportCcGeneratorTest, SortsReorderedArrivals_AndCountsLateAndDuplicatePackets) {
  Receive(10, 1'000'000);
  Receive(12, 1'002'000);
  Receive(11, 1'003'000);  // reordered: a negative delta for 12 afterwards
  Receive(12, 1'004'000);  // duplicate
  generator_.Flush();
  Receive(11, 1'010'000);  // late: 11 was reported
  generator_.Flush();
  const auto feedback = Feedback();
  ASSERT_EQ(feedback.size(), 1u);
  const auto statuses = Statuses(feedback[0]);
  EXPECT_EQ(statuses.at(10), 1'000'000);
  EXPECT_EQ(statuses.at(11), 1'003'000);
  EXPECT_EQ(statuses.at(12), 1'002'000);
  EXPECT_EQ(generator_.GetCounters().duplicates, 1u);
  EXPECT_EQ(generator_.GetCounters().late, 1u);
}

TEST_F(TransportCcGeneratorTest, FollowsTheSequenceAcrossTheWrap) {
  for (uint16_t seq : {uint16_t{65534}, uint16_t{65535}, uint16_t{0}, uint16_t{1}})
    Receive(seq, 2'000'000 + static_cast<uint16_t>(seq + 2) * 1'000u);
  generator_.Flush();
  const auto feedback = Feedback();
  ASSERT_EQ(feedback.size(), 1u);
  EXPECT_EQ(feedback[0].BaseSequenceNumber(), 65534);
  EXPECT_EQ(feedback[0].PacketStatusCount(), 4);
  EXPECT_EQ(Statuses(feedback[0]).at(1), 2'003'000);
}

TEST(TransportCcGenerator, SendsAtOnce_WhenMaxPendingArrivalsWait) {
  RecordingRtcpSink sink;
  TransportCcGeneratorOptions options;
  options.max_pending = 4;
  TransportCcGenerator generator(sink, 1, options);
  for (uint16_t seq = 0; seq < 9; ++seq)
    generator.ReceivePacket(seq, 1'000'000 + seq * 1000u);
  EXPECT_EQ(sink.datagrams.size(), 2u);
  EXPECT_EQ(generator.Pending(), 1u);
  EXPECT_EQ(generator.GetCounters().feedback_packets, 2u);
}

TEST(TransportCcGenerator, SplitsIntoSeveralPackets_WhenOneWouldExceedItsSize) {
  RecordingRtcpSink sink;
  TransportCcGeneratorOptions options;
  options.max_packet_size = 100;
  TransportCcGenerator generator(sink, 1, options);
  // Alternating large gaps make every delta a 2-byte one.
  for (uint16_t seq = 0; seq < 200; ++seq)
    generator.ReceivePacket(seq, 1'000'000 + seq * 70'000u);
  generator.Flush();
  ASSERT_GT(sink.datagrams.size(), 1u);
  size_t reported = 0;
  for (const auto& datagram : sink.datagrams) {
    EXPECT_LE(datagram.size(), 100u);
    const auto parsed = ParseRtcp(datagram);
    ASSERT_EQ(parsed.feedback.size(), 1u);
    reported += parsed.feedback[0].ReceivedCount();
  }
  EXPECT_EQ(reported, 200u);
}

}  // namespace
}  // namespace tributary::sfu
