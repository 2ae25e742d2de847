#include "rtc/RtpHeaderExtensions.h"

#include <gtest/gtest.h>

#include <vector>

namespace tributary::rtc {
namespace {

std::vector<uint8_t> Ids(const RtpHeaderExtensions& extensions) {
  std::vector<uint8_t> ids;
  for (const auto& element : extensions)
    ids.push_back(element.id);
  return ids;
}

TEST(RtpHeaderExtensions, SkipsPaddingBetweenElements_InTheOneByteForm) {
  // RFC 8285 4.2: padding bytes (0) may come before, between and after elements.
  const uint8_t block[] = {0x00, 0x10, 0xaa, 0x00, 0x00, 0x21, 0xbb, 0xcc, 0x00, 0x00, 0x00, 0x00};
  const RtpHeaderExtensions extensions(RtpHeaderExtensions::kOneByteProfile, block);
  EXPECT_EQ(Ids(extensions), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(extensions.Find(2)->value.size(), 2u);
  EXPECT_EQ(extensions.Find(2)->value[1], 0xcc);
  EXPECT_TRUE(extensions.WellFormed());
}

TEST(RtpHeaderExtensions, StopsAtId15_InTheOneByteForm) {
  // RFC 8285 4.2: id 15 ends processing; later elements are not considered.
  const uint8_t block[] = {0x10, 0xaa, 0xf0, 0x21, 0xbb, 0xcc, 0x00, 0x00};
  const RtpHeaderExtensions extensions(RtpHeaderExtensions::kOneByteProfile, block);
  EXPECT_EQ(Ids(extensions), (std::vector<uint8_t>{1}));
  EXPECT_FALSE(extensions.Find(2));
  EXPECT_FALSE(extensions.WellFormed());
}

TEST(RtpHeaderExtensions, StopsAtId0WithALength_InTheOneByteForm) {
  // Id 0 is padding: a whole zero byte. 0x03 claims id 0 with 4 bytes of value.
  const uint8_t block[] = {0x10, 0xaa, 0x03, 0x21, 0xbb, 0xcc, 0x00, 0x00};
  const RtpHeaderExtensions extensions(RtpHeaderExtensions::kOneByteProfile, block);
  EXPECT_EQ(Ids(extensions), (std::vector<uint8_t>{1}));
  EXPECT_FALSE(extensions.WellFormed());
}

TEST(RtpHeaderExtensions, StopsAtAnElementRunningPastTheBlock) {
  const uint8_t block[] = {0x10, 0xaa, 0x23, 0xbb, 0xcc, 0xdd};  // id 2 says 4 bytes, 3 left
  const RtpHeaderExtensions extensions(RtpHeaderExtensions::kOneByteProfile, block);
  EXPECT_EQ(Ids(extensions), (std::vector<uint8_t>{1}));
  EXPECT_FALSE(extensions.WellFormed());

  const uint8_t two_byte[] = {0x05, 0x00, 0x07, 0x02, 0xaa, 0xbb, 0x09, 0x03, 0xcc};
  const RtpHeaderExtensions long_form(0x1000, two_byte);
  EXPECT_EQ(Ids(long_form), (std::vector<uint8_t>{5, 7}));
  EXPECT_TRUE(long_form.Find(5)->value.empty());  // two-byte form allows empty values
  EXPECT_FALSE(long_form.WellFormed());
}

TEST(RtpHeaderExtensions, StopsAtATwoByteHeaderCutInHalf) {
  const uint8_t block[] = {0x07, 0x01, 0xaa, 0x08};
  const RtpHeaderExtensions extensions(0x1003, block);  // appbits 3
  EXPECT_EQ(extensions.form(), RtpHeaderExtensions::Form::kTwoByte);
  EXPECT_EQ(Ids(extensions), (std::vector<uint8_t>{7}));
  EXPECT_FALSE(extensions.WellFormed());
}

TEST(RtpHeaderExtensions, FindsNothing_WhenTheProfileIsUnknown) {
  const uint8_t block[] = {0x10, 0xaa, 0x00, 0x00};
  const RtpHeaderExtensions extensions(0xabcd, block);
  EXPECT_EQ(extensions.form(), RtpHeaderExtensions::Form::kUnknownProfile);
  EXPECT_TRUE(Ids(extensions).empty());
  EXPECT_FALSE(extensions.Find(1));
  EXPECT_TRUE(extensions.WellFormed());  // opaque to us, not malformed
}

TEST(RtpHeaderExtensions, IteratesNothing_WhenEmpty) {
  EXPECT_TRUE(Ids(RtpHeaderExtensions()).empty());
  EXPECT_EQ(RtpHeaderExtensions().form(), RtpHeaderExtensions::Form::kNone);
  const uint8_t padding_only[] = {0, 0, 0, 0};
  EXPECT_TRUE(Ids(RtpHeaderExtensions(0xBEDE, padding_only)).empty());
}

}  // namespace
}  // namespace tributary::rtc
