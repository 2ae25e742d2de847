#include "rtc/rtcp/Sdes.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

std::vector<SdesChunk> Chunks(const Sdes& sdes) {
  std::vector<SdesChunk> chunks;
  sdes.ForEachChunk([&](const SdesChunk& chunk) { chunks.push_back(chunk); });
  return chunks;
}

TEST(Sdes, ReadsTheCname_WhenParsingAiortcSdes) {
  const auto sdes = Sdes::Parse(kAiortcSdes);
  ASSERT_TRUE(sdes);
  ASSERT_EQ(sdes->ChunkCount(), 1u);
  const auto chunks = Chunks(*sdes);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].ssrc, 0x5ca1ab1eu);
  EXPECT_EQ(chunks[0].cname, "{tributary-cname}");
  EXPECT_EQ(sdes->CnameOf(0x5ca1ab1e), "{tributary-cname}");
  EXPECT_FALSE(sdes->CnameOf(1));
}

TEST(Sdes, GivesTheSameBytes_WhenReserializedOrRebuilt) {
  const auto sdes = Sdes::Parse(kAiortcSdes);
  std::vector<uint8_t> out(sdes->SerializedSize());
  ASSERT_EQ(sdes->Serialize(out), sizeof(kAiortcSdes));
  EXPECT_EQ(out, Bytes(kAiortcSdes));
}

TEST(Sdes, EndsBuiltChunksAtTheNext32BitBoundary) {
  // aiortc ends its chunk with a null item (two nulls) and then pads, which leaves 5 null
  // octets; RFC 3550 6.5 needs only those up to the next boundary: 1 here.
  const SdesChunk chunk{0x5ca1ab1e, "{tributary-cname}"};
  Sdes built;
  built.SetChunks(std::span(&chunk, 1));
  std::vector<uint8_t> rebuilt(100);
  rebuilt.resize(built.Serialize(rebuilt));
  ASSERT_EQ(rebuilt.size(), 28u);
  EXPECT_EQ(rebuilt[3], 6);  // length in words - 1
  EXPECT_TRUE(std::equal(rebuilt.begin() + 4, rebuilt.end(), kAiortcSdes + 4));
  EXPECT_EQ(Sdes::Parse(rebuilt)->CnameOf(0x5ca1ab1e), "{tributary-cname}");

  const SdesChunk aligned{1, "abcdefghijklmnopqr"};  // 4 + 2 + 18 = 24: a whole null word
  built.SetChunks(std::span(&aligned, 1));
  rebuilt.resize(100);
  rebuilt.resize(built.Serialize(rebuilt));
  EXPECT_EQ(rebuilt.size(), 4u + 28);
  EXPECT_EQ(Sdes::Parse(rebuilt)->CnameOf(1), "abcdefghijklmnopqr");
}

TEST(Sdes, KeepsOtherItems_WhenReserializingAParsedPacket) {
  // RFC 3550 6.5: chunk 1 with NAME ("al") then CNAME ("c@h"), chunk 2 with no items.
  const uint8_t bytes[] = {0x82, 0xca, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x02, 0x02,
                           'a',  'l',  0x01, 0x03, 'c',  '@',  'h',  0x00, 0x00, 0x00,
                           0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00};
  const auto sdes = Sdes::Parse(std::span(bytes).first(24));
  EXPECT_FALSE(sdes);  // chunk 2 is cut off
  const uint8_t full[] = {0x82, 0xca, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x02, 0x02,
                          'a',  'l',  0x01, 0x03, 'c',  '@',  'h',  0x00, 0x00, 0x00,
                          0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00};
  const auto parsed = Sdes::Parse(full);
  ASSERT_TRUE(parsed);
  const auto chunks = Chunks(*parsed);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].cname, "c@h");
  EXPECT_EQ(chunks[1].ssrc, 2u);
  EXPECT_TRUE(chunks[1].cname.empty());
  std::vector<uint8_t> out(parsed->SerializedSize());
  ASSERT_EQ(parsed->Serialize(out), sizeof(full));
  EXPECT_EQ(out, Bytes(full));
}

TEST(Sdes, RejectsEveryTruncation_AndChunksWithoutAnEndItem) {
  testing::ForEachPrefix(kAiortcSdes, [](std::span<const uint8_t> prefix) {
    EXPECT_FALSE(Sdes::Parse(prefix)) << prefix.size();
  });
  auto bytes = Bytes(kAiortcSdes);
  bytes[9] = 0x18;  // the CNAME length runs past the end of the packet
  EXPECT_FALSE(Sdes::Parse(bytes));
  testing::ForEachBitFlip(kAiortcSdes, [](std::span<const uint8_t> corrupted) {
    if (const auto sdes = Sdes::Parse(corrupted)) {
      sdes->ForEachChunk([&](const SdesChunk& chunk) {
        if (chunk.cname.empty()) return;
        EXPECT_GE(reinterpret_cast<const uint8_t*>(chunk.cname.data()) + chunk.cname.size(),
                  corrupted.data());
        EXPECT_LE(reinterpret_cast<const uint8_t*>(chunk.cname.data()) + chunk.cname.size(),
                  corrupted.data() + corrupted.size());
      });
    }
  });
}

TEST(Sdes, KeepsWholeWords_WhenPaddingLeavesAnOddBody) {
  // No chunks, P set, 7 bytes of padding in an 8-byte body: 1 byte of body is left (a fuzzer
  // find); it serializes as an empty SDES, a whole number of words.
  const uint8_t bytes[] = {0xa0, 0xca, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0x07};
  const auto sdes = Sdes::Parse(bytes);
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->ChunkCount(), 0u);
  EXPECT_EQ(sdes->SerializedSize(), 4u);
  uint8_t out[4];
  EXPECT_EQ(sdes->Serialize(out), 4u);
}

TEST(Sdes, WritesChunksWithoutCname_AsSsrcAndEndItem) {
  const SdesChunk chunks[] = {{7, ""}, {8, "abc"}};
  Sdes sdes;
  sdes.SetChunks(chunks);
  std::vector<uint8_t> out(100);
  out.resize(sdes.Serialize(out));
  ASSERT_EQ(out.size(), 4u + 8 + 12);
  const auto parsed = Sdes::Parse(out);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->CnameOf(8), "abc");
  EXPECT_FALSE(parsed->CnameOf(7));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
