// apply_plan resuming: after a run whose journal lost its last records, on an account partly
// changed by hand as an interrupted run leaves it, after failed steps; and a refused key.
#include "freshdesk/write.hpp"
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace applytest;
namespace ex = gp::executor;

namespace {

constexpr Id alice = 43000000101;  // use case 1: tickets 1, 2; hard
constexpr Id bea = 43000000108;    // ticket 14

// Keeps the first `lines` lines of the journal: the run was killed after writing them.
void truncate_journal(const std::string& path, std::size_t lines) {
    std::ifstream in(path);
    std::string kept;
    std::string line;
    for (std::size_t i = 0; i < lines && std::getline(in, line); ++i) {
        kept += line + "\n";
    }
    in.close();
    std::ofstream(path, std::ios::trunc) << kept;
}

ex::ApplyOptions one_at_a_time() {
    ex::ApplyOptions options = fast_options();
    options.concurrency = 1;
    return options;
}

TamperFn answer_500_to(const std::string& method, const std::string& target) {
    return [=](const gp::http::Request& request, gp::http::Response& response) {
        if (request.method == method && request.target == target) {
            response.status = 500;
            response.body = R"({"code":"internal_error","message":"boom"})";
        }
    };
}

}  // namespace

TEST_CASE("apply: a run whose last records were lost resumes without a write", "[apply][resume]") {
    const int n = GENERATE(1, 2);
    INFO("use case " << n);
    Account account(account_options(usecase_account(n)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(n));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(n)), now_time());
    REQUIRE(plan.entries.size() == 4);
    const World before = world(account, ids);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");
    const ApplyRun first = run_apply(account, plan, journal, one_at_a_time());
    REQUIRE(first.totals.entries_done == 4);
    const std::size_t kept =
        n == 1 ? 3 : 1;  // uc1: Alice's two steps, Bea's first; uc2: Carl's first
    truncate_journal(journal, kept);
    const std::vector<ex::JournalRecord> survived = ex::read_journal(journal);
    REQUIRE(survived.size() == kept);

    // Everything is done already: the re-reads show it (404, trashed, soft-deleted, tags so).
    const ApplyRun second = run_apply(account, plan, journal);
    INFO(show(second.requests));
    INFO(show(second.records));
    CHECK(writes(second.requests) == 0);
    CHECK(count(second.requests, "GET /contacts/{id}") == (n == 1 ? 3 : 4));
    CHECK(second.totals.entries_done == 4);
    CHECK(second.totals.entries_done_before == (n == 1 ? 1 : 0));
    CHECK(second.totals.contacts_deleted == 0);
    CHECK(second.totals.tickets_deleted == 0);
    CHECK(second.totals.contacts_marked == 0);
    std::vector<ex::JournalRecord> all = survived;
    all.insert(all.end(), second.records.begin(), second.records.end());
    check_one_done_per_step(all, plan);
    check_applied(before, world(account, ids), plan);
}

TEST_CASE("apply: an account left half-done by hand is finished without repeating a deletion",
          "[apply][resume]") {
    Account account(account_options(usecase_account(1)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(1));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    const World before = world(account, ids);
    // As an interrupted run leaves it: Alice's tickets trashed and Alice soft-deleted (the hard
    // path's first call), her hard deletion not done; Bea's only ticket trashed.
    REQUIRE(gp::freshdesk::delete_ticket(account.client, 1).status ==
            gp::freshdesk::WriteStatus::done);
    REQUIRE(gp::freshdesk::delete_ticket(account.client, 2).status ==
            gp::freshdesk::WriteStatus::done);
    REQUIRE(gp::freshdesk::soft_delete_contact(account.client, alice).ok());
    REQUIRE(gp::freshdesk::delete_ticket(account.client, 14).ok());
    REQUIRE(account.contact_state(alice) == "soft_deleted");

    const TempDir dir;
    const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
    INFO(show(run.requests));
    INFO(show(run.records));
    CHECK(count(run.requests, "DELETE /tickets/{id}") == 2);   // 17, 21
    CHECK(count(run.requests, "DELETE /contacts/{id}") == 3);  // not Alice
    CHECK(count(run.requests, "DELETE /contacts/{id}/hard_delete") == 4);
    CHECK(writes(run.requests) == 9);
    CHECK(run.totals.entries_done == 4);
    CHECK(run.totals.tickets_deleted == 2);
    check_one_done_per_step(run.records, plan);
    check_applied(before, world(account, ids), plan);
    for (const auto& r : records_of(run.records, bea)) {
        if (r.step == 0) {
            CHECK(r.reason == "already so");
        }
    }
}

TEST_CASE("apply: a failed step is retried by the next run, nothing done twice",
          "[apply][failure]") {
    // The 500 comes before the account acts (the request never reaches it), or after (the
    // account did the deletion; only the answer was lost).
    const bool acted = GENERATE(false, true);
    const bool ticket = GENERATE(true, false);  // a ticket's DELETE, or the hard deletion
    const std::string target =
        ticket ? "/api/v2/tickets/2" : "/api/v2/contacts/43000000101/hard_delete";
    INFO("500 for DELETE " << target << (acted ? " after" : " before") << " the account acted");
    Account account(account_options(usecase_account(1)));
    const std::vector<Id> ids = contact_ids_of(usecase_account(1));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    const World before = world(account, ids);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");

    if (acted) {
        account.set_tamper(answer_500_to("DELETE", target));
    } else {
        account.set_block(
            [target](const gp::http::Request& r) -> std::optional<gp::http::Response> {
                if (r.method != "DELETE" || r.target != target) {
                    return std::nullopt;
                }
                gp::http::Response response;
                response.status = 500;
                response.body = R"({"code":"internal_error","message":"boom"})";
                return response;
            });
    }
    const ApplyRun first = run_apply(account, plan, journal);
    account.set_tamper({});
    account.set_block({});
    INFO(show(first.requests));
    INFO(show(first.records));
    CHECK(first.totals.entries_failed == 1);
    CHECK(first.totals.entries_done == 3);
    CHECK(first.totals.steps_failed == 1);
    CHECK_FALSE(first.totals.complete());
    const auto mine = records_of(first.records, alice);
    REQUIRE(mine.size() == (ticket ? 1u : 2u));
    CHECK(mine.back().outcome == ex::Outcome::failed);
    CHECK(mine.back().step == (ticket ? 0 : 1));
    CHECK(mine.back().status == 500);
    CHECK(account.seen(1) == "trash");
    if (ticket) {
        CHECK(account.seen(2) == (acted ? "trash" : "live"));
        CHECK(account.contact_state(alice) == "active");
        CHECK(count(first.requests, "DELETE /contacts/{id}") == 3);  // Alice's waits
    } else {
        CHECK(account.contact_state(alice) == (acted ? "hard_deleted" : "soft_deleted"));
    }

    const ApplyRun second = run_apply(account, plan, journal);
    INFO(show(second.requests));
    INFO(show(second.records));
    Counts expected;
    if (ticket && !acted) {
        expected = {{"DELETE /tickets/{id}", 1},
                    {"DELETE /contacts/{id}", 1},
                    {"DELETE /contacts/{id}/hard_delete", 1}};
    } else if (ticket) {  // ticket 2 is in the trash: only the contact is left to delete
        expected = {{"DELETE /contacts/{id}", 1}, {"DELETE /contacts/{id}/hard_delete", 1}};
    } else if (!acted) {  // soft-deleted already: only the hard deletion
        expected = {{"DELETE /contacts/{id}/hard_delete", 1}};
    }  // else hard-deleted already: nothing to send
    Counts sent_writes;
    for (const auto& [endpoint, n] : second.requests) {
        if (endpoint.rfind("GET ", 0) != 0) {
            sent_writes[endpoint] = n;
        }
    }
    CHECK(sent_writes == expected);
    CHECK(count(second.requests, "GET /contacts/{id}") == 1);
    CHECK(second.totals.entries_done == 4);
    CHECK(second.totals.entries_done_before == 3);
    CHECK(second.totals.entries_failed == 0);
    CHECK(second.totals.tickets_deleted == (ticket && !acted ? 1 : 0));

    const auto all = ex::read_journal(journal);
    std::vector<ex::JournalRecord> done;
    std::copy_if(all.begin(), all.end(), std::back_inserter(done),
                 [](const ex::JournalRecord& r) { return r.outcome == ex::Outcome::done; });
    check_one_done_per_step(done, plan);
    check_applied(before, world(account, ids), plan);
    const ApplyRun third = run_apply(account, plan, journal);
    CHECK(third.requests.empty());
}

TEST_CASE("apply: a refused key stops the run with ApiError", "[apply][auth]") {
    Account account(account_options(usecase_account(1)));
    gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(plan.entries.size() == 4);
    const TempDir dir;
    const std::string journal = dir.file("j.jsonl");
    const Counts before = account.requests();

    SECTION("a wrong key: nothing is sent but the first refused read") {
        gp::freshdesk::Client wrong(account.sim, gp::freshdesk::ApiKey("not-the-key"), {},
                                    account.clock);
        ex::Journal j(journal);
        try {
            ex::apply_plan(wrong, plan, kPlanSha, j, fast_options());
            FAIL("apply_plan returned");
        } catch (const gp::freshdesk::ApiError& e) {
            CHECK(e.status() == 401);
            CHECK(e.authentication());
        }
    }
    SECTION("the key revoked during the run") {
        // executor.hpp: apply_plan throws ApiError for 401/403, also when a step's write meets
        // it (a one-entry plan must not end as a mere step failure).
        plan.entries.resize(1);  // Alice only
        std::atomic<bool> revoked{false};
        account.set_tamper([&](const gp::http::Request& request, gp::http::Response& response) {
            if (request.method != "GET") {
                revoked = true;
            }
            if (revoked) {
                response.status = 401;
                response.body =
                    R"({"code":"invalid_credentials","message":"You have to be logged in."})";
            }
        });
        ex::Journal j(journal);
        CHECK_THROWS_AS(ex::apply_plan(account.client, plan, kPlanSha, j, one_at_a_time()),
                        gp::freshdesk::ApiError);
        account.set_tamper({});
    }
    const Counts sent = diff(before, account.requests());
    INFO(show(sent));
    CHECK(writes(sent) <= 1);
    CHECK(account.contact_state(alice) == "active");
    CHECK(account.seen(2) == "live");
}
