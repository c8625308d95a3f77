// Property-style tests: many random accounts and random rules (fixed seed, so a failure repeats),
// and the invariants that docs/rules.md and the plan format impose on every plan, checked against
// a model of protection, liveness and age written here from docs/rules-semantics.md. Some tickets
// are archived and some accounts have an incomplete archive index (docs/rules-semantics.md, settled
// 19).
#include "engine_fixtures.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

using Rng = std::mt19937_64;

const UnixTime kAsOf = default_as_of();

int uniform(Rng& rng, int lo, int hi) {  // inclusive
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

bool chance(Rng& rng, double p) {
    return std::bernoulli_distribution(p)(rng);
}

template <typename T>
T pick(Rng& rng, const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(items.size()) - 1))];
}

UnixTime random_time_before(Rng& rng, UnixTime t, std::int64_t max_days) {
    // Whole days most of the time, so that age boundaries are hit exactly now and then.
    const std::int64_t days_back = uniform(rng, 0, static_cast<int>(max_days));
    const std::int64_t seconds = chance(rng, 0.5) ? 0 : uniform(rng, -2, 2);
    return t - days_back * day + seconds;
}

template <typename T>
std::vector<T> random_subset(Rng& rng, const std::vector<T>& items, double p) {
    std::vector<T> out;
    for (const auto& i : items) {
        if (chance(rng, p)) {
            out.push_back(i);
        }
    }
    return out;
}

std::string random_pending_tag(Rng& rng) {
    static const std::vector<std::string> invalid{"gdpr-purge-pending-2026-02-30",
                                                  "gdpr-purge-pending-soon", "gdpr-purge-pending-"};
    if (chance(rng, 0.2)) {
        return pick(rng, invalid);
    }
    const std::string tag = pending_tag(random_time_before(rng, kAsOf, 120));
    return chance(rng, 0.2) ? "GDPR-Purge-Pending-" + tag.substr(pending_tag_prefix.size()) : tag;
}

Snapshot random_account(Rng& rng) {
    Snapshot s = base_account();
    s.groups.push_back({13, "2024"});
    const int contacts = uniform(rng, 5, 40);
    std::set<Id> used;
    Id next_ticket = 1;
    for (int i = 0; i < contacts; ++i) {
        Id id = chance(rng, 0.05) ? pick(rng, std::vector<Id>{agent_one, agent_keeper})
                                  : static_cast<Id>(uniform(rng, 1, 80));
        if (!used.insert(id).second) {
            continue;
        }
        Contact c = contact(id);
        const int email_kind = uniform(rng, 0, 19);
        if (email_kind == 0) {
            c.email = "CEO@example.com";
        } else if (email_kind == 1) {
            c.email = "Keeper@Example.com";  // an agent's email
        } else if (email_kind == 2) {
            c.email.clear();
        }
        if (chance(rng, 0.05)) {
            c.other_emails = {"old@example.net", "ceo@example.com"};
        }
        c.company_id =
            pick(rng, std::vector<Id>{no_id, no_id, company_key_account, company_small_shop});
        if (chance(rng, 0.05)) {
            c.other_company_ids = {company_key_account};
        }
        if (chance(rng, 0.1)) {
            c.tags.push_back(chance(rng, 0.5) ? "VIP" : "vip");
        }
        if (chance(rng, 0.1)) {
            c.tags.push_back("newsletter");
        }
        const int pending_tags = chance(rng, 0.25) ? uniform(rng, 1, 2) : 0;
        for (int k = 0; k < pending_tags; ++k) {
            c.tags.push_back(random_pending_tag(rng));
        }
        c.created_at = random_time_before(rng, kAsOf, 1500);
        c.updated_at = std::min(kAsOf, c.created_at + uniform(rng, 0, 800) * day);
        if (chance(rng, 0.1)) {
            c.state = ContactState::soft_deleted;
            if (chance(rng, 0.7)) {
                c.tags.push_back(std::string(deleted_tag));
            }
        }
        s.contacts.push_back(c);

        const int tickets = uniform(rng, 0, 5);
        for (int k = 0; k < tickets; ++k) {
            TicketRecord t;
            t.id = next_ticket++;
            t.requester_id = id;
            t.status = pick(rng, std::vector<int>{2, 3, 4, 4, 5, 5, 5, 5, 6});
            t.group_id = pick(
                rng, std::vector<Id>{no_id, group_escalations, group_camping, group_billing, 13});
            const int type = uniform(rng, 0, 3);
            if (type == 1) {
                t.type = "Question";
            } else if (type == 2) {
                t.type = "incident";
            } else if (type == 3) {
                t.type = "Problem";
            }
            t.tags = random_subset(rng, std::vector<std::string>{"archive", "VIP", "Urgent"}, 0.3);
            t.responder_id = pick(rng, std::vector<Id>{no_id, no_id, agent_one, agent_keeper});
            t.archived = chance(rng, 0.12);
            t.spam = !t.archived && chance(rng, 0.05);
            t.deleted = !t.archived && chance(rng, 0.1);
            if (t.archived) {
                t.status = pick(rng, std::vector<int>{4, 5, 5, 5});
            }
            t.created_at = random_time_before(rng, kAsOf, 900);
            // The archived view has no stats: an archived ticket never has a close time.
            t.closed_at = t.archived || chance(rng, 0.15)
                              ? no_time
                              : std::min(kAsOf, t.created_at + uniform(rng, 0, 60) * day);
            t.updated_at = std::min(kAsOf, (t.closed_at == no_time ? t.created_at : t.closed_at) +
                                               uniform(rng, 0, 30) * day);
            s.add_ticket(t);
        }
    }
    // Tickets of unknown requesters and of agents without a contact record.
    for (int k = uniform(rng, 0, 3); k > 0; --k) {
        auto t = closed_ticket(next_ticket++, chance(rng, 0.5) ? 5000 + k : agent_keeper,
                               random_time_before(rng, kAsOf, 900));
        s.add_ticket(t);
    }
    s.archive_complete = chance(rng, 0.75);
    return s;
}

Rules random_rules(Rng& rng) {
    Rules r;
    const int count = uniform(rng, 1, 3);
    for (int i = 0; i < count; ++i) {
        TicketRule t;
        t.name = "rule-" + std::to_string(i);
        t.groups = random_subset(
            rng, std::vector<std::string>{"Escalations", " camping ", "BILLING", "2024", "11"},
            0.3);
        t.types =
            random_subset(rng, std::vector<std::string>{"Question", "INCIDENT", "Complaint"}, 0.3);
        t.tags = random_subset(rng, std::vector<std::string>{"archive", "urgent"}, 0.2);
        t.older_than = days(pick(rng, std::vector<std::int64_t>{1, 30, 60, 90, 180, 365, 730}));
        t.since = pick(rng, std::vector<Since>{Since::closed, Since::created, Since::updated});
        t.scope = chance(rng, 0.5) ? Scope::contact : Scope::ticket;
        r.ticket_rules.push_back(t);
    }
    r.contact_policy.keep_contact = chance(rng, 0.25);
    r.contact_policy.delete_mode = chance(rng, 0.5) ? DeleteMode::hard : DeleteMode::soft;
    r.contact_policy.delete_after =
        pick(rng, std::vector<Duration>{immediate(), days(30), days(60), days(90)});
    if (chance(rng, 0.5)) {
        r.contact_policy.purge_soft_deleted_after =
            days(pick(rng, std::vector<std::int64_t>{1, 30, 400}));
    }
    if (chance(rng, 0.5)) {
        r.orphan_contacts = OrphanRule{days(pick(rng, std::vector<std::int64_t>{30, 365, 730})),
                                       chance(rng, 0.5) ? Since::created : Since::updated};
    }
    if (chance(rng, 0.5)) {
        r.exceptions.tags = {"VIP"};
    }
    if (chance(rng, 0.5)) {
        r.exceptions.emails = {"ceo@example.com"};
    }
    if (chance(rng, 0.5)) {
        r.exceptions.companies = {chance(rng, 0.5) ? "key account ltd" : "500"};
    }
    if (chance(rng, 0.5)) {
        r.exceptions.responders = {"keeper@example.com"};
    }
    const int statuses = uniform(rng, 0, 2);  // closed / resolved / both
    r.closed_is_closed = statuses != 1;
    r.resolved_is_closed = statuses != 0;
    return r;
}

// ---- the model: what rules.md says, computed independently of the engine ----

class Model {
  public:
    Model(const Snapshot& s, const Rules& r) : s_(s), r_(r) {
        for (const auto& a : s.agents) {
            agent_ids_.insert(a.id);
            agent_emails_.insert(normalize_name(a.email));
            if (contains(r.exceptions.responders, a.email)) {
                responder_ids_.insert(a.id);
            }
        }
        for (const auto& c : s.companies) {
            if (contains(r.exceptions.companies, c.name) ||
                contains(r.exceptions.companies, std::to_string(c.id))) {
                exception_companies_.insert(c.id);
            }
        }
        for (const auto& c : s.contacts) {
            contacts_[c.id] = &c;
        }
        for (const auto& t : s.tickets()) {
            tickets_[t.id] = &t;
            if (t.live()) {
                live_[t.requester_id].push_back(t.id);
            }
            if (!t.spam && !t.deleted) {
                current_[t.requester_id].push_back(t.id);
            }
        }
        for (auto* lists : {&live_, &current_}) {
            for (auto& [id, ids] : *lists) {
                std::sort(ids.begin(), ids.end());
            }
        }
    }

    const Contact* contact(Id id) const {
        const auto it = contacts_.find(id);
        return it == contacts_.end() ? nullptr : it->second;
    }
    const Ticket* ticket(Id id) const {
        const auto it = tickets_.find(id);
        return it == tickets_.end() ? nullptr : it->second;
    }
    std::vector<Id> live_tickets(Id contact_id) const {
        const auto it = live_.find(contact_id);
        return it == live_.end() ? std::vector<Id>{} : it->second;
    }
    // Live or archived: "the contact's tickets".
    std::vector<Id> current_tickets(Id contact_id) const {
        const auto it = current_.find(contact_id);
        return it == current_.end() ? std::vector<Id>{} : it->second;
    }
    // Archived tickets are closed whatever closed_statuses says.
    bool closed(const Ticket& t) const { return t.archived || r_.counts_as_closed(t.status); }
    bool has_open_live_ticket(Id contact_id) const {
        for (const Id id : live_tickets(contact_id)) {
            if (!r_.counts_as_closed(ticket(id)->status)) {
                return true;
            }
        }
        return false;
    }

    bool holds(const Contact& c, ProtectionReason reason) const {
        switch (reason) {
            case ProtectionReason::agent:
                return agent_ids_.count(c.id) > 0 ||
                       (!c.email.empty() && agent_emails_.count(normalize_name(c.email)) > 0);
            case ProtectionReason::exception_tag:
                return std::any_of(c.tags.begin(), c.tags.end(), [&](const std::string& t) {
                    return contains(r_.exceptions.tags, t);
                });
            case ProtectionReason::exception_email: {
                if (contains(r_.exceptions.emails, c.email) && !c.email.empty()) {
                    return true;
                }
                return std::any_of(
                    c.other_emails.begin(), c.other_emails.end(),
                    [&](const std::string& e) { return contains(r_.exceptions.emails, e); });
            }
            case ProtectionReason::exception_company: {
                if (exception_companies_.count(c.company_id) > 0) {
                    return true;
                }
                return std::any_of(c.other_company_ids.begin(), c.other_company_ids.end(),
                                   [&](Id id) { return exception_companies_.count(id) > 0; });
            }
            case ProtectionReason::responder:
                for (const Id id : current_tickets(c.id)) {
                    if (responder_ids_.count(ticket(id)->responder_id) > 0) {
                        return true;
                    }
                }
                return false;
            case ProtectionReason::archive_incomplete:  // a hold, behind every protection
                return !s_.archive_complete && !is_protected(c);
        }
        return false;
    }

    // Protected for a reason other than the archive hold.
    bool is_protected(const Contact& c) const {
        for (std::size_t i = 0; i < protection_reason_count; ++i) {
            const auto reason = static_cast<ProtectionReason>(i);
            if (reason != ProtectionReason::archive_incomplete && holds(c, reason)) {
                return true;
            }
        }
        return false;
    }

    bool in_scope(const Ticket& t, const TicketRule& rule) const {
        if (!rule.groups.empty()) {
            if (t.group_id == no_id) {
                return false;
            }
            bool found = false;
            for (const auto& g : rule.groups) {
                found = found || resolve_group(g) == t.group_id;
            }
            if (!found) {
                return false;
            }
        }
        if (!rule.types.empty() && (t.type == no_name || !contains(rule.types, s_.name(t.type)))) {
            return false;
        }
        if (!rule.tags.empty()) {
            const auto tags = s_.tags_of(t);
            if (std::none_of(tags.begin(), tags.end(),
                             [&](NameRef n) { return contains(rule.tags, s_.name(n)); })) {
                return false;
            }
        }
        return true;
    }

    bool aged(const Ticket& t, const TicketRule& rule, UnixTime as_of) const {
        UnixTime ref = no_time;
        switch (rule.since) {
            case Since::closed:
                ref = t.closed_at != no_time && !t.archived ? t.closed_at : t.updated_at;
                break;
            case Since::created:
                ref = t.created_at;
                break;
            case Since::updated:
                ref = t.updated_at;
                break;
        }
        return ref != no_time && ref <= as_of - rule.older_than.seconds;
    }

    // An agent without a contact record whose own tickets some rule would take: none of them
    // open, and a scope ticket rule taking one, or a scope contact rule taking them all.
    bool agent_tickets_taken(Id agent_id) const {
        const std::vector<Id> ids = current_tickets(agent_id);
        if (agent_ids_.count(agent_id) == 0 || contact(agent_id) != nullptr || ids.empty() ||
            has_open_live_ticket(agent_id)) {
            return false;
        }
        for (const auto& rule : r_.ticket_rules) {
            const auto taken = [&](Id id) {
                const Ticket& t = *ticket(id);
                return closed(t) && in_scope(t, rule) && aged(t, rule, kAsOf);
            };
            if (rule.scope == Scope::ticket ? std::any_of(ids.begin(), ids.end(), taken)
                                            : std::all_of(ids.begin(), ids.end(), taken)) {
                return true;
            }
        }
        return false;
    }
    const std::set<Id>& agent_ids() const { return agent_ids_; }

    static bool contains(const std::vector<std::string>& list, std::string_view text) {
        const std::string n = normalize_name(text);
        return std::any_of(list.begin(), list.end(),
                           [&](const std::string& item) { return normalize_name(item) == n; });
    }

  private:
    Id resolve_group(const std::string& name) const {
        for (const auto& g : s_.groups) {
            if (normalize_name(g.name) == normalize_name(name)) {
                return g.id;
            }
        }
        return std::stoll(std::string(trim(name)));  // random_rules only writes known names or ids
    }

    const Snapshot& s_;
    const Rules& r_;
    std::set<Id> agent_ids_;
    std::set<std::string> agent_emails_;
    std::set<Id> responder_ids_;
    std::set<Id> exception_companies_;
    std::map<Id, const Contact*> contacts_;
    std::map<Id, const Ticket*> tickets_;
    std::map<Id, std::vector<Id>> live_;
    std::map<Id, std::vector<Id>> current_;
};

bool valid_pending_tag(const Contact& c) {
    return pending_since(c.tags).has_value();
}

void check_invariants(const Snapshot& s, const Rules& rules, const Plan& plan) {
    const Model m(s, rules);
    Summary recount;
    recount.contacts_read = static_cast<std::int64_t>(s.contacts.size());
    recount.tickets_read = static_cast<std::int64_t>(s.tickets().size());
    std::map<std::string, std::int64_t> rule_contacts;
    std::set<Id> all_deleted;

    Id previous = std::numeric_limits<Id>::min();
    for (const Entry& e : plan.entries) {
        INFO("entry " << Catch::StringMaker<Entry>::convert(e));
        // sorted, no duplicates
        CHECK(e.contact_id > previous);
        previous = e.contact_id;

        const Contact* c = m.contact(e.contact_id);
        REQUIRE(c != nullptr);
        CHECK_FALSE(m.is_protected(*c));
        CHECK_FALSE(e.steps.empty());
        CHECK_FALSE(e.rules.empty());
        CHECK(e.email_masked == mask_email(c->email));
        CHECK(e.expect.ticket_ids == m.live_tickets(c->id));
        CHECK(e.expect.contact_updated_at == format_timestamp(c->updated_at));

        std::vector<Id> deleted = deleted_ticket_ids(e);
        const std::vector<Id> archived_deleted = deleted_archived_ticket_ids(e);
        deleted.insert(deleted.end(), archived_deleted.begin(), archived_deleted.end());
        std::sort(deleted.begin(), deleted.end());
        CHECK(std::adjacent_find(deleted.begin(), deleted.end()) == deleted.end());
        std::set<Id> deleted_here(deleted.begin(), deleted.end());
        const auto live = m.live_tickets(c->id);
        const auto current = m.current_tickets(c->id);
        const bool all_current_deleted = std::all_of(
            current.begin(), current.end(), [&](Id id) { return deleted_here.count(id) > 0; });

        for (std::size_t k = 0; k < e.steps.size(); ++k) {
            const Step& step = e.steps[k];
            INFO("step " << Catch::StringMaker<Step>::convert(step));
            switch (step.action) {
                case StepAction::delete_tickets:
                    recount.tickets_to_delete += static_cast<std::int64_t>(step.ticket_ids.size());
                    CHECK_FALSE(step.ticket_ids.empty());
                    CHECK(std::is_sorted(step.ticket_ids.begin(), step.ticket_ids.end()));
                    CHECK(k == 0);
                    for (const Id id : step.ticket_ids) {
                        CHECK(m.ticket(id)->live());
                    }
                    break;
                case StepAction::delete_archived_tickets:
                    recount.archived_tickets_to_delete +=
                        static_cast<std::int64_t>(step.ticket_ids.size());
                    CHECK_FALSE(step.ticket_ids.empty());
                    CHECK(std::is_sorted(step.ticket_ids.begin(), step.ticket_ids.end()));
                    // After delete_tickets, before any contact step.
                    CHECK((k == 0 || e.steps[k - 1].action == StepAction::delete_tickets));
                    for (const Id id : step.ticket_ids) {
                        CHECK(m.ticket(id)->archived);
                    }
                    break;
                case StepAction::delete_contact:
                    ++recount.contacts_to_delete;
                    CHECK(s.archive_complete);
                    CHECK_FALSE(rules.contact_policy.keep_contact);
                    CHECK(step.mode == rules.contact_policy.delete_mode);
                    CHECK(all_current_deleted);
                    CHECK(&step == &e.steps.back());
                    break;
                case StepAction::mark_pending:
                    ++recount.contacts_to_mark;
                    CHECK(s.archive_complete);
                    CHECK_FALSE(rules.contact_policy.keep_contact);
                    CHECK(rules.contact_policy.delete_after.seconds > 0);
                    CHECK(step.since == format_date(kAsOf));
                    CHECK(all_current_deleted);
                    CHECK_FALSE(deleted.empty());
                    break;
                case StepAction::clear_pending:
                    ++recount.marks_to_clear;
                    CHECK(valid_pending_tag(*c));
                    CHECK_FALSE(current.empty());
                    CHECK(e.steps.size() == 1);
                    CHECK(e.rules == std::vector<std::string>{"pending"});
                    break;
                case StepAction::purge_soft_deleted:
                    ++recount.soft_deleted_to_purge;
                    CHECK(s.archive_complete);
                    CHECK(c->state == ContactState::soft_deleted);
                    CHECK(Model::contains(c->tags, deleted_tag));
                    CHECK(current.empty());
                    CHECK_FALSE(rules.contact_policy.keep_contact);
                    REQUIRE(rules.contact_policy.purge_soft_deleted_after.has_value());
                    CHECK(c->updated_at != no_time);
                    CHECK(c->updated_at <=
                          kAsOf - rules.contact_policy.purge_soft_deleted_after->seconds);
                    CHECK(e.steps.size() == 1);
                    break;
            }
            // An open live ticket keeps the contact from everything but the clearing of its tag.
            if (step.action != StepAction::clear_pending) {
                CHECK_FALSE(m.has_open_live_ticket(c->id));
            }
            // Soft-deleted contacts are out of the rules, except for the purge.
            CHECK((c->state == ContactState::soft_deleted) ==
                  (step.action == StepAction::purge_soft_deleted));
        }
        // A waiting contact never loses tickets in the run that finds it has tickets again.
        if (valid_pending_tag(*c)) {
            CHECK(deleted.empty());
        }

        // Every deleted ticket: live or archived, the contact's own, closed, in scope and aged
        // under a rule of the entry.
        for (const Id id : deleted) {
            INFO("ticket " << id);
            const Ticket* t = m.ticket(id);
            REQUIRE(t != nullptr);
            CHECK(t->current());
            CHECK(t->requester_id == c->id);
            CHECK(m.closed(*t));
            bool justified = false;
            for (const auto& rule : rules.ticket_rules) {
                if (std::find(e.rules.begin(), e.rules.end(), rule.name) != e.rules.end()) {
                    justified = justified || (m.in_scope(*t, rule) && m.aged(*t, rule, kAsOf));
                }
            }
            CHECK(justified);
            CHECK(all_deleted.insert(id).second);
        }
        for (const auto& name : e.rules) {
            ++rule_contacts[name];
        }
    }

    // Protected list: sorted by contact id then reason, each reason holds, no entry for it.
    for (std::size_t i = 0; i < plan.protected_contacts.size(); ++i) {
        const ProtectedContact& p = plan.protected_contacts[i];
        INFO("protected " << Catch::StringMaker<ProtectedContact>::convert(p));
        if (i > 0) {
            const ProtectedContact& q = plan.protected_contacts[i - 1];
            CHECK(std::make_pair(q.contact_id, q.reason) < std::make_pair(p.contact_id, p.reason));
        }
        const Contact* c = m.contact(p.contact_id);
        if (c == nullptr) {  // an agent without a contact record: judged by its id and email
            CHECK(m.agent_tickets_taken(p.contact_id));
            CHECK(is_listed(plan, p.contact_id, ProtectionReason::agent));
            Contact as_contact;
            as_contact.id = p.contact_id;
            for (const auto& agent : s.agents) {
                as_contact.email = agent.id == p.contact_id ? agent.email : as_contact.email;
            }
            CHECK(m.holds(as_contact, p.reason));
            ++recount.protected_counts[static_cast<std::size_t>(p.reason)];
            continue;
        }
        CHECK(m.holds(*c, p.reason));
        // A hold may leave an entry (ticket deletions of scope ticket rules); a protection not.
        if (p.reason != ProtectionReason::archive_incomplete) {
            CHECK_FALSE(has_entry(plan, p.contact_id));
        }
        ++recount.protected_counts[static_cast<std::size_t>(p.reason)];
    }

    // Every agent without a contact record whose tickets a rule would take is listed.
    for (const Id agent : m.agent_ids()) {
        INFO("agent " << agent);
        CHECK(m.agent_tickets_taken(agent) ==
              (m.contact(agent) == nullptr && is_listed(plan, agent, ProtectionReason::agent)));
    }

    // Summary, recomputed.
    const Summary& sum = plan.header.summary;
    CHECK(sum.contacts_read == recount.contacts_read);
    CHECK(sum.tickets_read == recount.tickets_read);
    CHECK(sum.contacts_to_delete == recount.contacts_to_delete);
    CHECK(sum.tickets_to_delete == recount.tickets_to_delete);
    CHECK(sum.archived_tickets_to_delete == recount.archived_tickets_to_delete);
    CHECK(sum.contacts_to_mark == recount.contacts_to_mark);
    CHECK(sum.marks_to_clear == recount.marks_to_clear);
    CHECK(sum.soft_deleted_to_purge == recount.soft_deleted_to_purge);
    CHECK(sum.protected_counts == recount.protected_counts);
    REQUIRE(sum.by_rule.size() == rules.ticket_rules.size());
    std::int64_t by_rule_tickets = 0;
    for (std::size_t i = 0; i < rules.ticket_rules.size(); ++i) {
        INFO("by_rule " << i);
        CHECK(sum.by_rule[i].rule == rules.ticket_rules[i].name);
        CHECK(sum.by_rule[i].contacts == rule_contacts[rules.ticket_rules[i].name]);
        by_rule_tickets += sum.by_rule[i].tickets;
    }
    CHECK(by_rule_tickets == sum.tickets_to_delete + sum.archived_tickets_to_delete);

    // keep_contact true stops every contact deletion.
    if (rules.contact_policy.keep_contact) {
        CHECK(sum.contacts_to_delete == 0);
        CHECK(sum.contacts_to_mark == 0);
        CHECK(sum.soft_deleted_to_purge == 0);
    }
}

// docs/rules-semantics.md, settled 19, against the same account with a complete archive index: the
// held plan is the complete one without its contact-level steps, without the entries a scope
// contact rule took part in, and every contact that lost something (and is not protected) is listed
// as archive_incomplete; the protections are the same.
void check_hold(const Snapshot& s, const Rules& rules, const Plan& held) {
    REQUIRE_FALSE(s.archive_complete);
    Snapshot complete_account = s;
    complete_account.archive_complete = true;
    const Plan full = evaluate(complete_account, rules, kAsOf);
    INFO("complete index:\n" << describe(full));
    const auto contact_level = [](const Step& step) {
        return step.action == StepAction::delete_contact ||
               step.action == StepAction::mark_pending ||
               step.action == StepAction::purge_soft_deleted;
    };
    std::size_t kept = 0;
    for (const Entry& f : full.entries) {
        INFO("contact " << f.contact_id);
        bool scope_contact = false;
        for (const auto& rule : rules.ticket_rules) {
            scope_contact = scope_contact ||
                            (rule.scope == Scope::contact &&
                             std::find(f.rules.begin(), f.rules.end(), rule.name) != f.rules.end());
        }
        std::vector<Step> expected;
        if (!scope_contact) {
            std::copy_if(f.steps.begin(), f.steps.end(), std::back_inserter(expected),
                         [&](const Step& step) { return !contact_level(step); });
        }
        const Entry* h = find_entry(held, f.contact_id);
        if (expected.empty()) {
            CHECK(h == nullptr);
        } else {
            REQUIRE(h != nullptr);
            ++kept;
            CHECK(h->steps == expected);
            CHECK(h->rules == f.rules);
            CHECK(h->expect == f.expect);
        }
        CHECK(is_listed(held, f.contact_id, ProtectionReason::archive_incomplete) ==
              (expected != f.steps));
    }
    CHECK(held.entries.size() == kept);
    std::vector<ProtectedContact> protections;
    std::copy_if(held.protected_contacts.begin(), held.protected_contacts.end(),
                 std::back_inserter(protections), [](const ProtectedContact& p) {
                     return p.reason != ProtectionReason::archive_incomplete;
                 });
    CHECK(protections == full.protected_contacts);
}

// The same account with its contacts and tickets in another order.
Snapshot shuffled(const Snapshot& s, Rng& rng) {
    Snapshot out;
    out.account = s.account;
    out.contacts = s.contacts;
    out.agents = s.agents;
    out.groups = s.groups;
    out.companies = s.companies;
    out.ticket_types = s.ticket_types;
    out.archive_complete = s.archive_complete;
    std::shuffle(out.contacts.begin(), out.contacts.end(), rng);
    std::vector<TicketRecord> records;
    for (const auto& t : s.tickets()) {
        records.push_back(s.record_of(t));
    }
    std::shuffle(records.begin(), records.end(), rng);
    for (const auto& r : records) {
        out.add_ticket(r);
    }
    return out;
}

}  // namespace

TEST_CASE("Properties: every plan of random accounts and rules keeps the spec's invariants",
          "[engine][properties]") {
    Rng rng(0x6764707232303236ULL);  // fixed: a failure repeats
    constexpr int iterations = 400;
    std::int64_t entries = 0;
    std::int64_t steps_seen[6] = {0, 0, 0, 0, 0, 0};
    std::int64_t protected_seen = 0;
    std::int64_t held_seen = 0;
    for (int i = 0; i < iterations; ++i) {
        const Snapshot s = random_account(rng);
        const Rules rules = random_rules(rng);
        INFO("iteration " << i);
        const Plan plan = evaluate(s, rules, kAsOf);
        INFO(describe(plan));
        check_invariants(s, rules, plan);
        if (!s.archive_complete) {
            check_hold(s, rules, plan);
            held_seen += protected_count(plan, ProtectionReason::archive_incomplete);
        }

        // Evaluating twice gives the same plan; so does the same account read in another order.
        const Plan again = evaluate(s, rules, kAsOf);
        CHECK(again.entries == plan.entries);
        CHECK(again.protected_contacts == plan.protected_contacts);
        CHECK(again.header.summary == plan.header.summary);
        const Plan reordered = evaluate(shuffled(s, rng), rules, kAsOf);
        CHECK(reordered.entries == plan.entries);
        CHECK(reordered.protected_contacts == plan.protected_contacts);
        CHECK(reordered.header.summary == plan.header.summary);

        entries += static_cast<std::int64_t>(plan.entries.size());
        protected_seen += static_cast<std::int64_t>(plan.protected_contacts.size());
        for (const auto& e : plan.entries) {
            for (const auto& st : e.steps) {
                ++steps_seen[static_cast<std::size_t>(st.action)];
            }
        }
    }
    // The generator must exercise every kind of step, or the properties prove little.
    INFO("entries " << entries << ", protected " << protected_seen << ", held " << held_seen);
    CHECK(entries > iterations);
    CHECK(protected_seen > 0);
    CHECK(held_seen > 0);
    for (std::size_t a = 0; a < std::size(steps_seen); ++a) {
        INFO("step kind " << to_string(static_cast<StepAction>(a)));
        CHECK(steps_seen[a] > 0);
    }
}

TEST_CASE("Properties: keep_contact true never deletes, marks or purges a contact",
          "[engine][properties]") {
    Rng rng(20260615);
    for (int i = 0; i < 100; ++i) {
        const Snapshot s = random_account(rng);
        Rules rules = random_rules(rng);
        rules.contact_policy.keep_contact = true;
        INFO("iteration " << i);
        const Plan plan = evaluate(s, rules, kAsOf);
        INFO(describe(plan));
        check_invariants(s, rules, plan);
        for (const auto& e : plan.entries) {
            for (const auto& st : e.steps) {
                CHECK(st.action != StepAction::delete_contact);
                CHECK(st.action != StepAction::mark_pending);
                CHECK(st.action != StepAction::purge_soft_deleted);
            }
        }
    }
}
