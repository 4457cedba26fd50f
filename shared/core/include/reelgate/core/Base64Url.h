#pragma once
// Base64Url: the URL- and filename-safe base64 alphabet of RFC 4648 section 5 ('-' and '_'
// instead of '+' and '/'), as used in tokens, session ids and JWT-like fields.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace reelgate::core {

// Encodes raw bytes without '=' padding: "\xfb\xff" -> "-_8".
std::string base64UrlEncode(std::string_view bytes);

// Decodes base64url text, with or without '=' padding. Returns std::nullopt for characters
// outside the alphabet (including '+', '/', whitespace), misplaced or wrong padding, a length
// no encoder can produce (4k+1 characters), or non-zero unused bits in the last character --
// so every byte string has exactly one accepted unpadded spelling.
std::optional<std::string> base64UrlDecode(std::string_view text);

} // namespace reelgate::core
