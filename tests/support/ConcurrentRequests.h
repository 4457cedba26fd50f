#pragma once
// Test support: many HTTP requests at the same moment, each on its own connection, for tests
// of races (pool exhaustion, deadlocks, rate limits). Blocking sockets on plain threads: no
// event loop, so it is safe from any thread. HTTP/1.1 with Connection: close.

#include "ServerProcess.h"

#include <functional>

namespace reelgate::test {

struct RawRequest {
    QByteArray verb = "GET";
    QString path;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // Content-Type etc. as needed
};

// One request to `baseUrl` (http://host:port); status 0 when there was no answer.
HttpReply sendRaw(const QString& baseUrl, const RawRequest& request, int timeoutMs = 60000);

// Builds request i with makeRequest(i) for i in 0..count-1, sends them all at once (the threads
// wait for each other before sending) and returns the replies in the same order.
QList<HttpReply> sendConcurrently(const QString& baseUrl, int count,
                                  const std::function<RawRequest(int)>& makeRequest);

} // namespace reelgate::test
