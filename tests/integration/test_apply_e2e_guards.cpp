// The safety guards of `gdpr-purge apply` (docs/cli.md: safety guards, exit codes): a plan for
// another account, a stale plan, more contact deletions than --max-deletions, an unknown plan
// format version and a declined confirmation are refused with exit 4 before any request; a
// malformed plan or journal (a duplicate key included) is exit 3, also before any request.
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

// A refused run: its exit status, no request of any kind to the account, no step journaled.
void check_refused(const simtest::SimProcess& sim, const std::string& plan_path,
                   const std::vector<std::string>& extra, int status) {
    const std::int64_t requests = e2e::api_requests(sim.port());
    const std::int64_t next = e2e::log_next(sim.port());
    const std::string journal = plan_path + ".journal.jsonl";
    const std::size_t lines = e2e::complete_lines(journal);
    const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path, extra);
    INFO("apply " << plan_path << ", stderr: " << run.err);
    CHECK(run.status == status);
    CHECK_FALSE(run.err.empty());  // the message says why
    CHECK(e2e::api_requests(sim.port()) == requests);
    CHECK(e2e::log_next(sim.port()) == next);
    CHECK(e2e::complete_lines(journal) == lines);
}

// A run that the guard lets through: exit 0 and every step done.
void check_allowed(const simtest::SimProcess& sim, const std::string& plan_path,
                   const std::vector<std::string>& extra) {
    const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path, extra);
    INFO("apply " << plan_path << ", stderr: " << run.err);
    CHECK(run.status == 0);
    const json::object plan = e2e::parse_object(e2e::read_file(plan_path));
    CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path) ==
          Lines{});
}

// A copy of the plan file, changed, next to it.
std::string variant(const std::string& plan_path, const std::string& name,
                    const std::string& text) {
    const std::string path = plan_path.substr(0, plan_path.rfind('/') + 1) + name;
    e2e::write_file(path, text);
    return path;
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

}  // namespace

TEST_CASE("apply refuses a plan made for another account", "[e2e][apply][guard]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    const std::string text = e2e::read_file(plan_path);

    SECTION("the plan names another account") {
        const std::string other =
            variant(plan_path, "other.json",
                    e2e::replace_string_value(text, "account", "acme.freshdesk.com"));
        check_refused(sim, other, {}, 4);
    }
    SECTION("the plan was made against another simulator (another port: another account)") {
        simtest::SimProcess twin(e2e::sim_account(e2e::account_file(1)));
        const std::int64_t here = e2e::api_requests(sim.port());
        check_refused(twin, plan_path, {}, 4);
        CHECK(e2e::api_requests(sim.port()) == here);
    }
    SECTION("control: the same plan on its own account is applied") {
        check_allowed(sim, plan_path, {});
    }
}

TEST_CASE("apply refuses a stale plan - default 24h, --max-plan-age", "[e2e][apply][guard]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    const std::string text = e2e::read_file(plan_path);
    const auto aged = [&](std::chrono::hours age) {
        return variant(plan_path, "aged.json",
                       e2e::replace_string_value(text, "generated_at", e2e::utc_now(-age)));
    };

    SECTION("generated two days ago, default --max-plan-age 24h") {
        check_refused(sim, aged(std::chrono::hours(48)), {}, 4);
    }
    SECTION("generated 25 hours ago, default --max-plan-age 24h") {
        check_refused(sim, aged(std::chrono::hours(25)), {}, 4);
    }
    SECTION("generated 3 hours ago, --max-plan-age 1h") {
        check_refused(sim, aged(std::chrono::hours(3)), {"--max-plan-age", "1h"}, 4);
    }
    SECTION("control: generated 3 hours ago, --max-plan-age 4h") {
        check_allowed(sim, aged(std::chrono::hours(3)), {"--max-plan-age", "4h"});
    }
    SECTION("control: generated 23 hours ago, default") {
        check_allowed(sim, aged(std::chrono::hours(23)), {});
    }
}

TEST_CASE("apply refuses more contact deletions than --max-deletions", "[e2e][apply][guard]") {
    SECTION("use case 1: four delete_contact steps") {
        simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
        REQUIRE(e2e::contacts_with(plan, "delete_contact").size() == 4);
        check_refused(sim, plan_path, {"--max-deletions", "0"}, 4);
        check_refused(sim, plan_path, {"--max-deletions", "3"}, 4);
        check_allowed(sim, plan_path, {"--max-deletions", "4"});
    }
    SECTION("purges count too: three delete_contact steps and one purge_soft_deleted") {
        simtest::SimProcess sim(e2e::sim_account(e2e::bulk_account_file()));
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::soft_rules_file(), plan_path);
        REQUIRE(e2e::contacts_with(plan, "delete_contact").size() == 3);
        REQUIRE(e2e::contacts_with(plan, "purge_soft_deleted").size() == 1);
        check_refused(sim, plan_path, {"--max-deletions", "3"}, 4);
        check_allowed(sim, plan_path, {"--max-deletions", "4"});
    }
    SECTION("a plan that deletes only tickets passes --max-deletions 0") {
        simtest::SimProcess sim(e2e::sim_account(e2e::account_file(3)));
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object full = e2e::make_plan(sim.base_url(), e2e::rules_file(3), plan_path);
        // Keep only Sara's entry: one ticket, no contact deletion.
        json::object plan = full;
        json::array kept;
        for (const json::value& e : e2e::member_array(full, "entries")) {
            if (e2e::integer(e.at("contact_id")) == 43000000302) {
                kept.push_back(e);
            }
        }
        REQUIRE(kept.size() == 1);
        plan["entries"] = kept;
        const std::string path = variant(plan_path, "sara.json", json::serialize(plan));
        check_allowed(sim, path, {"--max-deletions", "0"});
    }
}

TEST_CASE("apply refuses an unknown plan format_version with exit 4", "[e2e][apply][guard]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    plan["format_version"] = 2;
    check_refused(sim, variant(plan_path, "v2.json", json::serialize(plan)), {}, 4);
}

TEST_CASE("apply rejects a malformed plan or journal with exit 3", "[e2e][apply][invalid]") {
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    const std::string text = e2e::read_file(plan_path);
    json::object changed = plan;
    json::object& step =
        changed["entries"].as_array()[0].as_object()["steps"].as_array()[0].as_object();

    SECTION("truncated") {
        check_refused(sim, variant(plan_path, "cut.json", text.substr(0, text.size() / 2)), {}, 3);
    }
    SECTION("not JSON") {
        check_refused(sim, variant(plan_path, "text.json", "this is not a plan\n"), {}, 3);
    }
    SECTION("not a plan") {
        check_refused(sim, variant(plan_path, "rules.json", e2e::read_file(e2e::rules_file(1))), {},
                      3);
    }
    SECTION("an unknown step action") {
        step["action"] = "delete_everything";
        check_refused(sim, variant(plan_path, "action.json", json::serialize(changed)), {}, 3);
    }
    SECTION("delete_tickets without ticket_ids") {
        step.erase("ticket_ids");
        check_refused(sim, variant(plan_path, "ids.json", json::serialize(changed)), {}, 3);
    }
    SECTION("a journal that is not JSON lines") {
        e2e::write_file(plan_path + ".journal.jsonl", "garbage\n{\"also\":\"garbage\"}\n");
        check_refused(sim, plan_path, {}, 3);
    }
    SECTION("a journal line with a duplicate key") {
        // Read strictly like the plan: which "outcome" counts is not a guess to make.
        e2e::write_file(plan_path + ".journal.jsonl",
                        R"({"ts":"2026-11-29T04:10:00Z","run":"9c1e0000000000000000000000000001",)"
                        R"("account":"acme.freshdesk.com","plan_sha256":")" +
                            std::string(64, 'a') +
                            R"(","contact_id":101,"step":null,"outcome":"failed","outcome":"done"})"
                            "\n");
        check_refused(sim, plan_path, {}, 3);
    }
}

TEST_CASE("apply on a terminal asks first - a declined confirmation changes nothing",
          "[e2e][apply][guard][tty]") {
    if (simtest::run_command({"sh", "-c", "command -v script"}).status != 0) {
        WARN("util-linux script is not installed: no pseudo-terminal for this test");
        return;
    }
    simtest::SimProcess sim(e2e::sim_account(e2e::account_file(1)));
    const simtest::TempDir dir;
    const std::string plan_path = dir.file("plan.json");
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    // apply without --yes, its standard input a pseudo-terminal fed with `answer`.
    const auto on_terminal = [&](const std::string& answer) {
        std::string command;
        for (const std::string& a : e2e::cli_argv({"apply", plan_path, "--base-url", sim.base_url(),
                                                   "--lock-file", dir.file("lock")})) {
            command += shell_quote(a) + " ";
        }
        return simtest::run_command(
            {"sh", "-c",
             "printf '" + answer + "\\n' | script -qec " + shell_quote(command) + " /dev/null"},
            std::chrono::seconds(60));
    };
    const std::int64_t start = e2e::log_next(sim.port());
    const simtest::CommandResult no = on_terminal("n");
    INFO("declined: " << no.out << no.err);
    CHECK(no.status == 4);
    CHECK(e2e::mutations(e2e::sim_log(sim.port(), start)) == Lines{});
    // No journal at all: a later apply --rules takes a plan with a journal as begun (resumes it).
    CHECK_FALSE(e2e::file_exists(plan_path + ".journal.jsonl"));

    const simtest::CommandResult yes = on_terminal("yes");
    INFO("confirmed: " << yes.out << yes.err);
    CHECK(yes.status == 0);
    CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path) ==
          Lines{});
}
