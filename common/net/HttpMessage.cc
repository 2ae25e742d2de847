#include "net/HttpMessage.h"

#include "base/Logging.h"

namespace tributary::net {

HttpResponse MakeErrorResponse(HttpStatus status, std::string_view reason) {
  return MakeResponse(status, "{\"error\":\"" + base::JsonEscape(std::string(reason)) + "\"}\n",
                      "application/json");
}

HttpResponse MakeResponse(HttpStatus status, std::string body, std::string_view content_type) {
  HttpResponse response{status, 11};
  response.set(boost::beast::http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace tributary::net
