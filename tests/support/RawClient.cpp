#include "RawClient.h"

#include <QJsonDocument>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace reelgate::test {

RawClient::RawClient(const QString& baseUrl) {
    const QUrl url(baseUrl);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<quint16>(url.port()));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

RawClient::~RawClient() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawClient::send(const QByteArray& bytes) {
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.constData() + sent,
                                 static_cast<size_t>(bytes.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

QByteArray RawClient::readUntil(const std::function<bool(const QByteArray&)>& until, int waitMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
    while (!until(received_) && !closed_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0)
            break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            continue;
        char buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0)
            closed_ = true;
        else
            received_.append(buf, n);
    }
    return received_;
}

QByteArray RawClient::response(int waitMs) {
    readUntil([](const QByteArray& b) { return complete(b) > 0; }, waitMs);
    const qsizetype size = complete(received_);
    if (size <= 0)
        return {};
    const QByteArray one = received_.left(size);
    received_.remove(0, size);
    return one;
}

bool RawClient::closedByServer(int waitMs) {
    readUntil([](const QByteArray&) { return false; }, waitMs);
    return closed_;
}

qsizetype RawClient::complete(const QByteArray& b) {
    const qsizetype headEnd = b.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return 0;
    qsizetype length = 0;
    for (const QByteArray& line : b.left(headEnd).split('\n'))
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    return b.size() >= headEnd + 4 + length ? headEnd + 4 + length : 0;
}

int statusOf(const QByteArray& response) {
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

QByteArray headerOf(const QByteArray& response, const QByteArray& name) {
    for (const QByteArray& line : response.left(response.indexOf("\r\n\r\n")).split('\n'))
        if (line.toLower().startsWith(name.toLower() + ":"))
            return line.mid(name.size() + 1).trimmed();
    return {};
}

QJsonObject errorOf(const QByteArray& response) {
    const QByteArray body = response.mid(response.indexOf("\r\n\r\n") + 4);
    return QJsonDocument::fromJson(body).object().value("error").toObject();
}

} // namespace reelgate::test
