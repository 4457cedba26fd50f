#include "payments/ProviderHttp.h"

#include "payments/PaymentProvider.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace reelgate::server::payments {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

constexpr std::size_t kMaxResponseBytes = 4 << 20;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    auto* body = static_cast<std::string*>(out);
    if (body->size() + size * count > kMaxResponseBytes)
        return 0; // aborts the transfer
    body->append(data, size * count);
    return size * count;
}

} // namespace

ProviderResponse sendProviderRequest(const ProviderRequest& request) {
    static std::once_flag globalInit;
    std::call_once(globalInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        throw ProviderError("could not start an HTTP request");
    CURL* c = curl.get();
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto addHeader = [&](const std::string& line) {
        headers.reset(curl_slist_append(headers.release(), line.c_str()));
    };
    if (!request.contentType.empty())
        addHeader("Content-Type: " + request.contentType);
    if (!request.bearer.empty())
        addHeader("Authorization: Bearer " + request.bearer);
    for (const auto& [name, value] : request.headers)
        addHeader(name + ": " + value);
    addHeader("Expect:"); // no 100-continue round trip
    ProviderResponse response;
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    if (request.method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }
    if (!request.basicUser.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, request.basicUser.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, request.basicPassword.c_str());
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) // the message names the failure, never the URL's query or credentials
        throw ProviderError(std::string("the payment provider could not be reached (") +
                            curl_easy_strerror(rc) + ")");
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

nlohmann::json sendJsonRequest(const ProviderRequest& request, const std::string& provider) {
    const auto response = sendProviderRequest(request);
    nlohmann::json answer = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status < 200 || response.status > 299 || !answer.is_object())
        throw ProviderError(provider + " refused the request (status " +
                            std::to_string(response.status) + ")");
    return answer;
}

std::string jsonText(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string withoutTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

std::string formEncode(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char ch : value) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

} // namespace reelgate::server::payments
