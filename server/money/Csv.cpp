#include "money/Csv.h"

namespace reelgate::server::money {

using nlohmann::json;

std::string csvCell(const std::string& value) {
    std::string text = value;
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                          text[0] == '\t' || text[0] == '\r'))
        text.insert(text.begin(), '\'');
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string csvRow(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i)
        line += (i ? "," : "") + csvCell(cells[i]);
    return line + "\r\n";
}

namespace {

std::string cellText(const json& v) {
    if (v.is_null())
        return "";
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object()) {
        for (const char* key : {"formatted", "title", "username", "id"})
            if (v.contains(key) && v[key].is_string())
                return v[key].get<std::string>();
        return v.dump();
    }
    return v.dump();
}

} // namespace

std::string jsonToCsv(const json& rows,
                      const std::vector<std::pair<std::string, std::string>>& columns) {
    std::vector<std::string> header;
    for (const auto& column : columns)
        header.push_back(column.first);
    std::string out = csvRow(header);
    for (const auto& row : rows) {
        std::vector<std::string> cells;
        for (const auto& column : columns)
            cells.push_back(cellText(row.value(column.second, json())));
        out += csvRow(cells);
    }
    return out;
}

} // namespace reelgate::server::money
