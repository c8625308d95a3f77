// Contract tests of freshdesk-sim on the real binary: how the rate-limit headers are written
// (--rate-header-format), a storm of 429s from a budget spent by others (--storm-429-rate), both
// also through POST /_sim/faults, and the list sub-limits that follow --rate-limit by Freshdesk's
// table (docs/simulator.md, "Rate limits" and "Faults").
#include "harness.hpp"

#include <catch2/catch.hpp>

using simtest::Client;
using simtest::Reply;
using simtest::SimProcess;
using simtest::small_with;

namespace {

constexpr const char* kRateHeaders[] = {"X-RateLimit-Total", "X-RateLimit-Remaining",
                                        "X-RateLimit-Used-CurrentRequest"};

// The statuses of `n` GETs of one ticket: "200 429 200 ...".
std::string statuses(Client& c, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += (i == 0 ? "" : " ") + std::to_string(c.get("/api/v2/tickets/1").status);
    }
    return out;
}

std::int64_t count_429(const std::string& text) {
    std::int64_t n = 0;
    for (std::size_t pos = 0; (pos = text.find("429", pos)) != std::string::npos; pos += 3) {
        ++n;
    }
    return n;
}

std::int64_t list_limit(Client& c) {
    const Reply r = c.get("/_sim/rate-limit");
    REQUIRE(r.status == 200);
    return r.json().at("list_limit").to_number<std::int64_t>();
}

}  // namespace

TEST_CASE("option rate-header-format decimal writes 700.0, on 429s too", "[faults][headers]") {
    SimProcess sim(small_with({"--rate-header-format", "decimal", "--burst-429", "1"}));
    Client c(sim.port());
    const Reply limited = c.get("/api/v2/tickets/1");
    CHECK(limited.status == 429);
    CHECK(limited.header("X-RateLimit-Total") == "700.0");
    CHECK(limited.header("X-RateLimit-Used-CurrentRequest") == "0.0");
    CHECK(limited.header("Retry-After") == "1");
    const Reply r = c.get("/api/v2/tickets/1");
    CHECK(r.status == 200);
    CHECK(r.header("X-RateLimit-Total") == "700.0");
    CHECK(r.header("X-RateLimit-Remaining") == "699.0");
    CHECK(r.header("X-RateLimit-Used-CurrentRequest") == "1.0");
    CHECK(c.get("/_sim/stats").header("X-RateLimit-Remaining") == "699.0");
}

TEST_CASE("option rate-header-format garbled and absent, and the faults key", "[faults][headers]") {
    SimProcess sim(small_with({"--rate-header-format", "garbled"}));
    Client c(sim.port());
    const Reply garbled = c.get("/api/v2/tickets/1");
    CHECK(garbled.status == 200);
    for (const char* name : kRateHeaders) {
        CHECK(garbled.header(name) == "NaN");
    }
    CHECK(c.get("/_sim/faults").json().at("rate_header_format") == "garbled");

    REQUIRE(c.send("POST", "/_sim/faults", R"({"rate_header_format":"absent"})").status == 200);
    for (const std::string target : {"/api/v2/tickets/1", "/api/v2/nothing-here", "/_sim/stats"}) {
        const Reply r = c.get(target);
        INFO(target);
        for (const char* name : kRateHeaders) {
            CHECK_FALSE(r.has_header(name));
        }
        CHECK(r.has_header("X-Request-Id"));
    }
    REQUIRE(c.send("POST", "/_sim/faults", R"({"rate_header_format":"integer"})").status == 200);
    CHECK(c.get("/api/v2/tickets/1").header("X-RateLimit-Total") == "700");
    CHECK(c.send("POST", "/_sim/faults", R"({"rate_header_format":"roman"})").status == 400);
    CHECK(c.get("/_sim/faults").json().at("rate_header_format") == "integer");
}

TEST_CASE("option storm-429-rate: a seeded share of 429s, Remaining 0, nothing charged",
          "[faults][storm]") {
    const auto run = [](const char* seed) {
        SimProcess sim(small_with(
            {"--storm-429-rate", "0.3", "--storm-retry-after", "2", "--fault-seed", seed}));
        Client c(sim.port());
        const std::string out = statuses(c, 100);
        const std::int64_t storm = count_429(out);
        const auto stats = c.get("/_sim/stats").json();
        CHECK(stats.at("faults").at("storm_429") == storm);
        CHECK(stats.at("sent_429") == storm);
        CHECK(stats.at("rate_limited_429") == 0);
        CHECK(stats.at("totals").at("credits") == 100 - storm);  // 429s charge nothing
        return out;
    };
    const std::string first = run("4");
    INFO(first);
    CHECK(count_429(first) >= 15);
    CHECK(count_429(first) <= 45);
    CHECK(first == run("4"));
    CHECK(first != run("5"));

    SimProcess sim(small_with({"--storm-429-rate", "1", "--storm-retry-after", "2"}));
    Client c(sim.port());
    const Reply r = c.get("/api/v2/tickets/1");
    CHECK(r.status == 429);
    CHECK(r.header("Retry-After") == "2");
    CHECK(r.header("X-RateLimit-Remaining") == "0");  // as if others had spent the budget
    CHECK(r.header("X-RateLimit-Used-CurrentRequest") == "0");
    CHECK(r.header("X-RateLimit-Total") == "700");
    CHECK(r.json().at("message").is_string());
    CHECK(c.get("/_sim/stats").json().at("rate_limit").at("window_used").at("total") == 0);
}

TEST_CASE("a storm set and stopped at run time", "[faults][storm]") {
    SimProcess sim(small_with({}));
    Client c(sim.port());
    auto r = c.send("POST", "/_sim/faults", R"({"storm_429_rate":1,"storm_retry_after":3})");
    REQUIRE(r.status == 200);
    CHECK(r.json().at("storm_429_rate") == 1.0);
    CHECK(r.json().at("storm_retry_after") == 3);
    const Reply limited = c.get("/api/v2/tickets/1");
    CHECK(limited.status == 429);
    CHECK(limited.header("Retry-After") == "3");
    REQUIRE(c.send("POST", "/_sim/faults", R"({"storm_429_rate":0})").status == 200);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
    CHECK(c.send("POST", "/_sim/faults", R"({"storm_429_rate":1.5})").status == 400);
    CHECK(c.send("POST", "/_sim/faults", R"({"storm_retry_after":-1})").status == 400);
    CHECK(c.get("/_sim/faults").json().at("storm_retry_after") == 3);
}

TEST_CASE("the list sub-limit follows --rate-limit by Freshdesk's table", "[limits]") {
    const std::vector<std::pair<const char*, std::int64_t>> table = {
        {"50", 20}, {"200", 20}, {"400", 100}, {"700", 200}, {"1000", 300}, {"2000", 400}};
    for (const auto& [total, expected] : table) {
        SimProcess sim(small_with({"--rate-limit", total}));
        Client c(sim.port());
        INFO("--rate-limit " << total);
        CHECK(list_limit(c) == expected);
        CHECK(c.get("/_sim/stats").json().at("rate_limit").at("list_limit") == expected);
    }
    SimProcess sim(small_with({}));
    Client c(sim.port());
    CHECK(list_limit(c) == 200);  // the default 700
    REQUIRE(c.send("POST", "/_sim/rate-limit", R"({"limit":1000})").status == 200);
    CHECK(list_limit(c) == 300);  // follows the new total
    REQUIRE(c.send("POST", "/_sim/rate-limit", R"({"list_limit":5})").status == 200);
    REQUIRE(c.send("POST", "/_sim/rate-limit", R"({"limit":2000})").status == 200);
    CHECK(list_limit(c) == 5);  // given: it stays
    REQUIRE(c.send("POST", "/_sim/rate-limit", R"({"list_limit":0})").status == 200);
    CHECK(list_limit(c) == 400);  // 0: the table again
}

TEST_CASE("an explicit list-rate-limit wins, a derived one is enforced", "[limits]") {
    SimProcess given(small_with({"--rate-limit", "1000", "--list-rate-limit", "7"}));
    Client g(given.port());
    CHECK(list_limit(g) == 7);

    // Total 200: the lists get 20 a minute, so the 7th page with stats (3 credits) is refused
    // while the account still has plenty.
    SimProcess sim(small_with({"--rate-limit", "200"}));
    Client c(sim.port());
    const std::string page = "/api/v2/tickets?updated_since=2000-01-01&per_page=5&include=stats";
    for (int i = 0; i < 6; ++i) {
        REQUIRE(c.get(page).status == 200);
    }
    const Reply over = c.get(page);
    CHECK(over.status == 429);
    CHECK(std::stoi(over.header("X-RateLimit-Remaining")) == 182);
    CHECK(c.get("/api/v2/tickets/1").status == 200);
}
