#pragma once
// The Freshdesk API client core: Basic auth with a key that is never shown, a pacer that keeps the
// run under the account's per-minute budget, bounded retries with backoff and jitter, Freshdesk's
// error shapes parsed into fields, and the run's counters. Knows nothing of rules.
#include "http/http.hpp"
#include "time/time.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gp::freshdesk {

// The API key. Its text leaves this class only as the Authorization header; redact() removes it
// (and its Basic-auth base64 form) from any text before that text is shown or written.
class ApiKey {
  public:
    explicit ApiKey(std::string key);
    std::string authorization() const;  // "Basic base64(key:X)"
    std::string redact(std::string_view text) const;

  private:
    std::string key_;
    std::string basic_;
};

// No usable key: the message says where it looked, never what it found.
class KeyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
// From the file when `file` is not empty (surrounding whitespace trimmed), else from the
// environment variable FRESHDESK_API_KEY. Throws KeyError when missing, unreadable or empty.
ApiKey load_api_key(const std::string& file);

// The per-minute budgets a call draws from (docs/decisions.md, "Freshdesk client"): every call
// draws from the account's; the tickets list and the contacts list also from their own sub-limit.
enum class Budget { account, tickets_list, contacts_list };

struct Call {
    std::string method = "GET";
    std::string target;  // origin form, percent-encoded: "/api/v2/contacts/42"
    std::string body;    // JSON; "" for none
    int credits = 1;     // what the call is expected to cost (include=stats on the list: 3)
    Budget budget = Budget::account;
    // Safe to send again when a failure leaves unknown whether the server acted on it (GET, PUT,
    // DELETE here; not POST /tickets/bulk_delete). A 429 is always retried: it was not handled.
    bool repeatable = true;
};

struct FieldError {
    std::string field;
    std::string message;
    std::string code;
};

// The final answer to a call, after retries. status 0: no answer at all (see failure).
struct Reply {
    int status = 0;
    std::vector<http::Header> headers;
    std::string body;
    std::string code;                // Freshdesk's error code ("invalid_credentials"), or ""
    std::string message;             // Freshdesk's message, or ""
    std::vector<FieldError> errors;  // validation errors ({"description","errors":[...]})
    // The Link rel="next" target, reduced to origin form ("/api/v2/tickets?...&page=3"); never
    // followed to another host. Empty when there is no next page.
    std::string next_target;
    std::optional<http::Failure> failure;  // status 0 only
    int credits_used = 0;                  // X-RateLimit-Used-CurrentRequest, else the estimate

    bool ok() const { return status >= 200 && status < 300; }
    std::optional<std::string_view> header(std::string_view name) const;
};

// A call that could not be made or answered, after retries (network, TLS, timeout).
class TransportError : public std::runtime_error {
  public:
    TransportError(const std::string& what, http::Failure failure)
        : std::runtime_error(what), failure_(std::move(failure)) {}
    const http::Failure& failure() const { return failure_; }

  private:
    http::Failure failure_;
};

// 401 (the key refused) or 403 (a permission missing), but not 403 require_feature, which an
// account without archiving answers to the archived tickets' calls alone: every later call would
// fail alike, so the run stops. The one place this is decided.
inline bool stops_run(int http_status, std::string_view code) {
    return (http_status == 401 || http_status == 403) && code != "require_feature";
}

// An answer that the caller cannot go on with: "GET /api/v2/agents: 403 access_denied: ...".
class ApiError : public std::runtime_error {
  public:
    ApiError(const std::string& what, int status, std::string code)
        : std::runtime_error(what), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    bool authentication() const { return stops_run(status_, code_); }

  private:
    int status_;
    std::string code_;
};

// What the run did, for the progress display and the report. Read at any time from any thread.
struct Counters {
    std::int64_t calls = 0;             // HTTP requests sent, retries included
    std::int64_t credits = 0;           // credits charged (X-RateLimit-Used-CurrentRequest)
    std::int64_t rate_limited = 0;      // 429 answers met
    std::int64_t retries = 0;           // calls sent again (429, 5xx, dropped connection)
    std::int64_t server_errors = 0;     // 5xx answers met
    std::int64_t transport_errors = 0;  // calls that got no answer
    std::int64_t waited_ms = 0;         // time spent waiting: pacer and retry delays
    int rate_limit_total = 0;           // X-RateLimit-Total as last seen, 0 before the first answer
    int pace_per_minute = 0;            // the account budget the pacer keeps to
};

struct Policy {
    // --rate-limit: credits per minute at most. Absent: X-RateLimit-Total minus `margin` of it.
    std::optional<int> rate_limit;
    double margin = 0.05;
    int max_attempts = 8;  // per call, the first included; 429s not counted
    // 429s per call at most: they were not handled, so resending is safe; a storm of 30% 429s
    // fails a call with a chance of 0.3^20, where 8 tries would fail a few long runs in a hundred.
    int max_rate_limited = 20;
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds max_backoff{60000};
};

// Time for the pacer and the retry delays; tests pass a fake one.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point now() = 0;
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};
Clock& system_clock();

// Warnings worth a log line (a retry, a long wait); the text never holds the key.
using Logger = std::function<void(std::string_view message)>;
// The client's loggers: `log` for the notices of a busy account (retries, long waits), `notice`
// for what every run must show whatever the verbosity (the answers' X-RateLimit-Total cannot be
// read, said once per client); an empty `notice` sends it to `log`.

// Thread-safe: send() may be called from several threads at once (one per connection).
class Client {
  public:
    Client(http::HttpClient& http, ApiKey key, Policy policy, Clock& clock = system_clock(),
           Logger log = {}, Logger notice = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Waits for the pacer, sends, retries what may be retried (429 after Retry-After, at most
    // policy.max_rate_limited times; 5xx and dropped connections with exponential backoff and
    // jitter, for repeatable calls only, at most policy.max_attempts tries). Returns the final
    // answer whatever its status; never throws for an HTTP outcome.
    Reply send(const Call& call);
    // send(), then: a 2xx answer is returned; any other is raise_for()'s.
    Reply send_ok(const Call& call);
    // What a reply that is not a 2xx means, thrown: TransportError when there was no answer,
    // else ApiError naming the call, the status, Freshdesk's code and errors (the key redacted).
    // The one way a failed reply becomes an error.
    [[noreturn]] void raise_for(const Call& call, const Reply& reply) const;

    Counters counters() const;

    // The account's clock as last seen: the latest Date header of the answers so far (RFC 9110:
    // every server with a clock sends one), so at or before the account's now; nothing before an
    // answer with a readable Date. Freshdesk's timestamps (updated_at) are on this clock, which
    // may differ from this machine's.
    std::optional<UnixTime> account_clock() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// "GET /api/v2/contacts?email=***": a call as messages show it (query values holding an email are
// personal data and shown as ***).
std::string describe_call(const Call& call);

// The Link header's rel="next" URL, leniently parsed ("<URL>; rel=\"next\"", "< URL>;rel=\"next\"",
// several links separated by commas); "" when there is none.
std::string parse_next_link(std::string_view link_header);
// "https://host/api/v2/x?y" -> "/api/v2/x?y"; an origin-form target is returned as it is.
std::string to_origin_form(std::string_view url);

}  // namespace gp::freshdesk
