// Archived tickets end to end (docs/rules-semantics.md, settled 19; docs/plan.md `archive`,
// `delete_archived_tickets`; docs/reading.md "Archived tickets"): the built gdpr-purge against a
// freshdesk-sim child process that archives Closed tickets inactive for 120 days, over HTTP.
// Account: tests/data/accounts/archive_retention.json; rules: tests/data/rules/
// archive_retention.json (scope contact "camping" 60d, scope ticket "old-billing-incidents" 200d,
// hard and immediate, orphans older than 1y, exception tag VIP). At kAsOf the tickets 1, 2, 4, 5,
// 6 and 8 are archived (updated on or before 2026-08-01), 3, 7 and 10 are live, 9 never existed.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <thread>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

constexpr std::int64_t kAnn = 43000000301;   // only ticket 1, archived, in Camping: taken
constexpr std::int64_t kOtto = 43000000302;  // only ticket 2, archived, in no rule: no orphan
constexpr std::int64_t kSam = 43000000303;   // live 3 in Camping, archived 4 in Billing
constexpr std::int64_t kBo = 43000000304;    // archived 5 (aged at the second), 6 (a second late)
constexpr std::int64_t kLiv = 43000000305;   // live 7 in Camping: taken
constexpr std::int64_t kVera = 43000000306;  // VIP, archived 8 in Camping: protected

std::string account() {
    return e2e::data_file("accounts/archive_retention.json");
}
std::string rules() {
    return e2e::data_file("rules/archive_retention.json");
}
std::vector<std::string> archiving(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--archive-days", "120"};
    args.insert(args.end(), extra.begin(), extra.end());
    return e2e::sim_account(account(), args);
}

// GET /tickets/archived/ requests in the simulator's log since `since`, as "METHOD id".
Lines archived_calls(int port, std::int64_t since, const std::string& method) {
    Lines out;
    for (const e2e::LogEntry& entry : e2e::sim_log(port, since)) {
        const std::string prefix = "/api/v2/tickets/archived/";
        if (entry.method == method && entry.path.rfind(prefix, 0) == 0) {
            out.push_back(entry.path.substr(prefix.size()));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct PlanRun {
    e2e::Run run;
    json::object plan;
};

// plan --rules archive_retention.json with the state directory `state`, written to `out`.
PlanRun plan(const simtest::SimProcess& sim, const std::string& state, const std::string& out,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--state-dir", state, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    PlanRun r{e2e::run_plan(sim.base_url(), rules(), args), {}};
    INFO("plan stderr: " << r.run.err);
    REQUIRE(r.run.status == 0);
    r.plan = e2e::parse_object(e2e::read_file(out));
    return r;
}

const json::object& archive_of(const json::object& plan) {
    return e2e::member_object(plan, "archive");
}

std::int64_t number(const json::object& obj, const char* key) {
    return obj.at(key).as_int64();
}

std::string delete_archived(const std::vector<std::int64_t>& ids) {
    std::string text;
    for (std::int64_t id : ids) {
        text += (text.empty() ? "" : ",") + std::to_string(id);
    }
    return "delete_archived_tickets(ticket_ids=" + text + ")";
}

Lines full_plan_entries() {
    // Ann: her only ticket is archived, in Camping and closed long ago: the rule takes it (for
    // good) and the contact. Bo: ticket 5 is aged at the second by its updated_at; ticket 6, a
    // second younger, stays (its older closed_at is no archived ticket's close time), and so does
    // Bo. Liv: an ordinary live ticket. Otto (archived ticket in no rule) is no orphan; Sam's
    // archived Billing ticket keeps the Camping rule off him; Vera is VIP.
    return e2e::lines({
        {kAnn,
         "a***@example.com",
         {"camping"},
         {},
         "2024-06-01T08:00:00Z",
         {delete_archived({1}), e2e::delete_contact("hard")}},
        {kBo,
         "b***@example.com",
         {"old-billing-incidents"},
         {},
         "2024-06-01T08:00:00Z",
         {delete_archived({5})}},
        {kLiv,
         "l***@example.com",
         {"camping"},
         {7},
         "2024-06-01T08:00:00Z",
         {e2e::delete_tickets({7}), e2e::delete_contact("hard")}},
    });
}

}  // namespace

TEST_CASE("archived tickets are seen, decided on and reported by plan", "[e2e][archive][plan]") {
    simtest::SimProcess sim(archiving());
    const simtest::TempDir dir;
    const std::int64_t start = e2e::log_next(sim.port());
    const PlanRun r =
        plan(sim, dir.file("state"), dir.file("plan.json"), {"--report", dir.file("r.json")});

    CHECK(e2e::entry_lines(r.plan) == full_plan_entries());
    CHECK(e2e::protected_lines(r.plan) == Lines{std::to_string(kVera) + " exception_tag"});
    const json::object& archive = archive_of(r.plan);
    CHECK(archive.at("feature") == true);
    CHECK(archive.at("complete") == true);
    CHECK(number(archive, "highest_id") == 10);
    CHECK(number(archive, "archived_known") == 6);
    CHECK(number(archive, "gone_known") == 1);
    CHECK(number(archive, "unprobed") == 0);
    CHECK(number(archive, "probes") == 7);
    // Every id that no list showed was probed once: 1, 2, 4, 5, 6, 8 and 9, nothing else.
    CHECK(archived_calls(sim.port(), start, "GET") == Lines{"1", "2", "4", "5", "6", "8", "9"});
    const json::object& summary = e2e::member_object(r.plan, "summary");
    CHECK(number(summary, "archived_tickets_to_delete") == 2);
    CHECK(number(summary, "tickets_to_delete") == 1);
    CHECK(number(summary, "contacts_to_delete") == 2);
    CHECK_FALSE(e2e::contains(r.run.err, "archive"));  // complete: nothing to warn of
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("r.json")));
    CHECK(e2e::member_object(report, "archive").at("complete") == true);
    CHECK(number(e2e::member_object(report, "read"), "archive_probes") == 7);
    // Nothing was written to the account.
    CHECK(e2e::mutations(e2e::sim_log(sim.port(), start)) == Lines{});
}

TEST_CASE("archive budget runs out - no contact-level step, then a second plan completes it",
          "[e2e][archive][plan][budget]") {
    simtest::SimProcess sim(archiving());
    const simtest::TempDir dir;
    const std::string state = dir.file("state");
    std::int64_t start = e2e::log_next(sim.port());
    const PlanRun first = plan(sim, state, dir.file("first.json"), {"--archive-budget", "3"});
    // Highest first: 9 (gone), 8 and 6 (archived). 1, 2, 4 and 5 stay unknown.
    CHECK(archived_calls(sim.port(), start, "GET") == Lines{"6", "8", "9"});
    const json::object& archive = archive_of(first.plan);
    CHECK(archive.at("complete") == false);
    CHECK(number(archive, "unprobed") == 4);
    CHECK(number(archive, "budget") == 3);
    // rules-semantics.md, settled 19: no contact deletion, no pending mark; Liv's and Sam's scope
    // contact entries are held whole (Sam's archived Billing ticket is not known yet); Ann and
    // Otto, who look like orphans for now, wait too.
    CHECK(e2e::contacts_with(first.plan, "delete_contact").empty());
    CHECK(e2e::contacts_with(first.plan, "mark_pending").empty());
    CHECK(e2e::contacts_with(first.plan, "delete_tickets").empty());
    Lines held;
    for (const json::value& item : e2e::member_array(first.plan, "protected")) {
        const json::object& p = item.as_object();
        if (e2e::member_string(p, "reason") == "archive_incomplete") {
            held.push_back(std::to_string(p.at("contact_id").as_int64()));
        }
    }
    std::sort(held.begin(), held.end());
    CHECK(held == Lines{std::to_string(kAnn), std::to_string(kOtto), std::to_string(kSam),
                        std::to_string(kLiv)});
    // A warning, also without a terminal: a cron job's owner hears that deletions wait.
    CHECK(e2e::contains(first.run.err, "archive: 6 of 10 ids known"));
    CHECK(e2e::contains(first.run.err, "about 2 more runs at this budget"));

    // The second plan, same state directory: only the ids not probed yet are probed.
    start = e2e::log_next(sim.port());
    const PlanRun second = plan(sim, state, dir.file("second.json"));
    CHECK(archived_calls(sim.port(), start, "GET") == Lines{"1", "2", "4", "5"});
    CHECK(archive_of(second.plan).at("complete") == true);
    CHECK(e2e::entry_lines(second.plan) == full_plan_entries());

    // A third, with nothing new in the account: no probe at all.
    start = e2e::log_next(sim.port());
    const PlanRun third = plan(sim, state, dir.file("third.json"));
    CHECK(archived_calls(sim.port(), start, "GET") == Lines{});
    CHECK(number(archive_of(third.plan), "probes") == 0);
}

TEST_CASE("an account without archiving costs at most one more credit", "[e2e][archive][plan]") {
    simtest::SimProcess sim(archiving({"--archive-feature", "no"}));
    const simtest::TempDir dir;
    std::int64_t before = e2e::api_requests(sim.port());
    const PlanRun none =
        plan(sim, dir.file("s1"), dir.file("none.json"), {"--archive-budget", "0"});
    const std::int64_t without_probes = e2e::api_requests(sim.port()) - before;
    before = e2e::api_requests(sim.port());
    const PlanRun r = plan(sim, dir.file("s2"), dir.file("plan.json"));
    const std::int64_t with_check = e2e::api_requests(sim.port()) - before;
    CHECK(with_check <= without_probes + 1);
    CHECK(archive_of(r.plan).at("feature") == false);
    CHECK(archive_of(r.plan).at("complete") == true);
    CHECK(archive_of(none.plan).at("complete") == false);
    CHECK(r.run.err.empty());
}

TEST_CASE("apply deletes archived tickets permanently, journals them so, and the index learns it",
          "[e2e][archive][apply]") {
    simtest::SimProcess sim(archiving());
    const simtest::TempDir dir;
    const std::string state = dir.file("state");
    const std::string plan_path = dir.file("plan.json");
    const PlanRun r = plan(sim, state, plan_path);
    REQUIRE(e2e::entry_lines(r.plan) == full_plan_entries());

    const std::int64_t start = e2e::log_next(sim.port());
    const e2e::Run apply = e2e::run_apply(sim.base_url(), plan_path, {"--state-dir", state});
    INFO("apply stderr: " << apply.err);
    REQUIRE(apply.status == 0);
    CHECK(archived_calls(sim.port(), start, "DELETE") == Lines{"1", "5"});
    e2e::sim_advance_clock(sim.port(), 10);
    const e2e::State after =
        e2e::sim_state(sim.port(), {{kAnn, kOtto, kSam, kBo, kLiv, kVera}, {1, 2, 4, 5, 6, 7, 8}});
    CHECK(e2e::seen_of(after, 1) == "gone");
    CHECK(e2e::seen_of(after, 5) == "gone");
    CHECK(e2e::seen_of(after, 6) == "archived");
    CHECK(e2e::seen_of(after, 2) == "archived");
    CHECK(e2e::seen_of(after, 4) == "archived");
    CHECK(e2e::state_of(after, kAnn) == "hard_deleted");
    CHECK(e2e::state_of(after, kOtto) == "active");

    // docs/plan.md: an archived deletion's journal line says "permanent": true.
    int permanent = 0;
    for (const json::object& line : e2e::journal(plan_path + ".journal.jsonl")) {
        const bool archived = line.contains("action") &&
                              line.at("action") == "delete_archived_tickets" &&
                              line.at("outcome") == "done";
        if (archived) {
            const json::value* flag = line.if_contains("permanent");
            CHECK((flag != nullptr && *flag == true));
            ++permanent;
        }
    }
    CHECK(permanent == 2);

    // undo-soft cannot bring them back and does not try.
    const std::int64_t before_undo = e2e::log_next(sim.port());
    const e2e::Run undo = e2e::run_undo(sim.base_url(), plan_path + ".journal.jsonl");
    CHECK(archived_calls(sim.port(), before_undo, "GET") == Lines{});
    CHECK(archived_calls(sim.port(), before_undo, "PUT") == Lines{});
    INFO("undo-soft stderr: " << undo.err);
    CHECK(e2e::contains(undo.err, "archived tickets are deleted permanently"));

    // The next plan knows they are gone: no probe, nothing planned for them again. Only ticket 7,
    // taken along by Liv's hard deletion, is new to probe (gone).
    const std::int64_t next = e2e::log_next(sim.port());
    const PlanRun again = plan(sim, state, dir.file("again.json"));
    CHECK(archived_calls(sim.port(), next, "GET") == Lines{"7"});
    CHECK(e2e::contacts_with(again.plan, "delete_archived_tickets").empty());
}

TEST_CASE("a hard erasure request names the archived tickets it takes", "[e2e][archive][subject]") {
    simtest::SimProcess sim(archiving());
    const simtest::TempDir dir;
    const std::string state = dir.file("state");
    plan(sim, state, dir.file("plan.json"));  // fills the index
    const PlanRun r = plan(sim, state, dir.file("erasure.json"), {"--subject", "sam@example.com"});
    CHECK(e2e::entry_lines(r.plan) == e2e::lines({{kSam,
                                                   "s***@example.com",
                                                   {"subject"},
                                                   {3},
                                                   "2024-06-01T08:00:00Z",
                                                   {e2e::delete_tickets({3}), delete_archived({4}),
                                                    e2e::delete_contact("hard")}}}));
}

TEST_CASE("apply killed after an archived deletion resumes without sending it again",
          "[e2e][archive][apply][resume]") {
    // Slow answers, so that the run can be killed between its steps.
    simtest::SimProcess sim(archiving({"--latency-ms", "150"}));
    const simtest::TempDir dir;
    const std::string state = dir.file("state");
    const std::string plan_path = dir.file("plan.json");
    const std::string journal = plan_path + ".journal.jsonl";
    plan(sim, state, plan_path);
    const std::int64_t start = e2e::log_next(sim.port());
    {
        auto run = e2e::start_apply(sim.base_url(), plan_path,
                                    {"--state-dir", state, "--concurrency", "1"});
        // The first entry is Ann's: its archived deletion is recorded done before her contact.
        bool recorded = false;
        for (int i = 0; i < 400 && !recorded; ++i) {
            const bool exists = e2e::complete_lines(journal) > 0;
            for (const json::object& line :
                 exists ? e2e::journal(journal) : std::vector<json::object>{}) {
                recorded = recorded || (line.contains("action") &&
                                        line.at("action") == "delete_archived_tickets" &&
                                        line.at("outcome") == "done");
            }
            if (!recorded) {
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
        }
        REQUIRE(recorded);
        run->signal(SIGKILL);
        const simtest::CommandResult killed = run->finish(std::chrono::seconds(10));
        REQUIRE(killed.status == 128 + SIGKILL);
    }
    const e2e::Run again = e2e::run_apply(sim.base_url(), plan_path, {"--state-dir", state});
    INFO("resumed apply stderr: " << again.err);
    CHECK(again.status == 0);
    // Each archived ticket was deleted exactly once over both runs.
    CHECK(archived_calls(sim.port(), start, "DELETE") == Lines{"1", "5"});
}
