#pragma once

// The HTTP message types shared by the server, the client and the routes above them.

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace tributary::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using HttpStatus = boost::beast::http::status;
using HttpMethod = boost::beast::http::verb;

// A response with a JSON body {"error": reason}: every error this project sends looks like it.
HttpResponse MakeErrorResponse(HttpStatus status, std::string_view reason);
// A response with the given body and Content-Type.
HttpResponse MakeResponse(HttpStatus status, std::string body, std::string_view content_type);

}  // namespace tributary::net
