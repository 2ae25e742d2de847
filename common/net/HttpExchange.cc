#include "net/HttpExchange.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace tributary::net {

HttpExchange::HttpExchange(HttpRequest request, Url target, Origin origin, uint64_t sequence,
                           std::weak_ptr<ResponseSink> sink,
                           boost::asio::io_context::executor_type executor)
    : state_(std::make_shared<State>()) {
  state_->request = std::move(request);
  state_->target = std::move(target);
  state_->origin = std::move(origin);
  state_->sequence = sequence;
  state_->sink = std::move(sink);
  state_->executor = std::move(executor);
}

void HttpExchange::Respond(HttpResponse response) const {
  if (state_->responded.exchange(true)) return;
  boost::asio::dispatch(*state_->executor, [sink = state_->sink, sequence = state_->sequence,
                                            response = std::move(response)]() mutable {
    if (auto connection = sink.lock()) connection->Deliver(sequence, std::move(response));
  });
}

HttpExchange::State::~State() {
  if (responded.load() || !executor) return;
  auto answer = [sink = std::move(sink), sequence = sequence] {
    if (auto connection = sink.lock()) {
      connection->Deliver(sequence, MakeErrorResponse(HttpStatus::internal_server_error,
                                                      "the request was dropped without an answer"));
    }
  };
  if (executor->running_in_this_thread()) {
    answer();
  } else if (!executor->context().stopped()) {
    // Dropped on another thread: the connection is the io thread's to touch. (A stopped
    // context is being torn down: nothing may be posted to it, and the connection goes too.)
    boost::asio::post(*executor, std::move(answer));
  }
}

}  // namespace tributary::net
