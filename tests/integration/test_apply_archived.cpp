// lib/executor's apply_plan against the simulated account in process, on archived tickets
// (docs/apply.md, "Archived tickets") and blocked contacts: permanent deletions journaled as such
// and reported to the archive index, a stale index that must not delete a contact, a killed run
// resumed without a second DELETE, and the blocked contacts read from the contacts list.
#include "engine/engine.hpp"
#include "freshdesk/read.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>

using namespace applytest;
namespace ex = gp::executor;
namespace fd = gp::freshdesk;

namespace {

// Use case 1 (Escalations/Question, 180 days after the close, scope contact, hard) on its account,
// where closed tickets inactive for 280 days are archived: ticket 17 (nora's only ticket) and 1
// (alice's, whose ticket 2 stays live) among them.
constexpr int kArchiveDays = 280;
constexpr Id nora = 43000000111;   // ticket 17, archived
constexpr Id alice = 43000000101;  // ticket 1 archived, ticket 2 live (3 in the trash, 4 spam)
constexpr Id kLastTicket = 21;

simtest::InProcessOptions archiving_account() {
    simtest::InProcessOptions options = account_options(usecase_account(1));
    options.archive_days = kArchiveDays;
    return options;
}

// The test's archive index: the archived tickets by requester, and the ids apply reported gone.
struct Index {
    std::mutex mutex;
    std::map<Id, std::vector<gp::TicketRecord>> archived;
    std::vector<Id> gone;

    std::vector<Id> gone_sorted() {
        std::lock_guard lock(mutex);
        std::vector<Id> out = gone;
        std::sort(out.begin(), out.end());
        return out;
    }
};

ex::ApplyOptions with_index(Index& index) {
    ex::ApplyOptions options = fast_options();
    options.archived_of = [&index](Id requester) {
        std::lock_guard lock(index.mutex);
        const auto it = index.archived.find(requester);
        return it == index.archived.end() ? std::vector<gp::TicketRecord>{} : it->second;
    };
    options.on_archived_gone = [&index](Id ticket) {
        std::lock_guard lock(index.mutex);
        index.gone.push_back(ticket);
        for (auto& [requester, tickets] : index.archived) {
            std::erase_if(tickets, [&](const gp::TicketRecord& t) { return t.id == ticket; });
        }
    };
    return options;
}

// The plan of `contacts` as the reader with a complete archive index would make it: the names,
// each contact's view and live tickets (with stats), and every archived ticket probed (which the
// index learns).
gp::Plan plan_of(Account& account, const std::vector<Id>& contacts, Index& index) {
    fd::Client& client = account.client;
    gp::Snapshot snapshot;
    snapshot.agents = fd::list_agents(client);
    snapshot.groups = fd::list_groups(client);
    snapshot.companies = fd::list_companies(client);
    snapshot.ticket_types = fd::list_ticket_types(client);
    for (const Id id : contacts) {
        const auto view = fd::view_contact(client, id);
        REQUIRE(view);
        snapshot.contacts.push_back(view->contact);
        fd::TicketQuery query;
        query.requester_id = id;
        query.stats_from = 0;
        fd::for_each_ticket(client, query,
                            [&](fd::ListedTicket&& ticket) { snapshot.add_ticket(ticket.record); });
    }
    for (Id id = 1; id <= kLastTicket; ++id) {
        if (account.seen(id) != "archived") {
            continue;
        }
        const fd::ArchivedProbe probe = fd::probe_archived(client, id);
        REQUIRE(probe.answer == fd::ArchivedAnswer::archived);
        index.archived[probe.ticket.requester_id].push_back(probe.ticket);
        if (std::find(contacts.begin(), contacts.end(), probe.ticket.requester_id) !=
            contacts.end()) {
            snapshot.add_ticket(probe.ticket);
        }
    }
    const gp::Rules rules = load_rules(usecase_rules(1));
    gp::Plan plan = gp::evaluate(snapshot, rules, now_time());
    plan.header.account = "sim.freshdesk.example";
    plan.header.generated_at = gp::format_timestamp(now_time());
    gp::ArchiveCoverage coverage;
    coverage.feature = true;
    coverage.complete = true;
    plan.header.archive = coverage;
    return plan;
}

gp::Step step(gp::StepAction action, std::vector<Id> ids = {}) {
    gp::Step s;
    s.action = action;
    s.ticket_ids = std::move(ids);
    return s;
}

const gp::Step hard_deletion = [] {
    gp::Step s;
    s.action = gp::StepAction::delete_contact;
    s.mode = gp::DeleteMode::hard;
    return s;
}();

// The plan for nora and alice, with the steps these tests rely on.
gp::Plan planned(Account& account, Index& index) {
    REQUIRE(account.seen(17) == "archived");
    REQUIRE(account.seen(1) == "archived");
    REQUIRE(account.seen(2) == "live");
    const gp::Plan plan = plan_of(account, {nora, alice}, index);
    INFO(plan.entries.size());
    REQUIRE(plan.entries.size() == 2);
    REQUIRE(
        entry_of(plan, nora).steps ==
        std::vector<gp::Step>{step(gp::StepAction::delete_archived_tickets, {17}), hard_deletion});
    REQUIRE(entry_of(plan, alice).steps ==
            std::vector<gp::Step>{step(gp::StepAction::delete_tickets, {2}),
                                  step(gp::StepAction::delete_archived_tickets, {1}),
                                  hard_deletion});
    return plan;
}

ex::JournalRecord earlier(const gp::Plan& plan, Id contact, int index, ex::Outcome outcome) {
    const gp::Step& s = entry_of(plan, contact).steps.at(static_cast<std::size_t>(index));
    ex::JournalRecord r;
    r.ts = kNow;
    r.run = std::string(32, '0');
    r.account = plan.header.account;
    r.source = gp::executor::JournalSource::plan;
    r.source_sha256 = kPlanSha;
    r.contact_id = contact;
    r.step = index;
    r.action = std::string(gp::to_string(s.action));
    r.ticket_ids = s.ticket_ids;
    r.permanent = s.action == gp::StepAction::delete_archived_tickets;
    r.mode = s.action == gp::StepAction::delete_contact ? std::optional(s.mode) : std::nullopt;
    r.outcome = outcome;
    return r;
}

void write_journal(const std::string& path, const std::vector<ex::JournalRecord>& records) {
    ex::Journal journal(path);
    for (const auto& r : records) {
        journal.append(r);
    }
}

int send(Account& account, const std::string& method, const std::string& target) {
    fd::Call call;
    call.method = method;
    call.target = "/api/v2" + target;
    return account.client.send(call).status;
}

}  // namespace

TEST_CASE("apply: archived tickets are deleted for good, one DELETE each, journaled permanent",
          "[apply][archived]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    const World before = world(account, {nora, alice});
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");

    const ApplyRun run = run_apply(account, plan, journal, with_index(index));
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(count(run.requests, "DELETE /tickets/archived/{id}") == 2);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 1);
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 2);
    // The blocked contacts: read once, from the contacts list.
    CHECK(count(run.requests, "GET /contacts") == 1);
    CHECK(account.seen(17) == "gone");
    CHECK(account.seen(1) == "gone");
    CHECK(account.seen(2) == "trash");
    check_applied(before, world(account, {nora, alice}), plan);
    check_one_done_per_step(run.records, plan);
    CHECK(run.totals.archived_tickets_deleted == 2);
    CHECK(run.totals.tickets_deleted == 1);
    CHECK(run.totals.contacts_deleted == 2);
    CHECK(run.totals.entries_done == 2);
    CHECK(index.gone_sorted() == std::vector<Id>{1, 17});
    CHECK(index.archived[alice].empty());

    // Each archived step: a started record (no job), then done; both say permanent.
    for (const Id contact : {nora, alice}) {
        const int archived_step = contact == nora ? 0 : 1;
        std::vector<ex::Outcome> outcomes;
        for (const auto& r : records_of(run.records, contact)) {
            CHECK(r.permanent == (r.step == archived_step));
            if (r.step == archived_step) {
                CHECK(r.action == "delete_archived_tickets");
                CHECK(r.job_id.empty());
                outcomes.push_back(r.outcome);
            }
        }
        CHECK(outcomes == std::vector<ex::Outcome>{ex::Outcome::started, ex::Outcome::done});
    }
    // The line on disk.
    bool seen_line = false;
    for (const auto& r : ex::read_journal(journal)) {
        if (r.action == "delete_archived_tickets" && r.outcome == ex::Outcome::done) {
            CHECK(ex::to_json_line(r).find(R"("permanent":true)") != std::string::npos);
            seen_line = true;
        }
    }
    CHECK(seen_line);

    const ApplyRun again = run_apply(account, plan, journal, with_index(index));
    CHECK(again.requests.empty());
    CHECK(again.records.empty());
}

TEST_CASE("apply: an archived ticket gone before the run (a stale index) holds the contact",
          "[apply][archived]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    // An agent deletes ticket 17 in Freshdesk's UI: the index still says archived.
    REQUIRE(send(account, "DELETE", "/tickets/archived/17") == 204);
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");

    SECTION("no earlier run began the step: done, then the entry skipped") {
        const ApplyRun run = run_apply(account, plan, journal, with_index(index));
        INFO(show(run.records));
        CHECK(count(run.requests, "DELETE /tickets/archived/{id}") == 2);  // 17 (404) and 1
        CHECK(account.contact_state(nora) == "active");                    // never deleted
        CHECK(account.contact_state(alice) == "hard_deleted");
        const auto records = records_of(run.records, nora);
        REQUIRE(records.size() == 3);
        CHECK(records[0].outcome == ex::Outcome::started);
        CHECK(records[1].outcome == ex::Outcome::done);
        CHECK(records[1].step == 0);
        CHECK(records[1].permanent);
        CHECK(records[2].outcome == ex::Outcome::skipped);
        CHECK_FALSE(records[2].step);
        CHECK(records[2].reason ==
              "archived ticket 17 was already gone before this run: the "
              "contact waits for the next plan");
        CHECK(run.totals.entries_skipped == 1);
        CHECK(run.totals.entries_done == 1);
        CHECK(run.totals.archived_tickets_deleted == 1);
        CHECK(index.gone_sorted() == std::vector<Id>{1, 17});  // gone either way

        // The skip is final.
        const ApplyRun again = run_apply(account, plan, journal, with_index(index));
        CHECK(again.requests.empty());
        CHECK(account.contact_state(nora) == "active");
    }
    SECTION("an earlier run of this plan began the step: the 404 is its own, the contact goes") {
        write_journal(journal, {earlier(plan, nora, 0, ex::Outcome::started)});
        const ApplyRun run = run_apply(account, plan, journal, with_index(index));
        INFO(show(run.records));
        CHECK(account.contact_state(nora) == "hard_deleted");
        CHECK(run.totals.entries_skipped == 0);
        CHECK(run.totals.entries_done == 2);
        const auto records = records_of(run.records, nora);
        CHECK(records.at(1).outcome == ex::Outcome::done);
        CHECK(records.at(1).reason == "already so");
    }
}

TEST_CASE("apply: a killed run resumed sends no second DELETE for a step recorded done",
          "[apply][archived]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");
    // The killed run: alice's ticket 2 trashed, archived ticket 1 deleted, both journaled done;
    // killed before the contact step. Its index update is lost: the index still says archived.
    REQUIRE(send(account, "DELETE", "/tickets/2") == 204);
    REQUIRE(send(account, "DELETE", "/tickets/archived/1") == 204);
    write_journal(
        journal,
        {earlier(plan, alice, 0, ex::Outcome::done), earlier(plan, alice, 1, ex::Outcome::started),
         earlier(plan, alice, 1, ex::Outcome::done), earlier(plan, nora, 0, ex::Outcome::started),
         earlier(plan, nora, 0, ex::Outcome::done), earlier(plan, nora, 1, ex::Outcome::done)});

    const ApplyRun run = run_apply(account, plan, journal, with_index(index));
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(count(run.requests, "DELETE /tickets/archived/{id}") == 0);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 0);
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 1);
    CHECK(account.contact_state(alice) == "hard_deleted");
    CHECK(run.totals.entries_done == 2);
    CHECK(run.totals.entries_done_before == 1);  // nora
    CHECK(run.totals.archived_tickets_deleted == 0);
    REQUIRE(run.records.size() == 1);
    CHECK(run.records[0].step == 2);
    CHECK(index.gone.empty());
}

TEST_CASE("apply: killed inside the archived step, resumed: what it deleted answers 404, fine",
          "[apply][archived]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");
    REQUIRE(send(account, "DELETE", "/tickets/2") == 204);
    REQUIRE(send(account, "DELETE", "/tickets/archived/1") == 204);
    write_journal(journal, {earlier(plan, alice, 0, ex::Outcome::done),
                            earlier(plan, alice, 1, ex::Outcome::started)});

    const ApplyRun run = run_apply(account, plan, journal, with_index(index));
    INFO(show(run.records));
    CHECK(account.contact_state(alice) == "hard_deleted");
    CHECK(account.contact_state(nora) == "hard_deleted");
    CHECK(run.totals.entries_skipped == 0);
    CHECK(run.totals.archived_tickets_deleted == 1);  // nora's 17; alice's 1 was the killed run's
}

TEST_CASE("apply: an entry whose archived tickets the index does not know is skipped",
          "[apply][archived]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    Index empty;  // apply on a machine without the plan's state directory
    const TempDir dir;
    const ApplyRun run =
        run_apply(account, plan, dir.file("plan.json.journal.jsonl"), with_index(empty));
    INFO(show(run.records));
    CHECK(writes(run.requests) == 0);
    CHECK(run.totals.entries_skipped == 2);
    for (const Id id : {nora, alice}) {
        const auto records = records_of(run.records, id);
        REQUIRE(records.size() == 1);
        CHECK(records[0].reason.find("the archive index knows none of the archived tickets") !=
              std::string::npos);
    }
    CHECK(account.seen(17) == "archived");
}

TEST_CASE("apply: blocked contacts come from the contacts list, the view does not say so",
          "[apply][blocked]") {
    Account account(archiving_account());
    Index index;
    const gp::Plan plan = planned(account, index);
    account.control("POST", "/_sim/contacts/" + std::to_string(nora), R"({"state":"blocked"})");
    // The documented contact view has no `blocked` field.
    const auto view = fd::view_contact(account.client, nora);
    REQUIRE(view);
    REQUIRE_FALSE(view->blocked);
    const TempDir dir;
    const std::string journal = dir.file("plan.json.journal.jsonl");

    SECTION("listed blocked: skipped, nothing sent") {
        const ApplyRun run = run_apply(account, plan, journal, with_index(index));
        INFO(show(run.records));
        const auto records = records_of(run.records, nora);
        REQUIRE(records.size() == 1);
        CHECK(records[0].outcome == ex::Outcome::skipped);
        CHECK(records[0].reason == "the contact is blocked");
        CHECK(account.seen(17) == "archived");
        CHECK(account.contact_state(nora) == "blocked");
        CHECK(account.contact_state(alice) == "hard_deleted");
    }
    SECTION("blocked after the list was read: the soft delete's 405 is no 'already so'") {
        // The list answers before the contact is blocked (here: an empty list).
        account.set_block(
            [](const gp::http::Request& request) -> std::optional<gp::http::Response> {
                if (request.target.find("state=blocked") == std::string::npos) {
                    return std::nullopt;
                }
                gp::http::Response response;
                response.status = 200;
                response.body = "[]";
                response.headers.emplace_back("Content-Type", "application/json");
                return response;
            });
        const ApplyRun run = run_apply(account, plan, journal, with_index(index));
        INFO(show(run.records));
        CHECK(account.contact_state(nora) == "blocked");
        const auto records = records_of(run.records, nora);
        REQUIRE_FALSE(records.empty());
        CHECK(records.back().outcome == ex::Outcome::failed);
        CHECK(records.back().status == 405);
        CHECK(records.back().step == 1);
        CHECK(run.totals.entries_failed == 1);
        CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 1);  // alice's only
    }
}
