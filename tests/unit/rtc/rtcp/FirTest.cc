#include "rtc/rtcp/Fir.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Fir, ReadsEntries_AndRebuildsTheSameBytes) {
  const auto fir = Fir::Parse(kRfcFir);
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->SenderSsrc(), 1u);
  EXPECT_EQ(fir->MediaSsrc(), 0u);
  ASSERT_EQ(fir->Entries().size(), 1u);
  EXPECT_EQ(fir->Entries()[0], (FirEntry{0x5ca1ab1e, 3}));

  std::vector<uint8_t> out(fir->SerializedSize());
  ASSERT_EQ(fir->Serialize(out), sizeof(kRfcFir));
  EXPECT_EQ(out, Bytes(kRfcFir));

  const FirEntry entries[] = {{0x5ca1ab1e, 3}, {0x0badf00d, 255}};
  Fir built;
  built.SetSenderSsrc(1);
  built.SetEntries(entries);
  std::vector<uint8_t> two(built.SerializedSize());
  ASSERT_EQ(built.Serialize(two), 4u + 8 + 16);
  EXPECT_TRUE(std::equal(two.begin() + 4, two.begin() + 20, kRfcFir + 4));
  EXPECT_EQ(Fir::Parse(two)->Entries()[1], entries[1]);
}

TEST(Fir, Rejects_TruncationsAndPacketsWithoutEntries) {
  testing::ForEachPrefix(kRfcFir,
                         [](std::span<const uint8_t> prefix) { EXPECT_FALSE(Fir::Parse(prefix)); });
  const uint8_t no_entries[] = {0x84, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0};
  EXPECT_FALSE(Fir::Parse(no_entries));
  EXPECT_FALSE(Fir::Parse(kAiortcPli));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
