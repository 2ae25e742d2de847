#include "rtc/rtcp/Nack.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

std::vector<uint16_t> Lost(const Nack& nack) {
  std::vector<uint16_t> lost;
  nack.ForEachLostSequence([&](uint16_t seq) { lost.push_back(seq); });
  return lost;
}

std::vector<uint8_t> Build(std::span<const uint16_t> lost) {
  std::vector<NackItem> items(lost.size());
  items.resize(Nack::PackLostSequences(lost, items));
  Nack nack;
  nack.SetSenderSsrc(1);
  nack.SetMediaSsrc(0x5ca1ab1e);
  nack.SetItems(items);
  std::vector<uint8_t> out(nack.SerializedSize());
  out.resize(nack.Serialize(out));
  return out;
}

TEST(Nack, ExpandsItems_WhenParsingAiortcNack) {
  const auto nack = Nack::Parse(kAiortcNack);
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->SenderSsrc(), 1u);
  EXPECT_EQ(nack->MediaSsrc(), 0x5ca1ab1eu);
  ASSERT_EQ(nack->Items().size(), 3u);
  EXPECT_EQ(nack->Items()[0], (NackItem{5, 0x8800}));
  EXPECT_EQ(Lost(*nack), (std::vector<uint16_t>{5, 17, 21, 40, 41, 1000}));
}

TEST(Nack, ReproducesAiortcBytes_WhenPackingTheSameLostList) {
  const uint16_t lost[] = {5, 17, 21, 40, 41, 1000};
  EXPECT_EQ(Build(lost), Bytes(kAiortcNack));
  const auto nack = Nack::Parse(kAiortcNack);
  std::vector<uint8_t> out(nack->SerializedSize());
  ASSERT_EQ(nack->Serialize(out), sizeof(kAiortcNack));
  EXPECT_EQ(out, Bytes(kAiortcNack));
}

TEST(Nack, PacksAndExpandsAcrossTheWrap_From65535To0) {
  const uint16_t lost[] = {65534, 65535, 0, 5, 40};
  EXPECT_EQ(Build(lost), Bytes(kRfcNackWrapping));
  const auto nack = Nack::Parse(kRfcNackWrapping);
  ASSERT_TRUE(nack);
  EXPECT_EQ(Lost(*nack), (std::vector<uint16_t>{65534, 65535, 0, 5, 40}));
}

TEST(Nack, SkipsDuplicates_AndStartsAnItemForOlderNumbers) {
  const uint16_t lost[] = {10, 10, 11, 26, 27, 3};
  std::vector<NackItem> items(6);
  items.resize(Nack::PackLostSequences(lost, items));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], (NackItem{10, 0x8001}));  // 11 and 26 (16 after 10)
  EXPECT_EQ(items[1], (NackItem{27, 0}));
  EXPECT_EQ(items[2], (NackItem{3, 0}));
}

TEST(Nack, ReturnsZero_WhenItemsDoNotFit) {
  const uint16_t lost[] = {1, 100, 200};
  std::vector<NackItem> items(2);
  EXPECT_EQ(Nack::PackLostSequences(lost, items), 0u);
  EXPECT_EQ(Nack::PackLostSequences({}, items), 0u);
  Nack empty;
  uint8_t out[64];
  EXPECT_EQ(empty.Serialize(out), 0u);  // a NACK needs at least one item
}

TEST(Nack, RejectsEveryTruncation_AndOtherFeedbackTypes) {
  testing::ForEachPrefix(kAiortcNack, [](std::span<const uint8_t> prefix) {
    EXPECT_FALSE(Nack::Parse(prefix)) << prefix.size();
  });
  EXPECT_FALSE(Nack::Parse(kAiortcPli));
  EXPECT_FALSE(Nack::Parse(kDraftTransportFeedback));
  const uint8_t no_items[] = {0x81, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(Nack::Parse(no_items));
}

TEST(Nack, RewritesTheMediaSsrc_WhenRelayed) {
  auto nack = Nack::Parse(kAiortcNack);
  nack->SetMediaSsrc(0x11111111);
  std::vector<uint8_t> out(nack->SerializedSize());
  nack->Serialize(out);
  EXPECT_EQ(Nack::Parse(out)->MediaSsrc(), 0x11111111u);
  EXPECT_EQ(Lost(*Nack::Parse(out)), Lost(*Nack::Parse(kAiortcNack)));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
