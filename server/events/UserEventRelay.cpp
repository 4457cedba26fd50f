#include "events/UserEventRelay.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>

namespace reelgate::server::events {
namespace {

constexpr std::size_t kMaxEventName = 32;

bool eventName(std::string_view name) {
    return !name.empty() && name.size() <= kMaxEventName &&
           std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

} // namespace

std::size_t UserEventRelay::deliver(std::string_view payload) noexcept {
    http::EventHub* hub = hub_.load();
    const auto first = payload.find(':');
    const auto second = first == std::string_view::npos ? first : payload.find(':', first + 1);
    if (hub == nullptr || second == std::string_view::npos)
        return 0;
    std::int64_t user = 0;
    const auto [end, error] = std::from_chars(payload.data(), payload.data() + first, user);
    const std::string_view event = payload.substr(first + 1, second - first - 1);
    const std::string_view data = payload.substr(second + 1);
    // One SSE data line: JSON from the database never spans lines, but nothing here trusts that.
    if (error != std::errc() || end != payload.data() + first || user <= 0 || !eventName(event) ||
        data.empty() || data.front() != '{' || data.find_first_of("\r\n") != std::string_view::npos)
        return 0;
    try {
        return hub->publish(user, event, data);
    } catch (const std::exception&) {
        return 0; // a stream that cannot take it is dropped by the hub; nothing to add here
    }
}

} // namespace reelgate::server::events
