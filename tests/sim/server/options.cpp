// Limits are parsed as signed numbers and range-checked (value<unsigned> would take -1 as
// 4294967295); abbreviations are off (a test tool should not guess what was meant either).
#include "options.hpp"

#include "time_iso.hpp"

#include <boost/program_options.hpp>

#include <sstream>
#include <thread>

namespace sim::server {

namespace po = boost::program_options;

namespace {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

po::options_description describe() {
    po::options_description d("freshdesk-sim: a simulated Freshdesk API v2 on 127.0.0.1\nOptions");
    // clang-format off
    d.add_options()
        ("help", "print this help and exit")
        ("account", po::value<std::string>(), "load the account from this JSON file")
        ("generate", po::value<std::string>(), "generate an account: contacts=N,tickets=N,seed=N")
        ("port", po::value<long long>()->default_value(0), "TCP port on 127.0.0.1; 0: the kernel picks one (printed as the first stdout line)")
        ("threads", po::value<long long>(), "server threads (default: hardware concurrency)")
        ("tls-cert", po::value<std::string>(), "PEM certificate chain: serve HTTPS only (with --tls-key)")
        ("tls-key", po::value<std::string>(), "PEM private key of --tls-cert")
        ("api-key", po::value<std::string>()->default_value("sim-api-key"), "the API key Basic auth accepts")
        ("non-admin-key", po::bool_switch(), "the key is not an admin's: /agents and /groups answer 403")
        ("now", po::value<std::string>(), "start the clock at this UTC time (YYYY-MM-DDTHH:MM:SSZ); default: the real time")
        ("tickets-page-cap", po::value<long long>()->default_value(300), "the tickets list's page cap")
        ("rate-limit", po::value<long long>()->default_value(700), "account credits per minute")
        ("list-rate-limit", po::value<long long>(), "credits per minute of the tickets list, and of the contacts list (default: by --rate-limit, Freshdesk's table: 20 below a total of 400, 100 from 400, 200 from 700, 300 from 1000, 400 from 2000)")
        ("job-seconds", po::value<long long>()->default_value(2), "seconds until a bulk deletion job finishes")
        ("link-style", po::value<std::string>()->default_value("compact"), "compact: <URL>; rel=\"next\"   spaced: < URL>;rel=\"next\"")
        ("contacts-updated-since-param", po::value<std::string>()->default_value("_updated_since"), "_updated_since | updated_since")
        ("ticket-list-tags", po::value<std::string>()->default_value("yes"), "yes | no: whether tickets list items carry tags")
        ("job-status-variant", po::value<std::string>()->default_value("standard"), "standard | alternative: final job status strings and payload")
        ("search-lag-seconds", po::value<long long>()->default_value(180), "the search index sees the account as it was this long ago")
        ("archive-days", po::value<long long>()->default_value(0), "> 0: closed tickets inactive this many days are archived")
        ("archive-feature", po::value<std::string>()->default_value("yes"), "yes | no: no answers 403 require_feature at /tickets/archived/ and archives nothing")
        ("archived-ticket-view", po::value<std::string>()->default_value("404"), "404 | 301: what GET /tickets/{id} answers for an archived ticket")
        ("contact-blocked-field", po::value<std::string>()->default_value("no"), "no | yes: yes adds blocked: true to blocked contacts (views, list items, search)")
        ("gone-requester", po::value<std::string>()->default_value("400"), "400 | empty: what GET /tickets?requester_id= answers for an id that is no contact or agent (hard-deleted, unknown): 400 on requester_id, as Freshdesk, or an empty list")
        ("hard-delete-force", po::value<std::string>()->default_value("works"), "works | ignored: ignored answers 400 to hard_delete?force=true on a live contact")
        ("ticket-type-choices", po::value<std::string>()->default_value("strings"), "strings | objects: the shape of the ticket type choices")
        ("fail-rate", po::value<double>()->default_value(0), "share of /api/v2 requests answered 500 or 503")
        ("drop-rate", po::value<double>()->default_value(0), "share of /api/v2 requests handled, then closed without an answer")
        ("fault-seed", po::value<long long>()->default_value(1), "seed of the fault draws")
        ("latency-ms", po::value<long long>()->default_value(0), "milliseconds added to every /api/v2 answer")
        ("burst-429", po::value<long long>()->default_value(0), "the next N /api/v2 requests answer 429")
        ("storm-429-rate", po::value<double>()->default_value(0), "share of /api/v2 requests answered 429 with X-RateLimit-Remaining: 0, nothing charged (a budget spent by other integrations)")
        ("storm-retry-after", po::value<long long>()->default_value(1), "the Retry-After (seconds) of the storm's 429s")
        ("rate-header-format", po::value<std::string>()->default_value("integer"), "integer | decimal | garbled | absent: X-RateLimit-* values written 700, 700.0, NaN, or not sent")
        ("header-case", po::value<std::string>()->default_value("canonical"), "canonical | lower: lower sends every header name in lower case (x-ratelimit-total)")
        ("log-size", po::value<long long>()->default_value(100000), "requests kept in the request log")
        ("idle-timeout", po::value<long long>()->default_value(15), "seconds before an idle keep-alive connection is closed")
        ("chunked", po::value<std::string>()->default_value("no"), "no | yes: yes sends bodies with Transfer-Encoding: chunked instead of Content-Length");
    // clang-format on
    return d;
}

long long number(const po::variables_map& vm, const char* name, long long min, long long max) {
    const long long v = vm[name].as<long long>();
    if (v < min || v > max) {
        throw UsageError("--" + std::string(name) + " must be between " + std::to_string(min) +
                         " and " + std::to_string(max));
    }
    return v;
}

int small(const po::variables_map& vm, const char* name, long long min, long long max) {
    return static_cast<int>(number(vm, name, min, max));
}

double rate(const po::variables_map& vm, const char* name) {
    const double v = vm[name].as<double>();
    if (!(v >= 0 && v <= 1)) {
        throw UsageError("--" + std::string(name) + " must be between 0 and 1");
    }
    return v;
}

// Which of `choices` the option names: true for the second.
bool variant(const po::variables_map& vm, const char* name, const char* first, const char* second) {
    const std::string& v = vm[name].as<std::string>();
    if (v != first && v != second) {
        throw UsageError("--" + std::string(name) + " must be " + first + " or " + second);
    }
    return v == second;
}

std::string text(const po::variables_map& vm, const char* name) {
    return vm.count(name) != 0 ? vm[name].as<std::string>() : std::string();
}

void fill_api(const po::variables_map& vm, SimConfig& c) {
    c.api.api_key = vm["api-key"].as<std::string>();
    if (c.api.api_key.empty()) {
        throw UsageError("--api-key must not be empty");
    }
    c.api.admin_key = !vm["non-admin-key"].as<bool>();
    c.api.tickets_page_cap = small(vm, "tickets-page-cap", 1, 1000000);
    c.api.job_seconds = small(vm, "job-seconds", 0, 86400);
    c.api.link_space_variant = variant(vm, "link-style", "compact", "spaced");
    c.api.contacts_updated_since_plain =
        variant(vm, "contacts-updated-since-param", "_updated_since", "updated_since");
    c.api.ticket_list_tags = !variant(vm, "ticket-list-tags", "yes", "no");
    c.api.job_status_variant = variant(vm, "job-status-variant", "standard", "alternative");
    c.api.search_lag_seconds = small(vm, "search-lag-seconds", 0, 86400 * 30);
    c.api.archive_days = small(vm, "archive-days", 0, 36500);
    c.api.archive_feature = !variant(vm, "archive-feature", "yes", "no");
    c.api.archived_ticket_view = variant(vm, "archived-ticket-view", "404", "301") ? 301 : 404;
    c.api.contact_blocked_field = variant(vm, "contact-blocked-field", "no", "yes");
    c.api.gone_requester_empty = variant(vm, "gone-requester", "400", "empty");
    c.api.hard_delete_force_ignored = variant(vm, "hard-delete-force", "works", "ignored");
    c.api.ticket_type_choice_objects = variant(vm, "ticket-type-choices", "strings", "objects");
}

void fill_server(const po::variables_map& vm, SimConfig& c) {
    c.listen.port = small(vm, "port", 0, 65535);
    const long long cores = std::max(1U, std::thread::hardware_concurrency());
    c.listen.threads =
        vm.count("threads") != 0 ? small(vm, "threads", 1, 256) : static_cast<int>(cores);
    c.listen.tls_cert = text(vm, "tls-cert");
    c.listen.tls_key = text(vm, "tls-key");
    if (c.listen.tls_cert.empty() != c.listen.tls_key.empty()) {
        throw UsageError("--tls-cert and --tls-key go together");
    }
    c.listen.idle_timeout = std::chrono::seconds(number(vm, "idle-timeout", 1, 3600));
    c.listen.chunked = variant(vm, "chunked", "no", "yes");
    c.dispatch.api_key = c.api.api_key;
    c.dispatch.lowercase_headers = variant(vm, "header-case", "canonical", "lower");
    c.dispatch.limits.total = small(vm, "rate-limit", 1, 1000000000);
    // Absent: 0, the list budgets follow the total by Freshdesk's table (rate_limiter.hpp).
    c.dispatch.limits.list =
        vm.count("list-rate-limit") != 0 ? small(vm, "list-rate-limit", 1, 1000000000) : 0;
    c.dispatch.log_capacity = static_cast<std::size_t>(number(vm, "log-size", 1, 100000000));
    FaultSettings& f = c.dispatch.faults;
    f.fail_rate = rate(vm, "fail-rate");
    f.drop_rate = rate(vm, "drop-rate");
    f.seed = static_cast<std::uint64_t>(number(vm, "fault-seed", 0, INT64_MAX));
    f.latency_ms = small(vm, "latency-ms", 0, 600000);
    f.burst_429 = small(vm, "burst-429", 0, 1000000000);
    f.storm_429_rate = rate(vm, "storm-429-rate");
    f.storm_retry_after = small(vm, "storm-retry-after", 0, 86400);
    const auto format = rate_header_format(vm["rate-header-format"].as<std::string>());
    if (!format) {
        throw UsageError("--rate-header-format must be integer, decimal, garbled or absent");
    }
    f.rate_headers = *format;
}

SimConfig to_config(const po::variables_map& vm) {
    SimConfig c;
    c.source.file = text(vm, "account");
    c.source.generate_spec = text(vm, "generate");
    if (c.source.file.empty() == c.source.generate_spec.empty()) {
        throw UsageError("give exactly one of --account FILE and --generate SPEC");
    }
    if (vm.count("now") != 0) {
        c.now = parse_utc(vm["now"].as<std::string>());
        if (!c.now) {
            throw UsageError("--now must be a UTC time YYYY-MM-DDTHH:MM:SSZ (or YYYY-MM-DD)");
        }
    }
    fill_api(vm, c);
    fill_server(vm, c);
    return c;
}

}  // namespace

ParsedOptions parse_options(int argc, const char* const argv[]) {
    const po::options_description description = describe();
    ParsedOptions parsed;
    try {
        po::variables_map vm;
        const int style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(argc, argv).options(description).style(style).run(), vm);
        if (vm.count("help") != 0) {
            std::ostringstream out;
            out << description;
            parsed.message = out.str();
            return parsed;
        }
        po::notify(vm);
        parsed.config = to_config(vm);
    } catch (const std::exception& e) {  // po::error and UsageError alike: a usage error
        parsed.exit_code = 2;
        parsed.message =
            std::string("freshdesk-sim: ") + e.what() + "\n(see freshdesk-sim --help)\n";
    }
    return parsed;
}

}  // namespace sim::server
