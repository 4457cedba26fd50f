#pragma once
// CSV for list exports (RFC 4180: comma separated, CRLF line ends, a cell with a comma, quote
// or line break is quoted and its quotes doubled). A cell that a spreadsheet would read as a
// formula (starting with = + - @, or a tab or carriage return) is prefixed with ' so opening
// an export never runs anything. Numbers are written as text the same way.

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::money {

std::string csvCell(const std::string& value);
std::string csvRow(const std::vector<std::string>& cells);
// One row per object of `rows`; columns are {header, key}. A money object becomes its
// "formatted" text, an object with "title" or "username" that field, null an empty cell.
std::string jsonToCsv(const nlohmann::json& rows,
                      const std::vector<std::pair<std::string, std::string>>& columns);

} // namespace reelgate::server::money
