#pragma once
// Sends queued mail (mail_outbox) through an SMTP server with libcurl, on its own thread:
// every 3 seconds, or at once after wake(). smtps:// is TLS from the start; smtp:// upgrades
// with STARTTLS, which is REQUIRED when credentials are set (the password never travels in
// clear) and tried otherwise. Entries are claimed one at a time for a few minutes (SKIP LOCKED,
// so several instances can share the outbox); no transaction or pooled connection is held
// while talking SMTP.
// A message is tried up to kMaxAttempts times; the log names the entry, never its body.

#include "db/PgPool.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace reelgate::server::mail {

struct SmtpSettings {
    std::string url;      // smtp://host:587 or smtps://host:465
    std::string user;     // empty = no authentication
    std::string password; // from REELGATE_SMTP_PASSWORD only (never a flag: ps shows flags)
    std::string from;     // "Reelgate <no-reply@example.com>"
};

class SmtpRelay {
public:
    static constexpr int kMaxAttempts = 8;
    static constexpr int kBatch = 20; // entries per round

    SmtpRelay(db::PgPool& pool, SmtpSettings settings);
    ~SmtpRelay(); // stops the thread
    SmtpRelay(const SmtpRelay&) = delete;
    SmtpRelay& operator=(const SmtpRelay&) = delete;

    void wake();

private:
    void run();
    void sendPending();
    // Empty on success, else the reason.
    std::string send(const std::string& to, const std::string& subject, const std::string& body,
                     const std::string& messageId);

    db::PgPool& pool_;
    SmtpSettings settings_;
    std::mutex mutex_;
    std::condition_variable wakeUp_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
};

} // namespace reelgate::server::mail
