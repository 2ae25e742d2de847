#include "net/IoThread.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace tributary::net {

IoThread::IoThread(std::string name) : name_(std::move(name)) {}

IoThread::~IoThread() {
  Stop();
}

void IoThread::Start() {
  if (thread_.joinable()) return;
  io_.restart();
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    // Linux limits thread names to 15 characters.
    pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        // A handler threw: log it and keep the thread serving the others.
        spdlog::error("io thread {}: unhandled exception: {}", name_, e.what());
      }
    }
  });
}

void IoThread::Stop() {
  if (!thread_.joinable()) return;
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace tributary::net
