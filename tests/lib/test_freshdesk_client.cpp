#include "client_fakes.hpp"
#include "freshdesk/client.hpp"
#include "freshdesk/read_detail.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <thread>

using namespace gp;
using namespace gp::freshdesk;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using namespace clientfakes;

Call bulk_delete() {
    Call call;
    call.method = "POST";
    call.target = "/api/v2/tickets/bulk_delete";
    call.body = R"({"bulk_action":{"ids":[1,2]}})";
    call.repeatable = false;
    return call;
}

// A scratch file removed at the end of the test.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& content) {
        path = std::filesystem::temp_directory_path() /
               ("gp-test-key-" + std::to_string(::getpid()) + ".txt");
        std::ofstream(path, std::ios::binary) << content;
    }
    ~TempFile() { std::filesystem::remove(path); }
};

std::string key_error(const std::string& file) {
    try {
        load_api_key(file);
    } catch (const KeyError& e) {
        return e.what();
    }
    return "no KeyError";
}

}  // namespace

// ---- the key

TEST_CASE("the Authorization header is Basic base64(key:X)") {
    CHECK(ApiKey("abc").authorization() == "Basic YWJjOlg=");
    CHECK(ApiKey("a").authorization() == "Basic YTpY");
    CHECK(ApiKey("ab").authorization() == "Basic YWI6WA==");
    CHECK(ApiKey(test_key).authorization() == "Basic " + test_basic);
}

TEST_CASE("redact removes the key and its Basic form") {
    const ApiKey key(test_key);
    CHECK(key.redact("key=" + test_key + " auth=Basic " + test_basic + " again " + test_key) ==
          "key=*** auth=Basic *** again ***");
    CHECK(key.redact("nothing secret") == "nothing secret");
    CHECK(ApiKey("").redact("text") == "text");
}

TEST_CASE("every request carries the Basic auth and Accept headers") {
    Fixture f;
    Call call = bulk_delete();
    f.make().send(call);
    REQUIRE(f.http.requests.size() == 1);
    const http::Request& request = f.http.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.target == "/api/v2/tickets/bulk_delete");
    CHECK(request.body == call.body);
    REQUIRE(request.headers.size() == 2);
    CHECK(request.headers[0].name == "Authorization");
    CHECK(request.headers[0].value == "Basic " + test_basic);
    CHECK(request.headers[1].name == "Accept");
    CHECK(request.headers[1].value == "application/json");
}

TEST_CASE("load_api_key reads the environment") {
    ::setenv("FRESHDESK_API_KEY", ("  " + test_key + "\n").c_str(), 1);
    CHECK(load_api_key("").authorization() == "Basic " + test_basic);
    ::setenv("FRESHDESK_API_KEY", "has a space", 1);
    std::string message = key_error("");
    CHECK(message.find("FRESHDESK_API_KEY") != std::string::npos);
    CHECK(message.find("has a space") == std::string::npos);
    ::setenv("FRESHDESK_API_KEY", " \n", 1);
    CHECK(key_error("") == "FRESHDESK_API_KEY is empty");
    ::unsetenv("FRESHDESK_API_KEY");
    message = key_error("");
    CHECK(message.find("FRESHDESK_API_KEY") != std::string::npos);
    CHECK(message.find("--api-key-file") != std::string::npos);
}

TEST_CASE("load_api_key reads a file, trimmed, before the environment") {
    ::setenv("FRESHDESK_API_KEY", "from-the-environment", 1);
    {
        TempFile file(test_key + "\n");
        CHECK(load_api_key(file.path.string()).authorization() == "Basic " + test_basic);
    }
    {
        TempFile file(" \n\t");
        CHECK(key_error(file.path.string()) ==
              "the API key file " + file.path.string() + " is empty");
    }
    {
        TempFile file("secret1\nsecret2\n");
        const std::string message = key_error(file.path.string());
        CHECK(message.find(file.path.string()) != std::string::npos);
        CHECK(message.find("secret") == std::string::npos);
    }
    ::unsetenv("FRESHDESK_API_KEY");
}

TEST_CASE("an unreadable key file is named - a key given as the path is not shown") {
    const std::string missing = "/nonexistent/dir/key.txt";
    const std::string message = key_error(missing);
    CHECK(message.find("cannot read the API key file " + missing) == 0);
    const std::string mistaken = key_error(test_key);  // --api-key-file <the key itself>
    CHECK(mistaken.find("cannot read the API key file") == 0);
    CHECK(mistaken.find(test_key) == std::string::npos);
    CHECK(key_error("/tmp").find("directory") != std::string::npos);
}

// ---- error shapes

TEST_CASE("validation errors are parsed into fields") {
    Fixture f;
    f.http.add(
        400,
        R"({"description":"Validation failed","errors":[{"field":"page",)"
        R"("message":"You cannot access tickets beyond the 300th page.","code":"invalid_value"}]})");
    const Reply reply = f.make().send(get("/api/v2/tickets?page=301"));
    CHECK(reply.status == 400);
    CHECK(reply.code.empty());
    CHECK(reply.message == "Validation failed");
    REQUIRE(reply.errors.size() == 1);
    CHECK(reply.errors[0].field == "page");
    CHECK(reply.errors[0].code == "invalid_value");
    CHECK(reply.errors[0].message == "You cannot access tickets beyond the 300th page.");

    f.http.add(400, reply.body);
    try {
        f.client->send_ok(get("/api/v2/tickets?page=301"));
        FAIL("no ApiError");
    } catch (const ApiError& e) {
        CHECK(e.status() == 400);
        CHECK(e.code() == "invalid_value");
        CHECK(
            std::string(e.what()) ==
            "GET /api/v2/tickets?page=301: 400 invalid_value: Validation failed; page: You cannot "
            "access tickets beyond the 300th page. (invalid_value)");
    }
}

TEST_CASE("request errors carry Freshdesk's code and message") {
    Fixture f;
    f.http.add(
        403,
        R"({"code":"access_denied","message":"You are not authorized to perform this action."})");
    try {
        f.make().send_ok(get("/api/v2/agents"));
        FAIL("no ApiError");
    } catch (const ApiError& e) {
        CHECK(e.status() == 403);
        CHECK(e.code() == "access_denied");
        CHECK(e.authentication());
        CHECK(std::string(e.what()).find(
                  "GET /api/v2/agents: 403 access_denied: You are not authorized to perform this "
                  "action.") == 0);
    }
}

TEST_CASE("405 and 429 bodies carry a message only") {
    Fixture f;
    f.policy.max_attempts = 1;
    f.policy.max_rate_limited = 1;
    f.http.add(
        405,
        R"({"message":"DELETE method is not allowed. It should be one of these method(s): GET"})",
        {{"Allow", "GET"}});
    f.http.add(429, R"({"message":"You have exceeded the limit of requests per minute"})",
               {{"Retry-After", "1"}});
    Client& client = f.make();
    Call del = get("/api/v2/tickets/7");
    del.method = "DELETE";
    const Reply gone = client.send(del);
    CHECK(gone.status == 405);
    CHECK(gone.code.empty());
    CHECK(gone.message.find("DELETE method is not allowed") == 0);
    CHECK(gone.header("allow") == "GET");
    const Reply limited = client.send(get("/api/v2/tickets/7"));
    CHECK(limited.status == 429);
    CHECK(limited.message == "You have exceeded the limit of requests per minute");
}

TEST_CASE("empty, blank, HTML and broken bodies do not throw") {
    Fixture f;
    f.policy.max_attempts = 1;
    f.http.add(404, " ");
    f.http.add(400, "");
    f.http.add(503, "<html><body><h1>503 Service Unavailable</h1></body></html>",
               {{"Content-Type", "text/html"}});
    f.http.add(500, "{\"code\":");
    f.http.add(400, "[1,2]");
    Client& client = f.make();
    for (int status : {404, 400, 503, 500, 400}) {
        const Reply reply = client.send(get("/api/v2/contacts/9/hard_delete"));
        CHECK(reply.status == status);
        CHECK(reply.code.empty());
        CHECK(reply.message.empty());
        CHECK(reply.errors.empty());
    }
    f.http.add(404, " ");
    CHECK_THROWS_WITH(client.send_ok(get("/api/v2/contacts/9")),
                      "GET /api/v2/contacts/9: 404 Not Found");
    f.http.add(503, "<html>busy</html>");
    CHECK_THROWS_WITH(client.send_ok(get("/api/v2/contacts/9")),
                      "GET /api/v2/contacts/9: 503 Service Unavailable");
}

TEST_CASE("a 401 says where the key comes from") {
    Fixture f;
    f.http.add(
        401,
        R"({"code":"invalid_credentials","message":"You have to be logged in to perform this action."})");
    CHECK_THROWS_WITH(f.make().send_ok(get("/api/v2/agents/me")),
                      "GET /api/v2/agents/me: 401 invalid_credentials: You have to be logged in to "
                      "perform this action. (check FRESHDESK_API_KEY / --api-key-file)");
}

TEST_CASE("the key never shows in errors or logs, even when the server echoes it") {
    Fixture f;
    const std::string echo = "key " + test_key + " / Basic " + test_basic;
    f.http.add(401, R"({"code":"invalid_credentials","message":")" + echo + R"("})");
    f.http.add(400, R"({"description":")" + echo + R"(","errors":[{"field":")" + test_key +
                        R"(","message":")" + echo + R"(","code":"x"}]})");
    f.http.fail(false, "reset while sending " + echo);  // retried, and logged
    f.http.fail(true, "closed after " + echo);
    Client& client = f.make();
    std::vector<std::string> messages;
    auto collect = [&](const Call& call) {
        try {
            client.send_ok(call);
        } catch (const TransportError& e) {
            messages.emplace_back(e.what());
            messages.push_back(e.failure().message);
        } catch (const ApiError& e) {
            messages.emplace_back(e.what());
        }
    };
    collect(get("/api/v2/agents/me"));
    collect(get("/api/v2/contacts"));
    collect(bulk_delete());
    REQUIRE(messages.size() == 4);
    messages.insert(messages.end(), f.logged.begin(), f.logged.end());
    CHECK(f.logged.size() == 1);
    for (const std::string& message : messages) {
        INFO(message);
        CHECK(message.find(test_key) == std::string::npos);
        CHECK(message.find(test_basic) == std::string::npos);
        CHECK(message.find("***") != std::string::npos);
    }
}

TEST_CASE("email addresses in a target are masked in messages") {
    Fixture f;
    f.http.add(400, R"({"code":"invalid_field","message":"bad"})");
    CHECK_THROWS_WITH(
        f.make().send_ok(get("/api/v2/contacts?email=john%40example.com&per_page=100")),
        "GET /api/v2/contacts?email=***&per_page=100: 400 invalid_field: bad");
    REQUIRE(f.http.requests.size() == 1);
    CHECK(f.http.requests[0].target == "/api/v2/contacts?email=john%40example.com&per_page=100");
}

// ---- retries

TEST_CASE("the account's clock is the latest Date header read, never this machine's") {
    Fixture f;
    f.http.add(200, "[]");
    f.http.add(200, "[]", {{"Date", "Tue, 04 Mar 2025 05:06:07 GMT"}});
    f.http.add(200, "[]", {{"date", "Tue, 04 Mar 2025 05:06:09 GMT"}});
    f.http.add(200, "[]", {{"Date", "Tue, 04 Mar 2025 05:06:08 GMT"}});    // an earlier server
    f.http.add(200, "[]", {{"Date", "Tuesday, 04-Mar-25 05:07:00 GMT"}});  // unreadable
    Client& client = f.make();
    client.send(get("/api/v2/contacts?page=1"));
    CHECK(client.account_clock() == std::nullopt);  // no Date yet
    client.send(get("/api/v2/contacts?page=2"));
    CHECK(client.account_clock() == parse_timestamp("2025-03-04T05:06:07Z"));
    client.send(get("/api/v2/contacts?page=3"));
    CHECK(client.account_clock() == parse_timestamp("2025-03-04T05:06:09Z"));
    client.send(get("/api/v2/contacts?page=4"));
    client.send(get("/api/v2/contacts?page=5"));
    CHECK(client.account_clock() == parse_timestamp("2025-03-04T05:06:09Z"));
}

TEST_CASE("a 429 waits Retry-After, then succeeds") {
    Fixture f;
    f.http.add(429, R"({"message":"slow down"})", {{"Retry-After", "3"}});
    f.http.add(200, "[]");
    const Reply reply = f.make().send(get("/api/v2/contacts?page=1"));
    CHECK(reply.status == 200);
    CHECK(f.http.requests.size() == 2);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    REQUIRE(sleeps.size() == 1);
    CHECK(sleeps[0] >= 3s);
    CHECK(sleeps[0] <= 3250ms);  // plus a small jitter
    const Counters c = f.client->counters();
    CHECK(c.calls == 2);
    CHECK(c.retries == 1);
    CHECK(c.rate_limited == 1);
    CHECK(c.server_errors == 0);
    CHECK(c.transport_errors == 0);
    CHECK(c.credits == 1);  // the 429 charged nothing
    CHECK(c.waited_ms == sleeps[0].count());
    CHECK(f.logged.size() == 1);
}

TEST_CASE("a 429 without Retry-After backs off, and is retried even when not repeatable") {
    Fixture f;
    f.http.add(429, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}});
    f.http.add(202, R"({"job_id":"ab"})");
    const Reply reply = f.make().send(bulk_delete());
    CHECK(reply.status == 202);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    REQUIRE(sleeps.size() == 1);
    CHECK(sleeps[0] >= 250ms);  // first backoff 500 ms, equal jitter, plus up to 250 ms
    CHECK(sleeps[0] < 750ms);
}

TEST_CASE("503 twice then 200: three calls with a growing backoff") {
    Fixture f;
    f.http.add(503, "<html>busy</html>", limits(700, 690, 1));
    f.http.add(503, "<html>busy</html>", limits(700, 689, 1));
    f.http.add(200, "{}", limits(700, 688, 1));
    const Reply reply = f.make().send(get("/api/v2/tickets/1"));
    CHECK(reply.status == 200);
    CHECK(reply.credits_used == 3);  // every attempt was charged
    CHECK(f.http.requests.size() == 3);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    REQUIRE(sleeps.size() == 2);
    CHECK(sleeps[0] >= 250ms);
    CHECK(sleeps[0] < 500ms);
    CHECK(sleeps[1] >= 500ms);
    CHECK(sleeps[1] < 1000ms);
    const Counters c = f.client->counters();
    CHECK(c.calls == 3);
    CHECK(c.retries == 2);
    CHECK(c.server_errors == 2);
    CHECK(c.rate_limited == 0);
    CHECK(c.credits == 3);
    CHECK(c.waited_ms == total_ms(sleeps));
    CHECK(c.rate_limit_total == 700);
    CHECK(c.pace_per_minute == 665);
}

TEST_CASE("a 503 on a call that is not repeatable is not retried") {
    Fixture f;
    f.http.add(503, "<html>busy</html>");
    const Reply reply = f.make().send(bulk_delete());
    CHECK(reply.status == 503);
    CHECK(f.http.requests.size() == 1);
    CHECK(f.clock.sleeps().empty());
    CHECK(f.client->counters().retries == 0);
    CHECK(f.client->counters().server_errors == 1);
}

TEST_CASE("a 4xx other than 429 is never retried") {
    Fixture f;
    f.http.add(404, " ");
    CHECK(f.make().send(get("/api/v2/contacts/1")).status == 404);
    CHECK(f.http.requests.size() == 1);
}

TEST_CASE("a failure before sending is retried, even for a POST") {
    Fixture f;
    f.http.fail(false, "connect to 127.0.0.1:1: refused");
    f.http.add(202, R"({"job_id":"ab"})");
    const Reply reply = f.make().send(bulk_delete());
    CHECK(reply.status == 202);
    CHECK(f.http.requests.size() == 2);
    const Counters c = f.client->counters();
    CHECK(c.transport_errors == 1);
    CHECK(c.retries == 1);
    CHECK(c.credits == 1);  // nothing charged for what was never sent
}

TEST_CASE("a failure after sending a POST is not retried") {
    Fixture f;
    f.http.fail(true, "connection closed before an answer");
    const Reply reply = f.make().send(bulk_delete());
    CHECK(reply.status == 0);
    REQUIRE(reply.failure);
    CHECK(reply.failure->request_sent);
    CHECK(f.http.requests.size() == 1);
    CHECK(f.client->counters().credits == 1);  // it may have been charged

    f.http.fail(true, "connection closed before an answer");
    try {
        f.client->send_ok(bulk_delete());
        FAIL("no TransportError");
    } catch (const TransportError& e) {
        CHECK(std::string(e.what()) ==
              "POST /api/v2/tickets/bulk_delete: connection closed before an answer");
        CHECK(e.failure().kind == http::FailureKind::closed);
    }
}

TEST_CASE("a resend by the HTTP layer counts as a dropped call and a retry") {
    Fixture f;
    http::Response resent{200, limits(700, 690, 1), "{}"};
    resent.resends = 1;
    f.http.queue.emplace_back(resent);
    const Reply reply = f.make().send(get("/api/v2/groups"));
    CHECK(reply.status == 200);
    CHECK(reply.credits_used == 2);
    const Counters c = f.client->counters();
    CHECK(c.calls == 2);
    CHECK(c.retries == 1);
    CHECK(c.transport_errors == 1);
    CHECK(c.credits == 2);
}

TEST_CASE("a certificate that fails verification is not retried") {
    Fixture f;
    f.http.fail(false, "TLS handshake with x:443: certificate verify failed",
                http::FailureKind::tls);
    const Reply reply = f.make().send(get("/api/v2/groups"));
    CHECK(reply.status == 0);
    CHECK(f.http.requests.size() == 1);
}

TEST_CASE("a refused connection is tried three times, not max_attempts") {
    Fixture f;
    for (int i = 0; i < 6; ++i) {
        f.http.fail(false, "connect to 127.0.0.1:1: refused", http::FailureKind::connect);
    }
    CHECK(f.make().send(get("/api/v2/groups")).status == 0);
    CHECK(f.http.requests.size() == 3);
}

TEST_CASE("a failure after sending a GET is retried") {
    Fixture f;
    f.http.fail(true);
    f.http.fail(true);
    CHECK(f.make().send(get("/api/v2/tickets/1")).status == 200);
    CHECK(f.http.requests.size() == 3);
    CHECK(f.client->counters().transport_errors == 2);
}

TEST_CASE("attempts are bounded by max_attempts - the last answer is returned") {
    Fixture f;
    f.policy.max_attempts = 3;
    f.policy.first_backoff = 100ms;
    f.policy.max_backoff = 150ms;
    for (int i = 0; i < 5; ++i) {
        f.http.add(502, "<html>bad gateway</html>");
    }
    CHECK_THROWS_WITH(f.make().send_ok(get("/api/v2/groups")),
                      "GET /api/v2/groups: 502 Bad Gateway");
    CHECK(f.http.requests.size() == 3);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    REQUIRE(sleeps.size() == 2);
    CHECK(sleeps[0] >= 50ms);
    CHECK(sleeps[1] >= 75ms);
    CHECK(sleeps[1] < 150ms);  // capped by max_backoff
    const Counters c = f.client->counters();
    CHECK(c.calls == 3);
    CHECK(c.retries == 2);
    CHECK(c.server_errors == 3);

    f.http.queue.clear();
    for (int i = 0; i < 5; ++i) {
        f.http.fail(false, "refused");
    }
    const Reply reply = f.client->send(get("/api/v2/groups"));
    CHECK(reply.status == 0);
    CHECK(f.http.requests.size() == 6);
}

// ---- credits, pacing, links

TEST_CASE("credits come from X-RateLimit-Used-CurrentRequest, else the estimate") {
    Fixture f;
    f.http.add(200, "[]", limits(700, 697, 3));
    f.http.add(200, "[]");
    Call list = get("/api/v2/tickets?include=stats");
    list.budget = Budget::tickets_list;
    list.credits = 1;
    Client& client = f.make();
    CHECK(client.send(list).credits_used == 3);
    list.credits = 3;
    CHECK(client.send(list).credits_used == 3);
    CHECK(client.counters().credits == 6);
}

TEST_CASE("a --rate-limit paces the client and shows in the counters") {
    Fixture f;
    f.policy.rate_limit = 30;
    Client& client = f.make();
    CHECK(client.counters().pace_per_minute == 30);
    for (int i = 0; i < 61; ++i) {
        client.send(get("/api/v2/contacts/" + std::to_string(i)));
    }
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    // 30 a minute, evenly: 61 calls take about two minutes, in short waits.
    CHECK(total_ms(sleeps) >= 110000);
    CHECK(total_ms(sleeps) <= 125000);
    CHECK(*std::max_element(sleeps.begin(), sleeps.end()) <= 10s);  // not a minute at once
    const Counters c = client.counters();
    CHECK(c.calls == 61);
    CHECK(c.waited_ms == total_ms(sleeps));
    CHECK(c.rate_limit_total == 0);
}

TEST_CASE("several threads share one client") {
    Fixture f;
    f.policy.rate_limit = 100;
    Client& client = f.make();
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                client.send(get("/api/v2/contacts/1"));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    const Counters c = client.counters();
    CHECK(c.calls == 200);
    CHECK(c.credits == 200);
    CHECK(f.http.requests.size() == 200);
}

TEST_CASE("the next page comes from the Link header, in origin form") {
    Fixture f;
    f.http.add(200, "[]",
               {{"link",
                 "<https://acme.freshdesk.com/api/v2/tickets?page=3&per_page=100>; rel=\"next\""}});
    f.http.add(200, "[]");
    Client& client = f.make();
    CHECK(client.send(get("/api/v2/tickets?page=2")).next_target ==
          "/api/v2/tickets?page=3&per_page=100");
    CHECK(client.send(get("/api/v2/tickets?page=3")).next_target.empty());
}

TEST_CASE("parse_next_link accepts every spacing and several links") {
    CHECK(parse_next_link(R"(<https://a.freshdesk.com/api/v2/tickets?page=2>; rel="next")") ==
          "https://a.freshdesk.com/api/v2/tickets?page=2");
    CHECK(parse_next_link(R"(< https://a.freshdesk.com/api/v2/tickets?page=2>;rel="next")") ==
          "https://a.freshdesk.com/api/v2/tickets?page=2");
    CHECK(
        parse_next_link(R"(<https://x/p?page=1>; rel="prev", <https://x/p?page=3>; rel="next")") ==
        "https://x/p?page=3");
    CHECK(
        parse_next_link(R"(<https://x/p?page=3>; rel="next", <https://x/p?page=1>; rel="prev")") ==
        "https://x/p?page=3");
    CHECK(parse_next_link("<https://x/p?page=3>; REL=Next") == "https://x/p?page=3");
    CHECK(parse_next_link(R"(<https://x/p?a=1,2>; rel="next last")") == "https://x/p?a=1,2");
    CHECK(parse_next_link(R"(<https://x/p?page=1>; rel="prev")").empty());
    CHECK(parse_next_link(R"(<https://x/p?page=1>; rel="nextpage")").empty());
    CHECK(parse_next_link("").empty());
    CHECK(parse_next_link("<https://x/p; rel=\"next\"").empty());  // no closing bracket
}

TEST_CASE("to_origin_form strips scheme, host and port") {
    CHECK(to_origin_form("https://acme.freshdesk.com/api/v2/tickets?page=2") ==
          "/api/v2/tickets?page=2");
    CHECK(to_origin_form("http://127.0.0.1:8080/api/v2/contacts?page=3") ==
          "/api/v2/contacts?page=3");
    CHECK(to_origin_form("http://[::1]:8080/api/v2/x") == "/api/v2/x");
    CHECK(to_origin_form("https://acme.freshdesk.com") == "/");
    CHECK(to_origin_form("https://acme.freshdesk.com?page=2") == "/?page=2");
    CHECK(to_origin_form("https://acme.freshdesk.com/p#frag") == "/p");
    CHECK(to_origin_form("/api/v2/tickets?page=2") == "/api/v2/tickets?page=2");
    CHECK(to_origin_form("").empty());
}

TEST_CASE("to_origin_form on odd inputs") {
    CHECK(to_origin_form("  https://acme.freshdesk.com/a?b=1  ") == "/a?b=1");  // trimmed
    CHECK(to_origin_form("//acme.freshdesk.com/a?b=1") == "/a?b=1");            // no scheme
    CHECK(to_origin_form("https://user:pw@acme.freshdesk.com/a") == "/a");      // no userinfo
    CHECK(to_origin_form("https://acme.freshdesk.com/a?") == "/a?");            // empty query
    CHECK(to_origin_form("https://acme.freshdesk.com/a%20b?q=%22x%22#f") == "/a%20b?q=%22x%22");
    CHECK(to_origin_form("https://acme.freshdesk.com#frag") == "/");
    CHECK(to_origin_form("https://acme.freshdesk.com/a?b=http://other/c") == "/a?b=http://other/c");
    CHECK(to_origin_form("/p#frag") == "/p#frag");  // an origin-form target is left as it is
    CHECK(to_origin_form("api/v2/x?page=2") == "api/v2/x?page=2");  // so is any relative ref
    CHECK(to_origin_form("mailto:x@example.com") == "mailto:x@example.com");  // and a hostless URI
    CHECK(to_origin_form("https://a b/c") == "https://a b/c");  // and what is no URI at all
}

TEST_CASE("url_encode percent-encodes all but the unreserved characters, in upper-case hex") {
    CHECK(detail::url_encode("") == "");
    CHECK(detail::url_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(detail::url_encode("john+x@example.com") == "john%2Bx%40example.com");
    CHECK(detail::url_encode("\"a b\"/?#&=%") == "%22a%20b%22%2F%3F%23%26%3D%25");
    CHECK(detail::url_encode("2024-01-02T03:04:05Z") == "2024-01-02T03%3A04%3A05Z");
    CHECK(detail::url_encode("\xc3\xa9") == "%C3%A9");  // UTF-8 bytes, each encoded
    CHECK(detail::url_encode(std::string("\0\xff", 2)) == "%00%FF");
}
