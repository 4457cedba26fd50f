#include "db/PgConnection.h"

#include "db/DbError.h"

namespace reelgate::server::db {
namespace {

std::string trimmed(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

std::vector<const char*> parameterValues(const std::vector<SqlParam>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        if (p && p->find('\0') != std::string::npos)
            throw DbError("query refused: a parameter holds a NUL byte", "22021");
        values.push_back(p ? p->c_str() : nullptr);
    }
    return values;
}

} // namespace

PgConnection::PgConnection(const std::string& conninfo) {
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {conninfo.c_str(), "5", "reelgate-server", nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_)
        throw DbUnavailable("out of memory creating a database connection");
    if (PQstatus(conn_.get()) != CONNECTION_OK)
        throw DbUnavailable("cannot connect to the database: " +
                            trimmed(PQerrorMessage(conn_.get())));
    // Keep notices (e.g. "relation already exists, skipping") out of stderr.
    PQsetNoticeProcessor(
        conn_.get(), [](void*, const char*) {}, nullptr);
}

PgResult PgConnection::check(PGresult* raw, const std::string& what) {
    PgResult result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = raw ? trimmed(PQresultErrorMessage(raw)) : "";
    if (message.empty())
        message = trimmed(PQerrorMessage(conn_.get()));
    if (PQstatus(conn_.get()) != CONNECTION_OK)
        throw DbUnavailable(what + ": " + message, state ? state : "");
    throw DbError(what + ": " + message, state ? state : "");
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<SqlParam>& params) {
    const auto values = parameterValues(params);
    return check(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 "query failed");
}

const std::string& PgConnection::preparedName(const std::string& sql) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        // Prepared statements outlive transactions (a rollback keeps them): name it once done.
        const std::string name = "rg" + std::to_string(prepared_.size() + 1);
        check(PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr), "prepare failed");
        it = prepared_.emplace(sql, name).first;
    }
    return it->second;
}

PgResult PgConnection::execPrepared(const std::string& sql, const std::vector<SqlParam>& params) {
    const auto values = parameterValues(params);
    const std::string& name = preparedName(sql);
    return check(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(values.size()),
                                values.data(), nullptr, nullptr, 0),
                 "query failed");
}

std::vector<PgResult> PgConnection::execPipeline(const std::vector<Statement>& statements) {
    // Everything that can be refused is, before anything is sent.
    std::vector<std::vector<const char*>> values;
    std::vector<const std::string*> names;
    for (const auto& statement : statements) {
        values.push_back(parameterValues(statement.params));
        names.push_back(&preparedName(statement.sql));
    }
    PGconn* conn = conn_.get();
    if (PQenterPipelineMode(conn) != 1) {
        check(nullptr, "pipeline failed"); // throws
        return {};
    }
    bool sent = true;
    for (std::size_t i = 0; i < statements.size() && sent; ++i)
        sent = PQsendQueryPrepared(conn, names[i]->c_str(), static_cast<int>(values[i].size()),
                                   values[i].data(), nullptr, nullptr, 0) == 1;
    sent = sent && PQpipelineSync(conn) == 1;
    // One result per statement sent, each followed by a null, then the sync's. Nothing left
    // to read (two nulls in a row: a connection that broke) counts as failed.
    std::vector<PGresult*> raw;
    bool synced = false;
    int nulls = 0;
    while (sent && !synced && nulls < 2 && PQstatus(conn) == CONNECTION_OK) {
        PGresult* result = PQgetResult(conn);
        nulls = result ? 0 : nulls + 1;
        if (!result)
            continue; // the end of one statement's results
        synced = PQresultStatus(result) == PGRES_PIPELINE_SYNC;
        if (synced || raw.size() >= statements.size())
            PQclear(result);
        else
            raw.push_back(result);
    }
    if (synced)
        PQexitPipelineMode(conn);
    // The first failure is the one to report (PGRES_PIPELINE_ABORTED follow it).
    std::vector<PgResult> results;
    PGresult* failed = nullptr;
    for (PGresult* result : raw) {
        const auto status = PQresultStatus(result);
        if (!failed && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            failed = result;
        else
            results.emplace_back(result);
    }
    if (failed || !synced || raw.size() != statements.size()) {
        results.clear();
        check(failed, "query failed"); // throws (a null: the connection broke)
    }
    return results;
}

void PgConnection::execScript(const std::string& sql) {
    check(PQexec(conn_.get(), sql.c_str()), "script failed");
}

bool PgConnection::isHealthy() const {
    return conn_ && PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE &&
           PQpipelineStatus(conn_.get()) == PQ_PIPELINE_OFF;
}

bool PgConnection::isAlive() {
    if (!isHealthy())
        return false;
    // A server that ended the session (restart, crash, idle timeout) left EOF or an error
    // message on the socket; consuming it turns the status to CONNECTION_BAD (twice: a
    // goodbye message may arrive in the same read as the end of the stream, or just before).
    for (int read = 0; read < 2; ++read)
        if (PQconsumeInput(conn_.get()) != 1 || PQstatus(conn_.get()) != CONNECTION_OK)
            return false;
    return true;
}

PgTransaction::PgTransaction(PgConnection& connection)
    : connection_(connection) {
    connection_.exec("BEGIN");
}

PgTransaction::PgTransaction(PgConnection& connection, const std::string& sql,
                             const std::vector<SqlParam>& params, PgResult& first,
                             bool genericPlans)
    : connection_(connection) {
    std::vector<PgConnection::Statement> opening{{"BEGIN"}};
    if (genericPlans)
        opening.push_back({"SET LOCAL plan_cache_mode = force_generic_plan"});
    opening.push_back({sql, params});
    try {
        first = std::move(connection_.execPipeline(opening).back());
    } catch (...) {
        rollback();
        throw;
    }
}

PgTransaction::~PgTransaction() {
    if (!done_)
        rollback();
}

void PgTransaction::rollback() noexcept {
    try {
        connection_.exec("ROLLBACK");
    } catch (const DbError&) {
        // The connection is broken; the pool drops it because it is not idle.
    }
}

void PgTransaction::commit() {
    connection_.exec("COMMIT");
    done_ = true;
}

PgResult PgTransaction::commitWith(const std::string& sql, const std::vector<SqlParam>& params) {
    auto results = connection_.execPipeline({{sql, params}, {"COMMIT"}});
    done_ = true;
    return std::move(results[0]);
}

} // namespace reelgate::server::db
