// libFuzzer target: package validation. The input is a set of files ("\n==> name\n" before
// each one's content) written into a folder; validatePackage must refuse with a printable
// PackageInvalid or pass -- and a package that passes must load for playback. When the input
// starts with '!', manifest.json's sizes and hashes are fixed up first, so that mutated
// playlists reach the checks behind the hashes.
#include "playback/PlaybackPackage.h"
#include "reelgate/core/Sha256Stream.h"
#include "reelgate/core/Text.h"
#include "uploads/PackageValidator.h"
#include "uploads/TarReader.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace reelgate::server;

namespace {

void fixHashes(const fs::path& dir, const std::vector<std::string>& files) {
    std::ifstream in(dir / "manifest.json", std::ios::binary);
    nlohmann::json manifest = nlohmann::json::parse(in, nullptr, false);
    if (!manifest.is_object())
        return;
    nlohmann::json listed = nlohmann::json::object();
    for (const std::string& name : files) {
        if (name == "manifest.json")
            continue;
        listed[name] = {{"bytes", fs::file_size(dir / name)},
                        {"sha256", reelgate::core::Sha256Stream::fileHex((dir / name).string())}};
    }
    manifest["files"] = listed;
    std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc)
        << manifest.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fs::path dir =
        fs::temp_directory_path() / ("reelgate-fuzz-manifest-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> files;
    constexpr std::string_view kMark = "\n==> ";
    std::size_t pos = input.find(kMark);
    while (pos != std::string_view::npos && files.size() < 64) {
        const std::size_t nameStart = pos + kMark.size();
        const std::size_t nameEnd = input.find('\n', nameStart);
        if (nameEnd == std::string_view::npos)
            break;
        const std::string name(input.substr(nameStart, nameEnd - nameStart));
        const std::size_t next = input.find(kMark, nameEnd);
        const std::string_view content =
            input.substr(nameEnd + 1, next == std::string_view::npos ? std::string_view::npos
                                                                     : next - nameEnd - 1);
        pos = next;
        if (!uploads::isSafeRelativePath(name) || name.size() > 100)
            continue; // the tar reader never lets such a name through
        std::error_code ec;
        fs::create_directories((dir / name).parent_path(), ec);
        if (ec || fs::is_directory(dir / name))
            continue;
        std::ofstream(dir / name, std::ios::binary)
            .write(content.data(), static_cast<std::streamsize>(content.size()));
        files.push_back(name);
    }
    if (size > 0 && data[0] == '!')
        fixHashes(dir, files);
    try {
        uploads::validatePackage(dir, files);
        playback::PlaybackPackage::load(dir); // what passes ingest must play
    } catch (const uploads::PackageInvalid& e) {
        if (reelgate::core::checkText(e.what(), {4096, false, false}) !=
            reelgate::core::TextProblem::None)
            std::abort();
    }
    fs::remove_all(dir);
    return 0;
}
