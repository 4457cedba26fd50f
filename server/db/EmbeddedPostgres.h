#pragma once
// The server's private PostgreSQL cluster: initdb into <dataDir>/pg on first start, then a
// `postgres` child listening only on a Unix socket in <dataDir>/run (no TCP port).
// start() recovers from a previous run that was killed (stale postmaster.pid, or a postgres
// still running for this data dir); stop() shuts it down fast and waits. When the server
// runs as root, PostgreSQL (which refuses root) runs as the `postgres` system user.
// start/stop from the main thread; restartIfExited() from any thread (serialised with them).

#include <filesystem>
#include <mutex>
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
    // When the postgres child has died (killed, crashed): waits until every process of its
    // process group is gone (so its shared memory is free), starts it again (PostgreSQL runs
    // crash recovery) and returns true. False when it is running, or stopped on purpose.
    // Throws EmbeddedPostgresError when it cannot be started again; the next call tries again.
    bool restartIfExited();

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
    void startLocked();
    void stopLocked();
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
    pid_t crashedGroup_ = -1; // a postmaster that died and has not been restarted yet
    std::mutex mutex_;
};

} // namespace reelgate::server::db
