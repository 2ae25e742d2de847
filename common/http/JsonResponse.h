#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "net/HttpMessage.h"

namespace tributary::http {

// A response whose body is `body` as JSON (application/json, a trailing newline).
net::HttpResponse JsonResponse(net::HttpStatus status, const nlohmann::json& body);
// {"error": reason}: the shape of every error response.
net::HttpResponse JsonError(net::HttpStatus status, std::string_view reason);

}  // namespace tributary::http
