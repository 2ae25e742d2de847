#include "cluster/ClusterClient.h"

namespace tributary::cluster {

ClusterClient::ClusterClient(boost::asio::io_context& io, const ClusterAuth& auth,
                             net::HttpClient::Options options)
    : auth_(auth), http_(io, std::move(options)) {}

void ClusterClient::Request(net::HttpClientRequest request, Callback callback) {
  auth_.SignRequest(request);
  http_.Request(std::move(request), std::move(callback));
}

void ClusterClient::Get(std::string url, std::chrono::milliseconds timeout, Callback callback) {
  net::HttpClientRequest request;
  request.method = net::HttpMethod::get;
  request.url = std::move(url);
  request.timeout = timeout;
  Request(std::move(request), std::move(callback));
}

void ClusterClient::PostJson(std::string url, const nlohmann::json& body,
                             std::chrono::milliseconds timeout, Callback callback) {
  net::HttpClientRequest request;
  request.method = net::HttpMethod::post;
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.timeout = timeout;
  Request(std::move(request), std::move(callback));
}

}  // namespace tributary::cluster
