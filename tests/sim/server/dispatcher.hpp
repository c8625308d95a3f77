#pragma once
// What freshdesk-sim does with one request, independent of the connection it came on:
//   /_sim/stats, /_sim/log, /_sim/clock, /_sim/faults, /_sim/rate-limit   the server's own controls
//   other /_sim/...                                                     Api::handle_control
//   /api/v2/...   cost -> burst 429 -> storm 429 -> rate limit -> fault -> Api::handle
//   anything else                                                       404
// Every answer gets X-RateLimit-* (outside /api/v2: the budget, nothing charged; written as the
// faults' rate-header format says) and X-Request-Id.
#include "api.hpp"
#include "clock.hpp"
#include "faults.hpp"
#include "rate_limiter.hpp"
#include "stats.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace sim::server {

// The answer and how to deliver it.
struct Outcome {
    Response response;
    bool drop = false;                   // close the connection without answering
    std::chrono::milliseconds delay{0};  // wait this long before answering (or dropping)
};

struct DispatchConfig {
    RateLimits limits;
    FaultSettings faults;
    std::size_t log_capacity = 100000;
    std::string api_key;             // masked in the request log should it appear in a target
    bool lowercase_headers = false;  // every answer's header names in lower case (as proxies do)
};

class Dispatcher {
  public:
    Dispatcher(Api& api, Clock& clock, const DispatchConfig& config);
    // Thread-safe; never throws (an exception of the Api becomes a 500).
    Outcome dispatch(const Request& request);
    // An answer of the HTTP layer to a request it could not read (413 body too large, 431 headers
    // too large): {"message"}, with X-RateLimit-* (nothing charged) and X-Request-Id like any
    // other. Not handled, not logged, not counted. Thread-safe.
    Response refusal(int status, std::string_view message);

  private:
    Outcome api_request(const Request& request, const std::string& request_id,
                        std::optional<RateDecision>& rate);
    Response control(const Request& request, std::string_view path);
    Response clock_control(const Request& request);
    Response faults_control(const Request& request);
    Response rate_limit_control(const Request& request);
    Response log_control(const Request& request);
    Response stats_json();
    void log(const Request& request, const std::string& endpoint, int status, int credits,
             const std::string& request_id);
    std::string next_request_id();
    // X-RateLimit-* (the request's decision, else the budget as it is: nothing charged),
    // X-Request-Id, and the header case.
    void finish(Response& response, const std::string& request_id,
                const std::optional<RateDecision>& rate);

    Api& api_;
    Clock& clock_;
    RateLimiter limiter_;
    Faults faults_;
    Stats stats_;
    RequestLog log_;
    std::string api_key_;
    bool lowercase_headers_;
    std::uint64_t id_salt_;
    std::atomic<std::uint64_t> requests_{0};
};

// Shared helpers of the dispatcher's files.
Response json_response(int status, const boost::json::value& body);
Response message_response(int status, std::string_view message);  // {"message": ...}
Response error_response(int status, std::string_view code, std::string_view message);
std::string_view path_of(std::string_view target);
std::string_view query_of(std::string_view target);
// The value of `name` in a query string (no percent-decoding: the server's own parameters are
// plain).
std::string query_param(std::string_view query, std::string_view name);

}  // namespace sim::server
