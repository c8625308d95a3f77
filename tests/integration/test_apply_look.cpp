// apply_plan's look for changes (docs/apply.md, "The look for changes"): an untouched entry is not
// re-read one by one when the account's changes since the plan, listed in bulk, do not name it;
// a contact they name is re-read and re-checked as before, also when its change comes after the
// apply began.
#include "executor/apply_detail.hpp"
#include "freshdesk/write.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

using namespace applytest;
namespace ex = gp::executor;

namespace {

using namespace usecase1;  // all hard deletions

// GET calls other than the looks' lists: the one-by-one re-reads (a contact's view, its tickets).
std::int64_t contact_views(const Counts& requests) {
    return count(requests, "GET /contacts/{id}");
}

Id add_open_ticket(Account& account, Id requester) {
    return account
        .control("POST", "/_sim/tickets",
                 R"({"requester_id":)" + std::to_string(requester) + R"(,"status":2})")
        .at("id")
        .as_int64();
}

// Applies use case 1 on one thread (Alice first) with looks relied upon for 2 s: `change` is made
// while Alice's first ticket is deleted (after the run read its names and blocked list), and her
// deletion then lasts longer than a look may be relied upon, so the next entry makes a new look.
ApplyRun apply_with_change_during_alice(Account& account, const gp::Plan& plan, const TempDir& dir,
                                        const std::function<void()>& change) {
    ex::ApplyOptions options = fast_options();
    options.concurrency = 1;
    options.look_max_age = std::chrono::seconds(2);
    std::atomic<bool> done{false};
    account.set_block([&](const gp::http::Request& request) -> std::optional<gp::http::Response> {
        if (request.method == "DELETE" && request.target == "/api/v2/tickets/1" && !done) {
            done = true;
            change();
            std::this_thread::sleep_for(options.look_max_age + std::chrono::milliseconds(500));
        }
        return std::nullopt;
    });
    ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"), options);
    REQUIRE(done);
    return run;
}

void check_new_ticket_skip(const ApplyRun& run, Id contact, Id ticket) {
    const auto mine = records_of(run.records, contact);
    INFO(show(mine));
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].outcome == ex::Outcome::skipped);
    CHECK(mine[0].reason == "new ticket " + std::to_string(ticket) + " since the plan");
}

}  // namespace

TEST_CASE("apply: unchanged contacts are not re-read one by one, a changed one is",
          "[apply][look]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    REQUIRE_FALSE(plan.header.read_started_at.empty());
    const Id ticket = add_open_ticket(account, nora);  // between the plan and the apply

    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    check_new_ticket_skip(run, nora, ticket);
    CHECK(account.contact_state(nora) == "active");
    CHECK(account.seen(17) == "live");
    CHECK(run.totals.entries_done == 3);
    CHECK(run.totals.entries_skipped == 1);
    for (Id id : {alice, bea, tom}) {
        CHECK(account.contact_state(id) == "hard_deleted");
    }
    // Only Nora was re-read: one view and her tickets; the others rest on the look.
    CHECK(run.totals.entries_reread == 1);
    CHECK(contact_views(run.requests) == 1);
    CHECK(run.totals.looks >= 1);
    CHECK(run.totals.longest_look_window_ms >= 0);
    CHECK(run.totals.longest_look_window_ms <= 20000);
}

TEST_CASE("apply: a new ticket that comes after the apply began is seen by the next look",
          "[apply][look]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    // While Alice's tickets are deleted, a customer of a later entry writes in; the next look
    // shows the ticket.
    Id added = 0;
    const TempDir dir;
    const ApplyRun run = apply_with_change_during_alice(account, plan, dir, [&] {
        const gp::http::Response made = account.sim.control(
            "POST", "/_sim/tickets", R"({"requester_id":43000000114,"status":2})");
        added = json::parse(made.body).at("id").as_int64();
    });
    INFO(show(run.requests));
    INFO(show(run.records));
    REQUIRE(added != 0);
    check_new_ticket_skip(run, tom, added);
    CHECK(account.contact_state(tom) == "active");
    CHECK(account.seen(21) == "live");
    CHECK(account.contact_state(alice) == "hard_deleted");
    CHECK(account.contact_state(bea) == "hard_deleted");
    CHECK(run.totals.entries_reread == 1);
    CHECK(run.totals.looks >= 2);
    CHECK(run.totals.longest_look_window_ms <= 2000);
}

TEST_CASE("apply: a write that finds the account otherwise re-reads the contact first",
          "[apply][look]") {
    // A change that no look shows: Nora's planned ticket went to the trash without a newer
    // updated_at (as an account that does not bump it would). Her DELETE answers 405: the entry
    // is re-read, and the re-check decides as it always did.
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    const std::string updated =
        std::string(account.state("ticket=17").at("ticket").at("updated_at").as_string());
    REQUIRE(gp::freshdesk::delete_ticket(account.client, 17).ok());
    account.control("POST", "/_sim/tickets/17", R"({"updated_at":")" + updated + "\"}");
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(run.totals.entries_reread == 1);
    CHECK(count(run.requests, "DELETE /tickets/{id}") >= 1);
    const auto mine = records_of(run.records, nora);
    REQUIRE_FALSE(mine.empty());
    CHECK(mine.front().outcome == ex::Outcome::done);
    CHECK(mine.front().reason == "already so");
    CHECK(run.totals.entries_done == 4);
}

TEST_CASE("apply: without read_started_at, or with the look off, every entry is re-read",
          "[apply][look]") {
    Account account(account_options(usecase_account(1)));
    gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    ex::ApplyOptions options = fast_options();
    SECTION("a plan of an earlier version") {
        plan.header.read_started_at.clear();
    }
    SECTION("the look off") {
        options.look_for_changes = false;
    }
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"), options);
    CHECK(run.totals.entries_done == 4);
    CHECK(run.totals.entries_reread == 4);
    CHECK(run.totals.looks == 0);
    CHECK(contact_views(run.requests) == 4);
}

TEST_CASE("apply: the first look lists every contact only while that is cheaper than views",
          "[apply][look]") {
    // A generated account of 400 contacts: listing them all takes 4 pages and more.
    simtest::InProcessOptions generated;
    generated.generate = "contacts=400,tickets=2000,seed=7";
    generated.now = kNow;
    generated.rate_limit_total = 1'000'000;
    generated.job_seconds = 1;
    Account account(generated);
    gp::Plan plan =
        make_plan(account, load_rules(data_file("../../rules.example.json")), now_time());
    std::int64_t views = 0;
    SECTION("many entries: every contact listed, only the tag writers viewed") {
        REQUIRE(plan.entries.size() >= 40);  // a quarter of a credit each: 10 pages
        views = std::count_if(plan.entries.begin(), plan.entries.end(),
                              gp::executor::detail::writes_contact_tags);
        REQUIRE(views < static_cast<std::int64_t>(plan.entries.size()));
    }
    SECTION("four entries: the listing stops at its one page, each contact is viewed") {
        plan.entries.resize(4);
        views = 4;
    }
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    CHECK(run.totals.entries_done == static_cast<std::int64_t>(plan.entries.size()));
    CHECK(run.totals.entries_reread == 0);
    CHECK(count(run.requests, "GET /contacts/{id}") == views);
}

TEST_CASE("apply: a look that fails tells nothing: the entries are re-read one by one",
          "[apply][look]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    const TempDir dir;
    ex::ApplyOptions options = fast_options();
    SECTION("the agents list answers apply's names, then 500 to every look") {
        int calls = 0;
        account.set_block(
            [&calls](const gp::http::Request& request) -> std::optional<gp::http::Response> {
                if (request.method == "GET" && request.target.rfind("/api/v2/agents", 0) == 0 &&
                    ++calls > 1) {
                    gp::http::Response refused;
                    refused.status = 500;
                    refused.body = R"({"code":"internal_error","message":"down"})";
                    return refused;
                }
                return std::nullopt;
            });
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"), options);
        INFO(show(run.requests));
        CHECK(run.totals.entries_done == 4);
        CHECK(run.totals.entries_reread == 4);
        CHECK(run.totals.looks == 0);
        CHECK(count(run.requests, "GET /contacts/{id}") == 4);
    }
}

TEST_CASE("apply: a contact blocked, or an agent with its email, after the apply began is skipped",
          "[apply][look]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    std::string control_target;
    std::string control_body;
    std::string reason;
    SECTION("blocked") {
        control_target = "/_sim/contacts/43000000114";
        control_body = R"({"state":"blocked"})";
        reason = "the contact is blocked";
    }
    SECTION("an agent with its email") {
        const std::string email(
            account.state("contact=43000000114").at("contact").at("email").as_string());
        control_target = "/_sim/agents";
        control_body = R"({"name":"Tom Agent","email":")" + email + "\"}";
        reason = "protected now: agent";
    }
    const TempDir dir;
    const ApplyRun run = apply_with_change_during_alice(
        account, plan, dir, [&] { account.sim.control("POST", control_target, control_body); });
    INFO(show(run.requests));
    INFO(show(run.records));
    const auto mine = records_of(run.records, tom);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].outcome == ex::Outcome::skipped);
    CHECK(mine[0].reason.find(reason) != std::string::npos);
    CHECK(account.seen(21) == "live");
    CHECK(account.contact_state(alice) == "hard_deleted");
}
