#include "net/HttpExchange.h"

#include <boost/asio/dispatch.hpp>

namespace tributary::net {

HttpExchange::HttpExchange(HttpRequest request, Url target, Origin origin, uint64_t sequence,
                           std::shared_ptr<ResponseSink> sink,
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
    sink->Deliver(sequence, std::move(response));
  });
}

HttpExchange::State::~State() {
  if (responded.load() || !sink || !executor) return;
  // Only on the io thread: elsewhere (or while the io_context is being torn down) the
  // connection cannot be touched safely, and it is going away anyway.
  if (!executor->running_in_this_thread()) return;
  sink->Deliver(sequence, MakeErrorResponse(HttpStatus::internal_server_error,
                                            "the request was dropped without an answer"));
}

}  // namespace tributary::net
