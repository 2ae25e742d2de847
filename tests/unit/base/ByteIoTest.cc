#include "base/ByteIo.h"

#include <gtest/gtest.h>

namespace tributary::base {

TEST(ByteIo, RoundTripsNetworkOrder_WhenWritingThenReading) {
  uint8_t buf[8] = {};
  Write16(buf, 0x1234);
  EXPECT_EQ(buf[0], 0x12);
  EXPECT_EQ(buf[1], 0x34);
  EXPECT_EQ(Read16(buf), 0x1234);
  Write24(buf, 0xabcdef);
  EXPECT_EQ(Read24(buf), 0xabcdefu);
  Write32(buf, 0xdeadbeef);
  EXPECT_EQ(buf[0], 0xde);
  EXPECT_EQ(Read32(buf), 0xdeadbeefu);
  Write64(buf, 0x0102030405060708ull);
  EXPECT_EQ(buf[7], 0x08);
  EXPECT_EQ(Read64(buf), 0x0102030405060708ull);
}

TEST(ByteIo, SeqNewer_WhenWrapping) {
  EXPECT_TRUE(SeqNewer(1, 0));
  EXPECT_TRUE(SeqNewer(0, 65535));
  EXPECT_FALSE(SeqNewer(65535, 0));
  EXPECT_FALSE(SeqNewer(5, 5));
  EXPECT_TRUE(TimestampNewer(10, 0xfffffff0u));
}

}  // namespace tributary::base
