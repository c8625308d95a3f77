// The forecast and the ticket ages (docs/plan.md, `forecast`, `ticket_ages`), sentence by
// sentence: what the rules would take on each coming day if a run happened every day and nothing
// else changed: pending waits ending, tickets ageing past thresholds, soft-deleted contacts
// reaching the purge; each thing counted on the one day it goes, by the engine itself.
#include "engine_fixtures.hpp"

#include <numeric>
#include <string>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

const UnixTime kAsOf = default_as_of();  // 2026-06-15T12:00:00Z

Snapshot account_with(std::vector<Id> contact_ids) {
    Snapshot s = base_account();
    for (Id id : contact_ids) {
        s.contacts.push_back(contact(id));
    }
    return s;
}

std::vector<ForecastDay> forecast_of(const Snapshot& s, const Rules& rules, int days) {
    const Plan today = evaluate(s, rules, kAsOf);
    return forecast(s, rules, kAsOf, days, today);
}

// The days (1-based) on which `field` is not zero, with its value.
std::vector<std::pair<int, std::int64_t>> nonzero(const std::vector<ForecastDay>& days,
                                                  std::int64_t ForecastDay::*field) {
    std::vector<std::pair<int, std::int64_t>> out;
    for (std::size_t i = 0; i < days.size(); ++i) {
        if (days[i].*field != 0) {
            out.emplace_back(static_cast<int>(i) + 1, days[i].*field);
        }
    }
    return out;
}

using Days = std::vector<std::pair<int, std::int64_t>>;

}  // namespace

TEST_CASE("the forecast has one dated day per coming day, from as_of's next day", "[forecast]") {
    const auto coming = forecast_of(account_with({1}), keeping({rule("r", days(180))}), 3);
    REQUIRE(coming.size() == 3);
    CHECK(coming[0].date == "2026-06-16");
    CHECK(coming[2].date == "2026-06-18");
}

TEST_CASE("a ticket ageing past its threshold is counted on the day it does, once", "[forecast]") {
    Snapshot s = account_with({1, 2});
    // Closed 175 days and 6 hours ago: 180 days old at as_of + 4 days 18 hours, so run 5 takes it.
    s.add_ticket(closed_ticket(100, 1, kAsOf - 175 * day - 6 * 3600));
    s.add_ticket(closed_ticket(200, 2, kAsOf - 10 * day));  // 180 days old on day 170
    const auto coming = forecast_of(s, keeping({rule("r", days(180), Scope::ticket)}), 10);
    CHECK(nonzero(coming, &ForecastDay::tickets) == Days{{5, 1}});
    CHECK(nonzero(coming, &ForecastDay::contacts).empty());
}

TEST_CASE("what today's plan takes is not counted again on the coming days", "[forecast]") {
    Snapshot s = account_with({1});
    s.add_ticket(closed_ticket(100, 1, kAsOf - 400 * day));
    const Rules rules = keeping({rule("r", days(180), Scope::ticket)});
    REQUIRE(evaluate(s, rules, kAsOf).header.summary.tickets_to_delete == 1);
    const auto coming = forecast_of(s, rules, 30);
    CHECK(nonzero(coming, &ForecastDay::tickets).empty());
}

TEST_CASE("a pending wait ends on its due day: the contact is deleted then", "[forecast]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(closed_ticket(100, 1, kAsOf - 400 * day));  // today: tickets deleted, marked
    s.contacts[1].tags = {"gdpr-purge-pending-2026-06-05"};  // waiting since 10 days, no ticket
    const Rules rules = deleting({rule("r", days(180))}, DeleteMode::hard, days(30));
    const Plan today = evaluate(s, rules, kAsOf);
    REQUIRE(today.header.summary.contacts_to_mark == 1);
    const auto coming = forecast(s, rules, kAsOf, 40, today);
    // Contact 2 is due 2026-07-05 (day 20), contact 1, marked today, on 2026-07-15 (day 30).
    CHECK(nonzero(coming, &ForecastDay::contacts) == Days{{20, 1}, {30, 1}});
    CHECK(nonzero(coming, &ForecastDay::marked).empty());
}

TEST_CASE("a contact soft-deleted by a run reaches the purge purge_soft_deleted_after later",
          "[forecast]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(closed_ticket(100, 1, kAsOf - 400 * day));
    // Soft-deleted by gdpr-purge 80 days ago: purged at 90 days, on day 10.
    s.contacts[1].state = ContactState::soft_deleted;
    s.contacts[1].tags = {"gdpr-purge-deleted"};
    s.contacts[1].updated_at = kAsOf - 80 * day;
    Rules rules = deleting({rule("r", days(180))}, DeleteMode::soft);
    rules.contact_policy.purge_soft_deleted_after = days(90);
    const Plan today = evaluate(s, rules, kAsOf);
    REQUIRE(today.header.summary.contacts_to_delete == 1);  // contact 1, soft, today
    const auto coming = forecast(s, rules, kAsOf, 100, today);
    CHECK(nonzero(coming, &ForecastDay::purged) == Days{{10, 1}, {90, 1}});
    CHECK(nonzero(coming, &ForecastDay::contacts).empty());
}

TEST_CASE("a protected contact and an open ticket never appear in the forecast", "[forecast]") {
    Snapshot s = account_with({1, 2, 3});
    s.contacts[0].tags = {"VIP"};
    s.add_ticket(closed_ticket(100, 1, kAsOf - 175 * day));
    // An open ticket keeps its contact's closed ones too ("if a ticket remains open").
    s.add_ticket(closed_ticket(200, 2, kAsOf - 175 * day));
    s.add_ticket(open_ticket(201, 2, kAsOf - 300 * day));
    s.add_ticket(closed_ticket(300, 3, kAsOf - 175 * day));
    Rules rules = keeping({rule("r", days(180), Scope::ticket)});
    rules.exceptions.tags = {"VIP"};
    const auto coming = forecast_of(s, rules, 30);
    // Only ticket 300: contact 1 is protected, contact 2 has an open ticket.
    CHECK(nonzero(coming, &ForecastDay::tickets) == Days{{5, 1}});
}

TEST_CASE("each day is the engine's plan on the account the runs before it left", "[forecast]") {
    // Scope ticket takes ticket 100 today; the contact's only other ticket then makes the scope
    // contact rule's whole contact on the next run: a cascade only a day-by-day run shows.
    Snapshot s = account_with({1});
    s.add_ticket(of_type(closed_ticket(100, 1, kAsOf - 400 * day), "Incident"));
    s.add_ticket(of_type(closed_ticket(101, 1, kAsOf - 300 * day), "Question"));
    const Rules rules =
        deleting({with_types(rule("questions", days(180)), {"Question"}),
                  with_types(rule("incidents", days(365), Scope::ticket), {"Incident"})});
    const Plan today = evaluate(s, rules, kAsOf);
    REQUIRE(deleted_ticket_ids(today) == std::vector<Id>{100});
    const auto coming = forecast(s, rules, kAsOf, 2, today);
    CHECK(coming[0].tickets == 1);   // ticket 101, with the contact
    CHECK(coming[0].contacts == 1);  // hard, immediately
    CHECK(coming[1].tickets == 0);
    CHECK(coming[1].contacts == 0);
}

TEST_CASE("ticket ages: per rule, its scope's closed tickets by age in quarter-threshold buckets",
          "[ticket_ages]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(closed_ticket(100, 1, kAsOf - 10 * day));            // bucket 0 (0-44)
    s.add_ticket(closed_ticket(101, 1, kAsOf - 180 * day));           // bucket 4: the line
    s.add_ticket(closed_ticket(102, 1, kAsOf - 179 * day));           // bucket 3
    s.add_ticket(closed_ticket(103, 2, kAsOf - 800 * day));           // older than 16 x 45
    s.add_ticket(open_ticket(104, 2, kAsOf - 800 * day));             // open: apart
    s.add_ticket(archived(closed_ticket(105, 2, kAsOf - 50 * day)));  // archived: closed
    s.add_ticket(trashed(closed_ticket(106, 2, kAsOf - 50 * day)));   // trash: not counted
    s.add_ticket(of_type(closed_ticket(107, 2, kAsOf - 50 * day), "Incident"));  // rule 2 only
    const Rules rules = keeping({rule("all", days(180), Scope::ticket),
                                 with_types(rule("incidents", days(30)), {"Incident"})});
    const auto charts = ticket_ages(s, rules, kAsOf);
    REQUIRE(charts.size() == 2);
    const AgeChart& all = charts[0];
    CHECK(all.rule == "all");
    CHECK(all.threshold_days == 180);
    CHECK(all.bucket_days == 45);
    REQUIRE(all.counts.size() == age_chart_buckets);
    std::vector<std::int64_t> want(age_chart_buckets, 0);
    want[0] = 1;  // 100
    want[1] = 2;  // 105, 107 (50 days)
    want[3] = 1;  // 102
    want[4] = 1;  // 101
    CHECK(all.counts == want);
    CHECK(all.older == 1);
    CHECK(all.open == 1);
    const AgeChart& incidents = charts[1];
    CHECK(incidents.bucket_days == 7);
    CHECK(std::accumulate(incidents.counts.begin(), incidents.counts.end(), std::int64_t{0}) == 1);
    CHECK(incidents.counts[7] == 1);  // 50 days / 7
    CHECK(incidents.open == 0);
}

TEST_CASE("ticket ages count from the time the rule counts from", "[ticket_ages]") {
    Snapshot s = account_with({1});
    TicketRecord t = closed_ticket(100, 1, kAsOf - 10 * day);
    t.created_at = kAsOf - 400 * day;
    s.add_ticket(t);
    const Rules rules = keeping(
        {rule("closed", days(40)), rule("created", days(40), Scope::contact, Since::created)});
    const auto charts = ticket_ages(s, rules, kAsOf);
    CHECK(charts[0].counts[1] == 1);  // 10 days / 10
    CHECK(charts[1].older == 1);      // 400 days: past 16 x 10
}
