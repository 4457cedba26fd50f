#pragma once
// Internal: a video reduced to what the forensic detector compares: per frame, its time and a
// small grid of mean luma values (area averages, float, 0..255 scale). The mark is a pattern of
// at most 3 cycles across the picture, so a grid of ~96 cells across keeps all of it while
// averaging away compression noise and most of the picture detail.
// Thread: any; no shared state.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace reelgate::media {

struct LumaGrid {
    int widthCells = 0;
    int heightCells = 0;
    std::size_t size() const {
        return static_cast<std::size_t>(widthCells) * static_cast<std::size_t>(heightCells);
    }
};

struct LumaFrame {
    double seconds = 0; // presentation time in the file's own clock
    std::vector<float> cells;
};

struct LumaSequence {
    LumaGrid grid;
    int sourceWidthPx = 0;
    int sourceHeightPx = 0;
    std::vector<LumaFrame> frames; // display order
};

// Grid for a picture of the given aspect, with longSideCells cells along its longer side.
LumaGrid gridForAspect(int widthPx, int heightPx, int longSideCells);

// Decodes the first video stream. grid.widthCells == 0 picks gridForAspect(longSideCells).
// maxFrames < 0 reads all. Throws MediaError for unreadable input.
LumaSequence readLumaFile(const std::filesystem::path& path, LumaGrid grid, int longSideCells,
                          int maxFrames = -1);
// Streams the first video stream: visit(frame) for each frame in display order, nothing kept
// (memory stays flat however long the file). Returns grid and source size; frames stays empty.
using LumaVisitor = std::function<void(LumaFrame&, LumaGrid)>;
LumaSequence scanLumaFile(const std::filesystem::path& path, LumaGrid grid, int longSideCells,
                          const LumaVisitor& visit);
// Same as readLumaFile, from a file's bytes held in memory (e.g. a decrypted segment).
LumaSequence readLumaBuffer(const std::string& bytes, LumaGrid grid, int longSideCells,
                            int maxFrames = -1);

} // namespace reelgate::media
