// The engine against docs/rules-semantics.md, sentence by sentence. Each TEST_CASE is named after
// the sentence (or settled question) it checks, and each builds a case that a different reading
// would get wrong, usually next to a control contact that the rule does take.
// Settled questions cited in this file: docs/rules-semantics.md.
#include "engine_fixtures.hpp"

#include "rules/rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

const UnixTime kAsOf = default_as_of();         // 2026-06-15T12:00:00Z
const UnixTime kOld = kAsOf - 200 * day;        // aged for 180d
const UnixTime kRecent = kAsOf - 10 * day;      // not aged for 180d
const UnixTime kThreshold = kAsOf - 180 * day;  // as_of - older_than for the default rule

TicketRule any180(Scope scope = Scope::contact) {
    return rule("old-tickets", days(180), scope);
}

std::vector<Step> deleted_with_contact(std::vector<Id> ids, DeleteMode mode = DeleteMode::hard) {
    return {delete_tickets_step(std::move(ids)), delete_contact_step(mode)};
}

std::vector<Step> tickets_only(std::vector<Id> ids) {
    return {delete_tickets_step(std::move(ids))};
}

std::vector<std::string> resolution_problem_paths(const Snapshot& s, const Rules& r) {
    try {
        (void)evaluate(s, r, kAsOf);
    } catch (const RulesResolutionError& e) {
        std::vector<std::string> paths;
        for (const auto& p : e.problems()) {
            paths.push_back(p.path);
        }
        std::sort(paths.begin(), paths.end());
        return paths;
    }
    return {"<evaluate did not throw RulesResolutionError>"};
}

// A ticket whose `since` time is exactly t; its other times lie elsewhere, so that reading the
// wrong field gives a different answer.
TicketRecord with_reference(Id id, Id requester, Since since, UnixTime t) {
    TicketRecord r;
    r.id = id;
    r.requester_id = requester;
    r.status = status_closed;
    switch (since) {
        case Since::closed:
            r.created_at = t - 20 * day;
            r.closed_at = t;
            r.updated_at = t + 5 * day;
            break;
        case Since::created:
            r.created_at = t;
            r.closed_at = t + 3 * day;
            r.updated_at = t + 5 * day;
            break;
        case Since::updated:
            r.created_at = t - 20 * day;
            r.closed_at = t - 2 * day;
            r.updated_at = t;
            break;
    }
    return r;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Definitions: closed and open
// ---------------------------------------------------------------------------------------------

TEST_CASE("A ticket is closed when its status is in closed_statuses: Closed (5) by default",
          "[engine][definitions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
}

TEST_CASE("Resolved (4) is open unless closed_statuses lists resolved", "[engine][definitions]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    auto t = closed_ticket(101, 1, kOld);
    t.status = status_resolved;
    s.add_ticket(t);
    Rules rules = deleting({any180(scope)});

    SECTION(
        "default closed_statuses [closed]: the resolved ticket is open, the contact untouched") {
        GP_EVALUATE(plan, s, rules, kAsOf);
        CHECK(plan.entries.empty());
    }
    SECTION("closed_statuses [resolved, closed]: the resolved ticket is closed") {
        rules.resolved_is_closed = true;
        GP_EVALUATE(plan, s, rules, kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    }
}

TEST_CASE("closed_statuses [resolved] alone makes Closed (5) an open status",
          "[engine][definitions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.contacts.push_back(contact(3));
    s.add_ticket(closed_ticket(101, 1, kOld));  // status 5
    auto resolved = closed_ticket(201, 2, kOld);
    resolved.status = status_resolved;
    s.add_ticket(resolved);
    resolved.id = 301;
    resolved.requester_id = 3;
    s.add_ticket(resolved);
    s.add_ticket(closed_ticket(302, 3, kOld));  // status 5: open here
    Rules rules = deleting({any180()});
    rules.resolved_is_closed = true;
    rules.closed_is_closed = false;
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
    CHECK_FALSE(has_entry(plan, 3));
}

TEST_CASE("Every other status (open, pending, waiting, custom statuses) is open",
          "[engine][definitions]") {
    const int status = GENERATE(as<int>{}, status_open, status_pending, 6, 7, 12);
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("status " << status << ", scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(open_ticket(102, 1, kOld, status));
    s.add_ticket(closed_ticket(201, 2, kOld));  // control: same contact without the open ticket
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
}

// ---------------------------------------------------------------------------------------------
// Definitions: in scope (groups, types, tags)
// ---------------------------------------------------------------------------------------------

TEST_CASE("groups: empty means any group, and a ticket without a group only matches an empty list",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3}) {
        s.contacts.push_back(contact(c));
    }
    s.add_ticket(closed_ticket(101, 1, kOld));                               // no group
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), group_escalations));  // Escalations
    s.add_ticket(in_group(closed_ticket(301, 3, kOld), group_camping));      // Camping

    SECTION("groups [Escalations]") {
        GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"Escalations"})}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK_FALSE(has_entry(plan, 3));
    }
    SECTION("groups [] (any group, and no group)") {
        GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK(steps_of(plan, 3) == deleted_with_contact({301}));
    }
}

TEST_CASE("types: empty means any type, and a ticket without a type only matches an empty list",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3}) {
        s.contacts.push_back(contact(c));
    }
    s.add_ticket(closed_ticket(101, 1, kOld));  // no type
    s.add_ticket(of_type(closed_ticket(201, 2, kOld), "Question"));
    s.add_ticket(of_type(closed_ticket(301, 3, kOld), "Incident"));

    SECTION("types [Question]") {
        GP_EVALUATE(plan, s, deleting({with_types(any180(), {"Question"})}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK_FALSE(has_entry(plan, 3));
    }
    SECTION("types [] (any type, and no type)") {
        GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK(steps_of(plan, 3) == deleted_with_contact({301}));
    }
}

TEST_CASE("tags: empty is no tag condition, otherwise the ticket must carry at least one",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3}) {
        s.contacts.push_back(contact(c));
    }
    s.add_ticket(closed_ticket(101, 1, kOld));                               // no tags
    s.add_ticket(tagged(closed_ticket(201, 2, kOld), {"misc", "archive"}));  // one of the rule's
    s.add_ticket(tagged(closed_ticket(301, 3, kOld), {"misc"}));             // none of the rule's

    SECTION("tags [gdpr-old, archive]") {
        GP_EVALUATE(plan, s, deleting({with_tags(any180(), {"gdpr-old", "archive"})}), kAsOf);
        CHECK_FALSE(has_entry(plan, 1));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK_FALSE(has_entry(plan, 3));
    }
    SECTION("tags []") {
        GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
        CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
        CHECK(steps_of(plan, 3) == deleted_with_contact({301}));
    }
}

TEST_CASE("A ticket is in scope of a rule when its group, type and tags meet all three conditions",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3, 4}) {
        s.contacts.push_back(contact(c));
    }
    auto t = [](Id id, Id who, Id group, const char* type, std::vector<std::string> tags) {
        return tagged(of_type(in_group(closed_ticket(id, who, kOld), group), type),
                      std::move(tags));
    };
    s.add_ticket(t(101, 1, group_escalations, "Question", {"archive"}));  // all three
    s.add_ticket(t(201, 2, group_escalations, "Question", {}));           // no tag
    s.add_ticket(t(301, 3, group_escalations, "Incident", {"archive"}));  // other type
    s.add_ticket(t(401, 4, group_camping, "Question", {"archive"}));      // other group
    const auto r =
        with_tags(with_types(with_groups(any180(), {"Escalations"}), {"Question"}), {"archive"});
    GP_EVALUATE(plan, s, deleting({r}), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
}

TEST_CASE("Name matching (groups, types, tags) is case-insensitive on trimmed text",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(
        tagged(of_type(in_group(closed_ticket(101, 1, kOld), group_escalations), "question"),
               {"ARCHIVE"}));
    s.add_ticket(
        tagged(of_type(in_group(closed_ticket(201, 2, kOld), group_escalations), "Questions"),
               {"ARCHIVE"}));  // a different type: no prefix matching
    const auto r = with_tags(with_types(with_groups(any180(), {" escalations "}), {"QUESTION "}),
                             {" Archive"});
    GP_EVALUATE(plan, s, deleting({r}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("groups: a string of digits that is no group name is a group id",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_camping));  // id 11
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), group_escalations));
    GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"11"})}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("groups: a group whose name is all digits is resolved by its name, not as an id",
          "[engine][scope-conditions]") {
    Snapshot s = base_account();
    s.groups.push_back({20, "2024"});
    s.groups.push_back({2024, "Other Team"});
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), 20));
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), 2024));
    GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"2024"})}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("groups: an id that matches no group is no error and matches no ticket",
          "[engine][scope-conditions][decisions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(closed_ticket(201, 2, kOld));  // no group
    const Rules rules = deleting({with_groups(any180(), {"777"})});
    REQUIRE_NOTHROW(evaluate(s, rules, kAsOf));
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("groups: the digits 0 or an out-of-range number never match a ticket without a group",
          "[engine][scope-conditions][decisions]") {
    const std::string digits = GENERATE(as<std::string>{}, "0", "00", "99999999999999999999");
    INFO("groups [" << digits << "]");
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(closed_ticket(101, 1, kOld));  // no group
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), group_escalations));
    const Rules rules = deleting({with_groups(any180(), {digits})});
    try {
        GP_EVALUATE(plan, s, rules, kAsOf);
        CHECK(plan.entries.empty());
    } catch (const RulesResolutionError&) {
        SUCCEED("refused as an unknown group: deletes nothing either");
    }
}

TEST_CASE("A group name that does not exist in the account is an error, not an empty match",
          "[engine][resolution]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    const Rules rules = deleting({with_groups(any180(), {"Escalations", "Escalatoins"})});
    CHECK_THROWS_AS(evaluate(s, rules, kAsOf), RulesResolutionError);
    CHECK(resolution_problem_paths(s, rules) ==
          std::vector<std::string>{"ticket_rules[0].groups[1]"});
}

TEST_CASE("unresolved_names finds on the names alone what evaluate refuses",
          "[engine][resolution]") {
    Snapshot names = base_account();  // names only: no contact, no ticket
    const Rules bad = deleting({with_groups(any180(), {"Escalations", "Escalatoins"})});
    const std::vector<RulesProblem> problems = unresolved_names(names, bad);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "ticket_rules[0].groups[1]");
    CHECK_THROWS_AS(require_resolved(names, bad), RulesResolutionError);
    const Rules good = deleting({with_groups(any180(), {"Escalations"})});
    CHECK(unresolved_names(names, good).empty());
    CHECK_NOTHROW(require_resolved(names, good));
}

TEST_CASE("Types are not resolved: an unknown type is no error and matches nothing",
          "[engine][scope-conditions][decisions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(of_type(closed_ticket(101, 1, kOld), "Question"));
    const Rules rules = deleting({with_types(any180(), {"Complaint"})});
    REQUIRE_NOTHROW(evaluate(s, rules, kAsOf));
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
}

// ---------------------------------------------------------------------------------------------
// Definitions: reference time and age
// ---------------------------------------------------------------------------------------------

TEST_CASE("Reference time, since closed: the ticket's closed_at (not its updated_at)",
          "[engine][reference-time]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    auto a = closed_ticket(101, 1, kOld);  // closed long ago, touched recently
    a.updated_at = kRecent;
    s.add_ticket(a);
    auto b = closed_ticket(201, 2, kRecent);  // closed recently, created long ago
    b.created_at = kOld;
    s.add_ticket(b);
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("Reference time, since closed: updated_at when the ticket has no closed_at",
          "[engine][reference-time]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    auto a = closed_ticket(101, 1, kOld);
    a.closed_at = no_time;
    s.add_ticket(a);
    auto b = closed_ticket(201, 2, kRecent);
    b.closed_at = no_time;
    b.created_at = kOld;
    s.add_ticket(b);
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("Settled 11: since closed uses closed_at, else updated_at, also for Resolved tickets",
          "[engine][reference-time][settled]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3}) {
        s.contacts.push_back(contact(c));
    }
    auto a = closed_ticket(101, 1, kOld);  // no closed_at, updated long ago
    a.status = status_resolved;
    a.closed_at = no_time;
    s.add_ticket(a);
    auto b = closed_ticket(201, 2, kRecent);  // no closed_at, updated recently
    b.status = status_resolved;
    b.closed_at = no_time;
    b.created_at = kOld;
    s.add_ticket(b);
    auto c = closed_ticket(301, 3, kOld);  // closed_at long ago, updated recently
    c.status = status_resolved;
    c.updated_at = kRecent;
    s.add_ticket(c);
    Rules rules = deleting({any180()});
    rules.resolved_is_closed = true;
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
    CHECK(steps_of(plan, 3) == deleted_with_contact({301}));
}

TEST_CASE("Reference time, since created: the ticket's created_at", "[engine][reference-time]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    auto a = closed_ticket(101, 1, kRecent);  // created long ago, closed and updated recently
    a.created_at = kOld;
    s.add_ticket(a);
    auto b = closed_ticket(201, 2, kRecent);  // created recently too
    b.created_at = kRecent - day;
    s.add_ticket(b);
    GP_EVALUATE(plan, s, deleting({rule("by-created", days(180), Scope::contact, Since::created)}),
                kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("Reference time, since updated: the ticket's updated_at", "[engine][reference-time]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(closed_ticket(101, 1, kOld));
    auto b = closed_ticket(201, 2, kOld);  // closed and created long ago, updated recently
    b.updated_at = kRecent;
    s.add_ticket(b);
    GP_EVALUATE(plan, s, deleting({rule("by-updated", days(180), Scope::contact, Since::updated)}),
                kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE(
    "A ticket is aged when reference <= as_of - older_than: aged at equality, not one second later",
    "[engine][age][boundary]") {
    const Since since = GENERATE(Since::closed, Since::created, Since::updated);
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("since " << to_string(since) << ", scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(with_reference(101, 1, since, kThreshold));
    s.add_ticket(with_reference(201, 2, since, kThreshold + 1));
    GP_EVALUATE(plan, s, deleting({rule("edge", days(180), scope, since)}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("Ages are compared at the second with 1d = 86400 s (units w, m, y as days)",
          "[engine][age][boundary]") {
    const Duration d = GENERATE(Duration{2 * 7 * day, "2w"}, Duration{3 * 30 * day, "3m"},
                                Duration{365 * day, "1y"}, Duration{day, "1d"});
    INFO("older_than " << d.text);
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(closed_ticket(101, 1, kAsOf - d.seconds));
    s.add_ticket(closed_ticket(201, 2, kAsOf - d.seconds + 1));
    GP_EVALUATE(plan, s, deleting({rule("unit", d)}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK_FALSE(has_entry(plan, 2));
}

TEST_CASE("A ticket without the time its rule counts from is never aged",
          "[engine][age][decisions]") {
    const Since since = GENERATE(Since::closed, Since::created, Since::updated);
    INFO("since " << to_string(since));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    auto t = closed_ticket(101, 1, kOld);
    t.created_at = no_time;
    t.updated_at = no_time;
    t.closed_at = no_time;
    s.add_ticket(t);
    GP_EVALUATE(plan, s, deleting({rule("no-time", days(180), Scope::ticket, since)}), kAsOf);
    CHECK(plan.entries.empty());
}

// ---------------------------------------------------------------------------------------------
// Definitions: deleted and spam tickets
// ---------------------------------------------------------------------------------------------

TEST_CASE("Deleted and spam tickets are not the contact's tickets: an open one blocks nothing",
          "[engine][live]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(spam(open_ticket(102, 1, kRecent)));
    s.add_ticket(trashed(open_ticket(103, 1, kRecent)));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    REQUIRE(has_entry(plan, 1));
    CHECK(find_entry(plan, 1)->steps == deleted_with_contact({101}));
    CHECK(find_entry(plan, 1)->expect.ticket_ids == std::vector<Id>{101});
}

TEST_CASE(
    "Deleted and spam tickets out of scope or recent do not keep a contact under scope contact",
    "[engine][live]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(trashed(in_group(closed_ticket(102, 1, kOld), group_camping)));
    s.add_ticket(spam(in_group(closed_ticket(103, 1, kRecent), group_escalations)));
    GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"Escalations"})}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
}

TEST_CASE("Deleted and spam tickets are never deleted again", "[engine][live]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(trashed(closed_ticket(101, 1, kOld)));
    s.add_ticket(closed_ticket(102, 1, kOld));
    s.add_ticket(spam(closed_ticket(103, 1, kOld)));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({102}));
}

TEST_CASE("A contact whose only tickets are trashed or spam has no ticket for the rules",
          "[engine][live]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(trashed(closed_ticket(101, 1, kOld)));
    s.add_ticket(spam(closed_ticket(102, 1, kOld)));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK(plan.entries.empty());
}

// ---------------------------------------------------------------------------------------------
// Definitions: protection
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "Protected: a contact that is also an agent of the account (by id) is never deleted, nor its "
    "tickets",
    "[engine][protection]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    Contact c = contact(agent_one);
    c.email = "agent-contact@example.com";  // not the agent's email: the id alone must protect
    s.contacts.push_back(c);
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, agent_one, kOld));
    s.add_ticket(closed_ticket(201, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK_FALSE(has_entry(plan, agent_one));
    CHECK(deleted_ticket_ids(plan) == std::vector<Id>{201});
    CHECK(protection_reasons(plan, agent_one) ==
          std::vector<ProtectionReason>{ProtectionReason::agent});
    CHECK(protected_count(plan, ProtectionReason::agent) == 1);
}

TEST_CASE(
    "Protected: a contact whose primary email is an agent's email (case-insensitive) is an agent",
    "[engine][protection][decisions]") {
    Snapshot s = base_account();
    Contact c = contact(50);
    c.email = "Agent.One@Example.COM";
    s.contacts.push_back(c);
    s.add_ticket(closed_ticket(5001, 50, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(plan.entries.empty());
    CHECK(is_listed(plan, 50, ProtectionReason::agent));
}

TEST_CASE("Tickets whose requester is an agent are never touched", "[engine][protection]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();  // agent_keeper has no contact record
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, agent_keeper, kOld));
    s.add_ticket(closed_ticket(201, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(deleted_ticket_ids(plan) == std::vector<Id>{201});
}

TEST_CASE(
    "Protected: an agent (no contact record) whose own tickets a rule would have taken is listed "
    "with reason agent",
    "[engine][protection]") {
    // docs/rules.md, "Exceptions": the plan lists what a rule would have taken that an agent
    // status kept. The agents are already read: no call per agent is needed.
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();  // neither agent has a contact record
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, agent_keeper, kOld));  // the rule would take it
    s.add_ticket(closed_ticket(102, agent_one, kRecent));  // too recent: nothing taken
    s.add_ticket(closed_ticket(201, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(deleted_ticket_ids(plan) == std::vector<Id>{201});
    CHECK(protection_reasons(plan, agent_keeper) ==
          std::vector<ProtectionReason>{ProtectionReason::agent});
    CHECK(protection_reasons(plan, agent_one).empty());
    CHECK(protected_count(plan, ProtectionReason::agent) == 1);
}

TEST_CASE("Protected: an agent with an open ticket, or with none, is not listed",
          "[engine][protection]") {
    Snapshot s = base_account();
    s.add_ticket(closed_ticket(101, agent_keeper, kOld));
    // "if a ticket remains open, the rule is not applied"
    s.add_ticket(open_ticket(102, agent_keeper, kOld));
    GP_EVALUATE(plan, s, deleting({any180(Scope::ticket)}), kAsOf);
    CHECK(protected_count(plan, ProtectionReason::agent) == 0);  // agent_one: no ticket at all
    CHECK(plan.entries.empty());
}

TEST_CASE("Protected: it carries an exception tag (case-insensitive, whole tag)",
          "[engine][protection]") {
    Snapshot s = base_account();
    Contact vip = contact(1);
    vip.tags = {"newsletter", "vip"};
    s.contacts.push_back(vip);
    Contact former = contact(2);
    former.tags = {"VIP-former"};
    s.contacts.push_back(former);
    Contact gold = contact(3);
    gold.tags = {"GOLD"};
    s.contacts.push_back(gold);
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    s.add_ticket(closed_ticket(301, 3, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.tags = {"VIP", " gold "};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{2});
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
    CHECK(is_listed(plan, 3, ProtectionReason::exception_tag));
    const ProtectedContact* p = find_protected(plan, 1, ProtectionReason::exception_tag);
    REQUIRE(p != nullptr);
    CHECK(p->detail == "VIP");  // the tag as written in the rules
    CHECK(protected_count(plan, ProtectionReason::exception_tag) == 2);
}

TEST_CASE("Protected: its primary email is an exception email (case-insensitive, trimmed)",
          "[engine][protection]") {
    Snapshot s = base_account();
    Contact ceo = contact(1);
    ceo.email = "ceo@example.com";
    s.contacts.push_back(ceo);
    Contact other = contact(2);
    other.email = "ceo@example.org";
    s.contacts.push_back(other);
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.emails = {" CEO@Example.com "};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
    const ProtectedContact* p = find_protected(plan, 1, ProtectionReason::exception_email);
    REQUIRE(p != nullptr);
    CHECK(normalize_name(p->detail) == "c***@example.com");  // masked, never the address itself
}

TEST_CASE("Protected: any other email of the contact is an exception email",
          "[engine][protection]") {
    Snapshot s = base_account();
    Contact c = contact(1);
    c.email = "someone@example.com";
    c.other_emails = {"old-address@example.net", "Ceo@Example.com"};
    s.contacts.push_back(c);
    s.add_ticket(closed_ticket(101, 1, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.emails = {"ceo@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
    const ProtectedContact* p = find_protected(plan, 1, ProtectionReason::exception_email);
    REQUIRE(p != nullptr);
    CHECK(normalize_name(p->detail) == "c***@example.com");
}

TEST_CASE("Protected: its company or any other company is an exception company",
          "[engine][protection]") {
    Snapshot s = base_account();
    Contact direct = contact(1);
    direct.company_id = company_key_account;
    s.contacts.push_back(direct);
    Contact other = contact(2);
    other.company_id = company_small_shop;
    other.other_company_ids = {company_key_account};
    s.contacts.push_back(other);
    Contact control = contact(3);
    control.company_id = company_small_shop;
    s.contacts.push_back(control);
    for (Id c : {1, 2, 3}) {
        s.add_ticket(closed_ticket(c * 100 + 1, c, kOld));
    }
    Rules rules = deleting({any180()});
    rules.exceptions.companies = {" key account LTD"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{3});
    CHECK(steps_of(plan, 3) == deleted_with_contact({301}));
    for (Id c : {1, 2}) {
        INFO("contact " << c);
        const ProtectedContact* p = find_protected(plan, c, ProtectionReason::exception_company);
        REQUIRE(p != nullptr);
        CHECK(normalize_name(p->detail) == "key account ltd");
    }
    CHECK(protected_count(plan, ProtectionReason::exception_company) == 2);
}

TEST_CASE("Settled 10: a company given as a string of digits that is no company's name is an id",
          "[engine][protection][settled]") {
    Snapshot s = base_account();
    Contact a = contact(1);
    a.company_id = company_small_shop;  // 501
    s.contacts.push_back(a);
    Contact b = contact(2);
    b.company_id = company_key_account;
    s.contacts.push_back(b);
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.companies = {"501"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{2});
    CHECK(is_listed(plan, 1, ProtectionReason::exception_company));
}

TEST_CASE("Settled 10: a company whose name is all digits is matched by its name, not as an id",
          "[engine][protection][settled]") {
    Snapshot s = base_account();
    s.companies.push_back({600, "1234"});
    s.companies.push_back({1234, "Digits Inc"});
    Contact by_name = contact(1);
    by_name.company_id = 600;
    s.contacts.push_back(by_name);
    Contact by_id = contact(2);
    by_id.company_id = 1234;
    s.contacts.push_back(by_id);
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.companies = {"1234"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{2});
    CHECK(is_listed(plan, 1, ProtectionReason::exception_company));
}

TEST_CASE("Settled 10/18: an unknown company name is an error, as for groups",
          "[engine][resolution][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.companies = {"Key Acount Ltd"};
    CHECK_THROWS_AS(evaluate(s, rules, kAsOf), RulesResolutionError);
    CHECK(resolution_problem_paths(s, rules) ==
          std::vector<std::string>{"exceptions.companies[0]"});
}

TEST_CASE("Protected: any of its tickets has a responder whose email is in exceptions.responders",
          "[engine][protection]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(answered_by(closed_ticket(101, 1, kOld), agent_keeper));
    s.add_ticket(closed_ticket(102, 1, kOld));  // no responder: still kept with its contact
    s.add_ticket(answered_by(closed_ticket(201, 2, kOld), agent_one));
    Rules rules = deleting({any180(scope)});
    rules.exceptions.responders = {"KEEPER@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
    CHECK(is_listed(plan, 1, ProtectionReason::responder));
    CHECK(protected_count(plan, ProtectionReason::responder) == 1);
}

TEST_CASE("Settled 9: responders count on live tickets only", "[engine][protection][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(trashed(answered_by(closed_ticket(102, 1, kOld), agent_keeper)));
    s.add_ticket(spam(answered_by(closed_ticket(103, 1, kOld), agent_keeper)));
    Rules rules = deleting({any180()});
    rules.exceptions.responders = {"keeper@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK(protection_reasons(plan, 1).empty());
}

TEST_CASE("A responder email that is no agent's email is an error",
          "[engine][resolution][decisions]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    Rules rules = deleting({any180()});
    rules.exceptions.responders = {"keeper@example.com", "nobody@example.com"};
    CHECK_THROWS_AS(evaluate(s, rules, kAsOf), RulesResolutionError);
    CHECK(resolution_problem_paths(s, rules) ==
          std::vector<std::string>{"exceptions.responders[1]"});
}

TEST_CASE("Resolution problems are all listed, each with its path in the rules file",
          "[engine][resolution]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    Rules rules = deleting({with_groups(rule("first", days(180)), {"Escalations", "Nowhere"}),
                            with_groups(rule("second", days(180)), {"Elsewhere", "camping"})});
    rules.exceptions.companies = {"Small Shop", "No Such Company"};
    rules.exceptions.responders = {"stranger@example.com"};
    CHECK(resolution_problem_paths(s, rules) ==
          std::vector<std::string>{"exceptions.companies[1]", "exceptions.responders[0]",
                                   "ticket_rules[0].groups[1]", "ticket_rules[1].groups[0]"});
}

TEST_CASE("Settled 9: an exception tag on a ticket protects nothing",
          "[engine][protection][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(tagged(closed_ticket(101, 1, kOld), {"VIP"}));
    Rules rules = deleting({any180()});
    rules.exceptions.tags = {"VIP"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101}));
    CHECK(plan.protected_contacts.empty());
}

TEST_CASE(
    "A protected contact and every ticket it requested are never touched, and the plan lists it",
    "[engine][protection]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    Contact vip = contact(1);
    vip.tags = {"VIP"};
    s.contacts.push_back(vip);
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(of_type(closed_ticket(102, 1, kOld), "Incident"));
    Rules rules = deleting({any180(scope)});
    rules.exceptions.tags = {"vip"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
    CHECK(protection_reasons(plan, 1) ==
          std::vector<ProtectionReason>{ProtectionReason::exception_tag});
}

TEST_CASE(
    "Settled 17: a contact protected for several reasons is listed once per reason, in reason "
    "order",
    "[engine][protection][settled]") {
    Snapshot s = base_account();
    Contact c = contact(agent_one);  // an agent
    c.email = "boss@example.com";
    c.tags = {"VIP"};
    c.company_id = company_key_account;
    s.contacts.push_back(c);
    s.add_ticket(answered_by(closed_ticket(101, agent_one, kOld), agent_keeper));
    Rules rules = deleting({any180()});
    rules.exceptions.tags = {"VIP"};
    rules.exceptions.emails = {"boss@example.com"};
    rules.exceptions.companies = {"Key Account Ltd"};
    rules.exceptions.responders = {"keeper@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
    CHECK(protection_reasons(plan, agent_one) ==
          std::vector<ProtectionReason>{ProtectionReason::agent, ProtectionReason::exception_tag,
                                        ProtectionReason::exception_email,
                                        ProtectionReason::exception_company,
                                        ProtectionReason::responder});
    for (std::size_t i = 0; i < protection_reason_count; ++i) {
        INFO("reason " << i);
        // archive_incomplete is a hold, not a protection: the archive index is complete here.
        const bool hold = static_cast<ProtectionReason>(i) == ProtectionReason::archive_incomplete;
        CHECK(plan.header.summary.protected_counts[i] == (hold ? 0 : 1));
    }
}

TEST_CASE(
    "Settled 17: protection reasons are named agent, exception_tag, exception_email, "
    "exception_company, responder",
    "[engine][protection][settled]") {
    CHECK(to_string(ProtectionReason::agent) == "agent");
    CHECK(to_string(ProtectionReason::exception_tag) == "exception_tag");
    CHECK(to_string(ProtectionReason::exception_email) == "exception_email");
    CHECK(to_string(ProtectionReason::exception_company) == "exception_company");
    CHECK(to_string(ProtectionReason::responder) == "responder");
}

TEST_CASE("The protected list is sorted by contact id, then reason", "[engine][protection]") {
    Snapshot s = base_account();
    for (Id id : {30, 10, 20}) {
        Contact c = contact(id);
        c.tags = {"VIP"};
        if (id == 10) {
            c.email = "ceo@example.com";
        }
        s.contacts.push_back(c);
        s.add_ticket(closed_ticket(id * 10, id, kOld));
    }
    Rules rules = deleting({any180()});
    rules.exceptions.tags = {"VIP"};
    rules.exceptions.emails = {"ceo@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    std::vector<std::pair<Id, ProtectionReason>> got;
    for (const auto& p : plan.protected_contacts) {
        got.emplace_back(p.contact_id, p.reason);
    }
    const std::vector<std::pair<Id, ProtectionReason>> want{{10, ProtectionReason::exception_tag},
                                                            {10, ProtectionReason::exception_email},
                                                            {20, ProtectionReason::exception_tag},
                                                            {30, ProtectionReason::exception_tag}};
    CHECK(got == want);
    CHECK(protected_count(plan, ProtectionReason::exception_tag) == 3);
    CHECK(protected_count(plan, ProtectionReason::exception_email) == 1);
}

// ---------------------------------------------------------------------------------------------
// What a rule does: scope contact
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "Scope contact: every ticket closed, in scope and the newest aged: all deleted, then the "
    "contact policy",
    "[engine][scope-contact]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(103, 1, kAsOf - 190 * day));
    s.add_ticket(closed_ticket(101, 1, kAsOf - 400 * day));
    s.add_ticket(closed_ticket(102, 1, kAsOf - 250 * day));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    REQUIRE(plan.entries.size() == 1);
    const Entry& e = plan.entries[0];
    CHECK(e.contact_id == 1);
    CHECK(e.rules == std::vector<std::string>{"old-tickets"});
    CHECK(e.steps == deleted_with_contact({101, 102, 103}));
    CHECK(e.expect.ticket_ids == std::vector<Id>{101, 102, 103});
}

TEST_CASE("Scope contact: one open ticket keeps the whole contact and all its tickets",
          "[engine][scope-contact]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(102, 1, kOld));
    s.add_ticket(open_ticket(103, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE(
    "Scope contact: one ticket outside the rule's groups, types or tags keeps the whole contact",
    "[engine][scope-contact]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3, 4}) {
        s.contacts.push_back(contact(c));
    }
    auto in = [](Id id, Id who) {
        return tagged(
            of_type(in_group(closed_ticket(id, who, kOld), group_escalations), "Question"),
            {"archive"});
    };
    s.add_ticket(in(101, 1));
    s.add_ticket(in_group(in(102, 1), group_camping));  // other group
    s.add_ticket(in(201, 2));
    s.add_ticket(of_type(in(202, 2), "Incident"));  // other type
    s.add_ticket(in(301, 3));
    s.add_ticket(tagged(in(302, 3), {"misc"}));  // no matching tag
    s.add_ticket(in(401, 4));                    // control
    s.add_ticket(in(402, 4));
    const auto r =
        with_tags(with_types(with_groups(any180(), {"Escalations"}), {"Question"}), {"archive"});
    GP_EVALUATE(plan, s, deleting({r}), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{4});
    CHECK(steps_of(plan, 4) == deleted_with_contact({401, 402}));
}

TEST_CASE(
    "Scope contact: one recent ticket keeps the whole contact (the newest reference must be aged)",
    "[engine][scope-contact]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kAsOf - 900 * day));
    s.add_ticket(closed_ticket(102, 1, kThreshold + 1));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE(
    "Scope contact: a contact with tickets in several groups qualifies only when the rule lists "
    "them all",
    "[engine][scope-contact]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_camping));
    SECTION("groups [Escalations]") {
        GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"Escalations"})}), kAsOf);
        CHECK(plan.entries.empty());
    }
    SECTION("groups [Escalations, Camping]") {
        GP_EVALUATE(plan, s, deleting({with_groups(any180(), {"Escalations", "Camping"})}), kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101, 102}));
    }
}

// ---------------------------------------------------------------------------------------------
// What a rule does: scope ticket
// ---------------------------------------------------------------------------------------------

TEST_CASE("Scope ticket: each closed, in-scope, aged ticket is deleted on its own, the others stay",
          "[engine][scope-ticket]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));        // goes
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_camping));            // out of scope
    s.add_ticket(in_group(closed_ticket(103, 1, kRecent), group_escalations));     // too recent
    s.add_ticket(in_group(closed_ticket(104, 1, kOld - day), group_escalations));  // goes
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("esc", days(180), Scope::ticket), {"Escalations"})}),
                kAsOf);
    REQUIRE(has_entry(plan, 1));
    const Entry& e = *find_entry(plan, 1);
    CHECK(e.steps == tickets_only({101, 104}));  // the contact keeps two tickets: no contact step
    CHECK(e.expect.ticket_ids == std::vector<Id>{101, 102, 103, 104});
    CHECK(e.rules == std::vector<std::string>{"esc"});
}

TEST_CASE("Settled 1: a contact with an open ticket is untouched by every rule, in both scopes",
          "[engine][settled]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(in_group(open_ticket(102, 1, kRecent), group_camping));  // outside the rule
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), group_escalations));
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("esc", days(180), scope), {"Escalations"}),
                          rule("any", days(30), Scope::ticket)}),
                kAsOf);
    CHECK_FALSE(has_entry(plan, 1));
    CHECK(steps_of(plan, 2) == deleted_with_contact({201}));
}

// ---------------------------------------------------------------------------------------------
// Rules work alone; after all rules
// ---------------------------------------------------------------------------------------------

TEST_CASE("Each rule works alone: two contact-scope rules never combine to qualify one contact",
          "[engine][combination]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_camping));
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("esc", days(180)), {"Escalations"}),
                          with_groups(rule("camp", days(180)), {"Camping"})}),
                kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE(
    "Rules never combine to qualify a contact under scope contact: a ticket-scope rule only takes "
    "its tickets",
    "[engine][combination]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_camping));
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("esc", days(180), Scope::contact), {"Escalations"}),
                          with_groups(rule("camp", days(180), Scope::ticket), {"Camping"})}),
                kAsOf);
    CHECK(steps_of(plan, 1) == tickets_only({102}));
    CHECK(rules_of(plan, 1) == std::vector<std::string>{"camp"});
}

TEST_CASE(
    "Settled 2 / after all rules: when the tickets deleted together are all its live tickets, the "
    "contact policy decides",
    "[engine][combination][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_escalations));
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_camping));
    s.add_ticket(trashed(in_group(closed_ticket(103, 1, kRecent), group_billing)));
    s.add_ticket(in_group(closed_ticket(201, 2, kOld), group_escalations));
    s.add_ticket(in_group(closed_ticket(202, 2, kOld), group_billing));  // no rule takes it
    const std::vector<TicketRule> rs{
        with_groups(rule("esc", days(180), Scope::ticket), {"Escalations"}),
        with_groups(rule("camp", days(180), Scope::ticket), {"Camping"})};
    SECTION("immediate") {
        GP_EVALUATE(plan, s, deleting(rs), kAsOf);
        CHECK(steps_of(plan, 1) == deleted_with_contact({101, 102}));
        CHECK(rules_of(plan, 1) == std::vector<std::string>{"esc", "camp"});
        CHECK(steps_of(plan, 2) == tickets_only({201}));
    }
    SECTION("30d: the wait begins") {
        GP_EVALUATE(plan, s, deleting(rs, DeleteMode::hard, days(30)), kAsOf);
        CHECK(steps_of(plan, 1) ==
              std::vector<Step>{delete_tickets_step({101, 102}), mark_pending_step("2026-06-15")});
        CHECK(steps_of(plan, 2) == tickets_only({201}));
    }
}

TEST_CASE(
    "Settled 2: a single ticket-scope rule that takes every live ticket leaves the contact to the "
    "policy",
    "[engine][combination][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(of_type(closed_ticket(101, 1, kOld), "Incident"));
    s.add_ticket(of_type(closed_ticket(102, 1, kOld - 30 * day), "Incident"));
    GP_EVALUATE(plan, s,
                deleting({with_types(rule("inc", days(60), Scope::ticket), {"Incident"})},
                         DeleteMode::soft),
                kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101, 102}, DeleteMode::soft));
}

TEST_CASE("entry.rules lists the rules that deleted tickets of the contact, in rules-file order",
          "[engine][plan]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(in_group(closed_ticket(101, 1, kOld), group_camping));
    s.add_ticket(in_group(closed_ticket(102, 1, kOld), group_escalations));
    GP_EVALUATE(plan, s,
                deleting({with_groups(rule("zeta-rule", days(180), Scope::ticket), {"Escalations"}),
                          with_groups(rule("alpha-rule", days(180), Scope::ticket), {"Camping"}),
                          with_groups(rule("unused", days(180), Scope::ticket), {"Billing"})}),
                kAsOf);
    CHECK(rules_of(plan, 1) == std::vector<std::string>{"zeta-rule", "alpha-rule"});
}

TEST_CASE("by_rule: in rules order, and a ticket selected by two rules counts for the first only",
          "[engine][plan][summary]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.contacts.push_back(contact(2));
    s.add_ticket(of_type(in_group(closed_ticket(101, 1, kOld), group_escalations), "Question"));
    s.add_ticket(of_type(in_group(closed_ticket(102, 1, kOld), group_escalations), "Incident"));
    s.add_ticket(of_type(in_group(closed_ticket(103, 1, kOld), group_camping), "Question"));
    s.add_ticket(of_type(in_group(closed_ticket(201, 2, kOld), group_camping), "Question"));
    s.add_ticket(of_type(in_group(closed_ticket(202, 2, kRecent), group_camping), "Question"));
    const auto r1 = with_types(rule("questions", days(100), Scope::ticket), {"Question"});
    const auto r2 = with_groups(rule("escalations", days(150), Scope::ticket), {"Escalations"});
    const auto r3 = with_groups(rule("billing", days(150), Scope::ticket), {"Billing"});
    GP_EVALUATE(plan, s, deleting({r1, r2, r3}), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101, 102, 103}));
    CHECK(rules_of(plan, 1) == std::vector<std::string>{"questions", "escalations"});
    CHECK(steps_of(plan, 2) == tickets_only({201}));
    CHECK(plan.header.summary.by_rule ==
          std::vector<RuleCount>{{"questions", 2, 3}, {"escalations", 1, 1}, {"billing", 0, 0}});
    CHECK(plan.header.summary.tickets_to_delete == 4);
}

// ---------------------------------------------------------------------------------------------
// The contact policy
// ---------------------------------------------------------------------------------------------

TEST_CASE("keep_contact true: contacts are never deleted, only tickets", "[engine][policy]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(102, 1, kOld));
    GP_EVALUATE(plan, s, keeping({any180(scope)}), kAsOf);
    CHECK(steps_of(plan, 1) == tickets_only({101, 102}));
    CHECK(plan.header.summary.contacts_to_delete == 0);
    CHECK(plan.header.summary.contacts_to_mark == 0);
}

TEST_CASE("Settled 15 / immediate: the contact is deleted in the same run, right after its tickets",
          "[engine][policy][settled]") {
    const DeleteMode mode = GENERATE(DeleteMode::hard, DeleteMode::soft);
    INFO("mode " << to_string(mode));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(102, 1, kOld));
    s.add_ticket(closed_ticket(101, 1, kOld));
    GP_EVALUATE(plan, s, deleting({any180()}, mode), kAsOf);
    CHECK(steps_of(plan, 1) == deleted_with_contact({101, 102}, mode));
    CHECK(plan.header.summary.contacts_to_delete == 1);
    CHECK(plan.header.summary.tickets_to_delete == 2);
}

TEST_CASE("Settled 12 / delete_after: the wait begins with the UTC day of as_of in the pending tag",
          "[engine][policy][pending][settled]") {
    const std::string as_of_text =
        GENERATE(as<std::string>{}, "2026-06-15T00:00:00Z", "2026-06-15T23:59:59Z");
    const Duration after = GENERATE(days(30), days(60), days(90));
    INFO("as_of " << as_of_text << ", delete_after " << after.text);
    const UnixTime as_of = at(as_of_text);
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, as_of - 300 * day));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::hard, after), as_of);
    CHECK(steps_of(plan, 1) ==
          std::vector<Step>{delete_tickets_step({101}), mark_pending_step("2026-06-15")});
    CHECK(plan.header.summary.contacts_to_mark == 1);
    CHECK(plan.header.summary.contacts_to_delete == 0);
    CHECK(pending_tag(as_of) == "gdpr-purge-pending-2026-06-15");
}

TEST_CASE(
    "A waiting contact is deleted once as_of is on or after its day plus delete_after: due exactly "
    "then, not one second before",
    "[engine][policy][pending][boundary]") {
    const DeleteMode mode = GENERATE(DeleteMode::hard, DeleteMode::soft);
    INFO("mode " << to_string(mode));
    Snapshot s = base_account();
    Contact c = contact(1);
    c.tags = {"customer", "gdpr-purge-pending-2026-05-16"};
    s.contacts.push_back(c);
    s.add_ticket(trashed(closed_ticket(101, 1, kOld)));  // the tool trashed it when the wait began
    const Rules rules = deleting({any180()}, mode, days(30));
    const UnixTime due = on("2026-06-15");
    SECTION("due") {
        GP_EVALUATE(plan, s, rules, due);
        REQUIRE(has_entry(plan, 1));
        const Entry& e = *find_entry(plan, 1);
        CHECK(e.steps == std::vector<Step>{delete_contact_step(mode)});
        CHECK(e.rules == std::vector<std::string>{"pending"});
        CHECK(e.expect.ticket_ids.empty());
        CHECK(plan.header.summary.contacts_to_delete == 1);
    }
    SECTION("one second before") {
        GP_EVALUATE(plan, s, rules, due - 1);
        CHECK(plan.entries.empty());
    }
}

TEST_CASE("Settled 3: a waiting contact that gets a new ticket only gets its tag removed that run",
          "[engine][policy][pending][settled]") {
    Snapshot s = base_account();
    Contact waiting_closed = contact(1);  // not due yet; its new ticket is old, closed, in scope
    waiting_closed.tags = {"gdpr-purge-pending-2026-06-01"};
    s.contacts.push_back(waiting_closed);
    Contact waiting_open = contact(2);  // due; its new ticket is open
    waiting_open.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(waiting_open);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(open_ticket(201, 2, kRecent));
    Contact spammed = contact(3);  // due; its "new ticket" is spam: not live, the wait goes on
    spammed.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(spammed);
    s.add_ticket(spam(open_ticket(301, 3, kRecent)));
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    GP_EVALUATE(plan, s, deleting({any180(scope)}, DeleteMode::hard, days(30)), kAsOf);
    CHECK(steps_of(plan, 3) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
    for (Id c : {1, 2}) {
        INFO("contact " << c);
        REQUIRE(has_entry(plan, c));
        CHECK(find_entry(plan, c)->steps == std::vector<Step>{clear_pending_step()});
        CHECK(find_entry(plan, c)->rules == std::vector<std::string>{"pending"});
    }
    CHECK(find_entry(plan, 1)->expect.ticket_ids == std::vector<Id>{101});
    CHECK(plan.header.summary.marks_to_clear == 2);
    CHECK(plan.header.summary.tickets_to_delete == 0);
}

TEST_CASE("Settled 3: with several pending tags, the latest date counts",
          "[engine][pending][settled]") {
    Snapshot s = base_account();
    Contact a = contact(1);
    a.tags = {"gdpr-purge-pending-2026-05-01", "gdpr-purge-pending-2026-06-01"};
    s.contacts.push_back(a);
    Contact b = contact(2);
    b.tags = {"gdpr-purge-pending-2026-06-01", "gdpr-purge-pending-2026-05-01"};
    s.contacts.push_back(b);
    const Rules rules = deleting({any180()}, DeleteMode::hard, days(30));
    SECTION("due by the earliest tag only: not due") {
        GP_EVALUATE(plan, s, rules, kAsOf);  // 2026-06-15: 05-01 + 30d is past, 06-01 + 30d is not
        CHECK(plan.entries.empty());
    }
    SECTION("due by the latest tag") {
        GP_EVALUATE(plan, s, rules, on("2026-07-01"));
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
    }
    CHECK(pending_since(a.tags) == on("2026-06-01"));
}

TEST_CASE(
    "Settled 3: a tag that starts with gdpr-purge-pending- but carries no valid date is not a "
    "pending tag",
    "[engine][pending][settled]") {
    Snapshot s = base_account();
    const std::vector<std::string> invalid{"gdpr-purge-pending-2026-02-30",
                                           "gdpr-purge-pending-soon", "gdpr-purge-pending-2026-1-5",
                                           "gdpr-purge-pending-"};
    Id id = 1;
    for (const auto& tag : invalid) {  // contacts 1..4: no live ticket, an invalid tag only
        Contact c = contact(id);
        c.tags = {tag};
        s.contacts.push_back(c);
        s.add_ticket(trashed(closed_ticket(id * 100, id, kOld)));
        ++id;
    }
    Contact mixed = contact(5);  // a valid, due tag and an invalid one that sorts after it
    mixed.tags = {"gdpr-purge-pending-2026-99-99", "gdpr-purge-pending-2026-01-02"};
    s.contacts.push_back(mixed);
    s.add_ticket(trashed(closed_ticket(500, 5, kOld)));
    Contact live = contact(6);  // an invalid tag and a live ticket: rules act on it this run
    live.tags = {"gdpr-purge-pending-someday"};
    s.contacts.push_back(live);
    s.add_ticket(closed_ticket(601, 6, kOld));
    Contact other_prefix = contact(7);  // same length as the marker's prefix, and a date
    other_prefix.tags = {"gdpr-purge-waiting-2026-01-01", "customer-since-0000-2026-01-01"};
    s.contacts.push_back(other_prefix);
    s.add_ticket(trashed(closed_ticket(700, 7, kOld)));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::hard, days(30)), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{5, 6});
    CHECK(steps_of(plan, 5) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
    CHECK(steps_of(plan, 6) ==
          std::vector<Step>{delete_tickets_step({601}), mark_pending_step("2026-06-15")});
    CHECK(rules_of(plan, 6) == std::vector<std::string>{"old-tickets"});
    CHECK_FALSE(pending_since({"gdpr-purge-pending-2026-02-30"}).has_value());
}

TEST_CASE("Pending tags are recognized case-insensitively", "[engine][pending][decisions]") {
    Snapshot s = base_account();
    Contact due = contact(1);
    due.tags = {"GDPR-Purge-Pending-2026-01-01"};
    s.contacts.push_back(due);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    Contact back = contact(2);
    back.tags = {"Gdpr-Purge-Pending-2026-06-10"};
    s.contacts.push_back(back);
    s.add_ticket(open_ticket(201, 2, kRecent));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::hard, days(30)), kAsOf);
    CHECK(steps_of(plan, 1) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
    CHECK(steps_of(plan, 2) == std::vector<Step>{clear_pending_step()});
}

TEST_CASE(
    "Settled 5: delete_after changed while contacts wait: the due day is recomputed with the new "
    "value",
    "[engine][pending][settled]") {
    Snapshot s = base_account();
    Contact c = contact(1);
    c.tags = {"gdpr-purge-pending-2026-05-01"};  // 45.5 days before kAsOf
    s.contacts.push_back(c);
    Contact today = contact(2);
    today.tags = {"gdpr-purge-pending-2026-06-15"};  // the wait began today
    s.contacts.push_back(today);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    s.add_ticket(trashed(closed_ticket(200, 2, kOld)));
    SECTION("30d: contact 1 due") {
        GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::hard, days(30)), kAsOf);
        CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    }
    SECTION("60d and 90d: nobody due") {
        const Duration after = GENERATE(days(60), days(90));
        GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::hard, after), kAsOf);
        CHECK(plan.entries.empty());
    }
    SECTION("immediate: due at once, even a wait that began today") {
        GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::soft, immediate()), kAsOf);
        CHECK(steps_of(plan, 1) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
        CHECK(steps_of(plan, 2) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
        CHECK(rules_of(plan, 2) == std::vector<std::string>{"pending"});
    }
}

TEST_CASE(
    "Settled 4: a waiting contact that is due but has become protected is left alone and listed",
    "[engine][pending][protection][settled]") {
    Snapshot s = base_account();
    Contact vip = contact(1);
    vip.tags = {"gdpr-purge-pending-2026-01-01", "VIP"};
    s.contacts.push_back(vip);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    Contact agent_like = contact(2);
    agent_like.email = "keeper@example.com";
    agent_like.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(agent_like);
    s.add_ticket(trashed(closed_ticket(200, 2, kOld)));
    Rules rules = deleting({any180()}, DeleteMode::hard, days(30));
    rules.exceptions.tags = {"VIP"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
    CHECK(is_listed(plan, 1, ProtectionReason::exception_tag));
    CHECK(is_listed(plan, 2, ProtectionReason::agent));
}

TEST_CASE(
    "A protected waiting contact with a live ticket again is never touched (not even its tag)",
    "[engine][pending][protection][decisions]") {
    Snapshot s = base_account();
    Contact vip = contact(1);
    vip.tags = {"gdpr-purge-pending-2026-06-01", "VIP"};
    s.contacts.push_back(vip);
    s.add_ticket(open_ticket(101, 1, kRecent));
    Rules rules = deleting({any180()}, DeleteMode::hard, days(30));
    rules.exceptions.tags = {"VIP"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE(
    "Settled 6: keep_contact true stops every contact deletion: no due pending contact deleted",
    "[engine][pending][settled]") {
    Snapshot s = base_account();
    Contact waiting = contact(1);
    waiting.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(waiting);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    GP_EVALUATE(plan, s, keeping({any180()}), kAsOf);
    CHECK(plan.entries.empty());
    CHECK(plan.header.summary.contacts_to_delete == 0);
}

TEST_CASE("keep_contact true: a waiting contact with a live ticket again still has its wait reset",
          "[engine][pending][decisions]") {
    // Settled 3 holds whatever the policy: a stale pending tag left in place would make the contact
    // due at once if keep_contact were turned off later (docs/decisions.md).
    Snapshot s = base_account();
    Contact back = contact(2);
    back.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(back);
    s.add_ticket(closed_ticket(201, 2, kOld));
    GP_EVALUATE(plan, s, keeping({any180()}), kAsOf);
    CHECK(steps_of(plan, 2) == std::vector<Step>{clear_pending_step()});
    CHECK_FALSE(has_action(plan, 2, StepAction::delete_contact));
    CHECK_FALSE(has_action(plan, 2, StepAction::delete_tickets));
    CHECK(plan.header.summary.marks_to_clear == 1);
}

TEST_CASE("Settled 16: a due waiting contact deleted soft gets one delete_contact soft step",
          "[engine][pending][settled]") {
    Snapshot s = base_account();
    Contact c = contact(1);
    c.tags = {"gdpr-purge-pending-2026-04-01"};
    s.contacts.push_back(c);
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));
    GP_EVALUATE(plan, s, deleting({any180()}, DeleteMode::soft, days(60)), kAsOf);
    CHECK(steps_of(plan, 1) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
}

// ---------------------------------------------------------------------------------------------
// Purge of soft-deleted contacts
// ---------------------------------------------------------------------------------------------

namespace {

Contact soft_deleted(Id id, UnixTime updated_at,
                     std::vector<std::string> tags = {"gdpr-purge-deleted"}) {
    Contact c = contact(id);
    c.state = ContactState::soft_deleted;
    c.tags = std::move(tags);
    c.updated_at = updated_at;
    return c;
}

Rules purging(Duration after, bool keep = false) {
    Rules r = deleting({any180()}, DeleteMode::soft, days(30));
    r.contact_policy.purge_soft_deleted_after = std::move(after);
    r.contact_policy.keep_contact = keep;
    return r;
}

}  // namespace

TEST_CASE(
    "Settled 13 / purge: soft-deleted contacts with the tool's tag are hard-deleted once "
    "purge_soft_deleted_after has passed since updated_at",
    "[engine][purge][boundary][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kAsOf - 30 * day));
    s.contacts.push_back(soft_deleted(2, kAsOf - 30 * day + 1));
    s.contacts.push_back(soft_deleted(3, kOld, {"customer", "GDPR-PURGE-DELETED"}));
    s.add_ticket(trashed(closed_ticket(100, 1, kOld)));  // trashed: not live
    GP_EVALUATE(plan, s, purging(days(30)), kAsOf);
    REQUIRE(has_entry(plan, 1));
    const Entry& e = *find_entry(plan, 1);
    CHECK(e.steps == std::vector<Step>{purge_step()});
    CHECK(e.rules == std::vector<std::string>{"purge_soft_deleted"});
    CHECK(e.expect.ticket_ids.empty());
    CHECK_FALSE(has_entry(plan, 2));
    CHECK(plan.header.summary.soft_deleted_to_purge ==
          static_cast<std::int64_t>(plan.entries.size()));
    CHECK(plan.header.summary.contacts_to_delete == 0);
}

TEST_CASE("Purge: purge_soft_deleted_after null never purges", "[engine][purge]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kOld));
    Rules rules = purging(days(30));
    rules.contact_policy.purge_soft_deleted_after.reset();
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("Purge: only contacts soft-deleted by this tool (carrying gdpr-purge-deleted)",
          "[engine][purge]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kOld, {"customer"}));  // deleted by an agent
    Contact active = contact(2);  // carries the tag but is not deleted (restored by hand)
    active.tags = {"gdpr-purge-deleted"};
    s.contacts.push_back(active);
    s.add_ticket(open_ticket(201, 2, kRecent));
    GP_EVALUATE(plan, s, purging(days(30)), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("Settled 7: the purge skips a soft-deleted contact that has a live ticket again",
          "[engine][purge][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kOld));
    s.add_ticket(open_ticket(101, 1, kRecent));
    s.contacts.push_back(soft_deleted(2, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    GP_EVALUATE(plan, s, purging(days(30)), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("Settled 7: the purge skips a protected soft-deleted contact, which is listed",
          "[engine][purge][protection][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kOld, {"gdpr-purge-deleted", "VIP"}));
    Contact ceo = soft_deleted(2, kOld);
    ceo.email = "ceo@example.com";
    s.contacts.push_back(ceo);
    s.contacts.push_back(soft_deleted(3, kOld));  // control
    Rules rules = purging(days(30));
    rules.exceptions.tags = {"VIP"};
    rules.exceptions.emails = {"ceo@example.com"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{3});
    CHECK(is_listed(plan, 1, ProtectionReason::exception_tag));
    CHECK(is_listed(plan, 2, ProtectionReason::exception_email));
}

TEST_CASE(
    "Settled 7: soft-deleted contacts are otherwise out of the rules: their live tickets are not "
    "evaluated",
    "[engine][purge][settled]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kRecent));             // not due for purge
    s.contacts.push_back(soft_deleted(2, kOld, {"customer"}));  // deleted by someone else
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(201, 2, kOld));
    Rules rules = deleting({any180(scope)});
    rules.contact_policy.purge_soft_deleted_after = days(30);
    rules.orphan_contacts = OrphanRule{days(365), Since::updated};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("Settled 6: keep_contact true: no purge of soft-deleted contacts",
          "[engine][purge][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(soft_deleted(1, kOld));
    GP_EVALUATE(plan, s, purging(days(30), /*keep=*/true), kAsOf);
    CHECK(plan.entries.empty());
}

// ---------------------------------------------------------------------------------------------
// Orphan contacts
// ---------------------------------------------------------------------------------------------

namespace {

Rules with_orphans(Rules r, Duration older_than, Since since) {
    r.orphan_contacts = OrphanRule{std::move(older_than), since};
    return r;
}

}  // namespace

TEST_CASE(
    "orphan_contacts: a contact with no ticket, older than older_than, is deleted at once with "
    "delete_mode",
    "[engine][orphan]") {
    const DeleteMode mode = GENERATE(DeleteMode::hard, DeleteMode::soft);
    const Duration after = GENERATE(immediate(), days(90));
    INFO("mode " << to_string(mode) << ", delete_after " << after.text);
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));  // updated in 2020
    Contact young = contact(2);
    young.updated_at = kRecent;
    s.contacts.push_back(young);
    GP_EVALUATE(plan, s, with_orphans(deleting({any180()}, mode, after), days(365), Since::updated),
                kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    REQUIRE(has_entry(plan, 1));
    const Entry& e = *find_entry(plan, 1);
    CHECK(e.steps == std::vector<Step>{delete_contact_step(mode)});
    CHECK(e.rules == std::vector<std::string>{"orphan_contacts"});
    CHECK(e.expect.ticket_ids.empty());
    CHECK(plan.header.summary.contacts_to_delete == 1);
}

TEST_CASE("Settled 13: orphan ages compare with <= at the second",
          "[engine][orphan][boundary][settled]") {
    const Since since = GENERATE(Since::created, Since::updated);
    INFO("since " << to_string(since));
    Snapshot s = base_account();
    Contact exact = contact(1);
    Contact later = contact(2);
    if (since == Since::created) {
        exact.created_at = kAsOf - 365 * day;
        later.created_at = kAsOf - 365 * day + 1;
        exact.updated_at = later.updated_at = kRecent;
    } else {
        exact.created_at = later.created_at = kAsOf - 900 * day;
        exact.updated_at = kAsOf - 365 * day;
        later.updated_at = kAsOf - 365 * day + 1;
    }
    s.contacts.push_back(exact);
    s.contacts.push_back(later);
    GP_EVALUATE(plan, s, with_orphans(deleting({any180()}), days(365), since), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
}

TEST_CASE("orphan_contacts: the age counts from created_at or updated_at, per since",
          "[engine][orphan]") {
    Snapshot s = base_account();
    Contact c = contact(1);
    c.created_at = at("2020-01-01T00:00:00Z");
    c.updated_at = kRecent;
    s.contacts.push_back(c);
    SECTION("since created") {
        GP_EVALUATE(plan, s, with_orphans(deleting({any180()}), days(365), Since::created), kAsOf);
        CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    }
    SECTION("since updated") {
        GP_EVALUATE(plan, s, with_orphans(deleting({any180()}), days(365), Since::updated), kAsOf);
        CHECK(plan.entries.empty());
    }
}

TEST_CASE("Settled 8: an orphan has no ticket at all: none live, none in the trash, none in spam",
          "[engine][orphan][settled]") {
    Snapshot s = base_account();
    for (Id c : {1, 2, 3, 4}) {
        s.contacts.push_back(contact(c));
    }
    s.add_ticket(trashed(closed_ticket(101, 1, kOld)));
    s.add_ticket(spam(open_ticket(201, 2, kOld)));
    s.add_ticket(open_ticket(301, 3, kRecent));
    GP_EVALUATE(plan, s, with_orphans(deleting({any180()}), days(365), Since::updated), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{4});
}

TEST_CASE("orphan_contacts: a contact with a pending tag is no orphan",
          "[engine][orphan][pending]") {
    Snapshot s = base_account();
    Contact waiting = contact(1);  // not due
    waiting.tags = {"gdpr-purge-pending-2026-06-10"};
    s.contacts.push_back(waiting);
    Contact due = contact(2);  // due: the pending rule decides, not the orphan rule
    due.tags = {"gdpr-purge-pending-2026-01-10"};
    s.contacts.push_back(due);
    Contact invalid = contact(3);  // an invalid pending tag is no pending tag
    invalid.tags = {"gdpr-purge-pending-someday"};
    s.contacts.push_back(invalid);
    GP_EVALUATE(
        plan, s,
        with_orphans(deleting({any180()}, DeleteMode::hard, days(30)), days(365), Since::updated),
        kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{2, 3});
    CHECK(rules_of(plan, 2) == std::vector<std::string>{"pending"});
    CHECK(rules_of(plan, 3) == std::vector<std::string>{"orphan_contacts"});
}

TEST_CASE("Settled 6: keep_contact true: no orphan deletion", "[engine][orphan][settled]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    GP_EVALUATE(plan, s, with_orphans(keeping({any180()}), days(365), Since::updated), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("orphan_contacts absent: contacts without tickets are not deleted", "[engine][orphan]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    CHECK(plan.entries.empty());
}

TEST_CASE("orphan_contacts: an unprotected contact only, a protected orphan is listed",
          "[engine][orphan][protection]") {
    Snapshot s = base_account();
    Contact ceo = contact(1);
    ceo.email = "ceo@example.com";
    s.contacts.push_back(ceo);
    Contact agent = contact(agent_one);
    s.contacts.push_back(agent);
    Contact member = contact(3);
    member.other_company_ids = {company_key_account};
    s.contacts.push_back(member);
    s.contacts.push_back(contact(4));  // control
    Rules rules = with_orphans(deleting({any180()}), days(365), Since::updated);
    rules.exceptions.emails = {"ceo@example.com"};
    rules.exceptions.companies = {"Key Account Ltd"};
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{4});
    CHECK(is_listed(plan, 1, ProtectionReason::exception_email));
    CHECK(is_listed(plan, agent_one, ProtectionReason::agent));
    CHECK(is_listed(plan, 3, ProtectionReason::exception_company));
}

TEST_CASE("orphan_contacts: a contact without the time the rule counts from is never an old orphan",
          "[engine][orphan][decisions]") {
    Snapshot s = base_account();
    Contact c = contact(1);
    c.created_at = no_time;
    c.updated_at = no_time;
    s.contacts.push_back(c);
    const Since since = GENERATE(Since::created, Since::updated);
    GP_EVALUATE(plan, s, with_orphans(deleting({any180()}), days(365), since), kAsOf);
    CHECK(plan.entries.empty());
}

// ---------------------------------------------------------------------------------------------
// Requesters
// ---------------------------------------------------------------------------------------------

TEST_CASE("Settled 14: tickets whose requester is neither a contact nor an agent are untouched",
          "[engine][settled]") {
    const Scope scope = GENERATE(Scope::contact, Scope::ticket);
    INFO("scope " << to_string(scope));
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(701, 777, kOld));  // requester 777: unknown
    s.add_ticket(closed_ticket(702, no_id, kOld));
    GP_EVALUATE(plan, s, deleting({any180(scope)}), kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(deleted_ticket_ids(plan) == std::vector<Id>{101});
    CHECK(plan.header.summary.tickets_read == 3);
}

// ---------------------------------------------------------------------------------------------
// The plan's shape and summary
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "Plan: entries sorted by contact id, ticket ids ascending, expect = live tickets and "
    "updated_at, masked email",
    "[engine][plan]") {
    Snapshot s = base_account();
    for (Id id : {30, 10, 20}) {
        Contact c = contact(id);
        c.updated_at = at("2024-03-04T05:06:07Z") + id;
        if (id == 20) {
            c.email.clear();
        }
        s.contacts.push_back(c);
        for (Id t : {3, 2, 1}) {
            s.add_ticket(closed_ticket(id * 10 + t, id, kOld - t * day));
        }
    }
    s.add_ticket(trashed(closed_ticket(305, 30, kOld)));
    GP_EVALUATE(plan, s, deleting({any180()}), kAsOf);
    REQUIRE(ids_of_entries(plan) == std::vector<Id>{10, 20, 30});
    for (const auto& e : plan.entries) {
        INFO("contact " << e.contact_id);
        const std::vector<Id> ids{e.contact_id * 10 + 1, e.contact_id * 10 + 2,
                                  e.contact_id * 10 + 3};
        CHECK(e.steps == deleted_with_contact(ids));
        CHECK(e.expect.ticket_ids == ids);
        CHECK(e.expect.contact_updated_at ==
              format_timestamp(at("2024-03-04T05:06:07Z") + e.contact_id));
        CHECK_FALSE(e.reason.empty());
    }
    CHECK(plan.entries[0].email_masked == "u***@example.com");
    CHECK(plan.entries[1].email_masked.empty());
    CHECK(plan.entries[2].email_masked == mask_email("user30@example.com"));
}

TEST_CASE("Summary: every count recomputed from a plan with every kind of step",
          "[engine][plan][summary]") {
    Snapshot s = base_account();
    // 1: rule deletes 2 tickets, wait begins
    s.contacts.push_back(contact(1));
    s.add_ticket(closed_ticket(101, 1, kOld));
    s.add_ticket(closed_ticket(102, 1, kOld));
    // 2: due waiting contact
    Contact due = contact(2);
    due.tags = {"gdpr-purge-pending-2026-01-01"};
    s.contacts.push_back(due);
    s.add_ticket(trashed(closed_ticket(201, 2, kOld)));
    // 3: waiting contact with a live ticket again
    Contact back = contact(3);
    back.tags = {"gdpr-purge-pending-2026-06-01"};
    s.contacts.push_back(back);
    s.add_ticket(open_ticket(301, 3, kRecent));
    // 4: soft-deleted by the tool long ago
    s.contacts.push_back(soft_deleted(4, kOld));
    // 5: orphan
    s.contacts.push_back(contact(5));
    // 6: VIP with an old ticket
    Contact vip = contact(6);
    vip.tags = {"VIP"};
    s.contacts.push_back(vip);
    s.add_ticket(closed_ticket(601, 6, kOld));
    // agent_one: an agent's contact with an old ticket
    s.contacts.push_back(contact(agent_one));
    s.add_ticket(closed_ticket(9101, agent_one, kOld));
    // 8: a ticket rule takes an old incident, a recent question stays
    s.contacts.push_back(contact(8));
    s.add_ticket(of_type(closed_ticket(801, 8, kAsOf - 60 * day), "Incident"));
    s.add_ticket(of_type(closed_ticket(802, 8, kRecent), "Question"));
    s.add_ticket(spam(closed_ticket(803, 8, kRecent)));
    // a ticket of nobody
    s.add_ticket(closed_ticket(9901, 4242, kOld));

    Rules rules = deleting({rule("all-old", days(180)),
                            with_types(rule("incidents", days(30), Scope::ticket), {"Incident"})},
                           DeleteMode::soft, days(30));
    rules.contact_policy.purge_soft_deleted_after = days(30);
    rules.orphan_contacts = OrphanRule{days(365), Since::updated};
    rules.exceptions.tags = {"VIP"};
    GP_EVALUATE(plan, s, rules, kAsOf);

    CHECK(ids_of_entries(plan) == std::vector<Id>{1, 2, 3, 4, 5, 8});
    CHECK(steps_of(plan, 1) ==
          std::vector<Step>{delete_tickets_step({101, 102}), mark_pending_step("2026-06-15")});
    CHECK(steps_of(plan, 2) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
    CHECK(steps_of(plan, 3) == std::vector<Step>{clear_pending_step()});
    CHECK(steps_of(plan, 4) == std::vector<Step>{purge_step()});
    CHECK(steps_of(plan, 5) == std::vector<Step>{delete_contact_step(DeleteMode::soft)});
    CHECK(steps_of(plan, 8) == tickets_only({801}));

    const Summary& sum = plan.header.summary;
    CHECK(sum.contacts_read == 8);
    CHECK(sum.tickets_read == 10);
    CHECK(sum.contacts_to_delete == 2);
    CHECK(sum.tickets_to_delete == 3);
    CHECK(sum.contacts_to_mark == 1);
    CHECK(sum.marks_to_clear == 1);
    CHECK(sum.soft_deleted_to_purge == 1);
    CHECK(protected_count(plan, ProtectionReason::agent) == 1);
    CHECK(protected_count(plan, ProtectionReason::exception_tag) == 1);
    CHECK(protected_count(plan, ProtectionReason::exception_email) == 0);
    CHECK(protected_count(plan, ProtectionReason::exception_company) == 0);
    CHECK(protected_count(plan, ProtectionReason::responder) == 0);
    CHECK(sum.by_rule == std::vector<RuleCount>{{"all-old", 1, 2}, {"incidents", 1, 1}});
}

TEST_CASE(
    "The plan header carries as_of and the rules' hash (the caller fills generated_at and account)",
    "[engine][plan]") {
    Snapshot s = base_account();
    s.contacts.push_back(contact(1));
    const Rules rules = deleting({any180()});
    GP_EVALUATE(plan, s, rules, kAsOf);
    CHECK(plan.header.as_of == "2026-06-15T12:00:00Z");
    CHECK(plan.header.rules_sha256 == rules_sha256(rules));
    CHECK(plan.header.format_version == plan_format_version);
}

TEST_CASE("Evaluation is pure: the same snapshot, rules and as_of give the same plan",
          "[engine][plan]") {
    Snapshot s = base_account();
    for (Id id = 1; id <= 6; ++id) {
        s.contacts.push_back(contact(id));
        s.add_ticket(closed_ticket(id * 10, id, kOld - id * 30 * day));
    }
    s.add_ticket(open_ticket(31, 3, kRecent));
    const Rules rules = deleting({any180()}, DeleteMode::hard, days(30));
    const Plan a = evaluate(s, rules, kAsOf);
    const Plan b = evaluate(s, rules, kAsOf);
    CHECK(a.entries == b.entries);
    CHECK(a.protected_contacts == b.protected_contacts);
    CHECK(a.header.summary == b.header.summary);
    CHECK(a.entries.size() == 5);
}
