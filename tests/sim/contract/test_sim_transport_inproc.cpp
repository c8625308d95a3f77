// freshdesk-sim's server layer (rate limits, faults, /_sim/ controls, connections) against a fake
// account in this process: exact and fast, independent of the account's own logic. The same
// behaviours are checked on the real binary in test_sim_transport*.cpp.
#include "dispatcher.hpp"
#include "harness.hpp"
#include "http_server.hpp"
#include "rate_limiter.hpp"
#include "time_iso.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

using simtest::Client;
using simtest::Reply;

namespace {

// Answers every /api/v2 request 200 and counts them; costs follow freshdesk-api.md.
class FakeApi : public sim::Api {
  public:
    sim::Cost cost(const sim::Request& r) const override {
        const std::string path = r.target.substr(0, r.target.find('?'));
        sim::Cost c;
        c.endpoint = r.method + " " + path.substr(7);
        if (r.method == "GET" && path == "/api/v2/tickets") {
            c.bucket = sim::Bucket::tickets_list;
            c.credits = r.target.find("include=stats") != std::string::npos ? 3 : 1;
        } else if (r.method == "GET" && path == "/api/v2/contacts") {
            c.bucket = sim::Bucket::contacts_list;
        }
        return c;
    }
    sim::Response handle(const sim::Request& r) override {
        if (r.target.starts_with("/api/v2/throw")) {
            throw std::runtime_error("cannot handle " + r.target);
        }
        ++handled;
        sim::Response res;
        res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
        res.body = R"({"handled":")" + r.target + "\"}";
        return res;
    }
    sim::Response handle_control(const sim::Request&) override {
        sim::Response res;
        res.body = R"({"control":true})";
        return res;
    }
    std::atomic<int> handled{0};
};

sim::server::DispatchConfig config(int limit = 700, int list_limit = 200) {
    sim::server::DispatchConfig c;
    c.limits = {limit, list_limit};
    c.api_key = "sim-api-key";
    return c;
}

// The server on its own threads, stopped and joined by the destructor.
struct Server {
    explicit Server(sim::server::DispatchConfig c = config(), int threads = 2)
        : Server(c, listen(threads)) {}
    Server(sim::server::DispatchConfig c, const sim::server::ListenConfig& l)
        : dispatcher(api, clock, c), http(l), thread([this] { http.run(dispatcher); }) {}
    ~Server() {
        http.stop();
        thread.join();
    }
    static sim::server::ListenConfig listen(int threads) {
        sim::server::ListenConfig l;
        l.threads = threads;
        l.body_limit = 1024;
        return l;
    }
    Client client() const { return Client(http.port()); }

    FakeApi api;
    sim::Clock clock{1700000000};
    sim::server::Dispatcher dispatcher;
    sim::server::HttpServer http;
    std::thread thread;
};

int header_int(const Reply& r, const char* name) {
    return std::stoi(r.header(name));
}

void post(Client& c, const std::string& target, const std::string& body) {
    const Reply r = c.send("POST", target, body);
    INFO(r.body);
    REQUIRE(r.status == 200);
}

}  // namespace

TEST_CASE("every /api/v2 answer carries the rate-limit headers and a request id", "[inproc]") {
    Server s;
    Client c = s.client();
    const Reply a = c.get("/api/v2/tickets/1");
    const Reply b = c.get("/api/v2/tickets?include=stats");
    CHECK(a.status == 200);
    CHECK(header_int(a, "X-RateLimit-Total") == 700);
    CHECK(header_int(a, "x-ratelimit-remaining") == 699);
    CHECK(header_int(a, "X-RateLimit-Used-CurrentRequest") == 1);
    CHECK(header_int(b, "X-RateLimit-Used-CurrentRequest") == 3);
    CHECK(header_int(b, "X-RateLimit-Remaining") == 696);
    CHECK(a.header("X-Request-Id").size() == 36);
    CHECK(a.header("X-Request-Id") != b.header("X-Request-Id"));
    CHECK(c.connections_opened() == 1);  // keep-alive
}

TEST_CASE("over the account's budget: 429, its body and Retry-After, nothing handled", "[inproc]") {
    Server s(config(5, 5));
    Client c = s.client();
    for (int i = 0; i < 5; ++i) {
        REQUIRE(c.get("/api/v2/tickets/1").status == 200);
    }
    const Reply r = c.get("/api/v2/tickets/1");
    CHECK(r.status == 429);
    CHECK(r.json() == boost::json::parse(
                          R"({"message":"You have exceeded the limit of requests per minute"})"));
    const int retry = header_int(r, "Retry-After");
    CHECK(retry >= 1);
    CHECK(retry <= 60);
    CHECK(header_int(r, "X-RateLimit-Remaining") == 0);
    CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
    CHECK(s.api.handled == 5);
}

TEST_CASE("the list sub-limits are separate budgets, other endpoints go on", "[inproc]") {
    Server s(config(700, 6));
    Client c = s.client();
    REQUIRE(c.get("/api/v2/tickets?include=stats").status == 200);
    REQUIRE(c.get("/api/v2/tickets?include=stats").status == 200);
    const Reply over = c.get("/api/v2/tickets");
    CHECK(over.status == 429);
    CHECK(header_int(over, "X-RateLimit-Remaining") == 694);  // the account still has room
    CHECK(c.get("/api/v2/contacts").status == 200);
    CHECK(c.get("/api/v2/tickets/7").status == 200);
}

TEST_CASE("moving the clock forward a minute frees the budget, back starts afresh", "[inproc]") {
    Server s(config(2, 2));
    Client c = s.client();
    c.get("/api/v2/tickets/1");
    c.get("/api/v2/tickets/1");
    REQUIRE(c.get("/api/v2/tickets/1").status == 429);
    post(c, "/_sim/clock", R"({"advance_seconds":60})");
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    c.get("/api/v2/tickets/1");
    REQUIRE(c.get("/api/v2/tickets/1").status == 429);
    post(c, "/_sim/clock", R"({"now":"2020-01-01T00:00:00Z"})");
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    // The clock runs on from the time set: allow a few seconds of a slow machine, not an exact
    // read.
    const auto now = sim::server::parse_utc(c.get("/_sim/clock").json().at("now").as_string());
    REQUIRE(now);
    const std::int64_t set_at = *sim::server::parse_utc("2020-01-01T00:00:00Z");
    CHECK(*now >= set_at);
    CHECK(*now - set_at <= 10);
}

TEST_CASE("a burst of 429s set at run time", "[inproc]") {
    Server s;
    Client c = s.client();
    post(c, "/_sim/faults", R"({"burst_429":2})");
    for (int i = 0; i < 2; ++i) {
        const Reply r = c.get("/api/v2/tickets/1");
        CHECK(r.status == 429);
        CHECK(r.header("Retry-After") == "1");
        CHECK(r.has_header("X-RateLimit-Total"));
    }
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const auto stats = c.get("/_sim/stats").json();
    CHECK(stats.at("faults").at("burst_429") == 2);
    CHECK(stats.at("sent_429") == 2);
    CHECK(s.api.handled == 1);
}

TEST_CASE("fail-rate: a seeded, repeatable mix of 500 and 503", "[inproc]") {
    const auto run = [] {
        Server s;
        Client c = s.client();
        post(c, "/_sim/faults", R"({"fail_rate":0.5,"seed":42})");
        std::string statuses;
        for (int i = 0; i < 40; ++i) {
            const Reply r = c.get("/api/v2/tickets/1");
            statuses += std::to_string(r.status) + " ";
            CHECK(r.has_header("X-RateLimit-Remaining"));
        }
        return statuses;
    };
    const std::string first = run();
    CHECK(first == run());
    CHECK(first.find("500") != std::string::npos);
    CHECK(first.find("503") != std::string::npos);
    CHECK(first.find("200") != std::string::npos);
}

TEST_CASE("drop-rate: the request is handled, then the connection closes unanswered", "[inproc]") {
    Server s;
    Client c = s.client();
    post(c, "/_sim/faults", R"({"drop_rate":1})");
    CHECK_THROWS_AS(c.get("/api/v2/tickets/1"), simtest::ConnectionClosed);
    CHECK(s.api.handled == 1);
    post(c, "/_sim/faults", R"({"drop_rate":0})");
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const auto stats = c.get("/_sim/stats").json();
    CHECK(stats.at("faults").at("drops") == 1);
    CHECK(stats.at("endpoints").at("GET /tickets/1").at("statuses").at("0") == 1);
}

TEST_CASE("latency is added to every /api/v2 answer, not to /_sim/", "[inproc]") {
    Server s;
    Client c = s.client();
    // A large latency so that "not delayed" can be told from "delayed" with a wide margin: a
    // /_sim/ answer that took the latency would take >= 2000 ms, while a loaded sanitized build on
    // a busy CI machine may still need a few hundred ms for an undelayed round trip.
    post(c, "/_sim/faults", R"({"latency_ms":2000})");
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const auto t1 = std::chrono::steady_clock::now();
    c.get("/_sim/faults");
    const auto t2 = std::chrono::steady_clock::now();
    CHECK(t1 - t0 >= std::chrono::milliseconds(2000));
    CHECK(t2 - t1 < std::chrono::milliseconds(1000));  // half the latency: clearly not delayed
}

TEST_CASE("stats count requests, credits and statuses per endpoint, reset", "[inproc]") {
    Server s(config(700, 4));
    Client c = s.client();
    c.get("/api/v2/tickets?include=stats");
    c.get("/api/v2/tickets?include=stats");  // 429 (sub-limit): no credits
    c.get("/api/v2/contacts");
    auto stats = c.get("/_sim/stats").json();
    const auto& tickets = stats.at("endpoints").at("GET /tickets");
    CHECK(tickets.at("requests") == 2);
    CHECK(tickets.at("credits") == 3);
    CHECK(tickets.at("statuses").at("200") == 1);
    CHECK(tickets.at("statuses").at("429") == 1);
    CHECK(stats.at("totals").at("requests") == 3);
    CHECK(stats.at("totals").at("credits") == 4);
    CHECK(stats.at("rate_limited_429") == 1);
    CHECK(stats.at("rate_limit").at("window_used").at("tickets_list") == 3);
    stats = c.send("POST", "/_sim/stats/reset").json();
    CHECK(stats.at("totals").at("requests") == 0);
    CHECK(stats.at("endpoints").as_object().empty());
}

TEST_CASE("the request log: newest last, since=N, never the API key", "[inproc]") {
    Server s;
    Client c = s.client();
    c.get("/api/v2/tickets/1");
    c.get("/api/v2/contacts?api_key=sim-api-key");
    c.get("/nowhere");
    const auto log = c.get("/_sim/log").json();
    const auto& entries = log.at("entries").as_array();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].at("target") == "/api/v2/tickets/1");
    CHECK(entries[0].at("method") == "GET");
    CHECK(entries[0].at("status") == 200);
    // The server's clock starts at 1700000000 (2023-11-14T22:13:20Z) and runs at real speed: the
    // entry's time is that start plus however long the test took to get here, a few seconds at
    // most.
    const auto time = sim::server::parse_utc(entries[0].at("time").as_string());
    REQUIRE(time);
    CHECK(*time >= 1700000000);
    CHECK(*time - 1700000000 <= 10);
    CHECK(entries[2].at("status") == 404);
    CHECK(log.at("next") == 3);
    const std::string text = c.get("/_sim/log").body;
    CHECK(text.find("sim-api-key") == std::string::npos);
    CHECK(text.find(simtest::basic_auth("sim-api-key").substr(6)) == std::string::npos);
    const auto tail = c.get("/_sim/log?since=2").json();
    CHECK(tail.at("entries").as_array().size() == 1);
    CHECK(c.get("/_sim/log?since=x").status == 400);
}

TEST_CASE("routing: other /_sim/ to the account's controls, anything else 404", "[inproc]") {
    Server s;
    Client c = s.client();
    CHECK(c.get("/_sim/state").json().at("control") == true);
    const Reply r = c.get("/api/v1/tickets");
    CHECK(r.status == 404);
    CHECK(r.body == " ");
    CHECK(r.has_header("X-Request-Id"));
    CHECK(header_int(r, "X-RateLimit-Total") == 700);  // every answer: nothing charged
    CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
    CHECK(c.send("DELETE", "/_sim/stats").status == 405);
    CHECK(c.send("DELETE", "/_sim/stats").header("Allow") == "GET");
}

TEST_CASE("/_sim/ controls refuse bad bodies and keep their settings", "[inproc]") {
    Server s;
    Client c = s.client();
    const Reply bad = c.send("POST", "/_sim/faults", R"({"fail_rate":2})");
    CHECK(bad.status == 400);
    CHECK(bad.json().at("error").as_string().find("fail_rate") != std::string::npos);
    CHECK(c.send("POST", "/_sim/faults", R"({"nonsense":1})").status == 400);
    CHECK(c.send("POST", "/_sim/faults", "not json").status == 400);
    CHECK(c.send("POST", "/_sim/clock", R"({"now":"yesterday"})").status == 400);
    CHECK(c.send("POST", "/_sim/clock", R"({"now":"2020-01-01T00:00:00Z","advance_seconds":1})")
              .status == 400);
    CHECK(c.send("POST", "/_sim/rate-limit", R"({"limit":0})").status == 400);
    CHECK(c.get("/_sim/faults").json().at("fail_rate") == 0.0);
    post(c, "/_sim/rate-limit", R"({"limit":3,"list_limit":2})");
    CHECK(c.get("/api/v2/tickets/1").header("X-RateLimit-Total") == "3");
}

TEST_CASE("a body over the limit is refused with 413", "[inproc]") {
    Server s;
    Client c = s.client();
    const Reply r = c.send("POST", "/api/v2/tickets/bulk_delete", std::string(4096, ' '));
    CHECK(r.status == 413);
    CHECK(s.api.handled == 0);
    CHECK(header_int(r, "X-RateLimit-Total") == 700);
    CHECK(header_int(r, "X-RateLimit-Remaining") == 700);
    CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
    CHECK(r.header("X-Request-Id").size() == 36);
    CHECK(r.header("Connection") == "close");
}

TEST_CASE("request headers over 8 KB are refused with 431 and the usual headers", "[inproc]") {
    Server s;
    Client c = s.client();
    const Reply r =
        c.raw("GET", "/api/v2/tickets/1", "", {{"X-Big", std::string(20000, 'b')}}, true);
    CHECK(r.status == 431);
    CHECK(s.api.handled == 0);
    CHECK(header_int(r, "X-RateLimit-Total") == 700);
    CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
    CHECK(r.header("X-Request-Id").size() == 36);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
}

TEST_CASE("an exception of the account: 500, and the API key stays off stderr", "[inproc]") {
    Server s;
    Client c = s.client();
    // Standard error goes to a file for the request (the server writes to fd 2).
    simtest::TempDir dir;
    const std::string path = dir.file("stderr.txt");
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(saved >= 0);
    REQUIRE(file >= 0);
    ::dup2(file, STDERR_FILENO);
    const Reply r = c.get("/api/v2/throw?api_key=sim-api-key&again=sim-api-key");
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(file);
    std::ifstream in(path);
    const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(r.status == 500);
    CHECK(r.body.find("sim-api-key") == std::string::npos);
    CHECK(err.find("/api/v2/throw?api_key=***&again=***") != std::string::npos);
    CHECK(err.find("sim-api-key") == std::string::npos);
    const Reply log = c.get("/_sim/log");
    CHECK(log.body.find("sim-api-key") == std::string::npos);
    CHECK(log.body.find("api_key=***") != std::string::npos);
}

TEST_CASE("chunked bodies when asked for", "[inproc]") {
    sim::server::ListenConfig l = Server::listen(2);
    l.chunked = true;
    Server s(config(), l);
    Client c = s.client();
    const Reply r = c.get("/api/v2/tickets/7");
    CHECK(r.status == 200);
    CHECK(r.header("Transfer-Encoding") == "chunked");
    CHECK(r.json().at("handled") == "/api/v2/tickets/7");
    CHECK(c.get("/_sim/faults").status == 200);
    CHECK(c.connections_opened() == 1);
}

TEST_CASE("many connections at once are all answered", "[inproc]") {
    Server s(config(1000000, 1000000), 4);
    std::atomic<int> ok{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            try {
                Client c = s.client();
                for (int i = 0; i < 50; ++i) {
                    ok += c.get("/api/v2/tickets/1").status == 200 ? 1 : 0;
                }
            } catch (const std::exception&) {  // a throw in a thread would call std::terminate
                ++failures;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failures == 0);
    CHECK(ok == 400);
}

TEST_CASE("the sliding window frees credits 60 s after they were spent", "[inproc][unit]") {
    sim::server::Window w;
    w.charge(1000, 3);
    w.charge(1010, 2);
    CHECK(w.used(1010) == 5);
    CHECK(w.used(1059) == 5);
    CHECK(w.used(1060) == 2);
    CHECK(w.used(1070) == 0);
    CHECK(w.wait_ms(1010500, 1) == 49500);
    CHECK(w.wait_ms(1010500, 4) == 59500);
    CHECK(w.wait_ms(1010500, 6) == 60000);
}

TEST_CASE("UTC timestamps", "[inproc][unit]") {
    using sim::server::format_utc;
    using sim::server::parse_utc;
    CHECK(parse_utc("2024-02-29T23:59:59Z") == 1709251199);
    CHECK(parse_utc("2024-03-01") == 1709251200);
    CHECK(format_utc(1709251199) == "2024-02-29T23:59:59Z");
    CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
    CHECK_FALSE(parse_utc("2023-02-29"));
    CHECK_FALSE(parse_utc("2024-01-01T24:00:00Z"));
    CHECK_FALSE(parse_utc("2024-01-01 00:00:00Z"));
}
