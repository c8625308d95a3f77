// evaluate_subjects(): an erasure request (GDPR Art. 17) deletes the subject's live tickets and
// the subject itself, hard, whatever the contact policy, unless the subject is protected. Also the
// reason text when a close time was not read (the reader skips stats on old tickets).
#include "engine_fixtures.hpp"

#include <string>
#include <vector>

using namespace gp;
using namespace gp::test;

namespace {

const UnixTime kAsOf = default_as_of();

// Contacts 1 (two live tickets, one open, one trashed), 2 (tagged VIP), 3 (no ticket), 4 (not a
// subject) and the agent agent_one as a requester.
Snapshot subjects_account() {
    Snapshot s = base_account();
    s.contacts = {contact(1), contact(2), contact(3), contact(4)};
    s.contacts[1].tags = {"vip"};
    s.add_ticket(closed_ticket(11, 1, kAsOf - 3 * day));
    s.add_ticket(open_ticket(12, 1, kAsOf - day));
    s.add_ticket(trashed(closed_ticket(13, 1, kAsOf - 400 * day)));
    s.add_ticket(closed_ticket(21, 2, kAsOf - 400 * day));
    s.add_ticket(closed_ticket(41, 4, kAsOf - 400 * day));
    return s;
}

Rules vip_keeping_rules() {
    Rules r = keeping({rule("old", days(180))});
    r.exceptions.tags = {"VIP"};
    return r;
}

}  // namespace

TEST_CASE("A subject loses every live ticket, open ones too, and is deleted hard",
          "[engine][subjects]") {
    const Plan plan = evaluate_subjects(subjects_account(), vip_keeping_rules(), {1}, kAsOf);
    REQUIRE(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(steps_of(plan, 1) ==
          std::vector<Step>{delete_tickets_step({11, 12}), delete_contact_step(DeleteMode::hard)});
    CHECK(rules_of(plan, 1) == std::vector<std::string>{"subject"});
    CHECK(find_entry(plan, 1)->expect.ticket_ids == std::vector<Id>{11, 12});
    CHECK(plan.header.summary.contacts_to_delete == 1);
    CHECK(plan.header.summary.tickets_to_delete == 2);
}

TEST_CASE("A subject without live tickets gets only the contact deletion", "[engine][subjects]") {
    const Plan plan = evaluate_subjects(subjects_account(), vip_keeping_rules(), {3}, kAsOf);
    CHECK(steps_of(plan, 3) == std::vector<Step>{delete_contact_step(DeleteMode::hard)});
}

TEST_CASE("A protected subject is listed as protected, not deleted", "[engine][subjects]") {
    const Plan plan = evaluate_subjects(subjects_account(), vip_keeping_rules(), {2, 1}, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{1});
    CHECK(is_listed(plan, 2, ProtectionReason::exception_tag));
    CHECK(plan.header.summary
              .protected_counts[static_cast<std::size_t>(ProtectionReason::exception_tag)] == 1);
}

TEST_CASE("Only the subjects are touched, and unknown or repeated ids are ignored",
          "[engine][subjects]") {
    const Plan plan =
        evaluate_subjects(subjects_account(), vip_keeping_rules(), {3, 999, 3}, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{3});
    CHECK_FALSE(has_entry(plan, 4));
    CHECK(plan.protected_contacts.empty());
}

TEST_CASE("A subject deletion is hard even when the policy is soft", "[engine][subjects]") {
    Rules r = deleting({rule("old", days(180))}, DeleteMode::soft, days(30));
    const Plan plan = evaluate_subjects(subjects_account(), r, {1}, kAsOf);
    CHECK(steps_of(plan, 1).back() == delete_contact_step(DeleteMode::hard));
}

TEST_CASE("A reason says 'at or before' when the newest close time was not read",
          "[engine][reason]") {
    Snapshot s = base_account();
    s.contacts = {contact(1), contact(2)};
    TicketRecord unread = closed_ticket(11, 1, kAsOf - 300 * day);
    unread.closed_at = no_time;  // read without stats: updated_at stands in for it
    s.add_ticket(unread);
    s.add_ticket(closed_ticket(21, 2, kAsOf - 300 * day));
    const Plan plan = evaluate(s, deleting({rule("old", days(180))}), kAsOf);
    REQUIRE(find_entry(plan, 1) != nullptr);
    REQUIRE(find_entry(plan, 2) != nullptr);
    CHECK(find_entry(plan, 1)->reason.find("last closed at or before ") != std::string::npos);
    CHECK(find_entry(plan, 2)->reason.find("at or before") == std::string::npos);
    CHECK(find_entry(plan, 2)->reason.find("last closed ") != std::string::npos);
}

TEST_CASE("A subject whose email is an agent's is listed as protected for agent",
          "[engine][subjects]") {
    const Plan plan =
        evaluate_subjects(subjects_account(), vip_keeping_rules(), {agent_keeper, 3}, kAsOf);
    CHECK(ids_of_entries(plan) == std::vector<Id>{3});
    CHECK(is_listed(plan, agent_keeper, ProtectionReason::agent));
    CHECK(plan.header.summary.protected_counts[static_cast<std::size_t>(ProtectionReason::agent)] ==
          1);
}
