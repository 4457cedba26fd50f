#include "mail/SmtpRelay.h"

#include "common/Log.h"
#include "db/DbError.h"
#include "mail/Outbox.h"
#include "reelgate/core/Crypto.h"

#include <curl/curl.h>

#include <chrono>
#include <ctime>
#include <memory>

namespace reelgate::server::mail {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
    std::string data;
    std::size_t offset = 0;
};

std::size_t readPayload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    upload->data.copy(buffer, n, upload->offset);
    upload->offset += n;
    return n;
}

// The bare address inside "Name <addr>" (or the whole text).
std::string bareAddress(const std::string& mailbox) {
    const auto open = mailbox.find('<');
    const auto close = mailbox.find('>', open);
    if (open == std::string::npos || close == std::string::npos)
        return mailbox;
    return mailbox.substr(open + 1, close - open - 1);
}

std::string rfc5322Date() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

std::string withCrlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += "\r\n";
        else if (c != '\r')
            out += c;
    }
    return out;
}

} // namespace

SmtpRelay::SmtpRelay(db::PgPool& pool, SmtpSettings settings)
    : pool_(pool)
    , settings_(std::move(settings)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    thread_ = std::thread([this] { run(); });
}

SmtpRelay::~SmtpRelay() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeUp_.notify_all();
    thread_.join();
}

void SmtpRelay::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wakeUp_.notify_all();
}

void SmtpRelay::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            sendPending();
        } catch (const std::exception& e) {
            Log::warn(std::string("mail relay: ") + e.what());
        }
        lock.lock();
        wakeUp_.wait_for(lock, std::chrono::seconds(3), [this] { return stopping_ || woken_; });
        woken_ = false;
    }
}

void SmtpRelay::sendPending() {
    for (int sent = 0; sent < kBatch; ++sent) {
        // Claim one entry in one statement, then talk SMTP with no transaction open and no
        // pooled connection held. The claim outlasts one send (connect + transfer timeouts).
        std::string id, to, subject, body;
        {
            auto conn = pool_.acquire();
            auto rows = conn->exec(
                "UPDATE mail_outbox SET claimed_until = now() + interval '3 minutes' "
                "WHERE id = (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < $1"
                " AND (claimed_until IS NULL OR claimed_until < now())"
                " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                " RETURNING id, to_address, subject, body",
                {std::to_string(kMaxAttempts)});
            if (rows.rows() == 0)
                return;
            id = rows.text(0, 0);
            to = rows.text(0, 1);
            subject = rows.text(0, 2);
            body = rows.text(0, 3);
        }
        const std::string error = send(to, subject, body, id);
        auto conn = pool_.acquire();
        if (error.empty()) {
            conn->exec("UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1,"
                       " last_error = NULL, claimed_until = NULL WHERE id = $1",
                       {id});
            Log::info("mail " + id + " sent to " + Outbox::maskAddress(to));
        } else {
            conn->exec("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,"
                       " claimed_until = NULL WHERE id = $1",
                       {id, error});
            Log::warn("mail " + id + " to " + Outbox::maskAddress(to) + " not sent: " + error);
            return; // the relay is likely down: try again on the next round
        }
    }
}

std::string SmtpRelay::send(const std::string& to, const std::string& subject,
                            const std::string& body, const std::string& messageId) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return "cannot initialise libcurl";
    const std::string fromAddress = bareAddress(settings_.from);
    const std::string domain = fromAddress.substr(fromAddress.find('@') + 1);
    Upload upload;
    upload.data = withCrlf("From: " + settings_.from + "\nTo: " + to + "\nSubject: " + subject +
                           "\nDate: " + rfc5322Date() + "\nMessage-ID: <reelgate." + messageId +
                           "." + core::toHex(core::randomBytes(8)) + "@" + domain +
                           ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                           "Content-Transfer-Encoding: 8bit\n\n" +
                           body);
    std::unique_ptr<curl_slist, SlistDeleter> recipients(curl_slist_append(nullptr, to.c_str()));
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + fromAddress + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readPayload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    // With credentials, TLS is required: a relay (or a man in the middle) that does not offer
    // STARTTLS fails the send instead of receiving the password in clear.
    const bool credentials = !settings_.user.empty();
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!settings_.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings_.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_USE_SSL_FAILED)
        return "the mail server offers no TLS (STARTTLS); the SMTP password is never sent in "
               "clear";
    return rc == CURLE_OK ? std::string() : curl_easy_strerror(rc);
}

} // namespace reelgate::server::mail
