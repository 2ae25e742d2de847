// docs/metrics.md is the catalogue of every family common/metrics/Metrics registers: these tests
// fail when the two disagree, and when a family breaks the naming conventions.

#include <gtest/gtest.h>

#include <prometheus/metric_family.h>

#include "MetricsCatalogue.h"
#include "metrics/Metrics.h"

namespace tributary::metrics {
namespace {

using testing::CatalogueEntry;

std::string TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Histogram:
      return "histogram";
    case prometheus::MetricType::Untyped:
      break;
  }
  return "untyped";
}

struct RegisteredFamily {
  std::string type;
  std::set<std::string> labels;
  size_t series = 0;
};

// Every family of a node's registry, with a vhost loaded so that the vhost-labelled families
// have series to read their label names from.
std::map<std::string, RegisteredFamily> Registered() {
  Metrics metrics("1.2.3", "origin");
  metrics.AddVhost("demo");
  std::map<std::string, RegisteredFamily> families;
  for (const auto& family : metrics.Registry().Collect()) {
    RegisteredFamily& out = families[family.name];
    out.type = TypeName(family.type);
    out.series = family.metric.size();
    for (const auto& series : family.metric) {
      for (const auto& label : series.label)
        out.labels.insert(label.name);
    }
  }
  return families;
}

std::map<std::string, CatalogueEntry> Catalogue() {
  const std::string text = testing::ReadFile(testing::CataloguePath());
  EXPECT_FALSE(text.empty()) << "cannot read " << testing::CataloguePath();
  std::vector<std::string> errors;
  auto entries = testing::ParseCatalogue(text, errors);
  for (const auto& error : errors)
    ADD_FAILURE() << error;
  return entries;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(MetricsCatalogue, ListsEveryRegisteredFamily_WithItsTypeAndLabels) {
  const auto catalogue = Catalogue();
  const auto registered = Registered();
  ASSERT_GE(registered.size(), 20u);
  for (const auto& [name, family] : registered) {
    const auto found = catalogue.find(name);
    if (found == catalogue.end()) {
      ADD_FAILURE() << name << " (" << family.type << ", labels " << Join(family.labels)
                    << ") is registered in common/metrics/Metrics.cc but has no row in "
                       "docs/metrics.md's catalogue: add one";
      continue;
    }
    EXPECT_EQ(found->second.type, family.type)
        << name << ": docs/metrics.md:" << found->second.line << " says " << found->second.type;
    EXPECT_EQ(Join(found->second.labels), Join(family.labels))
        << name << ": docs/metrics.md:" << found->second.line << " lists other labels";
  }
}

TEST(MetricsCatalogue, ListsOnlyRegisteredFamilies) {
  const auto registered = Registered();
  for (const auto& [name, entry] : Catalogue()) {
    EXPECT_TRUE(registered.count(name)) << "docs/metrics.md:" << entry.line << " lists " << name
                                        << ", which common/metrics/Metrics.cc does not register";
  }
}

TEST(MetricsCatalogue, EveryFamilyFollowsTheNamingConventions) {
  const std::set<std::string> allowed_labels = {"vhost", "kind", "direction", "reason",
                                                "state", "code", "version",   "role"};
  for (const auto& [name, family] : Registered()) {
    EXPECT_TRUE(name.rfind("tributary_", 0) == 0 || name.rfind("process_", 0) == 0) << name;
    EXPECT_GT(family.series, 0u) << name << " has no series: create its zero series at start "
                                 << "(or in AddVhost) so that dashboards see it";
    if (family.type == "counter") {
      EXPECT_TRUE(EndsWith(name, "_total")) << name << ": a counter ends in _total";
    } else {
      EXPECT_FALSE(EndsWith(name, "_total")) << name << ": only counters end in _total";
    }
    if (family.type == "histogram") {
      EXPECT_TRUE(EndsWith(name, "_seconds") || EndsWith(name, "_bytes"))
          << name << ": a histogram is in a base unit";
    }
    for (const auto& label : family.labels) {
      EXPECT_TRUE(allowed_labels.count(label))
          << name << " has label '" << label
          << "': labels have bounded values (never one per stream or client)";
    }
  }
}

TEST(MetricsCatalogue, ParserReportsMalformedRows) {
  std::vector<std::string> errors;
  const auto entries = testing::ParseCatalogue(
      "## Catalogue\n"
      "| Name | Type | Labels | Meaning |\n"
      "| `a_total` | counter | `vhost`, `kind` | fine |\n"
      "| `b` | gauge | vhost | labels not in backticks |\n"
      "| `c` | gauge | – |\n"
      "| `a_total` | counter | – | twice |\n"
      "## Other\n"
      "| `d` | gauge | – | not in the catalogue section |\n",
      errors);
  EXPECT_EQ(entries.size(), 2u);
  ASSERT_EQ(entries.count("a_total"), 1u);
  EXPECT_EQ(Join(entries.at("a_total").labels), "kind, vhost");
  EXPECT_EQ(entries.count("d"), 0u);
  EXPECT_EQ(errors.size(), 3u);
}

TEST(Metrics, ObservesSessionTimings_InTheirBuckets) {
  Metrics metrics("1.2.3", "edge");
  metrics.ObserveSessionSetup(Metrics::SessionKind::kPublish, 0.07);
  metrics.ObserveSessionSetup(Metrics::SessionKind::kPublish, 3);
  metrics.ObserveFirstMedia(Metrics::SessionKind::kPlay, 0.4);
  const std::string text = metrics.Serialize();
  auto has = [&text](const std::string& line) { return text.find(line) != std::string::npos; };
  EXPECT_TRUE(has("tributary_session_setup_seconds_count{kind=\"publish\"} 2")) << text;
  EXPECT_TRUE(has("tributary_session_setup_seconds_bucket{kind=\"publish\",le=\"0.05\"} 0"));
  EXPECT_TRUE(has("tributary_session_setup_seconds_bucket{kind=\"publish\",le=\"0.1\"} 1"));
  EXPECT_TRUE(has("tributary_session_setup_seconds_bucket{kind=\"publish\",le=\"5\"} 2"));
  EXPECT_TRUE(has("tributary_session_setup_seconds_count{kind=\"play\"} 0"));
  EXPECT_TRUE(has("tributary_first_media_seconds_bucket{kind=\"play\",le=\"0.5\"} 1"));
  EXPECT_TRUE(has("tributary_first_media_seconds_bucket{kind=\"play\",le=\"0.25\"} 0"));
  EXPECT_TRUE(has("tributary_first_media_seconds_sum{kind=\"play\"} 0.4"));
}

}  // namespace
}  // namespace tributary::metrics
