// Unit tests for reelgate::core text checks (UTF-8, control characters, length in characters).

#include <reelgate/core/Text.h>

#include <QtTest>

#include <string>

using reelgate::core::checkText;
using reelgate::core::printable;
using reelgate::core::TextProblem;
using reelgate::core::TextRules;

Q_DECLARE_METATYPE(TextProblem)

namespace {

std::string raw(const QByteArray& array) {
    return std::string(array.constData(), static_cast<std::size_t>(array.size()));
}

} // namespace

class TestText : public QObject {
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void countsCharactersNotBytes();
    void newlinesOnlyWhenAllowed();
    void printableEscapesWhatIsNotText();
    void printableCutsLongText();
    void everySingleByteIsJudgedLikeQt();
};

void TestText::check_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<TextProblem>("expected");
    QTest::newRow("ascii") << QByteArray("hello") << TextProblem::None;
    QTest::newRow("empty") << QByteArray("") << TextProblem::None;
    QTest::newRow("two-byte") << QByteArray("caf\xC3\xA9") << TextProblem::None;
    QTest::newRow("emoji") << QByteArray("\xF0\x9F\x8E\xAC") << TextProblem::None;
    QTest::newRow("ff fe") << QByteArray("\xFF\xFE") << TextProblem::InvalidUtf8;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << TextProblem::InvalidUtf8;
    QTest::newRow("overlong nul") << QByteArray("\xC0\x80") << TextProblem::InvalidUtf8;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << TextProblem::InvalidUtf8;
    QTest::newRow("above 10FFFF") << QByteArray("\xF4\x90\x80\x80") << TextProblem::InvalidUtf8;
    QTest::newRow("truncated") << QByteArray("ab\xE2\x82") << TextProblem::InvalidUtf8;
    QTest::newRow("lone continuation") << QByteArray("\x80") << TextProblem::InvalidUtf8;
    QTest::newRow("nul") << QByteArray("USER\0n", 6) << TextProblem::ControlCharacter;
    QTest::newRow("escape") << QByteArray("a\x1b[31m") << TextProblem::ControlCharacter;
    QTest::newRow("del") << QByteArray("a\x7f") << TextProblem::ControlCharacter;
    QTest::newRow("c1") << QByteArray("a\xC2\x85") << TextProblem::ControlCharacter;
    QTest::newRow("bidi override") << QByteArray("a\xE2\x80\xAE") << TextProblem::ControlCharacter;
    QTest::newRow("newline") << QByteArray("a\nb") << TextProblem::ControlCharacter;
}

void TestText::check() {
    QFETCH(QByteArray, bytes);
    QFETCH(TextProblem, expected);
    QCOMPARE(checkText(raw(bytes)), expected);
}

void TestText::countsCharactersNotBytes() {
    const std::string accents = "\xC3\xA9\xC3\xA9\xC3\xA9"; // three é, six bytes
    QCOMPARE(reelgate::core::utf8Length(accents), std::size_t(3));
    QCOMPARE(checkText(accents, TextRules{.maxChars = 3}), TextProblem::None);
    QCOMPARE(checkText(accents, TextRules{.maxChars = 2}), TextProblem::TooLong);
    QCOMPARE(checkText("", TextRules{.allowEmpty = false}), TextProblem::Empty);
}

void TestText::newlinesOnlyWhenAllowed() {
    const TextRules multiLine{.allowNewlines = true};
    QCOMPARE(checkText("one\r\ntwo\tthree", multiLine), TextProblem::None);
    QCOMPARE(checkText(std::string("one\0two", 7), multiLine), TextProblem::ControlCharacter);
}

void TestText::printableEscapesWhatIsNotText() {
    QCOMPARE(printable("ok \xC3\xA9"), std::string("ok \xC3\xA9"));
    QCOMPARE(printable("\xFF\xFE"
                       "a"),
             std::string("\\xFF\\xFEa"));
    QCOMPARE(printable(std::string("a\0b", 3)), std::string("a\\x00b"));
    QVERIFY(reelgate::core::isValidUtf8(printable("\xC0\xAF\xED\xA0\x80\x1b")));
}

void TestText::printableCutsLongText() {
    const std::string cut = printable(std::string(500, 'x'), 10);
    QCOMPARE(cut, std::string(10, 'x') + "\xE2\x80\xA6");
}

// Every 1-, 2- and 3-byte sequence: our validity agrees with Qt's strict decoder on what is
// UTF-8 (Qt accepts noncharacters too, as we do).
void TestText::everySingleByteIsJudgedLikeQt() {
    for (int a = 0; a < 256; ++a) {
        for (int b = 0x80; b < 0x100; b += 0x0F) {
            for (int c : {0x41, 0x80, 0xBF, 0xC0}) {
                const char bytes[3] = {static_cast<char>(a), static_cast<char>(b),
                                       static_cast<char>(c)};
                const std::string s(bytes, 3);
                QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
                const QString decoded = decoder(QByteArray(bytes, 3));
                const bool qtValid =
                    !decoder.hasError() && !decoded.contains(QChar::ReplacementCharacter);
                if (reelgate::core::isValidUtf8(s) != qtValid)
                    QFAIL(qPrintable(
                        QString("disagree on %1 %2 %3").arg(a, 0, 16).arg(b, 0, 16).arg(c, 0, 16)));
            }
        }
    }
}

QTEST_APPLESS_MAIN(TestText)
#include "tst_text.moc"
