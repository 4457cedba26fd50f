// libFuzzer target: the tus headers. The input is split at NUL bytes into Upload-Length,
// Upload-Metadata and Upload-Checksum; each is read or refused with a 400 whose message is
// printable text; decoded metadata values are always text.
#include "http/ApiError.h"
#include "reelgate/core/Text.h"
#include "uploads/TusHeaders.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace reelgate;
using namespace reelgate::server;

namespace {

void refusedCleanly(const http::ApiError& e) {
    if (e.status() != 400 ||
        core::checkText(e.what(), {4096, false, false}) != core::TextProblem::None)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view parts[3];
    for (auto& part : parts) {
        const auto nul = input.find('\0');
        part = input.substr(0, nul);
        input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    }
    try {
        if (uploads::parseTusByteCount("Upload-Length", parts[0]) < 0)
            std::abort();
    } catch (const http::ApiError& e) {
        refusedCleanly(e);
    }
    try {
        for (const auto& [key, value] : uploads::parseTusMetadata(parts[1]))
            if (core::checkText(key) != core::TextProblem::None ||
                core::checkText(value) != core::TextProblem::None)
                std::abort();
    } catch (const http::ApiError& e) {
        refusedCleanly(e);
    }
    try {
        const auto checksum = uploads::parseTusChecksum(parts[2]);
        if (checksum.algorithm != uploads::ChecksumAlgorithm::None &&
            checksum.digest.size() != 20 && checksum.digest.size() != 32)
            std::abort();
    } catch (const http::ApiError& e) {
        refusedCleanly(e);
    }
    return 0;
}
