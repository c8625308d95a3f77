#include "api_impl.hpp"

#include <boost/json.hpp>

#include <limits>

namespace sim {

namespace {

std::optional<std::string> base64_decode(std::string_view in) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t i = 0;
    for (; i < in.size() && in[i] != '='; ++i) {
        const auto pos = kAlphabet.find(in[i]);
        if (pos == std::string_view::npos)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    for (; i < in.size(); ++i) {
        if (in[i] != '=')
            return std::nullopt;
    }
    return out;
}

// Basic auth with user = API key and password "X", as docs/freshdesk-api.md says; anything else is
// refused.
bool authorized(const Request& r, const ApiOptions& opt) {
    const std::string_view header = r.header("Authorization");
    constexpr std::string_view kBasic = "Basic ";
    if (header.substr(0, kBasic.size()) != kBasic)
        return false;
    const auto decoded = base64_decode(header.substr(kBasic.size()));
    return decoded && *decoded == opt.api_key + ":X";
}

bool json_content_type(const Request& r) {
    const std::string type = lower(r.header("Content-Type"));
    return type.starts_with("application/json");
}

}  // namespace

ApiImpl::ApiImpl(std::unique_ptr<Account> account, const ApiOptions& options, Clock& clock)
    : acc_(std::move(account)),
      options_(options),
      clock_(clock),
      next_job_due_(std::numeric_limits<Time>::max()) {}

ApiOptions ApiImpl::options() const {
    std::lock_guard lock(options_mutex_);
    return options_;
}

Cost ApiImpl::cost(const Request& request) const {
    return cost_of(request);
}

Response ApiImpl::handle(const Request& request) {
    const auto q = Query::parse(request.target);
    if (!q)
        return not_found();
    const Route route = match_route(request.method, q->path());
    const Call c{request, *q, route, options(), clock_.now()};
    if (!authorized(request, c.opt))
        return request_error(401, "invalid_credentials",
                             "You have to be logged in to perform this action.");
    finish_due_jobs(c.now);
    if (has_body(request) && !json_content_type(request))
        return request_error(415, "invalid_content_type",
                             "Content-Type header should have application/json");
    return dispatch(c);
}

Response ApiImpl::dispatch(const Call& c) {
    switch (c.route.ep) {
        case Ep::tickets_list:
            return tickets_list(c);
        case Ep::ticket_view:
            return ticket_view(c, false);
        case Ep::archived_view:
            return ticket_view(c, true);
        case Ep::ticket_delete:
            return ticket_delete(c);
        case Ep::archived_delete:
            return archived_delete(c);
        case Ep::ticket_restore:
            return ticket_restore(c);
        case Ep::bulk_delete:
            return bulk_delete(c);
        case Ep::job_view:
            return job_view(c);
        case Ep::contacts_list:
            return contacts_list(c);
        case Ep::contact_view:
            return contact_view(c);
        case Ep::contact_update:
            return contact_update(c);
        case Ep::contact_delete:
            return contact_delete(c);
        case Ep::contact_restore:
            return contact_restore(c);
        case Ep::contact_hard_delete:
            return contact_hard_delete(c);
        case Ep::agents_list:
            return agents_list(c);
        case Ep::groups_list:
            return groups_list(c);
        case Ep::companies_list:
            return companies_list(c);
        case Ep::ticket_fields:
            return ticket_fields(c);
        case Ep::search_tickets:
            return search_tickets(c);
        case Ep::search_contacts:
            return search_contacts(c);
        case Ep::wrong_method:
            return method_not_allowed(c.req.method, c.route.allow);
        case Ep::unknown:
            break;
    }
    return not_found();
}

std::optional<std::uint32_t> ticket_index(const Account& acc, std::string_view id) {
    const auto n = parse_positive(id);
    if (!n || *n > static_cast<std::int64_t>(acc.tickets.size()))
        return std::nullopt;
    return static_cast<std::uint32_t>(*n - 1);
}

bool has_body(const Request& r) {
    return r.body.find_first_not_of(" \t\r\n") != std::string::npos;
}

Response no_content_required() {
    return request_error(400, "no_content_required", "Request body is not allowed for this action");
}

std::optional<Response> refuse_query_or_body(const ApiImpl::Call& c) {
    Errors errors;
    c.q.check({}, errors);
    if (!errors.empty())
        return validation_error(errors);
    if (has_body(c.req))
        return no_content_required();
    return std::nullopt;
}

std::string ordinal(std::int64_t n) {
    const std::int64_t tens = n % 100;
    const char* suffix = "th";
    if (tens < 11 || tens > 13) {
        if (n % 10 == 1)
            suffix = "st";
        if (n % 10 == 2)
            suffix = "nd";
        if (n % 10 == 3)
            suffix = "rd";
    }
    return std::to_string(n) + suffix;
}

Response list_response(const ApiImpl::Call& c, boost::json::array items, bool has_next) {
    Response r = json_response(200, items);
    if (has_next) {
        const auto page = c.q.has("page") ? parse_positive(*c.q.get("page")).value_or(1) : 1;
        r.headers.emplace_back("Link", next_link(c.opt, c.req, c.q, page + 1));
    }
    return r;
}

std::unique_ptr<Api> make_api(const AccountSource& source, const ApiOptions& options,
                              Clock& clock) {
    if (!source.file.empty() && !source.generate_spec.empty())
        throw std::runtime_error("give an account file or a generator spec, not both");
    // Neither: a small generated account, enough for a first look.
    const std::string spec =
        source.generate_spec.empty() ? "contacts=1000,tickets=5000,seed=1" : source.generate_spec;
    auto account =
        source.file.empty() ? generate_account(spec, clock.now()) : load_account(source.file);
    return std::make_unique<ApiImpl>(std::move(account), options, clock);
}

}  // namespace sim
