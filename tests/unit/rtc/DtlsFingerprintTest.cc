#include "rtc/DtlsFingerprint.h"

#include <gtest/gtest.h>

#include "rtc/DtlsCertificate.h"

namespace tributary::rtc {
namespace {

using Algorithm = DtlsFingerprint::Algorithm;

// As Chromium writes it in an offer.
constexpr std::string_view kChromeFingerprint =
    "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:1A:4C:2F:3A:9E:1B:"
    "10:7F:30:AF:C2";

TEST(DtlsFingerprint, Parse_ReadsSdpValue) {
  const auto fingerprint = DtlsFingerprint::Parse(kChromeFingerprint);
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint->GetAlgorithm(), Algorithm::kSha256);
  ASSERT_EQ(fingerprint->Bytes().size(), 32u);
  EXPECT_EQ(fingerprint->Bytes()[0], 0x4a);
  EXPECT_EQ(fingerprint->Bytes()[31], 0xc2);
  EXPECT_EQ(fingerprint->ToString(), kChromeFingerprint);
}

TEST(DtlsFingerprint, Parse_AcceptsCaseVariantsAndSurroundingSpace) {
  const auto upper = DtlsFingerprint::Parse(kChromeFingerprint);
  std::string lower(kChromeFingerprint);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto parsed = DtlsFingerprint::Parse("  " + lower + "\r\n");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, *upper);
  std::string shouting(kChromeFingerprint);
  shouting.replace(0, 7, "SHA-256");
  EXPECT_TRUE(DtlsFingerprint::Parse(shouting).has_value());
}

TEST(DtlsFingerprint, Parse_RejectsMalformedValues) {
  const std::string good(kChromeFingerprint);
  EXPECT_FALSE(DtlsFingerprint::Parse("").has_value());
  EXPECT_FALSE(DtlsFingerprint::Parse("sha-256").has_value());
  EXPECT_FALSE(DtlsFingerprint::Parse(good.substr(0, good.size() - 3)).has_value());  // short
  EXPECT_FALSE(DtlsFingerprint::Parse(good + ":00").has_value());                     // long
  EXPECT_FALSE(DtlsFingerprint::Parse("md5 " + good.substr(8, 47)).has_value());      // banned
  EXPECT_FALSE(DtlsFingerprint::Parse("sha-1 " + good.substr(8)).has_value());        // size
  std::string bad_digit = good;
  bad_digit[10] = 'G';
  EXPECT_FALSE(DtlsFingerprint::Parse(bad_digit).has_value());
  std::string bad_separator = good;
  bad_separator[10] = '-';
  EXPECT_FALSE(DtlsFingerprint::Parse(bad_separator).has_value());
}

TEST(DtlsFingerprint, OfCertificate_GivesEachAlgorithmItsSize_AndMatchesOnlyThatCertificate) {
  const auto mine = DtlsCertificate::Generate();
  const auto other = DtlsCertificate::Generate();
  for (auto [algorithm, size] : {std::pair{Algorithm::kSha1, 20u},
                                 {Algorithm::kSha224, 28u},
                                 {Algorithm::kSha256, 32u},
                                 {Algorithm::kSha384, 48u},
                                 {Algorithm::kSha512, 64u}}) {
    const auto fingerprint = DtlsFingerprint::OfCertificate(algorithm, mine.CertificateDer());
    EXPECT_EQ(fingerprint.Bytes().size(), size);
    EXPECT_TRUE(fingerprint.Matches(mine.CertificateDer()));
    EXPECT_FALSE(fingerprint.Matches(other.CertificateDer()));
    const auto reparsed = DtlsFingerprint::Parse(fingerprint.ToString());
    ASSERT_TRUE(reparsed.has_value());
    EXPECT_EQ(*reparsed, fingerprint);
  }
}

}  // namespace
}  // namespace tributary::rtc
