// `gdpr-purge apply` over HTTP when a contact of the plan is gone for good: freshdesk-sim answers
// GET /tickets?requester_id= of a hard-deleted contact with Freshdesk's 400 on `requester_id`
// (docs/simulator-account.md, "Tickets"). An entry that deletes the contact for good is then done
// ("already so"), any other is skipped with the reason; neither fails, so neither makes a run exit
// 1 (docs/apply.md, "Per entry"). The scenario of the resume: a run killed right after a contact's
// hard_delete answered and before its journal line, finished by the next `apply --rules`.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

constexpr std::int64_t kAlice = 43000000101;  // use case 1: tickets 1, 2, then a hard deletion
constexpr std::int64_t kCarl = 43000000201;   // use case 2: tickets 1, 2, a soft deletion
const char* const kAliceTarget = "/contacts/43000000101";
const char* const kCarlTarget = "/contacts/43000000201";

// "gdpr-purge-YYYYMMDDTHHMMSSZ", the base name apply --rules gives a run started an hour ago.
std::string made_an_hour_ago() {
    std::string stamp;
    for (const char c : e2e::utc_now(-std::chrono::hours(1))) {
        if (c != '-' && c != ':') {
            stamp += c;
        }
    }
    return "gdpr-purge-" + stamp;
}

// The journal without the lines `drop` picks: a run killed after their calls and before their
// lines.
void drop_lines(const std::string& path, const std::function<bool(const json::object&)>& drop) {
    std::string kept;
    for (const json::object& line : e2e::journal(path)) {
        if (!drop(line)) {
            kept += json::serialize(line) + "\n";
        }
    }
    e2e::write_file(path, kept);
}

bool is_step(const json::object& line, std::int64_t contact, const std::string& action) {
    return e2e::integer(line.at("contact_id")) == contact &&
           e2e::optional_string(line, "action") == action;
}

// Someone else deletes the contact for good, through the API (soft, then hard: as the UI does).
void hard_delete_elsewhere(int port, std::int64_t contact) {
    simtest::Client client(port);
    const std::string target = "/api/v2/contacts/" + std::to_string(contact);
    REQUIRE(client.send("DELETE", target).status == 204);
    REQUIRE(client.send("DELETE", target + "/hard_delete").status == 204);
}

// Mutating requests that name `path` (a contact, with its sub-paths) since `start`.
Lines mutations_of(int port, std::int64_t start, const std::string& path) {
    Lines found;
    for (const std::string& m : e2e::mutations(e2e::sim_log(port, start))) {
        if (e2e::contains(m, path)) {
            found.push_back(m);
        }
    }
    return found;
}

// The tickets list's answers to `requester_id=ID` since `start`, by status.
std::vector<int> requester_listings(int port, std::int64_t start, std::int64_t id) {
    std::vector<int> statuses;
    for (const e2e::LogEntry& l : e2e::sim_log(port, start)) {
        if (l.method == "GET" && l.path == "/api/v2/tickets" &&
            e2e::contains(l.target, "requester_id=" + std::to_string(id))) {
            statuses.push_back(l.status);
        }
    }
    return statuses;
}

}  // namespace

TEST_CASE(
    "apply --rules resumes a run killed right after a hard deletion - the entry is done, exit 0",
    "[e2e][apply][resume][gone]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const int port = sim.port();
    const simtest::TempDir cwd;
    const std::string base = made_an_hour_ago();
    const std::string plan_path = cwd.file(base + ".plan.json");
    const std::string journal = cwd.file(base + ".journal.jsonl");
    // The earlier cron run: its plan, applied with its journal...
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    REQUIRE(e2e::contacts_with(plan, "delete_contact", "hard").count(kAlice) == 1);
    const e2e::Run first = e2e::run_apply(sim.base_url(), plan_path, {"--journal", journal});
    INFO("earlier run, stderr: " << first.err);
    REQUIRE(first.status == 0);
    // ...killed after Alice's hard_delete answered, before its journal line.
    drop_lines(journal, [](const json::object& l) { return is_step(l, kAlice, "delete_contact"); });
    REQUIRE(e2e::journal_problems(e2e::journal(journal), plan, plan_path) != Lines{});
    const std::int64_t start = e2e::log_next(port);

    const e2e::Run run = e2e::run_cli_in(
        cwd.path(),
        {"apply", "--rules", e2e::rules_file(1), "--base-url", sim.base_url(), "--as-of",
         e2e::kAsOf, "--yes", "--lock-file", cwd.file("lock"), "--log-format", "json"},
        {e2e::key_env()}, e2e::kApplyTimeout);
    INFO("apply --rules, stderr: " << run.err);
    CHECK(run.status == 0);
    const std::vector<json::object> resumed = e2e::events(run.err, "resumed");
    REQUIRE(resumed.size() == 1);
    CHECK(e2e::member_string(resumed[0], "level") == "info");
    CHECK(e2e::integer(resumed[0].at("entries_failed")) == 0);
    CHECK(e2e::integer(resumed[0].at("contacts_deleted")) == 0);  // it was the killed run's
    // The journal is whole now: one done line per step, nothing failed; Alice's says why.
    const std::vector<json::object> lines = e2e::journal(journal);
    CHECK(e2e::journal_problems(lines, plan, plan_path) == Lines{});
    std::size_t alice_done = 0;
    for (const json::object& l : lines) {
        if (is_step(l, kAlice, "delete_contact")) {
            ++alice_done;
            CHECK(e2e::member_string(l, "outcome") == "done");
            CHECK(e2e::optional_string(l, "reason").starts_with("already so: "));
            CHECK(e2e::contains(e2e::optional_string(l, "reason"), "no longer exists"));
        }
    }
    CHECK(alice_done == 1);
    // The re-read asked, and heard that no such requester exists; nothing was sent about her.
    CHECK(requester_listings(port, start, kAlice) == std::vector<int>{400});
    CHECK(mutations_of(port, start, kAliceTarget) == Lines{});

    // And the next run has nothing left to resume.
    const e2e::Run again = e2e::run_cli_in(
        cwd.path(),
        {"apply", "--rules", e2e::rules_file(1), "--base-url", sim.base_url(), "--as-of",
         e2e::kAsOf, "--yes", "--lock-file", cwd.file("lock"), "--log-format", "json"},
        {e2e::key_env()}, e2e::kApplyTimeout);
    INFO("next apply --rules, stderr: " << again.err);
    CHECK(again.status == 0);
    CHECK(e2e::events(again.err, "resume").empty());
}

TEST_CASE("apply of a soft deletion whose contact someone deleted for good - skipped, exit 0",
          "[e2e][apply][gone]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(2), {"--job-seconds", "3600"}));
    const int port = sim.port();
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::soft_rules_file(), plan_path);
    REQUIRE(e2e::contacts_with(plan, "delete_contact", "soft").count(kCarl) == 1);
    hard_delete_elsewhere(port, kCarl);
    const std::int64_t start = e2e::log_next(port);

    const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
    INFO("apply stderr: " << run.err);
    CHECK(run.status == 0);
    // Skipped with the reason; every other entry done.
    CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path,
                                {{kCarl, {"no longer exists", "does not delete it for good"}}}) ==
          Lines{});
    CHECK(requester_listings(port, start, kCarl) == std::vector<int>{400});
    // Nothing sent about Carl or his tickets (still visible: the hard deletion takes them later).
    CHECK(mutations_of(port, start, kCarlTarget) == Lines{});
    CHECK(e2e::mutations(e2e::sim_log(port, start), true) ==
          e2e::expected_mutations(plan, {kCarl}));
}
