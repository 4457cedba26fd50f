// Unit tests for reelgate::core crypto helpers (Crypto.h): SHA-256, HMAC-SHA256, constant-time
// comparison, random bytes and tokens, hex.

#include <reelgate/core/Base64Url.h>
#include <reelgate/core/Crypto.h>
#include <reelgate/core/InvalidInput.h>

#include <QtTest>

#include <set>
#include <string>

using namespace reelgate::core;

namespace {

QByteArray bytes(const std::string& raw) {
    return QByteArray(raw.data(), static_cast<qsizetype>(raw.size()));
}

std::string raw(const QByteArray& array) {
    return std::string(array.constData(), static_cast<std::size_t>(array.size()));
}

} // namespace

class TestCrypto : public QObject {
    Q_OBJECT

private slots:
    void sha256Digest_data();
    void sha256Digest();
    void hmacRfc4231_data();
    void hmacRfc4231();
    void hmacDependsOnKeyAndMessage();
    void constantTimeEqualCompares_data();
    void constantTimeEqualCompares();
    void randomBytesAreFreshEachCall();
    void randomTokenShape_data();
    void randomTokenShape();
    void randomTokensAreUnique();
    void randomTokenRefusesZeroEntropy();
    void hexRoundTrip();
    void hexRejects_data();
    void hexRejects();
};

void TestCrypto::sha256Digest_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("hex");
    // FIPS 180-2 examples.
    QTest::newRow("abc") << QByteArray("abc")
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("empty") << QByteArray()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("embedded NUL")
        << QByteArray("a\0b", 3)
        << QString::fromLatin1(
               QCryptographicHash::hash(QByteArray("a\0b", 3), QCryptographicHash::Sha256).toHex());
}

void TestCrypto::sha256Digest() {
    QFETCH(QByteArray, input);
    QFETCH(QString, hex);
    const std::string digest = sha256(raw(input));
    QCOMPARE(digest.size(), kSha256Bytes);
    QCOMPARE(QString::fromStdString(toHex(digest)), hex);
    QCOMPARE(QString::fromStdString(sha256Hex(raw(input))), hex);
}

void TestCrypto::hmacRfc4231_data() {
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("hex");

    // RFC 4231, section 4: test cases 1-4, 6 and 7 (case 5 is about truncated output).
    QTest::newRow("RFC 4231 case 1")
        << QByteArray(20, '\x0b') << QByteArray("Hi There")
        << "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
    QTest::newRow("RFC 4231 case 2: key shorter than output")
        << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
        << "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    QTest::newRow("RFC 4231 case 3: combined length above 64")
        << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
        << "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe";
    QTest::newRow("RFC 4231 case 4: 25-byte key")
        << QByteArray::fromHex("0102030405060708090a0b0c0d0e0f10111213141516171819")
        << QByteArray(50, '\xcd')
        << "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
    QTest::newRow("RFC 4231 case 6: key larger than block")
        << QByteArray(131, '\xaa')
        << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
    QTest::newRow("RFC 4231 case 7: key and data larger than block")
        << QByteArray(131, '\xaa')
        << QByteArray("This is a test using a larger than block-size key and a larger than "
                      "block-size data. The key needs to be hashed before being used by the "
                      "HMAC algorithm.")
        << "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";
    QTest::newRow("empty key and message")
        << QByteArray() << QByteArray()
        << "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
}

void TestCrypto::hmacRfc4231() {
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, message);
    QFETCH(QString, hex);
    const std::string mac = hmacSha256(raw(key), raw(message));
    QCOMPARE(mac.size(), kSha256Bytes);
    QCOMPARE(QString::fromStdString(toHex(mac)), hex);
}

void TestCrypto::hmacDependsOnKeyAndMessage() {
    const std::string mac = hmacSha256("session-key", "segment 17");
    QCOMPARE(hmacSha256("session-key", "segment 17"), mac); // deterministic
    QVERIFY(hmacSha256("session-kez", "segment 17") != mac);
    QVERIFY(hmacSha256("session-key", "segment 18") != mac);
    // A MAC is not a plain hash of key || message.
    QVERIFY(sha256(std::string("session-key") + "segment 17") != mac);
}

void TestCrypto::constantTimeEqualCompares_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("token-123") << QByteArray("token-123") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("last byte differs")
        << QByteArray("token-123") << QByteArray("token-124") << false;
    QTest::newRow("first byte differs")
        << QByteArray("token-123") << QByteArray("Token-123") << false;
    QTest::newRow("prefix") << QByteArray("token") << QByteArray("token-123") << false;
    QTest::newRow("empty vs one byte") << QByteArray() << QByteArray("x") << false;
    QTest::newRow("binary with NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
    QTest::newRow("same binary") << QByteArray("\0\xff", 2) << QByteArray("\0\xff", 2) << true;
}

void TestCrypto::constantTimeEqualCompares() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(constantTimeEqual(raw(a), raw(b)), equal);
    QCOMPARE(constantTimeEqual(raw(b), raw(a)), equal);
}

void TestCrypto::randomBytesAreFreshEachCall() {
    QCOMPARE(randomBytes(0).size(), std::size_t{0});
    const std::string first = randomBytes(64);
    const std::string second = randomBytes(64);
    QCOMPARE(first.size(), std::size_t{64});
    QVERIFY(first != second);
    // 64 random bytes are never all zero in practice (probability 2^-512).
    QVERIFY(first != std::string(64, '\0'));
    const std::string large = randomBytes(1 << 20);
    QCOMPARE(large.size(), std::size_t{1} << 20);
    // Every byte value shows up in a megabyte of random data.
    std::set<unsigned char> seen(large.begin(), large.end());
    QCOMPARE(seen.size(), std::size_t{256});
}

void TestCrypto::randomTokenShape_data() {
    QTest::addColumn<int>("entropyBytes");
    QTest::addColumn<int>("length");
    QTest::newRow("default 32 bytes") << 32 << 43;
    QTest::newRow("1 byte") << 1 << 2;
    QTest::newRow("16 bytes") << 16 << 22;
    QTest::newRow("18 bytes, no remainder") << 18 << 24;
    QTest::newRow("64 bytes") << 64 << 86;
}

void TestCrypto::randomTokenShape() {
    QFETCH(int, entropyBytes);
    QFETCH(int, length);
    const std::string token = randomToken(static_cast<std::size_t>(entropyBytes));
    QCOMPARE(static_cast<int>(token.size()), length);
    for (const char c : token) {
        const bool urlSafe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
        QVERIFY2(urlSafe, token.c_str()); // no '+', '/', '=' -- safe in URLs and cookies
    }
    const auto decoded = base64UrlDecode(token);
    QVERIFY(decoded.has_value());
    QCOMPARE(static_cast<int>(decoded->size()), entropyBytes);
}

void TestCrypto::randomTokensAreUnique() {
    QCOMPARE(randomToken().size(), std::size_t{43});
    std::set<std::string> tokens;
    for (int i = 0; i < 10000; ++i) {
        tokens.insert(randomToken());
    }
    QCOMPARE(tokens.size(), std::size_t{10000});
    // Every alphabet character turns up across 10000 tokens, including '-' and '_'.
    std::set<char> alphabet;
    for (const std::string& token : tokens) {
        alphabet.insert(token.begin(), token.end());
    }
    QCOMPARE(alphabet.size(), std::size_t{64});
}

void TestCrypto::randomTokenRefusesZeroEntropy() {
    QVERIFY_THROWS_EXCEPTION(InvalidInput, randomToken(0));
}

void TestCrypto::hexRoundTrip() {
    QCOMPARE(toHex(std::string("\x01\xab\x00\xff", 4)), std::string("01ab00ff"));
    QCOMPARE(toHex(""), std::string());
    QCOMPARE(fromHex("01AB00ff"), std::optional<std::string>(std::string("\x01\xab\x00\xff", 4)));
    QCOMPARE(fromHex(""), std::optional<std::string>(std::string()));
    const std::string random = randomBytes(257);
    QCOMPARE(fromHex(toHex(random)), std::optional<std::string>(random));
    QCOMPARE(bytes(*fromHex(toHex(random))), bytes(random));
}

void TestCrypto::hexRejects_data() {
    QTest::addColumn<QString>("hex");
    QTest::newRow("odd length") << "abc";
    QTest::newRow("non-hex letter") << "0g";
    QTest::newRow("space") << "01 02";
    QTest::newRow("prefix") << "0x01";
}

void TestCrypto::hexRejects() {
    QFETCH(QString, hex);
    QVERIFY(!fromHex(hex.toStdString()).has_value());
}

QTEST_APPLESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
