// Contract tests of freshdesk-sim's fault injection on the real binary: options and POST
// /_sim/faults.
#include "harness.hpp"

#include <catch2/catch.hpp>

using simtest::Client;
using simtest::Reply;
using simtest::SimProcess;
using simtest::small_with;

namespace {

// The statuses of `n` GETs of one ticket, " 0" for a dropped request: " 200 0 503 ...".
std::string statuses(int port, int n) {
    Client c(port);
    std::string out;
    for (int i = 0; i < n; ++i) {
        try {
            out += " " + std::to_string(c.get("/api/v2/tickets/1").status);
        } catch (const simtest::ConnectionClosed&) {
            out += " 0";
        }
    }
    return out;
}

// How often the status `status` occurs in a statuses() string.
std::int64_t count(const std::string& text, const std::string& status) {
    std::int64_t n = 0;
    const std::string word = " " + status;
    for (std::size_t pos = 0; (pos = text.find(word, pos)) != std::string::npos; ++pos) {
        const std::size_t end = pos + word.size();
        n += end == text.size() || text[end] == ' ' ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("option burst-429: the first N requests answer 429, then normal service", "[faults]") {
    SimProcess sim(small_with({"--burst-429", "3"}));
    Client c(sim.port());
    for (int i = 0; i < 3; ++i) {
        const Reply r = c.get("/api/v2/tickets/1");
        CHECK(r.status == 429);
        CHECK(r.header("Retry-After") == "1");
        CHECK(r.json().at("message").is_string());
        CHECK(r.has_header("X-RateLimit-Total"));
    }
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const auto stats = c.get("/_sim/stats").json();
    CHECK(stats.at("faults").at("burst_429") == 3);
    CHECK(stats.at("sent_429") == 3);
}

TEST_CASE("options fail-rate and fault-seed: some 500 and 503, the same on every run", "[faults]") {
    const auto run = [](const char* seed) {
        SimProcess sim(small_with({"--fail-rate", "0.4", "--fault-seed", seed}));
        const std::string out = statuses(sim.port(), 50);
        const auto stats = Client(sim.port()).get("/_sim/stats").json();
        CHECK(stats.at("faults").at("fail_500") == count(out, "500"));
        CHECK(stats.at("faults").at("fail_503") == count(out, "503"));
        return out;
    };
    const std::string first = run("9");
    INFO(first);
    CHECK(count(first, "500") > 0);
    CHECK(count(first, "503") > 0);
    CHECK(count(first, "200") > 10);
    CHECK(first == run("9"));
    CHECK(first != run("10"));
}

TEST_CASE("a 503 comes as the load balancer sends it: not JSON", "[faults]") {
    SimProcess sim(small_with({"--fail-rate", "1"}));
    Client c(sim.port());
    bool saw_503 = false;
    for (int i = 0; i < 20 && !saw_503; ++i) {
        const Reply r = c.get("/api/v2/tickets/1");
        REQUIRE((r.status == 500 || r.status == 503));
        CHECK(r.has_header("X-RateLimit-Remaining"));
        if (r.status == 503) {
            saw_503 = true;
            CHECK_THROWS(r.json());
        } else {
            CHECK(r.json().at("code") == "internal_error");
        }
    }
    CHECK(saw_503);
}

TEST_CASE("option drop-rate: the connection closes with no answer", "[faults]") {
    SimProcess sim(small_with({"--drop-rate", "0.5", "--fault-seed", "3"}));
    const std::string out = statuses(sim.port(), 30);
    INFO(out);
    CHECK(count(out, "0") > 0);
    CHECK(count(out, "200") > 0);
    Client c(sim.port());
    const auto stats = c.get("/_sim/stats").json();
    CHECK(stats.at("faults").at("drops") == count(out, "0"));
    bool logged_drop = false;
    const auto log = c.get("/_sim/log").json();
    for (const auto& e : log.at("entries").as_array()) {
        logged_drop = logged_drop || e.at("status") == 0;
    }
    CHECK(logged_drop);
}

TEST_CASE("a dropped request has still been carried out", "[faults]") {
    SimProcess sim(small_with({}));
    Client c(sim.port());
    const auto ticket = c.get("/api/v2/tickets?updated_since=2000-01-01&per_page=1").json();
    const std::string id = std::to_string(ticket.at(0).at("id").to_number<std::int64_t>());
    REQUIRE(c.send("POST", "/_sim/faults", R"({"drop_rate":1})").status == 200);
    CHECK_THROWS_AS(c.send("DELETE", "/api/v2/tickets/" + id), simtest::ConnectionClosed);
    REQUIRE(c.send("POST", "/_sim/faults", R"({"drop_rate":0})").status == 200);
    const Reply after = c.get("/api/v2/tickets/" + id);
    REQUIRE(after.status == 200);
    CHECK(after.json().at("deleted") == true);
}

TEST_CASE("option latency-ms delays every /api/v2 answer", "[faults]") {
    SimProcess sim(small_with({"--latency-ms", "250"}));
    Client c(sim.port());
    c.get("/_sim/stats");  // connected
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(250));
}

TEST_CASE("faults set and read at run time", "[faults]") {
    SimProcess sim(small_with({}));
    Client c(sim.port());
    auto r = c.send("POST", "/_sim/faults", R"({"burst_429":1,"latency_ms":10})");
    REQUIRE(r.status == 200);
    CHECK(r.json().at("burst_429") == 1);
    CHECK(c.get("/api/v2/tickets/1").status == 429);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    const auto now = c.get("/_sim/faults").json();
    CHECK(now.at("burst_429") == 0);
    CHECK(now.at("latency_ms") == 10);
    CHECK(c.send("POST", "/_sim/faults", R"({"drop_rate":-1})").status == 400);
    CHECK(c.send("POST", "/_sim/faults", R"({"latency":5})").status == 400);
}
