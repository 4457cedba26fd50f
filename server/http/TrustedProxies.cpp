#include "http/TrustedProxies.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace reelgate::server::http {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// An address as 16 bytes (IPv4 as ::ffff:a.b.c.d) and whether it was IPv4.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> parseAddress(std::string_view text) {
    const std::string address(text);
    std::array<std::uint8_t, 16> bytes{};
    in_addr v4{};
    if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
        bytes[10] = bytes[11] = 0xff;
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&v4), 4, bytes.begin() + 12);
        return std::pair{bytes, true};
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&v6), 16, bytes.begin());
        return std::pair{bytes, false};
    }
    return std::nullopt;
}

bool prefixMatches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                   int prefix) {
    for (int i = 0; prefix > 0; ++i, prefix -= 8) {
        const int bits = std::min(prefix, 8);
        const std::uint8_t mask = static_cast<std::uint8_t>(0xff00 >> bits);
        if ((a[i] & mask) != (b[i] & mask))
            return false;
    }
    return true;
}

} // namespace

std::optional<TrustedProxies> TrustedProxies::parse(std::string_view list, std::string* error) {
    TrustedProxies proxies;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = std::min(list.find(',', start), list.size());
        const std::string_view entry = trim(list.substr(start, comma - start));
        start = comma + 1;
        if (entry.empty() || entry == "none")
            continue;
        if (entry == "loopback") {
            auto v4 = TrustedProxies::parse("127.0.0.0/8,::1", error);
            proxies.ranges_.insert(proxies.ranges_.end(), v4->ranges_.begin(), v4->ranges_.end());
            continue;
        }
        const auto slash = entry.find('/');
        const auto address = parseAddress(entry.substr(0, slash));
        if (!address) {
            if (error)
                *error = "'" + std::string(entry) + "' is not an IP address or CIDR range";
            return std::nullopt;
        }
        const int width = address->second ? 32 : 128;
        int prefix = width;
        if (slash != std::string_view::npos) {
            const std::string_view bits = entry.substr(slash + 1);
            const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
            if (ec != std::errc() || ptr != bits.data() + bits.size() || prefix < 0 ||
                prefix > width) {
                if (error)
                    *error = "'" + std::string(entry) + "' has a prefix length outside 0-" +
                             std::to_string(width);
                return std::nullopt;
            }
        }
        proxies.ranges_.push_back({address->first, address->second ? prefix + 96 : prefix});
    }
    return proxies;
}

bool TrustedProxies::trusts(std::string_view address) const {
    const auto parsed = parseAddress(address);
    if (!parsed)
        return false;
    return std::any_of(ranges_.begin(), ranges_.end(), [&](const Range& range) {
        return prefixMatches(parsed->first, range.bytes, range.prefix);
    });
}

std::string TrustedProxies::clientAddress(const std::string& peer,
                                          const std::vector<std::string>& forwardedFor) const {
    if (forwardedFor.empty() || !trusts(peer))
        return peer;
    std::vector<std::string_view> hops;
    for (const std::string& header : forwardedFor) {
        std::size_t start = 0;
        while (start <= header.size()) {
            const auto comma = std::min(header.find(',', start), header.size());
            hops.push_back(trim(std::string_view(header).substr(start, comma - start)));
            start = comma + 1;
        }
    }
    std::string client = peer;
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
        if (!parseAddress(*hop))
            break;
        client = std::string(*hop);
        if (!trusts(client))
            break;
    }
    return client;
}

} // namespace reelgate::server::http
