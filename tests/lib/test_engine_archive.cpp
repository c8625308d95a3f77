// Archived tickets in the engine (docs/rules-semantics.md: archived tickets, settled 19), sentence
// by sentence. An archived ticket is one of its requester's tickets like any other: closed
// whatever closed_statuses says, aged by its updated_at, keeping its contact from being an orphan,
// in or out of a rule's scope, deleted (for good) by a rule that selects it. While the archive
// index is incomplete, every contact-level step is held. Each case sits next to a control that a
// different reading would confuse with it. Settled questions cited in this file:
// docs/rules-semantics.md.
#include "engine_fixtures.hpp"

#include "rules/rules.hpp"

#include <string>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

const UnixTime kAsOf = default_as_of();         // 2026-06-15T12:00:00Z
const UnixTime kOld = kAsOf - 200 * day;        // aged for 180d
const UnixTime kRecent = kAsOf - 10 * day;      // not aged for 180d
const UnixTime kThreshold = kAsOf - 180 * day;  // as_of - older_than for the 180d rules

TicketRule any180(Scope scope = Scope::contact, Since since = Since::closed) {
    return rule("old-tickets", days(180), scope, since);
}

// An archived Closed ticket, last updated (and so closed) at `updated`, without stats.
TicketRecord archived_ticket(Id id, Id requester, UnixTime updated) {
    return archived(closed_ticket(id, requester, updated));
}

Snapshot account_with(std::vector<Id> contact_ids) {
    Snapshot s = base_account();
    for (Id id : contact_ids) {
        s.contacts.push_back(contact(id));
    }
    return s;
}

Snapshot incomplete(Snapshot s) {
    s.archive_complete = false;
    return s;
}

std::size_t reason_index(ProtectionReason reason) {
    return static_cast<std::size_t>(reason);
}

std::string held_detail(const Plan& plan, Id contact_id) {
    const ProtectedContact* p =
        find_protected(plan, contact_id, ProtectionReason::archive_incomplete);
    return p == nullptr ? "<not listed>" : p->detail;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Closed, reference time, open check
// ---------------------------------------------------------------------------------------------

TEST_CASE("An archived ticket is closed whatever closed_statuses says", "[engine][archived]") {
    Snapshot s = account_with({1, 2, 3, 4, 5});
    s.add_ticket(archived_ticket(11, 1, kOld));  // Closed (5), archived
    s.add_ticket(closed_ticket(21, 2, kOld));    // Closed (5), live: control
    TicketRecord resolved = archived_ticket(31, 3, kOld);
    resolved.status = status_resolved;
    s.add_ticket(resolved);
    TicketRecord live_resolved = closed_ticket(41, 4, kOld);
    live_resolved.status = status_resolved;
    s.add_ticket(live_resolved);
    // Not seen in Freshdesk (archiving takes Closed tickets), but "always closed" means always.
    TicketRecord odd = archived_ticket(51, 5, kOld);
    odd.status = status_open;
    s.add_ticket(odd);

    SECTION("closed_statuses [\"resolved\"]: a Closed archived ticket is closed, a live one not") {
        Rules rules = deleting({any180()});
        rules.closed_is_closed = false;
        rules.resolved_is_closed = true;
        GP_EVALUATE(plan, s, rules, kAsOf);
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_archived_tickets_step({11}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK_FALSE(has_entry(plan, 2));  // a live Closed ticket is open under this list
        CHECK(has_entry(plan, 3));
        CHECK(has_entry(plan, 4));
        CHECK(has_entry(plan, 5));
    }
    SECTION("closed_statuses [\"closed\"]: a Resolved archived ticket is closed, a live one not") {
        GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
        CHECK(steps_of(plan, 3) == std::vector<Step>{delete_archived_tickets_step({31}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK_FALSE(has_entry(plan, 4));
        CHECK(has_entry(plan, 1));
        CHECK(has_entry(plan, 2));
        CHECK(steps_of(plan, 5) == std::vector<Step>{delete_archived_tickets_step({51}),
                                                     delete_contact_step(DeleteMode::hard)});
    }
}

TEST_CASE("since closed: an archived ticket's close time is its updated_at, compared at the second",
          "[engine][archived][reference-time]") {
    Snapshot s = account_with({1, 2});
    // Aged exactly at as_of - older_than; a closed_at (never read for archived tickets) that
    // would say otherwise is ignored.
    TicketRecord at_threshold = archived_ticket(11, 1, kThreshold);
    at_threshold.closed_at = kRecent;
    s.add_ticket(at_threshold);
    // One second later: not aged, whatever an old closed_at says.
    TicketRecord one_second_late = archived_ticket(21, 2, kThreshold + 1);
    one_second_late.closed_at = kOld;
    s.add_ticket(one_second_late);
    for (const Scope scope : {Scope::contact, Scope::ticket}) {
        INFO("scope " << to_string(scope));
        GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
        REQUIRE(has_entry(plan, 1));
        CHECK(deleted_archived_ticket_ids(*find_entry(plan, 1)) == std::vector<Id>{11});
        CHECK_FALSE(has_entry(plan, 2));
        if (scope == Scope::contact) {
            // The close time is known exactly: no "at or before" as for a live ticket without
            // stats.closed_at.
            const std::string& reason = find_entry(plan, 1)->reason;
            CHECK(reason.find("last closed " + format_timestamp(kThreshold)) != std::string::npos);
            CHECK(reason.find("at or before") == std::string::npos);
        }
    }
}

TEST_CASE("since created and since updated: an archived ticket's created_at and updated_at",
          "[engine][archived][reference-time]") {
    Snapshot s = account_with({1, 2});
    TicketRecord created_old = archived_ticket(11, 1, kRecent);  // updated recently
    created_old.created_at = kOld;
    s.add_ticket(created_old);
    TicketRecord updated_old = archived_ticket(21, 2, kOld);
    updated_old.created_at = kOld - day;
    s.add_ticket(updated_old);
    {
        GP_EVALUATE(plan, s, deleting({any180(Scope::ticket, Since::created)}), kAsOf);
        CHECK(has_entry(plan, 1));
        CHECK(has_entry(plan, 2));
    }
    {
        GP_EVALUATE(plan, s, deleting({any180(Scope::ticket, Since::updated)}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));
        CHECK(has_entry(plan, 2));
    }
}

TEST_CASE("Only a live ticket can be open: an open live ticket still keeps the contact",
          "[engine][archived][open]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(archived_ticket(11, 1, kOld));
    s.add_ticket(open_ticket(12, 1, kOld));
    s.add_ticket(archived_ticket(21, 2, kOld));
    s.add_ticket(closed_ticket(22, 2, kOld));
    GP_EVALUATE(plan, s, deleting({any180(Scope::ticket)}), kAsOf);
    CHECK_FALSE(has_entry(plan, 1));  // the rule is not applied at all, archived ticket included
    CHECK(steps_of(plan, 2) == std::vector<Step>{delete_tickets_step({22}),
                                                 delete_archived_tickets_step({21}),
                                                 delete_contact_step(DeleteMode::hard)});
}

// ---------------------------------------------------------------------------------------------
// Orphans and scopes
// ---------------------------------------------------------------------------------------------

TEST_CASE("A contact whose only tickets are archived is no orphan", "[engine][archived][orphan]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(archived_ticket(11, 1, kRecent));  // not aged: no rule takes it
    s.add_ticket(trashed(closed_ticket(31, 3, kOld)));
    Rules rules = deleting({any180()});
    rules.orphan_contacts = OrphanRule{days(365), Since::updated};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(rules_of(plan, 2) == std::vector<std::string>{"orphan_contacts"});  // no ticket at all
    CHECK_FALSE(has_entry(plan, 3));  // a ticket in the trash is a ticket too (unchanged)
}

TEST_CASE("scope contact: an archived ticket outside the rule's groups keeps the contact",
          "[engine][archived][scope]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(in_group(closed_ticket(11, 1, kOld), group_camping));
    s.add_ticket(in_group(archived_ticket(12, 1, kOld), group_billing));
    s.add_ticket(in_group(closed_ticket(21, 2, kOld), group_camping));
    s.add_ticket(in_group(archived_ticket(22, 2, kOld), group_camping));
    // The newest reference is the archived ticket's: recent, so the contact stays.
    s.add_ticket(in_group(closed_ticket(31, 3, kOld), group_camping));
    s.add_ticket(in_group(archived_ticket(32, 3, kRecent), group_camping));
    GP_EVALUATE(plan, s, deleting({with_groups(rule("camping", days(180)), {"Camping"})}), kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == std::vector<Step>{delete_tickets_step({21}),
                                                 delete_archived_tickets_step({22}),
                                                 delete_contact_step(DeleteMode::hard)});
    CHECK_FALSE(has_entry(plan, 3));
}

TEST_CASE("scope ticket: each archived ticket closed, in scope and aged is deleted alone",
          "[engine][archived][scope]") {
    Snapshot s = account_with({1});
    s.add_ticket(in_group(archived_ticket(11, 1, kOld), group_camping));
    s.add_ticket(in_group(archived_ticket(12, 1, kOld), group_billing));     // out of scope
    s.add_ticket(in_group(archived_ticket(13, 1, kRecent), group_camping));  // not aged
    s.add_ticket(in_group(closed_ticket(14, 1, kOld), group_camping));
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("camping", days(180), Scope::ticket), {"Camping"})}),
                kAsOf);
    CHECK(steps_of(plan, 1) ==
          std::vector<Step>{delete_tickets_step({14}), delete_archived_tickets_step({11})});
}

// ---------------------------------------------------------------------------------------------
// Steps, the contact policy, pending, purge, protection
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "Selected archived tickets: a delete_archived_tickets step after delete_tickets and before "
    "the contact step; expect keeps the live tickets only",
    "[engine][archived][steps]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(archived_ticket(13, 1, kOld));
    s.add_ticket(closed_ticket(12, 1, kOld));
    s.add_ticket(archived_ticket(11, 1, kOld));
    s.add_ticket(archived_ticket(21, 2, kOld));  // archived tickets only
    SECTION("delete_after 0: delete_contact") {
        GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_tickets_step({12}),
                                                     delete_archived_tickets_step({11, 13}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK(find_entry(plan, 1)->expect.ticket_ids == std::vector<Id>{12});
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_archived_tickets_step({21}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK(find_entry(plan, 2)->expect.ticket_ids.empty());
        CHECK(find_entry(plan, 1)->reason.find("archived ticket(s) deleted permanently") !=
              std::string::npos);
    }
    SECTION("delete_after 30d: mark_pending") {
        GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::soft, days(30)), kAsOf);
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_tickets_step({12}),
                                                     delete_archived_tickets_step({11, 13}),
                                                     mark_pending_step(format_date(kAsOf))});
    }
    SECTION("keep_contact: the tickets only") {
        GP_EVALUATE(plan, s, keeping({any180()}), kAsOf);
        CHECK(steps_of(plan, 1) ==
              std::vector<Step>{delete_tickets_step({12}), delete_archived_tickets_step({11, 13})});
    }
}

TEST_CASE("The contact policy applies only when every current ticket, archived ones too, goes",
          "[engine][archived][steps]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(closed_ticket(11, 1, kOld));
    s.add_ticket(archived_ticket(12, 1, kRecent));  // stays: the contact has a ticket left
    s.add_ticket(closed_ticket(21, 2, kOld));
    s.add_ticket(archived_ticket(22, 2, kOld));
    s.add_ticket(archived_ticket(31, 3, kOld));
    s.add_ticket(closed_ticket(32, 3, kRecent));  // stays
    GP_EVALUATE(plan, s, deleting({any180(Scope::ticket)}), kAsOf);
    CHECK(steps_of(plan, 1) == std::vector<Step>{delete_tickets_step({11})});
    CHECK(steps_of(plan, 2) == std::vector<Step>{delete_tickets_step({21}),
                                                 delete_archived_tickets_step({22}),
                                                 delete_contact_step(DeleteMode::hard)});
    CHECK(steps_of(plan, 3) == std::vector<Step>{delete_archived_tickets_step({31})});
}

TEST_CASE("Pending: an archived ticket is a ticket again, and cancels the wait",
          "[engine][archived][pending]") {
    Snapshot s = account_with({1, 2});
    for (Id id : {1, 2}) {
        s.contacts[static_cast<std::size_t>(id - 1)].tags = {pending_tag(kAsOf - 60 * day)};
    }
    s.add_ticket(archived_ticket(11, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::soft, days(30)), kAsOf);
    CHECK(steps_of(plan, 1) == std::vector<Step>{clear_pending_step()});
    CHECK(find_entry(plan, 1)->reason.find("has 1 ticket(s) again (first: 11)") !=
          std::string::npos);
    CHECK(steps_of(plan, 2) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});  // due
}

TEST_CASE("purge_soft_deleted: skipped for a contact with an archived ticket",
          "[engine][archived][purge]") {
    Snapshot s = account_with({1, 2});
    for (auto& c : s.contacts) {
        c.state = ContactState::soft_deleted;
        c.tags = {std::string(deleted_tag)};
    }
    s.add_ticket(archived_ticket(11, 1, kOld));
    Rules rules = deleting({any180()}, DeleteMode::soft);
    rules.contact_policy.purge_soft_deleted_after = days(30);
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == std::vector<Step>{purge_step()});
}

TEST_CASE("A protected responder on an archived ticket protects the contact",
          "[engine][archived][protection]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(closed_ticket(11, 1, kOld));
    s.add_ticket(answered_by(archived_ticket(12, 1, kOld), agent_keeper));
    s.add_ticket(closed_ticket(21, 2, kOld));
    s.add_ticket(answered_by(archived_ticket(22, 2, kOld), agent_one));  // not protected
    s.add_ticket(closed_ticket(31, 3, kOld));
    s.add_ticket(answered_by(spam(closed_ticket(32, 3, kOld)), agent_keeper));  // spam: no
    Rules rules = deleting({any180(Scope::ticket)});
    rules.exceptions.responders = {"keeper@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(protection_reasons(plan, 1) ==
          std::vector<ProtectionReason>{ProtectionReason::responder});
    CHECK(has_entry(plan, 2));
    CHECK(has_entry(plan, 3));
}

TEST_CASE("An erasure subject loses its live and its archived tickets, then the contact",
          "[engine][archived][subjects]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(open_ticket(11, 1, kRecent));
    s.add_ticket(archived_ticket(12, 1, kRecent));
    s.add_ticket(archived_ticket(13, 1, kOld));
    s.add_ticket(archived_ticket(21, 2, kOld));
    s.add_ticket(answered_by(archived_ticket(31, 3, kOld), agent_keeper));
    Rules rules = deleting({any180()}, DeleteMode::soft);
    rules.exceptions.responders = {"keeper@example.com"};
    // Not held by an incomplete archive index: the subjects are asked for by name.
    for (const bool complete : {true, false}) {
        INFO("archive_complete " << complete);
        Snapshot account = s;
        account.archive_complete = complete;
        const Plan plan = evaluate_subjects(account, rules, {1, 2, 3}, kAsOf);
        INFO(describe(plan));
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_tickets_step({11}),
                                                     delete_archived_tickets_step({12, 13}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK(find_entry(plan, 1)->expect.ticket_ids == std::vector<Id>{11});
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_archived_tickets_step({21}),
                                                     delete_contact_step(DeleteMode::hard)});
        CHECK(protection_reasons(plan, 3) ==
              std::vector<ProtectionReason>{ProtectionReason::responder});
        CHECK(plan.header.summary.tickets_to_delete == 1);
        CHECK(plan.header.summary.archived_tickets_to_delete == 3);
        CHECK(protected_count(plan, ProtectionReason::archive_incomplete) == 0);
    }
}

TEST_CASE("Summary: tickets_to_delete counts live ids, archived_tickets_to_delete archived ones",
          "[engine][archived][summary]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(closed_ticket(11, 1, kOld));
    s.add_ticket(archived_ticket(12, 1, kOld));
    s.add_ticket(archived_ticket(13, 1, kOld));
    s.add_ticket(closed_ticket(21, 2, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    const Summary& sum = plan.header.summary;
    CHECK(sum.tickets_read == 4);
    CHECK(sum.tickets_to_delete == 2);
    CHECK(sum.archived_tickets_to_delete == 2);
    CHECK(sum.contacts_to_delete == 2);
    // by_rule counts every ticket a rule selected first, archived ones included.
    REQUIRE(find_rule_count(plan, "old-tickets") != nullptr);
    CHECK(*find_rule_count(plan, "old-tickets") == RuleCount{"old-tickets", 2, 4});
}

// ---------------------------------------------------------------------------------------------
// docs/rules-semantics.md, settled 19: an incomplete archive index holds every contact-level step
// ---------------------------------------------------------------------------------------------

TEST_CASE("Settled 19: scope ticket deletions go on, the contact step waits and is listed",
          "[engine][archived][hold]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(closed_ticket(11, 1, kOld));
    s.add_ticket(archived_ticket(12, 1, kOld));
    s.add_ticket(closed_ticket(21, 2, kOld));
    s.add_ticket(closed_ticket(22, 2, kRecent));  // keeps its contact anyway: nothing lost
    s.add_ticket(closed_ticket(31, 3, kOld));
    SECTION("delete_contact") {
        {
            GP_EVALUATE(complete_plan, s, deleting({any180(Scope::ticket)}), kAsOf);
            CHECK(has_action(complete_plan, 1, StepAction::delete_contact));
            CHECK(complete_plan.protected_contacts.empty());
        }
        GP_EVALUATE(plan, incomplete(s), deleting({any180(Scope::ticket)}), kAsOf);
        CHECK(steps_of(plan, 1) ==
              std::vector<Step>{delete_tickets_step({11}), delete_archived_tickets_step({12})});
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_tickets_step({21})});
        CHECK(steps_of(plan, 3) == std::vector<Step>{delete_tickets_step({31})});
        CHECK(held_detail(plan, 1) == "delete_contact (hard) waits for the archive index");
        CHECK_FALSE(is_listed(plan, 2, ProtectionReason::archive_incomplete));
        CHECK(is_listed(plan, 3, ProtectionReason::archive_incomplete));
        CHECK(find_entry(plan, 1)->reason.find("waits for the archive index") != std::string::npos);
        const Summary& sum = plan.header.summary;
        CHECK(sum.contacts_to_delete == 0);
        CHECK(sum.tickets_to_delete == 3);
        CHECK(sum.archived_tickets_to_delete == 1);
        CHECK(sum.protected_counts[reason_index(ProtectionReason::archive_incomplete)] == 2);
    }
    SECTION("mark_pending") {
        GP_EVALUATE(plan, incomplete(s),
                    deleting({any180(Scope::ticket)}, DeleteMode::soft, days(30)), kAsOf);
        CHECK(steps_of(plan, 1) ==
              std::vector<Step>{delete_tickets_step({11}), delete_archived_tickets_step({12})});
        CHECK(held_detail(plan, 1) == "mark_pending waits for the archive index");
        CHECK(plan.header.summary.contacts_to_mark == 0);
    }
    SECTION("keep_contact: nothing to hold, nothing listed") {
        GP_EVALUATE(plan, incomplete(s), keeping({any180(Scope::ticket)}), kAsOf);
        CHECK(has_entry(plan, 1));
        CHECK(plan.protected_contacts.empty());
    }
}

TEST_CASE("Settled 19: an entry a scope contact rule took part in is held whole",
          "[engine][archived][hold]") {
    Snapshot s = account_with({1, 2});
    s.add_ticket(in_group(closed_ticket(11, 1, kOld), group_camping));
    s.add_ticket(in_group(archived_ticket(12, 1, kOld), group_camping));
    s.add_ticket(in_group(closed_ticket(21, 2, kOld), group_billing));
    const TicketRule camping = with_groups(rule("camping", days(180)), {"Camping"});
    SECTION("the scope contact rule alone") {
        GP_EVALUATE(plan, incomplete(s), keeping({camping}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));  // not even its ticket deletions (keep_contact too)
        CHECK(held_detail(plan, 1) == "rule camping (scope contact)");
        CHECK(plan.header.summary.tickets_to_delete == 0);
        CHECK(find_rule_count(plan, "camping")->contacts == 0);
    }
    SECTION("with a scope ticket rule that selects the same contact") {
        GP_EVALUATE(plan, incomplete(s),
                    deleting({camping, rule("all-old", days(180), Scope::ticket)}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));
        CHECK(held_detail(plan, 1) == "rule camping (scope contact)");
        // Contact 2: only the scope ticket rule; its deletion goes on, its contact step waits.
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_tickets_step({21})});
        CHECK(held_detail(plan, 2) == "delete_contact (hard) waits for the archive index");
    }
}

TEST_CASE("Settled 19: no orphan deletion, no due pending deletion, no purge - each listed",
          "[engine][archived][hold]") {
    Snapshot s = account_with({1, 2, 3});
    s.contacts[1].tags = {pending_tag(kAsOf - 60 * day)};
    s.contacts[2].state = ContactState::soft_deleted;
    s.contacts[2].tags = {std::string(deleted_tag)};
    Rules rules = deleting({any180()}, DeleteMode::soft, days(30));
    rules.orphan_contacts = OrphanRule{days(365), Since::updated};
    rules.contact_policy.purge_soft_deleted_after = days(30);
    {
        GP_EVALUATE(complete_plan, s, rules, kAsOf);
        CHECK(ids_of_entries(complete_plan) == std::vector<Id>{1, 2, 3});
    }
    GP_EVALUATE(plan, incomplete(s), rules, kAsOf);
    CHECK(plan.entries.empty());
    CHECK(plan.protected_contacts ==
          std::vector<ProtectedContact>{
              {1, ProtectionReason::archive_incomplete, "orphan_contacts"},
              {2, ProtectionReason::archive_incomplete, "pending"},
              {3, ProtectionReason::archive_incomplete, "purge_soft_deleted"}});
    CHECK(protected_count(plan, ProtectionReason::archive_incomplete) == 3);
}

TEST_CASE("Settled 19: clear_pending goes on (it deletes nothing) and is not listed",
          "[engine][archived][hold]") {
    Snapshot s = incomplete(account_with({1}));
    s.contacts[0].tags = {pending_tag(kAsOf - 5 * day)};
    s.add_ticket(open_ticket(11, 1, kRecent));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::soft, days(30)), kAsOf);
    CHECK(steps_of(plan, 1) == std::vector<Step>{clear_pending_step()});
    CHECK(plan.protected_contacts.empty());
}

TEST_CASE("Settled 19: a protection wins over the hold: listed for it, not archive_incomplete",
          "[engine][archived][hold][protection]") {
    Snapshot s = incomplete(account_with({1, 2, agent_one}));
    s.contacts[0].tags = {"VIP"};
    s.add_ticket(closed_ticket(11, 1, kOld));  // would lose its contact step
    s.add_ticket(answered_by(archived_ticket(21, 2, kOld), agent_keeper));  // held whole
    s.add_ticket(closed_ticket(31, agent_one, kOld));
    Rules rules = deleting({any180(Scope::ticket), rule("whole", days(180))});
    rules.exceptions.tags = {"VIP"};
    rules.exceptions.responders = {"keeper@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
    CHECK(protection_reasons(plan, 1) ==
          std::vector<ProtectionReason>{ProtectionReason::exception_tag});
    CHECK(protection_reasons(plan, 2) ==
          std::vector<ProtectionReason>{ProtectionReason::responder});
    CHECK(protection_reasons(plan, agent_one) ==
          std::vector<ProtectionReason>{ProtectionReason::agent});
    CHECK(protected_count(plan, ProtectionReason::archive_incomplete) == 0);
}

// ---------------------------------------------------------------------------------------------
// evaluate_contact (apply's re-check) with archived tickets
// ---------------------------------------------------------------------------------------------

TEST_CASE("evaluate_contact sees archived tickets as evaluate does, and the hold in its entry",
          "[engine][archived][contact]") {
    Snapshot s = account_with({1, 2, 3});
    s.add_ticket(closed_ticket(11, 1, kOld));
    s.add_ticket(archived_ticket(12, 1, kOld));
    s.add_ticket(archived_ticket(21, 2, kRecent));  // keeps contact 2 from being an orphan
    s.add_ticket(answered_by(archived_ticket(31, 3, kOld), agent_keeper));
    Rules rules = deleting({any180(Scope::ticket)});
    rules.orphan_contacts = OrphanRule{days(365), Since::updated};
    rules.exceptions.responders = {"keeper@example.com"};

    const ContactVerdict one = evaluate_contact(s, rules, 1, kAsOf);
    REQUIRE(one.entry.has_value());
    CHECK(*one.entry == *find_entry(evaluate(s, rules, kAsOf), 1));
    CHECK(one.entry->steps == std::vector<Step>{delete_tickets_step({11}),
                                                delete_archived_tickets_step({12}),
                                                delete_contact_step(DeleteMode::hard)});
    CHECK(one.protection.empty());
    CHECK_FALSE(evaluate_contact(s, rules, 2, kAsOf).entry.has_value());
    const ContactVerdict three = evaluate_contact(s, rules, 3, kAsOf);
    REQUIRE(three.protection.size() == 1);
    CHECK(three.protection[0].reason == ProtectionReason::responder);

    // Incomplete index: the entry is evaluate()'s held one; the hold is no protection.
    const Snapshot held = incomplete(s);
    const ContactVerdict one_held = evaluate_contact(held, rules, 1, kAsOf);
    REQUIRE(one_held.entry.has_value());
    CHECK(one_held.entry->steps ==
          std::vector<Step>{delete_tickets_step({11}), delete_archived_tickets_step({12})});
    CHECK(one_held.protection.empty());
    Rules whole = deleting({any180()});
    CHECK_FALSE(evaluate_contact(held, whole, 1, kAsOf).entry.has_value());
    CHECK(evaluate_contact(held, whole, 1, kAsOf).protection.empty());
    CHECK(evaluate_contact(s, whole, 1, kAsOf).entry.has_value());
}
