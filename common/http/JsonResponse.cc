#include "http/JsonResponse.h"

namespace tributary::http {

net::HttpResponse JsonResponse(net::HttpStatus status, const nlohmann::json& body) {
  // Replace invalid UTF-8 rather than throw: config strings come from operators' files.
  return net::MakeResponse(
      status, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
      "application/json");
}

net::HttpResponse JsonError(net::HttpStatus status, std::string_view reason) {
  return net::MakeErrorResponse(status, reason);
}

}  // namespace tributary::http
