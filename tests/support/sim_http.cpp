#include "sim_http.hpp"

#include "api.hpp"
#include "clock.hpp"
#include "time/time.hpp"

#include <cctype>
#include <stdexcept>

namespace simtest {

namespace {

sim::ApiOptions api_options_of(const InProcessOptions& options) {
    sim::ApiOptions out;
    out.tickets_page_cap = options.tickets_page_cap;
    out.ticket_list_tags = options.ticket_list_tags;
    out.admin_key = options.admin_key;
    out.link_space_variant = options.link_space_variant;
    out.contacts_updated_since_plain = options.contacts_updated_since_plain;
    out.search_lag_seconds = options.search_lag_seconds;
    out.job_seconds = options.job_seconds;
    out.job_status_variant = options.job_status_variant;
    out.archive_days = options.archive_days;
    out.hard_delete_force_ignored = options.hard_delete_force_ignored;
    out.ticket_type_choice_objects = options.ticket_type_choice_objects;
    out.base_url = "http://127.0.0.1:1";
    return out;
}

}  // namespace

InProcessOptions small_account(const std::string& now) {
    InProcessOptions options;
    options.account_file = GP_SOURCE_DIR "/tests/sim/core/testdata/small_account.json";
    options.now = now;
    options.rate_limit_total = 1'000'000;
    return options;
}

InProcessSim::InProcessSim(const InProcessOptions& options)
    : rate_limit_total_(options.rate_limit_total),
      lower_case_headers_(options.lower_case_headers),
      tamper_(options.tamper) {
    const auto start = gp::parse_timestamp(options.now);
    if (!start) {
        throw std::invalid_argument("InProcessSim: bad now: " + options.now);
    }
    clock_ = std::make_unique<sim::Clock>(*start);
    const sim::ApiOptions api_options = api_options_of(options);
    sim::AccountSource source;
    source.file = options.account_file;
    source.generate_spec = options.account_file.empty() ? options.generate : "";
    api_ = sim::make_api(source, api_options, *clock_);
}

InProcessSim::~InProcessSim() = default;

sim::Api& InProcessSim::api() {
    return *api_;
}
sim::Clock& InProcessSim::clock() {
    return *clock_;
}

namespace {

sim::Request to_sim(const gp::http::Request& request) {
    sim::Request out;
    out.method = request.method;
    out.target = request.target;
    out.body = request.body;
    for (const auto& h : request.headers) {
        out.headers.emplace_back(h.name, h.value);
    }
    if (!request.body.empty()) {
        out.headers.emplace_back("Content-Type", "application/json");
    }
    return out;
}

gp::http::Response from_sim(sim::Response&& response) {
    gp::http::Response out;
    out.status = response.status;
    out.body = std::move(response.body);
    for (auto& [name, value] : response.headers) {
        out.headers.push_back({std::move(name), std::move(value)});
    }
    return out;
}

}  // namespace

gp::http::Result InProcessSim::send(const gp::http::Request& request) {
    const sim::Request sim_request = to_sim(request);
    const sim::Cost cost = api_->cost(sim_request);
    gp::http::Response response = from_sim(api_->handle(sim_request));
    ++requests_;
    credits_ += cost.credits;
    {
        std::lock_guard lock(mutex_);
        ++requests_by_endpoint_[cost.endpoint];
        credits_by_endpoint_[cost.endpoint] += cost.credits;
    }
    response.headers.push_back({"X-RateLimit-Total", std::to_string(rate_limit_total_)});
    response.headers.push_back({"X-RateLimit-Remaining", std::to_string(rate_limit_total_)});
    response.headers.push_back({"X-RateLimit-Used-CurrentRequest", std::to_string(cost.credits)});
    if (lower_case_headers_) {
        for (auto& header : response.headers) {
            for (char& c : header.name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
    }
    if (tamper_) {
        tamper_(request, response);
    }
    return response;
}

gp::http::Response InProcessSim::control(const std::string& method, const std::string& target,
                                         const std::string& body) {
    sim::Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!body.empty()) {
        request.headers.emplace_back("Content-Type", "application/json");
    }
    return from_sim(api_->handle_control(request));
}

std::map<std::string, std::int64_t> InProcessSim::requests_by_endpoint() const {
    std::lock_guard lock(mutex_);
    return requests_by_endpoint_;
}

std::map<std::string, std::int64_t> InProcessSim::credits_by_endpoint() const {
    std::lock_guard lock(mutex_);
    return credits_by_endpoint_;
}

std::unique_ptr<gp::http::HttpClient> loopback_http(int port) {
    gp::http::ClientOptions options;
    options.origin.tls = false;
    options.origin.host = "127.0.0.1";
    options.origin.port = static_cast<std::uint16_t>(port);
    return gp::http::make_client(options);
}

}  // namespace simtest
