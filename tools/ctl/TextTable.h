#pragma once

// A plain text table for a terminal: a header row, then rows, each column as wide as its
// widest cell, two spaces between columns, numbers right-aligned. Used by tributary-ctl.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tributary::ctl {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

  void AddRow(std::vector<std::string> cells);
  size_t Rows() const { return rows_.size(); }
  void Print(std::ostream& out) const;

  // A JSON value as a cell: "-" for null or missing, integers as they are, other numbers with
  // at most two decimals, yes/no, compact JSON for arrays and objects.
  static std::string Cell(const nlohmann::json& value);
  // Bits per second as "850 kb/s", "1.25 Mb/s".
  static std::string Bitrate(const nlohmann::json& bps);

 private:
  static bool Numeric(const std::string& cell);

  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tributary::ctl
