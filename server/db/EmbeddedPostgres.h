#pragma once
// The server's private PostgreSQL cluster: initdb into <dataDir>/pg on first start, then a
// `postgres` child listening only on a Unix socket in <dataDir>/run (no TCP port).
// start() recovers from a previous run that was killed (stale postmaster.pid, or a postgres
// still running for this data dir); stop() shuts it down fast and waits. When the server
// runs as root, PostgreSQL (which refuses root) runs as the `postgres` system user.
// Not thread-safe: start/stop from the main thread.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>

namespace reelgate::server::db {

class EmbeddedPostgresError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(std::filesystem::path dataDir);
    ~EmbeddedPostgres(); // stops the cluster if still running
    EmbeddedPostgres(const EmbeddedPostgres&) = delete;
    EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

    // Initializes (first run) and starts the cluster, waits until it accepts connections and
    // makes sure the `reelgate` database exists. Throws EmbeddedPostgresError.
    void start();
    void stop();

    // libpq connection string for the reelgate database over the Unix socket.
    std::string conninfo() const { return conninfoFor(dataDir_); }
    // The same for a cluster another process runs in `dataDir`.
    static std::string conninfoFor(const std::filesystem::path& dataDir);
    pid_t pid() const { return pid_; }
    const std::filesystem::path& clusterDir() const { return clusterDir_; }

    // Directory holding initdb/postgres: $REELGATE_PG_BINDIR, else the newest
    // /usr/lib/postgresql/<N>/bin, else the directory of `postgres` on PATH.
    static std::filesystem::path findBinDir();

private:
    void initCluster();
    void stopOrphan();
    void waitUntilReady();
    void ensureDatabase();
    std::string tailOfLog() const;

    std::filesystem::path dataDir_;
    std::filesystem::path clusterDir_;
    std::filesystem::path socketDir_;
    std::filesystem::path logFile_;
    std::filesystem::path binDir_;
    uid_t runUid_;
    gid_t runGid_;
    pid_t pid_ = -1;
};

} // namespace reelgate::server::db
