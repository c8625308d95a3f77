// apply_plan and read_subjects when a contact is gone for good (hard-deleted): Freshdesk's
// tickets list then answers 400 on `requester_id` ("no contact matching"), not an empty list
// (docs/simulator-account.md, "Tickets"). The entry is done when the plan deletes the contact for
// good, skipped with the reason otherwise; it never fails (docs/apply.md, "Per entry").
#include "engine/engine.hpp"
#include "freshdesk/write.hpp"
#include "reader/reader.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <iterator>
#include <variant>

using namespace applytest;
namespace ex = gp::executor;

namespace {

constexpr Id alice = 43000000101;  // use case 1: tickets 1, 2, then a hard deletion
constexpr Id carl = 43000000201;   // use case 2: tickets 1, 2
constexpr Id sara = 43000000302;   // use case 3: ticket 3 deleted, 4 and 5 kept (she stays)

// Rewrites the journal without the records `drop` picks: a run killed after the step's call and
// before its record.
void drop_records(const std::string& path,
                  const std::function<bool(const ex::JournalRecord&)>& drop) {
    std::ifstream in(path);
    std::string kept;
    std::string line;
    for (const ex::JournalRecord& record : ex::read_journal(path)) {
        std::getline(in, line);
        if (!drop(record)) {
            kept += line + "\n";
        }
    }
    in.close();
    std::ofstream(path, std::ios::trunc) << kept;
}

// Someone else deletes the contact for good (soft, then hard: as in Freshdesk's UI).
void hard_delete_elsewhere(Account& account, Id contact) {
    REQUIRE(gp::freshdesk::soft_delete_contact(account.client, contact).ok());
    REQUIRE(gp::freshdesk::hard_delete_contact(account.client, contact).ok());
    REQUIRE(account.contact_state(contact) == "hard_deleted");
}

// An account of a use case whose hard deletions take their tickets only after an hour of its
// clock: the tickets of a contact deleted for good stay visible meanwhile, as Freshdesk's do for
// a moment, without a test that races the clock.
simtest::InProcessOptions slow_removal(int use_case) {
    simtest::InProcessOptions options = account_options(usecase_account(use_case));
    options.job_seconds = 3600;
    return options;
}

std::vector<ex::JournalRecord> with_outcome(const std::vector<ex::JournalRecord>& records,
                                            ex::Outcome outcome) {
    std::vector<ex::JournalRecord> out;
    std::copy_if(records.begin(), records.end(), std::back_inserter(out),
                 [&](const ex::JournalRecord& r) { return r.outcome == outcome; });
    return out;
}

}  // namespace

TEST_CASE("apply: a hard deletion whose record was lost is done on the resume, not failed",
          "[apply][resume][gone]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(entry_of(plan, alice).steps.size() == 2);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");
    const ApplyRun first = run_apply(account, plan, journal);
    REQUIRE(first.totals.entries_done == 4);
    REQUIRE(account.contact_state(alice) == "hard_deleted");
    // Killed after Alice's hard_delete answered and before its record: the journal has her
    // tickets step only.
    drop_records(journal, [](const ex::JournalRecord& r) {
        return r.contact_id == alice && r.step == std::optional<int>(1);
    });

    const ApplyRun second = run_apply(account, plan, journal);
    INFO(show(second.requests));
    INFO(show(second.records));
    CHECK(with_outcome(second.records, ex::Outcome::failed).empty());
    CHECK(second.totals.entries_failed == 0);
    CHECK(second.totals.entries_done == 4);
    CHECK(writes(second.requests) == 0);
    CHECK(count(second.requests, "GET /tickets") == 1);  // one listing: its 400 says she is gone
    const auto mine = records_of(second.records, alice);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].outcome == ex::Outcome::done);
    CHECK(mine[0].step == std::optional<int>(1));
    CHECK(mine[0].reason.rfind("already so: ", 0) == 0);
    CHECK(mine[0].reason.find("no longer exists") != std::string::npos);
    CHECK(second.totals.contacts_deleted == 0);  // not this run's deletion
}

TEST_CASE(
    "apply: a contact hard-deleted by someone else, at once - done when the plan deletes it "
    "for good",
    "[apply][changes][gone]") {
    Account account(slow_removal(1));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    hard_delete_elsewhere(account, alice);
    // Her tickets are still visible in the lists (their removal comes an hour later), but the
    // tickets list of her id already answers that no such contact exists.
    REQUIRE(account.seen(1) == "live");
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(run.totals.entries_failed == 0);
    CHECK(run.totals.entries_done == 4);
    const auto mine = records_of(run.records, alice);
    REQUIRE(mine.size() == 2);
    for (std::size_t k = 0; k < mine.size(); ++k) {
        CHECK(mine[k].outcome == ex::Outcome::done);
        CHECK(mine[k].step == std::optional<int>(static_cast<int>(k)));
        CHECK(mine[k].reason.rfind("already so: the contact no longer exists", 0) == 0);
    }
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 3);  // Bea's, Nora's, Tom's
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 3);
}

TEST_CASE(
    "apply: a contact hard-deleted by someone else - skipped when the plan keeps it or "
    "deletes it softly",
    "[apply][changes][gone]") {
    SECTION("a soft deletion: not this plan's to record, skipped") {
        Account account(slow_removal(2));
        const gp::Plan plan = make_plan(
            account, load_rules(data_file("rules/apply_soft_immediate.json")), now_time());
        const gp::Entry& entry = entry_of(plan, carl);
        REQUIRE(entry.steps.back().action == gp::StepAction::delete_contact);
        REQUIRE(entry.steps.back().mode == gp::DeleteMode::soft);
        hard_delete_elsewhere(account, carl);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        INFO(show(run.records));
        CHECK(run.totals.entries_failed == 0);
        const auto mine = records_of(run.records, carl);
        REQUIRE(mine.size() == 1);
        CHECK(mine[0].outcome == ex::Outcome::skipped);
        CHECK_FALSE(mine[0].step.has_value());
        CHECK(mine[0].reason.find("no longer exists") != std::string::npos);
        CHECK(mine[0].reason.find("does not delete it for good") != std::string::npos);
        CHECK(run.totals.entries_skipped == 1);
        // Still visible (the hard deletion takes them later): no DELETE was sent for them.
        CHECK(account.seen(1) == "live");
        CHECK(account.seen(2) == "live");
    }
    SECTION("tickets only (the contact stays): skipped") {
        Account account(slow_removal(3));
        const gp::Plan plan = make_plan(account, load_rules(usecase_rules(3)), now_time());
        REQUIRE(plan.entries.size() == 4);
        REQUIRE(entry_of(plan, sara).steps.size() == 1);
        hard_delete_elsewhere(account, sara);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        INFO(show(run.records));
        CHECK(run.totals.entries_failed == 0);
        const auto mine = records_of(run.records, sara);
        REQUIRE(mine.size() == 1);
        CHECK(mine[0].outcome == ex::Outcome::skipped);
        CHECK(mine[0].reason.find("no longer exists") != std::string::npos);
        CHECK(mine[0].reason.find("does not delete it for good") != std::string::npos);
        CHECK(account.seen(3) == "live");  // still visible: no DELETE was sent for it
        CHECK(count(run.requests, "DELETE /tickets/{id}") == 4);  // Ivan's 1, 2, Cleo's, Pete's
    }
}

TEST_CASE(
    "plan --subject: a subject deleted for good between its view and its tickets is left "
    "out, with a warning",
    "[reader][gone]") {
    Account account(account_options(usecase_account(1)));
    // Alice is hard-deleted by someone else right after the plan's read viewed her.
    std::atomic<int> deleted{0};  // the hard deletion's status
    account.set_block([&](const gp::http::Request& request) -> std::optional<gp::http::Response> {
        if (request.method == "GET" &&
            request.target.find("requester_id=" + std::to_string(alice)) != std::string::npos &&
            deleted == 0) {
            gp::http::Request gone;
            gone.method = "DELETE";
            gone.target = "/api/v2/contacts/" + std::to_string(alice) + "/hard_delete?force=true";
            gone.headers = request.headers;  // the same key
            deleted = std::get<gp::http::Response>(account.sim.send(gone)).status;
        }
        return std::nullopt;  // the listing itself reaches the account
    });
    const gp::Rules rules = load_rules(usecase_rules(1));
    gp::reader::ReadOptions options;
    options.as_of = now_time();
    std::vector<gp::reader::SubjectMatch> matches;
    gp::reader::ReadReport report;
    const gp::Snapshot snapshot =
        gp::reader::read_subjects(account.client, {"alice@example.com"}, options, matches, &report);
    REQUIRE(deleted == 204);
    REQUIRE(matches.size() == 1);
    CHECK(matches[0].contact_ids == std::vector<Id>{alice});  // found by her email
    CHECK(snapshot.contacts.empty());                         // but gone: nothing to erase
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].find(std::to_string(alice)) != std::string::npos);
    CHECK(report.warnings[0].find("no longer exists") != std::string::npos);
    const gp::Plan plan = gp::evaluate_subjects(snapshot, rules, {alice}, now_time());
    CHECK(plan.entries.empty());
}
