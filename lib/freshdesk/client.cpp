#include "freshdesk/client.hpp"

#include "freshdesk/pacer.hpp"
#include "freshdesk/rate_headers.hpp"
#include "freshdesk/reply_detail.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

namespace gp::freshdesk {

using detail::api_error_text;
using detail::error_code;
using detail::one_line;
using detail::reason_phrase;
using detail::reply_from;
using std::chrono::milliseconds;

// ---- time

namespace {

class SteadyClock final : public Clock {
  public:
    std::chrono::steady_clock::time_point now() override {
        return std::chrono::steady_clock::now();
    }
    void sleep_for(milliseconds duration) override {
        if (duration > milliseconds{0}) {
            std::this_thread::sleep_for(duration);
        }
    }
};

}  // namespace

Clock& system_clock() {
    static SteadyClock clock;
    return clock;
}

// ---- the client

namespace {

constexpr int connect_attempts = 3;  // a refused or unreachable server: tries at most
constexpr int rate_limit_jitter_ms = 250;
constexpr milliseconds long_wait{30000};  // pacer waits worth a log line

bool retryable_status(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

struct Client::State {
    http::HttpClient& http;
    ApiKey key;
    Policy policy;
    Clock& clock;
    Logger log;
    Logger notice;  // what every run must show
    Pacer pacer;
    std::string authorization;
    std::atomic<bool> told_unreadable{false};

    mutable std::mutex mutex;  // counters, rng and the account's clock
    Counters counters;
    std::mt19937_64 rng{std::random_device{}()};
    std::optional<UnixTime> date;  // the latest Date header read

    State(http::HttpClient& http_client, ApiKey api_key, Policy run_policy, Clock& run_clock,
          Logger logger, Logger notice_logger)
        : http(http_client),
          key(std::move(api_key)),
          policy(std::move(run_policy)),
          clock(run_clock),
          log(std::move(logger)),
          notice(notice_logger ? std::move(notice_logger) : log),
          pacer(run_clock, policy.rate_limit, policy.margin),
          authorization(key.authorization()) {}

    http::Request request_for(const Call& call) const;
    Reply attempt(const Call& call, const http::Request& request, int number,
                  milliseconds& rate_limit_wait);
    void tell_unreadable(const Pacer::Answer& answer);
    void count(const Reply& reply, int credits, milliseconds waited, int resends);
    std::int64_t random(std::int64_t low, std::int64_t high);
    milliseconds backoff(int retry);
    std::optional<milliseconds> retry_delay(const Call& call, const Reply& reply, int attempt,
                                            milliseconds rate_limit_wait);
    void retry(const Call& call, const Reply& reply, int attempt, int limit, milliseconds delay);
    void warn(const std::string& message) const;
    void note_date(const Reply& reply);
};

void Client::State::note_date(const Reply& reply) {
    const auto header = reply.header("Date");
    const std::optional<UnixTime> date_now = header ? parse_http_date(*header) : std::nullopt;
    if (date_now) {
        std::lock_guard lock(mutex);
        date = std::max(date.value_or(*date_now), *date_now);
    }
}

http::Request Client::State::request_for(const Call& call) const {
    http::Request request;
    request.method = call.method;
    request.target = call.target;
    request.headers = {{"Authorization", authorization}, {"Accept", "application/json"}};
    request.body = call.body;
    return request;
}

namespace {

// Completes a pacer ticket exactly once, also when sending throws: a probe that never completes
// would keep every other caller waiting.
class Reservation {
  public:
    Reservation(Pacer& pacer, Pacer::Ticket ticket) : pacer_(pacer), ticket_(ticket) {}
    ~Reservation() {
        if (!done_) {
            pacer_.complete(ticket_, Pacer::Answer{});
        }
    }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    const Pacer::Ticket& ticket() const { return ticket_; }
    void complete(const Pacer::Answer& answer) {
        done_ = true;
        pacer_.complete(ticket_, answer);
    }

  private:
    Pacer& pacer_;
    Pacer::Ticket ticket_;
    bool done_ = false;
};

}  // namespace

// Said once per client: an answer without a readable X-RateLimit-Total, none read before.
void Client::State::tell_unreadable(const Pacer::Answer& answer) {
    if (!answer.answered || answer.total || pacer.rate_limit_total() > 0 ||
        told_unreadable.exchange(true)) {
        return;
    }
    const std::string pace = std::to_string(pacer.account_limit()) + " credits/min";
    const std::string text =
        "the answers' X-RateLimit-Total cannot be read (absent or not a number): " +
        (policy.rate_limit ? "keeping to --rate-limit, " + pace + ", which it cannot cap"
                           : "pacing at " + pace + ", the smallest plan's " +
                                 std::to_string(Pacer::assumed_total) +
                                 " minus 5%, until an answer shows it (--rate-limit sets a pace)");
    if (notice) {
        notice(key.redact(text));
    }
}

// A resend by the HTTP layer (a reused connection closed without an answer) counts as a call
// that got no answer, was retried, and may have been charged.
void Client::State::count(const Reply& reply, int credits, milliseconds waited, int resends) {
    std::lock_guard lock(mutex);
    counters.calls += 1 + resends;
    counters.retries += resends;
    counters.credits += credits;
    counters.waited_ms += waited.count();
    counters.rate_limited += reply.status == 429 ? 1 : 0;
    counters.server_errors += reply.status >= 500 && reply.status < 600 ? 1 : 0;
    counters.transport_errors += (reply.status == 0 ? 1 : 0) + resends;
}

// One sending. For a 429, `rate_limit_wait` is set to the wait it asks for (Retry-After, else the
// backoff), which also holds the budget in the pacer for the other callers.
Reply Client::State::attempt(const Call& call, const http::Request& request, int number,
                             milliseconds& rate_limit_wait) {
    Reservation reservation(pacer, pacer.acquire(call.budget, call.credits));
    const milliseconds waited = reservation.ticket().waited;
    if (waited >= long_wait) {
        warn("waited " + std::to_string(waited.count() / 1000) + " s for the rate limit (" +
             std::to_string(pacer.account_limit()) + " credits/min)");
    }
    http::Result result = http.send(request);
    const int resends = std::visit([](const auto& outcome) { return outcome.resends; }, result);
    Reply reply = reply_from(std::move(result), key);
    Pacer::Answer answer = pacer_answer(reply);
    if (answer.rate_limited) {
        answer.retry_after = answer.retry_after ? *answer.retry_after : backoff(number);
        rate_limit_wait = *answer.retry_after;
    }
    reservation.complete(answer);
    tell_unreadable(answer);
    reply.credits_used = credits_charged(call, reply) + resends * std::max(0, call.credits);
    count(reply, reply.credits_used, waited, resends);
    return reply;
}

std::int64_t Client::State::random(std::int64_t low, std::int64_t high) {
    std::lock_guard lock(mutex);
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
}

// Exponential backoff with "equal jitter": retry n waits in [b/2, b) with b = first_backoff *
// 2^(n-1) up to max_backoff, so that delays grow and concurrent callers spread out.
milliseconds Client::State::backoff(int retry) {
    const std::int64_t cap = std::max<std::int64_t>(0, policy.max_backoff.count());
    std::int64_t base = std::clamp<std::int64_t>(policy.first_backoff.count(), 0, cap);
    for (int i = 1; i < retry && base < cap; ++i) {
        base = std::min(cap, base * 2);
    }
    const std::int64_t half = base / 2;
    return milliseconds{base - half > 0 ? random(half, base - 1) : half};
}

std::optional<milliseconds> Client::State::retry_delay(const Call& call, const Reply& reply,
                                                       int attempt, milliseconds rate_limit_wait) {
    if (reply.status == 429) {  // not handled by the server: always safe to send again
        return rate_limit_wait + milliseconds{random(0, rate_limit_jitter_ms)};
    }
    if (retryable_status(reply.status)) {
        if (!call.repeatable) {
            return std::nullopt;
        }
        return std::max(backoff(attempt),
                        retry_after_of(reply.header("Retry-After")).value_or(milliseconds{0}));
    }
    if (reply.status == 0) {
        // A certificate that fails verification fails again: no retry. A refused connection may
        // be a restart of the far end, worth a short second try, not the whole budget of attempts.
        if (reply.failure && reply.failure->kind == http::FailureKind::tls) {
            return std::nullopt;
        }
        if (reply.failure && reply.failure->kind == http::FailureKind::connect &&
            attempt >= connect_attempts) {
            return std::nullopt;
        }
        const bool maybe_handled = !reply.failure || reply.failure->request_sent;
        if (maybe_handled && !call.repeatable) {
            return std::nullopt;
        }
        return backoff(attempt);
    }
    return std::nullopt;
}

void Client::State::warn(const std::string& message) const {
    if (log) {
        log(key.redact(message));
    }
}

void Client::State::retry(const Call& call, const Reply& reply, int attempt, int limit,
                          milliseconds delay) {
    const std::string outcome =
        reply.status == 0 ? (reply.failure ? reply.failure->message : "no answer")
                          : std::to_string(reply.status) + " " + reason_phrase(reply.status);
    warn(describe_call(call) + ": " + one_line(outcome) + "; retry " + std::to_string(attempt) +
         " of " + std::to_string(limit - 1) + " in " + std::to_string(delay.count()) + " ms");
    {
        std::lock_guard lock(mutex);
        counters.retries += 1;
        counters.waited_ms += delay.count();
    }
    clock.sleep_for(delay);
}

Client::Client(http::HttpClient& http, ApiKey key, Policy policy, Clock& clock, Logger log,
               Logger notice)
    : state_(std::make_unique<State>(http, std::move(key), std::move(policy), clock, std::move(log),
                                     std::move(notice))) {}

Client::~Client() = default;

Reply Client::send(const Call& call) {
    State& state = *state_;
    const http::Request request = state.request_for(call);
    // 429s have their own bound: they were not handled, so sending again is safe, and a storm of
    // other integrations' 429s must not use up the tries that 5xx and dropped calls need.
    const int attempts = std::max(1, state.policy.max_attempts);
    const int limited_attempts = std::max(1, state.policy.max_rate_limited);
    int credits = 0;
    for (int tries = 0, limited = 0;;) {
        milliseconds rate_limit_wait{0};
        Reply reply = state.attempt(call, request, limited + 1, rate_limit_wait);
        state.note_date(reply);
        credits += reply.credits_used;
        int& count = reply.status == 429 ? limited : tries;
        const int limit = reply.status == 429 ? limited_attempts : attempts;
        ++count;
        const std::optional<milliseconds> delay =
            state.retry_delay(call, reply, count, rate_limit_wait);
        if (!delay || count >= limit) {
            reply.credits_used = credits;  // what the call cost, its retries included
            return reply;
        }
        state.retry(call, reply, count, limit, *delay);
    }
}

std::optional<UnixTime> Client::account_clock() const {
    std::lock_guard lock(state_->mutex);
    return state_->date;
}

Reply Client::send_ok(const Call& call) {
    Reply reply = send(call);
    if (reply.ok()) {
        return reply;
    }
    raise_for(call, reply);
}

void Client::raise_for(const Call& call, const Reply& reply) const {
    if (reply.status == 0) {
        http::Failure failure = reply.failure.value_or(http::Failure{});
        failure.message = state_->key.redact(failure.message);
        throw TransportError(state_->key.redact(describe_call(call) + ": " + failure.message),
                             failure);
    }
    throw ApiError(state_->key.redact(api_error_text(call, reply)), reply.status,
                   error_code(reply));
}

Counters Client::counters() const {
    Counters counters;
    {
        std::lock_guard lock(state_->mutex);
        counters = state_->counters;
    }
    counters.rate_limit_total = state_->pacer.rate_limit_total();
    counters.pace_per_minute = state_->pacer.account_limit();
    return counters;
}

}  // namespace gp::freshdesk
