// The layer rule of docs/conventions.md, checked on every include of every source file:
//   base <- {config, metrics} <- net <- rtc <- sfu <- http <- cluster <- {origin, edge}

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Rank of each layer; a file may include layers of lower rank and its own. config and metrics
// share a rank but may not include each other (checked separately).
const std::map<std::string, int> kRank = {
    {"base", 0}, {"config", 1}, {"metrics", 1}, {"net", 2},    {"rtc", 3},
    {"sfu", 4},  {"http", 5},   {"cluster", 6}, {"origin", 7}, {"edge", 7},
};

std::string LayerOfPath(const fs::path& root, const fs::path& file) {
  const fs::path rel = fs::relative(file, root);
  auto it = rel.begin();
  if (*it == "common") ++it;
  return it->string();
}

// The quoted path of an `#include "..."` line, or "" for any other line.
std::string QuotedInclude(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '#') return "";
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string::npos || line.compare(i, 7, "include") != 0) return "";
  const size_t open = line.find('"', i + 7);
  if (open == std::string::npos) return "";
  const size_t close = line.find('"', open + 1);
  if (close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

std::string LayerOfInclude(const std::string& include) {
  const auto slash = include.find('/');
  if (slash == std::string::npos) return "";
  return include.substr(0, slash);
}

TEST(Layering, EveryIncludeRespectsTheLayerRule_WhenScanningTheTree) {
  const fs::path root = TRIBUTARY_SOURCE_DIR;
  std::vector<std::string> violations;
  size_t files = 0;
  for (const char* top : {"common", "origin", "edge"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const auto ext = entry.path().extension();
      if (ext != ".h" && ext != ".cc") continue;
      ++files;
      const std::string from = LayerOfPath(root, entry.path());
      ASSERT_TRUE(kRank.count(from)) << "unknown layer for " << entry.path();
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        const std::string to = LayerOfInclude(QuotedInclude(line));
        if (!kRank.count(to)) continue;  // not one of ours
        const bool same_rank_other_layer = kRank.at(to) == kRank.at(from) && to != from;
        if (kRank.at(to) > kRank.at(from) || same_rank_other_layer) {
          violations.push_back(fs::relative(entry.path(), root).string() + ":" +
                               std::to_string(number) + ": " + from + " includes " + to);
        }
      }
    }
  }
  EXPECT_GT(files, 0u);
  for (const auto& v : violations)
    ADD_FAILURE() << v;
}

}  // namespace
