// The controls that change the account between two commands of a test: add a ticket, edit or
// reopen one, add a contact, edit or tag one, add an agent. Bodies use the account file's shape
// (docs/simulator-account.md) and are checked as strictly as the file.
#include "api_impl.hpp"
#include "controls.hpp"
#include "load_reader.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <shared_mutex>

namespace sim {

namespace json = boost::json;

namespace {

std::optional<std::string> unexpected_key(const json::object& body,
                                          std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : body) {
        if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
            return std::string(kv.key());
    }
    return std::nullopt;
}

// A closed or resolved ticket without its close times gets them from updated_at.
void default_stats(json::object& t) {
    const auto status = t["status"].is_int64() ? t["status"].get_int64() : 2;
    if (!t["stats"].is_object())
        t["stats"] = json::object{};
    auto& stats = t["stats"].get_object();
    auto fill = [&](const char* key) {
        if (!stats.contains(key) || stats[key].is_null())
            stats[key] = t["updated_at"];
    };
    if (status == 4 || status == 5)
        fill("resolved_at");
    if (status == 5)
        fill("closed_at");
    fill("status_updated_at");
}

// The ticket `t` (file shape) with the edit or reopening of `body` applied.
json::object overlay(json::object t, const json::object& body, bool reopen, Time now) {
    const auto old_status = t["status"];
    if (!body.contains("updated_at"))
        t["updated_at"] = format_time(now);
    if (reopen) {
        t["status"] = body.contains("status") ? body.at("status") : json::value(2);
        t["stats"].as_object()["reopened_at"] = format_time(now);
        t["stats"].as_object()["status_updated_at"] = format_time(now);
    }
    for (const auto& kv : body) {
        if (kv.key() == "stats" && kv.value().is_object()) {
            for (const auto& st : kv.value().get_object())
                t["stats"].as_object()[st.key()] = st.value();
        } else {
            t[kv.key()] = kv.value();
        }
    }
    if (t["status"] != old_status && !reopen)
        t["stats"].as_object()["status_updated_at"] = t["updated_at"];
    default_stats(t);
    return t;
}

// Replaces what an edit may change, keeping the ticket's identity, state and index entries right.
void replace_ticket(Account& acc, std::uint32_t i, Ticket edited) {
    Ticket& ticket = acc.tickets[i];
    const Time updated = edited.updated_at;
    edited.updated_at = ticket.updated_at;  // set_ticket_updated moves it in the index
    edited.state = ticket.state;
    edited.deleted_at = ticket.deleted_at;
    edited.removal_at = ticket.removal_at;
    edited.requester_id = ticket.requester_id;
    edited.created_at = ticket.created_at;
    ticket = edited;
    acc.set_ticket_updated(i, updated);
}

}  // namespace

Response ApiImpl::control_add_ticket(const Request& r) {
    auto body = body_object(r);
    if (!body)
        return control_error(400, "body must be a JSON object");
    if (body->contains("id"))
        return control_error(400, "id: a new ticket takes the next display number");
    const Time now = clock_.now();
    const ApiOptions opt = options();
    std::unique_lock lock(acc().mutex);
    json::object& t = *body;
    // Defaults: created now; updated when created.
    if (!t.contains("created_at"))
        t["created_at"] = format_time(now);
    if (!t.contains("updated_at"))
        t["updated_at"] = t["created_at"];
    default_stats(t);
    if (!t.contains("company_id") && t["requester_id"].is_int64()) {
        if (const auto c = acc().contact_at(t["requester_id"].get_int64()))
            t["company_id"] = id_json(acc().contacts[*c].company_id);
    }
    try {
        const Ticket ticket = load::read_ticket(acc(), load::Obj(t, "$"));
        const auto index = acc().add_ticket(ticket);
        acc().remember_ticket(index, now, opt.search_lag_seconds,
                              false);  // not yet in the search index
        return json_response(201, ticket_file_json(acc(), index));
    } catch (const load::Error& e) {
        return control_error(400, e.what());
    }
}

Response ApiImpl::control_edit_ticket(const Request& r, std::string_view id, bool reopen) {
    auto body = body_object(r);
    if (!body)
        return control_error(400, "body must be a JSON object");
    const auto bad =
        reopen
            ? unexpected_key(*body, {"status"})
            : unexpected_key(*body, {"status", "priority", "source", "group_id", "responder_id",
                                     "company_id", "type", "tags", "spam", "updated_at", "stats"});
    if (bad)
        return control_error(400, "cannot change " + *bad + " here");
    const Time now = clock_.now();
    const ApiOptions opt = options();
    std::unique_lock lock(acc().mutex);
    const auto i = ticket_index(acc(), id);
    const Seen s = i ? seen(acc().tickets[*i], now, opt.archiving_days()) : Seen::gone;
    if (s == Seen::gone)
        return control_error(404, "no such ticket");
    if (reopen && s != Seen::live && s != Seen::archived)
        return control_error(400, "only a live ticket can be reopened");
    const json::object t = overlay(ticket_file_json(acc(), *i), *body, reopen, now);
    try {
        const Ticket edited = load::read_ticket(acc(), load::Obj(t, "$"));
        acc().remember_ticket(*i, now, opt.search_lag_seconds);
        replace_ticket(acc(), *i, edited);
        return json_response(200, ticket_file_json(acc(), *i));
    } catch (const load::Error& e) {
        return control_error(400, e.what());
    }
}

Response ApiImpl::control_add_agent(const Request& r) {
    auto body = body_object(r);
    if (!body)
        return control_error(400, "body must be a JSON object");
    const Time now = clock_.now();
    std::unique_lock lock(acc().mutex);
    json::object& a = *body;
    if (!a.contains("id"))
        a["id"] = next_person_id(acc());
    if (!a.contains("created_at"))
        a["created_at"] = format_time(now);
    if (!a.contains("updated_at"))
        a["updated_at"] = format_time(now);
    try {
        Agent agent = load::read_agent(load::Obj(a, "$"));
        acc().add_agent(agent);
        return json_response(201, agent_json(agent));
    } catch (const std::runtime_error& e) {
        return control_error(400, e.what());
    }
}

}  // namespace sim
