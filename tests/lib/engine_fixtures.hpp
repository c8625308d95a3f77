#pragma once
// Builders shared by the engine tests: a small synthetic account, rules written in C++, and queries
// on the resulting plan. Every name and address is synthetic (example.com).
#include "engine/engine.hpp"
#include "time/time.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gp::test {

inline constexpr std::int64_t day = seconds_per_day;

inline UnixTime at(std::string_view text) {
    const auto t = parse_timestamp(text);
    if (!t) {
        throw std::invalid_argument("test fixture: bad timestamp " + std::string(text));
    }
    return *t;
}

inline UnixTime on(std::string_view date) {
    const auto t = parse_date(date);
    if (!t) {
        throw std::invalid_argument("test fixture: bad date " + std::string(date));
    }
    return *t;
}

// The as_of most tests use: mid-day, so that day boundaries and second boundaries differ.
inline UnixTime default_as_of() {
    return at("2026-06-15T12:00:00Z");
}

inline Duration days(std::int64_t n) {
    return Duration{n * day, std::to_string(n) + "d"};
}
inline Duration immediate() {
    return Duration{0, "immediate"};
}

// Ids used by base_account().
inline constexpr Id group_escalations = 10;
inline constexpr Id group_camping = 11;
inline constexpr Id group_billing = 12;
inline constexpr Id company_key_account = 500;
inline constexpr Id company_small_shop = 501;
inline constexpr Id agent_one = 9001;
inline constexpr Id agent_keeper = 9002;

// An account with three groups, two companies, two agents and no contact or ticket yet.
inline Snapshot base_account() {
    Snapshot s;
    s.account = "test.freshdesk.example.com";
    s.groups = {
        {group_escalations, "Escalations"}, {group_camping, "Camping"}, {group_billing, "Billing"}};
    s.companies = {{company_key_account, "Key Account Ltd"}, {company_small_shop, "Small Shop"}};
    s.agents = {{agent_one, "agent.one@example.com"}, {agent_keeper, "keeper@example.com"}};
    s.ticket_types = {"Question", "Incident", "Problem"};
    return s;
}

// An active contact with a synthetic email, created and updated long ago.
inline Contact contact(Id id) {
    Contact c;
    c.id = id;
    c.email = "user" + std::to_string(id) + "@example.com";
    c.created_at = at("2020-01-01T00:00:00Z");
    c.updated_at = at("2020-01-02T00:00:00Z");
    return c;
}

// A Closed (5) ticket: created 10 days before it was closed, updated when closed.
inline TicketRecord closed_ticket(Id id, Id requester, UnixTime closed_at) {
    TicketRecord t;
    t.id = id;
    t.requester_id = requester;
    t.status = status_closed;
    t.created_at = closed_at - 10 * day;
    t.updated_at = closed_at;
    t.closed_at = closed_at;
    return t;
}

// A ticket with an open status (2 by default), created and last updated at `created`.
inline TicketRecord open_ticket(Id id, Id requester, UnixTime created, int status = status_open) {
    TicketRecord t;
    t.id = id;
    t.requester_id = requester;
    t.status = status;
    t.created_at = created;
    t.updated_at = created;
    return t;
}

inline TicketRecord in_group(TicketRecord t, Id group) {
    t.group_id = group;
    return t;
}

inline TicketRecord of_type(TicketRecord t, std::string type) {
    t.type = std::move(type);
    return t;
}

inline TicketRecord tagged(TicketRecord t, std::vector<std::string> tags) {
    t.tags = std::move(tags);
    return t;
}

inline TicketRecord trashed(TicketRecord t) {
    t.deleted = true;
    return t;
}

inline TicketRecord spam(TicketRecord t) {
    t.spam = true;
    return t;
}

// Archived (docs/rules.md): no list shows it and the archived view has no stats (no close time).
inline TicketRecord archived(TicketRecord t) {
    t.archived = true;
    t.closed_at = no_time;
    return t;
}

inline TicketRecord answered_by(TicketRecord t, Id responder) {
    t.responder_id = responder;
    return t;
}

inline TicketRule rule(std::string name, Duration older_than, Scope scope = Scope::contact,
                       Since since = Since::closed) {
    TicketRule r;
    r.name = std::move(name);
    r.older_than = std::move(older_than);
    r.scope = scope;
    r.since = since;
    return r;
}

inline TicketRule with_groups(TicketRule r, std::vector<std::string> groups) {
    r.groups = std::move(groups);
    return r;
}

inline TicketRule with_types(TicketRule r, std::vector<std::string> types) {
    r.types = std::move(types);
    return r;
}

inline TicketRule with_tags(TicketRule r, std::vector<std::string> tags) {
    r.tags = std::move(tags);
    return r;
}

// keep_contact false: contacts follow the policy.
inline Rules deleting(std::vector<TicketRule> ticket_rules, DeleteMode mode = DeleteMode::hard,
                      Duration delete_after = immediate()) {
    Rules r;
    r.ticket_rules = std::move(ticket_rules);
    r.contact_policy.keep_contact = false;
    r.contact_policy.delete_mode = mode;
    r.contact_policy.delete_after = std::move(delete_after);
    return r;
}

// keep_contact true: only tickets are ever deleted.
inline Rules keeping(std::vector<TicketRule> ticket_rules) {
    Rules r;
    r.ticket_rules = std::move(ticket_rules);
    r.contact_policy.keep_contact = true;
    return r;
}

// ---- steps, as the plan should contain them ----

inline Step delete_tickets_step(std::vector<Id> ids) {
    Step s;
    s.action = StepAction::delete_tickets;
    s.ticket_ids = std::move(ids);
    return s;
}

inline Step delete_archived_tickets_step(std::vector<Id> ids) {
    Step s;
    s.action = StepAction::delete_archived_tickets;
    s.ticket_ids = std::move(ids);
    return s;
}

inline Step delete_contact_step(DeleteMode mode) {
    Step s;
    s.action = StepAction::delete_contact;
    s.mode = mode;
    return s;
}

inline Step mark_pending_step(std::string since) {
    Step s;
    s.action = StepAction::mark_pending;
    s.since = std::move(since);
    return s;
}

inline Step clear_pending_step() {
    Step s;
    s.action = StepAction::clear_pending;
    return s;
}

inline Step purge_step() {
    Step s;
    s.action = StepAction::purge_soft_deleted;
    return s;
}

// ---- queries on a plan ----

inline const Entry* find_entry(const Plan& plan, Id contact_id) {
    for (const auto& e : plan.entries) {
        if (e.contact_id == contact_id) {
            return &e;
        }
    }
    return nullptr;
}

inline bool has_entry(const Plan& plan, Id contact_id) {
    return find_entry(plan, contact_id) != nullptr;
}

// The steps of the contact's entry; empty when the plan has no entry for it.
inline std::vector<Step> steps_of(const Plan& plan, Id contact_id) {
    const Entry* e = find_entry(plan, contact_id);
    return e == nullptr ? std::vector<Step>{} : e->steps;
}

// The rules of the contact's entry; empty when the plan has no entry for it.
inline std::vector<std::string> rules_of(const Plan& plan, Id contact_id) {
    const Entry* e = find_entry(plan, contact_id);
    return e == nullptr ? std::vector<std::string>{} : e->rules;
}

inline std::vector<Id> ids_of_entries(const Plan& plan) {
    std::vector<Id> ids;
    for (const auto& e : plan.entries) {
        ids.push_back(e.contact_id);
    }
    return ids;
}

// Every ticket id in the entry's delete_tickets steps, ascending.
inline std::vector<Id> deleted_ticket_ids(const Entry& entry) {
    std::vector<Id> ids;
    for (const auto& s : entry.steps) {
        if (s.action == StepAction::delete_tickets) {
            ids.insert(ids.end(), s.ticket_ids.begin(), s.ticket_ids.end());
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Every ticket id in the entry's delete_archived_tickets steps, ascending.
inline std::vector<Id> deleted_archived_ticket_ids(const Entry& entry) {
    std::vector<Id> ids;
    for (const auto& s : entry.steps) {
        if (s.action == StepAction::delete_archived_tickets) {
            ids.insert(ids.end(), s.ticket_ids.begin(), s.ticket_ids.end());
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Every ticket id the plan deletes (delete_tickets), ascending.
inline std::vector<Id> deleted_ticket_ids(const Plan& plan) {
    std::vector<Id> ids;
    for (const auto& e : plan.entries) {
        const auto more = deleted_ticket_ids(e);
        ids.insert(ids.end(), more.begin(), more.end());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

inline std::vector<StepAction> actions_of(const Entry& entry) {
    std::vector<StepAction> out;
    for (const auto& s : entry.steps) {
        out.push_back(s.action);
    }
    return out;
}

inline bool has_action(const Plan& plan, Id contact_id, StepAction action) {
    const Entry* e = find_entry(plan, contact_id);
    if (e == nullptr) {
        return false;
    }
    const auto acts = actions_of(*e);
    return std::find(acts.begin(), acts.end(), action) != acts.end();
}

inline std::vector<ProtectionReason> protection_reasons(const Plan& plan, Id contact_id) {
    std::vector<ProtectionReason> out;
    for (const auto& p : plan.protected_contacts) {
        if (p.contact_id == contact_id) {
            out.push_back(p.reason);
        }
    }
    return out;
}

inline bool is_listed(const Plan& plan, Id contact_id, ProtectionReason reason) {
    const auto rs = protection_reasons(plan, contact_id);
    return std::find(rs.begin(), rs.end(), reason) != rs.end();
}

inline const ProtectedContact* find_protected(const Plan& plan, Id contact_id,
                                              ProtectionReason reason) {
    for (const auto& p : plan.protected_contacts) {
        if (p.contact_id == contact_id && p.reason == reason) {
            return &p;
        }
    }
    return nullptr;
}

inline std::int64_t protected_count(const Plan& plan, ProtectionReason reason) {
    return plan.header.summary.protected_counts[static_cast<std::size_t>(reason)];
}

inline const RuleCount* find_rule_count(const Plan& plan, std::string_view rule_name) {
    for (const auto& rc : plan.header.summary.by_rule) {
        if (rc.rule == rule_name) {
            return &rc;
        }
    }
    return nullptr;
}

// A readable dump of the plan's decisions, for INFO() on failure.
inline std::string describe(const Plan& plan) {
    std::ostringstream out;
    for (const auto& e : plan.entries) {
        out << "entry " << e.contact_id << " rules[";
        for (const auto& r : e.rules) {
            out << r << ' ';
        }
        out << "] expect[";
        for (const auto id : e.expect.ticket_ids) {
            out << id << ' ';
        }
        out << "] steps:";
        for (const auto& s : e.steps) {
            out << ' ' << to_string(s.action);
            if (s.action == StepAction::delete_tickets ||
                s.action == StepAction::delete_archived_tickets) {
                out << '(';
                for (const auto id : s.ticket_ids) {
                    out << id << ' ';
                }
                out << ')';
            } else if (s.action == StepAction::delete_contact) {
                out << '(' << to_string(s.mode) << ')';
            } else if (s.action == StepAction::mark_pending) {
                out << '(' << s.since << ')';
            }
        }
        out << '\n';
    }
    for (const auto& p : plan.protected_contacts) {
        out << "protected " << p.contact_id << ' ' << to_string(p.reason) << " '" << p.detail
            << "'\n";
    }
    return out.str();
}

}  // namespace gp::test

// Evaluates and attaches a dump of the plan to every later assertion of the scope.
#define GP_EVALUATE(plan, snapshot, rules, as_of)                         \
    const ::gp::Plan plan = ::gp::evaluate((snapshot), (rules), (as_of)); \
    INFO(::gp::test::describe(plan))

namespace Catch {

template <>
struct StringMaker<gp::StepAction> {
    static std::string convert(gp::StepAction a) { return std::string(gp::to_string(a)); }
};

template <>
struct StringMaker<gp::DeleteMode> {
    static std::string convert(gp::DeleteMode m) { return std::string(gp::to_string(m)); }
};

template <>
struct StringMaker<gp::ProtectionReason> {
    static std::string convert(gp::ProtectionReason r) { return std::string(gp::to_string(r)); }
};

template <>
struct StringMaker<gp::Step> {
    static std::string convert(const gp::Step& s) {
        std::ostringstream out;
        out << '{' << gp::to_string(s.action);
        if (s.action == gp::StepAction::delete_tickets ||
            s.action == gp::StepAction::delete_archived_tickets) {
            out << " ids=[";
            for (std::size_t i = 0; i < s.ticket_ids.size(); ++i) {
                out << (i == 0 ? "" : ",") << s.ticket_ids[i];
            }
            out << ']';
        }
        if (s.action == gp::StepAction::delete_contact) {
            out << " mode=" << gp::to_string(s.mode);
        }
        if (s.action == gp::StepAction::mark_pending) {
            out << " since=" << s.since;
        }
        out << '}';
        return out.str();
    }
};

template <>
struct StringMaker<gp::ProtectedContact> {
    static std::string convert(const gp::ProtectedContact& p) {
        return "{" + std::to_string(p.contact_id) + " " + std::string(gp::to_string(p.reason)) +
               " '" + p.detail + "'}";
    }
};

template <>
struct StringMaker<gp::RuleCount> {
    static std::string convert(const gp::RuleCount& r) {
        return "{" + r.rule + " contacts=" + std::to_string(r.contacts) +
               " tickets=" + std::to_string(r.tickets) + "}";
    }
};

template <>
struct StringMaker<gp::Entry> {
    static std::string convert(const gp::Entry& e) {
        std::ostringstream out;
        out << "{contact " << e.contact_id << " email '" << e.email_masked << "' rules[";
        for (const auto& r : e.rules) {
            out << r << ' ';
        }
        out << "] expect[";
        for (const auto id : e.expect.ticket_ids) {
            out << id << ' ';
        }
        out << "] updated " << e.expect.contact_updated_at << " steps";
        for (const auto& s : e.steps) {
            out << ' ' << StringMaker<gp::Step>::convert(s);
        }
        out << '}';
        return out.str();
    }
};

template <>
struct StringMaker<gp::Summary> {
    static std::string convert(const gp::Summary& s) {
        std::ostringstream out;
        out << "{read " << s.contacts_read << "c/" << s.tickets_read << "t, delete "
            << s.contacts_to_delete << "c/" << s.tickets_to_delete << "t/"
            << s.archived_tickets_to_delete << "a, mark " << s.contacts_to_mark << ", clear "
            << s.marks_to_clear << ", purge " << s.soft_deleted_to_purge << ", protected[";
        for (const auto n : s.protected_counts) {
            out << n << ' ';
        }
        out << "] by_rule";
        for (const auto& r : s.by_rule) {
            out << ' ' << StringMaker<gp::RuleCount>::convert(r);
        }
        out << '}';
        return out.str();
    }
};

}  // namespace Catch
