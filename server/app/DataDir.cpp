#include "app/DataDir.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace reelgate::server {

DataDir::DataDir(std::filesystem::path path)
    : path_(std::move(path)) {
    std::error_code ec;
    // A new data directory is private: it will hold the database and unpublished videos.
    if (std::filesystem::create_directories(path_, ec))
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    if (ec || !std::filesystem::is_directory(path_))
        throw DataDirError("cannot create data directory '" + path_.string() +
                           "': " + (ec ? ec.message() : "not a directory"));
    const auto lockPath = path_ / "reelgate.lock";
    lockFd_ = open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd_ < 0)
        throw DataDirError("data directory '" + path_.string() +
                           "' is not writable: " + std::strerror(errno));
    if (flock(lockFd_, LOCK_EX | LOCK_NB) != 0) {
        close(lockFd_);
        lockFd_ = -1;
        throw DataDirInUse("data directory '" + path_.string() +
                           "' is in use by another reelgate-server");
    }
    const std::string pid = std::to_string(getpid()) + "\n";
    if (ftruncate(lockFd_, 0) != 0 || write(lockFd_, pid.data(), pid.size()) < 0)
        throw DataDirError("data directory '" + path_.string() +
                           "' is not writable: " + std::strerror(errno));
}

DataDir::~DataDir() {
    if (lockFd_ >= 0)
        close(lockFd_);
}

} // namespace reelgate::server
