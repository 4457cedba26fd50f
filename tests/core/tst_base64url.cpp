// Unit tests for reelgate::core::base64UrlEncode() / base64UrlDecode().

#include <reelgate/core/Base64Url.h>
#include <reelgate/core/Crypto.h>

#include <QtTest>

#include <random>
#include <string>

using reelgate::core::base64UrlDecode;
using reelgate::core::base64UrlEncode;

namespace {

std::string raw(const QByteArray& array) {
    return std::string(array.constData(), static_cast<std::size_t>(array.size()));
}

} // namespace

class TestBase64Url : public QObject {
    Q_OBJECT

private slots:
    void knownEncodings_data();
    void knownEncodings();
    void acceptsPadding_data();
    void acceptsPadding();
    void rejects_data();
    void rejects();
    void roundTripsEveryLength();
    void matchesQtBase64Url();
};

void TestBase64Url::knownEncodings_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    // RFC 4648 section 10 vectors (padding removed).
    QTest::newRow("empty") << QByteArray() << "";
    QTest::newRow("f") << QByteArray("f") << "Zg";
    QTest::newRow("fo") << QByteArray("fo") << "Zm8";
    QTest::newRow("foo") << QByteArray("foo") << "Zm9v";
    QTest::newRow("foob") << QByteArray("foob") << "Zm9vYg";
    QTest::newRow("fooba") << QByteArray("fooba") << "Zm9vYmE";
    QTest::newRow("foobar") << QByteArray("foobar") << "Zm9vYmFy";
    // The two characters that differ from standard base64.
    QTest::newRow("url-safe 62 and 63") << QByteArray("\xfb\xff", 2) << "-_8";
    QTest::newRow("all ones") << QByteArray(3, '\xff') << "____";
    QTest::newRow("zeros") << QByteArray(3, '\0') << "AAAA";
}

void TestBase64Url::knownEncodings() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(base64UrlEncode(raw(bytes))), text);
    const auto decoded = base64UrlDecode(text.toStdString());
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, raw(bytes));
}

void TestBase64Url::acceptsPadding_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("two pads") << "Zg==" << QByteArray("f");
    QTest::newRow("one pad") << "Zm8=" << QByteArray("fo");
    QTest::newRow("no pad needed") << "Zm9v" << QByteArray("foo");
    QTest::newRow("padded longer") << "Zm9vYg==" << QByteArray("foob");
}

void TestBase64Url::acceptsPadding() {
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    const auto decoded = base64UrlDecode(text.toStdString());
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, raw(bytes));
}

void TestBase64Url::rejects_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("standard plus") << "-+8";
    QTest::newRow("standard slash") << "-/8";
    QTest::newRow("space") << "Zm9v Yg";
    QTest::newRow("newline") << "Zm9v\nYg";
    QTest::newRow("trailing newline") << "Zm9v\n";
    QTest::newRow("dot") << "Zm9v.";
    QTest::newRow("non-ascii") << QString::fromUtf8("Zm9vé");
    QTest::newRow("one char") << "Z";
    QTest::newRow("five chars") << "Zm9vY";
    // Zero-valued characters: the length alone makes these impossible.
    QTest::newRow("one zero char") << "A";
    QTest::newRow("five chars ending in zero") << "Zm9vA";
    QTest::newRow("one char padded") << "Z===";
    QTest::newRow("only padding") << "====";
    QTest::newRow("single pad") << "=";
    QTest::newRow("too much padding") << "Zg===";
    QTest::newRow("too little padding") << "Zg=";
    QTest::newRow("padding on full group") << "Zm9v=";
    QTest::newRow("padding in the middle") << "Zg==Zm8";
    QTest::newRow("non-zero unused bits (2 chars)") << "Zh";
    QTest::newRow("non-zero unused bits (3 chars)") << "Zm9";
}

void TestBase64Url::rejects() {
    QFETCH(QString, text);
    QVERIFY(!base64UrlDecode(text.toStdString()).has_value());
}

void TestBase64Url::roundTripsEveryLength() {
    std::mt19937_64 random(4648);
    for (std::size_t length = 0; length < 300; ++length) {
        std::string bytes(length, '\0');
        for (char& c : bytes) {
            c = static_cast<char>(random() & 0xff);
        }
        const std::string text = base64UrlEncode(bytes);
        QCOMPARE(text.size(), (length * 4 + 2) / 3);
        QCOMPARE(base64UrlDecode(text), std::optional<std::string>(bytes));
    }
}

void TestBase64Url::matchesQtBase64Url() {
    // Cross-check against an independent implementation.
    const std::string bytes = reelgate::core::randomBytes(1000);
    const QByteArray qt =
        QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(QString::fromStdString(base64UrlEncode(bytes)), QString::fromLatin1(qt));
}

QTEST_APPLESS_MAIN(TestBase64Url)
#include "tst_base64url.moc"
