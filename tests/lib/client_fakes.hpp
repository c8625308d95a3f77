#pragma once
// Fakes shared by the tests of lib/freshdesk's Client (test_freshdesk_client*.cpp): a virtual clock
// that records its sleeps, an HttpClient that answers from a queue, and a fixture that wires them.
#include "freshdesk/client.hpp"

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

namespace clientfakes {

using namespace gp;
using namespace gp::freshdesk;
using std::chrono::milliseconds;

inline const std::string test_key = "abcdefghij1234567890";
inline const std::string test_basic = "YWJjZGVmZ2hpajEyMzQ1Njc4OTA6WA==";  // base64("<key>:X")

// Virtual time: sleep_for advances it at once and records the sleep. Thread-safe.
class FakeClock final : public Clock {
  public:
    std::chrono::steady_clock::time_point now() override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void sleep_for(milliseconds duration) override {
        std::lock_guard lock(mutex_);
        sleeps_.push_back(duration);
        now_ += duration;
    }
    std::vector<milliseconds> sleeps() const {
        std::lock_guard lock(mutex_);
        return sleeps_;
    }

  private:
    mutable std::mutex mutex_;
    std::chrono::steady_clock::time_point now_{std::chrono::hours{1000}};
    std::vector<milliseconds> sleeps_;
};

// Answers with the queued results in order (then 200 "{}"), records the requests.
class FakeHttp final : public http::HttpClient {
  public:
    http::Result send(const http::Request& request) override {
        std::lock_guard lock(mutex_);
        requests.push_back(request);
        if (queue.empty()) {
            return http::Response{200, {}, "{}"};
        }
        http::Result result = std::move(queue.front());
        queue.pop_front();
        return result;
    }
    void add(int status, std::string body = "", std::vector<http::Header> headers = {}) {
        queue.emplace_back(http::Response{status, std::move(headers), std::move(body)});
    }
    void fail(bool request_sent, std::string message = "connection reset by peer",
              http::FailureKind kind = http::FailureKind::closed) {
        queue.emplace_back(http::Failure{kind, request_sent, std::move(message)});
    }

    std::deque<http::Result> queue;
    std::vector<http::Request> requests;

  private:
    std::mutex mutex_;
};

inline std::vector<http::Header> limits(int total, int remaining, int used) {
    return {{"X-RateLimit-Total", std::to_string(total)},
            {"x-ratelimit-remaining", std::to_string(remaining)},
            {"X-Ratelimit-Used-CurrentRequest", std::to_string(used)}};
}

inline Call get(std::string target) {
    Call call;
    call.target = std::move(target);
    return call;
}

struct Fixture {
    FakeHttp http;
    FakeClock clock;
    std::vector<std::string> logged;   // the Client's log: retries, long waits
    std::vector<std::string> noticed;  // its notices: the rate-limit headers cannot be read
    Policy policy;
    std::unique_ptr<Client> client;

    Client& make() {
        client = std::make_unique<Client>(
            http, ApiKey(test_key), policy, clock,
            [this](std::string_view m) { logged.emplace_back(m); },
            [this](std::string_view m) { noticed.emplace_back(m); });
        return *client;
    }
};

inline std::int64_t total_ms(const std::vector<milliseconds>& sleeps) {
    return std::accumulate(sleeps.begin(), sleeps.end(), std::int64_t{0},
                           [](std::int64_t sum, milliseconds d) { return sum + d.count(); });
}

}  // namespace clientfakes
