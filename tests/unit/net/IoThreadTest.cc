#include "net/IoThread.h"

#include <gtest/gtest.h>

#include <future>

#include <boost/asio/post.hpp>

namespace tributary::net {
namespace {

TEST(IoThread, RunsHandlersOnItsOwnThread_UntilStopped) {
  IoThread io("test-io");
  io.Start();
  EXPECT_TRUE(io.Running());
  EXPECT_FALSE(io.InThread());
  std::promise<std::pair<std::thread::id, bool>> seen;
  boost::asio::post(io.Context(), [&] {
    seen.set_value({std::this_thread::get_id(), io.InThread()});
  });
  const auto [id, in_thread] = seen.get_future().get();
  EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_TRUE(in_thread);
  io.Stop();
  EXPECT_FALSE(io.Running());
  io.Stop();  // twice is fine
}

TEST(IoThread, KeepsServing_WhenAHandlerThrows) {
  IoThread io("test-io");
  io.Start();
  boost::asio::post(io.Context(), [] { throw std::runtime_error("boom"); });
  std::promise<void> after;
  boost::asio::post(io.Context(), [&] { after.set_value(); });
  EXPECT_EQ(after.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST(IoThread, CanBeRestarted) {
  IoThread io("test-io");
  for (int i = 0; i < 2; ++i) {
    io.Start();
    std::promise<void> ran;
    boost::asio::post(io.Context(), [&] { ran.set_value(); });
    EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
    io.Stop();
  }
}

}  // namespace
}  // namespace tributary::net
