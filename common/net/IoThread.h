#pragma once

#include <optional>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace tributary::net {

// One thread running one io_context. Everything the context runs is owned by this thread.
// Start() launches the thread; Stop() (or the destructor) stops the context and joins; handlers
// still queued then are not run (they are destroyed with the context), so objects living on the
// thread are stopped first. Both are called from the owning (non-io) thread. A handler that
// throws is logged and the thread goes on.
class IoThread {
 public:
  explicit IoThread(std::string name);
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  void Start();
  void Stop();

  boost::asio::io_context& Context() { return io_; }
  bool Running() const { return thread_.joinable(); }
  // True when called from a handler this thread is running.
  bool InThread() { return io_.get_executor().running_in_this_thread(); }
  const std::string& Name() const { return name_; }

 private:
  std::string name_;
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace tributary::net
