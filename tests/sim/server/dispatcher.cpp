#include "dispatcher.hpp"

#include "time_iso.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

namespace sim::server {

namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The clock's time as an HTTP Date header (IMF-fixdate), as every answer of a server carries it:
// "Sun, 06 Dec 2026 18:51:18 GMT". The client reads the account's clock from it.
std::string http_date(std::int64_t unix) {
    static constexpr const char* days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::int64_t day = (unix >= 0 ? unix : unix - 86399) / 86400;
    const std::string iso = format_utc(unix);  // "YYYY-MM-DDTHH:MM:SSZ"
    const int month = std::stoi(iso.substr(5, 2));
    char out[40];
    std::snprintf(out, sizeof out, "%s, %s %s %s %s GMT", days[((day % 7) + 7) % 7],
                  iso.substr(8, 2).c_str(), months[month - 1], iso.substr(0, 4).c_str(),
                  iso.substr(11, 8).c_str());
    return out;
}

Response too_many_requests(int retry_after) {
    Response r = message_response(429, "You have exceeded the limit of requests per minute");
    r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
}

// A 503 comes from the load balancer in front of the API: HTML, not JSON, as clients meet it.
Response injected_failure(Fault fault) {
    if (fault == Fault::fail_500) {
        return error_response(500, "internal_error", "We're sorry, but something went wrong.");
    }
    Response r;
    r.status = 503;
    r.headers.emplace_back("Content-Type", "text/html");
    r.body = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n";
    return r;
}

void add_rate_headers(Response& response, const RateDecision& rate, RateHeaderFormat format) {
    if (format == RateHeaderFormat::absent) {
        return;
    }
    const auto text = [format](int value) {
        return format == RateHeaderFormat::garbled   ? std::string("NaN")
               : format == RateHeaderFormat::decimal ? std::to_string(value) + ".0"
                                                     : std::to_string(value);
    };
    response.headers.emplace_back("X-RateLimit-Total", text(rate.total_limit));
    response.headers.emplace_back("X-RateLimit-Remaining", text(rate.remaining));
    response.headers.emplace_back("X-RateLimit-Used-CurrentRequest", text(rate.used));
}

std::string masked(std::string target, const std::string& secret) {
    if (secret.empty()) {
        return target;
    }
    for (std::size_t pos = 0; (pos = target.find(secret, pos)) != std::string::npos;) {
        target.replace(pos, secret.size(), "***");
    }
    return target;
}

// A bug in the simulated API must not take the connection (or the server) down with it. The API key
// never reaches standard error (nor the answer), should it be in the target or the exception's
// text.
Response handle_safely(Api& api, const Request& request, const std::string& api_key) {
    try {
        return api.handle(request);
    } catch (const std::exception& e) {
        const std::string what = masked(e.what(), api_key);
        std::fprintf(stderr, "freshdesk-sim: %s %s: %s\n", masked(request.method, api_key).c_str(),
                     masked(request.target, api_key).c_str(), what.c_str());
        return error_response(500, "internal_error", "freshdesk-sim: " + what);
    }
}

}  // namespace

Response json_response(int status, const boost::json::value& body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", std::string(kJson));
    r.body = boost::json::serialize(body);
    return r;
}

Response message_response(int status, std::string_view message) {
    return json_response(status, boost::json::object{{"message", message}});
}

Response error_response(int status, std::string_view code, std::string_view message) {
    return json_response(status, boost::json::object{{"code", code}, {"message", message}});
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

std::string_view query_of(std::string_view target) {
    const std::size_t q = target.find('?');
    return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::string query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
        }
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return "";
}

Dispatcher::Dispatcher(Api& api, Clock& clock, const DispatchConfig& config)
    : api_(api),
      clock_(clock),
      limiter_(config.limits),
      faults_(config.faults),
      log_(config.log_capacity),
      api_key_(config.api_key),
      lowercase_headers_(config.lowercase_headers),
      id_salt_(std::random_device{}()) {}

std::string Dispatcher::next_request_id() {
    const std::uint64_t n = requests_.fetch_add(1);
    const std::uint64_t a = mix(id_salt_ + 2 * n);
    const std::uint64_t b = mix(id_salt_ + 2 * n + 1);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                  static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xffff),
                  static_cast<unsigned long long>(a & 0xfff),
                  static_cast<unsigned long long>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

Outcome Dispatcher::dispatch(const Request& request) {
    const std::string request_id = next_request_id();
    Outcome out;
    std::optional<RateDecision> rate;
    try {
        const std::string_view path = path_of(request.target);
        if (path == "/api/v2" || path.starts_with("/api/v2/")) {
            out = api_request(request, request_id, rate);
        } else if (path.starts_with("/_sim/")) {
            out.response = control(request, path);
        } else {
            out.response.status = 404;
            out.response.headers.emplace_back("Content-Type", std::string(kJson));
            out.response.body = " ";
            log(request, "other", 404, 0, request_id);
        }
    } catch (const std::exception& e) {
        out = Outcome{};
        rate.reset();
        out.response =
            error_response(500, "internal_error", "freshdesk-sim: " + masked(e.what(), api_key_));
    }
    finish(out.response, request_id, rate);
    return out;
}

Response Dispatcher::refusal(int status, std::string_view message) {
    Response response = message_response(status, message);
    finish(response, next_request_id(), std::nullopt);
    return response;
}

void Dispatcher::finish(Response& response, const std::string& request_id,
                        const std::optional<RateDecision>& rate) {
    // Nothing charged: the budget as it is.
    add_rate_headers(response, rate ? *rate : limiter_.peek(), faults_.settings().rate_headers);
    response.headers.emplace_back("X-Request-Id", request_id);
    response.headers.emplace_back("Date", http_date(clock_.now()));
    if (lowercase_headers_) {
        for (auto& header : response.headers) {
            std::transform(header.first.begin(), header.first.end(), header.first.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        }
    }
}

Outcome Dispatcher::api_request(const Request& request, const std::string& request_id,
                                std::optional<RateDecision>& decision) {
    const Cost cost = api_.cost(request);
    Outcome out;
    out.delay = std::chrono::milliseconds(faults_.latency_ms());
    RateDecision rate;
    if (faults_.take_burst()) {
        stats_.count_burst_429();
        rate = limiter_.peek();
        out.response = too_many_requests(1);
    } else if (faults_.draw_storm()) {
        // Other integrations spent the budget: nothing left for anyone, nothing charged.
        stats_.count_storm_429();
        rate = limiter_.peek();
        rate.remaining = 0;
        out.response = too_many_requests(faults_.settings().storm_retry_after);
    } else if (rate = limiter_.take(cost.bucket, cost.credits); !rate.allowed) {
        stats_.count_rate_limited();
        out.response = too_many_requests(rate.retry_after);
    } else {
        const Fault fault = faults_.draw();
        stats_.count_fault(fault);
        out.response = fault == Fault::fail_500 || fault == Fault::fail_503
                           ? injected_failure(fault)
                           : handle_safely(api_, request,
                                           api_key_);  // a dropped request is handled, then lost
        out.drop = fault == Fault::drop;
    }
    decision = rate;
    const int status = out.drop ? 0 : out.response.status;
    stats_.record(cost.endpoint, status, rate.used);
    log(request, cost.endpoint, status, rate.used, request_id);
    return out;
}

void Dispatcher::log(const Request& request, const std::string& endpoint, int status, int credits,
                     const std::string& request_id) {
    log_.add(LogEntry{request.method, masked(request.target, api_key_), endpoint, status, credits,
                      clock_.now(), request_id});
}

}  // namespace sim::server
