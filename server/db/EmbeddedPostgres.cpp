#include "db/EmbeddedPostgres.h"

#include "common/Log.h"
#include "db/DbError.h"
#include "db/PgConnection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace reelgate::server::db {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPort = "5432"; // only names the socket file; no TCP port is opened
constexpr const char* kSuperuser = "reelgate";
constexpr const char* kDatabase = "reelgate";

std::string quoteConnValue(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool processAlive(pid_t pid) {
    return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

// Waits for a child (or any process, when it is not our child) to exit.
bool waitForExit(pid_t pid, bool ourChild, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (ourChild) {
            int status = 0;
            const pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid || (r < 0 && errno == ECHILD))
                return true;
        } else if (!processAlive(pid)) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

struct RunAs {
    uid_t uid;
    gid_t gid;
    bool dropPrivileges;
};

// fork + exec with stdout/stderr into logFd. Between fork and exec only async-signal-safe
// calls. The child gets its own process group (Ctrl+C reaches the server, which then stops
// PostgreSQL in order) and dies with the server if the server is killed.
pid_t spawn(const std::vector<std::string>& args, int logFd, const RunAs& runAs, int deathSignal) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t parent = getpid();

    const pid_t pid = fork();
    if (pid != 0)
        return pid;

    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (runAs.dropPrivileges) {
        if (setgroups(0, nullptr) != 0 || setgid(runAs.gid) != 0 || setuid(runAs.uid) != 0)
            _exit(126);
    }
    prctl(PR_SET_PDEATHSIG, deathSignal);
    if (getppid() != parent)
        _exit(1);
    const int devNull = open("/dev/null", O_RDONLY);
    if (devNull >= 0)
        dup2(devNull, STDIN_FILENO);
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
}

int versionOf(const fs::path& dir) {
    try {
        return std::stoi(dir.filename().string());
    } catch (...) {
        return -1;
    }
}

} // namespace

fs::path EmbeddedPostgres::findBinDir() {
    if (const char* env = std::getenv("REELGATE_PG_BINDIR"); env && *env)
        return env;
    std::error_code ec;
    fs::path best;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        if (fs::exists(entry.path() / "bin/postgres") &&
            (best.empty() || versionOf(entry.path()) > versionOf(best.parent_path())))
            best = entry.path() / "bin";
    }
    if (!best.empty())
        return best;
    if (const char* path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');) {
            if (!dir.empty() && access((fs::path(dir) / "postgres").c_str(), X_OK) == 0 &&
                access((fs::path(dir) / "initdb").c_str(), X_OK) == 0)
                return dir;
        }
    }
    throw EmbeddedPostgresError("PostgreSQL server programs (initdb, postgres) not found: install "
                                "the 'postgresql' package, set REELGATE_PG_BINDIR, or pass "
                                "--database-url to use an existing server");
}

EmbeddedPostgres::EmbeddedPostgres(fs::path dataDir)
    : dataDir_(std::move(dataDir))
    , clusterDir_(dataDir_ / "pg")
    , socketDir_(dataDir_ / "run")
    , logFile_(dataDir_ / "log" / "postgres.log")
    , runUid_(geteuid())
    , runGid_(getegid()) {}

EmbeddedPostgres::~EmbeddedPostgres() {
    try {
        stop();
    } catch (...) {
    }
}

std::string EmbeddedPostgres::conninfoFor(const fs::path& dataDir) {
    return "host=" + quoteConnValue((dataDir / "run").string()) + " port=" + kPort +
           " user=" + kSuperuser + " dbname=" + kDatabase;
}

std::string EmbeddedPostgres::tailOfLog() const {
    std::string text = readFile(logFile_);
    std::vector<std::string> lines;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    std::string out;
    for (std::size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i)
        out += "\n    " + lines[i];
    return out;
}

void EmbeddedPostgres::start() {
    std::lock_guard lock(mutex_);
    startLocked();
}

bool EmbeddedPostgres::restartIfExited() {
    std::lock_guard lock(mutex_);
    if (pid_ > 0) {
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == 0 || (r < 0 && errno != ECHILD))
            return false;
        Log::warn("embedded PostgreSQL (pid " + std::to_string(pid_) +
                  ") exited unexpectedly; starting it again (crash recovery)");
        crashedGroup_ = pid_; // the postmaster leads its own process group (spawn)
        pid_ = -1;
    }
    if (crashedGroup_ <= 0)
        return false; // stopped on purpose, or never started
    // Its backends notice the postmaster's death and exit; until they have, the old shared
    // memory is in use and a new postmaster must not start.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (kill(-crashedGroup_, 0) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    startLocked(); // throws when it cannot: the next failed connection attempt tries again
    crashedGroup_ = -1;
    Log::info("embedded PostgreSQL is back");
    return true;
}

void EmbeddedPostgres::startLocked() {
    if (pid_ > 0)
        return;
    binDir_ = findBinDir();

    const std::string socketPath = (socketDir_ / (std::string(".s.PGSQL.") + kPort)).string();
    if (socketPath.size() >= sizeof(sockaddr_un{}.sun_path))
        throw EmbeddedPostgresError("the data directory path '" + dataDir_.string() +
                                    "' is too long for PostgreSQL's Unix socket (" +
                                    std::to_string(socketPath.size()) +
                                    " characters); choose a shorter --data-dir");

    std::error_code ec;
    fs::create_directories(socketDir_, ec);
    fs::create_directories(logFile_.parent_path(), ec);
    if (ec)
        throw EmbeddedPostgresError("cannot create '" + socketDir_.string() + "': " + ec.message());

    if (geteuid() == 0) {
        // PostgreSQL refuses to run as root: hand the cluster to the postgres system user.
        const passwd* pw = getpwnam("postgres");
        if (!pw)
            throw EmbeddedPostgresError("running as root, the embedded PostgreSQL needs the "
                                        "'postgres' system user (install the 'postgresql' "
                                        "package) or run reelgate-server as a normal user");
        runUid_ = pw->pw_uid;
        runGid_ = pw->pw_gid;
        // The postgres user must be able to reach its directories.
        for (fs::path dir = dataDir_; !dir.empty() && dir != dir.root_path();
             dir = dir.parent_path()) {
            struct stat st {};
            if (stat(dir.c_str(), &st) != 0)
                break;
            const bool reachable = (st.st_mode & S_IXOTH) ||
                                   (st.st_uid == runUid_ && (st.st_mode & S_IXUSR)) ||
                                   (st.st_gid == runGid_ && (st.st_mode & S_IXGRP));
            if (reachable)
                continue;
            if (dir == dataDir_ && st.st_uid == 0) {
                chmod(dir.c_str(), (st.st_mode & 07777) | S_IXOTH);
                continue;
            }
            throw EmbeddedPostgresError(
                "running as root, the embedded PostgreSQL runs as user 'postgres', which "
                "cannot enter '" +
                dir.string() +
                "'; choose a --data-dir outside it (the root "
                "default is /var/lib/reelgate) or run as a normal user");
        }
        if (chown(socketDir_.c_str(), runUid_, runGid_) != 0)
            throw EmbeddedPostgresError("cannot hand '" + socketDir_.string() +
                                        "' to user postgres: " + std::strerror(errno));
    }
    chmod(socketDir_.c_str(), 0700);

    initCluster();
    stopOrphan();

    const int logFd = open(logFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd < 0)
        throw EmbeddedPostgresError("cannot write '" + logFile_.string() +
                                    "': " + std::strerror(errno));
    const std::vector<std::string> args = {(binDir_ / "postgres").string(),
                                           "-D",
                                           clusterDir_.string(),
                                           "-k",
                                           socketDir_.string(),
                                           "-p",
                                           kPort,
                                           "-c",
                                           "listen_addresses=",
                                           "-c",
                                           "unix_socket_permissions=0700",
                                           "-c",
                                           "max_connections=60"};
    pid_ = spawn(args, logFd, {runUid_, runGid_, geteuid() == 0}, SIGINT);
    close(logFd);
    if (pid_ < 0)
        throw EmbeddedPostgresError(std::string("cannot start postgres: ") + std::strerror(errno));
    Log::info("embedded PostgreSQL starting (pid " + std::to_string(pid_) + ", cluster " +
              clusterDir_.string() + ")");
    waitUntilReady();
    ensureDatabase();
}

void EmbeddedPostgres::initCluster() {
    if (fs::exists(clusterDir_ / "PG_VERSION"))
        return;
    std::error_code ec;
    if (fs::exists(clusterDir_) && !fs::is_empty(clusterDir_, ec))
        throw EmbeddedPostgresError("'" + clusterDir_.string() +
                                    "' exists but is not a PostgreSQL cluster; move it away");
    // initdb into a scratch directory and rename it when complete, so a run killed during
    // initdb leaves nothing that looks like a cluster.
    const fs::path scratch = dataDir_ / "pg.initdb-tmp";
    fs::remove_all(scratch, ec);
    fs::remove(clusterDir_, ec);
    fs::create_directories(scratch, ec);
    if (ec)
        throw EmbeddedPostgresError("cannot create '" + scratch.string() + "': " + ec.message());
    if (geteuid() == 0 && chown(scratch.c_str(), runUid_, runGid_) != 0)
        throw EmbeddedPostgresError("cannot hand '" + scratch.string() +
                                    "' to user postgres: " + std::strerror(errno));
    chmod(scratch.c_str(), 0700);

    Log::info("initializing the embedded PostgreSQL cluster in " + clusterDir_.string());
    const int logFd = open(logFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd < 0)
        throw EmbeddedPostgresError("cannot write '" + logFile_.string() +
                                    "': " + std::strerror(errno));
    const std::vector<std::string> args = {(binDir_ / "initdb").string(),
                                           "-D",
                                           scratch.string(),
                                           "-U",
                                           kSuperuser,
                                           "-E",
                                           "UTF8",
                                           "--locale=C",
                                           "--auth-local=trust",
                                           "--auth-host=reject",
                                           "--no-instructions"};
    const pid_t pid = spawn(args, logFd, {runUid_, runGid_, geteuid() == 0}, SIGKILL);
    close(logFd);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        throw EmbeddedPostgresError("initdb failed; its output (" + logFile_.string() +
                                    "):" + tailOfLog());
    fs::rename(scratch, clusterDir_, ec);
    if (ec)
        throw EmbeddedPostgresError("cannot move the new cluster into place: " + ec.message());
}

void EmbeddedPostgres::stopOrphan() {
    const fs::path pidFile = clusterDir_ / "postmaster.pid";
    if (!fs::exists(pidFile))
        return;
    pid_t old = 0;
    std::ifstream(pidFile) >> old;
    std::string cmdline = readFile("/proc/" + std::to_string(old) + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    const bool ours = processAlive(old) && cmdline.find("postgres") != std::string::npos &&
                      cmdline.find(clusterDir_.string()) != std::string::npos;
    if (ours) {
        Log::warn("stopping a PostgreSQL left running by a previous run (pid " +
                  std::to_string(old) + ")");
        kill(old, SIGINT);
        if (!waitForExit(old, false, 30s)) {
            kill(old, SIGQUIT);
            waitForExit(old, false, 5s);
        }
    } else {
        Log::warn("removing a stale postmaster.pid left by a previous run");
    }
    std::error_code ec;
    if (!processAlive(old) || !ours)
        fs::remove(pidFile, ec);
}

void EmbeddedPostgres::waitUntilReady() {
    const std::string probe = "host=" + quoteConnValue(socketDir_.string()) + " port=" + kPort +
                              " user=" + kSuperuser + " dbname=postgres connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (PQping(probe.c_str()) == PQPING_OK)
            return;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw EmbeddedPostgresError("PostgreSQL exited during start; its log (" +
                                        logFile_.string() + "):" + tailOfLog());
        }
        std::this_thread::sleep_for(25ms);
    }
    stopLocked();
    throw EmbeddedPostgresError("PostgreSQL did not accept connections within 120 s; its log (" +
                                logFile_.string() + "):" + tailOfLog());
}

void EmbeddedPostgres::ensureDatabase() {
    try {
        PgConnection admin("host=" + quoteConnValue(socketDir_.string()) + " port=" + kPort +
                           " user=" + kSuperuser + " dbname=postgres");
        if (admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {kDatabase}).rows() == 0)
            admin.exec("CREATE DATABASE reelgate ENCODING 'UTF8' TEMPLATE template0");
    } catch (const DbError& e) {
        throw EmbeddedPostgresError(std::string("cannot prepare the reelgate database: ") +
                                    e.what());
    }
}

void EmbeddedPostgres::stop() {
    std::lock_guard lock(mutex_);
    crashedGroup_ = -1; // stopped on purpose: no restart after this
    stopLocked();
}

void EmbeddedPostgres::stopLocked() {
    if (pid_ <= 0)
        return;
    // SIGINT = "fast" shutdown: disconnect clients, checkpoint, exit.
    kill(pid_, SIGINT);
    if (!waitForExit(pid_, true, 60s)) {
        Log::warn("PostgreSQL did not stop in 60 s; forcing an immediate shutdown");
        kill(pid_, SIGQUIT);
        if (!waitForExit(pid_, true, 10s)) {
            kill(pid_, SIGKILL);
            waitForExit(pid_, true, 5s);
        }
    }
    Log::info("embedded PostgreSQL stopped");
    pid_ = -1;
}

} // namespace reelgate::server::db
