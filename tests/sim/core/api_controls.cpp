// /_sim/ controls about the account (the server handles /_sim/stats, /_sim/log, /_sim/clock):
// GET /_sim/state, POST /_sim/options, and the changes of api_controls_edit.cpp.
#include "api_impl.hpp"
#include "controls.hpp"
#include "load_reader.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <shared_mutex>

namespace sim {

namespace json = boost::json;

std::optional<boost::json::object> body_object(const Request& r) {
    boost::json::error_code ec;
    const boost::json::value v =
        boost::json::parse(r.body.empty() ? std::string("{}") : r.body, ec);
    if (ec || !v.is_object())
        return std::nullopt;
    return v.get_object();
}

Id next_person_id(const Account& acc) {
    Id top = kPersonIdBase + 1000;  // real ids exceed 2^32
    for (const auto& c : acc.contacts)
        top = std::max(top, c.id);
    for (const auto& a : acc.agents)
        top = std::max(top, a.id);
    return top + 1;
}

Response control_error(int status, std::string_view message) {
    return json_response(status, json::object{{"error", message}});
}

const char* state_name(ContactState s) {
    switch (s) {
        case ContactState::active:
            return "active";
        case ContactState::soft_deleted:
            return "soft_deleted";
        case ContactState::blocked:
            return "blocked";
        case ContactState::hard_deleted:
            return "hard_deleted";
    }
    return "?";
}

const char* seen_name(Seen s) {
    switch (s) {
        case Seen::live:
            return "live";
        case Seen::spam:
            return "spam";
        case Seen::trash:
            return "trash";
        case Seen::archived:
            return "archived";
        case Seen::gone:
            return "gone";
    }
    return "?";
}

namespace {

json::array tag_array(const Account& acc, TagSet set) {
    json::array out;
    for (const auto t : acc.tag_names(set))
        out.emplace_back(t);
    return out;
}

}  // namespace

json::object ticket_file_json(const Account& acc, std::uint32_t index) {
    const Ticket& t = acc.tickets[index];
    json::object o{
        {"id", static_cast<Id>(index) + 1},
        {"requester_id", t.requester_id},
        {"responder_id", id_json(t.responder_id)},
        {"group_id", id_json(t.group_id)},
        {"company_id", id_json(t.company_id)},
        {"type", t.type == 0 ? json::value(nullptr) : json::value(acc.strings.at(t.type))},
        {"tags", tag_array(acc, t.tags)},
        {"status", int{t.status}},  // int: a uint8_t would become a uint64 JSON number
        {"priority", int{t.priority}},
        {"source", int{t.source}},
        {"spam", t.spam},
        {"deleted", t.state == TicketState::trash},
        {"created_at", time_json(t.created_at)},
        {"updated_at", time_json(t.updated_at)}};
    if (t.state == TicketState::trash)
        o["deleted_at"] = time_json(t.deleted_at);
    o["stats"] = json::object{{"closed_at", time_json(t.closed_at)},
                              {"resolved_at", time_json(t.resolved_at)},
                              {"status_updated_at", time_json(t.status_updated_at)},
                              {"reopened_at", time_json(t.reopened_at)}};
    return o;
}

json::object contact_file_json(const Account& acc, const Contact& c) {
    json::array companies(c.other_companies.begin(), c.other_companies.end());
    return json::object{{"id", c.id},
                        {"name", c.name},
                        {"email", c.email.empty() ? json::value(nullptr) : json::value(c.email)},
                        {"other_emails", json::array(c.other_emails.begin(), c.other_emails.end())},
                        {"phone", c.phone.empty() ? json::value(nullptr) : json::value(c.phone)},
                        {"mobile", c.mobile.empty() ? json::value(nullptr) : json::value(c.mobile)},
                        {"company_id", id_json(c.company_id)},
                        {"other_companies", std::move(companies)},
                        {"tags", tag_array(acc, c.tags)},
                        {"active", c.active},
                        {"state", state_name(c.state)},
                        {"was_agent", c.was_agent},
                        {"created_at", time_json(c.created_at)},
                        {"updated_at", time_json(c.updated_at)},
                        {"deleted_at", time_json(c.deleted_at)}};
}

Response ApiImpl::handle_control(const Request& r) {
    const auto q = Query::parse(r.target);
    if (!q)
        return control_error(400, "bad target");
    const std::string& p = q->path();
    constexpr std::string_view kTickets = "/_sim/tickets/";
    constexpr std::string_view kContacts = "/_sim/contacts/";
    if (r.method == "GET" && p == "/_sim/state")
        return control_state(r, *q);
    if (r.method != "POST")
        return control_error(405, "controls other than GET /_sim/state are POST");
    if (p == "/_sim/options")
        return control_options(r);
    if (p == "/_sim/tickets")
        return control_add_ticket(r);
    if (p == "/_sim/contacts")
        return control_add_contact(r);
    if (p == "/_sim/agents")
        return control_add_agent(r);
    if (p.starts_with(kTickets)) {
        const std::string_view rest = std::string_view(p).substr(kTickets.size());
        if (rest.ends_with("/reopen"))
            return control_edit_ticket(r, rest.substr(0, rest.size() - 7), true);
        return control_edit_ticket(r, rest, false);
    }
    if (p.starts_with(kContacts))
        return control_edit_contact(r, std::string_view(p).substr(kContacts.size()));
    return control_error(404, "unknown control " + p);
}

namespace {

json::object options_json(const ApiOptions& o);

json::object counts(const Account& acc, Time now, int archive_days) {
    json::object contacts{{"active", 0}, {"soft_deleted", 0}, {"blocked", 0}, {"hard_deleted", 0}};
    for (const auto& c : acc.contacts)
        contacts[state_name(c.state)] = contacts[state_name(c.state)].as_int64() + 1;
    json::object tickets{{"live", 0}, {"spam", 0}, {"trash", 0}, {"archived", 0}, {"gone", 0}};
    for (const auto& t : acc.tickets) {
        const char* k = seen_name(seen(t, now, archive_days));
        tickets[k] = tickets[k].as_int64() + 1;
    }
    std::int64_t running = 0;
    for (const auto& [id, job] : acc.jobs)
        running += job.done ? 0 : 1;
    return json::object{
        {"contacts", std::move(contacts)},
        {"agents", acc.agents.size()},
        {"groups", acc.groups.size()},
        {"companies", acc.companies.size()},
        {"tickets", std::move(tickets)},
        {"jobs", json::object{{"in_progress", running}, {"total", acc.jobs.size()}}}};
}

}  // namespace

Response ApiImpl::control_state(const Request&, const Query& q) {
    const Time now = clock_.now();
    finish_due_jobs(now);
    const ApiOptions opt = options();
    std::shared_lock lock(acc().mutex);
    json::object out{{"now", time_json(now)}, {"options", options_json(opt)}};
    out["counts"] = counts(acc(), now, opt.archiving_days());
    if (const auto* id = q.get("contact")) {
        const auto n = parse_positive(*id);
        const auto i = n ? acc().contact_at(*n) : std::nullopt;
        const auto a = n ? acc().agent_at(*n) : std::nullopt;
        json::value v = nullptr;
        if (i) {
            json::object c = contact_file_json(acc(), acc().contacts[*i]);
            json::array tickets;
            for (const auto t : acc().tickets_of(*n)) {
                if (seen(acc().tickets[t], now, opt.archiving_days()) != Seen::gone)
                    tickets.push_back(Id{t} + 1);
            }
            c["tickets"] = std::move(tickets);
            v = std::move(c);
        } else if (a) {
            v = json::object{{"id", *n},
                             {"agent", true},
                             {"name", acc().agents[*a].name},
                             {"email", acc().agents[*a].email}};
        }
        out["contact"] = std::move(v);
    }
    if (const auto* id = q.get("ticket")) {
        const auto i = ticket_index(acc(), *id);
        json::value v = nullptr;
        if (i) {
            json::object t = ticket_file_json(acc(), *i);
            t["seen"] = seen_name(seen(acc().tickets[*i], now, opt.archiving_days()));
            t["removal_at"] = time_json(acc().tickets[*i].removal_at);
            v = std::move(t);
        }
        out["ticket"] = std::move(v);
    }
    return json_response(200, out);
}

}  // namespace sim

namespace sim {

namespace {

json::object options_json(const ApiOptions& o) {
    // The API key is never shown (nor settable here: see control_options).
    return json::object{{"admin_key", o.admin_key},
                        {"tickets_page_cap", o.tickets_page_cap},
                        {"link_space_variant", o.link_space_variant},
                        {"contacts_updated_since_plain", o.contacts_updated_since_plain},
                        {"ticket_list_tags", o.ticket_list_tags},
                        {"job_seconds", o.job_seconds},
                        {"job_status_variant", o.job_status_variant},
                        {"base_url", o.base_url},
                        {"search_lag_seconds", o.search_lag_seconds},
                        {"archive_days", o.archive_days},
                        {"hard_delete_force_ignored", o.hard_delete_force_ignored},
                        {"ticket_type_choice_objects", o.ticket_type_choice_objects},
                        {"archive_feature", o.archive_feature},
                        {"archived_ticket_view", o.archived_ticket_view},
                        {"contact_blocked_field", o.contact_blocked_field},
                        {"gone_requester", o.gone_requester_empty ? "empty" : "400"}};
}

// Sets one option from JSON; false when the key is unknown or the value has the wrong type.
bool set_option(ApiOptions& o, std::string_view key, const json::value& v) {
    auto flag = [&](bool& field) {
        if (!v.is_bool())
            return false;
        field = v.get_bool();
        return true;
    };
    auto number = [&](int& field, int lo) {
        if (!v.is_int64() || v.get_int64() < lo || v.get_int64() > 1'000'000'000)
            return false;
        field = static_cast<int>(v.get_int64());
        return true;
    };
    auto text = [&](std::string& field) {
        if (!v.is_string())
            return false;
        field = std::string(v.get_string());
        return true;
    };
    if (key == "base_url")
        return text(o.base_url);
    if (key == "admin_key")
        return flag(o.admin_key);
    if (key == "link_space_variant")
        return flag(o.link_space_variant);
    if (key == "contacts_updated_since_plain")
        return flag(o.contacts_updated_since_plain);
    if (key == "ticket_list_tags")
        return flag(o.ticket_list_tags);
    if (key == "job_status_variant")
        return flag(o.job_status_variant);
    if (key == "hard_delete_force_ignored")
        return flag(o.hard_delete_force_ignored);
    if (key == "ticket_type_choice_objects")
        return flag(o.ticket_type_choice_objects);
    if (key == "tickets_page_cap")
        return number(o.tickets_page_cap, 1);
    if (key == "job_seconds")
        return number(o.job_seconds, 0);
    if (key == "search_lag_seconds")
        return number(o.search_lag_seconds, 0);
    if (key == "archive_days")
        return number(o.archive_days, 0);
    if (key == "archive_feature")
        return flag(o.archive_feature);
    if (key == "contact_blocked_field")
        return flag(o.contact_blocked_field);
    if (key == "gone_requester") {  // "400" or "empty", as --gone-requester takes them
        if (!v.is_string() || (v.get_string() != "400" && v.get_string() != "empty"))
            return false;
        o.gone_requester_empty = v.get_string() == "empty";
        return true;
    }
    if (key == "archived_ticket_view") {  // 404 or 301, as the status it answers
        if (!v.is_int64() || (v.get_int64() != 404 && v.get_int64() != 301))
            return false;
        o.archived_ticket_view = static_cast<int>(v.get_int64());
        return true;
    }
    return false;
}

}  // namespace

Response ApiImpl::control_options(const Request& r) {
    json::error_code ec;
    const json::value v = json::parse(r.body.empty() ? std::string("{}") : r.body, ec);
    if (ec || !v.is_object())
        return control_error(400, "body must be a JSON object");
    std::lock_guard lock(options_mutex_);
    ApiOptions changed = options_;
    for (const auto& kv : v.get_object()) {
        // The server masks the key in its log with the value it had at start: a key changed at
        // run time would be logged in clear. It is set with --api-key only.
        if (kv.key() == "api_key")
            return control_error(400,
                                 "api_key cannot be changed at run time: start "
                                 "freshdesk-sim with --api-key KEY");
        if (!set_option(changed, kv.key(), kv.value()))
            return control_error(400, "unknown option or bad value: " + std::string(kv.key()));
    }
    options_ = changed;  // all or nothing
    return json_response(200, options_json(options_));
}

}  // namespace sim
