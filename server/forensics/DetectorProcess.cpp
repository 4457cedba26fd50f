#include "forensics/DetectorProcess.h"

#include "common/ServiceError.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace reelgate::server::forensics {
namespace {

namespace fs = std::filesystem;

ServiceError failed(const std::string& why) {
    return ServiceError(ServiceError::Kind::Invalid, "trace_failed", why);
}

// The detector names files by their paths; answers name them by what they are, so the server's
// own paths (its upload area, its package folders) never reach a client.
std::string withoutPaths(std::string message, const fs::path& suspect, const fs::path& package) {
    const std::pair<std::string, const char*> names[] = {
        {suspect.string(), "the recording"},
        {suspect.filename().string(), "the recording"},
        {package.string(), "the video's package"}};
    for (const auto& [path, name] : names) {
        if (path.empty())
            continue;
        for (auto at = message.find(path); at != std::string::npos;
             at = message.find(path, at + std::strlen(name)))
            message.replace(at, path.size(), name);
    }
    return message;
}

// Closes a pipe end on scope exit.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

fs::path detectorBinary() {
    if (const char* env = std::getenv("REELGATE_ENCODE_BIN"); env && *env)
        return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path& candidate :
             {self.parent_path() / "reelgate-encode",
              self.parent_path().parent_path() / "shared/media/reelgate-encode"})
            if (::access(candidate.c_str(), X_OK) == 0)
                return candidate;
    }
    return "reelgate-encode";
}

nlohmann::json runDetector(const fs::path& suspect, const fs::path& packageDir,
                           const std::atomic<bool>* cancel) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        throw failed("cannot start the detector");
    Fd outRead{out[0]}, outWrite{out[1]};
    if (::pipe2(err, O_CLOEXEC) != 0)
        throw failed("cannot start the detector");
    Fd errRead{err[0]}, errWrite{err[1]};

    const std::string binary = detectorBinary().string();
    std::vector<std::string> args = {binary, "detect", suspect.string(), packageDir.string(),
                                     "--json"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    const int spawned =
        ::posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw failed("cannot run the detector (" + binary + ")");
    ::close(outWrite.fd);
    outWrite.fd = -1;
    ::close(errWrite.fd);
    errWrite.fd = -1;

    std::string stdoutText;
    std::string stderrText;
    bool killed = false;
    pollfd fds[2] = {{outRead.fd, POLLIN, 0}, {errRead.fd, POLLIN, 0}};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        if (cancel && *cancel && !killed) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
        if (::poll(fds, 2, 200) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                (i == 0 ? stdoutText : stderrText).append(buffer, static_cast<std::size_t>(got));
            } else {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (killed)
        throw failed("cancelled");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string message = stderrText;
        while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
            message.pop_back();
        if (const auto line = message.rfind('\n'); line != std::string::npos)
            message = message.substr(line + 1);
        if (message.rfind("reelgate-encode: ", 0) == 0)
            message = message.substr(17);
        throw failed(message.empty() ? "the detector failed"
                                     : withoutPaths(message, suspect, packageDir));
    }
    auto report = nlohmann::json::parse(stdoutText, nullptr, false);
    if (report.is_discarded() || !report.is_object() || !report.contains("slots"))
        throw failed("the detector gave no report");
    return report;
}

} // namespace reelgate::server::forensics
