#include "ConcurrentRequests.h"

#include <QUrl>

#include <arpa/inet.h>
#include <barrier>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace reelgate::test {
namespace {

HttpReply parseReply(const QByteArray& raw) {
    HttpReply reply;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return reply;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    reply.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.append(
                {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    reply.body = raw.mid(headEnd + 4);
    const QByteArray length = reply.header("Content-Length");
    if (!length.isEmpty())
        reply.body.truncate(length.toLongLong());
    return reply;
}

} // namespace

HttpReply sendRaw(const QString& baseUrl, const RawRequest& request, int timeoutMs) {
    const QUrl url(baseUrl);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return {};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(url.port()));
    ::inet_pton(AF_INET, url.host().toLatin1().constData(), &address.sin_addr);
    QByteArray raw;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        QByteArray text =
            request.verb + " " + request.path.toUtf8() +
            " HTTP/1.1\r\nHost: " + url.host().toLatin1() + ":" + QByteArray::number(url.port()) +
            "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(request.body.size()) +
            "\r\n";
        for (const auto& [name, value] : request.headers)
            text += name + ": " + value + "\r\n";
        text += "\r\n" + request.body;
        qsizetype sent = 0;
        while (sent < text.size()) {
            const ssize_t n = ::send(fd, text.constData() + sent, text.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += n;
        }
        char buffer[16384];
        pollfd wait{fd, POLLIN, 0};
        while (::poll(&wait, 1, timeoutMs) > 0) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            raw.append(buffer, n);
        }
    }
    ::close(fd);
    return parseReply(raw);
}

QList<HttpReply> sendConcurrently(const QString& baseUrl, int count,
                                  const std::function<RawRequest(int)>& makeRequest) {
    QList<RawRequest> requests;
    for (int i = 0; i < count; ++i)
        requests.append(makeRequest(i));
    QList<HttpReply> replies(count);
    std::barrier start(count);
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            replies[i] = sendRaw(baseUrl, requests[i]);
        });
    for (auto& thread : threads)
        thread.join();
    return replies;
}

} // namespace reelgate::test
