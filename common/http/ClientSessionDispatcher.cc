#include "http/ClientSessionDispatcher.h"

#include <utility>

namespace tributary::http {

void ClientSessionDispatcher::Register(const std::string& id, Handler handler) {
  std::lock_guard lock(mutex_);
  handlers_[id] = std::move(handler);
}

void ClientSessionDispatcher::Unregister(const std::string& id, bool session_exists) {
  std::lock_guard lock(mutex_);
  if (session_exists) {
    const auto it = handlers_.find(id);
    if (it != handlers_.end()) it->second = nullptr;
  } else {
    handlers_.erase(id);
  }
}

size_t ClientSessionDispatcher::RegisteredCount() const {
  std::lock_guard lock(mutex_);
  return handlers_.size();
}

void ClientSessionDispatcher::OnSessionConnected(sfu::MediaWorker& worker, sfu::Session& session) {
  Handler handler;
  bool ours = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = handlers_.find(session.Id());
    if (it != handlers_.end()) {
      ours = true;
      handler = it->second;
    }
  }
  if (handler) {
    handler(Event::kConnected, session);
  } else if (!ours && next_ != nullptr) {
    next_->OnSessionConnected(worker, session);
  }
}

void ClientSessionDispatcher::OnSessionClosed(sfu::MediaWorker& worker, sfu::Session& session) {
  Handler handler;
  bool ours = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = handlers_.find(session.Id());
    if (it != handlers_.end()) {
      ours = true;
      handler = std::move(it->second);
      handlers_.erase(it);
    }
  }
  if (handler) {
    handler(Event::kClosed, session);
  } else if (!ours && next_ != nullptr) {
    next_->OnSessionClosed(worker, session);
  }
}

}  // namespace tributary::http
