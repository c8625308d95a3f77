// Cron runs of `gdpr-purge apply --rules` that take up what an earlier one left unfinished
// (docs/apply.md, "A failed or killed cron run"; docs/decisions.md): a new plan cannot see a
// contact whose tickets an earlier run trashed but whose deletion failed, so the next run finishes
// the earlier run's own plan first, through its journal. Only a run of this account, under the
// same rules, within 30 days and --max-deletions is resumed; any other unfinished run is reported
// (exit 1) and left alone. Use case 2's account with the soft, immediate rules: Carl's soft
// deletion fails while he carries a tag longer than Freshdesk allows (the tag PUT is a 400).
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

constexpr std::int64_t kCarl = 43000000201;
const std::string kLongTag = "a-tag-longer-than-thirty-two-characters";
const std::string kCarlPath = "/api/v2/contacts/43000000201";

void set_long_tag(int port, bool on) {
    e2e::sim_post(port, "/_sim/contacts/43000000201/tags",
                  std::string(R"({")") + (on ? "add" : "remove") + R"(":[")" + kLongTag + R"("]})");
}

// `apply --rules RULES --as-of AS_OF --yes --log-format json --report REPORT` in `cwd`.
e2e::Run cron(const simtest::SimProcess& sim, const simtest::TempDir& cwd, const std::string& rules,
              const std::string& report, const Lines& extra = {},
              const std::string& as_of = e2e::kAsOf) {
    std::vector<std::string> args = {
        "apply",        "--rules", rules,      "--base-url",  sim.base_url(),
        "--as-of",      as_of,     "--yes",    "--lock-file", cwd.file("lock"),
        "--log-format", "json",    "--report", report};
    args.insert(args.end(), extra.begin(), extra.end());
    return e2e::run_cli_in(cwd.path(), args, {e2e::key_env()}, e2e::kApplyTimeout);
}

// Mutating requests on Carl (his contact path) since `start`.
Lines carl_mutations(int port, std::int64_t start) {
    Lines found;
    for (const std::string& m : e2e::mutations(e2e::sim_log(port, start))) {
        if (m.ends_with(kCarlPath)) {
            found.push_back(m);
        }
    }
    return found;
}

// The name apply --rules gives a plan made `age` ago (by the real clock, as apply's own).
std::string plan_name_aged(std::chrono::hours age) {
    std::string stamp;
    for (const char c : e2e::utc_now(-std::chrono::duration_cast<std::chrono::seconds>(age))) {
        if (c != '-' && c != ':') {
            stamp += c;
        }
    }
    return "gdpr-purge-" + stamp;
}

// The value of a metric line "NAME{...} VALUE" in a Prometheus text file; -1 when absent.
double metric(const std::string& text, const std::string& name) {
    for (const std::string& line : e2e::lines(text)) {
        if (line.starts_with(name + "{")) {
            return std::stod(line.substr(line.rfind(' ') + 1));
        }
    }
    return -1;
}

std::string base_name(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

// Run 1: Carl's tickets go to the trash, his soft deletion fails (exit 1).
struct FailedRun {
    json::object plan;
    std::string plan_path;
    std::string journal_path;
    e2e::State before;
};

FailedRun failed_first_run(simtest::SimProcess& sim, const simtest::TempDir& cwd,
                           const e2e::Ids& ids, const std::string& as_of = e2e::kAsOf) {
    const int port = sim.port();
    set_long_tag(port, true);
    FailedRun r;
    r.before = e2e::sim_state(port, ids);
    const e2e::Run run =
        cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-1.json"), {}, as_of);
    INFO("run 1 stderr: " << run.err);
    REQUIRE(run.status == 1);
    const Lines plans = e2e::files_ending(cwd.path(), ".plan.json");
    REQUIRE(plans.size() == 1);
    r.plan_path = plans[0];
    r.journal_path =
        plans[0].substr(0, plans[0].size() - std::string(".plan.json").size()) + ".journal.jsonl";
    r.plan = e2e::parse_object(e2e::read_file(r.plan_path));
    REQUIRE(e2e::contacts_with(r.plan, "delete_tickets").count(kCarl) == 1);
    REQUIRE(e2e::contacts_with(r.plan, "delete_contact", "soft").count(kCarl) == 1);
    const e2e::State after = e2e::sim_state(port, ids);
    REQUIRE(e2e::state_of(after, kCarl) == e2e::state_of(r.before, kCarl));  // still live
    return r;
}

// Run 2 after an unfinished run 1 that it must leave alone: its exit status, no `resume` event,
// nothing sent about Carl; the `not_resumed` warnings it gave.
std::vector<json::object> left_alone(const simtest::SimProcess& sim, const simtest::TempDir& cwd,
                                     int status, const std::string& rules = e2e::soft_rules_file(),
                                     const Lines& extra = {}) {
    const std::int64_t start = e2e::log_next(sim.port());
    const e2e::Run run = cron(sim, cwd, rules, cwd.file("report-2.json"), extra);
    INFO("run 2 stderr: " << run.err);
    CHECK(run.status == status);
    CHECK(e2e::events(run.err, "resume").empty());
    CHECK(carl_mutations(sim.port(), start) == Lines{});
    return e2e::events(run.err, "not_resumed");
}

// left_alone with exit 1 and one `not_resumed` warning whose reason holds `needle`: returned.
json::object reported(const simtest::SimProcess& sim, const simtest::TempDir& cwd,
                      const std::string& needle, const std::string& rules = e2e::soft_rules_file(),
                      const Lines& extra = {}) {
    const std::vector<json::object> warned = left_alone(sim, cwd, 1, rules, extra);
    REQUIRE(warned.size() == 1);
    CHECK(e2e::member_string(warned[0], "level") == "warning");
    CHECK(e2e::contains(e2e::member_string(warned[0], "reason"), needle));
    return warned[0];
}

// Use case 2's account on a simulator, and the directory the cron runs work in.
struct CronFixture {
    const std::string account = e2e::account_file(2);
    simtest::SimProcess sim{e2e::sim_account(account)};
    const int port = sim.port();
    const e2e::Ids ids = e2e::account_ids(account);
    const simtest::TempDir cwd;
};

}  // namespace

TEST_CASE_METHOD(CronFixture,
                 "a failed cron run is finished by the next one - also what a new plan cannot see",
                 "[e2e][apply][cron]") {
    const std::int64_t start = e2e::log_next(port);
    const FailedRun first = failed_first_run(sim, cwd, ids);
    set_long_tag(port, false);

    // The gap this closes: a plan made now does not take Carl up (his tickets are in the trash,
    // so he is no orphan, and no ticket rule sees him).
    {
        const simtest::TempDir elsewhere;
        const json::object fresh =
            e2e::make_plan(sim.base_url(), e2e::soft_rules_file(), elsewhere.file("plan.json"));
        CHECK(e2e::entry_contacts(fresh).count(kCarl) == 0);
    }

    const std::int64_t second_start = e2e::log_next(port);
    const e2e::Run second = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"),
                                 {"--metrics-file", cwd.file("metrics.prom")});
    INFO("run 2 stderr: " << second.err);
    CHECK(second.status == 0);
    const std::vector<json::object> resume = e2e::events(second.err, "resume");
    REQUIRE(resume.size() == 1);
    CHECK(e2e::member_string(resume[0], "plan") == base_name(first.plan_path));
    CHECK(e2e::member_string(resume[0], "journal") == base_name(first.journal_path));
    CHECK(e2e::events(second.err, "resumed").size() == 1);
    CHECK(e2e::events(second.err, "not_resumed").empty());

    // Carl's soft deletion, tagged first, and nothing else of the first plan sent again.
    CHECK(carl_mutations(port, second_start) == Lines{"DELETE " + kCarlPath, "PUT " + kCarlPath});
    const Lines plans = e2e::files_ending(cwd.path(), ".plan.json");
    REQUIRE(plans.size() == 2);
    const std::string own_path = plans[0] == first.plan_path ? plans[1] : plans[0];
    const json::object own = e2e::parse_object(e2e::read_file(own_path));
    CHECK(e2e::step_count(own) == 0);  // the new plan finds nothing left to do
    e2e::sim_advance_clock(port, 10);
    e2e::State before = first.before;  // as it was, but for the tag removed before run 2
    Lines carl_tags = e2e::tags_in(before.contacts.at(kCarl));
    std::erase(carl_tags, kLongTag);
    e2e::set_tags(before.contacts.at(kCarl), carl_tags);
    CHECK(e2e::differences(e2e::expected_after(before, first.plan), e2e::sim_state(port, ids)) ==
          Lines{});
    std::map<std::string, int> deletes;
    for (const e2e::LogEntry& l : e2e::sim_log(port, start)) {
        if (l.method == "DELETE" && l.status < 300) {
            CHECK(++deletes[l.path] == 1);  // no contact or ticket deleted twice
        }
    }

    // The journal of the first run has the resumed step, by the second run.
    std::string resumed_run;
    for (const json::object& l : e2e::journal(first.journal_path)) {
        if (e2e::integer(l.at("contact_id")) == kCarl && l.at("action") == "delete_contact" &&
            l.at("outcome") == "done") {
            resumed_run = e2e::member_string(l, "run");
        }
    }
    CHECK_FALSE(resumed_run.empty());
    const json::object report = e2e::parse_object(e2e::read_file(cwd.file("report-2.json")));
    CHECK(report.at("run").is_null());  // its own plan had no step to journal
    const json::array& resumed = e2e::member_array(report, "resumed");
    REQUIRE(resumed.size() == 1);
    const json::object& r = resumed[0].as_object();
    CHECK(e2e::member_string(r, "run") == resumed_run);
    // The metrics count the resumed run's work: Carl's deletion, though its own plan had none.
    const std::string metrics = e2e::read_file(cwd.file("metrics.prom"));
    CHECK(metric(metrics, "gdpr_purge_contacts_deleted") == 1);
    CHECK(metric(metrics, "gdpr_purge_last_run_success") == 1);
    CHECK(e2e::member_string(r, "plan") == base_name(first.plan_path));
    CHECK(e2e::member_string(r, "plan_sha256") == e2e::sha256_file(first.plan_path));
    CHECK(e2e::integer(r.at("contacts_deleted")) == 1);
    CHECK(e2e::integer(r.at("tickets_deleted")) == 0);
    CHECK(e2e::integer(e2e::member_object(r, "entries").at("failed")) == 0);
    CHECK(e2e::member_array(report, "not_resumed").empty());

    // A third run finds nothing unfinished.
    const e2e::Run third = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-3.json"));
    INFO("run 3 stderr: " << third.err);
    CHECK(third.status == 0);
    CHECK(e2e::events(third.err, "resume").empty());
}

TEST_CASE_METHOD(CronFixture,
                 "an unfinished cron run under other rules is reported and never resumed",
                 "[e2e][apply][cron]") {
    const FailedRun first = failed_first_run(sim, cwd, ids);
    set_long_tag(port, false);

    // The rules changed since (an exception added): the earlier plan is not what they say now.
    const std::string rules = e2e::read_file(e2e::soft_rules_file());
    const std::string needle = R"("responders": ["keeper@example.com"])";
    REQUIRE(e2e::contains(rules, needle));
    std::string changed = rules;
    changed.replace(changed.find(needle), needle.size(),
                    R"("responders": ["keeper@example.com"], "emails": ["nobody@example.com"])");
    const simtest::TempDir other;
    e2e::write_file(other.file("rules.json"), changed);

    const json::object warned = reported(sim, cwd, "other rules", other.file("rules.json"));
    CHECK(e2e::member_string(warned, "plan") == base_name(first.plan_path));
    const json::object report = e2e::parse_object(e2e::read_file(cwd.file("report-2.json")));
    CHECK(e2e::member_array(report, "resumed").empty());
    REQUIRE(e2e::member_array(report, "not_resumed").size() == 1);
    CHECK(e2e::integer(report.at("exit_code")) == 1);

    // Under the first run's rules again, the next run finishes it.
    const std::int64_t start = e2e::log_next(port);
    const e2e::Run third = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-3.json"));
    INFO("run 3 stderr: " << third.err);
    CHECK(third.status == 0);
    CHECK(e2e::events(third.err, "resume").size() == 1);
    CHECK(carl_mutations(port, start) == Lines{"DELETE " + kCarlPath, "PUT " + kCarlPath});
}

TEST_CASE_METHOD(CronFixture,
                 "which unfinished runs are resumed: never begun, other account, age, links, "
                 "what-if, limit, empty journal, failing again",
                 "[e2e][apply][cron]") {
    SECTION("refused by --max-deletions: no journal, nothing of it is ever applied") {
        const e2e::Run refused = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-1.json"),
                                      {"--max-deletions", "0"});
        INFO("refused run stderr: " << refused.err);
        REQUIRE(refused.status == 4);
        CHECK(e2e::files_ending(cwd.path(), ".plan.json").size() == 1);
        CHECK(e2e::files_ending(cwd.path(), ".journal.jsonl").empty());
        // The next run applies its own plan, which has the same entries; the refused one is
        // not resumed (it would be reported by its own `resume` event).
        const e2e::Run again = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("second run stderr: " << again.err);
        CHECK(again.status == 0);
        CHECK(e2e::events(again.err, "resume").empty());
        CHECK(e2e::events(again.err, "not_resumed").empty());
        CHECK(e2e::files_ending(cwd.path(), ".journal.jsonl").size() == 1);
    }
    SECTION("another account's unfinished run in the same directory is left alone") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        simtest::SimProcess twin(e2e::sim_account(account));  // another port: another account
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = cron(twin, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("twin run stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::events(run.err, "resume").empty());
        CHECK(e2e::events(run.err, "not_resumed").empty());
        CHECK(e2e::log_next(port) == start);  // not one request to the first account
        const json::object report = e2e::parse_object(e2e::read_file(cwd.file("report-2.json")));
        CHECK(e2e::member_array(report, "resumed").empty());
        CHECK(e2e::member_array(report, "not_resumed").empty());
        CHECK(e2e::state_of(e2e::sim_state(port, ids), kCarl) ==
              e2e::state_of(first.before, kCarl));
    }
    SECTION("a plan file edited since its run is reported, never resumed") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        e2e::write_file(first.plan_path, e2e::read_file(first.plan_path) + "\n");
        reported(sim, cwd, "plan file changed");
    }
    SECTION("a run whose name says it is older than 30 days is not looked at; 29 days is") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        const bool old = GENERATE(true, false);
        const std::string base = plan_name_aged(std::chrono::hours(24 * (old ? 31 : 29)));
        std::filesystem::rename(first.plan_path, cwd.file(base + ".plan.json"));
        std::filesystem::rename(first.journal_path, cwd.file(base + ".journal.jsonl"));
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("run 2 (" << base << ") stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::events(run.err, "resume").size() == (old ? 0U : 1U));
        CHECK(carl_mutations(port, start).size() == (old ? 0U : 2U));
    }
    SECTION("a plan or journal that is a symbolic link is not looked at") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        const simtest::TempDir away;
        const bool plan_linked = GENERATE(true, false);
        const std::string linked = plan_linked ? first.plan_path : first.journal_path;
        const std::string target = away.file("moved");
        std::filesystem::rename(linked, target);
        std::filesystem::create_symlink(target, linked);
        CHECK(left_alone(sim, cwd, 0).empty());
    }
    SECTION("a what-if run (as of a time still to come) is reported, never resumed") {
        failed_first_run(sim, cwd, ids, "2099-01-01T00:00:00Z");
        set_long_tag(port, false);
        reported(sim, cwd, "what-if");
    }
    SECTION("a run over --max-deletions is reported, with the option to finish it") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        const std::size_t deletions = e2e::contacts_with(first.plan, "delete_contact").size();
        REQUIRE(deletions >= 2);
        const json::object warned = reported(sim, cwd, "--max-deletions", e2e::soft_rules_file(),
                                             {"--max-deletions", std::to_string(deletions - 1)});
        CHECK(e2e::contains(e2e::member_string(warned, "advice"),
                            "--max-deletions " + std::to_string(deletions)));
    }
    SECTION("several unfinished runs are resumed oldest first, -2 before -10") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        // Copies of the run under later names: each is unfinished by its own journal.
        const std::string base = plan_name_aged(std::chrono::hours(48));
        const std::string later = plan_name_aged(std::chrono::hours(24));
        const Lines order = {base, base + "-2", base + "-10", later};
        for (const std::string& name : order) {
            std::filesystem::copy_file(first.plan_path, cwd.file(name + ".plan.json"));
            std::filesystem::copy_file(first.journal_path, cwd.file(name + ".journal.jsonl"));
        }
        std::filesystem::remove(first.plan_path);
        std::filesystem::remove(first.journal_path);
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("run 2 stderr: " << run.err);
        CHECK(run.status == 0);
        Lines resumed;
        for (const json::object& e : e2e::events(run.err, "resume")) {
            const std::string plan = e2e::member_string(e, "plan");
            resumed.push_back(plan.substr(0, plan.size() - std::string(".plan.json").size()));
        }
        CHECK(resumed == order);
        // The first resumption finishes Carl; the others find it done.
        CHECK(carl_mutations(port, start) == Lines{"DELETE " + kCarlPath, "PUT " + kCarlPath});
    }
    SECTION("a run killed before its first record (an empty journal) is resumed") {
        const FailedRun first = failed_first_run(sim, cwd, ids);
        set_long_tag(port, false);
        e2e::write_file(first.journal_path, "");
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("run 2 stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::events(run.err, "resume").size() == 1);
        CHECK(carl_mutations(port, start) == Lines{"DELETE " + kCarlPath, "PUT " + kCarlPath});
    }
    SECTION("a resumed run that fails again: a warning, exit 1, retried by the next run") {
        const FailedRun first = failed_first_run(sim, cwd, ids);  // Carl keeps his long tag
        const e2e::Run run = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-2.json"));
        INFO("run 2 stderr: " << run.err);
        CHECK(run.status == 1);
        const std::vector<json::object> resumed = e2e::events(run.err, "resumed");
        REQUIRE(resumed.size() == 1);
        CHECK(e2e::member_string(resumed[0], "level") == "warning");
        CHECK(e2e::integer(resumed[0].at("entries_failed")) == 1);
        const std::vector<json::object> errors = e2e::events(run.err, "error");
        REQUIRE(errors.size() == 1);
        CHECK(e2e::contains(e2e::member_string(errors[0], "message"), "1 entries failed"));
        set_long_tag(port, false);
        const e2e::Run third = cron(sim, cwd, e2e::soft_rules_file(), cwd.file("report-3.json"));
        INFO("run 3 stderr: " << third.err);
        CHECK(third.status == 0);
        CHECK(e2e::events(third.err, "resume").size() == 1);
    }
}
