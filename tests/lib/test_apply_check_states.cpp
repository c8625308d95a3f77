// lib/executor's pure parts of apply (apply_detail.hpp), continued: where an entry stands per the
// journal, the planned tickets of an entry, and the tag lists the tag-writing steps send.
#include "engine_fixtures.hpp"
#include "executor/apply_detail.hpp"

#include <catch2/catch.hpp>

using namespace gp;
using namespace gp::test;
using gp::tags_cleared;
using gp::tags_marked;
using gp::tags_soft_deleted;
using gp::executor::JournalRecord;
using gp::executor::Outcome;
using gp::executor::detail::entry_states;
using Tags = std::vector<std::string>;

namespace {

const std::string sha = std::string(64, 'a');

JournalRecord rec(Id contact, std::optional<int> step, Outcome outcome,
                  const std::string& plan = sha, const std::string& job = "") {
    JournalRecord r;
    r.ts = "2026-11-29T04:10:00Z";
    r.run = std::string(32, '1');
    r.account = "acme.freshdesk.com";
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = plan;
    r.contact_id = contact;
    r.step = step;
    r.outcome = outcome;
    r.job_id = job;
    return r;
}

Entry entry(Id contact, std::size_t steps) {
    Entry e;
    e.contact_id = contact;
    for (std::size_t i = 0; i < steps; ++i) {
        e.steps.push_back(i == 0 ? delete_tickets_step({1, 2})
                                 : delete_contact_step(DeleteMode::hard));
    }
    return e;
}

const std::vector<Entry> entries{entry(1, 2), entry(2, 2), entry(3, 1), entry(4, 2)};

}  // namespace

TEST_CASE("entry_states: every entry has a state, fresh when the journal does not name it") {
    const auto states = entry_states({}, sha, entries);
    REQUIRE(states.size() == entries.size());
    for (const Entry& e : entries) {
        const auto& s = states.at(e.contact_id);
        CHECK(s.next_step == 0);
        CHECK_FALSE(s.skipped);
        CHECK(s.job_id.empty());
        CHECK_FALSE(s.finished(e));
    }
}

TEST_CASE("entry_states: steps count done in order, failures do not count") {
    const std::vector<JournalRecord> records{rec(1, 0, Outcome::done), rec(1, 1, Outcome::failed),
                                             rec(2, 1, Outcome::done), rec(3, 0, Outcome::failed),
                                             rec(3, 0, Outcome::done), rec(4, 0, Outcome::done),
                                             rec(4, 1, Outcome::done)};
    const auto states = entry_states(records, sha, entries);
    CHECK(states.at(1).next_step == 1);  // step 1 failed: retried
    CHECK(states.at(2).next_step == 0);  // step 1 done without step 0 does not skip step 0
    CHECK(states.at(3).next_step == 1);  // failed once, then done
    CHECK(states.at(3).finished(entries[2]));
    CHECK(states.at(4).next_step == 2);
    CHECK(states.at(4).finished(entries[3]));
    CHECK_FALSE(states.at(1).finished(entries[0]));
}

TEST_CASE("entry_states: only this plan's apply records count") {
    JournalRecord undo = rec(2, 0, Outcome::done);
    undo.source = gp::executor::JournalSource::journal;
    const std::vector<JournalRecord> records{rec(1, 0, Outcome::done, std::string(64, 'b')),
                                             rec(1, std::nullopt, Outcome::skipped, "other"), undo};
    const auto states = entry_states(records, sha, entries);
    CHECK(states.at(1).next_step == 0);
    CHECK_FALSE(states.at(1).skipped);
    CHECK(states.at(2).next_step == 0);
}

TEST_CASE("entry_states: a whole-entry skip is final") {
    const std::vector<JournalRecord> records{rec(2, std::nullopt, Outcome::skipped)};
    const auto states = entry_states(records, sha, entries);
    CHECK(states.at(2).skipped);
    CHECK(states.at(2).finished(entries[1]));
    CHECK_FALSE(states.at(1).skipped);
}

TEST_CASE(
    "entries_finished: the entries entry_states finishes, for the command and the run alike") {
    Plan plan;
    plan.entries = entries;
    JournalRecord undo = rec(4, 1, Outcome::done);
    undo.source = gp::executor::JournalSource::journal;
    const std::vector<JournalRecord> records{
        rec(1, 0, Outcome::done),
        rec(1, 1, Outcome::done),  // every step: finished
        rec(2, 1, Outcome::done),
        rec(2, 1, Outcome::done),                // step 1 twice, never 0: not
        rec(3, std::nullopt, Outcome::skipped),  // skipped: finished
        rec(4, 0, Outcome::done),
        undo,                                             // an undo's record: not
        rec(4, 1, Outcome::done, std::string(64, 'b'))};  // another plan's: not
    CHECK(gp::executor::entries_finished(plan, sha, records) == 2);
    CHECK(gp::executor::entries_finished(plan, sha, {}) == 0);
    CHECK(gp::executor::entries_finished(plan, std::string(64, 'b'), records) == 0);
}

TEST_CASE("entry_states: a started job of the next step is waited for, a finished one not") {
    const std::string job = "0123456789abcdef0123456789abcdef";
    SECTION("started, nothing after it") {
        const auto states = entry_states({rec(1, 0, Outcome::started, sha, job)}, sha, entries);
        CHECK(states.at(1).next_step == 0);
        CHECK(states.at(1).job_id == job);
        CHECK(states.at(2).job_id.empty());
    }
    SECTION("started, then the step done") {
        const auto states = entry_states(
            {rec(1, 0, Outcome::started, sha, job), rec(1, 0, Outcome::done)}, sha, entries);
        CHECK(states.at(1).next_step == 1);
        CHECK(states.at(1).job_id.empty());
    }
    SECTION("another plan's job") {
        const auto states =
            entry_states({rec(1, 0, Outcome::started, std::string(64, 'c'), job)}, sha, entries);
        CHECK(states.at(1).job_id.empty());
    }
}

TEST_CASE("entry_states: a started record without a job only says the step was begun") {
    const std::string job = "0123456789abcdef0123456789abcdef";
    SECTION("an archived deletion begun: no job to wait for") {
        const auto states =
            entry_states({rec(1, 0, Outcome::done), rec(1, 1, Outcome::started)}, sha, entries);
        CHECK(states.at(1).next_step == 1);
        CHECK(states.at(1).begun);
        CHECK(states.at(1).job_id.empty());
        CHECK_FALSE(states.at(2).begun);
    }
    SECTION("begun, then failed: still begun (the next run's 404s are its own)") {
        const auto states =
            entry_states({rec(1, 0, Outcome::started), rec(1, 0, Outcome::failed)}, sha, entries);
        CHECK(states.at(1).begun);
    }
    SECTION("a bulk job's started record begins its step too, and keeps its job") {
        const auto states = entry_states(
            {rec(1, 0, Outcome::started, sha, job), rec(1, 0, Outcome::started)}, sha, entries);
        CHECK(states.at(1).begun);
        CHECK(states.at(1).job_id == job);
    }
    SECTION("begun and done: the next step is not begun") {
        const auto states =
            entry_states({rec(1, 0, Outcome::started), rec(1, 0, Outcome::done)}, sha, entries);
        CHECK(states.at(1).next_step == 1);
        CHECK_FALSE(states.at(1).begun);
    }
    SECTION("another plan's") {
        const auto states =
            entry_states({rec(1, 0, Outcome::started, std::string(64, 'c'))}, sha, entries);
        CHECK_FALSE(states.at(1).begun);
    }
}

TEST_CASE("planned_archived_ids: the delete_archived_tickets steps' ids from a step on") {
    Entry e;
    e.steps = {delete_tickets_step({3}), delete_archived_tickets_step({7, 9}),
               delete_contact_step(DeleteMode::hard)};
    CHECK(gp::executor::detail::planned_archived_ids(e) == std::vector<Id>{7, 9});
    CHECK(gp::executor::detail::planned_archived_ids(e, 1) == std::vector<Id>{7, 9});
    CHECK(gp::executor::detail::planned_archived_ids(e, 2).empty());
    CHECK(gp::executor::detail::planned_ticket_ids(e) == std::vector<Id>{3});
}

TEST_CASE("planned_ticket_ids: every delete_tickets step's ids, ascending, once") {
    Entry e;
    e.steps = {delete_tickets_step({3, 5}), delete_contact_step(DeleteMode::soft),
               delete_tickets_step({1, 5, 8})};
    CHECK(gp::executor::detail::planned_ticket_ids(e) == std::vector<Id>{1, 3, 5, 8});
    e.steps = {mark_pending_step("2026-01-01")};
    CHECK(gp::executor::detail::planned_ticket_ids(e).empty());
}

TEST_CASE("tags_marked: the pending tag added last, unless present in any case") {
    CHECK(tags_marked({}, "2026-11-29") == Tags{"gdpr-purge-pending-2026-11-29"});
    CHECK(tags_marked({"Newsletter", "beta"}, "2026-11-29") ==
          Tags{"Newsletter", "beta", "gdpr-purge-pending-2026-11-29"});
    CHECK_FALSE(tags_marked({"Newsletter", "gdpr-purge-pending-2026-11-29"}, "2026-11-29"));
    CHECK_FALSE(tags_marked({"GDPR-Purge-Pending-2026-11-29", "x"}, "2026-11-29"));
    // Another day's tag is not this one (the latest date counts when the plan reads it).
    CHECK(tags_marked({"gdpr-purge-pending-2026-10-01"}, "2026-11-29") ==
          Tags{"gdpr-purge-pending-2026-10-01", "gdpr-purge-pending-2026-11-29"});
}

TEST_CASE("tags_cleared: every valid pending tag removed, all else kept as it was") {
    CHECK(tags_cleared({"VIPish", "gdpr-purge-pending-2026-10-01", "Beta"}) ==
          Tags{"VIPish", "Beta"});
    CHECK(tags_cleared({"GDPR-PURGE-PENDING-2026-10-01", "x", "gdpr-purge-pending-2026-11-01"}) ==
          Tags{"x"});
    // No valid date: not a pending tag (rules-semantics.md, settled 3), so it stays.
    CHECK(tags_cleared({"gdpr-purge-pending-someday", "gdpr-purge-pending-2026-10-01"}) ==
          Tags{"gdpr-purge-pending-someday"});
    CHECK_FALSE(tags_cleared({"gdpr-purge-pending-someday", "Newsletter"}));
    CHECK_FALSE(tags_cleared({}));
}

TEST_CASE("tags_soft_deleted: pending tags replaced by the deleted tag, all else kept") {
    CHECK(tags_soft_deleted({}) == Tags{"gdpr-purge-deleted"});
    CHECK(tags_soft_deleted({"Newsletter", "gdpr-purge-pending-2026-10-01", "beta"}) ==
          Tags{"Newsletter", "beta", "gdpr-purge-deleted"});
    CHECK(tags_soft_deleted({"gdpr-purge-pending-someday", "Gdpr-Purge-Pending-2026-10-01"}) ==
          Tags{"gdpr-purge-pending-someday", "gdpr-purge-deleted"});
    CHECK_FALSE(tags_soft_deleted({"a", "gdpr-purge-deleted"}));
    CHECK_FALSE(tags_soft_deleted({"GDPR-Purge-Deleted", "b"}));
    // Already tagged (in its own case), a pending tag left over: only that one goes.
    CHECK(tags_soft_deleted({"GDPR-Purge-Deleted", "gdpr-purge-pending-2026-10-01", "b"}) ==
          Tags{"GDPR-Purge-Deleted", "b"});
}
