// The pacer under 429s that other integrations cause (Retry-After is the server's word, a 429's
// Remaining is not the window's state), the credits of others that a later answer shows freed,
// the list sub-limits of Freshdesk's table and the pace when no X-RateLimit-Total can be read
// (docs/decisions.md, "Freshdesk client").
#include "client_fakes.hpp"
#include "freshdesk/pacer.hpp"
#include "pacer_answers.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace gp::freshdesk;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using clientfakes::FakeClock;

Pacer::Answer ok(std::optional<int> total, std::optional<int> remaining, int used = 1) {
    return pacertest::answer(used, total, remaining);
}

// A 429 as a storm of other integrations gives it: nothing charged, nothing left.
Pacer::Answer storm_429(milliseconds retry_after = 1s, int total = 700) {
    Pacer::Answer a = ok(total, 0, 0);
    a.rate_limited = true;
    a.retry_after = retry_after;
    return a;
}

milliseconds since(FakeClock& clock, std::chrono::steady_clock::time_point from) {
    return std::chrono::duration_cast<milliseconds>(clock.now() - from);
}

}  // namespace

TEST_CASE("pacer: after a 429 with Remaining 0 and Retry-After 1 the retry waits 1 s, not 60") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 699));
    const auto start = clock.now();
    pacer.complete(pacer.acquire(Budget::account, 1), storm_429());
    // Another caller is not held by one 429: the budget is not known to be spent.
    const Pacer::Ticket other = pacer.acquire(Budget::account, 1);
    CHECK(other.waited == 0ms);
    pacer.complete(other, ok(700, 690));
    clock.sleep_for(1s);  // the 429'd call waits its Retry-After (the client does)
    const Pacer::Ticket retry = pacer.acquire(Budget::account, 1);
    CHECK(retry.waited <= 100ms);
    pacer.complete(retry, ok(700, 689));
    for (int i = 0; i < 20; ++i) {
        pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 680));
    }
    // 23 calls at 665 a minute: within the 2 s burst and 2 s of even pace.
    CHECK(since(clock, start) <= 4s);
}

TEST_CASE("pacer: a later answer with more Remaining frees the credits noted as others'") {
    // Total 100, margin 5%: 95 a minute. Others hold 59 at first, then almost nothing.
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    const Pacer::Ticket probe = pacer.acquire(Budget::account, 1);
    pacer.complete(probe, ok(100, 40));
    pacer.complete(pacer.acquire(Budget::account, 1), ok(100, 97));
    int calls = 2;
    for (int i = 0; i < 300; ++i) {
        const Pacer::Ticket ticket = pacer.acquire(Budget::account, 1);
        calls += ticket.sent_at < probe.sent_at + 60s ? 1 : 0;
        pacer.complete(ticket, ok(100, std::nullopt));
    }
    CHECK(calls >= 90);  // not 95 - 60 = 35
}

TEST_CASE("pacer: 429s in a row with no success between hold every caller, then one probes") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 699));
    for (int i = 0; i < 3; ++i) {
        const Pacer::Ticket t = pacer.acquire(Budget::account, 1);
        CHECK(t.waited == 0ms);
        CHECK_FALSE(t.probe);
        pacer.complete(t, storm_429(2s));
    }
    pacer.complete(pacer.acquire(Budget::account, 1), storm_429(2s));  // the 4th in a row
    const auto held_from = clock.now();
    const Pacer::Ticket probe = pacer.acquire(Budget::account, 1);
    CHECK(since(clock, held_from) >= 2s);
    CHECK(probe.probe);
    std::atomic<bool> other_went{false};
    std::thread other([&] {
        pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 600));
        other_went = true;
    });
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(other_went);  // waits for the probe's answer
    pacer.complete(probe, ok(700, 650));
    other.join();
    CHECK(other_went);
    // A success ended the run of 429s: a single 429 holds nobody again.
    pacer.complete(pacer.acquire(Budget::account, 1), storm_429(5s));
    CHECK(pacer.acquire(Budget::account, 1).waited == 0ms);
}

TEST_CASE("pacer: a storm 429 on a list (Remaining 0) is the account's - no list cut") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 699));
    for (int i = 0; i < 10; ++i) {
        pacer.complete(pacer.acquire(Budget::tickets_list, 3), storm_429());
        // Nor is anybody held.
        CHECK(pacer.acquire(Budget::account, 1).waited == 0ms);
        clock.sleep_for(61s);  // past the list's cut interval
        pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 690));
    }
    CHECK(pacer.list_limit(Budget::tickets_list) == 190);
}

TEST_CASE("pacer: list sub-limits follow Freshdesk's table, the lower between its points") {
    // docs/freshdesk-api.md: totals 200 / 400 / 700 / 1000 / 2000 -> lists 20 / 100 / 200 / 300 /
    // 400.
    CHECK(Pacer::derived_list_limit(200, 0.0) == 20);
    CHECK(Pacer::derived_list_limit(400, 0.0) == 100);
    CHECK(Pacer::derived_list_limit(700, 0.0) == 200);
    CHECK(Pacer::derived_list_limit(1000, 0.0) == 300);
    CHECK(Pacer::derived_list_limit(2000, 0.0) == 400);
    CHECK(Pacer::derived_list_limit(1000, 0.05) == 285);
    CHECK(Pacer::derived_list_limit(2000, 0.05) == 380);
    CHECK(Pacer::derived_list_limit(50, 0.0) == 20);   // below the table: its lowest
    CHECK(Pacer::derived_list_limit(300, 0.0) == 20);  // between two points: the lower
    CHECK(Pacer::derived_list_limit(999, 0.0) == 200);
    CHECK(Pacer::derived_list_limit(1999, 0.0) == 300);
    CHECK(Pacer::derived_list_limit(7000, 0.0) == 400);  // above: its highest
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), ok(1000, 999));
    CHECK(pacer.list_limit(Budget::tickets_list) == 285);
    CHECK(pacer.list_limit(Budget::contacts_list) == 285);
}

TEST_CASE("pacer: no readable X-RateLimit-Total - the smallest plan's 50 a minute, minus 5%") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), ok(std::nullopt, std::nullopt));
    CHECK(pacer.rate_limit_total() == 0);  // never seen
    CHECK(pacer.account_limit() == 47);
    CHECK(pacer.list_limit(Budget::tickets_list) == 19);
    const auto start = clock.now();
    for (int i = 0; i < 94; ++i) {
        pacer.complete(pacer.acquire(Budget::account, 1), ok(std::nullopt, std::nullopt));
    }
    CHECK(since(clock, start) >= 115s);  // 94 credits at 47 a minute: about two minutes
    // A readable total later replaces the assumption.
    pacer.complete(pacer.acquire(Budget::account, 1), ok(700, 690));
    CHECK(pacer.account_limit() == 665);

    Pacer given(clock, 120, 0.05);  // --rate-limit stays the user's word
    given.complete(given.acquire(Budget::account, 1), ok(std::nullopt, std::nullopt));
    CHECK(given.account_limit() == 120);
}
