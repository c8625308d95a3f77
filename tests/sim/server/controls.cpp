// The server's own controls under /_sim/ (no auth: they are outside the simulated API). The rest of
// /_sim/ (the account's state and edits) belongs to Api::handle_control.
#include "dispatcher.hpp"
#include "time_iso.hpp"

#include <boost/json/parse.hpp>

#include <charconv>
#include <optional>

namespace sim::server {

namespace {

// The /_sim/ controls answer errors as {"error": "..."}, like the account's controls.
Response control_error(int status, std::string_view message) {
    return json_response(status, boost::json::object{{"error", message}});
}

Response method_not_allowed(std::string_view allow) {
    Response r = control_error(405, "method not allowed");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

Response invalid(std::string_view message) {
    return control_error(400, message);
}

// The body as a JSON object, or the 400 to answer.
std::optional<boost::json::object> body_object(const Request& request, Response& error) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(request.body, ec);
    if (ec || !v.is_object()) {
        error = control_error(400, "the body must be a JSON object");
        return std::nullopt;
    }
    return std::move(v.as_object());
}

std::optional<std::uint64_t> parse_index(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// A limit of at least `min` (a list limit may be 0: Freshdesk's table by the total).
bool read_limit(const boost::json::value& v, int min, int& out) {
    if (!v.is_int64() || v.as_int64() < min || v.as_int64() > 1000000000) {
        return false;
    }
    out = static_cast<int>(v.as_int64());
    return true;
}

}  // namespace

Response Dispatcher::control(const Request& request, std::string_view path) {
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (path == "/_sim/stats") {
        return get ? stats_json() : method_not_allowed("GET");
    }
    if (path == "/_sim/stats/reset") {
        if (!post) {
            return method_not_allowed("POST");
        }
        stats_.reset();
        return stats_json();
    }
    if (path == "/_sim/log") {
        return get ? log_control(request) : method_not_allowed("GET");
    }
    const auto own = [&](Response (Dispatcher::*handler)(const Request&)) {
        return get || post ? (this->*handler)(request) : method_not_allowed("GET, POST");
    };
    if (path == "/_sim/clock") {
        return own(&Dispatcher::clock_control);
    }
    if (path == "/_sim/faults") {
        return own(&Dispatcher::faults_control);
    }
    if (path == "/_sim/rate-limit") {
        return own(&Dispatcher::rate_limit_control);
    }
    return api_.handle_control(request);
}

Response Dispatcher::stats_json() {
    boost::json::object body = stats_.to_json();
    const RateLimits limits = limiter_.limits();
    const RateLimiter::Usage used = limiter_.usage();
    body["rate_limit"] = boost::json::object{{"limit", limits.total},
                                             {"list_limit", limits.list_limit()},
                                             {"window_used",
                                              {{"total", used.total},
                                               {"tickets_list", used.tickets_list},
                                               {"contacts_list", used.contacts_list}}}};
    body["now"] = format_utc(clock_.now());
    return json_response(200, body);
}

Response Dispatcher::log_control(const Request& request) {
    const std::string_view query = query_of(request.target);
    const std::string since_text = query_param(query, "since");
    const std::string limit_text = query_param(query, "limit");
    const auto since =
        since_text.empty() ? std::optional<std::uint64_t>(0) : parse_index(since_text);
    const auto limit =
        limit_text.empty() ? std::optional<std::uint64_t>(SIZE_MAX) : parse_index(limit_text);
    if (!since || !limit) {
        return invalid("since and limit must be non-negative integers");
    }
    return json_response(200, log_.since(*since, static_cast<std::size_t>(*limit)));
}

Response Dispatcher::clock_control(const Request& request) {
    if (request.method == "POST") {
        Response error;
        const auto body = body_object(request, error);
        if (!body) {
            return error;
        }
        const std::int64_t before = clock_.now();
        const auto* now = body->if_contains("now");
        const auto* advance = body->if_contains("advance_seconds");
        if (body->size() != 1 || (now == nullptr && advance == nullptr)) {
            return invalid("give exactly one of \"now\" (UTC timestamp) or \"advance_seconds\"");
        }
        if (now != nullptr) {
            const auto t = now->is_string() ? parse_utc(now->as_string()) : std::nullopt;
            if (!t) {
                return invalid("\"now\" must be a UTC timestamp YYYY-MM-DDTHH:MM:SSZ");
            }
            clock_.set(*t);
        } else if (advance->is_int64()) {
            clock_.advance(advance->as_int64());
        } else {
            return invalid("\"advance_seconds\" must be an integer");
        }
        limiter_.clock_moved(clock_.now() - before);
    }
    return json_response(200, boost::json::object{{"now", format_utc(clock_.now())}});
}

Response Dispatcher::faults_control(const Request& request) {
    if (request.method == "POST") {
        Response error;
        const auto body = body_object(request, error);
        if (!body) {
            return error;
        }
        if (const std::string problem = faults_.update(*body); !problem.empty()) {
            return invalid(problem);
        }
    }
    return json_response(200, faults_.to_json());
}

Response Dispatcher::rate_limit_control(const Request& request) {
    RateLimits limits = limiter_.limits();
    if (request.method == "POST") {
        Response error;
        const auto body = body_object(request, error);
        if (!body) {
            return error;
        }
        for (const auto& [key, value] : *body) {
            int* target = key == "limit"        ? &limits.total
                          : key == "list_limit" ? &limits.list
                                                : nullptr;
            if (target == nullptr || !read_limit(value, target == &limits.total ? 1 : 0, *target)) {
                return invalid(
                    "keys: \"limit\" (an integer >= 1) and \"list_limit\" (>= 0; 0: by the "
                    "limit, Freshdesk's table)");
            }
        }
        limiter_.set_limits(limits);  // a fresh window, too
    }
    return json_response(
        200, boost::json::object{{"limit", limits.total}, {"list_limit", limits.list_limit()}});
}

}  // namespace sim::server
