#include "sfu/Stream.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "../rtc/TestBytes.h"
#include "SfuTestSupport.h"

namespace tributary::sfu {
namespace {

using namespace testing;
using rtc::testing::Bytes;

class StreamEvents : public Stream::Listener {
 public:
  void OnStreamLive(Stream&) override { events.push_back("live"); }
  void OnStreamSourceLost(Stream&) override { events.push_back("source-lost"); }
  void OnStreamEnded(Stream&) override { events.push_back("ended"); }
  void OnStreamConsumerCountChanged(Stream&, size_t count) override {
    events.push_back("consumers=" + std::to_string(count));
  }
  std::vector<std::string> events;
};

// One viewer: its consumer and what it received.
struct Viewer {
  RecordingRtpSender rtp;
  RecordingRtcpSink rtcp;
  std::unique_ptr<Consumer> consumer;
};

// A real packet sequence from a VP8 publisher: seq -> bytes.
std::vector<uint8_t> Vp8(uint16_t seq, bool keyframe = false, uint32_t ssrc = 0x11223344,
                         uint8_t pt = 96) {
  RtpSpec spec;
  spec.payload_type = pt;
  spec.ssrc = ssrc;
  spec.seq = seq;
  spec.timestamp = 90000u + seq * 3000u;
  spec.marker = true;
  spec.abs_send_time = 0x0A0B0C;
  spec.transport_seq = seq;
  spec.video_orientation = 1;
  return BuildRtp(spec, keyframe ? Vp8KeyframePayload() : Vp8DeltaPayload());
}

class StreamTest : public ::testing::Test {
 protected:
  StreamTest() : stream_({"example.com", "live", "cam"}, pool_, events_, Options()) {}

  static StreamOptions Options() {
    StreamOptions options;
    options.publisher_grace_ms = 10000;
    return options;
  }

  Viewer& AddViewer(ConsumerParameters params, Producer& producer, uint64_t now_ms) {
    auto viewer = std::make_unique<Viewer>();
    viewer->consumer =
        std::make_unique<Consumer>(std::move(params), viewer->rtp, viewer->rtcp, stream_);
    stream_.AttachConsumer(producer, *viewer->consumer, now_ms);
    viewers_.push_back(std::move(viewer));
    return *viewers_.back();
  }

  void Publish(Producer& producer, const std::vector<uint8_t>& bytes, uint64_t arrival_ms) {
    producer.ReceiveRtpPacket(std::span<const uint8_t>(bytes), arrival_ms * 1000);
  }

  size_t Plis() const {
    size_t count = 0;
    for (const auto& datagram : publisher_rtcp_.datagrams)
      count += ParseRtcp(datagram).pli.size();
    return count;
  }

  base::PacketBufferPool pool_;
  StreamEvents events_;
  RecordingRtcpSink publisher_rtcp_;
  std::vector<std::unique_ptr<Viewer>> viewers_;  // destroyed after the stream detached them
  Stream stream_;
};

ConsumerParameters ViewerParams(uint32_t ssrc, uint8_t pt, std::optional<uint8_t> rtx_pt,
                                uint32_t rtx_ssrc,
                                std::vector<RtpHeaderExtensionParameters> extensions,
                                std::string mid) {
  ConsumerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = std::move(mid);
  params.codecs.push_back(Vp8Codec(pt, rtx_pt));
  params.ssrc = ssrc;
  params.rtx_ssrc = rtx_ssrc;
  params.extensions = std::move(extensions);
  params.cname = "viewer";
  return params;
}

TEST_F(StreamTest, FansRealPacketsOutToThreeViewers_EachWithItsOwnMapping) {
  Producer& producer = stream_.AttachSource(Vp8Producer(), &publisher_rtcp_, 0);
  EXPECT_EQ(stream_.GetState(), Stream::State::kLive);
  // A: the publisher's own payload type and ids. B: other ids, RTX. C: no extensions at all.
  Viewer& a = AddViewer(ViewerParams(0xA, 96, std::nullopt, 0,
                                     {Extension(1, rtc::RtpExtensionKind::kMid),
                                      Extension(2, rtc::RtpExtensionKind::kAbsSendTime)},
                                     "0"),
                        producer, 0);
  Viewer& b = AddViewer(ViewerParams(0xB, 100, 101, 0xB2,
                                     {Extension(4, rtc::RtpExtensionKind::kMid),
                                      Extension(9, rtc::RtpExtensionKind::kAbsSendTime),
                                      {5, std::string(kVideoOrientationUri)}},
                                     "v1"),
                        producer, 0);
  Viewer& c = AddViewer(ViewerParams(0xC, 120, std::nullopt, 0, {}, "x"), producer, 0);
  EXPECT_EQ(stream_.ConsumerCount(), 3u);

  // The publisher's packets: 1003 lost, 1004/1005 swapped, 1005 duplicated; RTX brings 1003.
  std::map<uint16_t, std::vector<uint8_t>> sent;
  for (uint16_t seq = 1000; seq <= 1006; ++seq)
    sent[seq] = Vp8(seq, seq == 1000);
  uint64_t t = 1000;
  for (uint16_t seq : {1000, 1001, 1002, 1005, 1004, 1005, 1006})
    Publish(producer, sent[seq], t++);
  // NACKed the moment 1005 showed the gap (1004 was only late: one superfluous request).
  EXPECT_EQ(NackedSeqs(publisher_rtcp_.datagrams), (std::vector<uint16_t>{1003, 1004}));
  Publish(producer, BuildRtx(sent[1003], 97, 0x55667788, 1), 1040);

  struct Expectation {
    Viewer* viewer;
    uint8_t pt;
    uint32_t ssrc;
    uint8_t mid_id;
    std::string mid;
    uint8_t abs_id;
    uint8_t orientation_id;
  };
  for (const Expectation& e :
       {Expectation{&a, 96, 0xA, 1, "0", 2, 0}, Expectation{&b, 100, 0xB, 4, "v1", 9, 5},
        Expectation{&c, 120, 0xC, 0, "", 0, 0}}) {
    SCOPED_TRACE(e.ssrc);
    const auto& packets = e.viewer->rtp.packets;
    ASSERT_EQ(packets.size(), 7u);  // the duplicate went nowhere
    std::set<uint16_t> seqs;
    for (size_t i = 0; i < packets.size(); ++i) {
      const rtc::RtpPacket out = e.viewer->rtp.Packet(i);
      seqs.insert(out.SequenceNumber());
      const auto in = rtc::RtpPacket::Parse(sent.at(out.SequenceNumber()));
      EXPECT_EQ(out.PayloadType(), e.pt);
      EXPECT_EQ(out.Ssrc(), e.ssrc);
      EXPECT_EQ(out.Timestamp(), in->Timestamp());
      EXPECT_EQ(out.Marker(), in->Marker());
      EXPECT_EQ(Bytes(out.Payload()), Bytes(in->Payload()));
      EXPECT_FALSE(out.FindExtension(kTransportCcId));  // no viewer has id 3
      if (e.mid_id != 0) {
        EXPECT_EQ(rtc::RtpExtensionValue::ReadSdesString(out.FindExtension(e.mid_id)->value),
                  e.mid);
      } else {
        EXPECT_FALSE(out.HasExtensions());
      }
      if (e.abs_id != 0) {
        EXPECT_TRUE(out.FindExtension(e.abs_id));
      }
      if (e.orientation_id != 0) {
        EXPECT_EQ(Bytes(out.FindExtension(e.orientation_id)->value), (std::vector<uint8_t>{1}));
      }
    }
    EXPECT_EQ(seqs, (std::set<uint16_t>{1000, 1001, 1002, 1003, 1004, 1005, 1006}));
  }

  // Viewers NACK 1004: A gets the packet again, B an RTX packet, from the producer's cache.
  std::vector<rtc::rtcp::NackItem> items = {{1004, 0}};
  rtc::rtcp::Nack nack;
  nack.SetItems(items);
  a.consumer->ReceiveNack(nack, 2000);
  b.consumer->ReceiveNack(nack, 2000);
  ASSERT_EQ(a.rtp.packets.size(), 8u);
  EXPECT_EQ(a.rtp.Packet(7).SequenceNumber(), 1004);
  EXPECT_EQ(a.rtp.Packet(7).Ssrc(), 0xAu);
  ASSERT_EQ(b.rtp.packets.size(), 8u);
  EXPECT_EQ(b.rtp.Packet(7).Ssrc(), 0xB2u);
  EXPECT_EQ(b.rtp.Packet(7).PayloadType(), 101);
  EXPECT_EQ(rtc::RtxPacket::OriginalSequenceNumber(b.rtp.Packet(7)), 1004);
  EXPECT_EQ(stream_.GetCounters().deliveries, 3u * 7);
}

TEST_F(StreamTest, AggregatesTheKeyframeRequestsOfViewersIntoThrottledPlis) {
  Producer& producer = stream_.AttachSource(Vp8Producer(), &publisher_rtcp_, 0);
  Publish(producer, Vp8(1, true), 0);
  AddViewer(ViewerParams(0xA, 96, std::nullopt, 0, {}, "0"), producer, 1000);
  AddViewer(ViewerParams(0xB, 96, std::nullopt, 0, {}, "0"), producer, 1100);
  AddViewer(ViewerParams(0xC, 96, std::nullopt, 0, {}, "0"), producer, 1200);
  EXPECT_EQ(Plis(), 1u);  // the first join at once
  stream_.Tick(1499);
  EXPECT_EQ(Plis(), 1u);
  stream_.Tick(1500);
  EXPECT_EQ(Plis(), 2u);  // one trailing request for the other two
  viewers_[2]->consumer->ReceivePli(1600);
  Publish(producer, Vp8(2, true), 1700);  // a keyframe came anyway
  stream_.Tick(2000);
  EXPECT_EQ(Plis(), 2u);  // nothing left to ask for
  EXPECT_EQ(stream_.GetCounters().keyframe_requests, 4u);
  for (const auto& viewer : viewers_)
    EXPECT_FALSE(viewer->consumer->WaitingForKeyframe());
}

TEST_F(StreamTest, KeepsViewersContinuous_WhenThePublisherReconnectsWithinGrace) {
  Producer& producer = stream_.AttachSource(Vp8Producer(), &publisher_rtcp_, 0);
  Viewer& viewer = AddViewer(ViewerParams(0xA, 100, std::nullopt, 0, {}, "0"), producer, 0);
  for (uint16_t seq = 10; seq < 15; ++seq)
    Publish(producer, Vp8(seq, seq == 10), 1000 + seq);
  stream_.DetachSource(producer, 2000);
  EXPECT_EQ(stream_.GetState(), Stream::State::kGrace);
  EXPECT_FALSE(producer.ReceiveRtpPacket(std::span<const uint8_t>(Vp8(15)), 2'001'000));
  stream_.Tick(11999);
  EXPECT_EQ(stream_.GetState(), Stream::State::kGrace);
  // The publisher is back on another session: new SSRC, payload type and numbering.
  RecordingRtcpSink new_rtcp;
  ProducerParameters next = Vp8Producer(0x77777777, 0x77777778);
  next.codecs[0].payload_type = 102;
  next.codecs[0].rtx_payload_type = 103;
  Producer& rebound = stream_.AttachSource(next, &new_rtcp, 12000);
  EXPECT_EQ(&rebound, &producer);
  EXPECT_EQ(stream_.GetState(), Stream::State::kLive);
  Publish(producer, Vp8(40000, true, 0x77777777, 102), 12100);
  Publish(producer, Vp8(40001, false, 0x77777777, 102), 12133);
  ASSERT_EQ(viewer.rtp.packets.size(), 7u);
  EXPECT_EQ(viewer.rtp.Packet(5).SequenceNumber(), 15);
  EXPECT_EQ(viewer.rtp.Packet(6).SequenceNumber(), 16);
  EXPECT_EQ(viewer.rtp.Packet(5).PayloadType(), 100);
  EXPECT_EQ(viewer.rtp.Packet(6).Timestamp() - viewer.rtp.Packet(5).Timestamp(), 3000u);
  // The viewer asked the new source for a keyframe (its join PLI went to the old one).
  size_t plis = 0;
  for (const auto& datagram : new_rtcp.datagrams)
    plis += ParseRtcp(datagram).pli.size();
  EXPECT_EQ(plis, 1u);
  EXPECT_EQ(events_.events,
            (std::vector<std::string>{"live", "consumers=1", "source-lost", "live"}));
  EXPECT_EQ(stream_.GetCounters().rebinds, 1u);
}

TEST_F(StreamTest, EndsAfterGrace_AndCanBeRemovedOnceItsViewersLeft) {
  Producer& producer = stream_.AttachSource(Vp8Producer(), &publisher_rtcp_, 0);
  Viewer& viewer = AddViewer(ViewerParams(0xA, 96, std::nullopt, 0, {}, "0"), producer, 0);
  stream_.DetachSource(producer, 1000);
  stream_.Tick(10999);
  EXPECT_EQ(stream_.GetState(), Stream::State::kGrace);
  stream_.Tick(11000);
  EXPECT_EQ(stream_.GetState(), Stream::State::kEnded);
  EXPECT_FALSE(stream_.CanBeRemoved());  // a viewer is still attached
  stream_.DetachConsumer(*viewer.consumer);
  EXPECT_EQ(viewer.consumer->GetProducer(), nullptr);
  EXPECT_TRUE(stream_.CanBeRemoved());
  EXPECT_EQ(events_.events, (std::vector<std::string>{"live", "consumers=1", "source-lost", "ended",
                                                      "consumers=0"}));
}

TEST_F(StreamTest, RebindsTracksByKindInOrder_WhenANewSourceAttaches) {
  Producer& audio = stream_.AttachSource(OpusProducer(), &publisher_rtcp_, 0);
  Producer& video = stream_.AttachSource(Vp8Producer(), &publisher_rtcp_, 0);
  EXPECT_EQ(stream_.FindProducer(rtc::MediaKind::kAudio), &audio);
  EXPECT_EQ(stream_.FindProducer(rtc::MediaKind::kVideo), &video);
  EXPECT_EQ(stream_.FindProducer(rtc::MediaKind::kVideo, 1), nullptr);
  stream_.DetachSource(audio, 100);
  EXPECT_EQ(stream_.GetState(), Stream::State::kLive);  // video still has its source
  stream_.DetachSource(video, 100);
  EXPECT_EQ(stream_.GetState(), Stream::State::kGrace);
  // The new source offers video first: each track still finds its producer.
  EXPECT_EQ(&stream_.AttachSource(Vp8Producer(5, 6), &publisher_rtcp_, 200), &video);
  EXPECT_EQ(&stream_.AttachSource(OpusProducer(7), &publisher_rtcp_, 200), &audio);
  EXPECT_EQ(stream_.ProducerCount(), 2u);
  EXPECT_EQ(stream_.BoundProducerCount(), 2u);
  // A second video track is a new producer.
  Producer& screen = stream_.AttachSource(Vp8Producer(8, 9), &publisher_rtcp_, 300);
  EXPECT_EQ(stream_.FindProducer(rtc::MediaKind::kVideo, 1), &screen);
}

TEST_F(StreamTest, DetachesItsConsumers_WhenDestroyed) {
  auto stream = std::make_unique<Stream>(StreamKey{"v", "a", "s"}, pool_, events_);
  Producer& producer = stream->AttachSource(Vp8Producer(), nullptr, 0);
  RecordingRtpSender rtp;
  RecordingRtcpSink rtcp;
  Consumer consumer(ViewerParams(0xA, 96, std::nullopt, 0, {}, "0"), rtp, rtcp, *stream);
  stream->AttachConsumer(producer, consumer, 0);
  EXPECT_EQ(consumer.GetProducer(), &producer);
  stream.reset();
  EXPECT_EQ(consumer.GetProducer(), nullptr);
}

}  // namespace
}  // namespace tributary::sfu
