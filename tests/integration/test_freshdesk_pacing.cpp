// lib/freshdesk's Client over HTTP to a freshdesk-sim process, and `gdpr-purge plan` end to end,
// with the rate-limit headers written as decimals or not readable, and under a storm of 429s from
// other integrations (docs/decisions.md, "Freshdesk client"; docs/simulator.md, "Faults"). The
// pacer's waits run on a fake clock that moves the simulator's clock (and so its rate window) as
// far: minutes of budget pass in milliseconds, and the assertions are on computed quantities.
#include "freshdesk/client.hpp"
#include "harness.hpp"
#include "http/http.hpp"
#include "sim_http.hpp"
#include "test_plan_e2e.hpp"

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace fd = gp::freshdesk;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

constexpr const char* kKey = "sim-api-key";

class SimClock : public fd::Clock {
  public:
    explicit SimClock(simtest::Client& control) : control_(control) {}
    std::chrono::steady_clock::time_point now() override {
        std::lock_guard lock(mutex_);
        return start_ + offset_;
    }
    void sleep_for(milliseconds duration) override {
        if (duration.count() <= 0) {
            return;
        }
        std::lock_guard lock(mutex_);
        offset_ += duration;
        sleeps_.push_back(duration);
        // The simulator's window counts whole seconds: move it once a whole second has passed.
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(offset_).count();
        if (seconds > moved_) {
            const simtest::Reply r =
                control_.send("POST", "/_sim/clock",
                              "{\"advance_seconds\":" + std::to_string(seconds - moved_) + "}");
            REQUIRE(r.status == 200);
            moved_ = seconds;
        }
    }
    std::vector<milliseconds> sleeps() {
        std::lock_guard lock(mutex_);
        return sleeps_;
    }

  private:
    simtest::Client& control_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    milliseconds offset_{0};
    std::int64_t moved_ = 0;
    std::vector<milliseconds> sleeps_;
};

struct OverHttp {
    simtest::SimProcess process;
    simtest::Client control;
    std::unique_ptr<gp::http::HttpClient> http;
    SimClock clock;
    std::vector<std::string> logged;
    fd::Client client;

    explicit OverHttp(std::vector<std::string> extra, fd::Policy policy = {})
        : process(args(std::move(extra))),
          control(process.port()),
          http(simtest::loopback_http(process.port())),
          clock(control),
          client(*http, fd::ApiKey(kKey), std::move(policy), clock,
                 [this](std::string_view m) { logged.emplace_back(m); }) {}

    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> a = {"--generate", "contacts=60,tickets=400,seed=5", "--threads",
                                      "2"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
    // `n` views of tickets 1..n; every one must end in 200.
    void views(int n) {
        for (int i = 1; i <= n; ++i) {
            fd::Call call;
            call.target = "/api/v2/tickets/" + std::to_string(i);
            INFO(call.target);
            CHECK(client.send(call).status == 200);
        }
    }
    json::object stats() {
        const simtest::Reply r = control.get("/_sim/stats");
        REQUIRE(r.status == 200);
        return r.json().as_object();
    }
};

std::int64_t total_ms(const std::vector<milliseconds>& sleeps) {
    std::int64_t sum = 0;
    for (const milliseconds d : sleeps) {
        sum += d.count();
    }
    return sum;
}

}  // namespace

TEST_CASE("over HTTP: decimal rate-limit headers pace the client at the header's total",
          "[pacing][headers]") {
    OverHttp s({"--rate-header-format", "decimal", "--rate-limit", "400"});
    s.views(30);
    const fd::Counters c = s.client.counters();
    CHECK(c.rate_limit_total == 400);
    CHECK(c.pace_per_minute == 380);
    CHECK(c.credits == 30);
    CHECK(s.logged.empty());
}

TEST_CASE("over HTTP: unreadable rate-limit headers pace at 47 a minute, said once",
          "[pacing][headers]") {
    const std::string format = GENERATE(std::string("garbled"), std::string("absent"));
    INFO("--rate-header-format " << format);
    OverHttp s({"--rate-header-format", format});
    s.views(60);
    const fd::Counters c = s.client.counters();
    CHECK(c.rate_limit_total == 0);
    CHECK(c.pace_per_minute == 47);
    REQUIRE(s.logged.size() == 1);
    CHECK(s.logged[0].find("X-RateLimit-Total") != std::string::npos);
    CHECK(s.logged[0].find(kKey) == std::string::npos);
    // 60 credits at 47 a minute: more than a minute of waits (on the fake clock).
    CHECK(total_ms(s.clock.sleeps()) >= 60000);
    CHECK(s.stats().at("rate_limited_429").as_int64() == 0);
}

TEST_CASE("over HTTP: a storm of 30% 429s with Retry-After 1 - every call answered, no long wait",
          "[pacing][storm]") {
    OverHttp s({"--storm-429-rate", "0.3", "--storm-retry-after", "1", "--fault-seed", "7"});
    s.views(200);
    const fd::Counters c = s.client.counters();
    const json::object stats = s.stats();
    const std::int64_t storm = stats.at("faults").at("storm_429").as_int64();
    CHECK(storm >= 40);
    CHECK(c.rate_limited == storm);
    CHECK(c.calls == 200 + storm);
    CHECK(c.credits == 200);
    const std::vector<milliseconds> sleeps = s.clock.sleeps();
    const milliseconds longest =
        sleeps.empty() ? milliseconds{0} : *std::max_element(sleeps.begin(), sleeps.end());
    CHECK(longest <= milliseconds{3000});  // never a minute-long stall
    // 200 calls at 665 a minute take about 16 s; each 429 costs its caller about 1.1 s.
    CHECK(total_ms(sleeps) <= 20000 + storm * 1300);
}

// The pace of 47 a minute is the Client's (above); here --rate-limit keeps the run short, and the
// line must still come, once, as a warning: without -v, as a cron job runs it.
TEST_CASE("plan with unreadable rate-limit headers - one line on stderr, the key never",
          "[pacing][e2e]") {
    simtest::SimProcess sim(
        e2e::sim_account(e2e::account_file(1), {"--rate-header-format", "garbled"}));
    const simtest::TempDir dir;
    const e2e::Run run = e2e::run_plan(
        sim.base_url(), e2e::rules_file(1),
        {"--out", dir.file("p.json"), "--report", dir.file("r.json"), "--rate-limit", "6000"});
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    std::size_t told = 0;
    for (const std::string& line : e2e::lines(run.err)) {
        if (e2e::contains(line, "X-RateLimit-Total")) {
            ++told;
            CHECK(e2e::contains(line, "warning"));
        }
    }
    CHECK(told == 1);
    CHECK_FALSE(e2e::contains(run.err, kKey));
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("r.json")));
    const json::object& api = e2e::member_object(report, "api");
    CHECK(e2e::integer(api.at("pace_per_minute")) == 6000);
    CHECK(e2e::integer(api.at("rate_limit_total")) == 0);
}

TEST_CASE("plan under a storm of 429s completes, the 429s counted", "[pacing][e2e][storm]") {
    simtest::SimProcess sim(e2e::sim_account(
        e2e::account_file(1), {"--storm-429-rate", "0.3", "--storm-retry-after", "1"}));
    const simtest::TempDir dir;
    const e2e::Run run =
        e2e::run_plan(sim.base_url(), e2e::rules_file(1),
                      {"--out", dir.file("p.json"), "--report", dir.file("r.json")});
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    const json::object stats = e2e::sim_get(sim.port(), "/_sim/stats");
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("r.json")));
    const json::object& api = e2e::member_object(report, "api");
    CHECK(e2e::integer(api.at("rate_limited")) ==
          e2e::integer(e2e::member_object(stats, "faults").at("storm_429")));
    CHECK(e2e::integer(api.at("rate_limited")) > 0);
    CHECK(e2e::member_array(e2e::parse_object(e2e::read_file(dir.file("p.json"))), "entries")
              .size() == 4);
}
