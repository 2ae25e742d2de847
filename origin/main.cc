#include <memory>

#include "http/NodeMain.h"
#include "origin/OriginNode.h"

int main(int argc, char** argv) {
  using tributary::http::NodeRunner;
  return tributary::http::NodeMain(
      tributary::config::NodeRole::kOrigin, argc, argv,
      [](NodeRunner& runner) { return std::make_unique<tributary::origin::OriginNode>(runner); });
}
