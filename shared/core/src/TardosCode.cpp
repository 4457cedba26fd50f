#include "reelgate/core/TardosCode.h"

#include "reelgate/core/Crypto.h"
#include "reelgate/core/InvalidInput.h"

#include <cmath>
#include <numbers>

namespace reelgate::core {

TardosCode::TardosCode(std::string videoSeed)
    : videoSeed_(std::move(videoSeed)) {
    if (videoSeed_.empty()) {
        throw InvalidInput("a forensic video seed must not be empty");
    }
}

double TardosCode::uniform(std::string_view key, char tag, std::int64_t slot) {
    if (key.empty()) {
        throw InvalidInput("a forensic seed must not be empty");
    }
    if (slot < 0) {
        throw InvalidInput("forensic slot must not be negative");
    }
    std::string message(9, '\0');
    message[0] = tag;
    for (int i = 0; i < 8; ++i) {
        message[static_cast<std::size_t>(1 + i)] =
            static_cast<char>((static_cast<std::uint64_t>(slot) >> (56 - 8 * i)) & 0xFFu);
    }
    const std::string mac = hmacSha256(key, message);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
        bits = (bits << 8) | static_cast<unsigned char>(mac[static_cast<std::size_t>(i)]);
    }
    return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

double TardosCode::biasFromUniform(double u) {
    const double low = std::asin(std::sqrt(kCutoff));
    const double r = low + u * (std::numbers::pi / 2 - 2 * low);
    const double s = std::sin(r);
    return s * s;
}

double TardosCode::bias(std::int64_t slot) const {
    return biasFromUniform(uniform(videoSeed_, 'p', slot));
}

bool TardosCode::bitB(std::string_view sessionSeed, std::int64_t slot) const {
    return bitB(sessionSeed, slot, bias(slot));
}

bool TardosCode::bitB(std::string_view sessionSeed, std::int64_t slot, double bias) {
    return uniform(sessionSeed, 'x', slot) < bias;
}

} // namespace reelgate::core
