// The plan's optional sections for people (docs/plan.md): ticket_ages and forecast. Written in a
// fixed order, read back the same, read strictly, and absent when not made.
#include "plan/plan.hpp"
#include "plan_text.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gp;

namespace {

Plan small_plan() {
    auto rules = parse_rules(R"({"version": 1, "ticket_rules": [
        {"name": "old-questions", "types": ["Question"], "older_than": "180d", "since": "closed",
         "scope": "ticket"}],
        "contact_policy": {"keep_contact": true}})");
    REQUIRE(rules.problems.empty());
    Plan plan;
    plan.header.generated_at = "2026-12-06T04:00:03Z";
    plan.header.as_of = "2026-12-06T04:00:00Z";
    plan.header.account = "example.freshdesk.com";
    plan.header.rules = *rules.rules;
    plan.header.rules_sha256 = rules_sha256(plan.header.rules);
    plan.header.summary.by_rule = {{"old-questions", 0, 0}};
    return plan;
}

Plan with_sections() {
    Plan plan = small_plan();
    AgeChart chart{"old-questions", Since::closed, 180, 45, std::vector<std::int64_t>(16, 0), 7, 3};
    chart.counts[0] = 12;
    chart.counts[4] = 5;
    plan.header.ticket_ages = std::vector<AgeChart>{chart};
    plan.header.forecast =
        std::vector<ForecastDay>{{"2026-12-07", 4, 1, 2, 3, 0}, {"2026-12-08", 0, 0, 0, 0, 9}};
    return plan;
}

using test::read_text;
using test::written;

// `text` with the first `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
    try {
        read_text(text);
    } catch (const PlanFormatError& error) {
        return error.what();
    }
    FAIL("the plan was accepted");
    return {};
}

}  // namespace

TEST_CASE("ticket_ages and forecast read back the same, after the archive and before entries",
          "[plan][sections]") {
    const Plan plan = with_sections();
    const std::string text = written(plan);
    const Plan back = read_text(text);
    CHECK(back.header.ticket_ages == plan.header.ticket_ages);
    CHECK(back.header.forecast == plan.header.forecast);
    CHECK(text.find("\"ticket_ages\"") < text.find("\"forecast\""));
    CHECK(text.find("\"forecast\"") < text.find("\"entries\""));
    CHECK_THAT(
        text, Catch::Contains("{\"date\": \"2026-12-07\", \"tickets\": 4, \"archived_tickets\": 1, "
                              "\"contacts\": 2, \"marked\": 3, \"purged\": 0}"));
    CHECK_THAT(text, Catch::Contains("{\"rule\": \"old-questions\", \"since\": \"closed\", "
                                     "\"threshold_days\": 180, \"bucket_days\": 45, \"counts\": "
                                     "[12, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "
                                     "\"older\": 7, \"open\": 3}"));
}

TEST_CASE("a plan without the sections writes neither key and reads back without them",
          "[plan][sections]") {
    const std::string text = written(small_plan());
    CHECK(text.find("ticket_ages") == std::string::npos);
    CHECK(text.find("forecast") == std::string::npos);
    const Plan back = read_text(text);
    CHECK_FALSE(back.header.ticket_ages.has_value());
    CHECK_FALSE(back.header.forecast.has_value());
    Plan empty = small_plan();
    empty.header.forecast = std::vector<ForecastDay>{};
    CHECK(read_text(written(empty)).header.forecast == std::vector<ForecastDay>{});
}

TEST_CASE("ticket_ages and forecast are read strictly, with the path in the message",
          "[plan][sections]") {
    const std::string text = written(with_sections());
    const std::vector<std::pair<std::string, std::string>> cases{
        {replaced(text, "\"open\": 3", "\"open\": 3, \"extra\": 1"),
         "ticket_ages[0].extra: unknown key"},
        {replaced(text, "\"older\": 7", "\"older\": -7"), "ticket_ages[0].older: expected a count"},
        {replaced(text, "\"since\": \"closed\", \"threshold", "\"since\": \"opened\", \"threshold"),
         "ticket_ages[0].since: expected \"closed\", \"created\" or \"updated\""},
        {replaced(text, "[12, 0,", "[12,"), "ticket_ages[0].counts: expected 16 buckets, got 15"},
        {replaced(text, "\"bucket_days\": 45", "\"bucket_days\": 0"),
         "ticket_ages[0].bucket_days: must be at least 1"},
        {replaced(text, "{\"rule\": \"old-questions\"", "{\"rule\": \"other\""),
         "ticket_ages[0].rule: \"other\" is not a ticket rule of the plan's rules"},
        {replaced(text, "\"2026-12-08\"", "\"2026-12-07\""),
         "forecast[1]: dates must be ascending"},
        {replaced(text, "\"2026-12-08\"", "\"2026-13-08\""), "forecast[1].date: expected a date"},
        {replaced(text, "\"purged\": 9", "\"purged\": \"9\""),
         "forecast[1].purged: expected a count"},
        {replaced(text, ", \"marked\": 3", ""), "forecast[0].marked: missing"},
        {replaced(
             text, "\"older\": 7, \"open\": 3}",
             "\"older\": 7, \"open\": 3}, {\"rule\": \"old-questions\", \"since\": \"closed\", "
             "\"threshold_days\": 1, \"bucket_days\": 1, \"counts\": [0, 0, 0, 0, 0, 0, 0, 0, 0, "
             "0, 0, 0, 0, 0, 0, 0], \"older\": 0, \"open\": 0}"),
         "ticket_ages[1].rule: \"old-questions\" has a chart already (ticket_ages[0])"},
        {replaced(text, "\"forecast\": [", "\"forecast\": {\"days\": ["),
         "forecast: expected an array"},
    };
    for (const auto& [bad, expected] : cases) {
        INFO(expected);
        CHECK_THAT(error_of(bad), Catch::StartsWith(expected));
    }
    // After entries, a section is no longer the header's.
    Plan plan = with_sections();
    plan.header.forecast.reset();
    const std::string moved = replaced(written(plan), "]\n}\n", "],\n  \"forecast\": []\n}\n");
    CHECK_THAT(error_of(moved), Catch::StartsWith("forecast: must come before entries"));
}

TEST_CASE("read_started_at and highest_ticket_id follow as_of, read back, and are read strictly",
          "[plan][sections]") {
    Plan plan = small_plan();
    CHECK(written(plan).find("read_started_at") == std::string::npos);
    CHECK(read_text(written(plan)).header.read_started_at.empty());
    plan.header.read_started_at = "2026-12-06T03:58:12Z";
    plan.header.highest_ticket_id = 98012;
    const std::string text = written(plan);
    CHECK(text.find("\"as_of\": \"2026-12-06T04:00:00Z\",\n  \"read_started_at\": "
                    "\"2026-12-06T03:58:12Z\",\n  \"highest_ticket_id\": 98012,\n  "
                    "\"account\"") != std::string::npos);
    CHECK(read_text(text).header.read_started_at == "2026-12-06T03:58:12Z");
    CHECK(read_text(text).header.highest_ticket_id == 98012);
    CHECK_THAT(error_of(replaced(text, "98012", "-1")),
               Catch::StartsWith("highest_ticket_id: expected a count"));
    CHECK_THAT(error_of(replaced(text, "\"2026-12-06T03:58:12Z\"", "\"2026-12-06\"")),
               Catch::StartsWith("read_started_at: expected a UTC time"));
    CHECK_THAT(error_of(replaced(text, "\"2026-12-06T03:58:12Z\"", "null")),
               Catch::StartsWith("read_started_at: expected"));
}
