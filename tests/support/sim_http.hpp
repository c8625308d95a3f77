#pragma once
// A gp::http::HttpClient that answers from a simulated account in the same process (sim_core),
// without sockets: library tests of the Freshdesk client and the reader run the real endpoint
// logic in milliseconds. It prices each request as the server would and keeps the totals, and adds
// the X-RateLimit-* headers (with an unlimited budget of `rate_limit_total`).
#include "http/http.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sim {
class Api;
class Clock;
}  // namespace sim

namespace simtest {

// A real (socket) HttpClient to a freshdesk-sim process listening on 127.0.0.1:`port`, plain http.
std::unique_ptr<gp::http::HttpClient> loopback_http(int port);

struct InProcessOptions {
    std::string generate = "contacts=200,tickets=1000,seed=3";  // or an account file:
    std::string account_file;
    std::string now = "2026-11-29T00:00:00Z";  // the simulated clock's start
    int tickets_page_cap = 300;
    bool ticket_list_tags = true;
    int rate_limit_total = 700;  // only shown in the headers; nothing is refused
    // The account's other options and (unsure) variants, as sim::ApiOptions has them.
    bool admin_key = true;                      // false: /agents, /groups answer 403
    bool link_space_variant = false;            // `< URL>;rel="next"`
    bool contacts_updated_since_plain = false;  // the contacts filter is `updated_since`
    int search_lag_seconds = 180;
    int job_seconds = 2;
    bool job_status_variant = false;
    int archive_days = 0;
    bool hard_delete_force_ignored = false;
    bool ticket_type_choice_objects = false;
    // Every response header name in lower case, as freshdesk-sim --header-case lower sends them.
    bool lower_case_headers = false;
    // A test's change to each /api/v2 answer before the client sees it (a malformed body, a lost
    // header); the request is handled and priced as usual.
    std::function<void(const gp::http::Request&, gp::http::Response&)> tamper;
};

// The hand-made account tests/sim/core/testdata/small_account.json (docs/simulator-account.md),
// its clock starting at `now`, with a budget that nothing reaches.
InProcessOptions small_account(const std::string& now);

class InProcessSim : public gp::http::HttpClient {
  public:
    explicit InProcessSim(const InProcessOptions& options = {});
    ~InProcessSim() override;

    gp::http::Result send(const gp::http::Request& request) override;

    sim::Api& api();
    sim::Clock& clock();
    // A /_sim/ control request (e.g. POST /_sim/tickets), answered by the account.
    gp::http::Response control(const std::string& method, const std::string& target,
                               const std::string& body = "");

    std::int64_t requests() const { return requests_; }
    std::int64_t credits() const { return credits_; }
    // Requests and credits by the simulator's endpoint label ("GET /tickets").
    std::map<std::string, std::int64_t> requests_by_endpoint() const;
    std::map<std::string, std::int64_t> credits_by_endpoint() const;

  private:
    std::unique_ptr<sim::Clock> clock_;
    std::unique_ptr<sim::Api> api_;
    int rate_limit_total_;
    bool lower_case_headers_;
    std::function<void(const gp::http::Request&, gp::http::Response&)> tamper_;
    std::atomic<std::int64_t> requests_{0};
    std::atomic<std::int64_t> credits_{0};
    mutable std::mutex mutex_;
    std::map<std::string, std::int64_t> requests_by_endpoint_;
    std::map<std::string, std::int64_t> credits_by_endpoint_;
};

}  // namespace simtest
