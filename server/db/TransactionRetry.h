#pragma once
// Retrying a transaction PostgreSQL aborted to resolve a conflict: a serialization failure
// (SQLSTATE 40001) or a deadlock (40P01). `work` must run a whole transaction (PgTransaction
// inside it, committed at its end), so a retry starts from a clean slate; any other error, and
// the last failure, reach the caller. Taking row locks in one global order keeps deadlocks
// rare; this makes the rest invisible to users.

#include "db/DbError.h"

#include <chrono>
#include <thread>

namespace reelgate::server::db {

constexpr int kTransactionAttempts = 5;

inline bool isTransientConflict(const DbError& e) {
    return e.sqlState() == "40001" || e.sqlState() == "40P01";
}

template <class Work> auto retryTransientConflicts(Work&& work) -> decltype(work()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return work();
        } catch (const DbUnavailable&) {
            throw;
        } catch (const DbError& e) {
            if (!isTransientConflict(e) || attempt >= kTransactionAttempts)
                throw;
        }
        // A short, growing pause lets the transaction that won finish first.
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
    }
}

} // namespace reelgate::server::db
