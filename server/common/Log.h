#pragma once
// Leveled, line-oriented logging to stderr. Thread-safe: each call writes one whole line.
// Never pass secrets (passwords, tokens, cookies, query strings) to these functions.

#include <optional>
#include <string>
#include <string_view>

namespace reelgate::server {

enum class LogLevel { Invalid = 0, Error, Warn, Info, Debug };

std::optional<LogLevel> parseLogLevel(std::string_view text);
std::string_view logLevelName(LogLevel level);

class Log {
public:
    static void setLevel(LogLevel level);
    static bool enabled(LogLevel level);

    static void error(std::string_view message) { write(LogLevel::Error, message); }
    static void warn(std::string_view message) { write(LogLevel::Warn, message); }
    static void info(std::string_view message) { write(LogLevel::Info, message); }
    static void debug(std::string_view message) { write(LogLevel::Debug, message); }
    static void write(LogLevel level, std::string_view message);
};

} // namespace reelgate::server
