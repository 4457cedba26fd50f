#include "reelgate/core/Text.h"

#include <cstdint>
#include <cstdio>

namespace reelgate::core {
namespace {

// Decodes one code point at bytes[i]; returns its length in bytes, 0 when the bytes there are
// not a well-formed UTF-8 sequence (RFC 3629: shortest form, no surrogates, at most U+10FFFF).
std::size_t decode(std::string_view bytes, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<std::uint8_t>(bytes[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > bytes.size())
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<std::uint8_t>(bytes[i + k]);
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

} // namespace

bool isValidUtf8(std::string_view bytes) {
    char32_t cp = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = decode(bytes, i, cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::size_t utf8Length(std::string_view bytes) {
    std::size_t count = 0;
    char32_t cp = 0;
    for (std::size_t i = 0; i < bytes.size(); ++count) {
        const std::size_t n = decode(bytes, i, cp);
        if (n == 0)
            return bytes.size();
        i += n;
    }
    return count;
}

bool isControlCodePoint(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

TextProblem checkText(std::string_view bytes, const TextRules& rules) {
    std::size_t chars = 0;
    char32_t cp = 0;
    for (std::size_t i = 0; i < bytes.size(); ++chars) {
        const std::size_t n = decode(bytes, i, cp);
        if (n == 0)
            return TextProblem::InvalidUtf8;
        const bool newline = cp == '\n' || cp == '\r' || cp == '\t';
        if (isControlCodePoint(cp) && !(rules.allowNewlines && newline))
            return TextProblem::ControlCharacter;
        i += n;
    }
    if (chars == 0 && !rules.allowEmpty)
        return TextProblem::Empty;
    if (chars > rules.maxChars)
        return TextProblem::TooLong;
    return TextProblem::None;
}

std::string describe(TextProblem problem, const TextRules& rules) {
    switch (problem) {
    case TextProblem::None:
        return "is fine";
    case TextProblem::InvalidUtf8:
        return "is not valid UTF-8 text";
    case TextProblem::ControlCharacter:
        return "contains a control character";
    case TextProblem::Empty:
        return "must not be empty";
    case TextProblem::TooLong:
        return "is too long (at most " + std::to_string(rules.maxChars) + " characters)";
    }
    return "is not acceptable";
}

std::string printable(std::string_view bytes, std::size_t maxChars) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t chars = 0;
    char32_t cp = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        if (chars == maxChars) {
            out += "\xE2\x80\xA6"; // …
            break;
        }
        const std::size_t n = decode(bytes, i, cp);
        if (n == 0 || isControlCodePoint(cp)) {
            const std::size_t escaped = n == 0 ? 1 : n;
            for (std::size_t k = 0; k < escaped; ++k) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X",
                              static_cast<unsigned>(static_cast<std::uint8_t>(bytes[i + k])));
                out += hex;
            }
            i += escaped;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
        ++chars;
    }
    return out;
}

} // namespace reelgate::core
