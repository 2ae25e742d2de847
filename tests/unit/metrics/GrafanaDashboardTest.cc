// tools/grafana/tributary.json uses only metric families of the catalogue (docs/metrics.md), and
// covers all of them; its data source is a variable.

#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "MetricsCatalogue.h"

namespace tributary::metrics {
namespace {

std::string DashboardPath() {
  return std::string(TRIBUTARY_SOURCE_DIR) + "/tools/grafana/tributary.json";
}

nlohmann::json Dashboard() {
  const std::string text = testing::ReadFile(DashboardPath());
  EXPECT_FALSE(text.empty()) << "cannot read " << DashboardPath();
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// Every "expr" string anywhere in the document, with the title of the panel that holds it.
void CollectExpressions(const nlohmann::json& node, const std::string& panel,
                        std::vector<std::pair<std::string, std::string>>& out) {
  if (node.is_object()) {
    const std::string title = node.contains("title") && node["title"].is_string()
                                  ? node["title"].get<std::string>()
                                  : panel;
    for (const auto& [key, value] : node.items()) {
      if (key == "expr" && value.is_string()) {
        out.emplace_back(title, value.get<std::string>());
      } else {
        CollectExpressions(value, title, out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node)
      CollectExpressions(item, panel, out);
  }
}

// The family a sample name belongs to: histogram samples end in _bucket, _sum or _count.
std::string FamilyOf(const std::string& sample,
                     const std::map<std::string, testing::CatalogueEntry>& catalogue) {
  if (catalogue.count(sample)) return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string stem = sample.substr(0, sample.size() - s.size());
      const auto found = catalogue.find(stem);
      if (found != catalogue.end() && found->second.type == "histogram") return stem;
    }
  }
  return {};
}

std::map<std::string, testing::CatalogueEntry> Catalogue() {
  std::vector<std::string> errors;
  auto catalogue = testing::ParseCatalogue(testing::ReadFile(testing::CataloguePath()), errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  return catalogue;
}

TEST(GrafanaDashboard, UsesOnlyCatalogueFamilies_AndCoversEveryOne) {
  const auto dashboard = Dashboard();
  ASSERT_TRUE(dashboard.is_object()) << DashboardPath() << " is not valid JSON";
  const auto catalogue = Catalogue();
  ASSERT_FALSE(catalogue.empty());

  std::vector<std::pair<std::string, std::string>> expressions;
  CollectExpressions(dashboard, "", expressions);
  ASSERT_GE(expressions.size(), 20u);

  const std::regex metric_name(R"(\b(tributary_[a-z0-9_]+|process_[a-z0-9_]+)\b)");
  std::set<std::string> used;
  for (const auto& [panel, expr] : expressions) {
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), metric_name);
         it != std::sregex_iterator(); ++it) {
      const std::string sample = (*it)[1].str();
      const std::string family = FamilyOf(sample, catalogue);
      EXPECT_FALSE(family.empty()) << "panel '" << panel << "' uses " << sample
                                   << ", which docs/metrics.md does not list: " << expr;
      if (!family.empty()) used.insert(family);
    }
  }
  for (const auto& [name, entry] : catalogue) {
    EXPECT_TRUE(used.count(name)) << name << " (docs/metrics.md:" << entry.line
                                  << ") has no panel in " << DashboardPath();
  }
}

TEST(GrafanaDashboard, TakesItsDataSourceFromAVariable) {
  const auto dashboard = Dashboard();
  ASSERT_TRUE(dashboard.is_object());
  bool has_variable = false;
  for (const auto& variable : dashboard["templating"]["list"]) {
    if (variable.value("type", "") == "datasource" && variable.value("name", "") == "datasource" &&
        variable.value("query", "") == "prometheus") {
      has_variable = true;
    }
  }
  EXPECT_TRUE(has_variable) << "templating.list needs {type: datasource, name: datasource}";
  for (const auto& panel : dashboard["panels"]) {
    if (panel.value("type", "") == "row") continue;
    const std::string title = panel.value("title", "?");
    EXPECT_EQ(panel["datasource"].value("uid", ""), "${datasource}") << title;
    for (const auto& target : panel["targets"])
      EXPECT_EQ(target["datasource"].value("uid", ""), "${datasource}") << title;
  }
}

TEST(GrafanaDashboard, HasARowPerNodeRole) {
  const auto dashboard = Dashboard();
  ASSERT_TRUE(dashboard.is_object());
  std::set<std::string> rows;
  std::set<int> ids;
  for (const auto& panel : dashboard["panels"]) {
    if (panel.value("type", "") == "row") rows.insert(panel.value("title", ""));
    EXPECT_TRUE(ids.insert(panel.value("id", -1)).second) << "duplicate panel id " << panel["id"];
  }
  EXPECT_TRUE(rows.count("Origins"));
  EXPECT_TRUE(rows.count("Edges"));
}

}  // namespace
}  // namespace tributary::metrics
