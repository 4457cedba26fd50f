// libFuzzer target: tar extraction (libarchive + our path rules) into a temporary folder.
// Nothing may be written outside it, only safe names may be returned, and every refusal is a
// TarError with a printable message.
#include "reelgate/core/Text.h"
#include "uploads/TarReader.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace reelgate::server::uploads;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fs::path base =
        fs::temp_directory_path() / ("reelgate-fuzz-tar-" + std::to_string(getpid()));
    const fs::path archive = base / "in.tar";
    const fs::path out = base / "out";
    fs::remove_all(base);
    fs::create_directories(out);
    std::ofstream(archive, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        for (const std::string& name : extractTar(archive, out, {64, 1 << 20}))
            if (!isSafeRelativePath(name) || !fs::is_regular_file(out / name))
                std::abort();
    } catch (const TarError& e) {
        if (reelgate::core::checkText(e.what(), {4096, false, false}) !=
            reelgate::core::TextProblem::None)
            std::abort();
    }
    // Only the archive and the output folder, nothing beside them.
    for (const auto& entry : fs::directory_iterator(base))
        if (entry.path() != archive && entry.path() != out)
            std::abort();
    fs::remove_all(base);
    return 0;
}
