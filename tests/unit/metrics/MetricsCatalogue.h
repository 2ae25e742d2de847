#pragma once

// Reads the catalogue table of docs/metrics.md, for the tests that keep the code, the docs and
// the Grafana dashboard in step (MetricsCatalogueTest, GrafanaDashboardTest).

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::metrics::testing {

struct CatalogueEntry {
  std::string type;  // counter | gauge | histogram | summary
  std::set<std::string> labels;
  int line = 0;  // in docs/metrics.md, for messages
};

inline std::string CataloguePath() {
  return std::string(TRIBUTARY_SOURCE_DIR) + "/docs/metrics.md";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// Every `backticked` word of a cell.
inline std::vector<std::string> Backticked(std::string_view cell) {
  std::vector<std::string> words;
  for (;;) {
    const auto open = cell.find('`');
    if (open == std::string_view::npos) break;
    const auto close = cell.find('`', open + 1);
    if (close == std::string_view::npos) break;
    words.emplace_back(cell.substr(open + 1, close - open - 1));
    cell.remove_prefix(close + 1);
  }
  return words;
}

// The rows of the table under "## Catalogue": | `name` | type | `label`, `label` or – | meaning |.
// `errors` collects the rows that do not have that shape, and duplicates.
inline std::map<std::string, CatalogueEntry> ParseCatalogue(const std::string& markdown,
                                                            std::vector<std::string>& errors) {
  std::map<std::string, CatalogueEntry> entries;
  std::istringstream in(markdown);
  std::string line;
  int number = 0;
  bool in_section = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("## ", 0) == 0) {
      in_section = line == "## Catalogue";
      continue;
    }
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    std::vector<std::string_view> cells;
    std::string_view rest(line);
    rest.remove_prefix(1);
    for (;;) {
      const auto bar = rest.find('|');
      if (bar == std::string_view::npos) break;
      cells.push_back(Trim(rest.substr(0, bar)));
      rest.remove_prefix(bar + 1);
    }
    const std::string where = "docs/metrics.md:" + std::to_string(number);
    if (cells.size() != 4) {
      errors.push_back(where + ": expected 4 cells, found " + std::to_string(cells.size()));
      continue;
    }
    const auto names = Backticked(cells[0]);
    if (names.size() != 1) {
      errors.push_back(where + ": the first cell must be one `name`");
      continue;
    }
    CatalogueEntry entry;
    entry.type = std::string(cells[1]);
    entry.line = number;
    for (auto& label : Backticked(cells[2]))
      entry.labels.insert(std::move(label));
    if (entry.labels.empty() && cells[2] != "–" && cells[2] != "-") {
      errors.push_back(where + ": labels must be `a`, `b` or – (none)");
    }
    if (cells[3].empty()) errors.push_back(where + ": no meaning given for " + names[0]);
    if (!entries.emplace(names[0], std::move(entry)).second) {
      errors.push_back(where + ": " + names[0] + " is listed twice");
    }
  }
  return entries;
}

}  // namespace tributary::metrics::testing
