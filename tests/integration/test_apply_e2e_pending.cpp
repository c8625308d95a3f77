// The pending tag's life across cron runs of `gdpr-purge apply --rules` (docs/rules-semantics.md,
// the contact policy and settled 3, 12, 16; docs/cli.md, default files): use case 2 (soft, 30d),
// --as-of moved forward from run to run and the simulator's clock with it.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

constexpr std::int64_t kCarl = 43000000201;
constexpr std::int64_t kNick = 43000000208;
constexpr std::int64_t kTracy = 43000000210;

const char* const kDay15 = "2026-12-14T00:00:00Z";  // kAsOf + 15 days
const char* const kDay31 = "2026-12-30T00:00:00Z";  // kAsOf + 31 days

struct CronRun {
    json::object plan;
    e2e::State before;
    e2e::State after;
    Lines mutations;
};

// One cron run in a fresh working directory: the simulator's clock set to `as_of`, then
// `apply --rules RULES --as-of AS_OF`; the plan and journal it wrote there are checked, and the
// account must end as the plan says.
CronRun cron_run(simtest::SimProcess& sim, const e2e::Ids& ids, const std::string& as_of) {
    CronRun r;
    const int port = sim.port();
    if (as_of != e2e::kAsOf) {
        e2e::sim_set_clock(port, as_of);
    }
    r.before = e2e::sim_state(port, ids);
    const std::int64_t start = e2e::log_next(port);
    const simtest::TempDir cwd;
    const e2e::Run run =
        e2e::run_cli_in(cwd.path(),
                        {"apply", "--rules", e2e::rules_file(2), "--base-url", sim.base_url(),
                         "--as-of", as_of, "--yes", "--lock-file", cwd.file("lock")},
                        {e2e::key_env()}, e2e::kApplyTimeout);
    INFO("apply --rules --as-of " << as_of << ", stderr: " << run.err);
    CHECK(run.status == 0);
    CHECK(run.out.empty());

    // cli.md: gdpr-purge-<UTC time>.plan.json and .journal.jsonl in the current directory.
    const Lines plans = e2e::files_ending(cwd.path(), ".plan.json");
    const Lines journals = e2e::files_ending(cwd.path(), ".journal.jsonl");
    REQUIRE(plans.size() == 1);
    const std::string stem = plans[0].substr(0, plans[0].size() - std::string(".plan.json").size());
    CHECK(e2e::contains(stem, "/gdpr-purge-"));
    r.plan = e2e::parse_object(e2e::read_file(plans[0]));
    CHECK(e2e::member_string(r.plan, "as_of") == as_of);
    // A plan without steps may leave no journal; one with steps must.
    REQUIRE(journals.size() == (e2e::step_count(r.plan) == 0 ? journals.size() : 1));
    if (!journals.empty()) {
        CHECK(journals == Lines{stem + ".journal.jsonl"});
        CHECK(e2e::journal_problems(e2e::journal(journals[0]), r.plan, plans[0]) == Lines{});
    }

    r.mutations = e2e::mutations(e2e::sim_log(port, start));
    CHECK(r.mutations == e2e::expected_mutations(r.plan));
    r.after = e2e::sim_state(port, ids);
    CHECK(e2e::differences(e2e::expected_after(r.before, r.plan), r.after) == Lines{});
    return r;
}

}  // namespace

TEST_CASE("pending tag lifecycle - marked, waits, deleted soft once due", "[e2e][apply][pending]") {
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim(e2e::sim_account(account));
    const e2e::Ids ids = e2e::account_ids(account);

    // Run 1: Carl's and Tracy's tickets go to the trash, their wait starts today.
    const CronRun first = cron_run(sim, ids, e2e::kAsOf);
    CHECK(e2e::contacts_with(first.plan, "mark_pending") == std::set<std::int64_t>{kCarl, kTracy});
    CHECK(e2e::tags_of(first.after, kCarl) == Lines{"gdpr-purge-pending-2026-11-29"});
    CHECK(e2e::state_of(first.after, kCarl) == "active");
    CHECK(e2e::seen_of(first.after, 1) == "trash");
    CHECK(e2e::seen_of(first.after, 2) == "trash");
    CHECK(e2e::tags_of(first.after, kTracy) == Lines{"gdpr-purge-pending-2026-11-29"});

    // Run 2, 15 days later: nobody is due yet but Nick (tagged 2026-11-15) tomorrow: nothing.
    const CronRun second = cron_run(sim, ids, kDay15);
    CHECK(e2e::entry_contacts(second.plan).empty());
    CHECK(second.mutations == Lines{});
    CHECK(e2e::tags_of(second.after, kCarl) == Lines{"gdpr-purge-pending-2026-11-29"});

    // Run 3, 31 days after run 1: Carl, Tracy and Nick are due: soft-deleted, the pending tag
    // replaced by gdpr-purge-deleted (rules-semantics.md, settled 16).
    const CronRun third = cron_run(sim, ids, kDay31);
    CHECK(e2e::contacts_with(third.plan, "delete_contact", "soft") ==
          std::set<std::int64_t>{kCarl, kNick, kTracy});
    for (std::int64_t id : {kCarl, kNick, kTracy}) {
        INFO("contact " << id);
        CHECK(e2e::state_of(third.after, id) == "soft_deleted");
        CHECK(e2e::tags_of(third.after, id) == Lines{"gdpr-purge-deleted"});
    }
    CHECK(e2e::seen_of(third.after, 1) == "gone");  // the trash is purged after 30 days
}

TEST_CASE("pending tag lifecycle - a new ticket cancels the wait", "[e2e][apply][pending]") {
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim(e2e::sim_account(account));
    e2e::Ids ids = e2e::account_ids(account);

    const CronRun first = cron_run(sim, ids, e2e::kAsOf);
    CHECK(e2e::tags_of(first.after, kCarl) == Lines{"gdpr-purge-pending-2026-11-29"});

    // Carl writes again while he waits.
    const json::object created = e2e::sim_post(
        sim.port(), "/_sim/tickets",
        R"({"requester_id":43000000201,"group_id":43000000012,"type":"Question","status":2})");
    const std::int64_t ticket = e2e::integer(created.at("id"));
    ids.tickets.push_back(ticket);

    // 31 days later the wait would be over, but the rule reset: only the tag goes
    // (rules-semantics.md, settled 3).
    const CronRun second = cron_run(sim, ids, kDay31);
    CHECK(e2e::contacts_with(second.plan, "clear_pending") == std::set<std::int64_t>{kCarl});
    CHECK(e2e::state_of(second.after, kCarl) == "active");
    CHECK(e2e::tags_of(second.after, kCarl) == Lines{});
    CHECK(e2e::seen_of(second.after, ticket) == "live");
    CHECK(e2e::state_of(second.after, kTracy) == "soft_deleted");
    CHECK(e2e::tags_of(second.after, kTracy) == Lines{"gdpr-purge-deleted"});
}

// A cron script may run `apply --rules` for several accounts one after the other in one working
// directory; with a fast account two runs can start within the same UTC second. Each run's journal
// must stay next to the plan it executed (docs/apply.md: the journal is the record of processing;
// its plan_sha256 names the plan).
TEST_CASE(
    "apply --rules for two accounts in one directory within a second - each run keeps "
    "its own plan and journal",
    "[e2e][apply][cron]") {
    bool same_second = false;
    for (int attempt = 0; attempt < 5 && !same_second; ++attempt) {
        simtest::SimProcess first(e2e::sim_account(e2e::account_file(2)));
        simtest::SimProcess second(e2e::sim_account(e2e::account_file(1)));
        const simtest::TempDir cwd;
        for (const auto& [sim, rules] :
             {std::pair{&first, e2e::rules_file(2)}, std::pair{&second, e2e::rules_file(1)}}) {
            const e2e::Run run =
                e2e::run_cli_in(cwd.path(),
                                {"apply", "--rules", rules, "--base-url", sim->base_url(),
                                 "--as-of", e2e::kAsOf, "--yes", "--quiet", "--lock-file",
                                 cwd.file(std::to_string(sim->port()) + ".lock")},
                                {e2e::key_env()}, e2e::kApplyTimeout);
            INFO("apply --rules, stderr: " << run.err);
            REQUIRE(run.status == 0);
        }
        const Lines plans = e2e::files_ending(cwd.path(), ".plan.json");
        const Lines journals = e2e::files_ending(cwd.path(), ".journal.jsonl");
        INFO("plans: " << plans.size() << ", journals: " << journals.size());
        for (const std::string& j : journals) {
            INFO("journal " << j << ":\n" << e2e::read_file(j));
            const std::string plan =
                j.substr(0, j.size() - std::string(".journal.jsonl").size()) + ".plan.json";
            REQUIRE(e2e::file_exists(plan));
            const std::string sha = e2e::sha256_file(plan);
            for (const json::object& l : e2e::journal(j)) {
                CHECK(l.at("plan_sha256") == json::value(sha));
            }
        }
        REQUIRE(plans.size() == 2);
        CHECK(journals.size() == 2);
        same_second =
            e2e::member_string(e2e::parse_object(e2e::read_file(plans[0])), "generated_at") ==
            e2e::member_string(e2e::parse_object(e2e::read_file(plans[1])), "generated_at");
    }
    if (!same_second) {
        WARN("the two runs never started within one second: the collision was not exercised");
    }
}
