#include "routes.hpp"

#include "http.hpp"

#include <algorithm>
#include <array>

namespace sim {

namespace {

struct MethodEp {
    std::string_view method;
    Ep ep;
};

struct Pattern {
    std::string_view path;
    std::vector<MethodEp> methods;
};

// Literal segments are tried before {id} because the table is in this order.
const std::vector<Pattern>& patterns() {
    static const std::vector<Pattern> kPatterns = {
        {"/tickets", {{"GET", Ep::tickets_list}}},
        {"/tickets/bulk_delete", {{"POST", Ep::bulk_delete}}},
        {"/tickets/archived/{id}", {{"GET", Ep::archived_view}, {"DELETE", Ep::archived_delete}}},
        {"/tickets/{id}", {{"GET", Ep::ticket_view}, {"DELETE", Ep::ticket_delete}}},
        {"/tickets/{id}/restore", {{"PUT", Ep::ticket_restore}}},
        {"/jobs/{id}", {{"GET", Ep::job_view}}},
        {"/contacts", {{"GET", Ep::contacts_list}}},
        {"/contacts/{id}",
         {{"GET", Ep::contact_view}, {"PUT", Ep::contact_update}, {"DELETE", Ep::contact_delete}}},
        {"/contacts/{id}/restore", {{"PUT", Ep::contact_restore}}},
        {"/contacts/{id}/hard_delete", {{"DELETE", Ep::contact_hard_delete}}},
        {"/agents", {{"GET", Ep::agents_list}}},
        {"/groups", {{"GET", Ep::groups_list}}},
        {"/companies", {{"GET", Ep::companies_list}}},
        {"/ticket_fields", {{"GET", Ep::ticket_fields}}},
        {"/search/tickets", {{"GET", Ep::search_tickets}}},
        {"/search/contacts", {{"GET", Ep::search_contacts}}},
    };
    return kPatterns;
}

std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t pos = 1;
    while (pos <= path.size()) {
        const std::size_t end = std::min(path.find('/', pos), path.size());
        out.push_back(path.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

// Matches and captures {id}; an empty segment never matches.
bool matches(std::string_view pattern, std::string_view path, std::string& id) {
    const auto p = split(pattern);
    const auto s = split(path);
    if (p.size() != s.size())
        return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (s[i].empty())
            return false;
        if (p[i] == "{id}") {
            id = std::string(s[i]);
        } else if (p[i] != s[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

Route match_route(std::string_view method, std::string_view path) {
    constexpr std::string_view kPrefix = "/api/v2";
    Route r;
    if (path.substr(0, kPrefix.size()) != kPrefix)
        return r;
    const std::string_view rest = path.substr(kPrefix.size());
    for (const auto& p : patterns()) {
        std::string id;
        if (!matches(p.path, rest, id))
            continue;
        r.pattern = std::string(p.path);
        r.id = id;
        for (const auto& m : p.methods) {
            if (m.method == method) {
                r.ep = m.ep;
                return r;
            }
            r.allow += (r.allow.empty() ? "" : ", ") + std::string(m.method);
        }
        r.ep = Ep::wrong_method;
        return r;
    }
    return r;
}

std::vector<std::string> include_list(std::string_view include) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= include.size()) {
        const std::size_t end = std::min(include.find(',', pos), include.size());
        std::string item(include.substr(pos, end - pos));
        if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end())
            out.push_back(std::move(item));
        pos = end + 1;
    }
    return out;
}

Cost cost_of(const Request& request) {
    Cost c;
    const auto q = Query::parse(request.target);
    if (!q) {
        c.endpoint = request.method + " (bad target)";
        return c;
    }
    if (q->path().starts_with("/_sim")) {  // test controls: free, outside the account's budget
        c.credits = 0;
        c.endpoint = request.method + " " + q->path();
        return c;
    }
    const Route r = match_route(request.method, q->path());
    c.endpoint = request.method + " " + (r.ep == Ep::unknown ? "(unknown)" : r.pattern);
    // Every include is charged, valid or not: invalid requests count too.
    const auto* include = q->get("include");
    const auto includes = include ? static_cast<int>(include_list(*include).size()) : 0;
    if (r.ep == Ep::tickets_list) {
        c.credits += 2 * includes;
        c.bucket = Bucket::tickets_list;
    } else if (r.ep == Ep::ticket_view) {
        c.credits += includes;  // /tickets/archived/{id}: 1 credit, includes or not
    } else if (r.ep == Ep::contacts_list) {
        c.bucket = Bucket::contacts_list;
    }
    return c;
}

}  // namespace sim
