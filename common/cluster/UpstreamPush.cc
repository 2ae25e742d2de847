#include "cluster/UpstreamPush.h"

namespace tributary::cluster {

std::unique_ptr<http::MediaSessionClient> UpstreamPush::MakeClient(
    sfu::MediaWorker& worker, std::string url, http::MediaSessionClient::Options options) {
  return std::make_unique<http::WhipClient>(EnvIo(), EnvHttp(), worker, EnvDispatcher(),
                                            std::move(url), std::move(options));
}

}  // namespace tributary::cluster
