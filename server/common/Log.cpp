#include "common/Log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace reelgate::server {
namespace {

std::atomic<LogLevel> gLevel{LogLevel::Info};
std::mutex gWriteMutex;

std::string utcTimestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t seconds = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

} // namespace

std::optional<LogLevel> parseLogLevel(std::string_view text) {
    if (text == "error")
        return LogLevel::Error;
    if (text == "warn" || text == "warning")
        return LogLevel::Warn;
    if (text == "info")
        return LogLevel::Info;
    if (text == "debug")
        return LogLevel::Debug;
    return std::nullopt;
}

std::string_view logLevelName(LogLevel level) {
    switch (level) {
    case LogLevel::Error:
        return "ERROR";
    case LogLevel::Warn:
        return "WARN";
    case LogLevel::Info:
        return "INFO";
    case LogLevel::Debug:
        return "DEBUG";
    case LogLevel::Invalid:
        break;
    }
    return "?";
}

void Log::setLevel(LogLevel level) {
    gLevel.store(level);
}

bool Log::enabled(LogLevel level) {
    return static_cast<int>(level) <= static_cast<int>(gLevel.load());
}

void Log::write(LogLevel level, std::string_view message) {
    if (!enabled(level))
        return;
    std::string line = utcTimestamp();
    line += ' ';
    line += logLevelName(level);
    line.append(6 - logLevelName(level).size(), ' ');
    line += message;
    line += '\n';
    std::lock_guard lock(gWriteMutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

} // namespace reelgate::server
