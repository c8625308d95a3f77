// The three use cases of docs/rules-semantics.md, each on a small hand-built account with the full
// expected plan: entries, steps, protected contacts and summary. The rules are written in C++ and
// checked against the project's rules files in tests/data/rules/ (parsed with load_rules_file).
#include "engine_fixtures.hpp"

#include "rules/rules.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

const UnixTime kAsOf = default_as_of();  // 2026-06-15T12:00:00Z

std::string rules_path(const char* file) {
    return std::string(GP_TEST_DATA_DIR) + "/rules/" + file;
}

struct WantEntry {
    Id contact_id;
    std::vector<std::string> rules;
    std::vector<Id> live_tickets;
    std::vector<Step> steps;
};

struct WantProtected {
    Id contact_id;
    ProtectionReason reason;
    std::string detail;  // checked (case-insensitively) unless the reason is agent or responder
};

const Contact& contact_of(const Snapshot& s, Id id) {
    for (const auto& c : s.contacts) {
        if (c.id == id) {
            return c;
        }
    }
    FAIL("test bug: no contact " << id);
    throw std::logic_error("unreachable");
}

void check_entries(const Plan& plan, const Snapshot& s, const std::vector<WantEntry>& want) {
    std::vector<Id> want_ids;
    for (const auto& w : want) {
        want_ids.push_back(w.contact_id);
    }
    CHECK(ids_of_entries(plan) == want_ids);
    for (const auto& w : want) {
        INFO("contact " << w.contact_id);
        const Entry* e = find_entry(plan, w.contact_id);
        if (e == nullptr) {
            continue;  // reported by the id list above
        }
        const Contact& c = contact_of(s, w.contact_id);
        CHECK(e->email_masked == mask_email(c.email));
        CHECK(e->rules == w.rules);
        CHECK(e->expect.ticket_ids == w.live_tickets);
        CHECK(e->expect.contact_updated_at == format_timestamp(c.updated_at));
        CHECK(e->steps == w.steps);
        CHECK_FALSE(e->reason.empty());
    }
}

void check_protected(const Plan& plan, const std::vector<WantProtected>& want) {
    std::vector<std::pair<Id, ProtectionReason>> got_keys;
    for (const auto& p : plan.protected_contacts) {
        got_keys.emplace_back(p.contact_id, p.reason);
    }
    std::vector<std::pair<Id, ProtectionReason>> want_keys;
    for (const auto& w : want) {
        want_keys.emplace_back(w.contact_id, w.reason);
    }
    CHECK(got_keys == want_keys);
    for (const auto& w : want) {
        if (w.reason == ProtectionReason::agent || w.reason == ProtectionReason::responder) {
            continue;
        }
        const ProtectedContact* p = find_protected(plan, w.contact_id, w.reason);
        if (p != nullptr) {
            INFO("contact " << w.contact_id);
            CHECK(normalize_name(p->detail) == normalize_name(w.detail));
        }
    }
}

// The plan from the parsed rules file is the plan from the C++ rules.
void check_same_plan(const Plan& a, const Plan& b) {
    CHECK(a.entries == b.entries);
    CHECK(a.protected_contacts == b.protected_contacts);
    CHECK(a.header.summary == b.header.summary);
}

Rules load_or_fail(const char* file) {
    const auto parsed = load_rules_file(rules_path(file));
    for (const auto& p : parsed.problems) {
        UNSCOPED_INFO(to_string(p));
    }
    REQUIRE(parsed.problems.empty());
    REQUIRE(parsed.rules.has_value());
    return *parsed.rules;
}

TicketRecord typed(Id id, Id who, UnixTime closed, Id group, const char* type) {
    return of_type(in_group(closed_ticket(id, who, closed), group), type);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Use case 1: clean up inactive contacts, protect VIPs
// ---------------------------------------------------------------------------------------------

namespace {

Rules usecase1_rules() {
    Rules r = deleting({with_types(with_groups(rule("escalation-questions", days(180),
                                                    Scope::contact, Since::closed),
                                               {"Escalations"}),
                                   {"Question"})},
                       DeleteMode::hard, immediate());
    r.exceptions.tags = {"VIP"};
    return r;
}

Snapshot usecase1_account() {
    Snapshot s = base_account();
    const Id esc = group_escalations;
    auto eq = [&](Id id, Id who, UnixTime closed) {
        return typed(id, who, closed, esc, "Question");
    };
    for (Id id = 1; id <= 12; ++id) {
        s.contacts.push_back(contact(id));
    }
    // 1: two escalation questions, closed 300 and 200 days ago: all go, then the contact
    s.add_ticket(eq(102, 1, kAsOf - 200 * day));
    s.add_ticket(eq(101, 1, kAsOf - 300 * day));
    // 2: one of them is still open
    s.add_ticket(eq(201, 2, kAsOf - 200 * day));
    s.add_ticket(of_type(in_group(open_ticket(202, 2, kAsOf - 400 * day), esc), "Question"));
    // 3: an incident next to the question: outside the rule's types
    s.add_ticket(eq(301, 3, kAsOf - 200 * day));
    s.add_ticket(typed(302, 3, kAsOf - 200 * day, esc, "Incident"));
    // 4: a question in another group
    s.add_ticket(eq(401, 4, kAsOf - 200 * day));
    s.add_ticket(typed(402, 4, kAsOf - 200 * day, group_camping, "Question"));
    // 5: closed 100 days ago only
    s.add_ticket(eq(501, 5, kAsOf - 100 * day));
    // 6: a VIP
    s.contacts[5].tags = {"VIP", "newsletter"};
    s.add_ticket(eq(601, 6, kAsOf - 300 * day));
    // 7: closed exactly 180 days ago: aged
    s.add_ticket(eq(701, 7, kAsOf - 180 * day));
    // 8: closed one second less than 180 days ago
    s.add_ticket(eq(801, 8, kAsOf - 180 * day + 1));
    // 9: an open ticket in spam does not count
    s.add_ticket(eq(901, 9, kAsOf - 200 * day));
    s.add_ticket(
        spam(of_type(in_group(open_ticket(902, 9, kAsOf - day), group_camping), "Problem")));
    // 10: no ticket at all (no orphan rule here)
    // 11: resolved, not closed: open under the default closed_statuses
    auto resolved = eq(1101, 11, kAsOf - 300 * day);
    resolved.status = status_resolved;
    s.add_ticket(resolved);
    // 12: no closed_at: updated_at counts
    auto no_close = eq(1201, 12, kAsOf - 250 * day);
    no_close.closed_at = no_time;
    s.add_ticket(no_close);
    // an agent's contact with an old escalation question
    s.contacts.push_back(contact(agent_one));
    s.add_ticket(eq(9101, agent_one, kAsOf - 300 * day));
    // 14: an exception tag on the ticket protects nothing
    s.contacts.push_back(contact(14));
    s.add_ticket(tagged(eq(1401, 14, kAsOf - 200 * day), {"VIP"}));
    // 15: the exception tag in another case
    Contact vip = contact(15);
    vip.tags = {"vip"};
    vip.email = "Vip.Person@example.com";
    s.contacts.push_back(vip);
    s.add_ticket(eq(1501, 15, kAsOf - 300 * day));
    // a ticket of an unknown requester
    s.add_ticket(eq(7701, 777, kAsOf - 300 * day));
    return s;
}

}  // namespace

TEST_CASE("Use case 1: the rules file says what the C++ rules say", "[engine][usecase]") {
    const Rules loaded = load_or_fail("usecase1_inactive_vip.json");
    REQUIRE(loaded.ticket_rules.size() == 1);
    const TicketRule& r = loaded.ticket_rules[0];
    CHECK(r.name == "escalation-questions");
    CHECK(r.groups == std::vector<std::string>{"Escalations"});
    CHECK(r.types == std::vector<std::string>{"Question"});
    CHECK(r.tags.empty());
    CHECK(r.older_than.seconds == 180 * day);
    CHECK(r.since == Since::closed);
    CHECK(r.scope == Scope::contact);
    CHECK_FALSE(loaded.contact_policy.keep_contact);
    CHECK(loaded.contact_policy.delete_mode == DeleteMode::hard);
    CHECK(loaded.contact_policy.delete_after.seconds == 0);
    CHECK_FALSE(loaded.contact_policy.purge_soft_deleted_after.has_value());
    CHECK_FALSE(loaded.orphan_contacts.has_value());
    CHECK(loaded.exceptions.tags == std::vector<std::string>{"VIP"});
    CHECK(loaded.closed_is_closed);
    CHECK_FALSE(loaded.resolved_is_closed);

    const Snapshot s = usecase1_account();
    check_same_plan(evaluate(s, loaded, kAsOf), evaluate(s, usecase1_rules(), kAsOf));
}

TEST_CASE("Use case 1: clean up inactive contacts, protect VIPs: the full plan",
          "[engine][usecase]") {
    const Snapshot s = usecase1_account();
    GP_EVALUATE(plan, s, usecase1_rules(), kAsOf);
    const std::vector<std::string> r{"escalation-questions"};
    const auto hard = delete_contact_step(DeleteMode::hard);
    check_entries(plan, s,
                  {{1, r, {101, 102}, {delete_tickets_step({101, 102}), hard}},
                   {7, r, {701}, {delete_tickets_step({701}), hard}},
                   {9, r, {901}, {delete_tickets_step({901}), hard}},
                   {12, r, {1201}, {delete_tickets_step({1201}), hard}},
                   {14, r, {1401}, {delete_tickets_step({1401}), hard}}});
    check_protected(plan, {{6, ProtectionReason::exception_tag, "VIP"},
                           {15, ProtectionReason::exception_tag, "VIP"},
                           {agent_one, ProtectionReason::agent, ""}});
    const Summary& sum = plan.header.summary;
    CHECK(sum.contacts_read == 15);
    CHECK(sum.tickets_read == 20);
    CHECK(sum.contacts_to_delete == 5);
    CHECK(sum.tickets_to_delete == 6);
    CHECK(sum.contacts_to_mark == 0);
    CHECK(sum.marks_to_clear == 0);
    CHECK(sum.soft_deleted_to_purge == 0);
    CHECK(protected_count(plan, ProtectionReason::agent) == 1);
    CHECK(protected_count(plan, ProtectionReason::exception_tag) == 2);
    CHECK(protected_count(plan, ProtectionReason::exception_email) == 0);
    CHECK(protected_count(plan, ProtectionReason::exception_company) == 0);
    CHECK(protected_count(plan, ProtectionReason::responder) == 0);
    CHECK(sum.by_rule == std::vector<RuleCount>{{"escalation-questions", 5, 6}});
}

// ---------------------------------------------------------------------------------------------
// Use case 2: clean up one group's contacts, keep what a key team member handled
// ---------------------------------------------------------------------------------------------

namespace {

Rules usecase2_rules() {
    Rules r = deleting({with_groups(rule("camping-contacts", days(90)), {"Camping"})},
                       DeleteMode::soft, days(30));
    r.exceptions.responders = {"keeper@example.com"};
    return r;
}

Snapshot usecase2_account() {
    Snapshot s = base_account();
    const Id camp = group_camping;
    auto ct = [&](Id id, Id who, UnixTime closed) {
        return in_group(closed_ticket(id, who, closed), camp);
    };
    for (Id id = 1; id <= 13; ++id) {
        s.contacts.push_back(contact(id));
    }
    // 1: two old camping tickets: deleted, the wait begins
    s.add_ticket(ct(101, 1, kAsOf - 120 * day));
    s.add_ticket(ct(102, 1, kAsOf - 150 * day));
    // 2: one of them handled by the key team member: protected
    s.add_ticket(answered_by(ct(201, 2, kAsOf - 120 * day), agent_keeper));
    s.add_ticket(ct(202, 2, kAsOf - 120 * day));
    // 3: the key team member handled a ticket now in the trash: responders count on live tickets
    // only
    s.add_ticket(ct(301, 3, kAsOf - 120 * day));
    s.add_ticket(trashed(answered_by(ct(302, 3, kAsOf - 120 * day), agent_keeper)));
    // 4: a ticket in another group
    s.add_ticket(ct(401, 4, kAsOf - 120 * day));
    s.add_ticket(in_group(closed_ticket(402, 4, kAsOf - 120 * day), group_escalations));
    // 5: waiting since 2026-05-01, nothing live: due (30d)
    s.contacts[4].tags = {"gdpr-purge-pending-2026-05-01"};
    s.add_ticket(trashed(ct(501, 5, kAsOf - 200 * day)));
    // 6: waiting since 2026-06-01: not due
    s.contacts[5].tags = {"gdpr-purge-pending-2026-06-01"};
    s.add_ticket(trashed(ct(601, 6, kAsOf - 200 * day)));
    // 7: waiting, then a new open ticket: the wait is cancelled
    s.contacts[6].tags = {"customer", "gdpr-purge-pending-2026-05-01"};
    s.add_ticket(trashed(ct(701, 7, kAsOf - 200 * day)));
    s.add_ticket(in_group(open_ticket(702, 7, kAsOf - 2 * day), camp));
    // 8: soft-deleted by the tool; purge_soft_deleted_after is null
    s.contacts[7].state = ContactState::soft_deleted;
    s.contacts[7].tags = {"gdpr-purge-deleted"};
    // 9: closed exactly 90 days ago
    s.add_ticket(ct(901, 9, kAsOf - 90 * day));
    // 10: closed 60 days ago
    s.add_ticket(ct(1001, 10, kAsOf - 60 * day));
    // 11: an agent (by email) waiting and due: left alone, listed
    s.contacts[10].email = "Keeper@Example.com";
    s.contacts[10].tags = {"gdpr-purge-pending-2026-04-01"};
    // 12: handled by another agent
    s.add_ticket(answered_by(ct(1201, 12, kAsOf - 100 * day), agent_one));
    // 13: a pending (status 3) camping ticket next to an old one
    s.add_ticket(ct(1301, 13, kAsOf - 300 * day));
    s.add_ticket(in_group(open_ticket(1302, 13, kAsOf - 300 * day, status_pending), camp));
    return s;
}

}  // namespace

TEST_CASE("Use case 2: the rules file says what the C++ rules say", "[engine][usecase]") {
    const Rules loaded = load_or_fail("usecase2_camping_responder.json");
    REQUIRE(loaded.ticket_rules.size() == 1);
    const TicketRule& r = loaded.ticket_rules[0];
    CHECK(r.name == "camping-contacts");
    CHECK(r.groups == std::vector<std::string>{"Camping"});
    CHECK(r.types.empty());
    CHECK(r.tags.empty());
    CHECK(r.older_than.seconds == 90 * day);
    CHECK(r.since == Since::closed);
    CHECK(r.scope == Scope::contact);
    CHECK_FALSE(loaded.contact_policy.keep_contact);
    CHECK(loaded.contact_policy.delete_mode == DeleteMode::soft);
    CHECK(loaded.contact_policy.delete_after.seconds == 30 * day);
    CHECK_FALSE(loaded.contact_policy.purge_soft_deleted_after.has_value());
    CHECK(loaded.exceptions.responders == std::vector<std::string>{"keeper@example.com"});
    CHECK(loaded.exceptions.tags.empty());

    const Snapshot s = usecase2_account();
    check_same_plan(evaluate(s, loaded, kAsOf), evaluate(s, usecase2_rules(), kAsOf));
}

TEST_CASE(
    "Use case 2: clean up one group's contacts, keep what a key team member handled: the full plan",
    "[engine][usecase]") {
    const Snapshot s = usecase2_account();
    GP_EVALUATE(plan, s, usecase2_rules(), kAsOf);
    const std::vector<std::string> r{"camping-contacts"};
    const std::vector<std::string> pending{"pending"};
    const auto mark = mark_pending_step("2026-06-15");
    check_entries(plan, s,
                  {{1, r, {101, 102}, {delete_tickets_step({101, 102}), mark}},
                   {3, r, {301}, {delete_tickets_step({301}), mark}},
                   {5, pending, {}, {delete_contact_step(DeleteMode::soft)}},
                   {7, pending, {702}, {clear_pending_step()}},
                   {9, r, {901}, {delete_tickets_step({901}), mark}},
                   {12, r, {1201}, {delete_tickets_step({1201}), mark}}});
    check_protected(plan,
                    {{2, ProtectionReason::responder, ""}, {11, ProtectionReason::agent, ""}});
    const Summary& sum = plan.header.summary;
    CHECK(sum.contacts_read == 13);
    CHECK(sum.tickets_read == 17);
    CHECK(sum.contacts_to_delete == 1);
    CHECK(sum.tickets_to_delete == 5);
    CHECK(sum.contacts_to_mark == 4);
    CHECK(sum.marks_to_clear == 1);
    CHECK(sum.soft_deleted_to_purge == 0);
    CHECK(protected_count(plan, ProtectionReason::agent) == 1);
    CHECK(protected_count(plan, ProtectionReason::exception_tag) == 0);
    CHECK(protected_count(plan, ProtectionReason::exception_email) == 0);
    CHECK(protected_count(plan, ProtectionReason::exception_company) == 0);
    CHECK(protected_count(plan, ProtectionReason::responder) == 1);
    CHECK(sum.by_rule == std::vector<RuleCount>{{"camping-contacts", 4, 5}});
}

TEST_CASE("Use case 2, five weeks later: the waiting contacts are due and deleted soft",
          "[engine][usecase]") {
    const Snapshot s = usecase2_account();
    const UnixTime later = on("2026-07-20");  // contact 6 waited since 2026-06-01: due
    GP_EVALUATE(plan, s, usecase2_rules(), later);
    CHECK(steps_of(plan, 5) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
    CHECK(steps_of(plan, 6) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
    CHECK(rules_of(plan, 6) == std::vector<std::string>{"pending"});
    CHECK(steps_of(plan, 10) ==
          std::vector<Step>{delete_tickets_step({1001}), mark_pending_step("2026-07-20")});
}

// ---------------------------------------------------------------------------------------------
// Use case 3: remove old incident tickets, never touch open cases
// ---------------------------------------------------------------------------------------------

namespace {

Rules usecase3_rules() {
    return deleting({with_types(rule("old-incidents", days(60), Scope::ticket), {"Incident"})},
                    DeleteMode::hard, immediate());
}

Snapshot usecase3_account() {
    Snapshot s = base_account();
    auto inc = [](Id id, Id who, UnixTime closed) {
        return of_type(closed_ticket(id, who, closed), "Incident");
    };
    auto q = [](Id id, Id who, UnixTime closed) {
        return of_type(closed_ticket(id, who, closed), "Question");
    };
    for (Id id = 1; id <= 12; ++id) {
        s.contacts.push_back(contact(id));
    }
    // 1: an old incident and an old question: only the incident goes
    s.add_ticket(inc(101, 1, kAsOf - 90 * day));
    s.add_ticket(q(102, 1, kAsOf - 90 * day));
    // 2: an old and a recent incident: only the old one goes
    s.add_ticket(inc(201, 2, kAsOf - 90 * day));
    s.add_ticket(inc(202, 2, kAsOf - 30 * day));
    // 3: an open question: the contact is untouched
    s.add_ticket(inc(301, 3, kAsOf - 90 * day));
    s.add_ticket(of_type(open_ticket(302, 3, kAsOf - 5 * day), "Question"));
    // 4: two old incidents: all go, then the contact
    s.add_ticket(inc(402, 4, kAsOf - 90 * day));
    s.add_ticket(inc(401, 4, kAsOf - 400 * day));
    // 5: an old incident and a question in the trash: the incident is its last live ticket
    s.add_ticket(inc(501, 5, kAsOf - 90 * day));
    s.add_ticket(trashed(q(502, 5, kAsOf - 10 * day)));
    // 6: a resolved incident is open under the default closed_statuses
    auto resolved = inc(601, 6, kAsOf - 90 * day);
    resolved.status = status_resolved;
    s.add_ticket(resolved);
    s.add_ticket(inc(602, 6, kAsOf - 90 * day));
    // 7: closed exactly 60 days ago
    s.add_ticket(inc(701, 7, kAsOf - 60 * day));
    // 8: one second short of 60 days, and an older one
    s.add_ticket(inc(801, 8, kAsOf - 60 * day + 1));
    s.add_ticket(inc(802, 8, kAsOf - 100 * day));
    // 9: an incident tagged VIP (no exceptions in this file)
    s.add_ticket(tagged(inc(901, 9, kAsOf - 90 * day), {"VIP"}));
    // 10: no type
    s.add_ticket(closed_ticket(1001, 10, kAsOf - 90 * day));
    // 11: a pending (status 3) incident
    s.add_ticket(of_type(open_ticket(1101, 11, kAsOf - 300 * day, status_pending), "Incident"));
    // 12: no closed_at: updated_at counts
    auto no_close = inc(1201, 12, kAsOf - 90 * day);
    no_close.closed_at = no_time;
    s.add_ticket(no_close);
    return s;
}

}  // namespace

TEST_CASE("Use case 3: the rules file says what the C++ rules say", "[engine][usecase]") {
    const Rules loaded = load_or_fail("usecase3_old_incidents.json");
    REQUIRE(loaded.ticket_rules.size() == 1);
    const TicketRule& r = loaded.ticket_rules[0];
    CHECK(r.name == "old-incidents");
    CHECK(r.groups.empty());
    CHECK(r.types == std::vector<std::string>{"Incident"});
    CHECK(r.older_than.seconds == 60 * day);
    CHECK(r.since == Since::closed);
    CHECK(r.scope == Scope::ticket);
    CHECK_FALSE(loaded.contact_policy.keep_contact);
    CHECK(loaded.contact_policy.delete_mode == DeleteMode::hard);
    CHECK(loaded.contact_policy.delete_after.seconds == 0);
    CHECK(loaded.exceptions.tags.empty());
    CHECK(loaded.exceptions.responders.empty());

    const Snapshot s = usecase3_account();
    check_same_plan(evaluate(s, loaded, kAsOf), evaluate(s, usecase3_rules(), kAsOf));
}

TEST_CASE("Use case 3: remove old incident tickets, never touch open cases: the full plan",
          "[engine][usecase]") {
    const Snapshot s = usecase3_account();
    GP_EVALUATE(plan, s, usecase3_rules(), kAsOf);
    const std::vector<std::string> r{"old-incidents"};
    const auto hard = delete_contact_step(DeleteMode::hard);
    check_entries(plan, s,
                  {{1, r, {101, 102}, {delete_tickets_step({101})}},
                   {2, r, {201, 202}, {delete_tickets_step({201})}},
                   {4, r, {401, 402}, {delete_tickets_step({401, 402}), hard}},
                   {5, r, {501}, {delete_tickets_step({501}), hard}},
                   {7, r, {701}, {delete_tickets_step({701}), hard}},
                   {8, r, {801, 802}, {delete_tickets_step({802})}},
                   {9, r, {901}, {delete_tickets_step({901}), hard}},
                   {12, r, {1201}, {delete_tickets_step({1201}), hard}}});
    check_protected(plan, {});
    const Summary& sum = plan.header.summary;
    CHECK(sum.contacts_read == 12);
    CHECK(sum.tickets_read == 19);
    CHECK(sum.contacts_to_delete == 5);
    CHECK(sum.tickets_to_delete == 9);
    CHECK(sum.contacts_to_mark == 0);
    CHECK(sum.marks_to_clear == 0);
    CHECK(sum.soft_deleted_to_purge == 0);
    for (std::size_t i = 0; i < protection_reason_count; ++i) {
        CHECK(sum.protected_counts[i] == 0);
    }
    CHECK(sum.by_rule == std::vector<RuleCount>{{"old-incidents", 8, 9}});
}
