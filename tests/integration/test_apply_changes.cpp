// apply_plan when the account changed between the plan and the apply: each entry whose facts no
// longer hold is skipped with its reason (or done, when the contact is gone for good), and not
// one write touches that contact or its tickets; a skip is final.
#include "freshdesk/write.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

using namespace applytest;
namespace ex = gp::executor;

namespace {

using namespace usecase1;

// The writes the account receives, as "METHOD target", from now on.
struct WriteLog {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::vector<std::string> get() {
        std::lock_guard lock(mutex);
        return lines;
    }
};

std::shared_ptr<WriteLog> log_writes(Account& account) {
    auto log = std::make_shared<WriteLog>();
    account.set_tamper([log](const gp::http::Request& request, gp::http::Response&) {
        if (request.method != "GET") {
            std::lock_guard lock(log->mutex);
            log->lines.push_back(request.method + " " + request.target);
        }
    });
    return log;
}

bool names(const std::string& write, const std::string& path) {
    const std::size_t at = write.find(path);
    return at != std::string::npos &&
           (at + path.size() == write.size() || write[at + path.size()] == '/' ||
            write[at + path.size()] == '?');
}

// No write names the contact or one of `tickets`.
void check_untouched(const std::vector<std::string>& writes, Id contact, std::vector<Id> tickets) {
    for (const auto& w : writes) {
        INFO(w);
        CHECK_FALSE(names(w, "/contacts/" + std::to_string(contact)));
        for (Id t : tickets) {
            CHECK_FALSE(names(w, "/tickets/" + std::to_string(t)));
        }
    }
}

// The one record of a skipped entry: no step, the reason.
void check_skipped(const std::vector<ex::JournalRecord>& records, Id contact,
                   const std::string& reason_part) {
    const auto mine = records_of(records, contact);
    INFO("contact " << contact << " " << show(mine));
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].outcome == ex::Outcome::skipped);
    CHECK_FALSE(mine[0].step.has_value());
    CHECK(mine[0].action.empty());
    CHECK(mine[0].reason.find(reason_part) != std::string::npos);
}

std::string ts(UnixTime t) {
    return gp::format_timestamp(t);
}

}  // namespace

TEST_CASE("apply: new, reopened and re-closed tickets and a new exception skip their entries",
          "[apply][changes]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    const std::string recent = ts(account.sim.clock().now());

    // Alice's ticket 2 reopened and closed again now. The simulator keeps the old closed_at when
    // the status goes back to Closed, so the new close time is set as Freshdesk would.
    const std::string old_closed =
        std::string(account.state("ticket=2").at("ticket").at("stats").at("closed_at").as_string());
    account.control("POST", "/_sim/tickets/2/reopen");
    account.control("POST", "/_sim/tickets/2", R"({"status":5})");
    CHECK(account.state("ticket=2").at("ticket").at("stats").at("closed_at").as_string() ==
          old_closed);
    account.control("POST", "/_sim/tickets/2",
                    R"({"status":5,"stats":{"closed_at":")" + recent + "\"}}");
    REQUIRE(account.state("ticket=2").at("ticket").at("stats").at("closed_at").as_string() ==
            recent);
    account.control("POST", "/_sim/tickets/14/reopen");  // Bea's, open now
    const Id new_ticket =
        account
            .control(
                "POST", "/_sim/tickets",
                R"({"requester_id":43000000111,"group_id":43000000011,"type":"Question",)"
                R"("status":5,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"})")
            .at("id")
            .as_int64();  // Nora's: old and closed, the rule would take it too
    account.control("POST", "/_sim/contacts/43000000114/tags", R"({"add":["vip"]})");  // Tom

    const auto writes_seen = log_writes(account);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");
    const ApplyRun run = run_apply(account, plan, journal);
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(writes(run.requests) == 0);
    CHECK(writes_seen->get().empty());
    CHECK(run.totals.entries_skipped == 4);
    CHECK(run.totals.entries_done == 0);
    CHECK(run.records.size() == 4);
    check_skipped(run.records, alice, "no longer qualifies");
    check_skipped(run.records, bea, "ticket 14 was reopened");
    check_skipped(run.records, nora,
                  "new ticket " + std::to_string(new_ticket) + " since the plan");
    check_skipped(run.records, tom, "protected now: exception_tag");
    for (Id id : {alice, bea, nora, tom}) {
        CHECK(account.contact_state(id) == "active");
    }
    for (Id t : {1, 2, 14, 17, 21}) {
        CHECK(account.seen(t) == "live");
    }

    // A skip is final: even with the facts back as planned, the next run sends nothing.
    account.control("POST", "/_sim/contacts/43000000114/tags", R"({"remove":["vip"]})");
    const ApplyRun again = run_apply(account, plan, journal);
    CHECK(again.requests.empty());
    CHECK(again.records.empty());
    CHECK(again.totals.entries_skipped == 4);
}

TEST_CASE("apply: a contact that became an agent is skipped", "[apply][changes]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    std::shared_ptr<WriteLog> writes_seen;
    std::string reason;
    SECTION("its id is an agent's now (the contact view answers 404)") {
        // The simulator keeps contact and agent ids apart: the conversion is played by the
        // answers, as Freshdesk gives them after it.
        account.set_tamper([](const gp::http::Request& request, gp::http::Response& response) {
            if (request.method == "GET" && request.target == "/api/v2/contacts/43000000108") {
                response.status = 404;
                response.body = " ";
            } else if (request.method == "GET" && request.target.rfind("/api/v2/agents", 0) == 0) {
                json::array agents = json::parse(response.body).as_array();
                agents.push_back(json::object{{"id", bea},
                                              {"occasional", false},
                                              {"contact", json::object{{"email", "bea@example.com"},
                                                                       {"name", "Bea Boundary"}}}});
                response.body = json::serialize(agents);
            }
        });
        reason = "is now an agent";
    }
    SECTION("an agent with its email") {
        account.control("POST", "/_sim/agents",
                        R"({"name":"Bea Agent","email":"bea@example.com"})");
        writes_seen = log_writes(account);
        reason = "protected now: agent";
    }
    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    check_skipped(run.records, bea, reason);
    CHECK(run.totals.entries_skipped == 1);
    CHECK(run.totals.entries_done == 3);
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 4);  // 1, 2, 17, 21
    CHECK(count(run.requests, "DELETE /contacts/{id}") == 3);
    CHECK(account.contact_state(bea) == "active");
    CHECK(account.seen(14) == "live");
    if (writes_seen) {
        check_untouched(writes_seen->get(), bea, {14});
    }
}

TEST_CASE("apply: a contact deleted for good by someone else", "[apply][changes]") {
    SECTION("its entry deletes it hard: done already, nothing sent") {
        Account account(account_options(usecase_account(1)));
        const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
        REQUIRE(plan.entries.size() == 4);
        REQUIRE(gp::freshdesk::soft_delete_contact(account.client, alice).ok());
        REQUIRE(gp::freshdesk::hard_delete_contact(account.client, alice).ok());
        // Its tickets stay visible for a moment after a hard deletion (the job); apply then
        // skips rather than guess (an agent now?). Once they are gone, it is done already.
        account.sim.clock().advance(60);
        const auto writes_seen = log_writes(account);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        INFO(show(run.records));
        check_untouched(writes_seen->get(), alice, {1, 2});
        const auto mine = records_of(run.records, alice);
        REQUIRE(mine.size() == 2);
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK(mine[k].outcome == ex::Outcome::done);
            CHECK(mine[k].step == static_cast<int>(k));
            CHECK(mine[k].reason.rfind("already so", 0) == 0);
        }
        CHECK(run.totals.entries_done == 4);
        CHECK(run.totals.contacts_deleted == 3);
        CHECK(count(run.requests, "DELETE /tickets/{id}") == 3);
        check_one_done_per_step(run.records, plan);
    }
    SECTION("its entry keeps the contact: skipped; other changes skip theirs") {
        Account account(account_options(usecase_account(3)));
        const gp::Plan plan = make_plan(account, load_rules(usecase_rules(3)), now_time());
        REQUIRE(plan.entries.size() == 4);
        constexpr Id ivan = 43000000301;  // tickets 1, 2
        constexpr Id sara = 43000000302;  // ticket 3 deleted, 4 and 5 kept: the contact stays
        constexpr Id cleo = 43000000307;  // ticket 13
        constexpr Id pete = 43000000308;  // ticket 15
        REQUIRE(entry_of(plan, sara).steps.size() == 1);
        REQUIRE(gp::freshdesk::soft_delete_contact(account.client, sara).ok());
        REQUIRE(gp::freshdesk::hard_delete_contact(account.client, sara).ok());
        account.sim.clock().advance(60);  // the hard deletion's job takes her tickets
        account.control("POST", "/_sim/contacts/43000000307", R"({"state":"blocked"})");
        account.control("POST", "/_sim/tickets/2", R"({"type":"Question"})");  // out of the rule
        const auto writes_seen = log_writes(account);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.requests));
        INFO(show(run.records));
        check_skipped(run.records, sara, "no longer exists");
        check_skipped(run.records, cleo, "blocked");
        check_skipped(run.records, ivan, "ticket 2 no longer qualifies");
        check_untouched(writes_seen->get(), sara, {3, 4, 5});
        check_untouched(writes_seen->get(), cleo, {13});
        check_untouched(writes_seen->get(), ivan, {1, 2});
        CHECK(run.totals.entries_skipped == 3);
        CHECK(run.totals.entries_done == 1);
        CHECK(account.contact_state(pete) == "hard_deleted");
        CHECK(writes(run.requests) == 3);  // Pete: his ticket, soft and hard deletion
        CHECK(account.seen(1) == "live");
        CHECK(account.contact_state(cleo) == "blocked");
    }
}
