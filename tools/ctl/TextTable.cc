#include "TextTable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tributary::ctl {

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

bool TextTable::Numeric(const std::string& cell) {
  if (cell.empty()) return false;
  char* end = nullptr;
  std::strtod(cell.c_str(), &end);
  return end != nullptr && (*end == '\0' || *end == ' ' || *end == '%');
}

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size());
  std::vector<bool> numeric(header_.size(), true);
  for (size_t c = 0; c < header_.size(); ++c) {
    widths[c] = header_[c].size();
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], row[c].size());
      if (row[c] != "-" && !Numeric(row[c])) numeric[c] = false;
    }
  }
  auto print_row = [&](const std::vector<std::string>& row, bool header) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const size_t pad = widths[c] - row[c].size();
      if (c > 0) line += "  ";
      if (numeric[c] && !header) {
        line += std::string(pad, ' ') + row[c];
      } else {
        line += row[c];
        if (c + 1 < row.size()) line += std::string(pad, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out << line << '\n';
  };
  print_row(header_, true);
  for (const auto& row : rows_)
    print_row(row, false);
}

std::string TextTable::Cell(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    return text.empty() ? "-" : text;
  }
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number_float()) {
    char buf[64];
    const double number = value.get<double>();
    if (number == std::floor(number) && std::fabs(number) < 1e15) {
      std::snprintf(buf, sizeof(buf), "%.0f", number);
    } else {
      std::snprintf(buf, sizeof(buf), "%.2f", number);
    }
    return buf;
  }
  return value.dump();
}

std::string TextTable::Bitrate(const nlohmann::json& bps) {
  if (!bps.is_number()) return "-";
  const double value = bps.get<double>();
  char buf[64];
  if (value >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.2f Mb/s", value / 1e6);
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f kb/s", value / 1e3);
  }
  return buf;
}

}  // namespace tributary::ctl
