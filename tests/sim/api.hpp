#pragma once
// freshdesk-sim: the seam between the simulated Freshdesk API (the account and its endpoints, no
// networking) and the HTTP/HTTPS server that serves it (connections, rate limits, faults, /_sim/).
// Simulator code only: gdpr-purge never includes or links anything under tests/sim/.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;  // "GET", "PUT", ...
    std::string target;  // path and query as sent: "/api/v2/tickets?page=2"
    Headers headers;
    std::string body;
    // Case-insensitive header lookup; "" when absent.
    std::string_view header(std::string_view name) const;
};

struct Response {
    int status = 200;
    Headers
        headers;  // Content-Type, Link, Allow, ...; the server adds X-RateLimit-* and X-Request-Id
    std::string body;
};

// Which per-minute budget a request draws from: every request draws from the account's total; list
// requests also draw from their endpoint's sub-limit.
enum class Bucket { general, tickets_list, contacts_list };

struct Cost {
    int credits = 1;
    Bucket bucket = Bucket::general;
    std::string
        endpoint;  // stable label for /_sim/stats: "GET /tickets", "DELETE /contacts/{id}", ...
};

// The (unsure) variants of docs/freshdesk-api.md, and the account's own settings.
struct ApiOptions {
    std::string api_key = "sim-api-key";
    bool admin_key = true;            // false: /agents and /groups answer 403 access_denied
    int tickets_page_cap = 300;       // the tickets list's page cap
    bool link_space_variant = false;  // false: `<URL>; rel="next"`, true: `< URL>;rel="next"`
    bool contacts_updated_since_plain = false;  // false: `_updated_since`, true: `updated_since`
    bool ticket_list_tags = true;               // false: list items carry no `tags`
    int job_seconds = 2;              // a bulk deletion job finishes this long after it starts
    bool job_status_variant = false;  // alternative final job status strings / payload
    std::string base_url;             // "http://127.0.0.1:PORT", for absolute Link and job URLs
    // Added with the account core; all can also be changed at run time (POST /_sim/options).
    int search_lag_seconds = 180;  // the search index sees the account as it was this long ago
    int archive_days = 0;          // > 0: closed tickets inactive this long are archived
    bool hard_delete_force_ignored =
        false;  // true: hard_delete?force=true on a live contact is 400
    bool ticket_type_choice_objects = false;  // true: ticket type choices as {id,label,value,...}
    // Archived tickets (docs/freshdesk-api.md, "Archived tickets").
    bool archive_feature = true;         // false: /tickets/archived/ answers 403 require_feature
    int archived_ticket_view = 404;      // GET /tickets/{id} of an archived ticket: 404, or 301
    bool contact_blocked_field = false;  // true: contacts carry `blocked: true` (some accounts)
    // GET /tickets?requester_id= of an id that is no contact (live, soft-deleted or blocked) and no
    // agent: false answers 400 on `requester_id`, as Freshdesk does; true lists nothing (the
    // simulator's old answer).
    bool gone_requester_empty = false;

    // The archive_days that apply: none on an account without the archiving feature.
    int archiving_days() const { return archive_feature ? archive_days : 0; }
};

class Clock;  // settable clock; see clock.hpp

// The simulated account and its endpoints. Thread-safe: handle() may be called from many threads.
class Api {
  public:
    virtual ~Api() = default;
    // What the request costs and which budget it draws from; cheap, no state change.
    virtual Cost cost(const Request& request) const = 0;
    // Answers a request under /api/v2 (auth, validation, the state machine).
    virtual Response handle(const Request& request) = 0;
    // Answers a request under /_sim/ that concerns the account: GET /_sim/state, and the controls
    // that change the account between two commands (add a ticket, reopen one, tag a contact, ...).
    virtual Response handle_control(const Request& request) = 0;
};

// Where the account comes from: a JSON file (docs/simulator.md), or a generator spec such as
// "contacts=200000,tickets=1000000,seed=7".
struct AccountSource {
    std::string file;
    std::string generate_spec;
};

// Builds the simulated account and its API. Throws std::runtime_error with a clear message on a bad
// file or spec.
std::unique_ptr<Api> make_api(const AccountSource& source, const ApiOptions& options, Clock& clock);

}  // namespace sim
