// `gdpr-purge apply` end to end on the three use cases of docs/rules-semantics.md: the plan that
// `plan` makes for the hand-made account, applied to freshdesk-sim; the simulator's whole state
// afterwards is exactly what the plan says (docs/plan.md, step actions) and nothing else changed.
// Also: a second apply of the same plan and journal sends nothing, and entries whose contact
// changed between plan and apply are skipped whole (docs/plan.md, expect), bulk deletions and a
// purge, and contacts that show only the effects of the plan's own unjournaled steps are resumed
// (docs/cli.md).
#include "test_apply_e2e.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace json = boost::json;

namespace {

using Lines = std::vector<std::string>;

constexpr std::int64_t kAlice = 43000000101;  // use case 1
constexpr std::int64_t kBea = 43000000108;
constexpr std::int64_t kNora = 43000000111;
constexpr std::int64_t kTom = 43000000114;

void apply_use_case(int number) {
    const std::string account = e2e::account_file(number);
    simtest::SimProcess sim(e2e::sim_account(account));
    const simtest::TempDir dir;
    const e2e::Applied a =
        e2e::plan_and_apply(sim, dir, e2e::account_ids(account), e2e::rules_file(number));
    CHECK(e2e::differences(e2e::expected_after(a.before, a.plan), a.after) == Lines{});
}

}  // namespace

TEST_CASE("apply use case 1 - hard, immediate: the account ends exactly as planned",
          "[e2e][apply][usecase]") {
    apply_use_case(1);
}

TEST_CASE(
    "apply use case 2 - soft, 30d wait: tickets trashed, marks set and cleared, due soft "
    "deletion",
    "[e2e][apply][usecase]") {
    apply_use_case(2);
}

TEST_CASE("apply use case 3 - single old tickets, hard deletion of emptied contacts",
          "[e2e][apply][usecase]") {
    apply_use_case(3);
}

// The hand-made expectations, beside the derived ones, so that a mistake in the derivation
// cannot hide one in the product.
TEST_CASE("apply use cases - spot checks of the final state", "[e2e][apply][usecase]") {
    SECTION("use case 1") {
        const std::string account = e2e::account_file(1);
        simtest::SimProcess sim(e2e::sim_account(account));
        const simtest::TempDir dir;
        const e2e::Applied a =
            e2e::plan_and_apply(sim, dir, e2e::account_ids(account), e2e::rules_file(1));
        for (std::int64_t id : {kAlice, kBea, kNora, kTom}) {
            CHECK(e2e::state_of(a.after, id) == "hard_deleted");
        }
        for (std::int64_t t : {1, 2, 3, 4, 14, 17, 21}) {  // Alice's trashed and spam ones too
            INFO("ticket " << t);
            CHECK(e2e::seen_of(a.after, t) == "gone");
        }
        CHECK(e2e::state_of(a.after, 43000000102) == "active");  // Victor, VIP
        CHECK(e2e::tags_of(a.after, 43000000102) == Lines{"Vip"});
        CHECK(e2e::seen_of(a.after, 5) == "live");
        CHECK(e2e::state_of(a.after, 43000000113) == "soft_deleted");  // Sam, not this tool's
    }
    SECTION("use case 2") {
        const std::string account = e2e::account_file(2);
        simtest::SimProcess sim(e2e::sim_account(account));
        const simtest::TempDir dir;
        const e2e::Applied a =
            e2e::plan_and_apply(sim, dir, e2e::account_ids(account), e2e::rules_file(2));
        CHECK(e2e::state_of(a.after, 43000000201) == "active");  // Carl waits 30 days
        CHECK(e2e::tags_of(a.after, 43000000201) == Lines{"gdpr-purge-pending-2026-11-29"});
        CHECK(e2e::seen_of(a.after, 1) == "trash");
        CHECK(e2e::seen_of(a.after, 2) == "trash");
        CHECK(e2e::state_of(a.after, 43000000207) == "soft_deleted");  // Paula was due
        CHECK(e2e::tags_of(a.after, 43000000207) == Lines{"gdpr-purge-deleted", "newsletter"});
        CHECK(e2e::tags_of(a.after, 43000000209) == Lines{"newsletter"});  // Ray's wait cancelled
        CHECK(e2e::seen_of(a.after, 11) == "live");
        CHECK(e2e::tags_of(a.after, 43000000208) == Lines{"gdpr-purge-pending-2026-11-15"});
        CHECK(e2e::seen_of(a.after, 3) == "live");  // Kate: the keeper handled it
    }
    SECTION("use case 3") {
        const std::string account = e2e::account_file(3);
        simtest::SimProcess sim(e2e::sim_account(account));
        const simtest::TempDir dir;
        const e2e::Applied a =
            e2e::plan_and_apply(sim, dir, e2e::account_ids(account), e2e::rules_file(3));
        CHECK(e2e::state_of(a.after, 43000000302) == "active");  // Sara keeps 4 and 5
        CHECK(e2e::seen_of(a.after, 3) == "trash");
        CHECK(e2e::seen_of(a.after, 4) == "live");
        CHECK(e2e::seen_of(a.after, 5) == "live");
        for (std::int64_t id : {43000000301, 43000000307, 43000000308}) {  // Ivan, Cleo, Pete
            CHECK(e2e::state_of(a.after, id) == "hard_deleted");
        }
        CHECK(e2e::seen_of(a.after, 6) == "live");   // Otto: an open ticket keeps his old incident
        CHECK(e2e::seen_of(a.after, 14) == "live");  // Rita is an agent
    }
}

TEST_CASE("apply twice with the same plan and journal - the second run sends nothing",
          "[e2e][apply][idempotent]") {
    const int number = GENERATE(1, 2);
    const std::string account = e2e::account_file(number);
    simtest::SimProcess sim(e2e::sim_account(account));
    const simtest::TempDir dir;
    const e2e::Ids ids = e2e::account_ids(account);
    const e2e::Applied a = e2e::plan_and_apply(sim, dir, ids, e2e::rules_file(number));
    const std::string journal = a.plan_path + ".journal.jsonl";
    const std::size_t lines_before = e2e::journal(journal).size();
    const std::int64_t requests = e2e::api_requests(sim.port());
    const std::int64_t log_start = e2e::log_next(sim.port());

    const e2e::Run again =
        e2e::run_apply(sim.base_url(), a.plan_path, {"--report", dir.file("again.json")});
    INFO("second apply, stderr: " << again.err);
    CHECK(again.status == 0);
    CHECK(again.err.empty());  // not a terminal, no -v: nothing on success (cron mails failures)
    // It reports every entry done (by the earlier run).
    const json::object report = e2e::parse_object(e2e::read_file(dir.file("again.json")));
    INFO("report: " << json::serialize(report));
    const json::object& entries = e2e::member_object(report, "entries");
    const auto planned = static_cast<std::int64_t>(e2e::member_array(a.plan, "entries").size());
    CHECK(e2e::integer(entries.at("done")) == planned);
    CHECK(e2e::integer(entries.at("failed")) == 0);
    CHECK(e2e::integer(entries.at("skipped")) == 0);
    CHECK(e2e::api_requests(sim.port()) == requests);  // not even a GET
    CHECK(e2e::mutations(e2e::sim_log(sim.port(), log_start)) == Lines{});
    const std::vector<json::object> all = e2e::journal(journal);
    for (std::size_t i = lines_before; i < all.size(); ++i) {
        INFO("line of the second run: " << json::serialize(all[i]));
        CHECK(e2e::member_string(all[i], "outcome") == "done");
    }
    const e2e::State now = e2e::sim_state(sim.port(), ids);
    CHECK(e2e::differences(e2e::expected_after(a.before, a.plan), now) == Lines{});

    // With -v, the summary as one line that holds the counts.
    const e2e::Run verbose = e2e::run_apply(sim.base_url(), a.plan_path, {"-v"});
    INFO("third apply, -v, stderr: " << verbose.err);
    CHECK(verbose.status == 0);
    const std::string n = std::to_string(planned);
    CHECK(e2e::lines(verbose.err).size() == 1);
    CHECK(e2e::contains(verbose.err, "gdpr-purge apply: " + sim.base_url() + ": " + n +
                                         " entries: " + n + " done (" + n +
                                         " of them by earlier runs), 0 skipped, 0 failed, in "));
}

TEST_CASE(
    "apply skips a contact that changed since the plan - new ticket, reopened ticket, new "
    "exception tag",
    "[e2e][apply][recheck]") {
    const std::string account = e2e::account_file(1);
    simtest::SimProcess sim(e2e::sim_account(account));
    const int port = sim.port();
    const simtest::TempDir dir;
    e2e::Ids ids = e2e::account_ids(account);
    const std::string plan_path = dir.file("plan.json");
    const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
    REQUIRE(e2e::entry_contacts(plan) == std::set<std::int64_t>{kAlice, kBea, kNora, kTom});

    const json::object created = e2e::sim_post(
        port, "/_sim/tickets",
        R"({"requester_id":43000000101,"group_id":43000000011,"type":"Question","status":2})");
    const std::int64_t new_ticket = e2e::integer(created.at("id"));
    ids.tickets.push_back(new_ticket);
    e2e::sim_post(port, "/_sim/tickets/14/reopen", "");                            // Bea's
    e2e::sim_post(port, "/_sim/contacts/43000000111/tags", R"({"add":["VIP"]})");  // Nora
    const e2e::State before = e2e::sim_state(port, ids);
    const std::int64_t start = e2e::log_next(port);

    const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
    INFO("apply stderr: " << run.err);
    CHECK(run.status == 0);  // skipped for a stated reason is success (cli.md)
    const std::set<std::int64_t> skipped = {kAlice, kBea, kNora};
    const std::map<std::int64_t, Lines> reasons = {
        {kAlice, {"ticket", std::to_string(new_ticket)}}, {kBea, {"14", "open"}}, {kNora, {"vip"}}};
    CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path,
                                reasons) == Lines{});
    CHECK(e2e::mutations(e2e::sim_log(port, start)) == e2e::expected_mutations(plan, skipped));
    e2e::sim_advance_clock(port, 10);
    const e2e::State after = e2e::sim_state(port, ids);
    CHECK(e2e::differences(e2e::expected_after(before, plan, skipped), after) == Lines{});
    CHECK(e2e::state_of(after, kTom) == "hard_deleted");
}

TEST_CASE(
    "apply skips a contact that changed since the plan - partial deletions, a new "
    "responder exception",
    "[e2e][apply][recheck]") {
    SECTION("use case 3: a new ticket, or a reopened ticket the plan keeps") {
        const bool reopen = GENERATE(false, true);
        const std::string account = e2e::account_file(3);
        simtest::SimProcess sim(e2e::sim_account(account));
        const int port = sim.port();
        e2e::Ids ids = e2e::account_ids(account);
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(3), plan_path);
        constexpr std::int64_t kSara = 43000000302;  // the plan deletes ticket 3 of her 3, 4, 5
        REQUIRE(e2e::entry_contacts(plan).count(kSara) == 1);
        Lines needles;
        if (reopen) {
            e2e::sim_post(port, "/_sim/tickets/4/reopen", "");
            needles = {"4", "open"};
        } else {
            const json::object created =
                e2e::sim_post(port, "/_sim/tickets",
                              R"({"requester_id":43000000302,"type":"Incident","status":2})");
            ids.tickets.push_back(e2e::integer(created.at("id")));
            needles = {"ticket", std::to_string(e2e::integer(created.at("id")))};
        }
        const e2e::State before = e2e::sim_state(port, ids);
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
        INFO("apply stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path,
                                    {{kSara, needles}}) == Lines{});
        CHECK(e2e::mutations(e2e::sim_log(port, start)) == e2e::expected_mutations(plan, {kSara}));
        e2e::sim_advance_clock(port, 10);
        CHECK(e2e::differences(e2e::expected_after(before, plan, {kSara}),
                               e2e::sim_state(port, ids)) == Lines{});
    }
    SECTION("use case 2: the exception responder now handles a ticket of the contact") {
        const std::string account = e2e::account_file(2);
        simtest::SimProcess sim(e2e::sim_account(account));
        const int port = sim.port();
        const e2e::Ids ids = e2e::account_ids(account);
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(2), plan_path);
        constexpr std::int64_t kCarl = 43000000201;
        REQUIRE(e2e::entry_contacts(plan).count(kCarl) == 1);
        e2e::sim_post(port, "/_sim/tickets/2", R"({"responder_id":43000000001})");  // the keeper
        const e2e::State before = e2e::sim_state(port, ids);
        const std::int64_t start = e2e::log_next(port);
        const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
        INFO("apply stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path,
                                    {{kCarl, {"responder|k***@example.com|protected"}}}) ==
              Lines{});
        CHECK(e2e::mutations(e2e::sim_log(port, start)) == e2e::expected_mutations(plan, {kCarl}));
        CHECK(e2e::differences(e2e::expected_after(before, plan, {kCarl}),
                               e2e::sim_state(port, ids)) == Lines{});
    }
}

TEST_CASE("apply with bulk deletions and a purge - 4 or more tickets go through a bulk job",
          "[e2e][apply][bulk]") {
    const std::string account = e2e::bulk_account_file();
    simtest::SimProcess sim(e2e::sim_account(account));
    const simtest::TempDir dir;
    const e2e::Applied a =
        e2e::plan_and_apply(sim, dir, e2e::account_ids(account), e2e::soft_rules_file());
    REQUIRE(e2e::contacts_with(a.plan, "purge_soft_deleted") ==
            std::set<std::int64_t>{43000000404});
    CHECK(e2e::differences(e2e::expected_after(a.before, a.plan), a.after) == Lines{});
    // A bulk deletion is done when its job has finished (cli.md): its job was polled.
    std::size_t polls = 0;
    for (const e2e::LogEntry& l : a.log) {
        polls += l.method == "GET" && l.path.rfind("/api/v2/jobs/", 0) == 0 ? 1U : 0U;
    }
    CHECK(polls >= 2);
    for (std::int64_t t = 1; t <= 13; ++t) {
        INFO("ticket " << t);
        CHECK(e2e::seen_of(a.after, t) == "trash");
    }
    CHECK(e2e::tags_of(a.after, 43000000401) == Lines{"gdpr-purge-deleted", "newsletter"});
    CHECK(e2e::state_of(a.after, 43000000404) == "hard_deleted");
    CHECK(e2e::state_of(a.after, 43000000405) == "soft_deleted");  // deleted 9 days ago
    // The bulk steps' journal lines name their job (plan.md: job_id).
    std::size_t with_job = 0;
    for (const json::object& l : e2e::journal(a.plan_path + ".journal.jsonl")) {
        if (l.contains("action") && l.at("action") == "delete_tickets" &&
            l.contains("ticket_ids") && l.at("ticket_ids").as_array().size() >= 4 &&
            l.contains("job_id")) {
            ++with_job;
        }
    }
    CHECK(with_job >= 2);
}

namespace {

void api_change(int port, const std::string& method, const std::string& target,
                const std::string& body = "") {
    simtest::Client client(port);
    const simtest::Reply r = client.send(method, "/api/v2" + target, body);
    INFO(method << " " << target << " " << body << ": " << r.status << " " << r.body);
    REQUIRE((r.status == 200 || r.status == 204));
}

// `all` without one occurrence of each of `done` (both sorted).
Lines without(Lines all, const Lines& done) {
    for (const std::string& d : done) {
        const auto it = std::find(all.begin(), all.end(), d);
        REQUIRE(it != all.end());
        all.erase(it);
    }
    return all;
}

}  // namespace

// cli.md: "A contact whose re-read shows only the effects of this plan's own earlier, interrupted
// steps is resumed, not skipped." The effects of steps that a killed run sent but never journaled
// are made here by hand, before the first apply: some tickets trashed, a contact tagged for its
// soft deletion, a contact soft-deleted on its way to the hard deletion.
TEST_CASE("apply resumes contacts that show only the plan's own unjournaled steps",
          "[e2e][apply][resume]") {
    SECTION("use case 1, hard") {
        const std::string account = e2e::account_file(1);
        simtest::SimProcess sim(e2e::sim_account(account));
        const int port = sim.port();
        const e2e::Ids ids = e2e::account_ids(account);
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::rules_file(1), plan_path);
        const e2e::State before = e2e::sim_state(port, ids);
        const Lines by_hand = {"DELETE /api/v2/contacts/43000000108", "DELETE /api/v2/tickets/1",
                               "DELETE /api/v2/tickets/14"};
        api_change(port, "DELETE", "/tickets/1");   // Alice: one of her two tickets
        api_change(port, "DELETE", "/tickets/14");  // Bea: her ticket, then her soft deletion
        api_change(port, "DELETE", "/contacts/43000000108");
        const std::int64_t start = e2e::log_next(port);

        const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
        INFO("apply stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path) ==
              Lines{});
        CHECK(e2e::mutations(e2e::sim_log(port, start), true) ==
              without(e2e::expected_mutations(plan), by_hand));
        e2e::sim_advance_clock(port, 10);
        CHECK(e2e::differences(e2e::expected_after(before, plan), e2e::sim_state(port, ids)) ==
              Lines{});
    }
    SECTION("use case 2 with soft, immediate deletion") {
        const std::string account = e2e::account_file(2);
        simtest::SimProcess sim(e2e::sim_account(account));
        const int port = sim.port();
        const e2e::Ids ids = e2e::account_ids(account);
        const simtest::TempDir dir;
        const std::string plan_path = dir.file("plan.json");
        const json::object plan = e2e::make_plan(sim.base_url(), e2e::soft_rules_file(), plan_path);
        const e2e::State before = e2e::sim_state(port, ids);
        const Lines by_hand = {"DELETE /api/v2/tickets/1", "DELETE /api/v2/tickets/12",
                               "DELETE /api/v2/tickets/2", "PUT /api/v2/contacts/43000000201",
                               "PUT /api/v2/contacts/43000000207"};
        api_change(port, "DELETE", "/tickets/1");  // Carl: tickets gone, tagged, not deleted
        api_change(port, "DELETE", "/tickets/2");
        api_change(port, "PUT", "/contacts/43000000201", R"({"tags":["gdpr-purge-deleted"]})");
        api_change(port, "DELETE", "/tickets/12");  // Tracy: her ticket gone
        // Paula: her pending tag already replaced by gdpr-purge-deleted.
        api_change(port, "PUT", "/contacts/43000000207",
                   R"({"tags":["newsletter","gdpr-purge-deleted"]})");
        const std::int64_t start = e2e::log_next(port);

        const e2e::Run run = e2e::run_apply(sim.base_url(), plan_path);
        INFO("apply stderr: " << run.err);
        CHECK(run.status == 0);
        CHECK(e2e::journal_problems(e2e::journal(plan_path + ".journal.jsonl"), plan, plan_path) ==
              Lines{});
        CHECK(e2e::mutations(e2e::sim_log(port, start), true) ==
              without(e2e::expected_mutations(plan), by_hand));
        CHECK(e2e::differences(e2e::expected_after(before, plan), e2e::sim_state(port, ids)) ==
              Lines{});
    }
}
