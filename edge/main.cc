#include <memory>

#include "edge/EdgeNode.h"
#include "http/NodeMain.h"

int main(int argc, char** argv) {
  using tributary::http::NodeRunner;
  return tributary::http::NodeMain(
      tributary::config::NodeRole::kEdge, argc, argv,
      [](NodeRunner& runner) { return std::make_unique<tributary::edge::EdgeNode>(runner); });
}
