#include "sfu/KeyframeRequester.h"

#include <gtest/gtest.h>

namespace tributary::sfu {
namespace {

using Reason = KeyframeRequestReason;
using Method = KeyframeRequester::Method;

TEST(KeyframeRequester, SendsTheFirstRequestAtOnce_ThenOneTrailingRequestPerWindow) {
  KeyframeRequester requester(Method::kPli, 500);
  EXPECT_TRUE(requester.Request(Reason::kConsumerJoined, 1000));
  EXPECT_FALSE(requester.Request(Reason::kConsumerJoined, 1100));
  EXPECT_FALSE(requester.Request(Reason::kViewerPli, 1200));
  EXPECT_FALSE(requester.Request(Reason::kViewerPli, 1499));
  EXPECT_FALSE(requester.Poll(1499));
  EXPECT_TRUE(requester.Poll(1500));  // the three folded into one
  EXPECT_FALSE(requester.Poll(1600));
  EXPECT_FALSE(requester.Poll(5000));  // nothing pending
  EXPECT_TRUE(requester.Request(Reason::kViewerPli, 5000));
  const auto& counters = requester.GetCounters();
  EXPECT_EQ(counters.sent, 3u);
  EXPECT_EQ(counters.deferred, 3u);
  EXPECT_EQ(counters.requests[static_cast<size_t>(Reason::kConsumerJoined)], 2u);
  EXPECT_EQ(counters.requests[static_cast<size_t>(Reason::kViewerPli)], 3u);
}

TEST(KeyframeRequester, DropsTheTrailingRequest_WhenAKeyframeArrivesFirst) {
  KeyframeRequester requester(Method::kPli, 500);
  EXPECT_TRUE(requester.Request(Reason::kConsumerJoined, 0));
  EXPECT_FALSE(requester.Request(Reason::kSourceSwitched, 100));
  EXPECT_TRUE(requester.Pending());
  requester.OnKeyframeReceived();
  EXPECT_FALSE(requester.Pending());
  EXPECT_FALSE(requester.Poll(600));
  EXPECT_EQ(requester.GetCounters().satisfied, 1u);
  EXPECT_EQ(requester.GetCounters().keyframes, 1u);
}

TEST(KeyframeRequester, NumbersEachNewFirRequest) {
  KeyframeRequester requester(Method::kFir, 500);
  EXPECT_TRUE(requester.Request(Reason::kViewerFir, 0));
  const uint8_t first = requester.FirSeqNr();
  requester.Request(Reason::kViewerFir, 100);
  EXPECT_EQ(requester.FirSeqNr(), first);  // deferred: no new number yet
  EXPECT_TRUE(requester.Poll(500));
  EXPECT_EQ(requester.FirSeqNr(), static_cast<uint8_t>(first + 1));
}

TEST(KeyframeRequester, SendsNothing_WhenThePublisherNegotiatedNoMethod) {
  KeyframeRequester requester(Method::kNone, 500);
  EXPECT_FALSE(requester.Request(Reason::kConsumerJoined, 0));
  EXPECT_FALSE(requester.Poll(10000));
  EXPECT_EQ(requester.GetCounters().unsupported, 1u);
  requester.Reset(Method::kPli);  // a new source that can
  EXPECT_TRUE(requester.Request(Reason::kSourceSwitched, 10000));
}

TEST(KeyframeRequester, StartsAFreshWindow_WhenResetForANewSource) {
  KeyframeRequester requester(Method::kPli, 500);
  EXPECT_TRUE(requester.Request(Reason::kConsumerJoined, 0));
  requester.Request(Reason::kViewerPli, 10);
  requester.Reset(Method::kPli);
  EXPECT_FALSE(requester.Pending());
  EXPECT_TRUE(requester.Request(Reason::kSourceSwitched, 20));
}

}  // namespace
}  // namespace tributary::sfu
