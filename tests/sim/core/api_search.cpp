// GET /search/tickets and /search/contacts: 30 results a page, pages 1 to 10, no Link header, and
// an index that lags (it answers from the account as it was search_lag_seconds ago).
#include "api_impl.hpp"
#include "search_query.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <shared_mutex>
#include <tuple>

namespace sim {

namespace json = boost::json;

namespace {

constexpr std::int64_t kSearchPerPage = 30;
constexpr std::int64_t kSearchPages = 10;

std::optional<SearchNode> read_search(const ApiImpl::Call& c, SearchKind kind, std::int64_t& page,
                                      Errors& errors) {
    c.q.check({"query", "page"}, errors);
    page = 1;
    if (const auto* p = c.q.get("page")) {
        const auto v = parse_positive(*p);
        if (!v)
            errors.push_back({"page", "It should be a/an Positive Integer", "datatype_mismatch"});
        else if (*v > kSearchPages)
            errors.push_back({"page", "Has to be less than or equal to 10", "invalid_value"});
        page = v.value_or(1);
    }
    const auto* query = c.q.get("query");
    if (query == nullptr) {
        errors.push_back({"query", "It should be a/an String", "missing_field"});
        return std::nullopt;
    }
    if (!errors.empty())
        return std::nullopt;
    return parse_search(*query, kind, errors);
}

template <class Key>
Response results(std::vector<Key>& hits, std::int64_t page,
                 const std::function<json::object(std::size_t)>& to_json) {
    // Newest first: created_at descending, then id descending.
    std::sort(hits.begin(), hits.end(), [](const Key& a, const Key& b) { return a > b; });
    json::array items;
    const auto from = static_cast<std::size_t>((page - 1) * kSearchPerPage);
    for (std::size_t i = from; i < hits.size() && i < from + kSearchPerPage; ++i)
        items.push_back(to_json(i));
    return json_response(200, json::object{{"total", hits.size()}, {"results", std::move(items)}});
}

}  // namespace

Response ApiImpl::search_tickets(const Call& c) {
    Errors errors;
    std::int64_t page = 1;
    const auto node = read_search(c, SearchKind::tickets, page, errors);
    if (!node)
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    const Time as_of = c.now - std::max(0, c.opt.search_lag_seconds);
    std::vector<std::tuple<Time, std::uint32_t, const Ticket*>> hits;
    for (std::uint32_t i = 0; i < acc().tickets.size(); ++i) {
        const Ticket* t = acc().ticket_as_of(i, as_of);
        if (t == nullptr || seen(*t, as_of, c.opt.archiving_days()) != Seen::live)
            continue;
        if (matches(*node, acc(), *t))
            hits.emplace_back(t->created_at, i, t);
    }
    TicketView view;  // search results carry tags whatever the list option
    return results(hits, page, [&](std::size_t k) {
        return ticket_json(acc(), std::get<1>(hits[k]), *std::get<2>(hits[k]), view);
    });
}

Response ApiImpl::search_contacts(const Call& c) {
    Errors errors;
    std::int64_t page = 1;
    const auto node = read_search(c, SearchKind::contacts, page, errors);
    if (!node)
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    const Time as_of = c.now - std::max(0, c.opt.search_lag_seconds);
    std::vector<std::tuple<Time, Id, const Contact*>> hits;
    for (std::size_t i = 0; i < acc().contacts.size(); ++i) {
        const Contact* x = acc().contact_as_of(i, as_of);
        // Deleted contacts are not searchable (soft- or hard-deleted).
        if (x == nullptr || x->state == ContactState::soft_deleted ||
            x->state == ContactState::hard_deleted)
            continue;
        if (matches(*node, acc(), *x))
            hits.emplace_back(x->created_at, x->id, x);
    }
    // Results are reduced items, like the contacts list: no tags, no other emails or companies.
    return results(hits, page, [&](std::size_t k) {
        return contact_json(acc(), *std::get<2>(hits[k]), false, c.opt.contact_blocked_field);
    });
}

}  // namespace sim
