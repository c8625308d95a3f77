#include "views.hpp"

#include <boost/json.hpp>

namespace sim {

namespace json = boost::json;

json::value time_json(Time t) {
    if (t == kNoTime)
        return nullptr;
    return json::value(format_time(t));
}

json::value id_json(Id id) {
    if (id == 0)
        return nullptr;
    return json::value(id);
}

namespace {

json::value str_json(const std::string& s) {
    if (s.empty())
        return nullptr;
    return json::value(s);
}

json::array tags_json(const Account& acc, TagSet set) {
    json::array out;
    for (const auto name : acc.tag_names(set))
        out.emplace_back(name);
    return out;
}

json::object stats_json(const Ticket& t) {
    return json::object{
        {"agent_responded_at", nullptr},
        {"requester_responded_at", nullptr},
        {"first_responded_at", nullptr},
        {"status_updated_at", time_json(t.status_updated_at)},
        {"reopened_at", time_json(t.reopened_at)},
        {"resolved_at", time_json(t.resolved_at)},
        {"closed_at", time_json(t.closed_at)},
        {"pending_since", t.status == 3 ? time_json(t.status_updated_at) : nullptr}};
}

json::value requester_json(const Account& acc, Id id) {
    if (const auto c = acc.contact_at(id)) {
        const Contact& x = acc.contacts[*c];
        return json::object{{"id", x.id},
                            {"name", x.name},
                            {"email", str_json(x.email)},
                            {"mobile", str_json(x.mobile)},
                            {"phone", str_json(x.phone)}};
    }
    if (const auto a = acc.agent_at(id)) {
        const Agent& x = acc.agents[*a];
        return json::object{{"id", x.id},
                            {"name", x.name},
                            {"email", x.email},
                            {"mobile", nullptr},
                            {"phone", nullptr}};
    }
    return nullptr;
}

void add_refs(json::object& o, const Ticket& t) {
    o["group_id"] = id_json(t.group_id);
    o["priority"] = int{t.priority};
    o["requester_id"] = t.requester_id;
    o["responder_id"] = id_json(t.responder_id);
    o["source"] = int{t.source};
    o["company_id"] = id_json(t.company_id);
    o["status"] = int{t.status};
}

void add_includes(json::object& o, const Account& acc, const Ticket& t, const TicketView& v,
                  Id id) {
    if (v.stats)
        o["stats"] = stats_json(t);
    if (v.requester)
        o["requester"] = requester_json(acc, t.requester_id);
    if (v.company) {
        const Named* c = acc.company(t.company_id);
        o["company"] = c ? json::value(json::object{{"id", c->id}, {"name", c->name}}) : nullptr;
    }
    if (v.full || v.description) {
        const std::string text = "Synthetic description of ticket " + std::to_string(id) + ".";
        o["description"] = "<div>" + text + "</div>";
        o["description_text"] = text;
    }
    if (v.full)
        o["attachments"] = json::array{};
    if (v.conversations)
        o["conversations"] = json::array{};
}

}  // namespace

json::object ticket_json(const Account& acc, std::uint32_t index, const Ticket& t,
                         const TicketView& v) {
    const Id id = static_cast<Id>(index) + 1;
    json::object o;
    o["cc_emails"] = json::array{};
    o["fwd_emails"] = json::array{};
    o["reply_cc_emails"] = json::array{};
    o["ticket_cc_emails"] = json::array{};
    o["fr_escalated"] = false;
    o["spam"] = t.spam;
    o["email_config_id"] = nullptr;
    add_refs(o, t);
    o["subject"] = "Request #" + std::to_string(id);
    o["association_type"] = nullptr;
    o["support_email"] = nullptr;
    o["to_emails"] = nullptr;
    o["product_id"] = nullptr;
    o["id"] = id;
    o["type"] = t.type == 0 ? json::value(nullptr) : json::value(acc.strings.at(t.type));
    o["due_by"] = time_json(t.created_at + 3 * kDay);
    o["fr_due_by"] = time_json(t.created_at + kDay);
    o["is_escalated"] = false;
    o["custom_fields"] = json::object{};
    o["created_at"] = time_json(t.created_at);
    o["updated_at"] = time_json(t.updated_at);
    o["associated_tickets_count"] = nullptr;
    if (v.tags)
        o["tags"] = tags_json(acc, t.tags);
    if (t.state == TicketState::trash)
        o["deleted"] = true;
    add_includes(o, acc, t, v, id);
    return o;
}

// The archived view (docs/freshdesk-api.md, "Archived tickets"): these fields only; no stats (the
// archive keeps none), no deleted, no description, whatever the request includes.
json::object archived_ticket_json(const Account& acc, std::uint32_t index, const Ticket& t) {
    json::object o;
    o["id"] = static_cast<Id>(index) + 1;
    o["requester_id"] = t.requester_id;
    o["responder_id"] = id_json(t.responder_id);
    o["group_id"] = id_json(t.group_id);
    o["company_id"] = id_json(t.company_id);
    o["type"] = t.type == 0 ? json::value(nullptr) : json::value(acc.strings.at(t.type));
    o["status"] = int{t.status};
    o["spam"] = t.spam;
    o["tags"] = tags_json(acc, t.tags);
    o["created_at"] = time_json(t.created_at);
    o["updated_at"] = time_json(t.updated_at);
    o["archived"] = true;
    return o;
}

json::object contact_json(const Account& acc, const Contact& c, bool full, bool blocked_field) {
    json::object o{{"active", c.active},
                   {"address", nullptr},
                   {"company_id", id_json(c.company_id)},
                   {"description", nullptr},
                   {"email", str_json(c.email)},
                   {"id", c.id},
                   {"job_title", nullptr},
                   {"language", "en"},
                   {"mobile", str_json(c.mobile)},
                   {"name", c.name},
                   {"phone", str_json(c.phone)},
                   {"time_zone", "Eastern Time (US & Canada)"},
                   {"twitter_id", nullptr},
                   {"custom_fields", json::object{}},
                   {"facebook_id", nullptr},
                   {"created_at", time_json(c.created_at)},
                   {"updated_at", time_json(c.updated_at)},
                   {"csat_rating", nullptr},
                   {"preferred_source", "email"},
                   {"unique_external_id", nullptr}};
    if (full) {
        json::array emails(c.other_emails.begin(), c.other_emails.end());
        json::array companies;
        for (const Id id : c.other_companies)
            companies.push_back(json::object{{"company_id", id}, {"view_all_tickets", false}});
        o["other_emails"] = std::move(emails);
        o["other_companies"] = std::move(companies);
        o["tags"] = tags_json(acc, c.tags);
        o["view_all_tickets"] = false;
        o["avatar"] = nullptr;
    }
    if (c.state == ContactState::soft_deleted)
        o["deleted"] = true;
    // The documented contact has no `blocked` field; some accounts add it (an option).
    if (blocked_field && c.state == ContactState::blocked)
        o["blocked"] = true;
    return o;
}

json::object agent_json(const Agent& a) {
    json::object contact{{"active", true},
                         {"email", a.email},
                         {"job_title", nullptr},
                         {"language", "en"},
                         {"last_login_at", nullptr},
                         {"mobile", nullptr},
                         {"name", a.name},
                         {"phone", nullptr},
                         {"time_zone", "Eastern Time (US & Canada)"},
                         {"created_at", time_json(a.created_at)},
                         {"updated_at", time_json(a.updated_at)}};
    return json::object{{"available", false},
                        {"occasional", a.occasional},
                        {"id", a.id},
                        {"ticket_scope", 1},
                        {"signature", nullptr},
                        {"group_ids", json::array{}},
                        {"role_ids", json::array{}},
                        {"skill_ids", json::array{}},
                        {"available_since", nullptr},
                        {"contact", std::move(contact)},
                        {"created_at", time_json(a.created_at)},
                        {"updated_at", time_json(a.updated_at)},
                        {"type", "support_agent"}};
}

json::object group_json(const Named& g) {
    return json::object{{"id", g.id},
                        {"name", g.name},
                        {"description", nullptr},
                        {"escalate_to", nullptr},
                        {"unassigned_for", nullptr},
                        {"business_hour_id", nullptr},
                        {"group_type", "support_agent_group"},
                        {"created_at", time_json(g.created_at)},
                        {"updated_at", time_json(g.updated_at)}};
}

json::object company_json(const Named& c) {
    return json::object{{"id", c.id},
                        {"name", c.name},
                        {"description", nullptr},
                        {"note", nullptr},
                        {"domains", json::array{}},
                        {"custom_fields", json::object{}},
                        {"health_score", nullptr},
                        {"account_tier", nullptr},
                        {"renewal_date", nullptr},
                        {"industry", nullptr},
                        {"created_at", time_json(c.created_at)},
                        {"updated_at", time_json(c.updated_at)}};
}

}  // namespace sim
