#pragma once
// Text that arrives from outside (HTTP bodies, headers, query strings, tar entry names, files)
// is checked here before anything else sees it: strict UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF), no control characters, and a length counted in characters (code
// points), not bytes. printable() makes any bytes safe to put into a message, a log line or JSON.
// Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace reelgate::core {

enum class TextProblem {
    None = 1, // zero is never a valid value (see STYLE.md)
    InvalidUtf8,
    ControlCharacter,
    Empty,
    TooLong,
};

struct TextRules {
    std::size_t maxChars = 1024;
    bool allowEmpty = true;
    bool allowNewlines = false; // \n, \r and \t, for multi-line fields such as descriptions
};

bool isValidUtf8(std::string_view bytes);
// Code points in valid UTF-8; for invalid input, the count of bytes.
std::size_t utf8Length(std::string_view bytes);
// True for C0 controls (U+0000-U+001F), DEL and C1 controls (U+0080-U+009F), and the
// line/paragraph separators and bidi overrides that let a text pretend to be something else.
bool isControlCodePoint(char32_t cp);

TextProblem checkText(std::string_view bytes, const TextRules& rules = {});
// "is not valid UTF-8", "contains a control character", ... for "'<field>' <reason>." messages.
std::string describe(TextProblem problem, const TextRules& rules);

// A copy that is valid UTF-8 without control characters: invalid bytes and controls become
// \xNN escapes; cut to maxChars characters with an ellipsis.
std::string printable(std::string_view bytes, std::size_t maxChars = 120);

} // namespace reelgate::core
