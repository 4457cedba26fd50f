#include "uploads/TusHeaders.h"

#include "http/ApiError.h"
#include "reelgate/core/Base64Url.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::uploads {
namespace {

using http::ApiError;

constexpr std::size_t kMaxMetadataBytes = 4096;
constexpr std::size_t kMaxValueChars = 1024;

bool printableAscii(std::string_view text) {
    for (const char c : text)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

// Standard base64 (tus uses '+' and '/'), padded or not.
std::optional<std::string> base64Decode(std::string_view text) {
    std::string url(text);
    for (char& c : url) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
        else if (c == '-' || c == '_')
            return std::nullopt;
    }
    return core::base64UrlDecode(url);
}

} // namespace

std::int64_t parseTusByteCount(std::string_view header, std::string_view value) {
    std::int64_t number = 0;
    bool ok = !value.empty() && value.size() <= 18;
    for (const char c : value) {
        ok = ok && c >= '0' && c <= '9';
        number = ok ? number * 10 + (c - '0') : 0;
    }
    if (!ok)
        throw ApiError::badRequest(std::string(header) + " must be a number of bytes.");
    return number;
}

std::map<std::string, std::string> parseTusMetadata(std::string_view value) {
    if (value.size() > kMaxMetadataBytes)
        throw ApiError::badRequest("Upload-Metadata is too long.");
    if (!printableAscii(value))
        throw ApiError::badRequest(
            "Upload-Metadata must be printable ASCII: keys and base64 values.");
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < value.size()) {
        auto end = value.find(',', pos);
        if (end == std::string_view::npos)
            end = value.size();
        std::string_view pair = value.substr(pos, end - pos);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const auto space = pair.find(' ');
        const std::string key(pair.substr(0, space));
        if (key.empty() || key.size() > 64 ||
            key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-") != std::string::npos)
            throw ApiError::badRequest("Upload-Metadata keys are letters, digits, '.', '_' and "
                                       "'-' (at most 64).");
        std::string decoded;
        if (space != std::string_view::npos) {
            auto bytes = base64Decode(pair.substr(space + 1));
            if (!bytes)
                throw ApiError::badRequest("Upload-Metadata value of '" + key + "' is not base64.");
            const core::TextRules rules{kMaxValueChars, true, false};
            if (const auto problem = core::checkText(*bytes, rules);
                problem != core::TextProblem::None)
                throw ApiError::badRequest("Upload-Metadata value of '" + key + "' " +
                                           core::describe(problem, rules) + ".");
            decoded = std::move(*bytes);
        }
        if (!out.emplace(key, std::move(decoded)).second)
            throw ApiError::badRequest("Upload-Metadata names '" + key + "' twice.");
        pos = end + 1;
    }
    return out;
}

TusChecksum parseTusChecksum(std::string_view value) {
    TusChecksum checksum;
    if (value.empty())
        return checksum;
    const ApiError malformed = ApiError::badRequest(
        "Upload-Checksum must be '<algorithm> <base64 digest>' with sha1 or sha256.");
    if (!printableAscii(value) || value.size() > 256)
        throw malformed;
    const auto space = value.find(' ');
    const std::string_view name = value.substr(0, space);
    std::size_t digestBytes = 0;
    if (name == "sha1") {
        checksum.algorithm = ChecksumAlgorithm::Sha1;
        digestBytes = 20;
    } else if (name == "sha256") {
        checksum.algorithm = ChecksumAlgorithm::Sha256;
        digestBytes = 32;
    } else {
        throw ApiError::badRequest("Upload-Checksum algorithm is not supported (sha1, sha256).");
    }
    auto digest =
        space == std::string_view::npos ? std::nullopt : base64Decode(value.substr(space + 1));
    if (!digest || digest->size() != digestBytes)
        throw malformed;
    checksum.digest = std::move(*digest);
    return checksum;
}

} // namespace reelgate::server::uploads
