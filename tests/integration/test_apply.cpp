// lib/executor's apply_plan against the simulated account in process: the three use cases of
// rules.md planned by the reader and the engine and carried out, the soft deletion's tags, and the
// pending wait over two runs. Resumption, changes since the plan, bulk jobs and failures are in
// test_apply_resume.cpp, test_apply_changes.cpp and test_apply_bulk.cpp.
#include "engine/engine.hpp"
#include "executor/apply_detail.hpp"
#include "reader/reader.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace applytest;
namespace ex = gp::executor;

namespace {

Counts writes_of(const Counts& counts) {
    Counts out;
    for (const auto& [endpoint, n] : counts) {
        if (endpoint.rfind("GET ", 0) != 0) {
            out[endpoint] = n;
        }
    }
    return out;
}

std::vector<Id> entry_ids(const gp::Plan& plan) {
    std::vector<Id> ids;
    for (const auto& e : plan.entries) {
        ids.push_back(e.contact_id);
    }
    return ids;
}

std::size_t step_count(const gp::Plan& plan) {
    std::size_t n = 0;
    for (const auto& e : plan.entries) {
        n += e.steps.size();
    }
    return n;
}

struct Expected {
    std::vector<Id> entries;
    Counts writes;
    std::int64_t contacts_deleted = 0;
    std::int64_t tickets_deleted = 0;
    std::int64_t contacts_marked = 0;
    std::int64_t marks_cleared = 0;
};

// Plans use case `n` at kNow, applies it, checks the account, the journal, the totals and the
// requests, then applies again with the same journal: not one request.
void apply_use_case(int n, const Expected& expected) {
    Account account(account_options(usecase_account(n)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(n));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(n)), now_time());
    REQUIRE(entry_ids(plan) == expected.entries);
    const World before = world(account, ids);
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");

    const ApplyRun run = run_apply(account, plan, journal);
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(writes_of(run.requests) == expected.writes);
    const auto entries = static_cast<std::int64_t>(plan.entries.size());
    // The reads (docs/apply.md, "The look for changes"): nothing changed since the plan, so no
    // entry is re-read; a view for each entry that writes the contact's tags (it writes back the
    // whole list), and the look's three tickets lists (live, trash, spam) per look.
    const auto writes_tags = std::count_if(plan.entries.begin(), plan.entries.end(),
                                           gp::executor::detail::writes_contact_tags);
    CHECK(run.totals.entries_reread == 0);
    CHECK(run.totals.looks >= 1);
    CHECK(count(run.requests, "GET /contacts/{id}") == writes_tags);
    CHECK(count(run.requests, "GET /tickets") == 3 * run.totals.looks);
    CHECK(count(run.requests, "POST /tickets/bulk_delete") == 0);
    check_applied(before, world(account, ids), plan);
    check_one_done_per_step(run.records, plan);
    CHECK(run.totals.entries == entries);
    CHECK(run.totals.entries_done == entries);
    CHECK(run.totals.entries_done_before == 0);
    CHECK(run.totals.entries_skipped == 0);
    CHECK(run.totals.entries_failed == 0);
    CHECK(run.totals.steps_done == static_cast<std::int64_t>(step_count(plan)));
    CHECK(run.totals.steps_failed == 0);
    CHECK(run.totals.contacts_deleted == expected.contacts_deleted);
    CHECK(run.totals.tickets_deleted == expected.tickets_deleted);
    CHECK(run.totals.contacts_marked == expected.contacts_marked);
    CHECK(run.totals.marks_cleared == expected.marks_cleared);
    CHECK(run.totals.bulk_jobs == 0);
    CHECK(run.totals.complete());

    const ApplyRun again = run_apply(account, plan, journal);
    INFO("second run: " << show(again.requests));
    CHECK(again.requests.empty());
    CHECK(again.records.empty());
    CHECK(again.totals.entries_done == entries);
    CHECK(again.totals.entries_done_before == entries);
    CHECK(again.totals.steps_done == 0);
    CHECK(again.totals.contacts_deleted == 0);
}

}  // namespace

TEST_CASE("apply: use case 1 - tickets trashed, contacts hard-deleted, VIP untouched",
          "[apply][usecase]") {
    apply_use_case(1, {{43000000101, 43000000108, 43000000111, 43000000114},
                       {{"DELETE /tickets/{id}", 5},
                        {"DELETE /contacts/{id}", 4},
                        {"DELETE /contacts/{id}/hard_delete", 4}},
                       4,
                       5});
}

TEST_CASE("apply: use case 2 - soft deletion of a due contact, marks, a cleared mark",
          "[apply][usecase]") {
    apply_use_case(
        2, {{43000000201, 43000000207, 43000000209, 43000000210},
            {{"DELETE /tickets/{id}", 3}, {"PUT /contacts/{id}", 4}, {"DELETE /contacts/{id}", 1}},
            1,
            3,
            2,
            1});
}

TEST_CASE("apply: use case 3 - old incidents one by one, contacts left without tickets deleted",
          "[apply][usecase]") {
    apply_use_case(3, {{43000000301, 43000000302, 43000000307, 43000000308},
                       {{"DELETE /tickets/{id}", 5},
                        {"DELETE /contacts/{id}", 3},
                        {"DELETE /contacts/{id}/hard_delete", 3}},
                       3,
                       5});
}

namespace {

// Use case 1's rules with a soft deletion.
const std::string soft_usecase1 = R"({"version":1,"ticket_rules":[{"name":"escalation-questions",
 "groups":["Escalations"],"types":["Question"],"older_than":"180d","since":"closed","scope":"contact"}],
 "contact_policy":{"keep_contact":false,"delete_mode":"soft","delete_after":"immediate"},
 "exceptions":{"tags":["VIP"]}})";

}  // namespace

TEST_CASE("apply: a soft deletion replaces pending tags with gdpr-purge-deleted, all else kept",
          "[apply][soft]") {
    SECTION("a due waiting contact with several pending tags, one without a valid date") {
        Account account(account_options(usecase_account(2)));
        constexpr Id paula = 43000000207;
        account.control("POST", "/_sim/contacts/43000000207",
                        R"({"tags":["Newsletter","gdpr-purge-pending-2026-10-01","beta-Tester",)"
                        R"("GDPR-Purge-Pending-2026-09-01","gdpr-purge-pending-someday"]})");
        const gp::Plan plan = make_plan(account, load_rules(usecase_rules(2)), now_time());
        REQUIRE(entry_of(plan, paula).steps.size() == 1);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        CHECK(run.totals.entries_done == 4);
        CHECK(account.contact_state(paula) == "soft_deleted");
        CHECK(account.tags(paula) == std::vector<std::string>{"Newsletter", "beta-Tester",
                                                              "gdpr-purge-pending-someday",
                                                              "gdpr-purge-deleted"});
    }
    SECTION("contacts deleted right after their tickets; a tag already there is not sent again") {
        Account account(account_options(usecase_account(1)));
        const std::vector<Id> ids = contact_ids_of(usecase_account(1));
        constexpr Id alice = 43000000101;
        constexpr Id tom = 43000000114;
        account.control("POST", "/_sim/contacts/43000000101",
                        R"({"tags":["Key-Customer","newsletter"]})");
        account.control("POST", "/_sim/contacts/43000000114", R"({"tags":["GDPR-Purge-Deleted"]})");
        const gp::Plan plan = make_plan(account, rules_text(soft_usecase1), now_time());
        REQUIRE(plan.entries.size() == 4);
        const World before = world(account, ids);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        INFO(show(run.records));
        check_applied(before, world(account, ids), plan);
        check_one_done_per_step(run.records, plan);
        CHECK(account.tags(alice) ==
              std::vector<std::string>{"Key-Customer", "newsletter", "gdpr-purge-deleted"});
        CHECK(account.tags(tom) == std::vector<std::string>{"GDPR-Purge-Deleted"});
        CHECK(account.contact_state(tom) == "soft_deleted");
        CHECK(count(run.requests, "PUT /contacts/{id}") == 3);  // not Tom's
        CHECK(count(run.requests, "DELETE /contacts/{id}") == 4);
        CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 0);
        CHECK(run.totals.contacts_deleted == 4);
        for (Id t : {1, 2, 14, 17, 21}) {
            CHECK(account.seen(t) == "trash");  // a soft-deleted contact's tickets stay
        }
    }
}

namespace {

const std::string hard_usecase2 = R"({"version":1,"ticket_rules":[{"name":"camping-contacts",
 "groups":["Camping"],"older_than":"90d","since":"closed","scope":"contact"}],
 "contact_policy":{"keep_contact":false,"delete_mode":"hard","delete_after":"30d"},
 "exceptions":{"responders":["keeper@example.com"]}})";

constexpr Id carl = 43000000201;

// Use case 2's first run: Carl's tickets trashed and his wait started on kNow's day.
gp::Plan mark_carl(Account& account, const gp::Rules& rules, const std::string& journal) {
    account.control("POST", "/_sim/contacts/43000000201/tags", R"({"add":["Newsletter","beta"]})");
    const gp::Plan plan = make_plan(account, rules, now_time());
    const gp::Entry& entry = entry_of(plan, carl);
    REQUIRE(entry.steps.size() == 2);
    REQUIRE(entry.steps[1].action == gp::StepAction::mark_pending);
    REQUIRE(entry.steps[1].since == "2026-11-29");
    const ApplyRun run = run_apply(account, plan, journal);
    INFO(show(run.records));
    REQUIRE(run.totals.entries_done == static_cast<std::int64_t>(plan.entries.size()));
    CHECK(account.tags(carl) ==
          std::vector<std::string>{"Newsletter", "beta", "gdpr-purge-pending-2026-11-29"});
    CHECK(account.contact_state(carl) == "active");
    return plan;
}

}  // namespace

TEST_CASE("apply: a marked contact is deleted by a later plan once its wait is over",
          "[apply][pending]") {
    const bool soft = GENERATE(true, false);
    INFO((soft ? "soft" : "hard"));
    const gp::Rules rules = soft ? load_rules(usecase_rules(2)) : rules_text(hard_usecase2);
    Account account(account_options(usecase_account(2)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(2));
    const TempDir dir;
    mark_carl(account, rules, dir.file("first.jsonl"));

    account.sim.clock().advance(31 * kDay);
    const gp::Plan later = make_plan(account, rules, now_time() + 31 * kDay);
    const gp::Entry& entry = entry_of(later, carl);
    CHECK(entry.rules == std::vector<std::string>{"pending"});
    REQUIRE(entry.steps.size() == 1);
    CHECK(entry.steps[0].action == gp::StepAction::delete_contact);
    const World before = world(account, ids);
    const ApplyRun run = run_apply(account, later, dir.file("second.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    check_applied(before, world(account, ids), later);
    check_one_done_per_step(run.records, later);
    if (soft) {
        CHECK(account.contact_state(carl) == "soft_deleted");
        CHECK(account.tags(carl) ==
              std::vector<std::string>{"Newsletter", "beta", "gdpr-purge-deleted"});
    } else {
        CHECK(account.contact_state(carl) == "hard_deleted");
        CHECK(count(run.requests, "PUT /contacts/{id}") == 0);
    }
}

TEST_CASE("apply: a new ticket during the wait clears only the pending tag", "[apply][pending]") {
    const gp::Rules rules = load_rules(usecase_rules(2));
    Account account(account_options(usecase_account(2)));
    const TempDir dir;
    mark_carl(account, rules, dir.file("first.jsonl"));
    const json::value ticket = account.control(
        "POST", "/_sim/tickets",
        R"({"requester_id":43000000201,"group_id":43000000012,"type":"Question","status":2})");
    const Id new_ticket = ticket.at("id").as_int64();

    account.sim.clock().advance(31 * kDay);
    const gp::Plan later = make_plan(account, rules, now_time() + 31 * kDay);
    const gp::Entry& entry = entry_of(later, carl);
    REQUIRE(entry.steps.size() == 1);
    CHECK(entry.steps[0].action == gp::StepAction::clear_pending);
    CHECK(entry.expect.ticket_ids == std::vector<Id>{new_ticket});
    const ApplyRun run = run_apply(account, later, dir.file("second.jsonl"));
    INFO(show(run.records));
    check_one_done_per_step(run.records, later);
    CHECK(account.contact_state(carl) == "active");
    CHECK(account.tags(carl) == std::vector<std::string>{"Newsletter", "beta"});
    CHECK(account.seen(new_ticket) == "live");
    CHECK(run.totals.marks_cleared == 1);
}

namespace {

// `plan --subject`: the contacts of the emails, all their tickets and the contact, hard.
gp::Plan subject_plan(Account& account, const gp::Rules& rules,
                      const std::vector<std::string>& emails) {
    gp::reader::ReadOptions options;
    options.as_of = now_time();
    options.now = account.sim.clock().now();
    std::vector<gp::reader::SubjectMatch> matches;
    const gp::Snapshot snapshot =
        gp::reader::read_subjects(account.client, emails, options, matches);
    std::vector<Id> ids;
    for (const auto& m : matches) {
        ids.insert(ids.end(), m.contact_ids.begin(), m.contact_ids.end());
    }
    gp::Plan plan = gp::evaluate_subjects(snapshot, rules, ids, now_time());
    plan.header.account = "sim.freshdesk.example";
    return plan;
}

}  // namespace

TEST_CASE("apply: an erasure request takes the contact and all its tickets", "[apply][subject]") {
    Account account(account_options(usecase_account(1)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(1));
    constexpr Id max = 43000000107;  // tickets 12, 13 closed (the rule would not take 13)
    const gp::Plan plan = subject_plan(account, load_rules(usecase_rules(1)), {"max@example.com"});
    REQUIRE(entry_ids(plan) == std::vector<Id>{max});
    const World before = world(account, ids);
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.records));
    check_one_done_per_step(run.records, plan);
    check_applied(before, world(account, ids), plan);
    CHECK(account.contact_state(max) == "hard_deleted");
}

// PRODUCT BUG (reported to the lead): an erasure request plans every live ticket of the subject,
// open ones included (Oscar's ticket 7), but apply's re-check calls a planned ticket that is not
// closed "reopened" and skips the entry: an erasure request of a contact with an open ticket is
// never carried out. See also test_apply_check.cpp.
TEST_CASE("apply: an erasure request takes open tickets too", "[apply][subject]") {
    Account account(account_options(usecase_account(1)));
    constexpr Id oscar = 43000000103;  // ticket 6 closed, 7 open
    const gp::Plan plan =
        subject_plan(account, load_rules(usecase_rules(1)), {"oscar@example.com"});
    REQUIRE(entry_ids(plan) == std::vector<Id>{oscar});
    REQUIRE(entry_of(plan, oscar).steps[0].ticket_ids == std::vector<Id>{6, 7});
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.records));
    CHECK(run.totals.entries_done == 1);
    CHECK(account.contact_state(oscar) == "hard_deleted");
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 2);
}

TEST_CASE("apply: a contact soft-deleted by gdpr-purge long enough ago is purged",
          "[apply][purge]") {
    const std::string rules = R"({"version":1,"ticket_rules":[{"name":"camping-contacts",
     "groups":["Camping"],"older_than":"90d","since":"closed","scope":"contact"}],
     "contact_policy":{"keep_contact":false,"delete_mode":"soft","delete_after":"30d",
      "purge_soft_deleted_after":"30d"},
     "exceptions":{"responders":["keeper@example.com"]}})";
    Account account(account_options(usecase_account(2)));
    constexpr Id zoe = 43000000211;  // no ticket at all
    account.control("POST", "/_sim/contacts/43000000211",
                    R"({"state":"soft_deleted","add_tags":["gdpr-purge-deleted"],)"
                    R"("updated_at":"2026-09-01T00:00:00Z"})");
    const gp::Plan plan = make_plan(account, rules_text(rules), now_time());
    REQUIRE(entry_of(plan, zoe).steps.size() == 1);
    REQUIRE(entry_of(plan, zoe).steps[0].action == gp::StepAction::purge_soft_deleted);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");
    const ApplyRun run = run_apply(account, plan, journal);
    INFO(show(run.requests));
    INFO(show(run.records));
    check_one_done_per_step(run.records, plan);
    CHECK(account.contact_state(zoe) == "hard_deleted");
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 1);
    CHECK(count(run.requests, "DELETE /contacts/{id}") == 1);  // Paula's soft deletion, not Zoe's
    CHECK(run.totals.soft_deleted_purged == 1);
    CHECK(run_apply(account, plan, journal).requests.empty());
}
