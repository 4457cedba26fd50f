// Text from outside at the HTTP edge, on the functions themselves: query parameters and JSON
// bodies refuse bytes that are not UTF-8 text with a 400 naming the field, never echoing the
// bytes, and the JSON error itself is built without throwing whatever it holds.

#include "http/ApiError.h"
#include "http/JsonBody.h"
#include "http/JsonResponse.h"
#include "http/QueryParam.h"
#include "reelgate/core/Text.h"

#include <QtTest>

using namespace reelgate::server;
using reelgate::core::checkText;
using reelgate::core::TextProblem;

class TestHttpText : public QObject {
    Q_OBJECT

private slots:
    void queryTextRefusesWhatIsNotText_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("FF FE") << QByteArray("\xFF\xFE");
        QTest::newRow("NUL") << QByteArray("a\0b", 3);
        QTest::newRow("escape") << QByteArray("\x1B[2J");
        QTest::newRow("too long") << QByteArray(201, 'q');
    }
    void queryTextRefusesWhatIsNotText() {
        QFETCH(QByteArray, value);
        httplib::Request req;
        req.params.emplace("q", std::string(value.constData(), value.size()));
        try {
            http::queryText(req, "q");
            QFAIL("accepted");
        } catch (const http::ApiError& e) {
            QCOMPARE(e.status(), 400);
            QVERIFY(QByteArray(e.what()).startsWith("'q' "));
            QCOMPARE(checkText(e.what()), TextProblem::None);
        }
    }

    void queryValuesThatAreFine() {
        httplib::Request req;
        req.params.emplace("q", "café");
        req.params.emplace("limit", "99999999999999999999");
        QCOMPARE(http::queryText(req, "q"), std::string("café"));
        QCOMPARE(http::queryText(req, "absent"), std::string());
        QVERIFY_THROWS_EXCEPTION(http::ApiError, http::queryInt(req, "limit", 1));
    }

    void jsonBodyFieldsAreText() {
        httplib::Request req;
        req.set_header("Content-Type", "application/json");
        req.body = "{\"login\":\"USER\\u0000n\",\"title\":\"ok\"}";
        const http::JsonBody body(req);
        QCOMPARE(body.requiredString("title"), std::string("ok"));
        try {
            body.requiredString("login");
            QFAIL("accepted");
        } catch (const http::ApiError& e) {
            QCOMPARE(e.status(), 400);
            QVERIFY(!QByteArray(e.what()).contains("USER"));
        }
        req.body = "{\"title\":\"\xFF\xFE\"}"; // not even JSON (invalid UTF-8)
        QVERIFY_THROWS_EXCEPTION(http::ApiError, http::JsonBody{req});
    }

    void jsonBodyNamesEachFieldOnce() {
        httplib::Request req;
        req.set_header("Content-Type", "application/json");
        const auto refusal = [&](const std::string& body) -> std::string {
            req.body = body;
            try {
                http::JsonBody{req};
            } catch (const http::ApiError& e) {
                return e.status() == 400 ? e.what() : "status " + std::to_string(e.status());
            }
            return {};
        };
        const std::string twice = "The request body names a field twice.";
        QCOMPARE(refusal(R"({"provider":"stripe","amount":"5.00","provider":"bank"})"), twice);
        QCOMPARE(refusal(R"({"a":{"x":1,"x":2}})"), twice);
        QCOMPARE(refusal(R"({"a":[{"x":1},{"x":2}],"b":{"x":1},"x":3})"), std::string());
        QCOMPARE(refusal(R"({"a":{"b":1},"b":{"a":2}})"), std::string());
        const std::string deep = std::string(40, '[') + std::string(40, ']');
        QVERIFY(refusal("{\"a\":" + deep + "}").find("nested") != std::string::npos);
        const std::string fine = std::string(30, '[') + std::string(30, ']');
        QCOMPARE(refusal("{\"a\":" + fine + "}"), std::string());
    }

    void errorJsonNeverThrows() {
        httplib::Response res;
        http::sendError(res, 400, "invalid_request", "bad \xFF\xFE bytes");
        QCOMPARE(res.status, 400);
        QCOMPARE(checkText(res.body), TextProblem::None);
        QVERIFY(!QByteArray::fromStdString(res.body).contains("\xFF"));
    }
};

QTEST_APPLESS_MAIN(TestHttpText)
#include "tst_httptext.moc"
