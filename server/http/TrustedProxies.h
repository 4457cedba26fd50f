#pragma once
// Which peers may tell us the client's address (X-Forwarded-For), and what that address is.
// Behind nginx every connection comes from the proxy, so rate limits per address and the
// address kept with a playback session would all be the proxy's. A request whose peer is a
// trusted proxy is attributed to the right-most X-Forwarded-For entry that is not itself a
// trusted proxy (what nginx's real_ip_recursive does); from any other peer the header is ignored,
// so clients cannot choose their own address.
// List syntax: comma-separated IPv4/IPv6 addresses or CIDR ranges, "loopback" (127.0.0.0/8 and
// ::1) or "none".

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::server::http {

class TrustedProxies {
public:
    // nullopt (with a reason in *error) when an entry is not an address or range.
    static std::optional<TrustedProxies> parse(std::string_view list, std::string* error);

    bool trusts(std::string_view address) const;
    bool empty() const { return ranges_.empty(); }

    // The client's address for a request from `peer` carrying these X-Forwarded-For values (in
    // header order). Malformed entries end the walk: the last trusted hop is then the answer.
    std::string clientAddress(const std::string& peer,
                              const std::vector<std::string>& forwardedFor) const;

private:
    struct Range {
        std::array<std::uint8_t, 16> bytes{}; // IPv4 kept as IPv4-mapped IPv6
        int prefix = 128;
    };
    std::vector<Range> ranges_;
};

} // namespace reelgate::server::http
