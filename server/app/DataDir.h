#pragma once
// The server's data directory: created if missing, checked writable, and locked so that two
// servers never share it (the lock is released automatically when the process dies).

#include <filesystem>
#include <stdexcept>

namespace reelgate::server {

class DataDirError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Another live reelgate-server holds the directory.
class DataDirInUse : public DataDirError {
public:
    using DataDirError::DataDirError;
};

class DataDir {
public:
    // Throws DataDirError with a clear message.
    explicit DataDir(std::filesystem::path path);
    ~DataDir();
    DataDir(const DataDir&) = delete;
    DataDir& operator=(const DataDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    int lockFd_ = -1;
};

} // namespace reelgate::server
