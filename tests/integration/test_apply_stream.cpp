// apply_plan reads its plan as a stream (docs/apply.md, "Memory"): a first reading for where each
// entry stands, a second that hands the unfinished entries to the threads through a small queue.
// These tests count what the stream handed over against what the run finished.
#include "test_apply_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>

using namespace applytest;
namespace ex = gp::executor;

namespace {

// Use case 1's plan with `extra` entries of contacts the account does not have, before its own
// (ids from 1: the plan is sorted by contact id). Each extra one deletes its contact.
gp::Plan padded_plan(Account& account, int extra) {
    gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    std::vector<gp::Entry> entries;
    for (int i = 1; i <= extra; ++i) {
        gp::Entry entry;
        entry.contact_id = i;
        entry.email_masked = "x***@example.com";
        entry.rules = {plan.entries.front().rules.front()};
        entry.reason = "padding";
        entry.expect = {.ticket_ids = {}, .contact_updated_at = "2025-01-01T00:00:00Z"};
        entry.steps = {{.action = gp::StepAction::delete_contact,
                        .ticket_ids = {},
                        .mode = gp::DeleteMode::hard,
                        .since = {}}};
        entries.push_back(std::move(entry));
    }
    std::move(plan.entries.begin(), plan.entries.end(), std::back_inserter(entries));
    plan.entries = std::move(entries);
    return plan;
}

// The plan's entries as a stream that counts its readings and, in each, the entries handed over.
struct CountingStream {
    const gp::Plan& plan;
    std::atomic<int> readings{0};
    std::atomic<std::int64_t> handed{0};  // in the latest reading
    std::function<void()> on_hand;        // after each entry is counted, before it is handed over

    ex::EntryStream stream() {
        return [this](const std::function<void(gp::Entry &&)>& each) {
            ++readings;
            handed = 0;
            for (const gp::Entry& entry : plan.entries) {
                ++handed;
                if (on_hand) {
                    on_hand();
                }
                each(gp::Entry(entry));
            }
        };
    }
};

}  // namespace

TEST_CASE("apply streams its plan - a few entries held at once, whatever the plan's size",
          "[apply][stream]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = padded_plan(account, 40);
    REQUIRE(plan.entries.size() == 44);
    const TempDir dir;
    ex::Journal journal(dir.file("plan.json.journal.jsonl"));

    CountingStream counting{plan, {}, {}, {}};
    std::atomic<std::int64_t> finished{0};
    std::atomic<std::int64_t> most_held{0};
    counting.on_hand = [&] {
        if (counting.readings == 2) {  // the reading that hands entries to the threads
            const std::int64_t held = counting.handed - finished;
            std::int64_t seen = most_held;
            while (held > seen && !most_held.compare_exchange_weak(seen, held)) {
            }
        }
    };
    ex::ApplyOptions options = fast_options();
    options.concurrency = 2;
    options.look_for_changes = false;
    options.on_progress = [&](const ex::ApplyProgress& p) { finished = p.entries_finished; };

    const ex::ApplyTotals totals =
        ex::apply_plan(account.client, plan.header, counting.stream(), kPlanSha, journal, options);
    CHECK(counting.readings == 2);
    CHECK(totals.entries == 44);
    CHECK(totals.entries_done + totals.entries_skipped + totals.entries_failed == 44);
    // Held: the queue (concurrency), one per thread, and the one being handed over.
    INFO("most entries handed over and not finished: " << most_held.load());
    CHECK(most_held <= 2 * options.concurrency + 1);
    CHECK(most_held >= 1);
    // The plan's own entries were carried out as the in-memory run carries them out.
    using namespace usecase1;
    for (const Id id : {alice, bea, nora, tom}) {
        CHECK(account.contact_state(id) == "hard_deleted");
    }
}

TEST_CASE("apply of a plan its journal shows finished reads the plan once and sends nothing",
          "[apply][stream]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = make_plan(account, load_rules(usecase_rules(1)), now_time());
    const TempDir dir;
    const std::string path = dir.file("plan.json.journal.jsonl");
    const ApplyRun first = run_apply(account, plan, path);
    REQUIRE(first.totals.complete());

    CountingStream counting{plan, {}, {}, {}};
    const Counts before = account.requests();
    ex::Journal journal(path);
    const ex::ApplyTotals again = ex::apply_plan(account.client, plan.header, counting.stream(),
                                                 kPlanSha, journal, fast_options());
    CHECK(counting.readings == 1);
    CHECK(again.entries_done_before == static_cast<std::int64_t>(plan.entries.size()));
    CHECK(diff(before, account.requests()).empty());
}

TEST_CASE("apply stops handing out entries when a reading of the plan fails", "[apply][stream]") {
    Account account(account_options(usecase_account(1)));
    const gp::Plan plan = padded_plan(account, 10);
    const TempDir dir;
    ex::Journal journal(dir.file("plan.json.journal.jsonl"));
    CountingStream counting{plan, {}, {}, {}};
    counting.on_hand = [&] {
        if (counting.readings == 2 && counting.handed == 3) {
            throw gp::PlanFormatError("the plan file changed");
        }
    };
    ex::ApplyOptions options = fast_options();
    options.look_for_changes = false;
    CHECK_THROWS_WITH(
        ex::apply_plan(account.client, plan.header, counting.stream(), kPlanSha, journal, options),
        "the plan file changed");
    // What was handed over before the failure may have run; nothing after it did.
    using namespace usecase1;
    for (const Id id : {alice, bea, nora, tom}) {
        CHECK(account.contact_state(id) == "active");
    }
}
