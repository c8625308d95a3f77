// GET /tickets and GET /tickets/{id} (and /tickets/archived/{id}).
#include "api_impl.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <shared_mutex>

namespace sim {

namespace json = boost::json;

namespace {

enum class Order { created_at, updated_at, status };

struct ListParams {
    Seen want = Seen::live;
    Id requester = 0;
    bool requester_given = false;
    Id company = 0;
    Time since = kNoTime;
    Time created_from = kNoTime;  // the default 30-day window
    Order order = Order::created_at;
    bool desc = true;
    TicketView view;
};

void read_includes(const ApiImpl::Call& c, ListParams& p, Errors& errors) {
    const auto* include = c.q.get("include");
    if (include == nullptr)
        return;
    for (const auto& item : include_list(*include)) {
        if (item == "stats")
            p.view.stats = true;
        else if (item == "requester")
            p.view.requester = true;
        else if (item == "description")
            p.view.description = true;
        else if (item == "company")
            p.view.company = true;
        else
            errors.push_back({"include",
                              "It should be one of these values: 'requester,stats,description,"
                              "company'",
                              "invalid_value"});
    }
}

// The contact (any of its emails) or agent with this email; -1 (matches nothing) when none.
Id requester_by_email(const Account& acc, const std::string& email) {
    if (const auto i = acc.contact_by_email(email))
        return acc.contacts[*i].id;
    for (const auto& a : acc.agents) {
        if (iequals(a.email, email))
            return a.id;
    }
    return -1;
}

// Whether `id` names someone the tickets list can filter by: a contact that still exists (live,
// soft-deleted, blocked; one that was once an agent is only anonymized by its hard deletion, and
// keeps its tickets) or an agent. A hard-deleted contact, or an id nobody has, is no one.
bool requester_exists(const Account& acc, Id id) {
    if (acc.agent_at(id))
        return true;
    const auto i = acc.contact_at(id);
    if (!i)
        return false;
    const Contact& contact = acc.contacts[*i];
    return contact.state != ContactState::hard_deleted || contact.was_agent;
}

void read_filters(const ApiImpl::Call& c, const Account& acc, ListParams& p, Errors& errors) {
    if (const auto* f = c.q.get("filter")) {
        if (*f == "deleted")
            p.want = Seen::trash;
        else if (*f == "spam")
            p.want = Seen::spam;
        else
            errors.push_back(
                {"filter", "It should be one of these values: 'deleted,spam'", "invalid_value"});
    }
    if (const auto* r = c.q.get("requester_id")) {
        const auto v = parse_positive(*r);
        if (!v)
            errors.push_back(
                {"requester_id", "It should be a/an Positive Integer", "datatype_mismatch"});
        else if (!c.opt.gone_requester_empty && !requester_exists(acc, *v))
            errors.push_back({"requester_id", "There is no contact matching the given requester_id",
                              "invalid_value"});
        p.requester = v.value_or(0);
        p.requester_given = true;
    }
    if (const auto* e = c.q.get("email")) {
        const Id id = requester_by_email(acc, *e);
        p.requester = p.requester_given && p.requester != id ? -1 : id;
        p.requester_given = true;
    }
    if (const auto* co = c.q.get("company_id")) {
        const auto v = parse_positive(*co);
        if (!v)
            errors.push_back(
                {"company_id", "It should be a/an Positive Integer", "datatype_mismatch"});
        p.company = v.value_or(0);
    }
}

void read_order(const ApiImpl::Call& c, ListParams& p, Errors& errors) {
    if (const auto* s = c.q.get("updated_since")) {
        const auto t = parse_query_time(*s);
        if (!t)
            errors.push_back({"updated_since", "It should be in the 'YYYY-MM-DDTHH:MM:SSZ' format",
                              "invalid_value"});
        p.since = t.value_or(kNoTime);
    } else {
        p.created_from = c.now - 30 * kDay;  // without updated_since: created in the last 30 days
    }
    if (const auto* o = c.q.get("order_by")) {
        if (*o == "created_at")
            p.order = Order::created_at;
        else if (*o == "updated_at")
            p.order = Order::updated_at;
        else if (*o == "status")
            p.order = Order::status;
        else
            errors.push_back({"order_by",
                              "It should be one of these values: 'created_at,"
                              "updated_at,status'",
                              "invalid_value"});
    }
    if (const auto* t = c.q.get("order_type")) {
        if (*t == "asc" || *t == "desc")
            p.desc = *t == "desc";
        else
            errors.push_back(
                {"order_type", "It should be one of these values: 'asc,desc'", "invalid_value"});
    }
}

bool accepts(const Ticket& t, const ListParams& p, Time now, int archive_days) {
    if (seen(t, now, archive_days) != p.want)
        return false;
    if (p.requester_given && t.requester_id != p.requester)
        return false;
    if (p.company != 0 && t.company_id != p.company)
        return false;
    if (p.since != kNoTime && t.updated_at < p.since)
        return false;
    return p.created_from == kNoTime || t.created_at >= p.created_from;
}

using Visit = std::function<bool(std::uint32_t)>;  // false: stop

Time order_key(const Ticket& t, Order o) {
    return o == Order::created_at ? t.created_at : o == Order::updated_at ? t.updated_at : t.status;
}

// Small candidate sets (one requester, or ordering by status): filter, then sort.
void visit_sorted(const Account& acc, std::vector<std::uint32_t> all, const ListParams& p,
                  const Visit& visit) {
    std::sort(all.begin(), all.end(), [&](std::uint32_t a, std::uint32_t b) {
        const Time ka = order_key(acc.tickets[a], p.order);
        const Time kb = order_key(acc.tickets[b], p.order);
        if (ka != kb)
            return p.desc ? ka > kb : ka < kb;
        return p.desc ? a > b : a < b;
    });
    for (const auto i : all) {
        if (!visit(i))
            return;
    }
}

template <class It>
void visit_range(It begin, It end, const Visit& visit) {
    for (auto it = begin; it != end; ++it) {
        if (!visit(it->second))
            return;
    }
}

// Tickets in list order; ties on the sort key go by id, in the same direction.
void visit_in_order(const Account& acc, const ListParams& p,
                    const std::function<bool(std::uint32_t)>& keep, const Visit& visit) {
    std::vector<std::uint32_t> picked;
    auto collect = [&](std::uint32_t i) {
        if (keep(i))
            picked.push_back(i);
        return true;
    };
    // updated_at >= created_at, so both lower bounds can start the updated_at index.
    const Time from = p.since != kNoTime ? p.since : p.created_from;
    if (p.requester_given) {
        for (const auto i : acc.tickets_of(p.requester))
            collect(i);
        return visit_sorted(acc, std::move(picked), p, visit);
    }
    if (p.order == Order::updated_at || p.order == Order::status) {
        const auto& idx = acc.by_updated();
        const auto lo = idx.lower_bound({from, 0});
        if (p.order == Order::status) {
            visit_range(lo, idx.end(), Visit(collect));
            return visit_sorted(acc, std::move(picked), p, visit);
        }
        auto filtered = [&](std::uint32_t i) { return !keep(i) || visit(i); };
        if (p.desc)
            return visit_range(idx.rbegin(), std::make_reverse_iterator(lo), Visit(filtered));
        return visit_range(lo, idx.end(), Visit(filtered));
    }
    const auto& idx = acc.by_created();
    const auto lo = std::lower_bound(idx.begin(), idx.end(), Account::Key{p.created_from, 0});
    auto filtered = [&](std::uint32_t i) { return !keep(i) || visit(i); };
    if (p.desc)
        return visit_range(idx.rbegin(), std::make_reverse_iterator(lo), Visit(filtered));
    visit_range(lo, idx.end(), Visit(filtered));
}

}  // namespace

Response ApiImpl::tickets_list(const Call& c) {
    Errors errors;
    c.q.check({"page", "per_page", "updated_since", "order_by", "order_type", "include", "filter",
               "requester_id", "email", "company_id"},
              errors);
    const Paging pg = read_paging(c.q, errors);
    ListParams p;
    p.view.tags = c.opt.ticket_list_tags;
    std::shared_lock lock(acc().mutex);
    read_includes(c, p, errors);
    read_filters(c, acc(), p, errors);
    read_order(c, p, errors);
    if (errors.empty() && pg.page > c.opt.tickets_page_cap) {
        errors.push_back({"page",
                          "You cannot access tickets beyond the " +
                              ordinal(c.opt.tickets_page_cap) +
                              " page. Please provide a smaller page number.",
                          "invalid_value"});
    }
    if (!errors.empty())
        return validation_error(errors);
    const std::int64_t skip = (pg.page - 1) * pg.per_page;
    std::int64_t n = 0;
    json::array items;
    bool has_next = false;
    auto keep = [&](std::uint32_t i) {
        return accepts(acc().tickets[i], p, c.now, c.opt.archiving_days());
    };
    visit_in_order(acc(), p, keep, [&](std::uint32_t i) {
        if (n >= skip + pg.per_page) {
            has_next = true;
            return false;
        }
        if (n++ >= skip)
            items.push_back(ticket_json(acc(), i, acc().tickets[i], p.view));
        return true;
    });
    return list_response(c, std::move(items), has_next);
}

Response require_feature() {
    return request_error(403, "require_feature",
                         "The Archive Tickets feature(s) is/are not supported in your plan. Please "
                         "upgrade your account to use it.");
}

namespace {

// GET /tickets/{id} of an archived ticket with archived_ticket_view 301: a permanent redirect to
// the archived URL, with the HTML body a Rails redirect has (never JSON: a client must not follow
// it, nor parse it).
Response moved_to_archive(const ApiImpl::Call& c, std::uint32_t index) {
    const std::string url =
        base_url(c.opt, c.req) + "/api/v2/tickets/archived/" + std::to_string(Id{index} + 1);
    Response r;
    r.status = 301;
    r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    r.headers.emplace_back("Location", url);
    r.body = "<html><body>You are being <a href=\"" + url + "\">redirected</a>.</body></html>";
    return r;
}

}  // namespace

Response ApiImpl::ticket_view(const Call& c, bool archived) {
    // An account without archiving refuses the archived endpoints whatever the id or query.
    if (archived && !c.opt.archive_feature)
        return require_feature();
    Errors errors;
    c.q.check({"include"}, errors);
    TicketView view;
    view.full = true;
    if (const auto* include = c.q.get("include")) {
        for (const auto& item : include_list(*include)) {
            if (item == "stats")
                view.stats = true;
            else if (item == "requester")
                view.requester = true;
            else if (item == "company")
                view.company = true;
            else if (item == "conversations")
                view.conversations = true;
            else
                errors.push_back({"include",
                                  "It should be one of these values: 'conversations,"
                                  "requester,company,stats'",
                                  "invalid_value"});
        }
    }
    if (!errors.empty())
        return validation_error(errors);
    std::shared_lock lock(acc().mutex);
    const auto index = ticket_index(acc(), c.route.id);
    if (!index)
        return not_found();
    const Ticket& t = acc().tickets[*index];
    const Seen s = seen(t, c.now, c.opt.archiving_days());
    // Archived tickets answer only at /tickets/archived/{id}, and only they do (or, with
    // archived_ticket_view 301, /tickets/{id} redirects there).
    if (s == Seen::archived && !archived && c.opt.archived_ticket_view == 301)
        return moved_to_archive(c, *index);
    if (s == Seen::gone || (s == Seen::archived) != archived)
        return not_found();
    if (archived)  // includes are accepted and ignored: the archived view has no stats
        return json_response(200, archived_ticket_json(acc(), *index, t));
    return json_response(200, ticket_json(acc(), *index, t, view));
}

}  // namespace sim
