#include "freshdesk/pacer.hpp"
#include "pacer_answers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace gp::freshdesk;
using namespace std::chrono_literals;
using pacertest::answer;
using std::chrono::milliseconds;

namespace {

using time_point = std::chrono::steady_clock::time_point;

// Virtual time, safe for several threads. sleep_for(d) wakes the caller at (its last now()) + d:
// threads that computed their waits at the same instant wake together instead of one after the
// other, as they would in real time.
class FakeClock final : public Clock {
  public:
    time_point now() override {
        std::lock_guard lock(mutex_);
        last_ = Last{this, now_};
        return now_;
    }
    void sleep_for(milliseconds duration) override {
        std::lock_guard lock(mutex_);
        sleeps_.push_back(duration);
        const time_point from = last_.clock == this ? last_.at : now_;
        now_ = std::max(now_, from + duration);
        last_ = Last{this, from + duration};
    }
    milliseconds elapsed() const {
        std::lock_guard lock(mutex_);
        return std::chrono::duration_cast<milliseconds>(now_ - start);
    }
    std::size_t sleep_count() const {
        std::lock_guard lock(mutex_);
        return sleeps_.size();
    }
    static constexpr time_point start{std::chrono::hours{1000}};

  private:
    struct Last {
        const FakeClock* clock = nullptr;
        time_point at{};
    };
    mutable std::mutex mutex_;
    time_point now_ = start;
    std::vector<milliseconds> sleeps_;
    static thread_local Last last_;
};
thread_local FakeClock::Last FakeClock::last_{};

struct Sent {
    time_point at;
    int credits;
};

// The most credits sent in any span [t, t + span).
int max_per_span(std::vector<Sent> sent, milliseconds span) {
    std::sort(sent.begin(), sent.end(), [](const Sent& a, const Sent& b) { return a.at < b.at; });
    int best = 0;
    int sum = 0;
    std::size_t first = 0;
    for (const Sent& s : sent) {
        sum += s.credits;
        while (sent[first].at + span <= s.at) {
            sum -= sent[first++].credits;
        }
        best = std::max(best, sum);
    }
    return best;
}

int max_per_minute(std::vector<Sent> sent) {
    return max_per_span(std::move(sent), 60s);
}

Pacer::Answer too_many(std::optional<int> remaining, milliseconds retry_after) {
    Pacer::Answer a = answer(0, 700, remaining);
    a.rate_limited = true;
    a.retry_after = retry_after;
    return a;
}

// Sends `calls` calls one after the other, each answered at once.
std::vector<Sent> run(Pacer& pacer, int calls, Budget budget, int credits,
                      std::optional<int> total = std::nullopt) {
    std::vector<Sent> sent;
    for (int i = 0; i < calls; ++i) {
        const Pacer::Ticket ticket = pacer.acquire(budget, credits);
        sent.push_back(Sent{ticket.sent_at, credits});
        pacer.complete(ticket, answer(credits, total));
    }
    return sent;
}

}  // namespace

TEST_CASE("pacer: 200 calls at 60/min go evenly, never more than 60 in a minute") {
    FakeClock clock;
    Pacer pacer(clock, 60, 0.05);
    const std::vector<Sent> sent = run(pacer, 200, Budget::account, 1);
    CHECK(max_per_minute(sent) <= 60);
    // One a second after a burst of 2 s: not a minute's budget at once, then a minute's wait.
    CHECK(max_per_span(sent, 10s) <= 13);
    CHECK(clock.elapsed() >= 190s);
    CHECK(clock.elapsed() <= 205s);  // >= 90% of the allowed rate
    CHECK(pacer.account_limit() == 60);
}

TEST_CASE("pacer: a steady run uses at least 90% of the account's header budget") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    const std::vector<Sent> sent = run(pacer, 3000, Budget::account, 1, 700);
    CHECK(max_per_minute(sent) <= 665);
    // The rate over [first send, last send): the calls sent before the last instant.
    const time_point last = sent.back().at;
    const auto before_last =
        std::count_if(sent.begin(), sent.end(), [&](const Sent& s) { return s.at < last; });
    const double minutes = std::chrono::duration<double>(last - sent.front().at).count() / 60.0;
    CHECK(static_cast<double>(before_last) / minutes >= 0.9 * 700);
}

TEST_CASE("pacer: list sub-limits are derived from X-RateLimit-Total") {
    CHECK(Pacer::derived_list_limit(700, 0.05) == 190);
    CHECK(Pacer::derived_list_limit(400, 0.05) == 95);
    CHECK(Pacer::derived_list_limit(200, 0.05) == 19);
    CHECK(Pacer::derived_list_limit(50, 0.0) == 20);
    CHECK(Pacer::derived_list_limit(2000, 0.0) == 400);  // Freshdesk's table (test_pacer_storm.cpp)
    CHECK(Pacer::derived_list_limit(7000, 0.05) == 380);
    CHECK(Pacer::derived_list_limit(0, 0.05) == 0);

    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    CHECK(pacer.list_limit(Budget::tickets_list) == 0);  // unknown before the first answer
    const std::vector<Sent> sent = run(pacer, 400, Budget::tickets_list, 3, 700);
    CHECK(pacer.rate_limit_total() == 700);
    CHECK(pacer.account_limit() == 665);
    CHECK(pacer.list_limit(Budget::tickets_list) == 190);
    CHECK(pacer.list_limit(Budget::contacts_list) == 190);
    CHECK(max_per_minute(sent) <= 190);
    CHECK(max_per_minute(sent) >= 185);  // 63 calls of 3 fit, the 64th waits
}

TEST_CASE("pacer: list calls also draw from the account budget") {
    FakeClock clock;
    Pacer pacer(clock, 100, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1, 700));
    CHECK(pacer.list_limit(Budget::contacts_list) == 100);  // never above the account pace
    std::vector<Sent> all;
    for (int i = 0; i < 300; ++i) {
        const Budget budget = i % 2 == 0 ? Budget::account : Budget::contacts_list;
        const Pacer::Ticket ticket = pacer.acquire(budget, 1);
        all.push_back(Sent{ticket.sent_at, 1});
        pacer.complete(ticket, answer(1, 700));
    }
    CHECK(max_per_minute(all) <= 100);
}

TEST_CASE("pacer: --rate-limit is capped by X-RateLimit-Total") {
    FakeClock clock;
    Pacer below(clock, 300, 0.05);
    CHECK(below.account_limit() == 300);  // known before any answer: no probe
    CHECK_FALSE(below.acquire(Budget::account, 1).probe);
    below.complete(below.acquire(Budget::account, 1), answer(1, 700));
    CHECK(below.account_limit() == 300);
    CHECK(below.list_limit(Budget::tickets_list) == 190);

    Pacer above(clock, 1000, 0.05);
    CHECK(above.account_limit() == 1000);
    above.complete(above.acquire(Budget::account, 1), answer(1, 700));
    CHECK(above.account_limit() == 700);

    Pacer small(clock, 50, 0.05);
    small.complete(small.acquire(Budget::account, 1), answer(1, 700));
    CHECK(small.list_limit(Budget::tickets_list) == 50);
}

TEST_CASE("pacer: the first call goes alone until the limit is known") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    const Pacer::Ticket first = pacer.acquire(Budget::account, 1);
    CHECK(first.probe);
    std::atomic<bool> second_went{false};
    Pacer::Ticket second;
    std::thread other([&] {
        second = pacer.acquire(Budget::account, 1);
        second_went = true;
    });
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(second_went);  // waits for the first answer
    pacer.complete(first, answer(1, 700, 699));
    other.join();
    CHECK(second_went);
    CHECK_FALSE(second.probe);
    pacer.complete(second, answer(1, 700, 698));
    CHECK(pacer.account_limit() == 665);
}

TEST_CASE("pacer: a probe without an answer lets the next call probe") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    const Pacer::Ticket first = pacer.acquire(Budget::account, 1);
    pacer.complete(first, Pacer::Answer{});  // transport failure
    const Pacer::Ticket second = pacer.acquire(Budget::account, 1);
    CHECK(second.probe);
    pacer.complete(second, answer(1, 50, 49));
    CHECK(pacer.account_limit() == 47);
}

TEST_CASE("pacer: answers without rate-limit headers pace the run as the smallest plan") {
    // Never unpaced (docs/freshdesk-api.md: a client that fails to read them must not conclude that
    // the account is unlimited): 50 a minute minus 5%, lists 20 minus 5%.
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    const std::vector<Sent> sent = run(pacer, 100, Budget::tickets_list, 3);
    CHECK(clock.sleep_count() > 0);
    CHECK(pacer.account_limit() == 47);
    CHECK(pacer.list_limit(Budget::tickets_list) == 19);
    CHECK(pacer.rate_limit_total() == 0);
    CHECK(max_per_minute(sent) <= 19);
    // No call goes alone any more: a second one goes while the first is in flight.
    const Pacer::Ticket first = pacer.acquire(Budget::account, 1);
    CHECK_FALSE(first.probe);
    std::atomic<bool> second_went{false};
    std::thread other([&] {
        pacer.complete(pacer.acquire(Budget::account, 1), answer(1));
        second_went = true;
    });
    // Up to 10 s for the new thread to be scheduled on a busy sanitized CI machine; the loop ends
    // as soon as it went. A pacer that held the second call back until the first completes would
    // never set the flag before then, so the check still fails when the behaviour is broken.
    for (int i = 0; i < 1000 && !second_went; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK(second_went);
    pacer.complete(first, answer(1));
    other.join();
}

TEST_CASE("pacer: a call dearer than the whole limit goes alone in its window") {
    FakeClock clock;
    Pacer pacer(clock, 2, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1));
    pacer.complete(pacer.acquire(Budget::account, 3), answer(3));
    CHECK(clock.elapsed() == 61s);
    pacer.complete(pacer.acquire(Budget::account, 3), answer(3));
    // The window has room at 122 s, but 3 credits at 2 a minute are spaced 90 s: 61 + 90 - 2.
    CHECK(clock.elapsed() == 149s);
}

TEST_CASE("pacer: credits that others spent (Remaining lower than expected) slow the run down") {
    // Total 100, margin 5%: 95 per minute. Counts the calls that go in the first minute.
    auto calls_in_first_minute = [](int first_remaining) {
        FakeClock clock;
        Pacer pacer(clock, std::nullopt, 0.05);
        const Pacer::Ticket probe = pacer.acquire(Budget::account, 1);
        pacer.complete(probe, answer(1, 100, first_remaining));
        int calls = 0;
        for (int i = 0; i < 300; ++i) {
            const Pacer::Ticket ticket = pacer.acquire(Budget::account, 1);
            calls += ticket.sent_at < probe.sent_at + 60s ? 1 : 0;
            pacer.complete(ticket, answer(1, 100));
        }
        return calls;
    };
    CHECK(calls_in_first_minute(99) == 94);  // alone: the whole budget
    CHECK(calls_in_first_minute(40) == 35);  // others hold 59 of the window: 95 - 60
}

TEST_CASE("pacer: the actual charge replaces the estimate") {
    FakeClock clock;
    Pacer pacer(clock, 10, 0.0);
    std::vector<Pacer::Ticket> sent;
    for (int i = 0; i < 6; ++i) {
        sent.push_back(pacer.acquire(Budget::account, 1));
        pacer.complete(sent.back(), answer(2));  // 2 charged, 1 expected
    }
    // 10 charged by the first five: the 6th waits for the first to leave the window, later than
    // the even spacing of the estimates (6 s a credit) would make it wait.
    CHECK(sent[5].sent_at - sent[0].sent_at == 61s);
}

TEST_CASE("pacer: one 429 holds nobody, the 4th in a row holds the account for Retry-After") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1, 700, 699));
    // Remaining still high (another process's burst, say): Retry-After is the caller's wait.
    pacer.complete(pacer.acquire(Budget::account, 1), too_many(690, 5s));
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1, 700, 690));
    CHECK(clock.elapsed() == 0s);
    for (int i = 0; i < 4; ++i) {
        pacer.complete(pacer.acquire(Budget::account, 1), too_many(690, 5s));
    }
    pacer.acquire(Budget::account, 1);
    CHECK(clock.elapsed() == 5s);
}

TEST_CASE("pacer: a list 429 with plenty left cuts the list budget by 20%, once a minute") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1, 700, 699));
    CHECK(pacer.list_limit(Budget::tickets_list) == 190);
    pacer.complete(pacer.acquire(Budget::tickets_list, 3), too_many(600, 2s));
    CHECK(pacer.list_limit(Budget::tickets_list) == 152);
    CHECK(pacer.list_limit(Budget::contacts_list) == 190);
    pacer.acquire(Budget::account, 1);  // the account is not held
    CHECK(clock.elapsed() == 0s);
    const Pacer::Ticket list = pacer.acquire(Budget::tickets_list, 3);  // the list is
    CHECK(clock.elapsed() >= 2s);
    pacer.complete(list, too_many(600, 1s));
    CHECK(pacer.list_limit(Budget::tickets_list) == 152);  // within the minute: no second cut
    clock.sleep_for(60s);
    pacer.complete(pacer.acquire(Budget::tickets_list, 3), too_many(600, 1s));
    CHECK(pacer.list_limit(Budget::tickets_list) == 121);
}

TEST_CASE("pacer: a list 429 with the account nearly spent is the account's") {
    FakeClock clock;
    Pacer pacer(clock, std::nullopt, 0.05);
    pacer.complete(pacer.acquire(Budget::account, 1), answer(1, 700, 699));
    for (int i = 0; i < 4; ++i) {
        pacer.complete(pacer.acquire(Budget::contacts_list, 1), too_many(0, 3s));
    }
    CHECK(pacer.list_limit(Budget::contacts_list) == 190);  // no list cut
    // Four in a row: the account is held.
    pacer.acquire(Budget::account, 1);
    CHECK(clock.elapsed() >= 3s);
}

TEST_CASE("pacer: four threads sharing it keep every minute under the limit") {
    FakeClock clock;
    Pacer pacer(clock, 60, 0.05);
    std::mutex mutex;
    std::vector<Sent> sent;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                const int credits = 1 + (i + t) % 3;
                const Pacer::Ticket ticket = pacer.acquire(Budget::account, credits);
                {
                    std::lock_guard lock(mutex);
                    sent.push_back(Sent{ticket.sent_at, credits});
                }
                pacer.complete(ticket, answer(credits));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    REQUIRE(sent.size() == 200);
    CHECK(max_per_minute(sent) <= 60);
    // 400 credits at 60 per 61 s: at least 6 full windows, not much more.
    CHECK(clock.elapsed() >= 6 * 61s);
    CHECK(clock.elapsed() < 8 * 61s);
}
