// Contract tests of freshdesk-sim's transport on the real binary: process life (port 0, signals,
// usage errors, 127.0.0.1 only), the rate-limit headers and budgets, the /_sim/ introspection and
// the clock. Faults: test_sim_transport_faults.cpp; HTTPS: test_sim_transport_tls.cpp.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using simtest::Client;
using simtest::Reply;
using simtest::SimProcess;

namespace {

const std::vector<std::string> kSmall = {"--generate", "contacts=60,tickets=400,seed=5"};

std::vector<std::string> small_with(std::vector<std::string> extra) {
    std::vector<std::string> args = kSmall;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

int header_int(const Reply& r, const char* name) {
    INFO(name << " in a " << r.status << " answer: " << r.body);
    REQUIRE(r.has_header(name));
    return std::stoi(r.header(name));
}

const char* kList = "/api/v2/tickets?updated_since=2000-01-01&per_page=5";

// The listening sockets of /proc/net/tcp on `port`, as "ADDRESS:PORT" in the kernel's hex.
std::vector<std::string> listeners(int port) {
    std::ifstream in("/proc/net/tcp");
    std::vector<std::string> found;
    std::string line;
    char hex_port[8];
    std::snprintf(hex_port, sizeof hex_port, "%04X", static_cast<unsigned>(port));
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        if (state == "0A" && local.size() > 5 && local.substr(local.size() - 4) == hex_port) {
            found.push_back(local);
        }
    }
    return found;
}

}  // namespace

TEST_CASE("port 0: the chosen port is the first stdout line, and SIGTERM exits 0", "[transport]") {
    SimProcess sim(kSmall);
    CHECK(sim.port() > 0);
    CHECK(sim.base_url() == "http://127.0.0.1:" + std::to_string(sim.port()));
    Client c(sim.port());
    CHECK(c.get("/api/v2/tickets/1").has_header("X-Request-Id"));
    CHECK(sim.stop() == 0);  // the port is free again: not contacted (another process may own it)
}

TEST_CASE("SIGTERM while a large account is built: exit 0 at once, no port printed",
          "[transport]") {
    simtest::RawProcess sim({simtest::sim_binary(), "--generate",
                             "contacts=200000,tickets=1000000,seed=3", "--port", "0"});
    // Before freshdesk-sim takes SIGTERM itself, the default action (death by signal) applies.
    REQUIRE(sim.wait_blocked(SIGTERM, std::chrono::seconds(30)));
    const auto sent = std::chrono::steady_clock::now();
    sim.signal(SIGTERM);
    const auto r = sim.finish(std::chrono::seconds(60));
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(std::chrono::steady_clock::now() - sent < std::chrono::seconds(10));
}

TEST_CASE("SIGINT while a large account is built: exit 0, no port printed", "[transport]") {
    simtest::RawProcess sim({simtest::sim_binary(), "--generate",
                             "contacts=200000,tickets=1000000,seed=4", "--port", "0"});
    REQUIRE(sim.wait_blocked(SIGINT, std::chrono::seconds(30)));
    sim.signal(SIGINT);
    const auto r = sim.finish(std::chrono::seconds(60));
    CHECK(r.status == 0);
    CHECK(r.out.empty());
}

TEST_CASE("SIGINT also stops it cleanly, with a connection still open", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    REQUIRE(c.get("/_sim/stats").status == 200);
    sim.signal(SIGINT);
    CHECK(sim.wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("it listens on 127.0.0.1 only", "[transport]") {
    SimProcess sim(kSmall);
    const auto found = listeners(sim.port());
    REQUIRE(found.size() == 1);
    CHECK(found[0] == "0100007F:" + found[0].substr(9));
}

TEST_CASE("usage errors exit 2 with a message, and help exits 0", "[transport]") {
    const std::string bin = simtest::sim_binary();
    const auto help = simtest::run_command({bin, "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("--list-rate-limit") != std::string::npos);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {},                                                      // no account
             {"--generate", "tickets=10", "--account", "a.json"},     // both
             {"--gen", "tickets=10"},                                 // no abbreviations
             {"--generate", "tickets=10", "--rate-limit", "-1"},      // range
             {"--generate", "tickets=10", "--fail-rate", "1.5"},      // range
             {"--generate", "tickets=10", "--link-style", "wide"},    // variants
             {"--generate", "tickets=10", "--now", "2024-13-01"},     // time
             {"--generate", "tickets=10", "--tls-cert", "c.pem"}}) {  // cert without key
        std::vector<std::string> argv{bin};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = simtest::run_command(argv);
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(r.err.find("freshdesk-sim: ") == 0);
        CHECK(r.out.empty());
    }
    const auto bad_file = simtest::run_command({bin, "--account", "/nonexistent.json"});
    CHECK(bad_file.status == 1);
}

TEST_CASE("every /api/v2 answer carries X-RateLimit-* and X-Request-Id", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    Client intruder(sim.port(), "wrong-key");
    std::vector<Reply> replies{c.get(kList),
                               c.get("/api/v2/tickets/999999"),
                               c.get("/api/v2/tickets?per_page=101"),
                               intruder.get("/api/v2/tickets/1"),
                               c.raw("GET", "/api/v2/tickets/1", "", {}, false),
                               c.send("DELETE", "/api/v2/contacts/1"),
                               c.get("/api/v2/nothing-here")};
    int remaining = 700;
    std::set<std::string> ids;
    for (const Reply& r : replies) {
        CHECK(header_int(r, "X-RateLimit-Total") == 700);
        CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 1);
        CHECK(header_int(r, "X-RateLimit-Remaining") == --remaining);
        ids.insert(r.header("X-Request-Id"));
    }
    CHECK(ids.size() == replies.size());
    CHECK(replies[3].status == 401);
    CHECK(replies[4].status == 401);
}

namespace {

void check_refusal_headers(const Reply& r) {
    INFO(r.status << ": " << r.body);
    CHECK(header_int(r, "X-RateLimit-Total") == 700);
    CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
    CHECK(header_int(r, "X-RateLimit-Remaining") == 699);  // one request spent before
    CHECK(r.header("X-Request-Id").size() == 36);
    CHECK(r.json().at("message").is_string());
    CHECK(r.header("Connection") == "close");
}

}  // namespace

TEST_CASE("a body over 8 MB: 413 with the rate-limit headers and a request id", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    REQUIRE(c.get("/api/v2/tickets/1").status == 200);
    const Reply r = c.send("POST", "/api/v2/tickets/bulk_delete",
                           std::string(9 * 1024 * 1024, ' '));  // sent in full, then read
    CHECK(r.status == 413);
    check_refusal_headers(r);
    CHECK(c.get("/api/v2/tickets/1").status == 200);  // on a new connection
    CHECK(c.connections_opened() == 2);
}

TEST_CASE("request headers over 8 KB: 431 with the rate-limit headers, not a silent close",
          "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    REQUIRE(c.get("/api/v2/tickets/1").status == 200);
    const Reply r =
        c.raw("GET", "/api/v2/tickets/1", "", {{"X-Padding", std::string(16 * 1024, 'p')}}, true);
    CHECK(r.status == 431);
    check_refusal_headers(r);
    const Reply next = c.get("/api/v2/tickets/1");
    CHECK(next.status == 200);
    CHECK(header_int(next, "X-RateLimit-Remaining") == 698);  // the refused one was not charged
}

TEST_CASE("/_sim/ and unknown paths also carry the rate-limit headers", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    for (const char* target : {"/_sim/stats", "/_sim/clock", "/nothing-here"}) {
        const Reply r = c.get(target);
        INFO(target);
        CHECK(header_int(r, "X-RateLimit-Total") == 700);
        CHECK(header_int(r, "X-RateLimit-Used-CurrentRequest") == 0);
        CHECK(header_int(r, "X-RateLimit-Remaining") == 700);
        CHECK(r.has_header("X-Request-Id"));
    }
}

TEST_CASE("option header-case lower: every header name in lower case", "[transport]") {
    SimProcess sim(small_with({"--header-case", "lower"}));
    const Reply r = Client(sim.port()).get(kList);
    REQUIRE(r.status == 200);
    std::vector<std::string> names;
    for (const auto& header : r.headers) {
        names.push_back(header.first);
    }
    CHECK_THAT(names, Catch::Matchers::VectorContains(std::string("x-ratelimit-remaining")));
    CHECK_THAT(names, Catch::Matchers::VectorContains(std::string("link")));
    CHECK_THAT(names, Catch::Matchers::VectorContains(std::string("x-request-id")));
}

TEST_CASE("include=stats costs 3 credits on the tickets list, 2 on a ticket", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    const Reply list = c.get(std::string(kList) + "&include=stats");
    REQUIRE(list.status == 200);
    CHECK(header_int(list, "X-RateLimit-Used-CurrentRequest") == 3);
    CHECK(header_int(list, "X-RateLimit-Remaining") == 697);
    const Reply one = c.get("/api/v2/tickets/2?include=stats");
    CHECK(header_int(one, "X-RateLimit-Used-CurrentRequest") == 2);
}

TEST_CASE("the tickets list's sub-limit answers 429 while other endpoints work", "[transport]") {
    SimProcess sim(small_with({"--list-rate-limit", "6"}));
    Client c(sim.port());
    REQUIRE(c.get(std::string(kList) + "&include=stats").status == 200);
    REQUIRE(c.get(std::string(kList) + "&include=stats").status == 200);
    const Reply over = c.get(kList);
    CHECK(over.status == 429);
    CHECK(over.json().at("message").is_string());
    CHECK(header_int(over, "Retry-After") >= 1);
    CHECK(header_int(over, "X-RateLimit-Remaining") == 694);
    CHECK(c.get("/api/v2/contacts?per_page=5").status == 200);  // its own sub-limit
    CHECK(c.get("/api/v2/tickets/3").status == 200);
    CHECK(c.get("/api/v2/companies").status == 200);
}

TEST_CASE("over the account's limit: 429 with its body and Retry-After, bad requests count",
          "[transport]") {
    SimProcess sim(small_with({"--rate-limit", "3"}));
    Client c(sim.port());
    Client intruder(sim.port(), "wrong-key");
    CHECK(intruder.get("/api/v2/tickets/1").status == 401);
    CHECK(c.get("/api/v2/tickets?per_page=500").status == 400);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const Reply r = c.get("/api/v2/tickets/1");
    CHECK(r.status == 429);
    CHECK(r.json() == boost::json::parse(
                          R"({"message":"You have exceeded the limit of requests per minute"})"));
    CHECK(r.header("Content-Type").find("application/json") == 0);
    const int retry = header_int(r, "Retry-After");
    CHECK(retry >= 50);
    CHECK(retry <= 60);
    CHECK(header_int(r, "X-RateLimit-Total") == 3);
    CHECK(header_int(r, "X-RateLimit-Remaining") == 0);
    // A minute later (on the simulator's clock) the budget is back.
    REQUIRE(c.send("POST", "/_sim/clock", R"({"advance_seconds":61})").status == 200);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
}

TEST_CASE("stats: requests, credits and statuses per endpoint, 429s, reset", "[transport]") {
    SimProcess sim(small_with({"--list-rate-limit", "3"}));
    Client c(sim.port());
    c.get(std::string(kList) + "&include=stats");
    c.get(kList);  // 429: over the list's sub-limit
    c.get("/api/v2/tickets/1");
    c.get("/api/v2/tickets/2");
    c.get("/api/v2/tickets/999999");
    const auto stats = c.get("/_sim/stats").json();
    const auto& list = stats.at("endpoints").at("GET /tickets");
    CHECK(list.at("requests") == 2);
    CHECK(list.at("credits") == 3);
    CHECK(list.at("statuses").at("429") == 1);
    const auto& view = stats.at("endpoints").at("GET /tickets/{id}");
    CHECK(view.at("requests") == 3);
    CHECK(view.at("statuses").at("404") == 1);
    CHECK(stats.at("totals").at("requests") == 5);
    CHECK(stats.at("totals").at("credits") == 6);
    CHECK(stats.at("sent_429") == 1);
    const auto after = c.send("POST", "/_sim/stats/reset").json();
    CHECK(after.at("totals").at("requests") == 0);
}

TEST_CASE("the request log keeps method, target, status and time, never the key", "[transport]") {
    SimProcess sim(small_with({"--now", "2024-06-01T12:00:00Z"}));
    Client c(sim.port());
    c.get("/api/v2/tickets/1");
    c.send("DELETE", "/api/v2/tickets/999999");
    Client(sim.port(), "wrong-key").get("/api/v2/contacts");
    const Reply log = c.get("/_sim/log");
    CHECK(log.body.find("sim-api-key") == std::string::npos);
    CHECK(log.body.find(simtest::basic_auth("sim-api-key").substr(6)) == std::string::npos);
    const auto body = log.json();
    const auto& entries = body.at("entries").as_array();
    REQUIRE(entries.size() == 3);
    CHECK(entries[1].at("method") == "DELETE");
    CHECK(entries[1].at("target") == "/api/v2/tickets/999999");
    CHECK(entries[1].at("status") == 404);
    CHECK(entries[2].at("status") == 401);
    CHECK(entries[0].at("time").as_string().starts_with("2024-06-01T12:0"));
    CHECK(c.get("/_sim/log?since=2").json().at("entries").as_array().size() == 1);
}

TEST_CASE("an API key in a query string reaches neither stderr nor the request log",
          "[transport]") {
    const std::string key = "Zq8-secret-key-4711";
    simtest::RawProcess sim({simtest::sim_binary(), "--generate", "contacts=20,tickets=50,seed=2",
                             "--api-key", key, "--port", "0"});
    const std::string line = sim.first_line(std::chrono::seconds(120));
    REQUIRE(!line.empty());
    const int port = std::stoi(line);
    Client c(port, key);
    Client other(port, "wrong-key");
    const std::vector<std::string> targets = {"/api/v2/tickets?api_key=" + key,
                                              "/api/v2/tickets/1?token=" + key + "&x=" + key,
                                              "/api/v2/contacts?email=" + key + "%40example.com",
                                              "/api/v2/search/tickets?query=%22" + key + "%22",
                                              "/api/v2/" + key,
                                              "/" + key + "?k=" + key};
    for (const auto& target : targets) {
        c.get(target);
        other.get(target);
        c.send("DELETE", target);
    }
    const Reply log = c.get("/_sim/log");
    REQUIRE(log.status == 200);
    CHECK(log.body.find(key) == std::string::npos);
    CHECK(log.body.find(simtest::basic_auth(key).substr(6)) == std::string::npos);
    CHECK(log.body.find("***") != std::string::npos);
    CHECK(log.json().at("entries").as_array().size() == 3 * targets.size());
    sim.signal(SIGTERM);
    const auto r = sim.finish(std::chrono::seconds(30));
    CHECK(r.status == 0);
    CHECK(r.err.find(key) == std::string::npos);
    CHECK(r.out == line + "\n");
}

TEST_CASE("option chunked yes: bodies in chunked transfer encoding, read by the client",
          "[transport]") {
    // Generated dates count back from the clock: both clocks start at one instant, or a second
    // boundary between the two starts makes the bodies differ.
    const std::string now = "2024-06-01T12:00:00Z";
    SimProcess sim(small_with({"--chunked", "yes", "--now", now}));
    SimProcess plain(small_with({"--now", now}));
    Client c(sim.port());
    const Reply r = c.get(kList);
    REQUIRE(r.status == 200);
    CHECK(r.header("Transfer-Encoding") == "chunked");
    CHECK_FALSE(r.has_header("Content-Length"));
    const Reply expected = Client(plain.port()).get(kList);
    CHECK(expected.header("Content-Length") == std::to_string(expected.body.size()));
    CHECK(r.json() == expected.json());
    CHECK(c.get("/api/v2/tickets/999999").status == 404);  // same connection
    CHECK(c.get("/_sim/stats").json().at("totals").at("requests") == 2);
    CHECK(c.connections_opened() == 1);
}

TEST_CASE("the clock: option now, then set and advanced at run time", "[transport]") {
    SimProcess sim(small_with({"--now", "2024-01-01T00:00:00Z"}));
    Client c(sim.port());
    CHECK(c.get("/_sim/clock").json().at("now").as_string().starts_with("2024-01-01T00:00:0"));
    auto r = c.send("POST", "/_sim/clock", R"({"now":"2025-03-04T05:06:07Z"})");
    CHECK(r.json().at("now") == "2025-03-04T05:06:07Z");
    r = c.send("POST", "/_sim/clock", R"({"advance_seconds":86400})");
    CHECK(r.json().at("now").as_string().starts_with("2025-03-05T05:06:0"));
    CHECK(c.get("/_sim/state").json().at("now").as_string().starts_with("2025-03-05"));
    CHECK(c.send("POST", "/_sim/clock", R"({"advance_seconds":"soon"})").status == 400);
}

TEST_CASE("every answer carries a Date header with the simulator's clock", "[transport]") {
    SimProcess sim(small_with({"--now", "2024-01-01T00:00:00Z"}));
    Client c(sim.port());
    const auto set = c.send("POST", "/_sim/clock", R"({"now":"2025-03-04T05:06:07Z"})");
    CHECK(set.header("Date").starts_with("Tue, 04 Mar 2025 05:06:0"));
    CHECK(set.header("Date").ends_with(" GMT"));
    CHECK(c.get(kList).header("Date").starts_with("Tue, 04 Mar 2025 05:06:"));
    CHECK(c.get("/api/v2/tickets/999999").header("Date").starts_with("Tue, 04 Mar 2025 05:0"));
    c.send("POST", "/_sim/clock", R"({"now":"2026-12-06T23:59:58Z"})");
    CHECK(c.get("/api/v2/nothing-here").header("Date").starts_with("Sun, 06 Dec 2026 23:59:5"));
}

TEST_CASE("keep-alive connections, and Connection: close is honoured", "[transport]") {
    SimProcess sim(kSmall);
    Client c(sim.port());
    for (int i = 0; i < 5; ++i) {
        REQUIRE(c.get("/api/v2/tickets/1").status == 200);
    }
    CHECK(c.connections_opened() == 1);
    const Reply r = c.raw("GET", "/api/v2/tickets/1", "", {{"Connection", "close"}}, true);
    CHECK(r.header("Connection") == "close");
    c.get("/api/v2/tickets/1");
    CHECK(c.connections_opened() == 2);
}

TEST_CASE("several connections at once", "[transport]") {
    SimProcess sim(small_with({"--rate-limit", "100000", "--list-rate-limit", "100000"}));
    std::atomic<int> ok{0};
    std::atomic<int> failures{0};  // a throw inside a thread would call std::terminate
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            try {
                Client c(sim.port());
                for (int page = 1; page <= 20; ++page) {
                    const Reply r = c.get(std::string(kList) + "&page=" + std::to_string(page + t));
                    ok += r.status == 200 ? 1 : 0;
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failures == 0);
    CHECK(ok == 120);
    CHECK(Client(sim.port()).get("/_sim/stats").json().at("totals").at("requests") == 120);
}
