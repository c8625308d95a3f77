// The Client and the rate-limit headers as real accounts write them (decimals such as 700.0, or
// nothing readable), and under a storm of 429s from other integrations (docs/decisions.md,
// "Freshdesk client").
#include "client_fakes.hpp"
#include "freshdesk/client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace clientfakes;
using namespace std::chrono_literals;

namespace {

std::vector<http::Header> text_limits(const std::string& total, const std::string& remaining,
                                      const std::string& used) {
    return {{"X-RateLimit-Total", total},
            {"X-RateLimit-Remaining", remaining},
            {"X-RateLimit-Used-CurrentRequest", used}};
}

std::vector<http::Header> storm_headers(const std::string& retry_after = "1") {
    return {{"Retry-After", retry_after},
            {"X-RateLimit-Total", "700"},
            {"X-RateLimit-Remaining", "0"},
            {"X-RateLimit-Used-CurrentRequest", "0"}};
}

std::size_t mentions(const std::vector<std::string>& lines, const std::string& word) {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) {
        return l.find(word) != std::string::npos;
    }));
}

milliseconds longest(const std::vector<milliseconds>& sleeps) {
    return sleeps.empty() ? 0ms : *std::max_element(sleeps.begin(), sleeps.end());
}

}  // namespace

TEST_CASE("X-RateLimit-Total is read as a number - decimals too, garbage never") {
    struct Case {
        const char* value;
        int total;  // 0: unreadable
        int pace;
    };
    const Case cases[] = {{"700", 700, 665},   {"700.0", 700, 665},    {" 50.0 ", 50, 47},
                          {"400.9", 400, 380}, {"1000.00", 1000, 950}, {"1e3", 0, 47},
                          {"-1", 0, 47},       {"-700.0", 0, 47},      {"abc", 0, 47},
                          {"", 0, 47},         {"7 00", 0, 47},        {"+700", 0, 47},
                          {"0x2BC", 0, 47},    {"700.0.0", 0, 47},     {".5", 0, 47},
                          {"NaN", 0, 47},      {"99999999999", 0, 47}};
    for (const Case& c : cases) {
        INFO("X-RateLimit-Total: \"" << c.value << "\"");
        Fixture f;
        f.http.add(200, "{}", text_limits(c.value, "690.0", "1.0"));
        f.make().send(get("/api/v2/groups"));
        const Counters counters = f.client->counters();
        CHECK(counters.rate_limit_total == c.total);
        CHECK(counters.pace_per_minute == c.pace);
    }
}

TEST_CASE("X-RateLimit-Used-CurrentRequest as a decimal is charged, a fraction rounded up") {
    Fixture f;
    f.http.add(200, "[]", text_limits("700.0", "697.0", "3.0"));
    f.http.add(200, "[]", text_limits("700.0", "694.0", "2.5"));
    Client& client = f.make();
    CHECK(client.send(get("/api/v2/tickets?include=stats")).credits_used == 3);
    CHECK(client.send(get("/api/v2/tickets?include=stats")).credits_used == 3);
    CHECK(client.counters().credits == 6);
}

TEST_CASE("unreadable rate-limit headers - paced at 47 a minute, said once, key never shown") {
    Fixture f;
    for (int i = 0; i < 100; ++i) {
        f.http.add(200, "{}",
                   i % 2 == 0 ? text_limits("NaN", "NaN", "NaN") : std::vector<http::Header>{});
    }
    Client& client = f.make();
    for (int i = 0; i < 100; ++i) {
        client.send(get("/api/v2/contacts/" + std::to_string(i)));
    }
    INFO("noticed: " << (f.noticed.empty() ? "" : f.noticed.front()));
    CHECK(f.noticed.size() == 1);
    CHECK(mentions(f.noticed, "X-RateLimit-Total") == 1);
    CHECK(mentions(f.noticed, "47 credits") == 1);
    CHECK(f.logged.empty());  // a notice, not a retry's log line
    for (const std::string& line : f.noticed) {
        CHECK(line.find(test_key) == std::string::npos);
        CHECK(line.find(test_basic) == std::string::npos);
    }
    const Counters c = client.counters();
    CHECK(c.pace_per_minute == 47);
    CHECK(c.rate_limit_total == 0);
    CHECK(total_ms(f.clock.sleeps()) >= 115000);  // 100 credits at 47 a minute, after a 2 s burst
}

TEST_CASE("unreadable rate-limit headers with --rate-limit - the user's pace, said once") {
    Fixture f;
    f.policy.rate_limit = 120;
    for (int i = 0; i < 5; ++i) {
        f.http.add(200, "{}", text_limits("", "", ""));
    }
    Client& client = f.make();
    for (int i = 0; i < 5; ++i) {
        client.send(get("/api/v2/groups"));
    }
    CHECK(f.noticed.size() == 1);
    CHECK(mentions(f.noticed, "X-RateLimit-Total") == 1);
    CHECK(mentions(f.noticed, "--rate-limit") == 1);
    CHECK(client.counters().pace_per_minute == 120);
}

TEST_CASE("a storm of 429s with Retry-After 1 costs a second a 429, never a minute") {
    Fixture f;
    constexpr int calls = 60;
    int answers_429 = 0;
    f.http.add(200, "{}", limits(700, 699, 1));
    for (int i = 0; i < calls; ++i) {
        if (i % 3 == 1) {  // a third of the calls meet one 429 (others' burst) before their 200
            f.http.add(429, R"({"message":"slow down"})", storm_headers());
            ++answers_429;
        }
        f.http.add(200, "{}", limits(700, 690, 1));
    }
    Client& client = f.make();
    client.send(get("/api/v2/groups"));
    for (int i = 0; i < calls; ++i) {
        CHECK(client.send(get("/api/v2/contacts/" + std::to_string(i))).status == 200);
    }
    const Counters c = client.counters();
    CHECK(c.rate_limited == answers_429);
    CHECK(c.calls == calls + 1 + answers_429);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    CHECK(longest(sleeps) <= 1250ms);  // Retry-After plus a jitter of 250 ms at most
    // 61 calls at 665 a minute take about 4 s; each 429 adds its Retry-After and the jitter.
    CHECK(total_ms(sleeps) <= 4000 + answers_429 * 1250);
}

TEST_CASE("429s do not count toward max_attempts - they have their own, larger bound") {
    Fixture f;
    for (int i = 0; i < 12; ++i) {
        f.http.add(429, R"({"message":"slow down"})", storm_headers());
    }
    f.http.add(200, "{}", limits(700, 690, 1));
    Client& client = f.make();
    CHECK(client.send(get("/api/v2/groups")).status == 200);  // 12 > max_attempts (8)
    CHECK(client.counters().rate_limited == 12);

    f.http.queue.clear();
    for (int i = 0; i < 40; ++i) {
        f.http.add(429, R"({"message":"slow down"})", storm_headers());
    }
    const std::size_t before = f.http.requests.size();
    CHECK(client.send(get("/api/v2/groups")).status == 429);
    CHECK(f.http.requests.size() - before == 20);  // Policy::max_rate_limited

    f.http.queue.clear();
    for (int i = 0; i < 6; ++i) {  // 5xx still count to 8, however many 429s come between
        f.http.add(503, "<html>busy</html>", limits(700, 690, 1));
        f.http.add(429, R"({"message":"slow down"})", storm_headers());
    }
    f.http.add(200, "{}", limits(700, 690, 1));
    CHECK(client.send(get("/api/v2/groups")).status == 200);
}

TEST_CASE("Retry-After as a decimal is waited in full") {
    Fixture f;
    f.http.add(429, R"({"message":"slow down"})", storm_headers("1.5"));
    f.http.add(200, "{}", limits(700, 690, 1));
    CHECK(f.make().send(get("/api/v2/groups")).status == 200);
    const std::vector<milliseconds> sleeps = f.clock.sleeps();
    REQUIRE(sleeps.size() == 1);
    CHECK(sleeps[0] >= 1500ms);
    CHECK(sleeps[0] <= 1750ms);
}
