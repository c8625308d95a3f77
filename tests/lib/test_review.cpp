// The review page (docs/review.md) as text: its counts are the plan's, everything from a file is
// escaped, it names no network address, and with journals it says what was done, skipped or
// failed and what undo-soft could still restore. The page as a browser shows it is
// tests/review/check_review_browser.py's.
#include "review/review.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace gp;
using namespace gp::review;
using executor::JournalRecord;
using executor::Outcome;

namespace {

const UnixTime kNow = *parse_timestamp("2026-12-10T12:00:00Z");
const std::string kPlanSha(64, 'a');

Plan sample_plan() {
    auto rules = parse_rules(R"({"version": 1, "ticket_rules": [
        {"name": "old-questions", "types": ["Ques<tion>"], "older_than": "180d", "since": "closed",
         "scope": "contact"}],
        "contact_policy": {"keep_contact": false, "delete_mode": "soft", "delete_after": "30d",
                           "purge_soft_deleted_after": "60d"}})");
    REQUIRE(rules.problems.empty());
    Plan plan;
    PlanHeader& h = plan.header;
    h.generated_at = "2026-12-06T04:00:03Z";
    h.as_of = "2026-12-06T04:00:00Z";
    h.account = "example.freshdesk.com";
    h.rules = *rules.rules;
    h.rules_sha256 = rules_sha256(h.rules);
    h.summary = {.contacts_read = 1234,
                 .tickets_read = 56789,
                 .contacts_to_delete = 1,
                 .tickets_to_delete = 5,
                 .archived_tickets_to_delete = 2,
                 .contacts_to_mark = 1,
                 .marks_to_clear = 0,
                 .soft_deleted_to_purge = 0,
                 .protected_counts = {1, 2, 0, 0, 0, 0},
                 .by_rule = {{"old-questions", 3, 7}}};
    Step tickets{StepAction::delete_tickets, {501, 502, 503}, DeleteMode::hard, {}};
    Step archived{StepAction::delete_archived_tickets, {90, 91}, DeleteMode::hard, {}};
    Step soft{StepAction::delete_contact, {}, DeleteMode::soft, {}};
    Step mark{StepAction::mark_pending, {}, DeleteMode::hard, "2026-12-06"};
    Step two{StepAction::delete_tickets, {601, 602}, DeleteMode::hard, {}};
    plan.entries = {
        {1001,
         "j***@example.com",
         {"old-questions"},
         "closed </script><b>x</b>",
         {{501, 502, 503}, "2026-01-01T00:00:00Z"},
         {tickets, archived, soft}},
        {1002, "", {"old-questions"}, "reason two", {{601, 602}, ""}, {two, mark}},
        {1003, "m***@example.com", {"old-questions"}, "reason three", {{}, ""}, {soft}},
    };
    plan.protected_contacts = {{77, ProtectionReason::exception_tag, "<VIP>"},
                               {78, ProtectionReason::exception_tag, "VIP"},
                               {80, ProtectionReason::agent, ""}};
    return plan;
}

JournalRecord line(Id contact, std::optional<int> step, StepAction action, Outcome outcome,
                   std::string ts) {
    JournalRecord r;
    r.ts = std::move(ts);
    r.run = std::string(32, 'c');
    r.account = "example.freshdesk.com";
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = kPlanSha;
    r.contact_id = contact;
    r.step = step;
    r.action = step ? std::string(to_string(action)) : "";
    r.outcome = outcome;
    return r;
}

std::string page(const ReviewInput& input) {
    std::ostringstream out;
    write_review(out, input);
    return out.str();
}

ReviewInput input_of(Plan plan) {
    return {std::move(plan), "plan.json", kPlanSha, {}, kNow};
}

// The number shown in <b data-count="key">, commas removed; "" when absent.
std::string count_of(const std::string& html, const std::string& key) {
    const std::string start = "data-count=\"" + key + "\">";
    const auto at = html.find(start);
    if (at == std::string::npos) {
        return "";
    }
    std::string digits;
    for (auto i = at + start.size(); i < html.size() && html[i] != '<'; ++i) {
        if (html[i] != ',') {
            digits += html[i];
        }
    }
    return digits;
}

}  // namespace

TEST_CASE("the page shows the plan summary's counts", "[review]") {
    const Plan plan = sample_plan();
    const std::string html = page(input_of(plan));
    const Summary& s = plan.header.summary;
    CHECK(count_of(html, "tickets_to_delete") == std::to_string(s.tickets_to_delete));
    CHECK(count_of(html, "archived_tickets_to_delete") ==
          std::to_string(s.archived_tickets_to_delete));
    CHECK(count_of(html, "contacts_to_delete") == std::to_string(s.contacts_to_delete));
    CHECK(count_of(html, "contacts_to_mark") == std::to_string(s.contacts_to_mark));
    CHECK(count_of(html, "soft_deleted_to_purge") == std::to_string(s.soft_deleted_to_purge));
    CHECK(count_of(html, "contacts_read") == "1234");
    CHECK(count_of(html, "tickets_read") == "56789");
    CHECK_THAT(html, Catch::Contains(">56,789<"));
    CHECK(count_of(html, "protected_contacts") == "3");  // 77, 78, 80
    CHECK(count_of(html, "protected_exception_tag") == "2");
    CHECK(count_of(html, "rule_tickets") == "7");
    CHECK(count_of(html, "entries") == "3");
    CHECK(count_of(html, "waiting") == "1");
    CHECK_THAT(html, Catch::Contains("due 2027-01-05 to 2027-01-05"));
}

TEST_CASE("everything from the plan is escaped, in the page and in its data", "[review]") {
    const std::string html = page(input_of(sample_plan()));
    CHECK_THAT(html, Catch::Contains("<q>Ques&lt;tion&gt;</q>"));
    CHECK(html.find("Ques<tion>") == std::string::npos);
    CHECK(html.find("<VIP>") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("\"\\u003cVIP>\""));
    // One closing script tag per script: the reason's "</script>" cannot end the data block.
    std::size_t closings = 0;
    for (auto at = html.find("</script>"); at != std::string::npos;
         at = html.find("</script>", at + 1)) {
        ++closings;
    }
    CHECK(closings == 2);
    CHECK_THAT(html, Catch::Contains("\"closed \\u003c/script>\\u003cb>x\\u003c/b>\""));
}

TEST_CASE("the page names no address to fetch and forbids every request", "[review]") {
    Plan plan = sample_plan();
    plan.header.ticket_ages =
        std::vector<AgeChart>{{"old-questions", Since::closed, 180, 45,
                               std::vector<std::int64_t>(age_chart_buckets, 3), 1, 2}};
    plan.header.forecast = std::vector<ForecastDay>{{"2026-12-07", 1, 0, 1, 0, 0}};
    const std::string html = page(input_of(plan));
    CHECK(html.find("http:") == std::string::npos);
    CHECK(html.find("https:") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("content=\"default-src 'none'"));
    CHECK_THAT(html, Catch::Contains("<svg role=\"img\""));
    CHECK(count_of(html, "forecast_tickets") == "1");
}

TEST_CASE("a data line per entry: steps coded, permanent ones known to the script", "[review]") {
    const std::string html = page(input_of(sample_plan()));
    CHECK_THAT(html, Catch::Contains("[1001,\"j***@example.com\",[0],"));
    CHECK_THAT(html, Catch::Contains(",\"T3 A2 CS\"]"));
    CHECK_THAT(html, Catch::Contains("[1002,null,[0],\"reason two\",\"T2 M2026-12-06\"]"));
    CHECK_THAT(html, Catch::Contains("\"states\":[]"));
}

TEST_CASE("journals: each entry's state is the latest line of each of its steps", "[review]") {
    ReviewInput input = input_of(sample_plan());
    input.journals.push_back(
        {"j.jsonl",
         std::string(64, 'b'),
         {line(1001, 0, StepAction::delete_tickets, Outcome::done, "2026-12-06T05:00:00Z"),
          line(1001, 1, StepAction::delete_archived_tickets, Outcome::failed,
               "2026-12-06T05:00:01Z"),
          line(1001, 1, StepAction::delete_archived_tickets, Outcome::done, "2026-12-07T05:00:01Z"),
          line(1001, 2, StepAction::delete_contact, Outcome::done, "2026-12-07T05:00:02Z"),
          line(1002, std::nullopt, StepAction::delete_tickets, Outcome::skipped,
               "2026-12-06T05:00:03Z"),
          line(1003, 0, StepAction::delete_contact, Outcome::failed, "2026-12-06T05:00:04Z")}});
    JournalRecord other =
        line(1003, 0, StepAction::delete_contact, Outcome::done, "2026-12-06T05:00:05Z");
    other.source_sha256 = std::string(64, 'f');  // yesterday's plan, same file
    input.journals[0].records.push_back(other);
    const JournalView view = read_journals(input);
    REQUIRE(view.states.size() == 3);
    CHECK(view.states[0] == EntryState::done);
    CHECK(view.states[1] == EntryState::skipped);
    CHECK(view.states[2] == EntryState::failed);
    CHECK(view.lines == 6);
    CHECK(view.other_plan_lines == 1);
    REQUIRE(view.runs.size() == 1);
    CHECK(view.runs[0].done == 3);
    CHECK(view.runs[0].failed == 2);
    CHECK(view.runs[0].skipped == 1);
    CHECK(view.runs[0].first_ts == "2026-12-06T05:00:00Z");
    CHECK(view.runs[0].last_ts == "2026-12-07T05:00:02Z");
    const std::string html = page(input);
    CHECK(count_of(html, "journal_done") == "1");
    CHECK(count_of(html, "journal_failed") == "1");
    CHECK(count_of(html, "journal_skipped") == "1");
    CHECK(count_of(html, "journal_not_run") == "0");
    CHECK_THAT(html, Catch::Contains("\"states\":[\"not run\",\"done\",\"partly done\""));
}

TEST_CASE("what undo-soft could restore: trashed tickets 30 days, soft deletions until the purge",
          "[review]") {
    ReviewInput input = input_of(sample_plan());
    input.journals.push_back(
        {"j.jsonl",
         std::string(64, 'b'),
         {line(1001, 0, StepAction::delete_tickets, Outcome::done, "2026-12-06T05:00:00Z"),
          line(1001, 2, StepAction::delete_contact, Outcome::done, "2026-12-06T05:00:02Z"),
          line(1002, 0, StepAction::delete_tickets, Outcome::done, "2026-11-01T05:00:00Z"),
          line(1003, 0, StepAction::delete_contact, Outcome::done, "2026-12-06T05:00:04Z")}});
    JournalView view = read_journals(input);
    REQUIRE(view.restorable.size() == 3);  // 1002's tickets left the trash on 2026-12-01
    CHECK(view.restorable[0].contact_id == 1001);
    CHECK(view.restorable[0].what == "the contact (soft-deleted)");
    CHECK(view.restorable[0].until == "its purge, due 2027-02-04");  // 60 days
    CHECK(view.restorable[1].what == "3 ticket(s) in the trash");
    CHECK(view.restorable[1].until == "Freshdesk empties its trash, 2027-01-05");
    CHECK(view.restorable[2].contact_id == 1003);
    // undo-soft's journal of that journal restored 1003: no longer restorable.
    JournalRecord restored =
        line(1003, std::nullopt, StepAction::delete_contact, Outcome::done, "2026-12-08T00:00:00Z");
    restored.source = gp::executor::JournalSource::journal;
    restored.source_sha256 = std::string(64, 'b');
    restored.action = "restore_contact";
    // And 1001's tickets, not its contact: the contact stays restorable.
    JournalRecord tickets_back = restored;
    tickets_back.contact_id = 1001;
    tickets_back.action = "restore_tickets";
    input.journals.push_back({"undo.jsonl", std::string(64, 'd'), {restored, tickets_back}});
    view = read_journals(input);
    REQUIRE(view.restorable.size() == 1);
    CHECK(view.restorable[0].contact_id == 1001);
    CHECK(view.restorable[0].what == "the contact (soft-deleted)");
    CHECK(view.restored == 2);
    input.journals.back().records.pop_back();
    // 31 days later the tickets have left the trash; the contact waits for its purge.
    input.now = kNow + 31 * seconds_per_day;
    view = read_journals(input);
    REQUIRE(view.restorable.size() == 1);
    CHECK(view.restorable[0].what == "the contact (soft-deleted)");
    // Past its purge's day, a run has purged it.
    input.now = kNow + 61 * seconds_per_day;
    CHECK(read_journals(input).restorable.empty());
    // Without a purge, a soft-deleted contact stays restorable.
    input.plan.header.rules.contact_policy.purge_soft_deleted_after.reset();
    view = read_journals(input);
    REQUIRE(view.restorable.size() == 1);
    CHECK(view.restorable[0].until == "no purge is set: until someone deletes it for good");
}
