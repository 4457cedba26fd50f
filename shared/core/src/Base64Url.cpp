#include <reelgate/core/Base64Url.h>

#include <array>
#include <cstdint>

namespace reelgate::core {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr auto kDecodeTable = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}();

} // namespace

std::string base64UrlEncode(std::string_view bytes) {
    std::string text;
    text.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    auto byteAt = [&](std::size_t index) -> std::uint32_t {
        return static_cast<unsigned char>(bytes[index]);
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t group = byteAt(i) << 16 | byteAt(i + 1) << 8 | byteAt(i + 2);
        text += kAlphabet[group >> 18 & 0x3f];
        text += kAlphabet[group >> 12 & 0x3f];
        text += kAlphabet[group >> 6 & 0x3f];
        text += kAlphabet[group & 0x3f];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t group = byteAt(i) << 16;
        text += kAlphabet[group >> 18 & 0x3f];
        text += kAlphabet[group >> 12 & 0x3f];
    } else if (rest == 2) {
        const std::uint32_t group = byteAt(i) << 16 | byteAt(i + 1) << 8;
        text += kAlphabet[group >> 18 & 0x3f];
        text += kAlphabet[group >> 12 & 0x3f];
        text += kAlphabet[group >> 6 & 0x3f];
    }
    return text;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
    // Optional padding: if present it must complete the last group of four exactly.
    std::size_t padding = 0;
    while (padding < text.size() && text[text.size() - 1 - padding] == '=') {
        ++padding;
    }
    const std::string_view body = text.substr(0, text.size() - padding);
    const std::size_t tail = body.size() % 4; // characters in the last, partial group
    if (tail == 1) {
        return std::nullopt; // 6 bits cannot encode a byte: no encoder produces this length
    }
    if (padding != 0 && (tail == 0 || tail + padding != 4)) {
        return std::nullopt;
    }

    std::string bytes;
    bytes.reserve(body.size() * 3 / 4);
    std::uint32_t bits = 0;
    int bitCount = 0;
    for (const char c : body) {
        const std::int8_t value = kDecodeTable[static_cast<unsigned char>(c)];
        if (value < 0) {
            return std::nullopt;
        }
        bits = (bits << 6 | static_cast<std::uint32_t>(value)) & 0xffffff;
        bitCount += 6;
        if (bitCount >= 8) {
            bitCount -= 8;
            bytes += static_cast<char>(bits >> bitCount & 0xff);
        }
    }
    // The 2 or 4 bits left over after the last byte must be zero, otherwise several spellings
    // would decode to the same bytes.
    if ((bits & ((1U << bitCount) - 1)) != 0) {
        return std::nullopt;
    }
    return bytes;
}

} // namespace reelgate::core
