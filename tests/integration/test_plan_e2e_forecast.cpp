// `gdpr-purge plan --forecast DAYS` end to end (docs/plan.md, `forecast` and `ticket_ages`), and
// `gdpr-purge review` of such a plan. Expectations come from docs/plan.md and docs/rules.md:
// - on a generated account: the forecast's days, the charts' rules, the entries unchanged;
// - on tests/data/accounts/forecast_exception.json with tests/data/rules/forecast_exception.json
//   (rule "closed-incidents": Incident tickets closed longer ago than 180d, scope ticket, contacts
//   deleted hard and immediately; exceptions.emails: esme.exempt@example.com):
//     43000000401 Esme Exempt: ticket 1, closed 2026-06-11T10:00:00Z, the excepted email;
//     43000000402 Carl Control: ticket 2, closed at the same time, no exception;
//     43000000403 Tom Today: ticket 3, closed 2026-05-01, taken by today's plan.
//   Tickets 1 and 2 are 180 days old at 2026-12-08T10:00:00Z: the run of 2026-12-09 (day 10 after
//   kAsOf) would take ticket 2 and Carl, never ticket 1 nor Esme. Neither is a candidate at kAsOf,
//   so the forecast is right about Esme only when the reading viewed her full record (her email)
//   although no rule takes her yet: ReadOptions::candidates_until (docs/plan.md).
#include "test_plan_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

namespace json = boost::json;

namespace {

constexpr std::int64_t kEsme = 43000000401;
constexpr std::int64_t kCarl = 43000000402;
constexpr std::int64_t kTom = 43000000403;

std::string forecast_account() {
    return e2e::data_file("accounts/forecast_exception.json");
}
std::string forecast_rules() {
    return e2e::data_file("rules/forecast_exception.json");
}
std::string example_rules() {
    return std::string(GP_SOURCE_DIR) + "/rules.example.json";
}

// "YYYY-MM-DD" of kAsOf's day plus `days`.
std::string day_after_as_of(int days) {
    using namespace std::chrono;
    const std::string as_of = e2e::kAsOf;
    const year_month_day start{year{std::stoi(as_of.substr(0, 4))},
                               month{static_cast<unsigned>(std::stoi(as_of.substr(5, 2)))},
                               day{static_cast<unsigned>(std::stoi(as_of.substr(8, 2)))}};
    const year_month_day when{sys_days{start} + std::chrono::days{days}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(when.year()),
                  static_cast<unsigned>(when.month()), static_cast<unsigned>(when.day()));
    return text;
}

struct Day {
    std::string date;
    std::int64_t tickets = 0;
    std::int64_t archived_tickets = 0;
    std::int64_t contacts = 0;
    std::int64_t marked = 0;
    std::int64_t purged = 0;
};

// The plan's forecast, each day checked to have exactly the documented keys.
std::vector<Day> forecast_days(const json::object& plan) {
    std::vector<Day> days;
    for (const json::value& item : e2e::member_array(plan, "forecast")) {
        REQUIRE(item.is_object());
        const json::object& o = item.as_object();
        INFO("forecast day: " << json::serialize(o));
        CHECK(o.size() == 6);
        Day d;
        d.date = e2e::member_string(o, "date");
        d.tickets = e2e::integer(o.at("tickets"));
        d.archived_tickets = e2e::integer(o.at("archived_tickets"));
        d.contacts = e2e::integer(o.at("contacts"));
        d.marked = e2e::integer(o.at("marked"));
        d.purged = e2e::integer(o.at("purged"));
        CHECK(d.tickets >= 0);
        CHECK(d.archived_tickets >= 0);
        CHECK(d.contacts >= 0);
        CHECK(d.marked >= 0);
        CHECK(d.purged >= 0);
        days.push_back(d);
    }
    return days;
}

json::array ticket_rules(const std::string& rules_path) {
    const json::object rules = e2e::parse_object(e2e::read_file(rules_path));
    return e2e::member_array(rules, "ticket_rules");
}

// The ticket ids of the plan's delete_tickets steps, sorted.
std::vector<std::int64_t> tickets_to_delete(const json::object& plan) {
    std::vector<std::int64_t> ids;
    for (const json::value& entry : e2e::member_array(plan, "entries")) {
        for (const json::value& step : e2e::member_array(entry.as_object(), "steps")) {
            if (e2e::member_string(step.as_object(), "action") == "delete_tickets") {
                for (const json::value& id : e2e::member_array(step.as_object(), "ticket_ids")) {
                    ids.push_back(e2e::integer(id));
                }
            }
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The contact ids of the plan's entries, in file order.
std::vector<std::int64_t> entry_ids(const json::object& plan) {
    std::vector<std::int64_t> ids;
    for (const json::value& entry : e2e::member_array(plan, "entries")) {
        ids.push_back(e2e::integer(entry.as_object().at("contact_id")));
    }
    return ids;
}

// `gdpr-purge plan` as of `as_of` with `extra`, written to `out`; the plan read back.
json::object plan_at(const simtest::SimProcess& sim, const std::string& rules,
                     const std::string& as_of, const std::string& out,
                     const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"plan",    "--rules", rules,   "--base-url", sim.base_url(),
                                     "--as-of", as_of,     "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    const e2e::Run run = e2e::run_cli(args);
    INFO("plan --as-of " << as_of << ": " << run.err);
    REQUIRE(run.status == 0);
    return e2e::parse_object(e2e::read_file(out));
}

// The number in `data-count="NAME">N<` of the review page, separators removed.
std::int64_t page_count(const std::string& page, const std::string& name) {
    std::smatch match;
    const std::regex pattern("data-count=\"" + name + "\">([0-9,]+)<");
    REQUIRE(std::regex_search(page, match, pattern));
    std::string digits = match[1].str();
    std::erase(digits, ',');
    return std::stoll(digits);
}

}  // namespace

TEST_CASE("plan --forecast 30: 30 days from the day after as_of, and a chart per ticket rule",
          "[e2e][plan][forecast]") {
    simtest::SimProcess sim(e2e::sim_generated("contacts=200,tickets=1200,seed=7"));
    const simtest::TempDir dir;
    const e2e::Run run = e2e::run_plan(sim.base_url(), example_rules(),
                                       {"--forecast", "30", "--out", dir.file("plan.json")});
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    const json::object plan = e2e::parse_object(e2e::read_file(dir.file("plan.json")));

    const std::vector<Day> days = forecast_days(plan);
    REQUIRE(days.size() == 30);
    for (std::size_t i = 0; i < days.size(); ++i) {
        INFO("day " << i + 1);
        CHECK(days[i].date == day_after_as_of(static_cast<int>(i) + 1));
    }
    CHECK(days.front().date == "2026-11-30");
    CHECK(days.back().date == "2026-12-29");
    // docs/rules.md: a contact marked today (tag of kAsOf's day, delete_after 30d) is deleted by
    // the run whose time is on or after that day plus 30 days: day 30. Nothing else changes.
    const std::int64_t marked_today =
        e2e::integer(e2e::member_object(plan, "summary").at("contacts_to_mark"));
    CHECK(marked_today > 0);
    CHECK(days.back().contacts >= marked_today);

    // ticket_ages: one chart per ticket rule, in the rules' order, with the rule's threshold.
    const json::array rules = ticket_rules(example_rules());
    const json::array& charts = e2e::member_array(plan, "ticket_ages");
    REQUIRE(charts.size() == rules.size());
    REQUIRE(charts.size() == 4);
    const std::int64_t thresholds[] = {180, 90, 365, 730};
    std::int64_t charted = 0;
    for (std::size_t i = 0; i < charts.size(); ++i) {
        const json::object& chart = charts[i].as_object();
        INFO("chart: " << json::serialize(chart));
        CHECK(e2e::member_string(chart, "rule") ==
              e2e::member_string(rules[i].as_object(), "name"));
        CHECK(e2e::member_string(chart, "since") ==
              e2e::member_string(rules[i].as_object(), "since"));
        CHECK(e2e::integer(chart.at("threshold_days")) == thresholds[i]);
        CHECK(e2e::integer(chart.at("bucket_days")) == thresholds[i] / 4);
        const json::array& counts = e2e::member_array(chart, "counts");
        CHECK(counts.size() == 16);
        for (const json::value& c : counts) {
            charted += e2e::integer(c);
        }
        charted += e2e::integer(chart.at("older"));
    }
    CHECK(charted > 0);

    // Without --forecast: the same entries, ticket_ages, and no forecast key.
    const e2e::Run plain =
        e2e::run_plan(sim.base_url(), example_rules(), {"--out", dir.file("plain.json")});
    REQUIRE(plain.status == 0);
    const json::object without = e2e::parse_object(e2e::read_file(dir.file("plain.json")));
    CHECK_FALSE(without.contains("forecast"));
    CHECK(without.contains("ticket_ages"));
    CHECK(json::serialize(without.at("ticket_ages")) == json::serialize(plan.at("ticket_ages")));
    CHECK(e2e::entry_lines(without) == e2e::entry_lines(plan));
    CHECK(e2e::protected_lines(without) == e2e::protected_lines(plan));

    // review: the forecast's totals on the page.
    const e2e::Run review =
        e2e::run_cli({"review", dir.file("plan.json"), "--out", dir.file("review.html")}, {});
    INFO("review: " << review.err);
    REQUIRE(review.status == 0);
    const std::string page = e2e::read_file(dir.file("review.html"));
    std::int64_t tickets = 0;
    std::int64_t contacts = 0;
    for (const Day& d : days) {
        tickets += d.tickets + d.archived_tickets;
        contacts += d.contacts + d.purged;
    }
    CHECK(page_count(page, "forecast_tickets") == tickets);
    CHECK(page_count(page, "forecast_contacts") == contacts);
    const e2e::Run plain_review =
        e2e::run_cli({"review", dir.file("plain.json"), "--out", "-"}, {});
    REQUIRE(plain_review.status == 0);
    CHECK_FALSE(e2e::contains(plain_review.out, "data-count=\"forecast_tickets\""));
}

TEST_CASE(
    "plan --forecast 20: a contact excepted by email is never forecast, the control is on its "
    "day",
    "[e2e][plan][forecast]") {
    simtest::SimProcess sim(e2e::sim_account(forecast_account()));
    const simtest::TempDir dir;

    // The account is what the test says: the runs of 2026-12-08 and 2026-12-09, made directly,
    // take ticket 2 on the 9th, not before, and the exception keeps ticket 1 then.
    const json::object on_8th =
        plan_at(sim, forecast_rules(), "2026-12-08T00:00:00Z", dir.file("on-8th.json"));
    CHECK(tickets_to_delete(on_8th) == std::vector<std::int64_t>{3});
    const json::object on_9th =
        plan_at(sim, forecast_rules(), "2026-12-09T00:00:00Z", dir.file("on-9th.json"));
    CHECK(tickets_to_delete(on_9th) == std::vector<std::int64_t>{2, 3});
    CHECK(e2e::protected_lines(on_9th) ==
          std::vector<std::string>{std::to_string(kEsme) + " exception_email"});

    const e2e::Run run = e2e::run_plan(sim.base_url(), forecast_rules(),
                                       {"--forecast", "20", "--out", dir.file("plan.json")});
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    const json::object plan = e2e::parse_object(e2e::read_file(dir.file("plan.json")));
    INFO("plan: " << e2e::read_file(dir.file("plan.json")));
    // Today: Tom only.
    CHECK(entry_ids(plan) == std::vector<std::int64_t>{kTom});
    CHECK(tickets_to_delete(plan) == std::vector<std::int64_t>{3});

    const std::vector<Day> days = forecast_days(plan);
    REQUIRE(days.size() == 20);
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Day& d = days[i];
        INFO("forecast of " << d.date);
        CHECK(d.date == day_after_as_of(static_cast<int>(i) + 1));
        if (d.date == "2026-12-09") {
            // Carl's ticket and Carl; Esme's ticket would make it 2 (and 2 contacts).
            CHECK(d.tickets == 1);
            CHECK(d.contacts == 1);
        } else {
            // Ticket 3 and Tom went today: never again.
            CHECK(d.tickets == 0);
            CHECK(d.contacts == 0);
        }
        CHECK(d.archived_tickets == 0);
        CHECK(d.marked == 0);
        CHECK(d.purged == 0);
    }
    CHECK(days[9].date == "2026-12-09");

    // --forecast changes the reading, not the plan's entries (docs/plan.md).
    const json::object plain = plan_at(sim, forecast_rules(), e2e::kAsOf, dir.file("plain.json"));
    CHECK(e2e::entry_lines(plain) == e2e::entry_lines(plan));
    CHECK(e2e::protected_lines(plain) == e2e::protected_lines(plan));
    CHECK_FALSE(plain.contains("forecast"));

    // review of the plan: the forecast's tickets on the page.
    const e2e::Run review =
        e2e::run_cli({"review", dir.file("plan.json"), "--out", dir.file("review.html")}, {});
    INFO("review: " << review.err);
    REQUIRE(review.status == 0);
    CHECK(review.out.empty());
    const std::string page = e2e::read_file(dir.file("review.html"));
    std::int64_t tickets = 0;
    for (const Day& d : days) {
        tickets += d.tickets + d.archived_tickets;
    }
    CHECK(tickets == 1);
    CHECK(page_count(page, "forecast_tickets") == tickets);
    CHECK(page_count(page, "forecast_contacts") == 1);
    CHECK(e2e::contains(page, "data-count=\"forecast_tickets\">1<"));
}
