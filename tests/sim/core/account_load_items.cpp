// The sections of an account file; docs/simulator-account.md describes each key.
#include "load_reader.hpp"

#include <algorithm>
#include <unordered_set>

namespace sim::load {

namespace json = boost::json;

namespace {

std::string item(const std::string& section, std::size_t i) {
    return "$." + section + "[" + std::to_string(i) + "]";
}

void read_named(std::vector<Named>& out, const json::value& v, const std::string& section) {
    const auto& arr = as_array(v, "$." + section);
    std::unordered_set<std::string> names;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const Obj o(arr[i], item(section, i));
        o.allow({"id", "name", "created_at", "updated_at"});
        Named n{o.id("id"), o.str("name"), o.time_or_null("created_at"),
                o.time_or_null("updated_at")};
        // Rules name groups and companies: a name must say which one it is.
        if (!names.insert(lower(n.name)).second)
            fail(o.at("name"), "duplicate name");
        if (std::any_of(out.begin(), out.end(), [&](const Named& x) { return x.id == n.id; }))
            fail(o.at("id"), "duplicate id");
        out.push_back(std::move(n));
    }
}

}  // namespace

void read_groups(Account& acc, const json::value& v) {
    read_named(acc.groups, v, "groups");
}

void read_companies(Account& acc, const json::value& v) {
    read_named(acc.companies, v, "companies");
}

void read_ticket_types(Account& acc, const json::value& v) {
    const auto& arr = as_array(v, "$.ticket_types");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string path = item("ticket_types", i);
        if (!arr[i].is_string() || arr[i].get_string().empty())
            fail(path, "expected a non-empty string");
        const Sym s = acc.strings.intern(arr[i].get_string());
        if (std::find(acc.ticket_types.begin(), acc.ticket_types.end(), s) !=
            acc.ticket_types.end())
            fail(path, "duplicate type");
        acc.ticket_types.push_back(s);
    }
}

Agent read_agent(const Obj& o) {
    o.allow({"id", "name", "email", "occasional", "created_at", "updated_at"});
    return Agent{o.id("id"),
                 o.str("name"),
                 o.str("email"),
                 o.boolean("occasional", false),
                 o.time_or_null("created_at"),
                 o.time_or_null("updated_at")};
}

void read_agents(Account& acc, const json::value& v) {
    const auto& arr = as_array(v, "$.agents");
    for (std::size_t i = 0; i < arr.size(); ++i)
        acc.agents.push_back(read_agent(Obj(arr[i], item("agents", i))));
}

namespace {

ContactState contact_state(const Obj& o) {
    const std::string s = o.has("state") ? o.str("state") : "active";
    if (s == "active")
        return ContactState::active;
    if (s == "soft_deleted")
        return ContactState::soft_deleted;
    if (s == "blocked")
        return ContactState::blocked;
    fail(o.at("state"), "expected active, soft_deleted or blocked");
}

void check_company(const Account& acc, Id id, const std::string& path) {
    if (id != 0 && acc.company(id) == nullptr)
        fail(path, "no company has this id");
}

Contact contact_item(Account& acc, const Obj& o) {
    o.allow({"id", "name", "email", "other_emails", "phone", "mobile", "company_id",
             "other_companies", "tags", "active", "state", "was_agent", "created_at", "updated_at",
             "deleted_at"});
    Contact c;
    c.id = o.id("id");
    c.name = o.str("name");
    c.email = o.str_or_empty("email");
    c.other_emails = o.strings("other_emails");
    c.phone = o.str_or_empty("phone");
    c.mobile = o.str_or_empty("mobile");
    c.company_id = o.id_or_null("company_id");
    check_company(acc, c.company_id, o.at("company_id"));
    c.other_companies = o.ids("other_companies");
    for (const Id id : c.other_companies)
        check_company(acc, id, o.at("other_companies"));
    c.tags = acc.intern_tags(o.strings("tags"));
    c.active = o.boolean("active", true);
    c.state = contact_state(o);
    c.was_agent = o.boolean("was_agent", false);
    c.created_at = o.time("created_at");
    c.updated_at = o.time("updated_at");
    if (c.updated_at < c.created_at)
        fail(o.at("updated_at"), "earlier than created_at");
    c.deleted_at = o.time_or_null("deleted_at");
    if (c.state == ContactState::soft_deleted && c.deleted_at == kNoTime)
        c.deleted_at = c.updated_at;
    return c;
}

}  // namespace

void read_contacts(Account& acc, const json::value& v) {
    const auto& arr = as_array(v, "$.contacts");
    acc.contacts.reserve(arr.size());
    for (std::size_t i = 0; i < arr.size(); ++i) {
        acc.contacts.push_back(contact_item(acc, Obj(arr[i], item("contacts", i))));
    }
}

namespace {

void read_stats(Ticket& t, const Obj& o) {
    if (!o.has("stats") || o.get("stats")->is_null())
        return;
    const Obj s(*o.get("stats"), o.at("stats"));
    s.allow({"closed_at", "resolved_at", "status_updated_at", "reopened_at"});
    t.closed_at = s.time_or_null("closed_at");
    t.resolved_at = s.time_or_null("resolved_at");
    t.status_updated_at = s.time_or_null("status_updated_at");
    t.reopened_at = s.time_or_null("reopened_at");
    // Freshdesk's invariant, which the client may rely on: a ticket is updated when it closes.
    if (t.closed_at != kNoTime && t.closed_at > t.updated_at)
        fail(s.at("closed_at"), "later than the ticket's updated_at");
}

void read_refs(const Account& acc, Ticket& t, const Obj& o) {
    t.requester_id = o.id("requester_id");
    t.responder_id = o.id_or_null("responder_id");
    if (t.responder_id != 0 && !acc.agent_at(t.responder_id))
        fail(o.at("responder_id"), "no agent has this id");
    t.group_id = o.id_or_null("group_id");
    if (t.group_id != 0 && acc.group(t.group_id) == nullptr)
        fail(o.at("group_id"), "no group has this id");
    t.company_id = o.id_or_null("company_id");
    check_company(acc, t.company_id, o.at("company_id"));
}

Ticket ticket_item(Account& acc, const Obj& o) {
    o.allow({"id", "requester_id", "responder_id", "group_id", "company_id", "type", "tags",
             "status", "priority", "source", "spam", "deleted", "deleted_at", "created_at",
             "updated_at", "stats"});
    Ticket t;
    read_refs(acc, t, o);
    const std::string type = o.str_or_empty("type");
    if (!type.empty()) {
        t.type = acc.strings.find(type);
        if (std::find(acc.ticket_types.begin(), acc.ticket_types.end(), t.type) ==
            acc.ticket_types.end())
            fail(o.at("type"), "not one of ticket_types");
    }
    t.tags = acc.intern_tags(o.strings("tags"));
    t.status = static_cast<std::uint8_t>(o.integer("status", 2, 20, 2));
    t.priority = static_cast<std::uint8_t>(o.integer("priority", 1, 4, 1));
    t.source = static_cast<std::uint8_t>(o.integer("source", 1, 10, 2));
    t.spam = o.boolean("spam", false);
    t.created_at = o.time("created_at");
    t.updated_at = o.time("updated_at");
    if (t.updated_at < t.created_at)
        fail(o.at("updated_at"), "earlier than created_at");
    if (o.boolean("deleted", false)) {
        t.state = TicketState::trash;
        t.deleted_at = o.has("deleted_at") ? o.time("deleted_at") : t.updated_at;
    } else if (o.has("deleted_at")) {
        fail(o.at("deleted_at"), "only for a deleted ticket");
    }
    read_stats(t, o);
    return t;
}

}  // namespace

void read_tickets(Account& acc, const json::value& v) {
    constexpr Id kMaxId = 50'000'000;  // ids are display numbers: keep the table dense
    const auto& arr = as_array(v, "$.tickets");
    std::vector<std::pair<Id, Ticket>> rows;
    rows.reserve(arr.size());
    Id next = 1;
    Id max_id = 0;
    std::unordered_set<Id> seen_ids;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const Obj o(arr[i], item("tickets", i));
        const Id id = o.has("id") ? o.id("id") : next;
        if (id > kMaxId)
            fail(o.at("id"), "above " + std::to_string(kMaxId));
        if (!seen_ids.insert(id).second)
            fail(o.at("id"), "duplicate ticket id");
        rows.emplace_back(id, ticket_item(acc, o));
        next = id + 1;
        max_id = std::max(max_id, id);
    }
    // Missing display numbers are tickets that no longer exist.
    Ticket gap;
    gap.state = TicketState::gone;
    acc.tickets.assign(static_cast<std::size_t>(max_id), gap);
    for (auto& [id, t] : rows)
        acc.tickets[static_cast<std::size_t>(id - 1)] = t;
}

Ticket read_ticket(Account& acc, const Obj& o) {
    return ticket_item(acc, o);
}

Contact read_contact(Account& acc, const Obj& o) {
    return contact_item(acc, o);
}

}  // namespace sim::load
