// apply_plan re-reads what could have changed while it worked: a contact step that starts long
// after the entry's re-read is re-checked on a fresh read, and an orphan's re-check looks into
// the trash and spam too (rules-semantics.md, settled 8).
#include "freshdesk/write.hpp"
#include "test_apply_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>

using namespace applytest;
namespace ex = gp::executor;

namespace {

constexpr Id alice = 43000000101;   // use case 1: tickets 1, 2, then a hard deletion
constexpr Id orphan = 43000000112;  // use case 1: no ticket at all, updated in 2020

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string usecase1_with_orphans() {
    boost::json::object rules = boost::json::parse(read_text(usecase_rules(1))).as_object();
    rules["orphan_contacts"] = boost::json::object{{"older_than", "1y"}, {"since", "updated"}};
    return boost::json::serialize(rules);
}

}  // namespace

TEST_CASE("apply: a ticket that comes while a contact's tickets are deleted stops its deletion",
          "[apply][reread]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    REQUIRE(entry_of(plan, alice).steps.size() == 2);
    std::atomic<bool> added{false};
    account.set_block([&](const gp::http::Request& request) -> std::optional<gp::http::Response> {
        if (request.method == "DELETE" && request.target == "/api/v2/tickets/2" && !added) {
            added = true;  // a customer writes in while apply works on Alice
            account.sim.control("POST", "/_sim/tickets",
                                R"({"requester_id":43000000101,"status":2})");
        }
        return std::nullopt;
    });
    gp::executor::ApplyOptions options = fast_options();
    SECTION("re-read before the contact step: the new ticket is seen, the contact stays") {
        options.reread_after = std::chrono::seconds(0);
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"), options);
        INFO(show(run.records));
        REQUIRE(added);
        const auto mine = records_of(run.records, alice);
        REQUIRE(mine.size() == 2);
        CHECK(mine[0].outcome == ex::Outcome::done);
        CHECK(mine[0].step == 0);
        CHECK(mine[1].outcome == ex::Outcome::skipped);
        CHECK(mine[1].reason.find("new ticket") != std::string::npos);
        CHECK(account.contact_state(alice) == "active");
        CHECK(run.totals.entries_skipped == 1);
        CHECK(run.totals.entries_done == 3);
    }
    SECTION("a re-read within reread_after is trusted: the contact goes (the window it closes)") {
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"), options);
        REQUIRE(added);
        CHECK(account.contact_state(alice) == "hard_deleted");
    }
}

TEST_CASE("apply: an orphan whose new ticket went to the trash or spam is skipped",
          "[apply][reread]") {
    const std::string rules = usecase1_with_orphans();
    for (const bool spam : {false, true}) {
        INFO((spam ? "spam" : "trash"));
        Account account(account_options(usecase_account(1)));
        const gp::Plan plan = make_plan(account, rules_text(rules), now_time());
        const gp::Entry& entry = entry_of(plan, orphan);
        REQUIRE(entry.rules == std::vector<std::string>{"orphan_contacts"});
        const auto ticket =
            account.control("POST", "/_sim/tickets", R"({"requester_id":43000000112,"status":5})")
                .at("id")
                .to_number<Id>();
        if (spam) {
            account.control("POST", "/_sim/tickets/" + std::to_string(ticket), R"({"spam":true})");
        } else {
            REQUIRE(gp::freshdesk::delete_ticket(account.client, ticket).ok());
        }
        const TempDir dir;
        const ApplyRun run = run_apply(account, plan, dir.file("j.jsonl"));
        INFO(show(run.records));
        const auto mine = records_of(run.records, orphan);
        REQUIRE(mine.size() == 1);
        CHECK(mine[0].outcome == ex::Outcome::skipped);
        CHECK(account.contact_state(orphan) == "active");
        CHECK(count(run.requests, "GET /tickets") >= 3);  // live, trash and spam of the orphan
    }
}
