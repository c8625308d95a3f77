// `gdpr-purge apply` when things go wrong (docs/cli.md, docs/apply.md journal): killed with SIGKILL
// midway and run again, server errors and 429s on the way, a second run while the first holds the
// lock. The account must end exactly as after a clean run on a twin simulator started from the
// same generated account, and no step may be done twice.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <thread>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

// A generated account on which use case 3's rules give about 54 entries and 69 steps, hard
// deletions among them (about 190 requests for apply).
constexpr int kTickets = 1500;
const char* const kGenerate = "contacts=300,tickets=1500,seed=3";

struct Twin {
    json::object plan;
    e2e::State after;
};

// The reference: a clean apply of use case 3 on a fresh simulator of the same account.
Twin clean_twin(const json::object& plan_elsewhere) {
    simtest::SimProcess sim(e2e::sim_generated(kGenerate));
    const simtest::TempDir dir;
    const e2e::Ids ids = e2e::listed_ids(sim.port(), kTickets);
    Twin twin;
    twin.plan = e2e::make_plan(sim.base_url(), e2e::rules_file(3), dir.file("plan.json"));
    REQUIRE(e2e::entry_lines(twin.plan) == e2e::entry_lines(plan_elsewhere));
    const e2e::Run run = e2e::run_apply(sim.base_url(), dir.file("plan.json"));
    INFO("twin apply stderr: " << run.err);
    REQUIRE(run.status == 0);
    e2e::sim_advance_clock(sim.port(), 10);
    twin.after = e2e::sim_state(sim.port(), ids);
    return twin;
}

// Targets of DELETE requests sent more than once.
Lines repeated_deletes(const std::vector<e2e::LogEntry>& log) {
    std::map<std::string, int> seen;
    for (const e2e::LogEntry& l : log) {
        if (l.method == "DELETE") {
            ++seen[l.path];
        }
    }
    Lines repeated;
    for (const auto& [path, n] : seen) {
        if (n > 1) {
            repeated.push_back(path + " x" + std::to_string(n));
        }
    }
    return repeated;
}

// Steps that two runs both recorded as done.
Lines steps_done_twice(const std::vector<json::object>& lines) {
    std::map<std::pair<std::int64_t, std::int64_t>, int> runs;
    for (const auto& [run, steps] : e2e::done_steps_by_run(lines)) {
        for (const auto& step : steps) {
            ++runs[step];
        }
    }
    Lines twice;
    for (const auto& [step, n] : runs) {
        if (n > 1) {
            twice.push_back(std::to_string(step.first) + " step " + std::to_string(step.second));
        }
    }
    return twice;
}

}  // namespace

TEST_CASE(
    "apply killed with SIGKILL midway, then run again - same end as a clean run, no "
    "deletion sent twice",
    "[e2e][apply][resume]") {
    simtest::SimProcess sim(e2e::sim_generated(kGenerate));
    const int port = sim.port();
    const e2e::Ids ids = e2e::listed_ids(port, kTickets);
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const std::string journal = plan_path + ".journal.jsonl";
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(3), plan_path);
    const std::size_t steps = e2e::step_count(plan);
    REQUIRE(steps >= 40);
    const e2e::State before = e2e::sim_state(port, ids);
    const std::int64_t start = e2e::log_next(port);

    e2e::sim_set_faults(port, R"({"latency_ms":150})");
    {
        const auto first = e2e::start_apply(sim.base_url(), plan_path);
        const bool some = e2e::wait_for_lines(journal, steps / 4, std::chrono::seconds(60));
        first->signal(SIGKILL);
        const simtest::CommandResult killed = first->finish(std::chrono::seconds(10));
        INFO("killed run, stderr: " << killed.err);
        REQUIRE(some);
        REQUIRE(killed.status == 128 + SIGKILL);
    }
    const std::size_t recorded = e2e::complete_lines(journal);
    REQUIRE(recorded < steps);  // it was really killed midway
    e2e::sim_set_faults(port, R"({"latency_ms":0})");

    const e2e::Run second = e2e::run_apply(sim.base_url(), plan_path);
    INFO("second run, stderr: " << second.err);
    CHECK(second.status == 0);
    const std::vector<json::object> lines = e2e::journal(journal);
    CHECK(e2e::journal_problems(lines, plan, plan_path) == Lines{});
    CHECK(steps_done_twice(lines) == Lines{});  // plan.md: repeats none that it recorded

    const std::vector<e2e::LogEntry> log = e2e::sim_log(port, start);
    CHECK(repeated_deletes(log) == Lines{});
    CHECK(e2e::mutations(log, true) == e2e::expected_mutations(plan));
    e2e::sim_advance_clock(port, 10);
    const e2e::State after = e2e::sim_state(port, ids);
    CHECK(e2e::differences(e2e::expected_after(before, plan), after) == Lines{});
    const Twin twin = clean_twin(plan);
    CHECK(e2e::twin_differences(twin.after, after) == Lines{});
}

TEST_CASE("apply through 500s, 503s and a burst of 429s - same end as without them",
          "[e2e][apply][faults]") {
    simtest::SimProcess sim(e2e::sim_generated(kGenerate));
    const int port = sim.port();
    const e2e::Ids ids = e2e::listed_ids(port, kTickets);
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(3), plan_path);
    const e2e::State before = e2e::sim_state(port, ids);
    const std::int64_t start = e2e::log_next(port);
    e2e::sim_post(port, "/_sim/stats/reset", "");
    e2e::sim_set_faults(port, R"({"fail_rate":0.1,"seed":11,"burst_429":5})");

    const e2e::Run run =
        e2e::run_apply(sim.base_url(), plan_path, {"--report", dir.file("report.json")});
    INFO("apply stderr: " << run.err);
    CHECK((run.status == 0 || run.status == 1));
    const json::object stats = e2e::sim_get(port, "/_sim/stats");
    INFO("stats: " << json::serialize(stats));
    const json::object& faults = e2e::member_object(stats, "faults");
    CHECK(e2e::integer(faults.at("burst_429")) == 5);
    CHECK(e2e::integer(faults.at("fail_500")) + e2e::integer(faults.at("fail_503")) > 0);
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("report.json")));
    INFO("report: " << json::serialize(report));
    CHECK(e2e::integer(e2e::member_object(report, "api").at("rate_limited")) >= 5);
    if (run.status == 1) {
        // Some step failed after its retries: the journal says so, and a rerun finishes it.
        bool failed = false;
        for (const json::object& l : e2e::journal(plan_path + ".journal.jsonl")) {
            failed = failed || (l.contains("outcome") && l.at("outcome") == "failed");
        }
        CHECK(failed);
        e2e::sim_set_faults(port, R"({"fail_rate":0})");
        const e2e::Run rerun = e2e::run_apply(sim.base_url(), plan_path);
        INFO("rerun stderr: " << rerun.err);
        CHECK(rerun.status == 0);
    } else {
        CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path) ==
              Lines{});
    }
    const std::vector<e2e::LogEntry> log = e2e::sim_log(port, start);
    CHECK(e2e::mutations(log, true) == e2e::expected_mutations(plan));
    e2e::sim_advance_clock(port, 10);
    const e2e::State after = e2e::sim_state(port, ids);
    CHECK(e2e::differences(e2e::expected_after(before, plan), after) == Lines{});
    const Twin twin = clean_twin(plan);
    CHECK(e2e::twin_differences(twin.after, after) == Lines{});
}

TEST_CASE("two applies at once on one account - the second exits 6 at once, the first finishes",
          "[e2e][apply][lock]") {
    simtest::SimProcess sim(e2e::sim_generated(kGenerate));
    const int port = sim.port();
    const e2e::Ids ids = e2e::listed_ids(port, kTickets);
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const std::string journal = plan_path + ".journal.jsonl";
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(3), plan_path);
    const e2e::State before = e2e::sim_state(port, ids);
    // Slow answers keep the first run at work for about 15 s (some 190 requests at 300 ms each,
    // a few at a time): far longer than a second (sanitized) process needs to start, meet the
    // lock and exit, even on a busy CI machine.
    e2e::sim_set_faults(port, R"({"latency_ms":300})");

    const auto first = e2e::start_apply(sim.base_url(), plan_path);
    REQUIRE(e2e::wait_for_lines(journal, 1, std::chrono::seconds(60)));
    const std::size_t lines_before = e2e::complete_lines(journal);
    // Same plan, journal and lock file (apply_args: PLAN.lock), as a second cron job would.
    const e2e::Run second = e2e::run_apply(sim.base_url(), plan_path);
    INFO("second run, stderr: " << second.err);
    CHECK(second.status == 6);
    // "At once": it does not wait for the lock. A second that waited would exit only after the
    // first, and the check below (the first still at work) would fail; the bound itself only
    // allows a slow start of a sanitized process on a loaded machine.
    CHECK(second.seconds < 10);
    CHECK(e2e::contains(e2e::lower(second.err), "lock"));
    CHECK(e2e::complete_lines(journal) < e2e::step_count(plan));  // the first is still at work

    const simtest::CommandResult done = first->finish(std::chrono::seconds(90));
    INFO("first run, stderr: " << done.err);
    CHECK(done.status == 0);
    CHECK(e2e::complete_lines(journal) > lines_before);
    CHECK(e2e::journal_problems(e2e::journal(journal), plan, plan_path) == Lines{});
    e2e::sim_set_faults(port, R"({"latency_ms":0})");
    e2e::sim_advance_clock(port, 10);
    CHECK(e2e::differences(e2e::expected_after(before, plan), e2e::sim_state(port, ids)) ==
          Lines{});

    // The lock is free again: a third run finds everything done.
    const e2e::Run third = e2e::run_apply(sim.base_url(), plan_path);
    INFO("third run, stderr: " << third.err);
    CHECK(third.status == 0);
}

TEST_CASE("apply killed while a bulk deletion job runs - the rerun follows the journaled job",
          "[e2e][apply][resume][bulk]") {
    const std::string account = e2e::bulk_account_file();
    simtest::SimProcess sim(e2e::sim_account(account));
    const int port = sim.port();
    const e2e::Ids ids = e2e::account_ids(account);
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const std::string journal = plan_path + ".journal.jsonl";
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::soft_rules_file(), plan_path);
    const e2e::State before = e2e::sim_state(port, ids);
    const std::int64_t start = e2e::log_next(port);

    // One connection, slow answers: when the first job is journaled as started, nothing else
    // that changes the account is in flight.
    e2e::sim_set_faults(port, R"({"latency_ms":200})");
    {
        const auto first = e2e::start_apply(sim.base_url(), plan_path, {"--concurrency", "1"});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        bool started = false;
        while (!started && std::chrono::steady_clock::now() < deadline) {
            started = e2e::file_exists(journal) &&
                      e2e::contains(e2e::read_file(journal), "\"outcome\":\"started\"");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        first->signal(SIGKILL);
        const simtest::CommandResult killed = first->finish(std::chrono::seconds(10));
        INFO("killed run, stderr: " << killed.err);
        REQUIRE(started);
    }
    e2e::sim_set_faults(port, R"({"latency_ms":0})");
    const e2e::Run second = e2e::run_apply(sim.base_url(), plan_path);
    INFO("second run, stderr: " << second.err);
    CHECK(second.status == 0);
    const std::vector<json::object> lines = e2e::journal(journal);
    CHECK(e2e::journal_problems(lines, plan, plan_path) == Lines{});
    CHECK(steps_done_twice(lines) == Lines{});
    // Exactly one bulk_delete per bulk step across both runs: the started job was followed, not
    // sent again.
    const std::vector<e2e::LogEntry> log = e2e::sim_log(port, start);
    CHECK(e2e::mutations(log, true) == e2e::expected_mutations(plan));
    CHECK(repeated_deletes(log) == Lines{});
    e2e::sim_advance_clock(port, 10);
    CHECK(e2e::differences(e2e::expected_after(before, plan), e2e::sim_state(port, ids)) ==
          Lines{});
}

// cli.md exit 1: "some steps failed, the rest were done; run again to finish". A step the account
// refuses for good (Freshdesk refuses tags over 32 characters, and the contact carries one: the
// PUT of mark_pending is a 400) fails; the journal records it with the HTTP status and Freshdesk's
// error code (plan.md); every other step is done; a second run does not repeat the done ones.
TEST_CASE("apply with a step the account refuses - exit 1, the failure journaled, the rest done",
          "[e2e][apply][failed]") {
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim(e2e::sim_account(account));
    const int port = sim.port();
    const e2e::Ids ids = e2e::account_ids(account);
    constexpr std::int64_t kCarl = 43000000201;
    const std::string long_tag = "a-tag-longer-than-thirty-two-characters";
    e2e::sim_post(port, "/_sim/contacts/43000000201/tags", R"({"add":[")" + long_tag + R"("]})");
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const std::string journal = plan_path + ".journal.jsonl";
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(2), plan_path);
    REQUIRE(e2e::contacts_with(plan, "mark_pending").count(kCarl) == 1);
    const e2e::State before = e2e::sim_state(port, ids);
    std::int64_t start = e2e::log_next(port);

    const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
    INFO("apply stderr: " << run.err);
    CHECK(run.status == 1);
    // Off a terminal, without -v: the failed step and the run's error, no summary.
    const Lines err = e2e::lines(run.err);
    REQUIRE(err.size() == 2);
    CHECK(err[0].starts_with("contact 43000000201 step 1 mark_pending: failed"));
    CHECK(err[1] == "gdpr-purge apply: 1 entries failed: run apply again to finish");
    const std::string pending_put = "PUT /api/v2/contacts/43000000201";
    Lines expected = e2e::expected_mutations(plan);
    expected.erase(std::find(expected.begin(), expected.end(), pending_put));
    CHECK(e2e::mutations(e2e::sim_log(port, start), true) == expected);
    std::size_t failed = 0;
    for (const json::object& l : e2e::journal(journal)) {
        const std::string text = json::serialize(l);
        if (l.at("outcome") == "failed") {
            INFO("failed line: " << text);
            ++failed;
            CHECK(e2e::integer(l.at("contact_id")) == kCarl);
            CHECK(e2e::integer(l.at("step")) == 1);
            CHECK(e2e::contains(text, "400"));
            CHECK(e2e::contains(text, "invalid_value"));
        }
    }
    CHECK(failed == 1);
    // Everything else is done: the state is the plan's, but for Carl's mark.
    e2e::Expected want = e2e::expected_after(before, plan);
    want.state.contacts.at(kCarl) = before.contacts.at(kCarl);
    want.contact_ignore.erase(kCarl);
    CHECK(e2e::differences(want, e2e::sim_state(port, ids)) == Lines{});

    // Run again: the failing step is tried again, nothing done is repeated.
    start = e2e::log_next(port);
    const e2e::Run again = e2e::run_apply(sim.base_url(), plan_path, {"--log-format", "json"});
    INFO("second run, stderr: " << again.err);
    CHECK(again.status == 1);
    // The failed step is an error event; the summary event is there, as always in JSON.
    CHECK(e2e::contains(again.err, R"("level":"error","command":"apply","event":"step")"));
    CHECK(e2e::contains(again.err, R"("event":"summary")"));
    for (const std::string& m : e2e::mutations(e2e::sim_log(port, start))) {
        CHECK(m == pending_put);
    }
    CHECK(e2e::differences(want, e2e::sim_state(port, ids)) == Lines{});
}
